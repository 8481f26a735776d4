"""A threaded stdlib HTTP server that can end every open connection at once.

Shared by the demo Dispatch server and the callback receiver (no Qt): both must stop promptly
even while a client holds a connection open or a handler waits.
"""

from __future__ import annotations

import signal
import socket
import socketserver
import threading
import time
from contextlib import suppress
from http.server import ThreadingHTTPServer
from typing import Any


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
    """Keeps track of open connections, so that :meth:`close_connections` can end them."""

    daemon_threads = True
    # socketserver's default backlog of 5 drops connections of a burst; a dropped SYN costs the
    # client a one-second retry.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], handler: type[Any]) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self._serving = threading.Thread()
        super().__init__(address, handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's FQDN, which can stall on a bad resolver.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def serve_in_thread(self, name: str) -> None:
        """Serve in a daemon thread until :meth:`stop`."""
        self._serving = threading.Thread(
            target=self.serve_forever,
            kwargs={"poll_interval": 0.02},  # stop() waits up to one poll interval
            name=name,
            daemon=True,
        )
        self._serving.start()

    def stop(self) -> None:
        """Stop serving, end every open connection, close the socket, join the threads."""
        self.shutdown()
        self.close_connections()
        self.server_close()  # joins the request threads, which are all ending now
        self._serving.join()

    def close_connections(self) -> None:
        """Shut down every open connection, so that no request thread blocks on it."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
