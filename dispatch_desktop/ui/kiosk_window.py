"""Kiosk mode (``--kiosk`` or ``kiosk = true`` in the policy; docs/kiosk.md): full screen, a
board of large buttons for the jobs the administrator prepared, nothing else to press.

A button goes through the same confirmation (ui/confirm.py; with a second person's PIN where
the policy asks for one, ui/second_pin.py) and the same undo countdown and outcome panel
(ui/launch_panel.py) as the main window. A connectivity line is always in sight: when the
server last answered, and the job monitor's state. There is no menu, no Settings, no
sign-out and no Quit; the window refuses to close (Alt+F4 included). The administrator stops
the kiosk with SIGTERM, which closes it as the main window closes (:meth:`close_unattended`).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from dispatch_desktop.api import SavedJob, StartJobRequest, ValidationError
from dispatch_desktop.form_rules import launch_mode, marked_message
from dispatch_desktop.launcher import LaunchOutcome, LaunchPlan
from dispatch_desktop.storage.journal import Outcome
from dispatch_desktop.ui.common import (
    APP_NAME,
    PlainLabel,
    demo_banner,
    error_sentence,
    fill,
    plain,
    translate,
    window_title,
)
from dispatch_desktop.ui.kiosk_board import BoardJob, KioskBoard, board_jobs
from dispatch_desktop.ui.launch_panel import LaunchController, OutcomePanel
from dispatch_desktop.ui.policy_lock import refused_job_sentence
from dispatch_desktop.ui.second_pin import PinAttempts
from dispatch_desktop.ui.settings import DEFAULT_EXERCISE_PREFIXES

if TYPE_CHECKING:
    from dispatch_desktop.storage.journal import LaunchJournal
    from dispatch_desktop.ui.confirm import EarlierLaunches
    from dispatch_desktop.ui.main_window import AppContext
    from dispatch_desktop.ui.monitor_controller import MonitorController
    from dispatch_desktop.ui.signin import SignedIn

log = logging.getLogger(__name__)

REFRESH_MS = 60_000
"""How often the kiosk lists its saved jobs: the board stays current and the connectivity
line learns that the server still answers."""
NO_CONTACT_OUTCOMES = (Outcome.CONNECTION_FAILED, Outcome.REFUSED_LOCALLY, Outcome.CANCELLED)
"""Outcomes that do not show the server answered."""


class KioskWindow(QMainWindow):
    """The kiosk: state line, board, outcome, connectivity line. ``take_session`` gives it a
    signed-in session; ``sign_in_needed`` asks the start-up for one (ui/app.py)."""

    sign_in_needed = Signal()

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.session: SignedIn | None = None
        self.mapping = context.settings.job_type_mapping()
        self.launcher = LaunchController(context.runner, self)
        self.pin_attempts = PinAttempts()
        self.last_contact: datetime | None = None
        self.contact_problem = ""
        self.monitor_problem = ""
        self._confirming = False
        self._refreshing = False
        self._unattended = False
        self._closing = False
        self._monitor_controller: MonitorController | None = None
        self.setWindowTitle(window_title(APP_NAME, context.demo))
        self._build()
        self.launcher.busy_changed.connect(lambda busy: self.board.set_enabled_jobs(not busy))
        self.launcher.finished.connect(self._on_launch_finished)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self._line_timer = QTimer(self)
        self._line_timer.setInterval(1_000)
        self._line_timer.timeout.connect(self.show_connectivity)
        self._line_timer.start()
        self.show_connectivity()

    # -- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        if self.context.demo:
            layout.addWidget(demo_banner(central))
        self.state = PlainLabel(translate("KioskWindow", "Starting…"), central)
        self.state.setAccessibleName(translate("KioskWindow", "Kiosk state"))
        self.state.setWordWrap(True)
        self.state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state.setStyleSheet("font-size: 18pt; font-weight: bold; padding: 8px;")
        self.sign_in_button = QPushButton(translate("KioskWindow", "Sign in…"), central)
        self.sign_in_button.setAccessibleName(translate("KioskWindow", "Sign in"))
        self.sign_in_button.setStyleSheet("font-size: 18pt; padding: 12px;")
        self.sign_in_button.hide()
        self.sign_in_button.clicked.connect(self.sign_in_needed)
        self.board = KioskBoard(central)
        self.board.job_pressed.connect(self.press)
        self.outcome = OutcomePanel(central)
        self.outcome.follow(self.launcher)
        self.outcome.title.setStyleSheet("font-weight: bold; font-size: 28pt;")
        self.outcome.detail.setStyleSheet("font-size: 16pt;")
        self.outcome.countdown.setStyleSheet("font-weight: bold; font-size: 28pt;")
        self.outcome.cancel_button.setStyleSheet("font-size: 20pt; padding: 12px 32px;")
        self.connectivity = PlainLabel("", central)
        self.connectivity.setAccessibleName(translate("KioskWindow", "Connection"))
        self.connectivity.setStyleSheet(
            "font-size: 14pt; padding: 6px; background: #263238; color: #ffffff;"
        )
        # The monitor's panel is not shown in a kiosk; its controller needs a page.
        self._monitor_page = QStackedWidget(central)
        self._monitor_page.hide()
        layout.addWidget(self.state)
        layout.addWidget(self.sign_in_button, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.board, 3)
        layout.addWidget(self.outcome, 2)
        layout.addWidget(self.connectivity)
        self.setCentralWidget(central)

    def show_state(self, text: str) -> None:
        """The line above the board: signing in, a refusal, a problem ("" hides it)."""
        self.state.setText(text)
        self.state.setVisible(bool(text))

    def show_status(self, message: str, _timeout_ms: int = 0) -> None:
        """As the main window's status bar: here the state line."""
        self.show_state(message)

    # -- session ------------------------------------------------------------------------------

    def set_journal(self, journal: LaunchJournal | None) -> None:
        """The launch journal, once opened off the GUI thread (``None``: it could not be)."""
        self.context.journal = journal
        if self._monitor_controller is not None:
            self._monitor_controller.set_journal(journal)

    def take_session(self, session: SignedIn) -> None:
        """Signed in: show its jobs on the board; list them again every minute."""
        if self.session is not None:
            self.session.client.close()
        self.session = session
        self.sign_in_button.hide()
        self.show_state("")
        self._contact()
        jobs, session.jobs = session.jobs, []
        self._show_jobs(jobs)
        if self._monitor_controller is not None:
            self._monitor_controller.set_server(session.server)
        self._refresh_timer.start()

    def offer_sign_in(self) -> None:
        """Show the Sign in button (a kiosk without a service account)."""
        self.sign_in_button.show()

    def lose_session(self, reason: str) -> None:
        """The server refused the session: nothing can be launched until signed in again."""
        session, self.session = self.session, None
        if session is not None:
            session.client.close()
        self._refresh_timer.stop()
        self.board.set_enabled_jobs(False)
        self.show_state(reason)

    def _show_jobs(self, jobs: list[SavedJob]) -> None:
        settings = self.context.settings
        self.board.set_jobs(
            board_jobs(
                self.context.policy,
                jobs,
                exercise_only=settings.exercise_only,
                demo=self.context.demo,
            )
        )
        self.board.set_enabled_jobs(not self.launcher.in_flight)

    def refresh(self) -> None:
        """List the saved jobs off the GUI thread (the allowed ones: the client's)."""
        session = self.session
        if session is None or self._refreshing:
            return
        from dispatch_desktop.joblist import allowed_only

        client = session.client
        self._refreshing = True
        self.context.runner.submit(
            lambda: allowed_only(client.list_saved_jobs(), client.allowed_jobs),
            "kiosk: list saved jobs",
            lambda jobs: self._on_refreshed(client, jobs),
            lambda error: self._on_refresh_failed(client, error),
        )

    def _on_refreshed(self, client: object, jobs: list[SavedJob]) -> None:
        self._refreshing = False
        if self.session is None or self.session.client is not client:
            return
        self._contact()
        self._show_jobs(jobs)

    def _on_refresh_failed(self, client: object, error: BaseException) -> None:
        self._refreshing = False
        if self.session is not None and self.session.client is client:
            self.contact_problem = error_sentence(error)
            self.show_connectivity()

    def _contact(self) -> None:
        self.last_contact = datetime.now()
        self.contact_problem = ""
        self.show_connectivity()

    # -- connectivity -------------------------------------------------------------------------

    def show_connectivity(self) -> None:
        """The line at the bottom: the server's last answer and the job monitor's state."""
        if self.last_contact is None:
            server = translate("KioskWindow", "Server: not reached yet")
        else:
            server = fill(
                translate("KioskWindow", "Server: last contact at %1"),
                self.last_contact.strftime("%H:%M:%S"),
            )
        if self.contact_problem:
            server += " — " + self.contact_problem
        line = (
            server
            + "  ·  "
            + fill(translate("KioskWindow", "Job monitor: %1"), self.monitor_state())
        )
        self.connectivity.setText(plain(line, one_line=True))

    def monitor_state(self) -> str:
        """The job monitor's state in a few words."""
        from dispatch_desktop.events.config import SourceMode

        if self.monitor_problem:
            return self.monitor_problem
        mode = self.context.settings.event_source().mode
        if mode is SourceMode.OFF and not self.context.demo:
            return translate("KioskWindow", "off")
        controller = self._monitor_controller
        source = None if controller is None else controller.source
        if source is None or source.store is None:
            return translate("KioskWindow", "starting…")
        if mode is SourceMode.FOLLOW:
            return translate("KioskWindow", "following the shared receiver")
        return translate("KioskWindow", "receiving job events")

    def start_monitor(self) -> None:
        """Start the job monitor (its modules are loaded already: ui/app.py)."""
        from dispatch_desktop.ui.monitor_controller import MonitorController

        if self._monitor_controller is None:
            controller = MonitorController(self.context, self._monitor_page, self)
            controller.status.connect(self._on_monitor_status)
            self.launcher.finished.connect(controller.launch_finished)
            controller.set_server(self.session.server if self.session is not None else None)
            self._monitor_controller = controller
        self._monitor_controller.start()

    def _on_monitor_status(self, sentence: str) -> None:
        self.monitor_problem = sentence
        self.show_connectivity()

    # -- launching ----------------------------------------------------------------------------

    def press(self, job: BoardJob) -> None:
        """A board button: check, then confirm (with a PIN where asked), then launch."""
        session = self.session
        if session is None or job.saved is None or self.launcher.in_flight or self._confirming:
            return
        if not self.context.policy.allows(job.saved.id):
            self.show_state(refused_job_sentence(job.label))
            return
        generic_type = self.mapping.generic_type_of(job.saved.type)
        try:
            request = self.request_of(job)
            from dispatch_desktop.api.validation import validate_start_request

            validate_start_request(request, generic_type)
        except ValidationError as exc:
            self.show_state(
                fill(
                    translate(
                        "KioskWindow",
                        "“%1” cannot be started as prepared: %2 Ask your administrator.",
                    ),
                    job.label,
                    error_sentence(exc),
                )
            )
            return
        from dispatch_desktop.ui.confirm import find_earlier_launches

        self.show_state("")
        self._confirming = True
        find_earlier_launches(
            self.context.runner,
            self.context.journal,
            job.saved.id,
            session.server,
            self.context.settings.repeat_window_minutes,
            lambda earlier: self._confirm(job, request, earlier),
        )

    def request_of(self, job: BoardJob) -> StartJobRequest:
        """What the prepared job sends; an exercise's message carries the marker.
        Raises ValidationError (an exercise without a message)."""
        preset = job.preset
        message = preset.message
        if job.exercise:
            settings = self.context.settings
            markers = [settings.exercise_prefix(lang) for lang in self._marker_languages()]
            message = marked_message(message, markers)
        return StartJobRequest(
            jobid=preset.job_id,
            message=message,
            toaddressbookcustomtagfilter=preset.tagfilter,
            responsegoal=preset.responsegoal,
        )

    def _marker_languages(self) -> list[str]:
        first = self.context.language or "en"
        return [first, *(lang for lang in DEFAULT_EXERCISE_PREFIXES if lang != first)]

    def _confirm(self, job: BoardJob, request: StartJobRequest, earlier: EarlierLaunches) -> None:
        try:
            session = self.session
            if session is None or job.saved is None or not self.isVisible():
                return
            dialog = self._confirmation(job, request, earlier, session.server)
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            dialog.deleteLater()  # a kiosk runs for months: none may pile up
        finally:
            self._confirming = False
        if accepted and self.session is session:
            self._launch(job, request)

    def _confirmation(
        self, job: BoardJob, request: StartJobRequest, earlier: EarlierLaunches, server: str
    ) -> QDialog:
        from dispatch_desktop.ui.confirm import ConfirmLaunchDialog
        from dispatch_desktop.ui.second_pin import SecondPinConfirmDialog

        assert job.saved is not None
        arguments = (job.saved, request, self.mapping.generic_type_of(job.saved.type))
        options = {
            "server": server,
            "demo": self.context.demo,
            "mode": launch_mode(demo=self.context.demo, exercise=job.exercise),
            "exercise": job.exercise,
            "earlier": earlier,
            "parent": self,
        }
        if job.preset.needs_second_pin:
            return SecondPinConfirmDialog(
                *arguments,
                pins=job.preset.pins,
                attempts=self.pin_attempts,
                runner=self.context.runner,
                **options,  # type: ignore[arg-type]
            )
        return ConfirmLaunchDialog(*arguments, **options)  # type: ignore[arg-type]

    def _launch(self, job: BoardJob, request: StartJobRequest) -> None:
        session = self.session
        assert session is not None
        assert job.saved is not None
        plan = LaunchPlan(
            job=job.saved,
            request=request,
            generic_type=self.mapping.generic_type_of(job.saved.type),
            server=session.server,
            user=session.user,
            mode=launch_mode(demo=self.context.demo, exercise=job.exercise),
            exercise=job.exercise,
        )
        self.launcher.launch(
            session.client,
            plan,
            self.context.journal,
            undo_seconds=self.context.settings.undo_seconds,
        )

    def _on_launch_finished(self, outcome: LaunchOutcome, plan: LaunchPlan) -> None:
        self.outcome.show_outcome(outcome, plan)
        # Nothing to do there in a kiosk: the board is the only way to launch.
        for button in (
            self.outcome.again_button,
            self.outcome.sign_in_button,
            self.outcome.monitor_button,
        ):
            button.hide()
        if outcome.kind not in NO_CONTACT_OUTCOMES:
            self._contact()
        if outcome.kind is Outcome.AUTH_FAILED:
            self.lose_session(
                translate("KioskWindow", "The server refused the sign-in; signing in again…")
            )
            self.sign_in_needed.emit()

    # -- window -------------------------------------------------------------------------------

    def fill_screen(self) -> None:
        """Full screen. The screen's whole geometry is also set first: with no window manager
        (a bare X server, as kiosks often run) the full-screen request alone is ignored and
        the window keeps its size hint."""
        self.setGeometry(self.screen().geometry())
        self.showFullScreen()

    def raise_window(self) -> None:
        """A second start asked for the window (ui/single_instance.py)."""
        self.fill_screen()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if not self._unattended or self._closing:
            # The kiosk user cannot close it (Alt+F4 included); the administrator uses SIGTERM.
            event.ignore()
            return
        self._closing = True
        self.launcher.cancel_countdown()  # nothing sent yet: journaled as cancelled
        self.launcher.wait_before_closing(self, demo=self.context.demo)
        self._refresh_timer.stop()
        self._line_timer.stop()
        if self._monitor_controller is not None:
            self._monitor_controller.stop()
        self.context.settings.sync()
        event.accept()

    def close_unattended(self) -> None:
        """SIGTERM, SIGINT: close now, asking nothing; open dialogs are cancelled, a start
        call in flight is waited for up to its deadline."""
        self._unattended = True
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        self.close()
