"""A program a test needs from the system: skipped on a developer machine that lacks it, a
failure in CI, which installs every one (.ci/run) — so no test goes quietly missing there."""

from __future__ import annotations

import os
import shutil

import pytest


def program(name: str, why: str) -> str:
    """The path of ``name``; without it the calling test skips (fails in CI), saying ``why``."""
    path = shutil.which(name)
    if path is not None:
        return path
    message = f"{name} is not installed: {why}"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (.ci/run installs it)")
    pytest.skip(message)
