"""Contacted / accepted / goal counts of a monitored job. The callbacks (reference 3.1.x) say who
accepted, never how many were contacted: the count is shown only where the journaled start
parameters alone tell it, and is unknown (``None``) everywhere else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dispatch_desktop.api import GenericType, StartJobRequest
from dispatch_desktop.api.validation import validate_start_request
from dispatch_desktop.monitor import JobMonitor, JobView
from dispatch_desktop.monitor.model import numbers_only_recipients
from dispatch_desktop.storage.journal import LaunchJournal, Outcome

OFFICE_PARTY = 352872112744058883  # a GMM saved job; ids above 2**53 (F1)
RUNTIME_ID = 777903613308588033
ANNA, BO, CARL = "+46701234567", "+46701234568", "+46701234569"


def sent(**fields: Any) -> dict[str, Any]:
    """The parameters the launcher journals for a GMM start with ``fields``."""
    return validate_start_request(StartJobRequest(jobid=OFFICE_PARTY, **fields), GenericType.GMM)


@pytest.mark.parametrize(
    ("fields", "contacted"),
    [
        ({"tonumbers": [ANNA, BO, CARL]}, 3),
        ({"tonumbers": [ANNA, BO, CARL], "tokeep": False}, 3),  # replacing is the default
        ({"tonumbers": [ANNA, BO, CARL], "excludenumbers": [BO, "+46700000000"]}, 2),
        ({"tonumbers": [ANNA], "excludenumbers": [ANNA]}, 0),
        # Added to the saved job's own recipients, which only the server knows.
        ({"tonumbers": [ANNA, BO], "tokeep": True}, None),
        # Address-book recipients are resolved by the server at the start (F11).
        ({"tonumbers": [ANNA], "toaddressbookcustomtagfilter": "Base:STO"}, None),
        ({"tonumbers": [ANNA], "toaddressbookgroups": ["Oslo, night shift"]}, None),
        ({"tonumbers": [ANNA], "toaddressbooksavedtagfilters": ["Xmas2022"]}, None),
        ({"tonumbers": [ANNA], "excludecustomtagfilter": "On call:No"}, None),
        ({"toaddressbookcustomtagfilter": "Base:STO"}, None),
        ({}, None),  # the saved job's own recipients
        ({"message": "Party at 5", "responsegoal": 2}, None),
    ],
)
def test_contacted_is_known_only_when_the_start_named_its_numbers_alone(
    fields: dict[str, Any], contacted: int | None
) -> None:
    assert numbers_only_recipients(sent(**fields)) == contacted


@pytest.mark.parametrize(
    "parameters",
    [
        {"tonumbers": [ANNA, ANNA]},  # the same number twice: whether it is sent twice is unknown
        {"tonumbers": ANNA},  # hand-edited journals
        {"tonumbers": [1, 2]},
        {"tonumbers": [ANNA], "excludenumbers": ANNA},
        {"tonumbers": [ANNA], "tokeep": "yes"},
        {"tonumbers": []},
    ],
)
def test_odd_journaled_parameters_leave_contacted_unknown(parameters: dict[str, Any]) -> None:
    assert numbers_only_recipients(parameters) is None


def journaled_view(tmp_path: Path, **fields: Any) -> JobView:
    """The monitor's view of a start journaled in a real journal file and answered OK."""
    journal = LaunchJournal(tmp_path / "journal.sqlite3")
    attempt = journal.record_attempt(
        server="https://dispatch.example.com",
        user="alice",
        job_id=OFFICE_PARTY,
        job_name="Office Party",
        generic_type="GMM",
        parameters=sent(**fields),
    )
    journal.record_outcome(attempt, Outcome.OK, runtimeid=RUNTIME_ID, jobname="Office Party")
    view = JobMonitor().add_launch(journal.entries()[0])
    assert view is not None
    assert view.jobid == RUNTIME_ID  # exact (F1)
    return view


def test_counts_come_from_a_real_journal_row(tmp_path: Path) -> None:
    view = journaled_view(tmp_path, tonumbers=[ANNA, BO, CARL], responsegoal=2)
    assert (view.contacted, view.assigned, view.goal) == (3, 0, 2)


def test_a_start_with_the_saved_jobs_recipients_has_no_contacted_count(tmp_path: Path) -> None:
    view = journaled_view(tmp_path, message="Party at 5")
    assert (view.contacted, view.goal) == (None, None)
