"""The sign-in dialog against the demo server over loopback, with a real (in-memory or
failing) keyring backend."""

from __future__ import annotations

import pytest
from conftest import demo_form
from keyring_memory import InMemoryKeyring
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from dispatch_desktop.api import AuthMethod
from dispatch_desktop.demo import DEMO_API_KEY, DemoServer
from dispatch_desktop.storage.secrets import SERVICE_NAME
from dispatch_desktop.ui.main_window import AppContext
from dispatch_desktop.ui.signin import SignInDialog


def open_dialog(
    qtbot, context: AppContext, *, demo_credentials: bool = False, demo: bool = True
) -> SignInDialog:
    dialog = SignInDialog(
        context.settings,
        context.secrets,
        context.session_secrets,
        context.runner,
        demo=demo,
        demo_credentials=context.demo_credentials if demo_credentials else None,
        demo_server=context.demo_server,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.keyring_label.text() != "", timeout=5000)
    return dialog


def choose_method(dialog: SignInDialog, auth: AuthMethod, http: str) -> None:
    dialog.advanced.setChecked(True)
    dialog.auth_method.setCurrentIndex(dialog.auth_method.findData(auth))
    dialog.http_method.setCurrentIndex(dialog.http_method.findData(http))


def sign_in_and_wait(qtbot, dialog: SignInDialog) -> None:
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: dialog.result_session is not None or dialog.error_label.isVisible(),
        timeout=10_000,
    )


@pytest.mark.parametrize(
    ("auth", "http"),
    [
        (AuthMethod.FIELDS, "POST"),
        (AuthMethod.BASIC, "GET"),
        (AuthMethod.LEKAB_HEADERS, "POST"),
    ],
)
def test_sign_in_with_username_and_password(qtbot, context, demo_server, auth, http) -> None:
    dialog = open_dialog(qtbot, context)
    qtbot.keyClicks(dialog.username, "demo")
    qtbot.keyClicks(dialog.password, "demo")
    choose_method(dialog, auth, http)
    sign_in_and_wait(qtbot, dialog)
    assert dialog.result_session is not None, dialog.error_label.text()
    assert len(dialog.result_session.jobs) >= 8
    assert context.settings.auth_method is auth
    assert context.settings.http_method == http


def test_a_non_default_transport_is_remembered_and_shown(qtbot, context) -> None:
    dialog = open_dialog(qtbot, context)
    assert not dialog.advanced_box.isVisible()
    qtbot.keyClicks(dialog.username, "demo")
    qtbot.keyClicks(dialog.password, "demo")
    choose_method(dialog, AuthMethod.LEKAB_HEADERS, "GET")
    sign_in_and_wait(qtbot, dialog)
    assert dialog.result_session is not None
    again = open_dialog(qtbot, context)
    assert again.advanced_box.isVisible()
    assert again.auth_method.currentData() is AuthMethod.LEKAB_HEADERS
    assert again.http_method.currentData() == "GET"


@pytest.mark.parametrize("auth", [AuthMethod.API_KEY_HEADER, AuthMethod.API_KEY_FIELD])
def test_sign_in_with_an_api_key(qtbot, context, auth) -> None:
    dialog = open_dialog(qtbot, context)
    dialog.api_key_choice.setChecked(True)
    assert dialog.api_key.isVisible()
    assert not dialog.password.isVisible()
    qtbot.keyClicks(dialog.api_key, DEMO_API_KEY)
    choose_method(dialog, auth, "GET")
    sign_in_and_wait(qtbot, dialog)
    assert dialog.result_session is not None, dialog.error_label.text()
    assert dialog.result_session.user == "API key"


def test_wrong_password_names_both_causes(qtbot, context, demo_server) -> None:
    dialog = open_dialog(qtbot, context)
    qtbot.keyClicks(dialog.username, "demo")
    qtbot.keyClicks(dialog.password, "wrong")
    sign_in_and_wait(qtbot, dialog)
    assert dialog.result_session is None
    message = dialog.error_label.text()
    assert "401" in message
    assert "address book" in message
    assert dialog.sign_in_button.isEnabled()


def test_unreachable_server_says_what_to_check(qtbot, context) -> None:
    dialog = open_dialog(qtbot, context, demo=False)
    dialog.server.setText("http://127.0.0.1:9/dispatch/api")
    qtbot.keyClicks(dialog.username, "demo")
    qtbot.keyClicks(dialog.password, "demo")
    sign_in_and_wait(qtbot, dialog)
    assert "Could not connect to 127.0.0.1" in dialog.error_label.text()


def test_plain_http_to_another_host_is_refused_before_sending(qtbot, context) -> None:
    dialog = open_dialog(qtbot, context, demo=False)
    dialog.server.setText("http://dispatch.example.com/dispatch/api")
    qtbot.keyClicks(dialog.username, "demo")
    qtbot.keyClicks(dialog.password, "demo")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert "https://" in dialog.error_label.text()
    assert not dialog.progress.isVisible()


def test_sign_in_can_be_cancelled(qtbot, context, demo_server) -> None:
    demo_server.list_fault = "hang"
    dialog = open_dialog(qtbot, context)
    qtbot.keyClicks(dialog.username, "demo")
    qtbot.keyClicks(dialog.password, "demo")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.progress.isVisible()
    assert not dialog.sign_in_button.isEnabled()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.sign_in_button.isEnabled()
    assert "cancelled" in dialog.error_label.text()
    assert dialog.isVisible()
    demo_server.stop()  # ends the hanging request so the worker thread finishes


def test_remembered_password_is_stored_read_back_and_forgotten(
    qtbot, context, demo_server, memory_keyring: InMemoryKeyring
) -> None:
    dialog = open_dialog(qtbot, context)
    assert "Credentials are stored in" in dialog.keyring_label.text()
    qtbot.keyClicks(dialog.username, "demo")
    qtbot.keyClicks(dialog.password, "demo")
    dialog.remember.setChecked(True)
    sign_in_and_wait(qtbot, dialog)
    assert dialog.result_session is not None
    assert list(memory_keyring.secrets.values()) == ["demo"]
    (service, account) = next(iter(memory_keyring.secrets))
    assert service == SERVICE_NAME
    assert demo_server.url in account
    assert "demo" in account
    context.settings.sync()
    settings_text = context.settings.path.read_text().lower()
    assert "password" not in settings_text
    assert "apikey" not in settings_text

    context.session_secrets.clear()
    again = open_dialog(qtbot, context)
    assert again.username.text() == "demo"
    qtbot.waitUntil(lambda: again.password.text() == "demo", timeout=5000)

    qtbot.mouseClick(again.forget_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "removed" in again.keyring_label.text(), timeout=5000)
    assert memory_keyring.secrets == {}
    assert again.password.text() == ""


def test_without_a_keyring_credentials_are_session_only(qtbot, context, no_keyring) -> None:
    dialog = open_dialog(qtbot, context)
    message = dialog.keyring_label.text()
    assert "session only" in message
    assert "not saved" in message
    assert not dialog.remember.isEnabled()
    qtbot.keyClicks(dialog.username, "demo")
    qtbot.keyClicks(dialog.password, "demo")
    sign_in_and_wait(qtbot, dialog)
    assert dialog.result_session is not None


def test_demo_mode_is_unmistakable(qtbot, context) -> None:
    dialog = open_dialog(qtbot, context, demo_credentials=True)
    assert dialog.windowTitle().startswith("[DEMO]")
    assert dialog.username.text() == "demo"
    assert dialog.password.text() == "demo"


def test_the_form_helper_matches_the_dialog(qtbot, context, demo_server: DemoServer) -> None:
    dialog = open_dialog(qtbot, context, demo_credentials=True)
    assert dialog.form_values() == demo_form(demo_server)


@pytest.mark.parametrize("keyring_backend", ["memory_keyring", "no_keyring"])
def test_after_a_wrong_password_enter_retries_with_the_password_kept(
    qtbot, context, demo_server: DemoServer, request: pytest.FixtureRequest, keyring_backend: str
) -> None:
    # Without a keyring, "Remember" and "Forget" are disabled: while signing in, the focus
    # used to fall onto Cancel, and Enter then closed the dialog with the password.
    request.getfixturevalue(keyring_backend)
    dialog = open_dialog(qtbot, context)
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    qtbot.keyClicks(dialog.username, "demo")
    dialog.password.setFocus()
    qtbot.keyClicks(dialog.password, "wrong")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(dialog.error_label.isVisible, timeout=10_000)
    assert demo_server.request_count("/listsavedjobs") == 1

    assert dialog.isVisible()
    assert dialog.password.text() == "wrong"
    assert dialog.focusWidget() is dialog.password
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: demo_server.request_count("/listsavedjobs") == 2, timeout=10_000)
    qtbot.waitUntil(dialog.error_label.isVisible, timeout=10_000)
    assert dialog.isVisible()
    assert dialog.password.text() == "wrong"

    # Typing replaces the kept password (it is selected); Enter signs in.
    assert dialog.focusWidget() is dialog.password
    qtbot.keyClicks(dialog.password, "demo")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.result_session is not None, timeout=10_000)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_enter_on_a_focused_button_signs_in_and_never_cancels(qtbot, context) -> None:
    dialog = open_dialog(qtbot, context)
    assert not dialog.cancel_button.autoDefault()
    assert not dialog.forget_button.autoDefault()
    assert dialog.sign_in_button.isDefault()


def test_demo_mode_talks_only_to_the_built_in_demo_server(qtbot, context, demo_server) -> None:
    """A window that says DEMO must never launch against a real server."""
    dialog = open_dialog(qtbot, context)
    assert dialog.server.isReadOnly()
    dialog.server.setText("https://secure.lekab.com/dispatch/api")  # forced past read-only
    qtbot.keyClicks(dialog.username, "demo")
    qtbot.keyClicks(dialog.password, "demo")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)

    assert "built-in demo server" in dialog.error_label.text()
    assert dialog.result_session is None
    assert not dialog.progress.isVisible()
