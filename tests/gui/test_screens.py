"""Screens and scaling: the first window fits a 1366×768 laptop and a 1920×1080 screen at
150 %, with the Start button, the outcome and the status line in sight, job names whole beside
the ids, and no digit of an id hidden."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QHeaderView

from dispatch_desktop.joblist import Column
from dispatch_desktop.ui.main_window import AppContext, MainWindow
from dispatch_desktop.ui.monitor_panel import MonitoredJobsModel

PROBE = Path(__file__).with_name("screen_probe.py")
FIXED = QHeaderView.ResizeMode.Fixed


def probe(
    tmp_path: Path, screen: str, scale: str | None, language: str = "en"
) -> dict[str, object]:
    """What the probe finds in sight on an offscreen ``screen`` at ``scale``, the windows in
    ``language``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    if scale is not None:
        env["QT_SCALE_FACTOR"] = scale
    tmp_path.chmod(0o700)
    done = subprocess.run(  # noqa: S603 - this interpreter, the probe next to this file
        [sys.executable, str(PROBE), screen, str(tmp_path), language],
        capture_output=True,
        text=True,
        env=env,
        timeout=90,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("language", ["en", "sv"])
@pytest.mark.parametrize(
    ("screen", "scale", "logical"),
    [("1366x768", None, [1366, 768]), ("1920x1080", "1.5", [1280, 720])],
    ids=["laptop at 100 %", "full HD at 150 %"],
)
def test_the_first_window_fits_and_shows_what_matters(
    tmp_path: Path, screen: str, scale: str | None, logical: list[int], language: str
) -> None:
    seen = probe(tmp_path, screen, scale, language)
    assert seen["screen"][2:] == logical  # the scale took effect
    assert seen["fits"], seen["frame"]
    # The Start button, the outcome (its buttons too) and the status line: whole, in sight.
    assert seen["not shown whole"] == []
    # Job names whole beside the ids; no digit of an id hidden in the list or the fields.
    assert seen["cut names"] == []
    assert seen["cut ids"] == []
    assert seen["cut titles"] == []
    assert seen["cut fields"] == []
    # The form scrolls down, never sideways: every label and field fits its width (the
    # Swedish labels are longer).
    assert seen["scrolls sideways"] == []


def test_a_window_saved_on_a_larger_screen_comes_back_on_this_one(
    qtbot, context: AppContext, window: MainWindow
) -> None:
    window.resize(3000, 2000)
    window.move(2500, 1800)
    context.settings.window_geometry = window.saveGeometry()
    again = MainWindow(context)
    qtbot.addWidget(again)
    again.show()
    room = again.screen().availableGeometry()
    assert room.contains(again.frameGeometry())


def test_no_id_column_can_be_narrowed_by_hand(qtbot, window: MainWindow) -> None:
    assert window.jobs_panel.table.horizontalHeader().sectionResizeMode(Column.ID) == FIXED
    history = window.history.table.horizontalHeader()
    titles = window.history.model.COLUMNS
    for title in ("Runtime id", "Saved job id"):
        assert history.sectionResizeMode(titles.index(title)) == FIXED
    window.start_monitor()
    qtbot.waitUntil(lambda: window.monitor_panel is not None, timeout=10_000)
    monitor = window.monitor_panel.table.horizontalHeader()
    assert monitor.sectionResizeMode(MonitoredJobsModel.COLUMNS.index("Runtime id")) == FIXED
