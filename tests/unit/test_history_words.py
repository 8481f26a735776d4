"""What the History says of each launch: the recipients in a few words, the message sent,
and which journal rows belong to the server signed in to (docs/profiles.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dispatch_desktop.storage.journal import LaunchJournal, LaunchMode
from dispatch_desktop.ui.history_panel import LaunchScope, message_in_words, recipients_in_words

SERVER = "https://dispatch.example.com/dispatch/api"


@pytest.mark.parametrize(
    ("parameters", "generic_type", "words"),
    [
        ({}, "GMM", "the job's own recipients"),
        (
            {
                "toaddressbookcustomtagfilter": "Base:STO|OSL",
                "tonumbers": ["+46701234567", "+46701234568", "+46701234569"],
                "excludecustomtagfilter": "On call:Yes",
            },
            "GMM",
            "tag filter Base: STO or OSL; 3 numbers; excluding On call: Yes; "
            "replacing the job's own",
        ),
        (
            {"tonumbers": ["+46701234567"], "tokeep": True},
            "GMM",
            "1 number; added to the job's own",
        ),
        (
            {"toaddressbooktagfilterjson": [{"tagtype": "Base", "tagvalues": ["STO"]}]},
            "GMA",
            "tag filter Base: STO; replacing the job's own",
        ),
        (
            {"toaddressbookcustomtagfilter": "Base:STO;On call:Yes", "tokeep": True},
            "GMA",  # a GMA job always replaces, whatever the journal says
            "tag filter Base: STO and On call: Yes; replacing the job's own",
        ),
        (
            {"toaddressbookgroups": ["Night shift"], "toaddressbooksavedtagfilters": ["North"]},
            None,
            "saved filters North; groups Night shift; replacing the job's own",
        ),
        (
            {"excludenumbers": ["+46701234567", "+46701234568"]},
            "GMM",
            "the job's own recipients; excluding 2 numbers",
        ),
        # A hand-edited journal: the text as it stands, never an error.
        ({"toaddressbookcustomtagfilter": "no colon"}, "GMM", "tag filter no colon; replacing"),
        (
            {"excludetagfilterjson": [{"tagtype": "Base"}]},
            "GMM",
            "the job's own recipients; excluding (a filter that cannot be read)",
        ),
    ],
)
def test_recipients_in_words(
    parameters: dict[str, object], generic_type: str | None, words: str
) -> None:
    assert recipients_in_words(parameters, generic_type).startswith(words)


def test_no_api_field_name_in_the_words() -> None:
    every_field = {
        "toaddressbookcustomtagfilter": "Base:STO",
        "toaddressbooksavedtagfilters": ["North"],
        "toaddressbookgroups": ["Night"],
        "tonumbers": ["+46701234567"],
        "excludenumbers": ["+46701234568"],
        "excludetagfilterjson": [{"tagtype": "On call", "tagvalues": ["Yes"]}],
        "tokeep": True,
    }
    words = recipients_in_words(every_field, "GMM")
    for name in every_field:
        assert name not in words


def test_the_message_sent_or_the_saved_one(tmp_path: Path) -> None:
    journal = LaunchJournal(tmp_path / "journal.sqlite3")
    journal.record_attempt(server=SERVER, user="alice", job_id=5, parameters={"jobid": 5})
    journal.record_attempt(
        server=SERVER, user="alice", job_id=5, parameters={"jobid": 5, "message": "Fire at X"}
    )
    sent, saved = journal.entries()
    assert message_in_words(sent) == "Fire at X"
    assert message_in_words(saved) == "(the saved job's message)"


def test_a_scope_keeps_one_servers_rows_of_one_world(tmp_path: Path) -> None:
    journal = LaunchJournal(tmp_path / "journal.sqlite3")
    rows = {
        (SERVER, LaunchMode.LIVE): 0,
        (SERVER, LaunchMode.EXERCISE): 0,
        (SERVER, LaunchMode.DEMO): 0,  # e.g. marked demo by the schema-3 migration
        ("https://other.example.com", LaunchMode.LIVE): 0,
    }
    for server, mode in rows:
        rows[server, mode] = journal.record_attempt(
            server=server, user="alice", job_id=5, parameters={"jobid": 5}, mode=mode
        )
    real = LaunchScope.of(SERVER, demo=False)
    assert [r.id for r in real.read(journal)] == [
        rows[SERVER, LaunchMode.EXERCISE],
        rows[SERVER, LaunchMode.LIVE],
    ]
    demo = LaunchScope.of(SERVER, demo=True)
    assert [r.id for r in demo.read(journal)] == [rows[SERVER, LaunchMode.DEMO]]
    assert all(demo.includes(r) for r in demo.read(journal))
    assert not any(real.includes(r) for r in demo.read(journal))
