"""Startup benchmark: time to a shown main window, against a bare PySide6 window.

Run it with::

    .venv/bin/python bench/startup.py            # 5 measured runs of each, plus a warm-up
    .venv/bin/python bench/startup.py --runs 9

Each run is a fresh Python process, so interpreter start-up and every import count. The
parent notes the time just before it spawns a child and the time the child's ``SHOWN`` line
arrives; the child prints that line when its window receives its first paint event, i.e. when
the window has really been laid out and drawn. Two children are compared:

- ``baseline``: imports PySide6.QtWidgets, creates a QApplication and a 1280×800 QMainWindow
  and shows it;
- ``app``: the real start-up path of ``dispatch-desktop --demo`` up to its shown main window
  (logging, crash handler, settings, journal, the main window, its first paint):
  :func:`dispatch_desktop.ui.app.create_main_window`. The app shows its window before any
  network, keyring or demo-server work; the sign-in dialog then opens over it and waits for
  a person.

Both run with ``QT_QPA_PLATFORM=offscreen`` and ``DISPATCH_DESKTOP_DATA_DIR`` set to one
temporary folder (so settings and journal are the app's, never the user's), alternately, after
one unmeasured warm-up run of each (which also fills the OS file cache).

The script prints the median of each, their ratio (app / baseline) and whether it meets the
target of the start-up issue (≤ 2.0). It exits 0 whatever the ratio: a benchmark reports, it
does not gate. It exits 1 only when a child fails, since then nothing was measured.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

TARGET_RATIO = 2.0
SHOWN_LINE = "SHOWN"
CHILD_TIMEOUT_S = 60.0
KINDS = ("baseline", "app")
WINDOW_SIZE = (1280, 800)


# -- children ---------------------------------------------------------------------------------
# Each child imports Qt (and the app) only inside its function: this module's own imports are
# the standard library's, paid equally by both children.


def _run_until_first_paint(window: object) -> int:
    """Show ``window``, print ``SHOWN`` on its first paint event, then leave the event loop.

    Returns the event loop's exit code (non-zero when no paint came within the timeout).
    """
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    assert isinstance(window, QWidget)
    app = QApplication.instance()
    assert isinstance(app, QApplication)

    class FirstPaint(QObject):
        """Reports the first paint event of the watched widget."""

        done = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
            if not self.done and event.type() == QEvent.Type.Paint:
                self.done = True
                sys.stdout.write(SHOWN_LINE + "\n")
                sys.stdout.flush()
                QTimer.singleShot(0, app.quit)
            return False

    watcher = FirstPaint()
    window.installEventFilter(watcher)
    QTimer.singleShot(int(CHILD_TIMEOUT_S * 1000), lambda: app.exit(3))
    window.show()
    code = app.exec()
    window.removeEventFilter(watcher)
    return code


def child_baseline() -> int:
    """A bare PySide6 window: QApplication, QMainWindow, show."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("Baseline")
    window.resize(*WINDOW_SIZE)
    code = _run_until_first_paint(window)
    del app
    return code


def child_app() -> int:
    """The app's start-up path in demo mode up to its shown main window: what
    :func:`dispatch_desktop.ui.app.run` does before the first paint. The sign-in dialog opens
    over the shown window afterwards and waits for a person, so it is not part of this."""
    from dispatch_desktop.cli import build_parser
    from dispatch_desktop.ui.app import create_main_window

    window = create_main_window(build_parser().parse_args(["--demo"]))
    window.resize(*WINDOW_SIZE)
    code = _run_until_first_paint(window)
    window.context.runner.wait_for_done()
    return code


# -- parent -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """Median and every sample of one kind of child, in seconds."""

    kind: str
    samples: list[float]

    @property
    def median(self) -> float:
        """The median sample."""
        return statistics.median(self.samples)


class ChildFailed(RuntimeError):
    """A child exited without printing ``SHOWN``, or with a non-zero exit code."""


def child_environment(data_dir: Path) -> dict[str, str]:
    """The environment of every child: offscreen Qt, and the app's files under ``data_dir``."""
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["DISPATCH_DESKTOP_DATA_DIR"] = str(data_dir)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


def time_child(kind: str, env: dict[str, str]) -> float:
    """Seconds from spawning a ``kind`` child to its ``SHOWN`` line."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind]
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as errors:
        started = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 - our own interpreter running this file
            command,
            stdout=subprocess.PIPE,
            stderr=errors,
            stdin=subprocess.DEVNULL,
            env=env,
            text=True,
        )
        assert process.stdout is not None
        shown_at: float | None = None
        for line in process.stdout:
            if line.strip() == SHOWN_LINE:
                shown_at = time.perf_counter()
                break
        process.stdout.read()
        try:
            code = process.wait(timeout=CHILD_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            code = -9
        if shown_at is None or code != 0:
            errors.seek(0)
            raise ChildFailed(
                f"the {kind} child exited with code {code} "
                f"{'after' if shown_at else 'before'} showing its window:\n{errors.read()}"
            )
        return shown_at - started


def measure(runs: int, data_dir: Path, *, warm_up: bool = True) -> dict[str, Result]:
    """``runs`` timings of each child, alternating, after one unmeasured warm-up of each."""
    env = child_environment(data_dir)
    if warm_up:
        for kind in KINDS:
            time_child(kind, env)
    samples: dict[str, list[float]] = {kind: [] for kind in KINDS}
    for _ in range(runs):
        for kind in KINDS:
            samples[kind].append(time_child(kind, env))
    return {kind: Result(kind, values) for kind, values in samples.items()}


def report(results: dict[str, Result]) -> str:
    """The table the benchmark prints."""
    baseline, app = results["baseline"], results["app"]
    ratio = app.median / baseline.median
    verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
    runs = len(baseline.samples)
    lines = [
        f"Time to a shown window, fresh process, offscreen; median of {runs} runs",
        "",
        f"{'':<34}{'median':>9}{'min':>9}{'max':>9}",
    ]
    labels = {
        "baseline": "bare PySide6 QMainWindow",
        "app": "Dispatch Desktop (demo mode)",
    }
    for result in (baseline, app):
        lines.append(
            f"{labels[result.kind]:<34}{result.median:>8.3f}s"
            f"{min(result.samples):>8.3f}s{max(result.samples):>8.3f}s"
        )
    lines += [
        "",
        f"ratio app / baseline: {ratio:.2f}",
        f"target ≤ {TARGET_RATIO:.1f}: {verdict}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with ``--child``, be one of its children)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=5, help="measured runs of each child (default 5)"
    )
    parser.add_argument("--child", choices=KINDS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "baseline":
        return child_baseline()
    if args.child == "app":
        return child_app()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    with tempfile.TemporaryDirectory(prefix="dispatch-bench-") as data_dir:
        try:
            results = measure(args.runs, Path(data_dir))
        except ChildFailed as error:
            print(f"benchmark failed: {error}", file=sys.stderr)
            return 1
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
