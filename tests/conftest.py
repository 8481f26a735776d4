"""Shared test setup.

Qt must see QT_QPA_PLATFORM before it is imported anywhere, so it is set here, first.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import pytest


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Every test gets its own settings, journal, event store and log folder, and an English
    system locale (a test of Swedish chooses it)."""
    monkeypatch.setenv("DISPATCH_DESKTOP_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.setenv("LANGUAGE", "en")
