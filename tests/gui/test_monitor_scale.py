"""The Monitor panel over real stores, read off the GUI thread: the newest jobs at once and
older ones on demand, the timeline of the selected job read whole and in order (and kept so as
callbacks arrive), callbacks of a job not read yet applied once after it is read (and notified
as news, not as history), a store that cannot be read said in words, and the tray's icon
updated once for a burst of changes."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSystemTrayIcon

from dispatch_desktop.events import EventStore, EventStoreError, StoredEvent, parse_callback
from dispatch_desktop.events.model import TIMELINE_ORDER
from dispatch_desktop.monitor import JobMonitor, MonitorLoader
from dispatch_desktop.storage.journal import LaunchJournal, LaunchMode, Outcome
from dispatch_desktop.ui.monitor_panel import MonitorPanel
from dispatch_desktop.ui.tray import UPDATE_MS, NotificationKind, TrayNotifier
from dispatch_desktop.ui.workers import TaskRunner

SERVER = "https://dispatch.example.com"
BASE_ID = 2**60 + 12345  # runtime ids above 2**53 (F1)
START_MS = 1644928276273
WAIT_MS = 10_000


@pytest.fixture
def store(tmp_path: Path) -> EventStore:
    return EventStore(tmp_path / "events.sqlite3")


def callback(
    store: EventStore, jobid: int, eventtype: str, at_ms: int, **fields: object
) -> StoredEvent:
    document = {"jobid": str(jobid), "eventtype": eventtype, "timestamp": at_ms, **fields}
    stored, is_new = store.add_event(parse_callback(json.dumps(document)))
    assert is_new
    return stored


def launch(journal: LaunchJournal, runtime_id: int, name: str, goal: int = 60) -> None:
    attempt = journal.record_attempt(
        server=SERVER,
        user="alice",
        job_id=5,
        job_name=name,
        parameters={"jobid": 5, "responsegoal": goal},
        mode=LaunchMode.LIVE,
    )
    journal.record_outcome(attempt, Outcome.OK, runtimeid=runtime_id, jobname=name)


def shown_ids(panel: MonitorPanel) -> list[int]:
    model = panel.model
    return [int(model.index(row, 1).data()) for row in range(model.rowCount())]


def panel_on(
    qtbot, store: EventStore, journal: LaunchJournal | None, runner: TaskRunner, page_size: int
) -> MonitorPanel:
    panel = MonitorPanel(runner=runner)
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    panel.show()
    panel.set_server(SERVER)
    panel.set_monitor(
        JobMonitor(keep_timelines=False), MonitorLoader(store, journal, page_size=page_size)
    )
    qtbot.waitUntil(lambda: not panel.reading, timeout=WAIT_MS)
    return panel


def test_the_newest_jobs_come_first_and_older_ones_on_demand(
    qtbot, store: EventStore, journal: LaunchJournal, runner: TaskRunner
) -> None:
    for number in range(7):  # jobs known from callbacks, a minute apart
        callback(store, BASE_ID + number, "JOB_START", START_MS + number * 60_000)
    for number in range(7, 12):  # launches from this desktop (now), no callback yet
        launch(journal, BASE_ID + number, f"Call-out {number}")

    panel = panel_on(qtbot, store, journal, runner, page_size=5)

    newest = [BASE_ID + number for number in (11, 10, 9, 8, 7)]
    assert shown_ids(panel) == newest  # every digit of each id (F1)
    assert panel.older_button.isVisible()
    assert panel.older_button.accessibleName() == "Show older jobs"
    qtbot.mouseClick(panel.older_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 10, timeout=WAIT_MS)
    assert shown_ids(panel) == [*newest, *(BASE_ID + n for n in (6, 5, 4, 3, 2))]
    panel.show_older_jobs()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 12, timeout=WAIT_MS)
    assert shown_ids(panel)[-2:] == [BASE_ID + 1, BASE_ID]
    qtbot.waitUntil(lambda: not panel.older_button.isVisible(), timeout=WAIT_MS)
    assert panel.model.index(0, 0).data() == "Call-out 11"
    assert "12 active jobs" in panel.count_label.text()


def test_the_selected_jobs_timeline_is_read_whole_in_time_order_and_kept_so(
    qtbot, store: EventStore, runner: TaskRunner
) -> None:
    jobid = BASE_ID
    rng = random.Random(3)
    offsets = list(range(1, 1500))
    rng.shuffle(offsets)  # callbacks arrive out of order
    callback(store, jobid, "JOB_START", START_MS, jobtype="GroundHandling", agent="md-adm")
    for offset in offsets:
        callback(store, jobid, "JOB_ASSIGN", START_MS + offset * 1000, sendname=f"R{offset}")
    panel = panel_on(qtbot, store, None, runner, page_size=50)

    assert panel.select_job(jobid)
    # Callbacks arriving while it is read: those read with it are not shown twice.
    during = callback(store, jobid, "JOB_ASSIGN", START_MS + 500, sendname="Early bird")
    panel.add_events([during])
    timeline = panel.timeline_model
    qtbot.waitUntil(lambda: not timeline.loading and timeline.rowCount() == 1501, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: panel.queued == 0, timeout=WAIT_MS)

    entries = timeline.entries()
    assert entries == sorted(entries, key=TIMELINE_ORDER)
    assert len({entry.cursor for entry in entries}) == 1501  # complete, each once
    assert entries[0].kind == "JOB_START"
    assert entries[1].recipient == "Early bird"
    rows = [[timeline.index(row, c).data() for c in range(4)] for row in (0, 1, 1500)]
    assert rows[0][1:] == ["Job started", "md-adm", "0:00"]
    assert rows[1][1:] == ["Accepted", "Early bird", "0:00"]
    assert rows[2][1:] == ["Accepted", "R1499", "24:59"]

    # Later callbacks join in their place: at the end, or back in time.
    late = callback(store, jobid, "JOB_FINISH", START_MS + 2_000_000)
    back = callback(store, jobid, "JOB_ASSIGN", START_MS + 250, sendname="Straggler")
    with qtbot.waitSignal(panel.model_updated, timeout=WAIT_MS):
        panel.add_events([late, back])
    entries = timeline.entries()
    assert len(entries) == 1503
    assert entries == sorted(entries, key=TIMELINE_ORDER)
    assert (entries[1].recipient, entries[-1].kind) == ("Straggler", "JOB_FINISH")
    assert panel.selected_job().event_count == 1503  # type: ignore[union-attr]


def test_a_callback_of_a_job_not_read_yet_waits_for_it_and_is_news_once(
    qtbot, store: EventStore, journal: LaunchJournal, runner: TaskRunner
) -> None:
    old = BASE_ID + 99
    launch(journal, old, "Night shift", goal=60)
    callback(store, old, "JOB_START", START_MS - 86_400_000)
    for number in range(50):
        callback(store, old, "JOB_ASSIGN", START_MS - 86_000_000 + number, sendname=f"R{number}")
    for number in range(5):  # newer launches fill the first page
        launch(journal, BASE_ID + number, f"Call-out {number}")
    panel = panel_on(qtbot, store, journal, runner, page_size=5)
    assert old not in shown_ids(panel)
    tray = TrayNotifier(panel)
    panel.job_changed.connect(tray.notify)

    straggler = callback(store, old, "JOB_ASSIGN", START_MS + 10, sendname="Anna Berg")
    panel.add_events([straggler])
    qtbot.waitUntil(lambda: old in shown_ids(panel), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: panel.queued == 0, timeout=WAIT_MS)

    row = shown_ids(panel).index(old)
    assert row == 0  # news goes on top
    cells = [panel.model.index(row, column).data() for column in (0, 2, 4, 5)]
    assert cells == ["Night shift", "Filling", "51", "60"]  # the history counted, once
    assert [(n.kind, n.text) for n in tray.sent] == [
        (NotificationKind.ASSIGNED, "Anna Berg accepted. 51 of 60 assigned.")
    ]
    panel.add_events([straggler])  # handed over again: nothing changes
    panel.flush()
    assert panel.monitor.job(old).assigned == 51  # type: ignore[union-attr]


def test_a_job_asked_for_that_is_not_read_yet_is_read_and_selected(
    qtbot, store: EventStore, journal: LaunchJournal, runner: TaskRunner
) -> None:
    old = BASE_ID + 77
    callback(store, old, "JOB_START", START_MS - 86_400_000, jobtype="CallOut")
    for number in range(3):
        callback(store, BASE_ID + number, "JOB_START", START_MS + number)
    panel = panel_on(qtbot, store, journal, runner, page_size=3)

    assert not panel.select_job(old)  # "Show in monitor" for an old launch: read, then shown
    qtbot.waitUntil(lambda: panel.selected_jobid() == old, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: panel.timeline_model.rowCount() == 1, timeout=WAIT_MS)
    assert panel.detail_title.text().startswith(f"CallOut (runtime id {old})")


def test_a_store_that_cannot_be_read_is_said_in_words_and_callbacks_still_show(
    qtbot, store: EventStore, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise EventStoreError(f"The event store ({store.path}) could not be read: disk I/O error.")

    monkeypatch.setattr(EventStore, "newest_jobs", broken)
    monkeypatch.setattr(EventStore, "job_summaries", broken)
    panel = MonitorPanel(runner=runner)
    qtbot.addWidget(panel)
    panel.show()
    with qtbot.waitSignal(panel.load_failed, timeout=WAIT_MS) as failed:
        panel.set_monitor(JobMonitor(keep_timelines=False), MonitorLoader(store, None))
    (sentence,) = failed.args
    assert "could not be read" in sentence
    assert "Traceback" not in sentence
    assert not panel.reading
    assert panel.empty_label.text().startswith("No jobs to monitor yet")

    event = callback(store, BASE_ID, "JOB_START", START_MS, jobtype="CallOut")
    panel.add_events([event])
    qtbot.waitUntil(lambda: shown_ids(panel) == [BASE_ID], timeout=WAIT_MS)
    assert panel.model.index(0, 2).data() == "Started"

    monkeypatch.setattr(EventStore, "timeline", broken)
    with qtbot.waitSignal(panel.load_failed, timeout=WAIT_MS):
        assert panel.select_job(BASE_ID)
    qtbot.waitUntil(lambda: not panel.timeline_model.loading, timeout=WAIT_MS)
    later = callback(store, BASE_ID, "JOB_ASSIGN", START_MS + 1000, sendname="Anna Berg")
    with qtbot.waitSignal(panel.model_updated, timeout=WAIT_MS):
        panel.add_events([later])
    assert [entry.recipient for entry in panel.timeline_model.entries()] == ["Anna Berg"]


def test_the_tray_icon_changes_once_for_a_burst_of_counts(qtbot) -> None:
    class RecordingTray:
        """Stands in for the system tray, which the offscreen platform lacks."""

        def __init__(self) -> None:
            self.icons = 0
            self.tooltips: list[str] = []

        def setIcon(self, _icon: object) -> None:  # noqa: N802 - Qt API
            self.icons += 1

        def setToolTip(self, text: str) -> None:  # noqa: N802 - Qt API
            self.tooltips.append(text)

    notifier = TrayNotifier()
    assert notifier.tray is None or QSystemTrayIcon.isSystemTrayAvailable()
    recording = RecordingTray()
    notifier.tray = recording  # type: ignore[assignment]
    for count in range(1, 301):  # a page of jobs read, one change after the other
        notifier.set_active_count(count)
    assert notifier.active_count == 300  # known at once
    assert "300 active jobs" in notifier.tooltip()
    assert not notifier.icon().isNull()
    assert recording.icons == 0  # not yet handed to the tray
    qtbot.waitUntil(lambda: recording.icons == 1, timeout=UPDATE_MS * 20)
    qtbot.wait(UPDATE_MS * 2)
    assert recording.icons == 1
    assert recording.tooltips == [notifier.tooltip()]
    notifier.set_active_count(300)  # no change: nothing to hand over
    qtbot.wait(UPDATE_MS * 2)
    assert recording.icons == 1
