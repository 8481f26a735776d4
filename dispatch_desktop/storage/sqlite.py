"""A SQLite file with a versioned schema: what the launch journal and the event store share.

Each call opens its own autocommit connection and closes it, so one object can be used from
several threads (and files from several processes); WAL lets readers run beside a writer.

The folder is 0700 and the database 0600 (storage/private.py), created so before SQLite opens
the file: SQLite gives the ``-wal`` and ``-shm`` files it creates the database's own mode.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from dispatch_desktop.storage.private import private_file, private_folder, tighten_if_present
from dispatch_desktop.translation_marks import QT_TRANSLATE_NOOP, Phrase

if TYPE_CHECKING:
    import sqlite3

BUSY_TIMEOUT_SECONDS = 10.0
"""How long a call waits for another thread or process that is writing."""


def open_connection(path: Path, *, check_same_thread: bool = True) -> sqlite3.Connection:
    """An autocommit connection to ``path`` with rows by name and every commit synced."""
    import sqlite3  # here, not at the top: the app's start-up does not wait for it

    connection = sqlite3.connect(
        path,
        timeout=BUSY_TIMEOUT_SECONDS,
        isolation_level=None,
        check_same_thread=check_same_thread,
    )
    try:
        connection.row_factory = sqlite3.Row
        # What was acknowledged (a pending launch, a received event) must be on disk even if
        # the machine then loses power; FULL syncs the WAL at every commit.
        connection.execute("PRAGMA synchronous = FULL")
    except BaseException:
        connection.close()
        raise
    return connection


class VersionedSqliteFile:
    """Base of a store in one SQLite file. Subclasses set ``migrations`` (``migrations[n]``
    brings schema version n to n + 1: append, never edit), ``error`` (the exception type
    raised, with one sentence naming the file, a :class:`Phrase`) and the sentences that name
    the store, marked for translation: ``folder_failed`` (%1 the folder, %2 why),
    ``open_failed`` (%1 the file, %2 why), ``action_failed`` (%1 the file, %2 what could not
    be done, %3 why) and ``too_new`` (%1 the file, %2 its schema, %3 this version's)."""

    migrations: ClassVar[tuple[tuple[str, ...], ...]]
    error: ClassVar[type[Exception]]
    folder_failed: ClassVar[str]
    open_failed: ClassVar[str]
    action_failed: ClassVar[str]
    too_new: ClassVar[str]

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        try:
            private_folder(self.path.parent)
        except OSError as exc:
            raise self.error(
                Phrase(self.folder_failed, str(self.path.parent), exc.strerror or str(exc))
            ) from exc
        try:
            private_file(self.path)
            for suffix in ("-wal", "-shm", "-journal"):  # left by an older version
                tighten_if_present(f"{self.path}{suffix}")
        except OSError as exc:
            raise self.error(
                Phrase(self.open_failed, str(self.path), exc.strerror or str(exc))
            ) from exc
        self._migrate()

    def failure(self, action: str, exc: BaseException) -> Exception:
        """The error saying that ``action`` (marked for translation) failed with ``exc``."""
        return self.error(Phrase(self.action_failed, str(self.path), Phrase(action), str(exc)))

    @property
    def schema_version(self) -> int:
        """The schema version this code writes."""
        return len(self.migrations)

    @contextmanager
    def _connect(self, action: str) -> Iterator[sqlite3.Connection]:
        """A fresh autocommit connection, closed afterwards; SQLite errors become ``error``
        saying what could not be done (``action``, marked for translation)."""
        import sqlite3  # here, not at the top: the app's start-up does not wait for it

        connection = None
        try:
            connection = open_connection(self.path)
            yield connection
        except sqlite3.Error as exc:
            raise self.failure(action, exc) from exc
        finally:
            if connection is not None:
                connection.close()

    def _migrate(self) -> None:
        """Create or upgrade the schema, once, even when several processes start together."""
        with self._connect(QT_TRANSLATE_NOOP("Library", "be opened")) as connection:
            # WAL is a property of the file, so setting it once suffices; it cannot change
            # inside a transaction.
            connection.execute("PRAGMA journal_mode = WAL")
            # IMMEDIATE takes the write lock before reading the version, so a second process
            # waits and then sees the schema done. On any error, closing the connection rolls
            # the whole migration back.
            connection.execute("BEGIN IMMEDIATE")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version > self.schema_version:
                raise self.error(
                    Phrase(self.too_new, str(self.path), str(version), str(self.schema_version))
                )
            for statements in self.migrations[version:]:
                for statement in statements:
                    connection.execute(statement)
            # PRAGMA takes no bound parameters; the value is our own integer.
            connection.execute(f"PRAGMA user_version = {self.schema_version}")
            connection.execute("COMMIT")
