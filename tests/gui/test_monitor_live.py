"""The job monitor in the main window, fed live by the demo server's callbacks through the
embedded receiver."""

from __future__ import annotations

from conftest import ModalHandler
from PySide6.QtCore import Qt
from test_launch import CONFIRM, launch_office_party, wait_for_outcome
from test_main_window import OFFICE_PARTY, select_job

from dispatch_desktop.demo import DemoServer
from dispatch_desktop.monitor import JobState
from dispatch_desktop.storage.journal import Outcome
from dispatch_desktop.ui.main_window import MainWindow


def start_monitor(qtbot, window: MainWindow, demo_server: DemoServer) -> None:
    window.context.set_demo_callback_url = lambda url: setattr(demo_server, "callback_url", url)
    window.start_monitor()
    qtbot.waitUntil(lambda: demo_server.callback_url is not None, timeout=10_000)


def test_a_demo_launch_fills_the_timeline_to_the_goal_and_finishes(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    start_monitor(qtbot, window, demo_server)
    assert "/callbacks/" in demo_server.callback_url
    launch_office_party(qtbot, window, modal, jobname="Live drill", tagfilter="Base:STO")
    assert wait_for_outcome(qtbot, window) is Outcome.OK
    runtimeid = int(window.outcome.runtime_id.text())

    def finished() -> bool:
        monitor = window.monitor_panel.monitor
        job = monitor.job(runtimeid) if monitor is not None else None
        return job is not None and job.state is JobState.FINISHED

    qtbot.waitUntil(finished, timeout=15_000)
    job = window.monitor_panel.monitor.job(runtimeid)
    started = demo_server.started_jobs[-1]
    assert job.assigned == len(started.responders)
    assert job.assigned > 0
    qtbot.mouseClick(window.outcome.monitor_button, Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window._monitor_page
    assert window.monitor_panel.selected_jobid() == runtimeid
    # The timeline is read from the event store when the job is selected.
    timeline = window.monitor_panel.timeline_model
    qtbot.waitUntil(lambda: not timeline.loading, timeout=5_000)
    kinds = [entry.kind for entry in timeline.entries()]
    assert kinds[0] == "JOB_START"
    assert kinds[-1] == "JOB_FINISH"
    assert kinds.count("JOB_ASSIGN") == job.assigned
    assert window.monitor_panel.timeline.model().rowCount() == job.event_count


def test_goal_progress_and_notifications(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    start_monitor(qtbot, window, demo_server)
    select_job(qtbot, window, OFFICE_PARTY)
    window.form.tagfilter.set_filter("Base:STO|OSL")
    window.form.keep_replace.click()
    window.form.responsegoal.setValue(2)
    modal.click(CONFIRM)
    window.form.start_button.click()
    assert wait_for_outcome(qtbot, window) is Outcome.OK
    runtimeid = int(window.outcome.runtime_id.text())
    qtbot.waitUntil(lambda: window.history.model.rowCount() == 1, timeout=5_000)

    def done() -> bool:
        job = window.monitor_panel.monitor.job(runtimeid)
        return job is not None and job.state is JobState.FINISHED

    qtbot.waitUntil(done, timeout=15_000)
    job = window.monitor_panel.monitor.job(runtimeid)
    assert job.goal == 2  # from the launch journal
    assert job.assigned == 2
    assert job.goal_reached
    assert window.monitor_panel.select_job(runtimeid)
    assert window.monitor_panel.progress.value() == 2
    kinds = [n.kind.name for n in window.tray.sent if n.jobid == runtimeid]
    assert "ASSIGNED" in kinds
    assert "GOAL_REACHED" in kinds
    assert kinds[-1] == "FINISHED"


def test_notifications_can_be_turned_off(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    start_monitor(qtbot, window, demo_server)
    window.tray.set_enabled(False)
    launch_office_party(qtbot, window, modal, tagfilter="Base:STO")
    assert wait_for_outcome(qtbot, window) is Outcome.OK
    runtimeid = int(window.outcome.runtime_id.text())
    qtbot.waitUntil(
        lambda: (
            (job := window.monitor_panel.monitor.job(runtimeid)) is not None
            and job.state is JobState.FINISHED
        ),
        timeout=15_000,
    )
    assert window.tray.sent == []
