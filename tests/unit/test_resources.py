"""Desktop integration files and packaging scripts are well formed."""

from __future__ import annotations

import configparser
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "resources"


def test_desktop_entry_starts_the_app_and_names_its_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign] - keys are case-sensitive
    entry.read(RESOURCES / "dispatch-desktop.desktop", encoding="utf-8")
    main = entry["Desktop Entry"]
    assert main["Type"] == "Application"
    assert main["Exec"] == "dispatch-desktop"
    assert main["Icon"] == "dispatch-desktop"
    assert entry["Desktop Action Demo"]["Exec"] == "dispatch-desktop --demo"
    assert (RESOURCES / "icons" / f"{main['Icon']}.svg").exists()


def test_appstream_metadata_matches_the_desktop_entry() -> None:
    root = ET.parse(RESOURCES / "com.lekab.DispatchDesktop.metainfo.xml").getroot()  # noqa: S314
    assert root.findtext("id") == "com.lekab.DispatchDesktop"
    assert root.findtext("launchable") == "dispatch-desktop.desktop"
    assert root.findtext("provides/binary") == "dispatch-desktop"


def test_icon_is_an_svg_document() -> None:
    root = ET.parse(RESOURCES / "icons" / "dispatch-desktop.svg").getroot()  # noqa: S314
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


@pytest.mark.parametrize("script", sorted((ROOT / "packaging").glob("*.sh")), ids=lambda p: p.name)
def test_packaging_scripts_parse(script: Path) -> None:
    result = subprocess.run(  # noqa: S603 - a syntax check of our own script
        ["/bin/bash", "-n", str(script)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
