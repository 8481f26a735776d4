"""The local launch journal: every attempt to start a saved job, and what came of it.

An attempt is written with outcome ``pending`` *before* the start request is sent, and
updated when the answer (or the failure) is known. /startsavedjob is not idempotent (F3), so a
row left ``pending`` by a crash or a killed process is evidence that messages may have gone
out: show it as "outcome unknown", never as "not sent".

Storage is SQLite (stdlib ``sqlite3``) in WAL mode, schema version in ``PRAGMA user_version``.
Saved-job and runtime ids are SQLite INTEGERs (64-bit signed), so ids above 2**53 stay exact
(F1); they never pass through a float.

Thread safety: every method opens its own connection and closes it before returning, so one
:class:`LaunchJournal` may be shared by any number of threads, and several processes may use the
same file; SQLite's locking and a busy timeout serialise the writers. Every method blocks on
disk I/O: call it off the GUI thread.
"""

from __future__ import annotations

import csv
import enum
import json
import logging
import os
import re
import secrets
from array import array
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from dispatch_desktop.storage.private import open_private
from dispatch_desktop.storage.sqlite import VersionedSqliteFile
from dispatch_desktop.translation_marks import QT_TRANSLATE_NOOP, Phrase

if TYPE_CHECKING:
    import sqlite3

log = logging.getLogger(__name__)

API_KEY_USER = "API key"
"""The ``user`` of an attempt signed in with an API key."""

MAX_ID = 2**63 - 1
"""Largest id SQLite's INTEGER holds; the Dispatch ids are in range (validation.MAX_JOB_ID)."""

SECRET_PARAMETER_NAMES = frozenset(
    {
        "username",
        "password",
        "apikey",
        "key",
        "u",
        "p",
        "authorization",
        "x-api-key",
        "x-lekab-userid",
        "x-lekab-password",
    }
)
"""Parameter names (compared case-insensitively, at any depth) that are never journaled: the
credential fields, query parameters and headers of F6."""


class LaunchMode(enum.StrEnum):
    """Which world a launch belongs to; drills and real callouts never mix."""

    DEMO = "demo"
    """Against the built-in demo server: no message reaches anyone."""
    LIVE = "live"
    """A real callout against a real server."""
    EXERCISE = "exercise"
    """Against a real server, with real messages marked as an exercise."""


class Outcome(enum.StrEnum):
    """What came of a launch attempt; the values are stored in the journal."""

    PENDING = "pending"
    """Written before the request is sent. If it stays, the outcome is unknown (F3)."""
    OK = "ok"
    """The server answered ``result`` "OK": the job started."""
    NOT_STARTED = "not_started"
    """HTTP 200 with ``result`` other than "OK" (F4, ``JobNotStarted``)."""
    REJECTED = "rejected"
    """The server refused the request with an error status (``RequestRejected``)."""
    AUTH_FAILED = "auth_failed"
    """HTTP 401 (``AuthenticationError``)."""
    UNKNOWN = "unknown"
    """Sent, but no complete answer came back (``OutcomeUnknown``): messages may be out."""
    CONNECTION_FAILED = "connection_failed"
    """The server could not be reached (``ConnectionFailed``): nothing was delivered."""
    REFUSED_LOCALLY = "refused_locally"
    """Stopped by the client's own checks (``ValidationError``): never sent."""
    STARTED_UNVERIFIABLE = "started_unverifiable"
    """The server answered "OK" but its runtime id is not a valid id (``StartedUnverifiable``):
    the job started and cannot be followed by id."""

    CANCELLED = "cancelled"
    """Cancelled by the dispatcher in the undo window after confirming: never sent."""

    @property
    def started(self) -> bool:
        """The server said the job started (whether or not its runtime id can be used)."""
        return self in (Outcome.OK, Outcome.STARTED_UNVERIFIABLE)


EXPORT_STEP = 250
"""How many rows a CSV export writes between two reports of its progress."""

_IDS_PER_QUERY = 500
"""Ids bound in one statement (SQLite before 3.32 takes at most 999 values)."""


class JournalError(Exception):
    """The journal file could not be opened, read or written; the message is a sentence that
    names the file."""


class ExportCancelled(Exception):
    """A CSV export was stopped by its progress callback; no partial file was left."""


# _MIGRATIONS[n] brings a journal from schema version n to n + 1. Append, never edit: the
# outcome list is spelled out, not computed from Outcome, so that a new outcome needs a
# migration of existing files too.
_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """
        CREATE TABLE launches (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            attempted_at TEXT NOT NULL,
            server TEXT NOT NULL,
            user TEXT NOT NULL,
            job_id INTEGER NOT NULL CHECK (typeof(job_id) = 'integer'),
            job_name TEXT,
            job_type TEXT,
            generic_type TEXT,
            parameters TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('pending', 'ok', 'not_started',
                'rejected', 'auth_failed', 'unknown', 'connection_failed', 'refused_locally')),
            runtime_id INTEGER CHECK (runtime_id IS NULL OR typeof(runtime_id) = 'integer'),
            result_job_name TEXT,
            message TEXT,
            finished_at TEXT
        )
        """,
        "CREATE INDEX launches_by_runtime_id ON launches (runtime_id)",
    ),
    # SQLite cannot alter a CHECK constraint: rebuild the table with the new outcome.
    (
        """
        CREATE TABLE launches_v2 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            attempted_at TEXT NOT NULL,
            server TEXT NOT NULL,
            user TEXT NOT NULL,
            job_id INTEGER NOT NULL CHECK (typeof(job_id) = 'integer'),
            job_name TEXT,
            job_type TEXT,
            generic_type TEXT,
            parameters TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('pending', 'ok', 'not_started',
                'rejected', 'auth_failed', 'unknown', 'connection_failed', 'refused_locally',
                'started_unverifiable')),
            runtime_id INTEGER CHECK (runtime_id IS NULL OR typeof(runtime_id) = 'integer'),
            result_job_name TEXT,
            message TEXT,
            finished_at TEXT
        )
        """,
        "INSERT INTO launches_v2 SELECT * FROM launches",
        "DROP TABLE launches",
        "ALTER TABLE launches_v2 RENAME TO launches",
        "CREATE INDEX launches_by_runtime_id ON launches (runtime_id)",
    ),
    # The mode of each launch, and the cancelled outcome. Rows written before modes existed
    # were demo launches when their server is on this computer (the demo server is the only
    # server there), else live ones.
    (
        """
        CREATE TABLE launches_v3 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            attempted_at TEXT NOT NULL,
            server TEXT NOT NULL,
            user TEXT NOT NULL,
            job_id INTEGER NOT NULL CHECK (typeof(job_id) = 'integer'),
            job_name TEXT,
            job_type TEXT,
            generic_type TEXT,
            parameters TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('pending', 'ok', 'not_started',
                'rejected', 'auth_failed', 'unknown', 'connection_failed', 'refused_locally',
                'started_unverifiable', 'cancelled')),
            runtime_id INTEGER CHECK (runtime_id IS NULL OR typeof(runtime_id) = 'integer'),
            result_job_name TEXT,
            message TEXT,
            finished_at TEXT,
            mode TEXT NOT NULL CHECK (mode IN ('demo', 'live', 'exercise'))
        )
        """,
        """
        INSERT INTO launches_v3 SELECT *, CASE
            WHEN server LIKE 'http://127.%' OR server LIKE 'http://localhost%'
                OR server LIKE 'http://[::1]%' THEN 'demo'
            ELSE 'live' END
        FROM launches
        """,
        "DROP TABLE launches",
        "ALTER TABLE launches_v3 RENAME TO launches",
        "CREATE INDEX launches_by_runtime_id ON launches (runtime_id)",
        "CREATE INDEX launches_by_server ON launches (server, id)",
        "CREATE INDEX launches_by_job ON launches (job_id, server, attempted_at)",
    ),
    # The History reads the ids of one server's rows in some modes, newest first: with the
    # mode in the index it needs no table row to filter them (100,000 launches in ~10 ms).
    # It begins with (server, id), so it also serves every query the index it replaces did.
    (
        "CREATE INDEX launches_in_scope ON launches (server, id, mode)",
        "DROP INDEX launches_by_server",
    ),
)
SCHEMA_VERSION = len(_MIGRATIONS)


@dataclass(frozen=True)
class LaunchRecord:
    """One launch attempt as journaled. Times are aware UTC datetimes."""

    id: int
    attempted_at: datetime
    server: str
    user: str
    """The username, or :data:`API_KEY_USER`."""
    job_id: int
    job_name: str | None
    job_type: str | None
    generic_type: str | None
    parameters: str
    """The request parameters as JSON text, credentials removed."""
    outcome: Outcome
    runtime_id: int | None
    result_job_name: str | None
    message: str | None
    """The server's errormessage or the error shown to the user."""
    finished_at: datetime | None
    mode: LaunchMode = LaunchMode.LIVE

    @property
    def outcome_known(self) -> bool:
        """False while the attempt is pending or its outcome is unknown: the job may have
        started, so it must not simply be launched again."""
        return self.outcome not in (Outcome.PENDING, Outcome.UNKNOWN)

    def parameter_values(self) -> dict[str, Any]:
        """The journaled parameters, parsed (ids stay exact ``int``)."""
        return json.loads(self.parameters)

    @classmethod
    def _from_row(cls, row: sqlite3.Row) -> LaunchRecord:
        values = dict(row)
        values["attempted_at"] = datetime.fromisoformat(values["attempted_at"])
        if values["finished_at"] is not None:
            values["finished_at"] = datetime.fromisoformat(values["finished_at"])
        values["outcome"] = Outcome(values["outcome"])
        values["mode"] = LaunchMode(values["mode"])
        return cls(**values)


_UNSETTLED = (Outcome.PENDING, Outcome.UNKNOWN)
"""Outcomes after which the job may have started without anyone knowing (F3)."""

# The record's fields are the table's columns, in order; also the CSV header.
_COLUMNS = tuple(field.name for field in fields(LaunchRecord))


def _in_modes(modes: Collection[LaunchMode] | None) -> tuple[str, tuple[str, ...]]:
    """A condition on the mode column and its values: any mode when ``modes`` is ``None``,
    none when it is empty."""
    if modes is None:
        return "1", ()
    values = tuple(sorted(LaunchMode(mode).value for mode in modes))
    return f"mode IN ({', '.join('?' * len(values))})", values


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _check_id(value: Any, name: str) -> int:
    """``value`` if it is an exact id SQLite can hold; a float or a string is refused (F1)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise ValueError(f"The {name} {value!r} is not a positive 64-bit whole number.")
    return value


def _without_secrets(value: Any) -> Any:
    """``value`` with every mapping entry named like a credential removed, at any depth."""
    if isinstance(value, Mapping):
        dropped = [key for key in value if str(key).lower() in SECRET_PARAMETER_NAMES]
        if dropped:
            # A caller bug: say which names, never the values.
            log.warning("Launch journal: credential parameters %s were not recorded.", dropped)
        return {
            str(key): _without_secrets(item)
            for key, item in value.items()
            if str(key).lower() not in SECRET_PARAMETER_NAMES
        }
    if isinstance(value, list | tuple):
        return [_without_secrets(item) for item in value]
    return value


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _storable(text: str | None) -> str | None:
    """``text`` with every lone surrogate written as a ``\\uXXXX`` escape: SQLite stores UTF-8,
    which cannot hold one, and a launch refused *because* of one must still be journaled."""
    if text is None:
        return None
    return _LONE_SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def parameters_json(parameters: Mapping[str, Any] | None) -> str:
    """The JSON text the journal stores for ``parameters``: credentials removed, keys sorted,
    non-JSON values (datetimes, tag filters) as their text form. A lone surrogate (which only
    a string of JSON can hold) becomes a JSON escape, so :meth:`LaunchRecord.parameter_values`
    gives back exactly what was given."""
    if parameters is not None and not isinstance(parameters, Mapping):
        # A list of (name, value) pairs (the wire form) would slip past the credential check.
        raise TypeError("The journaled parameters must be a mapping of names to values.")
    text = json.dumps(
        _without_secrets(parameters or {}), sort_keys=True, ensure_ascii=False, default=str
    )
    return cast(str, _storable(text))


class LaunchJournal(VersionedSqliteFile):
    """The launch journal in the SQLite file ``path`` (created with its folder if missing)."""

    migrations = _MIGRATIONS
    error = JournalError
    folder_failed = QT_TRANSLATE_NOOP(
        "Library", "The folder of the launch journal (%1) could not be created: %2."
    )
    open_failed = QT_TRANSLATE_NOOP("Library", "The launch journal (%1) could not be opened: %2.")
    action_failed = QT_TRANSLATE_NOOP("Library", "The launch journal (%1) could not %2: %3.")
    too_new = QT_TRANSLATE_NOOP(
        "Library",
        "The launch journal (%1) was written by a newer version of Dispatch Desktop (schema %2, "
        "this version knows %3); update Dispatch Desktop to read it.",
    )

    def record_attempt(
        self,
        *,
        server: str,
        user: str,
        job_id: int,
        job_name: str | None = None,
        job_type: str | None = None,
        generic_type: str | None = None,
        parameters: Mapping[str, Any] | None = None,
        mode: LaunchMode = LaunchMode.LIVE,
    ) -> int:
        """Journal an attempt as ``pending`` and return its id. Call it before the request is
        sent. When it raises, the caller decides: the desktop app sends anyway and warns the
        user, because an emergency callout must not fail on a full disk (launcher.py).

        ``generic_type`` is "GMM", "GMA" or ``None`` when unknown; ``parameters`` are the
        normalised request parameters (credentials are dropped even if present); ``mode`` says
        whether it is a demo, live or exercise launch.
        """
        row = (
            _now(),
            _storable(server),
            _storable(user),
            _check_id(job_id, "saved job id"),
            _storable(job_name),
            _storable(job_type),
            _storable(generic_type),
            parameters_json(parameters),
            Outcome.PENDING.value,
            LaunchMode(mode).value,
        )
        with self._connect(QT_TRANSLATE_NOOP("Library", "record the launch attempt")) as connection:
            cursor = connection.execute(
                "INSERT INTO launches (attempted_at, server, user, job_id, job_name, job_type,"
                " generic_type, parameters, outcome, mode)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            # Every successful INSERT sets lastrowid.
            return cast(int, cursor.lastrowid)

    def record_outcome(
        self,
        attempt_id: int,
        outcome: Outcome | str,
        runtimeid: int | None = None,
        jobname: str | None = None,
        message: str | None = None,
    ) -> None:
        """Record what came of attempt ``attempt_id``: the outcome, the ``runtimeid`` and
        ``jobname`` the server returned, and the server's errormessage or the error text.

        Calling it again replaces the earlier outcome, e.g. when the user settles an unknown
        outcome after checking the dashboard."""
        outcome = Outcome(outcome)
        if outcome is Outcome.PENDING:
            raise ValueError("An outcome must be final; 'pending' is only set by record_attempt.")
        if runtimeid is not None:
            _check_id(runtimeid, "runtime id")
        with self._connect(QT_TRANSLATE_NOOP("Library", "record the launch outcome")) as connection:
            cursor = connection.execute(
                "UPDATE launches SET outcome = ?, runtime_id = ?, result_job_name = ?,"
                " message = ?, finished_at = ? WHERE id = ?",
                (
                    outcome.value,
                    runtimeid,
                    _storable(jobname),
                    _storable(message),
                    _now(),
                    attempt_id,
                ),
            )
            if cursor.rowcount == 0:
                raise JournalError(
                    Phrase(
                        QT_TRANSLATE_NOOP(
                            "Library", "The launch journal (%1) has no attempt %2 to update."
                        ),
                        str(self.path),
                        str(attempt_id),
                    )
                )

    def entries(
        self,
        limit: int | None = None,
        server: str | None = None,
        modes: Collection[LaunchMode] | None = None,
    ) -> list[LaunchRecord]:
        """The attempts, newest first (by id, so a clock change cannot reorder them); at most
        ``limit`` when given; only those against ``server`` and in one of ``modes`` when
        given."""
        if limit is not None and limit < 0:
            raise ValueError(f"The limit {limit} is negative.")
        in_modes, mode_values = _in_modes(modes)
        with self._connect(QT_TRANSLATE_NOOP("Library", "be read")) as connection:
            rows = connection.execute(
                f"SELECT * FROM launches WHERE (? IS NULL OR server = ?) AND {in_modes}"  # noqa: S608 (? marks only)
                " ORDER BY id DESC LIMIT ?",
                (server, server, *mode_values, -1 if limit is None else limit),  # -1: no limit
            ).fetchall()
        return [LaunchRecord._from_row(row) for row in rows]

    def launch_ids(
        self, server: str, modes: Collection[LaunchMode], *, after: int = 0
    ) -> array[int]:
        """The ids of the attempts against ``server`` in one of ``modes`` and newer than
        attempt ``after``, newest first: what a paged view of 100,000 launches holds, 8 bytes
        a row, read from an index alone. Read the rows of a page with :meth:`launches`."""
        in_modes, mode_values = _in_modes(modes)
        with self._connect(QT_TRANSLATE_NOOP("Library", "be read")) as connection:
            cursor = connection.execute(
                f"SELECT id FROM launches WHERE server = ? AND {in_modes} AND id > ?"  # noqa: S608 (? marks only)
                " ORDER BY id DESC",
                (server, *mode_values, after),
            )
            return array("q", (row[0] for row in cursor))

    def launches(self, ids: Iterable[int]) -> list[LaunchRecord]:
        """The attempts with these ids (those that exist), newest first."""
        wanted = list(dict.fromkeys(ids))
        rows: list[sqlite3.Row] = []
        with self._connect(QT_TRANSLATE_NOOP("Library", "be read")) as connection:
            # Chunked: SQLite before 3.32 takes at most 999 values in one statement.
            for start in range(0, len(wanted), _IDS_PER_QUERY):
                chunk = wanted[start : start + _IDS_PER_QUERY]
                marks = ", ".join("?" * len(chunk))
                query = f"SELECT * FROM launches WHERE id IN ({marks})"  # noqa: S608 (? marks only)
                rows.extend(connection.execute(query, chunk).fetchall())
        records = [LaunchRecord._from_row(row) for row in rows]
        records.sort(key=lambda record: record.id, reverse=True)
        return records

    def earlier_launches(self, job_id: int, server: str, since: datetime) -> list[LaunchRecord]:
        """What a second launch of saved job ``job_id`` on ``server`` must be warned about,
        newest first: every attempt since ``since`` that started the job or may have
        (started, started without a valid runtime id, pending, outcome unknown), and every
        attempt whose outcome is still pending or unknown, however old (F3)."""
        may_have_sent = (Outcome.OK, Outcome.STARTED_UNVERIFIABLE, *_UNSETTLED)
        with self._connect(QT_TRANSLATE_NOOP("Library", "be searched")) as connection:
            rows = connection.execute(
                "SELECT * FROM launches WHERE job_id = ? AND server = ? AND ("
                " (attempted_at >= ? AND outcome IN (?, ?, ?, ?)) OR outcome IN (?, ?))"
                " ORDER BY id DESC",
                (
                    _check_id(job_id, "saved job id"),
                    server,
                    since.astimezone(UTC).isoformat(timespec="milliseconds"),
                    *(o.value for o in may_have_sent),
                    *(o.value for o in _UNSETTLED),
                ),
            ).fetchall()
        return [LaunchRecord._from_row(row) for row in rows]

    def find_by_runtime_id(self, runtimeid: int, server: str | None = None) -> LaunchRecord | None:
        """The newest attempt that the server answered with ``runtimeid`` (a callback's
        ``jobid``, F2), optionally only for ``server``; ``None`` when there is none."""
        with self._connect(QT_TRANSLATE_NOOP("Library", "be searched")) as connection:
            row = connection.execute(
                "SELECT * FROM launches WHERE runtime_id = ? AND (? IS NULL OR server = ?)"
                " ORDER BY id DESC LIMIT 1",
                (_check_id(runtimeid, "runtime id"), server, server),
            ).fetchone()
        return None if row is None else LaunchRecord._from_row(row)

    # -- the job monitor's queries (read only) --------------------------------------------------

    def started_launches(
        self, limit: int, before: int | None = None, server: str | None = None
    ) -> list[LaunchRecord]:
        """The launches the server started with a runtime id to follow (F2), newest first (by
        id): at most ``limit``, older than attempt ``before`` when given, only those against
        ``server`` when given."""
        with self._connect(QT_TRANSLATE_NOOP("Library", "be read")) as connection:
            rows = connection.execute(
                "SELECT * FROM launches WHERE outcome = ? AND runtime_id IS NOT NULL"
                " AND (? IS NULL OR id < ?) AND (? IS NULL OR server = ?)"
                " ORDER BY id DESC LIMIT ?",
                (Outcome.OK.value, before, before, server, server, limit),
            ).fetchall()
        return [LaunchRecord._from_row(row) for row in rows]

    def launches_of(self, runtime_ids: Iterable[int]) -> list[LaunchRecord]:
        """The attempts the server answered with one of ``runtime_ids`` (a callback's
        ``jobid``, F2), oldest first, on any server."""
        ids = list(runtime_ids)
        rows: list[sqlite3.Row] = []
        with self._connect(QT_TRANSLATE_NOOP("Library", "be searched")) as connection:
            for start in range(0, len(ids), _IDS_PER_QUERY):
                chunk = ids[start : start + _IDS_PER_QUERY]
                marks = ", ".join("?" * len(chunk))
                rows += connection.execute(
                    f"SELECT * FROM launches WHERE runtime_id IN ({marks})",  # noqa: S608 (marks)
                    chunk,
                ).fetchall()
        rows.sort(key=lambda row: row["id"])
        return [LaunchRecord._from_row(row) for row in rows]

    def export_csv(
        self,
        target: str | os.PathLike[str] | TextIO,
        progress: Callable[[int, int], bool] | None = None,
    ) -> int:
        """Write every attempt, oldest first, as CSV with a header row; return the number of
        attempts. A path is written as UTF-8, mode 0600 (it holds what the journal holds); an
        open file must be text opened with ``newline=""``. Ids are written as exact digits and
        times as UTC ISO 8601 text.

        ``progress(written, total)`` is called once the header is written and then every
        :data:`EXPORT_STEP` rows (it runs in the exporting thread); when it returns False the
        export stops and raises :class:`ExportCancelled`. The rows for a path go to a
        temporary file beside it, which replaces ``target`` only once complete: a cancelled or
        failed export leaves no partial file, and an earlier file at ``target`` as it was."""
        report = progress or _keep_going
        with self._connect(QT_TRANSLATE_NOOP("Library", "be read for export")) as connection:
            # One read transaction: the count and the rows are of the same moment.
            connection.execute("BEGIN")
            total = connection.execute("SELECT count(*) FROM launches").fetchone()[0]
            cursor = connection.execute("SELECT * FROM launches ORDER BY id")
            if not isinstance(target, str | os.PathLike):
                _write_csv(target, cursor, total, report)
                return total
            partial = _partial_path(Path(target))
            try:
                with open_private(partial, "w", encoding="utf-8", newline="") as file:
                    _write_csv(file, cursor, total, report)
                os.replace(partial, target)
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
        return total


# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A journal value as a CSV cell: ``None`` empty, ids as their exact digits (ints), and
    text that a spreadsheet would take for a formula (a job name from the server, a message)
    quoted with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _keep_going(_written: int, _total: int) -> bool:
    return True


def _partial_path(target: Path) -> Path:
    """A new hidden file beside ``target`` for an export under way (a random name: two
    exports to one file never share it)."""
    return target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")


def _write_csv(
    file: TextIO, cursor: sqlite3.Cursor, total: int, progress: Callable[[int, int], bool]
) -> None:
    writer = csv.writer(file)
    writer.writerow(_COLUMNS)
    written = 0
    while progress(written, total):
        rows = cursor.fetchmany(EXPORT_STEP)
        if not rows:
            return
        writer.writerows(tuple(csv_cell(row[name]) for name in _COLUMNS) for row in rows)
        written += len(rows)
    raise ExportCancelled(f"The export was cancelled after {written} of {total} rows.")
