"""What DispatchClient puts on the wire and how it reads the answers.

Requests are caught by ``responses`` (a local HTTP server only where urllib3's own logging is
under test). Rules come from the reference (sections 1 and 2) and spec-notes F1–F6, G5.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus, unquote, urlsplit

import pytest
import requests
import responses
from hypothesis import given, settings
from hypothesis import strategies as st

from dispatch_desktop.api import (
    DEFAULT_SERVER_URL,
    AuthenticationError,
    AuthMethod,
    ConnectionFailed,
    Credentials,
    DispatchClient,
    DispatchError,
    GenericType,
    JobNotStarted,
    MalformedAnswer,
    OutcomeUnknown,
    RequestRejected,
    SavedJob,
    StartedUnverifiable,
    StartJobRequest,
    StartResult,
    ValidationError,
)
from dispatch_desktop.api.characters import find_forbidden

BASE = "https://dispatch.example.com/api"
LIST_URL = f"{BASE}/listsavedjobs"
START_URL = f"{BASE}/startsavedjob"
USER, PASSWORD = "testuser", "testpass"
API_KEY = "TUxVOmRHVnpkSFZ6WlhJOjlKUUczTXU2TVZVU1Exd3Y"  # reference, "Different authentication"
JOB_ID = 352872112744058883  # F1: above 2**53
RUNTIME_ID = 383228819873509376

# Reference 1.2.2, without the stray sentence (G4).
LIST_EXAMPLE = """{
"savedJobs" : [
    { "id" : 325961493210222597,
      "name" : "Alarm",
      "type" : "QuickAssign" },
    { "id" : 352872112744058883,
      "name" : "Office Party",
      "type" : "MonitoredMessage" },
    { "id" : 352872253467898883,
      "name" : "Oslo Alert",
      "type" : "MonitoredMessage" } ]
}"""
EMPTY_LIST = '{"savedJobs": []}'
# Reference 2.2.3.
START_OK = """{
  "result": "OK",
  "runtimeid": 383228819873509376,
  "jobname": "Xmas bash",
  "errormessage": ""
}"""

AUTH_HEADER_NAMES = ("Authorization", "X-Lekab-Userid", "X-Lekab-Password", "X-API-Key")
# Per method: POST body fields, GET query, headers. The Base64 values are the known answers of
# the reference (F6).
AUTH_WIRE: dict[AuthMethod, tuple[dict[str, str], str, dict[str, str]]] = {
    AuthMethod.FIELDS: ({"username": USER, "password": PASSWORD}, "U=testuser&P=testpass", {}),
    AuthMethod.BASIC: ({}, "", {"Authorization": "Basic dGVzdHVzZXI6dGVzdHBhc3M="}),
    AuthMethod.LEKAB_HEADERS: (
        {},
        "",
        {"X-Lekab-Userid": "dGVzdHVzZXI=", "X-Lekab-Password": "dGVzdHBhc3M="},
    ),
    AuthMethod.API_KEY_FIELD: ({"apikey": API_KEY}, f"key={API_KEY}", {}),
    AuthMethod.API_KEY_HEADER: ({}, "", {"X-API-Key": API_KEY}),
}


@pytest.fixture
def mock() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


def make_client(
    auth: AuthMethod = AuthMethod.FIELDS,
    http_method: str = "POST",
    *,
    credentials: Credentials | None = None,
    base_url: str = BASE,
    **options: Any,
) -> DispatchClient:
    return DispatchClient(
        base_url,
        credentials or Credentials(USER, PASSWORD, API_KEY),
        auth=auth,
        http_method=http_method,
        **options,
    )


def sent(mock: responses.RequestsMock, index: int = 0) -> requests.PreparedRequest:
    return mock.calls[index].request


def query_of(request: requests.PreparedRequest) -> str:
    return urlsplit(request.url).query


def auth_headers(request: requests.PreparedRequest) -> dict[str, str]:
    return {name: request.headers[name] for name in AUTH_HEADER_NAMES if name in request.headers}


def start(client: DispatchClient, **fields: Any) -> StartResult:
    return client.start_saved_job(StartJobRequest(jobid=JOB_ID, **fields))


# -- authentication × method × endpoint (F6) ------------------------------------------------

ENDPOINTS: dict[str, tuple[Callable[[DispatchClient], object], dict[str, int], str, str]] = {
    "listsavedjobs": (lambda c: c.list_saved_jobs(), {}, "", EMPTY_LIST),
    "startsavedjob": (lambda c: start(c), {"jobid": JOB_ID}, f"J={JOB_ID}", START_OK),
}


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
@pytest.mark.parametrize("auth", list(AuthMethod))
def test_post_sends_the_credentials_of_the_chosen_method_only(
    mock: responses.RequestsMock, auth: AuthMethod, endpoint: str
) -> None:
    body_fields, _, headers = AUTH_WIRE[auth]
    call, params, _, answer = ENDPOINTS[endpoint]
    mock.post(f"{BASE}/{endpoint}", body=answer)

    call(make_client(auth, "POST"))

    request = sent(mock)
    assert request.method == "POST"
    assert request.url == f"{BASE}/{endpoint}"
    assert json.loads(request.body) == {**body_fields, **params}
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert request.headers["Accept"] == "application/json"
    assert auth_headers(request) == headers


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
@pytest.mark.parametrize("auth", list(AuthMethod))
def test_get_sends_the_credentials_of_the_chosen_method_only(
    mock: responses.RequestsMock, auth: AuthMethod, endpoint: str
) -> None:
    _, auth_query, headers = AUTH_WIRE[auth]
    call, _, params_query, answer = ENDPOINTS[endpoint]
    mock.get(f"{BASE}/{endpoint}", body=answer)

    call(make_client(auth, "GET"))

    request = sent(mock)
    query = "&".join(part for part in (auth_query, params_query) if part)
    assert request.method == "GET"
    assert request.url == f"{BASE}/{endpoint}" + (f"?{query}" if query else "")
    assert request.body is None
    assert "Content-Type" not in request.headers
    assert request.headers["Accept"] == "application/json"
    assert auth_headers(request) == headers


UNICODE_USER, UNICODE_PASSWORD = "åsa.öberg", "pässwörd€"
UNICODE_CREDENTIALS = Credentials(UNICODE_USER, UNICODE_PASSWORD)


def test_non_ascii_credentials_travel_as_raw_utf8_in_the_post_body(
    mock: responses.RequestsMock,
) -> None:
    mock.post(LIST_URL, body=EMPTY_LIST)

    make_client(credentials=UNICODE_CREDENTIALS).list_saved_jobs()

    body = sent(mock).body
    assert UNICODE_USER.encode() in body
    assert UNICODE_PASSWORD.encode() in body
    assert b"\\u" not in body


def test_non_ascii_credentials_are_percent_encoded_utf8_in_the_get_query(
    mock: responses.RequestsMock,
) -> None:
    mock.get(LIST_URL, body=EMPTY_LIST)

    make_client(http_method="GET", credentials=UNICODE_CREDENTIALS).list_saved_jobs()

    assert query_of(sent(mock)) == "U=%C3%A5sa.%C3%B6berg&P=p%C3%A4ssw%C3%B6rd%E2%82%AC"


@pytest.mark.parametrize(
    ("auth", "headers"),
    [
        (AuthMethod.BASIC, {"Authorization": "Basic w6VzYS7DtmJlcmc6cMOkc3N3w7ZyZOKCrA=="}),
        (
            AuthMethod.LEKAB_HEADERS,
            {"X-Lekab-Userid": "w6VzYS7DtmJlcmc=", "X-Lekab-Password": "cMOkc3N3w7ZyZOKCrA=="},
        ),
    ],
)
def test_non_ascii_credentials_in_headers_are_base64_of_utf8(
    mock: responses.RequestsMock, auth: AuthMethod, headers: dict[str, str]
) -> None:
    mock.post(LIST_URL, body=EMPTY_LIST)

    make_client(auth, credentials=UNICODE_CREDENTIALS).list_saved_jobs()

    assert auth_headers(sent(mock)) == headers


@pytest.mark.parametrize(
    ("auth", "headers"),
    [
        (AuthMethod.FIELDS, {}),
        (AuthMethod.BASIC, {"Authorization": "Basic dGVzdHVzZXI6dGVzdHBhc3M="}),
    ],
)
def test_a_netrc_entry_for_the_server_does_not_change_the_credentials_sent(
    mock: responses.RequestsMock,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    auth: AuthMethod,
    headers: dict[str, str],
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine dispatch.example.com login someoneelse password theirs\n")
    monkeypatch.setenv("NETRC", str(netrc))
    mock.post(LIST_URL, body=EMPTY_LIST)

    make_client(auth).list_saved_jobs()

    assert auth_headers(sent(mock)) == headers


# -- every start parameter on the wire (reference 2.2.1, F1, F5) ----------------------------

SCHEDULED = datetime(2099, 2, 14, 17, 0, tzinfo=timezone(timedelta(hours=2)))
EVERY_GET_PARAMETER = StartJobRequest(
    jobid=JOB_ID,
    jobname="Xmas bash",
    message="Hej på er!",
    assignedmessage="Du är vald",
    tonumbers=["+46701234567", "0701234568"],
    toaddressbookcustomtagfilter="Base:STO|OSL;On call:Yes",
    toaddressbooksavedtagfilters=["Xmas2022", "EngineeringConsultants"],
    toaddressbookgroups=["Oslo, night shift", "Day"],
    excludenumbers=["+4791234567"],
    excludecustomtagfilter="Role:Trainee",
    tokeep=True,
    responsegoal=3,
    scheduledstart=SCHEDULED,
)


def test_post_sends_every_parameter_as_exact_json(mock: responses.RequestsMock) -> None:
    mock.post(START_URL, body=START_OK)
    request = StartJobRequest(
        jobid=JOB_ID,
        jobname="Xmas bash",
        message="Hej på er! 🎄",
        assignedmessage="Du är vald",
        tonumbers=["+46701234567", "0701234568"],
        toaddressbookcustomtagfilter="Base:STO|OSL;On call:Yes",
        toaddressbooksavedtagfilters=["Xmas2022", "EngineeringConsultants"],
        toaddressbookgroups=["Oslo, night shift", "Day"],
        excludenumbers=["+4791234567"],
        excludetagfilterjson=[{"tagtype": "Role", "tagvalues": ["Trainee"]}],
        tokeep=True,
        responsegoal=3,
        scheduledstart=SCHEDULED,
    )

    make_client().start_saved_job(request)

    body = sent(mock).body
    assert json.loads(body) == {
        "username": USER,
        "password": PASSWORD,
        "jobid": JOB_ID,
        "jobname": "Xmas bash",
        "message": "Hej på er! 🎄",
        "assignedmessage": "Du är vald",
        "tonumbers": ["+46701234567", "0701234568"],
        "toaddressbookcustomtagfilter": "Base:STO|OSL;On call:Yes",
        "toaddressbooksavedtagfilters": ["Xmas2022", "EngineeringConsultants"],
        "toaddressbookgroups": ["Oslo, night shift", "Day"],
        "excludenumbers": ["+4791234567"],
        "excludetagfilterjson": [{"tagtype": "Role", "tagvalues": ["Trainee"]}],
        "tokeep": True,
        "responsegoal": 3,
        "scheduledstart": "2099-02-14T17:00:00+02:00",
    }
    assert b'"jobid": 352872112744058883' in body
    assert b'"responsegoal": 3,' in body
    assert b'"tokeep": true' in body
    assert "Hej på er! 🎄".encode() in body
    assert b"\\u" not in body


def test_post_sends_the_other_filter_forms_and_leaves_out_tokeep_false(
    mock: responses.RequestsMock,
) -> None:
    """tokeep=False is the default ("replace"); sending it would make a GMA job refuse the
    call (F8), so it is never sent."""
    mock.post(START_URL, body=START_OK)

    start(
        make_client(AuthMethod.API_KEY_HEADER),
        toaddressbooktagfilterjson=[{"tagtype": "Base", "tagvalues": ["STO", "OSL"]}],
        excludecustomtagfilter="Role:Trainee",
        tokeep=False,
    )

    assert json.loads(sent(mock).body) == {
        "jobid": JOB_ID,
        "toaddressbooktagfilterjson": [{"tagtype": "Base", "tagvalues": ["STO", "OSL"]}],
        "excludecustomtagfilter": "Role:Trainee",
    }


def test_get_sends_every_parameter_url_encoded(mock: responses.RequestsMock) -> None:
    mock.get(START_URL, body=START_OK)

    make_client(AuthMethod.API_KEY_HEADER, "GET").start_saved_job(EVERY_GET_PARAMETER)

    assert query_of(sent(mock)) == (
        "J=352872112744058883"
        "&N=Xmas%20bash"
        "&M8=Hej%20p%C3%A5%20er%21"
        "&AM8=Du%20%C3%A4r%20vald"
        "&T=%2B46701234567,0701234568"
        "&A=Base%3ASTO%7COSL%3BOn%20call%3AYes"
        "&S=Xmas2022,EngineeringConsultants"
        "&G=Oslo%2C%20night%20shift,Day"
        "&XT=%2B4791234567"
        "&XA=Role%3ATrainee"
        "&K=TRUE"
        "&R=3"
        "&AT=2099-02-14T17%3A00%3A00%2B02%3A00"
    )


def test_get_leaves_out_tokeep_false(mock: responses.RequestsMock) -> None:
    mock.get(START_URL, body=START_OK)

    start(make_client(AuthMethod.API_KEY_HEADER, "GET"), tokeep=False)

    assert query_of(sent(mock)) == f"J={JOB_ID}"


@pytest.mark.parametrize("field", ["toaddressbooktagfilterjson", "excludetagfilterjson"])
def test_get_refuses_the_json_only_filter_fields_and_sends_nothing(
    mock: responses.RequestsMock, field: str
) -> None:
    client = make_client(http_method="GET")

    with pytest.raises(ValidationError) as info:
        start(client, **{field: [{"tagtype": "Role", "tagvalues": ["Surgeon"]}]})

    assert info.value.field == field
    assert "(tag filter in JSON form): this cannot be sent with the GET method" in str(info.value)
    assert field not in str(info.value)  # the form's words, never the API's field name
    assert len(mock.calls) == 0


@pytest.mark.parametrize("job_type", ["Monitored\u200bMessage", "Quick\u00a0Assign", " ", "A\nB"])
def test_a_job_type_to_list_by_is_checked_before_sending(
    mock: responses.RequestsMock, job_type: str
) -> None:
    with pytest.raises(ValidationError) as info:
        make_client().list_saved_jobs(jobtype=job_type)

    assert str(info.value).startswith("Job type:")
    assert len(mock.calls) == 0


def test_reference_get_example_of_2_1_is_reproduced(mock: responses.RequestsMock) -> None:
    mock.get(f"{DEFAULT_SERVER_URL}/startsavedjob", body=START_OK)
    client = DispatchClient(
        DEFAULT_SERVER_URL, Credentials("partyparty", "testpass"), http_method="GET"
    )

    start(
        client,
        jobname="Xmas bash",
        toaddressbooksavedtagfilters=["Xmas2022", "EngineeringConsultants"],
    )

    assert sent(mock).url == (
        "https://secure.lekab.com/dispatch/api/startsavedjob?U=partyparty&P=testpass"
        "&J=352872112744058883&N=Xmas%20bash&S=Xmas2022,EngineeringConsultants"
    )


def test_reference_post_example_of_2_2_is_reproduced(mock: responses.RequestsMock) -> None:
    mock.post(f"{DEFAULT_SERVER_URL}/startsavedjob", body=START_OK)
    client = DispatchClient(DEFAULT_SERVER_URL, Credentials("partyparty", "testpass"))

    start(
        client,
        jobname="Xmas bash",
        toaddressbooksavedtagfilters=["Xmas2022", "EngineeringConsultants"],
    )

    assert json.loads(sent(mock).body) == {
        "username": "partyparty",
        "password": "testpass",
        "jobid": 352872112744058883,
        "jobname": "Xmas bash",
        "toaddressbooksavedtagfilters": ["Xmas2022", "EngineeringConsultants"],
    }


@settings(max_examples=200, deadline=None)
# Names the library accepts: invisible and control characters and look-alike spaces are
# refused (issue 7 §2).
@given(
    st.lists(
        st.text(min_size=1).filter(
            lambda name: name.strip() and not find_forbidden(name, names=True)
        ),
        min_size=1,
        max_size=5,
    )
)
def test_get_list_items_come_back_from_the_comma_joined_query(names: list[str]) -> None:
    client = make_client(AuthMethod.API_KEY_HEADER, "GET")
    with responses.RequestsMock() as rsps:
        rsps.get(START_URL, body=START_OK)
        start(client, toaddressbookgroups=names)
        query = query_of(rsps.calls[0].request)

    (value,) = [pair.removeprefix("G=") for pair in query.split("&") if pair.startswith("G=")]
    assert [unquote(item) for item in value.split(",")] == names


# -- /listsavedjobs (reference 1) -----------------------------------------------------------


def test_list_reads_the_reference_example_with_exact_ids(mock: responses.RequestsMock) -> None:
    mock.post(LIST_URL, body=LIST_EXAMPLE, content_type="application/json")

    jobs = make_client().list_saved_jobs()

    assert jobs == [
        SavedJob(325961493210222597, "Alarm", "QuickAssign"),
        SavedJob(352872112744058883, "Office Party", "MonitoredMessage"),
        SavedJob(352872253467898883, "Oslo Alert", "MonitoredMessage"),
    ]
    assert all(type(job.id) is int for job in jobs)


def test_list_accepts_an_empty_list(mock: responses.RequestsMock) -> None:
    mock.post(LIST_URL, body=EMPTY_LIST)

    assert make_client().list_saved_jobs() == []


def test_list_sends_the_job_type_as_jobtype_in_post(mock: responses.RequestsMock) -> None:
    mock.post(LIST_URL, body=EMPTY_LIST)

    make_client().list_saved_jobs("MonitoredMessage")

    assert json.loads(sent(mock).body) == {
        "username": USER,
        "password": PASSWORD,
        "jobtype": "MonitoredMessage",
    }


def test_list_sends_the_job_type_as_t_in_get(mock: responses.RequestsMock) -> None:
    mock.get(LIST_URL, body=EMPTY_LIST)

    make_client(http_method="GET").list_saved_jobs("Monitored Message")

    assert query_of(sent(mock)) == "U=testuser&P=testpass&T=Monitored%20Message"


def test_reference_get_example_of_1_1_is_reproduced(mock: responses.RequestsMock) -> None:
    mock.get(f"{DEFAULT_SERVER_URL}/listsavedjobs", body=EMPTY_LIST)
    client = DispatchClient(
        DEFAULT_SERVER_URL, Credentials("partyparty", "testpass"), http_method="GET"
    )

    client.list_saved_jobs()

    assert sent(mock).url == (
        "https://secure.lekab.com/dispatch/api/listsavedjobs?U=partyparty&P=testpass"
    )


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_401_names_both_credentials_and_address_book(
    mock: responses.RequestsMock, endpoint: str
) -> None:
    mock.post(f"{BASE}/{endpoint}", status=401)
    call = ENDPOINTS[endpoint][0]

    with pytest.raises(AuthenticationError) as info:
        call(make_client())

    message = str(info.value)
    assert "password" in message
    assert "API key" in message
    assert "address book" in message  # G5


@pytest.mark.parametrize(
    ("status", "answer", "text"),
    [
        (400, "jobtype unknown", "jobtype unknown"),
        (
            500,
            "<html><body><h1>Internal error</h1><p>Try again later</p></body></html>",
            "Internal error Try again later",
        ),
    ],
)
def test_list_error_status_is_rejected_with_the_server_text(
    mock: responses.RequestsMock, status: int, answer: str, text: str
) -> None:
    mock.post(LIST_URL, status=status, body=answer, content_type="text/html")

    with pytest.raises(RequestRejected) as info:
        make_client().list_saved_jobs()

    assert info.value.status == status
    assert info.value.server_text == text
    assert f"HTTP {status}" in str(info.value)
    assert text in str(info.value)


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param("<html><body>Welcome</body></html>", id="html"),
        pytest.param("not json", id="not-json"),
        pytest.param("[]", id="json-list"),
        pytest.param('{"jobs": []}', id="no-savedJobs"),
        pytest.param('{"savedJobs": {}}', id="savedJobs-not-a-list"),
        pytest.param('{"savedJobs": [{"name": "Alarm", "type": "QuickAssign"}]}', id="no-id"),
        pytest.param('{"savedJobs": [{"id": 1, "type": "QuickAssign"}]}', id="no-name"),
        pytest.param('{"savedJobs": [{"id": 1, "name": "Alarm"}]}', id="no-type"),
        pytest.param(
            '{"savedJobs": [{"id": 3.2596149321022259e17, "name": "Alarm", "type": "Q"}]}',
            id="id-float",
        ),
        pytest.param('{"savedJobs": [{"id": true, "name": "Alarm", "type": "Q"}]}', id="id-bool"),
        pytest.param('{"savedJobs": ["Alarm"]}', id="item-not-an-object"),
    ],
)
def test_list_with_malformed_answer_raises_malformed_answer(
    mock: responses.RequestsMock, answer: str
) -> None:
    mock.post(LIST_URL, body=answer)

    with pytest.raises(MalformedAnswer):
        make_client().list_saved_jobs()


def test_list_retries_a_lost_connection_once(mock: responses.RequestsMock) -> None:
    mock.post(LIST_URL, body=requests.ConnectionError("connection reset by peer"))
    mock.post(LIST_URL, body=LIST_EXAMPLE)

    jobs = make_client().list_saved_jobs()

    assert len(jobs) == 3
    assert len(mock.calls) == 2


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (
            requests.ConnectionError("connection reset by peer"),
            "Could not connect to dispatch.example.com",
        ),
        (requests.ReadTimeout("read timed out"), "dispatch.example.com did not answer in time"),
    ],
)
def test_list_gives_up_after_the_second_failure(
    mock: responses.RequestsMock, error: requests.RequestException, words: str
) -> None:
    mock.post(LIST_URL, body=error)
    mock.post(LIST_URL, body=error)

    with pytest.raises(ConnectionFailed) as info:
        make_client().list_saved_jobs()

    assert len(mock.calls) == 2
    assert words in str(info.value)


# -- /startsavedjob (reference 2, F3, F4) ---------------------------------------------------


def test_start_returns_the_exact_runtime_id(mock: responses.RequestsMock) -> None:
    mock.post(START_URL, body=START_OK)

    result = start(make_client(), jobname="Xmas bash")

    assert result == StartResult("OK", RUNTIME_ID, "Xmas bash", "")
    assert type(result.runtimeid) is int


def test_start_with_result_error_raises_job_not_started(mock: responses.RequestsMock) -> None:
    mock.post(
        START_URL,
        json={
            "result": "ERROR",
            "runtimeid": None,
            "jobname": "Xmas bash",
            "errormessage": "The saved job has no recipients",
        },
    )

    with pytest.raises(JobNotStarted) as info:
        start(make_client())

    assert info.value.result == StartResult(
        "ERROR", None, "Xmas bash", "The saved job has no recipients"
    )
    assert info.value.errormessage == "The saved job has no recipients"
    assert "The saved job has no recipients" in str(info.value)


def test_start_401_raises_authentication_error(mock: responses.RequestsMock) -> None:
    mock.post(START_URL, status=401)

    with pytest.raises(AuthenticationError):
        start(make_client())


def test_start_400_is_rejected_with_the_server_text(mock: responses.RequestsMock) -> None:
    mock.post(START_URL, status=400, body="Parameter tonumbers not allowed for this job type")

    with pytest.raises(RequestRejected) as info:
        start(make_client())

    assert info.value.status == 400
    assert info.value.server_text == "Parameter tonumbers not allowed for this job type"
    assert len(mock.calls) == 1


@pytest.mark.parametrize(
    "error",
    [
        pytest.param(requests.ConnectionError("connection reset")),
        pytest.param(requests.exceptions.ChunkedEncodingError("cut off")),
        pytest.param(requests.ReadTimeout("read timed out")),
    ],
    ids=["connection-lost", "answer-cut-off", "read-timeout"],
)
def test_start_without_a_complete_answer_is_outcome_unknown_and_never_retried(
    mock: responses.RequestsMock, error: requests.RequestException
) -> None:
    mock.post(START_URL, body=error)

    with pytest.raises(OutcomeUnknown) as info:
        start(make_client())

    assert len(mock.calls) == 1
    assert "may have started" in str(info.value)


def test_start_that_never_connected_is_a_connection_failure(
    mock: responses.RequestsMock,
) -> None:
    mock.post(START_URL, body=requests.ConnectTimeout("connect timed out"))

    with pytest.raises(ConnectionFailed):
        start(make_client())

    assert len(mock.calls) == 1


@pytest.mark.parametrize("status", [502, 504])
def test_start_gateway_error_is_outcome_unknown(mock: responses.RequestsMock, status: int) -> None:
    mock.post(START_URL, status=status, body="<h1>Gateway Timeout</h1>", content_type="text/html")

    with pytest.raises(OutcomeUnknown) as info:
        start(make_client())

    assert f"HTTP {status}" in str(info.value)
    assert len(mock.calls) == 1


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param("<html><body>Job started</body></html>", id="html"),
        pytest.param("not json", id="not-json"),
        pytest.param('{"runtimeid": 383228819873509376}', id="no-result"),
        pytest.param('{"result": 1, "runtimeid": 383228819873509376}', id="result-not-text"),
        pytest.param('{"result": "OK", "nested": ' + "[" * 5000 + "]" * 5000 + "}", id="deep"),
        pytest.param('{"result": "OK", "runtimeid": ' + "9" * 5000 + "}", id="5000-digits"),
        pytest.param(b'{"result": "OK", "jobname": "\xff\xfe"}', id="invalid-utf8"),
    ],
)
def test_start_with_unreadable_200_is_outcome_unknown(
    mock: responses.RequestsMock, answer: str
) -> None:
    mock.post(START_URL, body=answer)

    with pytest.raises(OutcomeUnknown):
        start(make_client())

    assert len(mock.calls) == 1


@pytest.mark.parametrize(
    ("runtimeid", "shown"),
    [
        pytest.param(None, "none given", id="missing"),
        pytest.param("3.8322881987350938e17", "3.832288198735094e+17", id="float"),
        pytest.param('"383228819873509376x"', '"383228819873509376x"', id="not-digits"),
        pytest.param("0", "0", id="zero"),
        pytest.param("-383228819873509376", "-383228819873509376", id="negative"),
        pytest.param(str(2**63), str(2**63), id="beyond-64-bit"),
        pytest.param("true", "true", id="boolean"),
        pytest.param('"' + "1" * 400 + '"', '"1111111111111111111… (402 characters)', id="long"),
    ],
)
def test_an_ok_with_an_unusable_runtime_id_is_started_but_unverifiable(
    mock: responses.RequestsMock, runtimeid: str | None, shown: str
) -> None:
    """An OK means the job started, whatever the runtime id looks like (F1, F4)."""
    field = "" if runtimeid is None else f', "runtimeid": {runtimeid}'
    mock.post(START_URL, body=f'{{"result": "OK", "jobname": "Xmas bash"{field}}}')

    with pytest.raises(StartedUnverifiable) as info:
        start(make_client())

    assert info.value.jobname == "Xmas bash"
    assert info.value.runtime_id_text == shown
    assert "started" in str(info.value)
    assert len(mock.calls) == 1


@pytest.mark.parametrize(
    ("request_fields", "generic_type", "field"),
    [
        ({"jobid": 0}, None, "jobid"),
        ({"jobid": float(JOB_ID)}, None, "jobid"),
        ({"jobid": JOB_ID, "tonumbers": ["+46701234567"]}, GenericType.GMA, "tonumbers"),
        ({"jobid": JOB_ID, "assignedmessage": "Hi"}, GenericType.GMM, "assignedmessage"),
        ({"jobid": JOB_ID, "responsegoal": 2}, GenericType.GMA, "toaddressbookcustomtagfilter"),
    ],
)
def test_start_that_fails_validation_sends_nothing(
    mock: responses.RequestsMock,
    request_fields: dict[str, Any],
    generic_type: GenericType | None,
    field: str,
) -> None:
    with pytest.raises(ValidationError) as info:
        make_client().start_saved_job(StartJobRequest(**request_fields), generic_type)

    assert info.value.field == field
    assert len(mock.calls) == 0


def test_every_call_has_a_timeout_and_start_waits_longest(mock: responses.RequestsMock) -> None:
    mock.post(LIST_URL, body=EMPTY_LIST)
    mock.post(START_URL, body=START_OK)
    client = make_client(connect_timeout=5.0, read_timeout=20.0, start_timeout=900.0)

    client.list_saved_jobs()
    start(client)

    assert mock.calls[0].request.req_kwargs["timeout"] == (5.0, 20.0)
    assert mock.calls[1].request.req_kwargs["timeout"] == (5.0, 900.0)


def test_a_session_without_tls_verification_is_refused() -> None:
    session = requests.Session()
    session.verify = False
    with pytest.raises(ValidationError, match="TLS"):
        make_client(session=session)
    session.close()


def test_start_uses_the_session_given_to_the_client(mock: responses.RequestsMock) -> None:
    session = requests.Session()
    session.verify = "/etc/dispatch/company-ca.pem"
    mock.post(LIST_URL, body=EMPTY_LIST)
    mock.post(START_URL, body=START_OK)
    client = make_client(session=session)

    client.list_saved_jobs()
    start(client)

    assert [call.request.req_kwargs["verify"] for call in mock.calls] == [session.verify] * 2


# -- server address rules -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://dispatch.example.com/api",
        "http://192.168.1.10/api",
        "ftp://dispatch.example.com/api",
        "dispatch.example.com/api",
        "https://",
        "https://dispatch.example.com/api?x=1",
        "https://user@dispatch.example.com/api",
    ],
)
def test_unusable_server_address_is_refused(url: str) -> None:
    with pytest.raises(ValidationError) as info:
        make_client(base_url=url)

    assert info.value.field == "server"


def test_plain_http_to_another_host_is_allowed_when_asked_for() -> None:
    client = make_client(base_url="http://dispatch.example.com/api", allow_insecure=True)

    assert client.base_url == "http://dispatch.example.com/api"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/api",
        "http://localhost/api",
        "http://LOCALHOST:8080/api",
        "http://[::1]:8080/api",
        "https://dispatch.example.com/api",
    ],
)
def test_https_and_plain_http_to_this_computer_are_allowed(url: str) -> None:
    assert make_client(base_url=url).base_url == url


def test_trailing_slash_of_the_server_address_is_dropped(mock: responses.RequestsMock) -> None:
    mock.post(LIST_URL, body=EMPTY_LIST)
    client = make_client(base_url=f" {BASE}// ")

    client.list_saved_jobs()

    assert client.base_url == BASE
    assert sent(mock).url == LIST_URL


def test_server_address_with_an_invalid_port_is_refused() -> None:
    with pytest.raises(ValidationError):
        make_client(base_url="https://dispatch.example.com:99999/api")


@pytest.mark.parametrize("http_method", ["PUT", ""])
def test_unsupported_http_method_is_refused(http_method: str) -> None:
    with pytest.raises(ValidationError) as info:
        make_client(http_method=http_method)

    assert info.value.field == "http_method"


def test_http_method_is_case_insensitive() -> None:
    assert make_client(http_method="get").http_method == "GET"


@pytest.mark.parametrize(
    ("auth", "credentials", "field"),
    [
        (AuthMethod.FIELDS, Credentials(None, PASSWORD), "username"),
        (AuthMethod.LEKAB_HEADERS, Credentials(USER, ""), "password"),
        (AuthMethod.API_KEY_HEADER, Credentials(USER, PASSWORD), "api_key"),
        (AuthMethod.BASIC, Credentials("test:user", PASSWORD), "username"),
    ],
)
def test_missing_or_unusable_credentials_are_refused(
    auth: AuthMethod, credentials: Credentials, field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        make_client(auth, credentials=credentials)

    assert info.value.field == field


# -- secrets never in messages or logs, GET mode ---------------------------------------------

SECRET_PASSWORD = "pa55 w0rd&+ö"
SECRET_KEY = "S3cr3t+K3y/=="
SECRET_CREDENTIALS = Credentials(USER, SECRET_PASSWORD, SECRET_KEY)
SECRET_AUTHS = [AuthMethod.FIELDS, AuthMethod.API_KEY_FIELD]
# How urllib3 words a failed request: it quotes the URL, query and all.
LEAKY_URL = f"/api/listsavedjobs?U={USER}&P={quote(SECRET_PASSWORD)}&key={quote(SECRET_KEY)}"


SECRET_FORMS = {
    form
    for secret in (SECRET_PASSWORD, SECRET_KEY)
    for form in (secret, quote(secret, safe=""), quote_plus(secret))
}


def assert_free_of_secrets(text: str) -> None:
    for form in SECRET_FORMS:
        assert form not in text


@pytest.mark.parametrize("auth", SECRET_AUTHS)
@pytest.mark.parametrize(
    ("endpoint", "answers"),
    [
        pytest.param("listsavedjobs", [{"status": 401}], id="list-401"),
        pytest.param("listsavedjobs", [{"status": 500, "body": "<p>boom</p>"}], id="list-500"),
        pytest.param("listsavedjobs", [{"body": "not json"}], id="list-not-json"),
        pytest.param(
            "listsavedjobs",
            [{"body": requests.ConnectionError(f"Max retries exceeded with url: {LEAKY_URL}")}] * 2,
            id="list-connection-lost-twice",
        ),
        pytest.param("startsavedjob", [{"status": 400, "body": "bad"}], id="start-400"),
        pytest.param("startsavedjob", [{"status": 504}], id="start-504"),
        pytest.param(
            "startsavedjob", [{"body": requests.ReadTimeout("read timed out")}], id="start-timeout"
        ),
        pytest.param("startsavedjob", [{"body": "<html></html>"}], id="start-html"),
        pytest.param(
            "startsavedjob", [{"json": {"result": "ERROR", "errormessage": "no"}}], id="start-err"
        ),
    ],
)
def test_get_mode_errors_and_logs_never_contain_a_secret(
    mock: responses.RequestsMock,
    caplog: pytest.LogCaptureFixture,
    auth: AuthMethod,
    endpoint: str,
    answers: list[dict[str, Any]],
) -> None:
    caplog.set_level(logging.DEBUG)
    for answer in answers:
        mock.get(f"{BASE}/{endpoint}", **answer)
    call = ENDPOINTS[endpoint][0]

    with pytest.raises(DispatchError) as info:
        call(make_client(auth, "GET", credentials=SECRET_CREDENTIALS))

    assert_free_of_secrets(str(info.value))
    assert_free_of_secrets(repr(info.value))
    assert_free_of_secrets("\n".join(r.getMessage() for r in caplog.records))


class _JsonHandler(BaseHTTPRequestHandler):
    """Answers like the Dispatch server: the list or a started job."""

    def do_GET(self) -> None:
        listing = urlsplit(self.path).path.endswith("/listsavedjobs")
        body = (LIST_EXAMPLE if listing else START_OK).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def local_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _JsonHandler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.parametrize("auth", SECRET_AUTHS)
def test_get_mode_urllib3_debug_log_never_contains_a_secret(
    local_server: str, caplog: pytest.LogCaptureFixture, auth: AuthMethod
) -> None:
    caplog.set_level(logging.DEBUG)

    with make_client(auth, "GET", credentials=SECRET_CREDENTIALS, base_url=local_server) as client:
        assert len(client.list_saved_jobs()) == 3
        assert start(client).runtimeid == RUNTIME_ID

    urllib3_lines = [r.getMessage() for r in caplog.records if r.name.startswith("urllib3")]
    assert any("/api/listsavedjobs?" in line for line in urllib3_lines)
    assert any("/api/startsavedjob?" in line for line in urllib3_lines)
    assert_free_of_secrets("\n".join(r.getMessage() for r in caplog.records))


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("auth", SECRET_AUTHS)
def test_get_mode_unreachable_server_never_shows_a_secret(
    caplog: pytest.LogCaptureFixture, auth: AuthMethod
) -> None:
    caplog.set_level(logging.DEBUG)
    base_url = f"http://127.0.0.1:{_closed_port()}/api"

    with make_client(auth, "GET", credentials=SECRET_CREDENTIALS, base_url=base_url) as client:
        with pytest.raises(ConnectionFailed) as listing:
            client.list_saved_jobs()
        with pytest.raises(ConnectionFailed) as starting:
            start(client)

    assert_free_of_secrets(f"{listing.value}\n{starting.value}")
    log_text = "\n".join(r.getMessage() for r in caplog.records)
    assert "***" in log_text, "urllib3's URL should have been logged, redacted"
    assert_free_of_secrets(log_text)


def test_api_key_with_a_line_break_is_refused_without_logging_it(
    mock: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    with pytest.raises(ValidationError) as info:
        make_client(
            AuthMethod.API_KEY_HEADER, "GET", credentials=Credentials(api_key=f"{SECRET_KEY}\n")
        )

    assert info.value.field == "api_key"
    assert_free_of_secrets(str(info.value))
    assert_free_of_secrets("\n".join(r.getMessage() for r in caplog.records))
    assert len(mock.calls) == 0
