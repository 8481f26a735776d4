"""Where each profile keeps its files (storage/paths.py, docs/profiles.md): the demo profile
is a ``demo`` folder inside each of the real profile's folders, with or without the
``DISPATCH_DESKTOP_DATA_DIR`` override, and those folders are the app's own (kept private)."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from dispatch_desktop.storage import paths
from dispatch_desktop.storage.paths import Profile
from dispatch_desktop.storage.private import private_folder

FOLDERS = (paths.data_dir, paths.log_dir, paths.config_dir)


def test_each_profile_has_its_own_folders_under_the_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path))
    assert paths.data_dir(Profile.REAL) == tmp_path / "data"
    assert paths.log_dir(Profile.REAL) == tmp_path / "logs"
    assert paths.config_dir(Profile.REAL) == tmp_path / "config"
    assert paths.journal_path(Profile.REAL) == tmp_path / "data" / paths.JOURNAL_FILE_NAME
    assert paths.data_dir(Profile.DEMO) == tmp_path / "data" / "demo"
    assert paths.log_dir(Profile.DEMO) == tmp_path / "logs" / "demo"
    assert paths.config_dir(Profile.DEMO) == tmp_path / "config" / "demo"
    assert paths.journal_path(Profile.DEMO) == tmp_path / "data" / "demo" / paths.JOURNAL_FILE_NAME


def test_the_real_profile_is_the_default_so_existing_files_stay_where_they_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path))
    for folder in FOLDERS:
        assert folder() == folder(Profile.REAL)
    assert paths.journal_path() == paths.journal_path(Profile.REAL)


def test_the_demo_profile_nests_in_the_platform_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.DATA_DIR_ENV, raising=False)
    for folder in FOLDERS:
        real, demo = folder(Profile.REAL), folder(Profile.DEMO)
        assert real.is_absolute()
        assert demo == real / "demo"


def test_no_file_of_one_profile_is_a_file_of_the_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path))
    real = {folder(Profile.REAL) for folder in FOLDERS}
    demo = {folder(Profile.DEMO) for folder in FOLDERS}
    assert not real & demo
    assert paths.journal_path(Profile.REAL) != paths.journal_path(Profile.DEMO)


def test_the_mode_picks_the_profile() -> None:
    assert Profile.of(demo=True) is Profile.DEMO
    assert Profile.of(demo=False) is Profile.REAL


@pytest.mark.skipif(os.name != "posix", reason="folder modes are POSIX")
@pytest.mark.parametrize("folder_of", FOLDERS)
def test_an_open_demo_folder_is_tightened_as_the_apps_own(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    folder_of: object,
) -> None:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path))
    folder: Path = folder_of(Profile.DEMO)  # type: ignore[operator]
    folder.mkdir(0o755, parents=True)
    folder.chmod(0o755)
    caplog.set_level(logging.INFO, "dispatch_desktop.storage.private")

    private_folder(folder)

    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert "can be entered by other users" not in caplog.text
