"""Folders 0700 and files 0600, whatever the umask (issue 7 §3, storage/private.py): the
journal and the event store with their -wal and -shm files, the log files (rotated ones too),
the settings file and CSV exports. Every test runs under the common umask 022, with which the
standard library and Qt would make folders 0755 and files 0644."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from dispatch_desktop.events.model import parse_callback
from dispatch_desktop.events.store import EventStore
from dispatch_desktop.storage import paths
from dispatch_desktop.storage.journal import LaunchJournal
from dispatch_desktop.storage.private import (
    PrivateRotatingFileHandler,
    open_private,
    private_file,
    private_folder,
)
from dispatch_desktop.ui.crash import LOG_FILE_NAME, configure_logging
from dispatch_desktop.ui.settings import AppSettings

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")

JOB_ID = 352872112744058883


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def app_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app's data, log and config folders are ``data``, ``logs``, ``config`` here."""
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path))
    return tmp_path


# -- the helpers -----------------------------------------------------------------------------


def test_missing_folders_are_created_0700_at_every_level(tmp_path: Path) -> None:
    folder = private_folder(tmp_path / "a" / "b" / "c")

    assert [mode(p) for p in (tmp_path / "a", tmp_path / "a" / "b", folder)] == [0o700] * 3


@pytest.mark.parametrize("folder_of", [paths.data_dir, paths.log_dir, paths.config_dir])
def test_the_apps_own_open_folder_is_tightened_and_the_change_logged(
    app_root: Path, caplog: pytest.LogCaptureFixture, folder_of: object
) -> None:
    folder: Path = folder_of()  # type: ignore[operator]
    folder.mkdir(0o755)
    root_mode = mode(app_root)
    caplog.set_level(logging.INFO, "dispatch_desktop.storage.private")

    private_folder(folder)

    assert mode(folder) == 0o700
    assert mode(app_root) == root_mode  # an existing folder above is left alone
    assert f"Restricted {folder} to its owner (mode 700, was 755)" in caplog.text


def test_an_open_folder_chosen_elsewhere_is_only_warned_about(
    app_root: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # E.g. the receiver's --data folder: a shared group folder or a home may rely on its mode.
    chosen = tmp_path / "shared"
    chosen.mkdir(0o750)

    store = EventStore(chosen / "events.sqlite3")
    store.close()

    assert mode(chosen) == 0o750
    assert mode(chosen / "events.sqlite3") == 0o600
    assert f"{chosen} can be entered by other users (mode 750)" in caplog.text


def test_a_file_where_a_folder_should_be_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("not a folder")

    with pytest.raises(NotADirectoryError):
        private_folder(tmp_path / "data")


@pytest.mark.parametrize("umask", [0o022, 0o000, 0o277])
def test_new_file_is_0600_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    os.umask(umask)

    assert mode(private_file(tmp_path / "created")) == 0o600
    with open_private(tmp_path / "written", "w") as file:
        file.write("x")
    assert mode(tmp_path / "written") == 0o600


def test_existing_file_is_tightened_and_its_content_kept(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    path.write_text("content")
    path.chmod(0o644)

    private_file(path)

    assert mode(path) == 0o600
    assert path.read_text() == "content"


def test_open_private_appends_or_truncates(tmp_path: Path) -> None:
    path = tmp_path / "file.txt"
    path.write_text("one\n")
    path.chmod(0o666)

    with open_private(path, "a") as file:
        file.write("two\n")
    assert path.read_text() == "one\ntwo\n"
    assert mode(path) == 0o600
    with open_private(path, "w") as file:
        file.write("three\n")
    assert path.read_text() == "three\n"


# -- the places ------------------------------------------------------------------------------


def test_journal_database_wal_and_shm_are_0600_in_a_0700_folder(tmp_path: Path) -> None:
    journal = LaunchJournal(tmp_path / "data" / "journal.sqlite3")
    # A reader keeps the -wal and -shm files in place while they are looked at.
    reader = sqlite3.connect(journal.path)
    try:
        reader.execute("SELECT count(*) FROM launches").fetchall()
        journal.record_attempt(server="https://x/api", user="alice", job_id=JOB_ID)
        wal, shm = Path(f"{journal.path}-wal"), Path(f"{journal.path}-shm")
        assert wal.exists()
        assert shm.exists()
        assert [mode(p) for p in (journal.path, wal, shm)] == [0o600] * 3
    finally:
        reader.close()
    assert mode(journal.path.parent) == 0o700


def test_event_store_files_are_0600(tmp_path: Path) -> None:
    store = EventStore(tmp_path / "events" / "events.sqlite3")
    try:
        store.add(parse_callback(f'{{"jobid": {JOB_ID}, "eventtype": "JOB_START"}}'))
        files = [store.path, Path(f"{store.path}-wal"), Path(f"{store.path}-shm")]
        assert [mode(p) for p in files] == [0o600] * 3
        assert mode(store.path.parent) == 0o700
    finally:
        store.close()


def test_journal_of_an_older_version_is_tightened_with_its_wal_and_shm(app_root: Path) -> None:
    path = paths.journal_path()
    LaunchJournal(path)
    reader = sqlite3.connect(path)  # keeps the -wal and -shm files while the journal reopens
    try:
        reader.execute("SELECT count(*) FROM launches").fetchall()
        files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
        for old in files:
            old.chmod(0o644)
        path.parent.chmod(0o755)

        LaunchJournal(path).entries()

        assert [mode(p) for p in files] == [0o600] * 3
        assert mode(path.parent) == 0o700
    finally:
        reader.close()


def test_csv_export_is_0600_also_over_an_existing_file(tmp_path: Path) -> None:
    journal = LaunchJournal(tmp_path / "journal.sqlite3")
    journal.record_attempt(server="https://x/api", user="alice", job_id=JOB_ID)
    existing = tmp_path / "existing.csv"
    existing.write_text("old export")
    existing.chmod(0o644)

    journal.export_csv(tmp_path / "new.csv")
    journal.export_csv(existing)

    assert mode(tmp_path / "new.csv") == 0o600
    assert mode(existing) == 0o600
    assert "alice" in existing.read_text()


def test_log_folder_and_every_log_file_are_private(app_root: Path) -> None:
    root = logging.getLogger()
    before = list(root.handlers), root.level
    folder = paths.log_dir()
    folder.mkdir(0o755)
    rotated = folder / f"{LOG_FILE_NAME}.3"
    rotated.write_text("left by an older version")
    rotated.chmod(0o644)
    try:
        path = configure_logging(folder)
        (handler,) = [h for h in root.handlers if h not in before[0]]
        logging.getLogger("test").warning("a line")
        assert isinstance(handler, PrivateRotatingFileHandler)
        handler.doRollover()
        logging.getLogger("test").warning("after rotation")
        handler.flush()
        logs = sorted(folder.iterdir())
        # The rotation moved the old ".3" to ".4": renaming keeps a file's mode.
        assert [p.name for p in logs] == [LOG_FILE_NAME, f"{LOG_FILE_NAME}.1", f"{LOG_FILE_NAME}.4"]
        assert {mode(p) for p in logs} == {0o600}
        assert mode(folder) == 0o700
        assert "after rotation" in path.read_text()
    finally:
        for handler in root.handlers[:]:
            if handler not in before[0]:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(before[1])


def test_rotating_handler_makes_each_new_file_0600(tmp_path: Path) -> None:
    path = tmp_path / "small.log"
    handler = PrivateRotatingFileHandler(path, max_bytes=200, backup_count=2)
    try:
        for number in range(20):
            handler.emit(
                logging.LogRecord("t", logging.INFO, "", 0, f"line {number} " + "x" * 40, (), None)
            )
    finally:
        handler.close()

    files = sorted(tmp_path.iterdir())
    assert len(files) == 3
    assert {mode(p) for p in files} == {0o600}


def test_rotation_as_the_root_logs_handler_under_an_odd_umask(tmp_path: Path) -> None:
    # With umask 277 a new log file comes out 0400 and is tightened while the handler is
    # rotating; saying so in the log would re-enter the handler.
    os.umask(0o277)
    handler = PrivateRotatingFileHandler(tmp_path / "app.log", max_bytes=200, backup_count=2)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)  # as the app runs (configure_logging)
    try:
        for number in range(20):
            logging.getLogger("test").warning("line %d %s", number, "x" * 40)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        handler.close()

    assert {mode(p) for p in tmp_path.iterdir()} == {0o600}
    assert "line 19" in (tmp_path / "app.log").read_text()


def test_settings_file_is_0600_in_a_0700_folder(tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.ini"
    settings = AppSettings(path)
    settings.username = "alice"
    settings.sync()

    assert "alice" in path.read_text()
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700


def test_settings_file_of_an_older_version_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    path.write_text("[signin]\nusername=alice\n")
    path.chmod(0o644)

    settings = AppSettings(path)
    settings.username = "bob"
    settings.sync()

    assert settings.username == "bob"
    assert mode(path) == 0o600
