"""The monitor's controller in the main window: it starts and stops its event source cleanly
(also when Settings change it and when the user signs out), keeps job events for the days the
settings say and prunes older ones off the GUI thread, and never prunes the launch journal."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from conftest import ModalHandler, button_named
from test_monitor_settings import JOB_START, configure, free_port, post
from test_worlds import sign_in_with

from dispatch_desktop.demo import DemoServer
from dispatch_desktop.events import EventStore, StoredEvent
from dispatch_desktop.events.config import SourceConfig, SourceMode
from dispatch_desktop.events.source import STORE_FILE_NAME
from dispatch_desktop.monitor import JobState
from dispatch_desktop.storage.journal import Outcome
from dispatch_desktop.storage.paths import Profile, data_dir
from dispatch_desktop.ui.main_window import MainWindow
from dispatch_desktop.ui.settings import DEFAULT_RETENTION_DAYS

REFERENCE_JOB = 777903613308588032
WAIT_MS = 10_000


@pytest.fixture
def desktop(window: MainWindow) -> Iterator[MainWindow]:
    """The window as on a real desktop (not demo): Settings decide the event source."""
    window.context.demo = False
    yield window
    window.stop_monitor()


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        # As a server binds: a connection of the closed receiver in TIME_WAIT does not count
        # (it did, and the test failed about one run in three); a listening socket still does.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def shown_ids(window: MainWindow) -> set[int]:
    panel = window.monitor_panel
    assert panel is not None
    return {panel.model.job_at(row).jobid for row in range(panel.model.rowCount())}


def receive_on(qtbot, window: MainWindow, port: int) -> str:
    """Start the embedded receiver on ``port``; its callback URL."""
    window.context.settings.set_event_source(SourceConfig(mode=SourceMode.EMBEDDED, port=port))
    window.start_monitor()
    qtbot.waitUntil(
        lambda: window.event_source is not None and window.event_source.callback_url is not None,
        timeout=WAIT_MS,
    )
    return window.event_source.callback_url  # type: ignore[union-attr]


def started(window: MainWindow, jobid: int = REFERENCE_JOB) -> bool:
    panel = window.monitor_panel
    monitor = panel.monitor if panel is not None else None
    job = monitor.job(jobid) if monitor is not None else None
    return job is not None and job.state is JobState.STARTED


def test_the_controller_starts_restarts_on_settings_and_stops_cleanly(
    qtbot, desktop: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    first_port = free_port()
    url = receive_on(qtbot, desktop, first_port)
    assert post(url, JOB_START) == 200
    qtbot.waitUntil(lambda: started(desktop), timeout=WAIT_MS)
    first_source = desktop.event_source

    # Settings → another port: the old receiver lets its port go, the new one receives, and
    # the job received before is read back from the store.
    second_port = free_port()
    configure(qtbot, desktop, modal, lambda monitor: monitor.port.setValue(second_port))
    qtbot.waitUntil(
        lambda: (
            desktop.event_source is not first_source
            and desktop.event_source is not None
            and desktop.event_source.callback_url is not None
        ),
        timeout=WAIT_MS,
    )
    assert first_source is not None
    assert first_source.receiver is None
    qtbot.waitUntil(lambda: port_is_free(first_port), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: REFERENCE_JOB in shown_ids(desktop), timeout=WAIT_MS)
    new_url = desktop.event_source.callback_url  # type: ignore[union-attr]
    assert f":{second_port}/" in new_url

    # Signed out: nothing is shown, but callbacks are still received (and kept).
    modal.click(button_named("Cancel"))
    desktop.sign_out_action.trigger()
    qtbot.waitUntil(lambda: not shown_ids(desktop), timeout=WAIT_MS)
    panel = desktop.monitor_panel
    assert panel is not None
    assert panel.empty_label.text().startswith("Not signed in")
    second_job = dict(JOB_START, jobid="777903613308588033")
    assert post(new_url, second_job) == 200
    desktop.monitor_panel.flush()  # type: ignore[union-attr]
    assert not shown_ids(desktop)

    # Signed in again: both jobs, read from the store.
    modal.then(sign_in_with(demo_server.url))
    desktop.sign_in_again()
    assert desktop.session is not None
    qtbot.waitUntil(
        lambda: shown_ids(desktop) == {REFERENCE_JOB, 777903613308588033}, timeout=WAIT_MS
    )

    # Closed: the receiver stops and lets its port go.
    source = desktop.event_source
    desktop.stop_monitor()
    assert desktop.event_source is None
    assert source is not None
    assert source.receiver is None
    qtbot.waitUntil(lambda: port_is_free(second_port), timeout=WAIT_MS)


def test_a_monitor_stopped_while_it_starts_does_not_run_on(qtbot, desktop: MainWindow) -> None:
    port = free_port()
    desktop.context.settings.set_event_source(SourceConfig(mode=SourceMode.EMBEDDED, port=port))
    desktop.start_monitor()
    desktop.stop_monitor()  # before the import, or the start, is done
    desktop.context.runner.wait_for_done(WAIT_MS)
    qtbot.wait(100)
    assert desktop.event_source is None
    assert port_is_free(port)


def old_events(now: datetime) -> list[StoredEvent]:
    """Two callbacks of one job that arrived long ago, one of another job two days ago."""
    base = JOB_START

    def event(jobid: int, eventtype: str, days: int) -> StoredEvent:
        body = dict(base, jobid=str(jobid), eventtype=eventtype)
        return StoredEvent(
            cursor=0,
            received_at=now - timedelta(days=days),
            jobid=jobid,
            eventtype=eventtype,
            timestamp_ms=int((now - timedelta(days=days)).timestamp() * 1000),
            userid=113495,
            jobtype="GroundHandling",
            sendtaskid=None,
            sendname=None,
            contactid=None,
            agent="md-adm",
            raw=json.dumps(body),
        )

    return [
        event(777903613308588101, "JOB_START", 120),
        event(777903613308588101, "JOB_FINISH", 119),
        event(777903613308588102, "JOB_START", 2),
    ]


def test_job_events_older_than_the_setting_are_pruned_and_the_journal_never(
    qtbot, desktop: MainWindow, modal: ModalHandler
) -> None:
    store = EventStore(data_dir(Profile.REAL) / STORE_FILE_NAME)
    store.add_copies(old_events(datetime.now(UTC)), 0)
    journal = desktop.context.journal
    assert journal is not None
    attempt = journal.record_attempt(server="s", user="u", job_id=5)
    journal.record_outcome(attempt, Outcome.OK, runtimeid=777903613308588101)
    assert desktop.context.settings.event_retention_days == DEFAULT_RETENTION_DAYS

    controller = desktop.monitor
    counts: list[object] = []
    controller.pruned.connect(counts.append)
    receive_on(qtbot, desktop, free_port())
    qtbot.waitUntil(lambda: counts == [2], timeout=WAIT_MS)  # at start
    assert [event.jobid for event in store.events_after(0)] == [777903613308588102]

    # A shorter time in Settings prunes again at once.
    def keep_one_day(monitor) -> None:
        assert monitor.retention_days.value() == DEFAULT_RETENTION_DAYS
        monitor.retention_days.setValue(1)

    with qtbot.waitSignal(controller.pruned, timeout=WAIT_MS) as pruned:
        configure(qtbot, desktop, modal, keep_one_day)
    assert pruned.args == [1]
    assert desktop.context.settings.event_retention_days == 1
    assert store.events_after(0) == []
    assert [record.id for record in journal.entries()] == [attempt]  # the audit trail stays
