"""Following a receiver of several nodes (one database, the same cursors): the addresses as
typed, and the move to the next node when one stops answering, losing and repeating nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from event_http import event_body, post
from test_event_source import Collector

from dispatch_desktop.events import CallbackReceiver, EventStore
from dispatch_desktop.events.config import (
    SourceConfig,
    SourceMode,
    check_follow_urls,
    follow_addresses,
)
from dispatch_desktop.events.source import EventSource, SourceError, followed_store_name

EVENTS_TOKEN = "events-token-0123456789"


def test_addresses_are_separated_by_spaces_or_commas_and_each_is_checked() -> None:
    text = " https://a.example.com, https://b.example.com:8443/events\thttp://127.0.0.1:9 "
    assert follow_addresses(text) == [
        "https://a.example.com",
        "https://b.example.com:8443/events",
        "http://127.0.0.1:9",
    ]
    assert check_follow_urls(text) == [
        "https://a.example.com/events",
        "https://b.example.com:8443/events",
        "http://127.0.0.1:9/events",
    ]
    with pytest.raises(ValueError, match=r"'http://b\.example\.com'.*plain http://"):
        check_follow_urls("https://a.example.com, http://b.example.com")
    with pytest.raises(ValueError, match="not a web address"):
        check_follow_urls(" , ")


def following(addresses: str, data_dir: Path, collector: Collector | None = None) -> EventSource:
    collector = collector or Collector()
    config = SourceConfig(SourceMode.FOLLOW, follow_url=addresses, follow_token=EVENTS_TOKEN)
    return EventSource(config, data_dir, collector.on_events, collector.on_status)


def test_the_copies_keep_the_store_of_the_first_address(tmp_path: Path) -> None:
    """Adding a second node to an address followed so far keeps its copies and cursor."""
    source = following("http://127.0.0.1:9 http://127.0.0.1:10", tmp_path)
    source.start()
    source.stop()
    assert source.store is not None
    assert source.store.path.name == followed_store_name("http://127.0.0.1:9/events")


def test_the_same_address_twice_is_refused(tmp_path: Path) -> None:
    source = following("http://127.0.0.1:9 http://127.0.0.1:9/events", tmp_path)
    with pytest.raises(SourceError, match="twice"):
        source.start()


def test_the_follower_moves_to_the_next_node_and_loses_and_repeats_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("dispatch_desktop.events.source.RETRY_SECONDS", 0.1)
    shared = EventStore(tmp_path / "shared" / "events.sqlite3")  # two nodes, one store
    first = CallbackReceiver(shared, serve_events=True, events_token=EVENTS_TOKEN).start()
    second = CallbackReceiver(shared, serve_events=True, events_token=EVENTS_TOKEN).start()
    asked: list[int] = []  # the cursors the followers ask after, at either node
    read = shared.events_after

    def events_after(after: int, *args: object, **kwargs: object) -> list:
        asked.append(after)
        return read(after, *args, **kwargs)

    monkeypatch.setattr(shared, "events_after", events_after)
    monitor = Collector()
    source = following(f"{first.base_url}, {second.base_url}", tmp_path / "desktop", monitor)
    try:
        for number in range(3):
            assert post(first.port, f"/callbacks/{first.token}", event_body(number)).status == 200
        source.start()
        monitor.wait_for(3, 20)
        third = shared.latest_cursor()
        first.stop()  # the follower's long poll at it ends with the node
        asked_before_the_move = len(asked)
        for number in range(3, 6):
            body = event_body(number)
            assert post(second.port, f"/callbacks/{second.token}", body).status == 200
        monitor.wait_for(6, 20)
    finally:
        source.stop()
        first.stop()
        second.stop()
        shared.close()
    # The next node is asked after the last event seen, not from the start: the copies'
    # fingerprints would hide a re-read from the check below.
    assert asked[asked_before_the_move:]
    assert min(asked[asked_before_the_move:]) == third
    # Once each, in order: nothing lost at the move, nothing repeated.
    assert [event.sendname for event in monitor.events] == [f"Responder {n}" for n in range(6)]
    assert f"Following job events from {first.base_url}" in monitor.status
    assert monitor.status[-1] == f"Following job events from {second.base_url}"
    assert not any("cannot be reached" in status for status in monitor.status)  # no pause
