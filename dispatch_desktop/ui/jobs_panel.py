"""The saved-jobs panel: a sortable, searchable table of the jobs this account may start, with
favourites (a star, kept per server) and the jobs launched lately from this computer."""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Iterable, Sequence
from contextlib import suppress
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedWidget,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dispatch_desktop.api import GenericType, JobTypeMapping, SavedJob
from dispatch_desktop.joblist import Column, JobList, Selection, search_needle
from dispatch_desktop.storage.journal import LaunchRecord, Outcome
from dispatch_desktop.ui.common import PLURAL, PlainLabel, error_sentence, fill, plain, translate
from dispatch_desktop.ui.table_model import TEXT_ROLES, ColumnsModel, Index, cell_text

if TYPE_CHECKING:
    from dispatch_desktop.storage.journal import LaunchJournal
    from dispatch_desktop.ui.settings import AppSettings
    from dispatch_desktop.ui.workers import TaskRunner

JOB_ROLE = Qt.ItemDataRole.UserRole + 1
CELL_ROLES = frozenset(
    {
        *TEXT_ROLES,
        Qt.ItemDataRole.AccessibleTextRole,
        Qt.ItemDataRole.TextAlignmentRole,
        JOB_ROLE,
    }
)
"""The roles a cell answers; a table asks for a dozen per cell and paint."""
ALL_TYPES = ""
PREPARED_HERE = 2_000
"""Up to this many saved jobs are prepared for the list on the GUI thread (at once, a few
milliseconds); more on the task runner."""
UNKNOWN_GENERIC = QT_TRANSLATE_NOOP("JobsPanel", "unknown")
CELL_PADDING = 10
"""Pixels a column has beside its widest text: the cell's margins and some air."""
TYPE_COLUMN_CHARS = 28
"""The type column is at most as wide as this many average characters; a longer type is cut
in the cell and whole in its tooltip."""
NAME_COLUMN_CHARS = 30
"""The room, in average characters, the first window gives a job's name (the list's share of
the window is sized for it): names of a few words are never cut while the ids take space."""
LONGEST_ID = "9" * 19
"""The text of the largest 64-bit id (F1): the id column is never narrower."""

FAVOURITE_SHORTCUT = "Ctrl+D"
"""Stars or unstars the selected job (as a browser bookmarks a page); no other shortcut."""
STAR, NO_STAR = "\u2605", "\u2606"
RECENT_JOBS = 20
"""Saved jobs the Recent view lists at most."""
RECENT_SCAN = 500
"""Journal rows read for them: many launches of a few jobs still leave room for others."""
NOT_LAUNCHED = (Outcome.REFUSED_LOCALLY, Outcome.CANCELLED)
"""Attempts that never left this computer: not a launch the Recent view lists."""


class JobsView(enum.Enum):
    """Which saved jobs the list shows (besides the search and the type filter)."""

    ALL = enum.auto()
    FAVOURITES = enum.auto()
    """Only the starred ones, of the server signed in to."""
    RECENT = enum.auto()
    """Only those launched lately from this computer on this server, newest first."""


def recent_launches(records: list[LaunchRecord], limit: int = RECENT_JOBS) -> dict[int, datetime]:
    """The saved jobs of ``records`` (newest first) that were launched, each with its latest
    launch, newest first; at most ``limit``. Ids stay exact ints (F1)."""
    recent: dict[int, datetime] = {}
    for record in records:
        if record.outcome in NOT_LAUNCHED or record.job_id in recent:
            continue
        recent[record.job_id] = record.attempted_at
        if len(recent) == limit:
            break
    return recent


def launched_text(when: datetime, now: datetime) -> str:
    """``HH:MM`` local time today, else the date too."""
    local = when.astimezone()
    if local.date() == now.astimezone().date():
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def generic_type_label(mapping: JobTypeMapping, job_type: str) -> str:
    """What the table shows for a type's generic type (G2): GMM, GMA or unknown."""
    generic = mapping.generic_type_of(job_type)
    return generic.value if generic else translate("JobsPanel", UNKNOWN_GENERIC)


class SavedJobsModel(ColumnsModel):
    """Saved jobs as rows, in the order loaded. Ids are shown as text (F1).

    It holds what the rows show besides the jobs: the type mapping, the favourites and the
    recent launches. The table shows it through :class:`ShownJobsModel`."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("JobsPanel", "Name"),
        QT_TRANSLATE_NOOP("JobsPanel", "Type"),
        QT_TRANSLATE_NOOP("JobsPanel", "Generic type"),
        QT_TRANSLATE_NOOP("JobsPanel", "Id"),
        QT_TRANSLATE_NOOP("JobsPanel", "Favourite"),
        QT_TRANSLATE_NOOP("JobsPanel", "Launched"),
    )
    CONTEXT = "JobsPanel"
    GENERIC_COLUMN = Column.GENERIC
    STAR_COLUMN = Column.FAVOURITE
    LAUNCHED_COLUMN = Column.LAUNCHED

    def __init__(self, mapping: JobTypeMapping, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._list = JobList()
        self._mapping = mapping
        self._favourites: set[int] = set()
        self._favourite_rows: set[int] = set()
        self._recent: dict[int, datetime] = {}
        self._launch_ranks: dict[int, int] = {}

    def set_jobs(self, jobs: Iterable[SavedJob] | JobList) -> None:
        """Replace every row (a :class:`JobList` is used as it is: build it off the GUI
        thread)."""
        self.beginResetModel()
        self._list = jobs if isinstance(jobs, JobList) else JobList(jobs)
        self._favourite_rows = self._list.rows_with_ids(self._favourites)
        self._launch_ranks = self._ranks_of(self._recent)
        self.endResetModel()

    def job_list(self) -> JobList:
        """The jobs with their precomputed search texts and orders."""
        return self._list

    def jobs(self) -> list[SavedJob]:
        """The jobs shown, in load order."""
        return [self._list.job(row) for row in range(len(self._list))]

    def job_with_id(self, job_id: int) -> SavedJob | None:
        """The job ``job_id``, if listed."""
        row = self._list.row_of(job_id)
        return None if row is None else self._list.job(row)

    def set_mapping(self, mapping: JobTypeMapping) -> None:
        """Use another type mapping (after Settings changed it)."""
        self._mapping = mapping
        self._column_changed(Column.GENERIC)

    def generic_label(self, job_type: str) -> str:
        """The generic type the table shows for ``job_type``."""
        return generic_type_label(self._mapping, job_type)

    # -- favourites and recent launches -------------------------------------------------------

    def set_favourites(self, job_ids: Iterable[int]) -> None:
        """Star exactly the jobs ``job_ids`` (of the server signed in to)."""
        self._favourites = set(job_ids)
        self._favourite_rows = self._list.rows_with_ids(self._favourites)
        self._column_changed(Column.FAVOURITE)

    def is_favourite(self, job_id: int) -> bool:
        """Whether saved job ``job_id`` has a star."""
        return job_id in self._favourites

    def set_favourite(self, job_id: int, favourite: bool) -> None:
        """Star or unstar one job."""
        rows = self._list.rows_with_ids((job_id,))
        if favourite:
            self._favourites.add(job_id)
            self._favourite_rows |= rows
        else:
            self._favourites.discard(job_id)
            self._favourite_rows -= rows
        self._column_changed(Column.FAVOURITE)

    def favourite_rows(self) -> set[int]:
        """The rows with a star."""
        return self._favourite_rows

    def set_recent(self, recent: dict[int, datetime]) -> None:
        """The jobs launched lately, newest first, each with its latest launch."""
        if list(recent.items()) == list(self._recent.items()):
            return  # read again after a launch elsewhere, or a view chosen: nothing new
        self._recent = dict(recent)
        self._launch_ranks = self._ranks_of(self._recent)
        self._column_changed(Column.LAUNCHED)

    def recent_launches(self) -> dict[int, datetime]:
        """The jobs launched lately, newest first, each with its latest launch."""
        return dict(self._recent)

    def is_recent(self, job_id: int) -> bool:
        """Whether saved job ``job_id`` was launched lately from this computer."""
        return job_id in self._recent

    def launch_ranks(self) -> dict[int, int]:
        """The rows launched lately, each with its rank: 0 for the newest launch."""
        return self._launch_ranks

    def _ranks_of(self, recent: dict[int, datetime]) -> dict[int, int]:
        # The journal's order (by row id), not the clock's: newer ranks first.
        rank_of_id = {job_id: rank for rank, job_id in enumerate(recent)}
        return {
            row: rank_of_id[self._list.ids[row]] for row in self._list.rows_with_ids(rank_of_id)
        }

    def _column_changed(self, column: int) -> None:
        if len(self._list):
            bottom = self.index(len(self._list) - 1, column)
            self.dataChanged.emit(self.index(0, column), bottom)

    # -- cells --------------------------------------------------------------------------------

    def row_count(self) -> int:
        return len(self._list)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in CELL_ROLES:
            return None
        return self.cell(index.row(), index.column(), role)

    def cell(self, row: int, column: int, role: int) -> Any:
        """What cell ``column`` of the job in ``row`` (in load order) shows for ``role``."""
        if role == JOB_ROLE:
            return self._list.job(row)
        job_id = self._list.ids[row]
        if column == Column.FAVOURITE:
            return self._star_data(job_id, role)
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.LAUNCHED:
            return self._launched_tooltip(job_id)
        if role in TEXT_ROLES:
            return cell_text(self._text(row, column), role)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.ID:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        # The star column is as narrow as a star; its name is for the tooltip and screen readers.
        if orientation == Qt.Orientation.Horizontal and section == Column.FAVOURITE:
            if role == Qt.ItemDataRole.DisplayRole:
                return STAR
            if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
                return translate("JobsPanel", "Favourite")
        return super().headerData(section, orientation, role)

    def _text(self, row: int, column: int) -> str:
        jobs = self._list
        if column == Column.NAME:
            return jobs.names[row]
        if column == Column.TYPE:
            return jobs.row_types[row]
        if column == Column.GENERIC:
            return self.generic_label(jobs.row_types[row])
        if column == Column.ID:
            return str(jobs.ids[row])
        launched = self._recent.get(jobs.ids[row])
        return "" if launched is None else launched_text(launched, datetime.now())

    def _star_data(self, job_id: int, role: int) -> Any:
        favourite = job_id in self._favourites
        if role == Qt.ItemDataRole.DisplayRole:
            return STAR if favourite else NO_STAR
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return (
                translate("JobsPanel", "Favourite")
                if favourite
                else translate("JobsPanel", "Not a favourite")
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            if favourite:
                return fill(
                    translate("JobsPanel", "Favourite. Click, or press %1, to remove the star."),
                    FAVOURITE_SHORTCUT,
                )
            return fill(
                translate("JobsPanel", "Click, or press %1, to star this job as a favourite."),
                FAVOURITE_SHORTCUT,
            )
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _launched_tooltip(self, job_id: int) -> str | None:
        launched = self._recent.get(job_id)
        if launched is None:
            return None
        return fill(
            translate("JobsPanel", "Last launched from this computer: %1"),
            launched.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
        )


class ShownJobsModel(ColumnsModel):
    """The rows the table shows: the saved jobs of :class:`SavedJobsModel` searched (name,
    type or id), filtered by type and view, and sorted (ids as ints, F1).

    Each change is one scan over precomputed search texts and orders (:mod:`~dispatch_desktop.
    joblist`), never a Python call per row; it is announced as a layout change, so the current
    and selected jobs stay selected wherever they are still shown, across a reload too. A
    change of the stars, the recent launches or the type mapping sorts and filters again where
    the sort or the view depends on them."""

    COLUMNS = SavedJobsModel.COLUMNS

    def __init__(self, source: SavedJobsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._selection = Selection(source.job_list())
        self._column = Column.NAME
        self._descending = False
        self._job_type = ALL_TYPES
        self._view = JobsView.ALL
        self._kept: list[tuple[QModelIndex, int]] = []
        source.modelAboutToBeReset.connect(self._before_reload)
        source.modelReset.connect(self._after_reload)
        source.dataChanged.connect(self._source_changed)

    # -- what is shown ------------------------------------------------------------------------

    def set_search(self, text: str) -> None:
        """Keep rows whose name, type or id contains ``text`` (case-insensitive)."""
        if search_needle(text) != self._selection.needle:
            self._change(lambda: self._selection.search(text))

    def set_job_type(self, job_type: str) -> None:
        """Keep only jobs of ``job_type`` (``ALL_TYPES`` for all)."""
        if job_type != self._job_type:
            self._job_type = job_type
            self._change(self._restrict)

    def set_view(self, view: JobsView) -> None:
        """Show all jobs, only the favourites or only the recent ones."""
        if view is not self._view:
            self._view = view
            self._change(self._restrict)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        descending = order == Qt.SortOrder.DescendingOrder
        if (column, descending) == (self._column, self._descending):
            return  # already so (the table asks twice: for the header and for the sort)
        if 0 <= column < len(self.COLUMNS):
            self._column = Column(column)
            self._descending = descending
            self._change(self._sort)

    def _sort(self) -> None:
        jobs, source = self._source.job_list(), self._source
        column = self._column
        if column == Column.GENERIC:
            ordering = jobs.by_generic(source.generic_label)
        elif column == Column.FAVOURITE:
            ordering = jobs.favourites_first(source.favourite_rows())
        elif column == Column.LAUNCHED:
            ordering = jobs.by_launch(source.launch_ranks())
        else:
            ordering = {Column.NAME: jobs.by_name, Column.TYPE: jobs.by_type}.get(
                column, jobs.by_id
            )
        self._selection.sort(ordering.reversed() if self._descending else ordering)

    def _reselect(self, *, resort: bool, refilter: bool) -> None:
        if resort:
            self._sort()
        if refilter:
            self._restrict()

    def _restrict(self) -> None:
        only: Collection[int] | None = None
        if self._view is JobsView.FAVOURITES:
            only = self._source.favourite_rows()
        elif self._view is JobsView.RECENT:
            only = self._source.launch_ranks()
        self._selection.restrict(self._job_type or None, only)

    # -- changes ------------------------------------------------------------------------------

    def _change(self, change: Callable[[], None]) -> None:
        """Apply ``change`` as one layout change."""
        self._before_layout()
        change()
        self._after_layout()

    def _before_layout(self) -> None:
        self.layoutAboutToBeChanged.emit()
        ids, rows = self._source.job_list().ids, self._selection.rows
        self._kept = [(index, ids[rows[index.row()]]) for index in self.persistentIndexList()]

    def _after_layout(self) -> None:
        """Move the persistent indexes (the current and selected rows, mostly one job) to
        where their jobs are shown now: one scan per job, not per index."""
        jobs, rows = self._source.job_list(), self._selection.rows
        positions = {job_id: self._position_of(jobs, rows, job_id) for _, job_id in self._kept}
        before, after = [], []
        for index, job_id in self._kept:
            position, column = positions[job_id], index.column()
            before.append(index)
            after.append(QModelIndex() if position is None else self.index(position, column))
        self._kept = []
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    @staticmethod
    def _position_of(jobs: JobList, rows: Sequence[int], job_id: int) -> int | None:
        """Where job ``job_id`` is shown now; ``None``: nowhere."""
        row = jobs.row_of(job_id)
        with suppress(ValueError):
            return None if row is None else rows.index(row)
        return None

    def _before_reload(self) -> None:
        self._before_layout()

    def _after_reload(self) -> None:
        needle = self._selection.needle
        self._selection = Selection(self._source.job_list())
        self._sort()
        self._restrict()
        self._selection.search(needle)
        self._after_layout()

    def _source_changed(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        columns = range(top_left.column(), bottom_right.column() + 1)
        depends = {
            Column.FAVOURITE: JobsView.FAVOURITES,
            Column.LAUNCHED: JobsView.RECENT,
        }
        resort = self._column in columns
        refilter = any(depends.get(Column(column)) is self._view for column in columns)
        if resort or refilter:
            self._change(lambda: self._reselect(resort=resort, refilter=refilter))
        if self._selection.rows:
            last = len(self._selection.rows) - 1
            for column in columns:
                self.dataChanged.emit(self.index(0, column), self.index(last, column))

    # -- cells --------------------------------------------------------------------------------

    def row_count(self) -> int:
        return len(self._selection.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in CELL_ROLES:
            return None
        return self._source.cell(self._selection.rows[index.row()], index.column(), role)

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return self._source.headerData(section, orientation, role)


class _JobsTable(QTableView):
    """Enter opens the selected job, Ctrl+C copies its id."""

    activated_job = Signal(object)
    copy_requested = Signal()
    resized = Signal()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self.resized.emit()

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            job = self.currentIndex().data(JOB_ROLE)
            if isinstance(job, SavedJob):
                self.activated_job.emit(job)
                return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_requested.emit()
            return
        super().keyPressEvent(event)


class SavedJobsPanel(QWidget):
    """Table, search, view (all, favourites, recent), type filter, refresh, count and empty
    state.

    ``job_activated(SavedJob)`` asks to open the start-job form; ``refresh_requested`` asks the
    window to reload the list off the GUI thread. Favourites need ``settings`` and the server
    (:meth:`set_server`); the Recent view needs the launch journal (:meth:`set_journal`) and
    ``runner`` to read it off the GUI thread.
    """

    job_activated = Signal(object)
    refresh_requested = Signal()

    def __init__(
        self,
        mapping: JobTypeMapping,
        parent: QWidget | None = None,
        *,
        settings: AppSettings | None = None,
        runner: TaskRunner | None = None,
        journal: LaunchJournal | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = SavedJobsModel(mapping, self)
        self.proxy = ShownJobsModel(self.model, self)
        self._settings = settings
        self._runner = runner
        self._journal = journal
        self._server: str | None = None
        self._recent_error = ""
        self._sort_before_recent: tuple[int, Qt.SortOrder] | None = None
        self._loaded = False
        self._signed_out = False
        self._load_error = ""
        self._lists_asked = 0  # lists given to show: a list prepared late shows only if last
        self._build()
        self._update_state()

    def _build(self) -> None:
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(translate("JobsPanel", "Search (Ctrl+F)"))
        self.search.setToolTip(
            translate("JobsPanel", "Filter by name, type or id as you type (Ctrl+F)")
        )
        self.search.setAccessibleName(translate("JobsPanel", "Search saved jobs"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search)
        self.search.returnPressed.connect(self._on_search_return)
        self.search.installEventFilter(self)

        self.view_choice = QComboBox(self)
        self.view_choice.setAccessibleName(translate("JobsPanel", "Saved jobs view"))
        self.view_choice.setToolTip(
            translate(
                "JobsPanel", "All saved jobs, your favourites, or those launched lately from here"
            )
        )
        self.view_choice.addItem(translate("JobsPanel", "All jobs"), JobsView.ALL)
        self.view_choice.addItem(translate("JobsPanel", "Favourites"), JobsView.FAVOURITES)
        self.view_choice.addItem(translate("JobsPanel", "Recent"), JobsView.RECENT)
        self.view_choice.currentIndexChanged.connect(self._on_view)

        self.type_filter = QComboBox(self)
        self.type_filter.setAccessibleName(translate("JobsPanel", "Job type filter"))
        self.type_filter.addItem(translate("JobsPanel", "All types"), ALL_TYPES)
        self.type_filter.currentIndexChanged.connect(self._on_type)

        self.refresh_button = QPushButton(translate("JobsPanel", "Refresh"), self)
        self.refresh_button.setAccessibleName(translate("JobsPanel", "Refresh saved jobs"))
        self.refresh_button.setToolTip(
            translate("JobsPanel", "Reload the saved jobs from the server (F5)")
        )
        self.refresh_button.clicked.connect(self.refresh_requested)

        self.table = _JobsTable(self)
        # Tab leaves the table (arrows move inside it): a keyboard user is never trapped.
        self.table.setTabKeyNavigation(False)
        self._column_widths: dict[int, int] = {}
        self._title_widths: dict[int, int] = {}
        self._names_width = 0
        self.table.setAccessibleName(translate("JobsPanel", "Saved jobs"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        # Widths from the texts a column can hold (a few types, fixed-width ids and times),
        # never from its rows: measuring 100,000 cells would take seconds.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        # Sized to its digits and not resizable: a cut id reads as another id (F1).
        header.setSectionResizeMode(Column.ID, QHeaderView.ResizeMode.Fixed)
        self._fit_columns(self.model.job_list())
        header.moveSection(SavedJobsModel.STAR_COLUMN, 0)  # the star first, as in a mail client
        self.table.setColumnHidden(SavedJobsModel.LAUNCHED_COLUMN, True)  # shown in Recent
        self.table.resized.connect(self._give_names_room)
        self.table.clicked.connect(self._on_click)
        self.table.doubleClicked.connect(self._on_double_click)
        self.table.activated_job.connect(self.job_activated)
        self.table.copy_requested.connect(self.copy_selected_id)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self._build_favourite_action()

        self.empty_label = PlainLabel("", self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)

        self.count_label = PlainLabel("", self)
        self.refreshed_label = PlainLabel("", self)
        self.refreshed_label.setAlignment(Qt.AlignmentFlag.AlignRight)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.view_choice)
        top.addWidget(self.type_filter)
        top.addWidget(self.refresh_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.refreshed_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)

    def _build_favourite_action(self) -> None:
        # On the panel, not the window: the key acts on the selected job only while the list
        # (or its search field) has the focus, never while the dispatcher types in the form.
        self.favourite_action = QAction(translate("JobsPanel", "Add to &favourites"), self)
        self.favourite_action.setShortcut(QKeySequence(FAVOURITE_SHORTCUT))
        self.favourite_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.favourite_action.setToolTip(
            translate("JobsPanel", "Star or unstar the selected saved job")
        )
        self.favourite_action.triggered.connect(self.toggle_favourite)
        self.addAction(self.favourite_action)

    # -- data -------------------------------------------------------------------------------

    def set_jobs(self, jobs: Collection[SavedJob] | JobList, refreshed_at: datetime) -> None:
        """Show a freshly loaded list. A :class:`JobList` (prepared off the GUI thread) or a
        short list shows at once; a long list is prepared on the task runner first."""
        self._lists_asked += 1
        if isinstance(jobs, JobList) or len(jobs) <= PREPARED_HERE or self._runner is None:
            self._show_jobs(jobs if isinstance(jobs, JobList) else JobList(jobs), refreshed_at)
            return
        asked = self._lists_asked
        self._runner.submit(
            lambda: JobList(jobs),
            "prepare saved jobs",
            lambda job_list: self._prepared(asked, job_list, refreshed_at),
            lambda error: self._prepared(asked, error, refreshed_at),
        )

    def _prepared(
        self, asked: int, job_list: JobList | BaseException, refreshed_at: datetime
    ) -> None:
        if asked != self._lists_asked:
            return  # another list (or a sign-out) came meanwhile
        if isinstance(job_list, JobList):
            self._show_jobs(job_list, refreshed_at)
        else:
            self.set_load_error(error_sentence(job_list))

    def _show_jobs(self, job_list: JobList, refreshed_at: datetime) -> None:
        self._loaded = True
        self._signed_out = False
        self._load_error = ""
        self.model.set_jobs(job_list)
        self._fill_type_filter(job_list.types)
        self._fit_columns(job_list)
        self.refreshed_label.setText(
            fill(translate("JobsPanel", "Last refreshed %1"), refreshed_at.strftime("%H:%M:%S"))
        )
        self._update_state()

    def set_signed_out(self) -> None:
        """No session yet: say how to sign in."""
        self._lists_asked += 1
        self._signed_out = True
        self.refreshed_label.setText("")
        self.set_server(None)
        self._update_state()

    def set_server(self, server: str | None) -> None:
        """The server signed in to (``None``: none): its favourites and recent launches."""
        self._server = server
        favourites = self._settings.favourite_jobs(server) if self._settings and server else []
        self.model.set_favourites(favourites)
        self.reload_recent()

    def set_journal(self, journal: LaunchJournal | None) -> None:
        """The launch journal, once open (``None``: it could not be opened)."""
        self._journal = journal
        self.reload_recent()

    def reload_recent(self) -> None:
        """Read the recent launches on this server again, off the GUI thread (after a
        launch, a sign-in, or when the Recent view is chosen)."""
        journal, server, runner = self._journal, self._server, self._runner
        if journal is None or server is None or runner is None:
            self._show_recent(server, [])
            return
        runner.submit(
            lambda: journal.entries(limit=RECENT_SCAN, server=server),
            "read recent launches",
            lambda records: self._show_recent(server, records),
            lambda error: self._recent_failed(server, error),
        )

    def _show_recent(self, server: str | None, records: list[LaunchRecord]) -> None:
        if server != self._server:
            return  # read for a server signed out of meanwhile
        self._recent_error = ""
        self.model.set_recent(recent_launches(records))
        self._fit_launched()
        self._update_state()

    def _recent_failed(self, server: str | None, error: BaseException) -> None:
        if server == self._server:
            self._recent_error = error_sentence(error)
            self._update_state()

    def set_refreshing(self, refreshing: bool) -> None:
        """Disable Refresh while a reload runs."""
        self.refresh_button.setEnabled(not refreshing)
        if refreshing:
            self.refreshed_label.setText(translate("JobsPanel", "Refreshing…"))

    def set_load_error(self, message: str) -> None:
        """Say why the list could not be loaded; keep what was shown before."""
        self._load_error = message
        self.refreshed_label.setText(translate("JobsPanel", "Refresh failed"))
        self._update_state()

    def set_mapping(self, mapping: JobTypeMapping) -> None:
        """Re-label generic types after the mapping changed."""
        self.model.set_mapping(mapping)

    def selected_job(self) -> SavedJob | None:
        """The job of the current row, if any."""
        job = self.table.currentIndex().data(JOB_ROLE)
        return job if isinstance(job, SavedJob) else None

    def wanted_width(self) -> int:
        """The width that shows the columns of all jobs whole and a name of
        :data:`NAME_COLUMN_CHARS` characters beside them."""
        columns = sum(
            self._column_widths.get(column, 0)
            for column in (Column.FAVOURITE, Column.TYPE, Column.GENERIC, Column.ID)
        )
        name = NAME_COLUMN_CHARS * self.table.fontMetrics().averageCharWidth() + CELL_PADDING
        scroll_bar = self.table.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return columns + name + scroll_bar + 2 * self.table.frameWidth()

    def focus_search(self) -> None:
        """Ctrl+F: jump to the search field with its text selected."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def copy_selected_id(self) -> None:
        """Copy the selected job's exact id as text."""
        job = self.selected_job()
        if job is not None:
            QGuiApplication.clipboard().setText(str(job.id))

    def toggle_favourite(self) -> None:
        """Star the selected job, or remove its star (Ctrl+D)."""
        job = self.selected_job()
        if job is not None:
            self.set_favourite(job, not self.model.is_favourite(job.id))

    def set_favourite(self, job: SavedJob, favourite: bool) -> None:
        """Star or unstar ``job`` on the server signed in to; kept in the settings."""
        server, settings = self._server, self._settings
        if server is None or settings is None:
            return  # favourites belong to a server: none without a session
        settings.set_favourite(server, job.id, favourite)
        self.model.set_favourite(job.id, favourite)
        self._update_state()

    def current_view(self) -> JobsView:
        """The view chosen: all jobs, the favourites or the recent ones."""
        view = self.view_choice.currentData()
        return view if isinstance(view, JobsView) else JobsView.ALL

    def set_view(self, view: JobsView) -> None:
        """Choose the view (as the view choice does)."""
        self.view_choice.setCurrentIndex(self.view_choice.findData(view))

    # -- internals ----------------------------------------------------------------------------

    def _fill_type_filter(self, types: list[str]) -> None:
        current = self.type_filter.currentData()
        self.type_filter.blockSignals(True)
        self.type_filter.clear()
        self.type_filter.addItem(translate("JobsPanel", "All types"), ALL_TYPES)
        for job_type in types:
            self.type_filter.addItem(plain(job_type, one_line=True), job_type)
        index = self.type_filter.findData(current)
        self.type_filter.setCurrentIndex(max(index, 0))
        self.type_filter.blockSignals(False)
        self.proxy.set_job_type(self.type_filter.currentData() or ALL_TYPES)

    def _fit_columns(self, job_list: JobList) -> None:
        """Each column but the name (which takes the room left) as wide as the widest text
        it can hold, or its title."""
        self._fit_column(Column.TYPE, job_list.types, TYPE_COLUMN_CHARS)
        self._fit_column(
            Column.GENERIC,
            [translate("JobsPanel", UNKNOWN_GENERIC), *(g.value for g in GenericType)],
        )
        self._fit_column(Column.ID, [*job_list.longest_ids, LONGEST_ID])
        self._fit_column(Column.FAVOURITE, [STAR, NO_STAR])
        self._fit_launched()
        self._names_width = self._widest_name(job_list) + CELL_PADDING
        self._give_names_room()

    def _widest_name(self, job_list: JobList) -> int:
        """The width of the widest name, up to :data:`NAME_COLUMN_CHARS` average characters
        (measured for a list prepared at once; a longer list is taken to have long names)."""
        metrics = self.table.fontMetrics()
        most = NAME_COLUMN_CHARS * metrics.averageCharWidth()
        if len(job_list) > PREPARED_HERE:
            return most
        widest = (metrics.horizontalAdvance(plain(name, one_line=True)) for name in job_list.names)
        return min(max(widest, default=0), most)

    def _give_names_room(self) -> None:
        """A list too narrow for its names hides the generic type (the form's heading says it
        too) rather than cut them, and shows it again once there is room; Recent shows the
        launch time in its place. The ids keep their room in any case (F1)."""
        recent = self.view_choice.currentData() is JobsView.RECENT
        header = self.table.horizontalHeader()
        others = sum(
            header.sectionSize(column)
            for column in range(header.count())
            if column not in (Column.NAME, Column.GENERIC) and not header.isSectionHidden(column)
        )
        generic = self._column_widths.get(Column.GENERIC, 0)  # also while hidden
        room = self.table.viewport().width() - others - generic
        hide = recent or room < self._names_width
        if hide != self.table.isColumnHidden(Column.GENERIC):
            self.table.setColumnHidden(Column.GENERIC, hide)
            if not hide:  # back at its width (a hidden column forgets a width set meanwhile)
                self.table.setColumnWidth(Column.GENERIC, generic)

    def _fit_launched(self) -> None:
        now = datetime.now()
        self._fit_column(
            Column.LAUNCHED,
            [launched_text(when, now) for when in self.model.recent_launches().values()],
        )

    def _fit_column(self, column: int, texts: Iterable[str], most_chars: int = 0) -> None:
        metrics = self.table.fontMetrics()
        widest = max(
            (metrics.horizontalAdvance(plain(text, one_line=True)) for text in texts), default=0
        )
        if most_chars:
            widest = min(widest, most_chars * metrics.averageCharWidth())
        header = self.table.horizontalHeader()
        # Measured while shown: a hidden column's title has no size hint.
        title = self._title_widths.setdefault(column, header.sectionSizeHint(column))
        self._column_widths[column] = max(widest + CELL_PADDING, title)
        self.table.setColumnWidth(column, self._column_widths[column])

    def _on_search(self, text: str) -> None:
        # At once, not debounced: at 100,000 jobs a keystroke is filtered and painted in a
        # few tens of milliseconds (bench/jobs.py), and a delay would only make it later.
        self.proxy.set_search(text)
        self._update_state()

    def _on_search_return(self) -> None:
        """Enter in the search: open the job if exactly one matches; with several, go to the
        list (never open one of several: it could be the wrong one)."""
        if self.proxy.rowCount() == 1:
            self.table.setCurrentIndex(self.proxy.index(0, 0))
            self.job_activated.emit(self.proxy.index(0, 0).data(JOB_ROLE))
        elif self.proxy.rowCount() > 1:
            self._focus_results()

    def _focus_results(self) -> None:
        if not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.proxy.index(0, 0))
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        # Down in the search field moves into the results, as in a browser's address bar.
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and self.proxy.rowCount()
        ):
            self._focus_results()
            return True
        return super().eventFilter(watched, event)

    def _on_type(self) -> None:
        self.proxy.set_job_type(self.type_filter.currentData() or ALL_TYPES)
        self._update_state()

    def _on_view(self) -> None:
        view = self.current_view()
        self._sort_for(view)
        self.proxy.set_view(view)
        if view is JobsView.RECENT:
            self.reload_recent()
        self._update_state()

    def _sort_for(self, view: JobsView) -> None:
        """Recent: newest launch first, with the time of each (in place of the generic type,
        so the names keep their room); back to the sort before."""
        header = self.table.horizontalHeader()
        launched = SavedJobsModel.LAUNCHED_COLUMN
        recent = view is JobsView.RECENT
        self.table.setColumnHidden(launched, not recent)
        self._give_names_room()
        if recent and self._sort_before_recent is None:
            self._sort_before_recent = (header.sortIndicatorSection(), header.sortIndicatorOrder())
            self.table.sortByColumn(launched, Qt.SortOrder.DescendingOrder)
        elif not recent and self._sort_before_recent is not None:
            self.table.sortByColumn(*self._sort_before_recent)
            self._sort_before_recent = None

    def _on_click(self, index: QModelIndex) -> None:
        job = index.data(JOB_ROLE)
        if index.column() == SavedJobsModel.STAR_COLUMN and isinstance(job, SavedJob):
            self.set_favourite(job, not self.model.is_favourite(job.id))

    def _on_double_click(self, index: QModelIndex) -> None:
        job = index.data(JOB_ROLE)
        # On the star, a double click is two quick clicks on it, not "open this job".
        if isinstance(job, SavedJob) and index.column() != SavedJobsModel.STAR_COLUMN:
            self.job_activated.emit(job)

    def _context_menu(self, position: Any) -> None:
        job = self.selected_job()
        if job is None:
            return
        menu = QMenu(self)
        copy = QAction(translate("JobsPanel", "Copy id"), menu)
        copy.triggered.connect(self.copy_selected_id)
        menu.addAction(copy)
        if self._server is not None and self._settings is not None:
            self.favourite_action.setText(
                translate("JobsPanel", "Remove from &favourites")
                if self.model.is_favourite(job.id)
                else translate("JobsPanel", "Add to &favourites")
            )
            menu.addAction(self.favourite_action)
        menu.exec(self.table.viewport().mapToGlobal(position))

    def _update_state(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        if total == shown:
            self.count_label.setText(translate("JobsPanel", "%n saved job(s)", None, PLURAL, total))
        else:
            self.count_label.setText(
                fill(translate("JobsPanel", "Showing %1 of %2 saved jobs"), str(shown), str(total))
            )
        empty_reason = self._empty_reason(total, shown)
        self.empty_label.setText(empty_reason)
        self.stack.setCurrentWidget(self.empty_label if empty_reason else self.table)

    def _empty_reason(self, total: int, shown: int) -> str:
        if self._signed_out:
            return translate(
                "JobsPanel", "Not signed in. Choose File → Sign in… (Ctrl+L) to load saved jobs."
            )
        if self._load_error and total == 0:
            return fill(
                translate("JobsPanel", "The saved jobs could not be loaded: %1"), self._load_error
            )
        if not self._loaded:
            return translate("JobsPanel", "Loading saved jobs…")
        if total == 0:
            return translate(
                "JobsPanel",
                "This account has no saved jobs it may start. Save a job in the Dispatch web "
                "portal, then refresh (F5).",
            )
        if shown == 0:
            return self._empty_view_reason()
        return ""

    def _empty_view_reason(self) -> str:
        view = self.current_view()
        if view is JobsView.FAVOURITES and not self.model.favourite_rows():
            return fill(
                translate(
                    "JobsPanel",
                    "No favourites on this server yet. Select a saved job and press %1, or click "
                    "the star in its row; choose All jobs to see them all.",
                ),
                FAVOURITE_SHORTCUT,
            )
        if view is JobsView.RECENT and self._recent_error:
            return fill(
                translate("JobsPanel", "The recent launches could not be read: %1"),
                self._recent_error,
            )
        if view is JobsView.RECENT and not self.model.launch_ranks():
            return translate(
                "JobsPanel", "No saved job has been launched from this computer on this server yet."
            )
        return translate("JobsPanel", "No saved job matches the search or the type filter.")
