"""Settings: which generic type (GMM/GMA) each job type derives from (G2)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dispatch_desktop.api import GenericType, JobTypeMapping
from dispatch_desktop.api.jobtypes import DEFAULT_GENERIC_TYPES
from dispatch_desktop.events.config import SourceConfig, SourceMode, check_follow_url
from dispatch_desktop.ui.common import PlainLabel, demo_banner, plain, tr, window_title

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
        source: SourceConfig | None = None,
        callback_url: str | None = None,
        notifications: bool = True,
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
            item = QTableWidgetItem(plain(job_type, one_line=True))  # a type the server named
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
        self.monitor = MonitorSettings(source or SourceConfig(), callback_url, notifications, self)
        layout.addWidget(self.monitor)
        layout.addWidget(buttons)
        self.resize(640, 640)

    def accept(self) -> None:
        """Keep the dialog open while the shared receiver's address is one the events token
        must not go to."""
        if self.monitor.check_follow_url():
            super().accept()

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


class MonitorSettings(QGroupBox):
    """Where job events come from (F12): off, a receiver on this computer, or a shared one."""

    def __init__(
        self,
        source: SourceConfig,
        callback_url: str | None,
        notifications: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr("Job monitor (live job events)"), parent)
        self.off = QRadioButton(tr("Off"), self)
        self.embedded = QRadioButton(tr("Receive callbacks on this computer"), self)
        self.follow = QRadioButton(tr("Follow a shared receiver"), self)
        modes = QButtonGroup(self)
        for button, name in (
            (self.off, "Job monitor off"),
            (self.embedded, "Receive callbacks on this computer"),
            (self.follow, "Follow a shared receiver"),
        ):
            button.setAccessibleName(tr(name))
            modes.addButton(button)
        self.bind = QLineEdit(source.bind, self)
        self.bind.setAccessibleName(tr("Receiver bind address"))
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(source.port)
        self.port.setAccessibleName(tr("Receiver port"))
        self.callback_url = QLineEdit(callback_url or "", self)
        self.callback_url.setReadOnly(True)
        self.callback_url.setPlaceholderText(tr("shown once the receiver runs"))
        self.callback_url.setAccessibleName(tr("Callback URL"))
        self.renew_button = QPushButton(tr("New token"), self)
        self.renew_button.setAccessibleName(tr("New callback token"))
        self.renew_button.setToolTip(
            tr("Make a new secret token: the current callback URL stops working")
        )
        self.renew_button.clicked.connect(self._ask_renew)
        self.renew_token = False
        self.copy_button = QPushButton(tr("Copy"), self)
        self.copy_button.setAccessibleName(tr("Copy callback URL"))
        self.copy_button.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.callback_url.text())
        )
        self.follow_url = QLineEdit(source.follow_url, self)
        self.follow_url.setAccessibleName(tr("Shared receiver address"))
        self.follow_url.setPlaceholderText("https://receiver.example.com")
        self.follow_error = PlainLabel("", self)
        self.follow_error.setWordWrap(True)
        self.follow_error.setAccessibleName(tr("Receiver address problem"))
        self.follow_error.setStyleSheet("color: #b71c1c;")
        self.follow_error.hide()
        self.follow_url.textChanged.connect(self.follow_error.hide)
        self.follow_token = QLineEdit(self)
        self.follow_token.setEchoMode(QLineEdit.EchoMode.Password)
        self.follow_token.setAccessibleName(tr("Events token"))
        self.follow_token.setPlaceholderText(tr("unchanged"))
        self.notifications = QCheckBox(tr("Desktop notifications for jobs"), self)
        self.notifications.setAccessibleName(tr("Desktop notifications"))
        self.notifications.setChecked(notifications)
        url_row = QHBoxLayout()
        url_row.addWidget(self.callback_url, 1)
        url_row.addWidget(self.copy_button)
        url_row.addWidget(self.renew_button)
        note = QLabel(
            tr(
                "The callback URL is set once per system user in its account settings at LEKAB "
                "(callback type POST) and shared by every login of the company. Put a "
                "TLS reverse proxy in front of a receiver reachable from the internet."
            ),
            self,
        )
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.off)
        form.addRow(self.embedded)
        form.addRow(tr("Bind address:"), self.bind)
        form.addRow(tr("Port:"), self.port)
        form.addRow(tr("URL for LEKAB:"), url_row)
        form.addRow(self.follow)
        form.addRow(tr("Receiver address:"), self.follow_url)
        form.addRow("", self.follow_error)
        form.addRow(tr("Events token:"), self.follow_token)
        form.addRow(note)
        form.addRow(self.notifications)
        {
            SourceMode.OFF: self.off,
            SourceMode.EMBEDDED: self.embedded,
            SourceMode.FOLLOW: self.follow,
        }[source.mode].setChecked(True)
        for button in (self.off, self.embedded, self.follow):
            button.toggled.connect(self._enable_fields)
        self._enable_fields()

    def _ask_renew(self) -> None:
        self.renew_token = True
        self.callback_url.clear()
        self.callback_url.setPlaceholderText(
            tr("a new token is made on OK: enter the new URL at LEKAB")
        )

    def _enable_fields(self) -> None:
        for widget in (self.bind, self.port, self.renew_button):
            widget.setEnabled(self.embedded.isChecked())
        for widget in (self.follow_url, self.follow_token):
            widget.setEnabled(self.follow.isChecked())

    def check_follow_url(self) -> bool:
        """False, with the reason shown under the field, when following is chosen and the
        address is not one to send the events token to."""
        if not self.follow.isChecked():
            return True
        try:
            check_follow_url(self.follow_url.text())
        except ValueError as exc:
            self.follow_error.setText(str(exc))
            self.follow_error.show()
            self.follow_url.setFocus()
            return False
        return True

    def source(self) -> SourceConfig:
        """The chosen source; ``follow_token`` is empty when left unchanged."""
        mode = (
            SourceMode.EMBEDDED
            if self.embedded.isChecked()
            else SourceMode.FOLLOW
            if self.follow.isChecked()
            else SourceMode.OFF
        )
        return SourceConfig(
            mode=mode,
            bind=self.bind.text().strip() or "127.0.0.1",
            port=self.port.value(),
            follow_url=self.follow_url.text().strip(),
            follow_token=self.follow_token.text().strip(),
        )
