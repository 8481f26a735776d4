"""The job monitor shows (and counts as active) only the jobs of the server signed in to:
drill and live never mix, nor do two servers (docs/profiles.md)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from dispatch_desktop.events import StoredEvent
from dispatch_desktop.monitor import JobMonitor
from dispatch_desktop.storage.journal import LaunchMode, LaunchRecord, Outcome, parameters_json

HERE = "https://dispatch.example.com"
THERE = "https://other.example.com"
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
HERE_JOB = 777903613308588033  # runtime ids above 2**53 (F1)
THERE_JOB = 777903613308588035
CALLBACK_JOB = 777903613308588037


def launch(runtime_id: int, server: str, mode: LaunchMode = LaunchMode.LIVE) -> LaunchRecord:
    return LaunchRecord(
        id=runtime_id % 1000,
        attempted_at=NOW - timedelta(minutes=1),
        server=server,
        user="alice",
        job_id=352872112744058883,
        job_name="Fire alarm",
        job_type="QuickAssign",
        generic_type="GMA",
        parameters=parameters_json({"jobid": 352872112744058883}),
        outcome=Outcome.OK,
        runtime_id=runtime_id,
        result_job_name="Fire alarm 12:00",
        message=None,
        finished_at=NOW,
        mode=mode,
    )


def event(cursor: int, jobid: int, eventtype: str = "JOB_START") -> StoredEvent:
    return StoredEvent(
        cursor=cursor,
        received_at=NOW,
        jobid=jobid,
        eventtype=eventtype,
        timestamp_ms=int(NOW.timestamp() * 1000),
        userid=113495,
        jobtype="",
        sendtaskid=None,
        sendname="",
        contactid=None,
        agent="SYSTEM",
        raw="{}",
    )


def fed() -> JobMonitor:
    monitor = JobMonitor(clock=lambda: NOW)
    monitor.add_launch(launch(HERE_JOB, HERE))
    monitor.add_launch(launch(THERE_JOB, THERE))
    monitor.add_event(event(1, CALLBACK_JOB))
    return monitor


def shown(monitor: JobMonitor) -> set[int]:
    return {view.jobid for view in monitor.jobs()}


def test_until_told_every_job_is_shown() -> None:
    monitor = fed()
    assert shown(monitor) == {HERE_JOB, THERE_JOB, CALLBACK_JOB}
    assert monitor.active_count() == 3


def test_signed_in_it_shows_that_servers_launches_and_jobs_known_from_callbacks() -> None:
    monitor = fed()
    monitor.show_only(HERE)
    assert shown(monitor) == {HERE_JOB, CALLBACK_JOB}
    assert monitor.active_count() == 2
    monitor.show_only(THERE)
    assert shown(monitor) == {THERE_JOB, CALLBACK_JOB}
    assert monitor.active_count() == 2


def test_signed_out_it_shows_and_counts_nothing() -> None:
    monitor = fed()
    monitor.show_only(None)
    assert monitor.jobs() == []
    assert monitor.active_count() == 0
    # What arrives meanwhile is kept, not shown: it is there again after signing in.
    monitor.add_event(event(2, HERE_JOB, "JOB_FINISH"))
    monitor.add_launch(launch(777903613308588039, HERE))
    assert monitor.active_count() == 0
    monitor.show_only(HERE)
    assert shown(monitor) == {HERE_JOB, CALLBACK_JOB, 777903613308588039}
    assert monitor.active_count() == 2  # HERE_JOB finished


def test_the_active_count_follows_jobs_of_other_servers_not_at_all() -> None:
    monitor = JobMonitor(clock=lambda: NOW)
    monitor.show_only(HERE)
    monitor.add_launch(launch(THERE_JOB, THERE))
    assert monitor.active_count() == 0
    monitor.add_event(event(1, THERE_JOB, "JOB_FINISH"))
    assert monitor.active_count() == 0
    monitor.add_launch(launch(HERE_JOB, HERE))
    assert monitor.active_count() == 1
    monitor.add_event(event(2, HERE_JOB, "JOB_FINISH"))
    assert monitor.active_count() == 0


def test_a_job_first_known_from_callbacks_takes_its_server_from_the_journal() -> None:
    monitor = JobMonitor(clock=lambda: NOW)
    monitor.show_only(HERE)
    monitor.add_event(event(1, THERE_JOB))
    assert monitor.active_count() == 1
    view = monitor.add_launch(launch(THERE_JOB, THERE))
    assert view is not None
    assert view.server == THERE
    assert not monitor.shows(view)
    assert monitor.active_count() == 0


def test_an_exercise_launch_is_marked_in_its_view() -> None:
    monitor = JobMonitor(clock=lambda: NOW)
    exercise = monitor.add_launch(launch(HERE_JOB, HERE, LaunchMode.EXERCISE))
    live = monitor.add_launch(replace(launch(THERE_JOB, HERE), id=2))
    callbacks_only = monitor.add_event(event(1, CALLBACK_JOB))
    assert exercise is not None
    assert live is not None
    assert callbacks_only is not None
    assert (exercise.exercise, live.exercise, callbacks_only.exercise) == (True, False, False)
    assert callbacks_only.server is None
