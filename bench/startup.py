"""Start-up benchmark: ``dispatch-desktop --demo`` to its painted sign-in dialog, against a
bare PySide6 window, each a fresh process measured from spawn to first paint.

Run it with::

    .venv/bin/python bench/startup.py                      # 11 measured runs of each
    .venv/bin/python bench/startup.py --runs 21
    .venv/bin/python bench/startup.py --cached-bytecode    # every module from .pyc files

What is timed: the parent notes the time just before it spawns a child and the time the child
reports that a window's first paint has been handed to the window system; the difference is what
a user waits for, interpreter start-up, imports, settings and all. Two children, alternately
(baseline, app; baseline, app; ...), after two unmeasured warm-ups of each (which also fill the
OS file cache):

- ``baseline``: a bare window, ``python -c``: QApplication, then a 1280×800 QMainWindow, shown;
- ``app``: the command a user runs, the ``dispatch-desktop`` script pip installed next to this
  Python, with ``--demo``. Two of its paints are timed: its sign-in dialog's (the figure compared
  with the baseline: the user's next step is to sign in) and its main window's.

How a child reports its first paint: it does not know it is measured. Both children run with
Qt's own logging rule ``QT_LOGGING_RULES=qt.widgets.painting=true``, under which Qt's widget
repaint manager logs, on standard error, each time it flushes a painted window to the window
system (``Flushing QRegion(...) of SignInDialog(0x...) to QWidgetWindow(...)``): the moment the
window's pixels, every child widget drawn, are handed over. The parent reads those lines as they
come. This is the least intrusive hook there is: the product is run unchanged, by the very
command a user types, and carries no benchmarking code (no environment variable of its own, no
event filter loaded beside it, no path taken only when measured). The rule costs both children
a log line per widget repaint step: about 65 before the app's dialog is flushed, 12 before the
baseline's window, some microseconds each. Once every awaited window has been flushed the parent
sends SIGTERM: the app closes as it does on that signal and must exit with code 0, the bare
window is simply ended.

Both children run with ``QT_QPA_PLATFORM=offscreen`` and ``DISPATCH_DESKTOP_DATA_DIR`` set to one
temporary folder (settings, journal and logs are the benchmark's, never the user's), and the
same interpreter, environment and bytecode: the report says which modules have ``.pyc`` files.
With ``PYTHONDONTWRITEBYTECODE=1`` an editable install compiles the app's own modules at every
start, while the stdlib and PySide6 load from the ``.pyc`` files pip wrote; ``--cached-bytecode``
gives both children a private bytecode cache (``PYTHONPYCACHEPREFIX``) that the warm-ups fill, so
that every module loads from bytecode, as in a regular (non-editable) install.

It prints, for each child and window, the median, the quartiles and the extremes; the ratio of
the medians (app's sign-in dialog / baseline) and the spread of the ratios of the alternating
pairs; and whether the start-up issue's target (≤ 2.0) is met. It exits 0 whatever the ratio:
a benchmark reports, it does not gate. It exits 1 only when a child fails: nothing was measured.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.util import cache_from_source, find_spec
from pathlib import Path

TARGET_RATIO = 2.0
CHILD_TIMEOUT_S = 60.0
WARM_UPS = 2
SCRIPT_NAME = "dispatch-desktop"
PAINT_LOG_RULE = "qt.widgets.painting=true"
# Qt's line for a window's backing store flushed to the window system; the class name follows
# "of" (a Python subclass reports its own name).
FLUSHED = re.compile(r"^qt\.widgets\.painting: Flushing .* of (\w+)\(0x[0-9a-f]+")
BARE_WINDOW = """\
import sys
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 800)
window.show()
sys.exit(app.exec())
"""

# The windows whose first paint is timed in each child.
AWAITED = {"baseline": ("QMainWindow",), "app": ("SignInDialog", "MainWindow")}
LABELS = {
    ("baseline", "QMainWindow"): "bare PySide6 QMainWindow",
    ("app", "SignInDialog"): "dispatch-desktop --demo: sign-in dialog",
    ("app", "MainWindow"): "dispatch-desktop --demo: main window",
}


class ChildFailed(RuntimeError):
    """A child did not paint every awaited window, or the app did not exit cleanly."""


@dataclass(frozen=True)
class Series:
    """Every sample of one window of one child, in seconds."""

    kind: str
    window: str
    samples: list[float]

    @property
    def median(self) -> float:
        """The median sample."""
        return statistics.median(self.samples)

    @property
    def label(self) -> str:
        """How the report names it."""
        return LABELS[(self.kind, self.window)]


def app_script() -> Path:
    """The ``dispatch-desktop`` script installed beside this Python (``make``'s venv)."""
    script = Path(sys.executable).with_name(SCRIPT_NAME)
    if not script.is_file():
        raise SystemExit(f"{script} is missing: install the app first (make .venv/bin/.installed)")
    return script


def child_environment(data_dir: Path, pycache: Path | None) -> dict[str, str]:
    """The environment of every child: offscreen Qt logging its window flushes, the app's files
    under ``data_dir``, and with ``pycache`` a private bytecode cache the children fill."""
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["QT_LOGGING_RULES"] = PAINT_LOG_RULE
    env["DISPATCH_DESKTOP_DATA_DIR"] = str(data_dir)
    for name in ("PYTHONPROFILEIMPORTTIME", "PYTHONPYCACHEPREFIX", "PYTHONSTARTUP"):
        env.pop(name, None)
    if pycache is not None:
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def command_of(kind: str, script: Path) -> list[str]:
    """What a ``kind`` child runs."""
    if kind == "baseline":
        return [sys.executable, "-c", BARE_WINDOW]
    return [str(script), "--demo"]


def time_child(kind: str, env: dict[str, str], script: Path) -> dict[str, float]:
    """Seconds from spawning a ``kind`` child to the first flush of each awaited window."""
    awaited = set(AWAITED[kind])
    painted: dict[str, float] = {}
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and the app's own script
        command_of(kind, script),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    assert process.stderr is not None
    errors: list[str] = []
    for line in process.stderr:
        flushed = FLUSHED.match(line)
        if flushed is None:
            errors.append(line)
        elif flushed.group(1) in awaited:
            awaited.remove(flushed.group(1))
            painted[flushed.group(1)] = time.perf_counter() - started
            if not awaited:
                process.send_signal(signal.SIGTERM)
    try:
        code = process.wait(timeout=CHILD_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        code = -signal.SIGKILL
    clean = code == 0 or (kind == "baseline" and code == -signal.SIGTERM)
    if awaited or not clean:
        raise ChildFailed(
            f"the {kind} child exited with code {code}, "
            f"{'before painting ' + ', '.join(sorted(awaited)) if awaited else 'after painting'}:\n"
            + "".join(errors[-40:])
        )
    return painted


def measure(runs: int, env: dict[str, str], script: Path) -> list[Series]:
    """``runs`` timings of each child, alternating, after :data:`WARM_UPS` of each."""
    for _ in range(WARM_UPS):
        for kind in AWAITED:
            time_child(kind, env, script)
    samples: dict[tuple[str, str], list[float]] = {
        (kind, window): [] for kind, windows in AWAITED.items() for window in windows
    }
    for _ in range(runs):
        for kind in AWAITED:
            for window, seconds in time_child(kind, env, script).items():
                samples[(kind, window)].append(seconds)
    return [Series(kind, window, values) for (kind, window), values in samples.items()]


def bytecode_line(package: str) -> str:
    """How many of ``package``'s modules have a ``.pyc`` file where this Python looks."""
    spec = find_spec(package)
    assert spec is not None
    assert spec.origin is not None
    sources = list(Path(spec.origin).parent.rglob("*.py"))
    cached = sum(Path(cache_from_source(str(source))).is_file() for source in sources)
    return f"{package}: {cached} of {len(sources)} modules"


def conditions(cached_bytecode: bool) -> list[str]:
    """The conditions both children ran under."""
    lines = [f"Python {platform.python_version()}, {os.cpu_count()} CPUs, Qt platform offscreen"]
    if cached_bytecode:
        lines.append("bytecode: a private cache (PYTHONPYCACHEPREFIX) filled by the warm-ups:")
        lines.append("  every module of both children loads from a .pyc file")
        return lines
    writes = "not written" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "written"
    lines.append(f"bytecode: .pyc files {writes} (PYTHONDONTWRITEBYTECODE); existing ones:")
    lines += [f"  {bytecode_line(package)}" for package in ("dispatch_desktop", "PySide6")]
    lines.append("  (a module without one is compiled at every start)")
    return lines


def quartiles(samples: list[float]) -> tuple[float, float]:
    """The first and third quartiles (the sample itself when there is only one)."""
    if len(samples) < 2:
        return samples[0], samples[0]
    first, _, third = statistics.quantiles(samples, n=4, method="inclusive")
    return first, third


def report(series: list[Series], cached_bytecode: bool) -> str:
    """The table the benchmark prints."""
    by_key = {(s.kind, s.window): s for s in series}
    baseline = by_key[("baseline", "QMainWindow")]
    dialog = by_key[("app", "SignInDialog")]
    ratio = dialog.median / baseline.median
    pairs = [app / bare for app, bare in zip(dialog.samples, baseline.samples, strict=True)]
    lines = [
        f"Spawn to first paint, fresh processes, alternating; {len(baseline.samples)} runs of "
        f"each after {WARM_UPS} warm-ups",
        *conditions(cached_bytecode),
        "",
        f"{'':<42}{'median':>8}{'p25':>8}{'p75':>8}{'min':>8}{'max':>8}",
    ]
    for one in series:
        first, third = quartiles(one.samples)
        values = (one.median, first, third, min(one.samples), max(one.samples))
        lines.append(f"{one.label:<42}" + "".join(f"{v * 1000:>6.0f}ms" for v in values))
    first, third = quartiles(pairs)
    lines += [
        "",
        f"ratio sign-in dialog / bare window (medians): {ratio:.2f}",
        f"ratio within each alternating pair: median {statistics.median(pairs):.2f}, "
        f"p25-p75 {first:.2f}-{third:.2f}, range {min(pairs):.2f}-{max(pairs):.2f}",
        f"target ≤ {TARGET_RATIO:.1f}: {'met' if ratio <= TARGET_RATIO else 'NOT met'}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=11, help="measured runs of each child (default 11)"
    )
    parser.add_argument(
        "--cached-bytecode",
        action="store_true",
        help="load every module of both children from a private bytecode cache",
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    script = app_script()
    with tempfile.TemporaryDirectory(prefix="dispatch-bench-") as folder:
        pycache = Path(folder) / "pycache" if args.cached_bytecode else None
        env = child_environment(Path(folder) / "data", pycache)
        try:
            series = measure(args.runs, env, script)
        except ChildFailed as error:
            print(f"benchmark failed: {error}", file=sys.stderr)
            return 1
    print(report(series, args.cached_bytecode))
    return 0


if __name__ == "__main__":
    sys.exit(main())
