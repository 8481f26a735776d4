"""The job monitor (issue 4), without Qt: job states from callbacks and the launch journal.

:class:`JobMonitor` folds :class:`~dispatch_desktop.events.StoredEvent` callbacks and
:class:`~dispatch_desktop.storage.journal.LaunchRecord` launches into one :class:`JobView` per
runtime id (F2); :func:`rebuild` fills one from the stores at start. Callbacks are the only live
source of job status (G6).
"""

from dispatch_desktop.monitor.model import (
    JOB_ASSIGN,
    JOB_FINISH,
    JOB_START,
    JobMonitor,
    JobState,
    JobView,
    Timeline,
    TimelineEntry,
    rebuild,
)

__all__ = [
    "JOB_ASSIGN",
    "JOB_FINISH",
    "JOB_START",
    "JobMonitor",
    "JobState",
    "JobView",
    "Timeline",
    "TimelineEntry",
    "rebuild",
]
