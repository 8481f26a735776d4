"""The job monitor (issue 4), without Qt: job states from callbacks and the launch journal.

:class:`JobMonitor` folds :class:`~dispatch_desktop.events.StoredEvent` callbacks and
:class:`~dispatch_desktop.storage.journal.LaunchRecord` launches into one :class:`JobView` per
runtime id (F2); :class:`MonitorLoader` reads pages of jobs from the stores (:func:`rebuild`
the newest at start). Callbacks are the only live source of job status (G6).
"""

from dispatch_desktop.monitor.loading import PAGE_SIZE, MonitorLoader, Page, PageCursor
from dispatch_desktop.monitor.model import (
    JOB_ASSIGN,
    JOB_FINISH,
    JOB_START,
    JobMonitor,
    JobState,
    JobView,
    PageChanges,
    ReadyPage,
    Timeline,
    TimelineEntry,
    ready,
    rebuild,
)

__all__ = [
    "JOB_ASSIGN",
    "JOB_FINISH",
    "JOB_START",
    "PAGE_SIZE",
    "JobMonitor",
    "JobState",
    "JobView",
    "MonitorLoader",
    "Page",
    "PageChanges",
    "PageCursor",
    "ReadyPage",
    "Timeline",
    "TimelineEntry",
    "ready",
    "rebuild",
]
