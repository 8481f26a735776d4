"""The ``--gui`` part of ``bench/events.py``: the monitor panel fed by the receiver, offscreen.

Imported only with ``--gui``, so that the benchmark and its sender processes need no Qt
otherwise. The receiver's listener hands each event to an
:class:`~dispatch_desktop.ui.monitor_panel.EventBridge`, which carries it to the GUI thread and
on to :meth:`MonitorPanel.add_events <dispatch_desktop.ui.monitor_panel.MonitorPanel.add_events>`,
as the desktop app wires them; :class:`ModelWatch` notes when each event has reached the panel's
model (its ``model_updated`` signal, emitted after each flush).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from typing import TypeVar

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt is imported: no window on any screen

from PySide6.QtCore import (
    QEventLoop,
    QMessageLogContext,
    QObject,
    Qt,
    QtMsgType,
    Signal,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication

from dispatch_desktop.events import StoredEvent
from dispatch_desktop.monitor import JobMonitor
from dispatch_desktop.ui.monitor_panel import EventBridge, MonitorPanel

T = TypeVar("T")
PANEL_SIZE = (1000, 700)


def _print_qt_message(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's messages to stderr, but for the offscreen platform's note on every shown window."""
    if "propagateSizeHints" not in message:
        sys.stderr.write(message + "\n")


def application() -> QApplication:
    """The QApplication (offscreen), created on the first call; call it on the main thread."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    qInstallMessageHandler(_print_qt_message)
    return QApplication(["bench-events"])


class _Finished(QObject):
    """Tells the GUI thread that the worker is done."""

    finished = Signal()


def run_with_event_loop(function: Callable[[], T]) -> T:
    """Call ``function`` on a worker thread while this (the GUI) thread runs a Qt event loop,
    so that queued signals (the bridge's) are delivered; its result, or its exception."""
    done = _Finished()
    loop = QEventLoop()
    # Queued: emitted on the worker, handled by this thread's loop, even if emitted before
    # the loop runs.
    done.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
    outcome: list[T] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            outcome.append(function())
        except BaseException as exc:
            failure.append(exc)
        finally:
            done.finished.emit()

    worker = threading.Thread(target=work, name="bench-load", daemon=True)
    worker.start()
    loop.exec()
    worker.join()
    if failure:
        raise failure[0]
    return outcome[0]


class ModelWatch:
    """A shown :class:`MonitorPanel` on a new :class:`JobMonitor`, fed through an
    :class:`EventBridge`; notes when each event reached the panel's model.

    Create it on the GUI thread. ``number_of`` turns a timeline entry's ``contactid`` into the
    benchmark's event number; ``jobid`` is the job every event belongs to."""

    def __init__(self, jobid: int, number_of: Callable[[int], int]) -> None:
        self._jobid = jobid
        self._number_of = number_of
        self._seen = 0
        self._times: dict[int, int] = {}
        self.panel = MonitorPanel(JobMonitor())
        self.panel.resize(*PANEL_SIZE)
        self.bridge = EventBridge(self.panel)
        self.bridge.events_received.connect(self.panel.add_events)
        self.panel.model_updated.connect(self._on_model_updated)
        self.panel.show()

    def deliver(self, event: StoredEvent) -> None:
        """The receiver's listener (any thread): hand ``event`` to the panel."""
        self.bridge.deliver(event)

    def _on_model_updated(self, _cursor: int) -> None:
        # After a flush, the job's timeline ends with the entries it has just applied.
        now = time.perf_counter_ns()
        monitor = self.panel.monitor
        view = None if monitor is None else monitor.job(self._jobid)
        if view is None:
            return
        for entry in view.timeline[self._seen :]:
            if entry.contactid is not None:
                self._times[self._number_of(entry.contactid)] = now
        self._seen = len(view.timeline)

    def count(self) -> int:
        """How many events reached the model so far (any thread)."""
        return len(self._times)

    def updates(self) -> dict[int, int]:
        """Event number → ns when the model had it."""
        return dict(self._times)

    def close(self) -> None:
        """Hide and delete the panel (GUI thread)."""
        self.panel.close()
        self.panel.deleteLater()
