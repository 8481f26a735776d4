"""Storage faults under a running receiver: the failing request gets 503 (the sender may
retry), nothing hangs, the next request succeeds once the cause is gone, stopping returns
within a bound, and every event acknowledged is stored (acknowledged == stored)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from event_http import post
from faults import FaultInjector, Ledger, ReadOnly, lock_held

from dispatch_desktop.events import CallbackReceiver, EventStore
from dispatch_desktop.events import receiver as receiver_module
from dispatch_desktop.events.config import SourceConfig, SourceMode
from dispatch_desktop.events.source import EventSource

BUSY_TIMEOUT = 0.3
"""The store's busy timeout in these tests: short, so that a held lock fails a write fast."""
ANSWER_BOUND = 5.0
"""Generous bound on any one answer (a slow CI machine), far below a hang."""


@pytest.fixture
def store(tmp_path: Path) -> EventStore:
    return EventStore(tmp_path / "events.sqlite3", busy_timeout=BUSY_TIMEOUT)


@pytest.fixture
def ledger(store: EventStore) -> Iterator[Ledger]:
    with CallbackReceiver(store, serve_events=True) as receiver:
        yield Ledger(receiver)


def send_together(ledger: Ledger, numbers: range) -> list[int]:
    """Send the events ``numbers`` at once, from a thread each; their statuses."""
    statuses: dict[int, int] = {}

    def send(number: int) -> None:
        statuses[number] = ledger.send(number, timeout=ANSWER_BOUND * 4)

    threads = [threading.Thread(target=send, args=(number,)) for number in numbers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [statuses[number] for number in numbers]


def test_a_lock_held_past_the_busy_timeout_is_503_then_writes_resume(
    ledger: Ledger, store: EventStore
) -> None:
    assert [ledger.send(number) for number in range(3)] == [200] * 3
    with lock_held(store.path):
        started = time.monotonic()
        assert ledger.send(10) == 503
        assert time.monotonic() - started < ANSWER_BOUND
        # Every request waiting meanwhile gets its own 503: none hangs behind the first.
        assert send_together(ledger, range(11, 31)) == [503] * 20
        # Reading goes on beside the held write lock (WAL).
        assert len(store.events_after(0)) == 3
    started = time.monotonic()
    assert ledger.send(10) == 200  # the sender's retry
    assert time.monotonic() - started < ANSWER_BOUND
    assert send_together(ledger, range(11, 31)) == [200] * 20
    ledger.assert_nothing_acknowledged_is_lost()
    assert len(ledger.acknowledged) == 24


def test_a_read_only_store_is_503_then_writes_resume(
    ledger: Ledger, store: EventStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_only = ReadOnly(store, tmp_path, monkeypatch)
    assert ledger.send(1) == 200
    with read_only:
        assert [ledger.send(number) for number in (2, 3)] == [503, 503]
        assert [e.cursor for e in store.events_after(0)] == [1]  # still readable
    assert [ledger.send(number) for number in (2, 3, 4)] == [200] * 3
    ledger.assert_nothing_acknowledged_is_lost()
    assert ledger.acknowledged == {1, 2, 3, 4}


@pytest.mark.parametrize(
    ("keyword", "error"),
    [
        ("COMMIT", sqlite3.OperationalError("database or disk is full")),
        ("INSERT", sqlite3.OperationalError("database or disk is full")),
        ("INSERT", sqlite3.OperationalError("disk I/O error")),
        ("BEGIN", sqlite3.DatabaseError("database disk image is malformed")),
    ],
    ids=["full-at-commit", "full-at-insert", "io-error", "damaged"],
)
def test_a_failing_disk_is_503_then_writes_resume(
    ledger: Ledger,
    store: EventStore,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    keyword: str,
    error: sqlite3.Error,
) -> None:
    disk = FaultInjector(store, monkeypatch)
    assert ledger.send(1) == 200
    disk.fail(keyword, error)
    answer = post(
        ledger.receiver.port, f"/callbacks/{ledger.receiver.token}", b'{"eventtype": "X"}'
    )
    assert answer.status == 503
    assert b"disk" not in answer.body  # the detail is for the log only
    assert str(error) in caplog.text
    assert send_together(ledger, range(2, 12)) == [503] * 10
    disk.heal()
    assert send_together(ledger, range(2, 12)) == [200] * 10
    assert disk.raised >= 2
    ledger.assert_nothing_acknowledged_is_lost()
    assert ledger.acknowledged == set(range(1, 12))


@pytest.fixture
def short_grace(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stopping waits 0.5 s (not 2 s) for requests under way: the tests stay fast."""
    monkeypatch.setattr(receiver_module, "STOP_GRACE_SECONDS", 0.5)


@pytest.mark.usefixtures("short_grace")
def test_stop_returns_while_a_write_waits_for_a_lock(tmp_path: Path) -> None:
    # A lock held for longer than the busy timeout: the write waits, the receiver must not.
    store = EventStore(tmp_path / "events.sqlite3", busy_timeout=60)
    receiver = CallbackReceiver(store).start()
    ledger = Ledger(receiver)
    with lock_held(store.path):
        sender = threading.Thread(target=lambda: ledger.send(1, timeout=30), daemon=True)
        sender.start()
        time.sleep(0.5)  # the write now waits for the lock
        stopping = threading.Thread(target=receiver.stop)
        started = time.monotonic()
        stopping.start()
        stopping.join(ANSWER_BOUND)
        assert not stopping.is_alive()
        closing = threading.Thread(target=store.close)  # interrupts the waiting write
        closing.start()
        closing.join(ANSWER_BOUND)
        assert not closing.is_alive()
        assert time.monotonic() - started < ANSWER_BOUND
        sender.join(ANSWER_BOUND)
        assert not sender.is_alive()
    assert ledger.acknowledged == set()
    assert store.events_after(0) == []


@pytest.mark.usefixtures("short_grace")
def test_the_app_stops_its_event_source_while_the_store_is_locked(tmp_path: Path) -> None:
    # What froze the desktop app: stopping the embedded receiver while a callback waits for
    # the store (here, past the default busy timeout of 10 s).
    config = SourceConfig(mode=SourceMode.EMBEDDED, port=0)
    source = EventSource(config, tmp_path, lambda events: None, lambda status: None, demo=True)
    source.start()
    assert source.receiver is not None
    assert source.store is not None
    ledger = Ledger(source.receiver)
    assert ledger.send(1) == 200
    with lock_held(source.store.path):
        sender = threading.Thread(target=lambda: ledger.send(2, timeout=30), daemon=True)
        sender.start()
        time.sleep(0.5)
        stopping = threading.Thread(target=source.stop)
        stopping.start()
        stopping.join(ANSWER_BOUND)
        assert not stopping.is_alive()
        sender.join(ANSWER_BOUND)
    assert ledger.acknowledged == {1}
    assert [e.cursor for e in EventStore(tmp_path / "demo-events.sqlite3").events_after(0)] == [1]
