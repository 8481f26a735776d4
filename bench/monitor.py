"""Monitor benchmark: the job monitor over stores of realistic and large size, as a user meets
it, offscreen.

Run it with::

    .venv/bin/python bench/monitor.py                     # every size, 3 runs each
    .venv/bin/python bench/monitor.py --runs 5 --sizes baseline realistic

Sizes (``bench/fill_monitor.py`` writes the stores once into ``--cache`` and reuses them):

- ``baseline``: one job of 10 events, no launch: the monitor with nothing to read;
- ``realistic``: 10,000 events and 1,000 launches (plus a job of 200 events);
- ``large``: 1,000,000 events over a year and 100,000 launches (plus a job of 20,000 events).

Each run is a fresh process with a copy of the stores as its data folder. It shows a 1280×800
window, then starts the real :class:`~dispatch_desktop.ui.monitor_controller.MonitorController`
(its own receiver on a free port, the monitor panel, the tray icon; retention set to keep
everything) and measures, with a timer that ticks every 5 ms on the GUI thread (the worst gap
between two ticks, less the 5 ms, is the worst stall):

- jobs visible: from the start until the panel shows the newest jobs read from the stores;
- worst GUI stall while the monitor loads (until half a second after that);
- memory: the process's resident size then, above the shown empty window's;
- timeline: selecting the biggest job until its whole timeline is in the table and painted;
- older page: "Show older jobs" until the next page is in the table;
- burst: 2,000 live events (new jobs, jobs not read yet, the selected job) handed over at once,
  as a follower catching up does, until every one is applied.

The table gives the median and the worst run of each size, and each median's ratio to the
baseline's, measured in the same run. It exits 0 whatever the figures: a benchmark reports, it
does not gate (the tests are functional). It exits 1 only when a run fails.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fill_monitor import EVENTS_FILE, JOURNAL_FILE, SERVER, fill

RESULT = "RESULT "
TICK_MS = 5
BURST = 2_000
SETTLE_S = 0.5
TIMEOUT_S = 300.0


@dataclass(frozen=True)
class Size:
    events: int
    launches: int
    big_job: int
    label: str


SIZES = {
    "baseline": Size(0, 0, 10, "baseline (1 job)"),
    "realistic": Size(10_000, 1_000, 200, "10k events / 1k launches"),
    "large": Size(1_000_000, 100_000, 20_000, "1M events / 100k launches"),
}

# The rows of the table: key, title, unit.
STEPS = (
    ("visible_ms", "jobs visible", "ms"),
    ("load_stall_ms", "worst GUI stall while loading", "ms"),
    ("memory_mb", "memory above the empty window", "MB"),
    ("timeline_ms", "timeline of the biggest job open", "ms"),
    ("timeline_stall_ms", "worst GUI stall opening it", "ms"),
    ("older_ms", "Show older jobs (one page)", "ms"),
    ("burst_ms", f"burst of {BURST:,} live events applied", "ms"),
    ("burst_stall_ms", "worst GUI stall in the burst", "ms"),
)


# -- the child: one measured run --------------------------------------------------------------


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def child(root: Path, big_job: int) -> dict[str, float | int | None]:
    """Measure one run over the stores in ``root/data`` (see the module)."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["DISPATCH_DESKTOP_DATA_DIR"] = str(root)
    import gc

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget

    from dispatch_desktop.events.config import SourceConfig, SourceMode
    from dispatch_desktop.storage.journal import LaunchJournal
    from dispatch_desktop.storage.paths import journal_path
    from dispatch_desktop.storage.secrets import SecretStore
    from dispatch_desktop.ui.main_window import AppContext
    from dispatch_desktop.ui.monitor_controller import MonitorController
    from dispatch_desktop.ui.settings import MAX_RETENTION_DAYS, AppSettings
    from dispatch_desktop.ui.workers import TaskRunner

    app = QApplication(["bench-monitor"])
    settings = AppSettings(root / "config" / "settings.ini")
    settings.set_event_source(SourceConfig(mode=SourceMode.EMBEDDED, port=_free_port()))
    settings.event_retention_days = MAX_RETENTION_DAYS  # keep the year of events
    context = AppContext(
        settings=settings,
        secrets=SecretStore(),
        runner=TaskRunner(),
        journal=LaunchJournal(journal_path()),
    )
    window = QMainWindow()
    page = QStackedWidget(window)
    window.setCentralWidget(page)
    window.resize(1280, 800)
    window.show()
    ticks: list[float] = []
    probe = QTimer()
    probe.setInterval(TICK_MS)
    probe.timeout.connect(lambda: ticks.append(time.perf_counter()))
    probe.start()

    def wait_until(done: Callable[[], bool], timeout: float = TIMEOUT_S) -> None:
        deadline = time.perf_counter() + timeout
        while not done():
            if time.perf_counter() > deadline:
                raise TimeoutError("the monitor did not get there in time")
            app.processEvents()
            time.sleep(0.001)

    def settle(seconds: float) -> None:
        end = time.perf_counter() + seconds
        wait_until(lambda: time.perf_counter() > end)

    def worst_stall(since: float) -> float:
        gaps = [b - a for a, b in itertools.pairwise(ticks) if b > since]
        return max(0.0, max(gaps, default=0.0) * 1000 - TICK_MS)

    settle(0.3)
    gc.collect()
    empty_mb = _rss_mb()
    settle(0.1)  # the probe ticks again: a gap counts from here

    began = time.perf_counter()
    controller = MonitorController(context, page, window)
    controller.set_server(SERVER)
    controller.start()
    panel = controller.panel
    wait_until(
        lambda: panel.monitor is not None and not panel.reading and panel.model.rowCount() > 0
    )
    visible = time.perf_counter() - began
    settle(SETTLE_S)
    load_stall = worst_stall(began)
    gc.collect()
    memory = _rss_mb() - empty_mb

    store = controller.source.store if controller.source is not None else None
    assert store is not None
    settle(0.1)
    began = time.perf_counter()
    panel.select_job(big_job)
    wait_until(
        lambda: (
            panel.selected_jobid() == big_job
            and not panel.timeline_model.loading
            and panel.timeline_model.rowCount() > 0
        )
    )
    panel.timeline.viewport().repaint()
    timeline = time.perf_counter() - began
    settle(0.1)
    timeline_stall = worst_stall(began)

    older = None
    if panel.older_button.isVisible():
        rows = panel.model.rowCount()
        began = time.perf_counter()
        panel.show_older_jobs()
        wait_until(lambda: not panel.reading)
        older = (time.perf_counter() - began) * 1000 if panel.model.rowCount() > rows else None

    entries = panel.timeline_model.rowCount()
    events = _burst(store, big_job)
    settle(0.1)
    began = time.perf_counter()
    controller.bridge.deliver_many(events)
    last = max(event.cursor for event in events)
    wait_until(lambda: panel.last_cursor >= last and not panel.queued)
    burst = time.perf_counter() - began
    settle(0.1)
    burst_stall = worst_stall(began)

    controller.stop()
    context.runner.wait_for_done(30_000)
    window.close()
    return {
        "visible_ms": visible * 1000,
        "load_stall_ms": load_stall,
        "memory_mb": memory,
        "timeline_ms": timeline * 1000,
        "timeline_entries": entries,
        "timeline_stall_ms": timeline_stall,
        "older_ms": older,
        "burst_ms": burst * 1000,
        "burst_stall_ms": burst_stall,
    }


def _burst(store: object, selected: int) -> list[object]:
    """:data:`BURST` live events, stored first as the receiver does: 30 new jobs of 60
    events, 100 for the selected job, the rest for 10 jobs older than the first page."""
    import json as json_module
    import random
    from datetime import UTC, datetime

    from dispatch_desktop.events.model import StoredEvent, parse_callback

    rng = random.Random(5)
    now_ms = int(time.time() * 1000)
    jobids = [rng.randrange(2**53 + 1, 2**63 - 1) for _ in range(30)]
    old = _oldest_jobs(store, 10)
    bodies: list[dict[str, object]] = []
    for jobid in jobids:
        bodies.append({"jobid": str(jobid), "eventtype": "JOB_START", "jobtype": "CallOut"})
        bodies += [{"jobid": str(jobid), "eventtype": "JOB_ASSIGN"} for _ in range(59)]
    bodies += [{"jobid": str(selected), "eventtype": "JOB_ASSIGN"} for _ in range(100)]
    while len(bodies) < BURST:
        bodies.append({"jobid": str(rng.choice(old)), "eventtype": "JOB_ASSIGN"})
    rng.shuffle(bodies)
    copies = []
    for number, body in enumerate(bodies):
        body |= {"timestamp": now_ms + number, "sendname": f"Responder {number}", "userid": 1}
        event = parse_callback(json_module.dumps(body))
        copies.append(StoredEvent.of(event, 0, datetime.now(UTC)))
    return store.add_copies(copies, 0)  # type: ignore[attr-defined]


def _oldest_jobs(store: object, count: int) -> list[int]:
    import sqlite3

    connection = sqlite3.connect(getattr(store, "path"))  # noqa: B009 - any store
    try:
        rows = connection.execute(
            "SELECT jobid FROM jobs ORDER BY first_ms LIMIT ?", (count,)
        ).fetchall()
    finally:
        connection.close()
    return [row[0] for row in rows]


# -- the parent: fill, run, tabulate -----------------------------------------------------------


def _filled(cache: Path, name: str, size: Size) -> tuple[Path, int]:
    """The folder of ``size``'s stores, written once, and the runtime id of its big job."""
    folder = cache / f"{name}-{size.events}-{size.launches}-{size.big_job}"
    written = folder / "filled.json"
    if not written.exists():
        began = time.perf_counter()
        print(f"filling {size.label} into {folder} …", file=sys.stderr, flush=True)
        shutil.rmtree(folder, ignore_errors=True)
        filled = fill(folder, size.events, size.launches, big_job=size.big_job)
        written.write_text(json.dumps({"big_job": filled.big_job}))
        print(f"… {time.perf_counter() - began:.0f} s", file=sys.stderr, flush=True)
    return folder, json.loads(written.read_text())["big_job"]


def _run(folder: Path, big_job: int) -> dict[str, float | int | None]:
    with tempfile.TemporaryDirectory(prefix="bench-monitor-") as root:
        data = Path(root) / "data"
        data.mkdir(mode=0o700)
        os.chmod(root, 0o700)
        for name in (EVENTS_FILE, JOURNAL_FILE):
            shutil.copyfile(folder / name, data / name)
        answer = subprocess.run(  # noqa: S603 - this script, this interpreter
            [sys.executable, __file__, "--child", root, "--big-job", str(big_job)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S * 3,
            check=False,
        )
    for line in answer.stdout.splitlines():
        if line.startswith(RESULT):
            return json.loads(line[len(RESULT) :])
    raise RuntimeError(f"a run failed:\n{answer.stdout}\n{answer.stderr}")


def _cell(values: list[float | int | None]) -> tuple[float | None, str]:
    known = [value for value in values if value is not None]
    if not known:
        return None, "—"
    median = statistics.median(known)
    return median, f"{median:,.0f} ({max(known):,.0f})"


def table(results: dict[str, list[dict[str, float | int | None]]]) -> str:
    """The figures as a Markdown table: median (worst) per size, ratio to the baseline."""
    names = list(results)
    header = ["step", *(f"{SIZES[name].label}: median (worst)" for name in names)]
    header += [f"{SIZES[name].label} / baseline" for name in names if name != "baseline"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for key, title, unit in STEPS:
        medians: dict[str, float | None] = {}
        cells = []
        for name in names:
            medians[name], text = _cell([run[key] for run in results[name]])
            if key == "timeline_ms":
                text += f" [{results[name][0]['timeline_entries']:,} entries]"
            cells.append(text)
        base = medians.get("baseline")
        for name in names:
            if name == "baseline":
                continue
            value = medians[name]
            cells.append("—" if not base or value is None else f"{value / base:.1f}×")
        lines.append(f"| {title} ({unit}) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="measured runs per size")
    parser.add_argument("--sizes", nargs="+", choices=list(SIZES), default=list(SIZES))
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "dispatch-bench-monitor",
        help="where the filled stores are kept between runs",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--big-job", type=int, default=0, help=argparse.SUPPRESS)  # its id
    args = parser.parse_args()
    if args.child is not None:
        print(RESULT + json.dumps(child(args.child, args.big_job)), flush=True)
        return 0
    sizes = ["baseline", *(name for name in args.sizes if name != "baseline")]
    args.cache.mkdir(mode=0o700, parents=True, exist_ok=True)
    results: dict[str, list[dict[str, float | int | None]]] = {}
    try:
        folders = {name: _filled(args.cache, name, SIZES[name]) for name in sizes}
        for run in range(args.runs):  # sizes alternate, so that a busy moment hits all
            for name in sizes:
                results.setdefault(name, []).append(_run(*folders[name]))
                print(f"run {run + 1}/{args.runs}: {name} done", file=sys.stderr, flush=True)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        print(exc, file=sys.stderr)
        return 1
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
