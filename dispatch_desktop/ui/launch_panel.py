"""The launch in flight and its outcome.

:class:`LaunchController` holds the one in-flight launch: a second launch is refused by any
means (button, shortcut, double click) until the first has an outcome (F3). A confirmed launch
first waits out the undo window: nothing is sent until its countdown ends, and a cancel (the
button, Esc, closing the window) journals it as cancelled. Closing the app while the start call
runs waits for its outcome, at most until its deadline, with a :class:`ClosingNotice` on
screen. :class:`OutcomePanel` shows the countdown, then the elapsed time while the start call
runs, then the outcome.
"""

from __future__ import annotations

import enum
import logging
import math
import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from dispatch_desktop.launcher import (
    CANCELLED_MESSAGE,
    Journal,
    LaunchOutcome,
    LaunchPlan,
    launch,
    record_cancelled,
)
from dispatch_desktop.storage.journal import Outcome
from dispatch_desktop.ui import colors
from dispatch_desktop.ui.common import (
    HEADING_NAME_LIMIT,
    PlainLabel,
    demo_banner,
    error_sentence,
    exercise_banner,
    fill,
    fit_id_field,
    library_text,
    plain,
    translate,
    window_title,
)
from dispatch_desktop.ui.workers import TaskRunner

if TYPE_CHECKING:
    from dispatch_desktop.api.client import DispatchClient

log = logging.getLogger(__name__)

JOURNAL_GRACE_SECONDS = 5.0
"""Time allowed after the start call's deadline for its outcome to reach the journal."""


class _Stage(enum.Enum):
    IDLE = enum.auto()
    COUNTING = enum.auto()
    """Confirmed, in the undo window: nothing sent yet."""
    SENDING = enum.auto()
    """The start call runs (or may have): only its outcome ends it."""
    CANCELLING = enum.auto()
    """Cancelled in the undo window; the cancel is being journaled."""


COUNTDOWN_TICK_MS = 100


class LaunchController(QObject):
    """Runs at most one launch at a time on a worker thread, after its undo window."""

    busy_changed = Signal(bool)
    countdown_started = Signal(object, object)  # LaunchPlan, whole seconds before sending
    countdown_changed = Signal(object)  # whole seconds left before sending
    sending_started = Signal(object, object)  # LaunchPlan, started_at: the call is submitted
    finished = Signal(object, object)  # LaunchOutcome, LaunchPlan

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._plan: LaunchPlan | None = None
        self._stage = _Stage.IDLE
        self._send: tuple[DispatchClient, Journal | None] | None = None
        self._send_at = 0.0
        self._countdown = QTimer(self)
        self._countdown.setTimerType(Qt.TimerType.PreciseTimer)
        self._countdown.setInterval(COUNTDOWN_TICK_MS)
        self._countdown.timeout.connect(self._tick)
        self.started_at = 0.0
        self.deadline = 0.0

    @property
    def in_flight(self) -> bool:
        """True from the moment a launch is confirmed until its outcome is known (the
        countdown and a cancel being journaled included)."""
        return self._plan is not None

    @property
    def counting(self) -> bool:
        """True during the undo window: nothing has been sent, the launch can be cancelled."""
        return self._stage is _Stage.COUNTING

    @property
    def sending(self) -> bool:
        """True while the start call runs: messages may be going out."""
        return self._stage is _Stage.SENDING

    @property
    def plan(self) -> LaunchPlan | None:
        """The launch in flight, if any."""
        return self._plan

    def seconds_left(self) -> int:
        """Whole seconds before the launch in its undo window is sent."""
        return max(0, math.ceil(self._send_at - time.monotonic()))

    def launch(
        self,
        client: DispatchClient,
        plan: LaunchPlan,
        journal: Journal | None,
        *,
        undo_seconds: int = 0,
    ) -> bool:
        """Start ``plan`` after ``undo_seconds`` (0: at once) unless a launch is already in
        flight; return whether it was accepted."""
        if self._plan is not None:
            return False
        self._plan = plan
        self._send = (client, journal)
        self.busy_changed.emit(True)
        if undo_seconds <= 0:
            self._start_call()
        else:
            # Sent on the first tick at or after this moment, never before it.
            self._send_at = time.monotonic() + undo_seconds
            self._stage = _Stage.COUNTING
            self._countdown.start()
            self.countdown_started.emit(plan, undo_seconds)
        return True

    def cancel_countdown(self) -> bool:
        """Cancel the launch in its undo window: nothing is sent, and the cancel is journaled
        off the GUI thread. Returns whether there was one to cancel."""
        if self._stage is not _Stage.COUNTING or self._plan is None or self._send is None:
            return False
        self._countdown.stop()
        self._stage = _Stage.CANCELLING
        plan, (_, journal) = self._plan, self._send
        self._send = None
        self.deadline = time.monotonic() + JOURNAL_GRACE_SECONDS
        log.info("launch cancelled in the undo window; nothing was sent")
        self._runner.submit(
            lambda: record_cancelled(journal, plan),
            "journal cancelled launch",
            self._on_outcome,
            self._on_crash,
        )
        return True

    def _tick(self) -> None:
        if time.monotonic() < self._send_at:
            self.countdown_changed.emit(self.seconds_left())
            return
        self._countdown.stop()
        self._start_call()

    def _start_call(self) -> None:
        plan, send = self._plan, self._send
        assert plan is not None
        assert send is not None
        client, journal = send
        self._send = None
        self._stage = _Stage.SENDING
        self.started_at = time.monotonic()
        # The client ends the start call by its start timeout at the latest (a deadline for
        # the whole call, not per read); the outcome is journaled right after.
        self.deadline = self.started_at + client.start_timeout + JOURNAL_GRACE_SECONDS
        self.sending_started.emit(plan, self.started_at)
        self._runner.submit(
            lambda: launch(client, plan, journal),
            "start saved job",
            self._on_outcome,
            self._on_crash,
        )

    def deadline_text(self) -> str:
        """The local time by which the launch in flight has its outcome at the latest."""
        remaining = max(0.0, self.deadline - time.monotonic())
        return (datetime.now() + timedelta(seconds=remaining)).strftime("%H:%M:%S")

    def wait_before_closing(self, parent: QWidget, *, demo: bool) -> bool:
        """The app is closing: a launch in its undo window is cancelled (journaled); a start
        call is waited for, with a :class:`ClosingNotice` on screen, until its outcome is
        journaled or its deadline has passed. Returns whether the outcome came; True at once
        when no launch is in flight."""
        self.cancel_countdown()
        plan = self._plan
        if plan is None:
            return True
        remaining = self.deadline - time.monotonic()
        log.info("closing: waiting up to %.0f s for the launch's outcome", remaining)
        if remaining > 0:
            notice = (
                ClosingNotice(plan.job.name, self.deadline_text(), demo=demo, parent=parent)
                if self.sending
                else None  # journaling a cancel takes a moment, nothing to explain
            )
            loop = QEventLoop(self)
            timer = QTimer(loop)
            timer.setSingleShot(True)
            timer.timeout.connect(loop.quit)
            self.finished.connect(loop.quit)
            timer.start(round(remaining * 1000))
            if notice is not None:
                notice.open()
            try:
                loop.exec()
            finally:
                self.finished.disconnect(loop.quit)
                if notice is not None:
                    notice.finish()
        answered = self._plan is None
        if not answered:
            log.warning("closing without the launch's outcome: its deadline has passed")
        return answered

    def _on_outcome(self, outcome: LaunchOutcome) -> None:
        plan, self._plan = self._plan, None
        self._stage = _Stage.IDLE
        self.busy_changed.emit(False)
        self.finished.emit(outcome, plan)

    def _on_crash(self, error: BaseException) -> None:
        if self._stage is _Stage.CANCELLING:
            # record_cancelled maps journal errors itself; nothing was sent in any case.
            self._on_outcome(
                LaunchOutcome(
                    Outcome.CANCELLED,
                    CANCELLED_MESSAGE,
                    journal_warning=translate(
                        "LaunchPanel", "The cancel could not be written to the launch journal."
                    ),
                )
            )
            return
        # launch() maps every error to an outcome; reaching here means a bug after sending.
        self._on_outcome(
            LaunchOutcome(
                Outcome.UNKNOWN,
                fill(
                    translate(
                        "LaunchPanel",
                        "The outcome is unknown: an internal error (%1) occurred while starting "
                        "the job. The job may have started; check the Dispatch dashboard before "
                        "trying again.",
                    ),
                    type(error).__name__,
                ),
            )
        )


_STAGES = {
    Outcome.OK: colors.Stage.STARTED,
    Outcome.NOT_STARTED: colors.Stage.NOT_STARTED,
    Outcome.REJECTED: colors.Stage.NOT_STARTED,
    Outcome.AUTH_FAILED: colors.Stage.NOT_STARTED,
    Outcome.CONNECTION_FAILED: colors.Stage.NOT_STARTED,
    Outcome.REFUSED_LOCALLY: colors.Stage.NOT_STARTED,
    Outcome.UNKNOWN: colors.Stage.UNKNOWN,
    Outcome.STARTED_UNVERIFIABLE: colors.Stage.STARTED_UNVERIFIABLE,
    Outcome.CANCELLED: colors.Stage.CANCELLED,
}
"""The colours of each outcome: a start, a start to check, nothing sent, unknown."""
# The outcomes a dispatcher must act on get the heavier frame.
_HEAVY_FRAME = frozenset({colors.Stage.COUNTDOWN, colors.Stage.UNKNOWN})


def _panel_css(stage: colors.Stage) -> str:
    """The panel's background and frame, and its labels' text, for ``stage`` in the desktop's
    scheme: a light panel on a light desktop, a dark one on a dark desktop."""
    surface = colors.stage_surface(stage)
    frame = 3 if stage in _HEAVY_FRAME else 2
    return (
        f"OutcomePanel {{ background: {surface.background}; "
        f"border: {frame}px solid {surface.border}; }} "
        f"OutcomePanel:focus {{ border-width: {frame + 2}px; }} "
        f"OutcomePanel QLabel {{ color: {surface.text}; }}"
    )


def outcome_title(kind: Outcome) -> str:
    """The headline of an outcome; each kind reads differently."""
    return {
        Outcome.OK: translate("LaunchPanel", "Job started"),
        Outcome.NOT_STARTED: translate("LaunchPanel", "The job was NOT started"),
        Outcome.REJECTED: translate(
            "LaunchPanel", "The server rejected the request; nothing was sent"
        ),
        Outcome.AUTH_FAILED: translate(
            "LaunchPanel", "Signed out: the server refused the credentials"
        ),
        Outcome.CONNECTION_FAILED: translate(
            "LaunchPanel", "Could not reach the server; nothing was sent"
        ),
        Outcome.REFUSED_LOCALLY: translate("LaunchPanel", "Not sent: the form has a problem"),
        Outcome.UNKNOWN: translate("LaunchPanel", "OUTCOME UNKNOWN — the job may have started"),
        Outcome.STARTED_UNVERIFIABLE: translate(
            "LaunchPanel", "Job started — but its runtime id is not valid"
        ),
        Outcome.CANCELLED: translate("LaunchPanel", "Cancelled — nothing was sent"),
    }[kind]


def outcome_detail(outcome: LaunchOutcome) -> str:
    """What happened, in the user's language: the library's errors as translated sentences;
    the server's own words (why it did not start or rejected the request) as it wrote them."""
    if outcome.kind is Outcome.OK and outcome.runtimeid is not None:
        return fill(
            translate("LaunchPanel", "Job “%1” started with runtime id %2."),
            outcome.jobname or "",
            outcome.runtimeid,  # exact digits (F1)
        )
    if outcome.error is None:
        return library_text(outcome.message)
    sentence = error_sentence(outcome.error)
    if outcome.kind is Outcome.CONNECTION_FAILED:
        sentence += " " + translate("LaunchPanel", "Nothing was sent.")
    return sentence


class ClosingNotice(QDialog):
    """Says why the app has not closed yet: it waits for the start call's answer, and until
    when at the latest. It cannot be dismissed; :meth:`finish` ends it."""

    def __init__(
        self, job_name: str, until: str, *, demo: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(window_title(translate("LaunchPanel", "Closing"), demo))
        self.setModal(True)
        self._finished = False
        self.message = PlainLabel(
            fill(
                translate(
                    "LaunchPanel",
                    "Dispatch Desktop will close as soon as the start call for “%1” has an answer, "
                    "at the latest at %2. The outcome will be recorded in the launch journal.",
                ),
                plain(job_name, one_line=True, limit=HEADING_NAME_LIMIT),
                until,
            ),
            self,
        )
        self.message.setWordWrap(True)
        self.message.setAccessibleName(translate("LaunchPanel", "Closing"))
        progress = QProgressBar(self)
        progress.setRange(0, 0)
        progress.setAccessibleName(translate("LaunchPanel", "Waiting for the start call"))
        layout = QVBoxLayout(self)
        if demo:
            layout.addWidget(demo_banner(self))
        layout.addWidget(self.message)
        layout.addWidget(progress)
        self.setMinimumWidth(420)

    def finish(self) -> None:
        """The wait is over: close the notice."""
        self._finished = True
        self.close()
        self.deleteLater()

    def reject(self) -> None:
        # Escape does nothing: the app is closing, and the notice says why it still waits.
        if self._finished:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if self._finished:
            super().closeEvent(event)
        else:
            event.ignore()


class OutcomePanel(QFrame):
    """The countdown of the undo window, then a busy indicator with the elapsed time, then the
    outcome of the last launch."""

    sign_in_requested = Signal()
    monitor_requested = Signal(object)  # the runtime id (F1: not Signal(int))
    launch_again_requested = Signal(object)  # the LaunchPlan of the outcome shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(translate("LaunchPanel", "Launch outcome"))
        # Focused after a launch: a screen reader reads the outcome (its description), and
        # Tab goes on to its buttons.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.exercise = exercise_banner(self)
        self.exercise.hide()
        # Plain text: the job name and the server's messages come from outside.
        self.title = PlainLabel("", self)
        self.title.setStyleSheet("font-weight: bold; font-size: 12pt;")
        self.title.setWordWrap(True)
        self.detail = PlainLabel("", self)
        self.detail.setWordWrap(True)
        for label in (self.title, self.detail):
            # A long word (a name, a URL) wraps within the panel instead of widening the tab.
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName(translate("LaunchPanel", "Starting job"))
        self._build_countdown()
        self._build_id_row()
        self.sign_in_button = QPushButton(translate("LaunchPanel", "Sign in again…"), self)
        self.sign_in_button.setAccessibleName(translate("LaunchPanel", "Sign in again"))
        self.sign_in_button.clicked.connect(self.sign_in_requested)
        self.again_button = QPushButton(
            translate("LaunchPanel", "Launch again with these settings"), self
        )
        self.again_button.setAccessibleName(
            translate("LaunchPanel", "Launch again with these settings")
        )
        self.again_button.setToolTip(
            translate(
                "LaunchPanel",
                "Fills the form with what this launch sent; it starts nothing by itself.",
            )
        )
        self.again_button.clicked.connect(self._request_launch_again)
        layout = QVBoxLayout(self)
        layout.addWidget(self.exercise)
        layout.addWidget(self.title)
        layout.addWidget(self._countdown_row)
        layout.addWidget(self.progress)
        layout.addWidget(self.detail)
        layout.addWidget(self._id_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sign_in_button)
        buttons.addWidget(self.again_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self._started = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._tick)
        self._plan: LaunchPlan | None = None
        self._escape: QShortcut | None = None
        self.kind: Outcome | None = None
        self.stage: colors.Stage | None = None
        colors.follow_scheme(self, self._restyle)
        self.hide()

    def _build_countdown(self) -> None:
        self.countdown = PlainLabel("", self)
        self.countdown.setAccessibleName(translate("LaunchPanel", "Sending countdown"))
        self.countdown.setStyleSheet("font-weight: bold; font-size: 14pt;")
        self.cancel_button = QPushButton(translate("LaunchPanel", "Cancel"), self)
        self.cancel_button.setAccessibleName(translate("LaunchPanel", "Cancel start"))
        self.cancel_button.setToolTip(translate("LaunchPanel", "Nothing is sent (Esc)"))
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.countdown)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        self._countdown_row = QWidget(self)
        self._countdown_row.setLayout(row)

    def _build_id_row(self) -> None:
        self.runtime_id = QLineEdit(self)
        self.runtime_id.setReadOnly(True)
        self.runtime_id.setAccessibleName(translate("LaunchPanel", "Runtime id"))
        fit_id_field(self.runtime_id)
        self.copy_button = QPushButton(translate("LaunchPanel", "Copy runtime id"), self)
        self.copy_button.setAccessibleName(translate("LaunchPanel", "Copy runtime id"))
        self.copy_button.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.runtime_id.text())
        )
        self.monitor_button = QPushButton(translate("LaunchPanel", "Show in monitor"), self)
        self.monitor_button.setAccessibleName(translate("LaunchPanel", "Show job in monitor"))
        self.monitor_button.clicked.connect(self._request_monitor)
        id_row = QHBoxLayout()
        id_row.addWidget(QLabel(translate("LaunchPanel", "Runtime id:"), self))
        id_row.addWidget(self.runtime_id, 1)
        id_row.addWidget(self.copy_button)
        id_row.addWidget(self.monitor_button)
        self._id_row = QWidget(self)
        self._id_row.setLayout(id_row)

    def follow(self, controller: LaunchController) -> None:
        """Show ``controller``'s countdown and start call as they happen; its countdown is
        cancelled by the Cancel button or by Esc anywhere in this panel's window."""
        controller.countdown_started.connect(self._on_countdown_started)
        controller.countdown_changed.connect(self._show_seconds_left)
        controller.sending_started.connect(self._on_sending)
        controller.finished.connect(self._disarm_escape)
        self.cancel_button.clicked.connect(controller.cancel_countdown)
        self._escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.window())
        self._escape.setContext(Qt.ShortcutContext.WindowShortcut)
        self._escape.setEnabled(False)
        self._escape.activated.connect(controller.cancel_countdown)

    def _restyle(self) -> None:
        if self.stage is not None:
            self.setStyleSheet(_panel_css(self.stage))

    def _on_countdown_started(self, plan: LaunchPlan, seconds: int) -> None:
        if self._escape is not None:
            self._escape.setEnabled(True)
        self.show_countdown(plan, seconds)

    def _on_sending(self, plan: LaunchPlan, started_at: float) -> None:
        self._disarm_escape()
        self.show_busy(plan.job.name, started_at, plan)

    def _disarm_escape(self) -> None:
        if self._escape is not None:
            self._escape.setEnabled(False)

    def _request_monitor(self) -> None:
        if self.runtime_id.text():
            self.monitor_requested.emit(int(self.runtime_id.text()))

    def _request_launch_again(self) -> None:
        if self._plan is not None:
            self.launch_again_requested.emit(self._plan)

    def _show_stage(self, stage: colors.Stage, plan: LaunchPlan | None, *, counting: bool) -> None:
        """What every stage shares: its colours, the exercise banner by the plan's mode, the
        countdown or the progress bar; the outcome's rows hidden."""
        self.stage = stage
        self.setStyleSheet(_panel_css(stage))
        self.exercise.setVisible(plan is not None and plan.marked_exercise)
        self._countdown_row.setVisible(counting)
        self.progress.setVisible(not counting)
        self._id_row.hide()
        self.sign_in_button.hide()
        self.again_button.hide()

    def show_countdown(self, plan: LaunchPlan, seconds: int) -> None:
        """The undo window: nothing is sent until the countdown ends."""
        self._timer.stop()
        self.kind = None
        self._plan = plan
        self._show_stage(colors.Stage.COUNTDOWN, plan, counting=True)
        self.title.setText(
            fill(
                translate("LaunchPanel", "“%1” is about to be sent"),
                plain(plan.job.name, one_line=True, limit=HEADING_NAME_LIMIT),
            )
        )
        self.detail.setText(
            translate(
                "LaunchPanel",
                "Nothing has been sent yet. Cancel (or Esc) stops it, and nothing is sent.",
            )
        )
        self._show_seconds_left(seconds)
        self.show()
        self.cancel_button.setFocus()

    def _show_seconds_left(self, seconds: int) -> None:
        self.countdown.setText(fill(translate("LaunchPanel", "Sending in %1 s"), str(seconds)))

    def show_busy(self, job_name: str, started_at: float, plan: LaunchPlan | None = None) -> None:
        """The start call is running: show the elapsed time, updated live."""
        self.kind = None
        self._plan = plan
        self._started = started_at
        self._show_stage(colors.Stage.SENDING, plan, counting=False)
        self.title.setText(
            fill(
                translate("LaunchPanel", "Starting “%1”…"),
                plain(job_name, one_line=True, limit=HEADING_NAME_LIMIT),
            )
        )
        self._tick()
        self._timer.start()
        self.show()

    def _tick(self) -> None:
        elapsed = int(time.monotonic() - self._started)
        self.detail.setText(
            fill(
                translate(
                    "LaunchPanel",
                    "Waiting for the server: %1 s. The server answers once the job has started; "
                    "this can take minutes. The form is locked until then.",
                ),
                str(elapsed),
            )
        )

    def show_outcome(self, outcome: LaunchOutcome, plan: LaunchPlan | None = None) -> None:
        """Show how the launch of ``plan`` ended."""
        self._timer.stop()
        self.kind = outcome.kind
        self._plan = plan
        self._show_stage(_STAGES[outcome.kind], plan, counting=False)
        self.progress.hide()
        self.title.setText(outcome_title(outcome.kind))
        detail = outcome_detail(outcome)
        if outcome.kind is Outcome.UNKNOWN:
            detail += "\n\n" + translate(
                "LaunchPanel",
                "Do NOT start the job again until you have checked the Dispatch dashboard or "
                "the job monitor: starting again may send every message twice.",
            )
        if outcome.journal_warning:
            detail += "\n\n" + library_text(outcome.journal_warning)
        self.detail.setText(detail)
        has_id = outcome.kind is Outcome.OK and outcome.runtimeid is not None
        self.runtime_id.setText(str(outcome.runtimeid) if has_id else "")
        self._id_row.setVisible(has_id)
        self.sign_in_button.setVisible(outcome.kind is Outcome.AUTH_FAILED)
        self.again_button.setVisible(plan is not None)
        self.setAccessibleDescription(f"{self.title.text()}\n{self.detail.text()}")
        self.show()
