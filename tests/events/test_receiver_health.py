"""``GET /health``: what a reverse proxy's health check sees of a headless receiver node."""

from __future__ import annotations

import pytest
from event_http import request

from dispatch_desktop.events import CallbackReceiver, EventStore, EventStoreError


def test_a_node_whose_store_answers_is_healthy(receiver: CallbackReceiver) -> None:
    answer = request(receiver.port, "GET", "/health")
    assert (answer.status, answer.body) == (200, b"OK\n")
    assert answer.headers["cache-control"] == "no-store"
    assert request(receiver.port, "POST", "/health", b"").status == 405


def test_a_node_whose_store_fails_is_503_without_details(
    receiver: CallbackReceiver, store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail() -> int:
        raise EventStoreError(f"The event store ({store.path}) could not be read: disk I/O error.")

    monkeypatch.setattr(store, "latest_cursor", fail)
    answer = request(receiver.port, "GET", "/health")
    assert answer.status == 503
    assert answer.body == b"The event store is not reachable.\n"  # no path, no error text


def test_the_app_s_own_receiver_serves_no_health(store: EventStore) -> None:
    with CallbackReceiver(store) as embedded:
        assert request(embedded.port, "GET", "/health").status == 404
