"""Parsing callback bodies (reference 3.1.x): ids exact in both forms (F1, F2), bad bodies
refused with a reason, the served JSON form and back."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from event_http import (
    JOB_ASSIGN,
    JOB_FINISH,
    JOB_START,
    REFERENCE_CONTACT_ID,
    REFERENCE_JOB_ID,
    REFERENCE_SENDTASK_ID,
)

from dispatch_desktop.events import InvalidEvent, StoredEvent, parse_callback


def test_job_start_of_the_reference() -> None:
    event = parse_callback(JOB_START)
    assert event.eventtype == "JOB_START"
    assert event.jobid == REFERENCE_JOB_ID
    assert type(event.jobid) is int
    assert event.userid == 113495
    assert event.timestamp_ms == 1644928276273
    assert event.jobtype == "GroundHandling"
    assert (event.sendtaskid, event.contactid) == (None, None)  # "" means no id
    assert event.sendname == ""
    assert event.agent == "md-adm"
    assert event.raw == JOB_START.decode()


def test_job_assign_of_the_reference() -> None:
    event = parse_callback(JOB_ASSIGN)
    assert event.eventtype == "JOB_ASSIGN"
    assert event.sendtaskid == REFERENCE_SENDTASK_ID
    assert event.contactid == REFERENCE_CONTACT_ID
    assert event.sendname == "Tomas Hansson - Lekab"
    assert event.agent == "SYSTEM"


def test_job_finish_of_the_reference() -> None:
    event = parse_callback(JOB_FINISH)
    assert (event.eventtype, event.jobid, event.timestamp_ms) == (
        "JOB_FINISH",
        REFERENCE_JOB_ID,
        1644928299193,
    )


def test_ids_given_as_json_numbers_stay_exact() -> None:
    body = JOB_ASSIGN.replace(b'"777903613308588032"', b"777903613308588032")
    body = body.replace(b'"777903613518303232"', b"777903613518303232")
    body = body.replace(b'"519898635249405952"', b"519898635249405952")
    event = parse_callback(body)
    assert (event.jobid, event.sendtaskid, event.contactid) == (
        REFERENCE_JOB_ID,
        REFERENCE_SENDTASK_ID,
        REFERENCE_CONTACT_ID,
    )


def test_userid_and_timestamp_as_strings_are_accepted() -> None:
    event = parse_callback(b'{"eventtype": "JOB_START", "userid": "113495", "timestamp": "17"}')
    assert (event.userid, event.timestamp_ms) == (113495, 17)


def test_unknown_eventtype_and_extra_fields_are_kept() -> None:
    body = b'{"eventtype": "JOB_CANCEL", "jobid": "5", "reason": {"by": "md-adm"}}'
    event = parse_callback(body)
    assert (event.eventtype, event.jobid, event.agent) == ("JOB_CANCEL", 5, None)
    assert event.raw == body.decode()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"not json", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'"JOB_START"', "not a JSON object"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[" * 100_000, "nests too deeply"),
        (b'{"jobid": "1"}', "eventtype"),
        (b'{"eventtype": ""}', "eventtype"),
        (b'{"eventtype": 7}', "eventtype"),
        # A float may already have lost the id's last digits (F1).
        (b'{"eventtype": "JOB_START", "jobid": 7.779036133085880e17}', "'jobid'"),
        (b'{"eventtype": "JOB_START", "jobid": NaN}', "NaN"),
        (b'{"eventtype": "JOB_START", "jobid": "12a"}', "'jobid'"),
        (b'{"eventtype": "JOB_START", "jobid": "\xc2\xb2"}', "'jobid'"),  # superscript two
        (b'{"eventtype": "JOB_START", "jobid": -1}', "'jobid'"),
        (b'{"eventtype": "JOB_START", "jobid": true}', "'jobid'"),
        (b'{"eventtype": "JOB_START", "contactid": 9223372036854775808}', "'contactid'"),
        (b'{"eventtype": "JOB_START", "sendtaskid": "' + b"9" * 5000 + b'"}', "'sendtaskid'"),
        (b'{"eventtype": "JOB_START", "timestamp": 1.5}', "'timestamp'"),
        (b'{"eventtype": "JOB_START", "agent": 5}', "'agent'"),
        (b'{"eventtype": "JOB_START", "sendname": "\\ud800"}', "'sendname' is not valid"),
    ],
)
def test_malformed_bodies_are_refused_with_a_reason(body: bytes, reason: str) -> None:
    with pytest.raises(InvalidEvent, match=reason):
        parse_callback(body)


def test_a_lone_surrogate_in_an_unknown_field_is_kept() -> None:
    body = b'{"eventtype": "JOB_NOTE", "note": "\\ud800"}'
    event = parse_callback(body)
    assert event.raw == body.decode()
    assert len(event.fingerprint) == 64


def test_fingerprint_ignores_spacing_and_key_order_only() -> None:
    compact = json.dumps(json.loads(JOB_START), separators=(",", ":"), sort_keys=True)
    assert parse_callback(compact).fingerprint == parse_callback(JOB_START).fingerprint
    later = JOB_START.replace(b"1644928276273", b"1644928276274")
    assert parse_callback(later).fingerprint != parse_callback(JOB_START).fingerprint


def stored(**changes: object) -> StoredEvent:
    event = parse_callback(JOB_ASSIGN)
    return replace(
        StoredEvent(
            cursor=7,
            received_at=datetime(2024, 11, 4, 12, 0, 0, 123000, tzinfo=UTC),
            jobid=event.jobid,
            eventtype=event.eventtype,
            timestamp_ms=event.timestamp_ms,
            userid=event.userid,
            jobtype=event.jobtype,
            sendtaskid=event.sendtaskid,
            sendname=event.sendname,
            contactid=event.contactid,
            agent=event.agent,
            raw=event.raw,
        ),
        **changes,
    )


def test_wire_form_carries_ids_as_strings_and_comes_back_exact() -> None:
    event = stored()
    wire = event.to_wire()
    assert wire["jobid"] == "777903613308588032"
    assert wire["sendtaskid"] == "777903613518303232"
    assert wire["contactid"] == "519898635249405952"
    assert wire["userid"] == "113495"
    assert wire["cursor"] == 7
    # Through a JSON text and back, as the follower receives it.
    assert StoredEvent.from_wire(json.loads(json.dumps(wire))) == event
    assert event.timestamp == datetime(2022, 2, 15, 12, 31, 36, 110000, tzinfo=UTC)


def test_wire_form_of_absent_ids_is_null() -> None:
    wire = stored(sendtaskid=None, contactid=None, timestamp_ms=None).to_wire()
    assert (wire["sendtaskid"], wire["contactid"], wire["timestamp_ms"]) == (None, None, None)
    assert StoredEvent.from_wire(wire).timestamp is None


@pytest.mark.parametrize(
    "document",
    [
        [],
        {"cursor": 1},
        {"cursor": "1", "received_at": "2024-11-04T12:00:00+00:00", "eventtype": "X", "raw": ""},
        {"cursor": 1, "received_at": "yesterday", "eventtype": "X", "raw": ""},
        {
            "cursor": 1,
            "received_at": "2024-11-04T12:00:00+00:00",
            "eventtype": "X",
            "raw": "",
            "jobid": 1.5,
        },
    ],
)
def test_malformed_wire_events_are_refused(document: object) -> None:
    with pytest.raises(InvalidEvent):
        StoredEvent.from_wire(document)
