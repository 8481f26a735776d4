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

import gc
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any, NamedTuple, cast

from dispatch_desktop.events.model import (
    InvalidEvent,
    JobEvent,
    StoredEvent,
    TimelineEntry,
    copy_fingerprint,
)
from dispatch_desktop.storage.sqlite import (
    BUSY_TIMEOUT_SECONDS,
    VersionedSqliteFile,
    open_connection,
)
from dispatch_desktop.translation_marks import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

# A row the monitor reads as an event (what :func:`_stored` accepts, as far as SQL can tell:
# text where text belongs, an arrival time with its UTC offset, a timestamp of 2000-2100). A
# row written by hand that fails it is skipped, and counted so it can be logged. It and
# _EVENT_MS are part of schema 2 (its trigger): a change needs a migration that recreates it.
_VALID_ROW = """(
    typeof(eventtype) = 'text' AND typeof(raw) = 'text'
    AND typeof(received_at) = 'text'
    AND received_at GLOB '????-??-??T*[+-][0-9][0-9]:[0-9][0-9]'
    AND julianday(received_at) IS NOT NULL
    AND typeof(jobtype) IN ('text', 'null')
    AND typeof(sendname) IN ('text', 'null')
    AND typeof(agent) IN ('text', 'null')
    AND (timestamp_ms IS NULL OR timestamp_ms BETWEEN 946684800000 AND 4102444799999)
)"""
# When an event happened, in UNIX milliseconds: the Dispatch server's timestamp, else the
# arrival (exact: SQLite keeps times as whole milliseconds).
_EVENT_MS = (
    "coalesce(timestamp_ms, CAST(round((julianday(received_at) - 2440587.5) * 86400000.0)"
    " AS INTEGER))"
)
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
    # The monitor at scale (a year of events): the first event time of every job, kept by a
    # trigger, lists the newest jobs without reading their events; arrival times index the
    # retention's pruning; a followed receiver's cursor is kept with the copies of its events.
    (
        """
        CREATE TABLE jobs (
            jobid INTEGER PRIMARY KEY,
            first_ms INTEGER NOT NULL
        )
        """,
        "CREATE INDEX jobs_by_first_ms ON jobs (first_ms)",
        f"""
        CREATE TRIGGER events_first_of_job AFTER INSERT ON events
        WHEN NEW.jobid IS NOT NULL
        BEGIN
            INSERT INTO jobs (jobid, first_ms)
            SELECT jobid, {_EVENT_MS} FROM events WHERE cursor = NEW.cursor AND {_VALID_ROW}
            ON CONFLICT (jobid) DO UPDATE SET first_ms = min(first_ms, excluded.first_ms);
        END
        """,  # noqa: S608 - our own constants
        f"""
        INSERT INTO jobs (jobid, first_ms)
        SELECT jobid, min({_EVENT_MS}) FROM events
        WHERE jobid IS NOT NULL AND {_VALID_ROW}
        GROUP BY jobid
        """,  # noqa: S608 - our own constants
        "CREATE INDEX events_by_received_at ON events (received_at)",
        """
        CREATE TABLE followed (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            cursor INTEGER NOT NULL CHECK (typeof(cursor) = 'integer')
        )
        """,
    ),
    # A 20,000-event timeline read in one index range, in time order, without touching the
    # table (issue 9: ≤ 100 ms): each row's event time is kept beside it, NULL for a row that
    # is not an event, and a covering index holds what a timeline shows. It also serves every
    # look-up by job, so the plain job index goes.
    (
        "ALTER TABLE events ADD COLUMN event_ms INTEGER",
        f"UPDATE events SET event_ms = {_EVENT_MS} WHERE {_VALID_ROW}",  # noqa: S608
        "CREATE INDEX events_timeline ON events"
        " (jobid, event_ms, cursor, eventtype, sendname, contactid, agent)",
        "DROP INDEX events_by_jobid",
        f"""
        CREATE TRIGGER events_time_of_event AFTER INSERT ON events
        BEGIN
            UPDATE events SET event_ms = {_EVENT_MS} WHERE cursor = NEW.cursor AND {_VALID_ROW};
        END
        """,  # noqa: S608 - our own constants
    ),
)
SCHEMA_VERSION = len(_MIGRATIONS)

_JOB_SUMMARY = f"""
    SELECT count(*), sum(eventtype = 'JOB_ASSIGN'),
        min(CASE WHEN eventtype = 'JOB_START' THEN {_EVENT_MS} END),
        min(CASE WHEN eventtype = 'JOB_FINISH' THEN {_EVENT_MS} END),
        min({_EVENT_MS}),
        (SELECT jobtype FROM events WHERE jobid = :jobid AND cursor <= :through
            AND jobtype <> '' AND {_VALID_ROW} ORDER BY cursor DESC LIMIT 1),
        (SELECT sendname FROM events WHERE jobid = :jobid AND cursor <= :through
            AND eventtype = 'JOB_ASSIGN' AND sendname <> '' AND {_VALID_ROW}
            ORDER BY cursor DESC LIMIT 1),
        (SELECT count(*) FROM events WHERE jobid = :jobid AND cursor <= :through
            AND NOT {_VALID_ROW})
    FROM events WHERE jobid = :jobid AND cursor <= :through AND {_VALID_ROW}
"""  # noqa: S608 - our own constants
# event_ms is set (by a trigger, from the row as written) only for a row that is an event.
_TIMELINE = """
    SELECT cursor, eventtype, event_ms, sendname, contactid, agent FROM events
    WHERE jobid = ? AND event_ms IS NOT NULL AND cursor <= ? ORDER BY event_ms, cursor
"""
# The same rows as one JSON document: SQLite makes it in one step, without the interpreter
# lock, where fetching 20,000 rows one by one takes and gives the lock back 20,000 times and
# the GUI thread, taking it in between, slows the read two- to threefold (bench/monitor.py).
_TIMELINE_DOCUMENT = f"""
    SELECT json_group_array(json_array(cursor, eventtype, event_ms, sendname, contactid, agent))
    FROM ({_TIMELINE})
"""  # noqa: S608 - our own constant
_NOT_EVENTS_OF_JOB = (
    "SELECT count(*) FROM events WHERE jobid = ? AND event_ms IS NULL AND cursor <= ?"
)
PRUNE_BATCH = 5000
"""Events deleted per transaction when pruning: each holds the write lock only briefly, so the
receiver's callbacks wait little for it."""

# The columns of StoredEvent, in its order (every column but the fingerprint).
_SELECT_EVENTS = (
    "SELECT cursor, received_at, jobid, eventtype, timestamp_ms, userid, jobtype, sendtaskid,"
    " sendname, contactid, agent, raw FROM events"
)


# Errors of the file or the disk, not of one event: the whole transaction is lost with them
# (SQLite may already have rolled it back), so the whole group fails. Any other error while
# one event is inserted is that event's alone.
_STORAGE_ERRORS = (sqlite3.OperationalError, sqlite3.InternalError)


_STORE_THE_EVENT = QT_TRANSLATE_NOOP("Library", "store the event")


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


def readable(
    rows: Iterable[Sequence[Any]],
    limit: int | None = None,
    parse: Callable[[Any], StoredEvent] | None = None,
) -> list[StoredEvent]:
    """The events of ``rows`` (at most ``limit``), each made by ``parse`` (default: from a row
    of this store), skipping, with a warning, every row that is not one; ``rows`` is read
    lazily, so skipped rows do not count towards ``limit``. Every row starts with its cursor."""
    events: list[StoredEvent] = []
    parse = parse or _stored
    for row in rows:
        if limit is not None and len(events) >= limit:
            break
        try:
            events.append(parse(row))
        except InvalidEvent as exc:
            log.warning("Skipped the stored row %s, which is not an event: %s", row[0], exc)
    return events


class EventStore(VersionedSqliteFile):
    """The job events in the SQLite file ``path`` (created with its folder if missing).

    ``busy_timeout``: seconds a call waits while another connection (a backup, an admin's
    ``sqlite3`` shell, another receiver) holds the file's lock, before it fails."""

    migrations = _MIGRATIONS
    error = EventStoreError
    folder_failed = QT_TRANSLATE_NOOP(
        "Library", "The folder of the event store (%1) could not be created: %2."
    )
    open_failed = QT_TRANSLATE_NOOP("Library", "The event store (%1) could not be opened: %2.")
    action_failed = QT_TRANSLATE_NOOP("Library", "The event store (%1) could not %2: %3.")
    too_new = QT_TRANSLATE_NOOP(
        "Library",
        "The event store (%1) was written by a newer version of Dispatch Desktop (schema %2, "
        "this version knows %3); update Dispatch Desktop to read it.",
    )

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

    @property
    def location(self) -> str:
        """The file, for the operator."""
        return str(self.path)

    def watch(self, publish: Callable[[int], None]) -> None:
        """Nothing: the receiver publishes its own commits, the only ones it serves promptly
        (another process writing the same file wakes no long poll here)."""

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
            error = self.failure(_STORE_THE_EVENT, exc)
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
            return self.failure(_STORE_THE_EVENT, exc)
        connection.execute("RELEASE event")
        return outcome

    def events_after(self, cursor: int, limit: int = 100) -> list[StoredEvent]:
        """At most ``limit`` events stored after ``cursor``, oldest first (0: from the start).
        Rows that are not events are skipped (and logged)."""
        if limit < 0:
            raise ValueError(f"The limit {limit} is negative.")
        with self._reader(QT_TRANSLATE_NOOP("Library", "be read")) as connection:
            rows = connection.execute(
                _SELECT_EVENTS + " WHERE cursor > ? ORDER BY cursor", (cursor,)
            )
            return readable(rows, limit)

    def event(self, cursor: int) -> StoredEvent | None:
        """The event stored at ``cursor``; ``None`` when there is none (or its row is not
        an event)."""
        with self._reader(QT_TRANSLATE_NOOP("Library", "be read")) as connection:
            rows = connection.execute(_SELECT_EVENTS + " WHERE cursor = ?", (cursor,))
            events = readable(rows)
        return events[0] if events else None

    def events_for_job(self, jobid: int) -> list[StoredEvent]:
        """Every event of the job with runtime id ``jobid`` (a start's ``runtimeid``, F2),
        in order of arrival."""
        with self._reader(QT_TRANSLATE_NOOP("Library", "be searched")) as connection:
            rows = connection.execute(
                _SELECT_EVENTS + " WHERE jobid = ? ORDER BY cursor",
                (jobid,),
            )
            return readable(rows)

    def latest_cursor(self) -> int:
        """The cursor of the newest event; 0 when the store is empty."""
        with self._connect(QT_TRANSLATE_NOOP("Library", "be read")) as connection:
            row = connection.execute("SELECT max(cursor) FROM events").fetchone()
        return row[0] or 0

    # -- the monitor's queries: by job, by time -----------------------------------------------

    @contextmanager
    def _snapshot(self, action: str) -> Iterator[tuple[sqlite3.Connection, int]]:
        """A reading connection inside one read transaction (every query sees the same
        moment, however many writers commit meanwhile), and the newest cursor then."""
        with self._reader(action) as connection:
            connection.execute("BEGIN")
            try:
                row = connection.execute("SELECT max(cursor) FROM events").fetchone()
                yield connection, row[0] or 0
            finally:
                connection.execute("COMMIT")

    def newest_jobs(self, limit: int, before: JobKey | None = None) -> list[JobKey]:
        """The jobs whose first event is the newest, newest first: at most ``limit``, older
        than ``before`` when given (the last of the previous page)."""
        with self._connect(QT_TRANSLATE_NOOP("Library", "be read")) as connection:
            if before is None:
                rows = connection.execute(
                    "SELECT first_ms, jobid FROM jobs ORDER BY first_ms DESC, jobid DESC LIMIT ?",
                    (limit,),
                )
            else:
                rows = connection.execute(
                    "SELECT first_ms, jobid FROM jobs WHERE first_ms < ?"
                    " OR (first_ms = ? AND jobid < ?)"
                    " ORDER BY first_ms DESC, jobid DESC LIMIT ?",
                    (before.first_ms, before.first_ms, before.jobid, limit),
                )
            return [JobKey(first_ms, jobid) for first_ms, jobid in rows]

    def job_summaries(
        self, jobids: Iterable[int], before: int | None = None
    ) -> tuple[dict[int, JobSummary], int]:
        """What the events of each job in ``jobids`` add up to, and the cursor they run
        ``through``: every event stored up to it is counted (the newest now; with ``before``,
        the events stored before that cursor). A job without events has no summary; rows that
        are not events are left out and logged."""
        summaries: dict[int, JobSummary] = {}
        with self._snapshot(QT_TRANSLATE_NOOP("Library", "be read")) as (connection, newest):
            through = newest if before is None else min(newest, before - 1)
            for jobid in jobids:
                row = connection.execute(_JOB_SUMMARY, {"jobid": jobid, "through": through})
                summary = _summary(jobid, row.fetchone())
                if summary is not None:
                    summaries[jobid] = summary
        return summaries, through

    def timeline(self, jobid: int) -> tuple[list[TimelineEntry], int]:
        """Every event of the job with runtime id ``jobid`` as timeline entries, in time order
        (then arrival), and the cursor they run through (the newest when read). Rows that are
        not events are left out and logged."""
        reading = self._snapshot(QT_TRANSLATE_NOOP("Library", "be read"))
        with reading as (connection, through), _collector_paused():
            (document,) = connection.execute(_TIMELINE_DOCUMENT, (jobid, through)).fetchone()
            try:
                rows = _timeline_rows(document)
            except ValueError:  # a text that is not UTF-8 (a row edited by hand): row by row
                rows = _decoded(connection.execute(_TIMELINE, (jobid, through)).fetchall())
            (skipped,) = connection.execute(_NOT_EVENTS_OF_JOB, (jobid, through)).fetchone()
            entries = _timeline_entries(rows)
        skipped += len(rows) - len(entries)
        if skipped:
            log.warning("Skipped %d stored rows of job %s that are not events.", skipped, jobid)
        return entries, through

    # -- copies of a followed receiver's events ------------------------------------------------

    def follow_cursor(self) -> int:
        """The followed receiver's cursor stored with the copies of its events (0: none yet):
        the next poll asks for what it stored after it."""
        with self._connect(QT_TRANSLATE_NOOP("Library", "be read")) as connection:
            row = connection.execute("SELECT cursor FROM followed WHERE id = 1").fetchone()
        return 0 if row is None else row[0]

    def add_copies(self, events: Iterable[StoredEvent], cursor: int) -> list[StoredEvent]:
        """Store copies of ``events``, read from a followed receiver, and that receiver's
        ``cursor`` after them, in one durable transaction; return the copies new here, with
        this store's cursors. An event copied before (the same fields and body, see
        :func:`copy_fingerprint`) is not stored again."""
        added: list[StoredEvent] = []
        with self._connect(QT_TRANSLATE_NOOP("Library", "store the followed events")) as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                for event in events:
                    copy = _copy(connection, event)
                    if copy is not None:
                        added.append(copy)
                connection.execute(
                    "INSERT INTO followed (id, cursor) VALUES (1, ?)"
                    " ON CONFLICT (id) DO UPDATE SET cursor = excluded.cursor",
                    (cursor,),
                )
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
        return added

    # -- retention ------------------------------------------------------------------------------

    def prune(self, received_before: datetime, stop: threading.Event | None = None) -> int:
        """Delete the events that arrived before ``received_before``, in short transactions
        (:data:`PRUNE_BATCH`), and keep the list of jobs right; return how many were deleted.
        ``stop`` ends it between two transactions (the app is closing)."""
        cutoff = received_before.astimezone(UTC).isoformat(timespec="milliseconds")
        deleted = 0
        with self._connect(QT_TRANSLATE_NOOP("Library", "be pruned")) as connection:
            connection.execute("CREATE TEMP TABLE pruned_jobs (jobid INTEGER PRIMARY KEY)")
            while stop is None or not stop.is_set():
                count = _prune_batch(connection, cutoff)
                deleted += count
                if count < PRUNE_BATCH:
                    break
        return deleted


class JobKey(NamedTuple):
    """Where a job stands in the list of jobs: the time of its first event (UNIX
    milliseconds), then its runtime id."""

    first_ms: int
    jobid: int


@dataclass(frozen=True, slots=True)
class JobSummary:
    """What the stored events of one job add up to (as :class:`JobMonitor
    <dispatch_desktop.monitor.JobMonitor>` folds them one by one)."""

    jobid: int
    events: int
    assigned: int
    """How many JOB_ASSIGN events."""
    first_time: datetime
    """When its earliest event happened."""
    start_time: datetime | None
    """The earliest JOB_START's time."""
    finish_time: datetime | None
    """The earliest JOB_FINISH's time."""
    jobtype: str | None
    """The newest ``jobtype`` given (only JOB_START carries one, 3.1.1)."""
    last_recipient: str | None
    """The newest JOB_ASSIGN's ``sendname``."""


def _time_of_ms(milliseconds: int) -> datetime:
    """An event time in UNIX milliseconds as an aware UTC time (as :attr:`StoredEvent.timestamp`
    computes it, so both agree to the microsecond)."""
    return datetime.fromtimestamp(milliseconds / 1000, UTC)


def _summary(jobid: int, row: tuple[Any, ...]) -> JobSummary | None:
    events, assigned, start_ms, finish_ms, first_ms, jobtype, recipient, skipped = row
    if skipped:
        log.warning("Skipped %d stored rows of job %s that are not events.", skipped, jobid)
    if not events:
        return None
    return JobSummary(
        jobid=jobid,
        events=events,
        assigned=assigned,
        first_time=_time_of_ms(first_ms),
        start_time=None if start_ms is None else _time_of_ms(start_ms),
        finish_time=None if finish_ms is None else _time_of_ms(finish_ms),
        jobtype=_lenient_text(jobtype),
        last_recipient=_lenient_text(recipient),
    )


def _lenient_text(value: bytes | None) -> str | None:
    """A name shown in a table: an undecodable byte becomes a replacement character."""
    return None if value is None else value.decode("utf-8", "replace")


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No garbage collection meanwhile: reading 20,000 rows makes 100,000 small objects,
    which would start dozens of collections, and a full one walks every object of the app (a
    year's monitor, History), doubling the time a timeline takes to open (bench/monitor.py).
    Nothing made here forms a cycle, so nothing is left for the collector to find later."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _timeline_rows(document: bytes) -> list[list[Any]]:
    """The rows of :data:`_TIMELINE_DOCUMENT` in time order (SQLite keeps the subquery's order;
    checked here rather than trusted). Integers stay exact (F1): JSON's become Python ints."""
    rows: list[list[Any]] = json.loads(document)
    if any(_order(a) > _order(b) for a, b in pairwise(rows)):
        rows.sort(key=_order)
    return rows


def _order(row: Sequence[Any]) -> tuple[Any, Any]:
    return row[2], row[0]


def _decoded(rows: Iterable[tuple[Any, ...]]) -> list[list[Any]]:
    """The rows of :data:`_TIMELINE` (texts as bytes) with their texts decoded, leaving out
    those that are not UTF-8 (edited by hand)."""
    decoded = []
    for cursor, kind, event_ms, sendname, contactid, agent in rows:
        try:
            texts = [None if t is None else t.decode("utf-8") for t in (kind, sendname, agent)]
        except (UnicodeDecodeError, AttributeError):
            continue
        decoded.append([cursor, texts[0], event_ms, texts[1], contactid, texts[2]])
    return decoded


def _timeline_entries(rows: Iterable[Sequence[Any]]) -> list[TimelineEntry]:
    """The entries of timeline rows, leaving out those that cannot be shown (a row edited by
    hand after it was stored). One tight loop: a timeline may have 20,000 rows."""
    entries: list[TimelineEntry] = []
    append, from_ms = entries.append, _time_of_ms
    for cursor, kind, event_ms, sendname, contactid, agent in rows:
        if type(kind) is not str or not _text_or_none(sendname) or not _text_or_none(agent):
            continue  # not text (edited by hand)
        try:
            append(
                TimelineEntry(
                    cursor, kind, from_ms(event_ms), sendname or None, contactid, agent or None
                )
            )
        except (ValueError, TypeError, OverflowError):
            continue  # a time Python cannot hold
    return entries


def _text_or_none(value: object) -> bool:
    return value is None or type(value) is str


def _copy(connection: sqlite3.Connection, event: StoredEvent) -> StoredEvent | None:
    """Insert a copy of a followed receiver's ``event``; the copy with this store's cursor,
    ``None`` when it was copied before."""
    received_at = event.received_at.astimezone(UTC).isoformat(timespec="milliseconds")
    cursor = _insert_row(connection, received_at, copy_fingerprint(event), event)
    if cursor is None:
        return None
    return replace(event, cursor=cursor, received_at=datetime.fromisoformat(received_at))


def _prune_batch(connection: sqlite3.Connection, cutoff: str) -> int:
    """Delete the oldest :data:`PRUNE_BATCH` events that arrived before ``cutoff`` in one
    transaction; the jobs that lost events get their first event time again, or leave the
    list of jobs with their last event. Returns how many events were deleted."""
    batch = "SELECT cursor FROM events WHERE received_at < ? ORDER BY received_at LIMIT ?"
    rows = (cutoff, PRUNE_BATCH)
    connection.execute("BEGIN IMMEDIATE")
    try:
        connection.execute(
            "INSERT OR IGNORE INTO pruned_jobs SELECT jobid FROM events"  # noqa: S608 (ours)
            f" WHERE jobid IS NOT NULL AND cursor IN ({batch})",
            rows,
        )
        count = connection.execute(
            f"DELETE FROM events WHERE cursor IN ({batch})",  # noqa: S608 (ours)
            rows,
        ).rowcount
        connection.execute("DELETE FROM jobs WHERE jobid IN (SELECT jobid FROM pruned_jobs)")
        connection.execute(
            f"INSERT INTO jobs (jobid, first_ms) SELECT jobid, min({_EVENT_MS})"  # noqa: S608
            f" FROM events WHERE jobid IN (SELECT jobid FROM pruned_jobs) AND {_VALID_ROW}"
            " GROUP BY jobid"
        )
        connection.execute("DELETE FROM pruned_jobs")
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    return count


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


def _insert_row(
    connection: sqlite3.Connection,
    received_at: str,
    fingerprint: str,
    event: JobEvent | StoredEvent,
) -> int | None:
    """Insert one event's row; its cursor, or ``None`` when an event with ``fingerprint`` is
    stored (also earlier in this transaction).

    The UNIQUE fingerprint refuses a copy; the refused statement alone is undone, cursor
    sequence included, so cursors have no gaps (INSERT ... ON CONFLICT DO NOTHING would burn
    AUTOINCREMENT values). Trying the INSERT first spares new events, nearly all of them, a
    look-up."""
    try:
        cursor = connection.execute(
            "INSERT INTO events (received_at, fingerprint, jobid, eventtype, timestamp_ms,"
            " userid, jobtype, sendtaskid, sendname, contactid, agent, raw)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
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
            ),
        ).lastrowid
    except sqlite3.IntegrityError:
        found = connection.execute("SELECT 1 FROM events WHERE fingerprint = ?", (fingerprint,))
        if found.fetchone() is None:  # another constraint failed: a real error
            raise
        return None
    return cast(int, cursor)  # every successful INSERT sets lastrowid


def _insert(connection: sqlite3.Connection, pending: _PendingWrite) -> tuple[StoredEvent, bool]:
    """Insert one event unless the same body is stored (also earlier in this transaction)."""
    event = pending.event
    received_at = pending.received_at.isoformat(timespec="milliseconds")
    cursor = _insert_row(connection, received_at, event.fingerprint, event)
    if cursor is None:
        existing = connection.execute(
            _SELECT_EVENTS + " WHERE fingerprint = ?", (event.fingerprint,)
        ).fetchone()
        return _stored(existing), False
    stored = StoredEvent.of(event, cursor, datetime.fromisoformat(received_at))
    return stored, True
