"""Input the server would misread is refused before anything is sent (issue 7 §2): by the
library (a real DispatchClient and the demo server on loopback, which records every request)
and by a launch, which journals the refusal (launcher.py, storage/journal.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from dispatch_desktop.api import (
    Credentials,
    DispatchClient,
    GenericType,
    SavedJob,
    StartJobRequest,
    ValidationError,
)
from dispatch_desktop.demo import DEMO_PASSWORD, DEMO_USERNAME, DemoServer
from dispatch_desktop.demo.data import CONTACTS
from dispatch_desktop.launcher import LaunchPlan, launch
from dispatch_desktop.storage.journal import LaunchJournal, Outcome

OFFICE_PARTY = SavedJob(352872112744058883, "Office Party", "MonitoredMessage")  # GMM
ZWSP = "\u200b"
# Stockholm's staff, without those on call: the drill of the issue.
EVERYONE_IN_STOCKHOLM = StartJobRequest(
    jobid=OFFICE_PARTY.id, toaddressbookcustomtagfilter="Base:STO"
)


@pytest.fixture
def server() -> Iterator[DemoServer]:
    with DemoServer() as demo:
        yield demo


@pytest.fixture
def client(server: DemoServer) -> Iterator[DispatchClient]:
    with DispatchClient(server.url, Credentials(DEMO_USERNAME, DEMO_PASSWORD)) as dispatch:
        yield dispatch


def recipients_of_last_job(server: DemoServer) -> int:
    return len(server.started_jobs[-1].recipients)


def test_exclusion_with_a_zero_width_space_is_refused_instead_of_reaching_96_people(
    server: DemoServer, client: DispatchClient
) -> None:
    # What the server does with it: it compares tag values character by character, so
    # "Yes" + ZWSP is a value nobody has, and the exclusion excludes nobody.
    stockholm = [c for c in CONTACTS if "STO" in c.tags["Base"]]
    assert len([c for c in stockholm if "Yes" + ZWSP not in c.tags["On call"]]) == 96
    tampered = replace(EVERYONE_IN_STOCKHOLM, excludecustomtagfilter="On call:Yes" + ZWSP)

    with pytest.raises(ValidationError) as info:
        client.start_saved_job(tampered, GenericType.GMM)

    assert str(info.value).startswith("Recipients to exclude (tag filter): ")
    assert "ZERO WIDTH SPACE (U+200B)" in str(info.value)
    assert "position 12" in str(info.value)
    assert server.request_count() == 0
    # Typed without the invisible character, the same exclusion leaves 64 of the 96.
    client.start_saved_job(replace(tampered, excludecustomtagfilter="On call:Yes"))
    assert recipients_of_last_job(server) == 64
    client.start_saved_job(EVERYONE_IN_STOCKHOLM)
    assert recipients_of_last_job(server) == 96


def test_lone_surrogate_in_a_job_name_is_refused_by_the_library_with_nothing_sent(
    server: DemoServer, client: DispatchClient
) -> None:
    request = StartJobRequest(jobid=OFFICE_PARTY.id, jobname="Alarm \ud800")

    with pytest.raises(ValidationError) as info:
        client.start_saved_job(request, GenericType.GMM)

    assert info.value.field == "jobname"
    assert str(info.value).startswith("Job name: ")
    assert "U+D800" in str(info.value)
    assert server.request_count() == 0


def test_lone_surrogate_in_a_job_name_is_refused_locally_and_journaled(
    server: DemoServer, client: DispatchClient, tmp_path: Path
) -> None:
    # Before: the send failed inside json.dumps(...).encode() ("outcome unknown", nothing
    # sent) and the journal could not store the parameters either.
    journal = LaunchJournal(tmp_path / "journal.sqlite3")
    request = StartJobRequest(jobid=OFFICE_PARTY.id, jobname="Alarm \ud800", message="Kom!")
    plan = LaunchPlan(OFFICE_PARTY, request, GenericType.GMM, server.url, DEMO_USERNAME)

    outcome = launch(client, plan, journal)

    assert outcome.kind is Outcome.REFUSED_LOCALLY
    assert outcome.message.startswith("Job name: ")
    assert "U+D800" in outcome.message
    assert outcome.journal_warning == ""
    assert server.request_count() == 0
    (record,) = journal.entries()
    assert record.outcome is Outcome.REFUSED_LOCALLY
    assert record.outcome_known
    assert record.message == outcome.message
    # Stored escaped, read back exactly as given.
    assert record.parameter_values() == {
        "jobid": OFFICE_PARTY.id,
        "jobname": "Alarm \ud800",
        "message": "Kom!",
    }
