"""Smoke test of the frozen build (PyInstaller, packaging/dispatch-desktop.spec).

``make frozen`` builds it and runs these with ``FROZEN_APP`` naming the program; elsewhere
they are skipped (the build takes about a minute). Each runs the program as a user would:
offscreen, in a temporary home, with a real Secret Service in a private D-Bus session for the
keyring."""

from __future__ import annotations

import ast
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from conftest import PACKAGING

from dispatch_desktop import __version__
from dispatch_desktop.diagnose import FROZEN_START_FLAG

APP = os.environ.get("FROZEN_APP", "")
frozen = pytest.mark.skipif(not APP, reason="needs the frozen build: make frozen")


def test_the_frozen_entry_knows_the_start_probe_flag() -> None:
    tree = ast.parse((PACKAGING / "frozen_main.py").read_text(encoding="utf-8"))
    literals = {
        node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
    }
    assert FROZEN_START_FLAG in literals


def environment(tmp_path: Path) -> dict[str, str]:
    return {
        "HOME": str(tmp_path / "home"),
        "PATH": "/usr/bin:/bin",
        "QT_QPA_PLATFORM": "offscreen",
        "DISPATCH_DESKTOP_DATA_DIR": str(tmp_path / "data"),
        "LANG": "C.UTF-8",
    }


@frozen
def test_the_frozen_program_tells_its_version(tmp_path: Path) -> None:
    result = subprocess.run(  # noqa: S603 - the frozen program
        [APP, "--version"], capture_output=True, text=True, env=environment(tmp_path), check=True
    )
    assert result.stdout.strip() == f"dispatch-desktop {__version__}"


@frozen
@pytest.mark.skipif(
    not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")),
    reason="needs dbus-run-session and gnome-keyring-daemon",
)
def test_the_frozen_program_finds_the_secret_service_and_opens_a_window(tmp_path: Path) -> None:
    """keyring discovers its backends through package metadata that PyInstaller drops unless
    the spec keeps it: without it the store is "no system keyring" (seen with the build's
    keyring dist-info removed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    policy = tmp_path / "policy.ini"
    policy.write_text(f"[policy]\nserver = https://127.0.0.1:{port}/api\n", encoding="utf-8")
    env = {**environment(tmp_path), "DISPATCH_DESKTOP_POLICY": str(policy)}
    result = subprocess.run(  # noqa: S603 - fixed commands and the frozen program
        [
            shutil.which("dbus-run-session") or "dbus-run-session",
            "--",
            "/bin/sh",
            "-c",
            "echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1;"
            ' exec "$0" --diagnose',
            APP,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    lines = {line.split("  ")[0]: line for line in result.stdout.splitlines() if line}
    assert "Secret Service" in lines["keyring"], result.stdout + result.stderr
    assert " ok " in lines["keyring"]
    assert "a window opens offscreen" in lines["qt start"]
    assert "(frozen build)" in lines["version"]
    assert result.returncode == 1, "the closed server port blocks use"


@frozen
def test_the_frozen_program_starts_in_demo_mode_and_stops_on_sigterm(tmp_path: Path) -> None:
    env = environment(tmp_path)
    log = tmp_path / "data/logs/demo/dispatch-desktop.log"
    app = subprocess.Popen(  # noqa: S603 - the frozen program
        [APP, "--demo"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and "demo server" not in _read(log):
            assert app.poll() is None, app.communicate()
            time.sleep(0.2)
        assert "demo server" in _read(log).lower(), "the demo server started"
    finally:
        app.send_signal(signal.SIGTERM)
        _, errors = app.communicate(timeout=60)
    assert app.returncode == 0, errors
    assert "Traceback" not in _read(log) + errors


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""
