"""The part every flat table model of the app shares: fixed, translated column titles."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from dispatch_desktop.ui.common import tr

Index = QModelIndex | QPersistentModelIndex


class ColumnsModel(QAbstractTableModel):
    """A flat table whose columns are ``COLUMNS``; subclasses give :meth:`row_count` and
    ``data()``."""

    COLUMNS: tuple[str, ...] = ()

    def row_count(self) -> int:
        """How many rows the table has now."""
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else self.row_count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(self.COLUMNS[section])
        return None
