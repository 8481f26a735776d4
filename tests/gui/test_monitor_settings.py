"""Settings → Job monitor: the embedded receiver, its URL and token, notifications."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request

import pytest
from conftest import ModalHandler
from PySide6.QtWidgets import QDialog

from dispatch_desktop.events.config import SourceMode
from dispatch_desktop.monitor import JobState
from dispatch_desktop.ui.main_window import MainWindow

JOB_START = {  # reference 3.1.1
    "jobid": "777903613308588032",
    "userid": 113495,
    "eventtype": "JOB_START",
    "timestamp": 1644928276273,
    "jobtype": "GroundHandling",
    "sendtaskid": "",
    "sendname": "",
    "contactid": "",
    "agent": "md-adm",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def post(url: str, body: dict[str, object]) -> int:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def configure(qtbot, window: MainWindow, modal: ModalHandler, change) -> None:
    def act(dialog: QDialog) -> None:
        change(dialog.monitor)
        dialog.accept()

    modal.then(act)
    window.open_settings()


@pytest.fixture
def desktop(window: MainWindow):
    """The window as on a real desktop (not demo): Settings decide the event source."""
    window.context.demo = False
    yield window
    window.stop_monitor()


def test_embedded_receiver_gets_callbacks_into_the_monitor(
    qtbot, desktop: MainWindow, modal: ModalHandler
) -> None:
    port = free_port()

    def embedded(monitor) -> None:
        monitor.embedded.setChecked(True)
        assert monitor.bind.text() == "127.0.0.1"  # the default: this computer only
        monitor.port.setValue(port)

    configure(qtbot, desktop, modal, embedded)
    assert desktop.context.settings.event_source().mode is SourceMode.EMBEDDED
    qtbot.waitUntil(lambda: desktop.event_source.callback_url is not None, timeout=10_000)
    url = desktop.event_source.callback_url
    assert url.startswith(f"http://127.0.0.1:{port}/callbacks/")
    assert post(url, JOB_START) == 200
    assert post(f"http://127.0.0.1:{port}/callbacks/wrong-token-123456", JOB_START) == 404
    qtbot.waitUntil(
        lambda: (
            # The monitor is set once rebuilt, which may be after the callback's 200.
            (monitor := desktop.monitor_panel.monitor) is not None
            and (job := monitor.job(777903613308588032)) is not None
            and job.state is JobState.STARTED
        ),
        timeout=5_000,
    )

    shown: list[str] = []

    def read_url_and_renew(monitor) -> None:
        shown.append(monitor.callback_url.text())
        monitor.renew_button.click()

    configure(qtbot, desktop, modal, read_url_and_renew)
    assert shown == [url]  # the settings show the full URL to paste at LEKAB
    qtbot.waitUntil(
        lambda: (
            desktop.event_source is not None
            and desktop.event_source.callback_url not in (None, url)
        ),
        timeout=10_000,
    )
    assert post(url, JOB_START) == 404  # the old token no longer works
    assert post(desktop.event_source.callback_url, JOB_START) == 200


def test_notifications_can_be_switched_off_in_settings(
    qtbot, desktop: MainWindow, modal: ModalHandler
) -> None:
    configure(qtbot, desktop, modal, lambda monitor: monitor.notifications.setChecked(False))
    assert desktop.context.settings.notifications_enabled is False
    assert desktop.tray.enabled is False


@pytest.mark.parametrize(
    "address", ["http://receiver.example.com:8765", "receiver.example.com", "ftp://receiver"]
)
def test_settings_refuse_a_shared_receiver_the_token_must_not_go_to(
    qtbot, desktop: MainWindow, modal: ModalHandler, address: str
) -> None:
    seen: dict[str, object] = {}

    def act(dialog: QDialog) -> None:
        dialog.monitor.follow.setChecked(True)
        dialog.monitor.follow_url.setText(address)
        dialog.accept()
        seen["open"] = dialog.isVisible()
        seen["problem"] = dialog.monitor.follow_error.text()
        seen["shown"] = dialog.monitor.follow_error.isVisibleTo(dialog)
        dialog.monitor.follow_url.setText("https://receiver.example.com")
        seen["cleared"] = not dialog.monitor.follow_error.isVisibleTo(dialog)
        dialog.reject()

    modal.then(act)
    desktop.open_settings()

    assert seen["open"] is True
    assert seen["shown"] is True
    assert seen["cleared"] is True
    assert "https://" in str(seen["problem"])
    assert desktop.context.settings.event_source().mode is not SourceMode.FOLLOW


def test_settings_take_several_receiver_nodes_and_check_each(
    qtbot, desktop: MainWindow, modal: ModalHandler
) -> None:
    """One field, the addresses separated by spaces or commas; the first refused is named."""
    seen: dict[str, object] = {}
    nodes = "http://127.0.0.1:9, http://localhost:10"

    def act(dialog: QDialog) -> None:
        dialog.monitor.follow.setChecked(True)
        dialog.monitor.follow_url.setText("https://a.example.com, http://b.example.com")
        dialog.accept()
        seen["problem"] = dialog.monitor.follow_error.text()
        seen["open"] = dialog.isVisible()
        dialog.monitor.follow_url.setText(nodes)
        dialog.accept()

    modal.then(act)
    desktop.open_settings()

    assert seen["open"] is True
    assert "b.example.com" in str(seen["problem"])
    assert "a.example.com" not in str(seen["problem"])
    source = desktop.context.settings.event_source()
    assert (source.mode, source.follow_url) == (SourceMode.FOLLOW, nodes)
