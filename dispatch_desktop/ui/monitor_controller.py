"""The job monitor's plumbing, in one home: the event source (a receiver of this desktop's own,
or a shared one it follows), the monitor panel it feeds, the tray icon, and the retention of
job events. The main window only wires it.

Threads: the source starts, the events token is read from the keyring, the stores are read and
pruned on the task runner's threads, with plain values and no method of this object or of the
window; the results come back to the GUI thread as the runner's callbacks, and events through
the :class:`~dispatch_desktop.ui.monitor_panel.EventBridge`.

Retention: job events older than the setting's days (90 unless changed) are deleted at start and
once a day while the app runs, off the GUI thread and in short transactions; the launch journal
is never pruned (it is the audit trail of what was sent).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QStackedWidget

from dispatch_desktop.events.config import SourceConfig, SourceMode
from dispatch_desktop.monitor import JobMonitor, MonitorLoader
from dispatch_desktop.storage.paths import data_dir
from dispatch_desktop.storage.secrets import (
    SecretKind,
    SecretStore,
    SecretStoreUnavailable,
    SessionSecrets,
)
from dispatch_desktop.ui.common import error_sentence, fill, library_text, translate
from dispatch_desktop.ui.history_panel import DEMO_MODES, REAL_MODES
from dispatch_desktop.ui.monitor_panel import EventBridge, MonitorPanel
from dispatch_desktop.ui.tray import TrayNotifier

if TYPE_CHECKING:
    from dispatch_desktop.events.source import EventSource
    from dispatch_desktop.events.store import EventStore
    from dispatch_desktop.launcher import LaunchOutcome
    from dispatch_desktop.storage.journal import LaunchJournal, LaunchRecord
    from dispatch_desktop.ui.main_window import AppContext

log = logging.getLogger(__name__)

FOLLOW_ACCOUNT = "event-follower"
"""The keyring account of a shared receiver's events token."""
PRUNE_INTERVAL_MS = 24 * 60 * 60 * 1000
"""How often job events past their retention are deleted while the app runs."""


def follow_token(
    config: SourceConfig,
    session_secrets: SessionSecrets,
    secrets: SecretStore,
    report: Callable[[str], None],
) -> str:
    """Blocking: the shared receiver's events token, from this session or the keyring ("" and
    ``report`` is told why, in the library's words, when the keyring cannot be used)."""
    token = session_secrets.load(config.follow_url, FOLLOW_ACCOUNT, SecretKind.API_KEY)
    if token:
        return token
    try:
        return secrets.load(config.follow_url, FOLLOW_ACCOUNT, SecretKind.API_KEY) or ""
    except SecretStoreUnavailable as exc:
        report(exc.args[0])
        return ""


class MonitorController(QObject):
    """Builds the monitor panel into ``page`` and the tray icon, and runs the event source the
    settings choose (in demo mode, a receiver of the demo's own).

    Signals: ``status(str)``, a sentence for the status bar; ``job_requested(object)``, the
    runtime id of a tray message the user clicked; ``notified(Notification)``, every
    notification made (also without a tray); ``pruned(object)``, how many events retention
    deleted."""

    status = Signal(str)
    job_requested = Signal(object)
    notified = Signal(object)
    pruned = Signal(object)
    # A sentence of the library (a Phrase, kept whole by an object signal) from a source's
    # thread; translated on the GUI thread.
    _library_status = Signal(object)

    def __init__(self, context: AppContext, page: QStackedWidget, parent: QObject) -> None:
        super().__init__(parent)
        self.context = context
        self.source: EventSource | None = None
        self._modes = DEMO_MODES if context.demo else REAL_MODES
        self._stop_pruning = threading.Event()
        self._pruning = False
        self.panel = MonitorPanel(parent=page, runner=context.runner)
        self.tray = TrayNotifier(self, enabled=context.settings.notifications_enabled)
        self.bridge = EventBridge(self)
        self.panel.job_changed.connect(self.tray.notify)
        self.panel.active_jobs_changed.connect(self.tray.set_active_count)
        self.panel.load_failed.connect(self._on_load_failed)
        self.tray.job_clicked.connect(self.job_requested)
        self.tray.notified.connect(self.notified)
        self.bridge.events_received.connect(self.panel.add_events)
        self._prune_timer = QTimer(self)
        self._prune_timer.setInterval(PRUNE_INTERVAL_MS)
        self._prune_timer.timeout.connect(self.prune)
        self._library_status.connect(self._say_library_status)
        page.addWidget(self.panel)
        page.setCurrentWidget(self.panel)

    @property
    def callback_url(self) -> str | None:
        """The URL to enter at LEKAB while this desktop's own receiver runs."""
        return self.source.callback_url if self.source is not None else None

    # -- the event source ---------------------------------------------------------------------

    def start(self, *, renew_token: bool = False) -> None:
        """Start the configured event source off the GUI thread (stopping the one running),
        then show the jobs of its event store and the journal."""
        from dispatch_desktop.events.source import EventSource  # after start-up

        self.stop()
        context = self.context
        config = context.settings.event_source()
        if context.demo:
            config = SourceConfig(mode=SourceMode.EMBEDDED)
        source = EventSource(
            config,
            data_dir(context.profile),
            self.bridge.deliver_many,
            self._library_status.emit,
            demo=context.demo,
        )
        self.source = source
        session_secrets, secrets = context.session_secrets, context.secrets
        report = self._library_status.emit

        def start() -> None:
            if config.mode is SourceMode.FOLLOW and not config.follow_token:
                token = follow_token(config, session_secrets, secrets, report)
                source.config = replace(config, follow_token=token)
            if renew_token:
                source.renew_token()
            source.start()

        context.runner.submit(
            start,
            "start job monitor",
            lambda _none: self._on_started(source),
            lambda error: self._on_failed(source, error),
        )

    def _on_started(self, source: EventSource) -> None:
        if source is not self.source:  # stopped (or replaced) while it started
            source.stop()
            return
        self.panel.set_monitor(JobMonitor(keep_timelines=False), self._loader(source.store))
        url = source.callback_url
        if url and self.context.demo and self.context.set_demo_callback_url is not None:
            self.context.set_demo_callback_url(url)
        self.prune()
        self._prune_timer.start()

    def _on_failed(self, source: EventSource, error: BaseException) -> None:
        if source is not self.source:
            return
        from dispatch_desktop.events.source import SourceError

        # The launches of the journal are still worth showing.
        self.panel.set_monitor(JobMonitor(keep_timelines=False), self._loader(None))
        if isinstance(error, SourceError):  # the library's sentence (a Phrase) or a store's
            reason = library_text(error.args[0])
        else:
            reason = error_sentence(error)
        self.status.emit(
            fill(translate("MonitorController", "The job monitor could not start: %1"), reason)
        )

    def _say_library_status(self, text: str) -> None:
        self.status.emit(library_text(text))

    def stop(self) -> None:
        """Stop receiving or following job events, and pruning (GUI thread; returns within a
        few seconds)."""
        self._prune_timer.stop()
        self._stop_pruning.set()
        self._stop_pruning = threading.Event()
        if self.source is not None:
            self.source.stop()
            self.source = None

    # -- what the window tells -----------------------------------------------------------------

    def set_server(self, server: str | None) -> None:
        """Show the jobs of ``server``, the server signed in to; ``None`` (signed out): none."""
        self.panel.set_server(server)

    def set_journal(self, journal: LaunchJournal | None) -> None:
        """The launch journal, once opened (the context has it): its launches join the
        monitor."""
        loader = self.panel.loader
        if self.panel.monitor is not None and loader is not None and loader.journal is not journal:
            self.panel.set_loader(self._loader(loader.store))

    def _loader(self, store: EventStore | None) -> MonitorLoader:
        """A loader of ``store`` and the journal, for the launches of this profile's world."""
        return MonitorLoader(store, self.context.journal, modes=self._modes)

    def launch_finished(self, outcome: LaunchOutcome, _plan: object = None) -> None:
        """A launch from this desktop ended: one the server started joins the monitor with
        what the journal recorded (read off the GUI thread)."""
        journal, runtimeid = self.context.journal, outcome.runtimeid
        if journal is None or runtimeid is None:
            return
        self.context.runner.submit(
            lambda: journal.find_by_runtime_id(runtimeid),
            "read the launch for the monitor",
            self._add_launch,
        )

    def _add_launch(self, record: LaunchRecord | None) -> None:
        if record is not None:
            self.panel.add_launch(record)

    def apply_settings(
        self,
        source: SourceConfig,
        notifications: bool,
        retention_days: int,
        *,
        renew_token: bool = False,
    ) -> None:
        """Settings → Job monitor was accepted: store the choices and restart the source when
        it changed (never in demo mode, whose receiver is its own)."""
        settings = self.context.settings
        settings.notifications_enabled = notifications
        self.tray.set_enabled(notifications)
        shorter = retention_days < settings.event_retention_days
        settings.event_retention_days = retention_days
        changed = source != settings.event_source() or bool(source.follow_token) or renew_token
        settings.set_event_source(source)
        if source.follow_token:
            self._keep_follow_token(source)
        if changed and not self.context.demo:
            self.start(renew_token=renew_token)
        elif shorter:
            self.prune()

    def _keep_follow_token(self, source: SourceConfig) -> None:
        """The events token goes to this session and, off the GUI thread, to the keyring."""
        secrets = self.context.secrets
        self.context.session_secrets.save(
            source.follow_url, FOLLOW_ACCOUNT, SecretKind.API_KEY, source.follow_token
        )
        self.context.runner.submit(
            lambda: secrets.save(
                source.follow_url, FOLLOW_ACCOUNT, SecretKind.API_KEY, source.follow_token
            ),
            "keep events token",
            None,
            lambda error: self.status.emit(error_sentence(error)),
        )

    # -- retention -----------------------------------------------------------------------------

    def prune(self) -> None:
        """Delete the job events older than the retention setting's days, off the GUI thread
        (one pruning at a time). The launch journal is never pruned."""
        store = self.source.store if self.source is not None else None
        if store is None or self._pruning:
            return
        days = self.context.settings.event_retention_days
        cutoff = datetime.now(UTC) - timedelta(days=days)
        stop = self._stop_pruning
        self._pruning = True
        self.context.runner.submit(
            lambda: store.prune(cutoff, stop),
            "prune job events",
            self._on_pruned,
            self._on_prune_failed,
        )

    def _on_pruned(self, count: int) -> None:
        self._pruning = False
        if count:
            log.info("Deleted %d job events older than the retention period.", count)
        self.pruned.emit(count)

    def _on_prune_failed(self, error: BaseException) -> None:
        self._pruning = False
        log.warning("Old job events could not be deleted: %s", error)

    def _on_load_failed(self, sentence: str) -> None:
        self.status.emit(
            fill(
                translate("MonitorController", "The job monitor could not read its jobs: %1"),
                sentence,
            )
        )
