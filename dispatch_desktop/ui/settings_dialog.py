"""Settings: which generic type (GMM/GMA) each job type derives from (G2)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dispatch_desktop.api import GenericType, JobTypeMapping
from dispatch_desktop.api.jobtypes import DEFAULT_GENERIC_TYPES
from dispatch_desktop.ui.common import demo_banner, tr, window_title

_CHOICES: tuple[tuple[str, GenericType | None], ...] = (
    ("GMM — GenericMonitoredMessage", GenericType.GMM),
    ("GMA — GenericMultiAssign", GenericType.GMA),
    ("Unknown — every field enabled, the server checks", None),
)


def overrides_from_choices(
    choices: dict[str, GenericType | None],
) -> dict[str, GenericType | None]:
    """Keep only the choices that differ from the defaults."""
    defaults = JobTypeMapping()
    return {t: g for t, g in choices.items() if defaults.generic_type_of(t) != g}


class SettingsDialog(QDialog):
    """Edits the job-type mapping; ``overrides()`` gives the result after ``exec()``."""

    def __init__(
        self,
        mapping: JobTypeMapping,
        job_types: list[str],
        *,
        demo: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(window_title(tr("Settings"), demo))
        types = sorted(
            set(job_types) | set(DEFAULT_GENERIC_TYPES) | set(mapping.overrides),
            key=str.casefold,
        )
        self.table = QTableWidget(len(types), 2, self)
        self.table.setAccessibleName(tr("Job type mapping"))
        self.table.setHorizontalHeaderLabels([tr("Job type"), tr("Generic type")])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self._combos: dict[str, QComboBox] = {}
        for row, job_type in enumerate(types):
            item = QTableWidgetItem(job_type)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, 0, item)
            combo = QComboBox(self.table)
            combo.setAccessibleName(tr("Generic type of %1").replace("%1", job_type))
            for label, generic in _CHOICES:
                combo.addItem(tr(label), generic)
            combo.setCurrentIndex(_choice_index(mapping.generic_type_of(job_type)))
            self.table.setCellWidget(row, 1, combo)
            self._combos[job_type] = combo
        reset = QPushButton(tr("Reset to defaults"), self)
        reset.setAccessibleName(tr("Reset job types to defaults"))
        reset.clicked.connect(self._reset)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        explanation = QLabel(
            tr(
                "The Dispatch API does not say which generic type a job type derives from. "
                "The form uses this table to decide which fields a job allows (reference "
                "2.2.2). A type set to Unknown gets every field; the server then checks them."
            ),
            self,
        )
        explanation.setWordWrap(True)
        layout = QVBoxLayout(self)
        if demo:
            layout.addWidget(demo_banner(self))
        layout.addWidget(explanation)
        layout.addWidget(self.table, 1)
        layout.addWidget(reset)
        layout.addWidget(buttons)
        self.resize(560, 420)

    def _reset(self) -> None:
        defaults = JobTypeMapping()
        for job_type, combo in self._combos.items():
            combo.setCurrentIndex(_choice_index(defaults.generic_type_of(job_type)))

    def choices(self) -> dict[str, GenericType | None]:
        """Job type -> chosen generic type."""
        return {t: combo.currentData() for t, combo in self._combos.items()}

    def overrides(self) -> dict[str, GenericType | None]:
        """The choices that differ from the defaults."""
        return overrides_from_choices(self.choices())


def _choice_index(generic: GenericType | None) -> int:
    return next(i for i, (_, g) in enumerate(_CHOICES) if g == generic)
