"""Fault injection for the receiver tests: a ledger of what was acknowledged, a second SQLite
connection that holds the store's lock, a read-only store, and a writer connection that fails
as a full or broken disk would."""

from __future__ import annotations

import contextlib
import http.client
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from event_http import REFERENCE_SENDTASK_ID, event_body, post

from dispatch_desktop.events import CallbackReceiver, EventStore


class Ledger:
    """What a sender saw: the events answered 200 (acknowledged) and the others."""

    def __init__(self, receiver: CallbackReceiver) -> None:
        self.receiver = receiver
        self.acknowledged: set[int] = set()
        self.statuses: list[int] = []
        self._lock = threading.Lock()

    def send(self, number: int, timeout: float = 10.0) -> int:
        """POST event ``number``: its status, 0 when the connection ended without one."""
        path = f"/callbacks/{self.receiver.token}"
        try:
            status = post(self.receiver.port, path, event_body(number), timeout=timeout).status
        except (OSError, http.client.HTTPException):
            status = 0
        with self._lock:
            self.statuses.append(status)
            if status == 200:
                self.acknowledged.add(number)
        return status

    def stored(self) -> set[int]:
        events = self.receiver.store.events_after(0, limit=10_000)
        return {e.sendtaskid - REFERENCE_SENDTASK_ID for e in events if e.sendtaskid is not None}

    def assert_nothing_acknowledged_is_lost(self) -> None:
        assert self.acknowledged == self.stored()


@contextlib.contextmanager
def lock_held(path: Path) -> Iterator[sqlite3.Connection]:
    """A second connection holding the store's write lock, as a backup tool or an admin's
    ``sqlite3`` shell in the middle of a transaction does."""
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        yield holder
        holder.execute("ROLLBACK")
    finally:
        holder.close()


def chmod_stops_root(tmp_path: Path) -> bool:
    """Whether file modes stop this process from writing (not when it runs as root)."""
    probe = tmp_path / "mode-probe"
    probe.write_text("")
    probe.chmod(stat.S_IRUSR)
    try:
        with probe.open("a"):
            return False
    except PermissionError:
        return True
    finally:
        probe.chmod(stat.S_IRUSR | stat.S_IWUSR)


class FaultyConnection:
    """A writer connection whose statements fail as the disk would, while ``fault`` is set:
    SQLite cannot be made to report a full disk or an I/O error on demand without a tiny or
    failing file system, which tests cannot mount, so the fault is raised at the connection
    layer, with the exception type and message SQLite gives (sqlite3 raises
    OperationalError for SQLITE_FULL and SQLITE_IOERR, DatabaseError for SQLITE_CORRUPT)."""

    def __init__(self, connection: sqlite3.Connection, injector: FaultInjector) -> None:
        self._connection = connection
        self._injector = injector

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self._injector.check(sql)
        return self._connection.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)


class FaultInjector:
    """Wraps the store's writer connections; :meth:`fail` makes statements starting with
    ``keyword`` raise ``error`` until :meth:`heal`."""

    def __init__(self, store: EventStore, monkeypatch: pytest.MonkeyPatch) -> None:
        self.error: BaseException | None = None
        self.keyword = ""
        self.raised = 0
        original = store._open_writer
        monkeypatch.setattr(store, "_open_writer", lambda: FaultyConnection(original(), self))

    def fail(self, keyword: str, error: BaseException) -> None:
        self.keyword, self.error = keyword, error

    def heal(self) -> None:
        self.error = None

    def check(self, sql: str) -> None:
        if self.error is not None and sql.lstrip().upper().startswith(self.keyword):
            self.raised += 1
            raise self.error


class ReadOnly:
    """Makes the store read-only for new writes, by the truest means this process has."""

    def __init__(self, store: EventStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
        self.store = store
        self.by_mode = chmod_stops_root(tmp_path)
        self._active = False
        if not self.by_mode:
            # Root writes whatever the modes say: the writer connection is opened with
            # PRAGMA query_only instead, which fails writes with SQLite's own
            # "attempt to write a readonly database", as a read-only mount does.
            original = store._open_writer

            def open_writer() -> sqlite3.Connection:
                connection = original()
                if self._active:
                    connection.execute("PRAGMA query_only = ON")
                return connection

            monkeypatch.setattr(store, "_open_writer", open_writer)

    def _files(self) -> list[Path]:
        path = self.store.path
        return [path, *(Path(f"{path}{suffix}") for suffix in ("-wal", "-shm"))]

    def __enter__(self) -> ReadOnly:
        self._active = True
        if self.by_mode:
            for file in self._files():
                if file.exists():
                    file.chmod(stat.S_IRUSR)
            self.store.path.parent.chmod(stat.S_IRUSR | stat.S_IXUSR)
        # The mode counts when a file is opened, as a remount counts for open files: the
        # writer connection is reopened now, as after a restart.
        self.store.close()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._active = False
        if self.by_mode:
            self.store.path.parent.chmod(stat.S_IRWXU)
            for file in self._files():
                if file.exists():
                    file.chmod(stat.S_IRUSR | stat.S_IWUSR)


def descriptors_for(needed: int) -> None:
    """Raise the soft limit of open files to ``needed`` if the hard limit allows, else skip:
    a test must not fail for want of descriptors on a small CI machine."""
    try:
        import resource
    except ImportError:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            pytest.skip(f"needs {needed} file descriptors, the hard limit is {hard}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


def open_descriptors() -> int:
    """How many descriptors this process has open (Linux; 0 elsewhere)."""
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return 0
