"""The kiosk's quick-launch board: one large button per job the administrator prepared.

Each button names the job (the preset's label, else the saved job's name) and says EXERCISE
on its own line, on the exercise banner's yellow, when the preset is an exercise or the
computer sends exercises only. A job the server does not list (yet) is shown disabled, so a
missing button never goes unnoticed. The board only says which job was pressed
(``job_pressed``); the kiosk window confirms and launches it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QWidget

from dispatch_desktop.api import SavedJob
from dispatch_desktop.policy import JobPreset, Policy
from dispatch_desktop.ui.common import PlainLabel, fill, plain, translate

COLUMNS = 2
BUTTON_CSS = (
    "QPushButton {{ font-size: 22pt; font-weight: bold; padding: 24px; {colours} }}"
    "QPushButton:disabled {{ color: #424242; background: #e0e0e0; }}"
)
LIVE_COLOURS = "color: #ffffff; background: #b71c1c;"
EXERCISE_COLOURS = "color: #000000; background: #ffd600; border: 6px solid #212121;"
"""Black on the exercise banner's yellow, framed black: as the banner (ui/common.py)."""


@dataclass(frozen=True)
class BoardJob:
    """A button of the board: the preset (possibly empty) and the saved job the server
    listed (``None``: not listed)."""

    preset: JobPreset
    saved: SavedJob | None
    exercise: bool

    @property
    def label(self) -> str:
        """The button's words."""
        if self.preset.label:
            return self.preset.label
        if self.saved is not None and self.saved.name:
            return self.saved.name
        return fill(translate("KioskBoard", "Saved job %1"), str(self.preset.job_id))


def board_ids(policy: Policy, listed: Iterable[int], *, demo: bool = False) -> list[int]:
    """The saved-job ids on the board: the allowed jobs, else the prepared ones. A kiosk the
    administrator prepared nothing for shows nothing (every saved job one tap away would be
    no kiosk), except in demo mode, where it shows every listed job to try the board."""
    if policy.allowed_jobs is not None:
        return sorted(policy.allowed_jobs)
    if policy.jobs or not demo:
        return sorted(policy.jobs)
    return sorted(listed)


def board_jobs(
    policy: Policy, saved: Iterable[SavedJob], *, exercise_only: bool, demo: bool = False
) -> list[BoardJob]:
    """The board's buttons for the saved jobs the server listed, in a stable order (by their
    words, then id)."""
    listed: Mapping[int, SavedJob] = {job.id: job for job in saved}
    jobs = [
        BoardJob(
            preset=(preset := policy.jobs.get(job_id, JobPreset(job_id))),
            saved=listed.get(job_id),
            exercise=exercise_only or preset.exercise,
        )
        for job_id in board_ids(policy, listed, demo=demo)
    ]
    return sorted(jobs, key=lambda job: (job.label.casefold(), job.preset.job_id))


class KioskBoard(QWidget):
    """Large buttons, one per :class:`BoardJob`; ``job_pressed(BoardJob)``."""

    job_pressed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(translate("KioskBoard", "Jobs"))
        self._grid = QGridLayout(self)
        self._grid.setSpacing(18)
        self.buttons: dict[int, QPushButton] = {}
        self.empty = PlainLabel(
            translate("KioskBoard", "Signing in… the jobs appear once the server answers."), self
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("font-size: 18pt;")
        self._grid.addWidget(self.empty, 0, 0)

    def set_jobs(self, jobs: list[BoardJob]) -> None:
        """Show ``jobs``, replacing the buttons before."""
        for button in self.buttons.values():
            self._grid.removeWidget(button)
            button.deleteLater()
        self.buttons = {}
        self.empty.setVisible(not jobs)
        if not jobs:
            self.empty.setText(
                translate(
                    "KioskBoard", "No jobs were prepared for this kiosk; ask your administrator."
                )
            )
        for index, job in enumerate(jobs):
            button = self._button(job)
            self._grid.addWidget(button, index // COLUMNS, index % COLUMNS)
            self.buttons[job.preset.job_id] = button

    def set_enabled_jobs(self, enabled: bool) -> None:
        """Enable the buttons of listed jobs (``False``: none, e.g. while a launch runs)."""
        for button in self.buttons.values():
            button.setEnabled(enabled and bool(button.property("listed")))

    def _button(self, job: BoardJob) -> QPushButton:
        words = plain(job.label, one_line=True)
        if job.exercise:
            words = translate("KioskBoard", "EXERCISE") + "\n" + words
        if job.saved is None:
            words += "\n" + translate("KioskBoard", "(not found on the server)")
        # "&" in a name is a character, not a keyboard shortcut ("R&D alarm" is not Alt+D).
        button = QPushButton(words.replace("&", "&&"), self)
        button.setAccessibleName(plain(job.label, one_line=True))
        if job.exercise:
            button.setAccessibleDescription(translate("KioskBoard", "Exercise"))
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        button.setMinimumHeight(120)
        colours = EXERCISE_COLOURS if job.exercise else LIVE_COLOURS
        button.setStyleSheet(BUTTON_CSS.format(colours=colours))
        button.setProperty("listed", job.saved is not None)
        button.setEnabled(job.saved is not None)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False, pressed=job: self.job_pressed.emit(pressed))
        return button
