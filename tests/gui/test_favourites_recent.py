"""Favourite saved jobs (a star, kept per server, across restarts) and the Recent view (the jobs
launched lately from this computer on this server), through the real widgets against the demo
server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime

import pytest
from conftest import ModalHandler, demo_form
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from test_launch import CONFIRM, wait_for_outcome
from test_main_window import ALARM, OFFICE_PARTY, select_job, shown_jobs

from dispatch_desktop.api import SavedJob
from dispatch_desktop.demo import DemoServer
from dispatch_desktop.storage.journal import LaunchJournal, LaunchMode, Outcome
from dispatch_desktop.ui.jobs_panel import (
    JOB_ROLE,
    JobsView,
    SavedJobsModel,
    SavedJobsPanel,
    launched_text,
)
from dispatch_desktop.ui.main_window import AppContext, MainWindow
from dispatch_desktop.ui.settings import AppSettings
from dispatch_desktop.ui.signin import sign_in

OSLO_ALERT = 352872253467898883
STAR = SavedJobsModel.STAR_COLUMN


def row_of(panel: SavedJobsPanel, job_id: int) -> int:
    proxy = panel.proxy
    rows = [r for r in range(proxy.rowCount()) if proxy.index(r, 0).data(JOB_ROLE).id == job_id]
    assert rows, f"job {job_id} is not shown"
    return rows[0]


def star_cell(panel: SavedJobsPanel, job_id: int) -> tuple[str, str]:
    """The star cell of ``job_id`` as seen and as a screen reader announces it."""
    index = panel.proxy.index(row_of(panel, job_id), STAR)
    return index.data(), index.data(Qt.ItemDataRole.AccessibleTextRole)


def click_star(qtbot, panel: SavedJobsPanel, job_id: int) -> None:
    index = panel.proxy.index(row_of(panel, job_id), STAR)
    rect = panel.table.visualRect(index)
    assert panel.table.viewport().rect().contains(rect), "the star is out of sight"
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def starred(window: MainWindow) -> list[int]:
    return [
        job.id
        for job in window.jobs_panel.model.jobs()
        if window.jobs_panel.model.is_favourite(job.id)
    ]


def open_window(qtbot, context: AppContext, server: DemoServer) -> MainWindow:
    main = MainWindow(context, sign_in(demo_form(server), context.secrets))
    main.show()
    qtbot.waitUntil(lambda: main.history.status.text() != "", timeout=10_000)
    return main


def close_window(main: MainWindow) -> None:
    main.context.runner.wait_for_done(30_000)
    main.close()
    assert main.session is not None
    main.session.client.close()
    main.deleteLater()


def restarted(context: AppContext) -> AppContext:
    """The same data folder opened again, as by a new run of the app."""
    assert context.journal is not None
    return replace(
        context,
        settings=AppSettings(context.settings.path),
        journal=LaunchJournal(context.journal.path),
    )


@pytest.fixture
def other_server() -> Iterator[DemoServer]:
    """A second server with the same saved jobs (and ids) at another address."""
    with DemoServer(start_delay=0.0, speed=1000.0) as server:
        yield server


def test_a_star_is_kept_across_a_restart_on_that_server_only(
    qtbot, context: AppContext, demo_server: DemoServer, other_server: DemoServer
) -> None:
    first = open_window(qtbot, context, demo_server)
    panel = first.jobs_panel
    # The star comes first in the table and says what it is, not "black star".
    assert panel.table.horizontalHeader().visualIndex(STAR) == 0
    assert (
        panel.model.headerData(STAR, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        == "Favourite"
    )
    assert star_cell(panel, OFFICE_PARTY) == ("☆", "Not a favourite")
    click_star(qtbot, panel, OFFICE_PARTY)
    assert star_cell(panel, OFFICE_PARTY) == ("★", "Favourite")
    assert first._form is None  # a click on the star does not open the job
    close_window(first)

    again = open_window(qtbot, restarted(context), demo_server)
    assert starred(again) == [OFFICE_PARTY]
    assert star_cell(again.jobs_panel, OFFICE_PARTY) == ("★", "Favourite")
    close_window(again)

    elsewhere = open_window(qtbot, restarted(context), other_server)
    assert elsewhere.jobs_panel.model.rowCount() == 9  # the same jobs, the same ids
    assert starred(elsewhere) == []
    close_window(elsewhere)

    # Kept by exact id under the server's address (F1): never a rounded float.
    stored = json.loads(
        QSettings(str(context.settings.path), QSettings.Format.IniFormat).value("favourites/jobs")
    )
    assert stored == {demo_server.url.rstrip("/"): [OFFICE_PARTY]}


def test_ctrl_d_stars_and_unstars_the_selected_job(qtbot, window: MainWindow) -> None:
    panel = window.jobs_panel
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.proxy.index(row_of(panel, ALARM), 0))
    qtbot.keyClick(panel.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert starred(window) == [ALARM]
    assert window.context.settings.favourite_jobs(window.session.server) == [ALARM]
    # From the search field too: the list has the focus, the selected row is the job.
    panel.focus_search()
    qtbot.keyClick(panel.search, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert starred(window) == []
    assert window.context.settings.favourite_jobs(window.session.server) == []


def test_ctrl_d_in_the_start_form_stars_nothing(qtbot, window: MainWindow) -> None:
    select_job(qtbot, window, OFFICE_PARTY)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.form.jobname.setFocus()
    qtbot.keyClick(window.form.jobname, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert starred(window) == []


def test_a_double_click_on_the_star_does_not_open_the_job(qtbot, window: MainWindow) -> None:
    panel = window.jobs_panel
    rect = panel.table.visualRect(panel.proxy.index(row_of(panel, ALARM), STAR))
    qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window._form is None or window.form.job is None


def test_the_favourites_view_lists_only_the_starred_jobs(qtbot, window: MainWindow) -> None:
    panel = window.jobs_panel
    assert panel.view_choice.accessibleName() == "Saved jobs view"
    assert [panel.view_choice.itemText(i) for i in range(panel.view_choice.count())] == [
        "All jobs",
        "Favourites",
        "Recent",
    ]
    panel.set_view(JobsView.FAVOURITES)
    assert panel.stack.currentWidget() is panel.empty_label
    assert "No favourites on this server yet" in panel.empty_label.text()
    assert "Ctrl+D" in panel.empty_label.text()

    panel.set_view(JobsView.ALL)
    click_star(qtbot, panel, OSLO_ALERT)
    click_star(qtbot, panel, ALARM)
    panel.set_view(JobsView.FAVOURITES)
    assert sorted(job.id for job in shown_jobs(window)) == sorted([ALARM, OSLO_ALERT])
    assert "Showing 2 of 9 saved jobs" in panel.count_label.text()
    # Opening one from here is the usual Enter.
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.proxy.index(row_of(panel, OSLO_ALERT), 0))
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert window.form.job is not None
    assert window.form.job.id == OSLO_ALERT
    # Removing a star here takes the job out of the view.
    click_star(qtbot, panel, ALARM)
    assert [job.id for job in shown_jobs(window)] == [OSLO_ALERT]

    # "Favourites first" in the full list: sort by the star column.
    panel.set_view(JobsView.ALL)
    panel.table.sortByColumn(STAR, Qt.SortOrder.AscendingOrder)
    assert shown_jobs(window)[0].id == OSLO_ALERT
    assert len(shown_jobs(window)) == 9


def test_favourites_keep_ids_that_a_double_cannot_tell_apart(qtbot, tmp_path) -> None:
    exact, rounded = 2**53 + 1, 2**53  # float(2**53 + 1) == 2**53 (F1)
    assert float(exact) == float(rounded)
    jobs = [SavedJob(exact, "Exact", "QuickAssign"), SavedJob(rounded, "Rounded", "QuickAssign")]
    server = "https://dispatch.example.com"

    def panel_on(settings: AppSettings) -> SavedJobsPanel:
        panel = SavedJobsPanel(
            AppSettings(tmp_path / "unused.ini").job_type_mapping(), settings=settings
        )
        qtbot.addWidget(panel)
        panel.set_server(server)
        panel.set_jobs(jobs, datetime.now())
        return panel

    settings = AppSettings(tmp_path / "settings.ini")
    panel = panel_on(settings)
    panel.set_favourite(jobs[0], True)
    settings.sync()
    again = panel_on(AppSettings(tmp_path / "settings.ini"))
    assert [again.model.is_favourite(job.id) for job in jobs] == [True, False]


def launch_from_the_list(qtbot, window: MainWindow, modal: ModalHandler, job_id: int) -> None:
    """Open ``job_id`` from the saved jobs, start it and confirm; wait for the outcome."""
    select_job(qtbot, window, job_id)
    window.jobs_panel.search.clear()
    start_and_confirm(qtbot, window, modal)


def start_and_confirm(qtbot, window: MainWindow, modal: ModalHandler) -> None:
    modal.click(CONFIRM)
    qtbot.mouseClick(window.form.start_button, Qt.MouseButton.LeftButton)
    assert wait_for_outcome(qtbot, window) is Outcome.OK
    qtbot.waitUntil(lambda: not window.launcher.in_flight, timeout=15_000)


def recent_ids(window: MainWindow) -> list[int]:
    return [job.id for job in shown_jobs(window)]


def test_the_recent_view_lists_the_jobs_launched_here_newest_first(
    qtbot, window: MainWindow, modal: ModalHandler
) -> None:
    panel = window.jobs_panel
    panel.set_view(JobsView.RECENT)
    assert "No saved job has been launched from this computer on this server yet." in (
        panel.empty_label.text()
    )
    launched = SavedJobsModel.LAUNCHED_COLUMN
    assert not panel.table.isColumnHidden(launched)
    panel.set_view(JobsView.ALL)
    assert panel.table.isColumnHidden(launched)

    launch_from_the_list(qtbot, window, modal, OFFICE_PARTY)
    launch_from_the_list(qtbot, window, modal, OSLO_ALERT)
    panel.set_view(JobsView.RECENT)
    qtbot.waitUntil(lambda: recent_ids(window) == [OSLO_ALERT, OFFICE_PARTY], timeout=10_000)
    assert window.context.journal is not None
    newest = window.context.journal.entries(limit=1)[0]
    assert panel.proxy.index(0, launched).data() == launched_text(
        newest.attempted_at, datetime.now()
    )
    assert "Showing 2 of 9 saved jobs" in panel.count_label.text()
    # The launch time takes the generic type's place: at 1366 px the names keep their room.
    assert panel.table.isColumnHidden(SavedJobsModel.GENERIC_COLUMN)
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: panel.table.columnWidth(launched) > 0)
    room = panel.table.columnWidth(0)
    widest = max(
        panel.table.fontMetrics().horizontalAdvance(job.name) for job in panel.model.jobs()
    )
    assert widest < room

    # Opening one from here is the usual Enter.
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.proxy.index(1, 0))
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert window.form.job is not None
    assert window.form.job.id == OFFICE_PARTY

    # A launch while the view is open puts its job on top (opened from elsewhere: it is not
    # in this view yet).
    window.open_job(next(job for job in panel.model.jobs() if job.id == ALARM))
    start_and_confirm(qtbot, window, modal)
    qtbot.waitUntil(lambda: recent_ids(window) == [ALARM, OSLO_ALERT, OFFICE_PARTY], timeout=10_000)

    panel.set_view(JobsView.ALL)
    assert panel.table.isColumnHidden(launched)
    # The generic type comes back where the names keep their room beside it (issue 11: a
    # name is never cut for it): not in this list at 1366 px, at once in a wider one.
    assert widest < panel.table.columnWidth(0)
    window.resize(1920, 1000)
    qtbot.waitUntil(lambda: not panel.table.isColumnHidden(SavedJobsModel.GENERIC_COLUMN))
    assert widest < panel.table.columnWidth(0)
    assert len(shown_jobs(window)) == 9
    assert shown_jobs(window)[0].name == "Alarm"  # back to the sort by name
    assert QApplication.activeModalWidget() is None


def test_recent_lists_each_job_once_by_its_latest_launch_on_this_server_only(
    qtbot, window: MainWindow
) -> None:
    journal = window.context.journal
    assert journal is not None
    assert window.session is not None
    here = window.session.server

    def journaled(job_id: int, outcome: Outcome, server: str = here) -> None:
        attempt = journal.record_attempt(
            server=server, user="demo", job_id=job_id, mode=LaunchMode.DEMO
        )
        if outcome is not Outcome.PENDING:
            journal.record_outcome(attempt, outcome)

    journaled(OFFICE_PARTY, Outcome.OK)
    journaled(OSLO_ALERT, Outcome.OK)
    journaled(OFFICE_PARTY, Outcome.UNKNOWN)  # may have gone out: it was launched
    journaled(OSLO_ALERT, Outcome.PENDING)  # a start in flight (or a crash during one)
    journaled(ALARM, Outcome.CANCELLED)  # never left this computer
    journaled(ALARM, Outcome.REFUSED_LOCALLY)
    journaled(ALARM, Outcome.OK, server="https://dispatch.example.com")  # another server

    panel = window.jobs_panel
    panel.set_view(JobsView.RECENT)
    qtbot.waitUntil(lambda: len(shown_jobs(window)) == 2, timeout=10_000)
    assert recent_ids(window) == [OSLO_ALERT, OFFICE_PARTY]


def test_recent_says_when_the_journal_cannot_be_read(qtbot, window: MainWindow) -> None:
    journal = window.context.journal
    assert journal is not None
    journal.path.write_bytes(b"not a database" * 100)
    panel = window.jobs_panel
    panel.set_view(JobsView.RECENT)
    qtbot.waitUntil(
        lambda: "The recent launches could not be read" in panel.empty_label.text(), timeout=5000
    )
    assert panel.stack.currentWidget() is panel.empty_label
    assert "Traceback" not in panel.empty_label.text()
