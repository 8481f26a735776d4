"""The offline bundle as an administrator meets it: built twice to the same bytes, verifiable,
installed with no network, upgraded by a newer bundle, removed exactly (issue 10 §3).

The bundles are built by the real script (their dependencies come from the package index the
first time, from pip's cache after); installs run the bundle's own install.sh in a network
namespace of their own where the machine allows it."""

from __future__ import annotations

import hashlib
import re
import subprocess
import tarfile
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import (
    BASE_PYTHON,
    NEWER_VERSION,
    NO_NETWORK,
    PACKAGING,
    build_bundle,
    can_unshare,
    run,
)

from dispatch_desktop import __version__

NAME = re.compile(
    rf"dispatch-desktop-{re.escape(__version__)}-py3\.\d+-(x86_64|aarch64)-glibc2\.\d+\.tar\.gz"
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest_entries(prefix: Path) -> list[tuple[str, Path]]:
    lines = (prefix / "install-manifest.txt").read_text(encoding="utf-8").splitlines()
    return [(line[0], Path(line[2:])) for line in lines if re.match(r"[FLTD] /", line)]


# -- building --------------------------------------------------------------------------------


def test_two_builds_of_one_commit_are_the_same_bytes(bundle: Path, tmp_path: Path) -> None:
    again = build_bundle(tmp_path)
    assert again.name == bundle.name
    assert NAME.fullmatch(bundle.name), bundle.name
    assert sha256(again) == sha256(bundle)
    published = Path(f"{bundle}.sha256").read_text(encoding="utf-8")
    assert published == f"{sha256(bundle)}  {bundle.name}\n"


def test_tar_entries_are_sorted_owned_by_root_with_one_time(bundle: Path) -> None:
    with tarfile.open(bundle) as tar:
        members = tar.getmembers()
    names = [m.name for m in members]
    assert names == sorted(names)
    assert {(m.uid, m.gid, m.uname, m.gname) for m in members} == {(0, 0, "root", "root")}
    assert len({m.mtime for m in members}) == 1
    with bundle.open("rb") as raw:
        header = raw.read(10)
    assert header[4:8] == b"\0\0\0\0", "the gzip header carries no time stamp"


def test_every_file_is_in_sha256sums_and_every_dependency_pinned_by_hash(
    bundle: Path, unpacked: Callable[[Path], Path]
) -> None:
    folder = unpacked(bundle)
    check = subprocess.run(
        ["sha256sum", "-c", "--quiet", "SHA256SUMS"],  # noqa: S607
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    listed = {line.split("  ", 1)[1] for line in (folder / "SHA256SUMS").read_text().splitlines()}
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert files - listed == {"SHA256SUMS"}

    requirements = (folder / "requirements.txt").read_text(encoding="utf-8")
    pins = dict(re.findall(r"^([A-Za-z0-9._-]+)==(\S+) \\$", requirements, re.MULTILINE))
    assert pins["dispatch-desktop"] == __version__
    assert "pyside6-essentials" in pins
    wheels = sorted((folder / "wheels").glob("*.whl"))
    for wheel in wheels:
        assert f"--hash=sha256:{sha256(wheel)}" in requirements, wheel.name
    assert len(wheels) == len(pins)
    (pip,) = (folder / "tools").glob("pip-*.whl")  # install.sh installs with it
    tools_lock = (PACKAGING / "build-tools.lock").read_text(encoding="utf-8")
    assert f"--hash=sha256:{sha256(pip)}" in tools_lock


def test_the_bundle_says_what_it_needs_from_the_system(
    bundle: Path, unpacked: Callable[[Path], Path]
) -> None:
    folder = unpacked(bundle)
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for topic in ("sha256sum -c", "--system", "uninstall.sh", "--diagnose", "SYSTEM-PACKAGES"):
        assert topic in readme
    packages = (folder / "SYSTEM-PACKAGES.txt").read_text(encoding="utf-8")
    debian12 = next(line for line in packages.splitlines() if "apt-get" in line)
    for package in ("python3", "libxcb-cursor0", "libwayland-cursor0", "fonts-dejavu-core"):
        assert f" {package} " in f"{debian12} "
    assert "python3-venv" not in debian12, "the bundle brings its own pip"
    assert "libglib2.0-0t64" in packages  # Debian 13's name
    assert f"version={__version__}" in (folder / "BUNDLE-INFO").read_text(encoding="utf-8")


def test_the_version_comes_from_one_place(newer_bundle: Path) -> None:
    """BUNDLE_VERSION rewrites dispatch_desktop.__version__ only; the wheel's metadata and the
    bundle's name follow it."""
    assert f"-{NEWER_VERSION}-py3." in newer_bundle.name
    with tarfile.open(newer_bundle) as tar:
        wheel_member = next(m for m in tar.getmembers() if "/wheels/dispatch_desktop-" in m.name)
        data = tar.extractfile(wheel_member).read()  # type: ignore[union-attr]
    wheel = Path(newer_bundle.parent, "app.whl")
    wheel.write_bytes(data)
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"dispatch_desktop-{NEWER_VERSION}.dist-info/METADATA").decode()
        init = archive.read("dispatch_desktop/__init__.py").decode()
    assert f"\nVersion: {NEWER_VERSION}\n" in metadata
    assert f'__version__ = "{NEWER_VERSION}"' in init


# -- refusing before changing anything --------------------------------------------------------


def test_a_damaged_bundle_is_refused_and_nothing_is_installed(
    bundle: Path, unpacked: Callable[[Path], Path], tmp_path: Path
) -> None:
    folder = unpacked(bundle)
    wheel = next((folder / "wheels").glob("requests-*.whl"))
    data = bytearray(wheel.read_bytes())
    data[len(data) // 2] ^= 0xFF
    wheel.write_bytes(bytes(data))
    home = tmp_path / "home"
    result = run([str(folder / "install.sh")], home=home)
    assert result.returncode == 1
    assert f"wheels/{wheel.name} is damaged" in result.stdout
    assert not home.exists()


def test_missing_system_libraries_print_the_apt_line_and_change_nothing(
    bundle: Path, unpacked: Callable[[Path], Path], tmp_path: Path
) -> None:
    """A machine whose dynamic linker knows no Wayland cursor library and no XCB cursor
    library (a fake ldconfig first on PATH)."""
    folder = unpacked(bundle)
    real = subprocess.run(
        ["/sbin/ldconfig", "-p"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    kept = [
        line
        for line in real.splitlines()
        if "libwayland-cursor.so" not in line and "libxcb-cursor.so" not in line
    ]
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "listing").write_text("\n".join(kept) + "\n", encoding="utf-8")
    (fake / "ldconfig").write_text(f"#!/bin/sh\ncat {fake / 'listing'}\n", encoding="utf-8")
    (fake / "ldconfig").chmod(0o755)
    home = tmp_path / "home"
    result = run(
        [str(folder / "install.sh")],
        home=home,
        env={"PATH": f"{fake}:/usr/bin:/bin:/usr/sbin:/sbin"},
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "libwayland-cursor.so.0" in result.stdout
    assert "nothing was changed" in result.stdout
    assert "apt-get install --no-install-recommends libxcb-cursor0 libwayland-cursor0" in (
        result.stdout
    )
    assert not home.exists()


# -- install, upgrade, uninstall --------------------------------------------------------------


def test_install_offline_upgrade_and_uninstall_for_one_user(
    bundle: Path, newer_bundle: Path, unpacked: Callable[[Path], Path], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    share = home / ".local/share"
    prefix = home / ".local/opt/dispatch-desktop"
    command = home / ".local/bin/dispatch-desktop"
    # What the user and other programs had before: it all stays.
    journal = share / "dispatch-desktop/launch-journal.sqlite3"
    settings = home / ".config/dispatch-desktop/settings.ini"
    other_entry = share / "applications/other.desktop"
    for path in (journal, settings, other_entry):
        path.parent.mkdir(parents=True)
        path.write_text("the user's", encoding="utf-8")

    first = run([*NO_NETWORK, str(unpacked(bundle) / "install.sh")], home=home)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "a window opens offscreen" in first.stdout
    shown = subprocess.run(  # noqa: S603 - the installed command
        [command, "--version"], capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == f"dispatch-desktop {__version__}"
    entry = (share / "applications/dispatch-desktop.desktop").read_text(encoding="utf-8")
    assert f"Exec={prefix}/current/bin/dispatch-desktop\n" in entry
    assert (share / "icons/hicolor/256x256/apps/dispatch-desktop.png").exists()
    assert (share / "metainfo/com.lekab.DispatchDesktop.metainfo.xml").exists()
    (old_version,) = (path for kind, path in manifest_entries(prefix) if kind == "T")

    # A newer version whose Qt cannot load (a broken PySide6 first on its path): the check
    # after the install fails, and the version in use stays, untouched.
    broken = tmp_path / "broken/PySide6"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text("raise ImportError('libEGL.so.1: cannot open')\n")
    newer = unpacked(newer_bundle)
    failed = run(
        [*NO_NETWORK, str(newer / "install.sh")],
        home=home,
        env={"PYTHONPATH": str(broken.parent)},
    )
    assert failed.returncode == 1
    assert "the version in use stays" in failed.stderr
    assert [p for p in (prefix / "versions").iterdir()] == [old_version]
    assert (prefix / "current").resolve() == old_version
    shown = subprocess.run(  # noqa: S603 - the installed command
        [command, "--version"], capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == f"dispatch-desktop {__version__}"

    upgrade = run([*NO_NETWORK, str(newer / "install.sh")], home=home)
    assert upgrade.returncode == 0, upgrade.stdout + upgrade.stderr
    shown = subprocess.run(  # noqa: S603 - the installed command
        [command, "--version"], capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == f"dispatch-desktop {NEWER_VERSION}"
    assert not old_version.exists(), "the old version's folder is removed once replaced"
    assert f"version {NEWER_VERSION}" in (prefix / "install-manifest.txt").read_text()

    again = run([*NO_NETWORK, str(newer / "install.sh")], home=home)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "installed already" in again.stdout

    entries = manifest_entries(prefix)
    removed = run([str(prefix / "uninstall.sh")], home=home)
    assert removed.returncode == 0, removed.stdout + removed.stderr
    for kind, path in entries:
        if kind != "D":
            assert not path.is_symlink(), path
            assert not path.exists(), path
    for path in (journal, settings, other_entry):
        assert path.read_text(encoding="utf-8") == "the user's"
    assert not prefix.exists()
    assert not (home / ".local/bin").exists(), "a folder the install made goes when empty"
    assert (share / "applications").is_dir(), "a folder that was there before stays"


def can_overlay_usr_share() -> bool:
    """Whether this machine lets a mount namespace lay an overlay over /usr/share (root, and
    a file system under /tmp that overlayfs takes as its upper layer)."""
    if not can_unshare("-m", "-n"):
        return False
    with tempfile.TemporaryDirectory() as folder:
        upper, work = Path(folder, "upper"), Path(folder, "work")
        upper.mkdir()
        work.mkdir()
        mount = (
            f"mount -t overlay overlay -o lowerdir=/usr/share,upperdir={upper},workdir={work} "
            "/usr/share"
        )
        result = subprocess.run(  # noqa: S603 - a fixed probe
            ["unshare", "-m", "-n", "--propagation", "private", "/bin/sh", "-c", mount],  # noqa: S607
            capture_output=True,
            check=False,
        )
    return result.returncode == 0


SYSTEM_NAMESPACE = can_overlay_usr_share()


@pytest.mark.skipif(not SYSTEM_NAMESPACE, reason="needs root and overlayfs in a namespace")
def test_system_install_replaces_an_old_layout_and_uninstalls_for_every_user(
    bundle: Path, unpacked: Callable[[Path], Path], tmp_path: Path
) -> None:
    """``--system`` as root in a mount namespace: /usr/share and /usr/local are overlays whose
    changes land in folders of this test, /opt is a folder of this test, so the machine's own
    folders never change. The install finds a virtual environment in /opt/dispatch-desktop
    itself, as bundles before the manifest left it, and replaces it."""
    layers = {}
    for name in ("share", "local"):
        for part in ("upper", "work"):
            (tmp_path / f"{name}-{part}").mkdir()
        layers[name] = tmp_path / f"{name}-upper"
    opt = tmp_path / "opt"
    opt.mkdir()
    subprocess.run(  # noqa: S603 - the old bundles' layout, made as they made it
        [BASE_PYTHON, "-m", "venv", "--without-pip", str(opt / "dispatch-desktop")],
        check=True,
    )
    folder = unpacked(bundle)

    def as_root(script: str) -> subprocess.CompletedProcess[str]:
        mounts = " && ".join(
            [
                f"mount -t overlay overlay -o lowerdir=/usr/{name},"
                f"upperdir={tmp_path}/{name}-upper,workdir={tmp_path}/{name}-work /usr/{name}"
                for name in ("share", "local")
            ]
            + [f"mount --bind {opt} /opt", script]
        )
        return run(
            ["unshare", "-m", "-n", "--propagation", "private", "/bin/sh", "-c", mounts],
            home=tmp_path / "root-home",
        )

    installed = as_root(f"{folder}/install.sh --system")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert "Replacing the install of an older bundle" in installed.stdout
    prefix = opt / "dispatch-desktop"
    assert not (prefix / "pyvenv.cfg").exists()
    entry = layers["share"] / "applications/dispatch-desktop.desktop"
    assert "Exec=/opt/dispatch-desktop/current/bin/dispatch-desktop\n" in entry.read_text()
    assert (layers["share"] / "icons/hicolor/48x48/apps/dispatch-desktop.png").exists()
    assert (layers["share"] / "metainfo/com.lekab.DispatchDesktop.metainfo.xml").exists()
    link = layers["local"] / "bin/dispatch-desktop"
    assert link.is_symlink()
    assert str(link.readlink()) == "/opt/dispatch-desktop/current/bin/dispatch-desktop"
    shown = as_root("dispatch-desktop --version")
    assert shown.stdout.strip() == f"dispatch-desktop {__version__}"
    assert "mode system" in (prefix / "install-manifest.txt").read_text()

    removed = as_root("/opt/dispatch-desktop/uninstall.sh")
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert not entry.exists()
    assert not link.is_symlink()
    assert not list(layers["share"].rglob("dispatch-desktop*"))
    assert not prefix.exists()
