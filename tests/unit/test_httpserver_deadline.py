"""The demo server's total request deadline (dispatch_desktop.httpserver): a client that sends
its request a byte at a time is cut off, and no longer holds a server thread for ever; a
request that arrived whole is not, however long its answer takes."""

from __future__ import annotations

import http.client
import socket
import threading
import time

import pytest

from dispatch_desktop import httpserver
from dispatch_desktop.demo.server import LIST_PATH, DemoServer

DEADLINE = 0.5


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(httpserver.TrackedHTTPServer, "request_deadline", DEADLINE)
    with DemoServer() as server:
        yield server


def seconds_until_dropped(port: int, limit: float = 8.0) -> float | None:
    """Send the start of a request, then a header byte every 0.2 s: the seconds until the
    server ends the connection (None: it never did within ``limit``)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as slow:
        slow.sendall(f"GET {LIST_PATH} HTTP/1.1\r\nHost: x\r\nX-Slow: ".encode())
        started = time.monotonic()
        slow.settimeout(0.2)
        while time.monotonic() - started < limit:
            try:
                if slow.recv(1024) == b"":
                    return time.monotonic() - started
            except TimeoutError:
                pass
            except OSError:
                return time.monotonic() - started
            try:
                slow.sendall(b"a")
            except OSError:
                return time.monotonic() - started
    return None


def test_a_dripping_client_is_cut_off_at_the_deadline(demo: DemoServer) -> None:
    dropped_after = seconds_until_dropped(demo.port)
    assert dropped_after is not None, "the slow client kept its thread"
    assert DEADLINE * 0.8 <= dropped_after < DEADLINE + 3  # generous: a slow CI machine
    connection = http.client.HTTPConnection("127.0.0.1", demo.port, timeout=5)
    try:
        connection.request("GET", LIST_PATH)
        assert connection.getresponse().status in (200, 401)  # still serving
    finally:
        connection.close()


def test_a_request_that_arrived_whole_may_take_its_time(demo: DemoServer) -> None:
    demo.list_fault = "hang"  # answers only when the server stops
    outcome: list[object] = []

    def ask() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", demo.port, timeout=10)
        try:
            connection.request("GET", LIST_PATH)
            outcome.append(connection.getresponse().status)
        except (OSError, http.client.HTTPException) as exc:
            outcome.append(exc)
        finally:
            connection.close()

    asking = threading.Thread(target=ask)
    asking.start()
    time.sleep(DEADLINE * 2.5)
    assert outcome == []  # still waiting for its answer: the deadline did not cut it
    demo.stop()
    asking.join(10)
    assert len(outcome) == 1
