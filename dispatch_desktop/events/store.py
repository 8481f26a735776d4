"""The event store: every job event the receiver acknowledged, in SQLite.

The receiver answers a callback with 200 only after :meth:`EventStore.add` has committed it:
the Dispatch server sends each event once and takes the 200 as "delivered" (3.1), and callbacks
are the only live source of job status (G6), so an acknowledged event must survive a killed
process and, as far as the disk allows, a power cut.

Durability: WAL with ``synchronous = FULL``. In WAL mode ``NORMAL`` already survives a killed
process (the commit is in the WAL file, in the OS cache), but not an OS crash or power loss,
which can roll back the last commits; ``FULL`` syncs the WAL at every commit. Writes are
committed in groups: the events of every handler waiting at the same moment go into one
transaction and one sync, and each handler answers only after it (bench/events.py).

A resent body (same canonical JSON, :attr:`JobEvent.fingerprint`) is stored once (UNIQUE).
Ids are SQLite INTEGERs (64-bit), exact above 2**53 (F1).

Faults: a write that fails (disk full, the file locked past the busy timeout by a backup or an
admin's shell, a read-only file system, an I/O error) raises :class:`EventStoreError` to every
caller of its group, none of whom may acknowledge; the writer connection is dropped and the next
write opens a new one, so writes succeed again as soon as the cause is gone. An event that
fails alone (a bug, a constraint) fails alone: the rest of its group is still stored. Reading
skips (and logs) a row that is not an event, e.g. one written by hand.

Thread safety: writes go through one long-lived connection under a lock; reads open their own
connection and close it (as the launch journal does). One :class:`EventStore` may be shared by
any number of threads, and the file by several processes; every method blocks on disk I/O, for
at most about the busy timeout when another process holds the file's lock.
:meth:`EventStore.close` closes the writer connection and never waits for the disk.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from typing import Any, cast

from dispatch_desktop.events.model import InvalidEvent, JobEvent, StoredEvent
from dispatch_desktop.storage.sqlite import (
    BUSY_TIMEOUT_SECONDS,
    VersionedSqliteFile,
    open_connection,
)

log = logging.getLogger(__name__)

# _MIGRATIONS[n] brings a store from schema version n to n + 1. Append, never edit.
_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        # AUTOINCREMENT: a cursor is never reused, even after rows are deleted by hand, so a
        # follower's position stays meaningful.
        """
        CREATE TABLE events (
            cursor INTEGER PRIMARY KEY AUTOINCREMENT,
            received_at TEXT NOT NULL,
            fingerprint TEXT NOT NULL UNIQUE,
            jobid INTEGER CHECK (jobid IS NULL OR typeof(jobid) = 'integer'),
            eventtype TEXT NOT NULL,
            timestamp_ms INTEGER CHECK (timestamp_ms IS NULL OR typeof(timestamp_ms) = 'integer'),
            userid INTEGER CHECK (userid IS NULL OR typeof(userid) = 'integer'),
            jobtype TEXT,
            sendtaskid INTEGER CHECK (sendtaskid IS NULL OR typeof(sendtaskid) = 'integer'),
            sendname TEXT,
            contactid INTEGER CHECK (contactid IS NULL OR typeof(contactid) = 'integer'),
            agent TEXT,
            raw TEXT NOT NULL
        )
        """,
        "CREATE INDEX events_by_jobid ON events (jobid)",
    ),
)
SCHEMA_VERSION = len(_MIGRATIONS)

# The columns of StoredEvent, in its order (every column but the fingerprint).
_SELECT_EVENTS = (
    "SELECT cursor, received_at, jobid, eventtype, timestamp_ms, userid, jobtype, sendtaskid,"
    " sendname, contactid, agent, raw FROM events"
)


# Errors of the file or the disk, not of one event: the whole transaction is lost with them
# (SQLite may already have rolled it back), so the whole group fails. Any other error while
# one event is inserted is that event's alone.
_STORAGE_ERRORS = (sqlite3.OperationalError, sqlite3.InternalError)


class EventStoreError(Exception):
    """The event store could not be opened, read or written; the message names the file."""


def _is_storage_error(error: BaseException) -> bool:
    # A bare DatabaseError is SQLite's word for a damaged file ("disk image is malformed").
    return isinstance(error, _STORAGE_ERRORS) or type(error) is sqlite3.DatabaseError


def _text(value: Any) -> Any:
    """A TEXT column read as bytes (see :meth:`EventStore._reader`), decoded."""
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _stored(row: sqlite3.Row) -> StoredEvent:
    """The event of a row; :class:`InvalidEvent` when the row is not one (written by hand, or
    damaged): the same checks as an event a follower receives."""
    try:
        values = {name: _text(value) for name, value in dict(row).items()}
    except UnicodeDecodeError as exc:
        raise InvalidEvent("A text column is not UTF-8.") from exc
    return StoredEvent.from_wire(values)


def _readable(rows: Iterable[sqlite3.Row], limit: int | None = None) -> list[StoredEvent]:
    """The events of ``rows`` (at most ``limit``), skipping, with a warning, every row that is
    not one; ``rows`` is read lazily, so skipped rows do not count towards ``limit``."""
    events: list[StoredEvent] = []
    for row in rows:
        if limit is not None and len(events) >= limit:
            break
        try:
            events.append(_stored(row))
        except InvalidEvent as exc:
            log.warning("Skipped the stored row %s, which is not an event: %s", row[0], exc)
    return events


class EventStore(VersionedSqliteFile):
    """The job events in the SQLite file ``path`` (created with its folder if missing).

    ``busy_timeout``: seconds a call waits while another connection (a backup, an admin's
    ``sqlite3`` shell, another receiver) holds the file's lock, before it fails."""

    description = "event store"
    migrations = _MIGRATIONS
    error = EventStoreError

    def __init__(
        self, path: str | os.PathLike[str], *, busy_timeout: float = BUSY_TIMEOUT_SECONDS
    ) -> None:
        self.busy_timeout = busy_timeout
        super().__init__(path)
        # Writes share one long-lived connection and are committed in groups: every caller
        # waiting at the same moment is written in one transaction with one sync, and each
        # gets its answer only once that sync is done (see :meth:`add_event`).
        self._writer: sqlite3.Connection | None = None
        self._write_lock = threading.Lock()
        self._queue: list[_PendingWrite] = []
        self._queue_lock = threading.Lock()
        self._close_requested = False

    def close(self) -> None:
        """Close the writer connection; a later write opens it again. Never waits for the
        disk: a write under way (e.g. waiting for a lock) is interrupted, fails (no caller of
        it acknowledges) and closes the connection itself."""
        if self._write_lock.acquire(blocking=False):
            try:
                self._discard_writer()
            finally:
                self._write_lock.release()
            return
        self._close_requested = True
        writer = self._writer
        if writer is not None:
            with suppress(sqlite3.Error):  # closed meanwhile
                writer.interrupt()

    def _discard_writer(self) -> None:
        """Close the writer connection (under the write lock); after a failure its state is
        unknown, and a new one sees the file as it is now (e.g. writable again)."""
        self._close_requested = False
        writer, self._writer = self._writer, None
        if writer is not None:
            with suppress(sqlite3.Error):
                writer.close()

    @contextmanager
    def _connect(self, action: str) -> Iterator[sqlite3.Connection]:
        with super()._connect(action) as connection:
            # PRAGMA takes no bound parameters; the value is our own integer.
            connection.execute(f"PRAGMA busy_timeout = {round(self.busy_timeout * 1000)}")
            yield connection

    @contextmanager
    def _reader(self, action: str) -> Iterator[sqlite3.Connection]:
        """A connection for reading events: TEXT comes back as bytes, so that a row with
        invalid UTF-8 (written by hand) is skipped alone instead of failing the whole read."""
        with self._connect(action) as connection:
            connection.text_factory = bytes
            yield connection

    def add(self, event: JobEvent) -> tuple[int, bool]:
        """Store ``event`` durably and return ``(cursor, is_new)``. A body stored before (a
        retry) is not stored again: its first cursor comes back with ``is_new`` False."""
        stored, is_new = self.add_event(event)
        return stored.cursor, is_new

    def add_event(self, event: JobEvent) -> tuple[StoredEvent, bool]:
        """:meth:`add`, returning the stored event itself (what listeners are given)."""
        pending = _PendingWrite(event, datetime.now(UTC))
        with self._queue_lock:
            self._queue.append(pending)
        with self._write_lock:
            # The first caller to get the lock writes everything queued so far; the others
            # find their write done when they get it in turn.
            if not pending.done:
                with self._queue_lock:
                    batch, self._queue = self._queue, []
                self._write_batch(batch)
            if self._close_requested:
                self._discard_writer()
        if pending.error is not None:
            raise pending.error
        assert pending.result is not None
        return pending.result

    def _open_writer(self) -> sqlite3.Connection:
        """The writer connection (tests wrap it to inject faults SQLite cannot be made to
        produce on demand, such as a full disk)."""
        connection = open_connection(self.path, check_same_thread=False)
        try:
            connection.execute(f"PRAGMA busy_timeout = {round(self.busy_timeout * 1000)}")
        except BaseException:
            connection.close()
            raise
        return connection

    def _write_batch(self, batch: list[_PendingWrite]) -> None:
        """Write ``batch`` in one transaction; every entry gets its result or an error, come
        what may (a caller left without either would wait for ever)."""
        try:
            self._commit(batch)
        except Exception as exc:  # SQLite's, or a bug: either way, nothing is acknowledged
            if not isinstance(exc, sqlite3.Error):
                log.exception("The event store failed unexpectedly")
            self._discard_writer()
            error = EventStoreError(
                f"The event store ({self.path}) could not store the event: {exc}."
            )
            for pending in batch:
                if not pending.done:
                    pending.finish(error=error)

    def _commit(self, batch: list[_PendingWrite]) -> None:
        if self._writer is None:
            self._writer = self._open_writer()
        connection = self._writer
        # IMMEDIATE takes the write lock before the look-ups, so another process writing
        # the same body waits and then finds this one.
        connection.execute("BEGIN IMMEDIATE")
        try:
            outcomes = [self._insert_alone(connection, pending) for pending in batch]
            connection.execute("COMMIT")  # synced to disk before anyone acknowledges
        except BaseException:
            if connection.in_transaction:
                with suppress(sqlite3.Error):  # the connection is dropped anyway
                    connection.execute("ROLLBACK")
            raise
        for pending, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, EventStoreError):
                pending.finish(error=outcome)
            else:
                pending.finish(result=outcome)

    def _insert_alone(
        self, connection: sqlite3.Connection, pending: _PendingWrite
    ) -> tuple[StoredEvent, bool] | EventStoreError:
        """Insert one event of a group, inside a savepoint: an error of this event alone undoes
        this event alone, and the rest of the group is still committed. An error of the file
        or the disk is raised: it fails the whole group."""
        connection.execute("SAVEPOINT event")
        try:
            outcome = _insert(connection, pending)
        except Exception as exc:
            if _is_storage_error(exc):
                raise
            log.exception("The event store could not store one event of a group")
            connection.execute("ROLLBACK TO event")
            connection.execute("RELEASE event")
            return EventStoreError(
                f"The event store ({self.path}) could not store the event: {exc}."
            )
        connection.execute("RELEASE event")
        return outcome

    def events_after(self, cursor: int, limit: int = 100) -> list[StoredEvent]:
        """At most ``limit`` events stored after ``cursor``, oldest first (0: from the start).
        Rows that are not events are skipped (and logged)."""
        if limit < 0:
            raise ValueError(f"The limit {limit} is negative.")
        with self._reader("be read") as connection:
            rows = connection.execute(
                _SELECT_EVENTS + " WHERE cursor > ? ORDER BY cursor", (cursor,)
            )
            return _readable(rows, limit)

    def event(self, cursor: int) -> StoredEvent | None:
        """The event stored at ``cursor``; ``None`` when there is none (or its row is not
        an event)."""
        with self._reader("be read") as connection:
            rows = connection.execute(_SELECT_EVENTS + " WHERE cursor = ?", (cursor,))
            events = _readable(rows)
        return events[0] if events else None

    def events_for_job(self, jobid: int) -> list[StoredEvent]:
        """Every event of the job with runtime id ``jobid`` (a start's ``runtimeid``, F2),
        in order of arrival."""
        with self._reader("be searched") as connection:
            rows = connection.execute(
                _SELECT_EVENTS + " WHERE jobid = ? ORDER BY cursor",
                (jobid,),
            )
            return _readable(rows)

    def latest_cursor(self) -> int:
        """The cursor of the newest event; 0 when the store is empty."""
        with self._connect("be read") as connection:
            row = connection.execute("SELECT max(cursor) FROM events").fetchone()
        return row[0] or 0


class _PendingWrite:
    """One caller's event, waiting in the group-commit queue."""

    def __init__(self, event: JobEvent, received_at: datetime) -> None:
        self.event = event
        self.received_at = received_at
        self.done = False
        self.result: tuple[StoredEvent, bool] | None = None
        self.error: EventStoreError | None = None

    def finish(
        self,
        result: tuple[StoredEvent, bool] | None = None,
        error: EventStoreError | None = None,
    ) -> None:
        self.result, self.error, self.done = result, error, True


def _insert(connection: sqlite3.Connection, pending: _PendingWrite) -> tuple[StoredEvent, bool]:
    """Insert one event unless the same body is stored (also earlier in this transaction).

    The UNIQUE fingerprint refuses a copy; the refused statement alone is undone, cursor
    sequence included, so cursors have no gaps (INSERT ... ON CONFLICT DO NOTHING would burn
    AUTOINCREMENT values). Trying the INSERT first spares new events, nearly all of them, a
    look-up."""
    event = pending.event
    received_at = pending.received_at.isoformat(timespec="milliseconds")
    try:
        cursor = connection.execute(
            "INSERT INTO events (received_at, fingerprint, jobid, eventtype, timestamp_ms,"
            " userid, jobtype, sendtaskid, sendname, contactid, agent, raw)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                received_at,
                event.fingerprint,
                event.jobid,
                event.eventtype,
                event.timestamp_ms,
                event.userid,
                event.jobtype,
                event.sendtaskid,
                event.sendname,
                event.contactid,
                event.agent,
                event.raw,
            ),
        ).lastrowid
    except sqlite3.IntegrityError:
        existing = connection.execute(
            _SELECT_EVENTS + " WHERE fingerprint = ?", (event.fingerprint,)
        ).fetchone()
        if existing is None:  # another constraint failed: a real error
            raise
        return _stored(existing), False
    stored = StoredEvent(
        cursor=cast(int, cursor),  # every successful INSERT sets lastrowid
        received_at=datetime.fromisoformat(received_at),
        jobid=event.jobid,
        eventtype=event.eventtype,
        timestamp_ms=event.timestamp_ms,
        userid=event.userid,
        jobtype=event.jobtype,
        sendtaskid=event.sendtaskid,
        sendname=event.sendname,
        contactid=event.contactid,
        agent=event.agent,
        raw=event.raw,
    )
    return stored, True
