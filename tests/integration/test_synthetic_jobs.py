"""Synthetic saved jobs for the demo at scale (``--jobs N``): realistic, every type, exact ids
above 2^53 (F1), the same for the same seed, and startable on the demo server like its own."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dispatch_desktop.api import (
    Credentials,
    DispatchClient,
    GenericType,
    JobTypeMapping,
    StartJobRequest,
)
from dispatch_desktop.cli import build_parser
from dispatch_desktop.demo import DEMO_PASSWORD, DEMO_USERNAME, DemoServer
from dispatch_desktop.demo.data import GENERIC_TYPES, SAVED_JOBS
from dispatch_desktop.demo.rules import StartRequest, check_rules, resolve
from dispatch_desktop.demo.synthetic import (
    CUSTOM_TYPES,
    MAX_SYNTHETIC_JOBS,
    SYNTHETIC_TYPES,
    synthetic_jobs,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO = Credentials(DEMO_USERNAME, DEMO_PASSWORD)


def test_the_same_count_and_seed_give_the_same_jobs() -> None:
    assert synthetic_jobs(300) == synthetic_jobs(300)
    assert synthetic_jobs(1000)[:300] == synthetic_jobs(300)  # a larger N adds, never changes
    assert synthetic_jobs(300, seed=1) != synthetic_jobs(300)
    assert synthetic_jobs(0) == ()


@pytest.mark.parametrize("count", [-1, MAX_SYNTHETIC_JOBS + 1])
def test_a_count_out_of_range_is_refused(count: int) -> None:
    with pytest.raises(ValueError, match="0 to 1,000,000"):
        synthetic_jobs(count)
    with pytest.raises(ValueError, match="0 to 1,000,000"):
        DemoServer(synthetic_jobs=count)


def test_ids_are_exact_odd_unique_and_above_every_demo_id() -> None:
    jobs = synthetic_jobs(20_000)
    ids = [job.id for job in jobs]
    assert len(set(ids)) == len(ids)
    assert all(job_id % 2 == 1 for job_id in ids)  # no double holds them exactly (F1)
    assert min(ids) > max(job.id for job in SAVED_JOBS) > 2**53
    assert max(ids) < 2**63
    # Many differ by less than a double's step there: only exact ints tell them apart.
    assert len({float(job_id) for job_id in ids}) < len(ids)


def test_names_are_realistic_and_every_type_occurs() -> None:
    jobs = synthetic_jobs(2000)
    types = Counter(job.type for job in jobs)
    assert set(types) == set(SYNTHETIC_TYPES)
    assert set(GENERIC_TYPES) < set(types)  # the demo's types, and the server's own ones
    mapping = JobTypeMapping()
    assert {t for t in types if mapping.generic_type_of(t) is None} >= set(CUSTOM_TYPES)
    assert all(job.generic_type == SYNTHETIC_TYPES[job.type] for job in jobs)
    names = [job.name for job in jobs]
    assert all(name.strip() == name and len(name) > 8 for name in names)
    assert any(re.search("[åäöÅÄÖ]", name) for name in names)  # Swedish names
    assert any(" night shift " in name for name in names)  # English ones
    assert 500 < len(set(names)) < len(names)  # varied, with copies as real lists have


def test_every_synthetic_job_starts_with_recipients_as_saved() -> None:
    now = datetime.now(UTC)
    for job in synthetic_jobs(3000):
        start = StartRequest.parse({"jobid": job.id}, "POST", now)
        check_rules(start, job)
        assert resolve(start, job).recipients, job


def test_the_demo_server_lists_and_starts_them(demo_with_jobs: DemoServer) -> None:
    made = synthetic_jobs(500)
    client = DispatchClient(demo_with_jobs.url, DEMO)
    try:
        listed = client.list_saved_jobs()
        assert [(job.id, job.name, job.type) for job in listed] == [
            (job.id, job.name, job.type) for job in (*SAVED_JOBS, *made)
        ]
        one_of_each = {job.type: job for job in made}
        for job in one_of_each.values():
            result = client.start_saved_job(
                StartJobRequest(jobid=job.id), GenericType(job.generic_type)
            )
            assert result.ok, (job.type, result.errormessage)
        started = demo_with_jobs.started_jobs
        assert {record.saved_job_id for record in started} == {
            job.id for job in one_of_each.values()
        }
        assert client.list_saved_jobs("IncidentBroadcast") == [
            job for job in listed if job.type == "IncidentBroadcast"
        ]
    finally:
        client.close()


@pytest.fixture
def demo_with_jobs():
    with DemoServer(speed=1000, synthetic_jobs=500) as server:
        yield server


def test_demo_server_command_adds_synthetic_jobs() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "dispatch_desktop.demo", "--jobs", "40", "--speed", "50"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as process:
        assert process.stdout is not None
        lines = [process.stdout.readline()]
        while not lines[-1].startswith("Callbacks:"):
            lines.append(process.stdout.readline())
        client = DispatchClient(lines[0].rsplit(" ", 1)[-1].strip(), DEMO)
        try:
            listed = client.list_saved_jobs()
        finally:
            client.close()
            process.terminate()
            process.communicate(timeout=10)
    assert len(listed) == len(SAVED_JOBS) + 40
    assert listed[-1].id == synthetic_jobs(40)[-1].id
    assert "Saved jobs: the demo's 9 and 40 synthetic ones.\n" in lines


@pytest.mark.parametrize("value", ["-1", "many", "1000001"])
def test_a_bad_number_of_jobs_is_refused_on_the_command_line(value: str) -> None:
    for command in (
        [sys.executable, "-m", "dispatch_desktop.demo", "--jobs", value],
        [sys.executable, "-m", "dispatch_desktop", "--demo", "--demo-jobs", value],
    ):
        refused = subprocess.run(  # noqa: S603 - our own interpreter and modules
            command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, check=False
        )
        assert refused.returncode == 2
        assert "expected a number of jobs from 0 to 1,000,000" in refused.stderr
        assert "Traceback" not in refused.stderr


def test_the_desktop_command_line_takes_the_number_of_demo_jobs() -> None:
    assert build_parser().parse_args(["--demo", "--demo-jobs", "100000"]).demo_jobs == 100_000
    assert build_parser().parse_args(["--demo"]).demo_jobs == 0
