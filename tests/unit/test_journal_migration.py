"""The journal's schema 2 (the started-but-unverifiable outcome): a schema-1 file is upgraded
in place, every row and the id sequence kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from dispatch_desktop.storage.journal import _MIGRATIONS, LaunchJournal, Outcome

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
