"""One HTTP exchange under hard limits: the only way the project's clients reach a server.

A ``requests.Session`` handed in by a caller may carry retrying adapters, hooks, redirects,
proxies from the environment and a ``~/.netrc`` login. None of that may touch a call to
/startsavedjob, which is not idempotent (F3): one request on the wire, whatever happens. So
every exchange runs on a fresh, private session that

- mounts an adapter with retries off (no connect, read, status or redirect retry) and follows
  no redirect;
- reads nothing from the environment (no ``*_PROXY``, no ``REQUESTS_CA_BUNDLE``, no netrc): it
  takes only the TLS settings (``verify``, ``cert``) and the proxy choice of the caller's
  session, and the proxy rules of :mod:`dispatch_desktop.api.proxy` decide;
- enforces a wall-clock deadline on the whole exchange. ``requests`` timeouts are per read, so
  a server that drips one byte every few seconds would hold a call for ever: a watchdog shuts
  the call's sockets down when the deadline passes;
- reads at most ``max_bytes`` of the answer, so an endless or enormous body cannot exhaust
  memory.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.util.retry import Retry

from dispatch_desktop.api.proxy import choose_proxy

_CHUNK = 64 * 1024

NO_RETRIES = Retry(total=0, connect=0, read=0, redirect=0, status=0, other=0, raise_on_status=False)
"""urllib3 may not repeat anything, and a redirect is handed back, not followed."""


class DeadlineExpired(requests.exceptions.ReadTimeout):
    """The exchange's wall-clock deadline passed after the connection was made: the request
    may have been delivered."""


@dataclass(frozen=True)
class Answer:
    """An HTTP answer read whole (or up to the byte limit)."""

    status: int
    content_type: str
    body: bytes
    truncated: bool = False
    """The server sent more than the limit; ``body`` holds the first ``max_bytes``."""


@dataclass(frozen=True)
class TransportSettings:
    """What a caller's session may decide: TLS trust and proxies, nothing else."""

    verify: bool | str = True
    cert: str | tuple[str, str] | None = None
    proxies: Mapping[str, str] = field(default_factory=dict)
    use_system_proxy: bool = True

    @classmethod
    def from_session(cls, session: requests.Session | None) -> TransportSettings:
        """The TLS and proxy choices of ``session`` (defaults without one)."""
        if session is None:
            return cls()
        return cls(
            verify=session.verify,
            cert=session.cert,
            proxies=dict(session.proxies),
            use_system_proxy=session.trust_env,
        )


class _Watchdog:
    """Shuts down every socket of one exchange when its deadline passes."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.expired = threading.Event()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        _active.watchdog = self
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()
        _active.watchdog = None
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()

    def remaining(self) -> float:
        return max(self.deadline - time.monotonic(), 0.0)

    def watch(self, sock: socket.socket) -> None:
        # A duplicate descriptor: wrapping a socket in TLS detaches the original object, but
        # shutting down any descriptor of a connection ends the connection for all of them.
        duplicate = sock.dup()
        with self._lock:
            self._sockets.append(duplicate)
        if self.expired.is_set():
            _shut(duplicate)

    def _expire(self) -> None:
        self.expired.set()
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    # shutdown() wakes a thread blocked in recv() or send() on this socket; close() would not.
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


_active = threading.local()


class _WatchedMixin:
    """Hands each new socket to the exchange's watchdog (running on this thread)."""

    def _new_conn(self) -> socket.socket:
        sock: socket.socket = super()._new_conn()  # type: ignore[misc]
        watchdog: _Watchdog | None = getattr(_active, "watchdog", None)
        if watchdog is not None:
            watchdog.watch(sock)
        return sock


class _WatchedHTTPConnection(_WatchedMixin, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_WatchedMixin, HTTPSConnection):
    pass


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_WATCHED_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class _OneShotAdapter(HTTPAdapter):
    """No retries, and every connection (direct or to a proxy) watched by the deadline."""

    def __init__(self) -> None:
        super().__init__(max_retries=NO_RETRIES, pool_connections=1, pool_maxsize=1)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _WATCHED_POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = _WATCHED_POOLS
        return manager


def _private_session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no *_PROXY, REQUESTS_CA_BUNDLE or ~/.netrc (see above)
    adapter = _OneShotAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


@dataclass(frozen=True)
class Limits:
    """The bounds of one exchange, in seconds and bytes."""

    connect_timeout: float
    read_timeout: float
    deadline: float
    max_bytes: int


def exchange(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str],
    body: bytes | None,
    limits: Limits,
    settings: TransportSettings,
) -> Answer:
    """Send one request and read its answer within ``limits``.

    Raises ``requests`` exceptions: :class:`DeadlineExpired` when the deadline passed after
    the connection was made, ``requests.exceptions.ProxyError`` when the proxy could not be
    reached or refused the tunnel (nothing was delivered), and
    :class:`~dispatch_desktop.api.proxy.UnsupportedProxy` before anything is sent."""
    proxy = choose_proxy(url, configured=settings.proxies, use_system=settings.use_system_proxy)
    proxies = {"https": proxy} if proxy else {}
    session = _private_session()
    with _Watchdog(limits.deadline) as watchdog:
        try:
            response = session.request(
                method,
                url,
                headers=dict(headers),
                data=body,
                timeout=(limits.connect_timeout, min(limits.read_timeout, limits.deadline)),
                allow_redirects=False,
                stream=True,
                verify=settings.verify,
                cert=settings.cert,
                proxies=proxies,
            )
            with response:
                content, truncated = _read_body(response, limits.max_bytes, watchdog)
        except DeadlineExpired:
            raise
        except requests.RequestException as exc:
            if watchdog.expired.is_set() and not isinstance(
                exc, requests.ConnectTimeout | requests.exceptions.ProxyError
            ):
                raise DeadlineExpired(f"no complete answer within {limits.deadline:g} s") from exc
            raise
        finally:
            session.close()
    return Answer(
        status=response.status_code,
        content_type=response.headers.get("Content-Type", ""),
        body=content,
        truncated=truncated,
    )


def _read_body(
    response: requests.Response, max_bytes: int, watchdog: _Watchdog
) -> tuple[bytes, bool]:
    """Up to ``max_bytes`` of the (decoded) body, and whether the server sent more."""
    if _announced_size(response) > max_bytes:
        return b"", True  # announced too large: not worth reading a byte of it
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(_CHUNK):
        if watchdog.expired.is_set():
            raise DeadlineExpired("the deadline passed while the answer was read")
        room = max_bytes - size
        if len(chunk) > room:
            chunks.append(chunk[:room])
            return b"".join(chunks), True
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks), False


def _announced_size(response: requests.Response) -> int:
    """The body's size as its header announces it (0 when unknown or compressed)."""
    declared = response.headers.get("Content-Length", "")
    if "Content-Encoding" in response.headers or not (declared.isascii() and declared.isdigit()):
        return 0
    return int(declared[:20])
