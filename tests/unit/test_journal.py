"""The launch journal: round trips, exact 64-bit ids, outcomes, CSV, secrets, threads."""

import csv
import io
import json
import logging
import sqlite3
import threading
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dispatch_desktop.storage import paths
from dispatch_desktop.storage.journal import (
    API_KEY_USER,
    SCHEMA_VERSION,
    JournalError,
    LaunchJournal,
    LaunchRecord,
    Outcome,
    parameters_json,
)

SERVER = "https://dispatch.example.com"
BIG_ID = 352872112744058883  # F1: float(BIG_ID) == 352872112744058880
MAX_ID = 2**63 - 1


@pytest.fixture
def journal(tmp_path: Path) -> LaunchJournal:
    return LaunchJournal(tmp_path / "journal" / "launches.sqlite3")


def _attempt(journal: LaunchJournal, job_id: int = BIG_ID, **extra: object) -> int:
    values: dict[str, object] = {
        "server": SERVER,
        "user": "alice",
        "job_id": job_id,
        "job_name": "Fire alarm",
        "job_type": "MonitoredMessage",
        "generic_type": "GMM",
        "parameters": {"jobid": job_id, "message": "Brand på plan 3"},
    }
    values.update(extra)
    return journal.record_attempt(**values)  # type: ignore[arg-type]


def _sql(path: Path, query: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(query).fetchall()


def test_schema_wal_and_version(journal: LaunchJournal) -> None:
    assert journal.path.parent.is_dir()
    assert _sql(journal.path, "PRAGMA journal_mode") == [("wal",)]
    assert _sql(journal.path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]


def test_round_trip_of_a_pending_attempt(journal: LaunchJournal) -> None:
    before = datetime.now(UTC)
    attempt_id = _attempt(journal)
    [record] = journal.entries()
    assert record == LaunchRecord(
        id=attempt_id,
        attempted_at=record.attempted_at,
        server=SERVER,
        user="alice",
        job_id=BIG_ID,
        job_name="Fire alarm",
        job_type="MonitoredMessage",
        generic_type="GMM",
        parameters=json.dumps(
            {"jobid": BIG_ID, "message": "Brand på plan 3"}, sort_keys=True, ensure_ascii=False
        ),
        outcome=Outcome.PENDING,
        runtime_id=None,
        result_job_name=None,
        message=None,
        finished_at=None,
    )
    assert before.replace(microsecond=0) <= record.attempted_at <= datetime.now(UTC)
    assert record.attempted_at.utcoffset() is not None
    assert not record.outcome_known
    assert record.parameter_values()["jobid"] == BIG_ID


def test_pending_attempt_gets_its_outcome(journal: LaunchJournal) -> None:
    attempt_id = _attempt(journal)
    journal.record_outcome(attempt_id, Outcome.OK, runtimeid=BIG_ID + 1, jobname="Fire alarm 12")
    [record] = journal.entries()
    assert record.outcome is Outcome.OK
    assert record.outcome_known
    assert record.runtime_id == BIG_ID + 1
    assert record.result_job_name == "Fire alarm 12"
    assert record.finished_at is not None
    assert record.finished_at >= record.attempted_at


def test_outcome_may_be_given_as_its_stored_text(journal: LaunchJournal) -> None:
    attempt_id = _attempt(journal)
    journal.record_outcome(attempt_id, "not_started", message="No recipients")
    [record] = journal.entries()
    assert (record.outcome, record.message) == (Outcome.NOT_STARTED, "No recipients")


def test_unknown_outcome_is_not_known(journal: LaunchJournal) -> None:
    journal.record_outcome(_attempt(journal), Outcome.UNKNOWN, message="Read timed out")
    assert not journal.entries()[0].outcome_known


@pytest.mark.parametrize("outcome", ["pending", "started", ""])
def test_invalid_or_pending_outcome_is_refused(journal: LaunchJournal, outcome: str) -> None:
    attempt_id = _attempt(journal)
    with pytest.raises(ValueError, match=r"pending|not a valid Outcome"):
        journal.record_outcome(attempt_id, outcome)
    assert journal.entries()[0].outcome is Outcome.PENDING


def test_outcome_of_a_missing_attempt_is_an_error(journal: LaunchJournal) -> None:
    with pytest.raises(JournalError, match="no attempt 42"):
        journal.record_outcome(42, Outcome.OK)


@pytest.mark.parametrize("job_id", [BIG_ID, MAX_ID, 1])
def test_ids_are_exact_64_bit_integers(journal: LaunchJournal, job_id: int) -> None:
    attempt_id = _attempt(journal, job_id=job_id)
    journal.record_outcome(attempt_id, Outcome.OK, runtimeid=job_id)
    [record] = journal.entries()
    assert record.job_id == job_id
    assert record.runtime_id == job_id
    assert _sql(journal.path, "SELECT typeof(job_id), typeof(runtime_id) FROM launches") == [
        ("integer", "integer")
    ]
    assert journal.find_by_runtime_id(job_id) == record


@pytest.mark.parametrize("job_id", [float(BIG_ID), str(BIG_ID), True, 0, -1, 2**63])
def test_inexact_or_out_of_range_ids_are_refused(journal: LaunchJournal, job_id: object) -> None:
    with pytest.raises(ValueError, match="not a positive 64-bit whole number"):
        _attempt(journal, job_id=job_id)  # type: ignore[arg-type]
    attempt_id = _attempt(journal)
    with pytest.raises(ValueError, match="runtime id"):
        journal.record_outcome(attempt_id, Outcome.OK, runtimeid=job_id)  # type: ignore[arg-type]


def test_entries_are_newest_first_and_limited(journal: LaunchJournal) -> None:
    ids = [_attempt(journal, job_id=n) for n in (10, 20, 30)]
    assert [r.id for r in journal.entries()] == ids[::-1]
    assert [r.job_id for r in journal.entries(limit=2)] == [30, 20]
    assert journal.entries(limit=0) == []
    with pytest.raises(ValueError, match="negative"):
        journal.entries(limit=-1)


def test_find_by_runtime_id(journal: LaunchJournal) -> None:
    first = _attempt(journal)
    journal.record_outcome(first, Outcome.OK, runtimeid=BIG_ID)
    second = _attempt(journal, server="https://other.example.com")
    journal.record_outcome(second, Outcome.OK, runtimeid=BIG_ID)
    assert journal.find_by_runtime_id(BIG_ID).id == second  # type: ignore[union-attr]
    assert journal.find_by_runtime_id(BIG_ID, server=SERVER).id == first  # type: ignore[union-attr]
    assert journal.find_by_runtime_id(BIG_ID - 3) is None


def test_api_key_attempts_name_no_user(journal: LaunchJournal) -> None:
    _attempt(journal, user=API_KEY_USER)
    assert journal.entries()[0].user == "API key"


def test_credentials_are_stripped_from_parameters(
    journal: LaunchJournal, caplog: pytest.LogCaptureFixture
) -> None:
    parameters = {
        "jobid": BIG_ID,
        "username": "alice",
        "Password": "hunter2",
        "apikey": "K-123",
        "key": "K-456",
        "U": "alice",
        "P": "hunter2",
        "X-API-Key": "K-789",
        "nested": [{"password": "deep-secret", "tagtype": "Base"}],
    }
    with caplog.at_level(logging.WARNING):
        _attempt(journal, parameters=parameters)
    stored = journal.entries()[0].parameters
    assert json.loads(stored) == {"jobid": BIG_ID, "nested": [{"tagtype": "Base"}]}
    raw = _sql(journal.path, "SELECT parameters FROM launches")[0][0]
    for secret in ("hunter2", "K-123", "K-456", "K-789", "deep-secret", "alice"):
        assert secret not in str(raw)
        assert secret not in caplog.text
    assert "Password" in caplog.text


def test_parameters_must_be_a_mapping() -> None:
    with pytest.raises(TypeError, match="mapping"):
        parameters_json([("P", "hunter2")])  # type: ignore[arg-type]


def test_parameters_json_keeps_big_ids_and_writes_other_values_as_text() -> None:
    when = datetime(2030, 1, 2, 3, 4, tzinfo=UTC)
    text = parameters_json({"jobid": MAX_ID, "scheduledstart": when, "tonumbers": ("+4670",)})
    assert text == (
        '{"jobid": 9223372036854775807, "scheduledstart": "2030-01-02 03:04:00+00:00", '
        '"tonumbers": ["+4670"]}'
    )


def test_lone_surrogates_are_stored_escaped_and_read_back_exactly(
    journal: LaunchJournal, tmp_path: Path
) -> None:
    # A launch refused because of a lone surrogate must still be journaled (issue 7 §2):
    # SQLite stores UTF-8, which cannot hold one.
    given = {"jobid": BIG_ID, "jobname": "Alarm \ud800", "toaddressbookgroups": ["\udfffA"]}
    attempt_id = _attempt(journal, job_name="Name \ud800", parameters=given)
    journal.record_outcome(
        attempt_id, Outcome.REFUSED_LOCALLY, jobname="Job \udc00", message="Refused \ud83d"
    )

    (record,) = journal.entries()
    assert record.parameter_values() == given
    assert record.outcome is Outcome.REFUSED_LOCALLY
    assert record.job_name == "Name \\ud800"
    assert record.result_job_name == "Job \\udc00"
    assert record.message == "Refused \\ud83d"
    assert journal.export_csv(tmp_path / "export.csv") == 1


def test_a_backslash_in_a_parameter_stays_a_backslash(journal: LaunchJournal) -> None:
    given = {"jobid": BIG_ID, "message": "C:\\temp\\u00e9 \\ud800"}
    _attempt(journal, parameters=given)

    assert journal.entries()[0].parameter_values() == given


def test_csv_export(journal: LaunchJournal, tmp_path: Path) -> None:
    first = _attempt(journal, job_name='Larm, "brand"\nplan 3')
    journal.record_outcome(first, Outcome.OK, runtimeid=MAX_ID, jobname="Larm 1")
    _attempt(journal, job_id=7, job_name=None)
    target = tmp_path / "export.csv"
    assert journal.export_csv(target) == 2
    text = target.read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == [
        "id",
        "attempted_at",
        "server",
        "user",
        "job_id",
        "job_name",
        "job_type",
        "generic_type",
        "parameters",
        "outcome",
        "runtime_id",
        "result_job_name",
        "message",
        "finished_at",
        "mode",
    ]
    header = rows[0]
    oldest, newest = (dict(zip(header, row, strict=True)) for row in rows[1:])
    assert oldest["job_id"] == "352872112744058883"
    assert oldest["runtime_id"] == "9223372036854775807"
    assert oldest["job_name"] == 'Larm, "brand"\nplan 3'
    assert oldest["outcome"] == "ok"
    assert oldest["mode"] == "live"
    assert json.loads(oldest["parameters"])["message"] == "Brand på plan 3"
    assert datetime.fromisoformat(oldest["attempted_at"]).utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert (newest["job_id"], newest["job_name"], newest["outcome"]) == ("7", "", "pending")
    assert (newest["runtime_id"], newest["finished_at"]) == ("", "")


def test_csv_export_to_an_open_file(journal: LaunchJournal) -> None:
    _attempt(journal)
    buffer = io.StringIO(newline="")
    assert journal.export_csv(buffer) == 1
    assert buffer.getvalue().startswith("id,attempted_at,server,")
    assert "\r\n1," in buffer.getvalue()


def test_csv_export_defuses_spreadsheet_formulas(journal: LaunchJournal) -> None:
    attempt = _attempt(journal, job_name='=HYPERLINK("http://evil","Fire")')
    journal.record_outcome(attempt, Outcome.NOT_STARTED, message="-1 recipients")
    buffer = io.StringIO(newline="")
    journal.export_csv(buffer)
    row = next(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert row["job_name"] == '\'=HYPERLINK("http://evil","Fire")'
    assert row["message"] == "'-1 recipients"
    assert row["job_id"] == str(BIG_ID)  # ids stay plain digits


def test_two_threads_write_concurrently(journal: LaunchJournal) -> None:
    per_thread = 40
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def work(base: int) -> None:
        try:
            start.wait()
            for n in range(per_thread):
                attempt_id = _attempt(journal, job_id=base + n)
                journal.record_outcome(attempt_id, Outcome.OK, runtimeid=base + n)
        except BaseException as exc:  # handed to the main thread, which fails the test
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(base,)) for base in (BIG_ID, 1000)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    records = journal.entries()
    assert len(records) == 2 * per_thread
    assert all(r.outcome is Outcome.OK and r.runtime_id == r.job_id for r in records)
    assert {r.job_id for r in records} == {
        base + n for base in (BIG_ID, 1000) for n in range(per_thread)
    }


def test_reopening_keeps_the_data(journal: LaunchJournal) -> None:
    attempt_id = _attempt(journal)
    reopened = LaunchJournal(journal.path)
    reopened.record_outcome(attempt_id, Outcome.CONNECTION_FAILED, message="Name not resolved")
    assert [(r.id, r.outcome) for r in LaunchJournal(journal.path).entries()] == [
        (attempt_id, Outcome.CONNECTION_FAILED)
    ]
    assert _attempt(reopened) == attempt_id + 1


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "launches.sqlite3"
    with closing(sqlite3.connect(path)) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(JournalError, match="newer version of Dispatch Desktop"):
        LaunchJournal(path)


def test_unwritable_location_is_a_journal_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(JournalError, match="could not be created"):
        LaunchJournal(blocker / "launches.sqlite3")


def test_not_a_database_is_a_journal_error(tmp_path: Path) -> None:
    path = tmp_path / "launches.sqlite3"
    path.write_bytes(b"this is not SQLite" * 100)
    with pytest.raises(JournalError, match=r"could not be opened: file is not a database"):
        LaunchJournal(path)


def test_paths_follow_the_environment_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path))
    assert paths.data_dir() == tmp_path / "data"
    assert paths.log_dir() == tmp_path / "logs"
    assert paths.config_dir() == tmp_path / "config"
    assert paths.journal_path() == tmp_path / "data" / paths.JOURNAL_FILE_NAME


def test_paths_default_to_the_platform_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.DATA_DIR_ENV, raising=False)
    for folder in (paths.data_dir(), paths.log_dir(), paths.config_dir()):
        assert folder.is_absolute()
        assert "dispatch-desktop" in folder.parts
