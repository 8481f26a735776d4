"""The tray icon: how many monitored jobs are active, and a message when a job gets an
assignment, reaches its response goal or finishes (turned off with :meth:`set_enabled`).

The count changes with every job that starts or ends, and a page of jobs read from the stores
changes it at once by hundreds: the icon is painted once per count and handed to the system
tray at most every :data:`UPDATE_MS` (painting and handing over cost milliseconds each).

Where there is no system tray (the offscreen platform of the tests, some Linux desktops), the
notifier still counts and still makes its notifications: they are kept in
:attr:`TrayNotifier.sent` and emitted as ``notified``, so the window can show them elsewhere.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRectF, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QSystemTrayIcon

from dispatch_desktop.monitor import JobState, JobView
from dispatch_desktop.ui import colors
from dispatch_desktop.ui.common import APP_NAME, HEADING_NAME_LIMIT, PLURAL, fill, plain, translate
from dispatch_desktop.ui.monitor_panel import job_label

ICON_SIZE = 64
MAX_SENT = 500
"""Notifications kept in :attr:`TrayNotifier.sent`; older ones are dropped."""
ASSIGNMENT_QUIET_SECONDS = 3.0
"""Least time between two assignment messages in the tray: at hundreds of callbacks per second a
bubble per assignment would bury the ones that matter (goal reached, finished)."""
MESSAGE_MILLISECONDS = 10_000
UPDATE_MS = 250
"""Least time between two changes of the tray's icon and tooltip: changes in between are
coalesced into the last."""
# Look-alikes for the characters a notification server reads as markup.
_MARKUP_LOOKALIKES = str.maketrans({"<": "\u2039", ">": "\u203a", "&": "\uff06"})


class NotificationKind(enum.StrEnum):
    """What a notification reports; in rising order of importance."""

    ASSIGNED = "assigned"
    GOAL_REACHED = "goal_reached"
    FINISHED = "finished"


@dataclass(frozen=True)
class Notification:
    """One notification made for one transition of one job."""

    kind: NotificationKind
    jobid: int
    title: str
    text: str


def count_icon(count: int) -> QIcon:
    """A round icon with ``count`` on it ("99+" above 99), grey and blank at 0."""
    text = str(count) if count < 100 else "99+"
    pixmap = QPixmap(ICON_SIZE, ICON_SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        surface = colors.TRAY_ACTIVE if count else colors.TRAY_IDLE
        painter.setBrush(QColor(surface.background))
        painter.drawEllipse(2, 2, ICON_SIZE - 4, ICON_SIZE - 4)
        if count:
            font = QFont()
            font.setBold(True)
            font.setPixelSize(ICON_SIZE // 2 if len(text) < 3 else ICON_SIZE // 3)
            painter.setFont(font)
            painter.setPen(QColor(surface.text))
            area = QRectF(0, 0, ICON_SIZE, ICON_SIZE)
            painter.drawText(area, int(Qt.AlignmentFlag.AlignCenter), text)
    finally:
        painter.end()
    return QIcon(pixmap)


def bubble_text(text: str) -> str:
    """``text`` for a desktop notification, where it reads as it is. Linux notification
    servers may read the body as markup (and Qt cannot ask whether this one does): escaping
    would show "&lt;" where they do not, so the markup characters become look-alikes."""
    return plain(text).translate(_MARKUP_LOOKALIKES)


def transitions(job: JobView, previous: JobView | None) -> list[Notification]:
    """The notifications ``job`` deserves since ``previous`` (``None``: first seen): one per
    kind of change, so a job reaching its goal is announced once, not per assignment."""
    title = plain(job_label(job), one_line=True, limit=HEADING_NAME_LIMIT)  # EXERCISE marked
    found: list[Notification] = []
    new = job.assigned - (previous.assigned if previous is not None else 0)
    if new > 0:
        found.append(Notification(NotificationKind.ASSIGNED, job.jobid, title, _assigned(job, new)))
    if job.goal_reached and not (previous is not None and previous.goal_reached):
        text = translate("Tray", "Response goal reached: %1 of %2 assigned.")
        text = fill(text, str(job.assigned), str(job.goal))
        found.append(Notification(NotificationKind.GOAL_REACHED, job.jobid, title, text))
    if job.state is JobState.FINISHED and (previous is None or previous.active):
        text = fill(translate("Tray", "Finished with %1 assigned."), str(job.assigned))
        found.append(Notification(NotificationKind.FINISHED, job.jobid, title, text))
    return found


def _assigned(job: JobView, new: int) -> str:
    if new == 1 and job.last_recipient:
        recipient = plain(job.last_recipient, one_line=True, limit=HEADING_NAME_LIMIT)
        text = fill(translate("Tray", "%1 accepted."), recipient)
    else:
        text = translate("Tray", "%n new assignment(s).", None, PLURAL, new)
    if job.goal is None:
        return text
    progress = fill(translate("Tray", "%1 of %2 assigned."), job.assigned, job.goal)
    return f"{text} {progress}"


class TrayNotifier(QObject):
    """The tray icon and its messages.

    Signals: ``notified(Notification)`` for every notification made (also without a tray);
    ``job_clicked(int)`` with the runtime id of a message the user clicked (as ``object``,
    so the id stays exact: F1); ``show_requested()`` when the icon is clicked."""

    notified = Signal(object)
    job_clicked = Signal(object)
    show_requested = Signal()

    def __init__(self, parent: QObject | None = None, *, enabled: bool = True) -> None:
        super().__init__(parent)
        self.sent: list[Notification] = []
        self._enabled = enabled
        self._active = 0
        self._tooltip = ""
        self._icons: dict[int, QIcon] = {}  # by count (up to 100: "99+"), painted once
        self._shown_jobid: int | None = None
        self._last_assignment_message = -ASSIGNMENT_QUIET_SECONDS
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(self)
            self.tray.messageClicked.connect(self._on_message_clicked)
            self.tray.activated.connect(self._on_activated)
        self._update_timer = QTimer(self)
        self._update_timer.setSingleShot(True)
        self._update_timer.setInterval(UPDATE_MS)
        self._update_timer.timeout.connect(self._update_tray)
        self.set_active_count(0)
        if self.tray is not None:
            self._update_tray()
            self.tray.show()

    @property
    def enabled(self) -> bool:
        """Whether notifications are made; the count is kept either way."""
        return self._enabled

    def set_enabled(self, enabled: bool) -> None:
        """Turn notifications on or off."""
        self._enabled = enabled

    @property
    def active_count(self) -> int:
        """The number of active (not finished) jobs shown."""
        return self._active

    def tooltip(self) -> str:
        """The tooltip text, also kept without a tray."""
        return self._tooltip

    def icon(self) -> QIcon:
        """The icon with the count, also kept without a tray."""
        key = min(self._active, 100)
        icon = self._icons.get(key)
        if icon is None:
            icon = self._icons[key] = count_icon(key)
        return icon

    @Slot(int)
    def set_active_count(self, count: int) -> None:
        """Show ``count`` active jobs in the tooltip and on the icon (the tray's within
        :data:`UPDATE_MS`, once for every change meanwhile)."""
        if count == self._active and self._tooltip:
            return
        self._active = count
        active = (
            translate("Tray", "%n active job(s)", None, PLURAL, count)
            if count
            else translate("Tray", "No active jobs")
        )
        self._tooltip = f"{APP_NAME}\n{active}"
        if self.tray is not None and not self._update_timer.isActive():
            self._update_timer.start()

    @Slot()
    def _update_tray(self) -> None:
        if self.tray is not None:
            self.tray.setIcon(self.icon())
            self.tray.setToolTip(self._tooltip)

    @Slot(object, object)
    def notify(self, job: JobView, previous: JobView | None) -> list[Notification]:
        """Make the notifications for ``job``'s change since ``previous``; returns them (none
        when turned off). The tray shows the most important one, and assignment messages at
        most every :data:`ASSIGNMENT_QUIET_SECONDS`."""
        if not self._enabled:
            return []
        made = transitions(job, previous)
        for notification in made:
            self._record(notification)
        if made:
            self._show(made[-1])
        return made

    def _record(self, notification: Notification) -> None:
        self.sent.append(notification)
        del self.sent[:-MAX_SENT]
        self.notified.emit(notification)

    def _show(self, notification: Notification) -> None:
        if self.tray is None:
            return
        if notification.kind is NotificationKind.ASSIGNED:
            now = time.monotonic()
            if now - self._last_assignment_message < ASSIGNMENT_QUIET_SECONDS:
                return
            self._last_assignment_message = now
        self._shown_jobid = notification.jobid
        self.tray.showMessage(
            bubble_text(notification.title),
            bubble_text(notification.text),
            QSystemTrayIcon.MessageIcon.Information,
            MESSAGE_MILLISECONDS,
        )

    @Slot()
    def _on_message_clicked(self) -> None:
        if self._shown_jobid is not None:
            self.job_clicked.emit(self._shown_jobid)

    @Slot(QSystemTrayIcon.ActivationReason)
    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.show_requested.emit()
