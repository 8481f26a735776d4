"""Closing the app: during a start it waits for the start call's answer, at most until the
call's deadline, and says so; SIGTERM and SIGINT close it like its close button, without a
question nobody could answer; the real app exits cleanly on either signal."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from conftest import ModalHandler, button_named
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog
from test_launch import launch_office_party
from test_main_window import OFFICE_PARTY, select_job

from dispatch_desktop.api import Credentials, DispatchClient
from dispatch_desktop.demo import DemoServer
from dispatch_desktop.httpserver import TrackedHTTPServer
from dispatch_desktop.storage.journal import LaunchJournal, Outcome
from dispatch_desktop.storage.paths import Profile, config_dir, journal_path, log_dir
from dispatch_desktop.ui import launch_panel
from dispatch_desktop.ui.launch_panel import JOURNAL_GRACE_SECONDS, ClosingNotice
from dispatch_desktop.ui.main_window import MainWindow
from dispatch_desktop.ui.signals import SignalWatcher, close_on_signals

QUESTION = "A job is starting"
CLOSING = "[DEMO] Closing — Dispatch Desktop"
# Slack for a slow CI machine on top of every deadline: the point is "not 600 s".
MARGIN_SECONDS = 5.0


class DialogRecorder:
    """Notes every modal dialog shown while it runs (its title and, for the closing notice,
    its message), without acting on it."""

    def __init__(self) -> None:
        self.seen: dict[str, str] = {}
        self._timer = QTimer()
        self._timer.setInterval(20)
        self._timer.timeout.connect(self._poll)
        self._timer.start()

    def _poll(self) -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog) and dialog.isVisible():
            text = dialog.message.text() if isinstance(dialog, ClosingNotice) else ""
            self.seen.setdefault(dialog.windowTitle(), text)

    def stop(self) -> None:
        self._timer.stop()


@pytest.fixture
def dialogs() -> Iterator[DialogRecorder]:
    recorder = DialogRecorder()
    yield recorder
    recorder.stop()


@pytest.fixture
def signals_close(window: MainWindow) -> Iterator[SignalWatcher]:
    """SIGTERM and SIGINT close ``window`` as in the app; the test runner's own handlers
    come back afterwards."""
    watcher = close_on_signals(window.close_unattended)
    yield watcher
    watcher.uninstall()


def journal_outcomes(window: MainWindow) -> list[Outcome]:
    journal = window.context.journal
    assert journal is not None
    return [record.outcome for record in journal.entries()]


def start_and_wait_in_flight(qtbot, window: MainWindow, modal: ModalHandler) -> None:
    launch_office_party(qtbot, window, modal)
    qtbot.waitUntil(lambda: window.launcher.in_flight)
    qtbot.waitUntil(lambda: journal_outcomes(window) == [Outcome.PENDING])


def close_timed(window: MainWindow) -> float:
    began = time.monotonic()
    window.close()
    return time.monotonic() - began


def test_closing_during_a_start_waits_for_its_answer_and_says_so(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer, dialogs
) -> None:
    demo_server.start_delay = 1.5
    start_and_wait_in_flight(qtbot, window, modal)
    modal.click(button_named("Yes"))
    elapsed = close_timed(window)

    assert not window.isVisible()
    assert elapsed < 1.5 + MARGIN_SECONDS
    notice = dialogs.seen[CLOSING]
    assert "as soon as the start call for “Office Party” has an answer" in notice
    assert "at the latest at" in notice
    assert "recorded in the launch journal" in notice
    assert journal_outcomes(window) == [Outcome.OK]  # the answer came and was recorded
    assert window.outcome.kind is Outcome.OK
    assert window.context.settings.window_geometry is not None


def test_closing_waits_no_longer_than_the_start_calls_deadline(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer, dialogs
) -> None:
    demo_server.fault = "hang"  # the job starts; its answer never comes
    assert window.session is not None
    window.session.client.start_timeout = 2.0
    start_and_wait_in_flight(qtbot, window, modal)
    question: list[str] = []

    def read_and_confirm(box: QDialog) -> None:
        question.append(box.text())
        button_named("Yes")(box).click()

    modal.then(read_and_confirm)
    elapsed = close_timed(window)

    assert not window.isVisible()
    assert elapsed < 2.0 + JOURNAL_GRACE_SECONDS + MARGIN_SECONDS
    assert "at most until" in question[0]
    assert CLOSING in dialogs.seen
    assert journal_outcomes(window) == [Outcome.UNKNOWN]  # not left pending
    assert window.outcome.kind is Outcome.UNKNOWN


class _TrickleHandler(BaseHTTPRequestHandler):
    """Answers the start call one byte at a time, never finishing: each read gets data in
    time, so only a deadline for the whole call ends it."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        while not self.server.stopping.wait(0.2):  # type: ignore[attr-defined]
            self.wfile.write(b" ")
            self.wfile.flush()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def trickling_server() -> Iterator[TrackedHTTPServer]:
    server = TrackedHTTPServer(("127.0.0.1", 0), _TrickleHandler)
    server.stopping = threading.Event()  # type: ignore[attr-defined]
    server.serve_in_thread("trickle")
    yield server
    server.stopping.set()  # type: ignore[attr-defined]
    server.stop()


def test_a_start_call_that_outlives_its_deadline_does_not_hold_the_close(
    qtbot,
    window: MainWindow,
    modal: ModalHandler,
    trickling_server: TrackedHTTPServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(launch_panel, "JOURNAL_GRACE_SECONDS", 0.5)
    assert window.session is not None
    url = f"http://127.0.0.1:{trickling_server.server_port}/dispatch/api"
    client = DispatchClient(url, Credentials(username="demo", password="demo"))
    client.start_timeout = 2.0
    window.session.client = client
    start_and_wait_in_flight(qtbot, window, modal)
    modal.click(button_named("Yes"))
    elapsed = close_timed(window)

    assert not window.isVisible()
    assert elapsed < 2.0 + 0.5 + MARGIN_SECONDS
    # Ended by the client's deadline, the row is "unknown" already; else it is still
    # "pending", which History shows as outcome unknown too. Never "not sent".
    assert journal_outcomes(window) in ([Outcome.UNKNOWN], [Outcome.PENDING])
    trickling_server.stopping.set()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not window.launcher.in_flight, timeout=10_000)
    assert journal_outcomes(window) == [Outcome.UNKNOWN]
    client.close()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_during_a_start_closes_after_its_answer_without_asking(
    qtbot,
    window: MainWindow,
    modal: ModalHandler,
    demo_server: DemoServer,
    dialogs,
    signals_close,
    signum: signal.Signals,
) -> None:
    window.start_monitor()
    qtbot.waitUntil(
        lambda: window.event_source is not None and window.event_source.receiver is not None
    )
    receiving = window.event_source
    demo_server.start_delay = 1.5
    start_and_wait_in_flight(qtbot, window, modal)
    os.kill(os.getpid(), signum)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=int((1.5 + MARGIN_SECONDS) * 1000))

    assert QUESTION not in " ".join(dialogs.seen)  # nobody is there to answer
    assert CLOSING in dialogs.seen
    assert journal_outcomes(window) == [Outcome.OK]
    assert window.context.settings.window_geometry is not None
    assert window.event_source is None
    assert receiving is not None
    assert receiving.receiver is None  # the event receiver is stopped


def test_a_signal_while_the_close_question_is_open_closes_without_the_answer(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer, signals_close
) -> None:
    demo_server.start_delay = 1.5
    start_and_wait_in_flight(qtbot, window, modal)
    modal.then(lambda _question: os.kill(os.getpid(), signal.SIGTERM))
    window.close()

    assert QUESTION in modal.titles[-1]
    assert not window.isVisible()
    assert journal_outcomes(window) == [Outcome.OK]


def test_a_signal_cancels_an_open_confirmation_and_closes(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer, signals_close
) -> None:
    select_job(qtbot, window, OFFICE_PARTY)
    modal.then(lambda _confirmation: os.kill(os.getpid(), signal.SIGTERM))
    window.form.start_button.click()

    qtbot.waitUntil(lambda: not window.isVisible())
    assert "Confirm launch" in modal.titles[-1]
    assert demo_server.request_count("/startsavedjob") == 0  # the launch was not confirmed
    assert journal_outcomes(window) == []


def test_the_signal_watcher_gives_the_handlers_back(qtbot) -> None:
    before = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT)}
    received: list[int] = []
    watcher = SignalWatcher()
    watcher.received.connect(received.append)
    try:
        assert signal.getsignal(signal.SIGTERM) is not before[signal.SIGTERM]
        os.kill(os.getpid(), signal.SIGINT)  # no KeyboardInterrupt: reported instead
        qtbot.waitUntil(lambda: received == [signal.SIGINT])
    finally:
        watcher.uninstall()
    assert {signum: signal.getsignal(signum) for signum in before} == before
    assert not watcher._notifier.isEnabled()


# -- the real app --------------------------------------------------------------------------


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def log_text() -> str:
    path = log_dir(Profile.DEMO) / "dispatch-desktop.log"  # the app runs with --demo
    return path.read_text(encoding="utf-8") if path.exists() else ""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_the_app_exits_cleanly_on_a_signal(signum: signal.Signals, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    stderr = tmp_path / "stderr.txt"
    with stderr.open("w") as errors:
        app = subprocess.Popen(
            [sys.executable, "-m", "dispatch_desktop", "--demo", "--demo-start-delay", "0"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        try:
            # Up: the window is shown, the journal open, the sign-in dialog about to open.
            wait_for(lambda: "asking to sign in" in log_text(), 60, "the app to start")
            wait_for(journal_path(Profile.DEMO).exists, 30, "the journal to open")
            began = time.monotonic()
            app.send_signal(signum)
            code = app.wait(timeout=30)
            elapsed = time.monotonic() - began
        finally:
            if app.poll() is None:
                app.kill()
                app.wait()
    assert code == 0, stderr.read_text()
    assert elapsed < 20
    assert f"received {signum.name}" in log_text()
    assert "Traceback" not in stderr.read_text()
    settings = (config_dir(Profile.DEMO) / "settings.ini").read_text(encoding="utf-8")
    assert "geometry" in settings  # saved as the close button saves it
    journal = LaunchJournal(journal_path(Profile.DEMO))
    outcomes = [record.outcome for record in journal.entries()]
    assert Outcome.PENDING not in outcomes


LEAVE_WITH_STUCK_WORK = """
import logging, sys, threading, time
from PySide6.QtCore import QCoreApplication
from dispatch_desktop.ui import app
from dispatch_desktop.ui.workers import TaskRunner

logging.basicConfig(stream=sys.stderr, level=logging.INFO)
qt = QCoreApplication([])
app.SHUTDOWN_WAIT_MS = 300
runner = TaskRunner()
runner.submit(lambda: threading.Event().wait(120), "keyring prompt nobody answers")
time.sleep(0.2)
app.finish_background_work(runner, 0)
print("not reached")
"""


def test_work_that_never_ends_does_not_keep_the_process_alive() -> None:
    """Qt's thread pool waits for its work at exit; the app leaves without it instead."""
    began = time.monotonic()
    ended = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", LEAVE_WITH_STUCK_WORK],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ended.returncode == 0
    assert time.monotonic() - began < 30  # not the 120 s the work would take
    assert "not reached" not in ended.stdout
    assert "keyring prompt nobody answers" in ended.stderr
