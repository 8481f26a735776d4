"""A real PostgreSQL cluster for the session (tests/pgcluster.py), and a fresh database per
test. In CI (``CI`` set) a missing PostgreSQL fails the tests: none may be skipped there."""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pgcluster import Cluster, binaries

# The receiver tests' HTTP helpers and bodies (tests/events/event_http.py), also when this
# folder runs alone.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "events"))

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    bin_dir = binaries()
    if bin_dir is None:
        message = "PostgreSQL is not installed (initdb, pg_ctl): the PostgreSQL tests cannot run"
        if os.environ.get("CI"):
            pytest.fail(message)
        print(f"\n*** {message}; skipped ***", file=sys.stderr)
        pytest.skip(message)
    cluster = Cluster(bin_dir)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def pg_address(pg_cluster: Cluster) -> str:
    """The address of a new, empty database (no password in it)."""
    return pg_cluster.create_database(f"test_{next(_numbers)}")
