"""The Monitor panel: the jobs being followed, live from the callbacks (G6), and the timeline of
the selected one.

Callbacks can arrive by the hundred per second. The panel therefore never touches its models per
event: :meth:`MonitorPanel.add_event` only queues, and a short timer applies the queue to the
:class:`~dispatch_desktop.monitor.JobMonitor` and updates each changed row once. The receiver
calls its listeners on a server thread; :class:`EventBridge` carries events to the GUI thread.
"""

from __future__ import annotations

import bisect
import threading
import weakref
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dispatch_desktop.events.model import TIMELINE_ORDER, StoredEvent
from dispatch_desktop.events.store import EventStoreError
from dispatch_desktop.monitor import (
    JOB_ASSIGN,
    JOB_FINISH,
    JOB_START,
    JobMonitor,
    JobState,
    JobView,
    MonitorLoader,
    Page,
    PageCursor,
    ReadyPage,
    TimelineEntry,
    ready,
)
from dispatch_desktop.monitor.model import Clock, utc_now
from dispatch_desktop.storage.journal import JournalError, LaunchRecord
from dispatch_desktop.ui import colors
from dispatch_desktop.ui.common import (
    HEADING_NAME_LIMIT,
    PLURAL,
    PlainLabel,
    error_sentence,
    fill,
    library_text,
    plain,
    translate,
)
from dispatch_desktop.ui.table_model import TEXT_ROLES, ColumnsModel, Index, cell_text
from dispatch_desktop.ui.workers import Task, TaskRunner

JOB_ROLE = Qt.ItemDataRole.UserRole + 1

FLUSH_INTERVAL_MS = 50
"""How long events are collected before the models change: short enough to feel live."""
MAX_EVENTS_PER_FLUSH = 1000
"""Events applied per flush; a larger backlog (a follower catching up) continues at the next
turn of the event loop, so input and painting are never held up for long."""
TICK_MS = 1000

STATE_LABELS = {
    JobState.SCHEDULED: QT_TRANSLATE_NOOP("MonitorPanel", "Scheduled"),
    JobState.STARTED: QT_TRANSLATE_NOOP("MonitorPanel", "Started"),
    JobState.FILLING: QT_TRANSLATE_NOOP("MonitorPanel", "Filling"),
    JobState.GOAL_REACHED: QT_TRANSLATE_NOOP("MonitorPanel", "Goal reached"),
    JobState.FINISHED: QT_TRANSLATE_NOOP("MonitorPanel", "Finished"),
}

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_EXERCISE_BACKGROUND = QColor(colors.EXERCISE_CELL.background)
_EXERCISE_TEXT = QColor(colors.EXERCISE_CELL.text)

# The widest texts of the fixed-size columns (digits are as wide as each other in the fonts
# used): a time on another day than today, a job that ran for hours, a count in the thousands.
LONGEST_TIME = "2000-12-31 23:59:59"
LONGEST_TIME_TODAY = "23:59:59"
LONGEST_DURATION = "99:59:59"
LONGEST_COUNT = "99999"
_COLUMN_SLACK = 6
"""Pixels beyond the text and the style's margins: grid line, rounding."""


def cell_width(table: QTableView, text: str) -> int:
    """The width a cell of ``table`` needs to show ``text`` whole."""
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table)
    return table.fontMetrics().horizontalAdvance(text) + 2 * (margin + 1) + _COLUMN_SLACK


def title_width(table: QTableView, column: int) -> int:
    """The width the header of ``column`` needs to show its title whole."""
    header = table.horizontalHeader()
    title = str(table.model().headerData(column, Qt.Orientation.Horizontal))
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    return header.fontMetrics().horizontalAdvance(title) + 2 * margin + _COLUMN_SLACK


def fit_columns(table: QTableView, samples: dict[int, list[str]], *, stretch: int) -> None:
    """Give each column of ``samples`` the width of its widest sample text or its title, and
    column ``stretch`` the room left. Measured from the fonts, not the rows: sizing to the
    contents would measure every row on every update, which at hundreds of callbacks per
    second freezes a window."""
    header = table.horizontalHeader()
    for column, texts in samples.items():
        width = max(title_width(table, column), *(cell_width(table, text) for text in texts))
        header.resizeSection(column, width)
    header.setStretchLastSection(False)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def job_title(job: JobView) -> str:
    """The job's name, or "Job <runtime id>" when no name is known."""
    return job.name or fill(translate("MonitorPanel", "Job %1"), str(job.jobid))


def job_label(job: JobView) -> str:
    """The job's title in the table, marked when it is an exercise."""
    if job.exercise:
        return fill(translate("MonitorPanel", "EXERCISE · %1"), job_title(job))
    return job_title(job)


def state_text(state: JobState) -> str:
    """The state as the user reads it."""
    return translate("MonitorPanel", STATE_LABELS[state])


def duration_text(seconds: float) -> str:
    """``m:ss`` or ``h:mm:ss``; negative with a leading minus."""
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(int(abs(seconds)), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02}:{secs:02}"
    return f"{sign}{minutes}:{secs:02}"


def local_time_text(when: datetime, now: datetime) -> str:
    """``HH:MM:SS`` local time, with the date when it is not today."""
    local = when.astimezone()
    if local.date() == now.astimezone().date():
        return local.strftime("%H:%M:%S")
    return local.strftime("%Y-%m-%d %H:%M:%S")


UNKNOWN_COUNT = "—"


def contacted_tip(count: int | None) -> str:
    """Where the count of people contacted comes from, or why there is none. Reference 3: the
    callbacks say who accepted, never how many were contacted; only a start that named its
    numbers alone tells (monitor.model.numbers_only_recipients)."""
    if count is None:
        return translate(
            "MonitorPanel",
            "Not known: the Dispatch server reports who accepted, not how many people it "
            "contacted. It is shown only for a start from this computer that named its phone "
            "numbers alone.",
        )
    return translate(
        "MonitorPanel", "Sent to the %n number(s) given at the start.", None, PLURAL, count
    )


def accepted_tip(count: int | None) -> str:
    """How many have accepted, in words."""
    if count is None:
        return ""
    return translate("MonitorPanel", "%n recipient(s) accepted.", None, PLURAL, count)


def goal_tip(count: int | None) -> str:
    """The response goal, or why it is not known (a saved job's own goal is not reported)."""
    if count is None:
        return translate(
            "MonitorPanel",
            "Not known: no response goal was given at the start from this computer, and the "
            "Dispatch server does not report the saved job's own goal.",
        )
    return translate(
        "MonitorPanel", "The start asked for %n confirmed responder(s).", None, PLURAL, count
    )


def count_cell(count: int | None) -> str:
    """A count, or "—" when it cannot be known."""
    return UNKNOWN_COUNT if count is None else str(count)


def scheduled_time_text(when: datetime, now: datetime) -> str:
    """A scheduled start, short enough to leave the job's name its room: ``HH:MM`` local
    time (seconds only when given, F10), with the date when it is not today."""
    local = when.astimezone()
    time = local.strftime("%H:%M:%S" if local.second else "%H:%M")
    if local.date() == now.astimezone().date():
        return time
    return f"{local:%Y-%m-%d} {time}"


def since_start_text(job: JobView, now: datetime) -> str:
    """Time since the start (a finished job: how long it ran; a scheduled one: when)."""
    if job.started_at is None:
        return "—"
    if job.state is JobState.SCHEDULED:
        return fill(translate("MonitorPanel", "at %1"), scheduled_time_text(job.started_at, now))
    if job.finished_at is not None:
        ran = duration_text((job.finished_at - job.started_at).total_seconds())
        return fill(translate("MonitorPanel", "ran %1"), ran)
    return duration_text(max(0.0, (now - job.started_at).total_seconds()))


EVENT_LABELS = {
    JOB_START: QT_TRANSLATE_NOOP("MonitorPanel", "Job started"),
    JOB_ASSIGN: QT_TRANSLATE_NOOP("MonitorPanel", "Accepted"),
    JOB_FINISH: QT_TRANSLATE_NOOP("MonitorPanel", "Job finished"),
}


def timeline_text(entry: TimelineEntry) -> str:
    """What happened, in words: "Accepted"; who did it is :func:`timeline_who`."""
    label = EVENT_LABELS.get(entry.kind)
    if label is not None:
        return translate("MonitorPanel", label)
    # A type the reference does not list (3.1): what it means is unknown, so it is shown as
    # the server named it (as text), not guessed at.
    return entry.kind


def timeline_who(entry: TimelineEntry) -> str:
    """Who the event is about: the recipient who accepted, the account that started the
    job; "" for the system's own events."""
    if entry.kind == JOB_START:
        return entry.agent or ""
    if entry.kind == JOB_ASSIGN:
        return entry.recipient or UNKNOWN_COUNT
    return entry.recipient or ""


COUNT_HEADER_TIPS = (
    QT_TRANSLATE_NOOP("MonitorPanel", "How many people the start sent to, when it can be known"),
    QT_TRANSLATE_NOOP("MonitorPanel", "How many people have accepted and been assigned"),
    QT_TRANSLATE_NOOP("MonitorPanel", "How many confirmed responders the start asked for"),
)


COUNT_TIPS = (contacted_tip, accepted_tip, goal_tip)


class MonitoredJobsModel(ColumnsModel):
    """Job views, newest first. Rows are kept in order of first sight, reversed, so a new job
    is an insert at the top and an update is one ``dataChanged``: no sorting per event."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("MonitorPanel", "Job"),
        QT_TRANSLATE_NOOP("MonitorPanel", "Runtime id"),
        QT_TRANSLATE_NOOP("MonitorPanel", "State"),
        QT_TRANSLATE_NOOP("MonitorPanel", "Contacted"),
        QT_TRANSLATE_NOOP("MonitorPanel", "Accepted"),
        QT_TRANSLATE_NOOP("MonitorPanel", "Goal"),
        QT_TRANSLATE_NOOP("MonitorPanel", "Since start"),
    )
    CONTEXT = "MonitorPanel"
    COUNT_COLUMNS = (3, 4, 5)
    """Contacted, accepted, goal."""
    SINCE_COLUMN = 6

    def __init__(self, clock: Clock = utc_now, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._views: list[JobView] = []  # oldest first; row r is _views[-1 - r]
        self._positions: dict[int, int] = {}

    def set_jobs(self, jobs: list[JobView]) -> None:
        """Replace every row; ``jobs`` newest first."""
        self.beginResetModel()
        self._views = list(reversed(jobs))
        self._positions = {view.jobid: position for position, view in enumerate(self._views)}
        self.endResetModel()

    def upsert(self, views: Iterable[JobView]) -> None:
        """Update the rows of known jobs, insert new jobs at the top (in the given order)."""
        new: list[JobView] = []
        changed: list[int] = []
        for view in views:
            position = self._positions.get(view.jobid)
            if position is None:
                new.append(view)
            else:
                self._views[position] = view
                changed.append(self._row(position))
        if changed:
            last = len(self.COLUMNS) - 1
            self.dataChanged.emit(self.index(min(changed), 0), self.index(max(changed), last))
        if new:
            self.beginInsertRows(QModelIndex(), 0, len(new) - 1)
            for view in new:
                self._positions[view.jobid] = len(self._views)
                self._views.append(view)
            self.endInsertRows()

    def append_older(self, views: list[JobView]) -> None:
        """Add the rows of older jobs at the bottom; ``views`` newest first."""
        if not views:
            return
        rows = len(self._views)
        self.beginInsertRows(QModelIndex(), rows, rows + len(views) - 1)
        self._views[0:0] = reversed(views)
        self._positions = {view.jobid: position for position, view in enumerate(self._views)}
        self.endInsertRows()

    def job(self, jobid: int) -> JobView | None:
        """The view shown for the job with runtime id ``jobid``."""
        position = self._positions.get(jobid)
        return None if position is None else self._views[position]

    def row_of(self, jobid: int) -> int | None:
        """The row of the job with runtime id ``jobid``, if shown."""
        position = self._positions.get(jobid)
        return None if position is None else self._row(position)

    def job_at(self, row: int) -> JobView:
        """The job shown in ``row``."""
        return self._views[-1 - row]

    def refresh_times(self) -> None:
        """Repaint the "Since start" column (the views only repaint the rows they show)."""
        if self._views:
            column = self.SINCE_COLUMN
            self.dataChanged.emit(
                self.index(0, column),
                self.index(len(self._views) - 1, column),
                [Qt.ItemDataRole.DisplayRole],
            )

    def _row(self, position: int) -> int:
        return len(self._views) - 1 - position

    def row_count(self) -> int:
        return len(self._views)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        job = self.job_at(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.ToolTipRole and (tip := self._tooltip(job, column)):
            return tip
        if role in TEXT_ROLES:
            return cell_text(self._text(job, column), role)
        if role == JOB_ROLE:
            return job
        if column == 0 and job.exercise and role == Qt.ItemDataRole.BackgroundRole:
            return _EXERCISE_BACKGROUND
        if column == 0 and job.exercise and role == Qt.ItemDataRole.ForegroundRole:
            return _EXERCISE_TEXT
        if role == Qt.ItemDataRole.TextAlignmentRole and column != 0 and column != 2:
            return _RIGHT
        return None

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and orientation == Qt.Orientation.Horizontal
            and section in self.COUNT_COLUMNS
        ):
            return translate("MonitorPanel", COUNT_HEADER_TIPS[section - self.COUNT_COLUMNS[0]])
        return super().headerData(section, orientation, role)

    def _text(self, job: JobView, column: int) -> str:
        if column == 0:
            return job_label(job)
        if column == 1:
            return str(job.jobid)  # text, never a number: a double would round it (F1)
        if column == 2:
            return state_text(job.state)
        if column in self.COUNT_COLUMNS:
            return count_cell(self._counts(job)[column - self.COUNT_COLUMNS[0]])
        return since_start_text(job, self._clock())

    @staticmethod
    def _counts(job: JobView) -> tuple[int | None, int | None, int | None]:
        """Contacted, accepted, goal: the values of :attr:`COUNT_COLUMNS`."""
        return job.contacted, job.assigned, job.goal

    def _tooltip(self, job: JobView, column: int) -> str | None:
        """Where a count comes from (or why there is none), and when a scheduled job starts;
        ``None``: the cell's text."""
        if column in self.COUNT_COLUMNS:
            position = column - self.COUNT_COLUMNS[0]
            return COUNT_TIPS[position](self._counts(job)[position])
        if column == self.SINCE_COLUMN and job.state is JobState.SCHEDULED and job.started_at:
            return fill(
                translate("MonitorPanel", "Scheduled to start at %1"),
                job.started_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
            )
        return None


class TimelineModel(ColumnsModel):
    """The timeline of one job, in time order (callbacks may arrive out of order, so each is
    put where its time belongs). It is given whole when the job is selected (from the event
    store, off the GUI thread, or from a monitor that keeps timelines) and then grows with the
    callbacks that arrive."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("MonitorPanel", "Time"),
        QT_TRANSLATE_NOOP("MonitorPanel", "Event"),
        QT_TRANSLATE_NOOP("MonitorPanel", "Who"),
        QT_TRANSLATE_NOOP("MonitorPanel", "Time it took"),
    )
    CONTEXT = "MonitorPanel"

    def __init__(self, clock: Clock = utc_now, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._job: JobView | None = None
        self._entries: list[TimelineEntry] = []  # in TIMELINE_ORDER
        self._through = 0
        self._loading = False
        self._arrived: list[TimelineEntry] = []  # while loading

    @property
    def job(self) -> JobView | None:
        """The job shown."""
        return self._job

    @property
    def loading(self) -> bool:
        """Whether the job's stored timeline is being read."""
        return self._loading

    def show_job(self, job: JobView | None, entries: list[TimelineEntry] | None = None) -> None:
        """Show ``job`` with ``entries`` (in time order); ``None``: its timeline is being read
        (:meth:`set_loaded` gives it)."""
        self.beginResetModel()
        self._job = job
        self._loading = job is not None and entries is None
        self._arrived = []
        self._through = 0
        self._set_entries(entries or [])
        self.endResetModel()

    def set_loaded(self, jobid: int, entries: list[TimelineEntry], through: int) -> None:
        """The stored timeline of job ``jobid`` (in time order), every event up to cursor
        ``through``; the callbacks that arrived meanwhile are added after it."""
        job = self._job
        if job is None or job.jobid != jobid or not self._loading:
            return
        later = [entry for entry in self._arrived if entry.cursor > through]
        self.beginResetModel()
        self._loading, self._arrived, self._through = False, [], through
        self._set_entries(sorted([*entries, *later], key=TIMELINE_ORDER) if later else entries)
        self.endResetModel()

    def update_job(self, job: JobView, entries: list[TimelineEntry]) -> None:
        """A newer view of the job shown, and the timeline entries of the callbacks applied to
        it since the last one."""
        old, self._job = self._job, job
        if self._loading:
            self._arrived.extend(entries)
            return
        self._add(entry for entry in entries if entry.cursor > self._through)
        if old is not None and old.started_at != job.started_at and self._entries:
            # A late JOB_START moves every "time it took" (out-of-order callbacks).
            self.dataChanged.emit(self.index(0, 3), self.index(len(self._entries) - 1, 3))

    def entries(self) -> list[TimelineEntry]:
        """The entries shown, in time order."""
        return list(self._entries)

    def _set_entries(self, entries: list[TimelineEntry]) -> None:
        self._entries = entries

    def _add(self, entries: Iterable[TimelineEntry]) -> None:
        new = sorted(entries, key=TIMELINE_ORDER)
        if not new:
            return
        shown = self._entries
        if not shown or TIMELINE_ORDER(new[0]) >= TIMELINE_ORDER(shown[-1]):  # nearly always
            self.beginInsertRows(QModelIndex(), len(shown), len(shown) + len(new) - 1)
            shown.extend(new)
            self.endInsertRows()
            return
        for entry in new:
            row = bisect.bisect_right(shown, TIMELINE_ORDER(entry), key=TIMELINE_ORDER)
            self.beginInsertRows(QModelIndex(), row, row)
            shown.insert(row, entry)
            self.endInsertRows()

    def row_count(self) -> int:
        return len(self._entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        job = self._job
        if not index.isValid() or job is None:
            return None
        entry = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(self._text(job, entry, index.column()), role)
        if role == Qt.ItemDataRole.ToolTipRole:
            return entry.time.astimezone().isoformat(timespec="milliseconds")
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 3:
            return _RIGHT
        return None

    def _text(self, job: JobView, entry: TimelineEntry, column: int) -> str:
        if column == 0:
            return local_time_text(entry.time, self._clock())
        if column == 1:
            return timeline_text(entry)
        if column == 2:
            return timeline_who(entry)
        elapsed = job.elapsed(entry)
        return "—" if elapsed is None else duration_text(elapsed)


class MonitorPanel(QWidget):
    """The monitored jobs and the selected job's timeline.

    Feed it on the GUI thread: :meth:`add_event`/:meth:`add_events` (queued, applied every
    :data:`FLUSH_INTERVAL_MS`) and :meth:`add_launch`. Without a monitor at construction it
    queues everything until :meth:`set_monitor` hands it one.

    With a :class:`~dispatch_desktop.monitor.MonitorLoader` (and a ``runner`` for it) the
    panel reads its jobs from the stores off the GUI thread, a page at a time: the newest at
    once, older ones when the user asks ("Show older jobs"), a job it has not read when a
    callback names it, and the timeline of the job the user selects.

    Signals, after each flush: ``job_updated(JobView)`` per changed job;
    ``job_changed(JobView, JobView | None)`` the same with the view before the flush (for
    notifications); ``model_updated(int)`` the last cursor applied; ``active_jobs_changed(int)``.
    ``load_failed(str)``: the stores could not be read (a sentence).
    """

    job_updated = Signal(object)
    job_changed = Signal(object, object)
    model_updated = Signal(int)
    active_jobs_changed = Signal(int)
    load_failed = Signal(str)

    def __init__(
        self,
        monitor: JobMonitor | None = None,
        parent: QWidget | None = None,
        *,
        clock: Clock = utc_now,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self._monitor = monitor
        self._runner = runner
        self._loader: MonitorLoader | None = None
        self._pending: list[StoredEvent] = []
        self._pending_launches: list[LaunchRecord] = []
        # Callbacks of jobs not read yet, by job, while their stored events are read.
        self._held: dict[int, list[StoredEvent]] = {}
        self._older: PageCursor | None = None
        self._reading_page = False
        self._reading_older = False
        self._select_when_read: int | None = None
        # Results of reads begun before the monitor or its loader changed are dropped.
        self._generation = 0
        self._tasks: weakref.WeakSet[Task] = weakref.WeakSet()  # the runner keeps them
        self._active = -1  # not yet announced
        self._clock = clock
        # The server signed in to (set_server); until told, every job is shown.
        self._scoped = False
        self._server: str | None = None
        self.model = MonitoredJobsModel(clock, self)
        self.timeline_model = TimelineModel(clock, self)
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.timeout.connect(self.flush)
        self._tick_timer = QTimer(self)
        self._tick_timer.setInterval(TICK_MS)
        self._tick_timer.timeout.connect(self._tick)
        tasks = self._tasks
        # A read still running when the panel goes must not call back into it.
        self.destroyed.connect(lambda: [task.cancel() for task in tasks])
        self._build()
        if monitor is not None:
            self.set_monitor(monitor)
        else:
            self._update_state()

    # -- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.table = self._table(self.model, translate("MonitorPanel", "Monitored jobs"))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.empty_label = PlainLabel("", self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)
        self.count_label = PlainLabel("", self)
        self.older_button = QPushButton(translate("MonitorPanel", "Show &older jobs"), self)
        self.older_button.setAccessibleName(translate("MonitorPanel", "Show older jobs"))
        self.older_button.setToolTip(
            translate("MonitorPanel", "The monitor shows the newest jobs; read older ones too")
        )
        self.older_button.clicked.connect(self.show_older_jobs)

        # Plain text: the job's name and its events come from the callbacks.
        self.detail_title = PlainLabel("", self)
        self.detail_title.setWordWrap(True)
        self.detail_title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName(translate("MonitorPanel", "Response goal progress"))
        self.no_callbacks_label = PlainLabel("", self)
        self.no_callbacks_label.setWordWrap(True)
        self.timeline = self._table(self.timeline_model, translate("MonitorPanel", "Job timeline"))
        self.timeline.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self._size_job_columns()
        self._size_timeline_columns()

        jobs = QWidget(self)
        jobs_layout = QVBoxLayout(jobs)
        jobs_layout.setContentsMargins(0, 0, 0, 0)
        jobs_layout.addWidget(self.stack, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.count_label, 1)
        footer.addWidget(self.older_button)
        jobs_layout.addLayout(footer)
        detail = QWidget(self)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail_title)
        detail_layout.addWidget(self.progress)
        detail_layout.addWidget(self.no_callbacks_label)
        detail_layout.addWidget(self.timeline, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(jobs)
        self.splitter.addWidget(detail)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._show_detail(None)

    def _table(self, model: QAbstractTableModel, name: str) -> QTableView:
        table = QTableView(self)
        # Tab leaves the table (arrows move inside it): a keyboard user is never trapped.
        table.setTabKeyNavigation(False)
        table.setAccessibleName(name)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        # Fixed sizes: ResizeToContents would measure every row on every update, which at
        # hundreds of callbacks per second is what freezes a window.
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # A name too long for the room left keeps its start and its end (often a time).
        table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        return table

    # -- column sizes -------------------------------------------------------------------------

    def _size_job_columns(self) -> None:
        """The job's name takes the room left; the id, state, counts and time get what their
        longest text needs, so no name is cut while another column wastes space."""
        # A start scheduled on another day is longer: _fit_since_column widens for it.
        scheduled = fill(translate("MonitorPanel", "at %1"), LONGEST_TIME_TODAY)
        fit_columns(
            self.table,
            {
                1: ["9" * 19],  # the largest 64-bit id, whole (F1)
                2: [state_text(state) for state in JobState],
                3: [LONGEST_COUNT],
                4: [LONGEST_COUNT],
                5: [LONGEST_COUNT],
                6: [scheduled, fill(translate("MonitorPanel", "ran %1"), LONGEST_DURATION)],
            },
            stretch=0,
        )
        # The runtime id is never narrowed by hand: a cut id reads as another id (F1).
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)

    def _fit_since_column(self, views: Iterable[JobView]) -> None:
        """Widen "Since start" when a start scheduled on another day needs it (never narrow
        it: the column would jump). One measurement per changed scheduled job."""
        now = self._clock()
        column = MonitoredJobsModel.SINCE_COLUMN
        needed = max(
            (
                cell_width(self.table, since_start_text(view, now))
                for view in views
                if view.state is JobState.SCHEDULED
            ),
            default=0,
        )
        header = self.table.horizontalHeader()
        if needed > header.sectionSize(column):
            header.resizeSection(column, needed)

    def _size_timeline_columns(self) -> None:
        """Times and events whole; the name of who it is about takes the room left."""
        fit_columns(
            self.timeline,
            {
                0: [LONGEST_TIME],
                1: [translate("MonitorPanel", label) for label in EVENT_LABELS.values()],
                3: ["-" + LONGEST_DURATION],
            },
            stretch=2,
        )

    # -- feeding ------------------------------------------------------------------------------

    @property
    def monitor(self) -> JobMonitor | None:
        """The monitor shown; ``None`` until :meth:`set_monitor`."""
        return self._monitor

    @property
    def loader(self) -> MonitorLoader | None:
        """Where the panel reads jobs and timelines (``None``: it only has what it is fed)."""
        return self._loader

    @property
    def last_cursor(self) -> int:
        """The highest event cursor applied to the models (0: none yet)."""
        return 0 if self._monitor is None else self._monitor.last_cursor

    @property
    def queued(self) -> int:
        """How many callbacks wait to be applied (queued, or held while their job is read)."""
        return len(self._pending) + sum(len(events) for events in self._held.values())

    @property
    def reading(self) -> bool:
        """Whether a page of jobs is being read from the stores."""
        return self._reading_page or self._reading_older

    @Slot(object)
    def add_event(self, event: StoredEvent) -> None:
        """Queue one callback; it reaches the table within :data:`FLUSH_INTERVAL_MS`."""
        self._pending.append(event)
        self._schedule_flush()

    @Slot(object)
    def add_events(self, events: list[StoredEvent]) -> None:
        """Queue several callbacks (e.g. a batch from :class:`EventBridge` or a follower)."""
        self._pending.extend(events)
        self._schedule_flush()

    def add_launch(self, record: LaunchRecord) -> None:
        """Monitor a journaled launch (after a start, or a journal reload). Only one the
        server answered OK has a runtime id to follow (F2); others are ignored."""
        monitor = self._monitor
        if monitor is None:
            self._pending_launches.append(record)
            return
        view = monitor.add_launch(record)
        if view is not None and view != self.model.job(view.jobid):
            self._publish({view.jobid: view})

    def set_server(self, server: str | None) -> None:
        """Show only the jobs of ``server``, the server signed in to (those started there
        and those known from callbacks alone); ``None`` (signed out): none. With a loader,
        the newest jobs of that server are read."""
        self._scoped, self._server = True, server
        monitor = self._monitor
        if monitor is None:
            return  # applied by set_monitor
        selected = self._restart()
        monitor.show_only(server)
        self._show_jobs(selected)
        self._read_newest()
        self.flush()

    def set_monitor(self, monitor: JobMonitor, loader: MonitorLoader | None = None) -> None:
        """Show ``monitor``; with ``loader`` (needs the panel's runner), read its newest jobs
        from the stores. Launches and events queued meanwhile are applied to it; those it has
        already are skipped."""
        selected = self._restart()
        self._monitor, self._loader = monitor, loader
        if self._scoped:
            monitor.show_only(self._server)
        self._show_jobs(selected)
        self._fit_since_column(monitor.jobs())
        launches, self._pending_launches = self._pending_launches, []
        for record in launches:
            self.add_launch(record)
        self._tick_timer.start()
        self._read_newest()
        self.flush()

    def set_loader(self, loader: MonitorLoader) -> None:
        """Read the jobs from ``loader`` from now on (e.g. once the journal is open), starting
        with its newest; the jobs shown stay."""
        monitor = self._monitor
        if monitor is None:
            return
        selected = self._restart()
        self._loader = loader
        self._show_detail(None if selected is None else monitor.job(selected))
        self._read_newest()
        self.flush()

    def _restart(self) -> int | None:
        """Forget the reads under way (their results no longer fit) and the timeline shown
        (the store may be another); the callbacks held for them go back in the queue. Returns
        the job that was selected."""
        selected = self.selected_jobid()
        self._generation += 1
        self._reading_page = self._reading_older = False
        self._older = None
        held = [event for events in self._held.values() for event in events]
        self._held.clear()
        self._pending[0:0] = sorted(held, key=lambda event: event.cursor)
        self.timeline_model.show_job(None, [])
        return selected

    def _schedule_flush(self) -> None:
        if self._monitor is not None and not self._flush_timer.isActive():
            self._flush_timer.start(FLUSH_INTERVAL_MS)

    @Slot()
    def flush(self) -> None:
        """Apply the queued callbacks now (the timer does this; tests and shutdown may too).
        A callback of a job not read yet waits while its stored events are read."""
        monitor = self._monitor
        if monitor is None or not self._pending:
            return
        batch = self._pending[:MAX_EVENTS_PER_FLUSH]
        del self._pending[:MAX_EVENTS_PER_FLUSH]
        latest: dict[int, JobView] = {}
        shown = self.selected_jobid()
        entries: list[TimelineEntry] = []
        unread: dict[int, None] = {}
        for event in batch:
            jobid = event.jobid
            if self._loader is not None and jobid is not None and self._unread(jobid):
                if jobid not in self._held:
                    unread[jobid] = None
                self._held.setdefault(jobid, []).append(event)
                continue
            applied = monitor.apply(event)
            if applied is not None:
                view, entry = applied
                latest[view.jobid] = view
                if view.jobid == shown:
                    entries.append(entry)
        if unread:
            self._read_jobs(list(unread), before=min(e.cursor for e in batch if e.jobid in unread))
        self._publish(latest, entries)
        self.model_updated.emit(monitor.last_cursor)
        if self._pending:
            self._flush_timer.start(0)  # the rest after pending input and paint events

    def _unread(self, jobid: int) -> bool:
        """Whether the job's stored events are still to be read before its callbacks apply."""
        return jobid in self._held or (self._monitor is not None and not self._monitor.job(jobid))

    def _publish(
        self, latest: dict[int, JobView], entries: list[TimelineEntry] | None = None
    ) -> None:
        """Update the models once per changed job, then tell the listeners; "previous" is
        the view the table showed before, so a notification sees every change once.
        ``entries``: the timeline entries of the selected job applied meanwhile."""
        monitor = self._monitor
        if monitor is not None:  # a job of another server changes nothing here
            latest = {jobid: view for jobid, view in latest.items() if monitor.shows(view)}
        if not latest:
            return
        previous = {jobid: self.model.job(jobid) for jobid in latest}
        self.model.upsert(latest.values())
        self._fit_since_column(latest.values())
        shown = self.timeline_model.job
        if shown is not None and shown.jobid in latest:
            view = latest[shown.jobid]
            self.timeline_model.update_job(view, entries or [])
            self._show_labels(view)
        for view in latest.values():
            self.job_updated.emit(view)
            self.job_changed.emit(view, previous[view.jobid])
        self._update_state()

    @Slot()
    def _tick(self) -> None:
        self.model.refresh_times()
        if self._monitor is not None:
            due = self._monitor.refresh_schedules()
            self._publish({view.jobid: view for view in due})

    # -- reading the stores -------------------------------------------------------------------

    def show_older_jobs(self) -> None:
        """Read the next page of older jobs and add them at the bottom."""
        if self._older is None or self.reading:
            return
        self._reading_older = True
        self._read_page(self._older, older=True)

    def _read_newest(self) -> None:
        """Read the newest jobs of the server shown (none while signed out)."""
        self._older = None
        if self._loader is None or (self._scoped and self._server is None):
            self._reading_page = False
            self._update_state()
            return
        self._reading_page = True
        self._read_page(None, older=False)

    def _read_page(self, cursor: PageCursor | None, *, older: bool) -> None:
        loader = self._loader
        assert loader is not None
        server = self._server if self._scoped else None
        generation = self._generation
        clock = self._clock
        self._submit(
            lambda: ready(loader.page(server, cursor), clock),
            "read monitored jobs",
            lambda page: self._on_page(generation, page, older=older),
        )
        self._update_state()

    def _on_page(self, generation: int, page: ReadyPage, *, older: bool) -> None:
        monitor = self._monitor
        if generation != self._generation or monitor is None:
            return
        if older:
            self._reading_older = False
        else:
            self._reading_page = False
        self._older = page.page.older
        changes = monitor.add_page(page, older=older)
        shown = [view for view in changes.added if monitor.shows(view)]
        if older:
            self.model.upsert(view for view in changes.changed if monitor.shows(view))
            self.model.append_older(shown)
        else:
            self._show_jobs(self.selected_jobid())
        self._fit_since_column(shown)
        self._select_if_read()
        self._update_state()
        self.flush()

    def _read_jobs(self, jobids: list[int], before: int | None) -> None:
        """Read the jobs ``jobids`` (their events stored before cursor ``before``; ``None``:
        all) before their callbacks apply."""
        loader = self._loader
        assert loader is not None
        for jobid in jobids:
            self._held.setdefault(jobid, [])
        generation = self._generation
        clock = self._clock
        self._submit(
            lambda: ready(loader.jobs(jobids, before), clock),
            "read monitored jobs",
            lambda page: self._on_jobs(generation, page),
            lambda _error: self._on_jobs(generation, ready(Page(jobids=tuple(jobids)), clock)),
        )

    def _on_jobs(self, generation: int, page: ReadyPage) -> None:
        """The jobs named by callbacks (or asked for), read: shown first as they were stored,
        then with the callbacks held for them (notified as any)."""
        monitor = self._monitor
        if generation != self._generation or monitor is None:
            return
        changes = monitor.add_page(page)
        views = [*changes.changed, *reversed(changes.added)]
        shown = [view for view in views if monitor.shows(view)]
        self.model.upsert(shown)
        self._fit_since_column(shown)
        held = [event for jobid in page.page.jobids for event in self._held.pop(jobid, [])]
        self._pending[0:0] = sorted(held, key=lambda event: event.cursor)
        self._select_if_read()
        self._update_state()
        self.flush()

    def _read_timeline(self, jobid: int) -> None:
        loader = self._loader
        assert loader is not None
        generation = self._generation

        def show(entries: list[TimelineEntry], through: int) -> None:
            if generation == self._generation:
                self.timeline_model.set_loaded(jobid, entries, through)

        self._submit(
            lambda: loader.timeline(jobid),
            "read job timeline",
            lambda result: show(*result),
            lambda _error: show([], 0),  # what arrives from now on (the status bar says why)
        )

    def _submit(
        self,
        work: Callable[[], Any],
        description: str,
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        if self._runner is None:
            raise RuntimeError("A monitor panel with a loader needs a task runner.")
        generation = self._generation

        def fail(error: BaseException) -> None:
            if generation == self._generation:
                self._reading_page = self._reading_older = False
                # The stores' errors are sentences that name the file; others are bugs.
                stores = isinstance(error, EventStoreError | JournalError)
                self.load_failed.emit(
                    library_text(error.args[0]) if stores else error_sentence(error)
                )
                self._update_state()
            if failed is not None:
                failed(error)

        self._tasks.add(self._runner.submit(work, description, done, fail))

    # -- selection and detail -----------------------------------------------------------------

    def select_job(self, jobid: int) -> bool:
        """Select the job with runtime id ``jobid`` and show its timeline; False if it is not
        shown. With a loader, a job not read yet is read and then selected."""
        row = self.model.row_of(jobid)
        if row is None:
            monitor = self._monitor
            if self._loader is not None and monitor is not None and not monitor.job(jobid):
                self._select_when_read = jobid
                if jobid not in self._held:
                    self._read_jobs([jobid], before=None)
            return False
        self._select_when_read = None
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(self.model.index(row, 0), flags)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _select_if_read(self) -> None:
        jobid = self._select_when_read
        if jobid is not None and self.model.row_of(jobid) is not None:
            self.select_job(jobid)

    def selected_jobid(self) -> int | None:
        """The runtime id of the job whose timeline is shown."""
        job = self.timeline_model.job
        return None if job is None else job.jobid

    def selected_job(self) -> JobView | None:
        """The current view of the selected job."""
        jobid = self.selected_jobid()
        return None if jobid is None or self._monitor is None else self._monitor.job(jobid)

    def _show_jobs(self, selected: int | None) -> None:
        """Show the monitor's jobs anew, with job ``selected`` selected again if shown."""
        monitor = self._monitor
        assert monitor is not None
        self.model.set_jobs(monitor.jobs())
        if selected is None or not self.select_job(selected):
            self._show_detail(None)
        self._update_state()

    @Slot(QModelIndex, QModelIndex)
    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        job = current.data(JOB_ROLE) if current.isValid() else None
        self._show_detail(job if isinstance(job, JobView) else None)

    def _show_detail(self, job: JobView | None) -> None:
        """Show ``job``'s timeline (read from the store when the monitor keeps none)."""
        if job is not None and job.jobid == self.selected_jobid():
            return  # the same job again: its timeline is up to date
        monitor = self._monitor
        if job is None or monitor is None or monitor.keeps_timelines or self._loader is None:
            timeline = None if job is None else sorted(job.timeline, key=TIMELINE_ORDER)
            self.timeline_model.show_job(job, timeline or [])
        else:
            self.timeline_model.show_job(job)
            self._read_timeline(job.jobid)
        self._show_labels(job)

    def _show_labels(self, job: JobView | None) -> None:
        if job is None:
            self.detail_title.setText(
                translate("MonitorPanel", "Select a job to see its timeline.")
            )
            self.progress.hide()
            self.no_callbacks_label.hide()
            return
        self.detail_title.setText(
            fill(
                translate("MonitorPanel", "%1 (runtime id %2): %3"),
                plain(job_label(job), one_line=True, limit=HEADING_NAME_LIMIT),
                str(job.jobid),
                state_text(job.state),
            )
        )
        self._show_progress(job)
        self.no_callbacks_label.setVisible(not job.has_callbacks)
        if not job.has_callbacks:
            self.no_callbacks_label.setText(self._no_callbacks_text(job))

    def _show_progress(self, job: JobView) -> None:
        goal = job.goal
        self.progress.setVisible(goal is not None)
        if goal is None:
            return
        self.progress.setRange(0, goal)
        self.progress.setValue(min(job.assigned, goal))
        self.progress.setFormat(
            fill(translate("MonitorPanel", "%1 of %2 assigned"), str(job.assigned), str(goal))
        )

    @staticmethod
    def _no_callbacks_text(job: JobView) -> str:
        # G6: no endpoint reports a job's status after its start; only callbacks do.
        answer = fill(
            translate("MonitorPanel", "The start call answered OK at %1."),
            "—"
            if job.launched_at is None
            else job.launched_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
        )
        return (
            translate(
                "MonitorPanel",
                "Live status needs the callback receiver: no callback has arrived for this job "
                "yet, so this is what the start call returned.",
            )
            + " "
            + answer
            + " "
            + translate(
                "MonitorPanel",
                "Enter the receiver's callback URL in the system user's account settings in the "
                "Dispatch web portal; it is one URL for every account of that system user.",
            )
        )

    def _update_state(self) -> None:
        monitor = self._monitor
        self.older_button.setVisible(self._older is not None)
        self.older_button.setEnabled(not self.reading)
        if monitor is None or (self._reading_page and not self.model.rowCount()):
            self.empty_label.setText(translate("MonitorPanel", "Loading the monitored jobs…"))
            self.stack.setCurrentWidget(self.empty_label)
            self.count_label.clear()
            return
        self.empty_label.setText(
            translate("MonitorPanel", "Not signed in: sign in to see the jobs on your server.")
            if self._scoped and self._server is None
            else translate(
                "MonitorPanel",
                "No jobs to monitor yet. Jobs started from this desktop appear here, and so "
                "does every job the callback receiver reports.",
            )
        )
        self.stack.setCurrentWidget(self.table if self.model.rowCount() else self.empty_label)
        active = monitor.active_count()
        self.count_label.setText(
            translate("MonitorPanel", "%n active job(s)", None, PLURAL, active)
        )
        if active != self._active:
            self._active = active
            self.active_jobs_changed.emit(active)


class EventBridge(QObject):
    """Hands callbacks from any thread to the GUI thread, in batches.

    :meth:`deliver` suits :meth:`CallbackReceiver.add_listener
    <dispatch_desktop.events.CallbackReceiver.add_listener>` (called on a server thread) and
    :meth:`deliver_many` a follower's polling thread. ``events_received(list[StoredEvent])``
    is emitted in the thread this object lives in (create it on the GUI thread). Only one
    wake-up is queued per batch, however many events arrive meanwhile."""

    events_received = Signal(object)
    _wake = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._pending: list[StoredEvent] = []
        # Queued explicitly: the wake-up is emitted on a foreign thread, the drain must run
        # on this object's thread.
        self._wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)

    def deliver(self, event: StoredEvent) -> None:
        """Pass on one event; any thread."""
        self.deliver_many([event])

    def deliver_many(self, events: list[StoredEvent]) -> None:
        """Pass on several events; any thread."""
        if not events:
            return
        with self._lock:
            wake = not self._pending
            self._pending.extend(events)
        if wake:
            self._wake.emit()

    @Slot()
    def _drain(self) -> None:
        with self._lock:
            batch, self._pending = self._pending, []
        if batch:
            self.events_received.emit(batch)
