"""The start-job form's launch decisions, driven through the real widgets against the demo
server: the Exercise switch and its marker on the wire, add to or replace the saved
recipients, tag spellings not seen before, launch again, and no one-key repeat."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from conftest import ModalHandler
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QDialog, QLabel, QWidget
from test_launch import CONFIRM, confirm_again, launch_office_party, wait_for_outcome
from test_main_window import ALARM, OFFICE_PARTY, select_job

from dispatch_desktop.api import GenericType, SavedJob
from dispatch_desktop.api.validation import validate_start_request
from dispatch_desktop.demo import DemoServer
from dispatch_desktop.storage.journal import LaunchMode, Outcome
from dispatch_desktop.ui.main_window import AppContext, MainWindow
from dispatch_desktop.ui.start_form import StartJobForm

MARKER = "EXERCISE – "
NON_CONTACT = "+46709999001"


def exercise_switch(window: QWidget) -> QCheckBox:
    """The Exercise switch, found as a user of assistive technology finds it."""
    found = [w for w in window.findChildren(QCheckBox) if w.accessibleName() == "Exercise"]
    assert len(found) == 1
    return found[0]


def launch_exercise(
    qtbot, window: MainWindow, modal: ModalHandler, message: str, *, again: bool = False
) -> None:
    """Open Office Party, turn Exercise on, type ``message``, start and confirm (``again``:
    tick the repeat guard's *Start it again* first)."""
    select_job(qtbot, window, OFFICE_PARTY)
    qtbot.mouseClick(exercise_switch(window), Qt.MouseButton.LeftButton)
    window.form.message.setPlainText(message)  # QTest types ASCII only: "–" is not
    if again:
        modal.then(confirm_again)
    else:
        modal.click(CONFIRM)
    qtbot.mouseClick(window.form.start_button, Qt.MouseButton.LeftButton)


def activate(qtbot, window: MainWindow) -> None:
    """Make the window active again after a dialog (the offscreen platform does not)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def sent(demo_server: DemoServer) -> dict[str, object]:
    """The parameters the demo server received for the last job it started."""
    return demo_server.started_jobs[-1].params


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    # The marker's language follows the interface's; these tests read the English one.
    monkeypatch.setattr("dispatch_desktop.ui.start_form.exercise_language", lambda: "en")


@pytest.fixture
def live_window(request: pytest.FixtureRequest, context: AppContext, english: None) -> MainWindow:
    """A window signed in as if to a real server (not demo mode): exercises are EXERCISE."""
    context.demo = False
    return request.getfixturevalue("window")


# -- exercise -------------------------------------------------------------------------------


def test_an_exercise_needs_a_message_and_shows_its_banner_and_marker(
    qtbot, window: MainWindow, english: None
) -> None:
    select_job(qtbot, window, OFFICE_PARTY)
    form = window.form
    switch = exercise_switch(window)
    assert not switch.isChecked()
    assert not form.exercise_banner.isVisible()
    qtbot.mouseClick(switch, Qt.MouseButton.LeftButton)
    assert form.exercise
    assert form.exercise_banner.isVisible()
    assert form.exercise_banner.accessibleName() == "Exercise"
    # The saved job's own message cannot be marked: no launch without one here.
    assert not form.start_button.isEnabled()
    assert "exercise needs a message" in form._errors["message"].text()
    assert form._errors["message"].isVisible()
    qtbot.keyClicks(form.message, "a" * 60)
    assert form.start_button.isEnabled()
    assert form.marker_label.isVisible()
    assert form.marker_label.text() == MARKER
    # The marker counts: 71 characters, and its dash is not in the GSM alphabet.
    assert "71 characters · 2 SMS (UCS-2)" in form.sms_count.text()
    assert form.build_request().message == MARKER + "a" * 60
    qtbot.mouseClick(switch, Qt.MouseButton.LeftButton)
    assert not form.exercise_banner.isVisible()
    assert not form.marker_label.isVisible()
    assert form.build_request().message == "a" * 60


def test_the_exercise_marker_is_on_the_wire_and_never_twice(
    qtbot, live_window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    window = live_window
    launch_exercise(qtbot, window, modal, "Evacuation drill, building B")
    assert wait_for_outcome(qtbot, window) is Outcome.OK
    assert demo_server.started_jobs[-1].message == MARKER + "Evacuation drill, building B"
    qtbot.waitUntil(lambda: window.history.model.rowCount() == 1)
    record = window.context.journal.entries()[0]
    assert record.mode is LaunchMode.EXERCISE  # the plan carried the mode
    assert record.parameter_values()["message"] == MARKER + "Evacuation drill, building B"

    # A message typed with the marker already is not marked again.
    launch_exercise(qtbot, window, modal, "exercise – second drill", again=True)
    qtbot.waitUntil(lambda: len(demo_server.started_jobs) == 2, timeout=15_000)
    assert demo_server.started_jobs[-1].message == "exercise – second drill"


def test_a_live_launch_is_journaled_live(
    qtbot, live_window: MainWindow, modal: ModalHandler
) -> None:
    launch_office_party(qtbot, live_window, modal, message="Real callout")
    assert wait_for_outcome(qtbot, live_window) is Outcome.OK
    assert live_window.context.journal.entries()[0].mode is LaunchMode.LIVE


def test_a_demo_exercise_stays_demo_and_sends_the_marker(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer, english: None
) -> None:
    banners: list[bool] = []

    def confirm(dialog: QDialog) -> None:
        banners.append(any(w.accessibleName() == "Exercise" for w in dialog.findChildren(QLabel)))
        button = CONFIRM(dialog)
        assert isinstance(button, QAbstractButton)
        button.click()

    select_job(qtbot, window, OFFICE_PARTY)
    qtbot.mouseClick(exercise_switch(window), Qt.MouseButton.LeftButton)
    window.form.message.setPlainText("Drill of a drill")
    modal.then(confirm)
    qtbot.mouseClick(window.form.start_button, Qt.MouseButton.LeftButton)
    assert wait_for_outcome(qtbot, window) is Outcome.OK
    assert demo_server.started_jobs[-1].message == MARKER + "Drill of a drill"
    assert window.context.journal.entries()[0].mode is LaunchMode.DEMO
    # Journaled as a demo, shown as an exercise too: the confirmation and the outcome.
    assert banners == [True]
    assert window.outcome.exercise.isVisibleTo(window.outcome)


def test_exercise_only_keeps_the_switch_on_and_says_why(
    qtbot, window: MainWindow, english: None
) -> None:
    select_job(qtbot, window, OFFICE_PARTY)
    form = window.form
    form.force_exercise(True)
    switch = exercise_switch(window)
    assert switch.isChecked()
    assert not switch.isEnabled()
    assert form.exercise_note.isVisible()
    assert "exercises only" in form.exercise_note.text()
    qtbot.mouseClick(switch, Qt.MouseButton.LeftButton)
    assert form.exercise
    # Opening a job, or filling the form from a live launch, keeps it an exercise.
    select_job(qtbot, window, OFFICE_PARTY)
    assert form.exercise
    form.fill_from_parameters({"jobid": OFFICE_PARTY, "message": "Live one"}, LaunchMode.LIVE)
    assert form.exercise
    assert form.build_request().message == MARKER + "Live one"
    form.force_exercise(False)
    assert switch.isEnabled()
    assert not form.exercise_note.isVisible()


def test_the_markers_come_from_the_settings(qtbot, window: MainWindow) -> None:
    window.context.settings.set_exercise_prefix("en", "DRILL: ")
    window.context.settings.set_exercise_prefix("sv", "ÖVNING: ")
    select_job(qtbot, window, OFFICE_PARTY)  # the form is built with the settings' markers
    form = window.form
    form.exercise_switch.setChecked(True)
    form.message.setPlainText("x")
    assert form.build_request().message in ("DRILL: x", "ÖVNING: x")
    form.message.setPlainText("övning: redan märkt")  # the other language's marker counts
    assert form.build_request().message == "övning: redan märkt"


# -- add to or replace the saved recipients ---------------------------------------------------


def test_recipients_given_ask_add_or_replace_with_nothing_preselected(
    qtbot, window: MainWindow
) -> None:
    select_job(qtbot, window, OFFICE_PARTY)
    form = window.form
    assert not form.keep_add.isEnabled()
    assert "saved job's own recipients are used" in form.keep_note.text()
    assert form.start_button.isEnabled()
    qtbot.keyClicks(form.tonumbers, NON_CONTACT)
    assert form.keep_add.isEnabled()
    assert not form.keep_add.isChecked()
    assert not form.keep_replace.isChecked()
    assert not form.start_button.isEnabled()
    assert "added to them or replace them" in form._errors["tokeep"].text()
    assert form.build_request().tokeep is None
    form.keep_replace.click()
    assert form.start_button.isEnabled()
    assert form.build_request().tokeep is False  # the choice, for the confirmation
    form.keep_add.click()
    assert form.build_request().tokeep is True
    # No recipients left: nothing to keep or replace, nothing asked.
    form.tonumbers.clear()
    assert form.build_request().tokeep is None
    assert not form.keep_add.isEnabled()
    # A new job asks again.
    select_job(qtbot, window, OFFICE_PARTY)
    qtbot.keyClicks(form.groups, "Management team")
    assert not form.keep_add.isChecked()
    assert not form.keep_replace.isChecked()


@pytest.mark.parametrize(("choice", "tokeep_sent"), [("keep_add", True), ("keep_replace", False)])
def test_the_server_receives_the_choice(
    qtbot,
    window: MainWindow,
    modal: ModalHandler,
    demo_server: DemoServer,
    choice: str,
    tokeep_sent: bool,
) -> None:
    select_job(qtbot, window, OFFICE_PARTY)
    qtbot.keyClicks(window.form.tonumbers, NON_CONTACT)
    getattr(window.form, choice).click()
    modal.click(CONFIRM)
    window.form.start_button.click()
    assert wait_for_outcome(qtbot, window) is Outcome.OK
    # Replacing is the server's default: "false" is never sent.
    assert ("tokeep" in sent(demo_server)) is tokeep_sent
    recipients = {r.phone for r in demo_server.started_jobs[-1].recipients}
    assert NON_CONTACT in recipients
    assert (len(recipients) > 1) is tokeep_sent  # added to the saved team, or alone


def test_a_gma_job_says_it_always_replaces_and_asks_nothing(qtbot, window: MainWindow) -> None:
    select_job(qtbot, window, ALARM)
    form = window.form
    assert not form.keep_choice.isVisible()
    assert "always replaces" in form.keep_note.text()
    form.tagfilter.set_filter("Role:Surgeon")
    form.responsegoal.setValue(2)
    assert form.start_button.isEnabled()
    assert "tokeep" not in form.problems()
    assert form.build_request().tokeep is False


# -- tag spellings ----------------------------------------------------------------------------


def test_unknown_tags_are_flagged_where_typed_and_fixed_in_one_click(
    qtbot, window: MainWindow
) -> None:
    select_job(qtbot, window, OFFICE_PARTY)
    form = window.form
    builder = form.tagfilter
    qtbot.mouseClick(builder._add_button, Qt.MouseButton.LeftButton)
    row = builder._rows[0]
    qtbot.keyClicks(row.type_edit, "Bse")
    qtbot.keyClicks(row.values_edit, "STO")
    assert row.hint_label.isVisible()
    assert "“Bse”" in row.hint_label.text()
    assert "did you mean “Base”?" in row.hint_label.text()
    assert row.fix_button.isVisible()
    assert row.fix_button.text() == "Use “Base”"
    qtbot.mouseClick(builder._add_button, Qt.MouseButton.LeftButton)
    second = builder._rows[1]
    qtbot.keyClicks(second.type_edit, "Language")
    qtbot.keyClicks(second.values_edit, "Swedsh|English")
    assert form.unknown_tags() == ["Bse", "Language: Swedsh"]
    # Flagged, not refused: a new tag may be right.
    form.keep_replace.click()
    assert form.start_button.isEnabled()

    row.fix_button.click()
    assert row.type_edit.text() == "Base"
    assert not row.hint_label.isVisible()
    assert not row.fix_button.isVisible()
    second.fix_button.click()
    assert second.values_edit.text() == "Swedish|English"
    assert form.unknown_tags() == []
    assert str(builder.tag_filter()) == "Base:STO;Language:Swedish|English"


def test_unknown_tags_of_the_exclusions_count_and_text_mode_flags_them(
    qtbot, window: MainWindow
) -> None:
    select_job(qtbot, window, OFFICE_PARTY)
    form = window.form
    form.excludefilter.set_filter("On cal:Yes")
    assert form.unknown_tags() == ["On cal"]
    form.excludefilter.set_text_mode(True)
    assert "did you mean “On call”?" in form.excludefilter._text_hint.text()
    assert form.excludefilter._text_hint.isVisible()


def test_the_vocabulary_learns_only_from_started_launches(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    settings = window.context.settings
    # 200 "ERROR": the filter matches nobody.
    launch_office_party(qtbot, window, modal, tagfilter="Base:NOWHERE")
    assert wait_for_outcome(qtbot, window) is Outcome.NOT_STARTED
    assert settings.tag_vocabulary() == {}
    # 400: the server refuses an unknown group.
    window.outcome.hide()
    launch_office_party(qtbot, window, modal, tagfilter="Shoe size:42", groups="No such group")
    assert wait_for_outcome(qtbot, window) is Outcome.REJECTED
    assert settings.tag_vocabulary() == {}
    assert "Shoe size" in window.form.unknown_tags()

    # Started: learned, and no longer flagged in the form.
    launch_office_party(qtbot, window, modal, tagfilter="Shoe size:42", tonumbers=NON_CONTACT)
    qtbot.waitUntil(lambda: len(demo_server.started_jobs) == 1, timeout=15_000)
    qtbot.waitUntil(lambda: not window.launcher.in_flight, timeout=15_000)
    assert settings.tag_vocabulary() == {"Shoe size": ["42"]}
    window.form.new_launch()
    window.form.tagfilter.set_filter("Shoe size:42")
    assert window.form.unknown_tags() == []


# -- launch again ---------------------------------------------------------------------------


def test_launch_again_fills_the_form_with_exactly_what_was_sent(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer, english: None
) -> None:
    select_job(qtbot, window, OFFICE_PARTY)
    form = window.form
    form.exercise_switch.setChecked(True)
    form.jobname.setText("Drill, night shift")
    form.message.setPlainText("Report to the apron\nby 22:00")
    form.tonumbers.setText(f"{NON_CONTACT}, +46709999002")
    form.savedfilters.setPlainText("Xmas2022\nOslo on call")
    form.groups.setPlainText("Oslo, night shift")
    form.tagfilter.set_filter("Base:STO|OSL;On call:Yes")
    form.excludenumbers.setText("+46701000001")
    form.excludefilter.set_filter("Language:Finnish")
    form.responsegoal.setValue(3)
    form.start_at.setChecked(True)
    later = datetime.now().replace(microsecond=0) + timedelta(hours=2, seconds=17)
    form.scheduledstart.setDateTime(QDateTime(later))
    form.keep_add.click()
    assert form.start_button.isEnabled(), form.problems()
    modal.click(CONFIRM)
    form.start_button.click()
    assert wait_for_outcome(qtbot, window) is Outcome.OK
    qtbot.waitUntil(lambda: window.history.model.rowCount() == 1)
    record = window.history.model.records()[0]
    journaled = record.parameter_values()
    assert journaled["message"].startswith(MARKER)
    assert journaled["tokeep"] is True

    fresh = StartJobForm()
    qtbot.addWidget(fresh)
    asked: list[object] = []
    fresh.launch_requested.connect(asked.append)
    fresh.set_job(SavedJob(OFFICE_PARTY, "Office Party", "MonitoredMessage"), GenericType.GMM)
    fresh.fill_from_parameters(journaled, record.mode)
    assert fresh.exercise
    assert fresh.message.toPlainText() == "Report to the apron\nby 22:00"  # no marker
    assert fresh.keep_add.isChecked()
    assert fresh.start_at.isChecked()
    assert fresh.problems() == {}
    assert validate_start_request(fresh.build_request(), GenericType.GMM) == journaled
    assert "earlier launch" in fresh.fill_note.text()
    assert asked == []  # it never launches by itself
    assert demo_server.request_count("/startsavedjob") == 1


def test_launch_again_from_the_window_opens_the_job_and_sends_nothing(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    launch_office_party(qtbot, window, modal, message="Once", tonumbers=NON_CONTACT)
    assert wait_for_outcome(qtbot, window) is Outcome.OK
    qtbot.waitUntil(lambda: window.history.model.rowCount() == 1)
    record = window.history.model.records()[0]
    select_job(qtbot, window, ALARM)  # another job open meanwhile
    modal.then(lambda dialog: dialog.reject())
    window.launch_again(record)
    qtbot.wait(200)
    assert modal.titles == ["[DEMO] Confirm launch — Dispatch Desktop"]  # the first launch
    assert window.form.job.id == OFFICE_PARTY
    assert window.form.message.toPlainText() == "Once"
    assert window.form.keep_replace.isChecked()  # journaled without tokeep: replaced
    assert not window.form.spent
    assert window.form.start_button.isEnabled()
    assert demo_server.request_count("/startsavedjob") == 1
    sent_before = validate_start_request(window.form.build_request(), GenericType.GMM)
    assert sent_before == record.parameter_values()


def test_filling_a_gma_job_and_what_the_form_cannot_show(qtbot) -> None:
    form = StartJobForm()
    qtbot.addWidget(form)
    form.set_job(SavedJob(ALARM, "Alarm", "QuickAssign"), GenericType.GMA)
    parameters = {
        "jobid": ALARM,
        "assignedmessage": "You are on call",
        "toaddressbooktagfilterjson": [{"tagtype": "Role", "tagvalues": ["Surgeon"]}],
        "responsegoal": 2,
        "future_option": "x",
    }
    form.fill_from_parameters(parameters, LaunchMode.LIVE)
    assert not form.exercise
    assert str(form.tagfilter.tag_filter()) == "Role:Surgeon"
    assert form.problems() == {}
    assert "future_option" in form.fill_note.text()
    with pytest.raises(ValueError, match="does not show the saved job"):
        form.fill_from_parameters({"jobid": OFFICE_PARTY}, LaunchMode.LIVE)


# -- after a launch -------------------------------------------------------------------------


def test_ctrl_enter_right_after_a_launch_does_not_confirm_it_again(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    launch_office_party(qtbot, window, modal, jobname="Once only", message="Go")
    assert wait_for_outcome(qtbot, window) is Outcome.OK
    form = window.form
    assert form.spent
    assert form.jobname.text() == ""  # back to the saved job's own settings
    assert form.message.toPlainText() == ""
    assert "New launch" in form.status_label.text()
    assert form.new_launch_button.isVisible()

    def go_back_every_time(dialog: QDialog) -> None:
        dialog.reject()
        modal.then(go_back_every_time)

    modal.then(go_back_every_time)
    activate(qtbot, window)  # shortcuts work in the active window only
    qtbot.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    form.start_button.click()
    qtbot.wait(300)
    assert modal.titles == ["[DEMO] Confirm launch — Dispatch Desktop"]  # only the launch
    assert demo_server.request_count("/startsavedjob") == 1

    # An explicit "New launch" makes the form ready again; the shortcut then confirms.
    qtbot.mouseClick(form.new_launch_button, Qt.MouseButton.LeftButton)
    assert not form.new_launch_button.isVisible()
    assert form.start_button.isEnabled()
    activate(qtbot, window)
    qtbot.keyClick(form.jobname, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(modal.titles) == 2)
    assert demo_server.request_count("/startsavedjob") == 1


def test_a_launch_that_sent_nothing_keeps_the_form_to_correct_it(
    qtbot, window: MainWindow, modal: ModalHandler
) -> None:
    launch_office_party(qtbot, window, modal, tagfilter="Base:NOWHERE")
    assert wait_for_outcome(qtbot, window) is Outcome.NOT_STARTED
    form = window.form
    assert not form.spent
    assert str(form.tagfilter.tag_filter()) == "Base:NOWHERE"
    assert form.keep_replace.isChecked()
    assert form.start_button.isEnabled()
