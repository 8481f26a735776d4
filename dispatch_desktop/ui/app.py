"""Starts the desktop app, in the order a user needs it (bench/startup.py measures it):

1. the sign-in dialog, painted before the rest of the app is even imported;
2. the main window behind it, signed out; the dialog then moves onto it;
3. once the window is painted, off the GUI thread: the launch journal, the keyring, in demo
   mode the demo server (the dialog offers its address and can sign in only once it runs),
   then the job monitor.

``--demo`` starts it in the demo profile: settings, journal, job events and logs of its own
(storage/paths.py, docs/profiles.md), so a drill never shows up beside real callouts.

Before any of it the administrator's policy is read (policy.py, docs/policy.md): a policy that
cannot be used stops the app with its message, so it never opens unlocked. Then one app per
data folder (ui/single_instance.py): a second start raises the first one's window and ends.
With ``--kiosk`` or ``kiosk = true`` the kiosk window (ui/kiosk_window.py) stands in for the
main window and painted first in the same way; the policy's service account signs in without
a dialog (ui/service_sign_in.py)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
from collections.abc import Callable
from contextlib import ExitStack
from importlib import import_module
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from dispatch_desktop import __version__
from dispatch_desktop.api.redaction import register_secret
from dispatch_desktop.policy import NO_POLICY, Policy, PolicyError, load_policy, read_api_key_file
from dispatch_desktop.storage.paths import (
    Profile,
    config_dir,
    data_dir,
    journal_path,
    log_dir,
    use_policy_data_dir,
)
from dispatch_desktop.storage.secrets import SecretStore, SessionSecrets
from dispatch_desktop.ui.common import APP_NAME, fill, translate
from dispatch_desktop.ui.crash import CrashHandler, configure_logging
from dispatch_desktop.ui.language import choose_language, install_language
from dispatch_desktop.ui.settings import AppSettings
from dispatch_desktop.ui.signals import close_on_signals
from dispatch_desktop.ui.signin import SignInDialog, SignInForm
from dispatch_desktop.ui.single_instance import SingleInstance
from dispatch_desktop.ui.workers import TaskRunner

# The main window, the journal and the demo server are imported where they are first needed,
# after the sign-in dialog is painted: the user does not wait for code that can come later.
if TYPE_CHECKING:
    from dispatch_desktop.demo import DemoServer
    from dispatch_desktop.storage.journal import LaunchJournal
    from dispatch_desktop.ui.kiosk_window import KioskWindow
    from dispatch_desktop.ui.main_window import AppContext, MainWindow
    from dispatch_desktop.ui.service_sign_in import ServiceSignIn
    from dispatch_desktop.ui.signin import SignedIn

log = logging.getLogger(__name__)
SETTINGS_FILE_NAME = "settings.ini"
SHUTDOWN_WAIT_MS = 5_000
"""How long background work may still take once the window has closed. A start call in flight
had its answer or its deadline by then (the window waited for it, saying so)."""
FIRST_PAINT_WAIT_MS = 1_000
"""How long start-up waits for a window's first paint before it goes on anyway: a window that
is not exposed (e.g. opened on another workspace) is painted only once it is seen."""
DEMO_SPEED = 5.0
"""How much faster than real time the demo's responders answer."""
REFUSED_EXIT_CODE = 2
"""The exit code when the policy (or the service account's key file) cannot be used."""


def profile_of(args: argparse.Namespace) -> Profile:
    """The profile the command line asks for: demo with ``--demo``, else real."""
    return Profile.of(demo=args.demo)


def open_journal(profile: Profile) -> LaunchJournal | None:
    """The profile's launch journal, or ``None`` (and a log line) when it cannot be opened."""
    from dispatch_desktop.storage.journal import JournalError, LaunchJournal

    try:
        return LaunchJournal(journal_path(profile))
    except JournalError:
        log.exception("the launch journal could not be opened")
        return None


def read_settings(args: argparse.Namespace, policy: Policy = NO_POLICY) -> AppSettings:
    """The profile's settings under ``policy``, with the command line's server address
    (unless the policy sets the server)."""
    settings = AppSettings(config_dir(profile_of(args)) / SETTINGS_FILE_NAME, policy)
    if args.server:
        settings.server_url = args.server
    return settings


def read_start_policy() -> tuple[Policy, str | None]:
    """The administrator's policy and, when it names one, the service account's API key
    (masked in every log line from now on). Raises PolicyError: the app must not start."""
    policy = load_policy()
    if policy.api_key_file is None:
        return policy, None
    api_key = read_api_key_file(policy.api_key_file)
    register_secret(api_key)
    return policy, api_key


def can_show_windows() -> bool:
    """Whether Qt has somewhere to show a window (creating the application where it has not
    would end the process before the message is seen on stderr)."""
    if not sys.platform.startswith("linux"):
        return True
    return any(os.environ.get(name) for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"))


def refuse_to_start(message: str) -> int:
    """Say why the app does not start, on stderr and in a message box, and give the exit
    code: a kiosk whose policy has a typo must not open unlocked."""
    print(f"dispatch-desktop: {message}", file=sys.stderr)
    if can_show_windows():
        app = QApplication.instance() or QApplication(sys.argv[:1])
        assert isinstance(app, QApplication)
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            fill(translate("App", "%1 cannot start"), APP_NAME),
            message,
            QMessageBox.StandardButton.Close,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()
    return REFUSED_EXIT_CODE


def build_context(args: argparse.Namespace) -> AppContext:
    """Everything the windows share, without the journal and the demo server (they come once
    the window is on screen)."""
    from dispatch_desktop.ui.main_window import AppContext

    return AppContext(
        settings=read_settings(args),
        secrets=SecretStore(),
        runner=TaskRunner(),
        journal=None,
        demo=args.demo,
    )


def new_demo_server(args: argparse.Namespace) -> DemoServer:
    """The embedded demo server ``--demo`` asks for, not started."""
    # Imported here: the demo server is only part of the app in demo mode.
    from dispatch_desktop.demo import DemoServer

    return DemoServer(
        start_delay=args.demo_start_delay, speed=DEMO_SPEED, synthetic_jobs=args.demo_jobs
    )


def use_demo_server(context: AppContext, server: DemoServer) -> None:
    """Point ``context`` at the running demo server and its account."""
    from dispatch_desktop.demo import DEMO_PASSWORD, DEMO_USERNAME, tag_vocabulary

    context.demo_server = server.url
    context.set_demo_callback_url = lambda url: setattr(server, "callback_url", url)
    context.demo_credentials = (DEMO_USERNAME, DEMO_PASSWORD)
    context.demo_vocabulary = tag_vocabulary()


def start_demo_server(context: AppContext, args: argparse.Namespace, stack: ExitStack) -> None:
    """Start the embedded demo server now, in this thread, and pre-fill its account (tools)."""
    use_demo_server(context, stack.enter_context(new_demo_server(args)))


class DemoServerStarter:
    """Starts the demo server off the GUI thread, and stops it when the app ends, also when
    the app ends while it is still starting."""

    def __init__(self, args: argparse.Namespace) -> None:
        self._args = args
        self._lock = threading.Lock()
        self._server: DemoServer | None = None
        self._stopped = False

    def start(self) -> DemoServer:
        """Blocking: import, bind and start the demo server."""
        server = new_demo_server(self._args).start()
        with self._lock:
            if not self._stopped:
                self._server = server
                return server
        server.stop()
        raise RuntimeError("the app ended while the demo server was starting")

    def stop(self) -> None:
        """Stop the server, if it runs; one that is still starting stops as soon as it runs."""
        with self._lock:
            self._stopped = True
            server, self._server = self._server, None
        if server is not None:
            server.stop()


class _AfterFirstPaint(QObject):
    """Calls ``then()`` once, as soon as ``widget``'s first paint is over (or after
    :data:`FIRST_PAINT_WAIT_MS` when no paint came by then). Showing a window only asks for a
    paint: a zero-delay timer started with it may well run before the paint."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._then: Callable[[], None] | None = then
        widget.installEventFilter(self)
        QTimer.singleShot(FIRST_PAINT_WAIT_MS, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._run)  # once this paint has ended
        return False

    def _run(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            self._widget.removeEventFilter(self)
            then()


def after_first_paint(widget: QWidget, then: Callable[[], None]) -> None:
    """Call ``then()`` once ``widget`` (shown, or about to be) has been painted."""
    _AfterFirstPaint(widget, then)


class StartUp:
    """The app's start: the sign-in dialog, the main window, then the background work (see
    the module's docstring). :func:`run` makes one; tests drive one without ``exec()``.

    ``policy`` is the administrator's; ``api_key`` the service account's key read from its
    file. With ``auto_sign_in`` there is no dialog: the window comes first and the service
    account signs in after its first paint, retrying while the server is unreachable."""

    def __init__(
        self,
        args: argparse.Namespace,
        stack: ExitStack,
        *,
        policy: Policy = NO_POLICY,
        api_key: str | None = None,
    ) -> None:
        self.args = args
        self.policy = policy
        self.api_key = api_key
        self.settings = read_settings(args, policy)
        self.secrets = SecretStore()
        self.session_secrets = SessionSecrets()
        self.runner = TaskRunner()
        self.dialog: SignInDialog | None = None
        self.window: MainWindow | KioskWindow | None = None
        self.service: ServiceSignIn | None = None
        self._session: SignedIn | None = None
        self._closing = False
        self._demo_server = DemoServerStarter(args)
        stack.callback(self._demo_server.stop)
        stack.callback(self._stop_service)

    @property
    def signs_in_as_service(self) -> bool:
        """The policy's service account signs in, without a dialog."""
        return bool(self.policy.auto_sign_in and self.api_key and not self.args.demo)

    def begin(self) -> None:
        """Show the sign-in dialog; the main window follows its first paint. Without a
        dialog (a service account), the main window at once."""
        if self.signs_in_as_service:
            self._show_window()
            return
        dialog = SignInDialog(
            self.settings,
            self.secrets,
            self.session_secrets,
            self.runner,
            demo=self.args.demo,
            defer_keyring=True,
        )
        if self.api_key is not None and not self.args.demo:
            dialog.use_service_key(self.api_key)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.finished.connect(self._on_sign_in_finished)
        self.dialog = dialog
        dialog.show()
        after_first_paint(dialog, self._show_window)

    def context(self) -> AppContext:
        """What the windows share."""
        from dispatch_desktop.ui.main_window import AppContext

        return AppContext(
            settings=self.settings,
            secrets=self.secrets,
            runner=self.runner,
            journal=None,
            session_secrets=self.session_secrets,
            demo=self.args.demo,
        )

    def _show_window(self) -> None:
        if self._closing:
            return
        from dispatch_desktop.ui.main_window import MainWindow

        window = MainWindow(self.context())
        self.window = window
        window.show()
        if self.dialog is not None:
            self._move_dialog_onto(window, self.dialog)
        elif self._session is not None:
            window.take_session(self._session)
            self._session = None
        after_first_paint(window, self._begin_background_work)

    @staticmethod
    def _move_dialog_onto(window: QWidget, dialog: SignInDialog) -> None:
        """Make the dialog the window's own, where it already is: a window of its own could be
        stacked under the main window that came after it."""
        where = dialog.pos()
        dialog.setParent(window, dialog.windowFlags())  # this hides it
        dialog.move(where)
        dialog.show()
        # Shown again, an X window keeps its place in the stack: with no window manager to
        # honour "transient for" (a bare X server, some kiosks) the modal dialog would stay
        # under the main window, and the app would look frozen.
        dialog.raise_()
        dialog.activateWindow()

    def _begin_background_work(self) -> None:
        window = self.window
        if window is None or self._closing or not window.isVisible():
            return  # closed already (a signal came first)
        log.info("window shown; asking to sign in")
        profile = window.context.profile
        self.runner.submit(lambda: open_journal(profile), "open launch journal", window.set_journal)
        if self.dialog is not None:
            self.dialog.start_keyring_work()
        if self.args.demo:
            self.runner.submit(
                self._demo_server.start,
                "start demo server",
                self._on_demo_server_started,
                self._on_demo_server_failed,
            )
        else:
            self._start_monitor()
            if self.signs_in_as_service:
                from dispatch_desktop.ui.service_sign_in import service_form

                assert self.api_key is not None
                self.sign_in_as_service(service_form(self.policy, self.api_key))

    def sign_in_as_service(self, form: SignInForm) -> None:
        """Sign in with ``form`` and no dialog, retrying with back-off; the window shows how
        it goes."""
        from dispatch_desktop.ui.service_sign_in import ServiceSignIn

        window = self.window
        assert window is not None
        if self.service is None:
            self.service = ServiceSignIn(form, self.runner, window)
            self.service.state_changed.connect(self._show_sign_in_state)
            self.service.signed_in.connect(window.take_session)
        self.service.start()

    def _show_sign_in_state(self, text: str) -> None:
        if self.window is not None:
            self.window.show_status(text)

    def _stop_service(self) -> None:
        if self.service is not None:
            self.service.stop()

    def _on_demo_server_started(self, server: DemoServer) -> None:
        window = self.window
        assert window is not None
        use_demo_server(window.context, server)
        window.refresh_vocabulary()
        credentials = window.context.demo_credentials
        if self.dialog is not None and credentials is not None:
            self.dialog.use_demo_server(server.url, credentials)
        self._start_monitor()

    def _on_demo_server_failed(self, error: BaseException) -> None:
        log.error("the demo server could not start: %s", error)
        message = translate("App", "The demo server could not start; see the log file.")
        if self.dialog is not None:
            self.dialog.demo_server_failed(message)

    def _start_monitor(self) -> None:
        """Start the job monitor once its modules (requests among them) are loaded, off the
        GUI thread."""
        window = self.window
        assert window is not None

        def start(_module: object) -> None:
            if window.isVisible():
                window.start_monitor()

        self.runner.submit(
            lambda: import_module("dispatch_desktop.events.source"), "load the job monitor", start
        )

    def _on_sign_in_finished(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is None:
            return
        session = dialog.result_session
        dialog.deleteLater()
        if session is None:
            return
        if self.window is not None:
            self.window.take_session(session)
        else:  # signed in before the window was built: it takes the session when it is
            self._session = session

    def raise_window(self) -> None:
        """A second start asked for this app (ui/single_instance.py): show its window."""
        if self.window is not None:
            self.window.raise_window()

    def close_unattended(self) -> None:
        """SIGTERM, SIGINT: close as the window's close button does, asking nothing."""
        self._closing = True
        self._stop_service()
        if self.window is not None:
            self.window.close_unattended()
            return
        if self.dialog is not None:
            self.dialog.reject()
        QApplication.quit()


class KioskStartUp(StartUp):
    """The kiosk's start: the full-screen kiosk window first, then the same background work;
    it signs in with the service account (in demo mode: the demo account), else with the
    sign-in dialog on top of it."""

    def begin(self) -> None:
        from dispatch_desktop.ui.kiosk_window import KioskWindow

        window = KioskWindow(self.context())
        self.window = window
        window.sign_in_needed.connect(self._sign_in_again)
        window.fill_screen()
        after_first_paint(window, self._begin_background_work)

    def _begin_background_work(self) -> None:
        super()._begin_background_work()
        window = self.window
        if window is None or self._closing or self.args.demo or self.signs_in_as_service:
            return
        self._sign_in_again()

    def _sign_in_again(self) -> None:
        window = self.window
        if window is None or self._closing:
            return
        if self.service is not None:
            self.service.start()
            return
        dialog = SignInDialog(
            self.settings, self.secrets, self.session_secrets, self.runner, parent=window
        )
        if self.api_key is not None:
            dialog.use_service_key(self.api_key)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._take_dialog_session(dialog))
        dialog.rejected.connect(window.offer_sign_in)
        dialog.open()

    def _take_dialog_session(self, dialog: SignInDialog) -> None:
        if self.window is not None and dialog.result_session is not None:
            self.window.take_session(dialog.result_session)

    def _on_demo_server_started(self, server: DemoServer) -> None:
        window = self.window
        assert window is not None
        use_demo_server(window.context, server)
        self._start_monitor()
        # The demo account is public: a kiosk in demo mode signs in to it as a service does.
        self.sign_in_as_service(SignInForm.demo_account(server.url, self.policy.allowed_jobs))

    def _on_demo_server_failed(self, error: BaseException) -> None:
        super()._on_demo_server_failed(error)
        if self.window is not None:
            self.window.show_status(
                translate("App", "The demo server could not start; see the log file.")
            )


def prepare(args: argparse.Namespace, policy: Policy = NO_POLICY) -> QApplication:
    """The application object, named and with its icon; logging to the profile's log file;
    the crash handler; the interface language (the policy's, when it sets one)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("dispatch-desktop")  # Wayland: the entry's name and icon, not "python3"
    app.setWindowIcon(QIcon.fromTheme("dispatch-desktop", QIcon.fromTheme("mail-send")))
    log_file = configure_logging(log_dir(profile_of(args)))
    CrashHandler(log_file, demo=args.demo).install()
    chosen = AppSettings(config_dir(profile_of(args)) / SETTINGS_FILE_NAME, policy).language
    install_language(
        app, choose_language(args.language, chosen, os.environ, policy_language=policy.language)
    )
    return app


def run(args: argparse.Namespace) -> int:
    """Run the app until its window closes; return the exit code.

    The policy first: one that cannot be used stops the app (exit code 2). Then one app per
    data folder: a second start raises the first one's window and ends (exit code 0). The
    sign-in dialog appears first (the kiosk window, in kiosk mode), then the signed-out main
    window behind it; network, keyring and demo-server work begin only once both are painted.
    SIGTERM and SIGINT close the window as its close button does, without asking.
    """
    try:
        policy, api_key = read_start_policy()
    except PolicyError as refused:
        return refuse_to_start(str(refused))
    use_policy_data_dir(policy.data_dir)
    app = prepare(args, policy)
    instance = SingleInstance(data_dir(profile_of(args)))
    if not instance.claim():
        return 0
    kiosk = bool(args.kiosk or policy.kiosk)
    with ExitStack() as stack:
        stack.callback(instance.release)
        start = (KioskStartUp if kiosk else StartUp)(args, stack, policy=policy, api_key=api_key)
        instance.raise_requested.connect(start.raise_window)
        stack.callback(close_on_signals(start.close_unattended).uninstall)
        start.begin()
        code = app.exec()
        finish_background_work(start.runner, code)
        return code


def finish_background_work(runner: TaskRunner, code: int) -> None:
    """Give work still running (a sign-in, a refresh) :data:`SHUTDOWN_WAIT_MS` to end, then
    leave without it: Qt's thread pool would otherwise keep the process alive, windowless,
    until a network call or a keyring prompt ends. The journal and settings are written by
    then."""
    if runner.wait_for_done(SHUTDOWN_WAIT_MS):
        return
    log.warning("leaving while background work still runs: %s", ", ".join(runner.running()))
    logging.shutdown()
    os._exit(code)
