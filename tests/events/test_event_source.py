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


def following(shared: CallbackReceiver, data_dir: Path, collector: Collector) -> EventSource:
    """A started source that follows ``shared``, keeping its files in ``data_dir``."""
    config = SourceConfig(
        mode=SourceMode.FOLLOW, follow_url=shared.base_url, follow_token="events-token-0123456789"
    )
    source = EventSource(config, data_dir, collector.on_events, collector.on_status)
    source.start()
    return source


class PollLog:
    """Every poll a follower makes: the cursor it asked after, and how many events came."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from dispatch_desktop.events.follower import EventFollower

        self.polls: list[tuple[int, int]] = []
        real_poll = EventFollower.poll

        def poll(follower: EventFollower, after: int, *args: object, **kwargs: object):
            events, cursor = real_poll(follower, after, *args, **kwargs)  # type: ignore[arg-type]
            self.polls.append((after, len(events)))
            return events, cursor

        monkeypatch.setattr(EventFollower, "poll", poll)

    def downloaded(self) -> int:
        return sum(count for _after, count in self.polls)


def test_a_follower_resumes_after_its_cursor_across_a_restart(
    tmp_path: Path, shared: CallbackReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    from event_http import event_body

    log = PollLog(monkeypatch)
    callbacks = path_of(shared.callback_url)
    for number in range(25):
        assert post(shared.port, callbacks, event_body(number)).status == 200
    first = Collector()
    source = following(shared, tmp_path, first)
    first.wait_for(25)
    source.stop()
    assert log.downloaded() == 25
    stored = source.store
    assert stored is not None
    assert stored.path.parent == tmp_path  # in the profile's data folder, a file of its own
    assert stored.path.name.startswith("followed-events-")
    assert [e.cursor for e in stored.events_after(0, limit=100)] == list(range(1, 26))
    newest = shared.store.latest_cursor()
    assert stored.follow_cursor() == newest

    # Meanwhile the receiver takes 3 more; after a restart only those are downloaded.
    for number in range(25, 28):
        assert post(shared.port, callbacks, event_body(number)).status == 200
    # The stopped follower's long poll ends with them, and it stores nothing after its stop.
    for thread in threading.enumerate():
        if thread.name == "event-follower":
            thread.join(10)
    assert [e.cursor for e in stored.events_after(0, limit=100)][-1] == 25
    log.polls.clear()
    second = Collector()
    again = following(shared, tmp_path, second)
    try:
        second.wait_for(3)
    finally:
        again.stop()
    assert log.polls[0][0] == newest  # resumed after the stored cursor
    assert log.downloaded() == 3  # nothing of the history again
    assert [e.sendname for e in second.events] == ["Responder 25", "Responder 26", "Responder 27"]
    assert [e.cursor for e in second.events] == [26, 27, 28]  # this store's cursors
    assert again.store is not None
    assert again.store.path == stored.path


def test_each_followed_receiver_has_a_store_of_its_own(tmp_path: Path) -> None:
    from dispatch_desktop.events.source import followed_store_name

    names = {
        followed_store_name(url)
        for url in ("https://a.example.com/events", "https://b.example.com/events")
    }
    assert len(names) == 2
    assert all(name.endswith(".sqlite3") and "/" not in name for name in names)


def test_a_followed_store_that_cannot_be_written_says_so_and_keeps_the_cursor(
    tmp_path: Path, shared: CallbackReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    from event_http import event_body

    from dispatch_desktop.events import EventStoreError

    assert post(shared.port, path_of(shared.callback_url), event_body(1)).status == 200
    failures = [True]

    def add_copies(store: EventStore, events: object, cursor: int) -> list[StoredEvent]:
        if failures:
            failures.clear()
            raise EventStoreError("The event store (x) could not store the followed events.")
        return real_add(store, events, cursor)  # type: ignore[arg-type]

    real_add = EventStore.add_copies
    monkeypatch.setattr(EventStore, "add_copies", add_copies)
    monkeypatch.setattr("dispatch_desktop.events.source.RETRY_SECONDS", 0.05)
    log = PollLog(monkeypatch)
    collector = Collector()
    source = following(shared, tmp_path, collector)
    try:
        collector.wait_for(1)
    finally:
        source.stop()
    assert any("cannot be stored" in status for status in collector.status)
    assert [after for after, _count in log.polls[:2]] == [0, 0]  # asked again from the start
    assert len(collector.events) == 1  # handed over once, once stored
