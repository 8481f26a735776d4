"""Keyboard and screen readers: mnemonics unique in every window, every action reachable by a
key, Tab in reading order and never trapped, the date picker's keys, focus on the outcome after
a launch, and an accessible name on every widget a user can reach."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

import pytest
from conftest import ModalHandler
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QDialog,
    QGroupBox,
    QLabel,
    QMenu,
    QTabBar,
    QWidget,
)
from test_launch import launch_office_party, wait_for_outcome
from test_main_window import OFFICE_PARTY, select_job

from dispatch_desktop.api import GenericType, SavedJob, StartJobRequest
from dispatch_desktop.storage.journal import LaunchMode, Outcome
from dispatch_desktop.ui.confirm import ConfirmLaunchDialog, EarlierLaunches
from dispatch_desktop.ui.language import install_language
from dispatch_desktop.ui.main_window import AppContext, MainWindow
from dispatch_desktop.ui.settings_dialog import LaunchValues, SettingsDialog

_MNEMONIC = re.compile(r"&(?!&)(.)")
PARTY = SavedJob(OFFICE_PARTY, "Office Party", "MonitoredMessage")


def mnemonic(text: str) -> str | None:
    """The letter after the ``&`` of ``text`` (``&&`` is a literal ampersand), lower case."""
    found = _MNEMONIC.search(text)
    return found.group(1).casefold() if found else None


def window_mnemonics(window: QWidget) -> dict[str, list[str]]:
    """Every mnemonic of ``window`` (its menu bar's menus, tabs, buttons, labels, group
    boxes), with the texts that carry it."""
    texts: list[str] = []
    menu_bar = getattr(window, "menuBar", None)
    if menu_bar is not None:
        texts += [action.text() for action in menu_bar().actions()]
    for widget in window.findChildren(QWidget):
        if widget.window() is not window:
            continue
        if isinstance(widget, QAbstractButton | QLabel):
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QTabBar):
            texts += [widget.tabText(index) for index in range(widget.count())]
    return letters(texts)


def letters(texts: Iterable[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for text in texts:
        letter = mnemonic(text)
        if letter is not None:
            found[letter].append(text)
    return found


def clashes(found: dict[str, list[str]]) -> dict[str, list[str]]:
    return {letter: texts for letter, texts in found.items() if len(texts) > 1}


def menus_of(window: QWidget) -> list[QMenu]:
    return [menu for menu in window.findChildren(QMenu)]


def in_calendar(action: QAction) -> bool:
    """An action of Qt's own calendar (its month menu, walked with the arrow keys), not one of
    the app's."""
    owner = action.parent()
    while owner is not None:
        if isinstance(owner, QCalendarWidget):
            return True
        owner = owner.parent()
    return False


def full_window(qtbot, window: MainWindow) -> MainWindow:
    """The main window with everything it can show built: the form open on a job, the
    monitor, History."""
    select_job(qtbot, window, OFFICE_PARTY)
    window.start_monitor()
    qtbot.waitUntil(lambda: window.monitor_panel is not None, timeout=10_000)
    return window


def dialogs(window: MainWindow, context: AppContext) -> list[QDialog]:
    settings = context.settings
    settings_dialog = SettingsDialog(
        window.mapping,
        ["MonitoredMessage"],
        demo=True,
        source=settings.event_source(),
        callback_url=None,
        notifications=True,
        launching=LaunchValues.read(settings),
        retention_days=settings.event_retention_days,
        parent=window,
    )
    confirm = ConfirmLaunchDialog(
        PARTY,
        StartJobRequest(jobid=OFFICE_PARTY),
        GenericType.GMM,
        server="https://dispatch.example.com",
        demo=False,
        mode=LaunchMode.LIVE,
        exercise=False,
        earlier=EarlierLaunches(),
        unknown_tags=[],
        parent=window,
    )
    return [context.sign_in_dialog(window), settings_dialog, confirm]


# -- mnemonics and actions ----------------------------------------------------------------------


@pytest.fixture(params=["en", "sv"])
def language(request: pytest.FixtureRequest, qapp) -> Iterator[str]:
    """Each language the app speaks: its mnemonics are its own letters."""
    install_language(qapp, request.param)
    yield request.param
    install_language(qapp, "en")


@pytest.fixture
def window_in(language: str, window: MainWindow) -> MainWindow:
    """The main window built in ``language``."""
    return window


MESSAGE_LABEL = {"en": "Message", "sv": "Meddelande"}


def test_mnemonics_are_unique_in_the_main_window_and_each_menu(
    qtbot, window_in: MainWindow, language: str
) -> None:
    window = full_window(qtbot, window_in)
    found = window_mnemonics(window)
    assert clashes(found) == {}
    # Alt+M focuses the message, as its label promises (the Monitor is Ctrl+M).
    assert any(text.replace("&", "").startswith(MESSAGE_LABEL[language]) for text in found["m"])
    for menu in menus_of(window):
        assert clashes(letters(action.text() for action in menu.actions())) == {}, menu.title()


def test_mnemonics_are_unique_in_every_dialog(
    qtbot, window_in: MainWindow, context: AppContext
) -> None:
    window = window_in
    for dialog in dialogs(window, context):
        qtbot.addWidget(dialog)
        assert clashes(window_mnemonics(dialog)) == {}, dialog.windowTitle()


def test_alt_m_focuses_the_message(qtbot, window: MainWindow) -> None:
    select_job(qtbot, window, OFFICE_PARTY)
    window.activateWindow()
    window.form.jobname.setFocus()
    qtbot.keyClick(window.form.jobname, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    assert window.tabs.currentIndex() == 0
    assert QApplication.focusWidget() is window.form.message


def test_every_action_has_a_shortcut_or_a_mnemonic(qtbot, window: MainWindow) -> None:
    full_window(qtbot, window)
    actions = [
        action
        for action in window.findChildren(QAction)
        if action.text()
        and not action.isSeparator()
        and action.menu() is None
        and not in_calendar(action)
    ]
    assert len(actions) > 8
    bare = [a.text() for a in actions if mnemonic(a.text()) is None and a.shortcut().isEmpty()]
    assert bare == []


# -- Tab ---------------------------------------------------------------------------------------


def tab_walk(qtbot, start: QWidget, steps: int, *, back: bool = False) -> list[QWidget]:
    """The widgets focus visits from ``start`` with ``steps`` presses of Tab (or Shift+Tab)."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    visited = []
    for _ in range(steps):
        widget = QApplication.focusWidget()
        assert widget is not None
        if back:
            qtbot.keyClick(widget, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        else:
            qtbot.keyClick(widget, Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    return visited


def owner(widget: QWidget) -> QWidget:
    """The widget a user sees focused: a spin box or combo box rather than its line edit."""
    parent = widget.parentWidget()
    if isinstance(parent, QAbstractSpinBox | QComboBox):
        return parent
    return widget


def test_tab_leaves_the_saved_jobs_table_and_arrows_move_in_it(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    table = window.jobs_panel.table
    assert not table.tabKeyNavigation()
    table.setFocus()
    table.setCurrentIndex(window.jobs_panel.proxy.index(0, 1))
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentIndex().row() == 1
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not table
    for view in window.findChildren(QAbstractItemView):
        assert not view.tabKeyNavigation(), view.accessibleName()


def test_tab_goes_through_the_panels_in_reading_order(qtbot, window: MainWindow) -> None:
    select_job(qtbot, window, OFFICE_PARTY)
    window.activateWindow()
    form = window.form
    panel = window.jobs_panel
    forward = [owner(w) for w in tab_walk(qtbot, panel.search, 60)]
    # The list's controls, the table, the tabs, then the form top to bottom and its buttons.
    expected = [
        panel.view_choice,
        panel.type_filter,
        panel.refresh_button,
        panel.table,
        form.job_id_label,
        form.copy_id_button,
        form.exercise_switch,
        form.jobname,
        form.message,
        form.tonumbers,
        form.responsegoal,
        form.start_now,
        form.start_button,
    ]
    positions = [forward.index(widget) for widget in expected]
    assert positions == sorted(positions)
    # Round the window and back to the search field.
    assert panel.search in forward
    # Shift+Tab walks the same way back.
    backward = [owner(w) for w in tab_walk(qtbot, form.start_button, 60, back=True)]
    back_positions = [backward.index(widget) for widget in reversed(expected[:-1])]
    assert back_positions == sorted(back_positions)


# -- the date picker and the outcome ------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "modifier"),
    [
        (Qt.Key.Key_F4, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier),
    ],
    ids=["F4", "Alt+Down"],
)
def test_the_date_picker_opens_from_the_keyboard(
    qtbot, window: MainWindow, key: Qt.Key, modifier: Qt.KeyboardModifier
) -> None:
    select_job(qtbot, window, OFFICE_PARTY)
    form = window.form
    form.start_at.setChecked(True)
    picker = form.scheduledstart
    picker.setFocus()
    qtbot.keyClick(picker, key, modifier)
    qtbot.waitUntil(lambda: picker.calendarWidget().isVisible())
    QApplication.activePopupWidget().close()


def test_after_a_launch_focus_is_on_the_outcome_and_tab_reaches_its_buttons(
    qtbot, window: MainWindow, modal: ModalHandler
) -> None:
    window.activateWindow()
    launch_office_party(qtbot, window, modal, message="Focus?")
    assert wait_for_outcome(qtbot, window) is Outcome.OK
    outcome = window.outcome
    qtbot.waitUntil(lambda: window.focusWidget() is outcome)
    window.activateWindow()  # the offscreen platform does not give it back after the dialog
    qtbot.waitUntil(lambda: QApplication.focusWidget() is outcome)
    # A screen reader reads what happened from the focused panel.
    assert "Job started" in outcome.accessibleDescription()
    visited = tab_walk(qtbot, outcome, 6)
    for button in (outcome.copy_button, outcome.monitor_button, outcome.again_button):
        assert button in visited


# -- accessible names ---------------------------------------------------------------------------


def reachable(window: QWidget) -> list[QWidget]:
    """The widgets of ``window`` a keyboard user can reach (compound widgets' inner parts
    answer for their owner)."""
    found = []
    for widget in window.findChildren(QWidget):
        if widget.window() is not window or not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        if owner(widget) is not widget or widget.focusProxy() is not None:
            continue
        found.append(widget)
    return found


def unnamed(window: QWidget) -> list[str]:
    missing = []
    for widget in reachable(window):
        interface = QAccessible.queryAccessibleInterface(widget)
        name = interface.text(QAccessible.Text.Name) if interface is not None else ""
        if not name.strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


def test_every_widget_a_user_can_reach_has_an_accessible_name(
    qtbot, window: MainWindow, context: AppContext
) -> None:
    full_window(qtbot, window)
    window.tabs.setCurrentIndex(2)
    assert unnamed(window) == []
    for dialog in dialogs(window, context):
        qtbot.addWidget(dialog)
        assert unnamed(dialog) == [], dialog.windowTitle()


def test_the_date_picker_says_how_to_open_its_calendar(qtbot, window: MainWindow) -> None:
    select_job(qtbot, window, OFFICE_PARTY)
    assert "F4" in window.form.scheduledstart.accessibleDescription()
