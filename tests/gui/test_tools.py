"""The developer tools under tools/: the screenshot maker renders a real window to a PNG."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from PySide6.QtGui import QImage

TOOLS = Path(__file__).resolve().parents[2] / "tools"


def load_tool(name: str) -> ModuleType:
    """Import ``tools/<name>.py`` (tools/ is a folder of scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(f"tools_{name}", TOOLS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_screenshot_tool_writes_a_window_sized_png(qapp, tmp_path: Path) -> None:
    screenshot = load_tool("screenshot")
    output = tmp_path / "shot.png"

    assert screenshot.main(["--output", str(output)]) == 0

    image = QImage(str(output))
    assert not image.isNull()
    assert (image.width(), image.height()) == screenshot.WINDOW_SIZE
    # A blank or nearly empty window compresses to a few kilobytes; the real one does not.
    assert output.stat().st_size > 30_000
    colours = {image.pixel(x, y) for x in range(0, image.width(), 16) for y in range(0, 400, 8)}
    assert len(colours) > 10
