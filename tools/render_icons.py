"""Render ``resources/icons/dispatch-desktop.svg`` to the PNG sizes desktops look for.

Run it after changing the SVG (a test fails while a PNG is stale)::

    .venv/bin/python tools/render_icons.py          # writes resources/icons/dispatch-desktop-N.png
    .venv/bin/python tools/render_icons.py --check  # exit 1 when a PNG differs from the SVG

Qt renders offscreen (``QT_QPA_PLATFORM=offscreen``, set here before Qt is imported), with
antialiasing, on a transparent background; the PNGs carry no time stamp, so the same SVG and
Qt give the same files.
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SVG = ICONS / "dispatch-desktop.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
TOLERANCE = 8
"""Largest difference per colour channel (of 255) still taken as the same picture: another
Qt version may round an edge pixel differently; an edited SVG changes far more."""


def png_path(size: int) -> Path:
    return ICONS / f"dispatch-desktop-{size}.png"


def render(size: int, svg: Path = SVG) -> QImage:
    """The SVG drawn into a ``size`` × ``size`` transparent image."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not an SVG Qt can draw")
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def difference(a: QImage, b: QImage) -> int:
    """The largest channel difference between two images (256 when their sizes differ)."""
    if a.size() != b.size():
        return 256
    a = a.convertToFormat(QImage.Format.Format_ARGB32)
    b = b.convertToFormat(QImage.Format.Format_ARGB32)
    return max(
        (abs(x - y) for x, y in zip(a.constBits().tobytes(), b.constBits().tobytes(), strict=True)),
        default=0,
    )


def stale(sizes: tuple[int, ...] = SIZES) -> list[int]:
    """The sizes whose committed PNG is missing or differs from the SVG."""
    return [
        size for size in sizes if difference(render(size), QImage(str(png_path(size)))) > TOLERANCE
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render the app icon's PNG sizes.")
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if stale")
    args = parser.parse_args(argv)
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    if args.check:
        outdated = stale()
        for size in outdated:
            print(f"{png_path(size).name} does not match the SVG: run tools/render_icons.py")
        return 1 if outdated else 0
    for size in SIZES:
        if not render(size).save(str(png_path(size)), "PNG"):
            raise SystemExit(f"{png_path(size)} could not be written")
        print(png_path(size).relative_to(ICONS.parents[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
