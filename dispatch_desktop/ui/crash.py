"""Logging to a rotating file, and the dialog an unexpected exception shows.

No traceback reaches a user as the message: they read one sentence, and the report (with the
traceback, credentials masked) is in a details box they can copy for support.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from dispatch_desktop import __version__
from dispatch_desktop.api.redaction import RedactingFormatter, redact
from dispatch_desktop.storage.private import PrivateRotatingFileHandler, private_folder
from dispatch_desktop.ui.common import fill, translate, window_title

log = logging.getLogger(__name__)
LOG_FILE_NAME = "dispatch-desktop.log"


def configure_logging(folder: Path) -> Path:
    """Log INFO and above to a rotating file in ``folder``; return the file's path. The folder
    is 0700 and every log file 0600 (storage/private.py): the log names jobs and people."""
    path = private_folder(folder) / LOG_FILE_NAME
    handler = PrivateRotatingFileHandler(path, max_bytes=1_000_000, backup_count=5)
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def crash_report(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> str:
    """A support report: version, platform and the traceback, with credentials masked."""
    lines = traceback.format_exception(kind, error, tb)
    header = f"Dispatch Desktop {__version__} on Python {sys.version.split()[0]} ({sys.platform})"
    return redact(header + "\n\n" + "".join(lines))


class CrashHandler:
    """Installed as ``sys.excepthook`` and ``threading.excepthook``."""

    def __init__(self, log_file: Path | None, *, demo: bool = False) -> None:
        self.log_file = log_file
        self.demo = demo
        self.shown = 0

    def install(self) -> None:
        """Catch every unhandled exception of the GUI thread and of worker threads."""
        sys.excepthook = self.handle
        threading.excepthook = lambda args: self.handle(
            args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback
        )

    def handle(
        self, kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        """Log the report and, in the GUI thread, show it in a dialog."""
        report = crash_report(kind, error, tb)
        log.error("unexpected error\n%s", report)
        if threading.current_thread() is not threading.main_thread():
            return
        if QApplication.instance() is None:
            return
        self.shown += 1
        title = window_title(translate("Crash", "Unexpected error"), self.demo)
        box = QMessageBox(QMessageBox.Icon.Critical, title, "")
        box.setTextFormat(Qt.TextFormat.PlainText)  # the log file's path is shown as it is
        box.setText(
            fill(
                translate(
                    "Crash",
                    "Something went wrong inside Dispatch Desktop (%1). Your work is not lost: the "
                    "window keeps running. If it happens again, send the report below to support.",
                ),
                kind.__name__,
            )
        )
        where = str(self.log_file) if self.log_file else translate("Crash", "the log file")
        box.setInformativeText(fill(translate("Crash", "The report is also in %1."), where))
        box.setDetailedText(report)
        box.exec()
