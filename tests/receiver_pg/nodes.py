"""Receiver nodes as real processes (``python -m dispatch_desktop.events --store ...``) on one
PostgreSQL database, with the same two tokens, as an operator runs them behind a proxy."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from event_http import request

REPO_ROOT = Path(__file__).resolve().parents[2]
CALLBACK_TOKEN = "callback-token-0123456789abcdef"
EVENTS_TOKEN = "events-token-0123456789abcdef"
FIRST_LINE = re.compile(r"Dispatch callback receiver listening on http://127\.0\.0\.1:(\d+)/")


@dataclass
class Node:
    process: subprocess.Popen[str]
    port: int
    log: Path
    lines: list[str]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(30)
        if self.process.stdout is not None:
            self.process.stdout.close()


def start_node(folder: Path, *store: str, env: dict[str, str] | None = None) -> Node:
    """A receiver node keeping its tokens' files in ``folder``, with the options ``store``
    (``--store URL`` or ``--store-file FILE``)."""
    folder.mkdir(parents=True)
    (folder / "callback-token").write_text(CALLBACK_TOKEN)
    (folder / "events-token").write_text(EVENTS_TOKEN)
    log = folder / "stderr.log"
    with log.open("wb") as errors:
        process = subprocess.Popen(  # noqa: S603 (our interpreter, our arguments)
            [
                *(sys.executable, "-m", "dispatch_desktop.events", "--data", str(folder)),
                *(*store, "--port", "0"),
            ],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            cwd=REPO_ROOT,
            env=env,
        )
    stdout: IO[str] | None = process.stdout
    assert stdout is not None
    first = stdout.readline()
    match = FIRST_LINE.match(first)
    if match is None:
        process.kill()
        process.wait(30)
        stdout.close()
        raise AssertionError(f"{first!r}: {log.read_text()}")
    lines = [first, stdout.readline(), stdout.readline()]  # and the events URL, the store
    return Node(process, int(match.group(1)), log, lines)


def feed_page(port: int, after: int, limit: int, token: str = EVENTS_TOKEN) -> Any:
    """One page of ``GET /events`` (no wait) from the receiver on ``port``."""
    return request(
        port,
        "GET",
        f"/events?after={after}&limit={limit}",
        headers={"Authorization": f"Bearer {token}"},
    ).json()
