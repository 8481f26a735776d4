"""The job monitor's state: one :class:`JobView` per runtime id, fed by job event callbacks
(:class:`~dispatch_desktop.events.StoredEvent`), by the launch journal
(:class:`~dispatch_desktop.storage.journal.LaunchRecord`) and by pages of jobs read from both
(:class:`~dispatch_desktop.monitor.loading.Page`). No Qt.

No endpoint reports a job's status after its start; callbacks are the only live source (G6).
A launch from this desktop is correlated with its callbacks by runtime id: a callback's
``jobid`` is the ``runtimeid`` the start call returned (F2). Without callbacks a launched job
shows what the start call returned, and the GUI says that live status needs the receiver.

Cost: callbacks may arrive by the hundred per second, so :meth:`JobMonitor.add_event` does a
constant amount of work per event. A monitor fed by events alone keeps each job's timeline (an
append-only list; each view holds an O(1) snapshot of it, :class:`Timeline`). A monitor whose
jobs come from the stores (``keep_timelines=False``) keeps none: memory grows with the jobs,
not with their events, and the timeline of the job the user selects is read from the store.

Drill and live never mix: :meth:`JobMonitor.show_only` limits the jobs shown (and counted as
active) to those of the server signed in to (docs/profiles.md).

Thread confinement: a :class:`JobMonitor` is not locked. Build it anywhere (:func:`rebuild` runs
on a worker), then use it from one thread only (the GUI thread).
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, overload

from dispatch_desktop.events.model import TimelineEntry
from dispatch_desktop.monitor.loading import MonitorLoader, Page
from dispatch_desktop.storage.journal import LaunchMode, LaunchRecord, Outcome

if TYPE_CHECKING:
    from dispatch_desktop.events import EventStore, StoredEvent
    from dispatch_desktop.events.store import JobSummary
    from dispatch_desktop.storage.journal import LaunchJournal

log = logging.getLogger(__name__)

JOB_START = "JOB_START"
JOB_ASSIGN = "JOB_ASSIGN"
JOB_FINISH = "JOB_FINISH"

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, aware UTC (the default clock)."""
    return datetime.now(UTC)


class JobState(enum.StrEnum):
    """Where a monitored job stands, from the callbacks seen and the journal."""

    SCHEDULED = "scheduled"
    """Started with a scheduled start that lies ahead, and no JOB_START yet."""
    STARTED = "started"
    """JOB_START seen, or the start call answered OK and no callback says more (G6)."""
    FILLING = "filling"
    """At least one JOB_ASSIGN; the response goal, if known, not reached."""
    GOAL_REACHED = "goal_reached"
    """As many JOB_ASSIGNs as the response goal, or more."""
    FINISHED = "finished"
    """JOB_FINISH seen."""


class Timeline(Sequence[TimelineEntry]):
    """An immutable, ordered-by-arrival prefix of a job's entries.

    Taking one is O(1): it shares the job's entry list, which is only ever appended to, and
    remembers its length. Compares equal to any timeline or tuple with the same entries."""

    __slots__ = ("_entries", "_length")

    def __init__(self, entries: list[TimelineEntry] | None = None, length: int = 0) -> None:
        self._entries = entries if entries is not None else []
        self._length = length

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> TimelineEntry: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[TimelineEntry, ...]: ...

    def __getitem__(self, index: int | slice) -> TimelineEntry | tuple[TimelineEntry, ...]:
        # range() turns negative indexes and slices into positions inside the prefix, and
        # raises IndexError beyond it, even though the shared list may be longer by now.
        positions = range(self._length)[index]
        if isinstance(positions, range):
            return tuple(self._entries[position] for position in positions)
        return self._entries[positions]

    def __iter__(self) -> Iterator[TimelineEntry]:
        entries = self._entries
        for position in range(self._length):
            yield entries[position]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Timeline | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Timeline({tuple(self)!r})"


@dataclass(frozen=True, slots=True)
class JobView:
    """A job as the monitor sees it at one moment; a new view replaces it on each change.

    ``name`` is the journal's name (the started job's name, else the saved job's), else the
    callbacks' ``jobtype``; ``None`` when neither is known (the GUI says "Job <id>")."""

    jobid: int
    """The runtime id: a callback's ``jobid``, the start call's ``runtimeid`` (F1, F2)."""
    name: str | None
    job_type: str | None
    state: JobState
    started_at: datetime | None
    """JOB_START's time; else the journal's scheduled start, else its attempt time; ``None``
    when none is known."""
    assigned: int
    """How many JOB_ASSIGN callbacks arrived."""
    goal: int | None
    """The response goal given at the start, from the journal; ``None`` when unknown."""
    finished_at: datetime | None
    timeline: Timeline = field(default_factory=Timeline)
    """Its callbacks in order of arrival, when the monitor keeps timelines; else empty (the
    event store has them: :meth:`MonitorLoader.timeline
    <dispatch_desktop.monitor.loading.MonitorLoader.timeline>`)."""
    scheduled_for: datetime | None = None
    """The scheduled start given at the start (journal), if any."""
    launched_at: datetime | None = None
    """When this desktop sent the start call (journal); ``None``: started elsewhere."""
    last_recipient: str | None = None
    """The name of the latest JOB_ASSIGN's recipient."""
    event_count: int = 0
    """Callbacks applied; 0 means the view rests on the start call's answer alone (G6)."""
    contacted: int | None = None
    """How many recipients the start sent to, when the journal can tell (see
    :func:`numbers_only_recipients`); ``None`` when unknown: no callback reports it (3)."""
    server: str | None = None
    """The server this desktop started the job on (journal); ``None``: known from callbacks
    alone."""
    exercise: bool = False
    """Started as an exercise (journal): real messages, marked as an exercise."""

    @property
    def has_callbacks(self) -> bool:
        """Whether any callback arrived for this job (else live status needs the receiver)."""
        return self.event_count > 0

    @property
    def goal_reached(self) -> bool:
        """Whether the response goal is known and met (also after JOB_FINISH)."""
        return self.goal is not None and self.assigned >= self.goal

    @property
    def active(self) -> bool:
        """Not finished."""
        return self.state is not JobState.FINISHED

    def elapsed(self, entry: TimelineEntry) -> float | None:
        """Seconds from the job's start to ``entry``: "the time it took". ``None`` while the
        start is unknown (a JOB_START still on its way)."""
        if self.started_at is None:
            return None
        return (entry.time - self.started_at).total_seconds()


@dataclass(slots=True)
class _Job:
    """The mutable state behind a job's views."""

    jobid: int
    journal_name: str | None = None
    journal_type: str | None = None
    event_type: str | None = None
    goal: int | None = None
    scheduled_for: datetime | None = None
    launched_at: datetime | None = None
    start_time: datetime | None = None
    finished_at: datetime | None = None
    assigned: int = 0
    last_recipient: str | None = None
    event_count: int = 0
    contacted: int | None = None
    entries: list[TimelineEntry] = field(default_factory=list)
    """Its timeline, when the monitor keeps timelines."""
    server: str | None = None
    exercise: bool = False
    first_time: datetime | None = None
    """When its earliest event happened."""
    through: int = 0
    """Every stored event of the job up to this cursor is counted (read from the store)."""
    summarized: bool = False
    """Its stored events were read (:meth:`load`)."""

    def state(self, clock: Clock) -> JobState:
        if self.finished_at is not None:
            return JobState.FINISHED
        if self.assigned and self.goal is not None and self.assigned >= self.goal:
            return JobState.GOAL_REACHED
        if self.assigned:
            return JobState.FILLING
        if self.start_time is None and self.is_scheduled_ahead(clock):
            return JobState.SCHEDULED
        return JobState.STARTED

    def is_scheduled_ahead(self, clock: Clock) -> bool:
        return self.scheduled_for is not None and self.scheduled_for > clock()

    def view(self, clock: Clock) -> JobView:
        return JobView(
            jobid=self.jobid,
            name=self.journal_name or self.event_type,
            job_type=self.journal_type or self.event_type,
            state=self.state(clock),
            started_at=self.started_at(),
            assigned=self.assigned,
            goal=self.goal,
            finished_at=self.finished_at,
            timeline=Timeline(self.entries, len(self.entries)),
            scheduled_for=self.scheduled_for,
            launched_at=self.launched_at,
            last_recipient=self.last_recipient,
            event_count=self.event_count,
            contacted=self.contacted,
            server=self.server,
            exercise=self.exercise,
        )

    def load(self, summary: JobSummary | None, through: int) -> None:
        """Take the state of the job's stored events up to cursor ``through`` (``summary``;
        ``None``: it has none), as if each had been applied."""
        self.through, self.summarized = through, True
        if summary is None:
            return
        self.event_type = summary.jobtype or self.event_type
        self.start_time = summary.start_time
        self.finished_at = summary.finish_time
        self.assigned = summary.assigned
        self.last_recipient = summary.last_recipient
        self.event_count = summary.events
        self.first_time = summary.first_time

    def apply(self, event: StoredEvent, time: datetime, *, keep: bool) -> TimelineEntry:
        """Fold ``event``, which happened at ``time``, into the state (``keep``: and into its
        timeline); the earliest JOB_START/JOB_FINISH wins, so the order of arrival does not
        matter."""
        kind = event.eventtype
        if event.jobtype:  # only JOB_START carries it (3.1.1); the others send ""
            self.event_type = event.jobtype
        if kind == JOB_START and (self.start_time is None or time < self.start_time):
            self.start_time = time
        elif kind == JOB_ASSIGN:
            self.assigned += 1
            self.last_recipient = event.sendname or self.last_recipient
        elif kind == JOB_FINISH and (self.finished_at is None or time < self.finished_at):
            self.finished_at = time
        self.event_count += 1
        if self.first_time is None or time < self.first_time:
            self.first_time = time
        entry = timeline_entry(event, time)
        if keep:
            self.entries.append(entry)
        return entry

    def adopt(self, record: LaunchRecord) -> None:
        """Take name, type, response goal and scheduled start from a journaled launch."""
        self.journal_name = record.result_job_name or record.job_name or self.journal_name
        self.journal_type = record.job_type or self.journal_type
        self.launched_at = record.attempted_at
        self.server = record.server
        self.exercise = record.mode is LaunchMode.EXERCISE
        parameters = _parameters(record)
        self.goal = _goal(parameters.get("responsegoal"))
        self.scheduled_for = _when(parameters.get("scheduledstart"))
        self.contacted = numbers_only_recipients(parameters)

    def started_at(self) -> datetime | None:
        # Without a JOB_START, the start call's answer is all there is (G6): the job began at
        # its scheduled start, or when this desktop started it (/startsavedjob "does not
        # return until the job has started", F3).
        return self.start_time or self.scheduled_for or self.launched_at

    def sort_time(self) -> datetime | None:
        """When the job began, as far as known: for ordering jobs read from the stores."""
        return self.started_at() or self.first_time


def timeline_entry(event: StoredEvent, time: datetime) -> TimelineEntry:
    """The timeline entry of ``event``, which happened at ``time``."""
    return TimelineEntry(
        cursor=event.cursor,
        kind=event.eventtype,
        time=time,
        recipient=event.sendname or None,
        contactid=event.contactid,
        agent=event.agent or None,
    )


def _event_time(event: StoredEvent) -> datetime | None:
    """When ``event`` happened: the Dispatch server's timestamp, else its arrival; ``None``
    (logged) for a timestamp outside 2000-2100, which the receiver now refuses but an older
    store, or a hand-edited one, may hold."""
    try:
        return event.timestamp or event.received_at
    except ValueError as exc:  # InvalidEvent
        log.warning("Skipped event %s of job %s: %s", event.cursor, event.jobid, exc)
        return None


def _parameters(record: LaunchRecord) -> dict[str, Any]:
    try:
        values = record.parameter_values()
    except ValueError:  # a hand-edited journal; the launch itself is still worth showing
        log.warning("Launch %s has unreadable parameters", record.id)
        return {}
    return values if isinstance(values, dict) else {}


# The start parameters that choose recipients the server resolves from its address book
# (2.2.1, F11): with any of them, how many were contacted is known to the server alone.
_ADDRESS_BOOK_SELECTORS = (
    "toaddressbookcustomtagfilter",
    "toaddressbooktagfilterjson",
    "toaddressbooksavedtagfilters",
    "toaddressbookgroups",
    "excludecustomtagfilter",
    "excludetagfilterjson",
)


def numbers_only_recipients(parameters: dict[str, Any]) -> int | None:
    """How many recipients a start had, when its journaled parameters alone tell: it named
    phone numbers, replaced the saved job's recipients with them (no ``tokeep``, 2.2.1) and
    used no tag filter or group. Then the count is the distinct numbers not excluded.

    Otherwise ``None``: the callbacks report who accepted (3.1.2) but never how many were
    contacted, and recipients from the address book or the saved job are resolved by the
    server alone (F11)."""
    numbers = parameters.get("tonumbers")
    excluded = parameters.get("excludenumbers") or []
    if not isinstance(numbers, list) or not numbers or not isinstance(excluded, list):
        return None
    if parameters.get("tokeep") not in (None, False):  # added to the saved job's recipients
        return None
    if any(parameters.get(name) for name in _ADDRESS_BOOK_SELECTORS):
        return None
    given = {number for number in numbers if isinstance(number, str)}
    if len(given) != len(numbers):
        # A number given twice (does the server send twice?) or a hand-edited journal.
        return None
    return len(given - {number for number in excluded if isinstance(number, str)})


def _goal(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return None
    return value


def _when(value: Any) -> datetime | None:
    """The journaled ``scheduledstart`` (ISO 8601 with an offset, F10) as an aware time."""
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo is not None else None


class _AppliedCursors:
    """The cursors of the events applied, in little memory: every cursor up to ``floor``, and
    those above it in a set. Cursors are handed out without gaps (events/store.py), so the set
    only holds the few that arrived before a lower one. Cursors up to ``paged`` were read
    with pages of jobs: each job knows which of those it counted (``through``)."""

    def __init__(self) -> None:
        self.paged = 0
        self.floor = 0
        self._above: set[int] = set()

    def add(self, cursor: int) -> bool:
        """Note ``cursor``; False if it was applied before. True for a cursor read with a page:
        its job judges it."""
        if cursor <= self.floor:
            return cursor <= self.paged
        if cursor in self._above:
            return False
        self._above.add(cursor)
        self._compact()
        return True

    def read_with_page(self, cursor: int) -> None:
        """A page read every stored event up to ``cursor``."""
        if cursor > self.paged:
            self.paged = cursor
            self.floor = max(self.floor, cursor)
            self._above = {above for above in self._above if above > cursor}
            self._compact()

    def _compact(self) -> None:
        above = self._above
        while self.floor + 1 in above:
            self.floor += 1
            above.discard(self.floor)


@dataclass(frozen=True)
class PageChanges:
    """What a page changed in a monitor: the views of the jobs it added (newest first) and
    of the known jobs it changed."""

    added: list[JobView]
    changed: list[JobView]


class JobMonitor:
    """The monitored jobs, newest first. Feed it with :meth:`add_launch`, :meth:`add_event` and
    :meth:`add_page` in any order; each returns the new views. Not thread-safe (see the
    module).

    ``keep_timelines``: keep each job's timeline in memory (a monitor fed by events alone);
    without it the timelines are in the event store (:meth:`MonitorLoader.timeline
    <dispatch_desktop.monitor.loading.MonitorLoader.timeline>`)."""

    def __init__(self, clock: Clock = utc_now, *, keep_timelines: bool = True) -> None:
        self._clock = clock
        self._keep = keep_timelines
        self._jobs: dict[int, _Job] = {}  # oldest first, as shown bottom to top
        self._views: dict[int, JobView] = {}
        self._applied = _AppliedCursors()
        self._scheduled: set[int] = set()  # jobs whose view says SCHEDULED
        self._active = 0  # unfinished jobs shown
        self._last_cursor = 0
        self._scoped = False  # until show_only(): every job is shown
        self._server: str | None = None

    def __len__(self) -> int:
        return len(self._jobs)

    @property
    def clock(self) -> Clock:
        """The clock the monitor tells scheduled jobs by."""
        return self._clock

    @property
    def keeps_timelines(self) -> bool:
        """Whether each view's :attr:`JobView.timeline` holds the job's entries."""
        return self._keep

    @property
    def last_cursor(self) -> int:
        """The highest cursor applied or read with a page (0: none)."""
        return self._last_cursor

    def active_count(self) -> int:
        """How many of the jobs shown have not finished."""
        return self._active

    def show_only(self, server: str | None) -> None:
        """Show (and count) only the jobs of ``server``, the server signed in to: those
        started there from this desktop and those known from callbacks alone. ``None``
        (signed out): no job. Until called, every job is shown."""
        self._scoped, self._server = True, server
        self._active = sum(self._counted(job) for job in self._jobs.values())

    @property
    def scope(self) -> tuple[bool, str | None]:
        """Whether :meth:`show_only` was called, and with which server."""
        return self._scoped, self._server

    def shows(self, view: JobView) -> bool:
        """Whether the job of ``view`` is shown (see :meth:`show_only`)."""
        return self._shows_server(view.server)

    def _shows_server(self, server: str | None) -> bool:
        if not self._scoped:
            return True
        return self._server is not None and server in (None, self._server)

    def _counted(self, job: _Job) -> int:
        """1 if ``job`` counts as active (unfinished and shown), else 0."""
        return int(job.finished_at is None and self._shows_server(job.server))

    def job(self, jobid: int) -> JobView | None:
        """The current view of the job with runtime id ``jobid``, if monitored."""
        return self._views.get(jobid)

    def jobs(self) -> list[JobView]:
        """Every job shown, newest first (the last seen first; jobs read from the stores by
        start time)."""
        views = (self._views[jobid] for jobid in reversed(self._jobs))
        return [view for view in views if self.shows(view)]

    def add_launch(self, record: LaunchRecord) -> JobView | None:
        """Monitor a launch from the journal. Only a start the server answered OK has a runtime
        id to correlate with callbacks (F2); any other record is ignored (``None``). Adding
        the same record again (a journal reload) changes nothing."""
        if record.outcome is not Outcome.OK or record.runtime_id is None:
            return None
        job = self._job(record.runtime_id)
        counted = self._counted(job)
        job.adopt(record)
        self._active += self._counted(job) - counted
        return self._refresh(job)

    def add_event(self, event: StoredEvent) -> JobView | None:
        """Apply a callback; return the job's new view (see :meth:`apply`)."""
        applied = self.apply(event)
        return None if applied is None else applied[0]

    def apply(self, event: StoredEvent) -> tuple[JobView, TimelineEntry] | None:
        """Apply a callback; return the job's new view and the callback's timeline entry.
        ``None`` for a cursor applied before (a replay) or counted already (read with the
        job from the store), an event without ``jobid`` (nothing to correlate it with) or one
        whose time is no time (skipped and logged: one bad row must not empty the
        monitor)."""
        if not self._applied.add(event.cursor):
            return None
        self._last_cursor = max(self._last_cursor, event.cursor)
        if event.jobid is None:
            return None
        time = _event_time(event)
        if time is None:
            return None
        job = self._job(event.jobid)
        if event.cursor <= job.through:
            return None
        counted = self._counted(job)
        entry = job.apply(event, time, keep=self._keep)
        self._active += self._counted(job) - counted
        return self._refresh(job), entry

    def add_page(self, page: Page | ReadyPage, *, older: bool = False) -> PageChanges:
        """Add the jobs of ``page`` (read from the stores; made :func:`ready` off the GUI
        thread, or here). A job known already keeps what it has applied, and takes what the
        page read only if it has applied nothing yet (e.g. a launch the journal gave first).
        New jobs go on top in order of start, or at the bottom when they are ``older`` (the
        next page of older jobs)."""
        if isinstance(page, Page):
            page = ready(page, self._clock)
        read = page.page
        self._applied.read_with_page(read.through)
        self._last_cursor = max(self._last_cursor, read.through)
        added: dict[int, _Job] = {}
        views: list[JobView] = []
        changed: list[JobView] = []
        launches = _launches_by_job(read)
        for job, view in zip(page.jobs, page.views, strict=True):
            known = self._jobs.get(job.jobid)
            if known is None:
                added[job.jobid] = job
                views.append(view)
                self._active += self._counted(job)
                self._keep_view(view)
                continue
            counted = self._counted(known)
            if not (known.summarized or known.event_count):
                known.load(read.summaries.get(known.jobid), read.through)
            for record in launches.get(known.jobid, ()):
                known.adopt(record)
            self._active += self._counted(known) - counted
            changed.append(self._refresh(known))
        if older:
            self._jobs = {**added, **self._jobs}
        else:
            self._jobs.update(added)
        return PageChanges(added=views[::-1], changed=changed)

    def refresh_schedules(self) -> list[JobView]:
        """Re-evaluate the SCHEDULED jobs against the clock: the views of those whose
        scheduled start has passed (they count as started: the call answered OK, G6)."""
        due = [
            self._jobs[jobid]
            for jobid in self._scheduled
            if not self._jobs[jobid].is_scheduled_ahead(self._clock)
        ]
        return [self._refresh(job) for job in due]

    def _job(self, jobid: int) -> _Job:
        job = self._jobs.get(jobid)
        if job is None:
            job = self._jobs[jobid] = _Job(jobid)
            self._active += self._counted(job)
        return job

    def _refresh(self, job: _Job) -> JobView:
        view = job.view(self._clock)
        self._keep_view(view)
        return view

    def _keep_view(self, view: JobView) -> None:
        self._views[view.jobid] = view
        if view.state is JobState.SCHEDULED:
            self._scheduled.add(view.jobid)
        else:
            self._scheduled.discard(view.jobid)


@dataclass(frozen=True)
class ReadyPage:
    """A page of jobs made ready off the GUI thread (:func:`ready`): each job folded from
    what the page read, oldest first by start, with its view."""

    page: Page
    jobs: tuple[_Job, ...]
    views: tuple[JobView, ...]


def _launches_by_job(page: Page) -> dict[int, list[LaunchRecord]]:
    """The launches of ``page`` the server started, by runtime id, oldest first."""
    launches: dict[int, list[LaunchRecord]] = {}
    for record in page.launches:
        if record.outcome is Outcome.OK and record.runtime_id is not None:
            launches.setdefault(record.runtime_id, []).append(record)
    return launches


def ready(page: Page, clock: Clock = utc_now) -> ReadyPage:
    """Fold each job of ``page`` from what the page read: the per-job work of adding a page,
    done where the page was read (a worker), so that the GUI thread only files the jobs."""
    launches = _launches_by_job(page)
    jobs: list[_Job] = []
    for jobid in dict.fromkeys(page.jobids):
        job = _Job(jobid)
        job.load(page.summaries.get(jobid), page.through)
        for record in launches.get(jobid, ()):
            job.adopt(record)
        jobs.append(job)
    oldest = datetime.min.replace(tzinfo=UTC)
    jobs.sort(key=lambda job: job.sort_time() or oldest)
    return ReadyPage(page, tuple(jobs), tuple(job.view(clock) for job in jobs))


def rebuild(
    store: EventStore | None,
    journal: LaunchJournal | None,
    clock: Clock = utc_now,
    *,
    server: str | None = None,
) -> JobMonitor:
    """A monitor with the newest page of jobs in ``store`` and ``journal`` (either may be
    ``None`` when it could not be opened; ``server``: only its launches). Blocking disk work:
    run it off the GUI thread, then hand the monitor to the GUI, which replays what arrived
    meanwhile."""
    monitor = JobMonitor(clock, keep_timelines=False)
    monitor.add_page(MonitorLoader(store, journal).page(server))
    return monitor
