"""The event store: durable, exact ids (F1), a resent body stored once, safe across threads
and reopening."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from event_http import JOB_ASSIGN, JOB_FINISH, JOB_START, REFERENCE_JOB_ID, event_body

from dispatch_desktop.events import EventStore, EventStoreError, parse_callback


def test_add_returns_increasing_cursors_and_reads_back_exactly(store: EventStore) -> None:
    assert store.latest_cursor() == 0
    cursors = [store.add(parse_callback(body)) for body in (JOB_START, JOB_ASSIGN, JOB_FINISH)]
    assert cursors == [(1, True), (2, True), (3, True)]
    assert store.latest_cursor() == 3
    events = store.events_after(0)
    assert [e.eventtype for e in events] == ["JOB_START", "JOB_ASSIGN", "JOB_FINISH"]
    assert all(e.jobid == REFERENCE_JOB_ID for e in events)
    assert events[1].raw == JOB_ASSIGN.decode()
    now = datetime.now(UTC)
    assert all(now - timedelta(minutes=1) < e.received_at <= now for e in events)
    assert store.event(2) == events[1]
    assert store.event(4) is None


def test_a_resent_body_is_stored_once(store: EventStore) -> None:
    assert store.add(parse_callback(JOB_START)) == (1, True)
    compact = JOB_START.replace(b"\n", b"").replace(b" : ", b":")
    assert store.add(parse_callback(compact)) == (1, False)
    assert store.add(parse_callback(JOB_START)) == (1, False)
    assert len(store.events_after(0)) == 1


def test_events_after_pages_and_events_for_job_filters(store: EventStore) -> None:
    for number in range(5):
        store.add(parse_callback(event_body(number)))
    store.add(parse_callback(event_body(9, jobid="42")))
    assert [e.cursor for e in store.events_after(2, limit=2)] == [3, 4]
    assert store.events_after(6) == []
    assert [e.cursor for e in store.events_for_job(42)] == [6]
    assert len(store.events_for_job(REFERENCE_JOB_ID)) == 5
    with pytest.raises(ValueError, match="negative"):
        store.events_after(0, limit=-1)


def test_events_survive_reopening_and_the_file_is_wal_with_full_sync(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "events.sqlite3"
    EventStore(path).add(parse_callback(JOB_ASSIGN))
    reopened = EventStore(path)
    (event,) = reopened.events_after(0)
    assert event.sendtaskid == 777903613518303232
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        # Ids are stored as integers, never as text or real (F1).
        assert connection.execute("SELECT typeof(jobid) FROM events").fetchone()[0] == "integer"
    finally:
        connection.close()


def test_concurrent_adds_store_each_body_once(store: EventStore) -> None:
    bodies = [event_body(number % 10) for number in range(40)]
    results: list[tuple[int, bool]] = []
    lock = threading.Lock()

    def add(body: bytes) -> None:
        result = store.add(parse_callback(body))
        with lock:
            results.append(result)

    threads = [threading.Thread(target=add, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(is_new for _, is_new in results) == 10
    assert len({cursor for cursor, _ in results}) == 10
    assert store.latest_cursor() == 10


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite3"
    EventStore(path)
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA user_version = 99")
    finally:
        connection.close()
    with pytest.raises(EventStoreError, match="newer version"):
        EventStore(path)
