"""The journal's schema upgrades: 2 (the started-but-unverifiable outcome), 3 (the mode of
each launch, the cancelled outcome), 4 (an index for the History's pages); every row and the
id sequence kept."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dispatch_desktop.storage.journal import _MIGRATIONS, LaunchJournal, LaunchMode, Outcome

RUNTIME_ID = 383228819873509376


def schema_1_file(path: Path) -> None:
    connection = sqlite3.connect(path)
    for statement in _MIGRATIONS[0]:
        connection.execute(statement)
    connection.execute(
        "INSERT INTO launches (attempted_at, server, user, job_id, job_name, parameters, "
        "outcome, runtime_id) VALUES ('2026-11-30T10:00:00+00:00', 'https://x/api', 'alice', "
        "352872112744058883, 'Drill', '{}', 'ok', ?)",
        (RUNTIME_ID,),
    )
    connection.execute("PRAGMA user_version = 1")
    connection.commit()
    connection.close()


def test_a_schema_1_journal_is_upgraded_with_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    schema_1_file(path)

    journal = LaunchJournal(path)
    [old] = journal.entries()
    attempt = journal.record_attempt(
        server="https://x/api",
        user="alice",
        job_id=352872112744058883,
        job_name="Drill",
        job_type="MonitoredMessage",
        generic_type="GMM",
        parameters={},
    )
    journal.record_outcome(attempt, Outcome.STARTED_UNVERIFIABLE, message="id not valid")

    assert (old.outcome, old.runtime_id, old.job_id) == (Outcome.OK, RUNTIME_ID, 352872112744058883)
    assert attempt == old.id + 1
    assert journal.entries()[0].outcome is Outcome.STARTED_UNVERIFIABLE
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA user_version").fetchone() == (len(_MIGRATIONS),)
    finally:
        connection.close()


def test_schema_3_marks_old_rows_by_their_server_and_adds_modes(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    schema_1_file(path)  # one row against https://x/api
    connection = sqlite3.connect(path)
    connection.execute(
        "INSERT INTO launches (attempted_at, server, user, job_id, parameters, outcome) VALUES"
        " ('2026-11-30T11:00:00+00:00', 'http://127.0.0.1:8080/dispatch/api', 'demo', 7, '{}',"
        " 'ok')"
    )
    connection.commit()
    connection.close()

    journal = LaunchJournal(path)
    demo, live = journal.entries()
    attempt = journal.record_attempt(
        server="https://x/api", user="alice", job_id=7, mode=LaunchMode.EXERCISE
    )
    journal.record_outcome(attempt, Outcome.CANCELLED)

    assert (demo.mode, live.mode) == (LaunchMode.DEMO, LaunchMode.LIVE)
    newest = journal.entries(server="https://x/api")[0]
    assert (newest.mode, newest.outcome) == (LaunchMode.EXERCISE, Outcome.CANCELLED)
    assert [r.server for r in journal.entries(server="https://x/api")] == ["https://x/api"] * 2


def test_schema_4_reads_a_scopes_ids_from_an_index_alone(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    schema_1_file(path)
    with closing(sqlite3.connect(path)) as connection:
        for statement in (*_MIGRATIONS[1], *_MIGRATIONS[2], "PRAGMA user_version = 3"):
            connection.execute(statement)
        connection.commit()

    journal = LaunchJournal(path)

    assert [r.runtime_id for r in journal.entries()] == [RUNTIME_ID]  # the row kept
    with closing(sqlite3.connect(path)) as connection:
        indexes = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        }
        plan = connection.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM launches WHERE server = ? AND mode IN (?, ?)"
            " AND id > ? ORDER BY id DESC",
            ("https://x/api", "live", "exercise", 0),
        ).fetchall()
    assert "launches_in_scope" in indexes
    assert "launches_by_server" not in indexes  # a prefix of the new one
    details = " ".join(row[-1] for row in plan)
    assert "COVERING INDEX launches_in_scope" in details
    assert "TEMP B-TREE" not in details  # no sort: the index is in id order


def test_earlier_launches_are_those_that_may_have_sent(tmp_path: Path) -> None:
    journal = LaunchJournal(tmp_path / "journal.sqlite3")

    def launch(outcome: Outcome | None, job_id: int = 7, server: str = "https://x/api") -> int:
        attempt = journal.record_attempt(server=server, user="alice", job_id=job_id)
        if outcome is not None:
            journal.record_outcome(attempt, outcome)
        return attempt

    pending = launch(None)
    started = launch(Outcome.OK)
    unverifiable = launch(Outcome.STARTED_UNVERIFIABLE)
    unknown = launch(Outcome.UNKNOWN)
    for harmless in (
        Outcome.CANCELLED,
        Outcome.REFUSED_LOCALLY,
        Outcome.CONNECTION_FAILED,
        Outcome.REJECTED,
        Outcome.NOT_STARTED,
        Outcome.AUTH_FAILED,
    ):
        launch(harmless)
    launch(Outcome.OK, job_id=8)
    launch(Outcome.OK, server="https://y/api")

    recent = journal.earlier_launches(7, "https://x/api", datetime.now(UTC) - timedelta(minutes=30))
    later = journal.earlier_launches(7, "https://x/api", datetime.now(UTC) + timedelta(minutes=1))

    assert [r.id for r in recent] == [unknown, unverifiable, started, pending]
    assert [r.id for r in later] == [unknown, pending]  # unsettled ones, however old
