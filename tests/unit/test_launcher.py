"""One launch, from the last check to the journal (launcher.py): every way a start call can
end is journaled and reported, and the request is sent exactly once (F3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dispatch_desktop.api import (
    AuthenticationError,
    ConnectionFailed,
    GenericType,
    JobNotStarted,
    OutcomeUnknown,
    RequestRejected,
    SavedJob,
    StartJobRequest,
    StartResult,
)
from dispatch_desktop.launcher import LaunchPlan, launch
from dispatch_desktop.storage.journal import JournalError, LaunchJournal, Outcome

OFFICE_PARTY = SavedJob(352872112744058883, "Office Party", "MonitoredMessage")
RUNTIME_ID = 383228819873509376


class FakeClient:
    """Stands in for DispatchClient.start_saved_job and counts the calls."""

    def __init__(self, answer: StartResult | BaseException) -> None:
        self.answer = answer
        self.calls = 0

    def start_saved_job(self, request, generic_type=None) -> StartResult:
        self.calls += 1
        if isinstance(self.answer, BaseException):
            raise self.answer
        return self.answer


class BrokenJournal:
    """A journal whose disk is full."""

    def record_attempt(self, **_: object) -> int:
        raise JournalError("The launch journal (x) could not record the launch attempt.")

    def record_outcome(self, *_: object, **__: object) -> None:
        raise JournalError("The launch journal (x) could not record the launch outcome.")


def plan(**fields: object) -> LaunchPlan:
    request = StartJobRequest(jobid=OFFICE_PARTY.id, **fields)  # type: ignore[arg-type]
    return LaunchPlan(OFFICE_PARTY, request, GenericType.GMM, "https://x/api", "alice")


@pytest.fixture
def journal(tmp_path: Path) -> LaunchJournal:
    return LaunchJournal(tmp_path / "journal.sqlite3")


def test_ok_is_journaled_with_the_exact_runtime_id(journal: LaunchJournal) -> None:
    client = FakeClient(StartResult("OK", RUNTIME_ID, "Xmas bash", ""))
    outcome = launch(client, plan(jobname="Xmas bash"), journal)  # type: ignore[arg-type]
    assert outcome.kind is Outcome.OK
    assert outcome.runtimeid == RUNTIME_ID
    assert client.calls == 1
    record = journal.entries()[0]
    assert record.outcome is Outcome.OK
    assert record.runtime_id == RUNTIME_ID
    assert record.parameter_values() == {"jobid": OFFICE_PARTY.id, "jobname": "Xmas bash"}
    assert record.user == "alice"


@pytest.mark.parametrize(
    ("error", "kind", "shown"),
    [
        (
            JobNotStarted(StartResult("ERROR", 0, "", "No recipients")),
            Outcome.NOT_STARTED,
            "No recipients",
        ),
        (AuthenticationError(), Outcome.AUTH_FAILED, "address book"),
        (RequestRejected(400, "Parameter X not allowed"), Outcome.REJECTED, "Parameter X"),
        (ConnectionFailed("Could not connect to x."), Outcome.CONNECTION_FAILED, "Nothing"),
        (OutcomeUnknown("the connection was lost"), Outcome.UNKNOWN, "may have started"),
        (RuntimeError("a bug after sending"), Outcome.UNKNOWN, "may have started"),
    ],
)
def test_every_ending_is_journaled_and_nothing_is_retried(
    journal: LaunchJournal, error: BaseException, kind: Outcome, shown: str
) -> None:
    client = FakeClient(error)
    outcome = launch(client, plan(), journal)  # type: ignore[arg-type]
    assert outcome.kind is kind
    assert shown in outcome.message
    assert client.calls == 1
    record = journal.entries()[0]
    assert record.outcome is kind
    assert record.runtime_id is None


def test_a_refused_launch_sends_nothing_and_is_journaled(journal: LaunchJournal) -> None:
    client = FakeClient(StartResult("OK", RUNTIME_ID, "x", ""))
    past = datetime.now(UTC) - timedelta(minutes=1)
    outcome = launch(client, plan(scheduledstart=past, jobname="Late"), journal)  # type: ignore[arg-type]
    assert outcome.kind is Outcome.REFUSED_LOCALLY
    assert "not in the future" in outcome.message
    assert client.calls == 0
    record = journal.entries()[0]
    assert record.outcome is Outcome.REFUSED_LOCALLY
    assert record.parameter_values()["jobname"] == "Late"
    assert record.parameter_values()["scheduledstart"] == past.isoformat()


def test_a_broken_journal_does_not_block_an_emergency_launch() -> None:
    client = FakeClient(StartResult("OK", RUNTIME_ID, "x", ""))
    outcome = launch(client, plan(), BrokenJournal())  # type: ignore[arg-type]
    assert outcome.kind is Outcome.OK
    assert client.calls == 1
    assert "could not be written to the launch journal" in outcome.journal_warning


def test_without_a_journal_the_launch_says_it_is_not_recorded() -> None:
    client = FakeClient(StartResult("OK", RUNTIME_ID, "x", ""))
    outcome = launch(client, plan(), None)  # type: ignore[arg-type]
    assert outcome.kind is Outcome.OK
    assert "not recorded" in outcome.journal_warning
