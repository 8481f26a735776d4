"""Launching a saved job from the GUI against the demo server: confirmation, the single
in-flight launch, a responsive window, each outcome, the journal."""

from __future__ import annotations

import itertools
import time

from conftest import ModalHandler, button_named
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QDialog
from test_main_window import OFFICE_PARTY, select_job

from dispatch_desktop.api import Credentials, DispatchClient
from dispatch_desktop.demo import DemoServer
from dispatch_desktop.storage.journal import Outcome
from dispatch_desktop.ui.main_window import MainWindow

CONFIRM = button_named("Confirm start job")


def confirm_again(dialog: QDialog) -> None:
    """Confirm a launch the repeat guard questions: tick *Start it again*, then confirm."""
    [tick] = [b for b in dialog.findChildren(QCheckBox) if b.accessibleName() == "Start it again"]
    tick.setChecked(True)
    button = CONFIRM(dialog)
    assert isinstance(button, QAbstractButton)
    button.click()


LAUNCH_TIMEOUT_MS = 15_000


def launch_office_party(qtbot, window: MainWindow, modal: ModalHandler, **fields: str) -> None:
    """Open Office Party, fill ``fields``, press Start job… and confirm. Recipients given
    replace the saved job's own (the dispatcher's explicit choice)."""
    select_job(qtbot, window, OFFICE_PARTY)
    for name, text in fields.items():
        widget = getattr(window.form, name)
        if name == "tagfilter":
            widget.set_filter(text)
        else:
            qtbot.keyClicks(widget, text)
    if window.form.keep_replace.isEnabled():
        window.form.keep_replace.click()
    assert window.form.start_button.isEnabled(), window.form.problems()
    modal.click(CONFIRM)
    qtbot.mouseClick(window.form.start_button, Qt.MouseButton.LeftButton)


def wait_for_outcome(qtbot, window: MainWindow) -> Outcome:
    """The outcome of the launch just asked for. Opening a job hides the last outcome, and
    the confirmation opens only once the journal was searched (off the GUI thread): wait for
    an outcome shown again, not for the one still held from before."""
    qtbot.waitUntil(
        lambda: (
            not window.outcome.isHidden()
            and window.outcome.kind is not None
            and not window.launcher.in_flight
        ),
        timeout=LAUNCH_TIMEOUT_MS,
    )
    assert window.outcome.kind is not None
    return window.outcome.kind


def test_launch_ok_shows_the_runtime_id_and_journals_it(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    launch_office_party(qtbot, window, modal, jobname="Xmas bash", message="Party at 5")
    assert wait_for_outcome(qtbot, window) is Outcome.OK
    started = demo_server.started_jobs[-1]
    assert window.outcome.runtime_id.text() == str(started.runtimeid)  # exact, F1
    assert started.jobname == "Xmas bash"
    assert started.message == "Party at 5"
    assert "Xmas bash" in window.outcome.detail.text()
    assert window.outcome.copy_button.isVisible()

    # The row shows while the start call runs (Sending…); then its outcome.
    qtbot.waitUntil(lambda: [r.outcome for r in window.history.model.records()] == [Outcome.OK])
    record = window.history.model.records()[0]
    assert record.runtime_id == started.runtimeid
    assert record.job_id == OFFICE_PARTY
    assert "demo" not in record.parameters  # no credential in the journal
    assert not window.form.locked


def test_confirmation_shows_everything_and_enter_does_not_launch(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    select_job(qtbot, window, OFFICE_PARTY)
    window.form.tagfilter.set_filter("Base:STO|OSL;On call:Yes")
    window.form.keep_replace.click()  # recipients given: the dispatcher must choose
    qtbot.keyClicks(window.form.excludenumbers, "+46701234567")
    window.form.responsegoal.setValue(4)
    seen: list[str] = []

    def press_enter(dialog: QDialog) -> None:
        seen.append(dialog.summary.toPlainText())
        assert not dialog.confirm_button.isDefault()
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    modal.then(press_enter)
    qtbot.keyClick(window.form.jobname, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(seen))
    summary = seen[0]
    for expected in (
        "Office Party",
        str(OFFICE_PARTY),
        "The saved job's own recipients are replaced by these.",
        "Base is STO or OSL and On call is Yes",
        "+46701234567",
        "4 confirmed responders",
        "Now",
        "resolved",  # F11: recipients resolved at start
        "settings of the job type",  # F11
        "Demo mode",  # a drill says so here too
    ):
        assert expected in summary
    assert "real messages" not in summary
    qtbot.wait(200)
    assert demo_server.request_count("/startsavedjob") == 0
    assert window.outcome.kind is None


def test_scheduled_launch_shows_local_and_utc_time(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    select_job(qtbot, window, OFFICE_PARTY)
    window.form.start_at.setChecked(True)
    seen: list[str] = []

    def read_and_confirm(dialog: QDialog) -> None:
        seen.append(dialog.summary.toPlainText())
        dialog.confirm_button.click()

    modal.then(read_and_confirm)
    window.form.start_button.click()
    assert wait_for_outcome(qtbot, window) is Outcome.OK
    assert "local time" in seen[0]
    assert "UTC" in seen[0]
    assert demo_server.started_jobs[-1].scheduledstart is not None


def test_slow_start_keeps_the_window_responsive_and_refuses_a_second_launch(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    demo_server.start_delay = 1.5
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()

    launch_office_party(qtbot, window, modal, jobname="Slow one")
    qtbot.waitUntil(lambda: window.launcher.in_flight)
    form = window.form
    assert form.locked
    assert not form.start_button.isEnabled()
    assert not form.jobname.isEnabled()
    # Every way to launch again does nothing while the first is in flight.
    form.start_button.click()
    qtbot.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    form.request_launch()
    window.confirm_launch(form.build_request())
    assert modal.titles == ["[DEMO] Confirm launch — Dispatch Desktop"]
    # The rest of the window stays usable: searching filters the list.
    window.jobs_panel.search.clear()
    qtbot.keyClicks(window.jobs_panel.search, "Oslo")
    assert window.jobs_panel.proxy.rowCount() == 1
    assert "Starting" in window.outcome.title.text()
    journal = window.context.journal
    qtbot.waitUntil(lambda: bool(journal.entries()))
    assert journal.entries()[0].outcome is Outcome.PENDING  # written before sending

    assert wait_for_outcome(qtbot, window) is Outcome.OK
    timer.stop()
    gaps = [later - earlier for earlier, later in itertools.pairwise(ticks)]
    assert len(ticks) > 50
    assert max(gaps) < 0.1, f"the GUI thread stalled for {max(gaps):.3f} s"
    assert demo_server.request_count("/startsavedjob") == 1
    assert not form.locked
    # Sent: the form is back to the saved job's settings and starts nothing by itself.
    assert not form.start_button.isEnabled()
    form.new_launch_button.click()
    assert form.start_button.isEnabled()


def test_job_not_started_shows_the_servers_reason(
    qtbot, window: MainWindow, modal: ModalHandler
) -> None:
    launch_office_party(qtbot, window, modal, tagfilter="Base:NOWHERE")
    assert wait_for_outcome(qtbot, window) is Outcome.NOT_STARTED
    assert "NOT started" in window.outcome.title.text()
    assert "recipient" in window.outcome.detail.text().lower()
    assert not window.outcome.copy_button.isVisible()


def test_rejected_request_shows_the_servers_text(
    qtbot, window: MainWindow, modal: ModalHandler
) -> None:
    launch_office_party(qtbot, window, modal, groups="No such group")
    assert wait_for_outcome(qtbot, window) is Outcome.REJECTED
    assert "No such group" in window.outcome.detail.text()
    assert "nothing was sent" in window.outcome.title.text()


def test_lost_authentication_offers_to_sign_in_again(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    window.session.client = DispatchClient(
        demo_server.url, Credentials(username="demo", password="changed")
    )
    launch_office_party(qtbot, window, modal)
    assert wait_for_outcome(qtbot, window) is Outcome.AUTH_FAILED
    assert window.outcome.sign_in_button.isVisible()
    assert "address book" in window.outcome.detail.text()
    window.session.client.close()


def test_lost_answer_is_outcome_unknown_with_a_strong_warning(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    demo_server.fault = "reset"
    launch_office_party(qtbot, window, modal)
    assert wait_for_outcome(qtbot, window) is Outcome.UNKNOWN
    assert "OUTCOME UNKNOWN" in window.outcome.title.text()
    assert "may have started" in window.outcome.detail.text()
    assert "Do NOT start the job again" in window.outcome.detail.text()
    assert demo_server.request_count("/startsavedjob") == 1
    qtbot.waitUntil(
        lambda: [r.outcome for r in window.history.model.records()] == [Outcome.UNKNOWN]
    )


def test_closing_during_a_launch_asks_first(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    demo_server.start_delay = 1.0
    launch_office_party(qtbot, window, modal)
    qtbot.waitUntil(lambda: window.launcher.in_flight)
    modal.click(button_named("No"))
    window.close()
    assert window.isVisible()
    assert "A job is starting" in modal.titles[-1]
    assert wait_for_outcome(qtbot, window) is Outcome.OK


def test_history_exports_csv(qtbot, window: MainWindow, modal: ModalHandler, tmp_path) -> None:
    launch_office_party(qtbot, window, modal, jobname="Export me")
    wait_for_outcome(qtbot, window)
    # The reload after a launch sets the status line too; let it finish first.
    qtbot.waitUntil(lambda: window.history.model.rowCount() == 1)
    qtbot.waitUntil(lambda: window.history.model.records()[0].outcome is Outcome.OK)
    target = tmp_path / "history.csv"
    window.history.export_to(target)
    qtbot.waitUntil(lambda: "Exported 1" in window.history.status.text())
    text = target.read_text(encoding="utf-8")
    assert str(OFFICE_PARTY) in text
    assert "Export me" in text


def test_a_real_launch_warns_that_messages_go_to_real_people(qtbot) -> None:
    from dispatch_desktop.api import SavedJob, StartJobRequest
    from dispatch_desktop.ui.confirm import ConfirmLaunchDialog

    job = SavedJob(OFFICE_PARTY, "Office Party", "MonitoredMessage")
    dialog = ConfirmLaunchDialog(
        job, StartJobRequest(jobid=OFFICE_PARTY), None, server="https://x/api", demo=False
    )
    qtbot.addWidget(dialog)
    assert not dialog.windowTitle().startswith("[DEMO]")
    summary = dialog.summary.toPlainText()
    assert "real messages to real people" in summary
    assert "unknown" in summary  # the generic type the client does not know
    assert dialog.back_button.isDefault()
