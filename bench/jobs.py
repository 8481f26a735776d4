"""Saved-jobs benchmark: the real saved-jobs panel (offscreen) at 1,000, 10,000 and 100,000 jobs.

Run it with::

    .venv/bin/python bench/jobs.py                       # 1k, 10k and 100k, 5 rounds each
    .venv/bin/python bench/jobs.py --sizes 100000 --rounds 9

Each size runs in a fresh Python process (so memory figures are that size's own) against a demo
server in a process of its own, started with ``python -m dispatch_desktop.demo --jobs N``: the
jobs come over HTTP and are parsed by the API client, as at a refresh (F5). The panel is
:class:`~dispatch_desktop.ui.jobs_panel.SavedJobsPanel`, 1000×700, with settings (50 starred
jobs), a launch journal (20 jobs launched lately) and a task runner, as the window builds it.

Steps, each from the user's action to the list painted again:

- ``load``: the list fetched, parsed and prepared on the task runner (as the window's refresh
  does), then shown; the figure is the longest the GUI thread was blocked meanwhile, measured
  by a timer-gap probe: a 1 ms timer notes when it fires; the longest gap between two firings,
  less the interval, is the longest stall. A worker blocks the GUI thread too while it holds
  the interpreter lock (a sort, a parse, a garbage collection), or when the two cores are busy;
- ``load: longest collection``: the longest garbage collection during each load (no target:
  it tells how much of the load's stall the collector's pauses are);
- ``load: prepare and show``: the same with jobs already parsed, handed to the panel as the
  sign-in hands them (prepared on the task runner from 2,000 jobs on): the panel's own part;
- ``keystroke``: one character typed into the search field (words, then an id's first digits);
- ``clear search``: the search field emptied (its clear button);
- ``type filter`` / ``all types``: a job type chosen in the type filter, then "All types" again;
- ``view: Favourites`` / ``view: Recent`` / ``view: All``: the view choice (Recent also reads
  the journal off the GUI thread: its figure is the longest stall until the list settles);
- ``sort: <column> ▲/▼``: the table sorted by each column, up and down (a header click).

Each step reports the median and the worst over its samples (``rounds`` samples; the keystroke
step has one per character typed per round), and its median as a ratio to the **baseline**:
the same change shown by a bare ``QTableView`` over a minimal ``QAbstractTableModel`` holding
the same rows, i.e. a model reset with the rows in another order, then painted. That is what
any Qt table of this size costs to show a changed list; a ratio near 1 means the panel adds
little on top of Qt itself. (An empty event-loop turn, some microseconds, would make every
ratio a large meaningless number.)

``memory`` is the process's resident memory less the same process's before the first load
(the panel built and shown, empty, with the API client imported): what the list costs above an
empty app, after the first load and at the end (after every load and step: a refresh builds the
new list while the old one is still shown, and the allocator keeps some of the memory freed
since). ``peak`` is the highest resident memory seen, less the same.

The script prints a table and exits 0 whatever the figures (a benchmark reports, it does not
gate); it exits 1 only when a child fails, since then nothing was measured.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SIZES = (1_000, 10_000, 100_000)
TARGETS_MS = {"load": 100.0, "keystroke": 50.0}
OTHER_TARGET_MS = 100.0
LONGEST_COLLECTION = "load: longest collection"
UNTARGETED = frozenset({"baseline", LONGEST_COLLECTION})
TARGET_MEMORY_MB = 200.0
PANEL_SIZE = (1000, 700)
PROBE_INTERVAL_MS = 1
TYPED = ("oslo", "larm", "night", "3528735650")
"""Typed into the search, one character a keystroke; each word is cleared before the next."""
FAVOURITES = 50
LAUNCHED = 20
SERVER_TIMEOUT_S = 120.0
CHILD_TIMEOUT_S = 1800.0


# -- the child: one size, one process -----------------------------------------------------------


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Child:
    """Drives the panel of one size and collects its samples (milliseconds)."""

    def __init__(self, url: str, size: int, rounds: int, folder: Path) -> None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtWidgets import QApplication

        from dispatch_desktop.api import Credentials
        from dispatch_desktop.api.client import DispatchClient
        from dispatch_desktop.demo import DEMO_PASSWORD, DEMO_USERNAME
        from dispatch_desktop.storage.journal import LaunchJournal
        from dispatch_desktop.ui.jobs_panel import SavedJobsPanel
        from dispatch_desktop.ui.settings import AppSettings
        from dispatch_desktop.ui.workers import TaskRunner

        self.app = QApplication.instance() or QApplication(["bench-jobs"])
        self.size, self.rounds, self.url = size, rounds, url
        self.samples: dict[str, list[float]] = {}
        self.client = DispatchClient(url, Credentials(DEMO_USERNAME, DEMO_PASSWORD))
        self.runner = TaskRunner()
        self.settings = AppSettings(folder / "settings.ini")
        self.journal = LaunchJournal(folder / "journal.sqlite3")
        self.panel = SavedJobsPanel(
            self.settings.job_type_mapping(),
            settings=self.settings,
            runner=self.runner,
            journal=self.journal,
        )
        self.panel.resize(*PANEL_SIZE)
        self.panel.show()
        self.panel.set_server(url)
        self._painted = False
        self._collection_started = 0.0
        self.longest_collection_ms = 0.0
        gc.callbacks.append(self._on_collection)

        child = self

        class PaintWatch(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
                if event.type() == QEvent.Type.Paint:
                    child._painted = True
                return False

        self._watch = PaintWatch()
        self.app.installEventFilter(self._watch)
        self.settle()

    # -- measuring --------------------------------------------------------------------------

    def _on_collection(self, phase: str, info: dict[str, int]) -> None:
        """Notes the longest garbage collection (in any thread: it holds the interpreter lock,
        so the GUI thread waits for it)."""
        if phase == "start":
            self._collection_started = time.perf_counter()
        else:
            elapsed = (time.perf_counter() - self._collection_started) * 1000
            self.longest_collection_ms = max(self.longest_collection_ms, elapsed)

    def settle(self) -> None:
        """Let queued work and paints happen."""
        self.runner.wait_for_done(60_000)
        for _ in range(3):
            self.app.processEvents()

    def painted_after(self, action: Callable[[], None]) -> float:
        """Milliseconds from ``action`` to the next paint's end. A paint of a window paints
        every widget due in one pass, so the list is painted when the pass's first paint event
        has been seen and processEvents returns."""
        self.settle()
        self._painted = False
        start = time.perf_counter()
        action()
        self.panel.update()  # one paint is due even if the action changed nothing visible
        while not self._painted:
            self.app.processEvents()
        return (time.perf_counter() - start) * 1000

    def longest_stall(self, action: Callable[[], None], done: Callable[[], bool]) -> float:
        """The longest the GUI thread was blocked (ms) from ``action`` until ``done()``, by a
        timer-gap probe."""
        from PySide6.QtCore import QElapsedTimer, Qt, QTimer

        clock = QElapsedTimer()
        ticks: list[int] = []
        probe = QTimer()
        probe.setTimerType(Qt.TimerType.PreciseTimer)
        probe.setInterval(PROBE_INTERVAL_MS)
        probe.timeout.connect(lambda: ticks.append(clock.nsecsElapsed()))
        self.settle()
        clock.start()
        probe.start()
        ticks.append(clock.nsecsElapsed())
        action()
        deadline = time.monotonic() + SERVER_TIMEOUT_S
        while not done() and time.monotonic() < deadline:
            self.app.processEvents()
        self._painted = False
        self.panel.update()
        while not self._painted:
            self.app.processEvents()
        ticks.append(clock.nsecsElapsed())
        probe.stop()
        gaps = [(b - a) / 1e6 for a, b in itertools.pairwise(ticks)]
        return max(0.0, max(gaps) - PROBE_INTERVAL_MS)

    def sample(self, step: str, milliseconds: float) -> None:
        self.samples.setdefault(step, []).append(milliseconds)

    # -- steps ------------------------------------------------------------------------------

    def load(self, empty_mb: float) -> float:
        """The list loaded ``rounds`` times as a refresh (F5) loads it, then prepared and shown
        from jobs already parsed (the part of the panel alone); the memory after the first
        load, above ``empty_mb``."""
        from datetime import datetime

        from dispatch_desktop.joblist import JobList

        panel, client = self.panel, self.client
        shown: list[int] = []
        panel.model.modelReset.connect(lambda: shown.append(panel.model.rowCount()))

        def refresh() -> None:  # as MainWindow.refresh
            self.runner.submit(
                lambda: JobList(client.list_saved_jobs()),
                "refresh saved jobs",
                lambda jobs: panel.set_jobs(jobs, datetime.now()),
            )

        def prepare(jobs: list[Any]) -> None:  # as at sign-in, with the jobs parsed already
            panel.set_jobs(jobs, datetime.now())

        first_mb = 0.0
        for _ in range(self.rounds):
            count = len(shown)
            self.longest_collection_ms = 0.0
            self.sample("load", self.longest_stall(refresh, lambda c=count: len(shown) > c))
            self.sample(LONGEST_COLLECTION, self.longest_collection_ms)
            first_mb = first_mb or _rss_mb() - empty_mb
        parsed = client.list_saved_jobs()
        for _ in range(self.rounds):
            count = len(shown)
            self.sample(
                "load: prepare and show",
                self.longest_stall(lambda: prepare(parsed), lambda c=count: len(shown) > c),
            )
        if shown[-1] != self.size:
            raise RuntimeError(f"expected {self.size} jobs, the panel shows {shown[-1]}")
        return first_mb

    def prepare_views(self) -> None:
        """Star some jobs and journal some launches, as a dispatcher's days would."""
        from dispatch_desktop.storage.journal import Outcome

        rng = random.Random(7)
        jobs = self.panel.model.jobs()
        for job in rng.sample(jobs, FAVOURITES):
            self.panel.set_favourite(job, True)
        for number, job in enumerate(rng.sample(jobs, LAUNCHED)):
            attempt = self.journal.record_attempt(server=self.url, user="demo", job_id=job.id)
            self.journal.record_outcome(attempt, Outcome.OK, runtimeid=2**60 + 2 * number + 1)
        self.panel.reload_recent()
        self.settle()

    def type_and_clear(self) -> None:
        from PySide6.QtTest import QTest

        search = self.panel.search
        for _ in range(self.rounds):
            for word in TYPED:
                for char in word:
                    self.sample(
                        "keystroke", self.painted_after(lambda c=char: QTest.keyClicks(search, c))
                    )
                self.sample("clear search", self.painted_after(search.clear))

    def type_filter(self) -> None:
        combo = self.panel.type_filter
        for round_ in range(self.rounds):
            index = 1 + round_ % (combo.count() - 1)
            self.sample("type filter", self.painted_after(lambda i=index: combo.setCurrentIndex(i)))
            self.sample("all types", self.painted_after(lambda: combo.setCurrentIndex(0)))

    def views(self) -> None:
        from dispatch_desktop.ui.jobs_panel import JobsView

        panel = self.panel
        for _ in range(self.rounds):
            self.sample(
                "view: Favourites",
                self.painted_after(lambda: panel.set_view(JobsView.FAVOURITES)),
            )
            self.sample(
                "view: Recent",
                self.longest_stall(
                    lambda: panel.set_view(JobsView.RECENT), lambda: not self.runner.busy
                ),
            )
            self.sample("view: All", self.painted_after(lambda: panel.set_view(JobsView.ALL)))

    def sorts(self) -> None:
        from PySide6.QtCore import Qt

        table, model = self.panel.table, self.panel.model
        for _ in range(self.rounds):
            for column, title in enumerate(model.COLUMNS):
                if table.isColumnHidden(column):
                    continue
                for order, arrow in (
                    (Qt.SortOrder.AscendingOrder, "▲"),
                    (Qt.SortOrder.DescendingOrder, "▼"),
                ):
                    self.sample(
                        f"sort: {title} {arrow}",
                        self.painted_after(lambda c=column, o=order: table.sortByColumn(c, o)),
                    )
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)

    def baseline(self) -> None:
        """The same rows in a bare table: reset with the rows reordered, then painted."""
        from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
        from PySide6.QtWidgets import QTableView

        rows = [(job.name, job.type, str(job.id)) for job in self.panel.model.jobs()]

        class Bare(QAbstractTableModel):
            def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008, N802
                return 0 if parent.isValid() else len(rows)

            def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008, N802
                return 0 if parent.isValid() else 3

            def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
                if role == Qt.ItemDataRole.DisplayRole:
                    return rows[index.row()][index.column()]
                return None

        bare = Bare()
        view = QTableView()
        view.setModel(bare)
        view.resize(*PANEL_SIZE)
        view.show()

        def reordered() -> None:
            bare.beginResetModel()
            rows.reverse()
            bare.endResetModel()

        for _ in range(self.rounds * 3):
            self.sample("baseline", self.painted_after(reordered))
        view.close()

    def run(self) -> dict[str, Any]:
        empty = _rss_mb()
        self.baseline()
        loaded_mb = self.load(empty)
        self.prepare_views()
        self.type_and_clear()
        self.type_filter()
        self.views()
        self.sorts()
        self.settle()
        return {
            "size": self.size,
            "samples": self.samples,
            "loaded_mb": loaded_mb,
            "memory_mb": _rss_mb() - empty,
            "peak_mb": _peak_mb() - empty,
        }


def child_main(url: str, size: int, rounds: int) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-jobs-") as folder:
        os.environ["DISPATCH_DESKTOP_DATA_DIR"] = folder
        result = Child(url, size, rounds, Path(folder)).run()
    print(json.dumps(result), flush=True)
    return 0


# -- the parent ---------------------------------------------------------------------------------


@contextmanager
def demo_server(jobs: int) -> Iterator[str]:
    """A demo server with ``jobs`` synthetic saved jobs in a process of its own; its URL."""
    with subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "dispatch_desktop.demo", "--jobs", str(jobs)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as server:
        try:
            assert server.stdout is not None
            line = server.stdout.readline()
            yield line.rsplit(" ", 1)[-1].strip()
        finally:
            server.terminate()
            server.wait(SERVER_TIMEOUT_S)


def measure(size: int, rounds: int) -> dict[str, Any]:
    from dispatch_desktop.demo.data import SAVED_JOBS

    with demo_server(size - len(SAVED_JOBS)) as url:
        child = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, __file__, "--child", url, str(size), str(rounds)],
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT_S,
            check=False,
        )
    if child.returncode != 0:
        sys.stderr.write(child.stderr)
        raise SystemExit(f"the {size:,}-job run failed")
    return json.loads(child.stdout.strip().splitlines()[-1])


def _target(step: str) -> float | None:
    if step in UNTARGETED:
        return None
    return TARGETS_MS.get(step, OTHER_TARGET_MS)


def report(results: list[dict[str, Any]]) -> None:
    sizes = [result["size"] for result in results]
    steps = [step for step in results[0]["samples"] if step != "baseline"]
    heading = f"{'step (ms: median / worst, ×baseline)':<40}" + "".join(
        f"{f'{size:,} jobs':>28}" for size in sizes
    )
    print(heading)
    print("-" * len(heading))
    for step in ["baseline", *steps]:
        limit = _target(step)
        cells = []
        for result in results:
            values = result["samples"][step]
            median, worst = statistics.median(values), max(values)
            base = statistics.median(result["samples"]["baseline"])
            mark = "!" if limit is not None and worst > limit else " "
            cells.append(f"{median:8.1f} / {worst:7.1f} ×{median / base:5.1f}{mark}")
        title = step if limit is None else f"{step} (≤ {limit:.0f})"
        print(f"{title:<40}" + "".join(f"{cell:>28}" for cell in cells))
    for key, label in (
        ("loaded_mb", "memory after the first load (MB)"),
        ("memory_mb", "memory at the end (MB)"),
        ("peak_mb", "peak memory (MB)"),
    ):
        print(f"{label:<40}" + "".join(f"{result[key]:>28.0f}" for result in results))
    print(
        f"\nTargets (issue 9): load stall ≤ {TARGETS_MS['load']:.0f} ms, keystroke ≤ "
        f"{TARGETS_MS['keystroke']:.0f} ms, every other step ≤ {OTHER_TARGET_MS:.0f} ms, memory "
        f"≤ {TARGET_MEMORY_MB:.0f} MB at 100,000 jobs; '!' marks a worst case above its target."
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--rounds", type=int, default=5, help="samples per step (default 5)")
    parser.add_argument(
        "--child", nargs=3, metavar=("URL", "SIZE", "ROUNDS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        url, size, rounds = args.child
        return child_main(url, int(size), int(rounds))
    results = []
    for size in args.sizes:
        print(f"measuring {size:,} saved jobs…", file=sys.stderr, flush=True)
        results.append(measure(size, args.rounds))
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
