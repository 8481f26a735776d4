"""The History panel: the launch journal as a table, exportable to CSV.

Reading and exporting the journal are disk work, done off the GUI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dispatch_desktop.storage.journal import LaunchJournal, LaunchRecord, Outcome
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
_WARN = QColor("#c62828")


def _cell(record: LaunchRecord, column: int) -> str:
    values = (
        record.attempted_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
        record.job_name or "",
        str(record.job_id),
        tr(OUTCOME_LABELS[record.outcome]),
        "" if record.runtime_id is None else str(record.runtime_id),
        record.result_job_name or "",
        record.user,
        record.server,
        record.message or "",
    )
    return values[column]


class LaunchHistoryModel(ColumnsModel):
    """Journal records, newest first."""

    COLUMNS = (
        "Time",
        "Saved job",
        "Saved job id",
        "Outcome",
        "Runtime id",
        "Started as",
        "User",
        "Server",
        "Message",
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._records: list[LaunchRecord] = []

    def set_records(self, records: list[LaunchRecord]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def records(self) -> list[LaunchRecord]:
        """The rows shown."""
        return list(self._records)

    def row_count(self) -> int:
        return len(self._records)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self._records[index.row()]
        if role in TEXT_ROLES:
            return cell_text(_cell(record, index.column()), role)
        if role == Qt.ItemDataRole.ForegroundRole and not record.outcome_known:
            return _WARN
        if role == Qt.ItemDataRole.UserRole:
            return record
        return None


class HistoryPanel(QWidget):
    """Shows the launch journal; ``reload()`` after each launch."""

    loaded = Signal()

    def __init__(
        self, journal: LaunchJournal | None, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.journal = journal
        self.runner = runner
        self.model = LaunchHistoryModel(self)
        self.table = QTableView(self)
        self.table.setAccessibleName(tr("Launch history"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
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

    def reload(self) -> None:
        """Read the journal again, off the GUI thread."""
        journal = self.journal
        if journal is None:
            return
        self.runner.submit(journal.entries, "read launch journal", self._show, self._failed)

    def _show(self, records: list[LaunchRecord]) -> None:
        self.model.set_records(records)
        self.status.setText(
            count_text(len(records), "%1 launch attempt recorded.", "%1 launch attempts recorded.")
        )
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(error_sentence(error) if not str(error) else str(error))

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
