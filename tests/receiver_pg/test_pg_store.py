"""The PostgreSQL event store on a real database: what it stores, once across nodes, exactly,
and what it refuses."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from event_http import REFERENCE_JOB_ID, event_body, post, request
from psycopg.conninfo import conninfo_to_dict

from dispatch_desktop.events import CallbackReceiver, EventStoreError, pgstore
from dispatch_desktop.events.model import parse_callback
from dispatch_desktop.events.pgstore import (
    _TAKE_FEED_LOCK,
    FEED_LOCK,
    SCHEMA_VERSION,
    PostgresEventStore,
    check_address,
)


@pytest.fixture
def node(pg_address: str):
    store = PostgresEventStore(pg_address)
    yield store
    store.close()


def test_a_body_sent_to_two_nodes_is_stored_once_with_exact_ids(pg_address: str) -> None:
    first, second = PostgresEventStore(pg_address), PostgresEventStore(pg_address)
    try:
        body = event_body(1, jobid=str(2**63 - 1))
        stored, is_new = first.add_event(parse_callback(body))
        again, again_new = second.add_event(parse_callback(body))  # a retry at the other node
        assert (is_new, again_new) == (True, False)
        assert again == stored  # the first copy, as stored (time in milliseconds)
        assert stored.jobid == 2**63 - 1  # exact, never through a float (F1)
        assert second.events_after(0) == [stored]
        assert first.latest_cursor() == second.latest_cursor() == stored.cursor
    finally:
        first.close()
        second.close()


def test_a_text_field_with_a_nul_character_is_stored_and_read_back(
    node: PostgresEventStore,
) -> None:
    """PostgreSQL's text cannot hold U+0000; the body (where it is escaped) can."""
    stored, _ = node.add_event(parse_callback(event_body(2, sendname="A\u0000B")))
    assert node.events_after(0)[0].sendname == "A\u0000B"
    assert node.events_after(0)[0] == stored


def test_the_feed_pages_in_cursor_order(node: PostgresEventStore) -> None:
    cursors = [node.add_event(parse_callback(event_body(n)))[0].cursor for n in range(5)]
    assert cursors == sorted(cursors)
    assert [e.cursor for e in node.events_after(cursors[1], limit=2)] == cursors[2:4]
    assert node.events_after(cursors[-1]) == []
    assert node.events_after(0, limit=500)[0].jobid == REFERENCE_JOB_ID


def test_a_row_written_by_hand_is_skipped(node: PostgresEventStore, pg_address: str) -> None:
    node.add_event(parse_callback(event_body(1)))
    with psycopg.connect(pg_address, autocommit=True) as connection:
        connection.execute(
            "INSERT INTO events (received_at, fingerprint, raw) VALUES (now(), 'x', 'not json')"
        )
    node.add_event(parse_callback(event_body(2)))
    assert [e.sendname for e in node.events_after(0)] == ["Responder 1", "Responder 2"]


def test_a_page_of_rows_written_by_hand_does_not_end_the_feed(
    node: PostgresEventStore, pg_address: str
) -> None:
    """More rows that are not events than a page holds, then an event: the follower gets the
    event (the feed stopped at the first page, and every follower asked for it for ever)."""
    with psycopg.connect(pg_address, autocommit=True) as connection:
        for number in range(5):
            connection.execute(
                "INSERT INTO events (received_at, fingerprint, raw) VALUES (now(), %s, 'x')",
                (f"by hand {number}",),
            )
    stored, _ = node.add_event(parse_callback(event_body(1)))
    assert node.events_after(0, limit=2) == [stored]


def test_the_schema_is_versioned_and_a_newer_one_is_refused(pg_address: str) -> None:
    PostgresEventStore(pg_address).close()
    PostgresEventStore(pg_address).close()  # a second node: nothing to migrate
    with psycopg.connect(pg_address, autocommit=True) as connection:
        assert connection.execute("SELECT version FROM dispatch_schema").fetchall() == [
            (SCHEMA_VERSION,)
        ]
        connection.execute("UPDATE dispatch_schema SET version = version + 1")
    with pytest.raises(EventStoreError, match="newer version"):
        PostgresEventStore(pg_address)


@pytest.mark.parametrize(
    "address",
    [
        "postgresql://dispatch:s3cret-pw@db.example.com/dispatch",
        "host=db.example.com user=dispatch password=s3cret-pw",
        # the passphrase of the client's TLS key is a secret too
        "postgresql://dispatch@db.example.com/dispatch?sslpassword=s3cret-pw",
    ],
)
def test_an_address_with_a_password_is_refused_without_repeating_it(address: str) -> None:
    with pytest.raises(ValueError, match="PGPASSFILE") as info:
        check_address(address)
    assert "s3cret-pw" not in str(info.value)
    with pytest.raises(EventStoreError) as store_info:
        PostgresEventStore(address)
    assert "s3cret-pw" not in str(store_info.value)


def test_a_database_that_does_not_exist_is_one_sentence(pg_cluster) -> None:
    with pytest.raises(EventStoreError, match="could not be opened"):
        PostgresEventStore(pg_cluster.address("no_such_database"))


def test_health_and_callbacks_of_a_receiver_on_postgresql(node: PostgresEventStore) -> None:
    with CallbackReceiver(node, serve_events=True) as receiver:
        assert request(receiver.port, "GET", "/health").body == b"OK\n"
        path = f"/callbacks/{receiver.token}"
        assert post(receiver.port, path, event_body(7)).status == 200
        assert post(receiver.port, path, event_body(7)).body == b"Already stored.\n"
        feed = request(
            receiver.port,
            "GET",
            "/events?after=0",
            headers={"Authorization": f"Bearer {receiver.events_token}"},
        ).json()
        assert [e["sendname"] for e in feed["events"]] == ["Responder 7"]


def test_a_node_uses_at_most_ten_connections_however_many_read(
    node: PostgresEventStore, pg_address: str
) -> None:
    """The database's max_connections is sized per node (docs/receiver-postgresql.md)."""
    node.add_event(parse_callback(event_body(1)))
    node.watch(lambda cursor: None)
    peak = 0
    reading = threading.Event()

    def read() -> None:
        while not reading.is_set():
            assert len(node.events_after(0)) == 1

    readers = [threading.Thread(target=read) for _ in range(40)]
    for reader in readers:
        reader.start()
    try:
        with psycopg.connect(pg_address, autocommit=True) as connection:
            for _ in range(50):
                (count,) = connection.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE application_name = 'dispatch-desktop-receiver'"
                ).fetchone()
                peak = max(peak, count)
                time.sleep(0.01)
    finally:
        reading.set()
        for reader in readers:
            reader.join(30)
    assert 3 <= peak <= 10  # readers, the writer, the listener


def test_a_node_needs_no_right_to_create_tables_once_the_schema_is_there(
    pg_cluster, pg_address: str
) -> None:
    """Operators may run nodes as a role that can only read and insert events."""
    PostgresEventStore(pg_address).close()  # the schema, made by its owner
    with psycopg.connect(pg_address, autocommit=True) as connection:
        connection.execute("CREATE ROLE dispatch_node LOGIN")
        connection.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        connection.execute("GRANT SELECT ON dispatch_schema TO dispatch_node")
        connection.execute("GRANT SELECT, INSERT ON events TO dispatch_node")
    dbname = conninfo_to_dict(pg_address)["dbname"]
    node = PostgresEventStore(pg_cluster.address(dbname, "dispatch_node"))
    try:
        stored, is_new = node.add_event(parse_callback(event_body(1)))
        assert is_new
        assert node.events_after(0) == [stored]
    finally:
        node.close()


def test_a_node_that_stalls_holding_the_feed_lock_does_not_stop_the_others(
    pg_address: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A node whose machine dies mid-write keeps the feed lock until the database notices. The
    others wait at most the lock timeout, fail (a 503: the sender retries), and write again once
    the database ends the stalled node's idle transaction; nothing acknowledged is lost."""
    monkeypatch.setattr(pgstore, "LOCK_TIMEOUT", "1s")  # 5 s and 15 s in service
    monkeypatch.setattr(pgstore, "IDLE_TIMEOUT", "3s")
    dead, node = PostgresEventStore(pg_address), PostgresEventStore(pg_address)
    stalled = dead._open_writer()  # the dead node's writer, as it connected
    try:
        stalled.execute(_TAKE_FEED_LOCK, (FEED_LOCK,))  # and never commits
        began = time.monotonic()
        with pytest.raises(EventStoreError):
            node.add_event(parse_callback(event_body(1)))
        assert time.monotonic() - began < 10  # not held for ever (it was: no timeout at all)
        deadline = time.monotonic() + 30
        while True:  # the database ends the stalled transaction and frees the lock
            try:
                stored, is_new = node.add_event(parse_callback(event_body(1)))
                break
            except EventStoreError:
                assert time.monotonic() < deadline, "the stalled node's lock was never freed"
                time.sleep(0.5)
        assert is_new
        assert node.events_after(0) == [stored]
    finally:
        stalled.close()
        node.close()
        dead.close()
