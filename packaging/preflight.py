"""The offline bundle's check before install.sh changes anything (standard library only).

``python3 preflight.py BUNDLE_DIR`` checks that the bundle is whole (SHA256SUMS), that this
Python can install every wheel in it (version, architecture, glibc), that it can make a virtual
environment, and that the system libraries Qt needs and a font are installed. It
prints each problem in one line and, for missing packages, the exact ``apt-get install`` line;
it exits 1 when anything is missing, 0 when the install can go ahead.

It runs from the bundle with the Python that will run the app, before anything is installed:
the package table comes from ``dispatch_desktop/system_libraries.py``, copied beside it.
"""

from __future__ import annotations

import hashlib
import os
import platform
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dispatch_desktop import system_libraries as syslibs  # found beside this file

_LEGACY_MANYLINUX = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}
_MANYLINUX = re.compile(r"manylinux_(\d+)_(\d+)_(\w+)")


@dataclass(frozen=True)
class Interpreter:
    """What decides which wheels a Python can install."""

    major: int
    minor: int
    implementation: str
    """``cp`` for CPython."""
    machine: str
    glibc: tuple[int, int] | None

    @classmethod
    def this(cls) -> Interpreter:
        return cls(
            sys.version_info.major,
            sys.version_info.minor,
            "cp" if platform.python_implementation() == "CPython" else "other",
            platform.machine(),
            glibc_version(),
        )

    def describe(self) -> str:
        libc = f"glibc {self.glibc[0]}.{self.glibc[1]}" if self.glibc else "no glibc"
        return f"Python {self.major}.{self.minor} on {self.machine} with {libc}"


def glibc_version() -> tuple[int, int] | None:
    """This system's glibc version, ``None`` on another C library (musl)."""
    try:
        text = os.confstr("CS_GNU_LIBC_VERSION") or ""
    except (ValueError, OSError):
        return None
    match = re.fullmatch(r"glibc (\d+)\.(\d+).*", text)
    return (int(match[1]), int(match[2])) if match else None


def wheel_tags(name: str) -> tuple[set[str], set[str], set[str]]:
    """The python, ABI and platform tags of a wheel's file name (each may be compressed:
    ``manylinux1_x86_64.manylinux_2_5_x86_64``)."""
    parts = name.removesuffix(".whl").split("-")
    if len(parts) < 5:
        raise ValueError(f"{name} is not a wheel file name")
    python, abi, plat = parts[-3:]
    return set(python.split(".")), set(abi.split(".")), set(plat.split("."))


def platform_minimum(tag: str) -> tuple[str, tuple[int, int]] | None:
    """(architecture, lowest glibc) of a manylinux platform tag; ``None`` for another tag."""
    match = _MANYLINUX.fullmatch(tag)
    if match:
        return match[3], (int(match[1]), int(match[2]))
    legacy, _, machine = tag.partition("_")
    if legacy in _LEGACY_MANYLINUX:
        return machine, _LEGACY_MANYLINUX[legacy]
    return None


def _python_fits(python: set[str], abi: set[str], it: Interpreter) -> bool:
    own = f"{it.implementation}{it.major}{it.minor}"
    if {"py3", f"py{it.major}{it.minor}"} & python and "none" in abi:
        return True
    if own in python and (own in abi or "none" in abi):
        return True
    # The stable ABI: built for cp3X, loads on every CPython 3.Y with Y >= X.
    return (
        it.implementation == "cp"
        and "abi3" in abi
        and any(
            tag.startswith("cp3") and tag[3:].isdigit() and int(tag[3:]) <= it.minor
            for tag in python
        )
    )


def _platform_fits(plat: set[str], it: Interpreter) -> bool:
    if "any" in plat or f"linux_{it.machine}" in plat:
        return True
    for tag in plat:
        minimum = platform_minimum(tag)
        if minimum and minimum[0] == it.machine and it.glibc and it.glibc >= minimum[1]:
            return True
    return False


def wheel_fits(name: str, it: Interpreter) -> bool:
    """Whether ``it`` can install the wheel called ``name``."""
    python, abi, plat = wheel_tags(name)
    return _python_fits(python, abi, it) and _platform_fits(plat, it)


def bundle_target(wheels: list[str]) -> str:
    """What the bundle's wheels need, in words (for the refusal)."""
    tags = [wheel_tags(name) for name in wheels]
    # A wheel for one CPython ABI (cp311-cp311) pins the minor version; abi3 ones set a floor.
    exact = sorted(
        {f"{t[2]}.{t[3:]}" for python, abi, _ in tags for t in python & abi if t.startswith("cp3")}
    )
    lowest = [platform_minimum(tag) for _, _, plat in tags for tag in plat]
    machines = sorted({m[0] for m in lowest if m})
    glibc = max((m[1] for m in lowest if m), default=None)
    needs = []
    if exact:
        needs.append("Python " + " or ".join(exact))
    if machines:
        needs.append(" or ".join(machines))
    if glibc:
        needs.append(f"glibc {glibc[0]}.{glibc[1]} or newer")
    return ", ".join(needs)


def check_sums(bundle: Path) -> list[str]:
    """Problems with the bundle's files against its SHA256SUMS."""
    sums = bundle / "SHA256SUMS"
    try:
        lines = sums.read_text(encoding="utf-8").splitlines()
    except OSError:
        return ["The bundle has no SHA256SUMS file: it is incomplete; unpack it again."]
    listed = {}
    for line in lines:
        digest, _, name = line.partition("  ")
        listed[name] = digest
    problems = []
    for name, digest in sorted(listed.items()):
        path = bundle / name
        try:
            actual = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            problems.append(f"The bundle file {name} is missing: unpack the bundle again.")
            continue
        if actual != digest:
            problems.append(f"The bundle file {name} is damaged (checksum differs): get it again.")
    for wheel in sorted((bundle / "wheels").glob("*.whl")):
        if f"wheels/{wheel.name}" not in listed:
            problems.append(f"The bundle has a wheel it does not list: wheels/{wheel.name}.")
    return problems


def check_python(bundle: Path, it: Interpreter) -> list[str]:
    """The wheels this Python cannot install, as one problem."""
    wheels = sorted(w.name for w in (bundle / "wheels").glob("*.whl"))
    misfits = [name for name in wheels if not wheel_fits(name, it)]
    if not misfits:
        return []
    return [
        f"This bundle is for {bundle_target(wheels)}; this computer's {sys.executable} is "
        f"{it.describe()} ({len(misfits)} of its {len(wheels)} packages cannot be installed, "
        f"e.g. {misfits[0]}). Use a bundle built for this system, or name another Python: "
        "PYTHON=python3.X ./install.sh"
    ]


def can_make_venv() -> bool:
    """Whether this Python can make a virtual environment. Without pip in it: install.sh runs
    the bundle's own pip, so ensurepip (Debian's python3-venv) is not needed."""
    with tempfile.TemporaryDirectory(prefix="dispatch-desktop-check-") as folder:
        try:
            result = subprocess.run(  # noqa: S603 - this very Python, fixed arguments
                [sys.executable, "-m", "venv", "--without-pip", str(Path(folder) / "venv")],
                capture_output=True,
                check=False,
                timeout=120,
            )
        except (OSError, subprocess.SubprocessError):
            return False
        return result.returncode == 0


@dataclass
class Report:
    problems: list[str]
    packages: list[str]
    distribution: str | None

    def text(self) -> str:
        lines = [f"- {problem}" for problem in self.problems]
        if self.packages:
            known = self.distribution in syslibs.DISTRIBUTIONS
            lines.append("")
            if known:
                lines.append(
                    "Install the missing system packages (as root), then run install.sh again:"
                )
            else:
                lines.append(
                    "Install the packages that provide these files; on Debian 12 that is "
                    "(see SYSTEM-PACKAGES.txt for other distributions):"
                )
            lines.append(f"  {syslibs.apt_line(self.packages)}")
        return "\n".join(lines)


def check_system(
    available: set[str] | None, fonts: bool, venv: bool, distribution: str | None
) -> Report:
    """What is missing from the system, and the packages that bring it."""
    problems: list[str] = []
    needs: list[syslibs.Need] = []
    if not venv:
        problems.append(f"{sys.executable} cannot make a virtual environment (no venv module).")
        needs.append(syslibs.VENV)
    if available is None:
        problems.append("The system libraries cannot be checked: ldconfig is not available.")
    else:
        missing = syslibs.missing_libraries(available)
        if missing:
            problems.append(
                "Qt cannot start without these system libraries: "
                + ", ".join(need.what for need in missing)
                + "."
            )
            needs += missing
    if not fonts:
        problems.append("No font is installed: the windows would show no text.")
        needs.append(syslibs.FONTS)
    return Report(problems, syslibs.packages_for(needs, distribution), distribution)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.stderr.write("usage: preflight.py BUNDLE_DIR\n")
        return 2
    bundle = Path(args[0])
    problems = check_sums(bundle)
    if problems:  # a damaged bundle: nothing else it says can be trusted
        print("\n".join(f"- {problem}" for problem in problems))
        return 1
    problems = check_python(bundle, Interpreter.this())
    report = check_system(
        syslibs.cached_libraries(), syslibs.has_fonts(), can_make_venv(), syslibs.distribution()
    )
    report.problems[:0] = problems
    if report.problems:
        print("Dispatch Desktop cannot be installed yet; nothing was changed:")
        print(report.text())
        return 1
    print(f"Checked: {Interpreter.this().describe()}, venv, Qt's system libraries, fonts.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
