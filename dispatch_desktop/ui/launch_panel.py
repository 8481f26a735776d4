"""The launch in flight and its outcome.

:class:`LaunchController` holds the one in-flight launch: a second launch is refused by any
means (button, shortcut, double click) until the first has an outcome (F3). Closing the app
while it runs waits for its outcome, at most until its deadline, with a :class:`ClosingNotice`
on screen. :class:`OutcomePanel` shows the elapsed time while the start call runs, then the
outcome.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
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

from dispatch_desktop.launcher import Journal, LaunchOutcome, LaunchPlan, launch
from dispatch_desktop.storage.journal import Outcome
from dispatch_desktop.ui.common import (
    HEADING_NAME_LIMIT,
    PlainLabel,
    demo_banner,
    plain,
    tr,
    window_title,
)
from dispatch_desktop.ui.workers import TaskRunner

if TYPE_CHECKING:
    from dispatch_desktop.api.client import DispatchClient

log = logging.getLogger(__name__)

JOURNAL_GRACE_SECONDS = 5.0
"""Time allowed after the start call's deadline for its outcome to reach the journal."""


class LaunchController(QObject):
    """Runs at most one launch at a time on a worker thread."""

    busy_changed = Signal(bool)
    finished = Signal(object, object)  # LaunchOutcome, LaunchPlan

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._plan: LaunchPlan | None = None
        self.started_at = 0.0
        self.deadline = 0.0

    @property
    def in_flight(self) -> bool:
        """True from the moment a launch is accepted until its outcome is known."""
        return self._plan is not None

    @property
    def plan(self) -> LaunchPlan | None:
        """The launch in flight, if any."""
        return self._plan

    def launch(self, client: DispatchClient, plan: LaunchPlan, journal: Journal | None) -> bool:
        """Start ``plan`` unless a launch is already in flight; return whether it started."""
        if self._plan is not None:
            return False
        self._plan = plan
        self.started_at = time.monotonic()
        # The client ends the start call by its start timeout at the latest (a deadline for
        # the whole call, not per read); the outcome is journaled right after.
        self.deadline = self.started_at + client.start_timeout + JOURNAL_GRACE_SECONDS
        self.busy_changed.emit(True)
        self._runner.submit(
            lambda: launch(client, plan, journal),
            "start saved job",
            self._on_outcome,
            self._on_crash,
        )
        return True

    def deadline_text(self) -> str:
        """The local time by which the launch in flight has its outcome at the latest."""
        remaining = max(0.0, self.deadline - time.monotonic())
        return (datetime.now() + timedelta(seconds=remaining)).strftime("%H:%M:%S")

    def wait_before_closing(self, parent: QWidget, *, demo: bool) -> bool:
        """The app is closing: with a :class:`ClosingNotice` on screen, wait until the launch
        in flight has its outcome (journaled by then) or its deadline has passed. Returns
        whether the outcome came; True at once when no launch is in flight."""
        plan = self._plan
        if plan is None:
            return True
        remaining = self.deadline - time.monotonic()
        log.info("closing: waiting up to %.0f s for the start call's answer", remaining)
        if remaining > 0:
            notice = ClosingNotice(plan.job.name, self.deadline_text(), demo=demo, parent=parent)
            loop = QEventLoop(self)
            timer = QTimer(loop)
            timer.setSingleShot(True)
            timer.timeout.connect(loop.quit)
            self.finished.connect(loop.quit)
            timer.start(round(remaining * 1000))
            notice.open()
            try:
                loop.exec()
            finally:
                self.finished.disconnect(loop.quit)
                notice.finish()
        answered = self._plan is None
        if not answered:
            log.warning("closing without the start call's answer: its deadline has passed")
        return answered

    def _on_outcome(self, outcome: LaunchOutcome) -> None:
        plan, self._plan = self._plan, None
        self.busy_changed.emit(False)
        self.finished.emit(outcome, plan)

    def _on_crash(self, error: BaseException) -> None:
        # launch() maps every error to an outcome; reaching here means a bug after sending.
        self._on_outcome(
            LaunchOutcome(
                Outcome.UNKNOWN,
                tr(
                    "The outcome is unknown: an internal error (%1) occurred while starting the "
                    "job. The job may have started; check the Dispatch dashboard before trying "
                    "again."
                ).replace("%1", type(error).__name__),
            )
        )


_STYLES = {
    Outcome.OK: "background: #e8f5e9; border: 2px solid #2e7d32;",
    Outcome.NOT_STARTED: "background: #fff3e0; border: 2px solid #ef6c00;",
    Outcome.REJECTED: "background: #fff3e0; border: 2px solid #ef6c00;",
    Outcome.AUTH_FAILED: "background: #fff3e0; border: 2px solid #ef6c00;",
    Outcome.CONNECTION_FAILED: "background: #fff3e0; border: 2px solid #ef6c00;",
    Outcome.REFUSED_LOCALLY: "background: #fff3e0; border: 2px solid #ef6c00;",
    Outcome.UNKNOWN: "background: #ffebee; border: 3px solid #c62828;",
    Outcome.STARTED_UNVERIFIABLE: "background: #fff3e0; border: 3px solid #2e7d32;",
    Outcome.CANCELLED: "background: #eceff1; border: 2px solid #546e7a;",
}


def outcome_title(kind: Outcome) -> str:
    """The headline of an outcome; each kind reads differently."""
    return {
        Outcome.OK: tr("Job started"),
        Outcome.NOT_STARTED: tr("The job was NOT started"),
        Outcome.REJECTED: tr("The server rejected the request; nothing was sent"),
        Outcome.AUTH_FAILED: tr("Signed out: the server refused the credentials"),
        Outcome.CONNECTION_FAILED: tr("Could not reach the server; nothing was sent"),
        Outcome.REFUSED_LOCALLY: tr("Not sent: the form has a problem"),
        Outcome.UNKNOWN: tr("OUTCOME UNKNOWN — the job may have started"),
        Outcome.STARTED_UNVERIFIABLE: tr("Job started — but its runtime id is not valid"),
        Outcome.CANCELLED: tr("Cancelled — nothing was sent"),
    }[kind]


class ClosingNotice(QDialog):
    """Says why the app has not closed yet: it waits for the start call's answer, and until
    when at the latest. It cannot be dismissed; :meth:`finish` ends it."""

    def __init__(
        self, job_name: str, until: str, *, demo: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(window_title(tr("Closing"), demo))
        self.setModal(True)
        self._finished = False
        self.message = PlainLabel(
            tr(
                "Dispatch Desktop will close as soon as the start call for “%1” has an answer, "
                "at the latest at %2. The outcome will be recorded in the launch journal."
            )
            .replace("%1", plain(job_name, one_line=True, limit=HEADING_NAME_LIMIT))
            .replace("%2", until),
            self,
        )
        self.message.setWordWrap(True)
        self.message.setAccessibleName(tr("Closing"))
        progress = QProgressBar(self)
        progress.setRange(0, 0)
        progress.setAccessibleName(tr("Waiting for the start call"))
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
    """Busy indicator with elapsed time, then the outcome of the last launch."""

    sign_in_requested = Signal()
    monitor_requested = Signal(object)  # the runtime id (F1: not Signal(int))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(tr("Launch outcome"))
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
        self.progress.setAccessibleName(tr("Starting job"))
        self.runtime_id = QLineEdit(self)
        self.runtime_id.setReadOnly(True)
        self.runtime_id.setAccessibleName(tr("Runtime id"))
        self.copy_button = QPushButton(tr("Copy runtime id"), self)
        self.copy_button.setAccessibleName(tr("Copy runtime id"))
        self.copy_button.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.runtime_id.text())
        )
        self.monitor_button = QPushButton(tr("Show in monitor"), self)
        self.monitor_button.setAccessibleName(tr("Show job in monitor"))
        self.monitor_button.clicked.connect(self._request_monitor)
        self.sign_in_button = QPushButton(tr("Sign in again…"), self)
        self.sign_in_button.setAccessibleName(tr("Sign in again"))
        self.sign_in_button.clicked.connect(self.sign_in_requested)
        id_row = QHBoxLayout()
        id_row.addWidget(QLabel(tr("Runtime id:"), self))
        id_row.addWidget(self.runtime_id, 1)
        id_row.addWidget(self.copy_button)
        id_row.addWidget(self.monitor_button)
        self._id_row = QWidget(self)
        self._id_row.setLayout(id_row)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.progress)
        layout.addWidget(self.detail)
        layout.addWidget(self._id_row)
        layout.addWidget(self.sign_in_button)
        self._started = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._tick)
        self.kind: Outcome | None = None
        self.hide()

    def _request_monitor(self) -> None:
        if self.runtime_id.text():
            self.monitor_requested.emit(int(self.runtime_id.text()))

    def show_busy(self, job_name: str, started_at: float) -> None:
        """The start call is running: show the elapsed time, updated live."""
        self.kind = None
        self._started = started_at
        self.setStyleSheet("OutcomePanel { background: #e3f2fd; border: 2px solid #1565c0; }")
        self.title.setText(
            tr("Starting “%1”…").replace(
                "%1", plain(job_name, one_line=True, limit=HEADING_NAME_LIMIT)
            )
        )
        self.progress.show()
        self._id_row.hide()
        self.sign_in_button.hide()
        self._tick()
        self._timer.start()
        self.show()

    def _tick(self) -> None:
        elapsed = int(time.monotonic() - self._started)
        self.detail.setText(
            tr(
                "Waiting for the server: %1 s. The server answers once the job has started; "
                "this can take minutes. The form is locked until then."
            ).replace("%1", str(elapsed))
        )

    def show_outcome(self, outcome: LaunchOutcome) -> None:
        """Show how the launch ended."""
        self._timer.stop()
        self.kind = outcome.kind
        self.progress.hide()
        self.setStyleSheet(f"OutcomePanel {{ {_STYLES[outcome.kind]} }}")
        self.title.setText(outcome_title(outcome.kind))
        detail = outcome.message
        if outcome.kind is Outcome.UNKNOWN:
            detail += "\n\n" + tr(
                "Do NOT start the job again until you have checked the Dispatch dashboard or "
                "the job monitor: starting again may send every message twice."
            )
        if outcome.journal_warning:
            detail += "\n\n" + outcome.journal_warning
        self.detail.setText(detail)
        has_id = outcome.kind is Outcome.OK and outcome.runtimeid is not None
        self.runtime_id.setText(str(outcome.runtimeid) if has_id else "")
        self._id_row.setVisible(has_id)
        self.sign_in_button.setVisible(outcome.kind is Outcome.AUTH_FAILED)
        self.show()
