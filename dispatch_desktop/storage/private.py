"""Folders and files only their owner can read: the journal, the event store, the logs and
the settings say who was called out, when and with what message.

Folders the app creates are ``0700`` (every missing level) and files it writes ``0600``,
whatever the umask. Something that already exists with other modes (an older version left
``0755``/``0644``):

* a file the app writes (a database with its ``-wal`` and ``-shm``, a log, the settings, an
  export) is tightened to exactly 0600: its content is the app's;
* the app's own data, log and config folders, of each profile (storage/paths.py), are
  tightened to 0700;
* any other folder, e.g. one given to the event receiver with ``--data``, only gets a warning
  in the log: someone chose it and may rely on its mode (a shared group folder, a home).

Every change is logged. What belongs to another user cannot be changed and is only warned
about. On Windows the modes mean nothing (the folders are in the user's profile, protected by
its access rules), so nothing is changed. docs/input-rules.md has the whole policy.
"""

from __future__ import annotations

import errno
import logging
import logging.handlers
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Literal, TextIO

from dispatch_desktop.storage.paths import own_folders

log = logging.getLogger(__name__)

FOLDER_MODE = 0o700
FILE_MODE = 0o600
_POSIX = os.name == "posix"


def _tighten(
    path: Path,
    status: os.stat_result,
    wanted: int,
    change: Callable[[int], None],
    *,
    report: bool = True,
) -> None:
    """Give ``path`` exactly the ``wanted`` permission bits; ``change(mode)`` applies them.
    ``report=False``: no log line (the log file's own handler must not log while opening)."""
    current = stat.S_IMODE(status.st_mode)
    if not _POSIX or current == wanted:
        return
    if status.st_uid != os.geteuid():
        if report:
            log.warning(
                "%s belongs to another user and has mode %o; it should be %o.",
                path,
                current,
                wanted,
            )
        return
    change(wanted)
    if report:
        log.info("Restricted %s to its owner (mode %o, was %o).", path, wanted, current)


def _is_own_folder(folder: Path) -> bool:
    """True for the app's data, log and config folders of every profile (as the environment
    names them now)."""
    return folder.resolve() in {own.resolve() for own in own_folders()}


def private_folder(path: str | os.PathLike[str]) -> Path:
    """Create ``path`` and any missing folder above it with mode 0700 and return it. An
    existing ``path`` with another mode is tightened to 0700 if it is one of the app's own
    folders, else only warned about; folders above an existing one are left alone."""
    folder = Path(path)
    missing = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    for candidate in reversed(missing):
        try:
            candidate.mkdir(FOLDER_MODE)
        except FileExistsError:
            continue  # made by another thread or process meanwhile; checked below
        if _POSIX:
            os.chmod(candidate, FOLDER_MODE)  # the umask may have taken bits away
    status = os.stat(folder)
    if not stat.S_ISDIR(status.st_mode):
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
    if missing or _is_own_folder(folder):
        _tighten(folder, status, FOLDER_MODE, lambda mode: os.chmod(folder, mode))
    elif _POSIX and status.st_mode & 0o077:
        log.warning(
            "%s can be entered by other users (mode %o); the app's files in it are private, "
            "but consider chmod 700.",
            folder,
            stat.S_IMODE(status.st_mode),
        )
    return folder


def private_file(path: str | os.PathLike[str]) -> Path:
    """Create ``path`` empty with mode 0600 if it is missing, else tighten it to 0600; return it.

    Used before another library (SQLite, QSettings) opens the file: both keep the mode of an
    existing file, and SQLite gives its ``-wal`` and ``-shm`` files the database's mode."""
    file = Path(path)
    try:
        descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        tighten_if_present(file)
        return file
    try:
        _tighten_open(file, descriptor)
    finally:
        os.close(descriptor)
    return file


def tighten_if_present(path: str | os.PathLike[str]) -> None:
    """Tighten an existing file to 0600; nothing if it does not exist."""
    file = Path(path)
    try:
        status = os.stat(file)
    except FileNotFoundError:
        return
    _tighten(file, status, FILE_MODE, lambda mode: os.chmod(file, mode))


def _tighten_open(path: Path, descriptor: int, *, report: bool = True) -> None:
    if _POSIX:
        status = os.fstat(descriptor)
        _tighten(path, status, FILE_MODE, lambda mode: os.fchmod(descriptor, mode), report=report)


def open_private(
    path: str | os.PathLike[str],
    mode: Literal["w", "a"] = "w",
    *,
    encoding: str = "utf-8",
    errors: str | None = None,
    newline: str | None = None,
    report: bool = True,
) -> TextIO:
    """Open ``path`` for writing text (``"w"`` truncates, ``"a"`` appends), created with mode
    0600 or tightened to it, whatever the umask; ``report``: log a tightening."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if mode == "a" else os.O_TRUNC)
    file = Path(path)
    descriptor = os.open(file, flags, FILE_MODE)
    try:
        _tighten_open(file, descriptor, report=report)
        return os.fdopen(descriptor, mode, encoding=encoding, errors=errors, newline=newline)
    except BaseException:
        os.close(descriptor)
        raise


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file whose current and rotated files are all 0600: rotation renames
    (which keeps the mode) and then opens a new file, which this handler creates 0600."""

    def __init__(self, filename: Path, *, max_bytes: int, backup_count: int) -> None:
        # Rotated files left by an older version: tightened once, here.
        for number in range(1, backup_count + 1):
            tighten_if_present(f"{filename}.{number}")
        super().__init__(filename, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8")

    def _open(self) -> TextIO:
        return open_private(
            self.baseFilename,
            "a" if "a" in self.mode else "w",
            encoding=self.encoding or "utf-8",
            errors=self.errors,
            # Called while a record is being written (rotation): a log line here would
            # re-enter this handler.
            report=False,
        )
