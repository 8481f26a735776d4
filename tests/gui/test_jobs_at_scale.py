"""The saved-jobs list at scale: 20,000 jobs (the demo's and synthetic ones) in the real panel.
What it shows after each search, filter, view and sort is checked against the jobs themselves
(no timing here: bench/jobs.py measures)."""

from __future__ import annotations

import random
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

import pytest
from conftest import signed_in_at_start, start_app
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from dispatch_desktop.api import JobTypeMapping, SavedJob
from dispatch_desktop.cli import build_parser
from dispatch_desktop.demo.data import SAVED_JOBS
from dispatch_desktop.demo.synthetic import synthetic_jobs
from dispatch_desktop.joblist import JobList
from dispatch_desktop.storage.journal import LaunchJournal, LaunchMode, Outcome
from dispatch_desktop.ui.jobs_panel import JOB_ROLE, JobsView, SavedJobsModel, SavedJobsPanel
from dispatch_desktop.ui.settings import AppSettings
from dispatch_desktop.ui.workers import TaskRunner

SIZE = 20_000
SERVER = "https://dispatch.example.com/dispatch/api"
NAME, TYPE, GENERIC, ID = 0, 1, 2, 3
STAR = SavedJobsModel.STAR_COLUMN


@pytest.fixture(scope="module")
def saved() -> list[SavedJob]:
    """The demo's jobs and synthetic ones, in a shuffled load order (not the name order)."""
    made = [*SAVED_JOBS, *synthetic_jobs(SIZE - len(SAVED_JOBS))]
    jobs = [SavedJob(job.id, job.name, job.type) for job in made]
    random.Random(3).shuffle(jobs)
    return jobs


@pytest.fixture
def panel(
    qtbot, tmp_path: Path, saved: list[SavedJob], runner: TaskRunner, journal: LaunchJournal
) -> SavedJobsPanel:
    settings = AppSettings(tmp_path / "settings.ini")
    panel = SavedJobsPanel(
        settings.job_type_mapping(), settings=settings, runner=runner, journal=journal
    )
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    panel.show()
    panel.set_server(SERVER)
    panel.set_jobs(saved, datetime.now())
    # A long list is prepared on the task runner; meanwhile the panel says it is loading.
    assert "Loading saved jobs" in panel.empty_label.text()
    qtbot.waitUntil(lambda: panel.model.rowCount() == SIZE, timeout=60_000)
    return panel


def shown(panel: SavedJobsPanel) -> list[SavedJob]:
    proxy = panel.proxy
    return [proxy.index(row, 0).data(JOB_ROLE) for row in range(proxy.rowCount())]


def by_name(jobs: list[SavedJob]) -> list[SavedJob]:
    return sorted(jobs, key=lambda job: job.name.casefold())


def found(jobs: list[SavedJob], text: str) -> list[SavedJob]:
    """The jobs whose name, type or id contains ``text``, by name: what the list showed when
    it filtered row by row."""
    needle = text.strip().casefold()
    return by_name(
        [
            job
            for job in jobs
            if needle in job.name.casefold()
            or needle in job.type.casefold()
            or needle in str(job.id)
        ]
    )


def current_job(panel: SavedJobsPanel) -> SavedJob | None:
    return panel.table.currentIndex().data(JOB_ROLE)


def test_the_list_loads_whole_with_exact_ids_sorted_by_name(
    panel: SavedJobsPanel, saved: list[SavedJob]
) -> None:
    assert panel.count_label.text() == f"{SIZE} saved jobs"
    assert panel.stack.currentWidget() is panel.table
    assert shown(panel) == by_name(saved)
    model = panel.model
    ids = {model.index(row, ID).data() for row in range(0, SIZE, 97)}
    assert ids <= {str(job.id) for job in saved}  # F1: never 3.5287356...e17
    assert all(int(job_id) > 2**53 for job_id in ids)


def test_search_by_name_type_or_id_as_you_type(
    qtbot, panel: SavedJobsPanel, saved: list[SavedJob]
) -> None:
    for text in ("INCIDENTBROADCAST", "  oslo night  ", "nattskiftet göteborg"):
        panel.search.clear()
        if text.isascii():
            qtbot.keyClicks(panel.search, text)
        else:  # QTest types ASCII only
            panel.search.insert(text)
        assert found(saved, text), text
        assert shown(panel) == found(saved, text), text
        assert panel.count_label.text() == f"Showing {len(found(saved, text))} of {SIZE} saved jobs"
    panel.search.clear()
    assert len(shown(panel)) == SIZE
    qtbot.keyClicks(panel.search, "no such job")
    assert shown(panel) == []
    assert "No saved job matches" in panel.empty_label.text()


def test_enter_opens_the_only_job_with_that_id(
    qtbot, panel: SavedJobsPanel, saved: list[SavedJob]
) -> None:
    wanted = saved[1234]
    qtbot.keyClicks(panel.search, str(wanted.id))
    assert shown(panel) == [wanted]
    with qtbot.waitSignal(panel.job_activated) as opened:
        qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert opened.args == [wanted]
    assert opened.args[0].id == wanted.id  # exact (F1)


def test_down_goes_to_the_list_and_ctrl_c_copies_the_exact_id(qtbot, panel: SavedJobsPanel) -> None:
    qtbot.keyClicks(panel.search, "oslo")
    qtbot.keyClick(panel.search, Qt.Key.Key_Down)
    job = current_job(panel)
    assert job is not None
    qtbot.keyClick(panel.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == str(job.id)


def test_every_column_sorts_both_ways(panel: SavedJobsPanel, saved: list[SavedJob]) -> None:
    table = panel.table
    table.sortByColumn(ID, Qt.SortOrder.AscendingOrder)
    assert [job.id for job in shown(panel)] == sorted(job.id for job in saved)  # as ints
    table.sortByColumn(ID, Qt.SortOrder.DescendingOrder)
    assert [job.id for job in shown(panel)] == sorted((job.id for job in saved), reverse=True)
    table.sortByColumn(NAME, Qt.SortOrder.DescendingOrder)
    names = [job.name.casefold() for job in shown(panel)]
    assert names == sorted(names, reverse=True)
    table.sortByColumn(TYPE, Qt.SortOrder.AscendingOrder)
    keys = [(job.type.casefold(), job.name.casefold()) for job in shown(panel)]
    assert keys == sorted(keys)  # by type, then by name
    table.sortByColumn(GENERIC, Qt.SortOrder.AscendingOrder)
    labels = [panel.proxy.index(row, GENERIC).data() for row in range(SIZE)]
    assert labels == sorted(labels)
    assert set(labels) == {"GMA", "GMM", "unknown"}
    table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
    assert shown(panel) == by_name(saved)


def test_the_type_filter(panel: SavedJobsPanel, saved: list[SavedJob]) -> None:
    combo = panel.type_filter
    assert [combo.itemData(i) for i in range(1, combo.count())] == sorted(
        {job.type for job in saved}, key=str.casefold
    )
    combo.setCurrentIndex(combo.findData("Bemanningsförfrågan"))
    assert shown(panel) == by_name([job for job in saved if job.type == "Bemanningsförfrågan"])
    assert {panel.proxy.index(row, GENERIC).data() for row in range(50)} == {"unknown"}
    combo.setCurrentIndex(0)
    assert len(shown(panel)) == SIZE


def test_favourites_view_with_the_star_and_ctrl_d(
    qtbot, panel: SavedJobsPanel, saved: list[SavedJob]
) -> None:
    stars = saved[10:13]
    for job in stars:
        panel.set_favourite(job, True)
    panel.set_view(JobsView.FAVOURITES)
    assert shown(panel) == by_name(stars)
    assert panel.count_label.text() == f"Showing 3 of {SIZE} saved jobs"
    assert {panel.proxy.index(row, STAR).data() for row in range(3)} == {"★"}
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.proxy.index(0, 0))
    first = current_job(panel)
    qtbot.keyClick(panel.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert first not in shown(panel)
    assert len(shown(panel)) == 2
    panel.set_view(JobsView.ALL)
    panel.table.sortByColumn(STAR, Qt.SortOrder.AscendingOrder)
    assert shown(panel)[:2] == by_name([job for job in stars if job != first])


def test_recent_view_lists_the_launched_jobs_newest_first(
    qtbot, panel: SavedJobsPanel, saved: list[SavedJob], journal: LaunchJournal
) -> None:
    launched = [saved[5], saved[19_000], saved[77]]
    for job in launched:
        attempt = journal.record_attempt(
            server=SERVER, user="demo", job_id=job.id, mode=LaunchMode.DEMO
        )
        journal.record_outcome(attempt, Outcome.OK)
    panel.set_view(JobsView.RECENT)
    qtbot.waitUntil(lambda: len(shown(panel)) == 3, timeout=10_000)
    assert shown(panel) == launched[::-1]
    assert not panel.table.isColumnHidden(SavedJobsModel.LAUNCHED_COLUMN)
    assert panel.table.isColumnHidden(GENERIC)
    assert panel.proxy.index(0, SavedJobsModel.LAUNCHED_COLUMN).data()
    panel.set_view(JobsView.ALL)
    assert shown(panel) == by_name(saved)


def test_the_selected_job_stays_selected_across_search_sort_and_refresh(
    qtbot, panel: SavedJobsPanel, saved: list[SavedJob]
) -> None:
    job = saved[4321]
    row = shown(panel).index(job)
    panel.table.setCurrentIndex(panel.proxy.index(row, 0))
    qtbot.keyClicks(panel.search, job.name[:5])
    assert current_job(panel) == job
    panel.table.sortByColumn(ID, Qt.SortOrder.DescendingOrder)
    assert current_job(panel) == job
    reloaded = list(saved)
    random.Random(9).shuffle(reloaded)
    panel.set_jobs(JobList(reloaded), datetime.now())  # a refresh, prepared on its worker
    assert current_job(panel) == job
    assert panel.table.selectionModel().isRowSelected(panel.table.currentIndex().row())
    panel.search.setText(str(saved[0].id))  # no longer shown: nothing is current
    assert current_job(panel) is None


def test_a_list_prepared_too_late_is_not_shown(
    qtbot, runner: TaskRunner, saved: list[SavedJob]
) -> None:
    panel = SavedJobsPanel(JobTypeMapping(), runner=runner)
    qtbot.addWidget(panel)
    panel.set_jobs(saved, datetime.now())
    panel.set_signed_out()  # signed out while the list was prepared
    runner.wait_for_done(60_000)
    QApplication.processEvents()
    assert panel.model.rowCount() == 0
    assert "Not signed in" in panel.empty_label.text()
    panel.set_jobs(saved, datetime.now())
    panel.set_jobs(saved[:5], datetime.now())  # a newer, short list wins
    runner.wait_for_done(60_000)
    QApplication.processEvents()
    assert shown(panel) == by_name(saved[:5])


def test_demo_jobs_reach_the_window_through_the_command_line(
    qtbot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    memory_keyring,
    restore_logging,
) -> None:
    monkeypatch.setenv("DISPATCH_DESKTOP_DATA_DIR", str(tmp_path))
    args = build_parser().parse_args(["--demo", "--demo-start-delay", "0", "--demo-jobs", "3000"])
    with ExitStack() as stack:
        start = start_app(qtbot, args, stack)
        assert start.dialog is not None
        title = start.dialog.windowTitle()
        window = signed_in_at_start(qtbot, start)
        qtbot.waitUntil(lambda: window.jobs_panel.model.rowCount() == 3009, timeout=60_000)
        assert window.jobs_panel.model.jobs()[-1].id == synthetic_jobs(3000)[-1].id
        window.context.runner.wait_for_done(10_000)
        window.close()
        window.session.client.close()
    assert title.startswith("[DEMO]")
