"""Fixtures of the packaging tests: offline bundles built once per session by the real build
script, and helpers to unpack and run them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from dispatch_desktop import __version__

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
BASE_PYTHON = getattr(sys, "_base_executable", sys.executable)
"""The Python the venv was made from: what an administrator's python3 would be."""
NEWER_VERSION = f"{__version__}.post1"


def build_bundle(output: Path, *, version: str | None = None) -> Path:
    """Run packaging/build-offline-bundle.sh; return the tarball."""
    env = {**os.environ, "PYTHON": BASE_PYTHON}
    env.pop("BUNDLE_VERSION", None)
    if version:
        env["BUNDLE_VERSION"] = version
    subprocess.run(  # noqa: S603 - the project's own build script
        [str(PACKAGING / "build-offline-bundle.sh"), "--output", str(output)],
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )
    (tarball,) = output.glob("*.tar.gz")
    return tarball


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundle of this commit, at this version."""
    return build_bundle(tmp_path_factory.mktemp("bundle"))


@pytest.fixture(scope="session")
def newer_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same commit built as a newer version."""
    return build_bundle(tmp_path_factory.mktemp("newer"), version=NEWER_VERSION)


def unpack(tarball: Path, into: Path) -> Path:
    """The bundle's folder, unpacked under ``into``."""
    with tarfile.open(tarball) as tar:
        tar.extractall(into, filter="data")
    (folder,) = (p for p in into.iterdir() if p.is_dir() and tarball.name.startswith(p.name))
    return folder


@pytest.fixture
def unpacked(tmp_path: Path) -> Callable[[Path], Path]:
    counter = iter(range(1000))
    return lambda tarball: unpack(tarball, tmp_path / f"unpacked-{next(counter)}")


def can_unshare(*flags: str) -> bool:
    if not shutil.which("unshare"):
        return False
    result = subprocess.run(  # noqa: S603 - a fixed probe
        ["unshare", *flags, "true"],  # noqa: S607 - the system's unshare
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


NO_NETWORK = ["unshare", "-n"] if can_unshare("-n") else []
"""Runs a command without any network where this machine allows it (root, or user
namespaces); the install is offline by its own means (pip --no-index) anyway."""


def run(
    command: list[str], *, home: Path, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``command`` as an administrator would, with ``home`` as the home folder and the
    machine's own pip settings in the environment (install.sh must ignore them)."""
    environ = {
        "HOME": str(home),
        "PATH": os.environ["PATH"],
        "PYTHON": BASE_PYTHON,
        "LANG": "C.UTF-8",
        **{k: v for k, v in os.environ.items() if k.startswith("PIP_")},
        **(env or {}),
    }
    return subprocess.run(  # noqa: S603 - the bundle's own scripts
        command, env=environ, capture_output=True, text=True, timeout=timeout, check=False
    )
