"""The library's DispatchClient against the real demo server over loopback: no mocks.

Every test drives ``dispatch_desktop.api`` the way a script or the GUI does, and checks what
the demo server really received (``started_jobs``, ``request_count``) against the reference
5.1.181 and spec-notes F1-F12.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

import pytest
from conftest import CallbackSink

from dispatch_desktop.api import (
    AuthenticationError,
    AuthMethod,
    ConnectionFailed,
    Credentials,
    DispatchClient,
    GenericType,
    JobNotStarted,
    OutcomeUnknown,
    RequestRejected,
    StartJobRequest,
    TagFilter,
    ValidationError,
)
from dispatch_desktop.demo import DEMO_API_KEY, DEMO_PASSWORD, DEMO_USERNAME, DemoServer
from dispatch_desktop.demo.data import (
    CONTACTS,
    GROUPS,
    NON_CONTACT_NUMBER,
    SAVED_JOBS,
    SAVED_TAG_FILTERS,
    SYSTEM_USER_ID,
)

ALARM = 325961493210222597  # QuickAssign (GMA)
OFFICE_PARTY = 352872112744058883  # MonitoredMessage (GMM), saved filter Xmas2022
UNKNOWN_JOB = 352872112744058885  # odd and above 2**53, like a real id (F1)
DEMO = Credentials(DEMO_USERNAME, DEMO_PASSWORD)
METHODS = ["POST", "GET"]
MESSAGE = "Hälsningar från Åre – café ☕, 日本語 and 😀: UTF-8 end to end"
OSLO_NIGHT = "Oslo, night shift"  # a group name with a comma (F5)
WRONG_PASSWORD = "Hemligt-Lösen+42&x"  # characters that URL encoding changes


# -- fixtures and helpers --------------------------------------------------------------------


@pytest.fixture
def server() -> Iterator[DemoServer]:
    with DemoServer(speed=1000) as demo:
        yield demo


ClientFactory = Callable[..., DispatchClient]


@pytest.fixture
def make_client(server: DemoServer) -> Iterator[ClientFactory]:
    """Clients of ``server`` (or of ``base_url``); all closed before the server stops."""
    clients: list[DispatchClient] = []

    def make(
        credentials: Credentials = DEMO, *, base_url: str | None = None, **options: Any
    ) -> DispatchClient:
        client = DispatchClient(base_url or server.url, credentials, **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def closed_port_url() -> str:
    """The API URL of a loopback port that nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/dispatch/api"


def phones_matching(tag_filter: str) -> set[str]:
    parsed = TagFilter.parse(tag_filter)
    return {c.phone for c in CONTACTS if parsed.matches(c.tags)}


def group_phones(name: str) -> set[str]:
    members = set(GROUPS[name])
    return {c.phone for c in CONTACTS if c.contact_id in members}


def in_future(hours: int, **delta: float) -> datetime:
    """A whole-second moment in the future, expressed with a UTC offset of ``hours``."""
    moment = datetime.now(UTC).replace(microsecond=0) + timedelta(**delta)
    return moment.astimezone(timezone(timedelta(hours=hours)))


# -- /listsavedjobs: every authentication method, both HTTP methods (F1, F6) -----------------


AUTH_CASES = [
    # The unused secret is deliberately wrong: if the client sent the fields of another
    # method too (F6), the demo server would refuse the mismatch with 401.
    (AuthMethod.FIELDS, Credentials(DEMO_USERNAME, DEMO_PASSWORD, api_key="wrong-key")),
    (AuthMethod.BASIC, Credentials(DEMO_USERNAME, DEMO_PASSWORD, api_key="wrong-key")),
    (AuthMethod.LEKAB_HEADERS, Credentials(DEMO_USERNAME, DEMO_PASSWORD, api_key="wrong-key")),
    (AuthMethod.API_KEY_FIELD, Credentials(DEMO_USERNAME, "wrong-password", api_key=DEMO_API_KEY)),
    (AuthMethod.API_KEY_HEADER, Credentials(DEMO_USERNAME, "wrong-password", api_key=DEMO_API_KEY)),
]


@pytest.mark.parametrize("http_method", METHODS)
@pytest.mark.parametrize(("auth", "credentials"), AUTH_CASES, ids=[a.name for a, _ in AUTH_CASES])
def test_every_auth_method_lists_and_starts(
    server: DemoServer,
    make_client: ClientFactory,
    auth: AuthMethod,
    credentials: Credentials,
    http_method: str,
) -> None:
    client = make_client(credentials, auth=auth, http_method=http_method)
    jobs = client.list_saved_jobs()
    assert [(j.id, j.name, j.type) for j in jobs] == [(j.id, j.name, j.type) for j in SAVED_JOBS]
    party = next(j for j in jobs if j.name == "Office Party")
    assert type(party.id) is int
    assert party.id == 352872112744058883  # not ...880, the double nearest to it (F1)
    result = client.start_saved_job(StartJobRequest(jobid=party.id), GenericType.GMM)
    assert result.ok
    (record,) = server.started_jobs
    assert record.saved_job_id == OFFICE_PARTY
    assert record.username == DEMO_USERNAME
    assert record.method == http_method
    assert record.params == {"jobid": OFFICE_PARTY}


@pytest.mark.parametrize("http_method", METHODS)
def test_list_filters_by_jobtype(make_client: ClientFactory, http_method: str) -> None:
    client = make_client(http_method=http_method)
    alarms = client.list_saved_jobs("QuickAssign")
    assert [(j.id, j.name, j.type) for j in alarms] == [(ALARM, "Alarm", "QuickAssign")]
    assert client.list_saved_jobs("NoSuchType") == []


# -- /startsavedjob: success and exact parameters --------------------------------------------


@pytest.mark.parametrize("http_method", METHODS)
def test_start_gmm_office_party(
    server: DemoServer, make_client: ClientFactory, http_method: str
) -> None:
    client = make_client(http_method=http_method)
    result = client.start_saved_job(StartJobRequest(jobid=OFFICE_PARTY), GenericType.GMM)
    assert result.result == "OK"
    assert result.jobname == "Office Party"
    assert result.errormessage == ""
    assert type(result.runtimeid) is int
    assert result.runtimeid > 2**53
    (record,) = server.started_jobs
    assert record.runtimeid == result.runtimeid
    assert record.saved_job_id == OFFICE_PARTY
    assert {r.phone for r in record.recipients} == phones_matching(SAVED_TAG_FILTERS["Xmas2022"])


@pytest.mark.parametrize("http_method", METHODS)
def test_start_gma_alarm_with_new_filter_and_response_goal(
    server: DemoServer, make_client: ClientFactory, http_method: str
) -> None:
    client = make_client(http_method=http_method)
    request = StartJobRequest(
        jobid=ALARM,
        message=MESSAGE,
        assignedmessage="Du är tilldelad – kom till akuten.",
        toaddressbookcustomtagfilter=TagFilter.parse("Role:Registered Nurse;On call:Yes"),
        responsegoal=2,
    )
    result = client.start_saved_job(request, GenericType.GMA)
    assert type(result.runtimeid) is int
    assert result.runtimeid > 2**53
    (record,) = server.started_jobs
    assert record.runtimeid == result.runtimeid
    assert record.params == {
        "jobid": ALARM,
        "message": MESSAGE,
        "assignedmessage": "Du är tilldelad – kom till akuten.",
        "toaddressbookcustomtagfilter": "Role:Registered Nurse;On call:Yes",
        "responsegoal": 2,
    }
    assert record.responsegoal == 2
    assert record.message == MESSAGE
    assert {r.phone for r in record.recipients} == phones_matching(
        "Role:Registered Nurse;On call:Yes"
    )


@pytest.mark.parametrize("http_method", METHODS)
def test_start_sends_every_gmm_parameter_intact(
    server: DemoServer, make_client: ClientFactory, http_method: str
) -> None:
    excluded = next(
        c.phone
        for c in CONTACTS
        if c.contact_id in GROUPS[OSLO_NIGHT] and "Driver" not in c.tags["Role"]
    )
    when = in_future(2, days=1)  # +02:00: the '+' must arrive as '+' in GET (F5)
    request = StartJobRequest(
        jobid=OFFICE_PARTY,
        jobname="Fest på kontoret, fredag",
        message=MESSAGE,
        tonumbers=[NON_CONTACT_NUMBER],
        toaddressbookcustomtagfilter="On call:Yes;Base:HEL",
        toaddressbooksavedtagfilters=["Stockholm on call", "Finnish speakers"],
        toaddressbookgroups=[OSLO_NIGHT, "Management team"],
        excludenumbers=[excluded],
        excludecustomtagfilter=TagFilter.parse("Role:Driver"),
        tokeep=True,
        responsegoal=4,
        scheduledstart=when,
    )
    result = make_client(http_method=http_method).start_saved_job(request, GenericType.GMM)
    (record,) = server.started_jobs
    assert record.runtimeid == result.runtimeid
    assert result.jobname == "Fest på kontoret, fredag"
    scheduled_text = when.isoformat(timespec="seconds")
    assert scheduled_text.endswith("+02:00")
    assert record.params == {
        "jobid": OFFICE_PARTY,
        "jobname": "Fest på kontoret, fredag",
        "message": MESSAGE,
        "tonumbers": [NON_CONTACT_NUMBER],
        "toaddressbookcustomtagfilter": "On call:Yes;Base:HEL",
        "toaddressbooksavedtagfilters": ["Stockholm on call", "Finnish speakers"],
        "toaddressbookgroups": [OSLO_NIGHT, "Management team"],
        "excludenumbers": [excluded],
        "excludecustomtagfilter": "Role:Driver",
        "tokeep": True,
        "responsegoal": 4,
        "scheduledstart": scheduled_text,
    }
    assert record.scheduledstart == when
    assert record.message == MESSAGE
    assert record.responsegoal == 4
    drivers = phones_matching("Role:Driver")
    expected = (
        (
            phones_matching(SAVED_TAG_FILTERS["Xmas2022"])  # kept: tokeep
            | phones_matching(SAVED_TAG_FILTERS["Stockholm on call"])
            | phones_matching(SAVED_TAG_FILTERS["Finnish speakers"])
            | phones_matching("On call:Yes;Base:HEL")
            | group_phones(OSLO_NIGHT)
            | group_phones("Management team")
            | {NON_CONTACT_NUMBER}
        )
        - drivers
        - {excluded}
    )
    assert {r.phone for r in record.recipients} == expected


# -- error paths -----------------------------------------------------------------------------


@pytest.mark.parametrize("http_method", METHODS)
def test_wrong_password_names_both_causes(
    server: DemoServer, make_client: ClientFactory, http_method: str
) -> None:
    client = make_client(Credentials(DEMO_USERNAME, "wrong"), http_method=http_method)
    with pytest.raises(AuthenticationError) as listing:
        client.list_saved_jobs()
    with pytest.raises(AuthenticationError) as starting:
        client.start_saved_job(StartJobRequest(jobid=OFFICE_PARTY))
    for exc in (listing.value, starting.value):
        message = str(exc).lower()
        assert "password" in message
        assert "address book" in message  # G5: 401 also means "cannot read address books"
    assert server.started_jobs == []


def test_account_without_address_book_is_refused(
    server: DemoServer, make_client: ClientFactory
) -> None:
    client = make_client(Credentials("noaddressbook", DEMO_PASSWORD))
    with pytest.raises(AuthenticationError, match="address book"):
        client.list_saved_jobs()
    with pytest.raises(AuthenticationError):
        client.start_saved_job(StartJobRequest(jobid=OFFICE_PARTY))
    assert server.started_jobs == []


@pytest.mark.parametrize(
    ("http_method", "server_text"),
    [
        ("POST", "Not allowed for job type QuickAssign (GenericMultiAssign): tonumbers."),
        ("GET", "Not allowed for job type QuickAssign (GenericMultiAssign): T (tonumbers)."),
    ],
)
def test_unknown_generic_type_gets_the_servers_400(
    server: DemoServer, make_client: ClientFactory, http_method: str, server_text: str
) -> None:
    client = make_client(http_method=http_method)
    request = StartJobRequest(jobid=ALARM, tonumbers=[NON_CONTACT_NUMBER])
    with pytest.raises(RequestRejected) as caught:
        client.start_saved_job(request, generic_type=None)  # G2: rules unknown to the client
    assert caught.value.status == 400
    assert caught.value.server_text == server_text
    assert server_text in str(caught.value)
    assert server.request_count("/startsavedjob") == 1
    assert server.started_jobs == []


@pytest.mark.parametrize("http_method", METHODS)
def test_unknown_saved_filter_is_rejected(
    server: DemoServer, make_client: ClientFactory, http_method: str
) -> None:
    client = make_client(http_method=http_method)
    request = StartJobRequest(
        jobid=OFFICE_PARTY, toaddressbooksavedtagfilters=["Xmas2022", "No such filter"]
    )
    with pytest.raises(RequestRejected) as caught:
        client.start_saved_job(request, GenericType.GMM)
    assert caught.value.status == 400
    assert "unknown saved tag filter 'No such filter'" in caught.value.server_text
    assert server.started_jobs == []


@pytest.mark.parametrize("http_method", METHODS)
def test_recipients_resolving_to_nobody_is_job_not_started(
    server: DemoServer, make_client: ClientFactory, http_method: str
) -> None:
    client = make_client(http_method=http_method)
    # Office Party goes to the Xmas2022 invitees; excluding exactly them leaves nobody.
    request = StartJobRequest(jobid=OFFICE_PARTY, excludecustomtagfilter="Invited:Xmas2022")
    with pytest.raises(JobNotStarted) as caught:
        client.start_saved_job(request, GenericType.GMM)
    errormessage = "The job has no recipients: its filters, groups and numbers match nobody."
    assert caught.value.result.result == "ERROR"
    assert caught.value.errormessage == errormessage
    assert errormessage in str(caught.value)
    assert server.request_count("/startsavedjob") == 1
    assert server.started_jobs == []


@pytest.mark.parametrize("http_method", METHODS)
def test_unknown_job_id_is_job_not_started(
    server: DemoServer, make_client: ClientFactory, http_method: str
) -> None:
    client = make_client(http_method=http_method)
    with pytest.raises(JobNotStarted) as caught:
        client.start_saved_job(StartJobRequest(jobid=UNKNOWN_JOB))
    assert caught.value.result.result == "ERROR"
    # The id arrived exactly (F1): the server names it digit for digit.
    assert caught.value.errormessage == f"There is no saved job with id {UNKNOWN_JOB}."
    assert server.started_jobs == []


@pytest.mark.parametrize(
    ("request_", "generic_type", "http_method", "field"),
    [
        pytest.param(
            StartJobRequest(jobid=ALARM, tonumbers=[NON_CONTACT_NUMBER]),
            GenericType.GMA,
            "POST",
            "tonumbers",
            id="gma-refuses-tonumbers",
        ),
        pytest.param(
            StartJobRequest(jobid=ALARM, toaddressbookcustomtagfilter="Role:Surgeon"),
            GenericType.GMA,
            "GET",
            "responsegoal",
            id="gma-filter-needs-goal",
        ),
        pytest.param(
            StartJobRequest(jobid=OFFICE_PARTY, assignedmessage="Assigned"),
            GenericType.GMM,
            "POST",
            "assignedmessage",
            id="gmm-refuses-assignedmessage",
        ),
        pytest.param(
            StartJobRequest(
                jobid=OFFICE_PARTY, scheduledstart=datetime.now(UTC) - timedelta(minutes=1)
            ),
            None,
            "GET",
            "scheduledstart",
            id="past-scheduledstart",
        ),
        pytest.param(
            StartJobRequest(jobid=OFFICE_PARTY, scheduledstart=datetime(2099, 1, 1, 12)),
            None,
            "POST",
            "scheduledstart",
            id="naive-scheduledstart",
        ),
        pytest.param(
            StartJobRequest(jobid=OFFICE_PARTY, tonumbers=["070-123 45 67"]),
            None,
            "POST",
            "tonumbers",
            id="bad-phone-number",
        ),
        pytest.param(
            StartJobRequest(jobid=OFFICE_PARTY, excludenumbers=["+46abc"]),
            None,
            "GET",
            "excludenumbers",
            id="bad-exclude-number",
        ),
        pytest.param(
            StartJobRequest(jobid=float(OFFICE_PARTY)),  # type: ignore[arg-type]
            None,
            "POST",
            "jobid",
            id="float-jobid",
        ),
        pytest.param(
            StartJobRequest(jobid=OFFICE_PARTY, toaddressbookcustomtagfilter="Role:A|B:C"),
            None,
            "POST",
            "toaddressbookcustomtagfilter",
            id="forbidden-filter-character",
        ),
        pytest.param(
            StartJobRequest(
                jobid=OFFICE_PARTY,
                toaddressbooktagfilterjson=TagFilter.parse("On call:Yes"),
            ),
            None,
            "GET",
            "toaddressbooktagfilterjson",
            id="json-filter-has-no-get-form",
        ),
    ],
)
def test_validation_errors_send_nothing(
    server: DemoServer,
    make_client: ClientFactory,
    request_: StartJobRequest,
    generic_type: GenericType | None,
    http_method: str,
    field: str,
) -> None:
    client = make_client(http_method=http_method)
    with pytest.raises(ValidationError) as caught:
        client.start_saved_job(request_, generic_type)
    assert caught.value.field == field
    assert server.request_count() == 0
    assert server.started_jobs == []


# -- faults: the start is sent once and never retried (F3) -----------------------------------


@pytest.mark.parametrize("http_method", METHODS)
@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("reset", "the connection was lost"),
        ("truncate", "the answer was cut off"),
        ("html502", "a gateway answered HTTP 502: 502 Bad Gateway"),
        ("html200", "the server answered 200 but the answer could not be read"),
    ],
)
def test_lost_answer_is_outcome_unknown_and_never_retried(
    server: DemoServer, make_client: ClientFactory, fault: str, reason: str, http_method: str
) -> None:
    client = make_client(http_method=http_method)
    server.fault = fault
    with pytest.raises(OutcomeUnknown) as caught:
        client.start_saved_job(StartJobRequest(jobid=OFFICE_PARTY), GenericType.GMM)
    assert caught.value.reason.startswith(reason)
    assert "check the Dispatch dashboard" in str(caught.value)
    assert server.request_count("/startsavedjob") == 1
    # The job really started: "unknown" was the right answer, "failed" would have been wrong.
    (record,) = server.started_jobs
    assert record.saved_job_id == OFFICE_PARTY


def test_start_timeout_is_outcome_unknown_after_one_request(
    server: DemoServer, make_client: ClientFactory
) -> None:
    client = make_client(start_timeout=0.5)
    server.start_delay = 2
    began = time.monotonic()
    with pytest.raises(OutcomeUnknown) as caught:
        client.start_saved_job(StartJobRequest(jobid=OFFICE_PARTY), GenericType.GMM)
    assert time.monotonic() - began < 1.5
    assert caught.value.reason == "no answer before the time limit"
    assert server.request_count("/startsavedjob") == 1


def test_hanging_server_is_outcome_unknown(server: DemoServer, make_client: ClientFactory) -> None:
    client = make_client(start_timeout=0.3)
    server.fault = "hang"
    with pytest.raises(OutcomeUnknown):
        client.start_saved_job(StartJobRequest(jobid=OFFICE_PARTY), GenericType.GMM)
    assert server.request_count("/startsavedjob") == 1
    assert len(server.started_jobs) == 1


@pytest.mark.parametrize("http_method", METHODS)
def test_list_is_retried_once_after_a_reset(
    server: DemoServer, make_client: ClientFactory, http_method: str
) -> None:
    server.list_fault = "reset"
    jobs = make_client(http_method=http_method).list_saved_jobs()
    assert [j.id for j in jobs] == [j.id for j in SAVED_JOBS]
    assert server.request_count("/listsavedjobs") == 2


@pytest.mark.parametrize("http_method", METHODS)
def test_closed_port_is_connection_failed(
    server: DemoServer, make_client: ClientFactory, http_method: str
) -> None:
    client = make_client(base_url=closed_port_url(), http_method=http_method)
    with pytest.raises(ConnectionFailed):
        client.list_saved_jobs()
    with pytest.raises(ConnectionFailed) as caught:
        client.start_saved_job(StartJobRequest(jobid=OFFICE_PARTY), GenericType.GMM)
    assert not isinstance(caught.value, OutcomeUnknown)
    assert "127.0.0.1" in str(caught.value)
    assert server.request_count() == 0
    assert server.started_jobs == []


# -- concurrency -----------------------------------------------------------------------------


def test_slow_start_does_not_block_a_list_on_another_client(
    server: DemoServer, make_client: ClientFactory
) -> None:
    server.start_delay = 1.5
    starter, lister = make_client(), make_client(http_method="GET")
    results: list[Any] = []

    def start() -> None:
        try:
            results.append(starter.start_saved_job(StartJobRequest(jobid=OFFICE_PARTY)))
        except Exception as exc:  # reported by the assertion below
            results.append(exc)

    worker = threading.Thread(target=start)
    worker.start()
    try:
        time.sleep(0.2)
        began = time.monotonic()
        jobs = lister.list_saved_jobs()
        listed_in = time.monotonic() - began
        assert not results  # the start is still waiting for its answer
    finally:
        worker.join(10)
    assert listed_in < 1
    assert len(jobs) == len(SAVED_JOBS)
    (result,) = results
    assert result.ok, result
    assert result.runtimeid == server.started_jobs[0].runtimeid


# -- secrets never leak ----------------------------------------------------------------------


def _fail_listing_with_401(server: DemoServer, client: DispatchClient) -> type[Exception]:
    client.list_saved_jobs()
    return AuthenticationError


def _fail_start_with_reset(server: DemoServer, client: DispatchClient) -> type[Exception]:
    server.fault = "reset"
    client.start_saved_job(StartJobRequest(jobid=OFFICE_PARTY))
    return OutcomeUnknown


@pytest.mark.parametrize(
    ("scenario", "error", "closed_port"),
    [
        pytest.param(_fail_listing_with_401, AuthenticationError, False, id="list-401"),
        pytest.param(_fail_start_with_reset, OutcomeUnknown, False, id="start-reset"),
        pytest.param(_fail_listing_with_401, ConnectionFailed, True, id="list-closed-port"),
        pytest.param(_fail_start_with_reset, ConnectionFailed, True, id="start-closed-port"),
    ],
)
def test_get_mode_never_logs_or_raises_the_password(
    server: DemoServer,
    make_client: ClientFactory,
    caplog: pytest.LogCaptureFixture,
    scenario: Callable[[DemoServer, DispatchClient], type[Exception]],
    error: type[Exception],
    closed_port: bool,
) -> None:
    caplog.set_level(logging.DEBUG)
    client = make_client(
        Credentials(DEMO_USERNAME, WRONG_PASSWORD),
        auth=AuthMethod.FIELDS,
        http_method="GET",
        base_url=closed_port_url() if closed_port else None,
    )
    with pytest.raises(error) as caught:
        scenario(server, client)
    forms = (WRONG_PASSWORD, quote(WRONG_PASSWORD, safe=""), quote(WRONG_PASSWORD))
    exc = caught.value
    shown = [str(exc), repr(exc), *map(str, exc.args), "".join(traceback.format_exception(exc))]
    for text in shown:
        for form in forms:
            assert form not in text
    assert caplog.records  # the call was logged at all
    for record in caplog.records:
        for form in forms:
            assert form not in record.getMessage()
    for form in forms:
        assert form not in caplog.text
    if scenario is _fail_listing_with_401 and not closed_port:
        # urllib3 logged the request line with the query at DEBUG, the password hidden.
        assert any(
            r.name == "urllib3.connectionpool" and "P=***" in r.getMessage() for r in caplog.records
        )


# -- callbacks (3.1.x, F2) -------------------------------------------------------------------


def test_callbacks_correlate_with_the_runtime_id(
    receiver: CallbackSink, server: DemoServer, make_client: ClientFactory
) -> None:
    server.callback_url = receiver.url
    before_ms = time.time_ns() // 1_000_000
    result = make_client().start_saved_job(
        StartJobRequest(jobid=OFFICE_PARTY, responsegoal=3), GenericType.GMM
    )
    jobid = str(result.runtimeid)  # F2: the callback carries the runtime id as a string
    bodies = receiver.wait_for(
        lambda got: any(b["jobid"] == jobid and b["eventtype"] == "JOB_FINISH" for b in got)
    )
    after_ms = time.time_ns() // 1_000_000
    assert [b["eventtype"] for b in bodies] == [
        "JOB_START",
        "JOB_ASSIGN",
        "JOB_ASSIGN",
        "JOB_ASSIGN",
        "JOB_FINISH",
    ]
    for body in bodies:
        assert body["jobid"] == jobid
        assert int(body["jobid"]) == result.runtimeid
        assert type(body["userid"]) is int
        assert body["userid"] == SYSTEM_USER_ID
        assert type(body["timestamp"]) is int
        assert before_ms <= body["timestamp"] <= after_ms  # UNIX milliseconds, not seconds
        for key in ("jobid", "sendtaskid", "contactid"):
            assert isinstance(body[key], str)
    assert bodies[0]["jobtype"] == "MonitoredMessage"
    recipients = {str(r.contact_id) for r in server.started_jobs[0].recipients}
    for assign in bodies[1:4]:
        assert int(assign["sendtaskid"]) > 2**53
        assert assign["contactid"] in recipients
