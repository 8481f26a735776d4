"""install.sh's check before it changes anything: which wheels a Python can install, what the
system misses and the apt-get line that brings it (packaging/preflight.py and the package
table dispatch_desktop/system_libraries.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from conftest import PACKAGING

from dispatch_desktop import system_libraries as syslibs


def _load_preflight():
    spec = importlib.util.spec_from_file_location("preflight", PACKAGING / "preflight.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["preflight"] = module
    spec.loader.exec_module(module)
    return module


preflight = _load_preflight()
Interpreter = preflight.Interpreter
DEBIAN12 = Interpreter(3, 11, "cp", "x86_64", (2, 36))

WHEELS = [
    "pyside6_essentials-6.11.3-cp310-abi3-manylinux_2_34_x86_64.whl",
    "cffi-2.1.1-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.whl",
    "requests-2.34.2-py3-none-any.whl",
]


@pytest.mark.parametrize(
    ("interpreter", "fits"),
    [
        (DEBIAN12, [True, True, True]),
        (Interpreter(3, 13, "cp", "x86_64", (2, 41)), [True, False, True]),  # cp311-only cffi
        (Interpreter(3, 11, "cp", "x86_64", (2, 31)), [False, True, True]),  # glibc too old
        (Interpreter(3, 11, "cp", "aarch64", (2, 36)), [False, False, True]),
        (Interpreter(3, 11, "cp", "x86_64", None), [False, False, True]),  # musl
    ],
)
def test_which_wheels_a_python_can_install(interpreter, fits: list[bool]) -> None:
    assert [preflight.wheel_fits(name, interpreter) for name in WHEELS] == fits


def test_a_bundle_for_another_python_is_refused_with_what_it_needs(tmp_path: Path) -> None:
    (tmp_path / "wheels").mkdir()
    for name in WHEELS:
        (tmp_path / "wheels" / name).write_bytes(b"")
    problems = preflight.check_python(tmp_path, Interpreter(3, 13, "cp", "x86_64", (2, 41)))
    (problem,) = problems
    assert "This bundle is for Python 3.11, x86_64, glibc 2.34 or newer" in problem
    assert "Python 3.13 on x86_64 with glibc 2.41" in problem
    assert "PYTHON=python3.X ./install.sh" in problem
    assert preflight.check_python(tmp_path, DEBIAN12) == []


def test_everything_missing_on_a_bare_debian_12_is_one_apt_line() -> None:
    report = preflight.check_system(set(), fonts=False, venv=False, distribution="debian-12")
    text = report.text()
    assert "cannot make a virtual environment" in text
    assert "libwayland-cursor.so.0" in text
    assert "No font is installed" in text
    line = next(line.strip() for line in text.splitlines() if "apt-get" in line)
    assert line == syslibs.apt_line(syslibs.every_package("debian-12"))
    assert line.startswith("apt-get install --no-install-recommends python3 libglib2.0-0 ")


def test_a_complete_system_passes_and_debian_13_gets_its_own_names() -> None:
    every = {need.what for need in syslibs.LIBRARIES}
    assert (
        preflight.check_system(every, fonts=True, venv=True, distribution="debian-12").problems
        == []
    )
    report = preflight.check_system(
        every - {"libglib-2.0.so.0"}, fonts=True, venv=True, distribution="debian-13"
    )
    assert report.packages == ["libglib2.0-0t64"]


def test_an_unknown_distribution_gets_the_library_names_and_debian_12_packages() -> None:
    report = preflight.check_system(
        {need.what for need in syslibs.LIBRARIES} - {"libEGL.so.1"},
        fonts=True,
        venv=True,
        distribution="fedora-41",
    )
    assert "libEGL.so.1" in report.text()
    assert "on Debian 12 that is" in report.text()


def test_ldconfig_listing_counts_only_this_architecture() -> None:
    listing = (
        "3 libs found in cache `/etc/ld.so.cache'\n"
        "\tlibGL.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libGL.so.1\n"
        "\tlibEGL.so.1 (libc6) => /lib/i386-linux-gnu/libEGL.so.1\n"
        "\tlibxcb.so.1 (libc6,AArch64) => /lib/aarch64-linux-gnu/libxcb.so.1\n"
    )
    assert syslibs.parse_ldconfig(listing, "x86_64") == {"libGL.so.1"}
    assert syslibs.parse_ldconfig(listing, "aarch64") == {"libxcb.so.1"}


def test_os_release_names_the_distribution(tmp_path: Path) -> None:
    release = tmp_path / "os-release"
    release.write_text('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n')
    assert syslibs.distribution(release) == "debian-12"
    assert syslibs.distribution(tmp_path / "missing") is None


def test_fonts_are_found_by_file(tmp_path: Path) -> None:
    assert not syslibs.has_fonts([tmp_path])
    (tmp_path / "truetype/dejavu").mkdir(parents=True)
    (tmp_path / "truetype/dejavu/DejaVuSans.ttf").write_bytes(b"")
    assert syslibs.has_fonts([tmp_path])


def test_ci_and_the_bundle_print_the_same_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert syslibs.main(["debian-12"]) == 0
    assert capsys.readouterr().out.split() == syslibs.every_package("debian-12")
    assert syslibs.main(["plan9"]) == 2
