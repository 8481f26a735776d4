"""The callback receiver: an HTTP endpoint for the Dispatch server's job event callbacks (3.1),
which stores every event before acknowledging it, and optionally serves the stored events to
desktop clients (``GET /events``, a long poll).

No Qt: the desktop app embeds it, and the headless command (``python -m
dispatch_desktop.events``) runs it on a company server, because the callback URL is one per
system user, shared by every desktop (F12). It is a WSGI application served by waitress
(:mod:`~dispatch_desktop.events.server`), which reads each request whole before a worker
thread sees it; ``docs/receiver.md`` states what it relies on and what it guarantees.

Answers: 200 once the event is committed to disk (or was stored before); 400 for a body that
is not a job event (each body is parsed once, on its own: it fails alone); 503 when the store
cannot take the event now (disk full, file locked, read-only, I/O error): the sender may retry,
and the next request tries the store afresh.

Security: the callback carries no signature (3.1), so the URL holds an unguessable token
(``/callbacks/<token>``); any other path is 404. The token is never logged. The receiver speaks
plain HTTP: reachable from the internet, it belongs behind a TLS-terminating reverse proxy, or
the token travels in clear text.
"""

from __future__ import annotations

import hmac
import json
import logging
import math
import queue
import re
import secrets
import threading
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from http import HTTPStatus
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from dispatch_desktop.events.config import EVENTS_PATH
from dispatch_desktop.events.model import InvalidEvent, StoredEvent, parse_callback
from dispatch_desktop.events.store import EventStoreError

if TYPE_CHECKING:
    from dispatch_desktop.events.backends import ReceiverStore
    from dispatch_desktop.events.server import HardenedServer

log = logging.getLogger(__name__)

CALLBACK_PREFIX = "/callbacks/"
HEALTH_PATH = "/health"
"""Served with ``serve_events`` (the headless receiver), for a reverse proxy's health checks."""
MAX_BODY_BYTES = 64 * 1024
"""Largest callback body accepted; the reference's bodies are about 300 bytes."""
REQUEST_DEADLINE = 10.0
"""Seconds a client has to deliver a whole request, from its connection: a slow or half-open
client is dropped then, however steadily it drips."""
MAX_CONNECTIONS = 1000
"""Most connections open at once (lowered to fit the process's file-descriptor limit)."""
CALLBACK_THREADS = 16
"""Worker threads for callbacks (and quick requests): as many callbacks as this are written
in one group commit at most."""
MAX_LONG_POLLS = 32
"""Most ``GET /events`` long polls waiting at once; each holds a worker thread of its own,
beyond :data:`CALLBACK_THREADS`, so that followers never starve callbacks. One more is
answered 503 with a Retry-After."""
LONG_POLL_RETRY_SECONDS = 5
STOP_GRACE_SECONDS = 2.0
"""How long :meth:`CallbackReceiver.stop` waits for requests under way (e.g. a write waiting
for a locked store) before it returns anyway."""
MAX_WAIT_SECONDS = 30.0
"""Longest long poll; below the idle timeouts of common proxies (60 s)."""
DEFAULT_LIMIT = 100
MAX_LIMIT = 500

EventListener = Callable[[StoredEvent], None]
"""Called with each newly stored event, from the receiver's listener thread."""

_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,256}")
_DIGITS = re.compile(r"[0-9]+")
_CALLBACK_IN_TEXT = re.compile(re.escape(CALLBACK_PREFIX) + r"[^\s?\"']*")
_JSON = "application/json; charset=utf-8"
_TEXT = "text/plain; charset=utf-8"
_SERVER_NAME = "DispatchCallbackReceiver/1.0"  # the Server header: no Python version


def new_token() -> str:
    """A fresh unguessable token: 32 random bytes, URL-safe Base64 (43 characters)."""
    return secrets.token_urlsafe(32)


def check_token(token: str, what: str = "token") -> str:
    """``token`` if it can stand in a URL path and is long enough not to be guessed."""
    if not _TOKEN.fullmatch(token):
        raise ValueError(
            f"The {what} must be 16 to 256 characters from A-Z, a-z, 0-9, '-' and '_'."
        )
    return token


def mask_token(text: str) -> str:
    """``text`` with the token of every callback path replaced by ``***``, for logging."""
    return _CALLBACK_IN_TEXT.sub(CALLBACK_PREFIX + "***", text)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


class _Rejection(Exception):
    """Ends a request with an error status. ``reason`` is logged and sent as the body;
    ``detail`` is only logged (it may name files)."""

    def __init__(
        self,
        status: int,
        reason: str,
        headers: dict[str, str] | None = None,
        detail: str = "",
    ) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.headers = headers or {}
        self.detail = detail


@dataclass(frozen=True)
class _Reply:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


class _NewEvents:
    """Wakes the long polls when an event is stored (by this process)."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._latest = 0
        self._closed = False

    def publish(self, cursor: int) -> None:
        with self._condition:
            self._latest = max(self._latest, cursor)
            self._condition.notify_all()

    def wait_beyond(self, cursor: int, timeout: float) -> None:
        """Return once an event after ``cursor`` was published, on close, or after
        ``timeout`` seconds."""
        with self._condition:
            self._condition.wait_for(lambda: self._latest > cursor or self._closed, timeout)

    def close(self) -> None:
        with self._condition:
            self._closed = True
            self._condition.notify_all()


class CallbackReceiver:
    """Receives job event callbacks at :attr:`callback_url` into ``store``.

    ``port`` 0 picks a free port. ``token`` is the secret path part of the callback URL (a new
    one from :func:`new_token` when None). With ``serve_events``, ``GET /events`` serves the
    stored events to holders of ``events_token`` (a new one when None), for desktops that
    follow a shared receiver (:class:`~dispatch_desktop.events.follower.EventFollower`).

    Limits (keyword arguments, for tests and operators): ``request_deadline`` seconds for a
    whole request, ``max_connections`` open at once (lowered to fit the descriptor limit),
    ``max_long_polls`` waiting at once.

    Start it with :meth:`start` or ``with``; :meth:`stop` ends it. It runs once.
    """

    def __init__(
        self,
        store: ReceiverStore,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str | None = None,
        *,
        serve_events: bool = False,
        events_token: str | None = None,
        request_deadline: float = REQUEST_DEADLINE,
        max_connections: int = MAX_CONNECTIONS,
        max_long_polls: int = MAX_LONG_POLLS,
    ) -> None:
        self.store = store
        self.host = host
        self.serve_events = serve_events
        self.request_deadline = request_deadline
        self.max_connections = max_connections
        self.max_long_polls = max_long_polls if serve_events else 0
        self._long_polls = threading.BoundedSemaphore(max(self.max_long_polls, 1))
        self._requested_port = port
        self._token = check_token(token, "callback token") if token else new_token()
        self._events_token: str | None = None
        if serve_events:
            self._events_token = (
                check_token(events_token, "events token") if events_token else new_token()
            )
        self._listeners: list[EventListener] = []
        self._listeners_lock = threading.Lock()
        self._to_notify: queue.SimpleQueue[StoredEvent | None] = queue.SimpleQueue()
        self._notifier = threading.Thread(
            target=self._notify_loop, name="callback-listeners", daemon=True
        )
        self._new_events = _NewEvents()
        self._httpd: HardenedServer | None = None
        self._stopped = False

    # -- life cycle -------------------------------------------------------------------------

    def start(self) -> CallbackReceiver:
        """Bind and serve in daemon threads; returns ``self``. Raises ``OSError`` when the
        address cannot be bound."""
        from dispatch_desktop.events.server import (  # the follower imports this module
            HardenedServer,
            connection_cap,
            listening_socket,
        )

        if self._httpd is not None or self._stopped:
            raise RuntimeError("A callback receiver can be started once only.")
        sock = listening_socket(self.host, self._requested_port)
        try:
            self._httpd = HardenedServer(
                self._application,
                sock,
                threads=CALLBACK_THREADS + self.max_long_polls,
                max_connections=connection_cap(self.max_connections),
                request_deadline=self.request_deadline,
                max_body=MAX_BODY_BYTES,
                ident=_SERVER_NAME,
                mask=mask_token,
            )
        except BaseException:
            sock.close()
            raise
        self._notifier.start()
        self.store.watch(self._new_events.publish)  # other nodes' commits wake long polls
        self._httpd.serve_in_thread("callback-receiver")
        log.info(
            "Callback receiver listening on %s (at most %d connections)",
            mask_token(self.callback_url),
            self._httpd.max_connections,
        )
        return self

    def stop(self) -> None:
        """Stop serving: end the long polls, close every connection, and wait (at most
        :data:`STOP_GRACE_SECONDS`) for requests under way. Idempotent."""
        httpd = self._httpd
        if httpd is None or self._stopped:
            return
        self._stopped = True
        self._new_events.close()
        httpd.stop(STOP_GRACE_SECONDS)
        self._to_notify.put(None)
        self._notifier.join(STOP_GRACE_SECONDS)
        log.info("Callback receiver stopped")

    def __enter__(self) -> CallbackReceiver:
        return self if self._httpd is not None else self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addresses --------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The bound port (useful with ``port=0``); only after :meth:`start`."""
        if self._httpd is None:
            raise RuntimeError("The callback receiver is not started.")
        return self._httpd.port

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT`` as bound; only after :meth:`start`."""
        return f"http://{_url_host(self.host)}:{self.port}"

    @property
    def token(self) -> str:
        """The secret path part of the callback URL."""
        return self._token

    @property
    def callback_url(self) -> str:
        """The URL to enter in the system user's account settings (3): it holds the token."""
        return f"{self.base_url}{CALLBACK_PREFIX}{self._token}"

    @property
    def events_url(self) -> str | None:
        """The URL of the events feed; None unless ``serve_events``."""
        return f"{self.base_url}{EVENTS_PATH}" if self.serve_events else None

    @property
    def events_token(self) -> str | None:
        """The bearer token of the events feed; None unless ``serve_events``."""
        return self._events_token

    # -- listeners --------------------------------------------------------------------------

    def add_listener(self, listener: EventListener) -> None:
        """Call ``listener(event)`` after each newly stored event (not for a resent one).

        It runs in the receiver's listener thread, one event after the other, once the event is
        stored (its 200 is on its way and never waits for a listener); a GUI must hand the
        event over to its own thread (e.g. a queued Qt signal). An exception is logged."""
        with self._listeners_lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: EventListener) -> None:
        """Stop calling ``listener``; no error if it was not added."""
        with self._listeners_lock, suppress(ValueError):
            self._listeners.remove(listener)

    def _notify_loop(self) -> None:
        while (event := self._to_notify.get()) is not None:
            with self._listeners_lock:
                listeners = list(self._listeners)
            for listener in listeners:
                try:
                    listener(event)
                except Exception:
                    log.exception("An event listener failed on event %s", event.cursor)

    # -- request handling (called by the worker threads) ------------------------------------

    def _application(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        """The WSGI application. waitress has read the whole request (its deadline, size and
        framing are checked there); every answer here is complete and never raises."""
        method = environ["REQUEST_METHOD"]
        # The path as sent (PATH_INFO is percent-decoded and its slashes merged).
        target = environ.get("REQUEST_URI", "")
        request_line = f"{method} {target} {environ.get('SERVER_PROTOCOL', '')}"
        try:
            reply = self._route(method, target, environ)
        except _Rejection as rejection:
            reply = self._rejected(rejection, request_line, environ)
        except Exception:
            # A bug: here, not in waitress, whose log line would name the path (the token).
            log.exception("The callback receiver failed on %s", mask_token(request_line))
            reply = _Reply(500, b"The receiver failed; the event is not stored.\n", _TEXT)
        else:
            log.debug(
                "%s %s %s", environ.get("REMOTE_ADDR"), mask_token(request_line), reply.status
            )
        headers = [
            *reply.headers.items(),
            ("Content-Type", reply.content_type),
            ("Content-Length", str(len(reply.body))),
            ("Cache-Control", "no-store"),
        ]
        start_response(f"{reply.status} {HTTPStatus(reply.status).phrase}", headers)
        return [b"" if method == "HEAD" else reply.body]

    def _route(self, method: str, target: str, environ: dict[str, Any]) -> _Reply:
        path, _, query = target.partition("?")
        if self._is_callback_path(path):
            _require_method(method, "POST")
            return self._callback(environ)
        if self._is_events_path(path):
            _require_method(method, "GET")
            return self._serve_events(query, environ.get("HTTP_AUTHORIZATION"))
        if self.serve_events and path == HEALTH_PATH:
            _require_method(method, "GET")
            return self._health()
        raise _Rejection(404, "Not found.")

    def _health(self) -> _Reply:
        """200 when the store answers (a reverse proxy's health check: a node whose database
        is down gets no callbacks). No token: it tells nothing but up or down."""
        try:
            self.store.latest_cursor()
        except EventStoreError as exc:
            raise _Rejection(503, "The event store is not reachable.", detail=str(exc)) from exc
        return _Reply(200, b"OK\n", _TEXT)

    def _rejected(
        self, rejection: _Rejection, request_line: str, environ: dict[str, Any]
    ) -> _Reply:
        log.log(
            logging.ERROR if rejection.status >= 500 else logging.WARNING,
            "Rejected %s from %s: %d %s%s",
            mask_token(request_line),
            environ.get("REMOTE_ADDR"),
            rejection.status,
            rejection.reason,
            f" ({rejection.detail})" if rejection.detail else "",
        )
        body = (rejection.reason + "\n").encode("utf-8")
        return _Reply(rejection.status, body, _TEXT, rejection.headers)

    def _callback(self, environ: dict[str, Any]) -> _Reply:
        # waitress has checked the length (digits only, at most MAX_BODY_BYTES) and refused a
        # chunked body of HTTP/1.1; HTTP/1.0 knows no chunks, so it leaves the header here.
        if "HTTP_TRANSFER_ENCODING" in environ:
            raise _Rejection(411, "Send the body with a Content-Length, not chunked.")
        if "CONTENT_LENGTH" not in environ:
            raise _Rejection(411, "A Content-Length is required.")
        reply, stored = self._accept(environ["wsgi.input"].read())
        if stored is not None:
            self._to_notify.put(stored)
        return reply

    def _is_callback_path(self, path: str) -> bool:
        if not path.startswith(CALLBACK_PREFIX):
            return False
        candidate = path[len(CALLBACK_PREFIX) :].encode("latin-1")  # WSGI's str of bytes
        return hmac.compare_digest(candidate, self._token.encode("ascii"))

    def _is_events_path(self, path: str) -> bool:
        return self.serve_events and path == EVENTS_PATH

    def _accept(self, body: bytes) -> tuple[_Reply, StoredEvent | None]:
        """Store a callback body; the reply, and the event if it is newly stored."""
        try:
            event = parse_callback(body)
        except InvalidEvent as exc:
            raise _Rejection(400, str(exc)) from exc
        try:
            stored, is_new = self.store.add_event(event)
        except EventStoreError as exc:
            # Not acknowledged: whatever the sender does about it, we did not claim to have it.
            raise _Rejection(503, "The event could not be stored.", detail=str(exc)) from exc
        if not is_new:
            return _Reply(200, b"Already stored.\n", _TEXT), None
        self._new_events.publish(stored.cursor)
        return _Reply(200, b"Stored.\n", _TEXT), stored

    def _check_bearer(self, authorization: str | None) -> None:
        scheme, _, credential = (authorization or "").strip().partition(" ")
        expected = (self._events_token or "").encode("ascii")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            credential.strip().encode("latin-1"),
            expected,  # WSGI's str of bytes
        ):
            raise _Rejection(
                401,
                "A valid 'Authorization: Bearer <events token>' header is required.",
                {"WWW-Authenticate": 'Bearer realm="dispatch-events"'},
            )

    def _poll(self, after: int, wait: float, limit: int) -> tuple[list[StoredEvent], int]:
        """Events after ``after``, waiting up to ``wait`` seconds for one; and the cursor to
        ask from next time."""
        events = self.store.events_after(after, limit)
        if events:
            return events, events[-1].cursor
        latest = self.store.latest_cursor()
        if after > latest:
            # A cursor from another store (a reset, a moved receiver): without this, the
            # follower would wait for events it can never get.
            return [], latest
        if wait > 0:
            # Each waiting poll holds a worker thread; beyond the cap, callbacks would wait.
            if not self._long_polls.acquire(blocking=False):
                raise _Rejection(
                    503,
                    "Too many followers are waiting; poll again shortly.",
                    {"Retry-After": str(LONG_POLL_RETRY_SECONDS)},
                )
            try:
                self._new_events.wait_beyond(after, wait)
            finally:
                self._long_polls.release()
            events = self.store.events_after(after, limit)
        return events, events[-1].cursor if events else after

    def _serve_events(self, query: str, authorization: str | None) -> _Reply:
        self._check_bearer(authorization)
        after, wait, limit = _poll_parameters(query)
        try:
            events, cursor = self._poll(after, wait, limit)
        except EventStoreError as exc:
            raise _Rejection(503, "The events could not be read.", detail=str(exc)) from exc
        document = {"events": [event.to_wire() for event in events], "cursor": cursor}
        return _Reply(200, json.dumps(document, ensure_ascii=False).encode("utf-8"), _JSON)


def _require_method(method: str, allowed: str) -> None:
    if method != allowed:
        raise _Rejection(405, f"Use {allowed}.", {"Allow": allowed})


def _whole_parameter(text: str, name: str) -> int:
    # Digits only: int() would also take " 5", "+5" and "5_000". 18 digits: below 2**63, so
    # a cursor fits SQLite's INTEGER.
    if not _DIGITS.fullmatch(text) or len(text) > 18:
        raise _Rejection(400, f"{name} must be a whole number.")
    return int(text)


def _poll_parameters(query: str) -> tuple[int, float, int]:
    """``after``, ``wait`` (clamped to :data:`MAX_WAIT_SECONDS`) and ``limit`` (clamped to
    :data:`MAX_LIMIT`) of an events query; 400 when one is malformed."""
    values = dict(parse_qsl(query, keep_blank_values=True))
    after = _whole_parameter(values.get("after", "0"), "after")
    limit = _whole_parameter(values.get("limit", str(DEFAULT_LIMIT)), "limit")
    try:
        wait = float(values.get("wait", "0"))
    except ValueError:
        wait = math.nan
    if not 0 <= wait < math.inf:
        raise _Rejection(400, "wait must be a finite number of seconds, 0 or more.")
    if limit < 1:
        raise _Rejection(400, "limit must be at least 1.")
    return after, min(wait, MAX_WAIT_SECONDS), min(limit, MAX_LIMIT)
