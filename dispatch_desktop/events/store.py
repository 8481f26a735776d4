"""The event store: every job event the receiver acknowledged, in SQLite.

The receiver answers a callback with 200 only after :meth:`EventStore.add` has committed it:
the Dispatch server sends each event once and takes the 200 as "delivered" (3.1), and callbacks
are the only live source of job status (G6), so an acknowledged event must survive a killed
process and, as far as the disk allows, a power cut.

Durability: WAL with ``synchronous = FULL``. In WAL mode ``NORMAL`` already survives a killed
process (the commit is in the WAL file, in the OS cache), but not an OS crash or power loss,
which can roll back the last commits; ``FULL`` syncs the WAL at every commit. Events arrive at
human pace (a few per second at the most), so one fsync each costs nothing that matters.

A resent body (same canonical JSON, :attr:`JobEvent.fingerprint`) is stored once (UNIQUE).
Ids are SQLite INTEGERs (64-bit), exact above 2**53 (F1).

Thread safety: every method opens its own connection and closes it before returning (as the
launch journal does), so one :class:`EventStore` may be shared by any number of threads, and
processes; every method blocks on disk I/O.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import cast

from dispatch_desktop.events.model import JobEvent, StoredEvent
from dispatch_desktop.storage.sqlite import VersionedSqliteFile

"""How long a call waits for another thread or process that is writing."""

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

    def add(self, event: JobEvent) -> tuple[int, bool]:
        """Store ``event`` durably and return ``(cursor, is_new)``. A body stored before (a
        retry) is not stored again: its first cursor comes back with ``is_new`` False."""
        received_at = datetime.now(UTC).isoformat(timespec="milliseconds")
        fingerprint = event.fingerprint
        row = (
            received_at,
            fingerprint,
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
        )
        with self._connect("store the event") as connection:
            # IMMEDIATE takes the write lock before the look-up, so a concurrent copy of the
            # same body waits and then finds this one. (INSERT ... ON CONFLICT DO NOTHING would
            # do as well, but burns AUTOINCREMENT values, leaving gaps in the cursors.)
            connection.execute("BEGIN IMMEDIATE")
            existing = connection.execute(
                "SELECT cursor FROM events WHERE fingerprint = ?", (fingerprint,)
            ).fetchone()
            if existing is not None:
                connection.execute("ROLLBACK")
                return existing["cursor"], False
            cursor = connection.execute(
                "INSERT INTO events (received_at, fingerprint, jobid, eventtype, timestamp_ms,"
                " userid, jobtype, sendtaskid, sendname, contactid, agent, raw)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            connection.execute("COMMIT")  # synced to disk before the caller acknowledges
            # Every successful INSERT sets lastrowid.
            return cast(int, cursor.lastrowid), True

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
