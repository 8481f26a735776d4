"""The start-job form: adjust a saved job and ask to launch it.

Validation is live and per field, with the library's own rules (validation.py, F7–F10); the
"Start job…" button stays disabled while anything is invalid. Fields the job's generic type
refuses are disabled with the rule in their tooltip, never hidden.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QDateTime, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dispatch_desktop.api import GenericType, SavedJob, StartJobRequest, TagFilter
from dispatch_desktop.api.sms import count_sms
from dispatch_desktop.api.validation import DISALLOWED_FIELDS, find_problems
from dispatch_desktop.ui.common import PlainLabel, count_text, tr
from dispatch_desktop.ui.tagfilter_builder import TagFilterBuilder

_SEPARATORS = re.compile(r"[\s,;]+")
_RULE_TAGS = {GenericType.GMA: "F8", GenericType.GMM: "F7/F8"}
_ERROR_STYLE = "color: #b00020;"
# How often a chosen scheduled start is checked again: the time may pass while the form is open.
_RECHECK_MS = 15_000


def split_numbers(text: str) -> list[str]:
    """Phone numbers typed or pasted with commas, semicolons, spaces or line breaks between."""
    return [n for n in _SEPARATORS.split(text.strip()) if n]


def split_lines(text: str) -> list[str]:
    """Names given one per line (a name may contain a comma, e.g. a group "Oslo, night")."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def rule_tooltip(field: str, generic_type: GenericType) -> str:
    """The tooltip of a field that ``generic_type`` refuses, citing the rule."""
    reason = DISALLOWED_FIELDS[generic_type][field]
    return (
        tr("Disabled: %1 [%2].")
        .replace("%1", reason[0].upper() + reason[1:])
        .replace("%2", _RULE_TAGS[generic_type])
    )


class StartJobForm(QWidget):
    """Form for one saved job. ``launch_requested(StartJobRequest)`` asks for confirmation."""

    launch_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.job: SavedJob | None = None
        self.generic_type: GenericType | None = None
        self._locked = False
        self._valid = False
        self._errors: dict[str, QLabel] = {}
        self._field_widgets: dict[str, QWidget] = {}
        self._build()
        self._recheck = QTimer(self)
        self._recheck.setInterval(_RECHECK_MS)
        self._recheck.timeout.connect(self.revalidate)
        self._recheck.start()
        self.setEnabled(False)

    # -- layout -------------------------------------------------------------------------------

    def _error_label(self, field: str) -> QLabel:
        label = PlainLabel("", self)  # the message may quote what the user typed
        label.setWordWrap(True)
        label.setStyleSheet(_ERROR_STYLE)
        label.setAccessibleName(self.tr("Error"))
        label.hide()
        self._errors[field] = label
        return label

    def _with_error(self, field: str, widget: QWidget) -> QWidget:
        self._field_widgets[field] = widget
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        layout.addWidget(self._error_label(field))
        return box

    def _build(self) -> None:
        self.header = PlainLabel("", self)  # the saved job's name: text from the server
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.job_id_label = QLineEdit(self)
        self.job_id_label.setReadOnly(True)
        self.job_id_label.setAccessibleName(self.tr("Saved job id"))
        # Wide enough for any 64-bit id: a cut-off id reads as another id (F1).
        digits = self.job_id_label.fontMetrics().horizontalAdvance("9" * 20)
        self.job_id_label.setMinimumWidth(digits + 16)
        self.copy_id_button = QPushButton(self.tr("Copy id"), self)
        self.copy_id_button.setAccessibleName(self.tr("Copy saved job id"))
        self.copy_id_button.clicked.connect(self._copy_id)
        self.rules_note = QLabel(self)
        self.rules_note.setWordWrap(True)

        self.jobname = QLineEdit(self)
        self.jobname.setAccessibleName(self.tr("Job name"))
        self.message = QPlainTextEdit(self)
        self.message.setAccessibleName(self.tr("Message"))
        self.message.setTabChangesFocus(True)
        self.message.setPlaceholderText(self.tr("Leave empty to send the saved job's message"))
        self.message.setMaximumHeight(110)
        self.sms_count = QLabel(self)
        self.sms_count.setAccessibleName(self.tr("Message length"))
        self.assignedmessage = QPlainTextEdit(self)
        self.assignedmessage.setAccessibleName(self.tr("Assigned message"))
        self.assignedmessage.setTabChangesFocus(True)
        self.assignedmessage.setMaximumHeight(80)

        self.tonumbers = QLineEdit(self)
        self.tonumbers.setAccessibleName(self.tr("Phone numbers to add"))
        self.tonumbers.setPlaceholderText(self.tr("+46701234567, +4790012345"))
        self.savedfilters = QPlainTextEdit(self)
        self.savedfilters.setAccessibleName(self.tr("Saved tag filters to add"))
        self.savedfilters.setPlaceholderText(self.tr("One saved tag filter name per line"))
        self.savedfilters.setTabChangesFocus(True)
        self.savedfilters.setMaximumHeight(60)
        self.groups = QPlainTextEdit(self)
        self.groups.setAccessibleName(self.tr("Groups to add"))
        self.groups.setPlaceholderText(self.tr("One group name per line"))
        self.groups.setTabChangesFocus(True)
        self.groups.setMaximumHeight(60)
        self.tagfilter = TagFilterBuilder(self, accessible_name="Tag filter")
        self.tokeep = QCheckBox(self.tr("&Keep the saved job's recipients and add these"), self)
        self.tokeep.setAccessibleName(self.tr("Keep saved recipients"))
        self.excludenumbers = QLineEdit(self)
        self.excludenumbers.setAccessibleName(self.tr("Phone numbers to exclude"))
        self.excludefilter = TagFilterBuilder(self, accessible_name="Exclude tag filter")

        self.responsegoal = QSpinBox(self)
        self.responsegoal.setAccessibleName(self.tr("Response goal"))
        self.responsegoal.setRange(0, 1_000_000)
        self.responsegoal.setSpecialValueText(self.tr("Not set"))
        self.responsegoal.setMaximumWidth(
            self.responsegoal.fontMetrics().horizontalAdvance("9" * 12)
        )

        self.start_now = QRadioButton(self.tr("&Now"), self)
        self.start_now.setAccessibleName(self.tr("Start now"))
        self.start_at = QRadioButton(self.tr("&At"), self)
        self.start_at.setAccessibleName(self.tr("Start at a scheduled time"))
        group = QButtonGroup(self)
        group.addButton(self.start_now)
        group.addButton(self.start_at)
        self.start_now.setChecked(True)
        self.scheduledstart = QDateTimeEdit(self)
        self.scheduledstart.setAccessibleName(self.tr("Scheduled start"))
        self.scheduledstart.setCalendarPopup(True)
        self.scheduledstart.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.scheduledstart.setEnabled(False)
        self.utc_label = QLabel(self)
        self.utc_label.setAccessibleName(self.tr("Scheduled start in UTC"))

        self.start_button = QPushButton(self.tr("Start job…"), self)
        self.start_button.setAccessibleName(self.tr("Start job"))
        self.start_button.setToolTip(self.tr("Review and confirm the launch (Ctrl+Enter)"))
        self.start_button.setAutoDefault(False)
        self.start_button.clicked.connect(self.request_launch)
        self.status_label = PlainLabel("", self)
        self.status_label.setWordWrap(True)

        for shortcut in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(shortcut), self, self.request_launch)

        self._lay_out()
        self._connect_changes()

    def _lay_out(self) -> None:
        header = QHBoxLayout()
        header.addWidget(self.header, 1)
        header.addWidget(self.job_id_label)
        header.addWidget(self.copy_id_button)

        main = QFormLayout()
        main.addRow(self.tr("Job &name:"), self._with_error("jobname", self.jobname))
        message_box = QWidget(self)
        message_layout = QVBoxLayout(message_box)
        message_layout.setContentsMargins(0, 0, 0, 0)
        message_layout.addWidget(self._with_error("message", self.message))
        message_layout.addWidget(self.sms_count)
        main.addRow(self.tr("&Message:"), message_box)
        main.addRow(
            self.tr("Assigned m&essage:"),
            self._with_error("assignedmessage", self.assignedmessage),
        )

        add = QGroupBox(self.tr("Recipients to add"), self)
        add_form = QFormLayout(add)
        add_form.addRow(self.tr("Phone numbers:"), self._with_error("tonumbers", self.tonumbers))
        add_form.addRow(
            self.tr("Saved tag filters:"),
            self._with_error("toaddressbooksavedtagfilters", self.savedfilters),
        )
        add_form.addRow(self.tr("Groups:"), self._with_error("toaddressbookgroups", self.groups))
        add_form.addRow(
            self.tr("Tag filter:"),
            self._with_error("toaddressbookcustomtagfilter", self.tagfilter),
        )
        add_form.addRow("", self._with_error("tokeep", self.tokeep))

        exclude = QGroupBox(self.tr("Recipients to exclude"), self)
        exclude_form = QFormLayout(exclude)
        exclude_form.addRow(
            self.tr("Phone numbers:"), self._with_error("excludenumbers", self.excludenumbers)
        )
        exclude_form.addRow(
            self.tr("Tag filter:"), self._with_error("excludecustomtagfilter", self.excludefilter)
        )

        when = QHBoxLayout()
        when.addWidget(self.start_now)
        when.addWidget(self.start_at)
        when.addWidget(self.scheduledstart)
        when.addWidget(self.utc_label, 1)
        when_box = QWidget(self)
        when_box.setLayout(when)
        rest = QFormLayout()
        rest.addRow(self.tr("Response &goal:"), self._with_error("responsegoal", self.responsegoal))
        rest.addRow(self.tr("Start:"), self._with_error("scheduledstart", when_box))
        self._field_widgets["scheduledstart"] = self.scheduledstart

        content = QWidget(self)
        content_layout = QVBoxLayout(content)
        content_layout.addLayout(header)
        content_layout.addWidget(self.rules_note)
        content_layout.addLayout(main)
        content_layout.addWidget(add)
        content_layout.addWidget(exclude)
        content_layout.addLayout(rest)
        content_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)

        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)

    def _connect_changes(self) -> None:
        for line in (self.jobname, self.tonumbers, self.excludenumbers):
            line.textChanged.connect(self.revalidate)
        for text in (self.message, self.assignedmessage, self.savedfilters, self.groups):
            text.textChanged.connect(self.revalidate)
        self.message.textChanged.connect(self._update_sms_count)
        self.tagfilter.changed.connect(self.revalidate)
        self.excludefilter.changed.connect(self.revalidate)
        self.tokeep.toggled.connect(self.revalidate)
        self.responsegoal.valueChanged.connect(self.revalidate)
        self.start_at.toggled.connect(self._on_schedule_choice)
        self.scheduledstart.dateTimeChanged.connect(self.revalidate)

    # -- job ----------------------------------------------------------------------------------

    def set_job(self, job: SavedJob, generic_type: GenericType | None) -> None:
        """Show ``job`` with empty fields, enabled as its generic type allows."""
        self.job = job
        self.generic_type = generic_type
        generic = generic_type.value if generic_type else self.tr("unknown")
        self.header.setText(
            self.tr("%1\nType %2 · generic type %3")
            .replace("%1", job.name)
            .replace("%2", job.type)
            .replace("%3", generic)
        )
        self.job_id_label.setText(str(job.id))
        self.jobname.setPlaceholderText(self.tr("Leave empty to keep “%1”").replace("%1", job.name))
        self._clear_fields()
        self.rules_note.setText(self._rules_note())
        self.setEnabled(True)
        self._apply_rules()
        self.revalidate()

    def _rules_note(self) -> str:
        if self.generic_type is None:
            return self.tr(
                "The generic type of this job type is unknown, so the form cannot tell which "
                "fields it allows: every field is enabled and the server checks them. Set the "
                "type in Settings to get the rules checked here."
            )
        if self.generic_type is GenericType.GMA:
            return self.tr(
                "GMA job: recipients come from tag filters. A new tag filter replaces the saved "
                "filters and needs a response goal, and a response goal needs a new filter."
            )
        return self.tr("GMM job: every recipient field is available.")

    def _clear_fields(self) -> None:
        for line in (self.jobname, self.tonumbers, self.excludenumbers):
            line.clear()
        for text in (self.message, self.assignedmessage, self.savedfilters, self.groups):
            text.clear()
        self.tagfilter.clear()
        self.excludefilter.clear()
        self.tokeep.setChecked(False)
        self.responsegoal.setValue(0)
        self.start_now.setChecked(True)
        soon = QDateTime.currentDateTime().addSecs(3600)
        soon.setTime(soon.time().addSecs(-soon.time().second()))
        self.scheduledstart.setDateTime(soon)

    def _apply_rules(self) -> None:
        disallowed = DISALLOWED_FIELDS.get(self.generic_type, {}) if self.generic_type else {}
        for field, widget in self._field_widgets.items():
            if field == "scheduledstart":
                continue
            refused = field in disallowed
            widget.setEnabled(not refused and not self._locked)
            widget.setToolTip(rule_tooltip(field, self.generic_type) if refused else "")
        if disallowed.keys() & {"excludecustomtagfilter"}:
            self.excludefilter.setToolTip(rule_tooltip("excludecustomtagfilter", self.generic_type))

    def set_vocabulary(self, vocabulary: dict[str, list[str]]) -> None:
        """Tag types and values offered for completion in both filter builders."""
        self.tagfilter.set_vocabulary(vocabulary)
        self.excludefilter.set_vocabulary(vocabulary)

    # -- request ------------------------------------------------------------------------------

    def _scheduled(self) -> datetime | None:
        if not self.start_at.isChecked():
            return None
        local = self.scheduledstart.dateTime().toPython()
        return local.astimezone() if isinstance(local, datetime) else None

    def build_request(self) -> StartJobRequest | None:
        """The request the form describes (disabled fields left out), or ``None`` without a
        job."""
        if self.job is None:
            return None
        refused = DISALLOWED_FIELDS.get(self.generic_type, {}) if self.generic_type else {}

        def allowed(field: str, value: Any) -> Any:
            return None if field in refused else value

        message = self.message.toPlainText()
        assigned = self.assignedmessage.toPlainText()
        goal = self.responsegoal.value()
        return StartJobRequest(
            jobid=self.job.id,
            jobname=self.jobname.text() or None,
            message=message or None,
            assignedmessage=allowed("assignedmessage", assigned or None),
            tonumbers=allowed("tonumbers", split_numbers(self.tonumbers.text())),
            toaddressbookcustomtagfilter=_valid_filter(self.tagfilter),
            toaddressbooksavedtagfilters=allowed(
                "toaddressbooksavedtagfilters", split_lines(self.savedfilters.toPlainText())
            ),
            toaddressbookgroups=allowed(
                "toaddressbookgroups", split_lines(self.groups.toPlainText())
            ),
            excludenumbers=allowed("excludenumbers", split_numbers(self.excludenumbers.text())),
            excludecustomtagfilter=allowed(
                "excludecustomtagfilter", _valid_filter(self.excludefilter)
            ),
            tokeep=allowed("tokeep", True if self.tokeep.isChecked() else None),
            responsegoal=goal or None,
            scheduledstart=self._scheduled(),
        )

    def problems(self) -> dict[str, str]:
        """Field -> first problem, for every field that is wrong now."""
        request = self.build_request()
        if request is None:
            return {}
        _, found = find_problems(request, self.generic_type)
        errors: dict[str, str] = {}
        for problem in found:
            errors.setdefault(problem.field or "jobid", str(problem))
        for field, builder in (
            ("toaddressbookcustomtagfilter", self.tagfilter),
            ("excludecustomtagfilter", self.excludefilter),
        ):
            if builder.isEnabled() and not builder.is_valid():
                errors[field] = builder.error_text() or self.tr("The tag filter is not valid.")
        if self.start_at.isChecked() and self._scheduled() is None:
            errors["scheduledstart"] = self.tr("Scheduled start: choose a valid date and time.")
        return errors

    def is_valid(self) -> bool:
        """True when the form can be launched."""
        return self._valid

    def revalidate(self) -> None:
        """Check every field again and show each problem beside its field."""
        if self.job is None:
            return
        errors = self.problems()
        for field, label in self._errors.items():
            text = errors.get(field, "")
            label.setText(text)
            label.setVisible(bool(text))
            widget = self._field_widgets[field]
            widget.setProperty("invalid", bool(text))
        self._update_utc_label()
        self._valid = not errors
        self.start_button.setEnabled(self._valid and not self._locked)
        count = len(errors)
        self.status_label.setText(
            ""
            if not count
            else count_text(
                count,
                "%1 problem to fix before the job can start.",
                "%1 problems to fix before the job can start.",
            )
        )

    def request_launch(self) -> None:
        """Start job… / Ctrl+Enter: ask for confirmation if the form is valid and unlocked."""
        if self._locked or self.job is None:
            return
        self.revalidate()
        request = self.build_request()
        if self._valid and request is not None:
            self.launch_requested.emit(request)

    # -- state --------------------------------------------------------------------------------

    def set_locked(self, locked: bool, reason: str = "") -> None:
        """Lock every input while a launch is in flight, so nothing changes under it."""
        self._locked = locked
        for widget in self._field_widgets.values():
            widget.setEnabled(not locked)
        for widget in (self.start_now, self.start_at):
            widget.setEnabled(not locked)
        self.scheduledstart.setEnabled(not locked and self.start_at.isChecked())
        if not locked:
            self._apply_rules()
        self.start_button.setEnabled(not locked and self._valid)
        if reason:
            self.status_label.setText(reason)
        elif not locked:
            self.revalidate()

    @property
    def locked(self) -> bool:
        """True while a launch is in flight."""
        return self._locked

    def used_tags(self) -> dict[str, list[str]]:
        """Tag types and values in both filters, to remember for completion."""
        used: dict[str, list[str]] = {}
        for builder in (self.tagfilter, self.excludefilter):
            tag_filter = _valid_filter(builder)
            for part in tag_filter.parts if tag_filter else ():
                used.setdefault(part.tagtype, []).extend(part.values)
        return used

    # -- small handlers -------------------------------------------------------------------------

    def _on_schedule_choice(self, at: bool) -> None:
        self.scheduledstart.setEnabled(at and not self._locked)
        if at and self.scheduledstart.dateTime() <= QDateTime.currentDateTime():
            self.scheduledstart.setDateTime(QDateTime.currentDateTime().addSecs(3600))
        self.revalidate()

    def _update_utc_label(self) -> None:
        when = self._scheduled()
        if when is None:
            self.utc_label.setText(self.tr("right away"))
            return
        utc = when.astimezone(UTC)
        ahead = when - datetime.now(UTC)
        self.utc_label.setText(
            self.tr("= %1 UTC (%2)")
            .replace("%1", utc.strftime("%Y-%m-%d %H:%M"))
            .replace("%2", _in_words(ahead))
        )

    def _update_sms_count(self) -> None:
        text = self.message.toPlainText()
        if not text:
            self.sms_count.setText(self.tr("The saved job's message is sent."))
            return
        count = count_sms(text)
        self.sms_count.setText(
            self.tr("%1 characters · %2 SMS (%3) · %4 left in this part")
            .replace("%1", str(count.characters))
            .replace("%2", str(count.parts))
            .replace("%3", count.encoding)
            .replace("%4", str(count.remaining))
        )

    def _copy_id(self) -> None:
        if self.job is not None:
            QGuiApplication.clipboard().setText(str(self.job.id))


def _valid_filter(builder: TagFilterBuilder) -> TagFilter | None:
    """The builder's filter, or ``None`` while it is invalid: its own error then blocks the
    launch (an invalid exclude filter must never read as "exclude nobody")."""
    return builder.tag_filter() if builder.is_valid() else None


def _in_words(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 0:
        return tr("in the past")
    if minutes < 60:
        return tr("in %1 min").replace("%1", str(minutes))
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return tr("in %1 h %2 min").replace("%1", str(hours)).replace("%2", str(minutes))
    return tr("in %1 days").replace("%1", str(hours // 24))
