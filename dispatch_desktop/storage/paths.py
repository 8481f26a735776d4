"""Where the desktop client keeps its files.

The platform's conventional folders come from :mod:`platformdirs`. Setting the environment
variable ``DISPATCH_DESKTOP_DATA_DIR`` moves all of them under one folder (``data``, ``logs``
and ``config`` below it), so tests and portable installs never touch the user's real folders.
The functions only compute paths; the caller creates a folder when it writes there, always
with :func:`dispatch_desktop.storage.private.private_folder` (mode 0700, docs/input-rules.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "dispatch-desktop"
APP_AUTHOR = "LEKAB"
"""Used by platformdirs on Windows only, as the folder above the application's."""
DATA_DIR_ENV = "DISPATCH_DESKTOP_DATA_DIR"
JOURNAL_FILE_NAME = "launch-journal.sqlite3"


def _override(subfolder: str) -> Path | None:
    """``$DISPATCH_DESKTOP_DATA_DIR/subfolder`` when the variable is set and not blank."""
    root = os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(root).expanduser() / subfolder if root else None


def data_dir() -> Path:
    """Folder of the launch journal and other application data (not roaming on Windows:
    the journal describes launches from this machine)."""
    return _override("data") or platformdirs.user_data_path(APP_NAME, APP_AUTHOR)


def log_dir() -> Path:
    """Folder of the log files."""
    return _override("logs") or platformdirs.user_log_path(APP_NAME, APP_AUTHOR)


def config_dir() -> Path:
    """Folder of the settings file (never a secret: those live in the keyring)."""
    return _override("config") or platformdirs.user_config_path(APP_NAME, APP_AUTHOR)


def journal_path() -> Path:
    """The launch journal's database file."""
    return data_dir() / JOURNAL_FILE_NAME
