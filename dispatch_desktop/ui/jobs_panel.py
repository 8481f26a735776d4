"""The saved-jobs panel: a sortable, searchable table of the jobs this account may start."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
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
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dispatch_desktop.api import JobTypeMapping, SavedJob
from dispatch_desktop.ui.common import PlainLabel, count_text, plain
from dispatch_desktop.ui.table_model import TEXT_ROLES, ColumnsModel, Index, cell_text

JOB_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
ALL_TYPES = ""


def generic_type_label(mapping: JobTypeMapping, job_type: str) -> str:
    """What the table shows for a type's generic type (G2): GMM, GMA or unknown."""
    generic = mapping.generic_type_of(job_type)
    return generic.value if generic else "unknown"


class SavedJobsModel(ColumnsModel):
    """Saved jobs as rows. Ids are shown as text and sorted as Python ints (F1)."""

    COLUMNS = ("Name", "Type", "Generic type", "Id")

    def __init__(self, mapping: JobTypeMapping, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._jobs: list[SavedJob] = []
        self._mapping = mapping

    def set_jobs(self, jobs: list[SavedJob]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._jobs = list(jobs)
        self.endResetModel()

    def set_mapping(self, mapping: JobTypeMapping) -> None:
        """Use another type mapping (after Settings changed it)."""
        self._mapping = mapping
        if self._jobs:
            top, bottom = self.index(0, 2), self.index(len(self._jobs) - 1, 2)
            self.dataChanged.emit(top, bottom)

    def jobs(self) -> list[SavedJob]:
        """The jobs shown, in load order."""
        return list(self._jobs)

    def row_count(self) -> int:
        return len(self._jobs)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        job = self._jobs[index.row()]
        column = index.column()
        if role in TEXT_ROLES:
            return cell_text(self._text(job, column), role)
        if role == SORT_ROLE:
            # Sorting on the text of an id would put 9 after 10; as a float it loses digits.
            if column == 3:
                return job.id
            return self._text(job, column).casefold()
        if role == JOB_ROLE:
            return job
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, job: SavedJob, column: int) -> str:
        return (job.name, job.type, generic_type_label(self._mapping, job.type), str(job.id))[
            column
        ]


class SavedJobsFilter(QSortFilterProxyModel):
    """Filters by a search text (name, type or id) and a job type; sorts by Python value."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._search = ""
        self._job_type = ALL_TYPES
        self.setSortRole(SORT_ROLE)

    def set_search(self, text: str) -> None:
        """Keep rows whose name, type or id contains ``text`` (case-insensitive)."""
        self.beginFilterChange()
        self._search = text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_job_type(self, job_type: str) -> None:
        """Keep only jobs of ``job_type`` (``ALL_TYPES`` for all)."""
        self.beginFilterChange()
        self._job_type = job_type
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        job = self.sourceModel().index(source_row, 0, source_parent).data(JOB_ROLE)
        if not isinstance(job, SavedJob):
            return False
        if self._job_type and job.type != self._job_type:
            return False
        if not self._search:
            return True
        haystack = (job.name.casefold(), job.type.casefold(), str(job.id))
        return any(self._search in text for text in haystack)

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802 - Qt API
        return left.data(SORT_ROLE) < right.data(SORT_ROLE)


class _JobsTable(QTableView):
    """Enter opens the selected job, Ctrl+C copies its id."""

    activated_job = Signal(object)
    copy_requested = Signal()

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
    """Table, search, type filter, refresh, count and empty state.

    ``job_activated(SavedJob)`` asks to open the start-job form; ``refresh_requested`` asks the
    window to reload the list off the GUI thread.
    """

    job_activated = Signal(object)
    refresh_requested = Signal()

    def __init__(self, mapping: JobTypeMapping, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = SavedJobsModel(mapping, self)
        self.proxy = SavedJobsFilter(self)
        self.proxy.setSourceModel(self.model)
        self._loaded = False
        self._signed_out = False
        self._load_error = ""
        self._build()
        self._update_state()

    def _build(self) -> None:
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search (Ctrl+F)"))
        self.search.setToolTip(self.tr("Filter by name, type or id as you type (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Search saved jobs"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search)
        self.search.returnPressed.connect(self._on_search_return)
        self.search.installEventFilter(self)

        self.type_filter = QComboBox(self)
        self.type_filter.setAccessibleName(self.tr("Job type filter"))
        self.type_filter.addItem(self.tr("All types"), ALL_TYPES)
        self.type_filter.currentIndexChanged.connect(self._on_type)

        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.setAccessibleName(self.tr("Refresh saved jobs"))
        self.refresh_button.setToolTip(self.tr("Reload the saved jobs from the server (F5)"))
        self.refresh_button.clicked.connect(self.refresh_requested)

        self.table = _JobsTable(self)
        self.table.setAccessibleName(self.tr("Saved jobs"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(self._on_double_click)
        self.table.activated_job.connect(self.job_activated)
        self.table.copy_requested.connect(self.copy_selected_id)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)

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

    # -- data -------------------------------------------------------------------------------

    def set_jobs(self, jobs: list[SavedJob], refreshed_at: datetime) -> None:
        """Show a freshly loaded list."""
        self._loaded = True
        self._signed_out = False
        self._load_error = ""
        self.model.set_jobs(jobs)
        self._fill_type_filter(sorted({job.type for job in jobs}, key=str.casefold))
        self.refreshed_label.setText(
            self.tr("Last refreshed %1").replace("%1", refreshed_at.strftime("%H:%M:%S"))
        )
        self._update_state()

    def set_signed_out(self) -> None:
        """No session yet: say how to sign in."""
        self._signed_out = True
        self.refreshed_label.setText("")
        self._update_state()

    def set_refreshing(self, refreshing: bool) -> None:
        """Disable Refresh while a reload runs."""
        self.refresh_button.setEnabled(not refreshing)
        if refreshing:
            self.refreshed_label.setText(self.tr("Refreshing…"))

    def set_load_error(self, message: str) -> None:
        """Say why the list could not be loaded; keep what was shown before."""
        self._load_error = message
        self.refreshed_label.setText(self.tr("Refresh failed"))
        self._update_state()

    def set_mapping(self, mapping: JobTypeMapping) -> None:
        """Re-label generic types after the mapping changed."""
        self.model.set_mapping(mapping)

    def selected_job(self) -> SavedJob | None:
        """The job of the current row, if any."""
        job = self.table.currentIndex().data(JOB_ROLE)
        return job if isinstance(job, SavedJob) else None

    def focus_search(self) -> None:
        """Ctrl+F: jump to the search field with its text selected."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def copy_selected_id(self) -> None:
        """Copy the selected job's exact id as text."""
        job = self.selected_job()
        if job is not None:
            QGuiApplication.clipboard().setText(str(job.id))

    # -- internals ----------------------------------------------------------------------------

    def _fill_type_filter(self, types: list[str]) -> None:
        current = self.type_filter.currentData()
        self.type_filter.blockSignals(True)
        self.type_filter.clear()
        self.type_filter.addItem(self.tr("All types"), ALL_TYPES)
        for job_type in types:
            self.type_filter.addItem(plain(job_type, one_line=True), job_type)
        index = self.type_filter.findData(current)
        self.type_filter.setCurrentIndex(max(index, 0))
        self.type_filter.blockSignals(False)
        self.proxy.set_job_type(self.type_filter.currentData() or ALL_TYPES)

    def _on_search(self, text: str) -> None:
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

    def _on_double_click(self, index: QModelIndex) -> None:
        job = index.data(JOB_ROLE)
        if isinstance(job, SavedJob):
            self.job_activated.emit(job)

    def _context_menu(self, position: Any) -> None:
        if self.selected_job() is None:
            return
        menu = QMenu(self)
        copy = QAction(self.tr("Copy id"), menu)
        copy.triggered.connect(self.copy_selected_id)
        menu.addAction(copy)
        menu.exec(self.table.viewport().mapToGlobal(position))

    def _update_state(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        if total == shown:
            self.count_label.setText(count_text(total, "%1 saved job", "%1 saved jobs"))
        else:
            self.count_label.setText(
                self.tr("Showing %1 of %2 saved jobs")
                .replace("%1", str(shown))
                .replace("%2", str(total))
            )
        empty_reason = self._empty_reason(total, shown)
        self.empty_label.setText(empty_reason)
        self.stack.setCurrentWidget(self.empty_label if empty_reason else self.table)

    def _empty_reason(self, total: int, shown: int) -> str:
        if self._signed_out:
            return self.tr("Not signed in. Choose File → Sign in… (Ctrl+L) to load saved jobs.")
        if self._load_error and total == 0:
            return self.tr("The saved jobs could not be loaded: %1").replace("%1", self._load_error)
        if not self._loaded:
            return self.tr("Loading saved jobs…")
        if total == 0:
            return self.tr(
                "This account has no saved jobs it may start. Save a job in the Dispatch web "
                "portal, then refresh (F5)."
            )
        if shown == 0:
            return self.tr("No saved job matches the search or the type filter.")
        return ""
