"""History benchmark: the real History panel over a journal of 1k, 10k and 100k launches.

Run it with::

    .venv/bin/python bench/history.py                       # 1k, 10k, 100k; 5 runs each
    .venv/bin/python bench/history.py --sizes 100000 --runs 9

For each size it fills a journal (:func:`fill_journal`: four servers, live, exercise and demo
rows, every outcome, messages short and long, recipients of every kind, ids above 2**53), then
drives a shown :class:`~dispatch_desktop.ui.history_panel.HistoryPanel` offscreen, as the app
does, and times what a dispatcher waits for:

- ``open``: signed in (``show_launches``) → the first rows painted;
- ``launch: attempt`` / ``launch: outcome``: a launch's attempt, then its outcome, written to
  the journal by another thread (as the launcher does) → the row painted with it;
- ``scroll to end``: ``scrollToBottom()`` → the oldest rows painted;
- ``export CSV``: ``export_to()`` → the file written (the whole journal); again while the
  table is scrolled a page down every 100 ms (each page painted, its rows read).

Beside each time, the longest GUI-thread stall meanwhile: a 2 ms timer notes the gaps between
its ticks (the GUI thread does nothing else in between, so a gap is the time it was busy; the
GIL handed between threads every 5 ms shows as gaps of a few ms). "Painted" is the paint event
of the table's viewport that finds the rows wanted.

Baselines, measured in the same run: the same rows read with one plain ``SELECT`` into a list
(``open``); a bare ``QTableView`` over a trivial model of as many rows (set, a row inserted,
scrolled to the end → painted); the journal written with ``csv.writer`` straight from one
``SELECT`` (``export``). And, for reference, the read the History did before paging: every row
of the scope as a record.

One unmeasured run of each comes first (fonts, styles, the OS file cache). The table gives
the median and the worst of the runs, and each median as a multiple of its
baseline's. It exits 0 whatever the figures: a benchmark reports, it does not gate.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt is imported: no window on any screen

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QEventLoop,
    QMessageLogContext,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView, QTableView

from dispatch_desktop.storage.journal import LaunchJournal, LaunchMode, Outcome
from dispatch_desktop.ui.history_panel import HistoryPanel, LaunchScope
from dispatch_desktop.ui.workers import TaskRunner

SIGNED_IN = "https://dispatch.example.com/dispatch/api"
SERVERS = (  # (server, share of the launches)
    (SIGNED_IN, 0.70),
    ("https://backup.example.com/dispatch/api", 0.15),
    ("https://test.example.org/api", 0.10),
    ("http://127.0.0.1:8765/api", 0.05),  # the demo server: demo rows only
)
OUTCOMES = (
    (Outcome.OK, 0.86),
    (Outcome.NOT_STARTED, 0.03),
    (Outcome.CONNECTION_FAILED, 0.03),
    (Outcome.REJECTED, 0.02),
    (Outcome.CANCELLED, 0.02),
    (Outcome.AUTH_FAILED, 0.01),
    (Outcome.UNKNOWN, 0.01),
    (Outcome.REFUSED_LOCALLY, 0.01),
    (Outcome.STARTED_UNVERIFIABLE, 0.005),
    (Outcome.PENDING, 0.005),
)
JOB_NAMES = (
    "Fire alarm Building {n}",
    "Storm warning region {n}",
    "ICU staff callout",
    "Night shift — extra nurses ward {n}",
    "Evacuation drill site {n}",
    "Water main break sector {n}",
    "Power outage — on-call electricians",
    "Brand på plan {n}",
    "Gas leak, block {n}",
    "Snow clearing crew {n}",
)
MESSAGES = (
    "Fire at gate {n}, all units report",
    "Meet at the north entrance",
    "Storm expected 18:00. Secure equipment and confirm availability.",
    "Brand på plan {n}. Samling vid huvudentrén.",
    "Line one\nLine two: reply YES if you can come",
    "Extra staff needed tonight 22:00–06:00 in ward {n}. Reply 1 for yes, 2 for no. "
    "Parking in garage B, badge access from 21:30. Ask for the shift lead at reception. " * 2,
)
DETAILS = {
    Outcome.NOT_STARTED: "Job could not be started: no recipients match the filter.",
    Outcome.CONNECTION_FAILED: "The server could not be reached; nothing was delivered.",
    Outcome.REJECTED: "The server refused the request (HTTP 400).",
    Outcome.AUTH_FAILED: "The username or password was not accepted.",
    Outcome.UNKNOWN: "No complete answer came back: messages may have gone out.",
    Outcome.REFUSED_LOCALLY: "The message is longer than the job allows.",
}
USERS = ("alice", "bob", "carol", "API key")
COLUMNS = (
    "attempted_at, server, user, job_id, job_name, job_type, generic_type, parameters, "
    "outcome, runtime_id, result_job_name, message, finished_at, mode"
)
PANEL_SIZE = (1200, 700)
TICK_MS = 2
STALL_TARGET_MS = 50.0
TIMEOUT_S = 120.0


# -- the journal -------------------------------------------------------------------------------


def _pick(rng: random.Random, shares: tuple[tuple[Any, float], ...]) -> Any:
    values, weights = zip(*shares, strict=True)
    return rng.choices(values, weights)[0]


def _recipients(rng: random.Random) -> dict[str, Any]:
    kind = rng.randrange(5)
    numbers = [f"+4670{rng.randrange(10**7):07d}" for _ in range(rng.randint(1, 20))]
    if kind == 0:
        return {}
    if kind == 1:
        return {"tonumbers": numbers, "tokeep": rng.random() < 0.5}
    if kind == 2:
        return {"toaddressbookcustomtagfilter": "Base:STO|OSL;On call:Yes"}
    if kind == 3:
        return {"toaddressbookgroups": ["Night shift", "Ward 3"], "excludenumbers": numbers}
    return {"toaddressbooktagfilterjson": [{"tagtype": "Base", "tagvalues": ["STO", "GOT"]}]}


def _launch_row(rng: random.Random, number: int, when: datetime) -> tuple[Any, ...]:
    server = _pick(rng, SERVERS)
    if server.startswith("http://127."):
        mode = LaunchMode.DEMO
    else:  # a few demo rows of an older version, hidden in a real profile
        mode = _pick(
            rng, ((LaunchMode.LIVE, 0.80), (LaunchMode.EXERCISE, 0.17), (LaunchMode.DEMO, 0.03))
        )
    outcome = _pick(rng, OUTCOMES)
    job_id = 2**53 + rng.randrange(10**6)  # above 2**53: exact only as an integer (F1)
    name = rng.choice(JOB_NAMES).format(n=rng.randint(1, 40))
    parameters: dict[str, Any] = {"jobid": job_id, **_recipients(rng)}
    if rng.random() < 0.8:
        parameters["message"] = rng.choice(MESSAGES).format(n=rng.randint(1, 40))
    started = outcome.started
    runtime_id = 2**60 + number if outcome is Outcome.OK else None
    finished = None if outcome is Outcome.PENDING else when + timedelta(seconds=rng.random() * 2)
    return (
        when.isoformat(timespec="milliseconds"),
        server,
        rng.choice(USERS),
        job_id,
        name,
        "MonitoredMessage" if rng.random() < 0.7 else "Alarm",
        "GMM" if rng.random() < 0.7 else "GMA",
        json.dumps(parameters, sort_keys=True, ensure_ascii=False),
        outcome.value,
        runtime_id,
        f"{name} ({when:%d %b %H:%M})" if started else None,
        DETAILS.get(outcome),
        None if finished is None else finished.isoformat(timespec="milliseconds"),
        mode.value,
    )


def fill_journal(path: Path, count: int, seed: int = 9) -> LaunchJournal:
    """A journal at ``path`` (created) with ``count`` launches over the last year, oldest
    first, written in one transaction. 70 % are against :data:`SIGNED_IN`."""
    journal = LaunchJournal(path)
    rng = random.Random(seed)
    start = datetime.now(UTC) - timedelta(days=365)
    step = timedelta(days=365) / max(count, 1)
    marks = ", ".join("?" * len(COLUMNS.split(",")))
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute("BEGIN")
        connection.executemany(
            f"INSERT INTO launches ({COLUMNS}) VALUES ({marks})",  # noqa: S608 (ours)
            (_launch_row(rng, number, start + step * number) for number in range(count)),
        )
        connection.execute("COMMIT")
    return journal


# -- the GUI thread ----------------------------------------------------------------------------


def _print_qt_message(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's messages to stderr, but for the offscreen platform's note on every shown window."""
    if "propagateSizeHints" not in message:
        sys.stderr.write(message + "\n")


class Probe(QObject):
    """A 2 ms timer noting the gaps between its ticks (the GUI thread's stalls), and the
    first paint of a viewport that finds what is awaited."""

    def __init__(self) -> None:
        super().__init__()
        self.gaps: list[tuple[float, float]] = []  # (tick time, gap before it), seconds
        self._last = time.perf_counter()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self._awaited: Callable[[], bool] = lambda: False
        self.painted_at: float | None = None

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now, now - self._last))
        self._last = now

    def watch(self, viewport: QObject) -> None:
        """Note the paint events of ``viewport``."""
        viewport.installEventFilter(self)

    def await_paint(self, awaited: Callable[[], bool]) -> None:
        """From now on, note the first paint that finds ``awaited()`` true."""
        self.painted_at = None
        self._awaited = awaited

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint and self.painted_at is None and self._awaited():
            self.painted_at = time.perf_counter()
        return False

    def stall(self, start: float, end: float) -> float:
        """The longest gap overlapping ``start``..``end``, in seconds."""
        return max((gap for tick, gap in self.gaps if tick > start and tick - gap < end), default=0)

    def stop(self) -> None:
        self._timer.stop()


def wait_for(condition: Callable[[], bool], what: str) -> None:
    """Run the event loop until ``condition()``; then one tick more (the gap spanning the end
    is noted)."""
    deadline = time.perf_counter() + TIMEOUT_S
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    settle(TICK_MS * 2 / 1000)


def settle(seconds: float) -> None:
    """Run the event loop for ``seconds``."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)


def in_thread(function: Callable[[], Any]) -> None:
    """Call ``function`` on another thread (as the launcher writes the journal)."""
    thread = threading.Thread(target=function, name="bench-launch", daemon=True)
    thread.start()
    wait_for(lambda: not thread.is_alive(), "the writing thread")


@dataclass
class Samples:
    """Every run's time and stall of one step, in seconds."""

    times: list[float] = field(default_factory=list)
    stalls: list[float] = field(default_factory=list)

    def add(self, started: float, ended: float, stall: float = 0.0) -> None:
        self.times.append(ended - started)
        self.stalls.append(stall)


# -- the History panel -------------------------------------------------------------------------


def shown_row(panel: HistoryPanel, row: int) -> Any:
    """The record painted in ``row`` (``None`` while it is read)."""
    model = panel.model
    if row >= model.rowCount():
        return None
    return model.index(row, 0).data(Qt.ItemDataRole.UserRole)


def measure_panel(
    journal: LaunchJournal, runner: TaskRunner, probe: Probe, export_to: Path
) -> dict[str, tuple[float, float, float]]:
    """One run of every step on a new panel: step → (start, end, stall)."""
    results: dict[str, tuple[float, float, float]] = {}
    scope = LaunchScope.of(SIGNED_IN, demo=False)
    panel = HistoryPanel(journal, runner)
    panel.resize(*PANEL_SIZE)
    panel.show()
    probe.watch(panel.table.viewport())
    settle(0.2)

    def step(name: str, start: float) -> None:
        """Wait for the paint awaited; note the step's time and stall, then let it settle."""
        wait_for(lambda: probe.painted_at is not None, name)
        end = probe.painted_at
        assert end is not None
        results[name] = (start, end, probe.stall(start, end))
        settle(0.1)  # what the step left to paint is not counted in the next one

    probe.await_paint(lambda: shown_row(panel, 0) is not None)
    start = time.perf_counter()
    panel.show_launches(scope)
    step("open", start)

    watched = panel.watching(journal)
    assert watched is not None
    written: dict[str, float] = {}
    attempt: list[int] = []

    def record_attempt() -> None:
        attempt.append(
            watched.record_attempt(
                server=SIGNED_IN,
                user="alice",
                job_id=2**53 + 7,
                job_name="Fire alarm Building 7",
                parameters={"jobid": 2**53 + 7, "message": "Benchmark launch"},
            )
        )

    panel.attempt_recorded.connect(
        lambda _id: written.setdefault("attempt", time.perf_counter()),
        Qt.ConnectionType.DirectConnection,  # in the writing thread, when the row is written
    )
    panel.attempt_settled.connect(
        lambda _id: written.setdefault("outcome", time.perf_counter()),
        Qt.ConnectionType.DirectConnection,
    )
    probe.await_paint(lambda: getattr(shown_row(panel, 0), "id", None) in attempt)
    in_thread(record_attempt)
    step("launch: attempt", written["attempt"])

    probe.await_paint(lambda: getattr(shown_row(panel, 0), "outcome", None) is Outcome.OK)
    in_thread(lambda: watched.record_outcome(attempt[0], Outcome.OK, runtimeid=2**60 + 10**7))
    step("launch: outcome", written["outcome"])

    last = panel.model.rowCount() - 1
    probe.await_paint(lambda: shown_row(panel, last) is not None)
    start = time.perf_counter()
    panel.table.scrollToBottom()
    step("scroll to end", start)
    panel.table.scrollToTop()
    settle(0.1)

    results["export CSV"] = export(panel, export_to, probe)
    # A dispatcher browsing meanwhile: a page down every 100 ms, each painted (and its rows
    # read) while the export runs.
    bar = panel.table.verticalScrollBar()
    browse = QTimer()
    browse.timeout.connect(lambda: bar.setValue(bar.value() + bar.pageStep()))
    browse.start(100)
    results["export CSV, scrolling meanwhile"] = export(panel, export_to, probe)
    browse.stop()
    runner.wait_for_done()
    panel.close()
    panel.deleteLater()
    settle(0.05)
    return results


def export(panel: HistoryPanel, target: Path, probe: Probe) -> tuple[float, float, float]:
    """``export_to(target)`` → the file written: (start, end, stall)."""
    start = time.perf_counter()
    panel.export_to(target)
    wait_for(lambda: not panel.exporting, "the export")
    end = time.perf_counter()
    if "Exported" not in panel.status.text():
        raise RuntimeError(f"the export failed: {panel.status.text()}")
    settle(0.1)
    return start, end, probe.stall(start, end)


# -- the baselines -----------------------------------------------------------------------------


class TrivialModel(QAbstractTableModel):
    """``rows`` rows of 12 columns, every cell the same text."""

    def __init__(self, rows: int) -> None:
        super().__init__()
        self.rows = rows

    def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else self.rows

    def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else 12

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return "Launch" if role == Qt.ItemDataRole.DisplayRole else None

    def insert_row(self) -> None:
        self.beginInsertRows(QModelIndex(), 0, 0)
        self.rows += 1
        self.endInsertRows()


def measure_bare_view(rows: int, probe: Probe) -> dict[str, tuple[float, float, float]]:
    """A bare QTableView set up like the History's: model set, a row inserted at the top,
    scrolled to the end → painted."""
    results: dict[str, tuple[float, float, float]] = {}
    view = QTableView()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.verticalHeader().hide()
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.resize(*PANEL_SIZE)
    view.show()
    probe.watch(view.viewport())
    settle(0.2)
    model = TrivialModel(rows)
    for name, act in (
        ("open", lambda: view.setModel(model)),
        ("launch: attempt", model.insert_row),
        ("scroll to end", view.scrollToBottom),
    ):
        probe.await_paint(lambda: True)
        start = time.perf_counter()
        act()
        wait_for(lambda: probe.painted_at is not None, f"bare view: {name}")
        end = probe.painted_at
        assert end is not None
        results[name] = (start, end, probe.stall(start, end))
    view.close()
    view.deleteLater()
    settle(0.05)
    return results


def plain_select(path: Path) -> float:
    """Seconds to read the signed-in server's rows with one plain SELECT into a list."""
    start = time.perf_counter()
    with closing(sqlite3.connect(path)) as connection:
        rows = connection.execute(
            "SELECT * FROM launches WHERE server = ? ORDER BY id DESC", (SIGNED_IN,)
        ).fetchall()
    assert rows
    return time.perf_counter() - start


def plain_export(path: Path, target: Path) -> float:
    """Seconds to write the journal as CSV straight from one SELECT."""
    start = time.perf_counter()
    with closing(sqlite3.connect(path)) as connection, open(target, "w", newline="") as file:
        cursor = connection.execute("SELECT * FROM launches ORDER BY id")
        writer = csv.writer(file)
        writer.writerow(column[0] for column in cursor.description)
        writer.writerows(cursor)
    return time.perf_counter() - start


def whole_read(journal: LaunchJournal) -> float:
    """Seconds the History's read took before paging: every row of the scope as a record."""
    start = time.perf_counter()
    assert LaunchScope.of(SIGNED_IN, demo=False).read(journal)
    return time.perf_counter() - start


# -- the report --------------------------------------------------------------------------------

STEPS = (
    "open",
    "launch: attempt",
    "launch: outcome",
    "scroll to end",
    "export CSV",
    "export CSV, scrolling meanwhile",
)
TARGETS_MS = {"open": 100.0, "launch: attempt": 20.0, "launch: outcome": 20.0}
BASELINE_OF = {
    "open": "bare view: model set",
    "launch: attempt": "bare view: row inserted",
    "launch: outcome": "bare view: row inserted",
    "scroll to end": "bare view: scrolled to end",
    "export CSV": "plain CSV from one SELECT",
    "export CSV, scrolling meanwhile": "plain CSV from one SELECT",
}


@dataclass
class SizeResult:
    """Every figure measured for one journal size."""

    launches: int
    scope_rows: int
    steps: dict[str, Samples]
    baselines: dict[str, Samples]


def measure_size(folder: Path, launches: int, runs: int) -> SizeResult:
    path = folder / f"journal-{launches}.sqlite3"
    journal = fill_journal(path, launches)
    scope_rows = len(journal.launch_ids(SIGNED_IN, LaunchScope.of(SIGNED_IN, demo=False).modes))
    steps = {name: Samples() for name in STEPS}
    baselines = {
        name: Samples()
        for name in (
            "plain SELECT into a list",
            "bare view: model set",
            "bare view: row inserted",
            "bare view: scrolled to end",
            "plain CSV from one SELECT",
            "before: every row as a record",
        )
    }
    runner = TaskRunner()
    probe = Probe()
    bare_names = {
        "open": "bare view: model set",
        "launch: attempt": "bare view: row inserted",
        "scroll to end": "bare view: scrolled to end",
    }
    # Unmeasured: the first panel and view of the process load fonts and styles, and the
    # first reads fill the OS file cache.
    measure_panel(journal, runner, probe, folder / "export.csv")
    measure_bare_view(scope_rows, probe)
    for run in range(runs):
        for name, (start, end, stall) in measure_panel(
            journal, runner, probe, folder / "export.csv"
        ).items():
            steps[name].add(start, end, stall)
        for name, (start, end, stall) in measure_bare_view(scope_rows, probe).items():
            baselines[bare_names[name]].add(start, end, stall)
        baselines["plain SELECT into a list"].add(0, plain_select(path))
        baselines["plain CSV from one SELECT"].add(0, plain_export(path, folder / "plain.csv"))
        if run == 0:  # seconds at 100k: once is enough for a reference
            baselines["before: every row as a record"].add(0, whole_read(journal))
        probe.gaps.clear()
    probe.stop()
    return SizeResult(launches, scope_rows, steps, baselines)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def report(results: list[SizeResult], runs: int) -> str:
    lines = [
        f"History benchmark: {runs} runs per size, offscreen, {os.cpu_count()} CPUs, "
        f"Python {sys.version.split()[0]}. Times in ms (median / worst); stall = longest "
        f"GUI-thread gap of a {TICK_MS} ms timer meanwhile (worst run).",
        "",
        "| launches (shown) | step | median | worst | stall | target | × baseline (median) |",
        "|---|---|---|---|---|---|---|",
    ]
    for result in results:
        size = f"{result.launches:,} ({result.scope_rows:,})"
        for name, samples in result.steps.items():
            median = statistics.median(samples.times)
            baseline = result.baselines[BASELINE_OF[name]]
            ratio = median / statistics.median(baseline.times)
            target = TARGETS_MS.get(name)
            stall = max(samples.stalls)
            verdict = (
                ""
                if target is None
                else f"≤ {target:.0f}: {'met' if median * 1000 <= target else 'MISSED'}"
            )
            if name.startswith("export CSV"):
                verdict = f"stall ≤ {STALL_TARGET_MS:.0f}: " + (
                    "met" if stall * 1000 <= STALL_TARGET_MS else "MISSED"
                )
            lines.append(
                f"| {size} | {name} | {_ms(median)} | {_ms(max(samples.times))} | {_ms(stall)} "
                f"| {verdict} | {ratio:.1f} × {BASELINE_OF[name]} |"
            )
        select = statistics.median(result.baselines["plain SELECT into a list"].times)
        opened = statistics.median(result.steps["open"].times)
        lines.append(f"| {size} | open ÷ plain SELECT | | | | | {opened / select:.2f} |")
        for name, samples in result.baselines.items():
            stall = f" (stall {_ms(max(samples.stalls))})" if any(samples.stalls) else ""
            lines.append(
                f"| {size} | baseline: {name} | {_ms(statistics.median(samples.times))} "
                f"| {_ms(max(samples.times))}{stall} | | | |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", type=Path, help="where the journals go (default: a temp folder)")
    args = parser.parse_args(argv)
    if args.runs < 1 or min(args.sizes) < 1:
        parser.error("--runs and every size must be at least 1")
    qInstallMessageHandler(_print_qt_message)
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="dispatch-bench-history-", dir=args.dir) as folder:
        results = [measure_size(Path(folder), size, args.runs) for size in args.sizes]
    print(report(results, args.runs))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
