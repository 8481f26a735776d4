"""The main window against the demo server: saved jobs, the start-job form and its rules."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QMenuBar,
    QPlainTextEdit,
    QTabBar,
    QWidget,
)

from dispatch_desktop.api import GenericType, SavedJob
from dispatch_desktop.ui.jobs_panel import JOB_ROLE
from dispatch_desktop.ui.main_window import MainWindow

ALARM = 325961493210222597  # QuickAssign: GMA
OFFICE_PARTY = 352872112744058883  # MonitoredMessage: GMM
SURVEY = 352873564993024005  # SurveyMessage: a type the mapping does not know

REQUIRED_ACCESSIBLE_NAMES = (
    "Saved jobs",
    "Search saved jobs",
    "Refresh saved jobs",
    "Job name",
    "Message",
    "Tag filter",
    "Scheduled start",
    "Response goal",
    "Start job",
)


def shown_jobs(window: MainWindow) -> list[SavedJob]:
    proxy = window.jobs_panel.proxy
    return [proxy.index(row, 0).data(JOB_ROLE) for row in range(proxy.rowCount())]


def select_job(qtbot, window: MainWindow, job_id: int) -> None:
    """Find the job with the search field, then open it with Enter in the table."""
    panel = window.jobs_panel
    panel.search.clear()
    qtbot.keyClicks(panel.search, str(job_id))
    assert [job.id for job in shown_jobs(window)] == [job_id]
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.proxy.index(0, 0))
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert window.form.job is not None
    assert window.form.job.id == job_id


def test_the_start_tab_says_what_to_do_before_a_job_is_chosen(window: MainWindow) -> None:
    assert window._form is None
    assert "Choose a saved job" in window._start_stack.currentWidget().text()


def test_demo_mode_says_so_in_title_and_banner(window: MainWindow) -> None:
    assert window.windowTitle().startswith("[DEMO]")
    banners = [w for w in window.findChildren(QWidget) if w.accessibleName() == "Demo mode"]
    assert banners
    assert banners[0].isVisible()


def test_every_required_widget_has_its_accessible_name(qtbot, window: MainWindow) -> None:
    select_job(qtbot, window, OFFICE_PARTY)  # the form exists once a job is open
    names = {w.accessibleName() for w in window.findChildren(QWidget)}
    missing = [name for name in REQUIRED_ACCESSIBLE_NAMES if name not in names]
    assert missing == []


INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QPlainTextEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
)


COMPOSITE = (QAbstractSpinBox, QComboBox, QLineEdit, QAbstractItemView, QMenuBar, QTabBar)


def test_every_interactive_widget_has_an_accessible_name(qtbot, window: MainWindow) -> None:
    select_job(qtbot, window, OFFICE_PARTY)
    window.form.tagfilter.set_filter("Base:STO;On call:Yes")
    unnamed = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or widget.accessibleName():
            continue
        # Parts Qt builds inside a composite control (a spin box's editor, a line edit's clear
        # button, a combo box's popup list) are announced as that control.
        parent, grandparent = widget.parent(), widget.parent().parent()
        if isinstance(parent, COMPOSITE) or isinstance(grandparent, COMPOSITE):
            continue
        unnamed.append(f"{type(widget).__name__} in {type(parent).__name__}")
    assert unnamed == []


def test_saved_jobs_are_listed_with_exact_ids_and_generic_types(window: MainWindow) -> None:
    model = window.jobs_panel.model
    rows = {model.index(r, 3).data(): r for r in range(model.rowCount())}
    assert str(OFFICE_PARTY) in rows  # F1: not 352872112744058880
    row = rows[str(ALARM)]
    assert model.index(row, 0).data() == "Alarm"
    assert model.index(row, 2).data() == "GMA"
    assert model.index(rows[str(SURVEY)], 2).data() == "unknown"
    assert "9 saved jobs" in window.jobs_panel.count_label.text()


def test_search_filters_as_you_type_by_name_type_or_id(qtbot, window: MainWindow) -> None:
    search = window.jobs_panel.search
    qtbot.keyClicks(search, "oslo")
    assert [job.name for job in shown_jobs(window)] == ["Oslo Alert"]
    assert "Showing 1 of 9" in window.jobs_panel.count_label.text()
    search.clear()
    qtbot.keyClicks(search, "assign")
    assert {job.type for job in shown_jobs(window)} == {"QuickAssign", "MultiAssign", "ShiftAssign"}
    search.clear()
    qtbot.keyClicks(search, "no such job")
    assert shown_jobs(window) == []
    assert "No saved job matches" in window.jobs_panel.empty_label.text()
    assert window.jobs_panel.stack.currentWidget() is window.jobs_panel.empty_label


def test_job_type_filter(window: MainWindow) -> None:
    combo = window.jobs_panel.type_filter
    combo.setCurrentIndex(combo.findData("MonitoredMessage"))
    assert {job.type for job in shown_jobs(window)} == {"MonitoredMessage"}
    assert len(shown_jobs(window)) == 4


def test_sorting_by_id_is_numeric(window: MainWindow) -> None:
    window.jobs_panel.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)
    ids = [job.id for job in shown_jobs(window)]
    assert ids == sorted(ids)


def test_ctrl_f_focuses_search_and_f5_refreshes(qtbot, window: MainWindow, demo_server) -> None:
    window.activateWindow()
    before = demo_server.request_count("/listsavedjobs")
    window.refresh_action.trigger()
    qtbot.waitUntil(lambda: demo_server.request_count("/listsavedjobs") == before + 1)
    qtbot.waitUntil(lambda: "Last refreshed" in window.jobs_panel.refreshed_label.text())
    assert window.refresh_action.shortcut().toString() == "F5"


def test_refresh_failure_is_explained(qtbot, window: MainWindow, demo_server) -> None:
    demo_server.stop()
    window.refresh()
    qtbot.waitUntil(lambda: window.jobs_panel.refreshed_label.text() == "Refresh failed")
    assert "Could not connect" in window.statusBar().currentMessage()


def test_id_is_copyable(qtbot, window: MainWindow) -> None:
    select_job(qtbot, window, OFFICE_PARTY)
    window.jobs_panel.copy_selected_id()
    assert QGuiApplication.clipboard().text() == str(OFFICE_PARTY)
    window.form.copy_id_button.click()
    assert QGuiApplication.clipboard().text() == str(OFFICE_PARTY)


def test_search_then_enter_opens_the_only_match(qtbot, window: MainWindow) -> None:
    window.jobs_panel.focus_search()
    qtbot.keyClicks(window.jobs_panel.search, "oslo")
    qtbot.keyClick(window.jobs_panel.search, Qt.Key.Key_Return)
    assert window.form.job is not None
    assert window.form.job.name == "Oslo Alert"


def test_enter_with_several_matches_goes_to_the_list_and_opens_nothing(
    qtbot, window: MainWindow
) -> None:
    panel = window.jobs_panel
    qtbot.keyClicks(panel.search, "assign")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert window._form is None
    assert panel.table.currentIndex().row() == 0
    qtbot.keyClick(panel.search, Qt.Key.Key_Down)
    assert panel.table.currentIndex().isValid()


def test_double_click_opens_the_form(qtbot, window: MainWindow) -> None:
    panel = window.jobs_panel
    qtbot.keyClicks(panel.search, "Alarm")
    rect = panel.table.visualRect(panel.proxy.index(0, 0))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.form.job is not None
    assert window.form.job.id == ALARM


def test_gmm_job_disables_only_the_assigned_message(qtbot, window: MainWindow) -> None:
    select_job(qtbot, window, OFFICE_PARTY)
    form = window.form
    assert not form.assignedmessage.isEnabled()
    assert "Only allowed for multi-assign jobs (GMA)" in form.assignedmessage.toolTip()
    for widget in (form.tonumbers, form.savedfilters, form.groups, form.excludefilter):
        assert widget.isEnabled()
    assert form.keep_choice.isEnabled()  # offered; it can be answered once recipients are given


def test_gma_job_disables_gmm_only_fields_with_the_rule(qtbot, window: MainWindow) -> None:
    select_job(qtbot, window, ALARM)
    form = window.form
    for widget in (
        form.tonumbers,
        form.savedfilters,
        form.groups,
        form.excludenumbers,
        form.excludefilter,
    ):
        assert not widget.isEnabled()
        assert widget.isVisible()  # disabled, not hidden
        assert "Only allowed for monitored-message jobs (GMM)" in widget.toolTip()
        assert "[F8]" not in widget.toolTip()  # the rule in words, not our notes' code
    assert form.assignedmessage.isEnabled()
    assert form.tagfilter.isEnabled()
    # A GMA job always replaces: said in words, no choice offered.
    assert not form.keep_choice.isVisible()
    assert "always replaces" in form.keep_note.text()
    assert form.keep_note.isVisible()


def test_gma_filter_needs_a_goal_and_goal_needs_a_filter(qtbot, window: MainWindow) -> None:
    select_job(qtbot, window, ALARM)
    form = window.form
    assert form.start_button.isEnabled()
    form.responsegoal.setValue(2)
    assert not form.start_button.isEnabled()
    assert "give both or neither" in form._errors["toaddressbookcustomtagfilter"].text()
    form.tagfilter.set_filter("Role:Surgeon;On call:Yes")
    assert form.start_button.isEnabled()
    form.responsegoal.setValue(0)
    assert not form.start_button.isEnabled()


def test_unknown_type_enables_every_field_and_says_why(qtbot, window: MainWindow) -> None:
    select_job(qtbot, window, SURVEY)
    form = window.form
    assert "unknown" in form.rules_note.text()
    for widget in (form.assignedmessage, form.tonumbers, form.keep_choice, form.excludefilter):
        assert widget.isEnabled()


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        ("tonumbers", "+4670123456, 12ab", "'12ab' is not a phone number"),
        ("excludenumbers", "123", "'123' is not a phone number"),
        ("jobname", "   ", "blank"),
    ],
)
def test_invalid_input_blocks_the_launch(qtbot, window: MainWindow, field, text, expected) -> None:
    select_job(qtbot, window, OFFICE_PARTY)
    form = window.form
    qtbot.keyClicks(getattr(form, field), text)
    assert not form.start_button.isEnabled()
    assert expected in form._errors[field].text()
    assert form._errors[field].isVisible()
    getattr(form, field).clear()
    assert form.start_button.isEnabled()


def test_a_malformed_tag_filter_blocks_the_launch(qtbot, window: MainWindow) -> None:
    select_job(qtbot, window, OFFICE_PARTY)
    form = window.form
    form.tagfilter.set_filter("Base:STO;On call")
    assert not form.start_button.isEnabled()
    assert "On call" in form._errors["toaddressbookcustomtagfilter"].text()


def test_scheduled_start_in_the_past_is_refused(qtbot, window: MainWindow) -> None:
    select_job(qtbot, window, OFFICE_PARTY)
    form = window.form
    form.start_at.setChecked(True)
    assert form.scheduledstart.isEnabled()
    assert "UTC" in form.utc_label.text()
    assert form.start_button.isEnabled()
    form.scheduledstart.setDateTime(form.scheduledstart.dateTime().addDays(-2))
    assert "not in the future" in form._errors["scheduledstart"].text()
    assert not form.start_button.isEnabled()


def test_message_counter_counts_sms_parts(qtbot, window: MainWindow) -> None:
    select_job(qtbot, window, OFFICE_PARTY)
    form = window.form
    qtbot.keyClicks(form.message, "a" * 161)
    assert "161 characters · 2 SMS (GSM-7)" in form.sms_count.text()
    form.message.setPlainText("Hej 👋")
    assert "(UCS-2)" in form.sms_count.text()


def test_settings_change_the_generic_type_mapping(qtbot, window: MainWindow, modal) -> None:
    def choose_gmm_for_surveys(dialog: QDialog) -> None:
        combo = dialog._combos["SurveyMessage"]
        combo.setCurrentIndex(combo.findData(GenericType.GMM))
        dialog.accept()

    modal.then(choose_gmm_for_surveys)
    window.open_settings()
    assert window.context.settings.job_type_mapping().overrides == {
        "SurveyMessage": GenericType.GMM
    }
    rows = window.jobs_panel.model
    surveys = [r for r in range(rows.rowCount()) if rows.index(r, 1).data() == "SurveyMessage"]
    assert rows.index(surveys[0], 2).data() == "GMM"
    select_job(qtbot, window, SURVEY)
    assert window.form.generic_type is GenericType.GMM
    assert not window.form.assignedmessage.isEnabled()


def test_keyboard_only_path_to_the_form(qtbot, window: MainWindow) -> None:
    window.jobs_panel.focus_search()
    assert QApplication.focusWidget() is window.jobs_panel.search or not window.isActiveWindow()
    select_job(qtbot, window, OFFICE_PARTY)
    assert window.tabs.currentIndex() == 0
