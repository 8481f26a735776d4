"""Misbehaving peers on loopback, for fault-injection tests: a server whose answers drip, reset,
never end or echo the credentials, and a forward proxy that records what it is asked.

Both record what reached them, so a test can count the requests on the wire.
"""

from __future__ import annotations

import base64
import html
import json
import socket
import socketserver
import ssl
import struct
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from urllib.parse import quote, unquote_plus, urlsplit

HEAD_END = b"\r\n\r\n"


@dataclass
class Received:
    """One request as it reached the server."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


Fault = Callable[[socket.socket, Received, "FaultServer"], None]


def _read_request(sock: socket.socket) -> Received | None:
    data = b""
    while HEAD_END not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(HEAD_END)
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return Received(method, target, headers, body)


def response_head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} X"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


# -- faults ---------------------------------------------------------------------------------


def answer(
    status: int = 200,
    body: bytes | str = b"",
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
) -> Fault:
    """A well-formed answer."""
    data = body.encode("utf-8") if isinstance(body, str) else body

    def act(sock: socket.socket, request: Received, server: FaultServer) -> None:
        head = {
            "Content-Type": content_type,
            "Content-Length": str(len(data)),
            "Connection": "close",
            **(headers or {}),
        }
        server.answers.append(data)
        sock.sendall(response_head(status, head) + data)

    return act


def drip(interval: float = 0.2, after_head: bool = False) -> Fault:
    """One byte every ``interval`` seconds, for ever: of the status line, or of the body."""

    def act(sock: socket.socket, request: Received, server: FaultServer) -> None:
        if after_head:
            sock.sendall(
                response_head(
                    200, {"Content-Type": "application/json", "Content-Length": "1000000"}
                )
            )
            stream = b'{"result": "OK", "runtimeid": 383228819873509376' + b" " * 1_000_000
        else:
            stream = b"HTTP/1.1 200 OK\r\nX-Padding: " + b"x" * 1_000_000
        for byte in stream:
            if server.stopping.wait(interval):
                return
            sock.sendall(bytes([byte]))

    return act


def endless(declared: int | None = None) -> Fault:
    """A 200 whose body never ends (chunked), or one of ``declared`` bytes sent in full."""

    def act(sock: socket.socket, request: Received, server: FaultServer) -> None:
        block = b'{"savedJobs": [' + b" " * 65519
        if declared is not None:
            sock.sendall(
                response_head(
                    200, {"Content-Type": "application/json", "Content-Length": str(declared)}
                )
            )
            sent = 0
            while sent < declared and not server.stopping.is_set():
                part = block[: declared - sent]
                sock.sendall(part)
                sent += len(part)
            return
        sock.sendall(
            response_head(200, {"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
        )
        chunk = f"{len(block):x}\r\n".encode() + block + b"\r\n"
        while not server.stopping.is_set():
            sock.sendall(chunk)

    return act


def reset(read_first: bool = True) -> Fault:
    """Close with a TCP reset, after reading the request or before."""

    def act(sock: socket.socket, request: Received, server: FaultServer) -> None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    act.read_first = read_first  # type: ignore[attr-defined]
    return act


def hang() -> Fault:
    """Read the request and never answer."""

    def act(sock: socket.socket, request: Received, server: FaultServer) -> None:
        server.stopping.wait(600)

    return act


# -- echoing gateways -------------------------------------------------------------------------


def credentials_in(request: Received) -> str:
    """What identifies the sender in ``request``, as it came: a query, a body or headers."""
    query = urlsplit(request.target).query
    headers = "; ".join(
        f"{k}: {v}"
        for k, v in request.headers.items()
        if k in ("authorization", "x-api-key", "x-lekab-userid", "x-lekab-password")
    )
    return " | ".join(
        part for part in (query, request.body.decode("utf-8", "replace"), headers) if part
    )


def _decoded_secrets(request: Received) -> list[str]:
    """The plain secrets the request carried, whatever method it used (F6)."""
    found = []
    query = dict(
        pair.split("=", 1) for pair in urlsplit(request.target).query.split("&") if "=" in pair
    )
    found += [unquote_plus(query[k]) for k in ("P", "key") if k in query]
    if request.body:
        with suppress(ValueError):
            body = json.loads(request.body)
            found += [body[k] for k in ("password", "apikey") if body.get(k)]
    auth = request.header("authorization")
    if auth.startswith("Basic "):
        found.append(base64.b64decode(auth[6:]).decode().split(":", 1)[1])
    if request.header("x-lekab-password"):
        found.append(base64.b64decode(request.header("x-lekab-password")).decode())
    if request.header("x-api-key"):
        found.append(request.header("x-api-key"))
    return found


ECHO_FORMS: dict[str, Callable[[str], str]] = {
    "plain": lambda s: s,
    "url-encoded": lambda s: quote(s, safe=""),
    "json-escaped": lambda s: json.dumps(s)[1:-1],
    "json-ascii": lambda s: json.dumps(s, ensure_ascii=True)[1:-1],
    "base64": lambda s: base64.b64encode(s.encode()).decode(),
    "html-escaped": lambda s: html.escape(s),
}


def echo(status: int, form: str, *, as_json: bool = False, as_html: bool = False) -> Fault:
    """A gateway or server that quotes the secrets back in ``form``: in a plain error text,
    in the ``errormessage`` of a 200 (``as_json``), or in an HTML error page."""

    def act(sock: socket.socket, request: Received, server: FaultServer) -> None:
        echoed = " ".join(ECHO_FORMS[form](s) for s in _decoded_secrets(request))
        raw = credentials_in(request)
        if as_json:
            body = json.dumps(
                {
                    "result": "FAILED",
                    "jobname": echoed,
                    "errormessage": f"bad request {raw} {echoed}",
                }
            )
            content_type = "application/json"
        elif as_html:
            body = f"<html><body><h1>Error</h1><pre>{raw}</pre><p>{echoed}</p></body></html>"
            content_type = "text/html"
        else:
            body = f"Request was: {raw}; secret {echoed}"
            content_type = "text/plain"
        answer(status, body, content_type)(sock, request, server)

    return act


# -- the server -----------------------------------------------------------------------------


@dataclass
class FaultServer:
    """A loopback HTTP(S) server that answers every request with ``fault``."""

    fault: Fault
    tls: ssl.SSLContext | None = None
    requests: list[Received] = field(default_factory=list)
    answers: list[bytes] = field(default_factory=list)
    connections: int = 0
    stopping: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        server = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                server._serve(self.request)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._lock = threading.Lock()
        self._server = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    def _serve(self, sock: socket.socket) -> None:
        with self._lock:
            self.connections += 1
        sock.settimeout(30)
        if self.tls is None:
            self._answer(sock)
            return
        with suppress(OSError), self.tls.wrap_socket(sock, server_side=True) as wrapped:
            self._answer(wrapped)

    def _answer(self, sock: socket.socket) -> None:
        try:
            if not getattr(self.fault, "read_first", True):
                self.fault(sock, Received("", "", {}, b""), self)
                return
            request = _read_request(sock)
            if request is None:
                return
            with self._lock:
                self.requests.append(request)
            self.fault(sock, request, self)
        except OSError:
            pass

    def close(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> FaultServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


# -- a forward proxy --------------------------------------------------------------------------


class RecordingProxy:
    """A forward proxy on loopback. It records every request line and header it is sent;
    ``CONNECT`` is tunnelled to ``tunnel_to`` (whatever host was named), anything else is
    answered 502. ``refuse`` answers ``CONNECT`` with 403 instead."""

    def __init__(self, tunnel_to: tuple[str, int] | None = None, refuse: bool = False) -> None:
        self.tunnel_to = tunnel_to
        self.refuse = refuse
        self.received: list[Received] = []
        self.raw = bytearray()
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                proxy._serve(self.request)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def _serve(self, sock: socket.socket) -> None:
        sock.settimeout(30)
        request = _read_request(sock)
        if request is None:
            return
        self.received.append(request)
        self.raw += f"{request.method} {request.target}\r\n".encode()
        self.raw += "".join(f"{k}: {v}\r\n" for k, v in request.headers.items()).encode()
        self.raw += request.body
        if request.method != "CONNECT" or self.tunnel_to is None or self.refuse:
            sock.sendall(response_head(403 if self.refuse else 502, {"Content-Length": "0"}))
            return
        upstream = socket.create_connection(self.tunnel_to)
        sock.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        _pipe(sock, upstream)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def _pipe(a: socket.socket, b: socket.socket) -> None:
    def copy(src: socket.socket, dst: socket.socket) -> None:
        with suppress(OSError):
            while data := src.recv(65536):
                dst.sendall(data)
        with suppress(OSError):
            dst.shutdown(socket.SHUT_WR)

    other = threading.Thread(target=copy, args=(b, a), daemon=True)
    other.start()
    copy(a, b)
    other.join(30)
    a.close()
    b.close()


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.01)
    return condition()
