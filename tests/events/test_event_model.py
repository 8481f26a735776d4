"""Parsing callback bodies (reference 3.1.x): ids exact in both forms (F1, F2), bad bodies
refused with a reason, the served JSON form and back."""

from __future__ import annotations

import hashlib
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
    body = b'{"eventtype": "JOB_START", "userid": "113495", "timestamp": "1644928276273"}'
    event = parse_callback(body)
    assert (event.userid, event.timestamp_ms) == (113495, 1644928276273)


@pytest.mark.parametrize(
    "timestamp",
    [
        946_684_800_000,  # 2000-01-01T00:00:00Z
        4_102_444_799_999,  # the last millisecond of 2099
    ],
)
def test_timestamps_from_2000_to_2100_are_accepted(timestamp: int) -> None:
    event = parse_callback(json.dumps({"eventtype": "JOB_START", "timestamp": timestamp}))
    assert event.timestamp_ms == timestamp


@pytest.mark.parametrize(
    "timestamp",
    [
        0,
        17,
        946_684_799_999,  # the last millisecond of 1999
        1_644_928_276,  # seconds instead of milliseconds: 1970
        4_102_444_800_000,  # 2100-01-01
        253_402_300_800_000,  # year 10000: no datetime holds it
        1_644_928_276_273_000,  # microseconds
        "253402300800000",
    ],
)
def test_a_timestamp_outside_2000_to_2100_is_refused(timestamp: object) -> None:
    with pytest.raises(InvalidEvent, match="'timestamp' is not a time from 2000 to 2100"):
        parse_callback(json.dumps({"eventtype": "JOB_START", "timestamp": timestamp}))


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
        # Passes json.loads from a shallow stack, but is deeper than any event.
        (b'{"eventtype": "JOB_START", "x": ' + b"[" * 980 + b"]" * 980 + b"}", "too deeply"),
        (b'{"eventtype": "JOB_START", "x": ' + b"[" * 32 + b"]" * 32 + b"}", "too deeply"),
        (b'{"eventtype": "JOB_START", "x": 1e999}', "too large for a float"),
        (b'{"eventtype": "JOB_START", "x": -1e999}', "too large for a float"),
        (b'{"eventtype": "JOB_START", "x": ' + b"9" * 5000 + b"}", "not JSON"),
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


def test_nesting_up_to_the_limit_is_accepted() -> None:
    body = b'{"eventtype": "JOB_NOTE", "x": ' + b"[" * 31 + b"]" * 31 + b"}"
    assert parse_callback(body).eventtype == "JOB_NOTE"


def test_the_fingerprint_is_that_of_the_canonical_json() -> None:
    # Stores written before the fingerprint was taken at parse time hold this form: a resent
    # body must still be found there.
    canonical = json.dumps(json.loads(JOB_START), sort_keys=True, separators=(",", ":"))
    expected = hashlib.sha256(canonical.encode("ascii")).hexdigest()
    assert parse_callback(JOB_START).fingerprint == expected


def test_fingerprint_ignores_spacing_and_key_order_only() -> None:
    compact = json.dumps(json.loads(JOB_START), separators=(",", ":"), sort_keys=True)
    assert parse_callback(compact).fingerprint == parse_callback(JOB_START).fingerprint
    later = JOB_START.replace(b"1644928276273", b"1644928276274")
    assert parse_callback(later).fingerprint != parse_callback(JOB_START).fingerprint


def stored(**changes: object) -> StoredEvent:
    event = parse_callback(JOB_ASSIGN)
    arrived = datetime(2024, 11, 4, 12, 0, 0, 123000, tzinfo=UTC)
    return replace(StoredEvent.of(event, 7, arrived), **changes)


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


@pytest.mark.parametrize("timestamp_ms", [0, 253_402_300_800_000, 2**63 - 1])
def test_a_stored_timestamp_outside_2000_to_2100_is_no_time(timestamp_ms: int) -> None:
    # A row stored before the intake refused such times: the monitor skips the event.
    with pytest.raises(InvalidEvent, match="not a time"):
        _ = stored(timestamp_ms=timestamp_ms).timestamp


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
        # No offset: not comparable with the other times (the monitor sorts by time).
        {"cursor": 1, "received_at": "2024-11-04T12:00:00", "eventtype": "X", "raw": ""},
        {"cursor": 1, "received_at": "2024-11-04T12:00:00Z", "eventtype": 5, "raw": ""},
        {"cursor": 1, "received_at": "2024-11-04T12:00:00Z", "eventtype": "X", "raw": None},
    ],
)
def test_malformed_wire_events_are_refused(document: object) -> None:
    with pytest.raises(InvalidEvent):
        StoredEvent.from_wire(document)
