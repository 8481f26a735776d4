"""A launch cancelled in the undo window (launcher.record_cancelled): journaled as cancelled,
with what it would have sent, and never counted as a launch the repeat guard warns about."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dispatch_desktop.api import GenericType, SavedJob, StartJobRequest
from dispatch_desktop.launcher import LaunchPlan, record_cancelled
from dispatch_desktop.storage.journal import JournalError, LaunchJournal, LaunchMode, Outcome

JOB = SavedJob(352872112744058883, "Office Party", "MonitoredMessage")  # above 2**53 (F1)
SERVER = "https://x/api"


def plan(mode: LaunchMode = LaunchMode.LIVE, **fields: object) -> LaunchPlan:
    request = StartJobRequest(jobid=JOB.id, **fields)  # type: ignore[arg-type]
    return LaunchPlan(JOB, request, GenericType.GMM, SERVER, "alice", mode)


class BrokenJournal:
    """A journal whose disk is full."""

    def record_attempt(self, **_: object) -> int:
        raise JournalError("The launch journal (x) could not record the launch attempt.")

    def record_outcome(self, *_: object, **__: object) -> None:
        raise JournalError("The launch journal (x) could not record the launch outcome.")


@pytest.fixture
def journal(tmp_path: Path) -> LaunchJournal:
    return LaunchJournal(tmp_path / "journal.sqlite3")


def test_a_cancelled_launch_is_journaled_with_what_it_would_have_sent(
    journal: LaunchJournal,
) -> None:
    outcome = record_cancelled(
        journal, plan(LaunchMode.EXERCISE, jobname="Drill", tonumbers=["+46701234567"])
    )
    assert outcome.kind is Outcome.CANCELLED
    assert "No message went out" in outcome.message
    assert outcome.runtimeid is None
    assert outcome.journal_warning == ""
    [record] = journal.entries()
    assert record.outcome is Outcome.CANCELLED
    assert record.outcome_known
    assert record.job_id == JOB.id  # exact
    assert record.mode is LaunchMode.EXERCISE
    assert record.server == SERVER
    assert record.runtime_id is None
    assert record.finished_at is not None
    assert record.parameter_values() == {
        "jobid": JOB.id,
        "jobname": "Drill",
        "tonumbers": ["+46701234567"],
    }


def test_a_cancelled_launch_is_not_one_the_repeat_guard_warns_about(
    journal: LaunchJournal,
) -> None:
    record_cancelled(journal, plan())
    since = datetime.now(UTC) - timedelta(minutes=30)
    assert journal.earlier_launches(JOB.id, SERVER, since) == []


def test_a_cancelled_launch_the_checks_would_refuse_is_journaled_as_given(
    journal: LaunchJournal,
) -> None:
    # The scheduled time passed during the countdown: still journaled, as typed.
    past = datetime.now(UTC) - timedelta(minutes=1)
    outcome = record_cancelled(journal, plan(scheduledstart=past))
    assert outcome.kind is Outcome.CANCELLED
    [record] = journal.entries()
    assert record.outcome is Outcome.CANCELLED
    assert record.parameter_values()["scheduledstart"] == past.isoformat()


def test_a_broken_journal_still_reports_the_cancel_and_says_it_is_not_recorded() -> None:
    outcome = record_cancelled(BrokenJournal(), plan())  # type: ignore[arg-type]
    assert outcome.kind is Outcome.CANCELLED
    assert "could not be written to the launch journal" in outcome.journal_warning


def test_without_a_journal_the_cancel_says_it_is_not_recorded() -> None:
    outcome = record_cancelled(None, plan())
    assert outcome.kind is Outcome.CANCELLED
    assert "not recorded" in outcome.journal_warning
