"""The desktop's event source: its own receiver, or a shared one it follows (F12)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from event_http import JOB_ASSIGN, JOB_START, REFERENCE_JOB_ID, post

from dispatch_desktop.events import CallbackReceiver, EventStore, StoredEvent
from dispatch_desktop.events.config import SourceConfig, SourceMode
from dispatch_desktop.events.source import EventSource, SourceError


class Collector:
    """Collects what a source hands over, from its threads."""

    def __init__(self) -> None:
        self.events: list[StoredEvent] = []
        self.status: list[str] = []
        self._lock = threading.Lock()

    def on_events(self, events: list[StoredEvent]) -> None:
        with self._lock:
            self.events.extend(events)

    def on_status(self, message: str) -> None:
        with self._lock:
            self.status.append(message)

    def wait_for(self, count: int, seconds: float = 5.0) -> None:
        deadline = time.monotonic() + seconds
        while len(self.events) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(self.events) >= count


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


@pytest.fixture
def collector() -> Collector:
    return Collector()


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[CallbackReceiver]:
    store = EventStore(tmp_path / "shared" / "events.sqlite3")
    with CallbackReceiver(
        store, serve_events=True, events_token="events-token-0123456789"
    ) as receiver:
        yield receiver
    store.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_embedded_receiver_hands_each_new_event_over(tmp_path: Path, collector: Collector) -> None:
    config = SourceConfig(mode=SourceMode.EMBEDDED, port=free_port())
    source = EventSource(config, tmp_path, collector.on_events, collector.on_status)
    source.start()
    try:
        url = source.callback_url
        assert url is not None
        assert url.startswith(f"http://127.0.0.1:{config.port}/callbacks/")
        assert post(config.port, path_of(url), JOB_START).status == 200
        assert post(config.port, path_of(url), JOB_START).status == 200  # a retry: once
        collector.wait_for(1)
        assert [e.jobid for e in collector.events] == [REFERENCE_JOB_ID]
        assert (tmp_path / "events.sqlite3").exists()
    finally:
        source.stop()


def test_the_callback_url_survives_a_restart_and_changes_with_a_new_token(
    tmp_path: Path, collector: Collector
) -> None:
    config = SourceConfig(mode=SourceMode.EMBEDDED, port=free_port())
    urls = []
    for renew in (False, False, True):
        source = EventSource(config, tmp_path, collector.on_events, collector.on_status)
        if renew:
            source.renew_token()
        source.start()
        urls.append(source.callback_url)
        source.stop()
    assert urls[0] == urls[1]
    assert urls[2] != urls[1]


def test_demo_events_are_kept_apart(tmp_path: Path, collector: Collector) -> None:
    config = SourceConfig(mode=SourceMode.EMBEDDED)
    source = EventSource(config, tmp_path, collector.on_events, collector.on_status, demo=True)
    source.start()
    source.stop()
    assert (tmp_path / "demo-events.sqlite3").exists()
    assert not (tmp_path / "events.sqlite3").exists()


def test_a_busy_port_is_a_sentence(tmp_path: Path, collector: Collector) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        source = EventSource(
            SourceConfig(mode=SourceMode.EMBEDDED, port=port),
            tmp_path,
            collector.on_events,
            collector.on_status,
        )
        with pytest.raises(SourceError, match=f"port {port}.*Choose another port"):
            source.start()
        source.stop()


def test_follower_gets_history_then_live_events(
    tmp_path: Path, collector: Collector, shared: CallbackReceiver
) -> None:
    assert post(shared.port, path_of(shared.callback_url), JOB_START).status == 200
    config = SourceConfig(
        mode=SourceMode.FOLLOW,
        follow_url=shared.base_url,
        follow_token="events-token-0123456789",
    )
    source = EventSource(config, tmp_path, collector.on_events, collector.on_status)
    source.start()
    try:
        collector.wait_for(1)
        assert post(shared.port, path_of(shared.callback_url), JOB_ASSIGN).status == 200
        collector.wait_for(2)
        assert [e.eventtype for e in collector.events] == ["JOB_START", "JOB_ASSIGN"]
        assert any("Following job events" in s for s in collector.status)
    finally:
        source.stop()


def test_follower_with_a_wrong_token_says_so(
    tmp_path: Path, collector: Collector, shared: CallbackReceiver
) -> None:
    config = SourceConfig(
        mode=SourceMode.FOLLOW, follow_url=shared.base_url, follow_token="wrong-token-0123456"
    )
    source = EventSource(config, tmp_path, collector.on_events, collector.on_status)
    source.start()
    try:
        deadline = time.monotonic() + 5
        while not collector.status and time.monotonic() < deadline:
            time.sleep(0.01)
        assert "refused the events token" in collector.status[0]
        assert collector.events == []
    finally:
        source.stop()


def test_off_says_how_to_turn_it_on(tmp_path: Path, collector: Collector) -> None:
    source = EventSource(SourceConfig(), tmp_path, collector.on_events, collector.on_status)
    source.start()
    source.stop()
    assert "Settings" in collector.status[0]


def test_following_a_plain_http_receiver_elsewhere_is_refused_before_any_request(
    tmp_path: Path,
) -> None:
    """The events token is a credential: plain http only to this computer (like the API)."""
    source = EventSource(
        SourceConfig(
            mode=SourceMode.FOLLOW,
            follow_url="http://receiver.example.com:8765",
            follow_token="events-token-0123456789",
        ),
        tmp_path,
        lambda events: None,
        lambda text: None,
    )

    with pytest.raises(SourceError) as info:
        source.start()

    assert "plain http://" in str(info.value)
    assert "events-token-0123456789" not in str(info.value)
