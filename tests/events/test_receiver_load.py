"""Slow and many clients: the total request deadline, the connection cap, a descriptor limit,
and long polls that must not take the workers callbacks need."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from crowd import Drippers, Outcome, callback_request, exchange, exchange_all
from event_http import REFERENCE_SENDTASK_ID, event_body, post, request
from faults import descriptors_for

from dispatch_desktop.events import CallbackReceiver, EventFollower, EventStore, StoredEvent
from dispatch_desktop.events.receiver import MAX_CONNECTIONS, MAX_LONG_POLLS

REPO_ROOT = Path(__file__).resolve().parents[2]


def stored_numbers(store: EventStore) -> set[int]:
    events = store.events_after(0, limit=10_000)
    return {e.sendtaskid - REFERENCE_SENDTASK_ID for e in events if e.sendtaskid is not None}


def test_a_client_that_drips_its_request_is_dropped_at_the_deadline(store: EventStore) -> None:
    with CallbackReceiver(store, request_deadline=1.0) as receiver:
        path = f"/callbacks/{receiver.token}"
        with socket.create_connection(("127.0.0.1", receiver.port), timeout=5) as slow:
            slow.sendall(
                f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 300\r\n\r\n{{".encode()
            )
            started = time.monotonic()
            dropped_after = None
            while time.monotonic() - started < 8:
                time.sleep(0.2)
                try:
                    slow.sendall(b" ")  # a byte at a time: never silent for long
                except OSError:
                    dropped_after = time.monotonic() - started
                    break
                slow.setblocking(False)
                try:
                    if slow.recv(1024) == b"":
                        dropped_after = time.monotonic() - started
                        break
                except BlockingIOError:
                    pass
                except OSError:
                    dropped_after = time.monotonic() - started
                    break
                finally:
                    slow.setblocking(True)
        assert dropped_after is not None, "the slow client was never dropped"
        assert 0.8 <= dropped_after < 4.0
        assert post(receiver.port, path, event_body(1)).status == 200


@pytest.mark.parametrize("cap", [MAX_CONNECTIONS, 100], ids=["default-cap", "cap-below-them"])
def test_300_slow_clients_do_not_keep_callbacks_out(tmp_path: Path, cap: int) -> None:
    # With a cap below their number, the slow ones also fill it and queue in the backlog:
    # the longest waiting are closed to make room, a batch at a time.
    drippers, callbacks = 300, 50
    descriptors_for(4 * (drippers + callbacks) + 256)
    store = EventStore(tmp_path / "events.sqlite3")
    with CallbackReceiver(store, request_deadline=3.0, max_connections=cap) as receiver:
        path = f"/callbacks/{receiver.token}"

        async def scenario() -> tuple[list[Outcome], Drippers]:
            slow = Drippers(receiver.port, path, drippers, interval=0.3)
            dripping = asyncio.create_task(slow.run())
            await asyncio.sleep(1.0)  # the cap is full of them, and more wait in the backlog
            outcomes = await asyncio.gather(
                *(
                    exchange(receiver.port, callback_request(path, event_body(n)), timeout=30)
                    for n in range(callbacks)
                )
            )
            slow.stop.set()
            await dripping
            return outcomes, slow

        outcomes, slow = asyncio.run(scenario())
        assert [outcome.status for outcome in outcomes] == [200] * callbacks
        # Measured here: at once with the default cap, 3.4 s with the cap at 100 (the slow
        # ones ahead in the backlog must first wait out the eviction grace).
        assert max(outcome.seconds for outcome in outcomes) < 12
        assert stored_numbers(store) == set(range(callbacks))
        assert slow.connected >= drippers
        if cap < drippers:
            assert slow.dropped > 0  # some were closed to make room
        (after,) = exchange_all(receiver.port, [callback_request(path, event_body(99))], 10)
        assert after.status == 200


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads CPU time from /proc")
def test_a_low_descriptor_limit_neither_stops_nor_spins_the_receiver(tmp_path: Path) -> None:
    # The headless receiver with 128 descriptors, and 300 connections that say nothing: it
    # must stay below its limit (accept() would fail, in a loop), and keep taking callbacks.
    idle_count = 300
    descriptors_for(idle_count + 256)
    script = (
        "import resource, runpy, sys\n"
        "hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (128, hard))\n"
        "sys.argv = ['dispatch-desktop-receiver', '--data', sys.argv[1]]\n"
        "runpy.run_module('dispatch_desktop.events', run_name='__main__')\n"
    )
    log = (tmp_path / "receiver.log").open("wb")
    child = subprocess.Popen(  # noqa: S603 (our interpreter, our arguments)
        [sys.executable, "-c", script, str(tmp_path / "data")],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        cwd=REPO_ROOT,
    )
    idle: list[socket.socket] = []
    try:
        assert child.stdout is not None
        first = child.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)(/callbacks/\S+)", first)
        assert match, first
        port, path = int(match[1]), match[2]
        for _ in range(idle_count):
            idle.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        time.sleep(0.5)
        before = _cpu_seconds(child.pid)
        time.sleep(1.5)
        assert _cpu_seconds(child.pid) - before < 0.75  # a spinning loop burns the 1.5 s whole
        outcomes = exchange_all(
            port, [callback_request(path, event_body(n)) for n in range(20)], timeout=30
        )
        assert [outcome.status for outcome in outcomes] == [200] * 20
        assert child.poll() is None
    finally:
        for connection in idle:
            connection.close()
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=10) == 0
        assert child.stdout is not None
        child.stdout.close()
        log.close()
    assert "Traceback" not in (tmp_path / "receiver.log").read_text()


def test_waiting_followers_do_not_delay_callbacks(store: EventStore) -> None:
    followers = MAX_LONG_POLLS + 8
    with CallbackReceiver(store, serve_events=True) as receiver:
        path = f"/callbacks/{receiver.token}"
        assert post(receiver.port, path, event_body(0)).status == 200
        results: list[object] = []
        lock = threading.Lock()

        def follow() -> None:
            with EventFollower(receiver.base_url, str(receiver.events_token)) as follower:
                try:
                    outcome: object = follower.poll(1, wait=20)
                except Exception as exc:  # a 503 beyond the cap
                    outcome = exc
            with lock:
                results.append(outcome)

        threads = [threading.Thread(target=follow) for _ in range(followers)]
        for thread in threads:
            thread.start()
        # The first MAX_LONG_POLLS wait; the others are refused at once (so all have come).
        deadline = time.monotonic() + 15
        while len(results) < followers - MAX_LONG_POLLS and time.monotonic() < deadline:
            time.sleep(0.05)
        refused = sum(1 for outcome in results if isinstance(outcome, Exception))
        assert refused == followers - MAX_LONG_POLLS
        headers = {"Authorization": f"Bearer {receiver.events_token}"}
        extra = request(receiver.port, "GET", "/events?after=1&wait=5", headers=headers)
        assert (extra.status, extra.headers["retry-after"]) == (503, "5")
        # Every worker a long poll may take is taken; callbacks have theirs.
        outcomes = exchange_all(
            receiver.port,
            [callback_request(path, event_body(n)) for n in range(1, 41)],
            timeout=10,
        )
        assert [outcome.status for outcome in outcomes] == [200] * 40
        assert max(outcome.seconds for outcome in outcomes) < 5  # not a 20 s long poll
        for thread in threads:
            thread.join(10)
        waited = [outcome for outcome in results if not isinstance(outcome, Exception)]
        assert len(waited) == MAX_LONG_POLLS
        for events, cursor in waited:  # type: ignore[misc]
            assert cursor > 1
            assert all(isinstance(event, StoredEvent) for event in events)
