"""The monitor read from the stores a page at a time (no Qt): which jobs a page holds, older
pages on demand, the journal's launches of this profile's world and server, jobs named by
callbacks, and every callback applied once however the reads and the callbacks interleave."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dispatch_desktop.events import EventStore, StoredEvent, parse_callback
from dispatch_desktop.monitor import JobMonitor, JobState, MonitorLoader, ready, rebuild
from dispatch_desktop.storage.journal import LaunchJournal, LaunchMode, Outcome

SERVER = "https://dispatch.example.com"
OTHER = "https://other.example.com"
BASE_ID = 2**60  # runtime ids above 2**53 (F1)
START_MS = 1644928276273


def callback(store: EventStore, jobid: int, eventtype: str, at_ms: int, **fields: object):
    document = {"jobid": str(jobid), "eventtype": eventtype, "timestamp": at_ms, **fields}
    stored, _ = store.add_event(parse_callback(json.dumps(document)))
    return stored


def launch(
    journal: LaunchJournal,
    runtime_id: int,
    *,
    server: str = SERVER,
    mode: LaunchMode = LaunchMode.LIVE,
    goal: int | None = None,
) -> int:
    parameters = {"jobid": 5} if goal is None else {"jobid": 5, "responsegoal": goal}
    attempt = journal.record_attempt(
        server=server,
        user="alice",
        job_id=5,
        job_name="Fire alarm",
        parameters=parameters,
        mode=mode,
    )
    journal.record_outcome(attempt, Outcome.OK, runtimeid=runtime_id, jobname=f"Job {runtime_id}")
    return attempt


@pytest.fixture
def journal(tmp_path: Path) -> LaunchJournal:
    return LaunchJournal(tmp_path / "journal.sqlite3")


def test_pages_hold_the_newest_jobs_of_both_stores_and_older_ones_follow(
    store: EventStore, journal: LaunchJournal
) -> None:
    # Jobs known from callbacks and launches without callbacks, interleaved in time; the
    # launches are journaled now, so their order is by attempt (id).
    for number in range(6):
        callback(store, BASE_ID + number, "JOB_START", START_MS + number * 60_000)
    for number in range(6, 11):
        launch(journal, BASE_ID + number)
    loader = MonitorLoader(store, journal, page_size=4)

    pages = [loader.page(SERVER)]
    while pages[-1].older is not None:
        pages.append(loader.page(SERVER, pages[-1].older))

    ids = [jobid - BASE_ID for page in pages for jobid in page.jobids]
    assert ids == [10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]  # newest first, each once
    assert [len(page.jobids) for page in pages] == [4, 4, 3]
    monitor = JobMonitor(keep_timelines=False)
    for number, page in enumerate(pages):
        monitor.add_page(page, older=number > 0)
    assert [view.jobid - BASE_ID for view in monitor.jobs()] == ids
    assert all(view.jobid > 2**53 for view in monitor.jobs())  # exact ids


def test_a_page_leaves_out_other_servers_and_other_worlds_but_knows_their_jobs(
    store: EventStore, journal: LaunchJournal
) -> None:
    launch(journal, BASE_ID + 1)
    launch(journal, BASE_ID + 2, server=OTHER)
    launch(journal, BASE_ID + 3, mode=LaunchMode.DEMO)  # an old demo row in a real profile
    launch(journal, BASE_ID + 4, mode=LaunchMode.EXERCISE)
    callback(store, BASE_ID + 2, "JOB_START", START_MS)  # a job of the other server
    loader = MonitorLoader(store, journal, modes={LaunchMode.LIVE, LaunchMode.EXERCISE})

    monitor = JobMonitor(keep_timelines=False)
    monitor.show_only(SERVER)
    monitor.add_page(loader.page(SERVER))

    assert {view.jobid - BASE_ID for view in monitor.jobs()} == {1, 4}
    other = monitor.job(BASE_ID + 2)  # read from the events, not shown: its server is known
    assert other is not None
    assert other.server == OTHER
    assert monitor.job(BASE_ID + 4).exercise  # type: ignore[union-attr]
    assert monitor.active_count() == 2


def test_a_job_read_from_the_stores_shows_what_the_journal_and_its_events_say(
    store: EventStore, journal: LaunchJournal
) -> None:
    jobid = BASE_ID + 7
    launch(journal, jobid, goal=2)
    callback(store, jobid, "JOB_START", START_MS, jobtype="GroundHandling")
    callback(store, jobid, "JOB_ASSIGN", START_MS + 5000, sendname="Anna Berg")
    callback(store, jobid, "JOB_ASSIGN", START_MS + 7000, sendname="Tomas Hansson")

    monitor = rebuild(store, journal)

    view = monitor.job(jobid)
    assert view is not None
    assert (view.name, view.goal, view.assigned, view.state) == (
        f"Job {jobid}",
        2,
        2,
        JobState.GOAL_REACHED,
    )
    assert view.started_at == datetime.fromtimestamp(START_MS / 1000, UTC)
    assert (view.last_recipient, view.event_count, view.timeline) == ("Tomas Hansson", 3, ())


def test_callbacks_read_with_a_page_are_not_applied_again_later_ones_are(
    store: EventStore,
) -> None:
    jobid = BASE_ID + 1
    early = [callback(store, jobid, "JOB_ASSIGN", START_MS + n, sendname=f"R{n}") for n in range(3)]
    page = MonitorLoader(store, None).page(None)
    late = callback(store, jobid, "JOB_ASSIGN", START_MS + 10, sendname="Late")
    monitor = JobMonitor(keep_timelines=False)

    monitor.add_page(page)
    # The live feed hands over the early ones too (they arrived while the page was read).
    results = [monitor.add_event(event) for event in [*early, late, late]]

    assert results[:3] == [None, None, None]
    assert results[3] is not None
    assert results[4] is None  # a replay
    assert monitor.job(jobid).assigned == 4  # type: ignore[union-attr]
    assert monitor.last_cursor == late.cursor


def test_jobs_named_by_callbacks_are_read_up_to_the_first_one_held(
    store: EventStore, journal: LaunchJournal
) -> None:
    jobid = BASE_ID + 3
    launch(journal, jobid, goal=10)
    for n in range(5):
        callback(store, jobid, "JOB_ASSIGN", START_MS + n, sendname=f"R{n}")
    held = [callback(store, jobid, "JOB_ASSIGN", START_MS + 100 + n) for n in range(2)]
    loader = MonitorLoader(store, journal)
    monitor = JobMonitor(keep_timelines=False)
    monitor.add_page(loader.page(SERVER))  # read before: it holds the job already
    fresh = JobMonitor(keep_timelines=False)

    page = loader.jobs([jobid], before=held[0].cursor)
    changes = fresh.add_page(ready(page))
    before = fresh.job(jobid)
    after = [fresh.add_event(event) for event in held]

    assert [view.jobid for view in changes.added] == [jobid]
    assert before is not None
    assert (before.assigned, before.goal) == (5, 10)  # as stored before the held ones
    assert after[-1] is not None
    assert after[-1].assigned == 7  # each held one applied once
    assert monitor.job(jobid).assigned == 7  # type: ignore[union-attr]


def test_a_page_fills_a_launch_known_first_but_never_counts_twice(
    store: EventStore, journal: LaunchJournal
) -> None:
    jobid = BASE_ID + 9
    callback(store, jobid, "JOB_START", START_MS)
    monitor = JobMonitor(keep_timelines=False)
    launch(journal, jobid)
    (record,) = journal.entries()
    monitor.add_launch(record)  # the start call's answer, before any read
    monitor.add_page(MonitorLoader(store, journal).page(SERVER))
    view = monitor.job(jobid)
    assert view is not None
    assert (view.event_count, view.state) == (1, JobState.STARTED)
    monitor.add_page(MonitorLoader(store, journal).page(SERVER))  # read again: no change
    assert monitor.job(jobid).event_count == 1  # type: ignore[union-attr]
    assert len(monitor) == 1


def test_the_cursors_applied_are_kept_in_little_memory() -> None:
    monitor = JobMonitor(keep_timelines=False)
    start = datetime.fromtimestamp(START_MS / 1000, UTC)
    events = [
        StoredEvent(
            cursor=cursor,
            received_at=start + timedelta(seconds=cursor),
            jobid=BASE_ID + cursor % 7,
            eventtype="JOB_ASSIGN",
            timestamp_ms=START_MS + cursor,
            userid=None,
            jobtype=None,
            sendtaskid=None,
            sendname=None,
            contactid=None,
            agent=None,
            raw="{}",
        )
        for cursor in range(1, 5001)
    ]
    # Arriving a little out of order (two receiver threads), each applied once.
    shuffled = [events[n ^ 1] for n in range(len(events))]
    applied = [monitor.add_event(event) for event in shuffled + events[:100]]
    assert sum(view is not None for view in applied) == 5000
    assert sum(view.assigned for view in monitor.jobs()) == 5000
    assert len(monitor._applied._above) <= 1  # the memory this is about
