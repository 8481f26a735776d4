"""The part every flat table model of the app shares: fixed, translated column titles, and
cells whose text comes from outside shown as text."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from dispatch_desktop.ui.common import plain, tooltip, translate

Index = QModelIndex | QPersistentModelIndex
TEXT_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)


def cell_text(text: str, role: int) -> str:
    """A cell's text (a name, a server message) as ``role`` shows it: on one line in the
    cell, whole in its tooltip, literal in both (a tooltip would render HTML)."""
    if role == Qt.ItemDataRole.ToolTipRole:
        return tooltip(text)
    return plain(text, one_line=True)


class ColumnsModel(QAbstractTableModel):
    """A flat table whose columns are ``COLUMNS`` (marked for translation in the context
    ``CONTEXT``); subclasses give :meth:`row_count` and ``data()``."""

    COLUMNS: tuple[str, ...] = ()
    CONTEXT = ""

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
            return translate(self.CONTEXT, self.COLUMNS[section])
        return None
