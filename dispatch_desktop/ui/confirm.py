"""The confirmation before a launch: everything that will be sent, in words.

The confirm button is not the default button: Enter alone does not launch; Escape and Enter
both go back.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dispatch_desktop.api import GenericType, SavedJob, StartJobRequest, TagFilter
from dispatch_desktop.ui.common import (
    HEADING_NAME_LIMIT,
    PlainLabel,
    demo_banner,
    escaped,
    plain,
    tr,
    window_title,
)


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
    rows.extend(_recipient_rows(request))
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


def _recipient_rows(request: StartJobRequest) -> list[tuple[str, str]]:
    added = [
        (tr("Phone numbers"), ", ".join(request.tonumbers or [])),
        (tr("Tag filter"), _filter_in_words(request.toaddressbookcustomtagfilter)),
        (tr("Saved tag filters"), _names(request.toaddressbooksavedtagfilters)),
        (tr("Groups"), _names(request.toaddressbookgroups)),
    ]
    added = [(label, text) for label, text in added if text]
    rows = []
    if not added:
        rows.append((tr("Recipients"), tr("The saved job's recipients (unchanged)")))
    else:
        how = (
            tr("Added to the saved job's recipients")
            if request.tokeep
            else tr("REPLACE the saved job's recipients")
        )
        rows.append((tr("Recipients"), how))
        rows.extend((tr("  + %1").replace("%1", label), text) for label, text in added)
    excluded = [
        (tr("Phone numbers"), ", ".join(request.excludenumbers or [])),
        (tr("Tag filter"), _filter_in_words(request.excludecustomtagfilter)),
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


class ConfirmLaunchDialog(QDialog):
    """Shows the launch in words; ``exec()`` returns Accepted only on "Start job now"."""

    def __init__(
        self,
        job: SavedJob,
        request: StartJobRequest,
        generic_type: GenericType | None,
        *,
        server: str,
        demo: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(window_title(self.tr("Confirm launch"), demo))
        self.setModal(True)
        layout = QVBoxLayout(self)
        if demo:
            layout.addWidget(demo_banner(self))
        # Plain text: the job name and the address come from outside and must not be able to
        # restyle the question or hide the address. The address starts a line of its own, and
        # a long name is cut (the summary shows it whole) and never widens the dialog.
        self.heading = PlainLabel(
            self.tr("Start “%1”\non %2?")
            .replace("%1", plain(job.name, one_line=True, limit=HEADING_NAME_LIMIT))
            .replace("%2", plain(server, one_line=True)),
            self,
        )
        self.heading.setWordWrap(True)
        self.heading.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        layout.addWidget(self.heading)
        self.summary = QTextBrowser(self)
        self.summary.setAccessibleName(self.tr("Launch summary"))
        self.summary.setHtml(_summary_html(launch_summary(job, request, generic_type), demo))
        self.summary.setMinimumSize(560, 320)
        layout.addWidget(self.summary, 1)

        self.back_button = QPushButton(self.tr("Go back"), self)
        self.back_button.setAccessibleName(self.tr("Go back"))
        self.back_button.setDefault(True)
        self.back_button.clicked.connect(self.reject)
        self.confirm_button = QPushButton(self.tr("Start job &now"), self)
        self.confirm_button.setAccessibleName(self.tr("Confirm start job"))
        self.confirm_button.setAutoDefault(False)
        self.confirm_button.setDefault(False)
        self.confirm_button.setStyleSheet("background: #c62828; color: white; padding: 4px 12px;")
        self.confirm_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.confirm_button)
        layout.addLayout(buttons)
        self.back_button.setFocus()


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
