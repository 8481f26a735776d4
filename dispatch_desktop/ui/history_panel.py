"""The History panel: the launches on the server signed in to, as a table, exportable to CSV.

It shows only the journal rows of one server, in the modes of this profile's world (a real
profile never shows a demo row, docs/profiles.md); signed out, it shows none. Each row says
what was sent (message, recipients, mode); the launch in flight reads *Sending…*, not
"outcome unknown". A row's menu (right click, the Menu key, Shift+F10) copies its runtime id,
shows it in the monitor or asks to launch again with its settings.

Reading and exporting the journal are disk work, done off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QColor, QContextMenuEvent, QFont, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dispatch_desktop.api import TagFilter, ValidationError
from dispatch_desktop.launcher import Journal
from dispatch_desktop.storage.journal import LaunchJournal, LaunchMode, LaunchRecord, Outcome
from dispatch_desktop.ui.common import APP_NAME, PlainLabel, count_text, error_sentence, tr
from dispatch_desktop.ui.table_model import TEXT_ROLES, ColumnsModel, Index, cell_text
from dispatch_desktop.ui.workers import TaskRunner

OUTCOME_LABELS = {
    Outcome.PENDING: "Pending — outcome unknown",
    Outcome.OK: "Started",
    Outcome.NOT_STARTED: "Not started",
    Outcome.REJECTED: "Rejected",
    Outcome.AUTH_FAILED: "Authentication failed",
    Outcome.UNKNOWN: "OUTCOME UNKNOWN",
    Outcome.CONNECTION_FAILED: "Server unreachable",
    Outcome.REFUSED_LOCALLY: "Refused before sending",
    Outcome.STARTED_UNVERIFIABLE: "Started (runtime id not valid)",
    Outcome.CANCELLED: "Cancelled before sending",
}
SENDING_LABEL = "Sending…"
"""The outcome of the attempt this app is sending right now (still ``pending`` in the journal)."""
MODE_LABELS = {
    LaunchMode.LIVE: "Live",
    LaunchMode.EXERCISE: "EXERCISE",
    LaunchMode.DEMO: "Demo",
}
REAL_MODES = frozenset({LaunchMode.LIVE, LaunchMode.EXERCISE})
DEMO_MODES = frozenset({LaunchMode.DEMO})

_WARN = QColor("#c62828")
_SENDING = QColor("#0d47a1")
# The exercise marker's colours: the hatched banner's yellow under black text (AA contrast).
_EXERCISE_BACKGROUND = QColor("#ffd600")
_EXERCISE_TEXT = QColor("#000000")


@dataclass(frozen=True)
class LaunchScope:
    """The journal rows a window shows: those against ``server`` in one of ``modes``, the
    modes of the profile's world (a real profile keeps demo rows from before profiles
    existed: they stay in the file, never on screen)."""

    server: str
    modes: frozenset[LaunchMode]

    @classmethod
    def of(cls, server: str, *, demo: bool) -> LaunchScope:
        """The rows of ``server`` in demo mode's world or in the real one."""
        return cls(server, DEMO_MODES if demo else REAL_MODES)

    def includes(self, record: LaunchRecord) -> bool:
        """Whether ``record`` belongs here."""
        return record.server == self.server and record.mode in self.modes

    def read(self, journal: LaunchJournal) -> list[LaunchRecord]:
        """Blocking: the rows of this scope, newest first."""
        return [r for r in journal.entries(server=self.server) if r.mode in self.modes]


# -- a launch in words --------------------------------------------------------------------


def _filter_in_words(value: Any) -> str:
    """``Base: STO or OSL and On call: Yes``. A filter the journal holds in another shape (a
    hand-edited file) is shown as its text, or said to be unreadable: its parts would show
    the API's field names."""
    try:
        if isinstance(value, list):
            tag_filter = TagFilter.from_json(value)
        else:
            tag_filter = TagFilter.coerce(str(value))
    except ValidationError:
        return value if isinstance(value, str) else tr("(a filter that cannot be read)")
    return tr(" and ").join(
        tr("%1: %2").replace("%1", part.tagtype).replace("%2", tr(" or ").join(part.values))
        for part in tag_filter.parts
    )


def _names(value: Any) -> str:
    return ", ".join(str(name) for name in value) if isinstance(value, list) else str(value)


def _count(value: Any, one: str, many: str) -> str:
    return count_text(len(value) if isinstance(value, list) else 1, one, many)


def recipients_in_words(parameters: Mapping[str, Any], generic_type: str | None = None) -> str:
    """Who a launch went to, short: "tag filter Base: STO or OSL; 3 numbers; excluding On
    call: Yes; added to the job's own"."""
    added = []
    for key in ("toaddressbookcustomtagfilter", "toaddressbooktagfilterjson"):
        if key in parameters:
            added.append(tr("tag filter %1").replace("%1", _filter_in_words(parameters[key])))
    if "toaddressbooksavedtagfilters" in parameters:
        names = _names(parameters["toaddressbooksavedtagfilters"])
        added.append(tr("saved filters %1").replace("%1", names))
    if "toaddressbookgroups" in parameters:
        added.append(tr("groups %1").replace("%1", _names(parameters["toaddressbookgroups"])))
    if "tonumbers" in parameters:
        added.append(_count(parameters["tonumbers"], "%1 number", "%1 numbers"))
    excluded = []
    if "excludenumbers" in parameters:
        excluded.append(_count(parameters["excludenumbers"], "%1 number", "%1 numbers"))
    for key in ("excludecustomtagfilter", "excludetagfilterjson"):
        if key in parameters:
            excluded.append(_filter_in_words(parameters[key]))
    words = added or [tr("the job's own recipients")]
    words.extend(tr("excluding %1").replace("%1", text) for text in excluded)
    if added:
        keep = parameters.get("tokeep") is True and generic_type != "GMA"
        words.append(tr("added to the job's own") if keep else tr("replacing the job's own"))
    return "; ".join(words)


def _parameters(record: LaunchRecord) -> dict[str, Any]:
    try:
        values = record.parameter_values()
    except ValueError:  # a hand-edited journal: the row is still worth showing
        return {}
    return values if isinstance(values, dict) else {}


def message_in_words(record: LaunchRecord) -> str:
    """The message sent, or that the saved job's own went out."""
    message = _parameters(record).get("message")
    return str(message) if message else tr("(the saved job's message)")


# -- the table ------------------------------------------------------------------------------


class LaunchHistoryModel(ColumnsModel):
    """Journal records, newest first."""

    COLUMNS = (
        "Time",
        "Saved job",
        "Mode",
        "Outcome",
        "Message",
        "Recipients",
        "Runtime id",
        "Started as",
        "User",
        "Server",
        "Saved job id",
        "Details",
    )
    MODE_COLUMN = 2
    OUTCOME_COLUMN = 3

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._records: list[LaunchRecord] = []
        self._sending: int | None = None

    def set_records(self, records: list[LaunchRecord]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def records(self) -> list[LaunchRecord]:
        """The rows shown."""
        return list(self._records)

    def record_at(self, row: int) -> LaunchRecord:
        """The record shown in ``row``."""
        return self._records[row]

    @property
    def sending(self) -> int | None:
        """The journal id of the attempt this app is sending now, if any."""
        return self._sending

    def set_sending(self, attempt_id: int | None) -> None:
        """Show ``attempt_id`` (while still pending) as *Sending…*; ``None``: none is."""
        self._sending = attempt_id
        if self._records:
            last = self.index(len(self._records) - 1, len(self.COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def is_sending(self, record: LaunchRecord) -> bool:
        """Whether ``record`` is the attempt in flight: its start call has no answer yet."""
        return record.id == self._sending and record.outcome is Outcome.PENDING

    def row_count(self) -> int:
        return len(self._records)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self._records[index.row()]
        exercise_cell = index.column() == self.MODE_COLUMN and record.mode is LaunchMode.EXERCISE
        if role in TEXT_ROLES:
            return cell_text(self._text(record, index.column()), role)
        if role == Qt.ItemDataRole.ForegroundRole:
            if exercise_cell:
                return _EXERCISE_TEXT
            if self.is_sending(record):
                return _SENDING
            return None if record.outcome_known else _WARN
        if role == Qt.ItemDataRole.BackgroundRole and exercise_cell:
            return _EXERCISE_BACKGROUND
        if role == Qt.ItemDataRole.FontRole and exercise_cell:
            bold = QFont()
            bold.setBold(True)
            return bold
        if role == Qt.ItemDataRole.UserRole:
            return record
        return None

    def outcome_text(self, record: LaunchRecord) -> str:
        """The outcome in words; the attempt in flight is *Sending…*."""
        return tr(SENDING_LABEL if self.is_sending(record) else OUTCOME_LABELS[record.outcome])

    def _text(self, record: LaunchRecord, column: int) -> str:
        # Each cell computed only when asked for: the recipients take some parsing.
        cells = (
            lambda: record.attempted_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
            lambda: record.job_name or "",
            lambda: tr(MODE_LABELS[record.mode]),
            lambda: self.outcome_text(record),
            lambda: message_in_words(record),
            lambda: recipients_in_words(_parameters(record), record.generic_type),
            lambda: "" if record.runtime_id is None else str(record.runtime_id),  # exact, F1
            lambda: record.result_job_name or "",
            lambda: record.user,
            lambda: record.server,
            lambda: str(record.job_id),
            lambda: record.message or "",
        )
        return cells[column]()


class HistoryTable(QTableView):
    """The history table; the Menu key and Shift+F10 open a row's menu as a right click
    does (``menu_requested(row, global position)``)."""

    menu_requested = Signal(int, QPoint)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt API
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            index = self.indexAt(event.pos())
            if index.isValid():
                self.setCurrentIndex(index)
                self.menu_requested.emit(index.row(), event.globalPos())
            return
        self._menu_at_current()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        shift_f10 = (
            event.key() == Qt.Key.Key_F10 and event.modifiers() == Qt.KeyboardModifier.ShiftModifier
        )
        if event.key() == Qt.Key.Key_Menu or shift_f10:
            event.accept()
            self._menu_at_current()
            return
        super().keyPressEvent(event)

    def _menu_at_current(self) -> None:
        index = self.currentIndex()
        if not index.isValid():
            if self.model().rowCount() == 0:
                return
            index = self.model().index(0, 0)
            self.setCurrentIndex(index)
        rect = self.visualRect(index)
        self.menu_requested.emit(index.row(), self.viewport().mapToGlobal(rect.center()))


class _WatchedJournal:
    """The journal a launch writes to, telling the History which attempt is in flight (from
    the launch's worker thread, through queued signals)."""

    def __init__(self, journal: Journal, panel: HistoryPanel) -> None:
        self._journal = journal
        self._panel = panel

    def record_attempt(self, **attempt: Any) -> int:
        attempt_id = self._journal.record_attempt(**attempt)
        self._panel.attempt_recorded.emit(attempt_id)
        return attempt_id

    def record_outcome(self, attempt_id: int, outcome: str, **answer: Any) -> None:
        try:
            self._journal.record_outcome(attempt_id, outcome, **answer)
        finally:
            self._panel.attempt_settled.emit(attempt_id)


class HistoryPanel(QWidget):
    """Shows the launches of one :class:`LaunchScope` (none until :meth:`show_launches`);
    ``reload()`` after each launch.

    Signals: ``loaded()`` after each reload; ``monitor_requested(runtime id)``;
    ``launch_again_requested(LaunchRecord)`` (fill the form with what was sent)."""

    loaded = Signal()
    monitor_requested = Signal(object)  # the runtime id (F1: not Signal(int))
    launch_again_requested = Signal(object)
    # Emitted by a launch's worker thread (see watching()); delivered queued.
    attempt_recorded = Signal(object)
    attempt_settled = Signal(object)

    def __init__(
        self, journal: LaunchJournal | None, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.journal = journal
        self.runner = runner
        self.scope: LaunchScope | None = None
        self._generation = 0
        self.menu = QMenu(self)
        self.menu.setAccessibleName(tr("Launch actions"))
        self.model = LaunchHistoryModel(self)
        self.table = HistoryTable(self)
        self.table.setAccessibleName(tr("Launch history"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.menu_requested.connect(self._open_menu)
        self.status = PlainLabel("", self)
        self.status.setWordWrap(True)
        self.export_button = QPushButton(tr("Export CSV…"), self)
        self.export_button.setAccessibleName(tr("Export history to CSV"))
        self.export_button.clicked.connect(self._ask_export)
        self.reload_button = QPushButton(tr("Reload"), self)
        self.reload_button.setAccessibleName(tr("Reload history"))
        self.reload_button.clicked.connect(self.reload)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.reload_button)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        queued = Qt.ConnectionType.QueuedConnection
        self.attempt_recorded.connect(self._on_attempt_recorded, queued)
        self.attempt_settled.connect(self._on_attempt_settled, queued)
        if journal is None:
            self.status.setText(tr("Opening the launch journal…"))
            self._set_usable(False)

    def set_journal(self, journal: LaunchJournal | None) -> None:
        """Use ``journal`` once it is open; ``None`` means it could not be opened."""
        self.journal = journal
        self._set_usable(journal is not None)
        if journal is None:
            self.status.setText(tr("The launch journal could not be opened; see the log file."))
        else:
            self.reload()

    def _set_usable(self, usable: bool) -> None:
        self.export_button.setEnabled(usable)
        self.reload_button.setEnabled(usable)

    def show_launches(self, scope: LaunchScope | None) -> None:
        """Show the launches of ``scope`` (the server signed in to); ``None``: signed out,
        none at all."""
        self.scope = scope
        self.reload()

    def reload(self) -> None:
        """Read the journal again, off the GUI thread. Only the newest read is shown: one
        begun before a sign-out must not bring back the rows of the server left."""
        journal, scope = self.journal, self.scope
        if journal is None:
            return
        self._generation += 1
        generation = self._generation
        if scope is None:
            self._show([], generation)
            return
        self.runner.submit(
            lambda: scope.read(journal),
            "read launch journal",
            lambda records: self._show(records, generation),
            self._failed,
        )

    def _show(self, records: list[LaunchRecord], generation: int) -> None:
        if generation != self._generation:
            return
        self.model.set_records(records)
        if self.scope is None:
            self.status.setText(tr("Not signed in: sign in to see the launches on your server."))
        else:
            self.status.setText(
                count_text(
                    len(records),
                    "%1 launch attempt recorded on %2.",
                    "%1 launch attempts recorded on %2.",
                ).replace("%2", self.scope.server)
            )
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(error_sentence(error) if not str(error) else str(error))

    # -- the launch in flight -------------------------------------------------------------------

    def watching(self, journal: Journal | None) -> Journal | None:
        """``journal`` as a launch should write to it: the History then shows the attempt
        as *Sending…* until its outcome is recorded."""
        return None if journal is None else _WatchedJournal(journal, self)

    def _on_attempt_recorded(self, attempt_id: int) -> None:
        self.model.set_sending(attempt_id)
        self.reload()

    def _on_attempt_settled(self, attempt_id: int) -> None:
        if self.model.sending == attempt_id:
            self.model.set_sending(None)
        self.reload()

    # -- a row's menu ---------------------------------------------------------------------------

    def row_menu(self, record: LaunchRecord) -> QMenu:
        """The menu of ``record``'s row: copy its runtime id, show it in the monitor, launch
        again with its settings. One menu, filled anew for each row."""
        menu = self.menu
        menu.clear()
        runtime_id = record.runtime_id
        copy = menu.addAction(tr("&Copy runtime id"))
        copy.setEnabled(runtime_id is not None)
        # The exact digits (F1): the id never passes through a number type of Qt.
        copy.triggered.connect(lambda: QGuiApplication.clipboard().setText(str(runtime_id)))
        show = menu.addAction(tr("&Show in monitor"))
        show.setEnabled(runtime_id is not None)
        show.triggered.connect(lambda: self.monitor_requested.emit(runtime_id))
        again = menu.addAction(tr("&Launch again with these settings"))
        again.setEnabled(not self.model.is_sending(record))
        again.triggered.connect(lambda: self.launch_again_requested.emit(record))
        return menu

    def _open_menu(self, row: int, where: QPoint) -> None:
        self.row_menu(self.model.record_at(row)).popup(where)

    # -- export ---------------------------------------------------------------------------------

    def _ask_export(self) -> None:
        # The window's title says whether this is a drill (demo mode); so does this one.
        title = self.window().windowTitle().replace(APP_NAME, tr("Export launch history"))
        path, _ = QFileDialog.getSaveFileName(
            self, title, "launch-history.csv", tr("CSV files (*.csv)")
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write the whole journal to ``path`` as CSV, off the GUI thread."""
        journal = self.journal
        if journal is None:
            return
        self.runner.submit(
            lambda: journal.export_csv(path),
            "export launch journal",
            lambda count: self.status.setText(
                tr("Exported %1 launch attempts to %2.")
                .replace("%1", str(count))
                .replace("%2", str(path))
            ),
            self._failed,
        )
