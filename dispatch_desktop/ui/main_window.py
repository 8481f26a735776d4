"""The main window: saved jobs on the left, the start-job form and History on the right."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from importlib import import_module
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dispatch_desktop import __version__
from dispatch_desktop.api import SavedJob, StartJobRequest
from dispatch_desktop.form_rules import launch_mode, tags_of
from dispatch_desktop.joblist import JobList, allowed_only
from dispatch_desktop.launcher import LaunchOutcome, LaunchPlan
from dispatch_desktop.policy import Policy
from dispatch_desktop.storage.journal import LaunchJournal, LaunchMode, LaunchRecord, Outcome
from dispatch_desktop.storage.paths import Profile
from dispatch_desktop.storage.secrets import SecretStore, SessionSecrets
from dispatch_desktop.ui.common import (
    APP_NAME,
    chain_tabs,
    demo_banner,
    error_sentence,
    fill,
    library_text,
    plain,
    tooltip,
    translate,
    window_title,
)
from dispatch_desktop.ui.history_panel import HistoryPanel, LaunchScope
from dispatch_desktop.ui.jobs_panel import SavedJobsPanel
from dispatch_desktop.ui.launch_panel import LaunchController, OutcomePanel, outcome_title
from dispatch_desktop.ui.policy_lock import refused_job_sentence
from dispatch_desktop.ui.settings import DEFAULT_EXERCISE_PREFIXES, AppSettings
from dispatch_desktop.ui.workers import Task, TaskRunner

# The dialogs are imported where they open: start-up does not wait for code it does not run.
if TYPE_CHECKING:
    from dispatch_desktop.events.source import EventSource
    from dispatch_desktop.ui.confirm import EarlierLaunches
    from dispatch_desktop.ui.monitor_controller import MonitorController
    from dispatch_desktop.ui.monitor_panel import MonitorPanel
    from dispatch_desktop.ui.signin import SignedIn, SignInDialog
    from dispatch_desktop.ui.start_form import StartJobForm
    from dispatch_desktop.ui.tray import TrayNotifier

DEFAULT_SIZE = QSize(1366, 800)
"""The first window's size where the screen has room for it: a 1366 px laptop's whole width."""
JOBS_SHARE_AT_MOST = 0.44
"""The saved-jobs list's share of a narrow first window: the form and the monitor beside it
need the rest (at 1366 pixels, a monitored job's name whole)."""


def _import_monitor() -> None:
    """Blocking: import the job monitor's modules (run off the GUI thread)."""
    import_module("dispatch_desktop.events.source")
    import_module("dispatch_desktop.ui.monitor_controller")


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
    # In demo mode: tells the demo server where to post its callbacks.
    set_demo_callback_url: Callable[[str], None] | None = None

    @property
    def policy(self) -> Policy:
        """The administrator's policy: the settings apply it."""
        return self.settings.policy

    @property
    def language(self) -> str | None:
        """The interface language the policy sets (``None``: the system's)."""
        return self.policy.language

    @property
    def profile(self) -> Profile:
        """Whose folders hold the settings, journal, events and logs: demo mode has its own."""
        return Profile.of(demo=self.demo)

    def launch_scope(self, server: str) -> LaunchScope:
        """The journal rows History and Monitor show when signed in to ``server``: its own,
        in this profile's world (a real profile never shows a demo row)."""
        return LaunchScope.of(server, demo=self.demo)

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
    """Saved jobs, the start-job form with the launch outcome, the launch history and the
    job monitor."""

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
        # Closing: asked to close without questions (a signal), the close question open,
        # the close under way (waiting for a start call).
        self._unattended = False
        self._asking_close = False
        self._closing = False
        self._fitted_size: QSize | None = None
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
        self._build_jobs_panel()
        # The form is built when first needed (a job opened, the vocabulary known): until
        # then the tab says what to do, and start-up does not wait for it.
        self._form: StartJobForm | None = None
        self._start_stack = QStackedWidget(self)
        hint = QLabel(
            translate(
                "MainWindow", "Choose a saved job (Enter or double-click) to prepare its launch."
            ),
            self,
        )
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)
        self._start_stack.addWidget(hint)
        self.outcome = OutcomePanel(self)
        self.outcome.follow(self.launcher)
        self.outcome.sign_in_requested.connect(self.sign_in_again)
        self.outcome.monitor_requested.connect(self.show_monitored_job)
        self.outcome.launch_again_requested.connect(self.launch_again_with_plan)
        start_page = QWidget(self)
        start_layout = QVBoxLayout(start_page)
        start_layout.addWidget(self._start_stack, 1)
        start_layout.addWidget(self.outcome)
        self.history = HistoryPanel(self.context.journal, self.context.runner, self)
        self.history.monitor_requested.connect(self.show_monitored_job)
        self.history.launch_again_requested.connect(self.launch_again)
        # The monitor is built after the first paint (start_monitor): the tab holds a
        # placeholder until then.
        self._monitor_controller: MonitorController | None = None
        self._monitor_import: Task | None = None
        self._monitor_page = QStackedWidget(self)
        self._monitor_page.addWidget(
            QLabel(translate("MainWindow", "Starting the job monitor…"), self._monitor_page)
        )
        self.tabs = QTabWidget(self)
        self.tabs.addTab(start_page, translate("MainWindow", "&Start job"))
        # Mnemonics unique in the window: Alt+H is Help, Alt+M the message (Ctrl+H and Ctrl+M
        # show these tabs).
        self.tabs.addTab(self.history, translate("MainWindow", "H&istory"))
        self.tabs.addTab(self._monitor_page, translate("MainWindow", "Mo&nitor"))
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
        chain_tabs(central)

    def _build_jobs_panel(self) -> None:
        """The saved jobs, with favourites (settings, per server) and the Recent view (the
        journal, read off the GUI thread; read again after each launch)."""
        context = self.context
        self.jobs_panel = SavedJobsPanel(
            self.mapping,
            self,
            settings=context.settings,
            runner=context.runner,
            journal=context.journal,
        )
        self.jobs_panel.job_activated.connect(self.open_job)
        self.jobs_panel.refresh_requested.connect(self.refresh)
        self.launcher.finished.connect(self.jobs_panel.reload_recent)

    def _build_actions(self) -> None:
        file_menu = self.menuBar().addMenu(translate("MainWindow", "&File"))
        self.sign_in_action = self._action(
            translate("MainWindow", "&Sign in…"), self.sign_in_again, "Ctrl+L"
        )
        file_menu.addAction(self.sign_in_action)
        self.sign_out_action = self._action(translate("MainWindow", "Sign &out"), self.sign_out)
        self.sign_out_action.setEnabled(False)
        file_menu.addAction(self.sign_out_action)
        file_menu.addSeparator()
        file_menu.addAction(
            self._action(
                translate("MainWindow", "&Quit"), self.close, QKeySequence.StandardKey.Quit
            )
        )
        view = self.menuBar().addMenu(translate("MainWindow", "&View"))
        self.refresh_action = self._action(
            translate("MainWindow", "&Refresh saved jobs"),
            self.refresh,
            QKeySequence.StandardKey.Refresh,
        )
        view.addAction(self.refresh_action)
        view.addAction(
            self._action(
                translate("MainWindow", "&Search saved jobs"),
                self.jobs_panel.focus_search,
                "Ctrl+F",
            )
        )
        view.addAction(
            self._action(translate("MainWindow", "&History"), self.show_history, "Ctrl+H")
        )
        view.addAction(
            self._action(
                translate("MainWindow", "&Monitor"),
                lambda: self.tabs.setCurrentWidget(self._monitor_page),
                "Ctrl+M",
            )
        )
        if not self.context.policy.hide_settings:  # hidden: no menu item, no shortcut
            tools = self.menuBar().addMenu(translate("MainWindow", "&Tools"))
            tools.addAction(
                self._action(translate("MainWindow", "&Settings…"), self.open_settings, "Ctrl+,")
            )
        help_menu = self.menuBar().addMenu(translate("MainWindow", "&Help"))
        help_menu.addAction(self._action(translate("MainWindow", "&About"), self._about))

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
        self.jobs_panel.set_journal(journal)
        if self._monitor_controller is not None:
            self._monitor_controller.set_journal(journal)

    @property
    def form(self) -> StartJobForm:
        """The start-job form, built on first use."""
        if self._form is None:
            from dispatch_desktop.ui import start_form as forms

            form = forms.StartJobForm(self._start_stack)
            form.launch_requested.connect(self.confirm_launch)
            form.set_vocabulary(self._vocabulary())
            form.set_exercise_markers(self._exercise_markers(forms.exercise_language()))
            if self.context.settings.exercise_only:
                form.force_exercise(
                    True, translate("MainWindow", "Set by your administrator: exercises only.")
                )
            self._start_stack.addWidget(form)
            self._start_stack.setCurrentWidget(form)
            self._form = form
            chain_tabs(self.centralWidget())
        return self._form

    def refresh_vocabulary(self) -> None:
        """Offer the tag types and values known now (e.g. once the demo server runs)."""
        if self._form is not None:
            self._form.set_vocabulary(self._vocabulary())

    def _exercise_markers(self, language: str) -> list[str]:
        """The marker of ``language`` first, then the others (already marked messages)."""
        settings = self.context.settings
        others = [settings.exercise_prefix(other) for other in DEFAULT_EXERCISE_PREFIXES]
        return [settings.exercise_prefix(language), *others]

    def _vocabulary(self) -> dict[str, list[str]]:
        vocabulary = {t: list(vs) for t, vs in self.context.demo_vocabulary.items()}
        for tag_type, values in self.context.settings.tag_vocabulary().items():
            known = vocabulary.setdefault(tag_type, [])
            known.extend(v for v in values if v not in known)
        return vocabulary

    # -- session ------------------------------------------------------------------------------

    def _apply_session(self, session: SignedIn) -> None:
        self.session = session
        self.jobs_panel.set_server(session.server)
        self.sign_out_action.setEnabled(not self.launcher.in_flight)
        self._show_launches_of(session.server)
        # The list keeps the jobs in a form of its own: the session need not keep the parsed
        # ones (at 100,000, objects every full garbage collection would walk).
        jobs, session.jobs = session.jobs, []
        self.jobs_panel.set_jobs(jobs, session.refreshed_at)
        if not self._split_chosen:
            self._split_default()  # the columns are sized for these jobs now
        self.show_status(
            fill(translate("MainWindow", "Signed in as %1 on %2"), session.user, session.server)
        )
        if session.keyring_message:
            # Not exec(): the user reads it while the window already works.
            box = QMessageBox(
                QMessageBox.Icon.Information,
                window_title(translate("MainWindow", "Keyring"), self.context.demo),
                plain(library_text(session.keyring_message)),
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    def sign_in_again(self) -> None:
        """Open the sign-in dialog; on success the new session replaces the old one."""
        if self.context.demo and self.context.demo_server is None:
            # The start-up's dialog was closed before the demo server ran (ui/app.py).
            self.show_status(
                translate(
                    "MainWindow", "The demo server is still starting; sign in again in a moment."
                )
            )
            return
        dialog = self.context.sign_in_dialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_session is not None:
            self.take_session(dialog.result_session)

    def take_session(self, session: SignedIn) -> None:
        """A sign-in succeeded (here or in the start-up's dialog): its session replaces the
        one before."""
        if self.session is not None:
            self.session.client.close()
        self._apply_session(session)

    def sign_out(self) -> None:
        """File → Sign out: end the session and show nothing of its server (saved jobs,
        form, History, Monitor), then offer to sign in again. A secret remembered in the
        keyring stays there (the sign-in dialog's Forget removes it); the session's own copy
        goes. Not while a launch is in flight: its outcome belongs to this session."""
        session = self.session
        if session is None or self.launcher.in_flight:
            return
        self.session = None
        session.client.close()
        if session.secret_address is not None:
            self.context.session_secrets.forget(*session.secret_address)
        self.sign_out_action.setEnabled(False)
        self.jobs_panel.model.set_jobs([])
        self.jobs_panel.set_signed_out()
        self._drop_form()
        self.outcome.hide()
        self._show_launches_of(None)
        self.show_status(fill(translate("MainWindow", "Signed out of %1."), session.server))
        self.sign_in_again()

    def _drop_form(self) -> None:
        """Forget the start-job form and what was typed in it; the next job opened builds
        a new one."""
        form, self._form = self._form, None
        if form is not None:
            self._start_stack.removeWidget(form)
            form.deleteLater()

    def _show_launches_of(self, server: str | None) -> None:
        """History and Monitor show the launches on ``server``; ``None`` (signed out): none."""
        self.history.show_launches(None if server is None else self.context.launch_scope(server))
        if self._monitor_controller is not None:
            self._monitor_controller.set_server(server)

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
            # Prepared for the list here too: the allowed jobs only (policy).
            lambda: JobList(allowed_only(client.list_saved_jobs(), client.allowed_jobs)),
            "refresh saved jobs",
            lambda jobs: self._on_refreshed(client, jobs),
            lambda error: self._on_refresh_failed(client, error),
        )

    def _refreshed_current_session(self, client: object) -> bool:
        """A refresh ended; whether it was one of the session still signed in (a list
        from before a sign-out or another sign-in is not shown)."""
        self._refreshing = False
        self.jobs_panel.set_refreshing(False)
        return self.session is not None and self.session.client is client

    def _on_refreshed(self, client: object, jobs: JobList) -> None:
        if self._refreshed_current_session(client):
            self.jobs_panel.set_jobs(jobs, datetime.now())

    def _on_refresh_failed(self, client: object, error: BaseException) -> None:
        if not self._refreshed_current_session(client):
            return
        self.jobs_panel.set_load_error(error_sentence(error))
        self.show_status(error_sentence(error))

    # -- start-job form and launch ------------------------------------------------------------

    def _refuses(self, job_id: int, name: str) -> bool:
        """Whether the policy refuses saved job ``job_id`` here (and the status bar says so)."""
        if self.context.policy.allows(job_id):
            return False
        self.show_status(refused_job_sentence(name or str(job_id)))
        return True

    def open_job(self, job: SavedJob) -> None:
        """Enter or double-click: show the start-job form for ``job``."""
        if self._refuses(job.id, job.name):
            return
        if self.launcher.in_flight:
            self.show_status(
                translate(
                    "MainWindow",
                    "A launch is in progress; the form stays on it until the outcome is known.",
                )
            )
            return
        self.form.set_job(job, self.mapping.generic_type_of(job.type))
        self.outcome.hide()
        self.tabs.setCurrentIndex(0)
        self.form.jobname.setFocus()

    def confirm_launch(self, request: StartJobRequest) -> None:
        """Look up earlier launches of the job (off the GUI thread), then show the
        confirmation; launch only on its explicit confirm button."""
        job = self.form.job
        if job is None or self.session is None or self.launcher.in_flight or self._confirming:
            return
        from dispatch_desktop.ui.confirm import find_earlier_launches

        self._confirming = True
        find_earlier_launches(
            self.context.runner,
            self.context.journal,
            job.id,
            self.session.server,
            self.context.settings.repeat_window_minutes,
            lambda earlier: self._open_confirmation(job, request, earlier),
        )

    def _open_confirmation(
        self, job: SavedJob, request: StartJobRequest, earlier: EarlierLaunches
    ) -> None:
        from dispatch_desktop.ui.confirm import ConfirmLaunchDialog

        try:
            # The window closed, or the form moved on, while the journal was searched.
            if self.session is None or not self.isVisible() or self.form.job is not job:
                return
            dialog = ConfirmLaunchDialog(
                job,
                request,
                self.form.generic_type,
                server=self.session.server,
                demo=self.context.demo,
                mode=self._launch_mode(),
                exercise=self.form.exercise,
                earlier=earlier,
                unknown_tags=self.form.unknown_tags(),
                parent=self,
            )
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            dialog.deleteLater()  # a child of the window: one per launch would pile up
        finally:
            self._confirming = False
        if accepted:
            self._launch(job, request)

    def _launch_mode(self) -> LaunchMode:
        return launch_mode(demo=self.context.demo, exercise=self.form.exercise)

    def _launch(self, job: SavedJob, request: StartJobRequest) -> None:
        if self.session is None:
            return
        plan = LaunchPlan(
            job=job,
            request=request,
            generic_type=self.form.generic_type,
            server=self.session.server,
            user=self.session.user,
            mode=self._launch_mode(),
            exercise=self.form.exercise,
        )
        # The undo window: the outcome panel counts down; nothing is sent before it ends.
        undo_seconds = self.context.settings.undo_seconds
        journal = self.history.watching(self.context.journal)  # shows it as sending
        self.launcher.launch(self.session.client, plan, journal, undo_seconds=undo_seconds)

    def _on_busy(self, busy: bool) -> None:
        reason = translate(
            "MainWindow", "Starting the job… the form is locked until the outcome is known."
        )
        self.form.set_locked(busy, reason if busy else "")
        self.sign_in_action.setEnabled(not busy)
        self.sign_out_action.setEnabled(not busy and self.session is not None)

    def _on_launch_finished(self, outcome: LaunchOutcome, plan: LaunchPlan) -> None:
        self._learn_tags(outcome, plan)
        self.form.launch_finished(outcome.kind)
        self.outcome.show_outcome(outcome, plan)
        # The dispatcher (or a screen reader) is told what happened; Tab goes on to what can
        # be done about it.
        self.outcome.setFocus(Qt.FocusReason.OtherFocusReason)
        self.history.refresh_rows()
        self.show_status(
            fill(translate("MainWindow", "%1: %2"), plan.job.name, outcome_title(outcome.kind))
        )
        if outcome.kind is Outcome.AUTH_FAILED:
            self.show_status(translate("MainWindow", "Signed out: sign in again to continue."))

    def _learn_tags(self, outcome: LaunchOutcome, plan: LaunchPlan) -> None:
        """The vocabulary learns the tags of a launch the server started, never a typo it
        refused."""
        if outcome.kind.started:
            self.context.settings.remember_tags(tags_of(plan.request))
            self.refresh_vocabulary()

    def launch_again(self, record: LaunchRecord) -> None:
        """Launch again with these settings: open the saved job of ``record`` with the form
        filled with exactly what was sent. It never launches: the dispatcher starts it."""
        if self._refuses(record.job_id, record.job_name or ""):
            return
        listed = self.jobs_panel.model.job_with_id(record.job_id)
        job = listed or SavedJob(record.job_id, record.job_name or "", record.job_type or "")
        self._fill_again(job, record.parameter_values(), record.mode)

    def launch_again_with_plan(self, plan: LaunchPlan) -> None:
        """The outcome panel's *Launch again with these settings*: the request that was sent."""
        from dispatch_desktop.api.validation import validate_start_request

        if self._refuses(plan.job.id, plan.job.name):
            return
        parameters = validate_start_request(plan.request, plan.generic_type)
        self._fill_again(plan.job, parameters, plan.mode)

    def _fill_again(self, job: SavedJob, parameters: dict[str, object], mode: LaunchMode) -> None:
        if self.launcher.in_flight:
            self.show_status(
                translate("MainWindow", "A launch is in progress; wait for its outcome first.")
            )
            return
        self.open_job(job)
        self.form.fill_from_parameters(parameters, mode)

    def show_history(self) -> None:
        """Ctrl+H: the History tab."""
        self.tabs.setCurrentWidget(self.history)
        self.history.refresh_rows()

    def open_settings(self) -> None:
        """Edit the job-type mapping (G2), the job monitor and launching."""
        from dispatch_desktop.ui.settings_dialog import LaunchValues, SettingsDialog

        job_types = sorted(self.jobs_panel.model.job_list().types)
        settings = self.context.settings
        dialog = SettingsDialog(
            self.mapping,
            job_types,
            demo=self.context.demo,
            source=settings.event_source(),
            callback_url=self.event_source.callback_url if self.event_source else None,
            notifications=settings.notifications_enabled,
            launching=LaunchValues.read(settings),
            retention_days=settings.event_retention_days,
            language=settings.language,
            policy=settings.policy,
            parent=self,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        settings.set_job_type_overrides(dialog.overrides())
        dialog.launching.values().write(settings)
        settings.language = dialog.language.value()
        self.monitor.apply_settings(
            dialog.monitor.source(),
            dialog.monitor.notifications.isChecked(),
            dialog.monitor.retention_days.value(),
            renew_token=dialog.monitor.renew_token,
        )
        self.mapping = self.context.settings.job_type_mapping()
        self.jobs_panel.set_mapping(self.mapping)
        form = self._form
        if form is not None:
            from dispatch_desktop.ui.start_form import exercise_language

            form.set_exercise_markers(self._exercise_markers(exercise_language()))
        if form is not None and form.job is not None and not self.launcher.in_flight:
            form.set_job(form.job, self.mapping.generic_type_of(form.job.type))

    def _about(self) -> None:
        QMessageBox.about(
            self,
            window_title(translate("MainWindow", "About"), self.context.demo),
            fill(
                translate("MainWindow", "%1 %2\nA desktop client for the LEKAB Dispatch API."),
                APP_NAME,
                __version__,
            ),
        )

    # -- job monitor --------------------------------------------------------------------------

    @property
    def monitor(self) -> MonitorController:
        """The job monitor's controller (its panel, tray icon and event source), built on first
        use: after the first paint, start-up does not wait for it."""
        if self._monitor_controller is None:
            from dispatch_desktop.ui.monitor_controller import MonitorController

            controller = MonitorController(self.context, self._monitor_page, self)
            controller.status.connect(self._show_monitor_status)
            controller.job_requested.connect(self.show_monitored_job)
            controller.notified.connect(self._show_notification)
            self.launcher.finished.connect(controller.launch_finished)
            controller.set_server(self.session.server if self.session is not None else None)
            self._monitor_controller = controller
            chain_tabs(self.centralWidget())
        return self._monitor_controller

    @property
    def monitor_panel(self) -> MonitorPanel | None:
        """The Monitor tab's panel, once built."""
        controller = self._monitor_controller
        return None if controller is None else controller.panel

    @property
    def tray(self) -> TrayNotifier | None:
        """The tray icon, once built."""
        controller = self._monitor_controller
        return None if controller is None else controller.tray

    @property
    def event_source(self) -> EventSource | None:
        """The job events' source while it runs."""
        controller = self._monitor_controller
        return None if controller is None else controller.source

    def start_monitor(self, *, renew_token: bool = False) -> None:
        """Start the configured event source and read the monitored jobs, off the GUI thread.
        In demo mode a receiver of its own takes the demo server's callbacks. The first time,
        the monitor's modules are imported off the GUI thread too (the window would freeze
        for the tenth of a second they take)."""
        if self._monitor_controller is not None:
            self._monitor_controller.start(renew_token=renew_token)
            return
        if self._monitor_import is not None:
            return  # under way: it starts the monitor
        self._monitor_import = self.context.runner.submit(
            _import_monitor,
            "import the job monitor",
            lambda _none: self._monitor_imported(renew_token),
            lambda _error: self._monitor_imported(renew_token),  # built here: it says why
        )

    def _monitor_imported(self, renew_token: bool) -> None:
        self._monitor_import = None
        self.monitor.start(renew_token=renew_token)

    def stop_monitor(self) -> None:
        """Stop receiving or following job events (and starting the monitor)."""
        if self._monitor_import is not None:
            self._monitor_import.cancel()
            self._monitor_import = None
        if self._monitor_controller is not None:
            self._monitor_controller.stop()

    def _show_monitor_status(self, message: str) -> None:
        self._monitor_page.setToolTip(tooltip(message))
        self.show_status(message, 15_000)

    def _show_notification(self, notification: Any) -> None:
        if self.tray is None or self.tray.tray is None:
            # No system tray here: the status bar says it instead.
            self.show_status(f"{notification.title}: {notification.text}", 10_000)

    def show_status(self, message: str, timeout_ms: int = 0) -> None:
        """A message in the status bar, on one line; its names and server texts stay text."""
        self.statusBar().showMessage(plain(message, one_line=True), timeout_ms)

    def raise_window(self) -> None:
        """Bring the window to the front (a second start asked for it)."""
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()

    def show_monitored_job(self, jobid: object) -> None:
        """Raise the window on the monitor with ``jobid`` selected (a notification click, or
        "Show in monitor" after a launch)."""
        self.raise_window()
        self.tabs.setCurrentWidget(self._monitor_page)
        if self.monitor_panel is not None:
            self.monitor_panel.select_job(jobid)

    # -- window state -------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = self.context.settings.window_geometry
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(DEFAULT_SIZE)
        # A laptop's screen, a larger scale, a monitor unplugged since: never off the screen.
        self.fit_to_screen()
        self._fitted_size = self.size()
        state = self.context.settings.window_state
        self._split_chosen = state is not None and self.splitter.restoreState(state)
        self.splitter.splitterMoved.connect(self._on_split_chosen)
        if not self._split_chosen:
            # The table's columns whole and names of a few words beside them, as far as the
            # window has room; the form (which scrolls) takes the rest.
            self._split_default()

    def _on_split_chosen(self) -> None:
        self._split_chosen = True

    def _split_default(self) -> None:
        # Sized first to the width the window's layout will give it: a splitter resized after
        # its sizes are set shares the difference by its stretch factors, not as set here.
        margins = self.centralWidget().layout().contentsMargins()
        outer = self.width() - margins.left() - margins.right()
        self.splitter.resize(outer, self.splitter.height())
        width = outer - self.splitter.handleWidth()
        jobs = min(self.jobs_panel.wanted_width(), round(width * JOBS_SHARE_AT_MOST))
        self.splitter.setSizes([jobs, width - jobs])

    def fit_to_screen(self) -> None:
        """Shrink and move the window, frame included, into its screen's available area."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        room = screen.availableGeometry()
        frame, inner = self.frameGeometry(), self.geometry()
        extra = QSize(frame.width() - inner.width(), frame.height() - inner.height())
        size = self.size().boundedTo(room.size() - extra)
        self.resize(size)
        outer = size + extra
        x = max(room.left(), min(frame.x(), room.right() + 1 - outer.width()))
        y = max(room.top(), min(frame.y(), room.bottom() + 1 - outer.height()))
        self.move(x, y)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._fitted_size is not None:
            # The window system's frame is known once shown: it must fit as well. (A size
            # given since, by a caller who chose it, stays.)
            if self.size() == self._fitted_size:
                self.fit_to_screen()
            self._fitted_size = None

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if self._closing:  # already closing: waiting for a start call's answer
            event.ignore()
            return
        # Nothing was sent yet: closing cancels the countdown (journaled) without a question.
        self.launcher.cancel_countdown()
        if self.launcher.sending and not self._unattended:
            confirmed = self._confirm_close()
            if not (confirmed or self._unattended):
                event.ignore()
                return
        self._closing = True
        try:
            # A start call in flight is not abandoned: its outcome reaches the journal first.
            self.launcher.wait_before_closing(self, demo=self.context.demo)
            self.stop_monitor()
            settings = self.context.settings
            settings.window_geometry = self.saveGeometry()
            settings.window_state = self.splitter.saveState()
            settings.sync()
        finally:
            self._closing = False
        event.accept()

    def close_unattended(self) -> None:
        """Close now, asking nothing (SIGTERM, SIGINT): open dialogs are dismissed as if
        cancelled; a start call in flight is waited for, up to its deadline."""
        if self._closing:
            return
        self._unattended = True
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        if not self._asking_close:  # else the close under way goes on once the question ends
            self.close()

    def _confirm_close(self) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            window_title(translate("MainWindow", "A job is starting"), self.context.demo),
            fill(
                translate(
                    "MainWindow",
                    "A job start is in progress and closing does not stop it. Dispatch Desktop "
                    "will wait for the start call's answer (at most until %1), record the outcome "
                    "in the launch journal, then close. Close anyway?",
                ),
                self.launcher.deadline_text(),
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        self._asking_close = True
        try:
            return box.exec() == QMessageBox.StandardButton.Yes
        finally:
            self._asking_close = False
