"""Run by test_app.py under a bare X server (Xvfb, no window manager): start the app as
``dispatch-desktop --demo`` does and print whether the sign-in dialog is what the screen shows
where it stands (it may be stacked under the main window)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from dispatch_desktop.cli import build_parser
from dispatch_desktop.ui import app
from dispatch_desktop.ui.signin import SignInDialog


def differing_share(screen: QImage, dialog: QImage) -> float:
    """The share of the dialog's pixels that the screen shows otherwise (sampled)."""
    differing = total = 0
    for y in range(0, dialog.height(), 7):
        for x in range(0, dialog.width(), 7):
            total += 1
            differing += screen.pixel(x, y) != dialog.pixel(x, y)
    return differing / total


def look() -> None:
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, SignInDialog)]
    visible = [d for d in dialogs if d.isVisible()]
    if not visible:
        print("NO DIALOG", flush=True)
    else:
        dialog = visible[0]
        where = dialog.frameGeometry()
        screen = QApplication.primaryScreen().grabWindow(0, *where.getRect()).toImage()
        own = dialog.grab().toImage().convertToFormat(screen.format())
        print(f"DIFFERING {differing_share(screen, own):.3f}", flush=True)
    QApplication.quit()


if __name__ == "__main__":
    qapp = QApplication(sys.argv[:1])
    QTimer.singleShot(4000, look)
    sys.exit(app.run(build_parser().parse_args(["--demo", "--demo-start-delay", "0"])))
