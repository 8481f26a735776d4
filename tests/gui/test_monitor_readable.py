"""The Monitor read at 1366 × 768 in the main window, with a demo launch's callbacks: whole job
names and times, contacted / accepted / goal counts, and a timeline whose event column says
what happened."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyle, QTableView
from test_main_window import OFFICE_PARTY
from test_monitor_live import start_monitor
from test_monitor_panel import launch as journaled_launch

from dispatch_desktop.api import GenericType, StartJobRequest
from dispatch_desktop.demo import DemoServer
from dispatch_desktop.demo.data import CONTACTS
from dispatch_desktop.launcher import LaunchPlan
from dispatch_desktop.monitor import JobMonitor, JobState
from dispatch_desktop.storage.journal import LaunchMode, parameters_json
from dispatch_desktop.ui.main_window import MainWindow

NAME = "Stockholm readiness check"  # the longest name of the demo's saved jobs
NUMBERS = [contact.phone for contact in CONTACTS[:3]]
JOB_COLUMNS = ("Job", "Runtime id", "State", "Contacted", "Accepted", "Goal", "Since start")


def shown_whole(table: QTableView, row: int, column: int) -> bool:
    """Whether the cell's text is painted whole: its column lies inside the view and is wide
    enough for the text, so the delegate does not elide it."""
    text = table.model().index(row, column).data()
    header = table.horizontalHeader()
    left = header.sectionViewportPosition(column)
    width = header.sectionSize(column)
    if left < 0 or left + width > table.viewport().width():
        return False
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table)
    room = width - 2 * (margin + 1)
    return table.fontMetrics().horizontalAdvance(text) <= room


def launch_with_numbers(window: MainWindow) -> None:
    """Office Party sent to three numbers alone (its own recipients replaced), goal 2, as the
    launch controller runs it from the confirmation."""
    session = window.session
    assert session is not None
    job = next(job for job in window.jobs_panel.model.jobs() if job.id == OFFICE_PARTY)
    request = StartJobRequest(jobid=OFFICE_PARTY, jobname=NAME, tonumbers=NUMBERS, responsegoal=2)
    plan = LaunchPlan(
        job=job,
        request=request,
        generic_type=GenericType.GMM,
        server=session.server,
        user=session.user,
        mode=LaunchMode.DEMO,
    )
    assert window.launcher.launch(session.client, plan, window.context.journal)


def test_the_monitor_at_1366_by_768_shows_names_times_counts_and_events(
    qtbot, window: MainWindow, demo_server: DemoServer
) -> None:
    window.resize(1366, 768)
    start_monitor(qtbot, window, demo_server)
    launch_with_numbers(window)
    qtbot.waitUntil(lambda: window.outcome.kind is not None, timeout=15_000)
    runtimeid = int(window.outcome.runtime_id.text())
    panel = window.monitor_panel
    assert panel is not None

    def finished() -> bool:
        job = panel.monitor.job(runtimeid) if panel.monitor is not None else None
        return job is not None and job.state is JobState.FINISHED

    qtbot.waitUntil(finished, timeout=15_000)
    window.show_monitored_job(runtimeid)
    qtbot.waitUntil(lambda: panel.table.isVisible() and panel.timeline.isVisible())
    qtbot.waitUntil(lambda: not panel.timeline_model.loading)  # read from the event store
    assert window.width() == 1366

    # The job's row: every column whole, the counts in their own columns.
    row = panel.model.row_of(runtimeid)
    assert row is not None
    headers = [panel.model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)]
    assert tuple(headers) == JOB_COLUMNS
    cells = [panel.model.index(row, column).data() for column in range(7)]
    assert cells[:6] == [NAME, str(runtimeid), "Finished", "3", "2", "2"]
    assert cells[6].startswith("ran ")
    hidden = [JOB_COLUMNS[c] for c in range(7) if not shown_whole(panel.table, row, c)]
    assert hidden == []
    # Every saved job's name would fit whole too.
    name_room = panel.table.horizontalHeader().sectionSize(0)
    widest = max(
        panel.table.fontMetrics().horizontalAdvance(job.name)
        for job in window.jobs_panel.model.jobs()
    )
    assert widest < name_room
    tips = [
        panel.model.index(row, column).data(Qt.ItemDataRole.ToolTipRole) for column in (3, 4, 5)
    ]
    assert tips == [
        "Sent to the 3 numbers given at the start.",
        "2 recipients accepted.",
        "The start asked for 2 confirmed responders.",
    ]

    # The timeline: the event column says what happened, the name stands beside it once.
    timeline = panel.timeline
    rows = [
        [timeline.model().index(r, c).data() for c in range(4)]
        for r in range(timeline.model().rowCount())
    ]
    events = [event for _time, event, _who, _took in rows]
    assert events == ["Job started", "Accepted", "Accepted", "Job finished"]
    responders = [name.name or name.phone for name in demo_server.started_jobs[-1].responders]
    assert [who for _time, event, who, _took in rows if event == "Accepted"] == responders
    for _time, event, who, _took in rows:
        assert who == "" or who not in event
    assert rows[0][2] == demo_server.started_jobs[-1].username  # who started it
    for r in range(len(rows)):
        whole = [c for c in range(4) if shown_whole(timeline, r, c)]
        assert whole == [0, 1, 2, 3], rows[r]


def test_a_start_scheduled_on_another_day_is_shown_whole(qtbot, window: MainWindow) -> None:
    window.resize(1366, 768)
    window.monitor  # noqa: B018 - builds the panel
    panel = window.monitor_panel
    assert panel is not None
    panel.set_monitor(JobMonitor())
    window.tabs.setCurrentWidget(window._monitor_page)
    record = journaled_launch()
    # Two days ahead, to the minute as the start form gives it.
    later = (datetime.now().astimezone() + timedelta(days=2)).replace(second=0, microsecond=0)
    parameters = parameters_json({"jobid": 1, "scheduledstart": later.isoformat()})
    server = window.session.server if window.session else record.server  # the rows shown
    panel.add_launch(replace(record, parameters=parameters, result_job_name=NAME, server=server))
    qtbot.waitUntil(panel.table.isVisible)
    text = panel.model.index(0, 6).data()
    assert text == "at " + later.strftime("%Y-%m-%d %H:%M")
    assert panel.model.index(0, 6).data(Qt.ItemDataRole.ToolTipRole) == (
        "Scheduled to start at " + later.strftime("%Y-%m-%d %H:%M:%S")
    )
    assert shown_whole(panel.table, 0, 6)
    assert shown_whole(panel.table, 0, 0)
