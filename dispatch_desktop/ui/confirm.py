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
from dispatch_desktop.ui.common import (
    HEADING_NAME_LIMIT,
    PlainLabel,
    demo_banner,
    escaped,
    exercise_banner,
    plain,
    tr,
    window_title,
)
from dispatch_desktop.ui.launch_panel import outcome_title
from dispatch_desktop.ui.workers import TaskRunner

log = logging.getLogger(__name__)

# -- colours ----------------------------------------------------------------------------------

COLOURS: dict[str, tuple[str, str]] = {
    "live": ("#ffffff", "#b71c1c"),
    "demo": ("#000000", "#ffd54f"),
    "exercise": ("#000000", "#ffd600"),
    "confirm": ("#ffffff", "#c62828"),
    "confirm disabled": ("#424242", "#e0e0e0"),
    "warning": ("#000000", "#fff3e0"),
}
"""Every text colour of the confirmation on its background, as (text, background): each pair
has at least the contrast WCAG AA asks of normal text (see :func:`contrast_ratio`)."""
WARNING_BORDER = "#e65100"
AA_CONTRAST = 4.5


def _luminance(colour: str) -> float:
    """The relative luminance of ``#rrggbb`` (WCAG 2)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(text: str, background: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours, from 1 to 21."""
    lighter, darker = sorted((_luminance(text), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _colours_css(name: str) -> str:
    text, background = COLOURS[name]
    return f"color: {text}; background: {background};"


_WARNING_CSS = f"{_colours_css('warning')} border: 2px solid {WARNING_BORDER}; padding: 6px;"

# -- times in words ---------------------------------------------------------------------------


def clock_text(moment: datetime, now: datetime) -> str:
    """``moment`` in local time: "10:04" today, else with its day."""
    local = moment.astimezone()
    if local.date() == now.astimezone().date():
        return local.strftime("%H:%M")
    return local.strftime("%a %Y-%m-%d %H:%M")


def span_text(seconds: float) -> str:
    """A time span in words: "58 min", "2 h 5 min", "3 days"."""
    minutes = round(seconds / 60)
    if minutes < 1:
        return tr("less than a minute")
    if minutes < 60:
        return tr("%1 min").replace("%1", str(minutes))
    hours, rest = divmod(minutes, 60)
    if hours >= 48:
        return tr("%1 days").replace("%1", str(hours // 24))
    if rest == 0:
        return tr("%1 h").replace("%1", str(hours))
    return tr("%1 h %2 min").replace("%1", str(hours)).replace("%2", str(rest))


def when_text(scheduled: datetime | None, now: datetime) -> str:
    """When the job starts: "now", or "at 10:04 (in 58 min)" in local time."""
    if scheduled is None:
        return tr("now")
    seconds = max(0.0, (scheduled - now).total_seconds())
    return (
        tr("at %1 (in %2)")
        .replace("%1", clock_text(scheduled, now))
        .replace("%2", span_text(seconds))
    )


def confirm_text(scheduled: datetime | None, now: datetime) -> str:
    """The confirm button's words: "Start now" or "Schedule for 10:04"."""
    if scheduled is None:
        return tr("Start &now")
    return tr("&Schedule for %1").replace("%1", clock_text(scheduled, now))


def _names(values: list[str] | None) -> str:
    return ", ".join(f"“{v}”" for v in values or [])


def _filter_in_words(value: TagFilter | str | None) -> str:
    if value is None:
        return ""
    tag_filter = TagFilter.coerce(value)
    parts = [
        tr("%1 is %2").replace("%1", p.tagtype).replace("%2", tr(" or ").join(p.values))
        for p in tag_filter.parts
    ]
    return tr(" and ").join(parts) + f"  ({tag_filter})"


def _when_in_words(when: datetime | None) -> str:
    if when is None:
        return tr("Now — messages go out as soon as the server has resolved the recipients.")
    local = when.astimezone()
    utc = when.astimezone(UTC)
    return (
        tr("At %1 local time (%2 UTC)")
        .replace("%1", local.strftime("%a %Y-%m-%d %H:%M %Z"))
        .replace("%2", utc.strftime("%Y-%m-%d %H:%M"))
    )


def launch_summary(
    job: SavedJob, request: StartJobRequest, generic_type: GenericType | None
) -> list[tuple[str, str]]:
    """The launch as (label, text) rows: job, name, message, recipients, goal, start."""
    generic = generic_type.value if generic_type else tr("unknown")
    rows = [
        (tr("Saved job"), f"{job.name} — id {job.id}, type {job.type} ({generic})"),
        (tr("Job name"), request.jobname or tr("“%1” (unchanged)").replace("%1", job.name)),
        (tr("Message"), request.message or tr("The saved job's message (unchanged)")),
    ]
    if request.assignedmessage:
        rows.append((tr("Assigned message"), request.assignedmessage))
    rows.extend(_recipient_rows(request, generic_type))
    goal = request.responsegoal
    rows.append(
        (
            tr("Response goal"),
            tr("%1 confirmed responders").replace("%1", str(goal))
            if goal
            else tr("As saved in the job"),
        )
    )
    rows.append((tr("Start"), _when_in_words(request.scheduledstart)))
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
        return tr("The saved job's own recipients are used, unchanged.")
    if request.tokeep and generic_type is not GenericType.GMA:
        return tr("The saved job's own recipients are kept, and these are added.")
    return tr("The saved job's own recipients are replaced by these.")


def _json_filter(value: TagFilter | list[dict[str, object]] | None) -> TagFilter | None:
    if value is None or isinstance(value, TagFilter):
        return value
    return TagFilter.from_json(value)


def _recipient_rows(
    request: StartJobRequest, generic_type: GenericType | None
) -> list[tuple[str, str]]:
    added = [
        (tr("Phone numbers"), ", ".join(request.tonumbers or [])),
        (tr("Tag filter"), _filter_in_words(request.toaddressbookcustomtagfilter)),
        (tr("Tag filter"), _filter_in_words(_json_filter(request.toaddressbooktagfilterjson))),
        (tr("Saved tag filters"), _names(request.toaddressbooksavedtagfilters)),
        (tr("Groups"), _names(request.toaddressbookgroups)),
    ]
    rows = [(tr("Recipients"), recipients_line(request, generic_type))]
    rows.extend((tr("  + %1").replace("%1", label), text) for label, text in added if text)
    excluded = [
        (tr("Phone numbers"), ", ".join(request.excludenumbers or [])),
        (tr("Tag filter"), _filter_in_words(request.excludecustomtagfilter)),
        (tr("Tag filter"), _filter_in_words(_json_filter(request.excludetagfilterjson))),
    ]
    rows.extend(
        (tr("  − excluded %1").replace("%1", label.lower()), text)
        for label, text in excluded
        if text
    )
    return rows


NOTES = (
    "Recipients from tag filters and groups are looked up in the address book now, when the "
    "job is started; later changes to the address book do not change who gets the message.",
    "The settings of the job type are read when the job starts; they are not saved with the job.",
    "Starting sends real messages to real people and cannot be undone. A start whose answer "
    "is lost may still have happened: never start again before checking.",
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
        Outcome.OK: tr("started"),
        Outcome.STARTED_UNVERIFIABLE: tr("started, without a valid runtime id"),
        Outcome.PENDING: tr("no answer recorded — it may have started"),
        Outcome.UNKNOWN: tr("outcome unknown — it may have started"),
    }.get(record.outcome) or outcome_title(record.outcome)
    if record.mode is LaunchMode.EXERCISE:
        words += tr(" (exercise)")
    return words


def _earlier_line(record: LaunchRecord, now: datetime) -> str:
    runtime = (
        tr("runtime id %1").replace("%1", str(record.runtime_id))  # exact digits (F1)
        if record.runtime_id is not None
        else tr("no runtime id")
    )
    ago = max(0.0, (now - record.attempted_at).total_seconds())
    return (
        tr("• %1 (%2 ago): %3, %4, by %5")
        .replace("%1", clock_text(record.attempted_at, now))
        .replace("%2", span_text(ago))
        .replace("%3", _outcome_in_words(record))
        .replace("%4", runtime)
        .replace("%5", plain(record.user, one_line=True, limit=HEADING_NAME_LIMIT))
    )


def repeat_warning(earlier: EarlierLaunches, now: datetime) -> str:
    """The repeat guard's words: when, the runtime id and the outcome of each earlier launch,
    or that the journal could not be checked."""
    if not earlier.checked:
        return tr(
            "The launch journal could not be read, so it cannot be checked whether this job "
            "was started from this computer a moment ago. Make sure it was not before you "
            "start it again."
        )
    unsettled = any(not record.outcome_known for record in earlier.records)
    lines = [
        tr("This job may already have started from this computer:")
        if unsettled
        else tr("This job was already started from this computer:")
    ]
    lines.extend(_earlier_line(record, now) for record in earlier.records[:SHOWN_EARLIER])
    more = len(earlier.records) - SHOWN_EARLIER
    if more > 0:
        lines.append(tr("… and %1 more.").replace("%1", str(more)))
    lines.append(
        tr(
            "Check the Dispatch dashboard or the monitor first: starting it again may send "
            "every message twice."
        )
        if unsettled
        else tr("Starting it again sends every message again.")
    )
    return "\n".join(lines)


# -- the dialog -------------------------------------------------------------------------------

_MODE_WORDS = {LaunchMode.LIVE: "LIVE", LaunchMode.DEMO: "DEMO", LaunchMode.EXERCISE: "EXERCISE"}


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
        self.setWindowTitle(window_title(self.tr("Confirm launch"), demo))
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
        self.summary.setAccessibleName(self.tr("Launch summary"))
        self.summary.setHtml(_summary_html(launch_summary(job, request, generic_type), demo))
        self.summary.setMinimumSize(560, 280)
        layout.addWidget(self.summary, 1)
        layout.addLayout(self._buttons(request.scheduledstart, now))
        self.back_button.setFocus()

    def _add_repeat_guard(
        self, layout: QVBoxLayout, earlier: EarlierLaunches, now: datetime
    ) -> None:
        self.repeat_warning = _wrapping_label(repeat_warning(earlier, now), self)
        self.repeat_warning.setAccessibleName(self.tr("Earlier launches"))
        self.repeat_warning.setStyleSheet(f"PlainLabel {{ {_WARNING_CSS} }}")
        self.start_again = QCheckBox(self.tr("Start it again"), self)
        self.start_again.setAccessibleName(self.tr("Start it again"))
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
            self.tr("Start “%1” — %2\non %3?")
            .replace("%1", plain(job.name, one_line=True, limit=HEADING_NAME_LIMIT))
            .replace("%2", self.tr(_MODE_WORDS[mode]))
            .replace("%3", plain(server, one_line=True)),
            self,
        )
        self.heading.setAccessibleName(self.tr("Launch heading"))
        self.heading.setStyleSheet(
            f"PlainLabel {{ font-size: 14pt; font-weight: bold; padding: 6px; "
            f"{_colours_css(mode.value)} }}"
        )
        self.when = PlainLabel(
            self.tr("When: %1").replace("%1", when_text(request.scheduledstart, now)), self
        )
        self.when.setAccessibleName(self.tr("When"))
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
        self.recipients.setAccessibleName(self.tr("Recipients"))
        self.recipients.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.recipients)
        self.unknown_tags: PlainLabel | None = None
        if unknown_tags:
            self.unknown_tags = _wrapping_label(
                self.tr("Not seen in earlier launches — check the spelling: %1").replace(
                    "%1", _names([plain(tag, one_line=True) for tag in unknown_tags])
                ),
                self,
            )
            self.unknown_tags.setAccessibleName(self.tr("Tags not seen before"))
            self.unknown_tags.setStyleSheet(f"PlainLabel {{ {_WARNING_CSS} }}")
            layout.addWidget(self.unknown_tags)

    def _buttons(self, scheduled: datetime | None, now: datetime) -> QHBoxLayout:
        self.back_button = QPushButton(self.tr("Go back"), self)
        self.back_button.setAccessibleName(self.tr("Go back"))
        self.back_button.setDefault(True)
        self.back_button.clicked.connect(self.reject)
        self.confirm_button = QPushButton(confirm_text(scheduled, now), self)
        self.confirm_button.setAccessibleName(self.tr("Confirm start job"))
        self.confirm_button.setAutoDefault(False)
        self.confirm_button.setDefault(False)
        text, background = COLOURS["confirm"]
        off_text, off_background = COLOURS["confirm disabled"]
        self.confirm_button.setStyleSheet(
            f"QPushButton {{ background: {background}; color: {text}; padding: 4px 12px; }}"
            f"QPushButton:disabled {{ background: {off_background}; color: {off_text}; }}"
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


DEMO_NOTE = "Demo mode: the built-in demo server simulates the callout; no message reaches anyone."


def _summary_html(rows: list[tuple[str, str]], demo: bool) -> str:
    body = "".join(
        f"<tr><td style='padding-right:12px'><b>{escaped(label)}</b></td>"
        f"<td>{escaped(text)}</td></tr>"
        for label, text in rows
    )
    shown = (*NOTES[:-1], DEMO_NOTE) if demo else NOTES
    notes = "".join(f"<li>{escaped(tr(note))}</li>" for note in shown)
    return f"<table>{body}</table><p><b>{escaped(tr('Please note'))}</b></p><ul>{notes}</ul>"
