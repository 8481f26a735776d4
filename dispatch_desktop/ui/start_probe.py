"""What ``dispatch-desktop --diagnose`` runs in a child process to see whether Qt and every
window's module load and a window opens offscreen (dispatch_desktop/diagnose.py reads its one
line of output). Here, in ui/, because it is the one part of the diagnosis that loads Qt."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

import dispatch_desktop.ui.main_window  # noqa: F401 - every window's module must load


def start_probe() -> None:
    """Open a window, and print the platform's name and how many font families Qt offers
    (its own fallbacks count: fonts are checked by file)."""
    app = QApplication(["dispatch-desktop"])
    window = QWidget()
    window.show()
    app.processEvents()
    print(app.platformName(), len(QFontDatabase.families()), flush=True)
