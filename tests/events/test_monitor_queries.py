"""The event store's queries for the monitor at scale: the newest jobs without reading their
events, what a job's events add up to (as the monitor folds them one by one), a job's timeline
in time order, copies of a followed receiver's events with its cursor, retention, and the
migration of a store written before them."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dispatch_desktop.events import EventStore, StoredEvent, parse_callback
from dispatch_desktop.events.model import TIMELINE_ORDER
from dispatch_desktop.events.store import _MIGRATIONS, SCHEMA_VERSION, JobKey
from dispatch_desktop.monitor import JobMonitor
from dispatch_desktop.storage.journal import LaunchJournal, Outcome

JOBID = 777903613308588032  # the reference's runtime id, above 2**53 (F1)
START_MS = 1644928276273


def body(jobid: int, eventtype: str, timestamp: int | None, **fields: object) -> str:
    document: dict[str, object] = {
        "jobid": str(jobid),
        "userid": 113495,
        "eventtype": eventtype,
        "jobtype": "",
        "sendname": "",
        "agent": "SYSTEM",
        **fields,
    }
    if timestamp is not None:
        document["timestamp"] = timestamp
    return json.dumps(document)


def add(store: EventStore, jobid: int, eventtype: str, timestamp: int | None, **fields: object):
    stored, is_new = store.add_event(parse_callback(body(jobid, eventtype, timestamp, **fields)))
    assert is_new
    return stored


def random_jobs(store: EventStore, seed: int) -> list[StoredEvent]:
    """Jobs whose callbacks arrive interleaved and out of order, some without a timestamp,
    some with a second JOB_START or JOB_FINISH, some of types the reference does not list."""
    rng = random.Random(seed)
    jobids = [rng.randrange(2**53 + 1, 2**63 - 1) for _ in range(6)]
    kinds = ["JOB_START", "JOB_ASSIGN", "JOB_ASSIGN", "JOB_ASSIGN", "JOB_FINISH", "JOB_PAUSED"]
    stored = []
    for number in range(120):
        jobid = rng.choice(jobids)
        kind = rng.choice(kinds)
        timestamp = None if rng.random() < 0.1 else START_MS + rng.randrange(0, 600_000)
        fields: dict[str, object] = {
            "sendname": rng.choice(["", "Anna Berg", f"R{number}"]),
            "sendtaskid": str(2**53 + number),  # every body distinct
        }
        if kind == "JOB_START":
            fields["jobtype"] = rng.choice(["GroundHandling", "CallOut"])
        stored.append(add(store, jobid, kind, timestamp, **fields))
    return stored


@pytest.mark.parametrize("seed", range(5))
def test_what_a_jobs_stored_events_add_up_to_is_what_the_monitor_folds(
    store: EventStore, seed: int
) -> None:
    events = random_jobs(store, seed)
    live = JobMonitor(keep_timelines=True)
    for event in events:
        live.add_event(event)
    jobids = {event.jobid for event in events}

    summaries, through = store.job_summaries(jobids)

    assert through == events[-1].cursor
    read = JobMonitor(keep_timelines=False)
    read.add_page(_page(jobids, summaries, through))
    for jobid in jobids:
        folded, loaded = live.job(jobid), read.job(jobid)
        assert folded is not None
        assert loaded is not None
        fields = ("name", "job_type", "state", "started_at", "assigned", "finished_at")
        fields += ("last_recipient", "event_count")
        assert {f: getattr(loaded, f) for f in fields} == {f: getattr(folded, f) for f in fields}
        # Their timelines: the live fold's in time order is what the store reads.
        entries, _ = store.timeline(jobid)
        assert entries == sorted(folded.timeline, key=TIMELINE_ORDER)
    # Events applied again after reading are not counted twice.
    for event in events:
        assert read.add_event(event) is None


def _page(jobids, summaries, through):
    from dispatch_desktop.monitor import Page

    return Page(jobids=tuple(jobids), summaries=summaries, through=through)


def test_a_summary_before_a_cursor_leaves_the_later_events_out(store: EventStore) -> None:
    add(store, JOBID, "JOB_START", START_MS, jobtype="GroundHandling")
    add(store, JOBID, "JOB_ASSIGN", START_MS + 5000, sendname="Anna Berg")
    third = add(store, JOBID, "JOB_ASSIGN", START_MS + 9000, sendname="Tomas Hansson")

    summaries, through = store.job_summaries([JOBID, 42], before=third.cursor)

    assert through == third.cursor - 1
    assert set(summaries) == {JOBID}  # a job without events has no summary
    summary = summaries[JOBID]
    assert (summary.events, summary.assigned, summary.last_recipient) == (2, 1, "Anna Berg")
    assert summary.jobid == JOBID  # exact (F1)


def test_the_timeline_is_in_time_order_with_arrival_breaking_ties(store: EventStore) -> None:
    late_start = add(store, JOBID, "JOB_ASSIGN", START_MS + 20_000, sendname="Anna Berg")
    add(store, 5, "JOB_START", START_MS)  # another job
    start = add(store, JOBID, "JOB_START", START_MS, agent="md-adm")
    tie = add(store, JOBID, "JOB_ASSIGN", START_MS, sendname="Eva")
    undated = add(store, JOBID, "JOB_FINISH", None)  # placed by its arrival

    entries, through = store.timeline(JOBID)

    assert [entry.cursor for entry in entries] == [
        start.cursor,
        tie.cursor,
        late_start.cursor,
        undated.cursor,
    ]
    assert entries[-1].time == undated.received_at
    assert (entries[0].agent, entries[2].recipient) == ("md-adm", "Anna Berg")
    assert through == undated.cursor


def test_a_twenty_thousand_entry_timeline_is_read_whole(store: EventStore) -> None:
    rows = [
        (
            f"big-{number}",
            "2024-11-04T12:00:00.000+00:00",
            JOBID,
            "JOB_ASSIGN",
            START_MS + (number * 7919) % 20_000,
            f"R{number}",
        )
        for number in range(20_000)
    ]
    connection = sqlite3.connect(store.path)
    try:
        with connection:
            connection.executemany(
                "INSERT INTO events (fingerprint, received_at, jobid, eventtype, timestamp_ms,"
                " sendname, raw) VALUES (?, ?, ?, ?, ?, ?, '{}')",
                rows,
            )
    finally:
        connection.close()

    entries, through = store.timeline(JOBID)

    assert len(entries) == 20_000
    assert through == 20_000
    assert entries == sorted(entries, key=TIMELINE_ORDER)
    (summary,) = store.job_summaries([JOBID])[0].values()
    assert summary.assigned == 20_000


def test_the_newest_jobs_page_by_their_first_event(store: EventStore) -> None:
    for number in range(7):
        add(store, 2**60 + number, "JOB_START", START_MS + number * 1000)
    add(store, 2**60, "JOB_ASSIGN", START_MS + 99_000)  # later events do not move a job
    add(store, 2**60 + 3, "JOB_ASSIGN", START_MS - 5000)  # an earlier one does

    first = store.newest_jobs(3)
    second = store.newest_jobs(3, first[-1])
    third = store.newest_jobs(3, second[-1])

    assert [key.jobid - 2**60 for key in first + second + third] == [6, 5, 4, 2, 1, 0, 3]
    assert third[-1] == JobKey(START_MS - 5000, 2**60 + 3)
    assert store.newest_jobs(3, third[-1]) == []


def test_copies_of_followed_events_are_stored_once_with_the_cursor(
    tmp_path: Path, store: EventStore
) -> None:
    shared = random_jobs(store, 1)[:30]
    mine = EventStore(tmp_path / "followed.sqlite3")
    assert mine.follow_cursor() == 0

    copies = mine.add_copies(shared[:20], cursor=shared[19].cursor)
    again = mine.add_copies(shared[10:30], cursor=shared[29].cursor)  # read twice: overlap

    assert [c.cursor for c in copies + again] == list(range(1, 31))  # no gaps, no doubles
    assert [c.raw for c in copies + again] == [e.raw for e in shared]
    assert [c.received_at for c in copies] == [e.received_at for e in shared[:20]]
    assert mine.follow_cursor() == shared[29].cursor
    assert EventStore(mine.path).follow_cursor() == shared[29].cursor  # durable


def test_retention_deletes_old_events_keeps_the_rest_and_the_jobs_right(
    tmp_path: Path, store: EventStore
) -> None:
    now = datetime.now(UTC)
    old = [
        _copy(START_MS, now - timedelta(days=100), 1, "JOB_START"),
        _copy(START_MS + 1000, now - timedelta(days=99), 1, "JOB_ASSIGN"),
        _copy(START_MS + 2000, now - timedelta(days=95), 2, "JOB_START"),  # straddles
    ]
    recent = [
        _copy(START_MS + 3000, now - timedelta(days=10), 2, "JOB_ASSIGN"),
        _copy(START_MS + 4000, now - timedelta(days=1), 3, "JOB_START"),
    ]
    store.add_copies([*old, *recent], 0)
    journal = LaunchJournal(tmp_path / "journal.sqlite3")
    attempt = journal.record_attempt(server="s", user="u", job_id=7)
    journal.record_outcome(attempt, Outcome.OK, runtimeid=1)

    deleted = store.prune(now - timedelta(days=90))

    assert deleted == 3
    assert [event.timestamp_ms for event in store.events_after(0)] == [
        START_MS + 3000,
        START_MS + 4000,
    ]
    assert store.newest_jobs(10) == [JobKey(START_MS + 4000, 3), JobKey(START_MS + 3000, 2)]
    assert store.prune(now - timedelta(days=90)) == 0
    assert [record.runtime_id for record in journal.entries()] == [1]  # never pruned


def test_pruning_many_events_goes_in_batches_and_stops_when_asked(
    store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from dispatch_desktop.events import store as store_module

    monkeypatch.setattr(store_module, "PRUNE_BATCH", 4)
    long_ago = datetime.now(UTC) - timedelta(days=400)
    store.add_copies([_copy(START_MS + n, long_ago, n % 3, "JOB_ASSIGN") for n in range(10)], 0)
    stop = threading.Event()
    stop.set()
    assert store.prune(datetime.now(UTC), stop) == 0  # asked to stop before the first batch

    assert store.prune(datetime.now(UTC)) == 10
    assert store.newest_jobs(10) == []


def _copy(timestamp_ms: int, received_at: datetime, jobid: int, eventtype: str) -> StoredEvent:
    return StoredEvent(
        cursor=0,
        received_at=received_at,
        jobid=jobid,
        eventtype=eventtype,
        timestamp_ms=timestamp_ms,
        userid=1,
        jobtype=None,
        sendtaskid=None,
        sendname=None,
        contactid=None,
        agent=None,
        raw=json.dumps({"t": timestamp_ms, "j": jobid}),
    )


def test_a_store_of_schema_1_is_migrated_with_its_jobs_listed(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite3"
    connection = sqlite3.connect(path)
    try:
        for statement in _MIGRATIONS[0]:
            connection.execute(statement)
        connection.execute("PRAGMA user_version = 1")
        connection.executemany(
            "INSERT INTO events (received_at, fingerprint, jobid, eventtype, timestamp_ms, raw)"
            " VALUES (?, ?, ?, ?, ?, '{}')",
            [
                ("2024-11-04T12:00:00.000+00:00", "a", JOBID, "JOB_START", START_MS + 50),
                ("2024-11-04T12:00:01.000+00:00", "b", JOBID, "JOB_ASSIGN", START_MS),
                ("2024-11-04T12:00:02.500+00:00", "c", 9, "JOB_START", None),
                ("2024-11-04T12:00:03.000+00:00", "d", 8, "JOB_START", 2**63 - 1),  # no time
                ("2024-11-04T12:00:04.000+00:00", "e", None, "PING", None),
            ],
        )
        connection.commit()
    finally:
        connection.close()

    store = EventStore(path)

    arrival_ms = int(datetime(2024, 11, 4, 12, 0, 2, 500_000, UTC).timestamp() * 1000)
    assert store.newest_jobs(10) == [JobKey(arrival_ms, 9), JobKey(START_MS, JOBID)]
    assert store.schema_version == SCHEMA_VERSION
    add(store, JOBID, "JOB_FINISH", START_MS - 1)  # the trigger keeps the list
    assert store.newest_jobs(10)[-1] == JobKey(START_MS - 1, JOBID)


def _store_of_schema_2(path: Path, rows: list[tuple[object, ...]]) -> None:
    """A store as schema 2 left it, with ``rows`` (received_at, fingerprint, jobid,
    eventtype, timestamp_ms, sendname) written by hand."""
    connection = sqlite3.connect(path)
    try:
        for statement in (*_MIGRATIONS[0], *_MIGRATIONS[1]):
            connection.execute(statement)
        connection.execute("PRAGMA user_version = 2")
        connection.executemany(
            "INSERT INTO events (received_at, fingerprint, jobid, eventtype, timestamp_ms,"
            " sendname, raw) VALUES (?, ?, ?, ?, ?, ?, '{}')",
            rows,
        )
        connection.commit()
    finally:
        connection.close()


def test_a_store_of_schema_2_keeps_its_timelines_in_time_order_and_skips_non_events(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "events.sqlite3"
    _store_of_schema_2(
        path,
        [
            ("2024-11-04T12:00:00.000+00:00", "a", JOBID, "JOB_ASSIGN", START_MS + 50, "Anna"),
            ("2024-11-04T12:00:01.000+00:00", "b", JOBID, "JOB_START", START_MS, None),
            ("2024-11-04T13:00:02.500+01:00", "c", JOBID, "JOB_FINISH", None, None),
            ("not a time", "d", JOBID, "JOB_ASSIGN", START_MS + 10, "Bo"),  # not an event
            ("2024-11-04T12:00:03.000+00:00", "e", JOBID, "JOB_ASSIGN", 2**63 - 1, "Cy"),
        ],
    )

    store = EventStore(path)

    assert store.schema_version == SCHEMA_VERSION
    entries, _ = store.timeline(JOBID)
    assert [(entry.kind, entry.recipient) for entry in entries] == [
        ("JOB_START", None),
        ("JOB_ASSIGN", "Anna"),
        ("JOB_FINISH", None),  # its arrival (12:00:02.500 UTC): it carries no timestamp
    ]
    assert entries[2].time == datetime(2024, 11, 4, 12, 0, 2, 500_000, UTC)
    assert "Skipped 2 stored rows" in caplog.text


def test_rows_written_after_the_migration_are_timed_whoever_writes_them(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The app's own writes and a row written by hand (an admin's sqlite3 shell) get their
    event time from the same rule; a hand-written row that is not an event gets none."""
    path = tmp_path / "events.sqlite3"
    store = EventStore(path)
    add(store, JOBID, "JOB_START", START_MS + 5)
    connection = sqlite3.connect(path)
    try:
        connection.executemany(
            "INSERT INTO events (received_at, fingerprint, jobid, eventtype, timestamp_ms, raw)"
            " VALUES (?, ?, ?, ?, ?, '{}')",
            [
                ("2024-11-04T12:00:00.000+00:00", "by hand", JOBID, "JOB_ASSIGN", START_MS),
                ("yesterday", "not an event", JOBID, "JOB_ASSIGN", START_MS + 1),
            ],
        )
        connection.commit()
    finally:
        connection.close()

    entries, _ = store.timeline(JOBID)

    assert [entry.kind for entry in entries] == ["JOB_ASSIGN", "JOB_START"]
    assert "Skipped 1 stored rows" in caplog.text


def test_a_timeline_is_read_from_the_index_alone_in_time_order(tmp_path: Path) -> None:
    """What keeps a 20,000-event timeline fast in a store of a year (bench/monitor.py): one
    range of the covering index, no sort, no visit to the table."""
    from dispatch_desktop.events.store import _TIMELINE

    store = EventStore(tmp_path / "events.sqlite3")
    add(store, JOBID, "JOB_START", START_MS)
    connection = sqlite3.connect(tmp_path / "events.sqlite3")
    try:
        plan = " ".join(
            str(row[-1]) for row in connection.execute(f"EXPLAIN QUERY PLAN {_TIMELINE}", (1, 2))
        )
    finally:
        connection.close()
    assert "COVERING INDEX events_timeline" in plan
    assert "TEMP B-TREE" not in plan


def test_reading_a_timeline_leaves_the_collector_as_it_found_it(
    store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The collector pauses while a timeline is read (bench/monitor.py) and runs again after,
    also when the read fails; one switched off by someone else stays off."""
    import gc

    add(store, JOBID, "JOB_START", START_MS)
    assert gc.isenabled()
    store.timeline(JOBID)
    assert gc.isenabled()

    def broken(_rows: object) -> None:
        assert not gc.isenabled()  # paused while the entries are made
        raise sqlite3.DatabaseError("disk I/O error")

    monkeypatch.setattr("dispatch_desktop.events.store._timeline_entries", broken)
    with pytest.raises(Exception, match="disk I/O error"):
        store.timeline(JOBID)
    assert gc.isenabled()
    monkeypatch.undo()

    gc.disable()
    try:
        store.timeline(JOBID)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_text_that_is_not_utf8_leaves_out_its_row_only(tmp_path: Path) -> None:
    """The timeline is read as one JSON document; a row whose text is not UTF-8 (written by
    hand) makes it unreadable, so the rows are read one by one and only that row is left out."""
    path = tmp_path / "events.sqlite3"
    store = EventStore(path)
    add(store, JOBID, "JOB_START", START_MS)
    add(store, JOBID, "JOB_ASSIGN", START_MS + 2, sendname="Anna Berg")
    connection = sqlite3.connect(path)
    try:
        connection.execute(
            "INSERT INTO events (received_at, fingerprint, jobid, eventtype, timestamp_ms,"
            " sendname, raw) VALUES ('2024-11-04T12:00:00.000+00:00', 'bad', ?, 'JOB_ASSIGN',"
            " ?, CAST(X'ff41' AS TEXT), '{}')",
            (JOBID, START_MS + 1),
        )
        connection.commit()
    finally:
        connection.close()

    entries, _ = store.timeline(JOBID)

    assert [(entry.kind, entry.recipient) for entry in entries] == [
        ("JOB_START", None),
        ("JOB_ASSIGN", "Anna Berg"),
    ]
    assert all(isinstance(entry.cursor, int) for entry in entries)
