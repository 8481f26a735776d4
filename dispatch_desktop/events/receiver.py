"""The callback receiver: an HTTP endpoint for the Dispatch server's job event callbacks (3.1),
which stores every event before acknowledging it, and optionally serves the stored events to
desktop clients (``GET /events``, a long poll).

Standard library only, no Qt: the desktop app embeds it, and the headless command
(``python -m dispatch_desktop.events``) runs it on a company server, because the callback URL
is one per system user, shared by every desktop (F12).

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
import re
import secrets
import socket
import sys
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl

from dispatch_desktop.events.model import InvalidEvent, StoredEvent, parse_callback
from dispatch_desktop.events.store import EventStore, EventStoreError
from dispatch_desktop.httpserver import TrackedHTTPServer

log = logging.getLogger(__name__)

CALLBACK_PREFIX = "/callbacks/"
EVENTS_PATH = "/events"
MAX_BODY_BYTES = 64 * 1024
"""Largest callback body accepted; the reference's bodies are about 300 bytes."""
CONNECTION_TIMEOUT = 10.0
"""Seconds a connection may stay silent while a request is read, so a slow or half-open
client holds only its own thread, and not for long."""
MAX_WAIT_SECONDS = 30.0
"""Longest long poll; below the idle timeouts of common proxies (60 s)."""
DEFAULT_LIMIT = 100
MAX_LIMIT = 500

EventListener = Callable[[StoredEvent], None]
"""Called with each newly stored event, from a server thread."""

_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,256}")
_DIGITS = re.compile(r"[0-9]+")
_CALLBACK_IN_TEXT = re.compile(re.escape(CALLBACK_PREFIX) + r"[^\s?\"']*")
_JSON = "application/json; charset=utf-8"
_TEXT = "text/plain; charset=utf-8"
# After a rejection, what the client still sends is read and dropped (up to these bounds):
# closing a socket with unread data makes the kernel send a reset, which can destroy the
# answer before the client reads it.
_DRAIN_BYTES = 1024 * 1024
_DRAIN_SECONDS = 2.0


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

    Start it with :meth:`start` or ``with``; :meth:`stop` ends it. It runs once.
    """

    def __init__(
        self,
        store: EventStore,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str | None = None,
        *,
        serve_events: bool = False,
        events_token: str | None = None,
    ) -> None:
        self.store = store
        self.host = host
        self.serve_events = serve_events
        self._requested_port = port
        self._token = check_token(token, "callback token") if token else new_token()
        self._events_token: str | None = None
        if serve_events:
            self._events_token = (
                check_token(events_token, "events token") if events_token else new_token()
            )
        self._listeners: list[EventListener] = []
        self._listeners_lock = threading.Lock()
        self._new_events = _NewEvents()
        self._httpd: _HttpServer | None = None
        self._stopped = False

    # -- life cycle -------------------------------------------------------------------------

    def start(self) -> CallbackReceiver:
        """Bind and serve in a daemon thread; returns ``self``. Raises ``OSError`` when the
        address cannot be bound."""
        if self._httpd is not None or self._stopped:
            raise RuntimeError("A callback receiver can be started once only.")
        self._httpd = _HttpServer((self.host, self._requested_port), self)
        self._httpd.serve_in_thread("callback-receiver")
        log.info("Callback receiver listening on %s", mask_token(self.callback_url))
        return self

    def stop(self) -> None:
        """Stop serving: end the long polls, close every connection. Idempotent."""
        httpd = self._httpd
        if httpd is None or self._stopped:
            return
        self._stopped = True
        self._new_events.close()
        httpd.stop()
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
        return self._httpd.server_address[1]

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

        It runs in a server thread, after the Dispatch server has its 200; a GUI must hand the
        event over to its own thread (e.g. a queued Qt signal). An exception is logged."""
        with self._listeners_lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: EventListener) -> None:
        """Stop calling ``listener``; no error if it was not added."""
        with self._listeners_lock, suppress(ValueError):
            self._listeners.remove(listener)

    def _notify(self, event: StoredEvent) -> None:
        with self._listeners_lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:
                log.exception("An event listener failed on event %s", event.cursor)

    # -- request handling (called by the handler threads) -----------------------------------

    def _is_callback_path(self, path: str) -> bool:
        if not path.startswith(CALLBACK_PREFIX):
            return False
        candidate = path[len(CALLBACK_PREFIX) :].encode("utf-8")
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
            credential.strip().encode("utf-8"), expected
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
            self._new_events.wait_beyond(after, wait)
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


class _HttpServer(TrackedHTTPServer):
    """A thread per connection; keeps track of open connections so that stop() can end
    them all at once."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], receiver: CallbackReceiver) -> None:
        self.receiver = receiver
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that went away mid-request is normal; anything else is a bug worth a trace,
        # but never ends the server.
        error = sys.exc_info()[1]
        if isinstance(error, OSError):
            log.info("Connection from %s ended abnormally: %r", client_address[0], error)
        else:
            log.exception("The callback receiver failed on a request from %s", client_address[0])


class _Handler(BaseHTTPRequestHandler):
    server: _HttpServer
    server_version = "DispatchCallbackReceiver/1.0"
    # HTTP/1.0: one request per connection, so an idle kept-alive connection holds no thread.
    protocol_version = "HTTP/1.0"
    timeout = CONNECTION_TIMEOUT

    def do_POST(self) -> None:
        self._route()

    def do_GET(self) -> None:
        self._route()

    def do_PUT(self) -> None:
        self._route()

    def do_PATCH(self) -> None:
        self._route()

    def do_DELETE(self) -> None:
        self._route()

    def do_HEAD(self) -> None:
        self._route()

    def do_OPTIONS(self) -> None:
        self._route()

    def version_string(self) -> str:
        """The Server header: no Python version."""
        return self.server_version

    def _route(self) -> None:
        receiver = self.server.receiver
        path, _, query = self.path.partition("?")
        try:
            if receiver._is_callback_path(path):
                self._callback()
            elif receiver._is_events_path(path):
                self._require_method("GET")
                self._send(receiver._serve_events(query, self.headers.get("Authorization")))
            else:
                raise _Rejection(404, "Not found.")
        except _Rejection as rejection:
            self._reject(rejection)
        except TimeoutError:
            log.warning(
                "Rejected %s from %s: the body did not arrive within %s s",
                mask_token(self.requestline),
                self.client_address[0],
                CONNECTION_TIMEOUT,
            )
            self.close_connection = True

    def _require_method(self, method: str) -> None:
        if self.command != method:
            raise _Rejection(405, f"Use {method}.", {"Allow": method})

    def _callback(self) -> None:
        self._require_method("POST")
        length = self._content_length()
        body = self.rfile.read(length)
        if len(body) < length:
            log.warning(
                "Rejected a callback from %s: the connection closed after %d of %d bytes",
                self.client_address[0],
                len(body),
                length,
            )
            self.close_connection = True
            return
        reply, stored = self.server.receiver._accept(body)
        self._send(reply)
        if stored is not None:
            # After the reply: the Dispatch server's 200 must not wait for a GUI.
            self.server.receiver._notify(stored)

    def _content_length(self) -> int:
        """The announced body length, checked before anything is read."""
        if "Transfer-Encoding" in self.headers:
            # A chunked body has no length to check in advance; the Dispatch server sends one.
            raise _Rejection(411, "Send the body with a Content-Length, not chunked.")
        values = self.headers.get_all("Content-Length") or []
        if not values:
            raise _Rejection(411, "A Content-Length is required.")
        value = values[0].strip()
        if len(set(values)) > 1 or not _DIGITS.fullmatch(value):
            raise _Rejection(400, "The Content-Length is not one number.")
        # The length test first: int() refuses more than 4300 digits.
        if len(value) > 18 or int(value) > MAX_BODY_BYTES:
            raise _Rejection(413, f"The body is larger than {MAX_BODY_BYTES} bytes.")
        return int(value)

    def _send(self, reply: _Reply, headers: dict[str, str] | None = None) -> None:
        self.send_response(reply.status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    def _reject(self, rejection: _Rejection) -> None:
        log.log(
            logging.ERROR if rejection.status >= 500 else logging.WARNING,
            "Rejected %s from %s: %d %s%s",
            mask_token(self.requestline),
            self.client_address[0],
            rejection.status,
            rejection.reason,
            f" ({rejection.detail})" if rejection.detail else "",
        )
        self.close_connection = True
        body = (rejection.reason + "\n").encode("utf-8")
        with suppress(OSError):
            self._send(_Reply(rejection.status, body, _TEXT), rejection.headers)
        self._drain()

    def _drain(self) -> None:
        """Send our FIN, then read and drop what the client still sends (bounded), so that
        the kernel does not answer unread data with a reset that destroys our reply."""
        deadline = time.monotonic() + _DRAIN_SECONDS
        received = 0
        with suppress(OSError):
            self.connection.shutdown(socket.SHUT_WR)
            while received < _DRAIN_BYTES and (remaining := deadline - time.monotonic()) > 0:
                self.connection.settimeout(remaining)
                chunk = self.connection.recv(65536)
                if not chunk:
                    break
                received += len(chunk)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # Rejections are logged once, with their reason, by _reject; this is the access log.
        log.debug("%s %s %s", self.client_address[0], mask_token(self.requestline), code)

    def log_message(self, format: str, *args: Any) -> None:
        # What http.server itself refuses (a malformed request line or header, a timeout).
        log.warning(
            "Rejected a request from %s: %s", self.client_address[0], mask_token(format % args)
        )
