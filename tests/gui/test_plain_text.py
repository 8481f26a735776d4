"""Text from outside the app (job names and types, server messages, journal rows, callback
fields, users, the server address) is shown as text everywhere: it can never restyle a
heading, hide the server address, fake an outcome or reorder what follows it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from conftest import ModalHandler
from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QMessageBox
from test_launch import launch_office_party, wait_for_outcome
from test_monitor_panel import JOBID, callback, launch
from test_monitor_panel import feed as feed_events

from dispatch_desktop.api import SavedJob, StartJobRequest
from dispatch_desktop.launcher import LaunchOutcome, LaunchPlan
from dispatch_desktop.monitor import JobMonitor
from dispatch_desktop.storage.journal import LaunchJournal, Outcome
from dispatch_desktop.storage.secrets import SecretStoreStatus
from dispatch_desktop.ui.common import HEADING_NAME_LIMIT, plain
from dispatch_desktop.ui.confirm import ConfirmLaunchDialog
from dispatch_desktop.ui.history_panel import HistoryPanel, LaunchScope
from dispatch_desktop.ui.jobs_panel import SavedJobsPanel
from dispatch_desktop.ui.launch_panel import OutcomePanel, outcome_title
from dispatch_desktop.ui.main_window import MainWindow
from dispatch_desktop.ui.monitor_panel import MonitorPanel
from dispatch_desktop.ui.tray import NotificationKind, TrayNotifier
from dispatch_desktop.ui.workers import TaskRunner

SERVER = "https://dispatch.example.com/dispatch/api"
GREEN_HEADING = '<h1 style="color:green">Job started</h1>'
RLO = "\u202e"
HOSTILE = [
    GREEN_HEADING,
    '<span style="font-size:1px">',
    '<b>Fire</b> <a href="https://evil.example/">drill</a> <img src="file:///etc/passwd">',
    "&lt;b&gt;entities&lt;/b&gt; &amp; more",  # AutoText would show "<b>entities</b> & more"
    '<!DOCTYPE html><p style="display:none">hidden',
    "<table><tr><td>cell</td></tr></table>",
    "W" * 5000,
    f"Fire alarm{RLO} gnillird si sihT",  # an old journal row, from before inputs were checked
    "Line one\n<b>Line two</b>\r\nthree\u2028four",
    "Tab\there\x00nul\x1b[31m red",
]
IDS = [
    "green-heading",
    "tiny-span",
    "link-img",
    "entities",
    "doctype",
    "table",
    "long",
    "rlo",
    "lines",
    "controls",
]
# Every kind a launch can end with, new ones included (PENDING is a journal state only).
OUTCOME_KINDS = [kind for kind in Outcome if kind is not Outcome.PENDING]


def shown(text: str, text_format: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """What Qt displays for ``text``: rich text rendered to its characters when Qt takes it
    for rich text (as a tooltip and an AutoText label do)."""
    rich = text_format == Qt.TextFormat.RichText or (
        text_format == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text)
    )
    if not rich:
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def label_shows(label: QLabel) -> str:
    return shown(label.text(), label.textFormat())


def words(text: str) -> str:
    """``text`` with runs of white space as one space (as HTML lays text out)."""
    return " ".join(text.split())


def assert_literal(displayed: str, original: str, *, one_line: bool = False) -> None:
    """``displayed`` shows ``original`` character for character, safe for display: no
    reordering controls, line breaks kept or (on one line) marked."""
    assert plain(original, one_line=one_line) in displayed
    assert RLO not in displayed
    if "<h1" in original:
        assert "<h1" in displayed


@pytest.mark.parametrize("hostile", HOSTILE, ids=IDS)
def test_the_confirmation_shows_names_as_text_and_keeps_the_server_in_sight(
    qtbot, hostile: str
) -> None:
    job = SavedJob(5, hostile, hostile)
    request = StartJobRequest(jobid=5, jobname=hostile, message=hostile)
    dialog = ConfirmLaunchDialog(job, request, None, server=SERVER, demo=True)
    qtbot.addWidget(dialog)
    dialog.show()

    assert dialog.windowTitle() == "[DEMO] Confirm launch — Dispatch Desktop"
    heading = dialog.heading
    assert heading.textFormat() == Qt.TextFormat.PlainText
    displayed = label_shows(heading)
    assert displayed.startswith("Start “")
    # The address starts a line of its own, whole, whatever the name did.
    assert displayed.endswith(f"\non {SERVER}?")
    assert displayed.count("\n") == 1
    name_shown = plain(hostile, one_line=True, limit=HEADING_NAME_LIMIT)
    assert f"“{name_shown}”" in displayed
    assert RLO not in displayed
    assert heading.isVisible()
    assert dialog.width() <= dialog.screen().availableGeometry().width()

    summary = words(dialog.summary.toPlainText())
    assert words(plain(hostile)) in summary
    assert RLO not in summary
    assert dialog.back_button.isDefault()


@pytest.mark.parametrize("kind", OUTCOME_KINDS)
@pytest.mark.parametrize("hostile", [GREEN_HEADING, HOSTILE[3], HOSTILE[7], HOSTILE[8]])
def test_each_outcome_shows_the_servers_message_as_text(qtbot, kind: Outcome, hostile: str) -> None:
    panel = OutcomePanel()
    qtbot.addWidget(panel)
    panel.show_busy(hostile, 0.0)
    assert panel.title.textFormat() == Qt.TextFormat.PlainText
    busy_title = label_shows(panel.title)
    assert plain(hostile, one_line=True, limit=HEADING_NAME_LIMIT) in busy_title
    assert RLO not in busy_title

    panel.show_outcome(LaunchOutcome(kind, hostile))
    assert panel.title.textFormat() == Qt.TextFormat.PlainText
    assert label_shows(panel.title) == outcome_title(kind)
    if not kind.started:
        assert "Job started" not in label_shows(panel.title)
        assert "#2e7d32" not in panel.styleSheet()  # never the green of a started job
    assert panel.detail.textFormat() == Qt.TextFormat.PlainText
    assert_literal(label_shows(panel.detail), hostile)


def test_a_hostile_job_name_through_a_real_launch_stays_text(
    qtbot, window: MainWindow, modal: ModalHandler
) -> None:
    window.start_monitor()
    qtbot.waitUntil(
        lambda: window.monitor_panel is not None and window.monitor_panel.monitor is not None
    )
    launch_office_party(qtbot, window, modal, jobname=GREEN_HEADING)
    assert wait_for_outcome(qtbot, window) is Outcome.OK
    # The server echoes the name; the outcome quotes it as text.
    assert GREEN_HEADING in label_shows(window.outcome.detail)
    assert label_shows(window.outcome.title) == "Job started"
    assert window.windowTitle() == "[DEMO] Dispatch Desktop"
    status = window.statusBar().currentMessage()
    assert "ok" not in status.split()  # the outcome in words, never its stored value

    history = window.history.model
    qtbot.waitUntil(lambda: history.rowCount() == 1 and history.records()[0].outcome_known)
    started_as = history.index(0, history.COLUMNS.index("Started as"))
    assert started_as.data() == GREEN_HEADING
    assert shown(started_as.data(Qt.ItemDataRole.ToolTipRole)) == GREEN_HEADING

    panel = window.monitor_panel
    assert panel is not None
    runtime_id = window.history.model.records()[0].runtime_id
    qtbot.waitUntil(lambda: panel.model.row_of(runtime_id) is not None)
    assert panel.select_job(runtime_id)
    row = panel.model.row_of(runtime_id)
    assert panel.model.index(row, 0).data() == GREEN_HEADING
    assert shown(panel.model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)) == GREEN_HEADING
    assert panel.detail_title.textFormat() == Qt.TextFormat.PlainText
    assert GREEN_HEADING in label_shows(panel.detail_title)


def test_a_not_started_answer_never_reads_as_started(qtbot, window: MainWindow) -> None:
    job = window.jobs_panel.model.jobs()[0]
    plan = LaunchPlan(job, StartJobRequest(jobid=job.id), None, SERVER, "alice")
    window._on_launch_finished(LaunchOutcome(Outcome.NOT_STARTED, GREEN_HEADING), plan)
    assert label_shows(window.outcome.title) == "The job was NOT started"
    assert label_shows(window.outcome.detail) == GREEN_HEADING
    status = window.statusBar().currentMessage()
    assert "The job was NOT started" in status
    assert "not_started" not in status


@pytest.mark.parametrize("hostile", HOSTILE, ids=IDS)
def test_history_rows_show_journal_text_literally(qtbot, tmp_path: Path, hostile: str) -> None:
    journal = LaunchJournal(tmp_path / "journal.sqlite3")
    attempt = journal.record_attempt(
        server=SERVER + hostile,
        user=hostile,
        job_id=5,
        job_name=hostile,
        job_type=hostile,
        generic_type=None,
        parameters={"jobid": 5, "message": hostile, "toaddressbookgroups": [hostile]},
    )
    journal.record_outcome(attempt, Outcome.NOT_STARTED, jobname=hostile, message=hostile)
    runner = TaskRunner()
    panel = HistoryPanel(journal, runner)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_launches(LaunchScope.of(SERVER + hostile, demo=False))
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    assert panel.status.textFormat() == Qt.TextFormat.PlainText
    columns = panel.model.COLUMNS
    for name in ("Saved job", "Message", "Recipients", "Started as", "User", "Server", "Details"):
        index = panel.model.index(0, columns.index(name))
        assert_literal(index.data(), hostile, one_line=True)
        assert "\n" not in index.data()
        assert_literal(shown(index.data(Qt.ItemDataRole.ToolTipRole)), hostile)
    assert panel.model.index(0, columns.index("Outcome")).data() == "Not started"
    runner.wait_for_done(10_000)


@pytest.mark.parametrize("hostile", HOSTILE, ids=IDS)
def test_saved_jobs_show_names_and_types_literally(qtbot, hostile: str) -> None:
    from dispatch_desktop.api import JobTypeMapping

    panel = SavedJobsPanel(JobTypeMapping())
    qtbot.addWidget(panel)
    panel.set_jobs([SavedJob(5, hostile, hostile), SavedJob(6, "Plain", "Type")], datetime.now())
    row = next(r for r in range(2) if panel.model.index(r, 3).data() == "5")
    for column in (0, 1):
        index = panel.model.index(row, column)
        assert_literal(index.data(), hostile, one_line=True)
        assert_literal(shown(index.data(Qt.ItemDataRole.ToolTipRole)), hostile)
    types = [panel.type_filter.itemText(i) for i in range(panel.type_filter.count())]
    assert plain(hostile, one_line=True) in types

    panel.set_jobs([], datetime.now())
    panel.set_load_error(hostile)
    assert panel.empty_label.textFormat() == Qt.TextFormat.PlainText
    assert_literal(label_shows(panel.empty_label), hostile)


@pytest.mark.parametrize("hostile", HOSTILE, ids=IDS)
def test_the_monitor_shows_callback_fields_literally(qtbot, hostile: str) -> None:
    panel = MonitorPanel(JobMonitor())
    qtbot.addWidget(panel)
    panel.show()
    panel.add_launch(replace(launch(), result_job_name=hostile))
    start = replace(callback("JOB_START"), agent=hostile)
    assign = callback("JOB_ASSIGN", after=3, sendname=hostile)
    unknown = replace(callback("JOB_PAUSE", after=4), eventtype=hostile)
    feed_events(qtbot, panel, start, assign, unknown)
    assert panel.select_job(JOBID)

    name = panel.model.index(0, 0)
    assert_literal(name.data(), hostile, one_line=True)
    assert_literal(shown(name.data(Qt.ItemDataRole.ToolTipRole)), hostile)
    assert panel.detail_title.textFormat() == Qt.TextFormat.PlainText
    assert plain(hostile, one_line=True, limit=HEADING_NAME_LIMIT) in label_shows(
        panel.detail_title
    )
    assert RLO not in label_shows(panel.detail_title)
    proxy = panel.timeline_model
    cells = [proxy.index(row, column).data() for row in range(3) for column in (1, 2)]
    for text in cells:
        assert RLO not in text
        assert "\n" not in text
    # Event, who: the name stands once per row, beside what happened; an event type the
    # reference does not list is shown as the server named it.
    literal = plain(hostile, one_line=True)
    assert cells == ["Job started", literal, "Accepted", literal, literal, ""]


@pytest.mark.parametrize("hostile", HOSTILE, ids=IDS)
def test_tray_notifications_cannot_carry_markup(qtbot, hostile: str) -> None:
    class RecordingTray:
        """Stands in for the system tray, which the offscreen platform lacks."""

        def __init__(self) -> None:
            self.messages: list[tuple[str, str]] = []

        def showMessage(self, title: str, text: str, *_: object) -> None:  # noqa: N802
            self.messages.append((title, text))

    panel = MonitorPanel(JobMonitor())
    qtbot.addWidget(panel)
    notifier = TrayNotifier()
    tray = RecordingTray()
    notifier.tray = tray  # type: ignore[assignment]
    panel.job_changed.connect(notifier.notify)
    panel.add_launch(replace(launch(), result_job_name=hostile))
    feed_events(qtbot, panel, callback("JOB_START"), callback("JOB_ASSIGN", sendname=hostile))
    feed_events(qtbot, panel, callback("JOB_FINISH", after=9))
    assert [n.kind for n in notifier.sent] == [NotificationKind.ASSIGNED, NotificationKind.FINISHED]
    assert plain(hostile, one_line=True, limit=HEADING_NAME_LIMIT) in notifier.sent[0].text
    assert len(tray.messages) == 2
    for title, text in tray.messages:
        for part in (title, text):
            assert not {"<", ">", "&", RLO} & set(part)
        assert "\n" not in title
    assert notifier.sent[-1].title == plain(hostile, one_line=True, limit=HEADING_NAME_LIMIT)
    assert (
        tray.messages[-1][0].replace("\u2039", "<").replace("\u203a", ">").replace("\uff06", "&")
        == notifier.sent[-1].title
    )


def test_messages_tooltips_and_status_show_text_literally(qtbot, window: MainWindow) -> None:
    # The keyring's complaint after sign-in, in a message box.
    session = window.session
    assert session is not None
    window._apply_session(replace(session, keyring_message=GREEN_HEADING, user=f"al{RLO}ice"))
    box = next(b for b in window.findChildren(QMessageBox) if b.isVisible())
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert shown(box.text(), box.textFormat()) == GREEN_HEADING
    box.close()
    status = window.statusBar().currentMessage()
    assert RLO not in status
    assert status.endswith(session.server)

    # The job monitor's trouble: status bar and tooltip.
    window._show_monitor_status(f"{GREEN_HEADING}\nsecond line")
    assert shown(window._monitor_page.toolTip()) == f"{GREEN_HEADING}\nsecond line"
    assert "\n" not in window.statusBar().currentMessage()
    assert GREEN_HEADING in window.statusBar().currentMessage()


def test_the_sign_in_dialog_shows_server_and_keyring_texts_literally(
    qtbot, context, memory_keyring
) -> None:
    dialog = context.sign_in_dialog()
    qtbot.addWidget(dialog)
    dialog._show_error(GREEN_HEADING)
    assert dialog.error_label.textFormat() == Qt.TextFormat.PlainText
    assert label_shows(dialog.error_label) == GREEN_HEADING
    dialog._on_keyring_status(SecretStoreStatus(False, "keyring", HOSTILE[1]))
    assert dialog.keyring_label.textFormat() == Qt.TextFormat.PlainText
    assert label_shows(dialog.keyring_label) == HOSTILE[1]
    assert shown(dialog.remember.toolTip()) == HOSTILE[1]
    context.runner.wait_for_done(10_000)
