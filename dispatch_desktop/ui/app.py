"""Starts the desktop app: logging, crash handler, demo server, sign-in, main window."""

from __future__ import annotations

import argparse
import logging
import sys
from contextlib import ExitStack

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog

from dispatch_desktop import __version__
from dispatch_desktop.storage.journal import JournalError, LaunchJournal
from dispatch_desktop.storage.paths import config_dir, journal_path, log_dir
from dispatch_desktop.storage.secrets import SecretStore
from dispatch_desktop.ui.common import APP_NAME
from dispatch_desktop.ui.crash import CrashHandler, configure_logging
from dispatch_desktop.ui.main_window import AppContext, MainWindow
from dispatch_desktop.ui.settings import AppSettings
from dispatch_desktop.ui.workers import TaskRunner

log = logging.getLogger(__name__)
SETTINGS_FILE_NAME = "settings.ini"


def open_journal() -> LaunchJournal | None:
    """The launch journal, or ``None`` (and a log line) when it cannot be opened."""
    try:
        return LaunchJournal(journal_path())
    except JournalError:
        log.exception("the launch journal could not be opened")
        return None


def build_context(args: argparse.Namespace, stack: ExitStack) -> AppContext:
    """Everything the windows share; in demo mode also the embedded demo server."""
    settings = AppSettings(config_dir() / SETTINGS_FILE_NAME)
    if args.server:
        settings.server_url = args.server
    context = AppContext(
        settings=settings,
        secrets=SecretStore(),
        runner=TaskRunner(),
        journal=open_journal(),
    )
    if args.demo:
        # Imported here: the demo server is only part of the app in demo mode.
        from dispatch_desktop.demo import (
            DEMO_PASSWORD,
            DEMO_USERNAME,
            DemoServer,
            tag_vocabulary,
        )

        server = stack.enter_context(DemoServer(start_delay=args.demo_start_delay))
        context.demo = True
        context.demo_server = server.url
        context.demo_credentials = (DEMO_USERNAME, DEMO_PASSWORD)
        context.demo_vocabulary = tag_vocabulary()
    return context


def run(args: argparse.Namespace) -> int:
    """Run the app until its window closes; return the exit code."""
    log_file = configure_logging(log_dir())
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon.fromTheme("mail-send"))
    CrashHandler(log_file).install()
    with ExitStack() as stack:
        context = build_context(args, stack)
        dialog = context.sign_in_dialog()
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_session is None:
            context.runner.wait_for_done()
            return 0
        window = MainWindow(context, dialog.result_session)
        window.show()
        code = app.exec()
        # A start call still running keeps its thread until it answers or times out; its
        # outcome still reaches the journal.
        context.runner.wait_for_done()
        return code
