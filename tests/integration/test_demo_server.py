"""The demo Dispatch server over real HTTP, driven with the standard library only.

These tests pin the server's contract (reference 5.1.181 and spec-notes F1-F12), which the
client's own integration tests rely on.
"""

from __future__ import annotations

import base64
import http.client
import json
import logging
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from conftest import CallbackSink

from dispatch_desktop.api.tagfilter import TagFilter
from dispatch_desktop.demo import (
    DEMO_API_KEY,
    DEMO_PASSWORD,
    DEMO_USERNAME,
    DemoServer,
    group_names,
    saved_tag_filter_names,
    tag_vocabulary,
)
from dispatch_desktop.demo.data import (
    CONTACTS,
    GROUPS,
    NON_CONTACT_NUMBER,
    SAVED_JOBS,
    SAVED_TAG_FILTERS,
    SYSTEM_USER_ID,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
ALARM = 325961493210222597  # QuickAssign (GMA)
OFFICE_PARTY = 352872112744058883  # MonitoredMessage (GMM), saved filter Xmas2022
OSLO_ALERT = 352872253467898883  # MonitoredMessage (GMM), all based in Oslo
STAFF_SURVEY = 352873564993024005  # SurveyMessage (GMM on the server, unknown to clients)
AUTH = {"username": DEMO_USERNAME, "password": DEMO_PASSWORD}
CALLBACK_KEYS = {
    "jobid",
    "userid",
    "eventtype",
    "timestamp",
    "jobtype",
    "sendtaskid",
    "sendname",
    "contactid",
    "agent",
}


# -- helpers ---------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def call(
    server: DemoServer,
    path: str,
    *,
    method: str = "GET",
    query: str = "",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 5.0,
) -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        target = f"/dispatch/api{path}" + (f"?{query}" if query else "")
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return Answer(
            response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        )
    finally:
        connection.close()


def get(server: DemoServer, path: str, query: str, **kwargs: Any) -> Answer:
    return call(server, path, query=query, **kwargs)


def post(server: DemoServer, path: str, document: Any, **kwargs: Any) -> Answer:
    return call(server, path, method="POST", body=json.dumps(document).encode(), **kwargs)


def start(server: DemoServer, **params: Any) -> Answer:
    """POST /startsavedjob as the demo user."""
    return post(server, "/startsavedjob", {**AUTH, **params})


def start_get(server: DemoServer, query: str, **kwargs: Any) -> Answer:
    """GET /startsavedjob as the demo user; ``query`` is sent as is (already encoded)."""
    return get(server, "/startsavedjob", f"U=demo&P=demo&{query}", **kwargs)


def b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def phones(tag_filter: str) -> set[str]:
    parsed = TagFilter.parse(tag_filter)
    return {c.phone for c in CONTACTS if parsed.matches(c.tags)}


def group_phones(name: str) -> set[str]:
    members = set(GROUPS[name])
    return {c.phone for c in CONTACTS if c.contact_id in members}


def recipients_of(server: DemoServer) -> set[str]:
    """Phone numbers of the only job started so far."""
    (job,) = server.started_jobs
    return {r.phone for r in job.recipients}


def assert_ok(answer: Answer) -> dict[str, Any]:
    assert answer.status == 200, answer.text
    document = answer.json()
    assert document["result"] == "OK", document
    return document


def assert_bad_request(answer: Answer, *words: str) -> None:
    assert answer.status == 400
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    for word in words:
        assert word in answer.text


def in_future(**delta: float) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) + timedelta(**delta)


def timezone_offset(hours: int) -> timezone:
    return timezone(timedelta(hours=hours))


# -- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def server() -> Iterator[DemoServer]:
    with DemoServer(speed=1000) as demo:
        yield demo


def finished(jobid: str) -> Callable[[list[dict[str, Any]]], bool]:
    return lambda bodies: any(
        b["jobid"] == jobid and b["eventtype"] == "JOB_FINISH" for b in bodies
    )


# -- data --------------------------------------------------------------------------------------


def test_demo_data_has_the_vocabulary_and_names_the_gui_completes() -> None:
    vocabulary = tag_vocabulary()
    assert vocabulary["On call"] == ["No", "Yes"]
    assert {"Surgeon", "Registered Nurse", "Anaesthetist"} <= set(vocabulary["Role"])
    assert {"STO", "OSL", "CPH", "HEL", "GOT"} == set(vocabulary["Base"])
    assert all(values == sorted(values) for values in vocabulary.values())
    assert {"Xmas2022", "EngineeringConsultants", "Stockholm on call"} <= set(
        saved_tag_filter_names()
    )
    assert "Oslo, night shift" in group_names()
    assert any(" " in name and "," not in name for name in group_names())
    assert len(CONTACTS) >= 300
    assert len({c.phone for c in CONTACTS}) == len(CONTACTS)
    assert all(c.contact_id > 2**53 for c in CONTACTS)
    assert all(phones(text) for text in SAVED_TAG_FILTERS.values())


def test_api_key_has_the_reference_layout_and_contains_the_username() -> None:
    decoded = base64.b64decode(DEMO_API_KEY + "=" * (-len(DEMO_API_KEY) % 4)).decode()
    prefix, user, _secret = decoded.split(":")
    assert prefix == "MLU"
    assert user == b64(DEMO_USERNAME).rstrip("=")


# -- /listsavedjobs ----------------------------------------------------------------------------


def test_list_by_get_and_post_gives_every_saved_job_with_exact_ids(server: DemoServer) -> None:
    by_get = get(server, "/listsavedjobs", "U=demo&P=demo")
    by_post = post(server, "/listsavedjobs", AUTH)
    assert by_get.status == by_post.status == 200
    assert by_get.headers["content-type"].startswith("application/json")
    assert by_get.json() == by_post.json()
    jobs = by_get.json()["savedJobs"]
    assert len(jobs) >= 8
    assert {"id": ALARM, "name": "Alarm", "type": "QuickAssign"} in jobs
    assert {"id": OFFICE_PARTY, "name": "Office Party", "type": "MonitoredMessage"} in jobs
    assert {"id": OSLO_ALERT, "name": "Oslo Alert", "type": "MonitoredMessage"} in jobs
    # F1: ids are integers a double cannot hold; they must arrive exact in the JSON text.
    assert all(isinstance(job["id"], int) and job["id"] > 2**53 for job in jobs)
    assert str(OSLO_ALERT).encode() in by_get.body
    assert {job["type"] for job in jobs} >= {
        "MonitoredMessage",
        "SurveyMessage",
        "QuickAssign",
        "MultiAssign",
        "ShiftAssign",
        "GroundHandling",
    }


@pytest.mark.parametrize("via", ["GET", "POST"])
def test_list_filters_by_exact_jobtype(server: DemoServer, via: str) -> None:
    if via == "GET":
        answer = get(server, "/listsavedjobs", "U=demo&P=demo&T=MonitoredMessage")
    else:
        answer = post(server, "/listsavedjobs", {**AUTH, "jobtype": "MonitoredMessage"})
    jobs = answer.json()["savedJobs"]
    assert {job["type"] for job in jobs} == {"MonitoredMessage"}
    assert {"Office Party", "Oslo Alert"} <= {job["name"] for job in jobs}
    none = post(server, "/listsavedjobs", {**AUTH, "jobtype": "monitoredmessage"})
    assert none.json() == {"savedJobs": []}


# -- authentication (F6, G5) -------------------------------------------------------------------


GOOD_AUTH = {
    "GET U/P": ("GET", "U=demo&P=demo", {}, {}),
    "POST username/password": ("POST", "", {}, AUTH),
    "GET Basic": ("GET", "", {"Authorization": "Basic " + b64("demo:demo")}, {}),
    "POST Basic": ("POST", "", {"Authorization": "Basic " + b64("demo:demo")}, {}),
    "X-Lekab headers": (
        "GET",
        "",
        {"X-Lekab-Userid": b64("demo"), "X-Lekab-Password": b64("demo")},
        {},
    ),
    "GET key": ("GET", f"key={DEMO_API_KEY}", {}, {}),
    "X-API-Key header": ("POST", "", {"X-API-Key": DEMO_API_KEY}, {}),
    "POST apikey": ("POST", "", {}, {"apikey": DEMO_API_KEY}),
    "others empty": ("POST", "", {}, {"username": "", "password": "", "apikey": DEMO_API_KEY}),
    "GET others empty": ("GET", f"U=&P=&key={DEMO_API_KEY}", {}, {}),
}
BAD_AUTH = {
    "nothing": ("GET", "", {}, {}),
    "wrong GET password": ("GET", "U=demo&P=wrong", {}, {}),
    "wrong POST password": ("POST", "", {}, {"username": "demo", "password": "Demo"}),
    "username only": ("POST", "", {}, {"username": "demo"}),
    "wrong Basic": ("GET", "", {"Authorization": "Basic " + b64("demo:wrong")}, {}),
    "Basic not base64": ("GET", "", {"Authorization": "Basic demo:demo"}, {}),
    "X-Lekab plain text": ("GET", "", {"X-Lekab-Userid": "demo", "X-Lekab-Password": "demo"}, {}),
    "wrong key": ("GET", "key=TUxVOnRlc3Q6eHh4", {}, {}),
    "valid and invalid method": ("POST", "", {"X-API-Key": DEMO_API_KEY}, {"password": "x"}),
    "G5 by U/P": ("GET", "U=noaddressbook&P=demo", {}, {}),
    "G5 by Basic": ("POST", "", {"Authorization": "Basic " + b64("noaddressbook:demo")}, {}),
}


def _auth_call(server: DemoServer, path: str, case: tuple[Any, ...], extra: str = "") -> Answer:
    method, query, headers, body = case
    if method == "GET":
        return get(server, path, "&".join(filter(None, (query, extra))), headers=headers)
    return call(server, path, method="POST", body=json.dumps(body).encode(), headers=headers)


@pytest.mark.parametrize("case", GOOD_AUTH.values(), ids=GOOD_AUTH.keys())
def test_every_authentication_method_is_accepted(server: DemoServer, case: tuple) -> None:
    assert _auth_call(server, "/listsavedjobs", case).status == 200


@pytest.mark.parametrize("path", ["/listsavedjobs", "/startsavedjob"])
@pytest.mark.parametrize("case", BAD_AUTH.values(), ids=BAD_AUTH.keys())
def test_bad_credentials_give_401_without_a_body(
    server: DemoServer, case: tuple, path: str
) -> None:
    answer = _auth_call(server, path, case, extra=f"J={OFFICE_PARTY}")
    assert answer.status == 401
    assert answer.body == b""
    assert answer.headers["content-length"] == "0"
    assert server.started_jobs == []


def test_start_accepts_an_api_key(server: DemoServer) -> None:
    answer = get(server, "/startsavedjob", f"J={OFFICE_PARTY}", headers={"X-API-Key": DEMO_API_KEY})
    assert_ok(answer)
    assert server.started_jobs[0].username == DEMO_USERNAME


# -- routing -----------------------------------------------------------------------------------


def test_unknown_paths_give_404_and_other_methods_405(server: DemoServer) -> None:
    assert get(server, "/listjobs", "U=demo&P=demo").status == 404
    assert get(server, "", "U=demo&P=demo").status == 404
    for method in ("PUT", "DELETE", "PATCH"):
        answer = call(server, "/startsavedjob", method=method, body=b"{}")
        assert answer.status == 405
        assert answer.headers["allow"] == "GET, POST"
    assert server.request_count("/startsavedjob") == 3
    assert server.request_count("/listjobs") == 1


# -- GET parameter encoding (F5) ---------------------------------------------------------------


def test_get_list_items_are_decoded_one_by_one(server: DemoServer) -> None:
    groups = ",".join(quote(name, safe="") for name in ("Oslo, night shift", "Göteborg R&D"))
    assert_ok(start_get(server, f"J={OFFICE_PARTY}&G={groups}"))
    (job,) = server.started_jobs
    assert job.params["toaddressbookgroups"] == ["Oslo, night shift", "Göteborg R&D"]
    assert recipients_of(server) == group_phones("Oslo, night shift") | group_phones("Göteborg R&D")


def test_get_plus_is_a_space_and_2b_a_plus(server: DemoServer) -> None:
    message = quote("Hej på er 🎉", safe="")
    answer = start_get(server, f"J={OFFICE_PARTY}&N=Xmas+bash%2B1&T=%2B46709999001&M8={message}")
    assert assert_ok(answer)["jobname"] == "Xmas bash+1"
    (job,) = server.started_jobs
    assert job.message == "Hej på er 🎉"
    assert recipients_of(server) == {NON_CONTACT_NUMBER}


def test_reference_get_example_replaces_the_saved_recipients(server: DemoServer) -> None:
    answer = start_get(server, f"J={OFFICE_PARTY}&N=Xmas%20bash&S=Xmas2022,EngineeringConsultants")
    document = assert_ok(answer)
    assert document["jobname"] == "Xmas bash"
    assert document["errormessage"] == ""
    assert document["runtimeid"] > 2**53
    assert recipients_of(server) == phones("Invited:Xmas2022") | phones(
        "Role:Consultant;Department:Engineering"
    )


@pytest.mark.parametrize(
    ("value", "keep"), [("T", True), ("true", True), ("Y", True), ("yes", True), ("N", False)]
)
def test_get_tokeep_values(server: DemoServer, value: str, keep: bool) -> None:
    assert_ok(start_get(server, f"J={OFFICE_PARTY}&T={quote(NON_CONTACT_NUMBER)}&K={value}"))
    expected = {NON_CONTACT_NUMBER} | (phones("Invited:Xmas2022") if keep else set())
    assert recipients_of(server) == expected


@pytest.mark.parametrize(
    ("query", "words"),
    [
        (f"J={OFFICE_PARTY}&S=Xmas2022&S=Midsummer2023", ["S", "more than once"]),
        ("J=abc", ["J (jobid)", "integer"]),
        (f"J={OFFICE_PARTY}&R=two", ["R (responsegoal)", "integer"]),
        (f"J={OFFICE_PARTY}&R=0", ["R (responsegoal)", "> 0"]),
        ("N=nothing", ["J (jobid)", "missing"]),
        (f"J={OFFICE_PARTY}&T=%2B4670abc", ["T (tonumbers)", "phone number"]),
    ],
)
def test_get_formal_errors(server: DemoServer, query: str, words: list[str]) -> None:
    assert_bad_request(start_get(server, query), *words)
    assert server.started_jobs == []


# -- POST types (F1) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"jobid": str(OFFICE_PARTY)}, ["jobid", "JSON integer"]),
        ({"jobid": float(OFFICE_PARTY)}, ["jobid", "JSON integer"]),
        ({"jobid": True}, ["jobid", "JSON integer"]),
        ({"jobname": "no id"}, ["jobid", "missing"]),
        ({"jobid": OFFICE_PARTY, "responsegoal": 0}, ["responsegoal", "> 0"]),
        ({"jobid": OFFICE_PARTY, "responsegoal": "3"}, ["responsegoal", "JSON integer"]),
        ({"jobid": OFFICE_PARTY, "tokeep": "yes"}, ["tokeep", "true or false"]),
        ({"jobid": OFFICE_PARTY, "tonumbers": NON_CONTACT_NUMBER}, ["tonumbers", "list"]),
        ({"jobid": OFFICE_PARTY, "jobname": 7}, ["jobname", "string"]),
    ],
)
def test_post_type_errors(server: DemoServer, params: dict[str, Any], words: list[str]) -> None:
    assert_bad_request(start(server, **params), *words)


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b"\xff\xfe"])
def test_malformed_post_bodies(server: DemoServer, body: bytes) -> None:
    answer = call(server, "/startsavedjob", method="POST", body=body)
    assert answer.status == 400


# -- GMM rules (2.2.2, F7, F8) -----------------------------------------------------------------


@pytest.mark.parametrize("jobid", [OFFICE_PARTY, STAFF_SURVEY])
def test_gmm_refuses_a_non_blank_assigned_message(server: DemoServer, jobid: int) -> None:
    assert_bad_request(start(server, jobid=jobid, assignedmessage="You are in"), "assignedmessage")
    assert_ok(start(server, jobid=jobid, assignedmessage="  "))


@pytest.mark.parametrize(
    ("text", "document"),
    [
        ("toaddressbookcustomtagfilter", "toaddressbooktagfilterjson"),
        ("excludecustomtagfilter", "excludetagfilterjson"),
    ],
)
def test_a_filter_in_both_forms_is_refused(server: DemoServer, text: str, document: str) -> None:
    both = {text: "Base:STO", document: [{"tagtype": "Base", "tagvalues": ["STO"]}]}
    assert_bad_request(start(server, jobid=OFFICE_PARTY, **both), text, document, "not both")


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"toaddressbookcustomtagfilter": "Base STO"}, ["toaddressbookcustomtagfilter", "':'"]),
        ({"excludecustomtagfilter": "Base:STO;;Role:Driver"}, ["excludecustomtagfilter"]),
        ({"toaddressbooktagfilterjson": [{"type": "Base"}]}, ["toaddressbooktagfilterjson"]),
        ({"toaddressbooksavedtagfilters": ["Xmas2022", "Xmas2099"]}, ["'Xmas2099'"]),
        ({"toaddressbookgroups": ["Oslo night shift"]}, ["group", "'Oslo night shift'"]),
    ],
)
def test_malformed_filters_and_unknown_names(
    server: DemoServer, params: dict[str, Any], words: list[str]
) -> None:
    assert_bad_request(start(server, jobid=OFFICE_PARTY, **params), *words)
    assert server.started_jobs == []


# -- GMA rules (2.2.2, F8) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"tonumbers": [NON_CONTACT_NUMBER]},
        {"toaddressbooksavedtagfilters": ["Xmas2022"]},
        {"toaddressbookgroups": ["Management team"]},
        {"tokeep": True},
        {"excludenumbers": [NON_CONTACT_NUMBER]},
        {"excludecustomtagfilter": "Base:STO"},
        {"excludetagfilterjson": [{"tagtype": "Base", "tagvalues": ["STO"]}]},
    ],
    ids=lambda params: next(iter(params)),
)
def test_gma_refuses_gmm_only_parameters(server: DemoServer, params: dict[str, Any]) -> None:
    (name,) = params
    assert_bad_request(start(server, jobid=ALARM, **params), name, "GenericMultiAssign")
    assert server.request_count("/startsavedjob") == 1
    assert server.started_jobs == []


def test_gma_tokeep_false_is_no_tokeep(server: DemoServer) -> None:
    assert_ok(start_get(server, f"J={ALARM}&K=N"))


def test_gma_new_filter_and_response_goal_need_each_other(server: DemoServer) -> None:
    assert_bad_request(
        start(server, jobid=ALARM, toaddressbookcustomtagfilter="Role:Surgeon"), "responsegoal"
    )
    assert_bad_request(start(server, jobid=ALARM, responsegoal=2), "new tag filter")
    assert_bad_request(start_get(server, f"J={ALARM}&R=2"), "R (responsegoal)")
    assert server.started_jobs == []


def test_gma_new_filter_selects_with_its_first_part_and_filters_with_the_rest(
    server: DemoServer,
) -> None:
    assert_ok(start_get(server, f"J={ALARM}&A={quote('Role:Surgeon|Anaesthetist;Base:STO')}&R=2"))
    assert recipients_of(server) == phones("Role:Surgeon|Anaesthetist;Base:STO")
    assert server.started_jobs[0].responsegoal == 2


def test_gma_json_filter_replaces_the_settings_filter(server: DemoServer) -> None:
    document = [{"tagtype": "Role", "tagvalues": ["Registered Nurse"]}]
    assert_ok(start(server, jobid=ALARM, toaddressbooktagfilterjson=document, responsegoal=1))
    # The QuickAssign settings filter (On call:Yes) no longer applies.
    assert recipients_of(server) == phones("Role:Registered Nurse")


def test_gma_saved_job_uses_its_goals_and_the_settings_filter(server: DemoServer) -> None:
    assert_ok(start(server, jobid=ALARM, assignedmessage="Come now"))
    (job,) = server.started_jobs
    assert recipients_of(server) == phones("Role:Surgeon|Registered Nurse;On call:Yes")
    assert job.responsegoal == 3
    assert job.assignedmessage == "Come now"
    roles = [next(iter(r.tags["Role"])) for r in job.responders]
    assert roles == ["Surgeon", "Registered Nurse", "Registered Nurse"]


# -- 200 with result ERROR (F4) ----------------------------------------------------------------


def test_unknown_job_id_gives_200_error(server: DemoServer) -> None:
    answer = start(server, jobid=OFFICE_PARTY + 2, jobname="Nope")
    assert answer.status == 200
    document = answer.json()
    assert document["result"] == "ERROR"
    assert document["runtimeid"] == 0
    assert str(OFFICE_PARTY + 2) in document["errormessage"]
    assert server.started_jobs == []


@pytest.mark.parametrize(
    "params",
    [
        {"jobid": OFFICE_PARTY, "toaddressbookcustomtagfilter": "Base:Atlantis"},
        {"jobid": OSLO_ALERT, "excludecustomtagfilter": "Base:OSL"},
        {"jobid": ALARM, "toaddressbookcustomtagfilter": "Role:Astronaut", "responsegoal": 1},
    ],
)
def test_recipients_resolving_to_nobody_give_200_error(
    server: DemoServer, params: dict[str, Any]
) -> None:
    answer = start(server, **params)
    assert answer.status == 200
    document = answer.json()
    assert document["result"] == "ERROR"
    assert document["runtimeid"] == 0
    assert document["errormessage"]
    assert server.started_jobs == []


# -- recipient resolution (2.2.2, 2.2.6) -------------------------------------------------------


def test_without_to_parameters_the_saved_recipients_are_used(server: DemoServer) -> None:
    document = assert_ok(start(server, jobid=OSLO_ALERT))
    assert document["jobname"] == "Oslo Alert"
    assert recipients_of(server) == group_phones("Oslo, night shift") | phones(
        "Base:OSL;On call:Yes"
    )
    (job,) = server.started_jobs
    assert job.message.startswith("Alert in Oslo")
    assert job.saved_job_id == OSLO_ALERT


def test_tokeep_adds_to_the_saved_recipients(server: DemoServer) -> None:
    contact = CONTACTS[-1]
    assert_ok(
        start(
            server,
            jobid=OFFICE_PARTY,
            tokeep=True,
            tonumbers=[NON_CONTACT_NUMBER, contact.phone],
            toaddressbookgroups=["Management team"],
            toaddressbookcustomtagfilter="Base:HEL;On call:Yes",
        )
    )
    assert recipients_of(server) == (
        phones("Invited:Xmas2022")
        | group_phones("Management team")
        | phones("Base:HEL;On call:Yes")
        | {NON_CONTACT_NUMBER, contact.phone}
    )
    named = {r.phone: r for r in server.started_jobs[0].recipients}
    assert (
        named[contact.phone].contact_id == contact.contact_id
    )  # a contact's number is the contact
    assert named[NON_CONTACT_NUMBER].contact_id is None


def test_excludes_apply_to_saved_and_new_recipients(server: DemoServer) -> None:
    xmas_from_oslo = sorted(phones("Invited:Xmas2022;Base:OSL"))
    assert_ok(
        start(
            server,
            jobid=OFFICE_PARTY,
            tokeep=True,
            toaddressbooksavedtagfilters=["Finnish speakers"],
            excludenumbers=xmas_from_oslo[:2],
            excludetagfilterjson=[{"tagtype": "Base", "tagvalues": ["STO", "GOT"]}],
        )
    )
    expected = (phones("Invited:Xmas2022") | phones("Language:Finnish")) - phones("Base:STO|GOT")
    assert recipients_of(server) == expected - set(xmas_from_oslo[:2])


def test_response_goal_message_and_params_are_recorded(server: DemoServer) -> None:
    document = assert_ok(
        start(server, jobid=OFFICE_PARTY, jobname="Party!", message="Cake at 3", responsegoal=4)
    )
    (job,) = server.started_jobs
    assert job.runtimeid == document["runtimeid"]
    assert (job.jobname, job.message, job.responsegoal) == ("Party!", "Cake at 3", 4)
    assert len(job.responders) == 4
    assert job.params == {
        "jobid": OFFICE_PARTY,
        "jobname": "Party!",
        "message": "Cake at 3",
        "responsegoal": 4,
    }
    assert job.method == "POST"


def test_every_saved_job_starts_as_saved_with_unique_runtime_ids(server: DemoServer) -> None:
    ids = [assert_ok(start(server, jobid=job.id))["runtimeid"] for job in SAVED_JOBS]
    assert len(set(ids)) == len(ids)
    # Odd and above 2^53: a double cannot hold any of them (F1).
    assert all(i > 2**53 and i % 2 == 1 for i in ids)
    assert all(job.recipients for job in server.started_jobs)


# -- scheduledstart (F10) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2022-02-14T15:00:00Z", ["scheduledstart", "not in the future"]),
        (in_future(hours=1).strftime("%Y-%m-%dT%H:%M:%S"), ["scheduledstart", "offset"]),
        (in_future(hours=1).strftime("%Y-%m-%dT%H:%M:%S.123Z"), ["scheduledstart"]),
        (in_future(hours=1).strftime("%Y-%m-%d"), ["scheduledstart"]),
        ("2099-02-30T15:00Z", ["valid date"]),
    ],
)
def test_bad_scheduled_start(server: DemoServer, value: str, words: list[str]) -> None:
    assert_bad_request(start(server, jobid=OFFICE_PARTY, scheduledstart=value), *words)


def test_future_scheduled_start_is_accepted_in_every_reference_form(server: DemoServer) -> None:
    moment = in_future(days=1).replace(second=0)
    plus_two = moment.astimezone(timezone_offset(2))
    minus_two = moment.astimezone(timezone_offset(-2))
    for value in (
        moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        moment.strftime("%Y-%m-%dT%H:%MZ"),
        plus_two.isoformat(timespec="seconds"),
        minus_two.isoformat(timespec="minutes"),
    ):
        assert_ok(start(server, jobid=OFFICE_PARTY, scheduledstart=value))
    assert [job.scheduledstart for job in server.started_jobs] == [moment] * 4


def test_get_scheduled_start_needs_an_encoded_plus(server: DemoServer) -> None:
    value = in_future(days=1).astimezone(timezone_offset(2)).isoformat(timespec="seconds")
    assert_bad_request(start_get(server, f"J={OFFICE_PARTY}&AT={value}"), "%2B")
    assert_ok(start_get(server, f"J={OFFICE_PARTY}&AT={quote(value)}"))


# -- slow start (F3) ---------------------------------------------------------------------------


def test_start_delay_does_not_block_other_requests(server: DemoServer) -> None:
    server.start_delay = 0.6
    answers: list[Answer] = []
    began = time.monotonic()
    worker = threading.Thread(target=lambda: answers.append(start(server, jobid=OFFICE_PARTY)))
    worker.start()
    time.sleep(0.1)
    listed = post(server, "/listsavedjobs", AUTH)
    listed_after = time.monotonic() - began
    worker.join()
    assert listed.status == 200
    assert listed_after < 0.4
    assert time.monotonic() - began >= 0.6
    assert_ok(answers[0])


# -- fault injection ---------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["reset", "truncate"])
def test_faults_that_lose_the_answer_after_the_job_started(server: DemoServer, fault: str) -> None:
    server.fault = fault
    with pytest.raises((http.client.HTTPException, ConnectionError)):
        start(server, jobid=OFFICE_PARTY)
    assert server.request_count("/startsavedjob") == 1
    assert len(server.started_jobs) == 1  # F3: the outcome is unknown to the client, not failed
    assert server.fault is None
    assert_ok(start(server, jobid=OFFICE_PARTY))  # the fault applied to one request only


@pytest.mark.parametrize(("fault", "status"), [("html502", 502), ("html200", 200)])
def test_html_faults(server: DemoServer, fault: str, status: int) -> None:
    server.fault = fault
    answer = start(server, jobid=OFFICE_PARTY)
    assert answer.status == status
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.body.lower().startswith((b"<html", b"<!doctype html"))
    assert len(server.started_jobs) == 1


def test_list_fault(server: DemoServer) -> None:
    server.list_fault = "html502"
    assert post(server, "/listsavedjobs", AUTH).status == 502
    assert post(server, "/listsavedjobs", AUTH).status == 200


def test_hang_lasts_until_stop() -> None:
    server = DemoServer().start()
    try:
        server.fault = "hang"
        with pytest.raises(TimeoutError):
            post(server, "/startsavedjob", {**AUTH, "jobid": OFFICE_PARTY}, timeout=0.3)
        assert len(server.started_jobs) == 1
    finally:
        began = time.monotonic()
        server.stop()
    assert time.monotonic() - began < 2


def test_unknown_fault_names_are_refused(server: DemoServer) -> None:
    with pytest.raises(ValueError, match="Unknown fault"):
        server.fault = "explode"


# -- callbacks (3.1.x, F2) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "jobtype", "goal"),
    [
        ({"jobid": OFFICE_PARTY, "responsegoal": 3}, "MonitoredMessage", 3),
        ({"jobid": ALARM}, "QuickAssign", 3),
        ({"jobid": OSLO_ALERT}, "MonitoredMessage", 5),
    ],
)
def test_callbacks_follow_the_reference(
    receiver: CallbackSink, params: dict[str, Any], jobtype: str, goal: int
) -> None:
    with DemoServer(callback_url=receiver.url, speed=1000) as server:
        before = time.time_ns() // 1_000_000
        runtimeid = assert_ok(start(server, **params))["runtimeid"]
        bodies = receiver.wait_for(finished(str(runtimeid)))
    assert all(ct == "application/json" for ct in receiver.content_types)
    assert all(set(body) == CALLBACK_KEYS for body in bodies)
    assert [b["eventtype"] for b in bodies] == ["JOB_START"] + ["JOB_ASSIGN"] * goal + [
        "JOB_FINISH"
    ]
    assert all(b["jobid"] == str(runtimeid) for b in bodies)
    assert all(type(b["userid"]) is int and b["userid"] == SYSTEM_USER_ID for b in bodies)
    stamps = [b["timestamp"] for b in bodies]
    assert all(type(t) is int for t in stamps)
    assert before <= stamps[0]
    assert stamps == sorted(stamps)
    assert all(
        isinstance(b[key], str) for b in bodies for key in ("jobid", "sendtaskid", "contactid")
    )
    first, *assigns, last = bodies
    assert (first["jobtype"], first["agent"], first["sendtaskid"], first["contactid"]) == (
        jobtype,
        DEMO_USERNAME,
        "",
        "",
    )
    assert (last["jobtype"], last["agent"], last["sendname"], last["contactid"]) == (
        "",
        "SYSTEM",
        "",
        "",
    )
    names = {str(c.contact_id): c.name for c in CONTACTS}
    recipients = {str(r.contact_id) for r in server.started_jobs[0].recipients}
    for assign in assigns:
        assert (assign["jobtype"], assign["agent"]) == ("", "SYSTEM")
        assert assign["sendtaskid"].isdigit()
        assert int(assign["sendtaskid"]) > 2**53
        assert assign["contactid"] in recipients
        assert assign["sendname"] == names[assign["contactid"]]
    assert len({a["contactid"] for a in assigns}) == goal
    assert server.started_jobs[0].events == bodies


def test_scheduled_job_starts_at_its_time(receiver: CallbackSink) -> None:
    moment = in_future(seconds=2)
    with DemoServer(callback_url=receiver.url, speed=1000) as server:
        value = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        runtimeid = assert_ok(start(server, jobid=OFFICE_PARTY, scheduledstart=value))["runtimeid"]
        assert receiver.bodies == []
        bodies = receiver.wait_for(finished(str(runtimeid)))
    assert bodies[0]["timestamp"] >= moment.timestamp() * 1000


def test_callback_url_can_be_set_later_and_failures_do_not_stop_the_job(
    receiver: CallbackSink,
) -> None:
    with DemoServer(speed=1000) as server:
        server.callback_url = "http://127.0.0.1:9/unreachable"
        assert_ok(start(server, jobid=OFFICE_PARTY, responsegoal=1))
        deadline = time.monotonic() + 5
        while len(server.started_jobs[0].events) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert [e["eventtype"] for e in server.started_jobs[0].events][-1] == "JOB_FINISH"
        server.callback_url = receiver.url
        runtimeid = assert_ok(start(server, jobid=OFFICE_PARTY, responsegoal=1))["runtimeid"]
        receiver.wait_for(finished(str(runtimeid)))
    with pytest.raises(ValueError, match="http"):
        DemoServer(callback_url="file:///etc/passwd")


def test_stop_ends_pending_callbacks_and_threads(receiver: CallbackSink) -> None:
    before = set(threading.enumerate())
    server = DemoServer(callback_url=receiver.url, speed=1).start()
    assert_ok(start(server, jobid=OSLO_ALERT))
    began = time.monotonic()
    server.stop()
    assert time.monotonic() - began < 1
    time.sleep(0.05)
    assert set(threading.enumerate()) <= before
    assert receiver.bodies == []  # JOB_START was still a second away at speed 1


# -- logging -----------------------------------------------------------------------------------


def test_access_log_goes_through_logging_without_secrets(
    server: DemoServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="dispatch_desktop.demo")
    get(server, "/listsavedjobs", "U=demo&P=s3cret")
    get(server, "/listsavedjobs", f"key={DEMO_API_KEY}")
    assert "/dispatch/api/listsavedjobs" in caplog.text
    assert "s3cret" not in caplog.text
    assert DEMO_API_KEY not in caplog.text


# -- command line ------------------------------------------------------------------------------


def test_cli_prints_the_url_first_and_stops_on_sigterm() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "dispatch_desktop.demo", "--port", "0", "--speed", "50"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as process:
        assert process.stdout is not None
        first = process.stdout.readline()
        match = re.fullmatch(
            r"Dispatch demo server listening on http://127\.0\.0\.1:(\d+)/dispatch/api\n", first
        )
        assert match, first
        port = int(match.group(1))
        assert (
            process.stdout.readline() == f"Account: {DEMO_USERNAME} / password: {DEMO_PASSWORD}\n"
        )
        assert process.stdout.readline() == f"API key: {DEMO_API_KEY}\n"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", "/dispatch/api/listsavedjobs?U=demo&P=demo")
            response = connection.getresponse()
            assert response.status == 200
            response.read()
        finally:
            connection.close()
        process.terminate()
        process.communicate(timeout=5)
    assert process.returncode == 0
