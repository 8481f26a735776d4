"""A job name is shown as it is, whatever placeholders it holds (issue 11 §1): before the
single-pass formatter, a job called ``Drill %2 (test)`` showed as ``Drill LIVE (test)`` in
the confirmation, and one called ``%3`` showed the server address in the name."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from dispatch_desktop.api import SavedJob, StartJobRequest
from dispatch_desktop.storage.journal import LaunchMode
from dispatch_desktop.ui.confirm import ConfirmLaunchDialog

SERVER = "https://dispatch.example.com/api"


@pytest.mark.parametrize("name", ["Drill %2 (test)", "Drill %3", "%1%2%3"])
def test_the_confirmation_heading_shows_the_job_name_as_it_is(qtbot, name: str) -> None:
    job = SavedJob(5, name, "MonitoredMessage")
    request = StartJobRequest(jobid=5)
    dialog = ConfirmLaunchDialog(
        job, request, None, server=SERVER, demo=False, mode=LaunchMode.LIVE
    )
    qtbot.addWidget(dialog)

    assert dialog.heading.textFormat() == Qt.TextFormat.PlainText
    assert dialog.heading.text() == f"Start “{name}” — LIVE\non {SERVER}?"
    assert dialog.heading.text().count(SERVER) == 1
