"""The administrator's policy in the app (issue 10 §1): read before any window, refused with
a message when it cannot be used, its values shown greyed "set by your administrator" and
never written to the user's settings, its allowed jobs the only ones listed, opened and
started."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from conftest import ModalHandler, demo_form
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from dispatch_desktop.api import SavedJob, StartJobRequest, ValidationError
from dispatch_desktop.cli import build_parser
from dispatch_desktop.demo import DemoServer
from dispatch_desktop.events.config import SourceConfig, SourceMode
from dispatch_desktop.policy import Policy, parse_policy
from dispatch_desktop.storage import paths
from dispatch_desktop.storage.journal import LaunchMode
from dispatch_desktop.ui import app
from dispatch_desktop.ui.main_window import AppContext, MainWindow
from dispatch_desktop.ui.settings import AppSettings
from dispatch_desktop.ui.settings_dialog import LaunchValues, SettingsDialog
from dispatch_desktop.ui.signin import SignInDialog, sign_in

OFFICE_PARTY = 352872112744058883
ALARM = 325961493210222597
LOCKED = "Set by your administrator"


def policy_of(text: str) -> Policy:
    return parse_policy(text, Path("/etc/xdg/dispatch-desktop/policy.ini"))


def assert_locked(*widgets: QWidget) -> None:
    for widget in widgets:
        assert not widget.isEnabled(), widget.accessibleName()
        assert widget.toolTip() == LOCKED
        assert widget.accessibleDescription() == LOCKED


@pytest.fixture
def policy_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "policy.ini"
    monkeypatch.setenv("DISPATCH_DESKTOP_POLICY", str(path))
    return path


@pytest.fixture
def policy_data_dir() -> Iterator[None]:
    yield
    paths.use_policy_data_dir(None)


# -- a policy that cannot be used stops the app ------------------------------------------------


def run_refused(modal: ModalHandler, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    shown: list[str] = []

    def read_and_close(box: QDialog) -> None:
        assert isinstance(box, QMessageBox)
        shown.append(box.text())
        box.reject()

    modal.then(read_and_close)
    code = app.run(build_parser().parse_args([]))
    assert modal.titles == ["Dispatch Desktop cannot start"]
    return code, shown[0] + "\n" + capsys.readouterr().err


def test_a_policy_with_a_typo_stops_the_app_with_a_message_box_and_on_stderr(
    qtbot, policy_file: Path, modal: ModalHandler, capsys: pytest.CaptureFixture[str]
) -> None:
    policy_file.write_text("[policy]\nkiosk = true\nallowed_job = 1\n", "utf-8")
    code, said = run_refused(modal, capsys)
    assert code == 2
    assert said.count("did you mean allowed_jobs?") == 2  # in the box and on stderr
    assert "Traceback" not in said


def test_a_service_key_file_others_can_read_stops_the_app(
    qtbot,
    policy_file: Path,
    tmp_path: Path,
    modal: ModalHandler,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key_file = tmp_path / "api-key"
    key_file.write_text("SECRET-KEY-123\n", "ascii")
    key_file.chmod(0o644)
    policy_file.write_text(
        "[policy]\nserver = https://dispatch.example.com/api\nauth = api-key-header\n"
        f"api_key_file = {key_file}\nauto_sign_in = true\n",
        "utf-8",
    )
    code, said = run_refused(modal, capsys)
    assert code == 2
    assert f"The API key file {key_file} is refused" in said
    assert "SECRET-KEY-123" not in said


def test_a_missing_named_policy_stops_the_app(
    qtbot, policy_file: Path, modal: ModalHandler, capsys: pytest.CaptureFixture[str]
) -> None:
    code, said = run_refused(modal, capsys)
    assert code == 2
    assert f"The policy file {policy_file} does not exist." in said


def test_the_policys_data_dir_wins_over_the_environment(
    tmp_path: Path, policy_data_dir: None
) -> None:
    chosen = tmp_path / "managed"
    assert os.environ["DISPATCH_DESKTOP_DATA_DIR"]  # the user's (the tests') own choice
    paths.use_policy_data_dir(chosen)
    args = build_parser().parse_args([])
    assert app.read_settings(args).path.parent == chosen / "config"
    assert paths.journal_path().parent == chosen / "data"
    assert paths.log_dir(paths.Profile.DEMO) == chosen / "logs" / "demo"


# -- values locked by the policy ----------------------------------------------------------------


def test_policy_values_override_the_users_and_are_never_written(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    users = AppSettings(path)
    users.undo_seconds = 7
    users.server_url = "https://mine.example.com/api"
    users.sync()
    policy = policy_of(
        "[policy]\nserver = https://dispatch.example.com/api\nundo_seconds = 2\n"
        "notifications = false\nmonitor_mode = follow\nfollow_url = https://events.example.com\n"
    )
    settings = AppSettings(path, policy)
    assert settings.undo_seconds == 2
    assert settings.server_url == "https://dispatch.example.com/api"
    assert settings.notifications_enabled is False
    assert settings.event_source().mode is SourceMode.FOLLOW
    settings.undo_seconds = 9
    settings.server_url = "https://elsewhere.example.com/api"
    settings.notifications_enabled = True
    settings.set_event_source(SourceConfig(SourceMode.EMBEDDED, "127.0.0.2", 9000))
    settings.sync()
    written = path.read_text("utf-8")
    assert "dispatch.example.com" not in written
    assert "elsewhere" not in written
    assert "follow" not in written
    again = AppSettings(path)  # the user's own values, as they were (port: not locked)
    assert again.undo_seconds == 7
    assert again.server_url == "https://mine.example.com/api"
    assert again.event_source().port == 9000


def test_the_sign_in_dialog_greys_the_server_and_methods_the_policy_sets(
    qtbot, context: AppContext, demo_server: DemoServer
) -> None:
    context.settings.policy = policy_of(
        f"[policy]\nserver = {demo_server.url}\nauth = fields\nhttp_method = POST\n"
    )
    dialog = SignInDialog(
        context.settings, context.secrets, context.session_secrets, context.runner
    )
    qtbot.addWidget(dialog)
    assert dialog.server.text() == demo_server.url
    assert_locked(dialog.server, dialog.auth_method, dialog.http_method)
    assert_locked(dialog.password_choice, dialog.api_key_choice)
    assert dialog.advanced_box.isVisibleTo(dialog)  # a locked value is seen
    dialog.username.setText("demo")
    dialog.password.setText("demo")
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: dialog.result_session is not None, timeout=10_000)
    # Busy and back: the locked fields stay locked.
    assert_locked(dialog.server)
    dialog.result_session.client.close()  # type: ignore[union-attr]
    context.settings.sync()
    assert demo_server.url not in context.settings.path.read_text("utf-8")


def test_the_settings_dialog_greys_what_the_policy_sets(qtbot) -> None:
    policy = policy_of(
        "[policy]\nundo_seconds = 3\nmonitor_mode = embedded\nmonitor_bind = 127.0.0.1\n"
        "notifications = true\nevent_retention_days = 30\n"
    )
    dialog = SettingsDialog(
        AppSettings().job_type_mapping(),
        [],
        demo=False,
        source=SourceConfig(SourceMode.EMBEDDED, "127.0.0.1", 8765),
        launching=LaunchValues(undo_seconds=3),
        retention_days=30,
        policy=policy,
    )
    qtbot.addWidget(dialog)
    monitor = dialog.monitor
    assert_locked(dialog.launching.undo_seconds, monitor.off, monitor.embedded, monitor.follow)
    assert_locked(monitor.bind, monitor.notifications, monitor.retention_days)
    assert monitor.port.isEnabled()  # not in the policy: the user's
    assert dialog.launching.repeat_minutes.isEnabled()
    monitor._enable_fields()  # what a mode change does: the locked stay locked
    assert_locked(monitor.bind)


def test_the_policys_language_wins_is_locked_in_settings_and_never_stored(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, restore_logging: None
) -> None:
    path = tmp_path / "settings.ini"
    users = AppSettings(path)
    users.language = "en"
    users.sync()
    policy = policy_of("[policy]\nlanguage = sv\n")
    settings = AppSettings(path, policy)
    assert settings.language == "sv"
    settings.language = "en"
    settings.sync()
    assert AppSettings(path).language == "en"  # the user's own choice, untouched

    dialog = SettingsDialog(
        settings.job_type_mapping(), [], demo=False, language=settings.language, policy=policy
    )
    qtbot.addWidget(dialog)
    assert dialog.language.value() == "sv"
    assert_locked(dialog.language.choice)

    # At start the policy's language wins over --language and the user's choice.
    chosen: list[str] = []
    monkeypatch.setattr(app, "install_language", lambda _app, language: chosen.append(language))
    monkeypatch.setenv("DISPATCH_DESKTOP_DATA_DIR", str(tmp_path))
    app.prepare(build_parser().parse_args(["--language", "en"]), policy)
    assert chosen == ["sv"]


# -- the main window under a policy -------------------------------------------------------------


@pytest.fixture
def policy_window(qtbot, context: AppContext, demo_server: DemoServer) -> Iterator[MainWindow]:
    context.settings.policy = policy_of(
        f"[policy]\nallowed_jobs = {OFFICE_PARTY}\nhide_settings = true\nexercise_only = true\n"
    )
    session = sign_in(
        demo_form(demo_server, allowed_jobs=context.settings.policy.allowed_jobs),
        context.secrets,
    )
    window = MainWindow(context, session)
    window.show()
    yield window
    context.runner.wait_for_done(30_000)
    window.close()
    window.deleteLater()
    session.client.close()


def listed_ids(window: MainWindow) -> set[int]:
    return {job.id for job in window.jobs_panel.model.jobs()}


def test_only_the_allowed_jobs_are_listed_also_after_a_refresh(
    qtbot, policy_window: MainWindow
) -> None:
    assert listed_ids(policy_window) == {OFFICE_PARTY}
    policy_window.refresh()
    qtbot.waitUntil(lambda: not policy_window._refreshing, timeout=10_000)
    assert listed_ids(policy_window) == {OFFICE_PARTY}


def test_a_job_outside_the_allowed_ones_is_refused_by_the_form_and_launch_again(
    policy_window: MainWindow,
) -> None:
    other = SavedJob(ALARM, "Alarm", "QuickAssign")
    policy_window.open_job(other)
    assert policy_window._form is None or policy_window.form.job is None
    status = policy_window.statusBar().currentMessage()
    assert "“Alarm” is not one of the saved jobs this computer may start" in status
    assert "nothing was sent" in status
    policy_window.statusBar().clearMessage()

    class Record:
        job_id, job_name, job_type, mode = ALARM, "Alarm", "QuickAssign", LaunchMode.DEMO

    policy_window.launch_again(Record())  # type: ignore[arg-type]
    assert "is not one of the saved jobs" in policy_window.statusBar().currentMessage()
    assert policy_window._form is None or policy_window.form.job is None


def test_the_library_refuses_another_job_before_sending(
    policy_window: MainWindow, demo_server: DemoServer
) -> None:
    client = policy_window.session.client  # type: ignore[union-attr]
    assert client.allowed_jobs == frozenset({OFFICE_PARTY})
    with pytest.raises(ValidationError, match="set by your administrator"):
        client.start_saved_job(StartJobRequest(jobid=ALARM))
    assert demo_server.request_count("/startsavedjob") == 0


def test_hide_settings_removes_the_menu_item_and_its_shortcut(policy_window: MainWindow) -> None:
    texts = [action.text().replace("&", "") for action in policy_window.actions()]
    assert not any(text.startswith("Settings") for text in texts)
    shortcuts = [action.shortcut() for action in policy_window.actions()]
    assert QKeySequence("Ctrl+,") not in shortcuts


def test_exercise_only_forces_the_forms_exercise_switch_on_and_disabled(
    policy_window: MainWindow,
) -> None:
    policy_window.open_job(policy_window.jobs_panel.model.job_with_id(OFFICE_PARTY))
    form = policy_window.form
    assert form.exercise_switch.isChecked()
    assert not form.exercise_switch.isEnabled()
    assert "administrator" in form.exercise_note.text()


def test_a_service_key_without_auto_sign_in_fills_the_dialog_locked_and_not_remembered(
    qtbot, restore_logging: None, memory_keyring, demo_server: DemoServer
) -> None:
    from dispatch_desktop.demo import DEMO_API_KEY

    policy = policy_of(
        f"[policy]\nserver = {demo_server.url}\nauth = api-key-header\n"
        "api_key_file = /etc/dispatch-desktop/api-key\n"
    )
    args = build_parser().parse_args([])
    app.prepare(args)
    with ExitStack() as stack:
        start = app.StartUp(args, stack, policy=policy, api_key=DEMO_API_KEY)
        start.begin()
        dialog = start.dialog
        assert dialog is not None
        assert dialog.api_key.text() == DEMO_API_KEY
        assert_locked(dialog.api_key, dialog.remember, dialog.api_key_choice)
        qtbot.waitUntil(lambda: start.window is not None and start.window.isVisible())
        dialog.start_keyring_work()
        start.runner.wait_for_done(10_000)
        qtbot.wait(50)
        assert_locked(dialog.remember)  # the keyring's answer does not unlock it
        dialog.sign_in_button.click()
        window = start.window
        assert isinstance(window, MainWindow)
        qtbot.waitUntil(lambda: window.session is not None, timeout=20_000)
        start.runner.wait_for_done(20_000)
        window.close_unattended()
    assert DEMO_API_KEY not in repr(vars(memory_keyring))
