"""The History at scale: pages of the journal read as they are shown, every row in order,
newest first; a launch's attempt and then its outcome read alone, not the whole journal; the
server scope kept in every read; the CSV export off the GUI thread with progress and Cancel.

The journal is a real SQLite file; :class:`SpyJournal` only notes what the History reads and
can hold one read in its thread, so that a race is played out in a fixed order."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import stat
import threading
from collections.abc import Iterable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from dispatch_desktop.storage.journal import EXPORT_STEP, LaunchJournal, LaunchMode, Outcome
from dispatch_desktop.ui import history_panel
from dispatch_desktop.ui.history_panel import PAGE_ROWS, HistoryPanel, LaunchScope
from dispatch_desktop.ui.workers import TaskRunner

SERVER = "https://dispatch.example.com/dispatch/api"
OTHER = "https://other.example.com/dispatch/api"
SCOPE = LaunchScope.of(SERVER, demo=False)
JOB_ID = 2**63 - 7  # exact only as an integer (F1)
RUNTIME_ID = 2**63 - 11
RECORD = Qt.ItemDataRole.UserRole
HELD_SECONDS = 20


class SpyJournal(LaunchJournal):
    """A real journal that notes the History's reads, and holds the next read of kind
    ``hold`` ("ids", "rows" or "export") in its thread, after it is done, until ``release``
    is set."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.reads: list[tuple[str, Any]] = []
        self.hold: str | None = None
        self.held = threading.Event()
        self.release = threading.Event()

    def _maybe_hold(self, kind: str) -> None:
        if self.hold == kind:
            self.hold = None
            self.held.set()
            assert self.release.wait(HELD_SECONDS)

    def launch_ids(self, server: str, modes: Any, *, after: int = 0) -> Any:
        ids = super().launch_ids(server, modes, after=after)
        self.reads.append(("ids", after))
        self._maybe_hold("ids")
        return ids

    def launches(self, ids: Iterable[int]) -> Any:
        wanted = list(ids)
        records = super().launches(wanted)
        self.reads.append(("rows", wanted))
        self._maybe_hold("rows")
        return records

    def export_csv(self, target: Any, progress: Any = None) -> int:
        def step(written: int, total: int) -> bool:
            if written:  # rows are in the file by now
                self._maybe_hold("export")
            return progress(written, total)

        return super().export_csv(target, step)


def fill(journal: LaunchJournal, kinds: Iterable[tuple[str, LaunchMode]]) -> list[int]:
    """One launch (started) of each (server, mode), oldest first, in one transaction; the
    ids of those in SCOPE."""
    with closing(sqlite3.connect(journal.path, isolation_level=None)) as connection:
        connection.execute("BEGIN")
        for number, (server, mode) in enumerate(kinds):
            connection.execute(
                "INSERT INTO launches (attempted_at, server, user, job_id, job_name, parameters,"
                " outcome, runtime_id, mode) VALUES (?, ?, 'alice', ?, ?, ?, 'ok', ?, ?)",
                (
                    f"2026-01-01T00:{number // 60 % 60:02d}:{number % 60:02d}.000+00:00",
                    server,
                    JOB_ID - number,
                    f"Job {number}",
                    f'{{"jobid": {JOB_ID - number}, "message": "Message {number}"}}',
                    RUNTIME_ID - number,
                    mode.value,
                ),
            )
        connection.execute("COMMIT")
    return list(reversed(journal.launch_ids(SERVER, SCOPE.modes)))


def mixed(count: int) -> list[tuple[str, LaunchMode]]:
    """``count`` launches in SCOPE, with others of another server and demo rows of this one
    (hidden in a real profile) between them."""
    kinds = []
    for number in range(count):
        kinds.append((SERVER, LaunchMode.EXERCISE if number % 5 == 0 else LaunchMode.LIVE))
        if number % 3 == 0:
            kinds.append((OTHER, LaunchMode.LIVE))
        if number % 4 == 0:
            kinds.append((SERVER, LaunchMode.DEMO))
    return kinds


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[SpyJournal]:
    journal = SpyJournal(tmp_path / "journal.sqlite3")
    yield journal
    journal.release.set()  # a test that failed while a read was held


def open_panel(qtbot, journal: LaunchJournal, runner: TaskRunner) -> HistoryPanel:
    panel = HistoryPanel(journal, runner)
    qtbot.addWidget(panel)
    panel.resize(1000, 500)
    panel.show()
    if isinstance(journal, SpyJournal):
        journal.reads.clear()
    panel.show_launches(SCOPE)
    qtbot.waitUntil(lambda: "recorded on" in panel.status.text())
    return panel


def open_watched(
    qtbot, journal: LaunchJournal, runner: TaskRunner, launches: int
) -> tuple[list[int], HistoryPanel, Any]:
    """A panel over ``launches`` in SCOPE (and others), newest first, and the journal as a
    launch writes to it."""
    expected = fill(journal, mixed(launches))[::-1]
    panel = open_panel(qtbot, journal, runner)
    watched = panel.watching(journal)
    assert watched is not None
    return expected, panel, watched


def cell(panel: HistoryPanel, row: int, name: str) -> Any:
    return panel.model.index(row, panel.model.COLUMNS.index(name)).data()


def record_at(panel: HistoryPanel, row: int) -> Any:
    return panel.model.index(row, 0).data(RECORD)


def shown_ids(qtbot, panel: HistoryPanel) -> list[int]:
    """Every row's journal id as the table shows it, scrolled to row by row."""
    ids = []
    for row in range(panel.model.rowCount()):
        panel.table.scrollTo(panel.model.index(row, 0))
        qtbot.waitUntil(lambda row=row: record_at(panel, row) is not None)
        ids.append(record_at(panel, row).id)
    return ids


def in_thread(function: Any) -> Any:
    """``function()`` in another thread, as the launcher writes the journal; its result."""
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(function()))
    thread.start()
    thread.join(30)
    return result[0] if result else None


# -- paging -----------------------------------------------------------------------------------


def test_every_row_of_the_scope_in_order_newest_first_read_page_by_page(
    qtbot, journal: SpyJournal, runner: TaskRunner
) -> None:
    expected = fill(journal, mixed(3 * PAGE_ROWS + 17))[::-1]  # newest first

    panel = open_panel(qtbot, journal, runner)

    model = panel.model
    assert model.rowCount() == len(expected)
    assert panel.status.text() == f"{len(expected)} launch attempts recorded on {SERVER}."
    # Opening read the ids and one page, not the whole journal.
    assert journal.reads == [("ids", 0), ("rows", expected[:PAGE_ROWS])]
    last = len(expected) - 1
    assert cell(panel, last, "Time") == "Loading…"  # not read yet: now asked for
    qtbot.waitUntil(lambda: record_at(panel, last) is not None)
    assert cell(panel, last, "Saved job id") == str(JOB_ID)  # the oldest launch, exact (F1)
    assert cell(panel, last, "Message") == "Message 0"

    assert shown_ids(qtbot, panel) == expected
    pages = [read for kind, read in journal.reads if kind == "rows"]
    assert all(len(page) <= PAGE_ROWS for page in pages)
    assert sorted(id_ for page in pages for id_ in page) == sorted(expected)  # each read once
    rows = [record_at(panel, row) for row in range(model.rowCount())]
    assert {(r.server, r.mode) for r in rows} == {
        (SERVER, LaunchMode.LIVE),
        (SERVER, LaunchMode.EXERCISE),
    }


def test_rows_scrolled_past_long_ago_are_read_again_when_shown(
    qtbot, journal: SpyJournal, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history_panel, "MAX_HELD_ROWS", 2 * PAGE_ROWS)
    expected = fill(journal, mixed(4 * PAGE_ROWS))[::-1]
    panel = open_panel(qtbot, journal, runner)
    [newest] = journal.launches(expected[:1])
    assert shown_ids(qtbot, panel) == expected

    journal.reads.clear()
    panel.table.scrollToTop()
    qtbot.waitUntil(lambda: record_at(panel, 0) is not None)
    assert record_at(panel, 0) == newest
    assert cell(panel, 0, "Runtime id") == str(newest.runtime_id)
    assert ("rows", expected[:PAGE_ROWS]) in journal.reads  # forgotten, read again


# -- a launch ---------------------------------------------------------------------------------


def test_a_launch_reads_only_its_row_shows_it_sending_then_its_outcome(
    qtbot, journal: SpyJournal, runner: TaskRunner
) -> None:
    expected, panel, watched = open_watched(qtbot, journal, runner, 2 * PAGE_ROWS)
    journal.reads.clear()

    attempt = in_thread(
        lambda: watched.record_attempt(
            server=SERVER,
            user="alice",
            job_id=JOB_ID,
            job_name="Fire alarm",
            parameters={"jobid": JOB_ID, "message": "Fire at gate 3"},
        )
    )

    qtbot.waitUntil(lambda: getattr(record_at(panel, 0), "id", None) == attempt)
    assert cell(panel, 0, "Outcome") == "Sending…"
    assert cell(panel, 0, "Message") == "Fire at gate 3"
    assert panel.model.rowCount() == len(expected) + 1
    assert record_at(panel, 1).id == expected[0]
    assert panel.status.text() == f"{len(expected) + 1} launch attempts recorded on {SERVER}."
    assert journal.reads == [("ids", expected[0]), ("rows", [attempt])]

    journal.reads.clear()
    in_thread(lambda: watched.record_outcome(attempt, Outcome.OK, runtimeid=RUNTIME_ID))

    qtbot.waitUntil(lambda: cell(panel, 0, "Outcome") == "Started")
    assert cell(panel, 0, "Runtime id") == str(RUNTIME_ID)  # every digit (F1)
    assert panel.model.rowCount() == len(expected) + 1
    qtbot.waitUntil(lambda: not runner.busy)
    assert journal.reads
    assert all(read in [("ids", attempt), ("rows", [attempt])] for read in journal.reads)
    assert shown_ids(qtbot, panel)[:3] == [attempt, *expected[:2]]


def test_a_launch_on_another_server_or_in_demo_mode_stays_out(
    qtbot, journal: SpyJournal, runner: TaskRunner
) -> None:
    expected, panel, watched = open_watched(qtbot, journal, runner, 5)
    for server, mode in ((OTHER, LaunchMode.LIVE), (SERVER, LaunchMode.DEMO)):
        attempt = in_thread(
            lambda server=server, mode=mode: watched.record_attempt(
                server=server, user="alice", job_id=JOB_ID, mode=mode
            )
        )
        in_thread(lambda attempt=attempt: watched.record_outcome(attempt, Outcome.OK))
    qtbot.waitUntil(lambda: not runner.busy)

    assert shown_ids(qtbot, panel) == expected
    assert panel.status.text() == f"{len(expected)} launch attempts recorded on {SERVER}."


def test_an_outcome_and_a_launch_of_another_process_come_with_the_next_refresh(
    qtbot, journal: SpyJournal, runner: TaskRunner
) -> None:
    expected = fill(journal, mixed(3))[::-1]
    pending = journal.record_attempt(server=SERVER, user="bob", job_id=JOB_ID)  # crashed? F3
    panel = open_panel(qtbot, journal, runner)
    assert cell(panel, 0, "Outcome") == "Pending — outcome unknown"

    # Another Dispatch Desktop on this profile settles it and launches again.
    journal.record_outcome(pending, Outcome.NOT_STARTED, message="No recipients")
    newer = journal.record_attempt(server=SERVER, user="bob", job_id=JOB_ID)
    panel.refresh_rows()

    qtbot.waitUntil(lambda: getattr(record_at(panel, 0), "id", None) == newer)
    qtbot.waitUntil(lambda: cell(panel, 1, "Outcome") == "Not started")
    assert cell(panel, 1, "Details") == "No recipients"
    assert shown_ids(qtbot, panel) == [newer, pending, *expected]


def test_a_launch_during_a_full_read_is_not_lost(
    qtbot, journal: SpyJournal, runner: TaskRunner
) -> None:
    expected, panel, watched = open_watched(qtbot, journal, runner, 3)
    journal.hold = "ids"
    panel.reload()  # e.g. the Reload button
    assert journal.held.wait(HELD_SECONDS)  # its ids are read: without the launch below

    attempt = in_thread(lambda: watched.record_attempt(server=SERVER, user="al", job_id=JOB_ID))
    qtbot.wait(50)  # the attempt's signal is delivered while the read is held
    journal.release.set()

    qtbot.waitUntil(lambda: getattr(record_at(panel, 0), "id", None) == attempt)
    assert cell(panel, 0, "Outcome") == "Sending…"
    assert shown_ids(qtbot, panel) == [attempt, *expected]


def test_a_read_begun_for_the_server_left_is_never_shown(
    qtbot, journal: SpyJournal, runner: TaskRunner
) -> None:
    fill(journal, mixed(4))
    other = journal.record_attempt(server=OTHER, user="alice", job_id=JOB_ID)
    panel = open_panel(qtbot, journal, runner)
    journal.hold = "ids"
    panel.reload()
    assert journal.held.wait(HELD_SECONDS)

    panel.show_launches(LaunchScope.of(OTHER, demo=False))  # signed in elsewhere meanwhile
    qtbot.waitUntil(lambda: OTHER in panel.status.text())
    journal.release.set()
    runner.wait_for_done(10_000)
    qtbot.wait(50)  # the held read's answer, had it been kept

    assert shown_ids(qtbot, panel)[0] == other
    assert {record_at(panel, row).server for row in range(panel.model.rowCount())} == {OTHER}


# -- the table ------------------------------------------------------------------------------


def test_ids_and_times_fit_their_columns_whole(
    qtbot, journal: SpyJournal, runner: TaskRunner
) -> None:
    fill(journal, mixed(1))
    panel = open_panel(qtbot, journal, runner)
    header = panel.table.horizontalHeader()
    metrics = panel.table.fontMetrics()
    for name in ("Runtime id", "Saved job id", "Time"):
        column = panel.model.COLUMNS.index(name)
        text = str(2**63 - 1) if name != "Time" else cell(panel, 0, "Time")
        assert header.sectionSize(column) > metrics.horizontalAdvance(text), name


# -- export ---------------------------------------------------------------------------------


def test_export_writes_every_row_of_the_profile_in_order_with_progress(
    qtbot, journal: SpyJournal, runner: TaskRunner, tmp_path: Path
) -> None:
    fill(journal, mixed(EXPORT_STEP))  # more rows than one step: progress is reported
    total = len(journal.entries())
    panel = open_panel(qtbot, journal, runner)
    values: list[int] = []
    panel.export_progress.valueChanged.connect(values.append)
    target = tmp_path / "history.csv"

    panel.export_to(target)
    assert panel.export_progress.isVisible()
    assert not panel.export_button.isEnabled()
    qtbot.waitUntil(lambda: f"Exported {total} launch attempts" in panel.status.text())

    assert values[-1] == total
    assert any(0 < value < total for value in values)
    assert not panel.export_progress.isVisible()
    assert not panel.cancel_export_button.isVisible()
    assert panel.export_button.isEnabled()
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [int(row["id"]) for row in rows] == list(range(1, total + 1))  # all servers, modes
    assert {(row["server"], row["mode"]) for row in rows} == {
        (SERVER, "live"),
        (SERVER, "exercise"),
        (SERVER, "demo"),
        (OTHER, "live"),
    }
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_cancel_stops_the_export_and_leaves_no_file(
    qtbot, journal: SpyJournal, runner: TaskRunner, tmp_path: Path
) -> None:
    fill(journal, mixed(EXPORT_STEP))
    panel = open_panel(qtbot, journal, runner)
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "history.csv"
    journal.hold = "export"

    panel.export_to(target)
    assert journal.held.wait(HELD_SECONDS)  # a step of rows is written
    assert [path.suffix for path in folder.iterdir()] == [".part"]
    assert panel.cancel_export_button.isVisible()
    qtbot.mouseClick(panel.cancel_export_button, Qt.MouseButton.LeftButton)
    assert panel.status.text() == "Cancelling the export…"
    journal.release.set()

    qtbot.waitUntil(lambda: not panel.exporting)
    assert panel.status.text() == "Export cancelled; no file was written."
    assert list(folder.iterdir()) == []
    assert not panel.export_progress.isVisible()
    assert panel.export_button.isEnabled()
    panel.export_to(target)  # and the next export runs
    qtbot.waitUntil(lambda: "Exported" in panel.status.text())
    assert [path.name for path in folder.iterdir()] == ["history.csv"]


def test_a_read_that_ends_after_the_history_is_gone_is_dropped(
    qtbot, journal: SpyJournal, runner: TaskRunner
) -> None:
    fill(journal, mixed(3))
    panel = HistoryPanel(journal, runner)
    panel.show()
    journal.hold = "ids"
    panel.show_launches(SCOPE)
    assert journal.held.wait(HELD_SECONDS)

    panel.close()
    panel.deleteLater()
    qtbot.wait(50)  # deleted
    journal.release.set()
    runner.wait_for_done(10_000)
    qtbot.wait(50)  # the answer is delivered to no one, and nothing fails
