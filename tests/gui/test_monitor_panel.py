"""The Monitor panel and the tray: callbacks become rows and timelines, bursts keep the window
responsive, notifications fire once per transition, and events cross threads safely."""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtWidgets import QSystemTrayIcon

from dispatch_desktop.events import StoredEvent
from dispatch_desktop.monitor import JobMonitor, JobState
from dispatch_desktop.storage.journal import LaunchRecord, Outcome, parameters_json
from dispatch_desktop.ui.monitor_panel import EventBridge, MonitorPanel
from dispatch_desktop.ui.tray import NotificationKind, TrayNotifier

JOBID = 777903613308588032  # the reference's runtime id (3.1.x), above 2**53 (F1)
PORTAL_JOBID = 352872112744058883
START_MS = 1644928276273
STARTED = datetime.fromtimestamp(START_MS / 1000, UTC)

_cursors = itertools.count(1)


def callback(
    eventtype: str, *, jobid: int = JOBID, after: float = 0.0, sendname: str = ""
) -> StoredEvent:
    """A stored callback like the reference's, ``after`` seconds past JOB_START."""
    return StoredEvent(
        cursor=next(_cursors),
        received_at=STARTED + timedelta(seconds=after),
        jobid=jobid,
        eventtype=eventtype,
        timestamp_ms=START_MS + round(after * 1000),
        userid=113495,
        jobtype="GroundHandling" if eventtype == "JOB_START" else "",
        sendtaskid=None,
        sendname=sendname,
        contactid=None,
        agent="md-adm" if eventtype == "JOB_START" else "SYSTEM",
        raw="{}",
    )


def launch(goal: int | None = 2) -> LaunchRecord:
    parameters = {"jobid": 1} if goal is None else {"jobid": 1, "responsegoal": goal}
    return LaunchRecord(
        id=1,
        attempted_at=STARTED - timedelta(seconds=1),
        server="https://dispatch.example.com",
        user="alice",
        job_id=1,
        job_name="Fire alarm",
        job_type="QuickAssign",
        generic_type="GMA",
        parameters=parameters_json(parameters),
        outcome=Outcome.OK,
        runtime_id=JOBID,
        result_job_name="Fire alarm 12:00",
        message=None,
        finished_at=STARTED,
    )


@pytest.fixture
def clock() -> list[datetime]:
    return [STARTED + timedelta(seconds=60)]


@pytest.fixture
def panel(qtbot, clock: list[datetime]) -> MonitorPanel:
    now = lambda: clock[0]  # noqa: E731 - a clock the test moves
    widget = MonitorPanel(JobMonitor(clock=now), clock=now)
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    return widget


def cell(panel: MonitorPanel, row: int, column: int) -> str:
    return panel.model.index(row, column).data()


def timeline_rows(panel: MonitorPanel) -> list[list[str]]:
    proxy = panel.timeline_model
    return [
        [proxy.index(row, column).data() for column in range(proxy.columnCount())]
        for row in range(proxy.rowCount())
    ]


def feed(qtbot, panel: MonitorPanel, *events: StoredEvent) -> None:
    """Add ``events`` and wait until the panel's models have them."""
    with qtbot.waitSignal(panel.model_updated, timeout=2000) as blocker:
        panel.add_events(list(events))
    assert blocker.args == [events[-1].cursor]


def test_callbacks_fill_the_table_and_the_timeline(qtbot, panel: MonitorPanel) -> None:
    assert panel.table.accessibleName() == "Monitored jobs"
    assert panel.timeline.accessibleName() == "Job timeline"
    assert panel.progress.accessibleName() == "Response goal progress"
    assert panel.stack.currentWidget() is panel.empty_label

    panel.add_launch(launch(goal=2))
    assert panel.select_job(JOBID)
    assert [cell(panel, 0, c) for c in range(7)] == [
        "Fire alarm 12:00",
        "777903613308588032",  # text, exact (F1)
        "Started",
        "—",  # contacted: not reported (the start used a tag filter, not numbers alone)
        "0",
        "2",
        "1:01",
    ]
    assert panel.stack.currentWidget() is panel.table
    # G6: without callbacks, say that live status needs the receiver.
    assert not panel.no_callbacks_label.isHidden()
    assert panel.no_callbacks_label.text().startswith("Live status needs the callback receiver")
    assert panel.progress.isVisible()
    assert (panel.progress.value(), panel.progress.maximum()) == (0, 2)

    updated: list[object] = []
    panel.job_updated.connect(updated.append)
    feed(
        qtbot, panel, callback("JOB_START"), callback("JOB_ASSIGN", after=20, sendname="Anna Berg")
    )
    assert [cell(panel, 0, c) for c in (2, 4, 5, 6)] == ["Filling", "1", "2", "1:00"]
    assert panel.no_callbacks_label.isHidden()
    assert panel.progress.value() == 1
    assert panel.progress.text() == "1 of 2 assigned"
    rows = timeline_rows(panel)
    assert [row[1:] for row in rows] == [
        ["Job started", "md-adm", "0:00"],
        ["Accepted", "Anna Berg", "0:20"],
    ]
    assert len(updated) == 1  # one per job and flush, not per event

    feed(qtbot, panel, callback("JOB_ASSIGN", after=30, sendname="Tomas Hansson"))
    assert cell(panel, 0, 2) == "Goal reached"
    feed(qtbot, panel, callback("JOB_FINISH", after=33))
    assert [cell(panel, 0, c) for c in (2, 4, 5, 6)] == ["Finished", "2", "2", "ran 0:33"]
    assert panel.progress.value() == 2
    assert len(timeline_rows(panel)) == 4
    assert "0 active jobs" in panel.count_label.text()

    # A job started elsewhere (another desktop, the web portal) goes on top.
    feed(qtbot, panel, callback("JOB_ASSIGN", jobid=PORTAL_JOBID, after=5, sendname="Eva"))
    assert [cell(panel, 0, c) for c in range(7)] == [
        f"Job {PORTAL_JOBID}",
        str(PORTAL_JOBID),
        "Filling",
        "—",
        "1",
        "—",
        "—",
    ]
    assert panel.selected_jobid() == JOBID  # the selection stayed on its job
    assert panel.model.rowCount() == 2


def test_the_timeline_is_in_time_order_when_callbacks_are_not(qtbot, panel: MonitorPanel) -> None:
    feed(qtbot, panel, callback("JOB_ASSIGN", after=20, sendname="Anna Berg"))
    panel.select_job(JOBID)
    assert panel.progress.isHidden()  # no response goal known
    assert timeline_rows(panel)[0][3] == "—"  # no start known yet
    feed(qtbot, panel, callback("JOB_START"))
    rows = timeline_rows(panel)
    assert [row[1] for row in rows] == ["Job started", "Accepted"]
    assert rows[1][3] == "0:20"  # recomputed once the start is known


def test_events_wait_for_the_rebuilt_monitor(qtbot) -> None:
    panel = MonitorPanel()
    qtbot.addWidget(panel)
    assert panel.empty_label.text() == "Loading the monitored jobs…"
    early = callback("JOB_START")
    panel.add_events([early, callback("JOB_ASSIGN", after=3, sendname="Anna Berg")])
    panel.add_launch(launch(goal=5))
    qtbot.wait(2 * 50)
    assert panel.model.rowCount() == 0

    rebuilt = JobMonitor()
    rebuilt.add_event(early)  # the rebuild read this one already
    with qtbot.waitSignal(panel.active_jobs_changed) as blocker:
        panel.set_monitor(rebuilt)
    assert blocker.args == [1]
    job = rebuilt.job(JOBID)
    assert job is not None
    assert (job.assigned, job.goal, job.event_count) == (1, 5, 2)
    assert (cell(panel, 0, 4), cell(panel, 0, 5)) == ("1", "5")


def test_a_burst_of_2000_callbacks_keeps_the_window_responsive(qtbot, panel: MonitorPanel) -> None:
    # 20 jobs of 100 callbacks; the even ones finish.
    events: list[StoredEvent] = []
    for job in range(20):
        jobid = 10_000 + job
        events.append(callback("JOB_START", jobid=jobid))
        assigns = 98 if job % 2 == 0 else 99
        events.extend(
            callback("JOB_ASSIGN", jobid=jobid, after=n, sendname=f"R{n}") for n in range(assigns)
        )
        if job % 2 == 0:
            events.append(callback("JOB_FINISH", jobid=jobid, after=120))
    # Interleaved, as the jobs run at the same time; cursors number them in order of arrival.
    events.sort(key=lambda event: (event.timestamp_ms, event.jobid))
    first = events[0].cursor
    events = [replace(event, cursor=first + n) for n, event in enumerate(events)]
    last_cursor = events[-1].cursor
    feed(qtbot, panel, events[0])
    panel.select_job(events[0].jobid)  # its timeline updates live too

    ticks: list[float] = []
    ticker = QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(lambda: ticks.append(time.monotonic()))
    batches = iter([events[start : start + 50] for start in range(1, len(events), 50)])
    feeder = QTimer()
    feeder.setInterval(10)

    def feed_batch() -> None:
        batch = next(batches, None)
        if batch is None:
            feeder.stop()
        else:
            panel.add_events(batch)

    feeder.timeout.connect(feed_batch)
    ticker.start()
    feeder.start()
    qtbot.waitUntil(lambda: panel.last_cursor == last_cursor, timeout=10_000)
    qtbot.wait(50)
    ticker.stop()

    gaps = [later - earlier for earlier, later in itertools.pairwise(ticks)]
    assert len(ticks) > 20
    assert max(gaps) < 0.1, f"the GUI thread stalled for {max(gaps):.3f} s"
    assert panel.model.rowCount() == 20
    assigned = {cell(panel, row, 1): cell(panel, row, 4) for row in range(20)}
    assert sorted(assigned.values()) == ["98"] * 10 + ["99"] * 10
    assert panel.monitor is not None
    assert panel.monitor.active_count() == 10
    assert "10 active jobs" in panel.count_label.text()
    assert len(timeline_rows(panel)) == 100


def test_tray_notifies_each_transition_once_and_can_be_turned_off(
    qtbot, panel: MonitorPanel
) -> None:
    tray = TrayNotifier(panel)
    assert tray.tray is None or QSystemTrayIcon.isSystemTrayAvailable()
    panel.job_changed.connect(tray.notify)
    panel.active_jobs_changed.connect(tray.set_active_count)

    panel.add_launch(launch(goal=2))
    assert tray.active_count == 1
    assert "1 active job" in tray.tooltip()
    assert not tray.icon().isNull()
    feed(qtbot, panel, callback("JOB_START"))
    assert tray.sent == []  # a start is no news: the user just started it
    feed(qtbot, panel, callback("JOB_ASSIGN", after=20, sendname="Anna Berg"))
    feed(qtbot, panel, callback("JOB_ASSIGN", after=30, sendname="Tomas Hansson"))
    feed(qtbot, panel, callback("JOB_ASSIGN", after=31, sendname="Eva Lind"))
    feed(qtbot, panel, callback("JOB_FINISH", after=40))
    assert [(n.kind, n.text) for n in tray.sent] == [
        (NotificationKind.ASSIGNED, "Anna Berg accepted. 1 of 2 assigned."),
        (NotificationKind.ASSIGNED, "Tomas Hansson accepted. 2 of 2 assigned."),
        (NotificationKind.GOAL_REACHED, "Response goal reached: 2 of 2 assigned."),
        (NotificationKind.ASSIGNED, "Eva Lind accepted. 3 of 2 assigned."),
        (NotificationKind.FINISHED, "Finished with 3 assigned."),
    ]
    assert {n.title for n in tray.sent} == {"Fire alarm 12:00"}
    assert tray.active_count == 0
    assert "No active jobs" in tray.tooltip()

    # Coalesced into one flush, a portal job still gets one notification per transition.
    made: list[object] = []
    tray.notified.connect(made.append)
    feed(
        qtbot,
        panel,
        callback("JOB_START", jobid=PORTAL_JOBID),
        callback("JOB_ASSIGN", jobid=PORTAL_JOBID, after=1),
        callback("JOB_ASSIGN", jobid=PORTAL_JOBID, after=2),
        callback("JOB_FINISH", jobid=PORTAL_JOBID, after=3),
    )
    assert [(n.kind, n.jobid, n.text) for n in made] == [  # type: ignore[attr-defined]
        (NotificationKind.ASSIGNED, PORTAL_JOBID, "2 new assignments."),
        (NotificationKind.FINISHED, PORTAL_JOBID, "Finished with 2 assigned."),
    ]

    tray.set_enabled(False)
    count = len(tray.sent)
    feed(qtbot, panel, callback("JOB_ASSIGN", jobid=42, after=1, sendname="Anna Berg"))
    assert len(tray.sent) == count
    assert tray.active_count == 1  # the count is kept while notifications are off
    assert "1 active job" in tray.tooltip()


def test_the_bridge_hands_events_from_other_threads_to_the_gui_thread(
    qtbot, panel: MonitorPanel
) -> None:
    bridge = EventBridge(panel)
    bridge.events_received.connect(panel.add_events)
    seen_on: set[int] = set()
    bridge.events_received.connect(lambda _batch: seen_on.add(threading.get_ident()))
    per_thread = [
        [callback("JOB_ASSIGN", jobid=100 + worker, after=n) for n in range(250)]
        for worker in range(4)
    ]
    last_cursor = max(event.cursor for events in per_thread for event in events)

    def deliver(events: list[StoredEvent]) -> None:
        for event in events:
            bridge.deliver(event)

    threads = [threading.Thread(target=deliver, args=(events,)) for events in per_thread]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    qtbot.waitUntil(lambda: panel.last_cursor == last_cursor, timeout=5000)
    assert seen_on == {threading.get_ident()}
    assert sorted(cell(panel, row, 4) for row in range(4)) == ["250"] * 4


def test_time_since_start_and_scheduled_jobs_follow_the_clock(
    qtbot, panel: MonitorPanel, clock: list[datetime]
) -> None:
    soon = clock[0] + timedelta(minutes=5)
    scheduled = launch()
    parameters = parameters_json({"jobid": 1, "scheduledstart": soon.isoformat()})
    panel.add_launch(replace(scheduled, parameters=parameters))
    assert cell(panel, 0, 2) == "Scheduled"
    assert cell(panel, 0, 6) == "at " + soon.astimezone().strftime("%H:%M:%S")
    clock[0] = soon + timedelta(seconds=75)
    changed: list[QModelIndex] = []
    panel.model.dataChanged.connect(lambda top, _bottom, _roles=(): changed.append(top))
    qtbot.waitUntil(lambda: cell(panel, 0, 2) == "Started", timeout=3000)
    assert cell(panel, 0, 6) == "1:15"
    assert changed
    monitor = panel.monitor
    assert monitor is not None
    job = monitor.job(JOBID)
    assert job is not None
    assert job.state is JobState.STARTED


def test_a_tray_notification_of_an_exercise_says_so() -> None:
    from dispatch_desktop.monitor.model import JobView
    from dispatch_desktop.ui.tray import transitions

    before = JobView(
        jobid=JOBID,
        name="Evacuation drill",
        job_type="QuickAssign",
        state=JobState.STARTED,
        started_at=STARTED,
        assigned=0,
        goal=2,
        finished_at=None,
        exercise=True,
    )
    after = replace(before, assigned=1, last_recipient="Anna")

    [notification] = transitions(after, before)

    assert notification.title.startswith("EXERCISE · ")
