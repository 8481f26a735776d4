"""*Launch again with these settings* (issue 8 §4), from the outcome panel and from a History
row, through the main window's wiring: the form is filled with exactly what was sent, the
Start tab is shown, and nothing is sent until the dispatcher starts it again."""

from __future__ import annotations

from conftest import ModalHandler
from PySide6.QtCore import Qt
from test_launch import launch_office_party, wait_for_outcome
from test_main_window import OFFICE_PARTY

from dispatch_desktop.api.validation import validate_start_request
from dispatch_desktop.demo import DemoServer
from dispatch_desktop.storage.journal import Outcome
from dispatch_desktop.ui.main_window import MainWindow

STARTS = "/startsavedjob"


def launch_with_everything(qtbot, window: MainWindow, modal: ModalHandler) -> None:
    launch_office_party(
        qtbot,
        window,
        modal,
        jobname="Night drill",
        message="Report to gate 4",
        tonumbers="+46709999001",
        responsegoal="2",
    )
    assert wait_for_outcome(qtbot, window) is Outcome.OK


def sent_parameters(window: MainWindow) -> dict[str, object]:
    return window.context.journal.entries()[0].parameter_values()


def filled_parameters(window: MainWindow) -> dict[str, object]:
    request = window.form.build_request()
    assert request is not None, window.form.problems()
    return validate_start_request(request, window.form.generic_type)


def test_launch_again_from_the_outcome_panel_fills_the_form(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    launch_with_everything(qtbot, window, modal)
    window.tabs.setCurrentIndex(0)

    qtbot.mouseClick(window.outcome.again_button, Qt.MouseButton.LeftButton)

    assert window.form.job is not None
    assert window.form.job.id == OFFICE_PARTY
    assert filled_parameters(window) == sent_parameters(window)
    assert window.tabs.currentIndex() == 0
    assert demo_server.request_count(STARTS) == 1  # filling never launches


def test_launch_again_from_a_history_row_fills_the_form(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    launch_with_everything(qtbot, window, modal)
    window.show_history()
    qtbot.waitUntil(lambda: window.history.model.rowCount() == 1)
    [record] = window.history.model.records()

    window.history.launch_again_requested.emit(record)

    assert window.tabs.currentIndex() == 0
    assert window.form.job is not None
    assert window.form.job.id == OFFICE_PARTY
    assert filled_parameters(window) == record.parameter_values()
    assert demo_server.request_count(STARTS) == 1
