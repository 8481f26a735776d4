"""Run by test_screens.py in a process of its own, on an offscreen screen of a given size
and scale: open the main window as a dispatcher first sees it (signed in to the demo server, a
saved job open, the outcome of a launch shown) and print, as JSON, what of it is in sight.

    python screen_probe.py WIDTHxHEIGHT DATA_DIR [LANGUAGE]   (QT_SCALE_FACTOR may be set)
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt

TESTS = Path(__file__).resolve().parent.parent


def offscreen_screen(width: int, height: int, folder: Path) -> None:
    """Before Qt starts: one offscreen screen of ``width`` × ``height`` device pixels."""
    config = folder / "screen.json"
    screen = {"name": "probe", "x": 0, "y": 0, "width": width, "height": height}
    screen |= {"logicalDpi": 96, "logicalDpiY": 96, "dpr": 1}
    config.write_text(json.dumps({"screens": [screen]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def main() -> None:
    width, height = map(int, sys.argv[1].split("x"))
    folder = Path(sys.argv[2])
    language = sys.argv[3] if len(sys.argv) > 3 else "en"
    offscreen_screen(width, height, folder)
    sys.path.append(str(TESTS))  # keyring_memory; conftest is the one beside this file

    import keyring
    from conftest import demo_form
    from keyring_memory import InMemoryKeyring
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from dispatch_desktop.demo import DemoServer, tag_vocabulary
    from dispatch_desktop.launcher import LaunchOutcome, LaunchPlan
    from dispatch_desktop.storage.journal import LaunchJournal, LaunchMode, Outcome
    from dispatch_desktop.storage.secrets import SecretStore
    from dispatch_desktop.ui.main_window import AppContext, MainWindow
    from dispatch_desktop.ui.settings import AppSettings
    from dispatch_desktop.ui.signin import sign_in
    from dispatch_desktop.ui.workers import TaskRunner

    keyring.set_keyring(InMemoryKeyring())
    app = QApplication(["probe"])
    from dispatch_desktop.ui.language import install_language

    install_language(app, language)
    with DemoServer(start_delay=0.0, speed=1000.0) as server:
        context = AppContext(
            settings=AppSettings(folder / "settings.ini"),
            secrets=SecretStore(),
            runner=TaskRunner(),
            journal=LaunchJournal(folder / "journal.sqlite3"),
            demo=True,
            demo_server=server.url,
            demo_vocabulary=tag_vocabulary(),
        )
        session = sign_in(demo_form(server), context.secrets)
        window = MainWindow(context, session)
        window.show()
        jobs = window.jobs_panel.model.job_list()
        job = window.jobs_panel.model.job_with_id(max(jobs.ids))
        window.open_job(job)
        plan = LaunchPlan(
            job, window.form.build_request(), window.form.generic_type, server.url, "demo"
        )
        plan = LaunchPlan(job, plan.request, plan.generic_type, server.url, "demo", LaunchMode.DEMO)
        outcome = LaunchOutcome(Outcome.OK, "The job started.", runtimeid=2**63 - 1)
        window.outcome.show_outcome(outcome, plan)
        for _ in range(20):
            QCoreApplication.processEvents()
        print(json.dumps(report(app, window)))
        window.close()
        context.runner.wait_for_done(30_000)
        session.client.close()


def inside(widget, window) -> bool:
    """``widget`` is shown whole: visible, and not clipped by any widget that holds it (a
    scroll area's viewport, a tab, the window)."""
    if not widget.isVisible() or widget.width() <= 0 or widget.height() <= 0:
        return False
    shown = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    whole = QRect(shown)
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        shown = shown.intersected(QRect(parent.mapTo(window, QPoint(0, 0)), parent.size()))
        parent = parent.parentWidget()
    on_screen = QRect(window.mapToGlobal(whole.topLeft()), whole.size())
    screen = window.screen().availableGeometry()
    return parent is window and shown == whole and screen.contains(on_screen)


def report(app, window) -> dict[str, object]:
    from PySide6.QtWidgets import QScrollArea

    from dispatch_desktop.joblist import Column
    from dispatch_desktop.ui.jobs_panel import JOB_ROLE

    screen = app.primaryScreen().availableGeometry()
    frame = window.frameGeometry()
    outcome = window.outcome
    shown = {
        "start button": window.form.start_button,
        "outcome": outcome,
        "outcome title": outcome.title,
        "runtime id": outcome.runtime_id,
        "copy runtime id": outcome.copy_button,
        "show in monitor": outcome.monitor_button,
        "launch again": outcome.again_button,
        "status bar": window.statusBar(),
        "saved job id": window.form.job_id_label,
    }
    table = window.jobs_panel.table
    metrics = table.fontMetrics()
    proxy = window.jobs_panel.proxy
    rows = [proxy.index(row, 0).data(JOB_ROLE) for row in range(proxy.rowCount())]
    cut_names = [
        job.name
        for job in rows
        if metrics.horizontalAdvance(job.name) + 8 > table.columnWidth(Column.NAME)
    ]
    cut_ids = [
        str(job.id)
        for job in rows
        if metrics.horizontalAdvance(str(job.id)) + 8 > table.columnWidth(Column.ID)
    ]
    header = table.horizontalHeader()
    cut_titles = [
        str(proxy.headerData(column, Qt.Orientation.Horizontal))
        for column in range(header.count())
        if not header.isSectionHidden(column)
        and header.sectionSize(column) < header.sectionSizeHint(column)
    ]
    fields = (outcome.runtime_id, window.form.job_id_label)
    cut_fields = [
        field.accessibleName()
        for field in fields
        if field.fontMetrics().horizontalAdvance(field.text()) + 8 > field.width()
    ]
    return {
        "screen": [screen.x(), screen.y(), screen.width(), screen.height()],
        "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
        "fits": screen.contains(frame),
        "not shown whole": [name for name, widget in shown.items() if not inside(widget, window)],
        "cut names": cut_names,
        "cut ids": cut_ids,
        "cut titles": cut_titles,
        "cut fields": cut_fields,
        "scrolls sideways": [
            area.widget().accessibleName() or type(area.widget()).__name__
            for area in window.findChildren(QScrollArea)
            if area.isVisible() and area.horizontalScrollBar().isVisible()
        ],
        "scale": app.primaryScreen().devicePixelRatio(),
    }


if __name__ == "__main__":
    main()
