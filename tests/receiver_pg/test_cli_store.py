"""``dispatch-desktop-receiver --store``: a PostgreSQL address from the command line or a file
(systemd's credentials), its password only through libpq's PGPASSFILE or PGPASSWORD."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from event_http import event_body, post, request
from nodes import CALLBACK_TOKEN, REPO_ROOT, start_node
from pgcluster import Cluster

PASSWORD = "pg-Secret-4711"


def run_to_end(data: Path, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return subprocess.run(  # noqa: S603 (our interpreter, our arguments)
        [sys.executable, "-m", "dispatch_desktop.events", "--data", str(data), *args],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=60,
        check=False,
        env=env,
    )


@pytest.fixture(scope="module")
def password_address(pg_cluster: Cluster) -> str:
    return pg_cluster.create_password_role(PASSWORD, "with_password")


def test_the_password_comes_from_pgpassfile_and_appears_nowhere(
    password_address: str, tmp_path: Path
) -> None:
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"*:*:*:*:{PASSWORD}\n")
    passfile.chmod(0o600)  # libpq ignores a password file others may read
    address_file = tmp_path / "database-url"
    address_file.write_text(password_address + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["PGPASSFILE"] = str(passfile)
    node = start_node(tmp_path / "node", "--store-file", str(address_file), env=env)
    try:
        assert post(node.port, f"/callbacks/{CALLBACK_TOKEN}", event_body(1)).status == 200
        command_line = Path(f"/proc/{node.process.pid}/cmdline").read_bytes()
        environment = Path(f"/proc/{node.process.pid}/environ").read_bytes()
    finally:
        node.stop()
    assert "PostgreSQL database with_password as dispatch_receiver" in node.lines[2]
    for seen in (command_line, environment, "".join(node.lines).encode(), node.log.read_bytes()):
        assert PASSWORD.encode() not in seen


def test_without_its_password_the_receiver_says_so_and_exits(
    password_address: str, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["PGPASSFILE"] = str(tmp_path / "none")
    done = run_to_end(tmp_path / "data", "--store", password_address, env=env)
    assert done.returncode == 1
    assert "could not be opened" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_address_with_a_password_is_refused_and_not_repeated(tmp_path: Path) -> None:
    address = f"postgresql://dispatch:{PASSWORD}@/x?host=/nonexistent"
    done = run_to_end(tmp_path / "data", "--store", address)
    assert done.returncode == 2
    assert "PGPASSFILE" in done.stderr
    assert PASSWORD not in done.stdout + done.stderr


def test_a_store_that_is_not_postgresql_is_refused(tmp_path: Path) -> None:
    done = run_to_end(tmp_path / "data", "--store", "sqlite:///tmp/x.db")
    assert done.returncode == 2
    assert "postgresql://" in done.stderr


def test_a_node_takes_callbacks_and_reports_health(pg_address: str, tmp_path: Path) -> None:
    node = start_node(tmp_path / "node", "--store", pg_address)
    try:
        assert request(node.port, "GET", "/health").status == 200
        assert post(node.port, f"/callbacks/{CALLBACK_TOKEN}", event_body(1)).status == 200
    finally:
        node.stop()
