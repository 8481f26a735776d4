"""The headless receiver (``python -m dispatch_desktop.events``) as a real process: its first
line, its persisted tokens, and that a kill -9 loses no event it acknowledged."""

from __future__ import annotations

import http.client
import os
import re
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest
from event_http import REFERENCE_SENDTASK_ID, event_body, post

from dispatch_desktop.events import EventFollower, EventStore

REPO_ROOT = Path(__file__).resolve().parents[2]
FIRST_LINE = re.compile(
    r"Dispatch callback receiver listening on "
    r"(http://127\.0\.0\.1:(\d+))/callbacks/([A-Za-z0-9_-]+)\n"
)


@dataclass
class Headless:
    process: subprocess.Popen[str]
    stdout: IO[str]
    base_url: str
    port: int
    token: str
    lines: list[str]
    log_path: Path

    @property
    def callback_path(self) -> str:
        return f"/callbacks/{self.token}"

    def log(self) -> str:
        """What it wrote to stderr so far."""
        return self.log_path.read_text()


def command(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "dispatch_desktop.events", "--data", str(data_dir), *args]


def run_to_end(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our interpreter, our arguments)
        command(data_dir, *args),
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=30,
        check=False,
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "receiver-data"


@pytest.fixture
def run_receiver(tmp_path: Path, data_dir: Path) -> Iterator[Callable[..., Headless]]:
    """Starts the headless receiver with the given extra arguments; all are killed at the end."""
    processes: list[subprocess.Popen[str]] = []
    logs: list[IO[bytes]] = []

    def run(*args: str) -> Headless:
        log_path = tmp_path / f"receiver-{len(logs)}.log"
        log = log_path.open("wb")
        logs.append(log)
        process = subprocess.Popen(  # noqa: S603 (our interpreter, our arguments)
            command(data_dir, *args), stdout=subprocess.PIPE, stderr=log, text=True, cwd=REPO_ROOT
        )
        processes.append(process)
        assert process.stdout is not None
        first = process.stdout.readline()
        match = FIRST_LINE.fullmatch(first)
        assert match, (first, (tmp_path / f"receiver-{len(logs) - 1}.log").read_text())
        lines = [first, process.stdout.readline(), process.stdout.readline()]
        base_url, port, token = match.groups()
        return Headless(process, process.stdout, base_url, int(port), token, lines, log_path)

    yield run
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait()
        if process.stdout is not None:
            process.stdout.close()
    for log in logs:
        log.close()


def stop(headless: Headless) -> int:
    headless.process.send_signal(signal.SIGTERM)
    status = headless.process.wait(timeout=10)
    assert "Stopping." in headless.stdout.read()
    return status


def test_tokens_are_created_once_private_and_kept_across_restarts(
    run_receiver: Callable[..., Headless], data_dir: Path
) -> None:
    first = run_receiver("--port", "0")
    assert len(first.token) == 43  # secrets.token_urlsafe(32)
    token_file = data_dir / "callback-token"
    events_file = data_dir / "events-token"
    assert token_file.read_text().strip() == first.token
    events_token = events_file.read_text().strip()
    for path in (token_file, events_file):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first.lines[1] == (
        f"Events for desktops: {first.base_url}/events (bearer token in {events_file})\n"
    )
    assert events_token not in "".join(first.lines)
    assert post(first.port, first.callback_path, event_body(1)).status == 200
    assert stop(first) == 0

    again = run_receiver("--port", "0")
    assert again.token == first.token
    with EventFollower(again.base_url, events_token) as follower:
        events, cursor = follower.poll(0, wait=0)
    assert ([e.sendtaskid for e in events], cursor) == ([REFERENCE_SENDTASK_ID + 1], 1)


def command_line(pid: int) -> str:
    """What every user of the machine can read of a process (``ps``); empty off Linux."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def private_file(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text)
    path.chmod(mode)
    return path


def test_tokens_from_files_are_used_not_written_and_never_on_the_command_line(
    run_receiver: Callable[..., Headless], data_dir: Path, tmp_path: Path
) -> None:
    token, events_token = "c" * 20, "e" * 20
    token_file = private_file(tmp_path / "callback.token", f"  {token}\n")
    events_file = private_file(tmp_path / "events.token", events_token)
    headless = run_receiver(
        "--token-file", str(token_file), "--events-token-file", str(events_file)
    )
    assert headless.token == token
    assert f"(bearer token in {events_file})" in headless.lines[1]
    assert not (data_dir / "callback-token").exists()
    assert not (data_dir / "events-token").exists()
    assert token not in command_line(headless.process.pid)
    assert events_token not in command_line(headless.process.pid)
    with EventFollower(headless.base_url, events_token) as follower:
        assert follower.poll(0, wait=0) == ([], 0)
    assert "warning" not in headless.log().lower()


def test_tokens_from_the_environment_are_used(
    run_receiver: Callable[..., Headless], data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token, events_token = "v" * 20, "w" * 20
    monkeypatch.setenv("DISPATCH_RECEIVER_TOKEN", token)
    monkeypatch.setenv("DISPATCH_RECEIVER_EVENTS_TOKEN", events_token)
    headless = run_receiver()
    assert headless.token == token
    assert "(bearer token from $DISPATCH_RECEIVER_EVENTS_TOKEN)" in headless.lines[1]
    assert not (data_dir / "callback-token").exists()
    assert token not in command_line(headless.process.pid)
    with EventFollower(headless.base_url, events_token) as follower:
        assert follower.poll(0, wait=0) == ([], 0)


def test_a_token_file_others_may_read_is_warned_about(
    run_receiver: Callable[..., Headless], tmp_path: Path
) -> None:
    token_file = private_file(tmp_path / "callback.token", "r" * 20, mode=0o644)
    headless = run_receiver("--token-file", str(token_file))
    assert headless.token == "r" * 20
    assert f"{token_file} is readable by other users" in headless.log()


def test_tokens_given_on_the_command_line_still_work_with_a_warning(
    run_receiver: Callable[..., Headless], data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISPATCH_RECEIVER_TOKEN", "x" * 20)  # the option comes first
    token, events_token = "c" * 20, "e" * 20
    headless = run_receiver("--token", token, "--events-token", events_token)
    assert headless.token == token
    assert "(bearer token given with --events-token)" in headless.lines[1]
    assert not (data_dir / "callback-token").exists()
    assert not (data_dir / "events-token").exists()
    log = headless.log()
    assert "--token is deprecated" in log
    assert "--events-token is deprecated" in log
    assert "--token-file" in log
    with EventFollower(headless.base_url, events_token) as follower:
        assert follower.poll(0, wait=0) == ([], 0)


def test_a_token_given_twice_is_refused(data_dir: Path, tmp_path: Path) -> None:
    token_file = private_file(tmp_path / "callback.token", "c" * 20)
    result = run_to_end(data_dir, "--token-file", str(token_file), "--token", "c" * 20)
    assert result.returncode == 2
    assert "not allowed with" in result.stderr


def test_a_missing_token_file_is_a_sentence(data_dir: Path, tmp_path: Path) -> None:
    result = run_to_end(data_dir, "--events-token-file", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "nowhere" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--token", "short"], "callback token"),
        (["--events-token", "a b"], "events token"),
        (["--token-file", "{short}"], "holds no valid callback token"),
    ],
)
def test_invalid_tokens_are_refused(
    data_dir: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    short = private_file(tmp_path / "short.token", "short")
    result = run_to_end(data_dir, *(arg.format(short=short) for arg in args))
    assert result.returncode == 2
    assert message in result.stderr


def test_an_invalid_token_in_the_environment_is_refused(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISPATCH_RECEIVER_EVENTS_TOKEN", "not a token")
    result = run_to_end(data_dir)
    assert result.returncode == 2
    assert "events token" in result.stderr


def test_a_damaged_token_file_is_refused(data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / "callback-token").write_text("not a token\n")
    result = run_to_end(data_dir)
    assert result.returncode == 2
    assert "holds no valid callback token" in result.stderr


def test_a_kill_between_store_and_reply_loses_nothing_acknowledged(
    run_receiver: Callable[..., Headless], data_dir: Path
) -> None:
    headless = run_receiver("--port", "0")
    acknowledged = set()
    for number in range(30):
        assert post(headless.port, headless.callback_path, event_body(number)).status == 200
        acknowledged.add(number)
    # Keep posting while the process is killed: some requests are cut between the commit
    # and the answer, or before the commit. Only the answered ones must be kept.
    done = threading.Event()

    def flood() -> None:
        number = 1000
        while not done.is_set():
            number += 1
            try:
                answer = post(headless.port, headless.callback_path, event_body(number))
            except (OSError, http.client.HTTPException):
                continue
            if answer.status == 200:
                acknowledged.add(number)

    flooding = threading.Thread(target=flood)
    flooding.start()
    try:
        deadline = time.monotonic() + 10
        while len(acknowledged) < 60 and time.monotonic() < deadline:
            done.wait(0.01)
        os.kill(headless.process.pid, signal.SIGKILL)
        headless.process.wait(timeout=10)
    finally:
        done.set()
        flooding.join(timeout=10)
    stored = {
        event.sendtaskid - REFERENCE_SENDTASK_ID
        for event in EventStore(data_dir / "events.sqlite3").events_after(0, limit=10_000)
        if event.sendtaskid is not None
    }
    assert acknowledged <= stored
