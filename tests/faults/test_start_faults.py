"""Fault injection on the start and list calls: whatever the caller's session, the network or
the server does, a start puts at most one request on the wire (F3), no call outlives its
deadline, no answer is read without bound, and every malformed answer is a DispatchError.

Every server here is real, on loopback (tests/faults/fault_server.py).
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from fault_server import FaultServer, answer, drip, endless, hang, reset
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from dispatch_desktop.api import (
    AuthMethod,
    ConnectionFailed,
    Credentials,
    DispatchClient,
    DispatchError,
    GenericType,
    MalformedAnswer,
    OutcomeUnknown,
    RequestRejected,
    ServerTooSlow,
    StartJobRequest,
)

JOB_ID = 352872112744058883
START_OK = '{"result": "OK", "runtimeid": 383228819873509376, "jobname": "Drill"}'
REQUEST = StartJobRequest(jobid=JOB_ID)


def retrying_session() -> requests.Session:
    """A session as a caller might configure it: retries on everything, on 503 too."""
    session = requests.Session()
    retry = Retry(total=3, allowed_methods=None, status_forcelist=[503], backoff_factor=0)
    for prefix in ("http://", "https://"):
        session.mount(prefix, HTTPAdapter(max_retries=retry))
    return session


def client_for(server: FaultServer, http_method: str = "POST", **options: object) -> DispatchClient:
    return DispatchClient(
        f"{server.url}/api",
        Credentials("dispatcher", "s3cret"),
        auth=AuthMethod.FIELDS,
        http_method=http_method,
        **options,  # type: ignore[arg-type]
    )


@pytest.fixture
def serve() -> Iterator[list[FaultServer]]:
    servers: list[FaultServer] = []
    yield servers
    for server in servers:
        server.close()


def started(servers: list[FaultServer], fault: object) -> FaultServer:
    server = FaultServer(fault)  # type: ignore[arg-type]
    servers.append(server)
    return server


# -- retries configured by the caller ----------------------------------------------------------


@pytest.mark.parametrize("http_method", ["POST", "GET"])
@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        pytest.param(answer(503, "busy", "text/plain"), RequestRejected, id="503"),
        pytest.param(answer(500, "oops", "text/plain"), RequestRejected, id="500"),
        pytest.param(reset(), OutcomeUnknown, id="reset-after-request"),
        # Reset before the request is read: whether it is known to have left depends on when
        # the reset arrives (during the connection's set-up: nothing was sent); both are
        # honest, and either way there is one connection.
        pytest.param(
            reset(read_first=False), (ConnectionFailed, OutcomeUnknown), id="reset-on-accept"
        ),
        pytest.param(answer(200, '{"result": "OK", "runtimeid": 3'), OutcomeUnknown, id="cut"),
    ],
)
def test_a_retrying_session_still_sends_the_start_once(
    serve: list[FaultServer],
    http_method: str,
    fault: object,
    expected: type[Exception] | tuple[type[Exception], ...],
) -> None:
    server = started(serve, fault)
    client = client_for(server, http_method, session=retrying_session(), start_timeout=5)

    with pytest.raises(expected):
        client.start_saved_job(REQUEST, GenericType.GMM)

    assert server.connections == 1


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_never_followed(serve: list[FaultServer], status: int) -> None:
    elsewhere = started(serve, answer(200, START_OK))
    server = started(serve, answer(status, "", headers={"Location": f"{elsewhere.url}/api/x"}))
    client = client_for(server, session=retrying_session())

    with pytest.raises(RequestRejected) as info:
        client.start_saved_job(REQUEST, GenericType.GMM)

    assert info.value.status == status
    assert (server.connections, elsewhere.connections) == (1, 0)


# -- a wall-clock deadline ----------------------------------------------------------------------


@pytest.mark.parametrize("after_head", [False, True], ids=["drip-head", "drip-body"])
def test_a_dripping_server_cannot_hold_a_start_past_its_deadline(
    serve: list[FaultServer], after_head: bool
) -> None:
    server = started(serve, drip(0.1, after_head=after_head))
    client = client_for(server, start_timeout=1.0, read_timeout=30)

    began = time.monotonic()
    with pytest.raises(OutcomeUnknown) as info:
        client.start_saved_job(REQUEST, GenericType.GMM)

    assert time.monotonic() - began < 3.0
    assert "time limit" in str(info.value)
    assert server.connections == 1


def test_a_dripping_server_makes_the_list_say_too_slow(serve: list[FaultServer]) -> None:
    server = started(serve, drip(0.1))
    client = client_for(server, list_timeout=1.0)

    began = time.monotonic()
    with pytest.raises(ServerTooSlow) as info:
        client.list_saved_jobs()

    assert time.monotonic() - began < 3.0
    assert "too slow" in str(info.value)
    assert "connect" not in str(info.value).lower()


def test_the_list_deadline_covers_its_retry(serve: list[FaultServer]) -> None:
    server = started(serve, hang())
    client = client_for(server, list_timeout=1.0, read_timeout=0.6)

    began = time.monotonic()
    with pytest.raises(ConnectionFailed):
        client.list_saved_jobs()

    assert time.monotonic() - began < 3.0


# -- bounded answers ----------------------------------------------------------------------------


def test_an_endless_list_is_refused_after_the_limit(serve: list[FaultServer]) -> None:
    server = started(serve, endless())
    client = client_for(server, max_list_bytes=2 * 1024 * 1024)

    with pytest.raises(MalformedAnswer) as info:
        client.list_saved_jobs()

    assert "larger than 2 MB" in str(info.value)


def test_an_endless_start_answer_is_an_unknown_outcome(serve: list[FaultServer]) -> None:
    server = started(serve, endless())

    with pytest.raises(OutcomeUnknown) as info:
        client_for(server).start_saved_job(REQUEST, GenericType.GMM)

    assert "too large" in str(info.value)
    assert server.connections == 1


def test_a_100_mb_list_costs_no_more_than_the_limit(serve: list[FaultServer]) -> None:
    """Today's figure was +665 MB of memory for a 100 MB list."""
    server = started(serve, endless(declared=100 * 1024 * 1024))
    client = client_for(server)

    tracemalloc.start()
    try:
        with pytest.raises(MalformedAnswer):
            client.list_saved_jobs()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 8 * 1024 * 1024  # announced too large: not one byte of it is read


def test_an_unannounced_100_mb_list_is_read_only_up_to_the_limit(
    serve: list[FaultServer],
) -> None:
    server = started(serve, endless())
    client = client_for(server)

    tracemalloc.start()
    try:
        with pytest.raises(MalformedAnswer):
            client.list_saved_jobs()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 100 * 1024 * 1024  # the 32 MB limit, read once and joined once


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b'{"savedJobs": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", id="deep"),
        pytest.param(
            b'{"savedJobs": [{"id": ' + b"9" * 5000 + b', "name": "a", "type": "b"}]}',
            id="5000-digits",
        ),
        pytest.param(
            b'{"savedJobs": [{"id": 1, "name": "\xff\xfe", "type": "b"}]}', id="invalid-utf8"
        ),
        pytest.param(b'{"savedJobs": [{"id": NaN, "name": "a", "type": "b"}]}', id="nan"),
        pytest.param(b'{"savedJobs": [{"id": -1, "name": "a", "type": "b"}]}', id="negative"),
        pytest.param(
            b'{"savedJobs": [{"id": 9223372036854775808, "name": "a", "type": "b"}]}',
            id="beyond-64-bit",
        ),
        pytest.param(b'{"savedJobs": [{"id": "0x10", "name": "a", "type": "b"}]}', id="hex"),
        pytest.param(
            b'{"savedJobs": [{"id": "\\u0661", "name": "a", "type": "b"}]}', id="arabic-digit"
        ),
    ],
)
def test_every_malformed_list_is_a_malformed_answer(serve: list[FaultServer], body: bytes) -> None:
    server = started(serve, answer(200, body))

    with pytest.raises(MalformedAnswer) as info:
        client_for(server).list_saved_jobs()

    assert isinstance(info.value, DispatchError)
    assert "Traceback" not in str(info.value)


def test_a_lone_surrogate_in_a_listed_name_is_replaced(serve: list[FaultServer]) -> None:
    server = started(
        serve, answer(200, '{"savedJobs": [{"id": 7, "name": "Drill \\ud800", "type": "Q"}]}')
    )

    [job] = client_for(server).list_saved_jobs()

    assert job.name == "Drill \ufffd"
    job.name.encode("utf-8")  # storable and showable


# -- an OK that cannot be verified ---------------------------------------------------------------


@pytest.mark.parametrize(
    "runtimeid", ["3.8322881987350938e17", "0", '"12ab"', "-5", str(2**64), "null"]
)
def test_an_unverifiable_ok_is_journaled_as_started_never_pending(
    serve: list[FaultServer], tmp_path: Path, runtimeid: str
) -> None:
    from dispatch_desktop.api import SavedJob
    from dispatch_desktop.launcher import LaunchPlan, launch
    from dispatch_desktop.storage.journal import LaunchJournal, Outcome

    server = started(serve, answer(200, f'{{"result": "OK", "runtimeid": {runtimeid}}}'))
    journal = LaunchJournal(tmp_path / "journal.sqlite3")
    job = SavedJob(JOB_ID, "Drill", "MonitoredMessage")
    plan = LaunchPlan(job, REQUEST, GenericType.GMM, server.url, "dispatcher")

    outcome = launch(client_for(server), plan, journal)

    assert outcome.kind is Outcome.STARTED_UNVERIFIABLE
    assert "started" in outcome.message
    [row] = journal.entries()
    assert row.outcome is Outcome.STARTED_UNVERIFIABLE
    assert row.runtime_id is None
    assert row.outcome_known
    assert server.connections == 1


def test_the_deadline_holds_over_tls(serve: list[FaultServer], tmp_path: Path) -> None:
    """TLS wraps (and detaches) the socket the deadline watches: it must still end the call."""
    import ssl

    import trustme

    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    server = FaultServer(drip(0.1, after_head=True), tls=context)
    serve.append(server)
    session = requests.Session()
    session.verify = str(tmp_path / "ca.pem")
    client = client_for(server, start_timeout=1.0, session=session)

    began = time.monotonic()
    with pytest.raises(OutcomeUnknown):
        client.start_saved_job(REQUEST, GenericType.GMM)

    assert time.monotonic() - began < 3.0
    assert server.connections == 1


def test_a_job_outside_the_allowed_ones_is_refused_before_sending(
    serve: list[FaultServer],
) -> None:
    """An administrator's allowed_jobs holds in the library layer too (issue 10 §1)."""
    from dispatch_desktop.api import ValidationError

    server = started(serve, answer(200, START_OK))
    client = client_for(server, allowed_jobs={JOB_ID + 1})  # the next id: exact ints (F1)

    with pytest.raises(ValidationError) as info:
        client.start_saved_job(REQUEST, GenericType.GMM)

    assert "set by your administrator" in str(info.value)
    assert server.connections == 0
    assert client_for(server, allowed_jobs={JOB_ID}).start_saved_job(REQUEST, GenericType.GMM).ok
