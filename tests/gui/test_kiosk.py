"""Kiosk mode, the service account and one app per data folder (issue 10 §2): real widgets,
the demo server on loopback, real processes for the single instance."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from conftest import ModalHandler, button_named, demo_form
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog

from dispatch_desktop.api import redaction
from dispatch_desktop.cli import build_parser, hash_pin_command
from dispatch_desktop.demo import DEMO_API_KEY, DemoServer
from dispatch_desktop.policy import Policy, check_pin, hash_pin, parse_policy
from dispatch_desktop.storage.journal import Outcome
from dispatch_desktop.ui import second_pin
from dispatch_desktop.ui.app import KioskStartUp, StartUp, prepare
from dispatch_desktop.ui.common import HatchedBanner
from dispatch_desktop.ui.kiosk_window import KioskWindow
from dispatch_desktop.ui.main_window import AppContext, MainWindow
from dispatch_desktop.ui.second_pin import PinAttempts, SecondPinConfirmDialog
from dispatch_desktop.ui.service_sign_in import ServiceSignIn, retry_delay, service_form
from dispatch_desktop.ui.signin import sign_in
from dispatch_desktop.ui.single_instance import SingleInstance, instance_name

OFFICE_PARTY = 352872112744058883
ALARM = 325961493210222597
MISSING = 111111111111111111
PIN = "4711"


def policy_of(text: str) -> Policy:
    return parse_policy(text, Path("/etc/xdg/dispatch-desktop/policy.ini"))


KIOSK_POLICY = f"""
[policy]
kiosk = true
allowed_jobs = {OFFICE_PARTY}, {ALARM}, {MISSING}

[job {OFFICE_PARTY}]
label = R&D party now
message = The party starts now.
  Bring a friend.

[job {ALARM}]
label = Alarm drill
exercise = true
message = Report to the emergency ward.
tagfilter = Role:Surgeon
responsegoal = 1
pins = {hash_pin(PIN)}
"""


@pytest.fixture
def kiosk(qtbot, context: AppContext, demo_server: DemoServer) -> Iterator[KioskWindow]:
    context.settings.policy = policy_of(KIOSK_POLICY)
    window = KioskWindow(context)
    qtbot.addWidget(window)
    window.show()
    session = sign_in(
        demo_form(demo_server, allowed_jobs=context.settings.policy.allowed_jobs),
        context.secrets,
    )
    window.take_session(session)
    yield window
    qtbot.waitUntil(lambda: not window.launcher.in_flight, timeout=30_000)
    context.runner.wait_for_done(30_000)
    window.close_unattended()


def test_the_board_shows_the_prepared_jobs_exercise_marked_and_a_missing_one_disabled(
    kiosk: KioskWindow,
) -> None:
    buttons = kiosk.board.buttons
    assert set(buttons) == {OFFICE_PARTY, ALARM, MISSING}
    # The "&" of a name is shown, never taken for a shortcut.
    assert buttons[OFFICE_PARTY].text() == "R&&D party now"
    assert QKeySequence.mnemonic(buttons[OFFICE_PARTY].text()).isEmpty()
    assert buttons[ALARM].text().splitlines()[0] == "EXERCISE"
    assert buttons[ALARM].accessibleDescription() == "Exercise"
    assert not buttons[MISSING].isEnabled()
    assert "not found on the server" in buttons[MISSING].text()
    assert kiosk.menuBar().actions() == []
    line = kiosk.connectivity.text()
    assert line.startswith("Server: last contact at ")
    assert "Job monitor:" in line


def test_a_button_goes_through_the_confirmation_and_the_undo_countdown(
    qtbot, kiosk: KioskWindow, demo_server: DemoServer, modal: ModalHandler
) -> None:
    kiosk.context.settings.undo_seconds = 1
    shown: list[str] = []

    def confirm(dialog: QDialog) -> None:
        shown.append(dialog.summary.toPlainText())  # type: ignore[attr-defined]
        button_named("Confirm start job")(dialog).click()  # type: ignore[union-attr]

    modal.then(confirm)
    kiosk.board.buttons[OFFICE_PARTY].click()
    qtbot.waitUntil(lambda: kiosk.launcher.counting, timeout=10_000)
    assert kiosk.outcome.countdown.text().startswith("Sending in")
    assert not kiosk.board.buttons[ALARM].isEnabled()  # one launch at a time
    qtbot.waitUntil(lambda: kiosk.outcome.kind is Outcome.OK, timeout=20_000)
    assert "The party starts now." in shown[0]
    assert "Bring a friend." in shown[0]
    started = demo_server.started_jobs
    assert [job.message for job in started] == ["The party starts now.\nBring a friend."]
    assert not kiosk.outcome.again_button.isVisible()
    assert kiosk.board.buttons[ALARM].isEnabled()


def test_cancel_in_the_countdown_sends_nothing(
    qtbot, kiosk: KioskWindow, demo_server: DemoServer, modal: ModalHandler
) -> None:
    kiosk.context.settings.undo_seconds = 10
    modal.click(button_named("Confirm start job"))
    kiosk.board.buttons[OFFICE_PARTY].click()
    qtbot.waitUntil(lambda: kiosk.launcher.counting, timeout=10_000)
    kiosk.outcome.cancel_button.click()
    qtbot.waitUntil(lambda: kiosk.outcome.kind is Outcome.CANCELLED, timeout=10_000)
    assert demo_server.started_jobs == []


def test_a_pin_guarded_job_needs_a_second_persons_pin(
    qtbot, kiosk: KioskWindow, demo_server: DemoServer, modal: ModalHandler
) -> None:
    seen: dict[str, object] = {}

    def use_pin(dialog: QDialog) -> None:
        assert isinstance(dialog, SecondPinConfirmDialog)
        seen["disabled at first"] = not dialog.confirm_button.isEnabled()
        seen["exercise"] = dialog.findChild(HatchedBanner) is not None
        dialog.pin.setText("0000")
        dialog.check()
        qtbot.waitUntil(lambda: dialog.pin_status.text() == "Wrong PIN.", timeout=10_000)
        seen["disabled after a wrong PIN"] = not dialog.confirm_button.isEnabled()
        dialog.pin.setText(PIN)
        dialog.check()
        qtbot.waitUntil(dialog.confirm_button.isEnabled, timeout=10_000)
        dialog.confirm_button.click()

    modal.then(use_pin)
    kiosk.board.buttons[ALARM].click()
    qtbot.waitUntil(lambda: kiosk.outcome.kind is not None, timeout=20_000)
    assert seen == {
        "disabled at first": True,
        "exercise": True,
        "disabled after a wrong PIN": True,
    }
    assert kiosk.outcome.kind is Outcome.OK
    (started,) = demo_server.started_jobs
    assert started.message.startswith("EXERCISE – ")


def test_five_wrong_pins_make_the_field_wait(
    qtbot, kiosk: KioskWindow, demo_server: DemoServer, modal: ModalHandler
) -> None:
    now = [1000.0]
    kiosk.pin_attempts = PinAttempts(clock=lambda: now[0])
    seen: list[str] = []

    def wrong_five_times(dialog: QDialog) -> None:
        assert isinstance(dialog, SecondPinConfirmDialog)
        for _ in range(second_pin.MAX_WRONG_PINS):
            dialog.pin.setText("9999")
            dialog.check()
            qtbot.waitUntil(lambda: dialog._checking is None, timeout=10_000)
        seen.append(dialog.pin_status.text())
        seen.append(str(dialog.pin.isEnabled()))
        dialog.pin.setText(PIN)
        dialog.check()  # refused while waiting: no check runs
        seen.append(str(dialog._checking is None))
        now[0] += second_pin.LOCKOUT_SECONDS
        dialog._show_wait()
        seen.append(str(dialog.pin.isEnabled()))
        dialog.reject()

    modal.then(wrong_five_times)
    kiosk.board.buttons[ALARM].click()
    qtbot.waitUntil(lambda: len(seen) == 4, timeout=30_000)
    assert seen == [
        "Too many wrong PINs: wait 30 s before trying again.",
        "False",
        "True",
        "True",
    ]
    assert demo_server.started_jobs == []


def test_the_kiosk_refuses_to_close_until_sigterm(kiosk: KioskWindow) -> None:
    kiosk.close()  # Alt+F4, the window manager's close
    assert kiosk.isVisible()
    kiosk.close_unattended()  # SIGTERM
    assert not kiosk.isVisible()


def test_retry_delays_double_up_to_a_minute() -> None:
    assert [retry_delay(n) for n in range(1, 9)] == [2, 4, 8, 16, 32, 60, 60, 60]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_service_account_retries_with_back_off_until_the_server_answers(
    qtbot, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/dispatch/api"
    policy = policy_of(
        f"[policy]\nserver = {url}\nauth = api-key-header\napi_key_file = /etc/key\n"
        f"auto_sign_in = true\nallowed_jobs = {OFFICE_PARTY}\n"
    )
    # A registry of its own: earlier tests registered the demo key, which would hide a
    # service_form that forgot to.
    monkeypatch.setattr(redaction, "_REGISTERED", redaction.Scrubber())
    assert DEMO_API_KEY in redaction.redact(f"key {DEMO_API_KEY}")
    form = service_form(policy, DEMO_API_KEY)
    assert DEMO_API_KEY not in redaction.redact(f"key {DEMO_API_KEY}")
    service = ServiceSignIn(form, context.runner, first_delay=1, max_delay=2)
    states: list[str] = []
    service.state_changed.connect(states.append)
    with qtbot.waitSignal(
        service.state_changed, timeout=20_000, check_params_cb=lambda s: "next try in" in s
    ):
        service.start()
    assert any("Signing in… next try in 1 s." in state for state in states)
    with (
        DemoServer(port=port, start_delay=0.0, speed=1000.0),
        qtbot.waitSignal(service.signed_in, timeout=30_000) as signed,
    ):
        pass
    session = signed.args[0]
    assert [job.id for job in session.jobs] == [OFFICE_PARTY]
    assert session.client.allowed_jobs == frozenset({OFFICE_PARTY})
    session.client.close()
    assert service.failures == 0


def test_a_service_account_signs_in_without_a_dialog_and_writes_no_secret(
    qtbot, restore_logging: None, memory_keyring, demo_server: DemoServer, tmp_path: Path
) -> None:
    policy = policy_of(
        f"[policy]\nserver = {demo_server.url}\nauth = api-key-header\n"
        "api_key_file = /etc/dispatch-desktop/api-key\nauto_sign_in = true\n"
    )
    args = build_parser().parse_args([])
    prepare(args)
    with ExitStack() as stack:
        start = StartUp(args, stack, policy=policy, api_key=DEMO_API_KEY)
        start.begin()
        assert start.dialog is None
        window = start.window
        assert isinstance(window, MainWindow)
        qtbot.waitUntil(lambda: window.session is not None, timeout=20_000)
        assert window.session.user == "API key"  # type: ignore[union-attr]
        start.runner.wait_for_done(20_000)
        window.close_unattended()
        settings_text = start.settings.path.read_text("utf-8")
    assert DEMO_API_KEY not in settings_text
    assert DEMO_API_KEY not in repr(vars(memory_keyring))
    for log_file in (start.settings.path.parent.parent / "logs").rglob("*"):
        if log_file.is_file():
            assert DEMO_API_KEY not in log_file.read_text("utf-8", "replace")


def test_the_kiosk_start_paints_full_screen_and_signs_in_to_the_demo(
    qtbot, restore_logging: None, memory_keyring
) -> None:
    args = build_parser().parse_args(["--demo", "--kiosk", "--demo-start-delay", "0"])
    prepare(args)
    policy = policy_of(f"[policy]\nkiosk = true\nallowed_jobs = {OFFICE_PARTY}\n")
    with ExitStack() as stack:
        start = KioskStartUp(args, stack, policy=policy)
        start.begin()
        window = start.window
        assert isinstance(window, KioskWindow)
        assert window.isFullScreen()
        assert window.geometry() == window.screen().geometry()  # also with no window manager
        assert start.dialog is None
        qtbot.waitUntil(lambda: window.session is not None, timeout=30_000)
        qtbot.waitUntil(lambda: OFFICE_PARTY in window.board.buttons, timeout=10_000)
        assert list(window.board.buttons) == [OFFICE_PARTY]
        assert window.state.text() == "" or not window.state.isVisible()
        start.runner.wait_for_done(20_000)
        start.close_unattended()
        assert not window.isVisible()


# -- one app per data folder -------------------------------------------------------------------


def test_a_folder_reached_through_a_link_is_the_same_folder(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "data")
    assert instance_name(tmp_path / "link") == instance_name(tmp_path / "data")
    assert instance_name(tmp_path / "other") != instance_name(tmp_path / "data")


def test_a_second_claim_on_the_same_folder_raises_the_first(qtbot, tmp_path: Path) -> None:
    first = SingleInstance(tmp_path / "a")
    assert first.claim()
    other_folder = SingleInstance(tmp_path / "b")
    assert other_folder.claim()
    with qtbot.waitSignal(first.raise_requested, timeout=10_000):
        assert not SingleInstance(tmp_path / "a").claim()
    first.release()
    other_folder.release()


def start_app(data: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "dispatch_desktop", "--demo"],
        env={**_env(data)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _env(data: Path) -> dict[str, str]:
    import os

    return {**os.environ, "DISPATCH_DESKTOP_DATA_DIR": str(data), "QT_QPA_PLATFORM": "offscreen"}


def wait_for_log(data: Path, text: str, count: int = 1, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = sum(
            log_file.read_text("utf-8", "replace").count(text)
            for log_file in (data / "logs").rglob("*.log*")
        )
        if found >= count:
            return
        time.sleep(0.2)
    raise AssertionError(f"no log line {text!r}")


def test_a_second_process_raises_the_first_and_a_crashed_one_does_not_block(
    qtbot, tmp_path: Path
) -> None:
    first = start_app(tmp_path)
    try:
        wait_for_log(tmp_path, "window shown")
        second = subprocess.run(
            [sys.executable, "-m", "dispatch_desktop", "--demo"],
            env=_env(tmp_path),
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert second.returncode == 0
        wait_for_log(tmp_path, "a second start asked for the window")
        assert first.poll() is None  # still running
    finally:
        first.kill()  # a crash: its socket stays behind
        first.wait(30)
    third = start_app(tmp_path)
    try:
        wait_for_log(tmp_path, "window shown", count=2)
        time.sleep(0.5)
        assert third.poll() is None  # the stale socket did not send it away
    finally:
        third.terminate()
        assert third.wait(60) == 0


# -- the PIN hash for the policy ---------------------------------------------------------------


def test_hash_pin_reads_twice_and_prints_a_hash_that_checks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    answers = iter([PIN, PIN])
    assert hash_pin_command(lambda _prompt: next(answers)) == 0
    printed = capsys.readouterr().out.strip()
    assert printed.startswith("scrypt$")
    assert PIN not in printed
    assert check_pin(PIN, (printed,))
    answers = iter([PIN, "4712"])
    assert hash_pin_command(lambda _prompt: next(answers)) == 1
    assert capsys.readouterr().out == ""


def test_a_preset_the_rules_refuse_is_refused_with_a_sentence_and_sends_nothing(
    qtbot, context: AppContext, demo_server: DemoServer
) -> None:
    context.settings.policy = policy_of(
        f"[policy]\nexercise_only = true\nallowed_jobs = {OFFICE_PARTY}\n"
    )  # an exercise needs a message to mark, and this job has none prepared
    window = KioskWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.take_session(sign_in(demo_form(demo_server, allowed_jobs=None), context.secrets))
    assert window.board.buttons[OFFICE_PARTY].text().startswith("EXERCISE\n")
    window.board.buttons[OFFICE_PARTY].click()
    assert "cannot be started as prepared" in window.state.text()
    assert "Ask your administrator." in window.state.text()
    assert not window.launcher.in_flight
    assert demo_server.started_jobs == []
    context.runner.wait_for_done(10_000)
    window.close_unattended()
