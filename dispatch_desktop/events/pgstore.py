"""The event store in PostgreSQL: one database shared by any number of receiver nodes.

Needs ``psycopg`` 3 (the optional extra ``dispatch-desktop[server]``). ``docs/receiver-
postgresql.md`` is the operator's side of what follows.

Durability: a receiver answers 200 only after :meth:`PostgresEventStore.add_event` returned,
i.e. after PostgreSQL acknowledged the COMMIT. The writer connection runs with
``synchronous_commit`` on (raised from ``off`` if the server or role set it so): the commit
record is flushed to the WAL on disk (and to synchronous standbys, if configured) before the
acknowledgement. A connection lost during COMMIT leaves the outcome unknown: the caller gets an
error (503), the sender retries, and the UNIQUE fingerprint stores the event once.

Deduplication across nodes: every node inserts with ``ON CONFLICT (fingerprint) DO NOTHING``
(the same canonical-JSON fingerprint as the SQLite store), so a body resent to another node is
stored once.

The feed's cursor and the commit-order trap: cursors come from an identity column, and the
feed hands out ``cursor > after`` in cursor order. With free-running writers, a transaction
that took cursor 7 could commit after one that took 8; a follower that read 8 would move past
7 for ever. Here every writing transaction first takes one transaction-level advisory lock
(:data:`FEED_LOCK`) and only then draws cursors, so cursors are drawn in lock order, and
PostgreSQL makes a transaction visible to new snapshots *before* it releases its locks at
commit (``CommitTransaction``: ``ProcArrayEndTransaction`` precedes the release of locks). So
when a reader's snapshot sees cursor n, every transaction that drew a cursor below n has
already committed (and is in that snapshot) or rolled back (its cursors are gaps, never
filled). The price: writes of all nodes are serialized, one group commit at a time; each node
still writes every callback waiting at the same moment in one transaction
(bench/events.py measures it). tests/receiver_pg/test_commit_order.py proves it with
concurrent writers on two nodes.

What is stored: the body exactly as received (``raw``), its fingerprint and the arrival time.
The other fields are parsed from ``raw`` again when read: a text field may hold U+0000 (sent
escaped in the JSON), which a PostgreSQL ``text`` cannot, while the JSON text itself never
contains it. Cursors are ``bigint``, exact 64-bit integers (F1).

Wake-ups: each commit that stored something sends ``NOTIFY`` on :data:`CHANNEL` with the
newest cursor; :meth:`PostgresEventStore.watch` LISTENs on its own connection, so a long poll
on one node wakes when another node stores an event.

Faults: any database error fails the whole group being written (none of its callers may
acknowledge); the connection is dropped and the next write opens a new one. Reads use a few
pooled connections, each dropped on error.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict

from dispatch_desktop.events.backends import Publish
from dispatch_desktop.events.model import JobEvent, StoredEvent, parse_callback
from dispatch_desktop.events.store import EventStoreError, _PendingWrite, readable

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_SECONDS = 5
"""libpq's ``connect_timeout`` (whole seconds): a database that does not answer fails a write
in about this long, and the callback gets its 503."""
FEED_LOCK = 0x44495350_45564E54
"""The advisory lock key every writing transaction holds while it draws cursors ("DISPEVNT")."""
MIGRATION_LOCK = FEED_LOCK + 1
CHANNEL = "dispatch_events"
READERS = 8
"""Most reading connections of a node (the feed, the long polls, health checks), kept open
between reads: with the writer and the listener, a node uses at most 10 connections."""
READER_WAIT_SECONDS = 10.0
"""How long a read waits for a free reading connection before it fails (503)."""
LISTEN_ROUND_SECONDS = 0.5
"""How long the listener waits for notifications before it checks whether to stop."""
RECONNECT_SECONDS = 1.0

# _MIGRATIONS[n] brings the schema from version n to n + 1. Append, never edit.
_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """
        CREATE TABLE events (
            cursor bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            received_at timestamptz NOT NULL,
            fingerprint text NOT NULL UNIQUE,
            raw text NOT NULL
        )
        """,
        "CREATE INDEX events_by_received_at ON events (received_at)",
    ),
)
SCHEMA_VERSION = len(_MIGRATIONS)

_INSERT = (
    "INSERT INTO events (received_at, fingerprint, raw) VALUES (%s, %s, %s)"
    " ON CONFLICT (fingerprint) DO NOTHING RETURNING cursor"
)
_SELECT = "SELECT cursor, received_at, raw FROM events"
_TAKE_FEED_LOCK = "SELECT pg_advisory_xact_lock(%s)"
LOCK_TIMEOUT = "5s"
"""How long a write waits for the feed lock before it fails (a 503, retried by the sender)."""
IDLE_TIMEOUT = "15s"
"""How long the database keeps a writer's transaction that does nothing (its node died)."""


def check_address(address: str) -> dict[str, Any]:
    """The connection parameters of ``address`` (``postgresql://user@host/db``, or libpq's
    ``key=value`` form). Raises ``ValueError`` when it is malformed or holds a password: a
    password belongs in libpq's ``PGPASSFILE`` or ``PGPASSWORD``, never in a command line or a
    message. The error never repeats the address."""
    try:
        params = conninfo_to_dict(address)
    except psycopg.ProgrammingError:
        raise ValueError("The database address is not a valid PostgreSQL address.") from None
    if params.keys() & {"password", "sslpassword"}:  # the key's passphrase is one too
        raise ValueError(
            "The database address must not hold a password: give it through PGPASSFILE "
            "(a ~/.pgpass-style file) or PGPASSWORD."
        )
    return params


def describe(params: dict[str, Any]) -> str:
    """The database in words for the operator: user, host, port and name, no secret."""
    user = params.get("user", "(default user)")
    host = params.get("host", "(default host)")
    port = params.get("port", "5432")
    return f"PostgreSQL database {params.get('dbname', user)!s} as {user} on {host}:{port}"


def _schema_version(connection: psycopg.Connection[Any]) -> int:
    """The schema version of the database (0: none yet). Looked up, not created: a node of the
    current version needs no right to create tables."""
    found = connection.execute("SELECT to_regclass('dispatch_schema')").fetchone()
    if found is None or found[0] is None:
        return 0
    row = connection.execute("SELECT max(version) FROM dispatch_schema").fetchone()
    return 0 if row is None or row[0] is None else int(row[0])


def _stored(row: tuple[Any, ...]) -> StoredEvent:
    cursor, received_at, raw = row
    return StoredEvent.of(parse_callback(raw), cursor, received_at.astimezone(UTC))


class PostgresEventStore:
    """The job events in the PostgreSQL database at ``address`` (no password in it); the
    schema is created or migrated on construction (raises :class:`EventStoreError`)."""

    def __init__(self, address: str) -> None:
        try:
            self._params = check_address(address)
        except ValueError as exc:
            raise EventStoreError(str(exc)) from None
        self._params.setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
        self._params.setdefault("application_name", "dispatch-desktop-receiver")
        self.location = describe(self._params)
        self._writer: psycopg.Connection[Any] | None = None
        self._write_lock = threading.Lock()
        self._queue: list[_PendingWrite] = []
        self._queue_lock = threading.Lock()
        self._idle: list[psycopg.Connection[Any]] = []
        self._idle_lock = threading.Lock()
        self._readers = threading.BoundedSemaphore(READERS)
        self._closing = threading.Event()
        self._listener: threading.Thread | None = None
        self._migrate()

    def __repr__(self) -> str:
        return f"PostgresEventStore({self.location!r})"

    def _error(self, action: str, exc: BaseException) -> EventStoreError:
        return EventStoreError(f"The event store ({self.location}) could not {action}: {exc}")

    def _connect(self, *, autocommit: bool = True) -> psycopg.Connection[Any]:
        return psycopg.connect(**self._params, autocommit=autocommit)

    # -- schema ---------------------------------------------------------------------------

    def _migrate(self) -> None:
        """Create or upgrade the schema, one node at a time (an advisory lock)."""
        try:
            with self._connect() as connection, connection.transaction():
                connection.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
                version = _schema_version(connection)
                if version > SCHEMA_VERSION:
                    raise EventStoreError(
                        f"The event store ({self.location}) was written by a newer version "
                        f"(schema {version}); update this receiver."
                    )
                if version == SCHEMA_VERSION:
                    return
                for statements in _MIGRATIONS[version:]:
                    for statement in statements:
                        connection.execute(statement)
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS dispatch_schema (version integer NOT NULL)"
                )
                connection.execute("DELETE FROM dispatch_schema")
                connection.execute(
                    "INSERT INTO dispatch_schema (version) VALUES (%s)", (SCHEMA_VERSION,)
                )
        except psycopg.Error as exc:
            raise self._error("be opened", exc) from exc

    # -- writing --------------------------------------------------------------------------

    def add_event(self, event: JobEvent) -> tuple[StoredEvent, bool]:
        """Store ``event`` (see :class:`~dispatch_desktop.events.backends.ReceiverStore`);
        every caller waiting at the same moment is written in one transaction."""
        # Milliseconds, as the SQLite store keeps them: what is read back equals this.
        now = datetime.now(UTC)
        pending = _PendingWrite(event, now.replace(microsecond=now.microsecond // 1000 * 1000))
        with self._queue_lock:
            self._queue.append(pending)
        with self._write_lock:
            if not pending.done:  # else an earlier lock holder wrote it with its own
                with self._queue_lock:
                    batch, self._queue = self._queue, []
                self._write_batch(batch)
        if pending.error is not None:
            raise pending.error
        assert pending.result is not None
        return pending.result

    def _write_batch(self, batch: list[_PendingWrite]) -> None:
        try:
            results = self._commit(batch)
        except Exception as exc:  # the database's, or a bug: nothing is acknowledged
            if not isinstance(exc, psycopg.Error):
                log.exception("The event store failed unexpectedly")
            self._discard_writer()
            error = self._error("store the event", exc)
            for pending in batch:
                pending.finish(error=error)
            return
        for pending, result in zip(batch, results, strict=True):
            pending.finish(result=result)

    def _open_writer(self) -> psycopg.Connection[Any]:
        connection = self._connect(autocommit=False)
        try:
            # Off would acknowledge commits not yet on disk; any other level flushes.
            if connection.execute("SHOW synchronous_commit").fetchone() == ("off",):
                connection.execute("SET synchronous_commit = on")
            # A node that dies holding the feed lock keeps it until the database notices: the
            # others wait at most LOCK_TIMEOUT for it (then 503: the sender retries), and the
            # database ends a transaction left idle after IDLE_TIMEOUT, freeing the lock.
            connection.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
            connection.execute(f"SET idle_in_transaction_session_timeout = '{IDLE_TIMEOUT}'")
            connection.commit()
        except BaseException:
            connection.close()
            raise
        return connection

    def _commit(self, batch: list[_PendingWrite]) -> list[tuple[StoredEvent, bool]]:
        if self._writer is None:
            self._writer = self._open_writer()
        connection = self._writer
        results: list[tuple[StoredEvent, bool]] = []
        with connection.transaction():
            # Cursors are drawn under this lock: see the module's docstring.
            connection.execute(_TAKE_FEED_LOCK, (FEED_LOCK,))
            for pending in batch:
                results.append(_insert(connection, pending))
            newest = max((stored.cursor for stored, new in results if new), default=0)
            if newest:  # delivered at commit, to every node's listener
                connection.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(newest)))
        return results

    def _discard_writer(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            with suppress(psycopg.Error):
                writer.close()

    # -- reading --------------------------------------------------------------------------

    @contextmanager
    def _reader(self, action: str) -> Iterator[psycopg.Connection[Any]]:
        """A pooled autocommit connection (each statement sees the newest commits); one that
        failed is closed, not pooled again."""
        if not self._readers.acquire(timeout=READER_WAIT_SECONDS):
            raise EventStoreError(f"The event store ({self.location}) is busy: too many reads.")
        try:
            with self._pooled(action) as connection:
                yield connection
        finally:
            self._readers.release()

    @contextmanager
    def _pooled(self, action: str) -> Iterator[psycopg.Connection[Any]]:
        with self._idle_lock:
            connection = self._idle.pop() if self._idle else None
        try:
            if connection is None or connection.closed:
                connection = self._connect()
            yield connection
        except psycopg.Error as exc:
            if connection is not None:
                connection.close()
            self._drop_idle()  # after a restart of the database, all of them are broken
            raise self._error(action, exc) from exc
        except BaseException:
            if connection is not None:
                connection.close()
            raise
        with self._idle_lock:
            if not self._closing.is_set():
                self._idle.append(connection)
                return
        connection.close()

    def _drop_idle(self) -> None:
        with self._idle_lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()

    def events_after(self, cursor: int, limit: int = 100) -> list[StoredEvent]:
        if limit < 0:
            raise ValueError(f"The limit {limit} is negative.")
        events: list[StoredEvent] = []
        with self._reader("be read") as connection:
            # Page on until ``limit`` events: a page of rows that are not events (written by
            # hand) must not end the feed there, or every follower would ask for it for ever.
            while len(events) < limit:
                rows = connection.execute(
                    _SELECT + " WHERE cursor > %s ORDER BY cursor LIMIT %s", (cursor, limit)
                ).fetchall()
                if not rows:
                    break
                events += readable(rows, limit - len(events), _stored)
                cursor = rows[-1][0]
        return events

    def latest_cursor(self) -> int:
        with self._reader("be read") as connection:
            row = connection.execute("SELECT max(cursor) FROM events").fetchone()
        return 0 if row is None or row[0] is None else int(row[0])

    # -- wake-ups -------------------------------------------------------------------------

    def watch(self, publish: Publish) -> None:
        """LISTEN for the commits of every node in a background thread until :meth:`close`,
        reconnecting after a failure (then publishing the newest cursor: commits made while
        it was not listening)."""
        self._closing.clear()
        self._listener = threading.Thread(
            target=self._listen, args=(publish,), name="event-store-listener", daemon=True
        )
        self._listener.start()

    def _listen(self, publish: Publish) -> None:
        while not self._closing.is_set():
            try:
                with self._connect() as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self._publish_latest(connection, publish)
                    while not self._closing.is_set():
                        for notice in connection.notifies(timeout=LISTEN_ROUND_SECONDS):
                            with suppress(ValueError):  # a NOTIFY by hand
                                publish(int(notice.payload))
            except psycopg.Error as exc:
                log.warning("Not listening for new events (%s); retrying", exc)
                self._closing.wait(RECONNECT_SECONDS)

    @staticmethod
    def _publish_latest(connection: psycopg.Connection[Any], publish: Publish) -> None:
        row = connection.execute("SELECT max(cursor) FROM events").fetchone()
        if row is not None and row[0] is not None:
            publish(int(row[0]))

    def close(self) -> None:
        """Stop listening and close every connection; never waits for the database (a write
        under way ends on its own, with an error or its commit)."""
        self._closing.set()
        self._drop_idle()
        if self._write_lock.acquire(blocking=False):
            try:
                self._discard_writer()
            finally:
                self._write_lock.release()
        listener = self._listener
        if listener is not None:
            listener.join(LISTEN_ROUND_SECONDS * 4)


def _insert(
    connection: psycopg.Connection[Any], pending: _PendingWrite
) -> tuple[StoredEvent, bool]:
    """Insert one event unless its body is stored (by any node, or earlier in this
    transaction). A refused insert still uses up an identity value: cursors may have gaps,
    which the feed never relies on."""
    event = pending.event
    row = connection.execute(_INSERT, (pending.received_at, event.fingerprint, event.raw))
    inserted = row.fetchone()
    if inserted is not None:
        return StoredEvent.of(event, inserted[0], pending.received_at), True
    existing = connection.execute(
        _SELECT + " WHERE fingerprint = %s", (event.fingerprint,)
    ).fetchone()
    if existing is None:  # cannot happen: a conflict means the row is there
        raise EventStoreError("A refused event is not stored.")
    return _stored(existing), False
