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

Thread safety: writes go through one long-lived connection under a lock; reads open their own
connection and close it (as the launch journal does). One :class:`EventStore` may be shared by
any number of threads, and the file by several processes; every method blocks on disk I/O.
:meth:`EventStore.close` closes the writer connection.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import UTC, datetime
from typing import cast

from dispatch_desktop.events.model import JobEvent, StoredEvent
from dispatch_desktop.storage.sqlite import VersionedSqliteFile, open_connection

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


class EventStoreError(Exception):
    """The event store could not be opened, read or written; the message names the file."""


def _stored(row: sqlite3.Row) -> StoredEvent:
    values = dict(row)
    values["received_at"] = datetime.fromisoformat(values["received_at"])
    return StoredEvent(**values)


class EventStore(VersionedSqliteFile):
    """The job events in the SQLite file ``path`` (created with its folder if missing)."""

    description = "event store"
    migrations = _MIGRATIONS
    error = EventStoreError

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(path)
        # Writes share one long-lived connection and are committed in groups: every caller
        # waiting at the same moment is written in one transaction with one sync, and each
        # gets its answer only once that sync is done (see :meth:`add_event`).
        self._writer: sqlite3.Connection | None = None
        self._write_lock = threading.Lock()
        self._queue: list[_PendingWrite] = []
        self._queue_lock = threading.Lock()

    def close(self) -> None:
        """Close the writer connection; a later write opens it again."""
        with self._write_lock:
            if self._writer is not None:
                self._writer.close()
                self._writer = None

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
        if pending.error is not None:
            raise pending.error
        assert pending.result is not None
        return pending.result

    def _writer_connection(self) -> sqlite3.Connection:
        if self._writer is None:
            self._writer = open_connection(self.path, check_same_thread=False)
        return self._writer

    def _write_batch(self, batch: list[_PendingWrite]) -> None:
        """Write ``batch`` in one transaction; every entry gets its result or the error."""
        try:
            connection = self._writer_connection()
            # IMMEDIATE takes the write lock before the look-ups, so another process writing
            # the same body waits and then finds this one.
            connection.execute("BEGIN IMMEDIATE")
            try:
                results = [_insert(connection, pending) for pending in batch]
                connection.execute("COMMIT")  # synced to disk before anyone acknowledges
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            error = EventStoreError(
                f"The event store ({self.path}) could not store the event: {exc}."
            )
            for pending in batch:
                pending.finish(error=error)
            self.close()
            return
        for pending, result in zip(batch, results, strict=True):
            pending.finish(result=result)

    def events_after(self, cursor: int, limit: int = 100) -> list[StoredEvent]:
        """At most ``limit`` events stored after ``cursor``, oldest first (0: from the start)."""
        if limit < 0:
            raise ValueError(f"The limit {limit} is negative.")
        with self._connect("be read") as connection:
            rows = connection.execute(
                _SELECT_EVENTS + " WHERE cursor > ? ORDER BY cursor LIMIT ?",
                (cursor, limit),
            ).fetchall()
        return [_stored(row) for row in rows]

    def event(self, cursor: int) -> StoredEvent | None:
        """The event stored at ``cursor``; ``None`` when there is none."""
        with self._connect("be read") as connection:
            row = connection.execute(_SELECT_EVENTS + " WHERE cursor = ?", (cursor,)).fetchone()
        return None if row is None else _stored(row)

    def events_for_job(self, jobid: int) -> list[StoredEvent]:
        """Every event of the job with runtime id ``jobid`` (a start's ``runtimeid``, F2),
        in order of arrival."""
        with self._connect("be searched") as connection:
            rows = connection.execute(
                _SELECT_EVENTS + " WHERE jobid = ? ORDER BY cursor",
                (jobid,),
            ).fetchall()
        return [_stored(row) for row in rows]

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
