"""The app's entry points: command line, start-up (the sign-in dialog first, then the main
window, then the background work), crash handling."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from conftest import ModalHandler, button_named, signed_in_at_start, start_app
from needs import program
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from dispatch_desktop import __version__
from dispatch_desktop.cli import build_parser
from dispatch_desktop.demo import DemoServer
from dispatch_desktop.storage.secrets import SecretStore
from dispatch_desktop.ui import app
from dispatch_desktop.ui.app import StartUp, prepare
from dispatch_desktop.ui.crash import CrashHandler, crash_report
from dispatch_desktop.ui.main_window import MainWindow
from dispatch_desktop.ui.signin import SignInDialog


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


ANSWER_AND_LIST_HEAVY_MODULES = """
import sys
from dispatch_desktop.cli import main

try:
    main([sys.argv[1]])
except SystemExit:
    pass
heavy = {"PySide6", "requests", "urllib3", "keyring", "sqlite3", "waitress"}
print(sorted({name.partition(".")[0] for name in sys.modules} & heavy))
"""


@pytest.mark.parametrize("option", ["--version", "--help"])
def test_version_and_help_load_neither_qt_nor_the_network_nor_the_keyring(option: str) -> None:
    answered = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", ANSWER_AND_LIST_HEAVY_MODULES, option],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert answered.returncode == 0, answered.stderr
    assert answered.stdout.splitlines()[-1] == "[]"


# -- start-up: the sign-in dialog first, then the window, then the rest ----------------------

BACKGROUND_WORK = {"keyring", "journal", "demo server", "monitor"}


class FirstPaints(QObject):
    """Notes in ``events`` the first paint of the sign-in dialog and of the main window."""

    def __init__(self, events: list[str]) -> None:
        super().__init__()
        self.events = events

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint and isinstance(watched, SignInDialog | MainWindow):
            note = f"painted {type(watched).__name__}"
            if note not in self.events:
                self.events.append(note)
        return False


def noting(events: list[str], name: str, function: Callable[..., object]) -> Callable[..., object]:
    """``function``, noting ``name`` in ``events`` (from whichever thread) when it begins."""

    def noted(*args: object, **kwargs: object) -> object:
        events.append(name)
        return function(*args, **kwargs)

    return noted


@pytest.fixture
def work_log(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The order of the start-up's first paints and of the beginnings of its background work:
    keyring, journal, demo server, job monitor."""
    events: list[str] = []
    for method in ("status", "load", "save", "forget"):
        monkeypatch.setattr(
            SecretStore, method, noting(events, "keyring", getattr(SecretStore, method))
        )
    monkeypatch.setattr(app, "open_journal", noting(events, "journal", app.open_journal))
    monkeypatch.setattr(DemoServer, "start", noting(events, "demo server", DemoServer.start))
    monkeypatch.setattr(
        StartUp, "_start_monitor", noting(events, "monitor", StartUp._start_monitor)
    )
    watcher = FirstPaints(events)
    QApplication.instance().installEventFilter(watcher)
    yield events
    QApplication.instance().removeEventFilter(watcher)


@pytest.fixture
def slow_demo_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[threading.Event, list]]:
    """The demo server starts only once the test sets the event; the servers started."""
    go = threading.Event()
    started: list[DemoServer] = []
    real_start = DemoServer.start

    def start_when_told(server: DemoServer) -> DemoServer:
        go.wait(30)
        started.append(server)
        return real_start(server)

    monkeypatch.setattr(DemoServer, "start", start_when_told)
    yield go, started
    go.set()


def begun(qtbot, args: argparse.Namespace, stack: ExitStack) -> StartUp:
    """The start-up begun, up to its main window shown."""
    prepare(args)
    start = StartUp(args, stack)
    start.begin()
    qtbot.waitUntil(lambda: start.window is not None and start.window.isVisible(), timeout=10_000)
    return start


def close(start: StartUp) -> None:
    window = start.window
    assert window is not None
    start.runner.wait_for_done(10_000)
    if start.dialog is not None:  # still asking to sign in: as the window's close does (SIGTERM)
        start.dialog.reject()
    window.close()
    if window.session is not None:
        window.session.client.close()


@pytest.mark.usefixtures("data_dir", "memory_keyring", "restore_logging")
@pytest.mark.parametrize(
    ("options", "work"),
    [
        (["--demo", "--demo-start-delay", "0"], BACKGROUND_WORK),
        (["--server", "https://dispatch.example.com/api"], BACKGROUND_WORK - {"demo server"}),
    ],
    ids=["demo", "real"],
)
def test_the_sign_in_dialog_is_painted_first_then_the_window_then_the_rest_begins(
    qtbot, work_log: list[str], options: list[str], work: set[str]
) -> None:
    args = build_parser().parse_args(options)
    with ExitStack() as stack:
        start = begun(qtbot, args, stack)
        qtbot.waitUntil(lambda: work <= set(work_log), timeout=10_000)
        window, dialog = start.window, start.dialog
        assert window is not None
        assert dialog is not None
        assert dialog.parent() is window  # moved onto the window: never stacked under it
        assert dialog.isVisible()
        assert dialog.isModal()
        assert window.session is None
        assert "Not signed in" in window.jobs_panel.empty_label.text()
        close(start)
    assert work_log[:2] == ["painted SignInDialog", "painted MainWindow"], work_log
    assert set(work_log[2:]) == work


@pytest.mark.usefixtures("memory_keyring", "restore_logging")
def test_the_sign_in_dialog_signs_in_nowhere_until_the_demo_server_runs(
    qtbot, data_dir: Path, slow_demo_server: tuple[threading.Event, list]
) -> None:
    go, started = slow_demo_server
    args = build_parser().parse_args(["--demo", "--demo-start-delay", "0"])
    with ExitStack() as stack:
        start = begun(qtbot, args, stack)
        window, dialog = start.window, start.dialog
        assert window is not None
        assert dialog is not None
        qtbot.waitUntil(lambda: "start demo server" in start.runner.running(), timeout=10_000)
        assert dialog.windowTitle().startswith("[DEMO]")
        assert dialog.server.text() == ""
        assert dialog.server.isReadOnly()
        assert "Starting the demo server" in dialog.server.placeholderText()
        assert not dialog.sign_in_button.isEnabled()
        # A click and Enter while it starts: nothing is sent, nothing is said to have failed.
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        assert "sign in" not in start.runner.running()
        assert not dialog.progress.isVisible()
        assert not dialog.error_label.isVisible()
        assert dialog.isVisible()

        go.set()
        qtbot.waitUntil(dialog.sign_in_button.isEnabled, timeout=10_000)
        (server,) = started
        assert server.request_count() == 0
        assert dialog.server.text() == server.url
        assert (dialog.username.text(), dialog.password.text()) == ("demo", "demo")
        signed_in_at_start(qtbot, start)
        assert server.request_count("/listsavedjobs") == 1
        assert window.session is not None
        assert window.session.server == server.url
        assert window.jobs_panel.model.rowCount() >= 8
        qtbot.waitUntil(lambda: window.context.journal is not None, timeout=10_000)
        close(start)
    # The demo profile's own folders (docs/profiles.md); the real profile's stay empty.
    assert (data_dir / "logs" / "demo" / "dispatch-desktop.log").exists()
    assert (data_dir / "data" / "demo" / "launch-journal.sqlite3").exists()
    assert (data_dir / "config" / "demo" / "settings.ini").exists()
    assert not (data_dir / "logs" / "dispatch-desktop.log").exists()
    assert not (data_dir / "data" / "launch-journal.sqlite3").exists()
    assert not (data_dir / "config" / "settings.ini").exists()


@pytest.mark.usefixtures("memory_keyring", "restore_logging")
def test_signing_in_again_before_the_demo_server_runs_says_it_is_starting(
    qtbot, data_dir: Path, slow_demo_server: tuple[threading.Event, list], modal: ModalHandler
) -> None:
    go, _ = slow_demo_server
    args = build_parser().parse_args(["--demo", "--demo-start-delay", "0"])
    with ExitStack() as stack:
        start = begun(qtbot, args, stack)
        window, dialog = start.window, start.dialog
        assert window is not None
        assert dialog is not None
        dialog.cancel_button.click()
        assert start.dialog is None
        assert window.isVisible()
        window.sign_in_action.trigger()  # File → Sign in… (Ctrl+L)
        assert modal.titles == []
        assert "still starting" in window.statusBar().currentMessage()

        go.set()
        qtbot.waitUntil(lambda: window.context.demo_server is not None, timeout=10_000)
        modal.click(button_named("Sign in"))
        window.sign_in_action.trigger()
        assert modal.titles == ["[DEMO] Sign in — Dispatch Desktop"]
        qtbot.waitUntil(lambda: window.session is not None, timeout=10_000)
        close(start)


@pytest.mark.usefixtures("data_dir", "memory_keyring", "restore_logging")
def test_a_demo_server_that_cannot_start_is_reported_and_nothing_is_sent(
    qtbot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def refuse(server: DemoServer) -> DemoServer:
        raise OSError(98, "Address already in use")

    monkeypatch.setattr(DemoServer, "start", refuse)
    args = build_parser().parse_args(["--demo"])
    with ExitStack() as stack:
        start = begun(qtbot, args, stack)
        dialog = start.dialog
        assert dialog is not None
        qtbot.waitUntil(dialog.error_label.isVisible, timeout=10_000)
        assert dialog.error_label.text() == ("The demo server could not start; see the log file.")
        assert not dialog.sign_in_button.isEnabled()
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        assert "sign in" not in start.runner.running()
        close(start)
    assert "the demo server could not start" in caplog.text


def test_the_sign_in_dialog_is_on_top_on_a_bare_x_server(tmp_path: Path) -> None:
    """With no window manager to honour "transient for" (a bare X server, as on some
    kiosks), the start-up's modal sign-in dialog, moved onto the main window that came after
    it, must still be on top: under it, the app looks frozen. The screen where the dialog
    stands must show the dialog (it showed the main window: 76 % of the pixels differed)."""
    xvfb_run = program("xvfb-run", "the test needs a bare X server")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    env["DISPATCH_DESKTOP_DATA_DIR"] = str(tmp_path)
    probe = Path(__file__).with_name("stack_probe.py")
    result = subprocess.run(  # noqa: S603 - our own probe, under a throwaway X server
        [xvfb_run, "-a", "-s", "-screen 0 1366x768x24", sys.executable, str(probe)],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
        env=env,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith(("DIFF", "NO "))]
    assert lines, result.stdout + result.stderr
    assert lines[-1].startswith("DIFFERING"), lines[-1]
    assert float(lines[-1].split()[1]) < 0.05, lines[-1]


@pytest.mark.usefixtures("data_dir", "memory_keyring", "restore_logging")
def test_server_option_is_offered_at_sign_in(qtbot) -> None:
    args = build_parser().parse_args(["--server", "https://dispatch.example.com/api"])
    with ExitStack() as stack:
        start = start_app(qtbot, args, stack)
        assert start.dialog is not None
        assert start.dialog.server.text() == "https://dispatch.example.com/api"
        assert not start.dialog.server.isReadOnly()
        assert start.window is not None
        assert not start.window.windowTitle().startswith("[DEMO]")
        close(start)


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
