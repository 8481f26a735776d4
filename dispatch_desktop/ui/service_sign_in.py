"""The service account's sign-in: no dialog, with the API key of the policy's
``api_key_file`` (policy.py), retried with back-off while it fails (the server unreachable,
the network not up yet after boot), saying so: "Signing in… next try in 8 s".

The key is registered with the log redaction the moment it is read and goes nowhere but
into the client: not to the settings, not to the keyring, not to a log line.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from dispatch_desktop.api import AuthMethod
from dispatch_desktop.api.redaction import register_secret
from dispatch_desktop.policy import Policy
from dispatch_desktop.ui.common import error_sentence, fill, translate
from dispatch_desktop.ui.signin import SignInForm, connect
from dispatch_desktop.ui.workers import Task, TaskRunner

log = logging.getLogger(__name__)

FIRST_DELAY_SECONDS = 2
MAX_DELAY_SECONDS = 60


def retry_delay(
    failures: int, first: int = FIRST_DELAY_SECONDS, cap: int = MAX_DELAY_SECONDS
) -> int:
    """Seconds before the next try after ``failures`` failed ones: 2, 4, 8 … at most 60."""
    return min(cap, first * 2 ** max(0, failures - 1))


def service_form(policy: Policy, api_key: str) -> SignInForm:
    """The sign-in of the policy's service account with ``api_key``."""
    register_secret(api_key)
    assert policy.server is not None  # the policy refuses auto_sign_in without it
    return SignInForm(
        server=policy.server,
        use_api_key=True,
        username="",
        password="",
        api_key=api_key,
        auth=policy.auth if policy.auth is not None else AuthMethod.API_KEY_HEADER,
        http_method=policy.http_method or "POST",
        remember=False,  # never to the keyring: the key's place is the administrator's file
        allowed_jobs=policy.allowed_jobs,
    )


class ServiceSignIn(QObject):
    """Signs in with ``form`` until it succeeds: ``signed_in(SignedIn)`` once;
    ``state_changed(str)`` says what happens, for the window."""

    signed_in = Signal(object)
    state_changed = Signal(str)

    def __init__(
        self,
        form: SignInForm,
        runner: TaskRunner,
        parent: QObject | None = None,
        *,
        first_delay: int = FIRST_DELAY_SECONDS,
        max_delay: int = MAX_DELAY_SECONDS,
    ) -> None:
        super().__init__(parent)
        self._form = form
        self._runner = runner
        self._first_delay = first_delay
        self._max_delay = max_delay
        self.failures = 0
        self._reason = ""
        self._seconds_left = 0
        self._task: Task | None = None
        self._tick = QTimer(self)
        self._tick.setInterval(1_000)
        self._tick.timeout.connect(self._count_down)
        self.state = ""

    def start(self) -> None:
        """Try now (again, after a sign-in was lost)."""
        self._tick.stop()
        if self._task is not None:
            return
        self._say(translate("ServiceSignIn", "Signing in…"))
        form = self._form
        self._task = self._runner.submit(
            lambda: connect(form), "service account sign-in", self._on_signed_in, self._on_failed
        )

    def stop(self) -> None:
        """No more tries (the app ends)."""
        self._tick.stop()
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def _on_signed_in(self, session: object) -> None:
        self._task = None
        self.failures = 0
        self._say("")
        self.signed_in.emit(session)

    def _on_failed(self, error: BaseException) -> None:
        self._task = None
        self.failures += 1
        self._reason = error_sentence(error)
        log.warning("service account sign-in failed (%d in a row): %s", self.failures, self._reason)
        self._seconds_left = retry_delay(self.failures, self._first_delay, self._max_delay)
        self._show_countdown()
        self._tick.start()

    def _count_down(self) -> None:
        self._seconds_left -= 1
        if self._seconds_left <= 0:
            self.start()
        else:
            self._show_countdown()

    def _show_countdown(self) -> None:
        self._say(
            fill(
                translate("ServiceSignIn", "%1 Signing in… next try in %2 s."),
                self._reason,
                str(self._seconds_left),
            )
        )

    def _say(self, text: str) -> None:
        self.state = text
        self.state_changed.emit(text)
