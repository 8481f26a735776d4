"""Where the desktop client keeps its files.

The platform's conventional folders come from :mod:`platformdirs`. Setting the environment
variable ``DISPATCH_DESKTOP_DATA_DIR`` moves all of them under one folder (``data``, ``logs``
and ``config`` below it), so tests and portable installs never touch the user's real folders.
An administrator's ``data_dir`` (policy.py) does the same and wins over the variable.

Drill and live are separate worlds: each :class:`Profile` has folders of its own. The real
profile uses the folders above; the demo profile (``--demo``) a ``demo`` folder inside each of
them, so the demo's journal, events, settings and logs are never read when signed in to a real
server (docs/profiles.md).

The functions only compute paths; the caller creates a folder when it writes there, always
with :func:`dispatch_desktop.storage.private.private_folder` (mode 0700, docs/input-rules.md).
"""

from __future__ import annotations

import enum
import os
from pathlib import Path

import platformdirs

APP_NAME = "dispatch-desktop"
APP_AUTHOR = "LEKAB"
"""Used by platformdirs on Windows only, as the folder above the application's."""
DATA_DIR_ENV = "DISPATCH_DESKTOP_DATA_DIR"
JOURNAL_FILE_NAME = "launch-journal.sqlite3"
DEMO_FOLDER_NAME = "demo"


class Profile(enum.StrEnum):
    """A world of its own: its settings, journal, job events and logs never mix with
    another profile's."""

    REAL = "real"
    """Signed in to a real Dispatch server: the platform's folders themselves."""
    DEMO = "demo"
    """The built-in demo server (``--demo``): a ``demo`` folder inside each of them."""

    def folder_in(self, base: Path) -> Path:
        """This profile's folder within ``base``, one of the real profile's folders."""
        return base / DEMO_FOLDER_NAME if self is Profile.DEMO else base

    @classmethod
    def of(cls, *, demo: bool) -> Profile:
        """The profile of demo mode or of real mode."""
        return cls.DEMO if demo else cls.REAL


_policy_root: Path | None = None
"""The administrator's ``data_dir`` (policy.py), once the app has read its policy."""


def use_policy_data_dir(root: Path | None) -> None:
    """Put every folder under ``root``, the policy's ``data_dir`` (``None``: no policy). It
    wins over ``DISPATCH_DESKTOP_DATA_DIR``: the user's environment never moves a profile the
    administrator placed."""
    global _policy_root
    _policy_root = root


def _override(subfolder: str) -> Path | None:
    """``subfolder`` of the policy's ``data_dir``, else of ``$DISPATCH_DESKTOP_DATA_DIR`` when
    that is set and not blank."""
    if _policy_root is not None:
        return _policy_root / subfolder
    root = os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(root).expanduser() / subfolder if root else None


def data_dir(profile: Profile = Profile.REAL) -> Path:
    """Folder of the launch journal, the job events and other application data (not roaming
    on Windows: the journal describes launches from this machine)."""
    base = _override("data") or platformdirs.user_data_path(APP_NAME, APP_AUTHOR)
    return profile.folder_in(base)


def log_dir(profile: Profile = Profile.REAL) -> Path:
    """Folder of the log files."""
    base = _override("logs") or platformdirs.user_log_path(APP_NAME, APP_AUTHOR)
    return profile.folder_in(base)


def config_dir(profile: Profile = Profile.REAL) -> Path:
    """Folder of the settings file (never a secret: those live in the keyring)."""
    base = _override("config") or platformdirs.user_config_path(APP_NAME, APP_AUTHOR)
    return profile.folder_in(base)


def journal_path(profile: Profile = Profile.REAL) -> Path:
    """The launch journal's database file."""
    return data_dir(profile) / JOURNAL_FILE_NAME


def own_folders() -> list[Path]:
    """Every folder of every profile: the app's own, which it may keep private."""
    return [folder(profile) for profile in Profile for folder in (data_dir, log_dir, config_dir)]
