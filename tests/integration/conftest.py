"""Shared fixtures of the integration tests."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


class CallbackSink:
    """A tiny callback endpoint that keeps every JSON body it receives."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.content_types: list[str] = []
        self._condition = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                body = json.loads(self.rfile.read(length))
                with receiver._condition:
                    receiver.bodies.append(body)
                    receiver.content_types.append(self.headers["Content-Type"])
                    receiver._condition.notify_all()
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,))
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/callback"

    def wait_for(
        self, done: Callable[[list[dict[str, Any]]], bool], timeout: float = 5.0
    ) -> list[dict[str, Any]]:
        with self._condition:
            assert self._condition.wait_for(lambda: done(self.bodies), timeout), self.bodies
            return list(self.bodies)

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()


@pytest.fixture
def receiver() -> Iterator[CallbackSink]:
    receiver = CallbackSink()
    yield receiver
    receiver.close()
