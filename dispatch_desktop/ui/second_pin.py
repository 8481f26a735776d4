"""A second person's PIN on the confirmation of a job the administrator guards with PINs
(``pins`` of a ``[job <id>]`` section, policy.py).

The confirmation is the usual one (ui/confirm.py) with a PIN field: its confirm button stays
disabled until a PIN matching one of the job's hashes has been checked. scrypt takes about
50 ms, so the check runs off the GUI thread. After :data:`MAX_WRONG_PINS` wrong PINs in a row
the field waits :data:`LOCKOUT_SECONDS`; the count belongs to the kiosk, not to one dialog, so
closing and opening the confirmation does not reset it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout

from dispatch_desktop.policy import check_pin
from dispatch_desktop.ui.common import PlainLabel, fill, translate
from dispatch_desktop.ui.confirm import ConfirmLaunchDialog
from dispatch_desktop.ui.workers import Task, TaskRunner

MAX_WRONG_PINS = 5
LOCKOUT_SECONDS = 30


class PinAttempts:
    """Wrong PINs in a row, and the wait they impose (``clock``: for tests)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.wrong = 0
        self._locked_until = 0.0

    def seconds_locked(self) -> int:
        """Whole seconds before another PIN may be tried (0: now)."""
        return max(0, math.ceil(self._locked_until - self._clock()))

    def failed(self) -> None:
        """A wrong PIN; the fifth in a row starts the wait."""
        self.wrong += 1
        if self.wrong >= MAX_WRONG_PINS:
            self.wrong = 0
            self._locked_until = self._clock() + LOCKOUT_SECONDS

    def succeeded(self) -> None:
        """A right PIN: the count starts again."""
        self.wrong = 0


class SecondPinConfirmDialog(ConfirmLaunchDialog):
    """The confirmation with a second person's PIN; ``pins`` are the job's scrypt hashes."""

    pin_matched = False
    """Set once a PIN was checked and matched; typing again clears it."""

    def __init__(
        self,
        *args: Any,
        pins: tuple[str, ...],
        attempts: PinAttempts,
        runner: TaskRunner,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._pins = pins
        self._attempts = attempts
        self._runner = runner
        self._checking: Task | None = None
        self._build_pin_row()
        self._wait_timer = QTimer(self)
        self._wait_timer.setInterval(1_000)
        self._wait_timer.timeout.connect(self._show_wait)
        self._show_wait()

    def _build_pin_row(self) -> None:
        self.pin = QLineEdit(self)
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAccessibleName(translate("SecondPin", "Second person's PIN"))
        self.pin.textChanged.connect(self._on_pin_edited)
        self.check_button = QPushButton(translate("SecondPin", "Check PIN"), self)
        self.check_button.setAccessibleName(translate("SecondPin", "Check PIN"))
        self.check_button.setAutoDefault(False)
        self.check_button.clicked.connect(self.check)
        self.pin_status = PlainLabel(
            translate("SecondPin", "A second person must enter their PIN to confirm this launch."),
            self,
        )
        self.pin_status.setAccessibleName(translate("SecondPin", "PIN check"))
        self.pin_status.setWordWrap(True)
        self.pin_status.setStyleSheet("font-weight: bold;")
        row = QHBoxLayout()
        row.addWidget(PlainLabel(translate("SecondPin", "Second person's PIN:"), self))
        row.addWidget(self.pin, 1)
        row.addWidget(self.check_button)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        # Above the buttons, the last row.
        layout.insertWidget(layout.count() - 1, self.pin_status)
        layout.insertLayout(layout.count() - 1, row)
        self.pin.setFocus()

    def may_confirm(self) -> bool:
        return super().may_confirm() and self.pin_matched

    def _on_pin_edited(self) -> None:
        self.pin_matched = False
        self.update_confirm()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        # Enter in the PIN field checks it (the dialog's default button would go back).
        if self.pin.hasFocus() and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.check()
            return
        super().keyPressEvent(event)

    def check(self) -> None:
        """Check the PIN typed, off the GUI thread (unless waiting or checking already)."""
        pin = self.pin.text()
        if self._checking is not None or not pin or self._attempts.seconds_locked():
            return
        self.check_button.setEnabled(False)
        self.pin_status.setText(translate("SecondPin", "Checking the PIN…"))
        pins = self._pins
        self._checking = self._runner.submit(
            lambda: check_pin(pin, pins),
            "check second person's PIN",
            lambda matched: self._on_checked(pin, matched),
            lambda _error: self._on_checked(pin, False),
        )

    def done(self, result: int) -> None:
        # Closed while a PIN is checked: its answer has no dialog to go to.
        if self._checking is not None:
            self._checking.cancel()
            self._checking = None
        super().done(result)

    def _on_checked(self, pin: str, matched: bool) -> None:
        self._checking = None
        self.check_button.setEnabled(True)
        if pin != self.pin.text():
            self.pin_status.setText(translate("SecondPin", "The PIN was changed; check it again."))
            return
        if matched:
            self._attempts.succeeded()
            self.pin_matched = True
            self.pin_status.setText(
                translate("SecondPin", "PIN accepted: the launch may be confirmed.")
            )
        else:
            self._attempts.failed()
            self.pin.clear()
            self.pin_status.setText(translate("SecondPin", "Wrong PIN."))
            self._show_wait()
        self.update_confirm()

    def _show_wait(self) -> None:
        seconds = self._attempts.seconds_locked()
        locked = seconds > 0
        self.pin.setEnabled(not locked)
        self.check_button.setEnabled(not locked and self._checking is None)
        if locked:
            self.pin_status.setText(
                fill(
                    translate("SecondPin", "Too many wrong PINs: wait %1 s before trying again."),
                    str(seconds),
                )
            )
            self._wait_timer.start()
        elif self._wait_timer.isActive():
            self._wait_timer.stop()
            self.pin_status.setText(translate("SecondPin", "Enter the PIN again."))
            self.pin.setFocus()
