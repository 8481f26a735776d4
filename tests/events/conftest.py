"""Fixtures of the receiver tests: a store in a temporary folder and an embedded receiver on
loopback, stopped after each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dispatch_desktop.events import CallbackReceiver, EventStore


@pytest.fixture
def store(tmp_path: Path) -> EventStore:
    return EventStore(tmp_path / "events.sqlite3")


@pytest.fixture
def receiver(store: EventStore) -> Iterator[CallbackReceiver]:
    with CallbackReceiver(store, serve_events=True) as running:
        yield running


@pytest.fixture
def callback_path(receiver: CallbackReceiver) -> str:
    return f"/callbacks/{receiver.token}"
