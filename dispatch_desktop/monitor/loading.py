"""Reading the monitor's jobs from the stores a page at a time, newest first. No Qt.

A year of job events is a million rows; a busy desktop's journal, 100,000 launches. The
monitor never reads them all: a :class:`Page` holds the newest jobs (:data:`PAGE_SIZE`) with
what their events add up to (:meth:`EventStore.job_summaries
<dispatch_desktop.events.EventStore.job_summaries>`) and their journaled launches; an older
page is read when the user asks for one, a job that was not read when a callback names it, and
a job's timeline when the user selects it. Memory grows with the jobs shown, not with the
events stored.

Every method blocks on disk I/O: call it off the GUI thread. A :class:`MonitorLoader` holds no
state of its own, so any number of threads may use it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dispatch_desktop.events.model import TimelineEntry
    from dispatch_desktop.events.store import EventStore, JobKey, JobSummary
    from dispatch_desktop.storage.journal import LaunchJournal, LaunchMode, LaunchRecord

PAGE_SIZE = 500
"""Jobs read per page: the first page shows the newest 500, "Show older jobs" 500 more."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class PageCursor:
    """Where the next older page starts in each store: after the oldest job taken from the
    event store (``job``) and after the oldest launch taken from the journal (``launch``,
    its id); a store whose end was reached is read no more."""

    job: JobKey | None = None
    launch: int | None = None
    jobs_left: bool = True
    launches_left: bool = True


@dataclass(frozen=True)
class Page:
    """Jobs read from the stores: their runtime ids (newest first), what their events add up
    to up to cursor ``through`` (a job without events has no summary) and their journaled
    launches, oldest first (the newest of a job wins)."""

    jobids: tuple[int, ...] = ()
    summaries: dict[int, JobSummary] = field(default_factory=dict)
    launches: tuple[LaunchRecord, ...] = ()
    through: int = 0
    older: PageCursor | None = None
    """Where the next older page starts; ``None``: there are no older jobs."""


def _launch_ms(record: LaunchRecord) -> int:
    return (record.attempted_at - _EPOCH) // timedelta(milliseconds=1)


class MonitorLoader:
    """Reads jobs from ``store`` and ``journal``, either of which may be ``None`` (the job
    monitor is off, or the file could not be opened). ``modes``: the launches of this
    profile's world (a real profile's journal may hold demo launches of an older version:
    never shown); ``None``: every launch."""

    def __init__(
        self,
        store: EventStore | None,
        journal: LaunchJournal | None,
        *,
        modes: Collection[LaunchMode] | None = None,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self.store = store
        self.journal = journal
        self.modes = None if modes is None else frozenset(modes)
        self.page_size = page_size

    def _in_world(self, record: LaunchRecord) -> bool:
        return self.modes is None or record.mode in self.modes

    def page(self, server: str | None, cursor: PageCursor | None = None) -> Page:
        """The newest jobs after ``cursor`` (``None``: the newest of all): at most
        :attr:`page_size`, in the order their first event or their launch happened.
        ``server``: only the launches against it (``None``: every server); jobs known from
        callbacks alone have no server, and are read whatever ``server`` is."""
        cursor = cursor or PageCursor()
        size = self.page_size
        keys = (
            self.store.newest_jobs(size, cursor.job)
            if self.store is not None and cursor.jobs_left
            else []
        )
        fetched = (
            self.journal.started_launches(size, cursor.launch, server)
            if self.journal is not None and cursor.launches_left
            else []
        )
        records = [record for record in fetched if self._in_world(record)]
        # Merge the two newest-first lists, each taken from its start, so that what is left
        # of each starts after the last one taken.
        taken_keys: list[JobKey] = []
        taken_records: list[LaunchRecord] = []
        jobids: dict[int, None] = {}  # in order, once each
        while len(taken_keys) + len(taken_records) < size:
            key = keys[len(taken_keys)] if len(taken_keys) < len(keys) else None
            record = records[len(taken_records)] if len(taken_records) < len(records) else None
            if key is None and record is None:
                break
            if record is None or (key is not None and key.first_ms >= _launch_ms(record)):
                assert key is not None
                taken_keys.append(key)
                jobids.setdefault(key.jobid)
            else:
                taken_records.append(record)
                assert record.runtime_id is not None  # started_launches: OK, with one
                jobids.setdefault(record.runtime_id)
        if len(taken_records) < len(records):
            launch = taken_records[-1].id if taken_records else cursor.launch
        else:  # every launch read was taken or is of another world
            launch = fetched[-1].id if fetched else cursor.launch
        older = PageCursor(
            job=taken_keys[-1] if taken_keys else cursor.job,
            launch=launch,
            jobs_left=len(taken_keys) < len(keys) or len(keys) == size,
            launches_left=len(taken_records) < len(records) or len(fetched) == size,
        )
        # The launches of jobs read from the event store, whatever their server: a job
        # started on another server is not one "known from callbacks alone".
        others = self._launches_of([key.jobid for key in taken_keys])
        launches = {record.id: record for record in [*others, *taken_records]}
        summaries, through = self._summaries(jobids)
        return Page(
            jobids=tuple(jobids),
            summaries=summaries,
            launches=tuple(launches[number] for number in sorted(launches)),
            through=through,
            older=older if older.jobs_left or older.launches_left else None,
        )

    def jobs(self, jobids: Iterable[int], before: int | None = None) -> Page:
        """The jobs ``jobids`` (named by callbacks the monitor has not read, or asked for by
        the user), with what their events stored before cursor ``before`` add up to (``None``:
        every event stored now) and their launches on any server."""
        wanted = dict.fromkeys(jobids)
        summaries, through = self._summaries(wanted, before)
        return Page(
            jobids=tuple(wanted),
            summaries=summaries,
            launches=tuple(self._launches_of(wanted)),
            through=through,
        )

    def timeline(self, jobid: int) -> tuple[list[TimelineEntry], int]:
        """Every stored event of the job ``jobid`` as timeline entries in time order, and the
        cursor they run through (later events arrive live)."""
        if self.store is None:
            return [], 0
        return self.store.timeline(jobid)

    def _summaries(
        self, jobids: Iterable[int], before: int | None = None
    ) -> tuple[dict[int, JobSummary], int]:
        if self.store is None:
            return {}, 0
        return self.store.job_summaries(jobids, before)

    def _launches_of(self, jobids: Iterable[int]) -> list[LaunchRecord]:
        ids = list(jobids)
        if self.journal is None or not ids:
            return []
        return [record for record in self.journal.launches_of(ids) if self._in_world(record)]
