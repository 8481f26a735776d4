"""The main window: saved jobs on the left, the start-job form and History on the right."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dispatch_desktop import __version__
from dispatch_desktop.api import SavedJob, StartJobRequest
from dispatch_desktop.launcher import LaunchOutcome, LaunchPlan
from dispatch_desktop.storage.journal import LaunchJournal, Outcome
from dispatch_desktop.storage.secrets import SecretStore, SessionSecrets
from dispatch_desktop.ui.common import APP_NAME, demo_banner, error_sentence, tr, window_title
from dispatch_desktop.ui.history_panel import HistoryPanel
from dispatch_desktop.ui.jobs_panel import SavedJobsPanel
from dispatch_desktop.ui.launch_panel import LaunchController, OutcomePanel
from dispatch_desktop.ui.settings import AppSettings
from dispatch_desktop.ui.start_form import StartJobForm
from dispatch_desktop.ui.workers import TaskRunner

# The dialogs are imported where they open: start-up does not wait for code it does not run.
if TYPE_CHECKING:
    from dispatch_desktop.ui.signin import SignedIn, SignInDialog


@dataclass
class AppContext:
    """What every window shares. In demo mode ``demo_server`` is the embedded server's URL."""

    settings: AppSettings
    secrets: SecretStore
    runner: TaskRunner
    journal: LaunchJournal | None
    session_secrets: SessionSecrets = field(default_factory=SessionSecrets)
    demo: bool = False
    demo_server: str | None = None
    demo_credentials: tuple[str, str] | None = None
    demo_vocabulary: dict[str, list[str]] = field(default_factory=dict)

    def sign_in_dialog(self, parent: QWidget | None = None) -> SignInDialog:
        """A sign-in dialog with this context's defaults."""
        from dispatch_desktop.ui.signin import SignInDialog

        return SignInDialog(
            self.settings,
            self.secrets,
            self.session_secrets,
            self.runner,
            demo=self.demo,
            demo_credentials=self.demo_credentials,
            demo_server=self.demo_server,
            parent=parent,
        )


class MainWindow(QMainWindow):
    """Saved jobs, the start-job form with the launch outcome, and the launch history."""

    def __init__(self, context: AppContext, session: SignedIn | None = None) -> None:
        super().__init__()
        self.context = context
        self.session: SignedIn | None = None
        self.mapping = context.settings.job_type_mapping()
        self.launcher = LaunchController(context.runner, self)
        self.launcher.busy_changed.connect(self._on_busy)
        self.launcher.finished.connect(self._on_launch_finished)
        self._refreshing = False
        self._confirming = False
        self.setWindowTitle(window_title(APP_NAME, context.demo))
        self._build()
        self._build_actions()
        self._restore_geometry()
        if session is not None:
            self._apply_session(session)
        else:
            self.jobs_panel.set_signed_out()
        self.history.reload()

    # -- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.jobs_panel = SavedJobsPanel(self.mapping, self)
        self.jobs_panel.job_activated.connect(self.open_job)
        self.jobs_panel.refresh_requested.connect(self.refresh)
        self.form = StartJobForm(self)
        self.form.launch_requested.connect(self.confirm_launch)
        self.form.set_vocabulary(self._vocabulary())
        self.outcome = OutcomePanel(self)
        self.outcome.sign_in_requested.connect(self.sign_in_again)
        start_page = QWidget(self)
        start_layout = QVBoxLayout(start_page)
        start_layout.addWidget(self.form, 1)
        start_layout.addWidget(self.outcome)
        self.history = HistoryPanel(self.context.journal, self.context.runner, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(start_page, tr("&Start job"))
        self.tabs.addTab(self.history, tr("&History"))
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.jobs_panel)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        if self.context.demo:
            layout.addWidget(demo_banner(self))
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.resize(1280, 800)

    def _build_actions(self) -> None:
        file_menu = self.menuBar().addMenu(tr("&File"))
        self.sign_in_action = self._action(tr("&Sign in…"), self.sign_in_again, "Ctrl+L")
        file_menu.addAction(self.sign_in_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action(tr("&Quit"), self.close, QKeySequence.StandardKey.Quit))
        view = self.menuBar().addMenu(tr("&View"))
        self.refresh_action = self._action(
            tr("&Refresh saved jobs"), self.refresh, QKeySequence.StandardKey.Refresh
        )
        view.addAction(self.refresh_action)
        view.addAction(
            self._action(tr("&Search saved jobs"), self.jobs_panel.focus_search, "Ctrl+F")
        )
        view.addAction(self._action(tr("&History"), self.show_history, "Ctrl+H"))
        tools = self.menuBar().addMenu(tr("&Tools"))
        tools.addAction(self._action(tr("&Settings…"), self.open_settings, "Ctrl+,"))
        help_menu = self.menuBar().addMenu(tr("&Help"))
        help_menu.addAction(self._action(tr("&About"), self._about))

    def _action(self, text: str, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def set_journal(self, journal: LaunchJournal | None) -> None:
        """The launch journal, once opened off the GUI thread (``None``: it could not be)."""
        self.context.journal = journal
        self.history.set_journal(journal)

    def refresh_vocabulary(self) -> None:
        """Offer the tag types and values known now (e.g. once the demo server runs)."""
        self.form.set_vocabulary(self._vocabulary())

    def _vocabulary(self) -> dict[str, list[str]]:
        vocabulary = {t: list(vs) for t, vs in self.context.demo_vocabulary.items()}
        for tag_type, values in self.context.settings.tag_vocabulary().items():
            known = vocabulary.setdefault(tag_type, [])
            known.extend(v for v in values if v not in known)
        return vocabulary

    # -- session ------------------------------------------------------------------------------

    def _apply_session(self, session: SignedIn) -> None:
        self.session = session
        self.jobs_panel.set_jobs(session.jobs, session.refreshed_at)
        message = tr("Signed in as %1 on %2").replace("%1", session.user)
        self.statusBar().showMessage(message.replace("%2", session.server))
        if session.keyring_message:
            # Not exec(): the user reads it while the window already works.
            box = QMessageBox(
                QMessageBox.Icon.Information,
                window_title(tr("Keyring"), self.context.demo),
                session.keyring_message,
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    def sign_in_again(self) -> None:
        """Open the sign-in dialog; on success the new session replaces the old one."""
        dialog = self.context.sign_in_dialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_session is not None:
            if self.session is not None:
                self.session.client.close()
            self._apply_session(dialog.result_session)

    def refresh(self) -> None:
        """F5: reload the saved jobs off the GUI thread."""
        if self._refreshing:
            return
        if self.session is None:
            self.sign_in_again()
            return
        self._refreshing = True
        self.jobs_panel.set_refreshing(True)
        client = self.session.client
        self.context.runner.submit(
            client.list_saved_jobs,
            "refresh saved jobs",
            self._on_refreshed,
            self._on_refresh_failed,
        )

    def _on_refreshed(self, jobs: list[SavedJob]) -> None:
        self._refreshing = False
        self.jobs_panel.set_refreshing(False)
        self.jobs_panel.set_jobs(jobs, datetime.now())

    def _on_refresh_failed(self, error: BaseException) -> None:
        self._refreshing = False
        self.jobs_panel.set_refreshing(False)
        self.jobs_panel.set_load_error(error_sentence(error))
        self.statusBar().showMessage(error_sentence(error))

    # -- start-job form and launch ------------------------------------------------------------

    def open_job(self, job: SavedJob) -> None:
        """Enter or double-click: show the start-job form for ``job``."""
        if self.launcher.in_flight:
            self.statusBar().showMessage(
                tr("A launch is in progress; the form stays on it until the outcome is known.")
            )
            return
        self.form.set_job(job, self.mapping.generic_type_of(job.type))
        self.outcome.hide()
        self.tabs.setCurrentIndex(0)
        self.form.jobname.setFocus()

    def confirm_launch(self, request: StartJobRequest) -> None:
        """Show the confirmation; launch only on an explicit "Start job now"."""
        job = self.form.job
        if job is None or self.session is None or self.launcher.in_flight or self._confirming:
            return
        from dispatch_desktop.ui.confirm import ConfirmLaunchDialog

        self._confirming = True
        try:
            dialog = ConfirmLaunchDialog(
                job,
                request,
                self.form.generic_type,
                server=self.session.server,
                demo=self.context.demo,
                parent=self,
            )
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            self._confirming = False
        if accepted:
            self._launch(job, request)

    def _launch(self, job: SavedJob, request: StartJobRequest) -> None:
        if self.session is None:
            return
        plan = LaunchPlan(
            job=job,
            request=request,
            generic_type=self.form.generic_type,
            server=self.session.server,
            user=self.session.user,
        )
        if self.launcher.launch(self.session.client, plan, self.context.journal):
            self.outcome.show_busy(job.name, self.launcher.started_at)
            self.context.settings.remember_tags(self.form.used_tags())

    def _on_busy(self, busy: bool) -> None:
        reason = tr("Starting the job… the form is locked until the outcome is known.")
        self.form.set_locked(busy, reason if busy else "")
        self.sign_in_action.setEnabled(not busy)

    def _on_launch_finished(self, outcome: LaunchOutcome, plan: LaunchPlan) -> None:
        self.outcome.show_outcome(outcome)
        self.history.reload()
        self.statusBar().showMessage(
            tr("%1: %2").replace("%1", plan.job.name).replace("%2", outcome.kind.value)
        )
        if outcome.kind is Outcome.AUTH_FAILED:
            self.statusBar().showMessage(tr("Signed out: sign in again to continue."))

    def show_history(self) -> None:
        """Ctrl+H: the History tab."""
        self.tabs.setCurrentWidget(self.history)
        self.history.reload()

    def open_settings(self) -> None:
        """Edit the job-type mapping (G2)."""
        from dispatch_desktop.ui.settings_dialog import SettingsDialog

        job_types = sorted({job.type for job in self.jobs_panel.model.jobs()})
        dialog = SettingsDialog(self.mapping, job_types, demo=self.context.demo, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.context.settings.set_job_type_overrides(dialog.overrides())
        self.mapping = self.context.settings.job_type_mapping()
        self.jobs_panel.set_mapping(self.mapping)
        if self.form.job is not None and not self.launcher.in_flight:
            self.form.set_job(self.form.job, self.mapping.generic_type_of(self.form.job.type))

    def _about(self) -> None:
        QMessageBox.about(
            self,
            window_title(tr("About"), self.context.demo),
            tr("%1 %2\nA desktop client for the LEKAB Dispatch API.")
            .replace("%1", APP_NAME)
            .replace("%2", __version__),
        )

    # -- window state -------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = self.context.settings.window_geometry
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.context.settings.window_state
        if state is None or not self.splitter.restoreState(state):
            # The table's four columns, ids whole, beside a form that still reads well.
            self.splitter.setSizes([560, 720])

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if self.launcher.in_flight and not self._confirm_close():
            event.ignore()
            return
        settings = self.context.settings
        settings.window_geometry = self.saveGeometry()
        settings.window_state = self.splitter.saveState()
        settings.sync()
        event.accept()

    def _confirm_close(self) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            window_title(tr("A job is starting"), self.context.demo),
            tr(
                "A job start is in progress. Closing now does not stop it, and you will not "
                "see its outcome: the job may start anyway. Close anyway?"
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes
