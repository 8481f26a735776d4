"""The start-job form: adjust a saved job and ask to launch it.

Validation is live and per field, with the library's own rules (validation.py, F7–F10); the
"Start job…" button stays disabled while anything is invalid. Fields the job's generic type
refuses are disabled with the rule in their tooltip, never hidden.

Every launch decision is explicit (docs/launch-safety.md, "The form"): the Exercise switch
marks the message, recipients given here add to or replace the saved job's own ones as the
dispatcher chose (nothing is preselected), tag spellings not seen before are flagged, and after
a launch that may have sent messages the form does not stay ready to send it again. The rules
themselves are plain Python in :mod:`dispatch_desktop.form_rules`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QDateTime, QEvent, QLocale, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QMouseEvent, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCalendarWidget,
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
    QStyle,
    QStyleOptionComboBox,
    QVBoxLayout,
    QWidget,
)

from dispatch_desktop import form_rules
from dispatch_desktop.api import GenericType, SavedJob, StartJobRequest, TagFilter, ValidationError
from dispatch_desktop.api.sms import count_sms
from dispatch_desktop.api.validation import DISALLOWED_FIELDS, find_problems
from dispatch_desktop.api.validation import label as field_label
from dispatch_desktop.form_rules import (
    EXERCISE_NEEDS_MESSAGE,
    filter_conditions,
    gives_recipients,
    is_marked,
    keep_problem,
    marked_message,
    may_have_sent,
    tokeep_for,
    unmarked_message,
    was_exercise,
)
from dispatch_desktop.storage.journal import LaunchMode, Outcome
from dispatch_desktop.ui import colors
from dispatch_desktop.ui.common import (
    PLURAL,
    PlainLabel,
    error_sentence,
    exercise_banner,
    fill,
    fit_id_field,
    library_text,
    translate,
)
from dispatch_desktop.ui.settings import DEFAULT_EXERCISE_PREFIXES
from dispatch_desktop.ui.tagfilter_builder import TagFilterBuilder

_SEPARATORS = re.compile(r"[\s,;]+")
# How often a chosen scheduled start is checked again: the time may pass while the form is open.
_RECHECK_MS = 15_000


def exercise_language() -> str:
    """The language of the exercise marker: Swedish when the interface is, else English."""
    return "sv" if QLocale().language() == QLocale.Language.Swedish else "en"


def week_calendar(parent: QWidget) -> QCalendarWidget:
    """The date picker's calendar: ISO week numbers beside the days (dispatchers in Sweden
    plan by the week), and its controls named in the user's language for screen readers."""
    calendar = QCalendarWidget(parent)
    calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.ISOWeekNumbers)
    calendar.setAccessibleName(translate("StartForm", "Calendar"))
    for name, text in (
        ("qt_calendar_calendarview", translate("StartForm", "Days of the month")),
        ("qt_calendar_prevmonth", translate("StartForm", "Previous month")),
        ("qt_calendar_nextmonth", translate("StartForm", "Next month")),
        ("qt_calendar_monthbutton", translate("StartForm", "Month")),
        ("qt_calendar_yearbutton", translate("StartForm", "Year")),
        ("qt_calendar_yearedit", translate("StartForm", "Year")),
    ):
        if (part := calendar.findChild(QWidget, name)) is not None:
            part.setAccessibleName(text)
    return calendar


def split_numbers(text: str) -> list[str]:
    """Phone numbers typed or pasted with commas, semicolons, spaces or line breaks between."""
    return [n for n in _SEPARATORS.split(text.strip()) if n]


def split_lines(text: str) -> list[str]:
    """Names given one per line (a name may contain a comma, e.g. a group "Oslo, night")."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def rule_tooltip(field: str, generic_type: GenericType) -> str:
    """The tooltip of a field that ``generic_type`` refuses, with the rule in words (F7, F8)."""
    reason = library_text(DISALLOWED_FIELDS[generic_type][field])
    return fill(translate("StartForm", "Disabled: %1."), reason[0].upper() + reason[1:])


class DateTimePicker(QDateTimeEdit):
    """A date and time whose calendar also opens from the keyboard, with F4 or Alt+Down, as
    a combo box's list does."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        alt_down = event.key() == Qt.Key.Key_Down and bool(
            event.modifiers() & Qt.KeyboardModifier.AltModifier
        )
        if (event.key() == Qt.Key.Key_F4 or alt_down) and self.calendarPopup():
            self.open_calendar()
            return
        super().keyPressEvent(event)

    def open_calendar(self) -> None:
        """Open the calendar. QDateTimeEdit opens it only on a click on its arrow, so the
        click is given to it."""
        option = QStyleOptionComboBox()
        option.initFrom(self)
        option.editable = True
        option.subControls = QStyle.SubControl.SC_All
        arrow = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxArrow, self
        )
        point = QPointF(arrow.center())
        click = QMouseEvent(
            QEvent.Type.MouseButtonPress,
            point,
            self.mapToGlobal(point),
            Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(self, click)


class StartJobForm(QWidget):
    """Form for one saved job. ``launch_requested(StartJobRequest)`` asks for confirmation."""

    launch_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.job: SavedJob | None = None
        self.generic_type: GenericType | None = None
        self._locked = False
        # After a launch that may have sent messages: emptied, and nothing starts until the
        # dispatcher asks for a new launch.
        self._spent = False
        self._valid = False
        self._exercise_forced = False
        self._markers: tuple[str, ...] = (DEFAULT_EXERCISE_PREFIXES[exercise_language()],)
        self._vocabulary: dict[str, list[str]] = {}
        self._errors: dict[str, QLabel] = {}
        self._field_widgets: dict[str, QWidget] = {}
        self._row_fields: dict[QWidget, QWidget] = {}
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
        colors.show_as_error(label)
        label.setAccessibleName(translate("StartForm", "Error"))
        label.hide()
        self._errors[field] = label
        return label

    def _with_error(self, field: str, widget: QWidget) -> QWidget:
        self._field_widgets[field] = widget
        box = QWidget(self)
        self._row_fields[box] = widget
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
        self.job_id_label.setAccessibleName(translate("StartForm", "Saved job id"))
        fit_id_field(self.job_id_label)
        self.copy_id_button = QPushButton(translate("StartForm", "Copy id"), self)
        self.copy_id_button.setAccessibleName(translate("StartForm", "Copy saved job id"))
        self.copy_id_button.clicked.connect(self._copy_id)
        self.rules_note = QLabel(self)
        self.rules_note.setWordWrap(True)
        self.fill_note = PlainLabel("", self)
        self.fill_note.setWordWrap(True)
        self.fill_note.setAccessibleName(translate("StartForm", "Filled from an earlier launch"))
        self.fill_note.hide()

        self.exercise_banner = exercise_banner(self)
        self.exercise_banner.hide()
        self.exercise_switch = QCheckBox(
            translate("StartForm", "E&xercise — the message goes out marked as an exercise"), self
        )
        self.exercise_switch.setAccessibleName(translate("StartForm", "Exercise"))
        self.exercise_switch.setStyleSheet("font-weight: bold;")
        self.exercise_note = PlainLabel("", self)  # why the switch cannot be turned off
        self.exercise_note.setWordWrap(True)
        self.exercise_note.hide()

        self.jobname = QLineEdit(self)
        self.jobname.setAccessibleName(translate("StartForm", "Job name"))
        self.message = QPlainTextEdit(self)
        self.message.setAccessibleName(translate("StartForm", "Message"))
        self.message.setTabChangesFocus(True)
        self.message.setPlaceholderText(
            translate("StartForm", "Leave empty to send the saved job's message")
        )
        self.message.setMaximumHeight(110)
        self.marker_label = PlainLabel("", self)
        self.marker_label.setAccessibleName(translate("StartForm", "Exercise marker"))
        self.marker_label.setToolTip(
            translate(
                "StartForm", "Sent in front of the message, so nobody takes the exercise for real."
            )
        )
        self.marker_label.setStyleSheet("font-weight: bold;")
        self.marker_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.marker_label.hide()
        self.sms_count = QLabel(self)
        self.sms_count.setAccessibleName(translate("StartForm", "Message length"))
        self.assignedmessage = QPlainTextEdit(self)
        self.assignedmessage.setAccessibleName(translate("StartForm", "Assigned message"))
        self.assignedmessage.setTabChangesFocus(True)
        self.assignedmessage.setMaximumHeight(80)

        self.tonumbers = QLineEdit(self)
        self.tonumbers.setAccessibleName(translate("StartForm", "Recipient phone numbers"))
        self.tonumbers.setPlaceholderText(translate("StartForm", "+46701234567, +4790012345"))
        self.savedfilters = QPlainTextEdit(self)
        self.savedfilters.setAccessibleName(translate("StartForm", "Recipient saved tag filters"))
        self.savedfilters.setPlaceholderText(
            translate("StartForm", "One saved tag filter name per line")
        )
        self.savedfilters.setTabChangesFocus(True)
        self.savedfilters.setMaximumHeight(60)
        self.groups = QPlainTextEdit(self)
        self.groups.setAccessibleName(translate("StartForm", "Recipient groups"))
        self.groups.setPlaceholderText(translate("StartForm", "One group name per line"))
        self.groups.setTabChangesFocus(True)
        self.groups.setMaximumHeight(60)
        self.tagfilter = TagFilterBuilder(
            self, accessible_name=translate("StartForm", "Tag filter")
        )
        self._build_keep_choice()
        self.excludenumbers = QLineEdit(self)
        self.excludenumbers.setAccessibleName(translate("StartForm", "Phone numbers to exclude"))
        self.excludefilter = TagFilterBuilder(
            self, accessible_name=translate("StartForm", "Exclude tag filter")
        )

        self.responsegoal = QSpinBox(self)
        self.responsegoal.setAccessibleName(translate("StartForm", "Response goal"))
        self.responsegoal.setRange(0, 1_000_000)
        self.responsegoal.setSpecialValueText(translate("StartForm", "Not set"))
        self.responsegoal.setMaximumWidth(
            self.responsegoal.fontMetrics().horizontalAdvance("9" * 12)
        )

        self.start_now = QRadioButton(translate("StartForm", "No&w"), self)
        self.start_now.setAccessibleName(translate("StartForm", "Start now"))
        self.start_at = QRadioButton(translate("StartForm", "&At"), self)
        self.start_at.setAccessibleName(translate("StartForm", "Start at a scheduled time"))
        group = QButtonGroup(self)
        group.addButton(self.start_now)
        group.addButton(self.start_at)
        self.start_now.setChecked(True)
        self.scheduledstart = DateTimePicker(self)
        self.scheduledstart.setAccessibleName(translate("StartForm", "Scheduled start"))
        self.scheduledstart.setAccessibleDescription(
            translate("StartForm", "F4 or Alt+Down opens the calendar.")
        )
        self.scheduledstart.setCalendarPopup(True)
        self.scheduledstart.setCalendarWidget(week_calendar(self.scheduledstart))
        self.scheduledstart.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.scheduledstart.setEnabled(False)
        self.utc_label = QLabel(self)
        self.utc_label.setAccessibleName(translate("StartForm", "Scheduled start in UTC"))

        self.start_button = QPushButton(translate("StartForm", "Start job…"), self)
        self.start_button.setAccessibleName(translate("StartForm", "Start job"))
        self.start_button.setToolTip(
            translate("StartForm", "Review and confirm the launch (Ctrl+Enter)")
        )
        self.start_button.setAutoDefault(False)
        self.start_button.clicked.connect(self.request_launch)
        self.new_launch_button = QPushButton(translate("StartForm", "New &launch"), self)
        self.new_launch_button.setAccessibleName(translate("StartForm", "Prepare a new launch"))
        self.new_launch_button.setToolTip(
            translate(
                "StartForm",
                "Prepare another launch of this saved job, starting from its own settings",
            )
        )
        self.new_launch_button.setAutoDefault(False)
        self.new_launch_button.clicked.connect(self.new_launch)
        self.new_launch_button.hide()
        self.status_label = PlainLabel("", self)
        self.status_label.setWordWrap(True)

        for shortcut in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(shortcut), self, self.request_launch)

        self._lay_out()
        self._connect_changes()

    def _build_keep_choice(self) -> None:
        """Add to or replace the saved job's own recipients: two choices, none preselected."""
        self.keep_add = QRadioButton(translate("StartForm", "A&dd to them"), self)
        self.keep_add.setAccessibleName(translate("StartForm", "Add to the saved job's recipients"))
        self.keep_replace = QRadioButton(translate("StartForm", "&Replace them"), self)
        self.keep_replace.setAccessibleName(
            translate("StartForm", "Replace the saved job's recipients")
        )
        self._keep_group = QButtonGroup(self)
        self._keep_group.addButton(self.keep_add)
        self._keep_group.addButton(self.keep_replace)
        self.keep_choice = QWidget(self)
        row = QHBoxLayout(self.keep_choice)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.keep_add)
        row.addWidget(self.keep_replace)
        row.addStretch(1)
        self.keep_note = PlainLabel("", self)
        self.keep_note.setWordWrap(True)
        self.keep_note.setAccessibleName(translate("StartForm", "The saved job's own recipients"))

    def _lay_out(self) -> None:
        header = QHBoxLayout()
        header.addWidget(self.header, 1)
        header.addWidget(self.job_id_label)
        header.addWidget(self.copy_id_button)

        main = QFormLayout()
        main.addRow(translate("StartForm", "&Job name:"), self._with_error("jobname", self.jobname))
        message_box = QWidget(self)
        self._row_fields[message_box] = self.message
        message_layout = QVBoxLayout(message_box)
        message_layout.setContentsMargins(0, 0, 0, 0)
        marked = QHBoxLayout()
        marked.addWidget(self.marker_label, 0, Qt.AlignmentFlag.AlignTop)
        marked.addWidget(self._with_error("message", self.message), 1)
        message_layout.addLayout(marked)
        message_layout.addWidget(self.sms_count)
        main.addRow(translate("StartForm", "&Message:"), message_box)
        main.addRow(
            translate("StartForm", "Assigned m&essage:"),
            self._with_error("assignedmessage", self.assignedmessage),
        )

        add = QGroupBox(translate("StartForm", "Recipients"), self)
        add_form = QFormLayout(add)
        add_form.addRow(
            translate("StartForm", "Phone numbers:"), self._with_error("tonumbers", self.tonumbers)
        )
        add_form.addRow(
            translate("StartForm", "Saved tag filters:"),
            self._with_error("toaddressbooksavedtagfilters", self.savedfilters),
        )
        add_form.addRow(
            translate("StartForm", "Groups:"), self._with_error("toaddressbookgroups", self.groups)
        )
        add_form.addRow(
            translate("StartForm", "Tag filter:"),
            self._with_error("toaddressbookcustomtagfilter", self.tagfilter),
        )
        keep_box = QWidget(self)
        keep_layout = QVBoxLayout(keep_box)
        keep_layout.setContentsMargins(0, 0, 0, 0)
        keep_layout.addWidget(self._with_error("tokeep", self.keep_choice))
        keep_layout.addWidget(self.keep_note)
        add_form.addRow(translate("StartForm", "The saved job's own recipients:"), keep_box)

        exclude = QGroupBox(translate("StartForm", "Recipients to exclude"), self)
        exclude_form = QFormLayout(exclude)
        exclude_form.addRow(
            translate("StartForm", "Phone numbers:"),
            self._with_error("excludenumbers", self.excludenumbers),
        )
        exclude_form.addRow(
            translate("StartForm", "Tag filter:"),
            self._with_error("excludecustomtagfilter", self.excludefilter),
        )

        when = QHBoxLayout()
        when.addWidget(self.start_now)
        when.addWidget(self.start_at)
        when.addWidget(self.scheduledstart)
        when.addWidget(self.utc_label, 1)
        when_box = QWidget(self)
        when_box.setLayout(when)
        rest = QFormLayout()
        rest.addRow(
            translate("StartForm", "Response &goal:"),
            self._with_error("responsegoal", self.responsegoal),
        )
        rest.addRow(translate("StartForm", "Start:"), self._with_error("scheduledstart", when_box))
        self._field_widgets["scheduledstart"] = self.scheduledstart
        for form in (main, add_form, exclude_form, rest):
            self._label_fields(form)

        content = QWidget(self)
        content_layout = QVBoxLayout(content)
        content_layout.addLayout(header)
        content_layout.addWidget(self.rules_note)
        content_layout.addWidget(self.fill_note)
        content_layout.addWidget(self.exercise_switch)
        content_layout.addWidget(self.exercise_note)
        content_layout.addLayout(main)
        content_layout.addWidget(add)
        content_layout.addWidget(exclude)
        content_layout.addLayout(rest)
        content_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        # Not a Tab stop of its own: it scrolls to the field that has the focus.
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(content)

        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.new_launch_button)
        bottom.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.exercise_banner)  # outside the scrolling: always in sight
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)

    def _label_fields(self, form: QFormLayout) -> None:
        """A row's label (and its mnemonic) names and focuses the field itself, not the box
        that holds the field with its error. (A focus proxy on the box would do it too, but
        would make the box a Tab stop of its own, sending Tab back to the field.)"""
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            shown = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label is None or shown is None or not isinstance(label.widget(), QLabel):
                continue
            field = self._row_fields.get(shown.widget())
            if field is not None:
                label.widget().setBuddy(field)

    def _connect_changes(self) -> None:
        for line in (self.jobname, self.tonumbers, self.excludenumbers):
            line.textChanged.connect(self.revalidate)
        for text in (self.message, self.assignedmessage, self.savedfilters, self.groups):
            text.textChanged.connect(self.revalidate)
        self.message.textChanged.connect(self._show_exercise)
        self.tagfilter.changed.connect(self.revalidate)
        self.excludefilter.changed.connect(self.revalidate)
        self._keep_group.buttonToggled.connect(self.revalidate)
        self.exercise_switch.toggled.connect(self._on_exercise_toggled)
        self.responsegoal.valueChanged.connect(self.revalidate)
        self.start_at.toggled.connect(self._on_schedule_choice)
        self.scheduledstart.dateTimeChanged.connect(self.revalidate)

    # -- job ----------------------------------------------------------------------------------

    def set_job(self, job: SavedJob, generic_type: GenericType | None) -> None:
        """Show ``job`` with empty fields, enabled as its generic type allows."""
        self.job = job
        self.generic_type = generic_type
        generic = generic_type.value if generic_type else translate("StartForm", "unknown")
        self.header.setText(
            fill(
                translate("StartForm", "%1\nType %2 · generic type %3"), job.name, job.type, generic
            )
        )
        self.job_id_label.setText(str(job.id))
        self.jobname.setPlaceholderText(
            fill(translate("StartForm", "Leave empty to keep “%1”"), job.name)
        )
        self._clear_fields()
        self._spent = False
        self.rules_note.setText(self._rules_note())
        self.setEnabled(True)
        self._apply_enabled()
        self.revalidate()

    def _rules_note(self) -> str:
        if self.generic_type is None:
            return translate(
                "StartForm",
                "The generic type of this job type is unknown, so the form cannot tell which "
                "fields it allows: every field is enabled and the server checks them. Set the "
                "type in Settings to get the rules checked here.",
            )
        if self.generic_type is GenericType.GMA:
            return translate(
                "StartForm",
                "GMA job: recipients come from tag filters. A new tag filter replaces the saved "
                "filters and needs a response goal, and a response goal needs a new filter.",
            )
        return translate("StartForm", "GMM job: every recipient field is available.")

    def _clear_fields(self) -> None:
        for line in (self.jobname, self.tonumbers, self.excludenumbers):
            line.clear()
        for text in (self.message, self.assignedmessage, self.savedfilters, self.groups):
            text.clear()
        self.tagfilter.clear()
        self.excludefilter.clear()
        self._set_keep(None)
        self.exercise_switch.setChecked(self._exercise_forced)
        self.fill_note.hide()
        self.responsegoal.setValue(0)
        self.start_now.setChecked(True)
        soon = QDateTime.currentDateTime().addSecs(3600)
        soon.setTime(soon.time().addSecs(-soon.time().second()))
        self.scheduledstart.setDateTime(soon)

    def _set_keep(self, keep: bool | None) -> None:
        """Choose "Add to them" (True), "Replace them" (False) or neither (None)."""
        self._keep_group.setExclusive(False)  # an exclusive group cannot uncheck its last
        self.keep_add.setChecked(keep is True)
        self.keep_replace.setChecked(keep is False)
        self._keep_group.setExclusive(True)

    def _keep(self) -> bool | None:
        if self.keep_add.isChecked():
            return True
        return False if self.keep_replace.isChecked() else None

    def _apply_enabled(self) -> None:
        """Enable what the job's generic type allows, unless a launch is in flight or done."""
        frozen = self._locked or self._spent
        disallowed = DISALLOWED_FIELDS.get(self.generic_type, {}) if self.generic_type else {}
        for field, widget in self._field_widgets.items():
            if field == "scheduledstart":
                continue
            refused = field in disallowed
            widget.setEnabled(not refused and not frozen)
            widget.setToolTip(rule_tooltip(field, self.generic_type) if refused else "")
        if disallowed.keys() & {"excludecustomtagfilter"}:
            self.excludefilter.setToolTip(rule_tooltip("excludecustomtagfilter", self.generic_type))
        # A GMA job always replaces: it says so in words and offers no choice.
        self.keep_choice.setVisible(self.generic_type is not GenericType.GMA)
        for widget in (self.start_now, self.start_at):
            widget.setEnabled(not frozen)
        self.scheduledstart.setEnabled(not frozen and self.start_at.isChecked())
        self.exercise_switch.setEnabled(not frozen and not self._exercise_forced)
        self.start_button.setEnabled(not frozen and self._valid)
        self.new_launch_button.setVisible(self._spent)

    def set_vocabulary(self, vocabulary: Mapping[str, Sequence[str]]) -> None:
        """Tag types and values known: offered for completion in both filter builders, and
        the spellings the form checks against."""
        self._vocabulary = form_rules.normalize_vocabulary(vocabulary)
        self.tagfilter.set_vocabulary(self._vocabulary)
        self.excludefilter.set_vocabulary(self._vocabulary)

    def unknown_tags(self) -> list[str]:
        """Tag types and values of the launch that are not in the vocabulary, for the
        confirmation: a type as "Bse", a value as "Base: Stokholm"."""
        request = self.build_request()
        if request is None:
            return []
        unknown = form_rules.unknown_tags(filter_conditions(request), self._vocabulary)
        return [str(tag) for tag in unknown]

    # -- exercise -----------------------------------------------------------------------------

    @property
    def exercise(self) -> bool:
        """True when the launch is an exercise: its message goes out marked."""
        return self.exercise_switch.isChecked()

    def set_exercise_markers(self, markers: Sequence[str]) -> None:
        """The marker an exercise's message starts with first, then other markers that count
        as marked already (e.g. those of the other languages)."""
        if not markers:
            raise ValueError("an exercise needs a marker")
        self._markers = tuple(markers)
        self._show_exercise()
        self.revalidate()

    def force_exercise(self, forced: bool, reason: str = "") -> None:
        """Exercise only (a policy of this computer): turn Exercise on and keep it on, saying
        why; ``False`` gives the choice back."""
        self._exercise_forced = forced
        if forced:
            self.exercise_switch.setChecked(True)
        self.exercise_note.setText(
            (reason or translate("StartForm", "This computer is set to send exercises only."))
            if forced
            else ""
        )
        self.exercise_note.setVisible(forced)
        self._apply_enabled()

    # -- request ------------------------------------------------------------------------------

    def _scheduled(self) -> datetime | None:
        if not self.start_at.isChecked():
            return None
        local = self.scheduledstart.dateTime().toPython()
        return local.astimezone() if isinstance(local, datetime) else None

    def _message_sent(self) -> str:
        """The message as it goes out: marked when this is an exercise (a blank one is left
        as typed, for the form to refuse)."""
        message = self.message.toPlainText()
        if self.exercise and message.strip():
            return marked_message(message, self._markers)
        return message

    def build_request(self) -> StartJobRequest | None:
        """The request the form describes (disabled fields left out), or ``None`` without a
        job. Its ``tokeep`` carries the add-or-replace choice: ``True`` add, ``False``
        replace (never sent: it is the server's default), ``None`` nothing to choose or not
        chosen yet."""
        if self.job is None:
            return None
        refused = DISALLOWED_FIELDS.get(self.generic_type, {}) if self.generic_type else {}

        def allowed(field: str, value: Any) -> Any:
            return None if field in refused else value

        message = self._message_sent()
        assigned = self.assignedmessage.toPlainText()
        goal = self.responsegoal.value()
        request = StartJobRequest(
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
            responsegoal=goal or None,
            scheduledstart=self._scheduled(),
        )
        keep = tokeep_for(gives_recipients(request), self._keep(), self.generic_type)
        return replace(request, tokeep=keep)

    def problems(self) -> dict[str, str]:
        """Field -> first problem, for every field that is wrong now."""
        request = self.build_request()
        if request is None:
            return {}
        _, found = find_problems(request, self.generic_type)
        errors: dict[str, str] = {}
        for problem in found:
            errors.setdefault(problem.field or "jobid", error_sentence(problem))
        if self.exercise and not self.message.toPlainText().strip():
            errors["message"] = library_text(EXERCISE_NEEDS_MESSAGE)
        if undecided := keep_problem(request, self.generic_type):
            errors.setdefault("tokeep", library_text(undecided))
        for field, builder in (
            ("toaddressbookcustomtagfilter", self.tagfilter),
            ("excludecustomtagfilter", self.excludefilter),
        ):
            if builder.isEnabled() and not builder.is_valid():
                errors[field] = builder.error_text() or translate(
                    "StartForm", "The tag filter is not valid."
                )
        if self.start_at.isChecked() and self._scheduled() is None:
            errors["scheduledstart"] = translate(
                "StartForm", "Scheduled start: choose a valid date and time."
            )
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
        self._show_keep_note()
        self._valid = not errors
        self.start_button.setEnabled(self._valid and not self._locked and not self._spent)
        count = len(errors)
        if self._spent:
            self.status_label.setText(
                translate(
                    "StartForm",
                    "Launch done: the form is back to the saved job's own settings. Choose "
                    "“New launch” to prepare another launch of this job.",
                )
            )
            return
        self.status_label.setText(
            ""
            if not count
            else translate(
                "StartForm", "%n problem(s) to fix before the job can start.", None, PLURAL, count
            )
        )

    def _show_keep_note(self) -> None:
        """Say in words what happens to the saved job's own recipients, where there is no
        choice to make."""
        request = self.build_request()
        given = request is not None and gives_recipients(request)
        if self.generic_type is GenericType.GMA:
            text = translate(
                "StartForm",
                "This job type always replaces them: a tag filter given here replaces the "
                "saved job's recipients.",
            )
        elif not given:
            text = translate(
                "StartForm", "No recipients given here: the saved job's own recipients are used."
            )
        else:
            text = ""
        self.keep_note.setText(text)
        self.keep_note.setVisible(bool(text))
        for button in (self.keep_add, self.keep_replace):
            button.setEnabled(given and not self._locked and not self._spent)

    def request_launch(self) -> None:
        """Start job… / Ctrl+Enter: ask for confirmation if the form is valid, unlocked and
        not just launched."""
        if self._locked or self._spent or self.job is None:
            return
        self.revalidate()
        request = self.build_request()
        if self._valid and request is not None:
            self.launch_requested.emit(request)

    # -- state --------------------------------------------------------------------------------

    def set_locked(self, locked: bool, reason: str = "") -> None:
        """Lock every input while a launch is in flight, so nothing changes under it."""
        self._locked = locked
        self._apply_enabled()
        if reason:
            self.status_label.setText(reason)
        elif not locked:
            self.revalidate()

    @property
    def locked(self) -> bool:
        """True while a launch is in flight."""
        return self._locked

    @property
    def spent(self) -> bool:
        """True after a launch that may have sent messages, until "New launch"."""
        return self._spent

    def launch_finished(self, outcome: Outcome) -> None:
        """The launch has an outcome. If messages may have gone out, the form goes back to
        the saved job's own settings and starts nothing until the dispatcher chooses "New
        launch" (or opens a job, or fills the form from a launch): no single key sends the
        same launch again. After an outcome that sent nothing, what was typed stays, to be
        corrected and started again."""
        if not may_have_sent(outcome):
            return
        self._clear_fields()
        self._spent = True
        self._apply_enabled()
        self.revalidate()

    def new_launch(self) -> None:
        """The “New launch” button: prepare another launch of the same saved job."""
        if not self._spent:
            return
        self._spent = False
        self._apply_enabled()
        self.revalidate()
        self.jobname.setFocus()

    def fill_from_parameters(self, parameters: Mapping[str, Any], mode: LaunchMode) -> None:
        """Fill the form with exactly what a launch sent: its journaled parameters (the
        normalised request) and mode. An exercise's message is shown without its marker,
        with Exercise on. It never launches. The form must show that launch's saved job
        (:meth:`set_job`); raises ValueError otherwise."""
        if self.job is None or parameters.get("jobid") != self.job.id:
            raise ValueError("the form does not show the saved job of these parameters")
        self._clear_fields()
        self._spent = False
        left_out = self._fill_fields(parameters)
        sent = parameters.get("message")
        exercise = was_exercise(mode, sent if isinstance(sent, str) else None, self._markers)
        if exercise and isinstance(sent, str):
            self.message.setPlainText(unmarked_message(sent, self._markers))
        self.exercise_switch.setChecked(exercise or self._exercise_forced)
        note = translate(
            "StartForm",
            "Filled in with the settings of an earlier launch. Nothing is sent until you "
            "start it and confirm.",
        )
        if left_out:
            note += " " + fill(
                translate("StartForm", "Not filled in (this form cannot show them): %1."),
                ", ".join(library_text(field_label(name)) for name in left_out),
            )
        self.fill_note.setText(note)
        self.fill_note.show()
        self._apply_enabled()
        self.revalidate()

    def _fill_fields(self, parameters: Mapping[str, Any]) -> list[str]:
        """Put each parameter in its field; return the names of those that fit none."""
        left_out = [
            name
            for name, value in parameters.items()
            if name not in ("jobid", "tokeep") and not self._fill_field(name, value)
        ]
        given = any(name in parameters for name in form_rules.RECIPIENT_FIELDS)
        if given and self.generic_type is not GenericType.GMA:
            # Journaled without tokeep: the recipients replaced the saved ones (the default).
            self._set_keep(parameters.get("tokeep") is True)
        return left_out

    def _fill_field(self, name: str, value: Any) -> bool:
        texts = {
            "jobname": self.jobname.setText,
            "message": self.message.setPlainText,
            "assignedmessage": self.assignedmessage.setPlainText,
        }
        lists = {
            "tonumbers": (self.tonumbers.setText, ", "),
            "excludenumbers": (self.excludenumbers.setText, ", "),
            "toaddressbooksavedtagfilters": (self.savedfilters.setPlainText, "\n"),
            "toaddressbookgroups": (self.groups.setPlainText, "\n"),
        }
        filters = {
            "toaddressbookcustomtagfilter": self.tagfilter,
            "toaddressbooktagfilterjson": self.tagfilter,
            "excludecustomtagfilter": self.excludefilter,
            "excludetagfilterjson": self.excludefilter,
        }
        if name in texts and isinstance(value, str):
            texts[name](value)
        elif name in lists and isinstance(value, list) and all(isinstance(v, str) for v in value):
            setter, separator = lists[name]
            setter(separator.join(value))
        elif name in filters:
            return _fill_filter(filters[name], value)
        elif name == "responsegoal" and type(value) is int and 0 < value <= 1_000_000:
            self.responsegoal.setValue(value)
        elif name == "scheduledstart" and isinstance(value, str):
            return self._fill_scheduled(value)
        else:
            return False
        return True

    def _fill_scheduled(self, text: str) -> bool:
        try:
            when = datetime.fromisoformat(text)
        except ValueError:
            return False
        if when.tzinfo is None:
            return False
        self.start_at.setChecked(True)
        self.scheduledstart.setDateTime(QDateTime(when.astimezone().replace(tzinfo=None)))
        return True

    # -- small handlers -------------------------------------------------------------------------

    def _on_exercise_toggled(self) -> None:
        self._show_exercise()
        self.revalidate()

    def _show_exercise(self) -> None:
        """The hatched banner, and the marker in front of the message unless the message
        already starts with it."""
        on = self.exercise
        self.exercise_banner.setVisible(on)
        self.marker_label.setText(self._markers[0])
        text = self.message.toPlainText()
        self.marker_label.setVisible(on and not (text.strip() and is_marked(text, self._markers)))
        self._update_sms_count()

    def _on_schedule_choice(self, at: bool) -> None:
        self.scheduledstart.setEnabled(at and not self._locked)
        if at and self.scheduledstart.dateTime() <= QDateTime.currentDateTime():
            self.scheduledstart.setDateTime(QDateTime.currentDateTime().addSecs(3600))
        self.revalidate()

    def _update_utc_label(self) -> None:
        when = self._scheduled()
        if when is None:
            self.utc_label.setText(translate("StartForm", "right away"))
            return
        utc = when.astimezone(UTC)
        ahead = when - datetime.now(UTC)
        self.utc_label.setText(
            fill(
                translate("StartForm", "= %1 UTC (%2)"),
                utc.strftime("%Y-%m-%d %H:%M"),
                _in_words(ahead),
            )
        )

    def _update_sms_count(self) -> None:
        """Count what is sent: with the exercise marker when there is one."""
        if not self.message.toPlainText():
            self.sms_count.setText(
                translate("StartForm", "An exercise needs a message written here.")
                if self.exercise
                else translate("StartForm", "The saved job's message is sent.")
            )
            return
        count = count_sms(self._message_sent())
        text = fill(
            translate("StartForm", "%1 characters · %2 SMS (%3) · %4 left in this part"),
            str(count.characters),
            str(count.parts),
            count.encoding,
            str(count.remaining),
        )
        if self.exercise:
            text += translate("StartForm", " · the exercise marker included")
        self.sms_count.setText(text)

    def _copy_id(self) -> None:
        if self.job is not None:
            QGuiApplication.clipboard().setText(str(self.job.id))


def _fill_filter(builder: TagFilterBuilder, value: Any) -> bool:
    """Show a journaled tag filter (its text, or its JSON form) in ``builder``."""
    if isinstance(value, str):
        builder.set_filter(value)
        return True
    try:
        builder.set_filter(TagFilter.from_json(value))
    except ValidationError:
        return False
    return True


def _valid_filter(builder: TagFilterBuilder) -> TagFilter | None:
    """The builder's filter, or ``None`` while it is invalid: its own error then blocks the
    launch (an invalid exclude filter must never read as "exclude nobody")."""
    return builder.tag_filter() if builder.is_valid() else None


def _in_words(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 0:
        return translate("StartForm", "in the past")
    if minutes < 60:
        return fill(translate("StartForm", "in %1 min"), str(minutes))
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return fill(translate("StartForm", "in %1 h %2 min"), str(hours), str(minutes))
    return fill(translate("StartForm", "in %1 days"), str(hours // 24))
