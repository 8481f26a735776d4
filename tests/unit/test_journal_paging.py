"""What the History reads at 100,000 launches: one scope's ids, the rows of a page by id,
only what is newer than the rows shown; and a CSV export that reports its progress, can be
cancelled, and never leaves a partial file."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pytest

from dispatch_desktop.storage.journal import (
    EXPORT_STEP,
    ExportCancelled,
    LaunchJournal,
    LaunchMode,
)

SERVER = "https://dispatch.example.com/dispatch/api"
OTHER = "https://other.example.com/dispatch/api"
REAL = (LaunchMode.LIVE, LaunchMode.EXERCISE)
BIG_ID = 2**63 - 25  # exact only as an integer (F1)


@pytest.fixture
def journal(tmp_path: Path) -> LaunchJournal:
    return LaunchJournal(tmp_path / "journal.sqlite3")


def attempt(
    journal: LaunchJournal, server: str = SERVER, mode: LaunchMode = LaunchMode.LIVE
) -> int:
    return journal.record_attempt(
        server=server, user="alice", job_id=BIG_ID, parameters={"jobid": BIG_ID}, mode=mode
    )


def bulk_rows(journal: LaunchJournal, count: int) -> None:
    """``count`` launches against SERVER, live, written in one transaction (fast)."""
    with closing(sqlite3.connect(journal.path, isolation_level=None)) as connection:
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO launches (attempted_at, server, user, job_id, parameters, outcome, "
            "mode) VALUES ('2026-01-01T00:00:00.000+00:00', ?, 'alice', ?, '{}', 'ok', 'live')",
            [(SERVER, BIG_ID - number) for number in range(count)],
        )
        connection.execute("COMMIT")


@pytest.fixture
def mixed(journal: LaunchJournal) -> dict[str, list[int]]:
    """Rows of two servers and three modes, interleaved; the ids of each kind, oldest first."""
    kinds: dict[str, list[int]] = {"real": [], "demo here": [], "other server": []}
    for _ in range(4):
        kinds["real"].append(attempt(journal))
        kinds["demo here"].append(attempt(journal, mode=LaunchMode.DEMO))
        kinds["real"].append(attempt(journal, mode=LaunchMode.EXERCISE))
        kinds["other server"].append(attempt(journal, OTHER))
    return kinds


# -- the ids of a scope, the rows of a page -------------------------------------------------


def test_the_ids_of_a_scope_are_its_servers_rows_in_its_modes_newest_first(
    journal: LaunchJournal, mixed: dict[str, list[int]]
) -> None:
    assert list(journal.launch_ids(SERVER, REAL)) == mixed["real"][::-1]
    assert list(journal.launch_ids(SERVER, [LaunchMode.DEMO])) == mixed["demo here"][::-1]
    assert list(journal.launch_ids(OTHER, REAL)) == mixed["other server"][::-1]
    assert list(journal.launch_ids(SERVER, [])) == []
    assert list(journal.launch_ids("https://nowhere.example.com", REAL)) == []


def test_only_the_ids_newer_than_the_rows_shown(
    journal: LaunchJournal, mixed: dict[str, list[int]]
) -> None:
    shown = journal.launch_ids(SERVER, REAL)
    assert list(journal.launch_ids(SERVER, REAL, after=shown[0])) == []
    newer = [attempt(journal), attempt(journal, OTHER), attempt(journal, mode=LaunchMode.EXERCISE)]
    assert list(journal.launch_ids(SERVER, REAL, after=shown[0])) == [newer[2], newer[0]]
    assert list(journal.launch_ids(SERVER, REAL, after=shown[2])) == [
        newer[2],
        newer[0],
        shown[0],
        shown[1],
    ]


def test_the_rows_of_a_page_newest_first_whatever_order_they_are_asked_in(
    journal: LaunchJournal, mixed: dict[str, list[int]]
) -> None:
    real = mixed["real"]
    records = journal.launches([real[1], real[5], real[0], real[5], 10**9])
    assert [r.id for r in records] == [real[5], real[1], real[0]]  # once each; 10**9 is none
    assert all(r.server == SERVER and r.job_id == BIG_ID for r in records)
    assert journal.launches([]) == []


def test_a_page_of_more_ids_than_one_statement_takes(journal: LaunchJournal) -> None:
    bulk_rows(journal, 1234)
    ids = journal.launch_ids(SERVER, REAL)
    assert len(ids) == 1234
    assert [r.id for r in journal.launches(reversed(ids))] == list(ids)
    newest = [r.job_id for r in journal.launches(ids[:3])]
    assert newest == [BIG_ID - 1233, BIG_ID - 1232, BIG_ID - 1231]  # exact (F1)


def test_entries_of_some_modes(journal: LaunchJournal, mixed: dict[str, list[int]]) -> None:
    assert [r.id for r in journal.entries(server=SERVER, modes=REAL)] == mixed["real"][::-1]
    assert [r.id for r in journal.entries(limit=2, modes=[LaunchMode.DEMO])] == mixed["demo here"][
        :1:-1
    ]
    assert len(journal.entries()) == 16


# -- export ---------------------------------------------------------------------------------


def files_in(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir()}


def test_export_reports_its_progress_and_writes_every_row_in_order(
    journal: LaunchJournal, tmp_path: Path
) -> None:
    bulk_rows(journal, 2 * EXPORT_STEP + 345)
    other = attempt(journal, OTHER, LaunchMode.DEMO)  # every server and mode of the profile
    total = 2 * EXPORT_STEP + 346
    reports: list[tuple[int, int]] = []
    target = tmp_path / "export.csv"

    def progress(written: int, of: int) -> bool:
        reports.append((written, of))
        return True

    assert journal.export_csv(target, progress) == total

    steps = range(0, total, EXPORT_STEP)
    assert reports == [*((written, total) for written in steps), (total, total)]
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    ids = [int(row["id"]) for row in rows]
    assert ids == sorted(ids)
    assert len(ids) == total
    assert (rows[-1]["id"], rows[-1]["server"], rows[-1]["mode"]) == (str(other), OTHER, "demo")
    assert rows[0]["job_id"] == str(BIG_ID)  # every digit (F1)
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert files_in(tmp_path) >= {"export.csv"}
    assert not [name for name in files_in(tmp_path) if name.endswith(".part")]


def test_a_cancelled_export_leaves_no_file(journal: LaunchJournal, tmp_path: Path) -> None:
    bulk_rows(journal, 3 * EXPORT_STEP)
    before = files_in(tmp_path)
    partial: list[set[str]] = []

    def cancel_after_a_step(written: int, _total: int) -> bool:
        partial.append(files_in(tmp_path) - before)
        return written < EXPORT_STEP

    with pytest.raises(ExportCancelled):
        journal.export_csv(tmp_path / "export.csv", cancel_after_a_step)

    assert files_in(tmp_path) == before
    assert any(partial), "rows were being written when it was cancelled"
    assert "export.csv" not in set().union(*partial)  # never under the name asked for


def test_a_cancelled_or_failed_export_leaves_an_earlier_file_as_it_was(
    journal: LaunchJournal, tmp_path: Path
) -> None:
    attempt(journal)
    earlier = tmp_path / "export.csv"
    earlier.write_text("last week's export")
    before = files_in(tmp_path)

    with pytest.raises(ExportCancelled):
        journal.export_csv(earlier, lambda written, total: False)

    def disk_full(written: int, total: int) -> bool:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        journal.export_csv(earlier, disk_full)

    assert earlier.read_text() == "last week's export"
    assert files_in(tmp_path) == before


def test_export_to_an_open_file_can_be_cancelled_too(journal: LaunchJournal) -> None:
    bulk_rows(journal, EXPORT_STEP + 1)
    buffer = io.StringIO(newline="")
    with pytest.raises(ExportCancelled):
        journal.export_csv(buffer, lambda written, total: written == 0)
    assert buffer.getvalue().count("\n") == EXPORT_STEP + 1  # the header and one step
