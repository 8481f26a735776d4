"""Fixtures of the GUI tests: a real demo server on loopback, an in-memory keyring, settings
and journal in a temporary folder, and a main window signed in to the demo server."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from keyring_memory import InMemoryKeyring
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QWidget

from dispatch_desktop.demo import DEMO_PASSWORD, DEMO_USERNAME, DemoServer, tag_vocabulary
from dispatch_desktop.storage.journal import LaunchJournal
from dispatch_desktop.storage.secrets import SecretStore
from dispatch_desktop.ui.app import StartUp, prepare
from dispatch_desktop.ui.main_window import AppContext, MainWindow
from dispatch_desktop.ui.settings import AppSettings
from dispatch_desktop.ui.signin import SignInForm, sign_in
from dispatch_desktop.ui.workers import TaskRunner


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """The app's start-up configures logging and the crash hook; put them back after."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    hooks, thread_hooks = sys.excepthook, threading.excepthook
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    sys.excepthook = hooks
    threading.excepthook = thread_hooks


def start_app(qtbot, args: argparse.Namespace, stack: ExitStack) -> StartUp:
    """The app's start as ``run()`` makes it, without its event loop: the sign-in dialog, the
    main window behind it, then the rest. Returns once the dialog can sign in (in demo mode:
    once the demo server runs); ``stack`` stops the demo server."""
    prepare(args)
    start = StartUp(args, stack)
    start.begin()
    qtbot.waitUntil(lambda: start.window is not None and start.window.isVisible(), timeout=10_000)
    dialog = start.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.sign_in_button.isEnabled, timeout=10_000)
    return start


def signed_in_at_start(
    qtbot, start: StartUp, sign_in: Callable[[QDialog], None] | None = None
) -> MainWindow:
    """Sign in with the start-up's dialog, by ``sign_in(dialog)`` (default: its Sign in button
    as it is filled); returns the signed-in main window."""
    dialog, window = start.dialog, start.window
    assert dialog is not None
    assert window is not None
    if sign_in is None:
        dialog.sign_in_button.click()
    else:
        sign_in(dialog)
    qtbot.waitUntil(
        lambda: window.session is not None or dialog.error_label.isVisible(), timeout=10_000
    )
    assert window.session is not None, dialog.error_label.text()
    return window


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    """A task runner of its own, its tasks waited for at the end."""
    runner = TaskRunner()
    yield runner
    runner.wait_for_done(30_000)


@pytest.fixture
def journal(tmp_path: Path) -> LaunchJournal:
    """An empty launch journal in the test's folder."""
    return LaunchJournal(tmp_path / "journal.sqlite3")


@pytest.fixture
def memory_keyring() -> Iterator[InMemoryKeyring]:
    previous = keyring.get_keyring()
    backend = InMemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def demo_server() -> Iterator[DemoServer]:
    with DemoServer(start_delay=0.0, speed=1000.0) as server:
        yield server


@pytest.fixture
def context(
    tmp_path: Path, demo_server: DemoServer, memory_keyring: InMemoryKeyring
) -> Iterator[AppContext]:
    runner = TaskRunner()
    settings = AppSettings(tmp_path / "settings.ini")
    # Launches are sent at once here; the undo window has tests of its own
    # (test_launch_safety.py), which set it.
    settings.undo_seconds = 0
    context = AppContext(
        settings=settings,
        secrets=SecretStore(),
        runner=runner,
        journal=LaunchJournal(tmp_path / "journal.sqlite3"),
        demo=True,
        demo_server=demo_server.url,
        demo_credentials=(DEMO_USERNAME, DEMO_PASSWORD),
        demo_vocabulary=tag_vocabulary(),
    )
    yield context
    runner.wait_for_done(30_000)


def demo_form(server: DemoServer, **changes: object) -> SignInForm:
    """A sign-in form for the demo account, with ``changes`` applied."""
    return replace(SignInForm.demo_account(server.url), **changes)  # type: ignore[arg-type]


@pytest.fixture
def window(qtbot, context: AppContext, demo_server: DemoServer) -> Iterator[MainWindow]:
    session = sign_in(demo_form(demo_server), context.secrets)
    main = MainWindow(context, session)
    main.show()
    qtbot.waitUntil(lambda: main.history.status.text() != "", timeout=5000)
    yield main
    # Not closed by qtbot (which closes before fixtures end): closing with a launch in flight
    # asks first, a modal question nobody would answer.
    qtbot.waitUntil(lambda: not main.launcher.in_flight, timeout=30_000)
    context.runner.wait_for_done(30_000)
    main.close()
    main.deleteLater()
    session.client.close()


class ModalHandler:
    """Acts on the next modal dialog as soon as it is open (``exec()`` blocks the test, so
    the action comes from a timer). ``titles`` records the dialogs handled."""

    def __init__(self) -> None:
        self.titles: list[str] = []
        self._timer = QTimer()
        self._timer.setInterval(20)
        self._timer.timeout.connect(self._poll)
        self._action: Callable[[QDialog], None] | None = None

    def then(self, action: Callable[[QDialog], None]) -> None:
        """Arm: run ``action(dialog)`` on the next modal dialog."""
        self._action = action
        self._timer.start()

    def click(self, find: Callable[[QDialog], QWidget | None]) -> None:
        """Arm: click the button ``find(dialog)`` returns in the next modal dialog."""

        def press(dialog: QDialog) -> None:
            button = find(dialog)
            if not isinstance(button, QAbstractButton) or not button.isEnabled():
                dialog.reject()  # never leave a modal dialog open: the test would hang
                raise AssertionError(f"no enabled such button in {dialog.windowTitle()!r}")
            button.click()

        self.then(press)

    def _poll(self) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or self._action is None:
            return
        self._timer.stop()
        action, self._action = self._action, None
        self.titles.append(dialog.windowTitle())
        action(dialog)

    def stop(self) -> None:
        """Disarm."""
        self._timer.stop()


def button_named(name: str) -> Callable[[QDialog], QWidget | None]:
    """Finds the button of a dialog by accessible name or by text without '&'."""

    def find(dialog: QDialog) -> QWidget | None:
        for button in dialog.findChildren(QAbstractButton):
            if name in (button.accessibleName(), button.text().replace("&", "")):
                return button
        return None

    return find


@pytest.fixture
def modal() -> Iterator[ModalHandler]:
    handler = ModalHandler()
    yield handler
    handler.stop()
