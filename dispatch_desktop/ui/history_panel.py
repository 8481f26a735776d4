"""The History panel: the launches on the server signed in to, as a table, exportable to CSV.

It shows only the journal rows of one server, in the modes of this profile's world (a real
profile never shows a demo row, docs/profiles.md); signed out, it shows none. Each row says
what was sent (message, recipients, mode); the launch in flight reads *Sending…*, not
"outcome unknown". A row's menu (right click, the Menu key, Shift+F10) copies its runtime id,
shows it in the monitor or asks to launch again with its settings.

Reading and exporting the journal are disk work, done off the GUI thread.
"""

from __future__ import annotations

import threading
import time
from array import array
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from itertools import islice
from operator import neg
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QContextMenuEvent, QFont, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dispatch_desktop.api import TagFilter, ValidationError
from dispatch_desktop.launcher import Journal
from dispatch_desktop.storage.journal import (
    ExportCancelled,
    LaunchJournal,
    LaunchMode,
    LaunchRecord,
    Outcome,
)
from dispatch_desktop.ui import colors
from dispatch_desktop.ui.common import (
    APP_NAME,
    PLURAL,
    PlainLabel,
    error_sentence,
    fill,
    library_text,
    translate,
)
from dispatch_desktop.ui.table_model import ColumnsModel, Index, cell_text
from dispatch_desktop.ui.workers import TaskRunner

OUTCOME_LABELS = {
    Outcome.PENDING: QT_TRANSLATE_NOOP("HistoryPanel", "Pending — outcome unknown"),
    Outcome.OK: QT_TRANSLATE_NOOP("HistoryPanel", "Started"),
    Outcome.NOT_STARTED: QT_TRANSLATE_NOOP("HistoryPanel", "Not started"),
    Outcome.REJECTED: QT_TRANSLATE_NOOP("HistoryPanel", "Rejected"),
    Outcome.AUTH_FAILED: QT_TRANSLATE_NOOP("HistoryPanel", "Authentication failed"),
    Outcome.UNKNOWN: QT_TRANSLATE_NOOP("HistoryPanel", "OUTCOME UNKNOWN"),
    Outcome.CONNECTION_FAILED: QT_TRANSLATE_NOOP("HistoryPanel", "Server unreachable"),
    Outcome.REFUSED_LOCALLY: QT_TRANSLATE_NOOP("HistoryPanel", "Refused before sending"),
    Outcome.STARTED_UNVERIFIABLE: QT_TRANSLATE_NOOP(
        "HistoryPanel", "Started (runtime id not valid)"
    ),
    Outcome.CANCELLED: QT_TRANSLATE_NOOP("HistoryPanel", "Cancelled before sending"),
}
SENDING_LABEL = QT_TRANSLATE_NOOP("HistoryPanel", "Sending…")
"""The outcome of the attempt this app is sending right now (still ``pending`` in the journal)."""
MODE_LABELS = {
    LaunchMode.LIVE: QT_TRANSLATE_NOOP("HistoryPanel", "Live"),
    LaunchMode.EXERCISE: QT_TRANSLATE_NOOP("HistoryPanel", "EXERCISE"),
    LaunchMode.DEMO: QT_TRANSLATE_NOOP("HistoryPanel", "Demo"),
}
REAL_MODES = frozenset({LaunchMode.LIVE, LaunchMode.EXERCISE})
DEMO_MODES = frozenset({LaunchMode.DEMO})

_BOLD = QFont()
_BOLD.setBold(True)
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_RECORD = Qt.ItemDataRole.UserRole
_EXERCISE_MARKER = {
    _FOREGROUND: QColor(colors.EXERCISE_CELL.text),
    Qt.ItemDataRole.BackgroundRole: QColor(colors.EXERCISE_CELL.background),
    Qt.ItemDataRole.FontRole: _BOLD,
}
"""How an exercise's mode cell looks, by role."""
_ROLES = frozenset({_DISPLAY, _TOOLTIP, _RECORD, *_EXERCISE_MARKER})
"""The roles a history cell can have."""
_ID_COLUMNS = frozenset({"Runtime id", "Saved job id"})
_FREE_TEXT_CHARS = 18
"""The room of a column of names and messages, in characters, before the dispatcher widens
it."""


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
        return journal.entries(server=self.server, modes=self.modes)


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
        return (
            value
            if isinstance(value, str)
            else translate("HistoryPanel", "(a filter that cannot be read)")
        )
    return translate("HistoryPanel", " and ").join(
        fill(
            translate("HistoryPanel", "%1: %2"),
            part.tagtype,
            translate("HistoryPanel", " or ").join(part.values),
        )
        for part in tag_filter.parts
    )


def _names(value: Any) -> str:
    return ", ".join(str(name) for name in value) if isinstance(value, list) else str(value)


def _numbers(value: Any) -> str:
    count = len(value) if isinstance(value, list) else 1
    return translate("HistoryPanel", "%n number(s)", None, PLURAL, count)


def recipients_in_words(parameters: Mapping[str, Any], generic_type: str | None = None) -> str:
    """Who a launch went to, short: "tag filter Base: STO or OSL; 3 numbers; excluding On
    call: Yes; added to the job's own"."""
    added = []
    for key in ("toaddressbookcustomtagfilter", "toaddressbooktagfilterjson"):
        if key in parameters:
            added.append(
                fill(translate("HistoryPanel", "tag filter %1"), _filter_in_words(parameters[key]))
            )
    if "toaddressbooksavedtagfilters" in parameters:
        names = _names(parameters["toaddressbooksavedtagfilters"])
        added.append(fill(translate("HistoryPanel", "saved filters %1"), names))
    if "toaddressbookgroups" in parameters:
        added.append(
            fill(translate("HistoryPanel", "groups %1"), _names(parameters["toaddressbookgroups"]))
        )
    if "tonumbers" in parameters:
        added.append(_numbers(parameters["tonumbers"]))
    excluded = []
    if "excludenumbers" in parameters:
        excluded.append(_numbers(parameters["excludenumbers"]))
    for key in ("excludecustomtagfilter", "excludetagfilterjson"):
        if key in parameters:
            excluded.append(_filter_in_words(parameters[key]))
    words = added or [translate("HistoryPanel", "the job's own recipients")]
    words.extend(fill(translate("HistoryPanel", "excluding %1"), text) for text in excluded)
    if added:
        keep = parameters.get("tokeep") is True and generic_type != "GMA"
        words.append(
            translate("HistoryPanel", "added to the job's own")
            if keep
            else translate("HistoryPanel", "replacing the job's own")
        )
    return "; ".join(words)


def _parameters(record: LaunchRecord) -> dict[str, Any]:
    try:
        values = record.parameter_values()
    except ValueError:  # a hand-edited journal: the row is still worth showing
        return {}
    return values if isinstance(values, dict) else {}


def _message(parameters: Mapping[str, Any]) -> str:
    message = parameters.get("message")
    return str(message) if message else translate("HistoryPanel", "(the saved job's message)")


def message_in_words(record: LaunchRecord) -> str:
    """The message sent, or that the saved job's own went out."""
    return _message(_parameters(record))


# -- the rows, read off the GUI thread ------------------------------------------------------

PAGE_ROWS = 64
"""Rows read from the journal at once: the newest with the ids, the others when shown (a
page is a few screens; making its rows takes ~0.1 ms each)."""
MAX_HELD_ROWS = 64 * PAGE_ROWS
"""Rows held in memory at most; a row scrolled past long ago is read again when shown."""


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """A journal record with its cells' texts, made off the GUI thread: painting a row is
    then a look-up, however long its message."""

    record: LaunchRecord
    texts: tuple[str, ...]
    """Each column's text, whole (for the tooltips)."""
    shown: tuple[str, ...]
    """Each column's text as its cell shows it, on one line."""


def _details(record: LaunchRecord) -> str:
    """What the outcome said: a start in the user's language; otherwise the journal's words,
    translated where they are the app's own (the server's stay as it wrote them)."""
    if record.outcome is Outcome.OK and record.runtime_id is not None:
        return fill(
            translate("HistoryPanel", "Job “%1” started with runtime id %2."),
            record.result_job_name or record.job_name or "",
            record.runtime_id,  # exact digits (F1)
        )
    return library_text(record.message or "")


def history_row(record: LaunchRecord) -> HistoryRow:
    """``record`` with its cells' texts. Blocking work (the parameters are parsed): call it
    off the GUI thread."""
    parameters = _parameters(record)
    texts = (
        record.attempted_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
        record.job_name or "",
        translate("HistoryPanel", MODE_LABELS[record.mode]),
        translate("HistoryPanel", OUTCOME_LABELS[record.outcome]),
        _message(parameters),
        recipients_in_words(parameters, record.generic_type),
        "" if record.runtime_id is None else str(record.runtime_id),  # exact, F1
        record.result_job_name or "",
        record.user,
        record.server,
        str(record.job_id),
        _details(record),
    )
    shown = tuple(cell_text(text, Qt.ItemDataRole.DisplayRole) for text in texts)
    return HistoryRow(record, texts, shown)


def _read_scope(journal: LaunchJournal, scope: LaunchScope) -> tuple[array[int], list[HistoryRow]]:
    """Blocking: the ids of ``scope``'s launches, newest first, and the newest page's rows."""
    ids = journal.launch_ids(scope.server, scope.modes)
    return ids, [history_row(record) for record in journal.launches(ids[:PAGE_ROWS])]


def _read_changes(
    journal: LaunchJournal, scope: LaunchScope, after: int, changed: Collection[int]
) -> tuple[array[int], list[HistoryRow]]:
    """Blocking: the ids of ``scope``'s launches newer than ``after``, newest first, and the
    rows of the newest page of them and of the attempts ``changed`` (those of the scope)."""
    ids = journal.launch_ids(scope.server, scope.modes, after=after)
    records = journal.launches(dict.fromkeys([*ids[:PAGE_ROWS], *changed]))
    return ids, [history_row(record) for record in records if scope.includes(record)]


# -- the table ------------------------------------------------------------------------------


class LaunchHistoryModel(ColumnsModel):
    """The launches of one scope, newest first. It holds every id (8 bytes a row) but the
    rows themselves only for the pages read lately: a row not read yet shows *Loading…* and
    asks for its page (``rows_wanted(ids)``), which the panel reads off the GUI thread."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("HistoryPanel", "Time"),
        QT_TRANSLATE_NOOP("HistoryPanel", "Saved job"),
        QT_TRANSLATE_NOOP("HistoryPanel", "Mode"),
        QT_TRANSLATE_NOOP("HistoryPanel", "Outcome"),
        QT_TRANSLATE_NOOP("HistoryPanel", "Message"),
        QT_TRANSLATE_NOOP("HistoryPanel", "Recipients"),
        QT_TRANSLATE_NOOP("HistoryPanel", "Runtime id"),
        QT_TRANSLATE_NOOP("HistoryPanel", "Started as"),
        QT_TRANSLATE_NOOP("HistoryPanel", "User"),
        QT_TRANSLATE_NOOP("HistoryPanel", "Server"),
        QT_TRANSLATE_NOOP("HistoryPanel", "Saved job id"),
        QT_TRANSLATE_NOOP("HistoryPanel", "Details"),
    )
    CONTEXT = "HistoryPanel"
    MODE_COLUMN = 2
    OUTCOME_COLUMN = 3

    rows_wanted = Signal(object)  # the journal ids of rows to read (a list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ids: array[int] = array("q")
        # Insertion order is the order of forgetting: the rows read longest ago go first.
        self._rows: dict[int, HistoryRow] = {}
        self._asked: set[int] = set()  # ids asked for, not read yet
        self._wanted: list[int] = []  # ids to ask for at the next turn of the event loop
        self._sending: int | None = None

    # -- filled by the panel --------------------------------------------------------------------

    def set_rows(self, ids: array[int], rows: Iterable[HistoryRow]) -> None:
        """Show the launches ``ids`` (newest first), of which ``rows`` are read; replaces all."""
        self.beginResetModel()
        self._ids = ids
        self._rows = {row.record.id: row for row in rows}
        self._asked.clear()
        self._wanted.clear()
        self.endResetModel()

    def add_page(self, rows: Iterable[HistoryRow]) -> None:
        """Rows read as asked. A row updated meanwhile stays: its read is the newer. (An id
        the journal no longer has stays asked for: it is not asked for again.)"""
        rows = list(rows)
        for row in rows:
            self._asked.discard(row.record.id)
            self._rows.setdefault(row.record.id, row)
        self._forget_oldest()
        self._rows_changed(row.record.id for row in rows)

    def update_rows(self, new_ids: array[int], rows: Iterable[HistoryRow]) -> None:
        """Launches ``new_ids`` (newest first) added above the rows shown, and ``rows`` read
        anew (the new ones, an outcome recorded)."""
        if new_ids:
            self.beginInsertRows(QModelIndex(), 0, len(new_ids) - 1)
            self._ids = new_ids + self._ids
            self.endInsertRows()
        rows = list(rows)
        for row in rows:
            self._rows.pop(row.record.id, None)  # now the newest read: forgotten last
            self._rows[row.record.id] = row
        self._forget_oldest()
        self._rows_changed(row.record.id for row in rows)

    @property
    def newest_id(self) -> int:
        """The journal id of the newest launch shown; 0 when none is."""
        return self._ids[0] if self._ids else 0

    def unsettled_ids(self) -> set[int]:
        """The rows held whose outcome is pending or unknown: another process, or the
        dispatcher after checking, may record it."""
        return {id_ for id_, row in self._rows.items() if not row.record.outcome_known}

    # -- read by the view and the panel -----------------------------------------------------------

    def records(self) -> list[LaunchRecord]:
        """The newest rows, as far as read: at most one page, every row of a short history."""
        held = (self._rows.get(id_) for id_ in self._ids[:PAGE_ROWS])
        return [row.record for row in held if row is not None]

    def record_at(self, row: int) -> LaunchRecord | None:
        """The record shown in ``row``; ``None`` while it is read."""
        held = self._row(row)
        return None if held is None else held.record

    @property
    def sending(self) -> int | None:
        """The journal id of the attempt this app is sending now, if any."""
        return self._sending

    def set_sending(self, attempt_id: int | None) -> None:
        """Show ``attempt_id`` (while still pending) as *Sending…*; ``None``: none is."""
        changed = {self._sending, attempt_id} - {None}
        self._sending = attempt_id
        self._rows_changed(changed)

    def is_sending(self, record: LaunchRecord) -> bool:
        """Whether ``record`` is the attempt in flight: its start call has no answer yet."""
        return record.id == self._sending and record.outcome is Outcome.PENDING

    def row_count(self) -> int:
        return len(self._ids)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        # Called for each role of each cell painted: the roles no cell has (most of those
        # asked for) are answered first, and every branch is a look-up.
        if role not in _ROLES or not index.isValid():
            return None
        column = index.column()
        held = self._row(index.row())
        if held is None:
            return (
                translate("HistoryPanel", "Loading…") if role == _DISPLAY and column == 0 else None
            )
        record = held.record
        if role in (_DISPLAY, _TOOLTIP):
            sending = column == self.OUTCOME_COLUMN and self.is_sending(record)
            if role == _DISPLAY:
                return translate("HistoryPanel", SENDING_LABEL) if sending else held.shown[column]
            return cell_text(
                translate("HistoryPanel", SENDING_LABEL) if sending else held.texts[column], role
            )
        if role == _RECORD:
            return record
        if column == self.MODE_COLUMN and record.mode is LaunchMode.EXERCISE:
            return _EXERCISE_MARKER[role]
        if role == _FOREGROUND:
            if self.is_sending(record):
                return colors.accent(colors.Accent.SENDING)
            return None if record.outcome_known else colors.accent(colors.Accent.ERROR)
        return None

    def _row(self, row: int) -> HistoryRow | None:
        """The row read for ``row``; when it is not, its page is asked for."""
        id_ = self._ids[row]
        held = self._rows.get(id_)
        if held is None and id_ not in self._asked:
            self._ask_page_of(row)
        return held

    def _ask_page_of(self, row: int) -> None:
        start = row - row % PAGE_ROWS
        page = self._ids[start : start + PAGE_ROWS]
        missing = [id_ for id_ in page if id_ not in self._rows and id_ not in self._asked]
        self._asked.update(missing)
        if missing and not self._wanted:
            # Asked while painting: the pages a paint needs go out together, after it.
            QTimer.singleShot(0, self._ask)
        self._wanted.extend(missing)

    def _ask(self) -> None:
        wanted, self._wanted = self._wanted, []
        if wanted:
            self.rows_wanted.emit(wanted)

    def _forget_oldest(self) -> None:
        excess = len(self._rows) - MAX_HELD_ROWS
        for id_ in list(islice(self._rows, max(excess, 0))):
            del self._rows[id_]

    def row_of(self, id_: int) -> int | None:
        """The row of journal id ``id_``; ``None`` when it is not shown."""
        ids = self._ids
        row = bisect_left(ids, -id_, key=neg)  # the ids descend
        return row if row < len(ids) and ids[row] == id_ else None

    def _rows_changed(self, ids: Iterable[int]) -> None:
        # One signal for the rows from the first to the last of them: a repaint of the table
        # costs as much as reading a page, so only the rows that changed are repainted.
        rows = [row for row in map(self.row_of, ids) if row is not None]
        if rows:
            last = self.index(max(rows), len(self.COLUMNS) - 1)
            self.dataChanged.emit(self.index(min(rows), 0), last)


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
    """Shows the launches of one :class:`LaunchScope` (none until :meth:`show_launches`):
    ``reload()`` reads them all again, ``refresh_rows()`` only what changed (after a launch).

    Signals: ``loaded()`` after each read; ``monitor_requested(runtime id)``;
    ``launch_again_requested(LaunchRecord)`` (fill the form with what was sent)."""

    loaded = Signal()
    monitor_requested = Signal(object)  # the runtime id (F1: not Signal(int))
    launch_again_requested = Signal(object)
    # Emitted by a launch's worker thread (see watching()); delivered queued.
    attempt_recorded = Signal(object)
    attempt_settled = Signal(object)
    # Emitted by the export's thread: rows written, of how many; delivered queued.
    export_progressed = Signal(int, int)

    def __init__(
        self, journal: LaunchJournal | None, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.journal = journal
        self.runner = runner
        self.scope: LaunchScope | None = None
        self._shown_scope: LaunchScope | None = None  # whose ids the table holds
        # Each reload() begins a generation; a read begun in an older one is dropped. (No
        # task is kept here: a task's callbacks hold this panel, and a cycle of Qt objects
        # collected in a pool thread would be destroyed there.)
        self._generation = 0
        self._reading = False  # every id of the scope
        self._updating = False  # what changed
        self._changed: set[int] = set()  # attempts to read again at the next update
        self._update_due = False
        self._counted = ""  # the status line's count, as last shown
        self._export_stop: threading.Event | None = None  # set: cancel the export under way
        self.menu = QMenu(self)
        self.menu.setAccessibleName(translate("HistoryPanel", "Launch actions"))
        self.model = LaunchHistoryModel(self)
        self.model.rows_wanted.connect(self._read_rows)
        self.table = HistoryTable(self)
        # Tab leaves the table (arrows move inside it): a keyboard user is never trapped.
        self.table.setTabKeyNavigation(False)
        self.table.setAccessibleName(translate("HistoryPanel", "Launch history"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._size_columns()
        self.table.menu_requested.connect(self._open_menu)
        self.status = PlainLabel("", self)
        self.status.setWordWrap(True)
        self.export_progress = QProgressBar(self)
        self.export_progress.setAccessibleName(translate("HistoryPanel", "Export progress"))
        self.export_progress.hide()
        self._keep_room_when_hidden(self.export_progress)
        self.cancel_export_button = QPushButton(translate("HistoryPanel", "Cancel export"), self)
        self.cancel_export_button.setAccessibleName(translate("HistoryPanel", "Cancel the export"))
        self.cancel_export_button.clicked.connect(self.cancel_export)
        self.cancel_export_button.hide()
        self._keep_room_when_hidden(self.cancel_export_button)
        self.export_button = QPushButton(translate("HistoryPanel", "Export CSV…"), self)
        self.export_button.setAccessibleName(translate("HistoryPanel", "Export history to CSV"))
        self.export_button.clicked.connect(self._ask_export)
        self.reload_button = QPushButton(translate("HistoryPanel", "Reload"), self)
        self.reload_button.setAccessibleName(translate("HistoryPanel", "Reload history"))
        self.reload_button.clicked.connect(self.reload)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.export_progress)
        buttons.addWidget(self.cancel_export_button)
        buttons.addWidget(self.reload_button)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        queued = Qt.ConnectionType.QueuedConnection
        self.attempt_recorded.connect(self._on_attempt_recorded, queued)
        self.attempt_settled.connect(self._on_attempt_settled, queued)
        self.export_progressed.connect(self._show_export_progress, queued)
        if journal is None:
            self.status.setText(translate("HistoryPanel", "Opening the launch journal…"))
            self._set_usable(False)

    @staticmethod
    def _keep_room_when_hidden(widget: QWidget) -> None:
        # Shown, it then takes no room from the table: a resized table is repainted whole.
        policy = widget.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        widget.setSizePolicy(policy)

    def _size_columns(self) -> None:
        """Widths from the fonts, set once: sizing to the contents would read every row (and
        ask for every page) at each change. Ids, times and outcomes fit whole; the dispatcher
        can widen any column, and a cell's tooltip holds its whole text."""
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        samples = {
            "Time": ["2000-12-31 23:59:59"],
            "Mode": [translate("HistoryPanel", label) for label in MODE_LABELS.values()],
            "Outcome": [
                translate("HistoryPanel", label)
                for label in (*OUTCOME_LABELS.values(), SENDING_LABEL)
            ],
            "Runtime id": ["9" * 19],  # the largest 64-bit id, whole (F1)
            "Saved job id": ["9" * 19],
        }
        room = metrics.horizontalAdvance("M") * 2
        for column, title in enumerate(self.model.COLUMNS):
            texts = [
                translate("HistoryPanel", title),
                *samples.get(title, ["x" * _FREE_TEXT_CHARS]),
            ]
            header.resizeSection(column, max(map(metrics.horizontalAdvance, texts)) + room)
            if title in _ID_COLUMNS:  # never narrowed: a cut id reads as another id (F1)
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(True)

    def set_journal(self, journal: LaunchJournal | None) -> None:
        """Use ``journal`` once it is open; ``None`` means it could not be opened."""
        self.journal = journal
        self._set_usable(journal is not None)
        if journal is None:
            self.status.setText(
                translate(
                    "HistoryPanel", "The launch journal could not be opened; see the log file."
                )
            )
        else:
            self.reload()

    def _set_usable(self, usable: bool) -> None:
        self.export_button.setEnabled(usable and self._export_stop is None)
        self.reload_button.setEnabled(usable)

    def show_launches(self, scope: LaunchScope | None) -> None:
        """Show the launches of ``scope`` (the server signed in to); ``None``: signed out,
        none at all."""
        self.scope = scope
        self.reload()

    # -- reading the journal --------------------------------------------------------------------

    def reload(self) -> None:
        """Read the scope's launches again, off the GUI thread: every id, and the rows of the
        newest page (the others when shown). Only the newest read is shown: one begun before
        a sign-out must not bring back the rows of the server left."""
        journal, scope = self.journal, self.scope
        if journal is None:
            return
        self._generation += 1
        self._updating = False
        self._changed.clear()
        self._update_due = False
        if scope is None:
            self._show(None, array("q"), [])
            return
        self._reading = True
        self._read(
            lambda: _read_scope(journal, scope),
            "read launch journal",
            lambda read: self._show(scope, *read),
        )

    def refresh_rows(self, changed: Iterable[int] = ()) -> None:
        """Read only what changed, off the GUI thread: the launches added since the last
        read, the attempts ``changed``, and those shown as pending or unknown. A read under
        way is waited for (it may have begun before the change)."""
        self._changed.update(changed)
        self._update_due = True
        if not self._reading and not self._updating:
            self._start_update()

    def _start_update(self) -> None:
        journal, scope = self.journal, self.scope
        self._update_due = False
        if journal is None or scope is None or scope != self._shown_scope:
            self.reload()  # nothing of this scope shown yet: read it all
            return
        changed = self._changed | self.model.unsettled_ids()
        self._changed = set()
        after = self.model.newest_id
        self._updating = True
        self._read(
            lambda: _read_changes(journal, scope, after, changed),
            "read new launches",
            self._show_changes,
        )

    def _show(self, scope: LaunchScope | None, ids: array[int], rows: list[HistoryRow]) -> None:
        self._reading = False
        self._shown_scope = scope
        self.model.set_rows(ids, rows)
        self._loaded(self._count_text())

    def _show_changes(self, read: tuple[array[int], list[HistoryRow]]) -> None:
        self._updating = False
        self.model.update_rows(*read)
        counted = self._count_text()
        # An update that adds no row leaves the status line alone: it may say how an export
        # ended.
        self._loaded(counted if counted != self._counted else None)

    def _count_text(self) -> str:
        if self.scope is None:
            return translate(
                "HistoryPanel", "Not signed in: sign in to see the launches on your server."
            )
        count = self.model.rowCount()
        text = translate(
            "HistoryPanel", "%n launch attempt(s) recorded on %1.", None, PLURAL, count
        )
        return fill(text, self.scope.server)

    def _loaded(self, status: str | None) -> None:
        if status is not None:
            self._counted = status
            self.status.setText(status)
        self.loaded.emit()
        if self._update_due:
            self._start_update()

    def _read_failed(self, error: BaseException) -> None:
        self._reading = self._updating = False
        self._failed(error)

    def _read_rows(self, ids: list[int]) -> None:
        """Read the rows the table asked for (a page scrolled to), off the GUI thread."""
        journal = self.journal
        if journal is not None:
            self._read(
                lambda: [history_row(record) for record in journal.launches(ids)],
                "read launch journal page",
                self.model.add_page,
                self._failed,
            )

    def _read(
        self,
        function: Callable[[], Any],
        description: str,
        on_success: Callable[[Any], Any],
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Read the journal off the GUI thread; the answer is dropped when a reload() began
        meanwhile (its rows may be of a server left). A failure is shown; by default it also
        ends the read or update under way."""
        generation = self._generation
        failed = on_failure or self._read_failed
        self._submit(
            function,
            description,
            lambda result: generation == self._generation and on_success(result),
            lambda error: generation == self._generation and failed(error),
        )

    def _submit(
        self,
        function: Callable[[], Any],
        description: str,
        on_success: Callable[[Any], Any],
        on_failure: Callable[[BaseException], Any],
    ) -> None:
        """Run ``function`` off the GUI thread; its callbacks run only while this panel
        exists (a read that ends after its window closed is dropped)."""
        self.runner.submit(
            function,
            description,
            lambda result: shiboken6.isValid(self) and on_success(result),
            lambda error: shiboken6.isValid(self) and on_failure(error),
        )

    def _failed(self, error: BaseException) -> None:
        # A journal's sentence (a Phrase) in the user's language; a bug's without its text.
        text = error.args[0] if error.args and isinstance(error.args[0], str) else str(error)
        self.status.setText(library_text(text) if text else error_sentence(error))

    # -- the launch in flight -------------------------------------------------------------------

    def watching(self, journal: Journal | None) -> Journal | None:
        """``journal`` as a launch should write to it: the History then shows the attempt
        as *Sending…* until its outcome is recorded."""
        return None if journal is None else _WatchedJournal(journal, self)

    def _on_attempt_recorded(self, attempt_id: int) -> None:
        self.model.set_sending(attempt_id)
        self.refresh_rows([attempt_id])

    def _on_attempt_settled(self, attempt_id: int) -> None:
        if self.model.sending == attempt_id:
            self.model.set_sending(None)
        self.refresh_rows([attempt_id])

    # -- a row's menu ---------------------------------------------------------------------------

    def row_menu(self, record: LaunchRecord) -> QMenu:
        """The menu of ``record``'s row: copy its runtime id, show it in the monitor, launch
        again with its settings. One menu, filled anew for each row."""
        menu = self.menu
        menu.clear()
        runtime_id = record.runtime_id
        copy = menu.addAction(translate("HistoryPanel", "&Copy runtime id"))
        copy.setEnabled(runtime_id is not None)
        # The exact digits (F1): the id never passes through a number type of Qt.
        copy.triggered.connect(lambda: QGuiApplication.clipboard().setText(str(runtime_id)))
        show = menu.addAction(translate("HistoryPanel", "&Show in monitor"))
        show.setEnabled(runtime_id is not None)
        show.triggered.connect(lambda: self.monitor_requested.emit(runtime_id))
        again = menu.addAction(translate("HistoryPanel", "&Launch again with these settings"))
        again.setEnabled(not self.model.is_sending(record))
        again.triggered.connect(lambda: self.launch_again_requested.emit(record))
        return menu

    def _open_menu(self, row: int, where: QPoint) -> None:
        record = self.model.record_at(row)
        if record is not None:  # else the row is still being read
            self.row_menu(record).popup(where)

    # -- export ---------------------------------------------------------------------------------

    def _ask_export(self) -> None:
        # The window's title says whether this is a drill (demo mode); so does this one.
        title = (
            self.window()
            .windowTitle()
            .replace(APP_NAME, translate("HistoryPanel", "Export launch history"))
        )
        path, _ = QFileDialog.getSaveFileName(
            self, title, "launch-history.csv", translate("HistoryPanel", "CSV files (*.csv)")
        )
        if path:
            self.export_to(Path(path))

    @property
    def exporting(self) -> bool:
        """Whether an export is under way."""
        return self._export_stop is not None

    def export_to(self, path: Path) -> None:
        """Write the whole journal to ``path`` as CSV, off the GUI thread, with a progress bar
        and a button to cancel it (which leaves no file). One export at a time."""
        journal = self.journal
        if journal is None or self._export_stop is not None:
            return
        stop = self._export_stop = threading.Event()

        shown = -1  # the percentage shown

        def step(written: int, total: int) -> bool:  # in the export's thread
            nonlocal shown
            if written * 100 // max(total, 1) != shown:
                shown = written * 100 // max(total, 1)
                self.export_progressed.emit(written, total)
            # A paint of the table calls Python for each cell: hand the interpreter to the
            # GUI thread between steps, or each of those calls waits for the export.
            time.sleep(0)
            return not stop.is_set()

        self._show_exporting(True)
        self.status.setText(
            fill(translate("HistoryPanel", "Exporting the launch history to %1…"), str(path))
        )
        self._submit(
            lambda: journal.export_csv(path, step),
            "export launch journal",
            lambda count: self._exported(
                fill(
                    translate(
                        "HistoryPanel", "Exported %n launch attempt(s) to %1.", None, PLURAL, count
                    ),
                    path,
                )
            ),
            self._export_failed,
        )

    def cancel_export(self) -> None:
        """Stop the export under way; the file is not written."""
        if self._export_stop is not None:
            self._export_stop.set()
            self.cancel_export_button.setEnabled(False)
            self.status.setText(translate("HistoryPanel", "Cancelling the export…"))

    def _show_export_progress(self, written: int, total: int) -> None:
        if self._export_stop is not None:
            self.export_progress.setRange(0, max(total, 1))
            self.export_progress.setValue(written)

    def _show_exporting(self, exporting: bool) -> None:
        self.export_progress.reset()
        self.export_progress.setVisible(exporting)
        self.cancel_export_button.setEnabled(exporting)
        self.cancel_export_button.setVisible(exporting)
        self.export_button.setEnabled(not exporting and self.journal is not None)

    def _exported(self, message: str) -> None:
        self._export_stop = None
        self._show_exporting(False)
        self.status.setText(message)

    def _export_failed(self, error: BaseException) -> None:
        if isinstance(error, ExportCancelled):
            self._exported(translate("HistoryPanel", "Export cancelled; no file was written."))
            return
        self._export_stop = None
        self._show_exporting(False)
        self._failed(error)
