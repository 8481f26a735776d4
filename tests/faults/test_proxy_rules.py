"""Proxies: loopback and plain http never go through one; https may, through a CONNECT tunnel
that carries no credential; a proxy that cannot be reached means nothing was delivered.

The proxies, TLS servers and the demo server here are real, on loopback; the CA is a
throwaway one (trustme).
"""

from __future__ import annotations

import base64
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import trustme
from fault_server import FaultServer, RecordingProxy, answer

from dispatch_desktop.api import (
    AuthMethod,
    ConnectionFailed,
    Credentials,
    DispatchClient,
    GenericType,
    StartJobRequest,
)
from dispatch_desktop.api.proxy import UnsupportedProxy, choose_proxy, is_loopback_host
from dispatch_desktop.demo import DemoServer
from dispatch_desktop.demo.callbacks import post_event
from dispatch_desktop.demo.data import DEMO_API_KEY, DEMO_PASSWORD
from dispatch_desktop.events.config import check_follow_url
from dispatch_desktop.events.follower import EventFollower, FollowerError

PASSWORD = "pr0xy-S3cret!"
API_KEY = "k3y-ABCDEFGHIJ0123456789"
REMOTE_HOST = "dispatch.example.test"
START_OK = '{"result": "OK", "runtimeid": 383228819873509376, "jobname": "Drill"}'
PROXY_VARIABLES = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
)


@pytest.fixture
def proxy_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingProxy]:
    """Every proxy variable points at a recording proxy that tunnels nowhere."""
    proxy = RecordingProxy()
    for name in PROXY_VARIABLES:
        monkeypatch.setenv(name, proxy.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    yield proxy
    proxy.close()


def every_form(secret: str, user: str = "demo") -> list[str]:
    return [
        secret,
        base64.b64encode(secret.encode()).decode(),
        base64.b64encode(f"{user}:{secret}".encode()).decode(),
    ]


def credentials_for(auth: AuthMethod, user: str, secret: str) -> Credentials:
    return Credentials(api_key=secret) if auth.uses_api_key else Credentials(user, secret)


# -- loopback never through a proxy -------------------------------------------------------------


@pytest.mark.parametrize("http_method", ["POST", "GET"])
@pytest.mark.parametrize("auth", list(AuthMethod))
def test_the_demo_server_on_loopback_is_reached_directly(
    proxy_env: RecordingProxy, auth: AuthMethod, http_method: str
) -> None:
    with DemoServer() as demo:
        secret = DEMO_API_KEY if auth.uses_api_key else DEMO_PASSWORD
        client = DispatchClient(
            demo.url,
            credentials_for(auth, "demo", secret),
            auth=auth,
            http_method=http_method,
        )
        jobs = client.list_saved_jobs()
        client.start_saved_job(StartJobRequest(jobid=jobs[0].id), None)

    assert proxy_env.received == []


def test_the_demo_callbacks_to_a_loopback_receiver_skip_the_proxy(
    proxy_env: RecordingProxy,
) -> None:
    with FaultServer(answer(200, "")) as sink:
        post_event(f"{sink.url}/callbacks/token-0123456789abcdef", {"eventtype": "JOB_START"})
        assert len(sink.requests) == 1

    assert proxy_env.received == []


def test_the_follower_reaches_a_loopback_receiver_directly(proxy_env: RecordingProxy) -> None:
    with FaultServer(answer(200, '{"events": [], "cursor": 0}')) as receiver:
        follower = EventFollower(receiver.url, "events-token-0123456789")
        assert follower.poll(0, wait=0) == ([], 0)
        assert receiver.requests[0].header("authorization") == "Bearer events-token-0123456789"

    assert proxy_env.received == []


# -- https through a tunnel --------------------------------------------------------------------


@pytest.fixture
def ca_file(tmp_path: Path) -> tuple[trustme.CA, str]:
    ca = trustme.CA()
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return ca, str(path)


@pytest.mark.parametrize("http_method", ["POST", "GET"])
@pytest.mark.parametrize("auth", list(AuthMethod))
def test_https_goes_through_the_proxy_in_a_tunnel_that_carries_no_credential(
    monkeypatch: pytest.MonkeyPatch,
    ca_file: tuple[trustme.CA, str],
    auth: AuthMethod,
    http_method: str,
) -> None:
    ca, ca_path = ca_file
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(REMOTE_HOST).configure_cert(context)
    secret = API_KEY if auth.uses_api_key else PASSWORD
    with FaultServer(answer(200, START_OK), tls=context) as server:
        proxy = RecordingProxy(tunnel_to=("127.0.0.1", server.port))
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        session = requests.Session()
        session.verify = ca_path
        client = DispatchClient(
            f"https://{REMOTE_HOST}/api",
            credentials_for(auth, "dispatcher", secret),
            auth=auth,
            http_method=http_method,
            session=session,
        )
        result = client.start_saved_job(StartJobRequest(jobid=352872112744058883), None)
        proxy.close()

    assert result.runtimeid == 383228819873509376
    assert [r.method for r in proxy.received] == ["CONNECT"]
    assert proxy.received[0].target == f"{REMOTE_HOST}:443"
    for form in every_form(secret, "dispatcher"):
        assert form.encode() not in proxy.raw
    assert len(server.requests) == 1  # the request itself travelled inside the tunnel


def test_a_proxy_that_refuses_the_tunnel_means_nothing_was_sent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    proxy = RecordingProxy(refuse=True)
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    client = DispatchClient(f"https://{REMOTE_HOST}/api", Credentials("dispatcher", PASSWORD))

    with pytest.raises(ConnectionFailed) as info:
        client.start_saved_job(StartJobRequest(jobid=352872112744058883), GenericType.GMM)
    proxy.close()

    assert "proxy" in str(info.value)
    assert "unknown" not in str(info.value).lower()
    assert PASSWORD.encode() not in proxy.raw


def test_a_proxy_that_cannot_be_reached_means_nothing_was_sent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with FaultServer(answer(200, "")) as closed:
        port = closed.port  # a port nobody listens on once closed
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{port}")
    client = DispatchClient(f"https://{REMOTE_HOST}/api", Credentials("dispatcher", PASSWORD))

    with pytest.raises(ConnectionFailed) as info:
        client.start_saved_job(StartJobRequest(jobid=352872112744058883), GenericType.GMM)

    assert "proxy" in str(info.value)


def test_a_socks_proxy_is_refused_before_anything_is_sent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "socks5://127.0.0.1:1080")
    client = DispatchClient(f"https://{REMOTE_HOST}/api", Credentials("dispatcher", PASSWORD))

    with pytest.raises(ConnectionFailed) as info:
        client.start_saved_job(StartJobRequest(jobid=352872112744058883), GenericType.GMM)

    assert "Nothing was sent" in str(info.value)


# -- the rules themselves ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["localhost", "LOCALHOST", "127.0.0.1", "127.8.9.10", "::1", "[::1]", "app.localhost"]
)
def test_loopback_hosts(host: str) -> None:
    assert is_loopback_host(host)


@pytest.mark.parametrize("host", ["", None, "example.com", "10.0.0.1", "localhost.example.com"])
def test_other_hosts(host: str | None) -> None:
    assert not is_loopback_host(host)


@pytest.mark.parametrize(
    ("url", "configured", "expected"),
    [
        ("https://127.0.0.1:8443/api", {"https": "http://p:3128"}, None),
        ("https://localhost/api", {"all": "http://p:3128"}, None),
        ("http://dispatch.example.com/api", {"http": "http://p:3128"}, None),
        ("https://dispatch.example.com/api", {"https": "http://p:3128"}, "http://p:3128"),
        ("https://dispatch.example.com/api", {"all": "https://p:3129"}, "https://p:3129"),
        (
            "https://dispatch.example.com/api",
            {"https://dispatch.example.com": "http://q:1"},
            "http://q:1",
        ),
        ("https://dispatch.example.com/api", {"https": "p:3128"}, "http://p:3128"),
        ("https://dispatch.example.com/api", {}, None),
    ],
)
def test_choose_proxy_with_configured_proxies(
    monkeypatch: pytest.MonkeyPatch, url: str, configured: dict[str, str], expected: str | None
) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    assert choose_proxy(url, configured=configured) == expected


def test_choose_proxy_from_the_environment_honours_no_proxy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example.com:3128")
    monkeypatch.setenv("NO_PROXY", "internal.example.com")
    assert choose_proxy("https://dispatch.example.com/api") == "http://proxy.example.com:3128"
    assert choose_proxy("https://dispatch.internal.example.com/api") is None
    assert choose_proxy("https://dispatch.example.com/api", use_system=False) is None


def test_choose_proxy_refuses_socks(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UnsupportedProxy):
        choose_proxy("https://dispatch.example.com", configured={"https": "socks5h://p:1080"})


# -- the follower's address rule -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["http://receiver.example.com", "http://10.0.0.5:8765", "ftp://receiver", "receiver"]
)
def test_the_follower_refuses_plain_http_beyond_this_computer(url: str) -> None:
    with pytest.raises(FollowerError):
        EventFollower(url, "events-token-0123456789")


@pytest.mark.parametrize(
    "url", ["https://alice:s3cret-pw@receiver.example.com", "https://alice@receiver.example.com"]
)
def test_the_follower_refuses_an_address_that_holds_a_user_or_password(url: str) -> None:
    """Such an address would be logged as typed and repeated in every error message."""
    with pytest.raises(ValueError, match="user name or password") as refused:
        check_follow_url(url)
    assert "s3cret-pw" not in str(refused.value)
    with pytest.raises(FollowerError):
        EventFollower(url, "events-token-0123456789")


@pytest.mark.parametrize(
    ("url", "events_url"),
    [
        ("https://receiver.example.com", "https://receiver.example.com/events"),
        ("http://127.0.0.1:8765/", "http://127.0.0.1:8765/events"),
        ("http://localhost:8765/events", "http://localhost:8765/events"),
    ],
)
def test_the_follower_accepts_https_and_loopback(url: str, events_url: str) -> None:
    assert check_follow_url(url) == events_url
