"""The app's entry points: command line, start-up in demo mode, crash handling."""

from __future__ import annotations

import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest
from conftest import ModalHandler, button_named
from PySide6.QtWidgets import QDialog, QMessageBox

from dispatch_desktop import __version__
from dispatch_desktop.cli import build_parser
from dispatch_desktop.ui.app import create_main_window, first_sign_in
from dispatch_desktop.ui.crash import CrashHandler, crash_report


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DISPATCH_DESKTOP_DATA_DIR", str(tmp_path))
    return tmp_path


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "dispatch_desktop", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_version_and_help_answer_without_starting_qt() -> None:
    version = run_cli("--version")
    assert version.returncode == 0
    assert version.stdout.strip() == f"dispatch-desktop {__version__}"
    usage = run_cli("--help")
    assert usage.returncode == 0
    for option in ("--demo", "--server", "--version"):
        assert option in usage.stdout


def test_demo_start_shows_the_window_then_signs_in_to_the_demo_server(
    qtbot, data_dir: Path, modal: ModalHandler, memory_keyring, restore_logging
) -> None:
    args = build_parser().parse_args(["--demo", "--demo-start-delay", "0"])
    window = create_main_window(args)
    window.show()
    assert window.windowTitle().startswith("[DEMO]")
    assert "Not signed in" in window.jobs_panel.empty_label.text()
    prefilled: list[str] = []

    def sign_in(dialog: QDialog) -> None:
        prefilled.append(f"{dialog.username.text()}/{dialog.password.text()}")
        assert dialog.windowTitle().startswith("[DEMO]")
        dialog.sign_in_button.click()

    modal.then(sign_in)
    with ExitStack() as stack:
        first_sign_in(window, args, stack)
        assert prefilled == ["demo/demo"]
        assert window.session is not None
        assert window.jobs_panel.model.rowCount() >= 8
        qtbot.waitUntil(lambda: window.context.journal is not None)
        window.context.runner.wait_for_done(10_000)
        window.close()
        window.session.client.close()
    # The demo profile's own folders (docs/profiles.md); the real profile's stay empty.
    assert (data_dir / "logs" / "demo" / "dispatch-desktop.log").exists()
    assert (data_dir / "data" / "demo" / "launch-journal.sqlite3").exists()
    assert (data_dir / "config" / "demo" / "settings.ini").exists()
    assert not (data_dir / "logs" / "dispatch-desktop.log").exists()
    assert not (data_dir / "data" / "launch-journal.sqlite3").exists()
    assert not (data_dir / "config" / "settings.ini").exists()


def test_server_option_is_offered_at_sign_in(
    qtbot, data_dir: Path, restore_logging, memory_keyring
) -> None:
    args = build_parser().parse_args(["--server", "https://dispatch.example.com/api"])
    window = create_main_window(args)
    dialog = window.context.sign_in_dialog()
    qtbot.addWidget(dialog)
    assert dialog.server.text() == "https://dispatch.example.com/api"
    assert not window.windowTitle().startswith("[DEMO]")
    window.context.runner.wait_for_done(10_000)
    window.close()


def test_crash_report_masks_credentials() -> None:
    try:
        raise RuntimeError("GET /dispatch/api/listsavedjobs?U=alice&P=hunter2&key=k3y")
    except RuntimeError as error:
        report = crash_report(type(error), error, error.__traceback__)
    assert "hunter2" not in report
    assert "k3y" not in report
    assert "RuntimeError" in report
    assert __version__ in report


def test_unexpected_error_shows_a_sentence_and_logs_the_report(
    qtbot, tmp_path: Path, modal: ModalHandler, caplog: pytest.LogCaptureFixture
) -> None:
    handler = CrashHandler(tmp_path / "dispatch-desktop.log", demo=True)
    shown: list[str] = []

    def read_and_close(dialog: QDialog) -> None:
        assert isinstance(dialog, QMessageBox)
        assert dialog.windowTitle().startswith("[DEMO]")
        shown.append(dialog.text())
        shown.append(dialog.detailedText())
        button_named("OK")(dialog).click()

    modal.then(read_and_close)
    try:
        raise ValueError("https://x/api/listsavedjobs?U=u&P=secret")
    except ValueError as error:
        handler.handle(type(error), error, error.__traceback__)
    assert "Something went wrong" in shown[0]
    assert "Traceback" not in shown[0]
    assert "ValueError" in shown[1]
    assert "secret" not in shown[1]
    assert "unexpected error" in caplog.text
