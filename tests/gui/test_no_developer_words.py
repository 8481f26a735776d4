"""No developer words in front of users (issue 8 §4): no API field name, no reference section
number, no finding code of our notes ([F8], G2), no enum value, in any text, tooltip,
accessible name, placeholder, menu, tab, header or cell of any window the app shows, in the
states a dispatcher meets: the form of a GMM and of a GMA job with rules to explain, the
confirmation, every outcome, the History, the Monitor, Settings and the sign-in dialog.

Text the server wrote (its own error sentences, job and type names) is the server's and is
shown as it came; the scenario here uses only the demo's ordinary data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import pytest
from conftest import ModalHandler
from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)
from test_launch import CONFIRM, wait_for_outcome
from test_main_window import OFFICE_PARTY, select_job

from dispatch_desktop.api.client import GET_NAMES
from dispatch_desktop.api.models import AuthMethod
from dispatch_desktop.demo.data import SAVED_JOBS
from dispatch_desktop.events.config import SourceMode
from dispatch_desktop.launcher import LaunchOutcome
from dispatch_desktop.monitor import JobState
from dispatch_desktop.storage.journal import Outcome
from dispatch_desktop.ui.main_window import MainWindow

API_FIELD_NAMES = {
    *(name for name in GET_NAMES if name != "message"),  # "message" is also a word
    "apikey",
    "runtimeid",
    "errormessage",
    "savedJobs",
    "startsavedjob",
    "listsavedjobs",
    "toaddressbooktagfilterjson",
    "excludetagfilterjson",
}
# Enum values that are not plain words a sentence may use (ok, pending, live, demo are words).
ENUM_VALUES = {
    value
    for enum in (Outcome, JobState, AuthMethod, SourceMode)
    for value in (member.value for member in enum)
    if isinstance(value, str) and not value.isalpha()
}
PATTERNS = {
    "a reference section number": re.compile(r"\breference\b|\b\d+\.\d+\.\d+\b"),
    "a finding code": re.compile(r"\[[FG]\d{1,2}\]|\bG[1-6]\b|\(F(?!5\))\d{1,2}\)"),
    "an identifier": re.compile(r"\b[a-z]+(?:_[a-z]+)+\b"),
}
# What may look like one of them and is not: addresses, the refresh key's name.
NOT_TEXT = re.compile(r"https?://\S+|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b")


def words_problem(text: str) -> str | None:
    """What developer word ``text`` shows, or None."""
    visible = NOT_TEXT.sub(" ", text)
    for name in API_FIELD_NAMES | ENUM_VALUES:
        if re.search(rf"(?<![\w/-]){re.escape(name)}(?![\w/-])", visible):
            return f"the API's or the code's name {name!r}"
    for what, pattern in PATTERNS.items():
        found = pattern.search(visible)
        if found:
            return f"{what} ({found.group()!r})"
    return None


def model_texts(model: QAbstractItemModel | None) -> Iterator[str]:
    if model is None:
        return
    roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
    for column in range(model.columnCount()):
        for role in roles:
            yield str(model.headerData(column, Qt.Orientation.Horizontal, role) or "")
        for row in range(min(model.rowCount(), 50)):
            for role in roles:
                yield str(model.index(row, column).data(role) or "")


def widget_texts(widget: QWidget) -> Iterator[str]:
    """Everything of ``widget`` a person can read or hear."""
    yield widget.toolTip()
    yield widget.accessibleName()
    yield widget.accessibleDescription()
    yield widget.statusTip()
    yield widget.whatsThis()
    if widget.isWindow():
        yield widget.windowTitle()
    if isinstance(widget, QLabel | QAbstractButton):
        yield widget.text()
    if isinstance(widget, QLineEdit):
        yield widget.placeholderText()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        yield widget.placeholderText()
    if isinstance(widget, QGroupBox):
        yield widget.title()
    if isinstance(widget, QComboBox):
        yield from (widget.itemText(i) for i in range(widget.count()))
    if isinstance(widget, QTabWidget):
        yield from (widget.tabText(i) for i in range(widget.count()))
    if isinstance(widget, QAbstractItemView):
        yield from model_texts(widget.model())
    if isinstance(widget, QMainWindow):
        yield widget.statusBar().currentMessage()
        for menu_action in widget.menuBar().actions():
            yield menu_action.text()
            menu = menu_action.menu()
            if menu is not None:
                yield from (a.text() for a in menu.actions())
                yield from (a.toolTip() for a in menu.actions())


class Scan:
    """The developer words found so far, with where."""

    def __init__(self) -> None:
        self.found: dict[str, str] = {}
        self.texts = 0
        self.places: list[str] = []

    def window(self, window: QWidget, where: str) -> None:
        self.places.append(where)
        for widget in [window, *window.findChildren(QWidget)]:
            for text in widget_texts(widget):
                self.texts += 1
                problem = words_problem(text)
                if problem:
                    name = widget.accessibleName() or type(widget).__name__
                    self.found.setdefault(f"{where} / {name}: {text[:100]!r}", problem)


@pytest.fixture
def scan() -> Scan:
    return Scan()


def scan_after_a_launch(
    qtbot,
    window: MainWindow,
    modal: ModalHandler,
    scan: Scan,
    outcomes: Iterable[Outcome],
    server_words: str,
) -> None:
    """Scan what a dispatcher sees after a launch: the window, History, the Monitor, the
    outcome panel showing each of ``outcomes`` (with ``server_words`` as the server's reason),
    Settings, the sign-in dialog, and every window still open."""
    scan.window(window, "after a launch")
    window.show_history()
    qtbot.waitUntil(lambda: window.history.model.rowCount() >= 1)
    scan.window(window, "History")
    window.tabs.setCurrentIndex(2)
    scan.window(window, "Monitor")
    for kind in outcomes:
        window.outcome.show_outcome(LaunchOutcome(kind, server_words))
        scan.window(window.outcome, f"outcome {kind.name}")
    open_and_scan(modal, scan, "Settings", None)
    window.open_settings()
    open_and_scan(modal, scan, "Sign in", None)
    window.sign_in_again()
    for top in QApplication.topLevelWidgets():
        if top.isVisible():
            scan.window(top, f"top-level {type(top).__name__}")


def open_and_scan(modal: ModalHandler, scan: Scan, where: str, then: object) -> None:
    def act(dialog: QDialog) -> None:
        scan.window(dialog, where)
        if callable(then):
            then(dialog)
        else:
            dialog.reject()

    modal.then(act)


def gma_job_id() -> int:
    return next(job.id for job in SAVED_JOBS if job.type == "QuickAssign")


def test_no_developer_words_in_any_window(
    qtbot, window: MainWindow, modal: ModalHandler, scan: Scan
) -> None:
    # The form of a GMA job: fields it refuses, with their rules in tooltips.
    select_job(qtbot, window, gma_job_id())
    scan.window(window, "GMA form")
    # The form of a GMM job, with a problem to explain and an unknown tag.
    select_job(qtbot, window, OFFICE_PARTY)
    window.form.tagfilter.set_filter("Bse:STO")
    qtbot.keyClicks(window.form.tonumbers, "+4670")
    scan.window(window, "GMM form with problems")
    # The confirmation (with the unknown tag and the keep/replace line), then a real launch
    # and its outcome, History and Monitor.
    window.form.tonumbers.clear()
    window.form.keep_replace.click()

    def confirm(dialog: QDialog) -> None:
        button = CONFIRM(dialog)
        assert isinstance(button, QAbstractButton)
        button.click()

    open_and_scan(modal, scan, "confirmation", confirm)
    qtbot.mouseClick(window.form.start_button, Qt.MouseButton.LeftButton)
    assert wait_for_outcome(qtbot, window) is not None
    assert "confirmation" in scan.places
    outcomes = [kind for kind in Outcome if kind is not Outcome.PENDING]
    scan_after_a_launch(qtbot, window, modal, scan, outcomes, "The server's words.")

    assert scan.texts > 500  # the scan saw the windows, not nothing
    assert not scan.found, "\n".join(f"{w} -> {p}" for w, p in scan.found.items())


@pytest.mark.parametrize(
    "text",
    [
        "Recipients (tag filter): toaddressbookcustomtagfilter is GMM-only",
        "only allowed for GMM jobs (reference 2.2.2)",
        "This is checked [F8].",
        "The mapping is ours (G2).",
        "Outcome: not_started",
        "api-key-header",
    ],
)
def test_the_scan_finds_developer_words(text: str) -> None:
    assert words_problem(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "Reload the saved jobs from the server (F5)",
        "http://127.0.0.1:8080/dispatch/api",
        "Start “Office Party” — LIVE",
        "Sign-in failed: the server refused the password.",
    ],
)
def test_the_scan_lets_ordinary_words_be(text: str) -> None:
    assert words_problem(text) is None
