"""The keyring wrapper against a real Secret Service: gnome-keyring in a private D-Bus session.

Skipped where gnome-keyring or dbus-run-session is missing (.ci/run installs both).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from needs import program


@pytest.fixture(autouse=True)
def secret_service() -> None:
    """A real Secret Service: gnome-keyring in a session bus of its own."""
    for name in ("dbus-run-session", "gnome-keyring-daemon"):
        program(name, "the keyring tests run against a real Secret Service")


ROUND_TRIP = """
from keyring.backends.SecretService import Keyring
from dispatch_desktop.storage.secrets import SecretKind, SecretStore
store = SecretStore(Keyring())
status = store.status()
print("status", status.usable, status.store)
store.save("https://x/api", "alice", SecretKind.PASSWORD, "s3cret-pw")
print("loaded", store.load("https://x/api", "alice", SecretKind.PASSWORD))
store.forget("https://x/api", "alice", SecretKind.PASSWORD)
print("forgotten", store.load("https://x/api", "alice", SecretKind.PASSWORD))
"""

NO_UNLOCK = """
from keyring.backends.SecretService import Keyring
from dispatch_desktop.storage.secrets import SecretKind, SecretStore, SecretStoreUnavailable
store = SecretStore(Keyring())
print("status", store.status().usable)
try:
    store.save("https://x/api", "alice", SecretKind.PASSWORD, "s3cret-pw")
except SecretStoreUnavailable as error:
    print("refused", error)
"""


def in_session(tmp_path: Path, script: str, *, unlock: bool) -> str:
    """Run ``script`` in a fresh D-Bus session with gnome-keyring's secrets component."""
    daemon = (
        "echo -n test | gnome-keyring-daemon --unlock --components=secrets"
        if unlock
        else "gnome-keyring-daemon --start --components=secrets"
    )
    result = subprocess.run(  # noqa: S603 - fixed commands, our own script
        [
            shutil.which("dbus-run-session") or "dbus-run-session",
            "--",
            "/bin/sh",
            "-c",
            f'{daemon} >/dev/null 2>&1; exec "$0" -c "$1"',
            sys.executable,
            script,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "DISPLAY": ""},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_password_saved_read_back_and_forgotten(tmp_path: Path) -> None:
    out = in_session(tmp_path, ROUND_TRIP, unlock=True)
    assert "status True Secret Service" in out
    assert "loaded s3cret-pw" in out
    assert "forgotten None" in out


def test_a_keyring_that_cannot_be_opened_is_one_sentence_without_the_secret(
    tmp_path: Path,
) -> None:
    out = in_session(tmp_path, NO_UNLOCK, unlock=False)
    assert "status False" in out
    refused = next(line for line in out.splitlines() if line.startswith("refused"))
    assert "Secret Service" in refused
    assert "s3cret-pw" not in refused
