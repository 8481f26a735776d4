"""``dispatch-desktop --diagnose`` as an administrator uses it: one screen of findings, and a
non-zero exit when something blocks use. Real parts: policy files, a real keyring backend
switch, TLS servers and a proxy on loopback, a child Python whose Qt cannot load."""

from __future__ import annotations

import contextlib
import os
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
import trustme
from keyring.backends import fail
from keyring_memory import InMemoryKeyring

from dispatch_desktop import diagnose
from dispatch_desktop.diagnose import Finding, Severity
from dispatch_desktop.storage import paths


def by_topic(findings: list[Finding], topic: str) -> Finding:
    (finding,) = (f for f in findings if f.topic == topic)
    return finding


@pytest.fixture
def policy_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "policy.ini"
    monkeypatch.setenv("DISPATCH_DESKTOP_POLICY", str(path))
    return path


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- policy -----------------------------------------------------------------------------------


def test_a_policy_the_app_would_refuse_blocks_use(
    policy_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy_file.write_text("[policy]\nkiosk = maybe\n", encoding="utf-8")
    assert diagnose.main(["--no-network"]) == 1
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith("policy"))
    assert "BLOCKING" in line
    assert str(policy_file) in line
    assert "kiosk" in line
    assert out.rstrip().endswith("1 problem(s) block use.")


def test_the_policy_in_force_is_named_with_its_file_and_what_it_sets(policy_file: Path) -> None:
    policy_file.write_text(
        "[policy]\nserver = https://127.0.0.1:9/api\nkiosk = true\nallowed_jobs = 7, 9\n",
        encoding="utf-8",
    )
    policy, findings = diagnose.policy_findings()
    (finding,) = findings
    assert finding.severity is Severity.OK
    assert finding.text == f"{policy_file}: sets server, allowed_jobs, kiosk"
    assert diagnose.configured_server(policy) == ("https://127.0.0.1:9/api", "policy")


def test_a_loose_service_account_key_file_blocks_use_and_the_key_is_never_shown(
    policy_file: Path, tmp_path: Path
) -> None:
    key = tmp_path / "api-key"
    key.write_text("kiosk-api-key-123\n")
    key.chmod(0o644)  # readable by everyone: refused, as ssh refuses a loose private key
    data = tmp_path / "kiosk-data"
    policy_file.write_text(f"[policy]\napi_key_file = {key}\ndata_dir = {data}\n")
    policy, _ = diagnose.policy_findings()
    assert policy is not None
    findings = diagnose.policy_file_findings(policy)
    refused = by_topic(findings, "api key file")
    assert refused.severity is Severity.BLOCKING
    assert "refused" in refused.text
    assert "kiosk-api-key-123" not in refused.text
    assert by_topic(findings, "policy data_dir").severity is Severity.OK
    if os.geteuid() == 0:  # only root can own the file as root, as the rule asks
        key.chmod(0o600)
        assert by_topic(diagnose.policy_file_findings(policy), "api key file").severity is (
            Severity.OK
        )


def test_no_policy_file_is_said_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPATCH_DESKTOP_POLICY", raising=False)
    monkeypatch.setattr("dispatch_desktop.policy.SYSTEM_POLICY", Path("/nonexistent/policy.ini"))
    _, (finding,) = diagnose.policy_findings()
    assert finding.severity is Severity.INFO
    assert "/nonexistent/policy.ini does not exist" in finding.text


# -- keyring, folders ----------------------------------------------------------------------------


@pytest.fixture
def backend() -> Iterator[None]:
    previous = keyring.get_keyring()
    yield
    keyring.set_keyring(previous)


def test_no_keyring_is_a_warning_that_names_the_consequence(backend: None) -> None:
    keyring.set_keyring(fail.Keyring())
    (finding,) = diagnose.keyring_findings()
    assert finding.severity is Severity.WARNING
    assert "No system keyring is available" in finding.text
    assert "this session only" in finding.text


def test_a_usable_keyring_is_named(backend: None) -> None:
    keyring.set_keyring(InMemoryKeyring())
    (finding,) = diagnose.keyring_findings()
    assert finding.severity is Severity.OK
    assert "passwords can be saved" in finding.text


def test_a_folder_that_cannot_be_written_blocks_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("DISPATCH_DESKTOP_DATA_DIR", str(blocker / "dispatch"))
    findings = diagnose.folder_findings()
    assert {f.severity for f in findings if f.topic.startswith("folder ")} == {Severity.BLOCKING}
    assert "cannot be written" in by_topic(findings, "folder journal").text


def test_the_folders_are_those_the_policys_data_dir_places(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As at the app's start, the policy's data_dir wins over the user's environment."""
    placed = tmp_path / "kiosk-data"
    policy_file = tmp_path / "policy.ini"
    policy_file.write_text(f"[policy]\ndata_dir = {placed}\n", "utf-8")
    monkeypatch.setenv("DISPATCH_DESKTOP_POLICY", str(policy_file))
    monkeypatch.setenv("DISPATCH_DESKTOP_DATA_DIR", str(tmp_path / "users-choice"))
    try:
        findings = diagnose.gather(network=False, start=False)
    finally:
        paths.use_policy_data_dir(None)
    assert str(placed) in by_topic(findings, "folder journal").text
    assert "placed by the policy" in by_topic(findings, "folders").text
    assert all("users-choice" not in finding.text for finding in findings)


# -- the server ---------------------------------------------------------------------------------


def test_an_unreachable_server_blocks_use() -> None:
    url = f"https://127.0.0.1:{closed_port()}/api"
    (finding,) = diagnose.server_findings(url, "settings")
    assert finding.severity is Severity.BLOCKING
    assert finding.text.startswith(f"{url} (from the settings) cannot be reached")
    assert "refused" in finding.text.lower()


class TlsServer:
    """Accepts TLS connections on loopback with a certificate of a throwaway CA."""

    def __init__(self, ca: trustme.CA) -> None:
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ca.issue_cert("127.0.0.1").configure_cert(self.context)
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.settimeout(5)
            try:
                with self.context.wrap_socket(conn, server_side=True) as tls:
                    tls.recv(1)
            except (OSError, ssl.SSLError):
                conn.close()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the accept() waiting in the thread
        self.sock.close()
        self.thread.join(5)


@pytest.fixture
def tls_server() -> Iterator[tuple[TlsServer, trustme.CA]]:
    ca = trustme.CA()
    server = TlsServer(ca)
    yield server, ca
    server.close()


def test_a_reachable_server_completes_a_tls_handshake(
    tls_server: tuple[TlsServer, trustme.CA], tmp_path: Path
) -> None:
    server, ca = tls_server
    cafile = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(cafile))
    url = f"https://127.0.0.1:{server.port}/api"
    (finding,) = diagnose.server_findings(url, "policy", cafile=str(cafile))
    assert finding.severity is Severity.OK
    assert finding.text == f"{url} (from the policy): TLS handshake done"


def test_a_server_with_an_untrusted_certificate_blocks_use(
    tls_server: tuple[TlsServer, trustme.CA],
) -> None:
    server, _ = tls_server
    (finding,) = diagnose.server_findings(f"https://127.0.0.1:{server.port}/api", "settings")
    assert finding.severity is Severity.BLOCKING
    assert "certificate is not trusted" in finding.text


class RefusingProxy:
    """An HTTP proxy on loopback that answers every CONNECT with 403 and connects nowhere."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.requests: list[str] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(5)
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                request += chunk
            self.requests.append(request.decode("latin-1"))
            conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")

    def close(self) -> None:
        self.sock.close()
        self.thread.join(5)


def test_the_server_is_tried_through_the_proxy_the_app_would_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    proxy = RefusingProxy()
    monkeypatch.setenv("HTTPS_PROXY", f"http://kiosk:pr0xy-secret@127.0.0.1:{proxy.port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    try:
        (finding,) = diagnose.server_findings("https://dispatch.invalid/api", "policy")
    finally:
        proxy.close()
    assert finding.severity is Severity.BLOCKING
    assert f"through the proxy http://kiosk:…@127.0.0.1:{proxy.port}" in finding.text
    assert "403 Forbidden" in finding.text
    assert "pr0xy-secret" not in finding.text
    (request,) = proxy.requests
    assert request.startswith("CONNECT dispatch.invalid:443 HTTP/1.1\r\n")
    assert "Proxy-Authorization: Basic " in request


def test_the_server_comes_from_the_settings_the_app_wrote() -> None:
    from dispatch_desktop.storage.paths import config_dir
    from dispatch_desktop.ui.settings import AppSettings

    settings = AppSettings(config_dir() / diagnose.SETTINGS_FILE_NAME)
    settings.server_url = "https://dispatch.example.com/api"
    settings.sync()
    assert diagnose.configured_server(None) == ("https://dispatch.example.com/api", "settings")


# -- Qt ---------------------------------------------------------------------------------------


def test_the_qt_plugins_here_have_their_libraries_and_a_window_opens() -> None:
    findings = diagnose.qt_findings()
    plugins = [f for f in findings if f.topic == "qt plugin"]
    assert {f.text.split(" ")[0] for f in plugins} >= {"xcb", "wayland", "offscreen"}
    assert {f.severity for f in plugins} == {Severity.OK}
    assert by_topic(findings, "qt start").severity is Severity.OK


def test_a_plugin_missing_a_library_names_its_package(monkeypatch: pytest.MonkeyPatch) -> None:
    qt = diagnose.qt_folder()
    assert qt is not None
    monkeypatch.setattr(
        diagnose,
        "missing_for",
        lambda files: ["libwayland-cursor.so.0"] if "qwayland" in str(files[0]) else [],
    )
    monkeypatch.setattr(diagnose.system_libraries, "distribution", lambda: "debian-12")
    in_use = by_topic(
        [f for f in diagnose.plugin_findings(qt, "wayland") if "wayland" in f.text], "qt plugin"
    )
    assert in_use.severity is Severity.BLOCKING
    assert "misses libwayland-cursor.so.0" in in_use.text
    assert "apt-get install --no-install-recommends libwayland-cursor0" in in_use.text
    elsewhere = [f for f in diagnose.plugin_findings(qt, "xcb") if "wayland" in f.text]
    assert elsewhere[0].severity is Severity.WARNING


def test_ldd_output_gives_the_missing_libraries() -> None:
    output = (
        "\tlinux-vdso.so.1 (0x00007ffc)\n"
        "\tlibwayland-cursor.so.0 => not found\n"
        "\tlibGL.so.1 => /lib/x86_64-linux-gnu/libGL.so.1 (0x00007f)\n"
        "\tlibxkbcommon.so.0 => not found\n"
    )
    assert diagnose.parse_ldd(output) == ["libwayland-cursor.so.0", "libxkbcommon.so.0"]


def test_a_qt_that_cannot_load_blocks_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "PySide6"
    broken.mkdir()
    (broken / "__init__.py").write_text(
        "raise ImportError('libEGL.so.1: cannot open shared object file')\n"
    )
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    finding = diagnose.start_check()
    assert finding.severity is Severity.BLOCKING
    assert "libEGL.so.1: cannot open shared object file" in finding.text


def test_which_platform_plugin_a_session_uses() -> None:
    assert diagnose.platform_in_use({"QT_QPA_PLATFORM": "offscreen"}) == "offscreen"
    assert diagnose.platform_in_use({"WAYLAND_DISPLAY": "wayland-0"}) == "wayland"
    assert diagnose.platform_in_use({"DISPLAY": ":0"}) == "xcb"


# -- the command ------------------------------------------------------------------------------


def test_the_command_line_prints_one_screen_and_exits_non_zero_when_blocked(
    policy_file: Path, tmp_path: Path
) -> None:
    policy_file.write_text(
        f"[policy]\nserver = https://127.0.0.1:{closed_port()}/api\n", encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "dispatch_desktop", "--diagnose"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    topics = [line.split("  ")[0] for line in result.stdout.splitlines() if line]
    for topic in ("version", "python", "policy", "folder journal", "qt", "keyring", "server"):
        assert topic in topics
    assert len(result.stdout.splitlines()) < 25, "one screen"
    assert "Traceback" not in result.stdout + result.stderr
