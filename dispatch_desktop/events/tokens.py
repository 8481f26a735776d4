"""Tokens kept in files of the receiver's data folder, so its URLs survive restarts."""

from __future__ import annotations

import logging
import os
import stat
from contextlib import suppress
from pathlib import Path

from dispatch_desktop.events.receiver import check_token, new_token

log = logging.getLogger(__name__)


def stored_token(path: Path, what: str) -> str:
    """The token kept in ``path``; a new one, written there (mode 0600), when it is missing.

    Raises ``ValueError`` when the file holds no valid token, ``OSError`` when it cannot be
    read or written."""
    try:
        # O_EXCL: two receivers starting together cannot both create (and differ).
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return read_token(path, what)
    token = new_token()
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(token + "\n")
    log.info("Created a new %s in %s", what, path)
    return token


def read_token(path: Path, what: str) -> str:
    """The token in the file ``path`` (surrounding white space ignored); a warning is logged
    when other users may read the file. Raises ``ValueError`` when it holds no valid token,
    ``OSError`` when it cannot be read."""
    if os.name == "posix" and path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning("%s is readable by other users; restrict it with chmod 600.", path)
    try:
        return check_token(path.read_text(encoding="ascii").strip(), what)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"{path} holds no valid {what}: {exc}") from exc


def renew_token(path: Path, what: str) -> str:
    """Replace the token kept in ``path`` by a new one (mode 0600) and return it: the old URL
    stops working at once, e.g. after it leaked."""
    with suppress(FileNotFoundError):
        path.unlink()
    return stored_token(path, what)
