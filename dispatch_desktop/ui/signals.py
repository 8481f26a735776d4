"""SIGTERM and SIGINT close the app the way closing its window does.

Python runs a signal handler only when the main thread executes Python code, which it does not
while Qt's event loop sleeps in C++: a handler alone would run at the next mouse move, or never.
So the signal's number is also written to a socket pair (:func:`signal.set_wakeup_fd`), and a
:class:`QSocketNotifier` on the other end wakes the event loop, which reports the signal.
"""

from __future__ import annotations

import logging
import signal
import socket
from collections.abc import Callable, Iterable
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier, Signal, Slot

log = logging.getLogger(__name__)

CLOSING_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def _ignore(signum: int, frame: FrameType | None) -> None:
    """The Python-level handler: the wake-up byte does the work (in :meth:`_drain`)."""


class SignalWatcher(QObject):
    """Reports ``signals`` as ``received(signum)`` from the event loop, promptly.

    Create it in the main thread; :meth:`uninstall` gives the signals back to the handlers they
    had before.
    """

    received = Signal(int)

    def __init__(
        self, signals: Iterable[signal.Signals] = CLOSING_SIGNALS, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._signals = frozenset(signals)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._previous_handlers = {sig: signal.signal(sig, _ignore) for sig in self._signals}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    @Slot()
    def _drain(self) -> None:
        try:
            numbers = self._reader.recv(256)
        except BlockingIOError:
            return
        # Other signals with a Python handler (e.g. a test runner's alarm) write here too.
        for signum in numbers:
            if signum in self._signals:
                log.info("received %s", signal.Signals(signum).name)
                self.received.emit(signum)

    def uninstall(self) -> None:
        """Restore the previous handlers and wake-up file; stop reporting."""
        self._notifier.setEnabled(False)
        for signum, handler in self._previous_handlers.items():
            signal.signal(signum, handler)
        signal.set_wakeup_fd(self._previous_fd)
        self._reader.close()
        self._writer.close()


def close_on_signals(close: Callable[[], None], parent: QObject | None = None) -> SignalWatcher:
    """Call ``close()`` from the event loop whenever SIGTERM or SIGINT arrives."""
    watcher = SignalWatcher(parent=parent)
    watcher.received.connect(lambda _signum: close())
    return watcher
