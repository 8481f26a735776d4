"""The system packages Qt needs on Linux, by shared library (standard library only).

The one table of them: the offline bundle's install check runs this file from the bundle before
anything is installed (packaging/preflight.py), ``--diagnose`` uses it to name the package of a
library the platform plugin misses, the bundle's SYSTEM-PACKAGES.txt is printed from it, and CI
installs the Debian 12 line (``python3 dispatch_desktop/system_libraries.py debian-12``).

The PySide6 wheels carry Qt itself; these libraries (graphics, fonts, input, the X11 and
Wayland clients) come from the system. Debian 12's names were checked by installing them on a
bare Debian 12; Debian 13's come from its package lists (the t64 rename of GLib).
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

DISTRIBUTIONS = {
    "debian-12": "Debian 12 (bookworm)",
    "debian-13": "Debian 13 (trixie)",
}
"""Distributions whose package names are known, by ``ID-VERSION_ID`` of /etc/os-release."""


@dataclass(frozen=True)
class Need:
    """Something Qt or the installer needs from the system, and the package that brings it."""

    what: str
    """A shared library's soname, or a word for a non-library need."""
    used_by: str
    """Which part needs it, in words an administrator knows."""
    package: str
    """The Debian 12 package."""
    renamed: Mapping[str, str] | None = None
    """The package's name on other distributions where it differs."""

    def package_on(self, distribution: str) -> str:
        return (self.renamed or {}).get(distribution, self.package)


_GLIB_T64 = {"debian-13": "libglib2.0-0t64"}

LIBRARIES = (
    Need("libglib-2.0.so.0", "Qt", "libglib2.0-0", _GLIB_T64),
    Need("libgthread-2.0.so.0", "Qt", "libglib2.0-0", _GLIB_T64),
    Need("libGL.so.1", "Qt", "libgl1"),
    Need("libEGL.so.1", "Qt", "libegl1"),
    Need("libfontconfig.so.1", "Qt", "libfontconfig1"),
    Need("libfreetype.so.6", "Qt", "libfreetype6"),
    Need("libX11.so.6", "Qt", "libx11-6"),
    Need("libxkbcommon.so.0", "Qt", "libxkbcommon0"),
    Need("libdbus-1.so.3", "Qt", "libdbus-1-3"),
    Need("libz.so.1", "Qt", "zlib1g"),
    Need("libzstd.so.1", "Qt", "libzstd1"),
    Need("libxcb.so.1", "X11 windows", "libxcb1"),
    Need("libX11-xcb.so.1", "X11 windows", "libx11-xcb1"),
    Need("libxkbcommon-x11.so.0", "X11 windows", "libxkbcommon-x11-0"),
    Need("libxcb-cursor.so.0", "X11 windows", "libxcb-cursor0"),
    Need("libxcb-icccm.so.4", "X11 windows", "libxcb-icccm4"),
    Need("libxcb-image.so.0", "X11 windows", "libxcb-image0"),
    Need("libxcb-keysyms.so.1", "X11 windows", "libxcb-keysyms1"),
    Need("libxcb-randr.so.0", "X11 windows", "libxcb-randr0"),
    Need("libxcb-render.so.0", "X11 windows", "libxcb-render0"),
    Need("libxcb-render-util.so.0", "X11 windows", "libxcb-render-util0"),
    Need("libxcb-shape.so.0", "X11 windows", "libxcb-shape0"),
    Need("libxcb-shm.so.0", "X11 windows", "libxcb-shm0"),
    Need("libxcb-sync.so.1", "X11 windows", "libxcb-sync1"),
    Need("libxcb-util.so.1", "X11 windows", "libxcb-util1"),
    Need("libxcb-xfixes.so.0", "X11 windows", "libxcb-xfixes0"),
    Need("libxcb-xkb.so.1", "X11 windows", "libxcb-xkb1"),
    Need("libwayland-client.so.0", "Wayland windows", "libwayland-client0"),
    Need("libwayland-cursor.so.0", "Wayland windows", "libwayland-cursor0"),
    Need("libwayland-egl.so.1", "Wayland windows", "libwayland-egl1"),
)
FONTS = Need("fonts", "text in every window", "fonts-dejavu-core")
VENV = Need("venv", "the installer's virtual environment", "python3")
"""Python itself with its venv module; not ensurepip (python3-venv): the bundle brings pip."""

FONT_FOLDERS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
    Path.home() / ".fonts",
)
_FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".pfb", ".pcf", ".pcf.gz")
_LDCONFIG_ARCH = {"x86_64": "x86-64", "aarch64": "AArch64"}
"""How ``ldconfig -p`` marks a library of this machine's architecture (not a 32-bit one)."""


def distribution(os_release: Path = Path("/etc/os-release")) -> str | None:
    """``ID-VERSION_ID`` of this system (e.g. ``debian-12``), or ``None`` when unknown."""
    try:
        text = os_release.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    fields = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            fields[key.strip()] = value.strip().strip("\"'")
    if not fields.get("ID") or not fields.get("VERSION_ID"):
        return None
    return f"{fields['ID']}-{fields['VERSION_ID']}"


def _ldconfig() -> str | None:
    # /sbin is not on an ordinary user's PATH on Debian.
    return shutil.which("ldconfig") or next(
        (str(p) for p in (Path("/sbin/ldconfig"), Path("/usr/sbin/ldconfig")) if p.exists()), None
    )


def parse_ldconfig(output: str, machine: str | None = None) -> set[str]:
    """The sonames in ``ldconfig -p`` output that this machine's architecture can load."""
    marker = _LDCONFIG_ARCH.get(machine or platform.machine())
    found = set()
    for line in output.splitlines()[1:]:
        name, _, rest = line.strip().partition(" (")
        flags = rest.partition(")")[0]
        if name and (marker is None or marker in flags):
            found.add(name)
    return found


def cached_libraries() -> set[str] | None:
    """The sonames the dynamic linker finds, or ``None`` when ``ldconfig`` cannot tell."""
    ldconfig = _ldconfig()
    if ldconfig is None:
        return None
    try:
        result = subprocess.run(  # noqa: S603 - a fixed system tool, no input from outside
            [ldconfig, "-p"], capture_output=True, text=True, check=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return parse_ldconfig(result.stdout)


def missing_libraries(available: Iterable[str]) -> list[Need]:
    """The libraries of :data:`LIBRARIES` that are not among ``available``."""
    have = set(available)
    return [need for need in LIBRARIES if need.what not in have]


def has_fonts(folders: Iterable[Path] = FONT_FOLDERS) -> bool:
    """Whether any font file is installed: Qt shows no text at all without one."""
    for folder in folders:
        if not folder.is_dir():
            continue
        for _root, _dirs, files in os.walk(folder):
            if any(name.endswith(_FONT_SUFFIXES) for name in files):
                return True
    return False


def packages_for(needs: Iterable[Need], distribution: str | None) -> list[str]:
    """The packages that bring ``needs`` on ``distribution`` (Debian 12's names when it is
    unknown), each once, in the table's order."""
    names: list[str] = []
    for need in needs:
        name = need.package_on(distribution or "debian-12")
        if name not in names:
            names.append(name)
    return names


def apt_line(packages: Iterable[str]) -> str:
    """The command an administrator runs (as root) to install ``packages``."""
    return "apt-get install --no-install-recommends " + " ".join(packages)


def every_package(distribution: str, *, with_venv: bool = True) -> list[str]:
    """Every package a bundle install needs on ``distribution``."""
    needs = [*([VENV] if with_venv else []), *LIBRARIES, FONTS]
    return packages_for(needs, distribution)


def system_packages_text() -> str:
    """SYSTEM-PACKAGES.txt of the offline bundle: the packages per distribution."""
    lines = [
        "System packages Dispatch Desktop needs (install.sh checks them and prints what is",
        "missing). Run the line for your distribution as root, with the packages from your",
        "distribution's own mirror or media.",
        "",
    ]
    for name, title in DISTRIBUTIONS.items():
        lines += [f"{title}:", f"  {apt_line(every_package(name))}", ""]
    lines += [
        "The shared libraries behind them (on other distributions, install the packages that",
        "provide these files):",
        "",
    ]
    width = max(len(need.what) for need in LIBRARIES)
    lines += [f"  {need.what:<{width}}  {need.used_by}" for need in LIBRARIES]
    lines += [
        "",
        "Also: any font (Debian: fonts-dejavu-core), and the Python the bundle was built for",
        "with its venv module (Debian: python3; python3-venv is not needed).",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """``python3 system_libraries.py DISTRIBUTION``: its packages, one a line (for CI);
    without an argument, SYSTEM-PACKAGES.txt."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        sys.stdout.write(system_packages_text())
        return 0
    if args[0] not in DISTRIBUTIONS:
        sys.stderr.write(f"unknown distribution {args[0]}; known: {', '.join(DISTRIBUTIONS)}\n")
        return 2
    print("\n".join(every_package(args[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
