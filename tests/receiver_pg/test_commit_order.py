"""The commit-order trap: a transaction that drew a lower cursor commits after one that drew a
higher cursor; a follower that already read the higher one must still get the lower one.

pgstore.py draws cursors under a transaction-level advisory lock, and PostgreSQL makes a commit
visible before it releases that lock: a reader that sees cursor n sees every lower cursor that
will ever exist. The first test holds a transaction open on one node while the other writes; the
second shows the same scenario loses an event without the lock (what the lock is for); the third
runs concurrent writers on two receiver nodes while a follower reads the feed from both."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator

import pytest
from event_http import event_body, post
from nodes import feed_page

from dispatch_desktop.events import CallbackReceiver
from dispatch_desktop.events.model import JobEvent, StoredEvent, parse_callback
from dispatch_desktop.events.pgstore import PostgresEventStore

EVENTS_TOKEN = "events-token-0123456789"


@pytest.fixture
def two_nodes(pg_address: str) -> Iterator[tuple[PostgresEventStore, PostgresEventStore]]:
    first, second = PostgresEventStore(pg_address), PostgresEventStore(pg_address)
    yield first, second
    first.close()
    second.close()


def hold_open_after_insert(
    monkeypatch: pytest.MonkeyPatch, held: JobEvent
) -> tuple[threading.Event, threading.Event]:
    """Make the transaction that inserts ``held`` wait, its cursor drawn, until released."""
    import dispatch_desktop.events.pgstore as pgstore

    inserted, release = threading.Event(), threading.Event()
    real_insert = pgstore._insert

    def insert(connection, pending):  # type: ignore[no-untyped-def]
        outcome = real_insert(connection, pending)
        if pending.event is held:
            inserted.set()
            assert release.wait(30)
        return outcome

    monkeypatch.setattr(pgstore, "_insert", insert)
    return inserted, release


def follow_once_around_a_late_commit(
    two_nodes: tuple[PostgresEventStore, PostgresEventStore], monkeypatch: pytest.MonkeyPatch
) -> tuple[list[StoredEvent], list[StoredEvent]]:
    """Node 1 draws a cursor and waits; node 2 stores an event; a follower reads; node 1
    commits; the follower reads on from its cursor. What the follower read, what is stored."""
    first, second = two_nodes
    late, early = parse_callback(event_body(1)), parse_callback(event_body(2))
    inserted, release = hold_open_after_insert(monkeypatch, late)
    writers = [
        threading.Thread(target=first.add_event, args=(late,)),
        threading.Thread(target=second.add_event, args=(early,)),
    ]
    writers[0].start()
    assert inserted.wait(30)
    writers[1].start()
    writers[1].join(1.0)  # done at once without the lock; blocked behind node 1 with it
    seen = second.events_after(0)
    cursor = seen[-1].cursor if seen else 0
    release.set()
    for writer in writers:
        writer.join(30)
    seen += first.events_after(cursor)
    return seen, first.events_after(0)


def test_a_lower_cursor_committed_late_is_not_skipped(
    two_nodes: tuple[PostgresEventStore, PostgresEventStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen, stored = follow_once_around_a_late_commit(two_nodes, monkeypatch)
    assert len(stored) == 2
    assert seen == stored  # each once, in cursor order


def test_without_the_feed_lock_the_late_commit_is_skipped(
    two_nodes: tuple[PostgresEventStore, PostgresEventStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The trap is real: the same scenario with writers that do not take the lock."""
    monkeypatch.setattr("dispatch_desktop.events.pgstore._TAKE_FEED_LOCK", "SELECT %s")
    seen, stored = follow_once_around_a_late_commit(two_nodes, monkeypatch)
    assert len(stored) == 2
    assert [e.sendname for e in seen] == ["Responder 2"]  # Responder 1 lost to the follower


def test_concurrent_writers_on_two_nodes_and_a_follower_reading_both(
    two_nodes: tuple[PostgresEventStore, PostgresEventStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    import dispatch_desktop.events.pgstore as pgstore

    real_insert = pgstore._insert
    chance = random.Random(12)  # jitter, the same every run

    def insert(connection, pending):  # type: ignore[no-untyped-def]
        outcome = real_insert(connection, pending)
        time.sleep(chance.random() * 0.004)  # commits late, its cursor drawn
        return outcome

    monkeypatch.setattr(pgstore, "_insert", insert)
    senders, per_sender = 8, 40
    acknowledged: list[str] = []
    seen: list[dict] = []
    with (
        CallbackReceiver(two_nodes[0], serve_events=True, events_token=EVENTS_TOKEN) as one,
        CallbackReceiver(two_nodes[1], serve_events=True, events_token=EVENTS_TOKEN) as two,
    ):
        nodes = [one, two]
        writing = threading.Event()

        def send(sender: int) -> None:
            for n in range(per_sender):
                number = sender * 1000 + n
                node = nodes[(sender + n) % 2]
                answer = post(node.port, f"/callbacks/{node.token}", event_body(number))
                if answer.status == 200:
                    acknowledged.append(f"Responder {number}")

        def follow() -> None:
            cursor, turn = 0, 0
            while True:
                finished = not writing.is_set()  # read once more after the last write
                node = nodes[turn % 2]
                turn += 1
                page = feed_page(node.port, cursor, 7, EVENTS_TOKEN)
                seen.extend(page["events"])
                cursor = page["cursor"]
                if finished and not page["events"]:
                    return

        writing.set()
        threads = [threading.Thread(target=send, args=(s,)) for s in range(senders)]
        follower = threading.Thread(target=follow)
        for thread in [*threads, follower]:
            thread.start()
        for thread in threads:
            thread.join(60)
        writing.clear()
        follower.join(60)
    assert len(acknowledged) == senders * per_sender
    names = [event["sendname"] for event in seen]
    assert sorted(names) == sorted(acknowledged)  # every event once: none skipped, none twice
    cursors = [event["cursor"] for event in seen]
    assert cursors == sorted(cursors)
