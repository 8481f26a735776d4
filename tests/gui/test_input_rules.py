"""Issue 7 in the real window: an invisible character typed into a field blocks the launch
and is named (§2), exports are private (§3), and a tampered settings file neither stops the
app nor is used (§5)."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from conftest import signed_in_at_start, start_app
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QWidget
from test_main_window import OFFICE_PARTY, select_job

from dispatch_desktop.api import DEFAULT_SERVER_URL, AuthMethod, GenericType
from dispatch_desktop.cli import build_parser
from dispatch_desktop.demo import DEMO_PASSWORD, DEMO_USERNAME, DemoServer
from dispatch_desktop.events.config import DEFAULT_PORT, SourceMode
from dispatch_desktop.ui.main_window import MainWindow
from dispatch_desktop.ui.tagfilter_builder import TagFilterBuilder

# The offscreen platform warns when it shows a window or a completion popup.
pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support ")
ZWSP = "\u200b"


def type_character(widget: QWidget, character: str) -> None:
    """One key press that types ``character``, as a keyboard layout or compose key sends it
    (QTest can type ASCII only)."""
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(
            widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, character)
        )


def only_visible(parent: QWidget, kind: type, name: str) -> QWidget:
    found = [w for w in parent.findChildren(kind) if w.accessibleName() == name and w.isVisible()]
    assert len(found) == 1, name
    return found[0]


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# -- §2: a zero-width space in the exclusion filter ------------------------------------------


def test_zero_width_space_in_the_exclusion_filter_disables_start_and_is_named(
    qtbot, window: MainWindow
) -> None:
    select_job(qtbot, window, OFFICE_PARTY)
    form = window.form
    builder: TagFilterBuilder = form.excludefilter
    qtbot.mouseClick(only_visible(builder, QPushButton, "Add condition"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(only_visible(builder, QLineEdit, "Tag type 1"), "On call")
    values = only_visible(builder, QLineEdit, "Tag values 1")
    qtbot.keyClicks(values, "Yes")
    assert form.start_button.isEnabled(), form.problems()

    type_character(values, ZWSP)

    assert values.text() == "Yes" + ZWSP
    assert not form.start_button.isEnabled()
    shown = form._errors["excludecustomtagfilter"]
    assert shown.isVisible()
    assert "ZERO WIDTH SPACE (U+200B)" in shown.text()
    assert ZWSP not in shown.text()
    assert "excludecustomtagfilter" not in shown.text()
    assert "1 problem to fix" in form.status_label.text()

    qtbot.keyClick(values, Qt.Key.Key_Backspace)

    assert form.start_button.isEnabled(), form.problems()
    assert not shown.isVisible()


def test_zero_width_space_in_the_job_name_is_named_under_the_field(
    qtbot, window: MainWindow
) -> None:
    select_job(qtbot, window, OFFICE_PARTY)
    form = window.form
    qtbot.keyClicks(form.jobname, "Drill")
    type_character(form.jobname, ZWSP)

    assert not form.start_button.isEnabled()
    assert form._errors["jobname"].text().startswith("Job name: the text contains ZERO WIDTH SPACE")


# -- §3: the export is private ---------------------------------------------------------------


def test_history_export_is_readable_by_its_owner_only(
    qtbot, window: MainWindow, tmp_path: Path, umask_022: None
) -> None:
    target = tmp_path / "history.csv"

    window.history.export_to(target)

    qtbot.waitUntil(lambda: "Exported 0" in window.history.status.text())
    assert mode(target) == 0o600


# -- §5: a tampered settings file ------------------------------------------------------------


def ini_text(value: str) -> str:
    """``value`` as a quoted INI string (QSettings' escapes)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


TAMPERED_VOCABULARY = {
    "Base": [1, None, "STO", {"x": "y"}],
    "On call": "Yes",
    "Role": ["x" * 300, "Yes" + ZWSP, "Surgeon"],
    "Big": [f"v{number}" for number in range(5000)],
}
# Every key AppSettings reads, each with a bad value: (INI section, key, value as written).
TAMPERED = [
    ("signin", "server", "javascript:alert(1)"),
    ("signin", "username", "a" * 5000),
    ("signin", "auth", "kerberos"),
    ("signin", "http", "PUT"),
    ("signin", "remember", "yes"),
    ("window", "geometry", "hello"),
    ("window", "state", "1, 2"),
    ("jobtypes", "overrides", "[" * 50_000),
    ("tags", "vocabulary", ini_text(json.dumps(TAMPERED_VOCABULARY))),
    ("monitor", "mode", "loud"),
    ("monitor", "bind", "not a host!"),
    ("monitor", "port", "²"),
    ("monitor", "follow_url", "ftp://x"),
    ("monitor", "notifications", "1"),
]


def write_tampered_ini(path: Path) -> None:
    sections: dict[str, list[str]] = {}
    for section, key, value in TAMPERED:
        sections.setdefault(section, []).append(f"{key}={value}")
    path.parent.mkdir(parents=True)
    path.write_text(
        "".join(f"[{name}]\n" + "\n".join(lines) + "\n\n" for name, lines in sections.items()),
        encoding="utf-8",
    )


@pytest.mark.usefixtures("memory_keyring", "restore_logging", "umask_022")
def test_tampered_settings_file_opens_the_app_with_defaults_and_logs_each_key(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISPATCH_DESKTOP_DATA_DIR", str(tmp_path))
    write_tampered_ini(tmp_path / "config" / "settings.ini")
    args = build_parser().parse_args([])

    with DemoServer() as server, ExitStack() as stack:
        start = start_app(qtbot, args, stack)
        dialog = start.dialog
        assert dialog is not None
        shown = {
            "server": dialog.server.text(),
            "username": dialog.username.text(),
            "auth": dialog.auth_method.currentData(),
            "http": dialog.http_method.currentData(),
            "remember": dialog.remember.isChecked(),
        }
        dialog.server.setText(server.url)
        dialog.username.setText(DEMO_USERNAME)
        dialog.password.setText(DEMO_PASSWORD)
        window = signed_in_at_start(qtbot, start)
        select_job(qtbot, window, OFFICE_PARTY)  # builds the form: reads the vocabulary
        settings = window.context.settings
        vocabulary = settings.tag_vocabulary()
        source = settings.event_source()
        window.context.runner.wait_for_done(10_000)
        window.stop_monitor()
        window.close()
        window.session.client.close()

    assert shown == {
        "server": DEFAULT_SERVER_URL,
        "username": "",
        "auth": AuthMethod.FIELDS,
        "http": "POST",
        "remember": False,
    }
    assert window.mapping.generic_type_of("MonitoredMessage") is GenericType.GMM
    assert (source.mode, source.bind, source.port, source.follow_url) == (
        SourceMode.OFF,
        "127.0.0.1",
        DEFAULT_PORT,
        "",
    )
    assert settings.notifications_enabled is True
    assert vocabulary["Base"] == ["STO"]
    assert vocabulary["Role"] == ["Surgeon"]
    assert "On call" not in vocabulary
    assert vocabulary["Big"] == [f"v{number}" for number in range(4800, 5000)]
    log = (tmp_path / "logs" / "dispatch-desktop.log").read_text(encoding="utf-8")
    for section, key, _ in TAMPERED:
        assert f"Settings: ignored {section}/{key} = " in log, key
    assert "a" * 100 not in log  # a huge value is quoted by its start only
    assert "[" * 100 not in log
    assert ZWSP not in log
    # §3 on the same start: every folder 0700, every file the app made 0600.
    for folder in ("config", "logs", "data"):
        assert mode(tmp_path / folder) == 0o700, folder
    for file in (
        "config/settings.ini",
        "logs/dispatch-desktop.log",
        "data/launch-journal.sqlite3",
    ):
        assert mode(tmp_path / file) == 0o600, file
