"""A threaded stdlib HTTP server that can end every open connection at once, and gives each
client a total deadline for its request.

The demo Dispatch server runs on it (no Qt); it must stop promptly even while a client holds a
connection open or a handler waits, and a slow client must not hold a thread for ever (the
handler's socket timeout is per read: a client sending a byte now and then never reaches it).
The callback receiver runs on waitress instead (:mod:`dispatch_desktop.events.server`).
Also the wait for Ctrl+C or SIGTERM of both command-line servers.
"""

from __future__ import annotations

import logging
import signal
import socket
import socketserver
import threading
import time
from contextlib import suppress
from http.server import ThreadingHTTPServer
from typing import Any

log = logging.getLogger(__name__)

REQUEST_DEADLINE = 30.0
"""Seconds a client has, from its connection, to deliver its whole request (line, headers and
body): then its connection is shut down, and its thread freed."""
_WATCH_SECONDS = 0.25


class _Terminate(Exception):
    """Raised in the main thread by the SIGTERM handler."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Terminate


def wait_for_stop_request() -> None:
    """Block the main thread until Ctrl+C or SIGTERM (a command-line server's life)."""
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        while True:
            time.sleep(3600)
    except (KeyboardInterrupt, _Terminate):
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)


class TrackedHTTPServer(ThreadingHTTPServer):
    """Keeps track of open connections, so that :meth:`close_connections` can end them, and
    shuts down a connection whose request has not arrived whole :attr:`request_deadline`
    seconds after it was accepted. Handlers call :meth:`request_read` once they have read
    the whole request (HTTP/1.0: one request per connection)."""

    daemon_threads = True
    # socketserver's default backlog of 5 drops connections of a burst; a dropped SYN costs the
    # client a one-second retry.
    request_queue_size = 128
    request_deadline = REQUEST_DEADLINE

    def __init__(self, address: tuple[str, int], handler: type[Any]) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self._connections: set[socket.socket] = set()
        self._deadlines: dict[socket.socket, float] = {}
        self._connections_lock = threading.Lock()
        self._serving = threading.Thread()
        self._watching = threading.Thread()
        self._stop_watching = threading.Event()
        super().__init__(address, handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's FQDN, which can stall on a bad resolver.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
            self._deadlines[request] = time.monotonic() + self.request_deadline
        super().process_request(request, client_address)

    def request_read(self, connection: socket.socket) -> None:
        """The request on ``connection`` has arrived whole: its deadline no longer applies
        (a handler thread)."""
        with self._connections_lock:
            self._deadlines.pop(connection, None)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
            self._deadlines.pop(request, None)
        super().shutdown_request(request)

    def serve_in_thread(self, name: str) -> None:
        """Serve in a daemon thread until :meth:`stop`, and watch the deadlines in another."""
        self._serving = threading.Thread(
            target=self.serve_forever,
            kwargs={"poll_interval": 0.02},  # stop() waits up to one poll interval
            name=name,
            daemon=True,
        )
        self._watching = threading.Thread(
            target=self._watch_deadlines, name=f"{name}-deadlines", daemon=True
        )
        self._serving.start()
        self._watching.start()

    def _watch_deadlines(self) -> None:
        while not self._stop_watching.wait(_WATCH_SECONDS):
            now = time.monotonic()
            with self._connections_lock:
                late = [conn for conn, deadline in self._deadlines.items() if deadline <= now]
                for connection in late:
                    del self._deadlines[connection]
            for connection in late:
                log.info(
                    "Closed a connection whose request did not arrive whole within %g s",
                    self.request_deadline,
                )
                with suppress(OSError):  # its handler sees the end of the stream
                    connection.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        """Stop serving, end every open connection, close the socket, join the threads."""
        self._stop_watching.set()
        self.shutdown()
        self.close_connections()
        self.server_close()  # joins the request threads, which are all ending now
        self._serving.join()
        if self._watching.is_alive():
            self._watching.join()

    def close_connections(self) -> None:
        """Shut down every open connection, so that no request thread blocks on it."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
