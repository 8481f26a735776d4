"""Rows already in a store that are not events (stored before the receiver refused them, or
written by hand): everything that reads them back skips them, logs them, and goes on."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest
from event_http import REFERENCE_JOB_ID, event_body, request

from dispatch_desktop.events import CallbackReceiver, EventStore, parse_callback
from dispatch_desktop.monitor import rebuild

OTHER_JOB_ID = 352872112744058883
YEAR_10000_MS = 253_402_300_800_000


def insert_row(path: Path, **columns: object) -> None:
    """Write one row straight into the store file, as an older version or an admin could."""
    values = {
        "received_at": "2024-11-04T12:00:00.000+00:00",
        "fingerprint": f"hand-{columns}",
        "jobid": REFERENCE_JOB_ID,
        "eventtype": "JOB_ASSIGN",
        "timestamp_ms": 1644928296110,
        "raw": "{}",
        **columns,
    }
    names = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    connection = sqlite3.connect(path)
    try:
        with connection:
            statement = f"INSERT INTO events ({names}) VALUES ({marks})"  # noqa: S608 (ours)
            connection.execute(statement, tuple(values.values()))
    finally:
        connection.close()


def job_of_row(path: Path, cursor: int) -> object:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(
            "SELECT jobid FROM events WHERE cursor = ?", (cursor,)
        ).fetchone()[0]
    finally:
        connection.close()


BAD_ROWS = [
    pytest.param({"timestamp_ms": YEAR_10000_MS, "jobid": 99}, id="year-10000"),
    pytest.param({"timestamp_ms": 2**63 - 1, "jobid": 98}, id="largest-integer"),
    pytest.param({"received_at": "yesterday"}, id="arrival-not-a-time"),
    pytest.param({"received_at": "2024-11-04T12:00:00"}, id="arrival-without-offset"),
    pytest.param({"sendname": b"\xff\xfe"}, id="blob-not-utf8"),
    pytest.param({"eventtype": b"JOB_\xff"}, id="eventtype-not-utf8"),
]


@pytest.fixture
def store_with_a_bad_row(tmp_path: Path, request: pytest.FixtureRequest) -> EventStore:
    store = EventStore(tmp_path / "events.sqlite3")
    store.add(parse_callback(event_body(1, "JOB_START", jobtype="GroundHandling")))
    insert_row(store.path, **request.param)
    store.add(parse_callback(event_body(2, "JOB_ASSIGN")))
    store.add(parse_callback(event_body(3, "JOB_START", jobid=str(OTHER_JOB_ID))))
    return store


@pytest.mark.parametrize("store_with_a_bad_row", BAD_ROWS, indirect=True)
def test_the_monitor_still_shows_the_other_jobs(
    store_with_a_bad_row: EventStore, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    monitor = rebuild(store_with_a_bad_row, None)
    assert {view.jobid for view in monitor.jobs()} == {REFERENCE_JOB_ID, OTHER_JOB_ID}
    job = monitor.job(REFERENCE_JOB_ID)
    assert job is not None
    assert (job.assigned, job.job_type) == (1, "GroundHandling")
    if job_of_row(store_with_a_bad_row.path, 2) == REFERENCE_JOB_ID:
        assert "Skipped" in caplog.text  # and said so, once
    # (A job of nothing but such rows is not listed, so its rows are never read.)
    assert monitor.last_cursor == 4


@pytest.mark.parametrize("store_with_a_bad_row", BAD_ROWS, indirect=True)
def test_reads_skip_the_row_and_the_feed_serves_the_others(
    store_with_a_bad_row: EventStore,
) -> None:
    store = store_with_a_bad_row
    # The year-10000 rows are events (with a time the monitor cannot place); the others not.
    assert [event.cursor for event in store.events_after(0)] in ([1, 2, 3, 4], [1, 3, 4])
    assert [event.cursor for event in store.events_after(1, limit=1)] in ([2], [3])
    assert {event.cursor for event in store.events_for_job(REFERENCE_JOB_ID)} >= {1, 3}
    with CallbackReceiver(store, serve_events=True) as receiver:
        headers = {"Authorization": f"Bearer {receiver.events_token}"}
        answer = request(receiver.port, "GET", "/events?after=0", headers=headers)
    assert answer.status == 200
    assert [event["cursor"] for event in answer.json()["events"]][-1] == 4


def test_a_page_of_nothing_but_bad_rows_does_not_end_the_reading(tmp_path: Path) -> None:
    store = EventStore(tmp_path / "events.sqlite3")
    for number in range(5):
        insert_row(store.path, received_at="not a time", fingerprint=f"bad-{number}")
    store.add(parse_callback(event_body(1)))
    (event,) = store.events_after(0, limit=2)
    assert event.cursor == 6
