"""The confirmation before a launch: everything that will be sent, in words.

Its heading names the job and the world it goes to (LIVE, DEMO or EXERCISE), then when it
starts; the server address stays in sight. The repeat guard comes first: a saved job launched
from this computer a short while ago, or whose earlier launch may have gone out unnoticed (F3),
keeps the confirm button disabled until "Start it again" is ticked.

The confirm button is not the default button: Enter alone does not launch; Escape and Enter
both go back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QT_TRANSLATE_NOOP, QLocale
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dispatch_desktop.api import GenericType, SavedJob, StartJobRequest, TagFilter
from dispatch_desktop.api.validation import is_set
from dispatch_desktop.storage.journal import LaunchJournal, LaunchMode, LaunchRecord, Outcome
from dispatch_desktop.ui import colors
from dispatch_desktop.ui.common import (
    HEADING_NAME_LIMIT,
    PLURAL,
    PlainLabel,
    demo_banner,
    escaped,
    exercise_banner,
    fill,
    plain,
    translate,
    window_title,
)
from dispatch_desktop.ui.launch_panel import outcome_title
from dispatch_desktop.ui.workers import TaskRunner

log = logging.getLogger(__name__)

# -- colours ----------------------------------------------------------------------------------

_WARNING_CSS = f"{colors.CONFIRMATION['warning'].css()} padding: 6px;"

# -- times in words ---------------------------------------------------------------------------


def clock_text(moment: datetime, now: datetime) -> str:
    """``moment`` in local time: "10:04" today, else with its day."""
    local = moment.astimezone()
    if local.date() == now.astimezone().date():
        return local.strftime("%H:%M")
    return f"{weekday(local)} {local:%Y-%m-%d %H:%M}"


def weekday(moment: datetime) -> str:
    """The short name of ``moment``'s weekday in the interface's language (strftime's %a
    would be English whatever the language)."""
    return QLocale().dayName(moment.isoweekday(), QLocale.FormatType.ShortFormat)


def span_text(seconds: float) -> str:
    """A time span in words: "58 min", "2 h 5 min", "3 days"."""
    minutes = round(seconds / 60)
    if minutes < 1:
        return translate("Confirm", "less than a minute")
    if minutes < 60:
        return fill(translate("Confirm", "%1 min"), str(minutes))
    hours, rest = divmod(minutes, 60)
    if hours >= 48:
        return fill(translate("Confirm", "%1 days"), str(hours // 24))
    if rest == 0:
        return fill(translate("Confirm", "%1 h"), str(hours))
    return fill(translate("Confirm", "%1 h %2 min"), str(hours), str(rest))


def when_text(scheduled: datetime | None, now: datetime) -> str:
    """When the job starts: "now", or "at 10:04 (in 58 min)" in local time."""
    if scheduled is None:
        return translate("Confirm", "now")
    seconds = max(0.0, (scheduled - now).total_seconds())
    return fill(
        translate("Confirm", "at %1 (in %2)"), clock_text(scheduled, now), span_text(seconds)
    )


def confirm_text(scheduled: datetime | None, now: datetime) -> str:
    """The confirm button's words: "Start now" or "Schedule for 10:04"."""
    if scheduled is None:
        return translate("Confirm", "Start &now")
    return fill(translate("Confirm", "&Schedule for %1"), clock_text(scheduled, now))


def _names(values: list[str] | None) -> str:
    return ", ".join(f"“{v}”" for v in values or [])


def _filter_in_words(value: TagFilter | str | None) -> str:
    if value is None:
        return ""
    tag_filter = TagFilter.coerce(value)
    parts = [
        fill(
            translate("Confirm", "%1 is %2"), p.tagtype, translate("Confirm", " or ").join(p.values)
        )
        for p in tag_filter.parts
    ]
    return translate("Confirm", " and ").join(parts) + f"  ({tag_filter})"


def _when_in_words(when: datetime | None) -> str:
    if when is None:
        return translate(
            "Confirm", "Now — messages go out as soon as the server has resolved the recipients."
        )
    local = when.astimezone()
    utc = when.astimezone(UTC)
    return fill(
        translate("Confirm", "At %1 local time (%2 UTC)"),
        f"{weekday(local)} {local:%Y-%m-%d %H:%M %Z}",
        utc.strftime("%Y-%m-%d %H:%M"),
    )


def launch_summary(
    job: SavedJob, request: StartJobRequest, generic_type: GenericType | None
) -> list[tuple[str, str]]:
    """The launch as (label, text) rows: job, name, message, recipients, goal, start."""
    generic = generic_type.value if generic_type else translate("Confirm", "unknown")
    rows = [
        (
            translate("Confirm", "Saved job"),
            f"{job.name} — id {job.id}, type {job.type} ({generic})",
        ),
        (
            translate("Confirm", "Job name"),
            request.jobname or fill(translate("Confirm", "“%1” (unchanged)"), job.name),
        ),
        (
            translate("Confirm", "Message"),
            request.message or translate("Confirm", "The saved job's message (unchanged)"),
        ),
    ]
    if request.assignedmessage:
        rows.append((translate("Confirm", "Assigned message"), request.assignedmessage))
    rows.extend(_recipient_rows(request, generic_type))
    goal = request.responsegoal
    rows.append(
        (
            translate("Confirm", "Response goal"),
            translate("Confirm", "%n confirmed responder(s)", None, PLURAL, goal)
            if goal
            else translate("Confirm", "As saved in the job"),
        )
    )
    rows.append((translate("Confirm", "Start"), _when_in_words(request.scheduledstart)))
    return rows


_RECIPIENT_FIELDS = (
    "tonumbers",
    "toaddressbookcustomtagfilter",
    "toaddressbooktagfilterjson",
    "toaddressbooksavedtagfilters",
    "toaddressbookgroups",
)


def recipients_line(request: StartJobRequest, generic_type: GenericType | None) -> str:
    """What happens to the saved job's own recipients, in one plain line. The server replaces
    them unless ``tokeep`` is set; a GMA job always replaces them (F8)."""
    if not any(is_set(getattr(request, name)) for name in _RECIPIENT_FIELDS):
        return translate("Confirm", "The saved job's own recipients are used, unchanged.")
    if request.tokeep and generic_type is not GenericType.GMA:
        return translate("Confirm", "The saved job's own recipients are kept, and these are added.")
    return translate("Confirm", "The saved job's own recipients are replaced by these.")


def _json_filter(value: TagFilter | list[dict[str, object]] | None) -> TagFilter | None:
    if value is None or isinstance(value, TagFilter):
        return value
    return TagFilter.from_json(value)


def _recipient_rows(
    request: StartJobRequest, generic_type: GenericType | None
) -> list[tuple[str, str]]:
    added = [
        (translate("Confirm", "Phone numbers"), ", ".join(request.tonumbers or [])),
        (
            translate("Confirm", "Tag filter"),
            _filter_in_words(request.toaddressbookcustomtagfilter),
        ),
        (
            translate("Confirm", "Tag filter"),
            _filter_in_words(_json_filter(request.toaddressbooktagfilterjson)),
        ),
        (translate("Confirm", "Saved tag filters"), _names(request.toaddressbooksavedtagfilters)),
        (translate("Confirm", "Groups"), _names(request.toaddressbookgroups)),
    ]
    rows = [(translate("Confirm", "Recipients"), recipients_line(request, generic_type))]
    rows.extend(
        (fill(translate("Confirm", "  + %1"), label), text) for label, text in added if text
    )
    excluded = [
        (translate("Confirm", "Phone numbers"), ", ".join(request.excludenumbers or [])),
        (translate("Confirm", "Tag filter"), _filter_in_words(request.excludecustomtagfilter)),
        (
            translate("Confirm", "Tag filter"),
            _filter_in_words(_json_filter(request.excludetagfilterjson)),
        ),
    ]
    rows.extend(
        (fill(translate("Confirm", "  − excluded %1"), label.lower()), text)
        for label, text in excluded
        if text
    )
    return rows


NOTES = (
    QT_TRANSLATE_NOOP(
        "Confirm",
        "Recipients from tag filters and groups are looked up in the address book now, when "
        "the job is started; later changes to the address book do not change who gets the "
        "message.",
    ),
    QT_TRANSLATE_NOOP(
        "Confirm",
        "The settings of the job type are read when the job starts; they are not saved with "
        "the job.",
    ),
    QT_TRANSLATE_NOOP(
        "Confirm",
        "Starting sends real messages to real people and cannot be undone. A start whose "
        "answer is lost may still have happened: never start again before checking.",
    ),
)


# -- the repeat guard -------------------------------------------------------------------------

SHOWN_EARLIER = 5
"""Earlier launches listed by name; more are counted."""


@dataclass(frozen=True)
class EarlierLaunches:
    """What the repeat guard found in the journal: the launches of the same saved job on the
    same server to warn about, newest first, or that the journal could not be read."""

    records: tuple[LaunchRecord, ...] = ()
    checked: bool = True

    @property
    def blocking(self) -> bool:
        """Whether the confirmation waits for "Start it again"."""
        return bool(self.records) or not self.checked


def find_earlier_launches(
    runner: TaskRunner,
    journal: LaunchJournal | None,
    job_id: int,
    server: str,
    window_minutes: int,
    done: Callable[[EarlierLaunches], None],
) -> None:
    """Look up, off the GUI thread, the launches of ``job_id`` on ``server`` in the last
    ``window_minutes`` and those whose outcome is pending or unknown however old (F3); then
    call ``done`` in the GUI thread. A journal that cannot be read gives an unchecked result,
    never an empty one."""
    if journal is None:
        done(EarlierLaunches(checked=False))
        return
    since = datetime.now(UTC) - timedelta(minutes=window_minutes)

    def failed(error: BaseException) -> None:
        log.warning("repeat guard: the launch journal could not be searched: %s", error)
        done(EarlierLaunches(checked=False))

    runner.submit(
        lambda: journal.earlier_launches(job_id, server, since),
        "check earlier launches",
        lambda records: done(EarlierLaunches(tuple(records))),
        failed,
    )


def _outcome_in_words(record: LaunchRecord) -> str:
    words = {
        Outcome.OK: translate("Confirm", "started"),
        Outcome.STARTED_UNVERIFIABLE: translate("Confirm", "started, without a valid runtime id"),
        Outcome.PENDING: translate("Confirm", "no answer recorded — it may have started"),
        Outcome.UNKNOWN: translate("Confirm", "outcome unknown — it may have started"),
    }.get(record.outcome) or outcome_title(record.outcome)
    if record.mode is LaunchMode.EXERCISE:
        words += translate("Confirm", " (exercise)")
    return words


def _earlier_line(record: LaunchRecord, now: datetime) -> str:
    runtime = (
        fill(translate("Confirm", "runtime id %1"), str(record.runtime_id))  # exact digits (F1)
        if record.runtime_id is not None
        else translate("Confirm", "no runtime id")
    )
    ago = max(0.0, (now - record.attempted_at).total_seconds())
    return fill(
        translate("Confirm", "• %1 (%2 ago): %3, %4, by %5"),
        clock_text(record.attempted_at, now),
        span_text(ago),
        _outcome_in_words(record),
        runtime,
        plain(record.user, one_line=True, limit=HEADING_NAME_LIMIT),
    )


def repeat_warning(earlier: EarlierLaunches, now: datetime) -> str:
    """The repeat guard's words: when, the runtime id and the outcome of each earlier launch,
    or that the journal could not be checked."""
    if not earlier.checked:
        return translate(
            "Confirm",
            "The launch journal could not be read, so it cannot be checked whether this job "
            "was started from this computer a moment ago. Make sure it was not before you "
            "start it again.",
        )
    unsettled = any(not record.outcome_known for record in earlier.records)
    lines = [
        translate("Confirm", "This job may already have started from this computer:")
        if unsettled
        else translate("Confirm", "This job was already started from this computer:")
    ]
    lines.extend(_earlier_line(record, now) for record in earlier.records[:SHOWN_EARLIER])
    more = len(earlier.records) - SHOWN_EARLIER
    if more > 0:
        lines.append(fill(translate("Confirm", "… and %1 more."), str(more)))
    lines.append(
        translate(
            "Confirm",
            "Check the Dispatch dashboard or the monitor first: starting it again may send "
            "every message twice.",
        )
        if unsettled
        else translate("Confirm", "Starting it again sends every message again.")
    )
    return "\n".join(lines)


# -- the dialog -------------------------------------------------------------------------------

_MODE_WORDS = {
    LaunchMode.LIVE: QT_TRANSLATE_NOOP("Confirm", "LIVE"),
    LaunchMode.DEMO: QT_TRANSLATE_NOOP("Confirm", "DEMO"),
    LaunchMode.EXERCISE: QT_TRANSLATE_NOOP("Confirm", "EXERCISE"),
}


class ConfirmLaunchDialog(QDialog):
    """Shows the launch in words; ``exec()`` returns Accepted only on the confirm button.

    ``mode`` defaults to DEMO or LIVE by ``demo``; ``earlier`` is what the repeat guard found
    (``None``: not asked); ``unknown_tags`` are the tag types and values the form has not seen
    before; ``now`` is for tests."""

    def __init__(
        self,
        job: SavedJob,
        request: StartJobRequest,
        generic_type: GenericType | None,
        *,
        server: str,
        demo: bool,
        mode: LaunchMode | None = None,
        exercise: bool = False,
        earlier: EarlierLaunches | None = None,
        unknown_tags: list[str] | None = None,
        now: datetime | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        now = now or datetime.now(UTC)
        mode = mode or (LaunchMode.DEMO if demo else LaunchMode.LIVE)
        self.setWindowTitle(window_title(translate("Confirm", "Confirm launch"), demo))
        self.setModal(True)
        layout = QVBoxLayout(self)
        if demo:
            layout.addWidget(demo_banner(self))
        if exercise or mode is LaunchMode.EXERCISE:  # a demo of an exercise shows both
            layout.addWidget(exercise_banner(self))
        self.start_again: QCheckBox | None = None
        if earlier is not None and earlier.blocking:
            self._add_repeat_guard(layout, earlier, now)
        self._add_heading(layout, job, request, server, mode, now)
        self._add_recipients(layout, request, generic_type, unknown_tags or [])
        self.summary = QTextBrowser(self)
        self.summary.setAccessibleName(translate("Confirm", "Launch summary"))
        self.summary.setHtml(_summary_html(launch_summary(job, request, generic_type), demo))
        self.summary.setMinimumSize(560, 280)
        layout.addWidget(self.summary, 1)
        layout.addLayout(self._buttons(request.scheduledstart, now))
        self.back_button.setFocus()

    def _add_repeat_guard(
        self, layout: QVBoxLayout, earlier: EarlierLaunches, now: datetime
    ) -> None:
        self.repeat_warning = _wrapping_label(repeat_warning(earlier, now), self)
        self.repeat_warning.setAccessibleName(translate("Confirm", "Earlier launches"))
        self.repeat_warning.setStyleSheet(f"PlainLabel {{ {_WARNING_CSS} }}")
        self.start_again = QCheckBox(translate("Confirm", "Start it again"), self)
        self.start_again.setAccessibleName(translate("Confirm", "Start it again"))
        layout.addWidget(self.repeat_warning)
        layout.addWidget(self.start_again)

    def _add_heading(
        self,
        layout: QVBoxLayout,
        job: SavedJob,
        request: StartJobRequest,
        server: str,
        mode: LaunchMode,
        now: datetime,
    ) -> None:
        # Plain text: the job name and the address come from outside and must not be able to
        # restyle the question or hide the address. The address starts a line of its own, and
        # a long name is cut (the summary shows it whole) and never widens the dialog.
        self.heading = _wrapping_label(
            fill(
                translate("Confirm", "Start “%1” — %2\non %3?"),
                plain(job.name, one_line=True, limit=HEADING_NAME_LIMIT),
                translate("Confirm", _MODE_WORDS[mode]),
                plain(server, one_line=True),
            ),
            self,
        )
        self.heading.setAccessibleName(translate("Confirm", "Launch heading"))
        self.heading.setStyleSheet(
            f"PlainLabel {{ font-size: 14pt; font-weight: bold; padding: 6px; "
            f"{colors.CONFIRMATION[mode.value].css()} }}"
        )
        self.when = PlainLabel(
            fill(translate("Confirm", "When: %1"), when_text(request.scheduledstart, now)), self
        )
        self.when.setAccessibleName(translate("Confirm", "When"))
        self.when.setStyleSheet("font-size: 12pt; font-weight: bold;")
        layout.addWidget(self.heading)
        layout.addWidget(self.when)

    def _add_recipients(
        self,
        layout: QVBoxLayout,
        request: StartJobRequest,
        generic_type: GenericType | None,
        unknown_tags: list[str],
    ) -> None:
        self.recipients = _wrapping_label(recipients_line(request, generic_type), self)
        self.recipients.setAccessibleName(translate("Confirm", "Recipients"))
        self.recipients.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.recipients)
        self.unknown_tags: PlainLabel | None = None
        if unknown_tags:
            self.unknown_tags = _wrapping_label(
                fill(
                    translate("Confirm", "Not seen in earlier launches — check the spelling: %1"),
                    _names([plain(tag, one_line=True) for tag in unknown_tags]),
                ),
                self,
            )
            self.unknown_tags.setAccessibleName(translate("Confirm", "Tags not seen before"))
            self.unknown_tags.setStyleSheet(f"PlainLabel {{ {_WARNING_CSS} }}")
            layout.addWidget(self.unknown_tags)

    def _buttons(self, scheduled: datetime | None, now: datetime) -> QHBoxLayout:
        self.back_button = QPushButton(translate("Confirm", "Go back"), self)
        self.back_button.setAccessibleName(translate("Confirm", "Go back"))
        self.back_button.setDefault(True)
        self.back_button.clicked.connect(self.reject)
        self.confirm_button = QPushButton(confirm_text(scheduled, now), self)
        self.confirm_button.setAccessibleName(translate("Confirm", "Confirm start job"))
        self.confirm_button.setAutoDefault(False)
        self.confirm_button.setDefault(False)
        armed, disarmed = colors.CONFIRMATION["confirm"], colors.CONFIRMATION["confirm disabled"]
        self.confirm_button.setStyleSheet(
            f"QPushButton {{ {armed.css()} padding: 4px 12px; }}"
            f"QPushButton:disabled {{ {disarmed.css()} }}"
        )
        self.confirm_button.clicked.connect(self.accept)
        if self.start_again is not None:
            self.start_again.toggled.connect(self.update_confirm)
        self.update_confirm()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.confirm_button)
        return buttons

    def may_confirm(self) -> bool:
        """Whether the confirm button may be enabled: a guarded launch needs its tick (a
        subclass may add conditions, e.g. a second person's PIN)."""
        return self.start_again is None or self.start_again.isChecked()

    def update_confirm(self) -> None:
        """Enable the confirm button exactly when :meth:`may_confirm`."""
        self.confirm_button.setEnabled(self.may_confirm())

    def accept(self) -> None:
        # Only through an enabled confirm button: a guarded launch needs its tick.
        if self.confirm_button.isEnabled():
            super().accept()


def _wrapping_label(text: str, parent: QWidget) -> PlainLabel:
    """A plain-text label that wraps within the dialog; a long word never widens it."""
    label = PlainLabel(text, parent)
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


DEMO_NOTE = QT_TRANSLATE_NOOP(
    "Confirm",
    "Demo mode: the built-in demo server simulates the callout; no message reaches anyone.",
)


def _summary_html(rows: list[tuple[str, str]], demo: bool) -> str:
    body = "".join(
        f"<tr><td style='padding-right:12px'><b>{escaped(label)}</b></td>"
        f"<td>{escaped(text)}</td></tr>"
        for label, text in rows
    )
    shown = (*NOTES[:-1], DEMO_NOTE) if demo else NOTES
    notes = "".join(f"<li>{escaped(translate('Confirm', note))}</li>" for note in shown)
    heading = escaped(translate("Confirm", "Please note"))
    return f"<table>{body}</table><p><b>{heading}</b></p><ul>{notes}</ul>"
