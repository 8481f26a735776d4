"""What an administrator needs on one screen: ``dispatch-desktop --diagnose`` (no Qt here).

Each check gives :class:`Finding` lines with a severity: the version and Python; Qt's version,
the platform plugin and the system libraries it misses (``ldd`` on the plugin, packages named
from :mod:`dispatch_desktop.system_libraries`) and whether Qt starts offscreen (in a child
process, so a Qt that aborts cannot take this report with it); fonts; the keyring backend in
use; the policy in force and its source (a policy the app would refuse blocks use); the
folders; and whether the server answers a TLS handshake, through the proxy the app would use.
:func:`main` prints them and returns 1 when anything blocks use, so scripts and monitoring can
act on the exit status.

``python -m dispatch_desktop.diagnose --start-check`` runs only the offscreen start (install.sh
runs it before a new version replaces the old one).
"""

from __future__ import annotations

import argparse
import base64
import configparser
import enum
import importlib.util
import os
import platform
import shutil
import socket
import ssl
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from dispatch_desktop import __version__, system_libraries
from dispatch_desktop.policy import (
    NO_POLICY,
    Policy,
    PolicyError,
    load_policy,
    policy_path,
    read_api_key_file,
)
from dispatch_desktop.storage import paths

CONNECT_TIMEOUT = 5.0
"""Seconds for each step of the server check (connect, proxy answer, TLS handshake)."""
START_TIMEOUT = 60.0
"""Seconds the offscreen start may take (a cold start on a slow kiosk disk)."""
SETTINGS_FILE_NAME = "settings.ini"


class Severity(enum.IntEnum):
    OK = 0
    INFO = 1
    WARNING = 2
    BLOCKING = 3
    """The app cannot be used as it is: ``--diagnose`` exits non-zero."""

    @property
    def label(self) -> str:
        return {0: "ok", 1: "info", 2: "WARNING", 3: "BLOCKING"}[self.value]


@dataclass(frozen=True)
class Finding:
    topic: str
    severity: Severity
    text: str


# -- version, Python ---------------------------------------------------------------------------


def version_findings() -> list[Finding]:
    build = "frozen build" if getattr(sys, "frozen", False) else sys.prefix
    python = f"Python {platform.python_version()} on {platform.machine()}, {_os_name()}"
    return [
        Finding("version", Severity.INFO, f"Dispatch Desktop {__version__} ({build})"),
        Finding("python", Severity.INFO, python),
    ]


def _os_name() -> str:
    try:
        return platform.freedesktop_os_release().get("PRETTY_NAME", platform.system())
    except OSError:
        return platform.system()


# -- Qt ----------------------------------------------------------------------------------------

_PLUGINS = {
    # plugin: (files that must load, what it is for)
    "xcb": (("platforms/libqxcb.so", "../lib/libQt6XcbQpa.so.6"), "X11 windows"),
    "wayland": (("platforms/libqwayland.so", "../lib/libQt6WaylandClient.so.6"), "Wayland windows"),
    "offscreen": (("platforms/libqoffscreen.so",), "no screen"),
}


def qt_folder() -> Path | None:
    """PySide6's ``Qt`` folder, found without importing (and so without loading) Qt."""
    if getattr(sys, "frozen", False):
        folder = Path(getattr(sys, "_MEIPASS", "")) / "PySide6" / "Qt"
        return folder if folder.is_dir() else None
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "Qt"


def platform_in_use(environ: dict[str, str] | None = None) -> str:
    """The platform plugin Qt would pick in this session."""
    environ = dict(os.environ) if environ is None else environ
    chosen = environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if chosen:
        return chosen
    if environ.get("WAYLAND_DISPLAY") or environ.get("XDG_SESSION_TYPE") == "wayland":
        return "wayland"
    return "xcb"


def parse_ldd(output: str) -> list[str]:
    """The sonames ``ldd`` reports as not found."""
    return sorted(
        {
            line.split("=>")[0].strip()
            for line in output.splitlines()
            if "=>" in line and "not found" in line
        }
    )


def missing_for(files: list[Path]) -> list[str] | None:
    """The libraries the dynamic linker cannot find for ``files``; ``None`` without ldd."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return None
    missing: set[str] = set()
    for file in files:
        result = subprocess.run(  # noqa: S603 - ldd on Qt's own files
            [ldd, str(file)], capture_output=True, text=True, check=False, timeout=30
        )
        missing.update(parse_ldd(result.stdout))
    return sorted(missing)


def _packages_line(sonames: list[str]) -> str:
    known = {need.what: need for need in system_libraries.LIBRARIES}
    needs = [known[name] for name in sonames if name in known]
    distribution = system_libraries.distribution()
    packages = system_libraries.packages_for(needs, distribution)
    if not packages:
        return ""
    return f"; install them with: {system_libraries.apt_line(packages)}"


def plugin_findings(qt: Path, in_use: str) -> list[Finding]:
    findings = []
    for plugin, (files, purpose) in _PLUGINS.items():
        paths_ = [qt / "plugins" / file for file in files]
        present = [path for path in paths_ if path.exists()]
        if not present:
            continue
        missing = missing_for(present)
        if missing is None:
            findings.append(Finding("qt plugin", Severity.INFO, f"{plugin}: ldd is not available"))
            continue
        needed = plugin == in_use
        if missing:
            severity = Severity.BLOCKING if needed else Severity.WARNING
            text = f"{plugin} ({purpose}) misses {', '.join(missing)}{_packages_line(missing)}"
        else:
            severity, text = Severity.OK, f"{plugin} ({purpose}): all libraries found"
        if needed:
            text += " (the plugin this session uses)"
        findings.append(Finding("qt plugin", severity, text))
    return findings


def qt_version() -> str | None:
    try:
        from importlib.metadata import PackageNotFoundError, version

        return version("PySide6-Essentials")
    except PackageNotFoundError:
        return None


FROZEN_START_FLAG = "--diagnose-start-probe"
"""How :func:`start_check` asks a frozen build (which has no ``-c``) for the start probe
(dispatch_desktop/ui/start_probe.py)."""


def start_check(timeout: float = START_TIMEOUT) -> Finding:
    """Whether Qt and the app's windows load and a window opens offscreen."""
    environ = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if getattr(sys, "frozen", False):
        command = [sys.executable, FROZEN_START_FLAG]
    else:
        probe = "from dispatch_desktop.ui.start_probe import start_probe; start_probe()"
        command = [sys.executable, "-c", probe]
    try:
        result = subprocess.run(  # noqa: S603 - this very program, fixed arguments
            command, capture_output=True, text=True, env=environ, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return Finding("qt start", Severity.BLOCKING, f"Qt did not start within {timeout:.0f} s")
    except OSError as exc:
        return Finding("qt start", Severity.BLOCKING, f"Qt could not be started: {exc.strerror}")
    platform_name, _, families = result.stdout.strip().partition(" ")
    if result.returncode != 0 or platform_name != "offscreen":
        last = (result.stderr.strip().splitlines() or ["no message"])[-1][:200]
        return Finding(
            "qt start", Severity.BLOCKING, f"a window could not open offscreen (exit status "
            f"{result.returncode}): {last}",
        )  # fmt: skip
    return Finding("qt start", Severity.OK, f"a window opens offscreen ({families} font families)")


def qt_findings(*, start: bool = True) -> list[Finding]:
    qt = qt_folder()
    if qt is None:
        return [Finding("qt", Severity.BLOCKING, "PySide6 (Qt) is not installed")]
    in_use = platform_in_use()
    findings = [Finding("qt", Severity.INFO, f"PySide6 {qt_version() or '(version unknown)'}")]
    if in_use == "xcb" and not os.environ.get("DISPLAY"):
        findings.append(
            Finding("display", Severity.INFO, "no display in this session (DISPLAY is not set)")
        )
    findings += plugin_findings(qt, in_use)
    if not system_libraries.has_fonts():
        findings.append(
            Finding(
                "fonts",
                Severity.BLOCKING,
                "no font is installed: windows show no text; install one, e.g. "
                + system_libraries.apt_line([system_libraries.FONTS.package]),
            )
        )
    if start:
        findings.append(start_check())
    return findings


# -- keyring -----------------------------------------------------------------------------------


def keyring_findings() -> list[Finding]:
    from dispatch_desktop.storage.secrets import SecretStore

    try:
        status = SecretStore().status(probe=False)  # no probe: it may show an unlock prompt
    except Exception as exc:  # a broken backend is itself the finding
        return [Finding("keyring", Severity.WARNING, f"the keyring failed to load: {exc}")]
    if status.usable:
        return [Finding("keyring", Severity.OK, f"{status.store} (passwords can be saved)")]
    return [Finding("keyring", Severity.WARNING, status.message)]


# -- policy, folders ---------------------------------------------------------------------------


def policy_findings() -> tuple[Policy | None, list[Finding]]:
    try:
        policy = load_policy()
    except PolicyError as error:
        return None, [Finding("policy", Severity.BLOCKING, f"the app refuses to start: {error}")]
    if policy is NO_POLICY or policy.source is None:
        return policy, [Finding("policy", Severity.INFO, f"none ({policy_path()} does not exist)")]
    keys = [key for key in _policy_keys() if policy.sets(key)]
    text = f"{policy.source}: sets {', '.join(keys) if keys else 'nothing'}"
    if policy.jobs:
        text += f"; {len(policy.jobs)} quick-launch job(s)"
    return policy, [Finding("policy", Severity.OK, text)]


def policy_file_findings(policy: Policy) -> list[Finding]:
    """What the policy names on this computer: the data folder and the service account's key
    file (checked as the app checks it; the key itself is never shown)."""
    findings = []
    if policy.data_dir is not None:
        writable = _writable_folder(policy.data_dir)
        findings.append(
            Finding(
                "policy data_dir",
                Severity.OK if writable else Severity.BLOCKING,
                str(policy.data_dir) if writable else f"{policy.data_dir} cannot be written",
            )
        )
    if policy.api_key_file is not None:
        try:
            read_api_key_file(policy.api_key_file)
        except PolicyError as error:
            findings.append(Finding("api key file", Severity.BLOCKING, str(error)))
        else:
            findings.append(
                Finding("api key file", Severity.OK, f"{policy.api_key_file} (safe, one key)")
            )
    return findings


def _policy_keys() -> tuple[str, ...]:
    from dispatch_desktop.policy import POLICY_KEYS

    return POLICY_KEYS


def _writable_folder(folder: Path) -> bool:
    """Whether this user can write in ``folder``, or create it."""
    probe = folder
    while not probe.exists():
        if probe.parent == probe:
            return False
        probe = probe.parent
    return probe.is_dir() and os.access(probe, os.W_OK | os.X_OK)


def folder_findings(policy: Policy | None = None) -> list[Finding]:
    findings = []
    for what, folder in (
        ("settings", paths.config_dir()),
        ("journal", paths.data_dir()),
        ("logs", paths.log_dir()),
    ):
        if _writable_folder(folder):
            findings.append(Finding(f"folder {what}", Severity.OK, str(folder)))
        else:
            findings.append(
                Finding(f"folder {what}", Severity.BLOCKING, f"{folder} cannot be written")
            )
    override = os.environ.get(paths.DATA_DIR_ENV, "").strip()
    if policy is not None and policy.data_dir is not None:
        findings.append(Finding("folders", Severity.INFO, "placed by the policy's data_dir"))
    elif override:
        findings.append(
            Finding("folders", Severity.INFO, f"moved by {paths.DATA_DIR_ENV}={override}")
        )
    return findings


# -- server ------------------------------------------------------------------------------------


def configured_server(policy: Policy | None) -> tuple[str, str]:
    """The server the app would use, and where that comes from."""
    if policy is not None and policy.server:
        return policy.server, "policy"
    settings = paths.config_dir() / SETTINGS_FILE_NAME
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(settings, encoding="utf-8")
        server = parser.get("signin", "server", fallback="").strip().strip('"')
    except (configparser.Error, UnicodeDecodeError):
        server = ""
    if server:
        return server, "settings"
    from dispatch_desktop.api import DEFAULT_SERVER_URL

    return DEFAULT_SERVER_URL, "default"


def _open(host: str, port: int, proxy: str | None) -> socket.socket:
    """A TCP connection to ``host:port``, tunnelled through ``proxy`` when given."""
    if proxy is None:
        return socket.create_connection((host, port), timeout=CONNECT_TIMEOUT)
    parts = urlsplit(proxy)
    sock = socket.create_connection(
        (parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)),
        timeout=CONNECT_TIMEOUT,
    )
    if parts.scheme == "https":
        sock = ssl.create_default_context().wrap_socket(sock, server_hostname=parts.hostname)
    auth = ""
    if parts.username:
        token = base64.b64encode(f"{parts.username}:{parts.password or ''}".encode()).decode()
        auth = f"Proxy-Authorization: Basic {token}\r\n"
    sock.sendall(f"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n{auth}\r\n".encode())
    answer = b""
    while b"\r\n\r\n" not in answer and len(answer) < 65536:
        chunk = sock.recv(4096)
        if not chunk:
            break
        answer += chunk
    status = answer.split(b"\r\n", 1)[0].decode("latin-1", "replace")
    if " 200" not in status:
        sock.close()
        raise ConnectionError(f"the proxy answered “{status[:80] or 'nothing'}”")
    return sock


def server_findings(
    url: str, origin: str, *, cafile: str | None = None, timeout: float = CONNECT_TIMEOUT
) -> list[Finding]:
    """Whether ``url``'s host takes a connection (and a TLS handshake for https://), through
    the proxy the app's transport would choose."""
    from dispatch_desktop.api.proxy import UnsupportedProxy, choose_proxy

    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    where = f"{url} (from the {origin})"
    try:
        proxy = choose_proxy(url)
    except UnsupportedProxy as error:
        return [Finding("server", Severity.BLOCKING, f"{where}: {error}")]
    via = f" through the proxy {_without_password(proxy)}" if proxy else ""
    try:
        sock = _open(host, port, proxy)
        sock.settimeout(timeout)
        with sock:
            if parts.scheme == "https":
                context = ssl.create_default_context(cafile=cafile or _ca_bundle())
                with context.wrap_socket(sock, server_hostname=host):
                    pass
    except ssl.SSLCertVerificationError as exc:
        return [
            Finding(
                "server",
                Severity.BLOCKING,
                f"{where}{via}: its certificate is not trusted ({exc.verify_message}); check "
                "the address and this computer's clock",
            )
        ]
    except (OSError, ConnectionError) as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        return [Finding("server", Severity.BLOCKING, f"{where}{via} cannot be reached: {reason}")]
    secure = "TLS handshake done" if parts.scheme == "https" else "connected (not encrypted)"
    return [Finding("server", Severity.OK, f"{where}{via}: {secure}")]


def _without_password(proxy: str) -> str:
    parts = urlsplit(proxy)
    if parts.password is None:
        return proxy
    return parts._replace(netloc=f"{parts.username}:…@{parts.hostname}:{parts.port}").geturl()


def _ca_bundle() -> str:
    import certifi  # the transport verifies with requests' bundle, certifi's

    return certifi.where()


# -- the report --------------------------------------------------------------------------------


def gather(*, network: bool = True, start: bool = True) -> list[Finding]:
    """Every finding, in the order of the screen."""
    findings = version_findings()
    policy, policy_lines = policy_findings()
    findings += policy_lines
    # The folders the app would use: the policy's data_dir wins, as at the app's start.
    paths.use_policy_data_dir(None if policy is None else policy.data_dir)
    findings += folder_findings(policy)
    if policy is not None:
        findings += policy_file_findings(policy)
    findings += qt_findings(start=start)
    findings += _guarded("keyring", keyring_findings)
    if network:
        url, origin = configured_server(policy)
        findings += server_findings(url, origin)
    return findings


def _guarded(topic: str, check: Callable[[], list[Finding]]) -> list[Finding]:
    try:
        return check()
    except Exception as exc:  # the report goes on: the failure is a finding
        return [Finding(topic, Severity.WARNING, f"could not be checked: {exc}")]


def render(findings: list[Finding]) -> str:
    width = max((len(f.topic) for f in findings), default=0)
    lines = [f"{f.topic:<{width}}  {f.severity.label:<8}  {f.text}" for f in findings]
    blocking = [f for f in findings if f.severity is Severity.BLOCKING]
    lines.append("")
    lines.append(f"{len(blocking)} problem(s) block use." if blocking else "Nothing blocks use.")
    return "\n".join(lines)


def blocks_use(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.BLOCKING for f in findings)


def main(argv: list[str] | None = None) -> int:
    """Print the report; 1 when something blocks use, else 0."""
    parser = argparse.ArgumentParser(
        prog="dispatch-desktop --diagnose", description="What an administrator needs to know."
    )
    parser.add_argument("--no-network", action="store_true", help="skip the server check")
    parser.add_argument(
        "--start-check", action="store_true", help="only check that a window opens offscreen"
    )
    args = parser.parse_args(argv)
    findings = [start_check()] if args.start_check else gather(network=not args.no_network)
    print(render(findings))
    return 1 if blocks_use(findings) else 0


if __name__ == "__main__":
    sys.exit(main())
