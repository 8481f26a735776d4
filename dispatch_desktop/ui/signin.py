"""The sign-in dialog: server, credentials, how they travel, and the keyring.

Signing in lists the saved jobs off the GUI thread; the keyring is also read and written off
the GUI thread (an unlock prompt may block). Secrets go to the keyring only, never to settings.

At start-up the dialog is the first thing painted (ui/app.py): its keyring work can be held
back until the main window is painted, and in demo mode it waits, unable to sign in, until the
demo server runs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dispatch_desktop.api import (
    AuthMethod,
    Credentials,
    SavedJob,
    ValidationError,
)
from dispatch_desktop.joblist import allowed_only
from dispatch_desktop.storage.secrets import (
    SecretKind,
    SecretStore,
    SecretStoreStatus,
    SecretStoreUnavailable,
    SessionSecrets,
)
from dispatch_desktop.ui import colors
from dispatch_desktop.ui.common import (
    PlainLabel,
    demo_banner,
    error_sentence,
    fill,
    library_text,
    tooltip,
    translate,
    window_title,
)
from dispatch_desktop.ui.policy_lock import enable_unless_locked, lock
from dispatch_desktop.ui.settings import AppSettings
from dispatch_desktop.ui.workers import Task, TaskRunner

if TYPE_CHECKING:
    from dispatch_desktop.api.client import DispatchClient

log = logging.getLogger(__name__)

# The label under which an API key is kept in the keyring (one key per server).
API_KEY_ACCOUNT = "default"

_PASSWORD_METHODS = (AuthMethod.FIELDS, AuthMethod.BASIC, AuthMethod.LEKAB_HEADERS)
_API_KEY_METHODS = (AuthMethod.API_KEY_FIELD, AuthMethod.API_KEY_HEADER)
_METHOD_LABELS = {
    AuthMethod.FIELDS: QT_TRANSLATE_NOOP("Signin", "In the request (username/password, U/P)"),
    AuthMethod.BASIC: QT_TRANSLATE_NOOP("Signin", "HTTP Basic authentication"),
    AuthMethod.LEKAB_HEADERS: QT_TRANSLATE_NOOP(
        "Signin", "X-Lekab-Userid / X-Lekab-Password headers"
    ),
    AuthMethod.API_KEY_FIELD: QT_TRANSLATE_NOOP("Signin", "In the request (apikey, key)"),
    AuthMethod.API_KEY_HEADER: QT_TRANSLATE_NOOP("Signin", "X-API-Key header"),
}


@dataclass
class SignedIn:
    """The outcome of a successful sign-in."""

    client: DispatchClient
    server: str
    user: str
    jobs: list[SavedJob]
    refreshed_at: datetime
    keyring_message: str = ""
    warnings: list[str] = field(default_factory=list)
    secret_address: tuple[str, str, SecretKind] | None = None
    """Where :class:`SessionSecrets` keeps this session's password or API key (server,
    account, kind): a sign-out forgets it there."""


@dataclass(frozen=True)
class SignInForm:
    """What the user typed, as plain values (for the background task)."""

    server: str
    use_api_key: bool
    username: str
    password: str
    api_key: str
    auth: AuthMethod
    http_method: str
    remember: bool
    allowed_jobs: frozenset[int] | None = None
    """The administrator's allowed jobs (policy.py): the only ones listed and started."""

    @classmethod
    def demo_account(cls, server: str, allowed_jobs: frozenset[int] | None = None) -> SignInForm:
        """The built-in demo server's public account at ``server``, never remembered."""
        from dispatch_desktop.demo import DEMO_PASSWORD, DEMO_USERNAME  # only in demo mode

        return cls(
            server=server,
            use_api_key=False,
            username=DEMO_USERNAME,
            password=DEMO_PASSWORD,
            api_key="",
            auth=AuthMethod.FIELDS,
            http_method="POST",
            remember=False,
            allowed_jobs=allowed_jobs,
        )

    @property
    def account(self) -> str:
        """The keyring account of the secret."""
        return API_KEY_ACCOUNT if self.use_api_key else self.username

    @property
    def kind(self) -> SecretKind:
        """Which kind of secret this form carries."""
        return SecretKind.API_KEY if self.use_api_key else SecretKind.PASSWORD

    @property
    def secret(self) -> str:
        """The password or API key."""
        return self.api_key if self.use_api_key else self.password

    @property
    def user_label(self) -> str:
        """Who is signed in, as the journal and the status bar name it (never a secret)."""
        return "API key" if self.use_api_key else self.username

    def credentials(self) -> Credentials:
        """The library's credentials for this form."""
        if self.use_api_key:
            return Credentials(api_key=self.api_key)
        return Credentials(username=self.username, password=self.password)


def connect(form: SignInForm) -> SignedIn:
    """Blocking: sign in by listing the saved jobs (the allowed ones only); the keyring is
    left alone (a service account's key lives in a file, policy.py)."""
    from dispatch_desktop.api.client import DispatchClient  # requests: only when signing in

    client = DispatchClient(
        form.server,
        form.credentials(),
        auth=form.auth,
        http_method=form.http_method,
        allowed_jobs=form.allowed_jobs,  # the library refuses any other id too
    )
    try:
        jobs = allowed_only(client.list_saved_jobs(), form.allowed_jobs)
    except BaseException:
        client.close()
        raise
    return SignedIn(client, client.base_url, form.user_label, jobs, datetime.now())


def sign_in(form: SignInForm, secrets: SecretStore) -> SignedIn:
    """Blocking: list the saved jobs, then keep or forget the secret as asked."""
    session = connect(form)
    keyring_message = ""
    try:
        if form.remember:
            secrets.save(form.server, form.account, form.kind, form.secret)
        else:
            secrets.forget(form.server, form.account, form.kind)
    except SecretStoreUnavailable as exc:
        # Only a failed "remember" concerns the user: without a keyring nothing is stored
        # that would need forgetting.
        if form.remember:
            keyring_message = exc.args[0]  # a Phrase: the GUI thread translates it
        else:
            log.info("could not forget a stored secret: %s", exc)
    return replace(session, keyring_message=keyring_message)


class SignInDialog(QDialog):
    """Asks for the server and credentials and signs in off the GUI thread."""

    def __init__(
        self,
        settings: AppSettings,
        secrets: SecretStore,
        session_secrets: SessionSecrets,
        runner: TaskRunner,
        *,
        demo: bool = False,
        demo_credentials: tuple[str, str] | None = None,
        demo_server: str | None = None,
        defer_keyring: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.secrets = secrets
        self.session_secrets = session_secrets
        self.runner = runner
        self.demo = demo
        self.result_session: SignedIn | None = None
        self._task: Task | None = None
        self._keyring_usable = True
        self._focus_before: QWidget | None = None
        # False until start_keyring_work() when the caller holds the keyring back (start-up).
        self._keyring_started = not defer_keyring
        self.setWindowTitle(window_title(translate("Signin", "Sign in"), demo))
        self._build()
        self._load_settings(demo_server, demo_credentials)
        if self._keyring_started:
            self._check_keyring()

    # -- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.server = QLineEdit(self)
        self.server.setAccessibleName(translate("Signin", "Server address"))
        self.password_choice = QRadioButton(translate("Signin", "&Username and password"), self)
        self.api_key_choice = QRadioButton(translate("Signin", "API &key"), self)
        kinds = QButtonGroup(self)
        kinds.addButton(self.password_choice)
        kinds.addButton(self.api_key_choice)
        self.password_choice.setChecked(True)
        self.password_choice.toggled.connect(self._on_kind_changed)
        self.username = QLineEdit(self)
        self.username.setAccessibleName(translate("Signin", "Username"))
        self.username.editingFinished.connect(self._load_stored_secret)
        self.password = QLineEdit(self)
        self.password.setAccessibleName(translate("Signin", "Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key = QLineEdit(self)
        self.api_key.setAccessibleName(translate("Signin", "API key"))
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(
            translate("Signin", "&Remember credentials in the system keyring"), self
        )
        self.remember.setAccessibleName(translate("Signin", "Remember credentials"))
        self.forget_button = QPushButton(translate("Signin", "&Forget"), self)
        self.forget_button.setAccessibleName(translate("Signin", "Forget stored credentials"))
        self.forget_button.setToolTip(
            translate("Signin", "Remove the stored secret from the keyring")
        )
        self.forget_button.clicked.connect(self._forget)
        # Enter anywhere in the dialog signs in (Escape cancels): a button that merely has
        # the focus (e.g. after the fields were disabled while signing in) never takes it.
        self.forget_button.setAutoDefault(False)
        self.keyring_label = PlainLabel("", self)
        self.keyring_label.setWordWrap(True)
        self.keyring_label.setAccessibleName(translate("Signin", "Keyring status"))

        # A disclosure button, not a check box: it changes nothing by itself.
        self.advanced = QToolButton(self)
        self.advanced.setText(translate("Signin", "Ad&vanced"))
        self.advanced.setAccessibleName(translate("Signin", "Advanced"))
        self.advanced.setCheckable(True)
        self.advanced.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced.setAutoRaise(True)
        self.advanced_box = QWidget(self)
        self.auth_method = QComboBox(self.advanced_box)
        self.auth_method.setAccessibleName(translate("Signin", "Credentials travel"))
        self.http_method = QComboBox(self.advanced_box)
        self.http_method.setAccessibleName(translate("Signin", "HTTP method"))
        self.http_method.addItem(translate("Signin", "POST (JSON body)"), "POST")
        self.http_method.addItem(translate("Signin", "GET (query parameters)"), "GET")
        advanced_form = QFormLayout(self.advanced_box)
        advanced_form.addRow(translate("Signin", "Credentials travel:"), self.auth_method)
        advanced_form.addRow(translate("Signin", "Requests use:"), self.http_method)
        self.advanced.toggled.connect(self._show_advanced)
        self._show_advanced(False)

        # Plain text: the reason may quote the server's answer.
        self.error_label = PlainLabel("", self)
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName(translate("Signin", "Sign-in error"))
        colors.show_as_error(self.error_label)
        self.error_label.hide()
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName(translate("Signin", "Signing in"))
        self.progress.hide()

        self.sign_in_button = QPushButton(translate("Signin", "&Sign in"), self)
        self.sign_in_button.setAccessibleName(translate("Signin", "Sign in"))
        self.sign_in_button.setDefault(True)
        self.sign_in_button.clicked.connect(self._sign_in)
        self.cancel_button = QPushButton(translate("Signin", "Cancel"), self)
        self.cancel_button.setAccessibleName(translate("Signin", "Cancel"))
        self.cancel_button.clicked.connect(self._cancel)
        self.cancel_button.setAutoDefault(False)

        form = QFormLayout()
        form.addRow(translate("Signin", "S&erver address:"), self.server)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.password_choice)
        kind_row.addWidget(self.api_key_choice)
        kind_row.addStretch(1)
        form.addRow(translate("Signin", "Sign in with:"), kind_row)
        form.addRow(translate("Signin", "User&name:"), self.username)
        form.addRow(translate("Signin", "&Password:"), self.password)
        form.addRow(translate("Signin", "API ke&y:"), self.api_key)
        self._form = form
        remember_row = QHBoxLayout()
        remember_row.addWidget(self.remember, 1)
        remember_row.addWidget(self.forget_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.sign_in_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        if self.demo:
            layout.addWidget(demo_banner(self))
        layout.addLayout(form)
        layout.addLayout(remember_row)
        layout.addWidget(self.keyring_label)
        layout.addWidget(self.advanced)
        layout.addWidget(self.advanced_box)
        layout.addWidget(self.error_label)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        self.setMinimumWidth(520)

    def _show_advanced(self, shown: bool) -> None:
        self.advanced_box.setVisible(shown)
        self.advanced.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    def _fill_auth_methods(self, selected: AuthMethod) -> None:
        methods = _API_KEY_METHODS if self.api_key_choice.isChecked() else _PASSWORD_METHODS
        self.auth_method.clear()
        for method in methods:
            self.auth_method.addItem(translate("Signin", _METHOD_LABELS[method]), method)
        index = self.auth_method.findData(selected)
        self.auth_method.setCurrentIndex(max(index, 0))

    def _on_kind_changed(self) -> None:
        use_key = self.api_key_choice.isChecked()
        for widget in (self.username, self.password):
            widget.setVisible(not use_key)
            self._form.labelForField(widget).setVisible(not use_key)
        self.api_key.setVisible(use_key)
        self._form.labelForField(self.api_key).setVisible(use_key)
        self._fill_auth_methods(self.auth_method.currentData() or AuthMethod.FIELDS)
        self._load_stored_secret()

    # -- settings and keyring -------------------------------------------------------------------

    def _load_settings(
        self, demo_server: str | None, demo_credentials: tuple[str, str] | None
    ) -> None:
        s = self.settings
        # In demo mode the address is the built-in demo server's and cannot be changed; until
        # that server runs (start-up) there is none, and the dialog signs in nowhere.
        self._demo_server: str | None = None
        if self.demo and not demo_server:
            self._wait_for_demo_server()
        elif self.demo:
            self._lock_address(demo_server)
        else:
            self.server.setText(demo_server or s.server_url)
        auth = s.auth_method
        self.api_key_choice.setChecked(auth.uses_api_key)
        self.password_choice.setChecked(not auth.uses_api_key)
        self._on_kind_changed()
        self._fill_auth_methods(auth)
        self.http_method.setCurrentIndex(max(self.http_method.findData(s.http_method), 0))
        # Open "Advanced" when it holds a choice that is not the default, so it is seen.
        self.advanced.setChecked(
            auth not in (AuthMethod.FIELDS, AuthMethod.API_KEY_FIELD) or s.http_method != "POST"
        )
        self.remember.setChecked(s.remember_credentials)
        if demo_credentials is not None:
            self._fill_account(demo_credentials)
        else:
            self.username.setText(s.username)
            self._load_stored_secret()
        self._lock_policy_values()
        focus = self.password if self.username.text() else self.username
        focus.setFocus()

    def _lock_policy_values(self) -> None:
        """Grey what the administrator set (the settings give the policy's values)."""
        policy = self.settings.policy
        if policy.server is not None and not self.demo:
            lock([self.server])
        if policy.auth is not None:
            lock([self.auth_method, self.password_choice, self.api_key_choice])
        if policy.http_method is not None:
            lock([self.http_method])
        if policy.auth is not None or policy.http_method is not None:
            self.advanced.setChecked(True)  # a locked value is seen, not hidden

    def use_service_key(self, api_key: str) -> None:
        """The policy's service-account key (``api_key_file`` without ``auto_sign_in``):
        chosen, filled in (hidden) and locked; never remembered in the keyring."""
        self.api_key_choice.setChecked(True)
        self.api_key.setText(api_key)
        self.remember.setChecked(False)
        lock([self.api_key, self.password_choice, self.api_key_choice])
        lock([self.remember, self.forget_button])

    def _lock_address(self, demo_server: str) -> None:
        self._demo_server = demo_server.rstrip("/")
        self.server.setText(demo_server)
        self.server.setReadOnly(True)
        self.server.setPlaceholderText("")
        self.server.setToolTip(
            translate(
                "Signin",
                "In demo mode Dispatch Desktop talks only to its built-in demo server. "
                "To use a real server, start it without --demo.",
            )
        )

    def _fill_account(self, credentials: tuple[str, str]) -> None:
        self.password_choice.setChecked(True)
        self.username.setText(credentials[0])
        self.password.setText(credentials[1])

    def _wait_for_demo_server(self) -> None:
        self.server.clear()
        self.server.setReadOnly(True)
        self.server.setPlaceholderText(translate("Signin", "Starting the demo server…"))
        self.sign_in_button.setEnabled(False)

    @property
    def waiting_for_demo_server(self) -> bool:
        """Demo mode before its server runs: nothing can be signed in to yet."""
        return self.demo and self._demo_server is None

    def use_demo_server(self, url: str, credentials: tuple[str, str]) -> None:
        """The demo server now runs at ``url``: offer it with its account, and sign in there."""
        self._lock_address(url)
        self._fill_account(credentials)
        self.sign_in_button.setEnabled(self._task is None)
        self.password.setFocus()  # as when the dialog opens with the account filled in

    def demo_server_failed(self, reason: str) -> None:
        """The demo server could not start: say why; signing in stays impossible."""
        self.server.setPlaceholderText("")
        self._show_error(reason)

    def _secret_field(self) -> QLineEdit:
        return self.api_key if self.api_key_choice.isChecked() else self.password

    def _secret_address(self) -> tuple[str, str, SecretKind] | None:
        server = self.server.text().strip().rstrip("/")
        if self.api_key_choice.isChecked():
            return (server, API_KEY_ACCOUNT, SecretKind.API_KEY) if server else None
        user = self.username.text().strip()
        return (server, user, SecretKind.PASSWORD) if server and user else None

    def start_keyring_work(self) -> None:
        """Ask the keyring whether it works, and for the stored secret, if the caller held
        that back (start-up: not before the main window is painted)."""
        if self._keyring_started:
            return
        self._keyring_started = True
        self._check_keyring()
        self._load_stored_secret()

    def _check_keyring(self) -> None:
        self.runner.submit(
            self.secrets.status, "keyring status", self._on_keyring_status, self._on_keyring_error
        )

    def _on_keyring_status(self, status: SecretStoreStatus) -> None:
        self._keyring_usable = status.usable
        enable_unless_locked(self.remember, status.usable)
        enable_unless_locked(self.forget_button, status.usable)
        if status.usable:
            self.keyring_label.setText(
                fill(translate("Signin", "Credentials are stored in: %1."), status.store)
            )
        else:
            self.remember.setChecked(False)
            message = library_text(status.message)
            self.remember.setToolTip(tooltip(message))
            self.keyring_label.setText(message)

    def _on_keyring_error(self, error: BaseException) -> None:
        self._on_keyring_status(SecretStoreStatus(False, "keyring", error_sentence(error)))

    def _load_stored_secret(self) -> None:
        address = self._secret_address()
        if address is None or self._secret_field().text():
            return
        session_secret = self.session_secrets.load(*address)
        if session_secret:
            self._secret_field().setText(session_secret)
            return
        if not (self._keyring_usable and self._keyring_started):
            return
        field_widget = self._secret_field()
        self.runner.submit(
            lambda: self.secrets.load(*address),
            "read stored secret",
            lambda secret: self._fill_secret(field_widget, address, secret),
            lambda error: self.keyring_label.setText(error_sentence(error)),
        )

    def _fill_secret(
        self, widget: QLineEdit, address: tuple[str, str, SecretKind], secret: Any
    ) -> None:
        if secret and not widget.text() and self._secret_address() == address:
            widget.setText(secret)

    def _forget(self) -> None:
        address = self._secret_address()
        if address is None:
            self.keyring_label.setText(
                translate("Signin", "Give the server and user whose secret to forget.")
            )
            return
        self.session_secrets.forget(*address)
        self._secret_field().clear()
        self.remember.setChecked(False)
        self.runner.submit(
            lambda: self.secrets.forget(*address),
            "forget stored secret",
            lambda _: self.keyring_label.setText(
                translate("Signin", "The stored API key was removed from the keyring.")
                if address[2] is SecretKind.API_KEY
                else translate("Signin", "The stored password was removed from the keyring.")
            ),
            lambda error: self.keyring_label.setText(error_sentence(error)),
        )

    # -- signing in -----------------------------------------------------------------------------

    def form_values(self) -> SignInForm:
        """The dialog's current values."""
        return SignInForm(
            server=self.server.text().strip(),
            use_api_key=self.api_key_choice.isChecked(),
            username=self.username.text().strip(),
            password=self.password.text(),
            api_key=self.api_key.text().strip(),
            auth=self.auth_method.currentData() or AuthMethod.FIELDS,
            http_method=self.http_method.currentData() or "POST",
            remember=self.remember.isChecked() and self._keyring_usable,
            allowed_jobs=self.settings.policy.allowed_jobs,
        )

    def _sign_in(self) -> None:
        if self._task is not None or self.waiting_for_demo_server:
            return  # Enter while the demo server starts: there is nowhere to sign in yet
        form = self.form_values()
        if self._demo_server is not None and form.server.rstrip("/") != self._demo_server:
            # Drill and live never mix: a window that says DEMO never talks to a real server.
            self._show_error(
                translate(
                    "Signin",
                    "In demo mode Dispatch Desktop talks only to its built-in demo server. "
                    "To use a real server, start it without --demo.",
                )
            )
            return
        # Imported here: the dialog is painted at start-up before these checks are compiled.
        from dispatch_desktop.api.validation import check_credentials, check_server_url

        try:
            # The client's own checks, here at once rather than after a network round trip.
            check_server_url(form.server)
            check_credentials(form.credentials(), form.auth)
        except ValidationError as exc:
            self._show_error(error_sentence(exc))
            return
        self._set_busy(True)
        self._task = self.runner.submit(
            lambda: sign_in(form, self.secrets),
            "sign in",
            lambda session: self._on_signed_in(form, session),
            self._on_failed,
        )

    def _on_signed_in(self, form: SignInForm, session: SignedIn) -> None:
        self._task = None
        self._set_busy(False)
        s = self.settings
        if not self.demo:
            s.server_url = session.server
        s.username = form.username
        s.auth_method = form.auth
        s.http_method = form.http_method
        s.remember_credentials = form.remember
        address = (form.server.rstrip("/"), form.account, form.kind)
        self.session_secrets.save(*address, form.secret)
        self.result_session = replace(session, secret_address=address)
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self._task = None
        self._set_busy(False)
        self._show_error(error_sentence(error))

    def _cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
            self._set_busy(False)
            self._show_error(translate("Signin", "Sign-in cancelled."))
            return
        self.reject()

    def _set_busy(self, busy: bool) -> None:
        inputs = (self.server, self.username, self.password, self.api_key)
        if busy:
            focused = self.focusWidget()
            self._focus_before = focused if focused in inputs else None
        self.progress.setVisible(busy)
        self.sign_in_button.setEnabled(not busy)
        for widget in (*inputs, self.advanced):
            enable_unless_locked(widget, not busy)
        if busy:
            self.error_label.hide()
        else:
            self._refocus_form()

    def _refocus_form(self) -> None:
        """After a failed or cancelled sign-in: back to the field the user was in (else the
        password or API key), all of it selected, so Enter tries again and typing replaces
        it. Disabling the fields moved the focus elsewhere, possibly onto a button."""
        field_widget = self._focus_before or self._secret_field()
        self._focus_before = None
        field_widget.setFocus()
        field_widget.selectAll()

    def _show_error(self, message: str) -> None:
        self.error_label.setText(
            message
            or translate("Signin", "Sign-in failed for an unexpected reason; see the log file.")
        )
        self.error_label.show()

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        # Escape while signing in cancels the request instead of closing the dialog.
        if event.key() == Qt.Key.Key_Escape and self._task is not None:
            self._cancel()
            return
        super().keyPressEvent(event)
