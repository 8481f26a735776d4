"""packaging/receiver/: the systemd unit of a receiver node is hardened and takes its secrets
from credentials files; the proxy examples check GET /health and never log the token."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from needs import program

FOLDER = Path(__file__).resolve().parents[2] / "packaging" / "receiver"


def unit() -> str:
    return (FOLDER / "dispatch-receiver.service").read_text()


@pytest.mark.parametrize(
    "line",
    [
        "DynamicUser=yes",
        "ProtectSystem=strict",
        "NoNewPrivileges=yes",
        "CapabilityBoundingSet=",
        "LoadCredential=database-url:/etc/dispatch-receiver/database-url",
        "LoadCredential=callback-token:/etc/dispatch-receiver/callback-token",
        "Environment=PGPASSFILE=%d/pgpass",
    ],
)
def test_the_unit_is_hardened(line: str) -> None:
    assert line in unit().splitlines()


def test_no_secret_goes_on_the_command_line() -> None:
    command = re.search(r"^ExecStart=(.*?[^\\])$", unit(), re.MULTILINE | re.DOTALL)
    assert command is not None
    assert "--store-file ${CREDENTIALS_DIRECTORY}/database-url" in command.group(1)
    assert re.search(r"--(token|events-token|store) ", command.group(1)) is None


def test_systemd_reads_the_unit(tmp_path: Path) -> None:
    analyze = program("systemd-analyze", "it checks the receiver's systemd unit")
    shutil.copy(FOLDER / "dispatch-receiver.service", tmp_path)
    done = subprocess.run(  # noqa: S603 - systemd's own checker
        [analyze, "verify", str(tmp_path / "dispatch-receiver.service")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # The only complaint allowed: the receiver is not installed on this machine.
    problems = [line for line in done.stderr.splitlines() if "is not executable" not in line]
    assert problems == []


@pytest.mark.parametrize("name", ["haproxy.cfg", "nginx.conf"])
def test_the_proxy_examples_spread_over_two_nodes_and_log_no_request_line(name: str) -> None:
    text = (FOLDER / name).read_text()
    assert text.count(":8765") == 2
    for request_line in ("%r", "$request ", "$request_uri"):
        assert request_line not in text
    if name == "haproxy.cfg":
        assert "http-check send meth GET uri /health" in text
