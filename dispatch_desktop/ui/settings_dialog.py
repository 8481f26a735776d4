"""Settings: which generic type (GMM/GMA) each job type derives from (G2), the job monitor,
and launching (the undo window, the repeat guard's window, the exercise markers)."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
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
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dispatch_desktop.api import GenericType, JobTypeMapping
from dispatch_desktop.api.characters import find_forbidden
from dispatch_desktop.api.jobtypes import DEFAULT_GENERIC_TYPES
from dispatch_desktop.events.config import SourceConfig, SourceMode, check_follow_urls
from dispatch_desktop.policy import NO_POLICY, Policy
from dispatch_desktop.ui import colors
from dispatch_desktop.ui.common import (
    PlainLabel,
    demo_banner,
    fill,
    library_text,
    plain,
    translate,
    window_title,
)
from dispatch_desktop.ui.policy_lock import enable_unless_locked, lock
from dispatch_desktop.ui.settings import (
    DEFAULT_EXERCISE_PREFIXES,
    DEFAULT_REPEAT_MINUTES,
    DEFAULT_RETENTION_DAYS,
    DEFAULT_UNDO_SECONDS,
    MAX_RETENTION_DAYS,
    AppSettings,
)

_CHOICES: tuple[tuple[str, GenericType | None], ...] = (
    (QT_TRANSLATE_NOOP("SettingsDialog", "GMM — GenericMonitoredMessage"), GenericType.GMM),
    (QT_TRANSLATE_NOOP("SettingsDialog", "GMA — GenericMultiAssign"), GenericType.GMA),
    (
        QT_TRANSLATE_NOOP("SettingsDialog", "Unknown — every field enabled, the server checks"),
        None,
    ),
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
        launching: LaunchValues | None = None,
        retention_days: int = DEFAULT_RETENTION_DAYS,
        language: str = "",
        policy: Policy = NO_POLICY,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(window_title(translate("SettingsDialog", "Settings"), demo))
        types = sorted(
            set(job_types) | set(DEFAULT_GENERIC_TYPES) | set(mapping.overrides),
            key=str.casefold,
        )
        self.table = QTableWidget(len(types), 2, self)
        self.table.setTabKeyNavigation(False)  # Tab leaves it; arrows move inside
        self.table.setAccessibleName(translate("SettingsDialog", "Job type mapping"))
        self.table.setHorizontalHeaderLabels(
            [translate("SettingsDialog", "Job type"), translate("SettingsDialog", "Generic type")]
        )
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self._combos: dict[str, QComboBox] = {}
        for row, job_type in enumerate(types):
            item = QTableWidgetItem(plain(job_type, one_line=True))  # a type the server named
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, 0, item)
            combo = QComboBox(self.table)
            combo.setAccessibleName(
                fill(translate("SettingsDialog", "Generic type of %1"), job_type)
            )
            for label, generic in _CHOICES:
                combo.addItem(translate("SettingsDialog", label), generic)
            combo.setCurrentIndex(_choice_index(mapping.generic_type_of(job_type)))
            self.table.setCellWidget(row, 1, combo)
            self._combos[job_type] = combo
        reset = QPushButton(translate("SettingsDialog", "Reset to defaults"), self)
        reset.setAccessibleName(translate("SettingsDialog", "Reset job types to defaults"))
        reset.clicked.connect(self._reset)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        explanation = QLabel(
            translate(
                "SettingsDialog",
                "The Dispatch API does not say which generic type a job type derives from. "
                "The form uses this table to decide which fields a job allows. A type set to "
                "Unknown gets every field; the server then checks them.",
            ),
            self,
        )
        explanation.setWordWrap(True)
        job_types_page = QWidget(self)
        job_types = QVBoxLayout(job_types_page)
        job_types.addWidget(explanation)
        job_types.addWidget(self.table, 1)
        job_types.addWidget(reset)
        self.monitor = MonitorSettings(
            source or SourceConfig(),
            callback_url,
            notifications,
            self,
            retention_days=retention_days,
        )
        self.launching = LaunchSettings(launching or LaunchValues(), self)
        # One page each: together they are taller than a 768-pixel screen.
        self.tabs = QTabWidget(self)
        self.tabs.addTab(job_types_page, translate("SettingsDialog", "&Job types"))
        self.tabs.addTab(_page(self.monitor), translate("SettingsDialog", "Job &monitor"))
        self.tabs.addTab(_page(self.launching), translate("SettingsDialog", "&Launching"))
        self.language = LanguageSettings(language, self)
        self.tabs.addTab(_page(self.language), translate("SettingsDialog", "Lan&guage"))
        layout = QVBoxLayout(self)
        if demo:
            layout.addWidget(demo_banner(self))
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(640, 600)
        self._lock_policy_values(policy)

    def _lock_policy_values(self, policy: Policy) -> None:
        """Grey what the administrator set: the values shown are the policy's (the settings
        give them) and the settings never store them."""
        monitor = self.monitor
        locked = {
            "undo_seconds": [self.launching.undo_seconds],
            "monitor_mode": [monitor.off, monitor.embedded, monitor.follow],
            "monitor_bind": [monitor.bind],
            "monitor_port": [monitor.port],
            "follow_url": [monitor.follow_url],
            "notifications": [monitor.notifications],
            "event_retention_days": [monitor.retention_days],
            "language": [self.language.choice],
        }
        for key, widgets in locked.items():
            if policy.sets(key):
                lock(widgets)

    def accept(self) -> None:
        """Keep the dialog open, on the page of the problem, while the shared receiver's
        address is one the events token must not go to or an exercise marker breaks its
        rule."""
        for section, check in (
            (self.monitor, self.monitor.check_follow_url),
            (self.launching, self.launching.check),
        ):
            if not check():
                self.tabs.setCurrentWidget(section.parentWidget())
                section.focus_problem()
                return
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


class LanguageSettings(QGroupBox):
    """The language of the windows: the system's, or one chosen here. It applies at the next
    start, as a window cannot change language halfway through a launch."""

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(translate("SettingsDialog", "Language"), parent)
        self.choice = QComboBox(self)
        self.choice.setAccessibleName(translate("SettingsDialog", "Language of the windows"))
        self.choice.addItem(translate("SettingsDialog", "As the system"), "")
        # Each language by its own name: whoever cannot read this one finds theirs.
        self.choice.addItem("English", "en")
        self.choice.addItem("Svenska", "sv")
        self.choice.setCurrentIndex(max(0, self.choice.findData(language)))
        form = QFormLayout(self)
        form.addRow(translate("SettingsDialog", "Language:"), self.choice)
        form.addRow(
            "",
            _rule(
                translate(
                    "SettingsDialog",
                    "Applies at the next start of Dispatch Desktop. The command line option "
                    "--language and your administrator's settings take precedence.",
                ),
                self,
            ),
        )

    def value(self) -> str:
        """The language chosen ("en", "sv"); empty: the system's."""
        return str(self.choice.currentData())


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
        *,
        retention_days: int = DEFAULT_RETENTION_DAYS,
    ) -> None:
        super().__init__(translate("SettingsDialog", "Job monitor (live job events)"), parent)
        self.off = QRadioButton(translate("SettingsDialog", "Off"), self)
        self.embedded = QRadioButton(
            translate("SettingsDialog", "Receive callbacks on this computer"), self
        )
        self.follow = QRadioButton(translate("SettingsDialog", "Follow a shared receiver"), self)
        modes = QButtonGroup(self)
        for button, name in (
            (self.off, translate("SettingsDialog", "Job monitor off")),
            (self.embedded, translate("SettingsDialog", "Receive callbacks on this computer")),
            (self.follow, translate("SettingsDialog", "Follow a shared receiver")),
        ):
            button.setAccessibleName(name)
            modes.addButton(button)
        self.bind = QLineEdit(source.bind, self)
        self.bind.setAccessibleName(translate("SettingsDialog", "Receiver bind address"))
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(source.port)
        self.port.setAccessibleName(translate("SettingsDialog", "Receiver port"))
        self.callback_url = QLineEdit(callback_url or "", self)
        self.callback_url.setReadOnly(True)
        self.callback_url.setPlaceholderText(
            translate("SettingsDialog", "shown once the receiver runs")
        )
        self.callback_url.setAccessibleName(translate("SettingsDialog", "Callback URL"))
        self.renew_button = QPushButton(translate("SettingsDialog", "New token"), self)
        self.renew_button.setAccessibleName(translate("SettingsDialog", "New callback token"))
        self.renew_button.setToolTip(
            translate(
                "SettingsDialog", "Make a new secret token: the current callback URL stops working"
            )
        )
        self.renew_button.clicked.connect(self._ask_renew)
        self.renew_token = False
        self.copy_button = QPushButton(translate("SettingsDialog", "Copy"), self)
        self.copy_button.setAccessibleName(translate("SettingsDialog", "Copy callback URL"))
        self.copy_button.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.callback_url.text())
        )
        self.follow_url = QLineEdit(source.follow_url, self)
        self.follow_url.setAccessibleName(translate("SettingsDialog", "Shared receiver address"))
        self.follow_url.setPlaceholderText("https://receiver.example.com")
        self.follow_error = PlainLabel("", self)
        self.follow_error.setWordWrap(True)
        self.follow_error.setAccessibleName(translate("SettingsDialog", "Receiver address problem"))
        colors.show_as_error(self.follow_error)
        self.follow_error.hide()
        self.follow_url.textChanged.connect(self.follow_error.hide)
        self.follow_token = QLineEdit(self)
        self.follow_token.setEchoMode(QLineEdit.EchoMode.Password)
        self.follow_token.setAccessibleName(translate("SettingsDialog", "Events token"))
        self.follow_token.setPlaceholderText(translate("SettingsDialog", "unchanged"))
        self.notifications = QCheckBox(
            translate("SettingsDialog", "Desktop notifications for jobs"), self
        )
        self.notifications.setAccessibleName(translate("SettingsDialog", "Desktop notifications"))
        self.notifications.setChecked(notifications)
        self.retention_days = QSpinBox(self)
        self.retention_days.setRange(1, MAX_RETENTION_DAYS)
        self.retention_days.setSuffix(translate("SettingsDialog", " days"))
        self.retention_days.setValue(retention_days)
        self.retention_days.setAccessibleName(
            translate("SettingsDialog", "Days to keep job events")
        )
        url_row = QHBoxLayout()
        url_row.addWidget(self.callback_url, 1)
        url_row.addWidget(self.copy_button)
        url_row.addWidget(self.renew_button)
        note = QLabel(
            translate(
                "SettingsDialog",
                "The callback URL is set once per system user in its account settings at LEKAB "
                "(callback type POST) and shared by every login of the company. Put a "
                "TLS reverse proxy in front of a receiver reachable from the internet.",
            ),
            self,
        )
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.off)
        form.addRow(self.embedded)
        form.addRow(translate("SettingsDialog", "Bind address:"), self.bind)
        form.addRow(translate("SettingsDialog", "Port:"), self.port)
        form.addRow(translate("SettingsDialog", "URL for LEKAB:"), url_row)
        form.addRow(self.follow)
        form.addRow(translate("SettingsDialog", "Receiver address:"), self.follow_url)
        form.addRow("", self.follow_error)
        form.addRow(translate("SettingsDialog", "Events token:"), self.follow_token)
        form.addRow(note)
        form.addRow(self.notifications)
        form.addRow(translate("SettingsDialog", "Keep job events for:"), self.retention_days)
        form.addRow(
            "",
            _rule(
                translate(
                    "SettingsDialog",
                    "Older job events are deleted from this computer. The launch history is "
                    "kept: it is the record of what was sent.",
                ),
                self,
            ),
        )
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
            translate("SettingsDialog", "a new token is made on OK: enter the new URL at LEKAB")
        )

    def _enable_fields(self) -> None:
        for widget in (self.bind, self.port, self.renew_button):
            enable_unless_locked(widget, self.embedded.isChecked())
        for widget in (self.follow_url, self.follow_token):
            enable_unless_locked(widget, self.follow.isChecked())

    def check_follow_url(self) -> bool:
        """False, with the reason shown under the field, when following is chosen and the
        address is not one to send the events token to."""
        if not self.follow.isChecked():
            return True
        try:
            check_follow_urls(self.follow_url.text())
        except ValueError as exc:
            self.follow_error.setText(library_text(exc.args[0]))
            self.follow_error.show()
            return False
        return True

    def focus_problem(self) -> None:
        """Put the cursor in the field :meth:`check_follow_url` refused."""
        self.follow_url.setFocus()

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


# -- launching --------------------------------------------------------------------------------

MARKER_LIMIT = 40
"""Characters of an exercise marker: it goes in front of every exercise message."""
MARKER_LANGUAGES = (
    ("en", QT_TRANSLATE_NOOP("SettingsDialog", "English")),
    ("sv", QT_TRANSLATE_NOOP("SettingsDialog", "Swedish")),
)


@dataclass(frozen=True)
class LaunchValues:
    """The launch settings the dialog edits."""

    undo_seconds: int = DEFAULT_UNDO_SECONDS
    repeat_window_minutes: int = DEFAULT_REPEAT_MINUTES
    exercise_markers: dict[str, str] = field(
        default_factory=lambda: dict(DEFAULT_EXERCISE_PREFIXES)
    )

    @classmethod
    def read(cls, settings: AppSettings) -> LaunchValues:
        """The values stored in ``settings``."""
        return cls(
            settings.undo_seconds,
            settings.repeat_window_minutes,
            {language: settings.exercise_prefix(language) for language, _ in MARKER_LANGUAGES},
        )

    def write(self, settings: AppSettings) -> None:
        """Store the values in ``settings``."""
        settings.undo_seconds = self.undo_seconds
        settings.repeat_window_minutes = self.repeat_window_minutes
        for language, marker in self.exercise_markers.items():
            settings.set_exercise_prefix(language, marker)


def marker_problem(marker: str) -> str:
    """The rule an exercise marker breaks, in a sentence; "" when it is usable."""
    if not marker.strip():
        return translate(
            "SettingsDialog",
            "The exercise marker must not be blank: it tells people a message is a drill.",
        )
    if len(marker) > MARKER_LIMIT:
        return fill(
            translate(
                "SettingsDialog",
                "The exercise marker may have at most %1 characters: it goes in front of every "
                "exercise message.",
            ),
            str(MARKER_LIMIT),
        )
    found = find_forbidden(marker)
    if found is not None:
        return library_text(found.said(translate("SettingsDialog", "The exercise marker"))) + "."
    return ""


class LaunchSettings(QGroupBox):
    """The undo window after Confirm, how long a second launch of a job is questioned, and
    the words an exercise message starts with."""

    def __init__(self, values: LaunchValues, parent: QWidget | None = None) -> None:
        super().__init__(translate("SettingsDialog", "Launching"), parent)
        self.undo_seconds = QSpinBox(self)
        self.undo_seconds.setRange(0, 10)
        self.undo_seconds.setSuffix(translate("SettingsDialog", " s"))
        self.undo_seconds.setValue(values.undo_seconds)
        self.undo_seconds.setAccessibleName(
            translate("SettingsDialog", "Seconds to cancel a start")
        )
        self.repeat_minutes = QSpinBox(self)
        self.repeat_minutes.setRange(1, 1440)
        self.repeat_minutes.setSuffix(translate("SettingsDialog", " min"))
        self.repeat_minutes.setValue(values.repeat_window_minutes)
        self.repeat_minutes.setAccessibleName(translate("SettingsDialog", "Repeat warning window"))
        form = QFormLayout(self)
        form.addRow(translate("SettingsDialog", "Time to cancel after Confirm:"), self.undo_seconds)
        form.addRow(
            "", _rule(translate("SettingsDialog", "0 to 10 seconds; 0 sends at once."), self)
        )
        form.addRow(
            translate("SettingsDialog", "Warn before a repeat within:"), self.repeat_minutes
        )
        form.addRow(
            "",
            _rule(
                translate(
                    "SettingsDialog",
                    "1 to 1440 minutes. A launch whose outcome is not known is always warned "
                    "about.",
                ),
                self,
            ),
        )
        self.markers: dict[str, QLineEdit] = {}
        for language, name in MARKER_LANGUAGES:
            edit = QLineEdit(values.exercise_markers.get(language, ""), self)
            edit.setAccessibleName(
                fill(
                    translate("SettingsDialog", "Exercise marker (%1)"),
                    translate("SettingsDialog", name),
                )
            )
            edit.textChanged.connect(self._clear_problem)
            form.addRow(
                fill(
                    translate("SettingsDialog", "Exercise marker, %1:"),
                    translate("SettingsDialog", name),
                ),
                edit,
            )
            self.markers[language] = edit
        form.addRow(
            "",
            _rule(
                fill(
                    translate(
                        "SettingsDialog",
                        "Put in front of every exercise message; at most %1 characters.",
                    ),
                    str(MARKER_LIMIT),
                ),
                self,
            ),
        )
        self.problem = PlainLabel("", self)
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName(translate("SettingsDialog", "Launch settings problem"))
        colors.show_as_error(self.problem)
        self.problem.hide()
        form.addRow("", self.problem)
        self._refused: QLineEdit | None = None

    def check(self) -> bool:
        """False, with the rule broken shown under the fields, when a marker is not usable."""
        for edit in self.markers.values():
            problem = marker_problem(edit.text())
            if problem:
                self.problem.setText(problem)
                self.problem.show()
                self._refused = edit
                return False
        return True

    def focus_problem(self) -> None:
        """Put the cursor in the field :meth:`check` refused."""
        if self._refused is not None:
            self._refused.setFocus()

    def _clear_problem(self) -> None:
        self.problem.hide()

    def values(self) -> LaunchValues:
        """The values as edited (check them first)."""
        return LaunchValues(
            self.undo_seconds.value(),
            self.repeat_minutes.value(),
            {language: edit.text() for language, edit in self.markers.items()},
        )


def _page(section: QWidget) -> QWidget:
    """A settings page holding ``section`` at its top."""
    page = QWidget(section.parentWidget())
    layout = QVBoxLayout(page)
    layout.addWidget(section)
    layout.addStretch(1)
    return page


def _rule(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    return label
