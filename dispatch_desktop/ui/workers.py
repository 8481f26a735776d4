"""Run blocking work (network, keyring, disk) off the GUI thread.

A :class:`Task` is a QObject living in the GUI thread; its signals are emitted from a pool
thread and therefore delivered to slots in the GUI thread through queued connections. Results
and exceptions travel as ``object`` so 64-bit ids are never squeezed through a C++ ``int``
(F1).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

# A start call may block for minutes; a pool of its own keeps sign-in, refresh and keyring
# work flowing beside it (the global pool has as many threads as cores: two here).
_POOL_SIZE = 8


class Task(QObject):
    """One piece of background work; its callbacks run in the GUI thread."""

    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(
        self,
        function: Callable[[], Any],
        description: str,
        on_success: Callable[[Any], None] | None,
        on_failure: Callable[[BaseException], None] | None,
    ) -> None:
        super().__init__()
        self.function = function
        self.description = description
        self.cancelled = False
        self._on_success = on_success
        self._on_failure = on_failure
        # Explicitly queued: the signals are emitted in a pool thread, the callbacks must run
        # in the thread this object lives in (the GUI thread).
        self.succeeded.connect(self._deliver_success, Qt.ConnectionType.QueuedConnection)
        self.failed.connect(self._deliver_failure, Qt.ConnectionType.QueuedConnection)

    def cancel(self) -> None:
        """Drop the result when it comes; the blocking call itself cannot be interrupted."""
        self.cancelled = True

    @Slot(object)
    def _deliver_success(self, result: Any) -> None:
        if not self.cancelled and self._on_success is not None:
            self._on_success(result)

    @Slot(object)
    def _deliver_failure(self, error: BaseException) -> None:
        if not self.cancelled and self._on_failure is not None:
            self._on_failure(error)


class _Runner(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self.task = task

    def run(self) -> None:
        task = self.task
        try:
            result = task.function()
        except Exception as exc:  # every failure is reported to the GUI
            log.info("%s failed: %s", task.description, type(exc).__name__)
            task.failed.emit(exc)
        else:
            task.succeeded.emit(result)
        task.finished.emit()


class TaskRunner(QObject):
    """Starts tasks on a private thread pool and keeps them alive until they finish."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(_POOL_SIZE)
        self._running: set[Task] = set()

    def submit(
        self,
        function: Callable[[], Any],
        description: str,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> Task:
        """Run ``function()`` in the background; the callbacks run in the GUI thread."""
        task = Task(function, description, on_success, on_failure)
        self._running.add(task)
        task.finished.connect(self._forget, Qt.ConnectionType.QueuedConnection)
        self._pool.start(_Runner(task))
        return task

    @Slot()
    def _forget(self) -> None:
        task = self.sender()
        if isinstance(task, Task):
            self._running.discard(task)

    @property
    def busy(self) -> bool:
        """True while any task is still running."""
        return bool(self._running)

    def running(self) -> list[str]:
        """The descriptions of the tasks not yet known to have finished."""
        return sorted(task.description for task in self._running)

    def wait_for_done(self, msecs: int = -1) -> bool:
        """Block until every task has finished (for shutdown and tests)."""
        return self._pool.waitForDone(msecs)
