"""Starts the desktop app: logging, crash handler, demo server, sign-in, main window.

``--demo`` starts it in the demo profile: settings, journal, job events and logs of its own
(storage/paths.py, docs/profiles.md), so a drill never shows up beside real callouts."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from contextlib import ExitStack

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from dispatch_desktop import __version__
from dispatch_desktop.storage.journal import JournalError, LaunchJournal
from dispatch_desktop.storage.paths import Profile, config_dir, journal_path, log_dir
from dispatch_desktop.storage.secrets import SecretStore
from dispatch_desktop.ui.common import APP_NAME
from dispatch_desktop.ui.crash import CrashHandler, configure_logging
from dispatch_desktop.ui.main_window import AppContext, MainWindow
from dispatch_desktop.ui.settings import AppSettings
from dispatch_desktop.ui.signals import close_on_signals
from dispatch_desktop.ui.workers import TaskRunner

log = logging.getLogger(__name__)
SETTINGS_FILE_NAME = "settings.ini"
SHUTDOWN_WAIT_MS = 5_000
"""How long background work may still take once the window has closed. A start call in flight
had its answer or its deadline by then (the window waited for it, saying so)."""


def profile_of(args: argparse.Namespace) -> Profile:
    """The profile the command line asks for: demo with ``--demo``, else real."""
    return Profile.of(demo=args.demo)


def open_journal(profile: Profile) -> LaunchJournal | None:
    """The profile's launch journal, or ``None`` (and a log line) when it cannot be opened."""
    try:
        return LaunchJournal(journal_path(profile))
    except JournalError:
        log.exception("the launch journal could not be opened")
        return None


def build_context(args: argparse.Namespace) -> AppContext:
    """Everything the windows share. The journal and, in demo mode, the demo server come
    later, in :func:`first_sign_in`, once the window is on screen."""
    settings = AppSettings(config_dir(profile_of(args)) / SETTINGS_FILE_NAME)
    if args.server:
        settings.server_url = args.server
    return AppContext(
        settings=settings,
        secrets=SecretStore(),
        runner=TaskRunner(),
        journal=None,
        demo=args.demo,
    )


def start_demo_server(context: AppContext, args: argparse.Namespace, stack: ExitStack) -> None:
    """Start the embedded demo server and pre-fill its account (``--demo``)."""
    # Imported here: the demo server is only part of the app in demo mode.
    from dispatch_desktop.demo import DEMO_PASSWORD, DEMO_USERNAME, DemoServer, tag_vocabulary

    server = stack.enter_context(
        DemoServer(start_delay=args.demo_start_delay, speed=5.0, synthetic_jobs=args.demo_jobs)
    )
    context.demo_server = server.url
    context.set_demo_callback_url = lambda url: setattr(server, "callback_url", url)
    context.demo_credentials = (DEMO_USERNAME, DEMO_PASSWORD)
    context.demo_vocabulary = tag_vocabulary()


def create_main_window(args: argparse.Namespace) -> MainWindow:
    """The application object's settings, the crash handler and the (signed-out) main
    window: what start-up does before the first paint."""
    log_file = configure_logging(log_dir(profile_of(args)))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("dispatch-desktop")  # Wayland: the entry's name and icon, not "python3"
    app.setWindowIcon(QIcon.fromTheme("dispatch-desktop", QIcon.fromTheme("mail-send")))
    CrashHandler(log_file, demo=args.demo).install()
    return MainWindow(build_context(args))


def first_sign_in(window: MainWindow, args: argparse.Namespace, stack: ExitStack) -> None:
    """After the window is shown: open the journal (off the GUI thread), start the demo
    server if asked and the job monitor, then ask to sign in."""
    if not window.isVisible():  # closed already (a signal came first)
        return
    profile = window.context.profile
    window.context.runner.submit(
        lambda: open_journal(profile), "open launch journal", window.set_journal
    )
    if args.demo:
        start_demo_server(window.context, args, stack)
        window.refresh_vocabulary()
    window.start_monitor()
    log.info("window shown; asking to sign in")
    window.sign_in_again()


def run(args: argparse.Namespace) -> int:
    """Run the app until its window closes; return the exit code.

    The main window appears at once, signed out, and the sign-in dialog opens over it: the
    user sees the app before any network, keyring or demo-server work has begun. SIGTERM and
    SIGINT close the window as its close button does, without asking.
    """
    with ExitStack() as stack:
        window = create_main_window(args)
        stack.callback(close_on_signals(window.close_unattended).uninstall)
        window.show()
        QTimer.singleShot(0, lambda: first_sign_in(window, args, stack))
        code = QApplication.instance().exec()
        finish_background_work(window.context.runner, code)
        return code


def finish_background_work(runner: TaskRunner, code: int) -> None:
    """Give work still running (a sign-in, a refresh) :data:`SHUTDOWN_WAIT_MS` to end, then
    leave without it: Qt's thread pool would otherwise keep the process alive, windowless,
    until a network call or a keyring prompt ends. The journal and settings are written by
    then."""
    if runner.wait_for_done(SHUTDOWN_WAIT_MS):
        return
    log.warning("leaving while background work still runs: %s", ", ".join(runner.running()))
    logging.shutdown()
    os._exit(code)
