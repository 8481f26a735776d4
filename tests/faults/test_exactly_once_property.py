"""Properties, fuzzed with hypothesis:

- whatever the fault (status, redirect, reset, drip, endless body, garbage), whatever the
  caller's session (retrying adapters, proxies in the environment) and the method, at most one
  start request reaches the wire (F3), and the call ends in a DispatchError or a result;
- whatever bytes a server answers, the client's parsing ends in a result or a DispatchError
  subclass, never a bare ValueError, RecursionError or UnicodeError.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import requests
import responses
from fault_server import FaultServer, RecordingProxy, answer, drip, endless, reset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from requests.adapters import HTTPAdapter
from test_start_faults import REQUEST, retrying_session
from urllib3.util.retry import Retry

from dispatch_desktop.api import (
    AuthMethod,
    Credentials,
    DispatchClient,
    DispatchError,
    GenericType,
    SavedJob,
    StartResult,
)

PROFILE = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

statuses = st.sampled_from(
    [200, 201, 204, 301, 302, 307, 308, 400, 401, 403, 404, 409, 429, 500, 502, 503, 504]
)
bodies = st.one_of(
    st.binary(max_size=200),
    st.just(b'{"result": "OK", "runtimeid": 383228819873509376}'),
    st.just(b'{"result": "FAILED", "errormessage": "no"}'),
)
faults = st.one_of(
    st.builds(lambda status, body: answer(status, body), statuses, bodies),
    st.builds(
        lambda status: answer(status, "", headers={"Location": "/dispatch/api/x"}),
        st.sampled_from([301, 302, 303, 307, 308]),
    ),
    st.builds(reset, st.booleans()),
    st.builds(lambda: drip(0.05)),
    st.builds(lambda: drip(0.05, after_head=True)),
    st.builds(endless),
)


def adapter_session(status_retries: bool) -> requests.Session:
    session = requests.Session()
    retry = Retry(
        total=5,
        connect=5,
        read=5,
        redirect=5,
        status=5,
        allowed_methods=None,
        status_forcelist=[500, 502, 503, 504] if status_retries else None,
        backoff_factor=0,
    )
    session.mount("http://", HTTPAdapter(max_retries=retry))
    return session


sessions = st.sampled_from(["none", "plain", "retrying", "retry-everything"])


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer(answer(200, "")) as server:
        yield server


@pytest.fixture(scope="module")
def proxy() -> Iterator[RecordingProxy]:
    proxy = RecordingProxy()
    yield proxy
    proxy.close()


@PROFILE
@given(
    fault=faults,
    http_method=st.sampled_from(["POST", "GET"]),
    auth=st.sampled_from(list(AuthMethod)),
    session_kind=sessions,
    proxied=st.booleans(),
)
def test_at_most_one_start_request_reaches_the_wire(
    server: FaultServer,
    proxy: RecordingProxy,
    monkeypatch: pytest.MonkeyPatch,
    fault: object,
    http_method: str,
    auth: AuthMethod,
    session_kind: str,
    proxied: bool,
) -> None:
    session = {
        "none": lambda: None,
        "plain": requests.Session,
        "retrying": retrying_session,
        "retry-everything": lambda: adapter_session(True),
    }[session_kind]()
    with monkeypatch.context() as env:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
            if proxied:
                env.setenv(name, proxy.url)
            else:
                env.delenv(name, raising=False)
        credentials = (
            Credentials(api_key="AK_0123456789")
            if auth.uses_api_key
            else Credentials("dispatcher", "s3cret")
        )
        client = DispatchClient(
            f"{server.url}/dispatch/api",
            credentials,
            auth=auth,
            http_method=http_method,
            start_timeout=0.4,
            read_timeout=0.4,
            session=session,
        )
        server.fault = fault  # type: ignore[assignment]
        before = server.connections
        try:
            result = client.start_saved_job(REQUEST, GenericType.GMM)
        except DispatchError:
            result = None

    assert server.connections - before <= 1
    assert result is None or isinstance(result, StartResult)
    assert proxy.received == []  # loopback: never through the proxy


LIST_URL = "https://dispatch.example.com/api/listsavedjobs"
START_URL = "https://dispatch.example.com/api/startsavedjob"

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
saved_job_like = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values | st.integers(min_value=-(2**70), max_value=2**70),
        "name": json_values,
        "type": json_values,
    },
)
answer_bodies = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.lists(saved_job_like, max_size=5).map(lambda jobs: json.dumps({"savedJobs": jobs}).encode()),
    st.fixed_dictionaries(
        {"result": json_values | st.sampled_from(["OK", "FAILED"])},
        optional={"runtimeid": json_values, "jobname": json_values, "errormessage": json_values},
    ).map(lambda d: json.dumps(d).encode()),
    st.integers(min_value=1, max_value=3000).map(lambda n: b"[" * n + b"]" * n),
    st.integers(min_value=1, max_value=6000).map(lambda n: b'{"runtimeid": ' + b"7" * n + b"}"),
)


def fuzz_client() -> DispatchClient:
    return DispatchClient("https://dispatch.example.com/api", Credentials("u", "p4ssword"))


@PROFILE
@given(body=answer_bodies)
def test_any_list_answer_is_jobs_or_a_dispatch_error(body: bytes) -> None:
    with responses.RequestsMock() as mock:
        mock.post(LIST_URL, body=body)
        try:
            jobs = fuzz_client().list_saved_jobs()
        except DispatchError:
            return
    assert all(isinstance(job, SavedJob) and 0 < job.id < 2**63 for job in jobs)


@PROFILE
@given(body=answer_bodies)
def test_any_start_answer_is_a_result_or_a_dispatch_error(body: bytes) -> None:
    with responses.RequestsMock() as mock:
        mock.post(START_URL, body=body)
        try:
            result = fuzz_client().start_saved_job(REQUEST, GenericType.GMM)
        except DispatchError:
            return
    assert result.ok
    assert isinstance(result.runtimeid, int)
    assert 0 < result.runtimeid < 2**63
