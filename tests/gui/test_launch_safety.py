"""The last safe moment before a launch, through the real widgets against the demo server: the
repeat guard ("Start it again"), the undo window ("Sending in N s", Cancel, Esc, closing), the
confirmation's heading, time and recipients in words, its colours, and the outcome panel's
exercise banner and "Launch again with these settings"."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import ModalHandler, button_named
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QDialog, QLabel, QWidget
from test_launch import CONFIRM, launch_office_party, wait_for_outcome
from test_main_window import ALARM, OFFICE_PARTY, select_job

from dispatch_desktop.api import GenericType, SavedJob, StartJobRequest
from dispatch_desktop.demo import DemoServer
from dispatch_desktop.launcher import LaunchOutcome, LaunchPlan
from dispatch_desktop.storage.journal import LaunchJournal, LaunchMode, LaunchRecord, Outcome
from dispatch_desktop.ui.colors import CONFIRMATION
from dispatch_desktop.ui.confirm import ConfirmLaunchDialog, span_text
from dispatch_desktop.ui.launch_panel import OutcomePanel
from dispatch_desktop.ui.main_window import MainWindow

STARTS = "/startsavedjob"
SERVER = "https://dispatch.example.com/dispatch/api"
PARTY = SavedJob(OFFICE_PARTY, "Office Party", "MonitoredMessage")


def start_it_again(dialog: QDialog) -> QCheckBox:
    [box] = [b for b in dialog.findChildren(QCheckBox) if b.accessibleName() == "Start it again"]
    return box


def open_confirmation(
    qtbot, window: MainWindow, modal: ModalHandler, act: Callable[[QDialog], None]
) -> None:
    """Open Office Party and press Start job…; ``act`` handles the confirmation."""
    select_job(qtbot, window, OFFICE_PARTY)
    modal.then(act)
    window.form.start_button.click()
    qtbot.waitUntil(lambda: bool(modal.titles), timeout=10_000)


def read_guard(qtbot, window: MainWindow, modal: ModalHandler) -> tuple[str, bool]:
    """Open the confirmation, go back; what the repeat guard said, and whether the confirm
    button was disabled."""
    seen: list[tuple[str, bool]] = []

    def read(dialog: QDialog) -> None:
        seen.append((dialog.repeat_warning.text(), not dialog.confirm_button.isEnabled()))
        dialog.reject()

    open_confirmation(qtbot, window, modal, read)
    return seen[0]


def journal_of(window: MainWindow) -> LaunchJournal:
    journal = window.context.journal
    assert journal is not None
    return journal


def age_row(journal: LaunchJournal, attempt_id: int, age: timedelta) -> None:
    """Move a journal row ``age`` into the past (as if written then)."""
    when = (datetime.now(UTC) - age).isoformat(timespec="milliseconds")
    with closing(sqlite3.connect(journal.path)) as connection, connection:
        connection.execute("UPDATE launches SET attempted_at = ? WHERE id = ?", (when, attempt_id))


def record_earlier(window: MainWindow, *, age: timedelta, outcome: Outcome | None) -> None:
    """An earlier launch of Office Party on this server, ``age`` old; ``None``: pending."""
    journal = journal_of(window)
    attempt = journal.record_attempt(
        server=window.session.server,
        user="alice",
        job_id=OFFICE_PARTY,
        job_name="Office Party",
        parameters={"jobid": OFFICE_PARTY},
        mode=LaunchMode.DEMO,
    )
    if outcome is not None:
        journal.record_outcome(attempt, outcome, runtimeid=None)
    age_row(journal, attempt, age)


# -- the repeat guard -------------------------------------------------------------------------


def test_a_second_launch_waits_for_start_it_again(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    launch_office_party(qtbot, window, modal)
    assert wait_for_outcome(qtbot, window) is Outcome.OK
    first = demo_server.started_jobs[-1].runtimeid
    seen: dict[str, object] = {}

    def try_then_tick(dialog: QDialog) -> None:
        seen["warning"] = dialog.repeat_warning.text()
        seen["disabled"] = not dialog.confirm_button.isEnabled()
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)  # does nothing
        seen["still open"] = dialog.isVisible()
        box = start_it_again(dialog)
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Space)
        seen["enabled"] = dialog.confirm_button.isEnabled()
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)

    open_confirmation(qtbot, window, modal, try_then_tick)
    qtbot.waitUntil(lambda: demo_server.request_count(STARTS) == 2, timeout=10_000)
    assert seen["disabled"] is True
    assert seen["still open"] is True
    assert seen["enabled"] is True
    warning = str(seen["warning"])
    assert "already started from this computer" in warning
    assert f"runtime id {first}" in warning  # the exact digits (F1)
    assert "less than a minute ago" in warning
    assert ": started," in warning
    assert wait_for_outcome(qtbot, window) is Outcome.OK


def test_going_back_from_the_repeat_guard_sends_nothing(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    launch_office_party(qtbot, window, modal)
    assert wait_for_outcome(qtbot, window) is Outcome.OK

    def enter(dialog: QDialog) -> None:
        qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Enter goes back, even with the tick
        assert not dialog.isVisible()

    modal.then(
        lambda dialog: (qtbot.keyClick(start_it_again(dialog), Qt.Key.Key_Space), enter(dialog))
    )
    select_job(qtbot, window, OFFICE_PARTY)
    window.form.start_button.click()
    qtbot.waitUntil(lambda: len(modal.titles) == 1)
    qtbot.wait(300)
    assert demo_server.request_count(STARTS) == 1


@pytest.mark.parametrize("outcome", [None, Outcome.UNKNOWN], ids=["pending", "unknown"])
def test_an_old_launch_that_may_have_gone_out_triggers_the_guard(
    qtbot, window: MainWindow, modal: ModalHandler, outcome: Outcome | None
) -> None:
    record_earlier(window, age=timedelta(days=3), outcome=outcome)
    warning, disabled = read_guard(qtbot, window, modal)
    assert disabled
    assert "may already have started" in warning
    assert "3 days ago" in warning
    assert "no runtime id" in warning
    assert "may have started" in warning.split("\n")[1]
    assert "Check the Dispatch dashboard" in warning
    assert "pending" not in warning  # words, never the stored value


def test_an_old_settled_launch_or_another_job_does_not_trigger_the_guard(
    qtbot, window: MainWindow, modal: ModalHandler
) -> None:
    record_earlier(window, age=timedelta(hours=1), outcome=Outcome.OK)  # not in 30 min
    journal = journal_of(window)
    journal.record_attempt(  # another job, just now, outcome unknown
        server=window.session.server, user="alice", job_id=ALARM, mode=LaunchMode.DEMO
    )
    seen: dict[str, object] = {}

    def read(dialog: QDialog) -> None:
        seen["boxes"] = dialog.findChildren(QCheckBox)
        seen["enabled"] = dialog.confirm_button.isEnabled()
        dialog.reject()

    open_confirmation(qtbot, window, modal, read)
    assert seen["boxes"] == []
    assert seen["enabled"] is True


def test_the_repeat_window_comes_from_the_settings(
    qtbot, window: MainWindow, modal: ModalHandler
) -> None:
    window.context.settings.repeat_window_minutes = 24 * 60
    record_earlier(window, age=timedelta(hours=20), outcome=Outcome.OK)
    warning, disabled = read_guard(qtbot, window, modal)
    assert disabled
    assert "20 h ago" in warning


class SlowJournal(LaunchJournal):
    """A journal on a slow disk, noting the thread it is searched on."""

    threads: list[threading.Thread]

    def earlier_launches(self, job_id: int, server: str, since: datetime) -> list[LaunchRecord]:
        self.threads.append(threading.current_thread())
        time.sleep(0.5)
        return super().earlier_launches(job_id, server, since)


def test_the_journal_is_searched_off_the_gui_thread(
    qtbot, window: MainWindow, modal: ModalHandler, tmp_path: Path
) -> None:
    journal = SlowJournal(tmp_path / "slow.sqlite3")
    journal.threads = []
    window.set_journal(journal)
    seen: list[bool] = []
    open_confirmation(qtbot, window, modal, lambda d: (seen.append(True), d.reject()))
    assert seen == [True]
    assert journal.threads
    assert journal.threads[0] is not threading.main_thread()


def test_an_unreadable_journal_still_asks_for_the_tick(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    journal = journal_of(window)
    for suffix in ("-wal", "-shm"):
        Path(f"{journal.path}{suffix}").unlink(missing_ok=True)
    journal.path.write_bytes(b"this is not SQLite" * 100)
    warning, disabled = read_guard(qtbot, window, modal)
    assert disabled
    assert "could not be read" in warning
    assert demo_server.request_count(STARTS) == 0


def test_without_a_journal_the_guard_says_it_could_not_check(
    qtbot, window: MainWindow, modal: ModalHandler
) -> None:
    window.set_journal(None)
    warning, disabled = read_guard(qtbot, window, modal)
    assert disabled
    assert "could not be read" in warning


# -- the undo window --------------------------------------------------------------------------


class LaunchWatch:
    """Samples the undo window every 20 ms: was anything sent while it counted?"""

    def __init__(self, window: MainWindow, server: DemoServer) -> None:
        self.confirmed_at: float | None = None
        self.countdown_at: float | None = None
        self.sending_at: float | None = None
        self.samples: list[tuple[bool, int, str]] = []
        window.launcher.busy_changed.connect(self._on_busy)
        window.launcher.countdown_started.connect(self._on_countdown)
        window.launcher.sending_started.connect(self._on_sending)
        panel = window.outcome

        def sample() -> None:
            shown = panel.countdown.text() if panel.countdown.isVisibleTo(panel) else ""
            self.samples.append((window.launcher.counting, server.request_count(STARTS), shown))

        self._timer = QTimer()
        self._timer.setInterval(20)
        self._timer.timeout.connect(sample)
        self._timer.start()

    def _on_busy(self, busy: bool) -> None:
        # Emitted as the confirmed launch is taken, before its deadline is set.
        if busy and self.confirmed_at is None:
            self.confirmed_at = time.monotonic()

    def _on_countdown(self, *_: object) -> None:
        self.countdown_at = time.monotonic()

    def _on_sending(self, *_: object) -> None:
        self.sending_at = time.monotonic()

    def stop(self) -> None:
        self._timer.stop()

    def wait_past(self, qtbot, seconds: float) -> None:
        """Wait until ``seconds`` (and a margin) after the countdown began."""
        assert self.countdown_at is not None
        left = self.countdown_at + seconds + 0.5 - time.monotonic()
        if left > 0:
            qtbot.wait(int(left * 1000))


def activate(qtbot, window: MainWindow) -> None:
    """The window is active again once the confirmation has closed (a window manager's job,
    which the offscreen platform does not do)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def start_counting(
    qtbot,
    window: MainWindow,
    modal: ModalHandler,
    server: DemoServer,
    seconds: int,
    **fields: str,
) -> LaunchWatch:
    """Confirm a launch of Office Party with an undo window of ``seconds``; return once it
    counts, with a :class:`LaunchWatch` on it."""
    window.context.settings.undo_seconds = seconds
    watch = LaunchWatch(window, server)
    launch_office_party(qtbot, window, modal, **fields)
    qtbot.waitUntil(lambda: window.launcher.counting)
    return watch


def test_letting_the_countdown_run_sends_exactly_once_when_it_ends(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    watch = start_counting(qtbot, window, modal, demo_server, 2)
    assert window.outcome.countdown.accessibleName() == "Sending countdown"
    assert window.outcome.cancel_button.isVisible()
    assert window.form.locked  # nothing can be changed or started meanwhile
    assert wait_for_outcome(qtbot, window) is Outcome.OK
    watch.stop()

    assert demo_server.request_count(STARTS) == 1
    assert watch.confirmed_at is not None
    assert watch.countdown_at is not None
    assert watch.sending_at is not None
    assert watch.sending_at - watch.confirmed_at >= 2.0  # never before it ends
    counting = [sample for sample in watch.samples if sample[0]]
    assert counting
    assert all(sent == 0 for _, sent, _ in counting)
    shown = {text for _, _, text in counting}
    assert {"Sending in 2 s", "Sending in 1 s"} <= shown
    [record] = journal_of(window).entries()
    assert record.outcome is Outcome.OK


def test_cancel_sends_nothing_and_journals_the_cancel(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    watch = start_counting(qtbot, window, modal, demo_server, 3, jobname="Not this one")
    assert window.outcome.cancel_button.accessibleName() == "Cancel start"
    qtbot.mouseClick(window.outcome.cancel_button, Qt.MouseButton.LeftButton)
    assert wait_for_outcome(qtbot, window) is Outcome.CANCELLED
    assert window.outcome.title.text() == "Cancelled — nothing was sent"
    assert not window.outcome.countdown.isVisible()
    assert not window.form.locked
    watch.wait_past(qtbot, 3)  # well past the moment it would have been sent
    watch.stop()

    assert demo_server.request_count(STARTS) == 0
    assert watch.sending_at is None
    [record] = journal_of(window).entries()
    assert record.outcome is Outcome.CANCELLED
    assert record.parameter_values()["jobname"] == "Not this one"
    qtbot.waitUntil(lambda: window.history.model.rowCount() == 1)


def test_escape_cancels_anywhere_in_the_window(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    places: list[Callable[[], QWidget]] = [
        lambda: window.jobs_panel.table,
        lambda: (window.show_history(), window.history)[1],
    ]
    for place in places:
        start_counting(qtbot, window, modal, demo_server, 5).stop()
        widget = place()
        activate(qtbot, window)
        widget.setFocus()
        qtbot.keyClick(widget, Qt.Key.Key_Escape)
        assert wait_for_outcome(qtbot, window) is Outcome.CANCELLED
        window.tabs.setCurrentIndex(0)
    assert demo_server.request_count(STARTS) == 0
    # A cancelled launch sent nothing: it is no reason for the repeat guard.
    assert [r.outcome for r in journal_of(window).entries()] == [Outcome.CANCELLED] * 2
    assert len(modal.titles) == 2


def test_escape_does_not_pretend_to_stop_a_start_already_sent(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    demo_server.start_delay = 1.0
    launch_office_party(qtbot, window, modal)
    qtbot.waitUntil(lambda: window.launcher.sending)
    activate(qtbot, window)
    qtbot.keyClick(window.jobs_panel.table, Qt.Key.Key_Escape)
    assert wait_for_outcome(qtbot, window) is Outcome.OK
    assert demo_server.request_count(STARTS) == 1


def test_undo_zero_sends_at_once(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    window.context.settings.undo_seconds = 0
    watch = LaunchWatch(window, demo_server)
    launch_office_party(qtbot, window, modal)
    assert wait_for_outcome(qtbot, window) is Outcome.OK
    watch.stop()
    assert watch.countdown_at is None
    assert watch.sending_at is not None
    assert demo_server.request_count(STARTS) == 1


def test_closing_during_the_countdown_cancels_without_asking(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    watch = start_counting(qtbot, window, modal, demo_server, 3)
    window.close()
    assert not window.isVisible()
    assert modal.titles == ["[DEMO] Confirm launch — Dispatch Desktop"]  # no question
    assert not window.launcher.in_flight
    assert [r.outcome for r in journal_of(window).entries()] == [Outcome.CANCELLED]
    watch.wait_past(qtbot, 3)
    watch.stop()
    assert demo_server.request_count(STARTS) == 0


# -- the confirmation in words ----------------------------------------------------------------


def confirmation(qtbot, request: StartJobRequest, **options: object) -> ConfirmLaunchDialog:
    options.setdefault("server", SERVER)
    options.setdefault("demo", False)
    generic = options.pop("generic_type", GenericType.GMM)
    dialog = ConfirmLaunchDialog(PARTY, request, generic, **options)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def confirm_words(dialog: ConfirmLaunchDialog) -> str:
    return dialog.confirm_button.text().replace("&", "")


def test_a_start_now_reads_live_now_and_start_now(qtbot) -> None:
    dialog = confirmation(qtbot, StartJobRequest(jobid=OFFICE_PARTY))
    assert dialog.heading.text() == f"Start “Office Party” — LIVE\non {SERVER}?"
    assert dialog.when.text() == "When: now"
    assert confirm_words(dialog) == "Start now"
    assert dialog.confirm_button.accessibleName() == "Confirm start job"
    assert dialog.back_button.isDefault()
    assert not dialog.confirm_button.isDefault()
    assert dialog.confirm_button.isEnabled()  # no earlier launch: no tick needed


def test_a_scheduled_start_reads_at_and_schedule_for(qtbot) -> None:
    now = datetime(2025, 6, 3, 9, 6).astimezone()
    later = datetime(2025, 6, 3, 10, 4).astimezone()
    dialog = confirmation(qtbot, StartJobRequest(jobid=OFFICE_PARTY, scheduledstart=later), now=now)
    assert dialog.when.text() == "When: at 10:04 (in 58 min)"
    assert confirm_words(dialog) == "Schedule for 10:04"

    another_day = datetime(2025, 6, 5, 8, 0).astimezone()
    dialog = confirmation(
        qtbot, StartJobRequest(jobid=OFFICE_PARTY, scheduledstart=another_day), now=now
    )
    assert "2025-06-05 08:00" in dialog.when.text()
    assert "(in 46 h 54 min)" in dialog.when.text()
    assert confirm_words(dialog).endswith("2025-06-05 08:00")


def test_a_scheduled_start_through_the_form(qtbot, window: MainWindow, modal: ModalHandler) -> None:
    select_job(qtbot, window, OFFICE_PARTY)
    window.form.start_at.setChecked(True)
    seen: list[tuple[str, str]] = []
    modal.then(lambda d: (seen.append((d.when.text(), confirm_words(d))), d.reject()))
    window.form.start_button.click()
    qtbot.waitUntil(lambda: bool(seen))
    when, button = seen[0]
    assert when.startswith("When: at ")
    assert "(in " in when
    assert button.startswith("Schedule for ")
    assert button.removeprefix("Schedule for ") in when


@pytest.mark.parametrize(
    ("mode", "word", "banner"),
    [(LaunchMode.LIVE, "LIVE", False), (LaunchMode.EXERCISE, "EXERCISE", True)],
)
def test_the_heading_names_the_mode(qtbot, mode: LaunchMode, word: str, banner: bool) -> None:
    dialog = confirmation(qtbot, StartJobRequest(jobid=OFFICE_PARTY), mode=mode)
    assert f"— {word}\n" in dialog.heading.text()
    exercise = [w for w in dialog.findChildren(QWidget) if w.accessibleName() == "Exercise"]
    assert bool(exercise) is banner
    assert SERVER in dialog.heading.text()


def test_a_demo_confirmation_says_demo(qtbot) -> None:
    dialog = confirmation(qtbot, StartJobRequest(jobid=OFFICE_PARTY), demo=True)
    assert "— DEMO\n" in dialog.heading.text()
    assert [w for w in dialog.findChildren(QWidget) if w.accessibleName() == "Demo mode"]


KEPT = "The saved job's own recipients are kept, and these are added."
REPLACED = "The saved job's own recipients are replaced by these."
UNCHANGED = "The saved job's own recipients are used, unchanged."


@pytest.mark.parametrize(
    ("changes", "generic", "line"),
    [
        ({"tonumbers": ["+46701234567"], "tokeep": True}, GenericType.GMM, KEPT),
        ({"toaddressbookgroups": ["Night shift"], "tokeep": False}, GenericType.GMM, REPLACED),
        ({"tonumbers": ["+46701234567"]}, GenericType.GMM, REPLACED),  # the server's default
        ({"toaddressbookcustomtagfilter": "Base:STO", "tokeep": True}, GenericType.GMA, REPLACED),
        ({"excludenumbers": ["+46701234567"], "tokeep": True}, GenericType.GMM, UNCHANGED),
        ({}, GenericType.GMM, UNCHANGED),
    ],
    ids=["gmm-keep", "gmm-replace", "gmm-unset", "gma-always-replaces", "exclude-only", "none"],
)
def test_the_keep_or_replace_choice_in_one_plain_line(
    qtbot, changes: dict[str, object], generic: GenericType, line: str
) -> None:
    request = StartJobRequest(jobid=OFFICE_PARTY, **changes)  # type: ignore[arg-type]
    dialog = confirmation(qtbot, request, generic_type=generic)
    assert dialog.recipients.text() == line
    assert "\n" not in dialog.recipients.text()
    assert line in dialog.summary.toPlainText()


def test_unknown_tags_are_listed(qtbot) -> None:
    request = StartJobRequest(jobid=OFFICE_PARTY, toaddressbookcustomtagfilter="Bse:STOO")
    dialog = confirmation(qtbot, request, unknown_tags=["Bse", "STOO"])
    assert dialog.unknown_tags is not None
    assert "“Bse”, “STOO”" in dialog.unknown_tags.text()
    assert "check the spelling" in dialog.unknown_tags.text()
    assert confirmation(qtbot, request).unknown_tags is None


def test_time_spans_in_words() -> None:
    assert span_text(20) == "less than a minute"
    assert span_text(58 * 60) == "58 min"
    assert span_text(120 * 60) == "2 h"
    assert span_text(125 * 60) == "2 h 5 min"
    assert span_text(3 * 24 * 3600) == "3 days"


# -- colours ----------------------------------------------------------------------------------


# The contrast ratio and every colour pair (the confirmation's, the outcome panel's, ...) in a light
# and a dark palette: test_themes.py.


def test_a_disabled_confirm_button_does_not_look_armed(qtbot) -> None:
    dialog = confirmation(qtbot, StartJobRequest(jobid=OFFICE_PARTY))
    style = dialog.confirm_button.styleSheet()
    assert "QPushButton:disabled" in style
    assert CONFIRMATION["confirm disabled"].background in style


# -- the outcome panel ------------------------------------------------------------------------


def plan_of(mode: LaunchMode) -> LaunchPlan:
    return LaunchPlan(
        PARTY, StartJobRequest(jobid=OFFICE_PARTY), GenericType.GMM, SERVER, "a", mode
    )


@pytest.mark.parametrize("mode", list(LaunchMode))
def test_the_outcome_of_an_exercise_carries_the_hatched_banner(qtbot, mode: LaunchMode) -> None:
    panel = OutcomePanel()
    qtbot.addWidget(panel)
    plan = plan_of(mode)
    panel.show_countdown(plan, 5)
    assert panel.exercise.isVisible() is (mode is LaunchMode.EXERCISE)
    assert panel.countdown.text() == "Sending in 5 s"
    panel.show_busy(plan.job.name, time.monotonic(), plan)
    assert panel.exercise.isVisible() is (mode is LaunchMode.EXERCISE)
    panel.show_outcome(LaunchOutcome(Outcome.OK, "started", runtimeid=7), plan)
    assert panel.exercise.isVisible() is (mode is LaunchMode.EXERCISE)
    assert panel.exercise.accessibleName() == "Exercise"


def test_launch_again_offers_the_plan_that_was_sent(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    launch_office_party(qtbot, window, modal, jobname="Again", message="Same words")
    assert wait_for_outcome(qtbot, window) is Outcome.OK
    button = window.outcome.again_button
    assert button.isVisible()
    assert button.accessibleName() == "Launch again with these settings"
    with qtbot.waitSignal(window.outcome.launch_again_requested) as emitted:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    [plan] = emitted.args
    assert isinstance(plan, LaunchPlan)
    assert plan.job.id == OFFICE_PARTY
    assert plan.request.jobname == "Again"
    assert plan.request.message == "Same words"
    assert plan.mode is LaunchMode.DEMO
    qtbot.wait(200)
    assert demo_server.request_count(STARTS) == 1  # it launches nothing by itself


def test_confirm_is_found_by_its_accessible_name(
    qtbot, window: MainWindow, modal: ModalHandler
) -> None:
    seen: list[object] = []
    open_confirmation(
        qtbot,
        window,
        modal,
        lambda d: (seen.append(CONFIRM(d)), seen.append(button_named("Start now")(d)), d.reject()),
    )
    assert seen[0] is seen[1]
    assert seen[0] is not None


# -- settings ---------------------------------------------------------------------------------


def edit_settings(qtbot, window: MainWindow, modal: ModalHandler, act) -> dict[str, object]:
    seen: dict[str, object] = {}
    modal.then(lambda dialog: act(dialog, seen))
    window.open_settings()
    return seen


def retype(qtbot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.keyClicks(widget, text)


def test_settings_show_and_store_the_launch_settings(
    qtbot, window: MainWindow, modal: ModalHandler
) -> None:
    settings = window.context.settings
    settings.undo_seconds = 5

    def act(dialog: QDialog, seen: dict[str, object]) -> None:
        launching = dialog.launching
        seen["shown"] = (
            launching.undo_seconds.value(),
            launching.repeat_minutes.value(),
            launching.markers["en"].text(),
            launching.markers["sv"].text(),
        )
        seen["title"] = launching.title()
        retype(qtbot, launching.undo_seconds.lineEdit(), "8")
        retype(qtbot, launching.repeat_minutes.lineEdit(), "45")
        retype(qtbot, launching.markers["sv"], "ÖVNING! ")
        qtbot.mouseClick(button_named("OK")(dialog), Qt.MouseButton.LeftButton)

    seen = edit_settings(qtbot, window, modal, act)
    assert seen["title"] == "Launching"
    assert seen["shown"] == (5, 30, "EXERCISE – ", "ÖVNING – ")
    assert settings.undo_seconds == 8
    assert settings.repeat_window_minutes == 45
    assert settings.exercise_prefix("sv") == "ÖVNING! "
    assert settings.exercise_prefix("en") == "EXERCISE – "


def test_settings_keep_the_undo_window_within_ten_seconds(
    qtbot, window: MainWindow, modal: ModalHandler
) -> None:
    def act(dialog: QDialog, seen: dict[str, object]) -> None:
        spin = dialog.launching.undo_seconds
        retype(qtbot, spin.lineEdit(), "11")
        qtbot.keyClick(spin, Qt.Key.Key_Up)
        qtbot.keyClick(spin, Qt.Key.Key_Up)
        seen["value"] = spin.value()
        seen["rules"] = [label.text() for label in dialog.launching.findChildren(QLabel)]
        dialog.accept()

    seen = edit_settings(qtbot, window, modal, act)
    assert seen["value"] == 3  # "11" is refused as typed: "1", then up twice
    assert "0 to 10 seconds; 0 sends at once." in seen["rules"]
    assert window.context.settings.undo_seconds == 3


@pytest.mark.parametrize(
    ("marker", "rule"),
    [
        ("   ", "must not be blank"),
        ("EXERCISE " * 5, "at most 40 characters"),
        ("ÖVNING\u200b– ", "invisible formatting character"),
        ("ÖVNING\t", "control character"),
    ],
    ids=["blank", "long", "zero-width", "tab"],
)
def test_settings_refuse_an_unusable_exercise_marker_and_name_the_rule(
    qtbot, window: MainWindow, modal: ModalHandler, marker: str, rule: str
) -> None:
    def act(dialog: QDialog, seen: dict[str, object]) -> None:
        launching = dialog.launching
        launching.markers["sv"].setText(marker)
        launching.undo_seconds.setValue(9)
        qtbot.mouseClick(button_named("OK")(dialog), Qt.MouseButton.LeftButton)
        seen["open"] = dialog.isVisible()
        seen["problem"] = launching.problem.text()
        seen["shown"] = launching.problem.isVisibleTo(dialog)
        seen["focus"] = launching.markers["sv"].hasFocus()
        qtbot.keyClicks(launching.markers["sv"], "x")
        seen["cleared"] = not launching.problem.isVisibleTo(dialog)
        dialog.reject()

    seen = edit_settings(qtbot, window, modal, act)
    assert seen["open"] is True
    assert seen["shown"] is True
    assert rule in str(seen["problem"])
    assert seen["focus"] is True  # on the field to correct
    assert seen["cleared"] is True
    settings = window.context.settings
    assert settings.exercise_prefix("sv") == "ÖVNING – "  # nothing stored
    assert settings.undo_seconds == 0
