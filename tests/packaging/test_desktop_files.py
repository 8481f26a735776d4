"""Desktop integration as a desktop and a software centre read it: the desktop entry and the
AppStream data pass their validators (as installed too), the PNG icons match the SVG, the
window tells Wayland which desktop entry it belongs to, and the version has one source."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import ROOT
from needs import program

from dispatch_desktop import __version__

RESOURCES = ROOT / "resources"
METAINFO = RESOURCES / "com.lekab.DispatchDesktop.metainfo.xml"
DESKTOP = RESOURCES / "dispatch-desktop.desktop"


def validator(name: str) -> str:
    return program(name, "it validates what the desktop shows of the app")


def test_appstream_data_is_valid() -> None:
    result = subprocess.run(  # noqa: S603 - the validator on our own file
        [validator("appstreamcli"), "validate", "--no-net", "--explain", str(METAINFO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_desktop_entry_is_valid_as_shipped_and_as_installed(tmp_path: Path) -> None:
    installed = tmp_path / "dispatch-desktop.desktop"
    installed.write_text(
        DESKTOP.read_text(encoding="utf-8").replace(
            "Exec=dispatch-desktop", "Exec=/opt/dispatch-desktop/current/bin/dispatch-desktop"
        ),
        encoding="utf-8",
    )
    for entry in (DESKTOP, installed):
        result = subprocess.run(  # noqa: S603 - the validator on our own file
            [validator("desktop-file-validate"), str(entry)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout
        assert result.stdout.strip() == "", "no errors, warnings or hints"


def test_the_newest_release_in_the_appstream_data_is_this_version() -> None:
    root = ET.parse(METAINFO).getroot()  # noqa: S314 - our own file
    newest = root.find("releases/release")
    assert newest is not None
    assert newest.get("version") == __version__


def test_the_version_is_written_once() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "dispatch_desktop.__version__"
    }


def test_png_icons_of_every_size_match_the_svg() -> None:
    result = subprocess.run(  # noqa: S603 - our own tool, offscreen
        [sys.executable, str(ROOT / "tools/render_icons.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sizes = sorted(int(p.stem.rsplit("-", 1)[1]) for p in (RESOURCES / "icons").glob("*.png"))
    assert sizes == [16, 24, 32, 48, 64, 128, 256, 512]


def test_an_edited_svg_makes_the_pngs_stale(tmp_path: Path) -> None:
    """The check above would notice: a recoloured SVG renders far from the committed PNG."""
    edited = tmp_path / "icon.svg"
    edited.write_text(
        (RESOURCES / "icons/dispatch-desktop.svg").read_text().replace("#1565c0", "#c62828")
    )
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]); import render_icons as r; "
        "from PySide6.QtGui import QGuiApplication, QImage; app = QGuiApplication([]); "
        "print(r.difference(r.render(64, __import__('pathlib').Path(sys.argv[2])), "
        "QImage(str(r.png_path(64)))))"
    )
    result = subprocess.run(  # noqa: S603 - our own tool, offscreen
        [sys.executable, "-c", probe, str(ROOT / "tools"), str(edited)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert int(result.stdout) > 100


def test_the_window_names_its_desktop_entry(tmp_path: Path) -> None:
    """On Wayland the compositor shows the entry's name and icon only when the app names its
    desktop entry; without it the window is "python3"."""
    probe = (
        "from dispatch_desktop.cli import build_parser\n"
        "from dispatch_desktop.ui.app import prepare\n"
        "print(prepare(build_parser().parse_args([])).desktopFileName())\n"
    )
    result = subprocess.run(  # noqa: S603 - our own app, offscreen, in a temporary folder
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "DISPATCH_DESKTOP_DATA_DIR": str(tmp_path),
        },
    )
    assert result.stdout.strip() == DESKTOP.stem
