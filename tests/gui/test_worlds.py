"""Drill and live are separate worlds (docs/profiles.md): the demo profile's launches never
show in real mode, History and Monitor show only the server signed in to, exercise rows are
marked, the launch in flight reads "Sending…", a History row's menu, and File → Sign out.

A second demo server stands in for a real one: run without ``--demo``, the app treats it as
any real server on this computer."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from conftest import ModalHandler, button_named, demo_form, signed_in_at_start, start_app
from keyring_memory import InMemoryKeyring
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog
from test_launch import launch_office_party, wait_for_outcome
from test_main_window import OFFICE_PARTY, select_job

from dispatch_desktop.api import SavedJob
from dispatch_desktop.cli import build_parser
from dispatch_desktop.demo import DEMO_PASSWORD, DEMO_USERNAME, DemoServer
from dispatch_desktop.storage.journal import LaunchJournal, LaunchMode, LaunchRecord, Outcome
from dispatch_desktop.storage.paths import Profile, config_dir, journal_path
from dispatch_desktop.storage.secrets import SecretKind, SecretStore
from dispatch_desktop.ui.history_panel import LaunchHistoryModel
from dispatch_desktop.ui.main_window import AppContext, MainWindow
from dispatch_desktop.ui.settings import AppSettings
from dispatch_desktop.ui.signin import SignInDialog, sign_in
from dispatch_desktop.ui.workers import TaskRunner

OTHER_SERVER = "https://other.example.com/dispatch/api"
RED = "#c62828"
EXERCISE_YELLOW = "#ffd600"


def column(name: str) -> int:
    return LaunchHistoryModel.COLUMNS.index(name)


def history_texts(window: MainWindow, name: str) -> list[str]:
    model = window.history.model
    return [model.index(row, column(name)).data() for row in range(model.rowCount())]


def monitored_ids(window: MainWindow) -> set[int]:
    panel = window.monitor_panel
    assert panel is not None
    return {panel.model.job_at(row).jobid for row in range(panel.model.rowCount())}


def journaled(
    journal: LaunchJournal, server: str, runtime_id: int, mode: LaunchMode = LaunchMode.LIVE
) -> int:
    """A launch the server answered OK with ``runtime_id``; returns its journal id."""
    attempt = journal.record_attempt(
        server=server,
        user="alice",
        job_id=OFFICE_PARTY,
        job_name="Office Party",
        job_type="MonitoredMessage",
        generic_type="GMM",
        parameters={"jobid": OFFICE_PARTY, "message": f"Launch {runtime_id}"},
        mode=mode,
    )
    journal.record_outcome(attempt, Outcome.OK, runtimeid=runtime_id, jobname="Office Party")
    return attempt


def sign_in_with(server: str, *, remember: bool = False):
    """A modal action: sign in to ``server`` with the demo account, as typed by a user."""

    def act(dialog: QDialog) -> None:
        assert isinstance(dialog, SignInDialog)
        dialog.server.setText(server)
        dialog.username.setText(DEMO_USERNAME)
        dialog.password.setText(DEMO_PASSWORD)
        dialog.remember.setChecked(remember)
        dialog.sign_in_button.click()

    return act


def wait_until_shown(qtbot, window: MainWindow) -> None:
    """The History has read the journal for the session, and the monitor runs."""
    qtbot.waitUntil(
        lambda: (
            window.monitor_panel is not None
            and window.monitor_panel.monitor is not None
            and window.history.scope is not None
            and "recorded on" in window.history.status.text()
        ),
        timeout=10_000,
    )
    window.context.runner.wait_for_done(10_000)
    QApplication.processEvents()


# -- two sign-ins, one data folder ----------------------------------------------------------


def test_a_demo_launch_is_absent_from_real_mode(
    qtbot, modal: ModalHandler, memory_keyring: InMemoryKeyring, restore_logging
) -> None:
    # First run: demo mode, one launch, close.
    args = build_parser().parse_args(["--demo", "--demo-start-delay", "0"])
    with ExitStack() as stack:
        window = signed_in_at_start(qtbot, start_app(qtbot, args, stack))
        wait_until_shown(qtbot, window)
        launch_office_party(qtbot, window, modal, message="Drill only")
        assert wait_for_outcome(qtbot, window) is Outcome.OK
        drill = int(window.outcome.runtime_id.text())
        qtbot.waitUntil(lambda: drill in monitored_ids(window), timeout=10_000)
        window.context.runner.wait_for_done(10_000)
        window.close()
        window.session.client.close()
    drills = LaunchJournal(journal_path(Profile.DEMO)).entries()
    assert [(r.runtime_id, r.mode) for r in drills] == [(drill, LaunchMode.DEMO)]
    assert not (config_dir(Profile.REAL) / "settings.ini").exists()  # no real setting written

    # Second run: real mode against a server on this computer, same data folder. The real
    # profile also holds rows of an older version: one against this very address that the
    # journal's migration marked demo, one of another server.
    with DemoServer(start_delay=0.0, speed=1000.0) as server:
        journal = LaunchJournal(journal_path(Profile.REAL))
        live = journaled(journal, server.url, 777903613308588001)
        journaled(journal, server.url, 777903613308588003, LaunchMode.DEMO)
        journaled(journal, OTHER_SERVER, 777903613308588005)
        args = build_parser().parse_args(["--server", server.url])
        with ExitStack() as stack:
            start = start_app(qtbot, args, stack)
            dialog = start.dialog
            assert dialog is not None
            offered = (dialog.server.text(), dialog.username.text(), dialog.password.text())
            assert offered == (server.url, "", "")  # not pre-filled with the demo account
            window = signed_in_at_start(qtbot, start, sign_in_with(server.url))
            assert not window.windowTitle().startswith("[DEMO]")
            wait_until_shown(qtbot, window)
            records = window.history.model.records()
            assert [r.id for r in records] == [live]
            assert drill not in {r.runtime_id for r in records}
            assert monitored_ids(window) == {777903613308588001}
            assert window.monitor_panel.monitor.active_count() == 1
            assert window.monitor_panel.count_label.text() == "1 active job"
            window.close()
            window.session.client.close()


# -- a real-mode window ---------------------------------------------------------------------


@pytest.fixture
def other_server() -> Iterator[DemoServer]:
    with DemoServer(start_delay=0.0, speed=1000.0) as server:
        yield server


@pytest.fixture
def real_context(tmp_path: Path, memory_keyring: InMemoryKeyring) -> Iterator[AppContext]:
    """What a real-mode app (no ``--demo``) shares: no demo server, no demo account."""
    runner = TaskRunner()
    yield AppContext(
        settings=AppSettings(tmp_path / "real-settings.ini"),
        secrets=SecretStore(),
        runner=runner,
        journal=LaunchJournal(tmp_path / "real-journal.sqlite3"),
    )
    runner.wait_for_done(30_000)


@pytest.fixture
def real_window(real_context: AppContext, demo_server: DemoServer) -> Iterator[MainWindow]:
    """A real-mode window signed in to ``demo_server`` as a real server."""
    session = sign_in(demo_form(demo_server), real_context.secrets)
    window = MainWindow(real_context, session)
    window.show()
    yield window
    real_context.runner.wait_for_done(30_000)
    window.close()
    window.deleteLater()


def test_history_and_monitor_show_the_signed_in_servers_rows_with_exercises_marked(
    qtbot,
    real_window: MainWindow,
    demo_server: DemoServer,
    other_server: DemoServer,
    modal: ModalHandler,
) -> None:
    journal = real_window.context.journal
    assert journal is not None
    live = journaled(journal, demo_server.url, 777903613308588011)
    exercise = journaled(journal, demo_server.url, 777903613308588013, LaunchMode.EXERCISE)
    elsewhere = journaled(journal, other_server.url, 777903613308588015)
    real_window.start_monitor()
    real_window.history.reload()
    wait_until_shown(qtbot, real_window)

    assert [r.id for r in real_window.history.model.records()] == [exercise, live]
    assert history_texts(real_window, "Mode") == ["EXERCISE", "Live"]
    marker = real_window.history.model.index(0, column("Mode"))
    assert marker.data(Qt.ItemDataRole.BackgroundRole).name() == EXERCISE_YELLOW
    assert monitored_ids(real_window) == {777903613308588011, 777903613308588013}
    panel = real_window.monitor_panel
    assert panel is not None
    labels = {panel.model.index(row, 0).data() for row in range(2)}
    assert labels == {"Office Party", "EXERCISE · Office Party"}
    assert panel.monitor.active_count() == 2

    # Another server: its rows only.
    modal.then(sign_in_with(other_server.url))
    real_window.sign_in_again()
    assert real_window.session is not None
    assert real_window.session.server == other_server.url
    qtbot.waitUntil(lambda: [r.id for r in real_window.history.model.records()] == [elsewhere])
    assert monitored_ids(real_window) == {777903613308588015}
    assert panel.monitor.active_count() == 1

    # Signed out: nothing of any server.
    modal.click(button_named("Cancel"))
    real_window.sign_out_action.trigger()
    assert real_window.session is None
    qtbot.waitUntil(lambda: real_window.history.model.rowCount() == 0)
    assert "Not signed in" in real_window.history.status.text()
    assert monitored_ids(real_window) == set()
    assert panel.monitor.active_count() == 0
    assert panel.count_label.text() == "0 active jobs"
    assert "Not signed in" in panel.empty_label.text()
    assert panel.stack.currentWidget() is panel.empty_label


# -- the History's rows ---------------------------------------------------------------------


def test_a_launch_in_flight_reads_sending_not_outcome_unknown(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    demo_server.start_delay = 3.0
    launch_office_party(qtbot, window, modal, message="Slow one")
    history = window.history.model
    qtbot.waitUntil(lambda: history.rowCount() == 1, timeout=5_000)
    assert history.records()[0].outcome is Outcome.PENDING
    outcome = history.index(0, column("Outcome"))
    assert outcome.data() == "Sending…"
    assert outcome.data(Qt.ItemDataRole.ForegroundRole).name() != RED
    assert history.index(0, column("Message")).data() == "Slow one"
    assert not window.sign_out_action.isEnabled()  # the launch belongs to this session
    assert wait_for_outcome(qtbot, window) is Outcome.OK
    qtbot.waitUntil(lambda: history.index(0, column("Outcome")).data() == "Started")
    assert window.sign_out_action.isEnabled()


def test_a_pending_row_of_another_run_still_reads_outcome_unknown(
    qtbot, window: MainWindow, demo_server: DemoServer
) -> None:
    journal = window.context.journal
    assert journal is not None
    # Left pending by a process that crashed mid-call (F3).
    journal.record_attempt(
        server=demo_server.url,
        user="demo",
        job_id=OFFICE_PARTY,
        parameters={"jobid": OFFICE_PARTY},
        mode=LaunchMode.DEMO,
    )
    window.history.reload()
    qtbot.waitUntil(lambda: window.history.model.rowCount() == 1)
    outcome = window.history.model.index(0, column("Outcome"))
    assert outcome.data() == "Pending — outcome unknown"
    assert outcome.data(Qt.ItemDataRole.ForegroundRole).name() == RED


def test_history_rows_say_what_was_sent(
    qtbot, window: MainWindow, modal: ModalHandler, demo_server: DemoServer
) -> None:
    select_job(qtbot, window, OFFICE_PARTY)
    window.form.tagfilter.set_filter("Base:STO|OSL")
    qtbot.keyClicks(window.form.excludenumbers, "+46701234567")
    qtbot.keyClicks(window.form.message, "Meet at the gate")
    window.form.keep_replace.click()  # the dispatcher's explicit choice (issue 8 §2)
    modal.click(button_named("Confirm start job"))
    window.form.start_button.click()
    assert wait_for_outcome(qtbot, window) is Outcome.OK
    qtbot.waitUntil(lambda: window.history.model.rowCount() == 1)
    assert history_texts(window, "Message") == ["Meet at the gate"]
    assert history_texts(window, "Mode") == ["Demo"]
    (recipients,) = history_texts(window, "Recipients")
    assert recipients.startswith("tag filter Base: STO or OSL; excluding 1 number")


def open_menu_by_right_click(window: MainWindow, row: int) -> None:
    table = window.history.table
    where = table.visualRect(window.history.model.index(row, 1)).center()
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, where, table.viewport().mapToGlobal(where)
    )
    QApplication.sendEvent(table.viewport(), event)


def menu_actions(window: MainWindow) -> dict[str, object]:
    return {action.text().replace("&", ""): action for action in window.history.menu.actions()}


def test_a_rows_menu_copies_the_id_shows_it_in_the_monitor_and_offers_to_launch_again(
    qtbot, window: MainWindow, modal: ModalHandler
) -> None:
    window.start_monitor()
    qtbot.waitUntil(
        lambda: window.monitor_panel is not None and window.monitor_panel.monitor is not None
    )
    launch_office_party(qtbot, window, modal, message="Again?")
    assert wait_for_outcome(qtbot, window) is Outcome.OK
    history = window.history
    qtbot.waitUntil(lambda: [r.outcome for r in history.model.records()] == [Outcome.OK])
    record = history.model.records()[0]
    assert record.runtime_id is not None
    window.show_history()

    open_menu_by_right_click(window, 0)
    qtbot.waitUntil(history.menu.isVisible)
    actions = menu_actions(window)
    assert list(actions) == [
        "Copy runtime id",
        "Show in monitor",
        "Launch again with these settings",
    ]
    assert all(action.isEnabled() for action in actions.values())
    actions["Copy runtime id"].trigger()
    assert QGuiApplication.clipboard().text() == str(record.runtime_id)  # every digit (F1)

    actions["Show in monitor"].trigger()
    assert window.tabs.currentWidget() is window._monitor_page
    # The monitor learns of the launch off the GUI thread; a job it has not read yet is
    # read, then selected.
    qtbot.waitUntil(lambda: window.monitor_panel.selected_jobid() == record.runtime_id)

    with qtbot.waitSignal(history.launch_again_requested) as asked:
        actions["Launch again with these settings"].trigger()
    again = asked.args[0]
    assert isinstance(again, LaunchRecord)
    assert again == record
    assert again.parameter_values()["message"] == "Again?"
    history.menu.close()


@pytest.mark.parametrize(
    ("key", "modifier"),
    [
        (Qt.Key.Key_Menu, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier),
    ],
    ids=["menu-key", "shift-f10"],
)
def test_the_keyboard_opens_the_same_menu_on_the_current_row(
    qtbot, window: MainWindow, demo_server: DemoServer, key: Qt.Key, modifier
) -> None:
    journal = window.context.journal
    assert journal is not None
    journaled(journal, demo_server.url, 777903613308588021, LaunchMode.DEMO)
    journaled(journal, demo_server.url, 777903613308588023, LaunchMode.DEMO)
    window.show_history()
    history = window.history
    qtbot.waitUntil(lambda: history.model.rowCount() == 2)
    history.table.setFocus()
    history.table.setCurrentIndex(history.model.index(1, 0))
    qtbot.keyClick(history.table, key, modifier)
    qtbot.waitUntil(history.menu.isVisible)
    menu_actions(window)["Copy runtime id"].trigger()
    assert QGuiApplication.clipboard().text() == "777903613308588021"
    history.menu.close()


def test_a_row_without_runtime_id_offers_only_launch_again(
    qtbot, window: MainWindow, demo_server: DemoServer
) -> None:
    journal = window.context.journal
    assert journal is not None
    attempt = journal.record_attempt(
        server=demo_server.url,
        user="demo",
        job_id=OFFICE_PARTY,
        parameters={"jobid": OFFICE_PARTY},
        mode=LaunchMode.DEMO,
    )
    journal.record_outcome(attempt, Outcome.CONNECTION_FAILED, message="Nothing was sent.")
    window.history.reload()
    qtbot.waitUntil(lambda: window.history.model.rowCount() == 1)
    open_menu_by_right_click(window, 0)
    qtbot.waitUntil(window.history.menu.isVisible)
    enabled = {text: action.isEnabled() for text, action in menu_actions(window).items()}
    assert enabled == {
        "Copy runtime id": False,
        "Show in monitor": False,
        "Launch again with these settings": True,
    }
    window.history.menu.close()


# -- sign out -------------------------------------------------------------------------------


@pytest.mark.parametrize("remember", [True, False], ids=["remembered", "session-only"])
def test_sign_out_ends_the_session_and_keeps_only_the_keyring_secret(
    qtbot,
    real_context: AppContext,
    demo_server: DemoServer,
    modal: ModalHandler,
    memory_keyring: InMemoryKeyring,
    remember: bool,
) -> None:
    context = real_context
    window = MainWindow(context)
    window.show()
    qtbot.addWidget(window)
    assert not window.sign_out_action.isEnabled()
    modal.then(sign_in_with(demo_server.url, remember=remember))
    window.sign_in_again()
    assert window.session is not None
    qtbot.waitUntil(lambda: "recorded on" in window.history.status.text())
    select_job(qtbot, window, OFFICE_PARTY)
    qtbot.keyClicks(window.form.message, "Half-typed")
    offered: list[str] = []

    def note_and_cancel(dialog: QDialog) -> None:
        assert isinstance(dialog, SignInDialog)
        qtbot.waitUntil(lambda: dialog.keyring_label.text() != "")
        if remember:  # read back from the keyring, off the GUI thread
            qtbot.waitUntil(lambda: dialog.password.text() != "")
        offered.append(dialog.password.text())
        dialog.cancel_button.click()

    modal.then(note_and_cancel)
    window.sign_out_action.trigger()

    assert window.session is None
    assert window.jobs_panel.model.rowCount() == 0
    assert "Not signed in" in window.jobs_panel.empty_label.text()
    assert window._form is None  # what was typed is gone
    assert window._start_stack.currentIndex() == 0
    assert window.history.model.rowCount() == 0
    assert not window.sign_out_action.isEnabled()
    assert context.session_secrets.load(demo_server.url, DEMO_USERNAME, SecretKind.PASSWORD) is None
    assert offered == ([DEMO_PASSWORD] if remember else [""])
    assert list(memory_keyring.secrets.values()) == ([DEMO_PASSWORD] if remember else [])
    assert "Signed out" in window.statusBar().currentMessage()
    context.runner.wait_for_done(10_000)


def test_a_refresh_answered_after_sign_out_shows_nothing(
    qtbot, window: MainWindow, modal: ModalHandler, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.session is not None
    client = window.session.client
    answer_now = threading.Event()
    list_saved_jobs = client.list_saved_jobs

    def answer_late() -> list[SavedJob]:
        answer_now.wait(30)
        return list_saved_jobs()  # the server's real answer, after the sign-out

    monkeypatch.setattr(client, "list_saved_jobs", answer_late)
    window.refresh()
    modal.click(button_named("Cancel"))
    window.sign_out()
    answer_now.set()
    window.context.runner.wait_for_done(30_000)
    QApplication.processEvents()
    assert window.jobs_panel.model.rowCount() == 0
    assert "Not signed in" in window.jobs_panel.empty_label.text()
    assert window.jobs_panel.refresh_button.isEnabled()


def test_the_file_menu_has_sign_out_beside_sign_in(window: MainWindow) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    texts = [action.text().replace("&", "") for action in file_menu.actions()]
    assert texts.index("Sign out") == texts.index("Sign in…") + 1
    assert window.sign_out_action.isEnabled()
