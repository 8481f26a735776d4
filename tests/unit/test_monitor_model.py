"""The job monitor's model (no Qt): states from the reference's callbacks (3.1.x), correlation
with the launch journal by runtime id (F2), out-of-order and repeated events, jobs started
elsewhere, rebuilding from the stores, and the cost per event."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dispatch_desktop.events import EventStore, StoredEvent, parse_callback
from dispatch_desktop.monitor import JobMonitor, JobState, JobView, Timeline, rebuild
from dispatch_desktop.storage.journal import LaunchJournal, LaunchRecord, Outcome, parameters_json

JOBID = 777903613308588032  # the reference's runtime id (3.1.x), above 2**53 (F1)
OTHER_JOBID = 352872112744058883
START_MS = 1644928276273  # the reference's JOB_START timestamp
STARTED = datetime.fromtimestamp(START_MS / 1000, UTC)
ATTEMPTED = STARTED - timedelta(seconds=2)
NOW = STARTED + timedelta(minutes=1)


def callback(
    cursor: int,
    eventtype: str,
    *,
    jobid: int | None = JOBID,
    after: float = 0.0,
    sendname: str = "",
    jobtype: str = "",
) -> StoredEvent:
    """A stored callback shaped like the reference's bodies, ``after`` seconds past JOB_START."""
    return StoredEvent(
        cursor=cursor,
        received_at=STARTED + timedelta(seconds=after, milliseconds=50),
        jobid=jobid,
        eventtype=eventtype,
        timestamp_ms=START_MS + round(after * 1000),
        userid=113495,
        jobtype=jobtype,
        sendtaskid=777903613518303232 if eventtype == "JOB_ASSIGN" else None,
        sendname=sendname,
        contactid=519898635249405952 if sendname else None,
        agent="md-adm" if eventtype == "JOB_START" else "SYSTEM",
        raw="{}",
    )


def start(cursor: int = 1, **extra: object) -> StoredEvent:
    return callback(cursor, "JOB_START", jobtype="GroundHandling", **extra)  # type: ignore[arg-type]


def assign(cursor: int, name: str, after: float, **extra: object) -> StoredEvent:
    return callback(cursor, "JOB_ASSIGN", sendname=name, after=after, **extra)  # type: ignore[arg-type]


def finish(cursor: int, after: float, **extra: object) -> StoredEvent:
    return callback(cursor, "JOB_FINISH", after=after, **extra)  # type: ignore[arg-type]


def launch(runtime_id: int | None = JOBID, **parameters: object) -> LaunchRecord:
    """A journaled launch the server answered OK with ``runtime_id``."""
    return LaunchRecord(
        id=1,
        attempted_at=ATTEMPTED,
        server="https://dispatch.example.com",
        user="alice",
        job_id=OTHER_JOBID,
        job_name="Fire alarm",
        job_type="QuickAssign",
        generic_type="GMA",
        parameters=parameters_json({"jobid": OTHER_JOBID, **parameters}),
        outcome=Outcome.OK,
        runtime_id=runtime_id,
        result_job_name="Fire alarm 12:00",
        message=None,
        finished_at=ATTEMPTED + timedelta(seconds=1),
    )


@pytest.fixture
def monitor() -> JobMonitor:
    return JobMonitor(clock=lambda: NOW)


def test_the_reference_sequence_walks_through_every_state() -> None:
    clock = [STARTED - timedelta(hours=1)]
    monitor = JobMonitor(clock=lambda: clock[0])
    scheduled = launch(responsegoal=2, scheduledstart=STARTED.isoformat(timespec="seconds"))
    views = [monitor.add_launch(scheduled)]
    clock[0] = NOW
    for event in (start(1), assign(2, "Anna Berg", 20), assign(3, "Tomas Hansson", 30)):
        views.append(monitor.add_event(event))
    views.append(monitor.add_event(finish(4, 33)))
    assert [view.state for view in views if view] == [
        JobState.SCHEDULED,
        JobState.STARTED,
        JobState.FILLING,
        JobState.GOAL_REACHED,
        JobState.FINISHED,
    ]
    done = views[-1]
    assert done is not None
    assert (done.jobid, done.name, done.job_type) == (JOBID, "Fire alarm 12:00", "QuickAssign")
    assert (done.assigned, done.goal, done.goal_reached) == (2, 2, True)
    assert done.started_at == STARTED
    assert done.finished_at == STARTED + timedelta(seconds=33)
    assert done.last_recipient == "Tomas Hansson"
    assert [entry.kind for entry in done.timeline] == [
        "JOB_START",
        "JOB_ASSIGN",
        "JOB_ASSIGN",
        "JOB_FINISH",
    ]
    anna = done.timeline[1]
    assert (anna.recipient, anna.contactid, anna.agent) == (
        "Anna Berg",
        519898635249405952,
        "SYSTEM",
    )
    assert done.elapsed(anna) == 20.0  # "the time it took"
    assert done.timeline[0].agent == "md-adm"
    assert monitor.active_count() == 0


def test_a_launch_without_callbacks_shows_what_the_start_call_returned(
    monitor: JobMonitor,
) -> None:
    view = monitor.add_launch(launch(responsegoal=3))
    assert view is not None
    assert view.state is JobState.STARTED
    assert not view.has_callbacks  # G6: the GUI says live status needs the receiver
    assert view.started_at == view.launched_at == ATTEMPTED
    assert (view.goal, view.assigned, len(view.timeline)) == (3, 0, 0)
    assert monitor.job(JOBID) == view
    assert monitor.active_count() == 1


def test_launches_without_a_runtime_id_are_not_monitored(monitor: JobMonitor) -> None:
    assert monitor.add_launch(replace(launch(), outcome=Outcome.UNKNOWN, runtime_id=None)) is None
    assert monitor.add_launch(replace(launch(), outcome=Outcome.NOT_STARTED)) is None
    assert monitor.add_launch(launch(runtime_id=None)) is None
    assert monitor.jobs() == []


def test_a_journal_reload_changes_nothing(monitor: JobMonitor) -> None:
    first = monitor.add_launch(launch(responsegoal=1))
    assert monitor.add_launch(launch(responsegoal=1)) == first
    assert len(monitor) == 1
    assert monitor.active_count() == 1


def test_the_goal_comes_from_the_journals_parameters(monitor: JobMonitor) -> None:
    monitor.add_event(start(1))
    filling = monitor.add_event(assign(2, "Anna Berg", 5))
    assert filling is not None
    assert (filling.state, filling.goal) == (JobState.FILLING, None)
    # The start call's answer may come after the first callbacks (it returns only once the
    # job has started, F3): the launch then joins the job the callbacks made.
    joined = monitor.add_launch(launch(responsegoal=1))
    assert joined is not None
    assert (joined.state, joined.goal, joined.assigned) == (JobState.GOAL_REACHED, 1, 1)
    assert joined.name == "Fire alarm 12:00"
    assert joined.started_at == STARTED  # JOB_START beats the journal's attempt time
    assert len(monitor) == 1


def test_without_a_goal_assignments_keep_the_job_filling(monitor: JobMonitor) -> None:
    monitor.add_launch(launch())
    view = None
    for cursor in range(1, 11):
        view = monitor.add_event(assign(cursor, f"Responder {cursor}", cursor))
    assert view is not None
    assert (view.state, view.assigned, view.goal_reached) == (JobState.FILLING, 10, False)


def test_events_out_of_order(monitor: JobMonitor) -> None:
    early = monitor.add_event(assign(1, "Anna Berg", 20))
    assert early is not None
    assert (early.state, early.started_at, early.name) == (JobState.FILLING, None, None)
    assert early.elapsed(early.timeline[0]) is None  # the start is not known yet
    monitor.add_event(finish(2, 40))
    late = monitor.add_event(start(3))
    assert late is not None
    assert late.state is JobState.FINISHED
    assert late.started_at == STARTED
    assert late.elapsed(late.timeline[0]) == 20.0
    assert late.name == late.job_type == "GroundHandling"
    assert [entry.cursor for entry in late.timeline] == [1, 2, 3]  # in order of arrival
    # A second JOB_START or JOB_FINISH does not move the times already known to be earlier.
    again = monitor.add_event(start(4, after=10))
    assert again is not None
    assert again.started_at == STARTED
    assert monitor.active_count() == 0


def test_a_cursor_applied_before_is_ignored(monitor: JobMonitor) -> None:
    monitor.add_event(start(1))
    view = monitor.add_event(assign(2, "Anna Berg", 5))
    assert monitor.add_event(assign(2, "Anna Berg", 5)) is None
    assert monitor.add_event(start(1)) is None
    assert monitor.job(JOBID) == view
    assert view is not None
    assert (view.assigned, view.event_count) == (1, 2)
    assert monitor.last_cursor == 2


def test_unknown_event_types_are_kept_in_the_timeline(monitor: JobMonitor) -> None:
    monitor.add_event(start(1))
    view = monitor.add_event(callback(2, "JOB_REMINDER_SENT", after=60))
    assert view is not None
    assert view.state is JobState.STARTED
    assert view.timeline[-1].kind == "JOB_REMINDER_SENT"
    assert view.elapsed(view.timeline[-1]) == 60.0


def test_jobs_started_elsewhere_are_monitored_too(monitor: JobMonitor) -> None:
    monitor.add_launch(launch())
    portal = monitor.add_event(start(1, jobid=OTHER_JOBID))
    unnamed = monitor.add_event(assign(2, "Anna Berg", 3, jobid=42))
    assert portal is not None
    assert unnamed is not None
    assert (portal.name, portal.launched_at, portal.state) == (
        "GroundHandling",
        None,
        JobState.STARTED,
    )
    assert unnamed.name is None  # the GUI shows "Job 42"
    assert [view.jobid for view in monitor.jobs()] == [42, OTHER_JOBID, JOBID]  # newest first
    assert monitor.active_count() == 3


def test_an_event_without_a_jobid_only_moves_the_cursor(monitor: JobMonitor) -> None:
    assert monitor.add_event(callback(7, "PING", jobid=None)) is None
    assert monitor.last_cursor == 7
    assert monitor.jobs() == []


def test_a_scheduled_job_counts_as_started_once_its_time_has_passed() -> None:
    clock = [ATTEMPTED]
    monitor = JobMonitor(clock=lambda: clock[0])
    when = ATTEMPTED + timedelta(hours=1)
    view = monitor.add_launch(launch(scheduledstart=when.isoformat()))
    assert view is not None
    assert (view.state, view.started_at, view.scheduled_for) == (JobState.SCHEDULED, when, when)
    assert monitor.refresh_schedules() == []
    clock[0] = when + timedelta(seconds=1)
    [due] = monitor.refresh_schedules()
    assert due.state is JobState.STARTED
    assert monitor.refresh_schedules() == []


def test_unreadable_journal_parameters_still_monitor_the_launch(monitor: JobMonitor) -> None:
    view = monitor.add_launch(replace(launch(), parameters="{not json"))
    assert view is not None
    assert (view.goal, view.scheduled_for, view.state) == (None, None, JobState.STARTED)


def test_a_views_timeline_is_a_snapshot(monitor: JobMonitor) -> None:
    first = monitor.add_event(start(1))
    assert first is not None
    for cursor in range(2, 6):
        monitor.add_event(assign(cursor, f"R{cursor}", cursor))
    latest = monitor.job(JOBID)
    assert latest is not None
    assert len(first.timeline) == 1
    assert [entry.cursor for entry in first.timeline] == [1]
    with pytest.raises(IndexError):
        first.timeline[1]
    assert first.timeline[-1].cursor == 1
    assert [entry.cursor for entry in latest.timeline[1:3]] == [2, 3]
    assert latest.timeline == tuple(latest.timeline)
    assert first.timeline != latest.timeline
    assert hash(Timeline()) == hash(())


def test_rebuild_from_the_stores(tmp_path: Path) -> None:
    journal = LaunchJournal(tmp_path / "journal.sqlite3")
    attempt = journal.record_attempt(
        server="https://dispatch.example.com",
        user="alice",
        job_id=OTHER_JOBID,
        job_name="Fire alarm",
        job_type="QuickAssign",
        generic_type="GMA",
        parameters={"jobid": OTHER_JOBID, "responsegoal": 2},
    )
    journal.record_outcome(attempt, Outcome.OK, runtimeid=JOBID, jobname="Fire alarm 12:00")
    failed = journal.record_attempt(server="s", user="alice", job_id=OTHER_JOBID)
    journal.record_outcome(failed, Outcome.NOT_STARTED, message="No recipients")
    store = EventStore(tmp_path / "events.sqlite3")
    bodies = [
        ("JOB_START", "", START_MS, JOBID),
        ("JOB_ASSIGN", "Tomas Hansson - Lekab", START_MS + 19837, JOBID),
        ("JOB_START", "", START_MS - 60_000, OTHER_JOBID),  # a portal job, begun earlier
        ("JOB_ASSIGN", "Anna Berg", START_MS + 22000, JOBID),
        ("JOB_FINISH", "", START_MS + 22920, JOBID),
    ]
    for eventtype, sendname, timestamp, jobid in bodies:
        body = {"jobid": str(jobid), "userid": 113495, "eventtype": eventtype}
        body |= {"timestamp": timestamp, "jobtype": "", "sendname": sendname, "agent": "SYSTEM"}
        store.add(parse_callback(json.dumps(body)))

    monitor = rebuild(store, journal, clock=lambda: NOW)

    assert [view.jobid for view in monitor.jobs()] == [JOBID, OTHER_JOBID]  # by start time
    job = monitor.job(JOBID)
    assert job is not None
    assert (job.name, job.state, job.assigned, job.goal) == (
        "Fire alarm 12:00",
        JobState.FINISHED,
        2,
        2,
    )
    # The monitor read from the stores keeps no timelines: the store has them.
    assert job.timeline == ()
    entries, through = store.timeline(JOBID)
    assert [entry.kind for entry in entries] == [
        "JOB_START",
        "JOB_ASSIGN",
        "JOB_ASSIGN",
        "JOB_FINISH",
    ]
    assert job.elapsed(entries[1]) == 19.837
    assert through == 5
    assert monitor.last_cursor == 5
    assert monitor.active_count() == 1
    assert rebuild(None, None).jobs() == []


def test_ten_thousand_events_take_well_under_a_second(monitor: JobMonitor) -> None:
    # 100 jobs of 40 events, and one job of 6,000: the big one must not get slower per event.
    events: list[StoredEvent] = []
    for job in range(100):
        jobid = 10_000 + job
        events.append(start(len(events) + 1, jobid=jobid))
        events.extend(assign(len(events) + 1, "R", n, jobid=jobid) for n in range(38))
        events.append(finish(len(events) + 1, 60, jobid=jobid))
    events.append(start(len(events) + 1))
    events.extend(assign(len(events) + 1, "R", n / 100) for n in range(6000 - 1))
    began = time.perf_counter()
    views: list[JobView | None] = [monitor.add_event(event) for event in events]
    elapsed = time.perf_counter() - began
    assert len(events) == 10_000
    assert all(views)
    assert elapsed < 1.0, f"10,000 events took {elapsed:.3f} s"
    big = monitor.job(JOBID)
    assert big is not None
    assert (big.assigned, len(big.timeline)) == (5999, 6000)
    assert monitor.active_count() == 1
