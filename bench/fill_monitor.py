"""Fill an event store and a launch journal of a given size, for the monitor and History
benchmarks.

Run it with::

    .venv/bin/python bench/fill_monitor.py --events 1000000 --launches 100000 --out /tmp/big

It writes ``events.sqlite3`` and ``launch-journal.sqlite3`` in ``--out`` (the file names of the
app's data folder, so the folder can serve as one: ``DISPATCH_DESKTOP_DATA_DIR/data``). The
files have the app's own schema (made by :class:`EventStore` and :class:`LaunchJournal`); the
rows are written in one transaction each, without syncing, because this is test data.

What they hold, realistically:

- jobs of 10 to 200 callbacks each (JOB_START, JOB_ASSIGN with a recipient's name, most with a
  JOB_FINISH), started at random times over the past year, the events of a job over minutes,
  the arrival a little after each event's timestamp; with ``--big-job N`` one job of N events
  started a day ago (the 20,000-entry timeline of the monitor benchmark);
- runtime ids above 2**53, as the Dispatch server's are (F1);
- launches over the same year against one server: every job with callbacks was launched from
  this desktop, the others are launches whose callbacks never came (or went to another
  receiver); nine in ten started OK, the rest were refused or not started.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dispatch_desktop.events import EventStore
from dispatch_desktop.storage.journal import LaunchJournal

SERVER = "https://dispatch.example.com/api"
USER = "dispatcher"
EVENTS_FILE = "events.sqlite3"
JOURNAL_FILE = "launch-journal.sqlite3"
YEAR_MS = 365 * 24 * 3600 * 1000
NAMES = (
    "Anna Berg",
    "Tomas Hansson",
    "Eva Lind",
    "Lars Nilsson",
    "Maria Svensson",
    "Johan Ek",
    "Sara Holm",
    "Erik Strand",
    "Karin Dahl",
    "Peter Sjöberg",
)
JOB_TYPES = ("QuickAssign", "MonitoredMessage", "GroundHandling", "CallOut")


@dataclass(frozen=True)
class Filled:
    """What was written: the runtime ids of the jobs with callbacks (newest last), and of the
    big job (``None``: none)."""

    jobids: list[int]
    big_job: int | None


def runtime_id(rng: random.Random) -> int:
    """A runtime id above 2**53, as the Dispatch server hands out (F1)."""
    return rng.randrange(2**53 + 1, 2**63 - 1)


def _job_events(
    rng: random.Random, jobid: int, start_ms: int, count: int, finished: bool
) -> Iterator[tuple[object, ...]]:
    """The rows of one job's ``count`` callbacks (without cursor and fingerprint)."""
    jobtype = rng.choice(JOB_TYPES)
    kinds = ["JOB_START"] + ["JOB_ASSIGN"] * (count - 1 - finished) + ["JOB_FINISH"] * finished
    when = start_ms
    for number, kind in enumerate(kinds):
        if number:
            when += rng.randrange(200, 20_000)
        sendname = rng.choice(NAMES) if kind == "JOB_ASSIGN" else ""
        body = {
            "jobid": str(jobid),
            "userid": 113495,
            "eventtype": kind,
            "timestamp": when,
            "jobtype": jobtype if kind == "JOB_START" else "",
            "sendname": sendname,
            "agent": "md-adm" if kind == "JOB_START" else "SYSTEM",
        }
        received = datetime.fromtimestamp((when + rng.randrange(20, 400)) / 1000, UTC)
        yield (
            received.isoformat(timespec="milliseconds"),
            jobid,
            kind,
            when,
            113495,
            body["jobtype"],
            sendname,
            rng.randrange(2**53 + 1, 2**63 - 1) if sendname else None,
            body["agent"],
            json.dumps(body),
        )


def fill(
    folder: Path,
    events: int,
    launches: int,
    *,
    big_job: int = 0,
    seed: int = 9,
    now: datetime | None = None,
) -> Filled:
    """Write a store of ``events`` job events (plus ``big_job`` for the big job) and a journal
    of ``launches`` launches into ``folder``; see the module."""
    rng = random.Random(seed)
    now_ms = int((now or datetime.now(UTC)).timestamp() * 1000)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    jobs: list[tuple[int, int, int]] = []  # (start ms, runtime id, events)
    left = events
    while left >= 10:
        count = min(left, rng.randrange(10, 201))
        jobs.append((now_ms - rng.randrange(YEAR_MS), runtime_id(rng), count))
        left -= count
    if big_job:
        jobs.append((now_ms - 24 * 3600 * 1000, runtime_id(rng), big_job))
    big = jobs[-1][1] if big_job else None
    jobs.sort()
    _write_events(folder / EVENTS_FILE, rng, jobs)
    _write_launches(folder / JOURNAL_FILE, rng, jobs, launches, now_ms)
    return Filled(jobids=[jobid for _, jobid, _ in jobs], big_job=big)


def _write_events(path: Path, rng: random.Random, jobs: list[tuple[int, int, int]]) -> None:
    EventStore(path).close()  # the schema
    rows = (
        (fingerprint, *row)
        for fingerprint, row in enumerate(
            row
            for start_ms, jobid, count in jobs
            for row in _job_events(rng, jobid, start_ms, count, rng.random() < 0.9)
        )
    )
    _bulk(
        path,
        "INSERT INTO events (fingerprint, received_at, jobid, eventtype, timestamp_ms, userid,"
        " jobtype, sendname, contactid, agent, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ((f"bench-{number}", *rest) for number, *rest in rows),
    )


def _write_launches(
    path: Path, rng: random.Random, jobs: list[tuple[int, int, int]], count: int, now_ms: int
) -> None:
    LaunchJournal(path)  # the schema
    launched = [(start_ms - rng.randrange(1000, 5000), jobid) for start_ms, jobid, _ in jobs]
    launched = launched[-count:] if count else []
    while len(launched) < count:
        launched.append((now_ms - rng.randrange(YEAR_MS), runtime_id(rng)))
    launched.sort()

    def rows() -> Iterator[tuple[object, ...]]:
        for attempted_ms, jobid in launched:
            attempted = datetime.fromtimestamp(attempted_ms / 1000, UTC)
            ok = rng.random() < 0.9
            saved_job = rng.randrange(2**53 + 1, 2**53 + 5000)
            parameters = {"jobid": saved_job, "message": "Report to the gate", "responsegoal": 5}
            yield (
                attempted.isoformat(timespec="milliseconds"),
                SERVER,
                USER,
                saved_job,
                f"Call-out {saved_job % 5000}",
                rng.choice(JOB_TYPES),
                "GMA",
                json.dumps(parameters, sort_keys=True),
                "ok" if ok else "not_started",
                jobid if ok else None,
                f"Call-out {saved_job % 5000}" if ok else None,
                None if ok else "No recipients",
                (attempted + timedelta(seconds=1)).isoformat(timespec="milliseconds"),
                "exercise" if rng.random() < 0.05 else "live",
            )

    _bulk(
        path,
        "INSERT INTO launches (attempted_at, server, user, job_id, job_name, job_type,"
        " generic_type, parameters, outcome, runtime_id, result_job_name, message,"
        " finished_at, mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows(),
    )


def _bulk(path: Path, statement: str, rows: Iterator[tuple[object, ...]]) -> None:
    """Insert ``rows`` in one transaction, unsynced (test data)."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("BEGIN")
        connection.executemany(statement, rows)
        connection.execute("COMMIT")
    finally:
        connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000, help="job events (default 10,000)")
    parser.add_argument("--launches", type=int, default=1_000, help="launches (default 1,000)")
    parser.add_argument("--big-job", type=int, default=0, help="events of one more, big job")
    parser.add_argument("--out", type=Path, required=True, help="the folder to write")
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    began = time.perf_counter()
    filled = fill(args.out, args.events, args.launches, big_job=args.big_job, seed=args.seed)
    print(
        f"{len(filled.jobids)} jobs, {args.events + args.big_job} events and {args.launches} "
        f"launches written to {args.out} in {time.perf_counter() - began:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
