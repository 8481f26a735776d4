"""Make ``docs/screenshot.png``: the main window in demo mode, with a job open in the form.

Run it with::

    .venv/bin/python tools/screenshot.py                 # writes docs/screenshot.png
    .venv/bin/python tools/screenshot.py --language sv   # writes docs/screenshot-sv.png
    .venv/bin/python tools/screenshot.py -o /tmp/shot.png

Nothing needs a display: Qt renders offscreen (``QT_QPA_PLATFORM=offscreen``, set here before
Qt is imported). The window is signed in to the in-process demo server; settings, journal and
log go to a temporary folder (``DISPATCH_DESKTOP_DATA_DIR``) and secrets to an in-memory
keyring, so the user's files and keyring are never touched. The "Office Party" job (GMM) is
opened in the start-job form with a new name, a message, a tag filter and a response goal,
written in the language of the windows (``--language``, English by default).

Text is drawn in DejaVu Sans (Debian: ``fonts-dejavu-core``) with the Fusion style, so the
picture is the same on every machine that has that font.
"""

from __future__ import annotations

import os

# Before any Qt import: the platform plugin is chosen when the first QGuiApplication starts.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QStyleFactory

from dispatch_desktop.cli import build_parser
from dispatch_desktop.storage.paths import DATA_DIR_ENV
from dispatch_desktop.storage.secrets import SecretStore
from dispatch_desktop.ui.app import build_context, start_demo_server
from dispatch_desktop.ui.common import APP_NAME
from dispatch_desktop.ui.jobs_panel import JOB_ROLE
from dispatch_desktop.ui.language import install_language
from dispatch_desktop.ui.main_window import MainWindow
from dispatch_desktop.ui.signin import SignInForm, sign_in

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "docs" / "screenshot.png"
DEFAULT_OUTPUTS = {"en": DEFAULT_OUTPUT, "sv": REPO_ROOT / "docs" / "screenshot-sv.png"}
WINDOW_SIZE = (1280, 800)
OFFSCREEN_FRAME = 2
"""Pixels of the frame the offscreen platform draws around a window, on each side."""
FONT_FAMILY = "DejaVu Sans"
FONT_POINT_SIZE = 10
# Where Debian's fonts-dejavu-core puts the font, for a Qt that does not find it by itself.
FONT_FILES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)

OFFICE_PARTY = 352872112744058883  # "Office Party", MonitoredMessage: a GMM job
JOB_NAME = "Xmas bash"
MESSAGE = (
    "Our Christmas party is on Friday 15 December at 18:00 in the canteen on floor 2. "
    "Reply YES if you are coming, or NO if you cannot make it."
)
# What a Swedish dispatcher would write in the form (data, so not in the translations).
SWEDISH_JOB = (
    "Julfest",
    "Julfesten är fredag 15 december kl. 18.00 i matsalen på plan 2. "
    "Svara JA om du kommer, eller NEJ om du inte kan.",
)
TAG_FILTER = "Base:STO|OSL;On call:Yes"
RESPONSE_GOAL = 5
WAIT_TIMEOUT_S = 10.0


class MemoryKeyring(KeyringBackend):
    """Secrets in a dict, so the screenshot never reads or writes the user's keyring."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        """The secret, if any."""
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        """Keep the secret."""
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        """Drop the secret; a missing one raises, as real backends do."""
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError("No such password")


@contextmanager
def environment_variable(name: str, value: str) -> Iterator[None]:
    """Set ``name`` to ``value`` for the duration, then restore what was there."""
    previous = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous


@contextmanager
def application_look() -> Iterator[QApplication]:
    """The QApplication, drawing DejaVu Sans; the Fusion style when the app is created here.

    An application that already existed (e.g. in a test) gets its font back afterwards.
    """
    app = QApplication.instance()
    created = app is None
    if app is None:
        app = QApplication([APP_NAME])
        app.setStyle(QStyleFactory.create("Fusion"))
    assert isinstance(app, QApplication)
    if FONT_FAMILY not in QFontDatabase.families():
        for font_file in FONT_FILES:
            if font_file.exists():
                QFontDatabase.addApplicationFont(str(font_file))
    previous_font = app.font()
    app.setFont(QFont(FONT_FAMILY, FONT_POINT_SIZE))
    try:
        yield app
    finally:
        if not created:
            app.setFont(previous_font)


def offscreen_platform(size: tuple[int, int], folder: str) -> str:
    """The offscreen platform with one screen of ``size``: the window opens as on a screen of
    that size, and splits its room for that width (not for the plugin's default 800 x 600)."""
    width, height = (length + 2 * OFFSCREEN_FRAME for length in size)
    screen = {"name": "screenshot", "x": 0, "y": 0, "width": width, "height": height}
    config = Path(folder) / "screen.json"
    config.write_text(json.dumps({"screens": [screen | {"logicalDpi": 96, "logicalDpiY": 96}]}))
    return f"offscreen:configfile={config}"


def wait_until(condition: Callable[[], bool], what: str, timeout: float = WAIT_TIMEOUT_S) -> None:
    """Process events until ``condition()`` holds; raise ``TimeoutError`` naming ``what``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        QCoreApplication.processEvents()
        time.sleep(0.01)


def open_office_party(window: MainWindow, language: str = "en") -> None:
    """Select "Office Party" in the saved-jobs table, open it and fill the form."""
    panel = window.jobs_panel
    proxy = panel.proxy
    rows = [
        r for r in range(proxy.rowCount()) if proxy.index(r, 0).data(JOB_ROLE).id == OFFICE_PARTY
    ]
    if not rows:
        raise LookupError(f"the demo server has no saved job {OFFICE_PARTY}")
    panel.table.selectRow(rows[0])
    window.open_job(proxy.index(rows[0], 0).data(JOB_ROLE))
    form = window.form
    name, message = SWEDISH_JOB if language == "sv" else (JOB_NAME, MESSAGE)
    form.jobname.setText(name)
    form.message.setPlainText(message)
    form.tagfilter.set_filter(TAG_FILTER)
    form.keep_replace.setChecked(True)
    form.responsegoal.setValue(RESPONSE_GOAL)
    form.jobname.setFocus()
    form.jobname.end(False)


def make_screenshot(
    output: Path = DEFAULT_OUTPUT, size: tuple[int, int] = WINDOW_SIZE, language: str = "en"
) -> Path:
    """Render the main window as described in the module docstring to ``output`` (PNG), its
    texts in ``language``."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="dispatch-screenshot-") as data_dir,
        environment_variable(DATA_DIR_ENV, data_dir),
        environment_variable("QT_QPA_PLATFORM", offscreen_platform(size, data_dir)),
        application_look() as app,
        ExitStack() as stack,
    ):
        install_language(app, language)
        stack.callback(install_language, app, "en")
        args = build_parser().parse_args(["--demo"])
        context = build_context(args)
        start_demo_server(context, args, stack)
        context.secrets = SecretStore(MemoryKeyring())
        assert context.demo_server is not None
        session = sign_in(SignInForm.demo_account(context.demo_server), context.secrets)
        window = MainWindow(context, session)
        try:
            window.resize(*size)
            window.show()
            wait_until(lambda: window.history.status.text() != "", "the launch history")
            open_office_party(window, language)
            wait_until(lambda: window.form.start_button.isEnabled(), "a valid start-job form")
            QCoreApplication.processEvents()
            if not window.grab().save(str(output), "PNG"):
                raise OSError(f"could not write {output}")
        finally:
            window.close()
            context.runner.wait_for_done(30_000)
            session.client.close()
            window.deleteLater()
            QCoreApplication.processEvents()
    return output


def main(argv: list[str] | None = None) -> int:
    """Command line: write the screenshot and print its path."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        help=f"the PNG to write (default {DEFAULT_OUTPUT.relative_to(REPO_ROOT)}, "
        "in Swedish docs/screenshot-sv.png)",
    )
    parser.add_argument(
        "--language", choices=("en", "sv"), default="en", help="the language of the windows"
    )
    args = parser.parse_args(argv)
    output = args.output or DEFAULT_OUTPUTS[args.language]
    print(make_screenshot(output, language=args.language))
    return 0


if __name__ == "__main__":
    sys.exit(main())
