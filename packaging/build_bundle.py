"""Builds the offline bundle, byte for byte the same from the same commit (packaging/README.md).

Run by build-offline-bundle.sh with the build tools' Python (setuptools pinned by
build-tools.lock), which must be the Python minor version of the targets. It

- copies the project's files (git's tracked and unignored ones) to a staging folder with fixed
  modes, and there builds the app's wheel with ``SOURCE_DATE_EPOCH`` (the commit's time);
- downloads every dependency's wheel for this platform, checked against requirements.lock,
  and pip's own wheel (build-tools.lock), which install.sh installs with;
- writes requirements.txt (the lock plus the app wheel's hash), the desktop files, the install
  scripts, a README, SYSTEM-PACKAGES.txt, BUNDLE-INFO and SHA256SUMS;
- packs it all with sorted entries, owner root, one mtime and no gzip timestamp, as
  ``dispatch-desktop-VERSION-pyX.Y-ARCH-glibcA.B.tar.gz`` (glibc: the oldest the wheels run on),
  with a ``.sha256`` file beside it.

``BUNDLE_VERSION=0.1.1`` builds the bundle as that version (the tests' upgrade).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "packaging"
sys.path[:0] = [str(HERE), str(ROOT)]  # preflight.py and the package table it reads

from preflight import platform_minimum, wheel_tags  # noqa: E402 - beside this file

VERSION_LINE = re.compile(r'^__version__ = "([^"]+)"$', re.MULTILINE)
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
APP_ID = "com.lekab.DispatchDesktop"


def git(*args: str) -> str:
    return subprocess.run(  # noqa: S603 - git with fixed arguments
        ["git", *args],  # noqa: S607 - the developer's git
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def source_files() -> list[str]:
    """The project's files as a fresh clone would have them, plus files not yet committed
    (but never ignored ones: no .venv, build or dist)."""
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    return sorted(name for name in listed if name and (ROOT / name).is_file())


def source_date_epoch() -> int:
    """``SOURCE_DATE_EPOCH`` when set, else the time of the commit being built."""
    given = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(given) if given else int(git("log", "-1", "--format=%ct").strip())


def read_version(init_text: str) -> str:
    match = VERSION_LINE.search(init_text)
    if not match:
        raise SystemExit("dispatch_desktop/__init__.py has no __version__ line")
    return match[1]


def stage_source(dest: Path, epoch: int, version: str | None) -> str:
    """Copy the project to ``dest`` with fixed modes and times; return its version (rewritten
    to ``version`` when given)."""
    for name in source_files():
        source, target = ROOT / name, dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        target.chmod(0o755 if os.access(source, os.X_OK) else 0o644)
    init = dest / "dispatch_desktop" / "__init__.py"
    text = init.read_text(encoding="utf-8")
    if version:
        text = VERSION_LINE.sub(f'__version__ = "{version}"', text)
        init.write_text(text, encoding="utf-8")
    for path in dest.rglob("*"):
        os.utime(path, (epoch, epoch))
    return read_version(text)


def pip(*args: str, env: dict[str, str], check: bool = True) -> bool:
    result = subprocess.run(  # noqa: S603 - this Python's pip, fixed arguments
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
        env=env,
        check=check,
        capture_output=not check,
    )
    return result.returncode == 0


WHEELHOUSE = ROOT / "build" / "wheelhouse"
"""Wheels downloaded by earlier builds: a rebuild needs no network (pip checks every hash)."""


def fetch(requirement: Path, dest: Path, *extra: str) -> None:
    """The wheels ``requirement`` pins, hash-checked, into ``dest``: from the wheelhouse when
    it has them all, else from the package index into the wheelhouse first."""
    args = ("download", "--quiet", "--require-hashes", "--only-binary=:all:", *extra,
            "--requirement", str(requirement))  # fmt: skip
    offline = ("--no-index", "--find-links", str(WHEELHOUSE), "--dest", str(dest))
    env = dict(os.environ)
    if not pip(*args, *offline, env=env, check=False):
        pip(*args, "--dest", str(WHEELHOUSE), env=env)
        pip(*args, *offline, env=env)


def build_wheels(source: Path, wheels: Path, epoch: int) -> Path:
    """The app's wheel (built here, reproducibly) and every dependency's (downloaded,
    hash-checked); returns the app's wheel."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "PYTHONHASHSEED": "0"}
    pip("wheel", "--quiet", "--no-deps", "--no-build-isolation", "--wheel-dir", str(wheels),
        str(source), env=env)  # fmt: skip
    (app,) = wheels.glob("dispatch_desktop-*.whl")
    fetch(HERE / "requirements.lock", wheels)
    return app


def locked_entry(lock: str, name: str) -> str:
    """The lines of one package's pin and hashes in a pip-compile lock file."""
    match = re.search(rf"^{re.escape(name)}==.*?(?=^\S|\Z)", lock, re.MULTILINE | re.DOTALL)
    if not match:
        raise SystemExit(f"{name} is not pinned in build-tools.lock")
    return "\n".join(line for line in match[0].splitlines() if not line.lstrip().startswith("#"))


def download_pip(tools: Path, work: Path) -> None:
    """pip's own wheel, pinned and hashed by build-tools.lock: install.sh runs it from the
    bundle, so the target needs no ensurepip (Debian's python3-venv)."""
    lock = (HERE / "build-tools.lock").read_text(encoding="utf-8")
    requirement = work / "pip-requirement.txt"
    requirement.write_text(locked_entry(lock, "pip") + "\n", encoding="utf-8")
    fetch(requirement, tools, "--no-deps")


def requirements(app: Path, version: str) -> str:
    """requirements.txt of the bundle: every dependency pinned and hashed, and the app."""
    digest = hashlib.sha256(app.read_bytes()).hexdigest()
    lock = (HERE / "requirements.lock").read_text(encoding="utf-8")
    lines = [line for line in lock.splitlines() if line and not line.startswith("#")]
    return "\n".join([*lines, f"dispatch-desktop=={version} \\", f"    --hash=sha256:{digest}", ""])


def platform_tag(wheels: list[str]) -> str:
    """``pyX.Y-ARCH-glibcA.B``: this Python, this machine and the oldest glibc every wheel
    runs on."""
    lowest = [platform_minimum(tag) for name in wheels for tag in wheel_tags(name)[2]]
    glibc = max((m[1] for m in lowest if m), default=None)
    libc = f"-glibc{glibc[0]}.{glibc[1]}" if glibc else ""
    python = f"py{sys.version_info.major}.{sys.version_info.minor}"
    return f"{python}-{platform.machine()}{libc}"


def desktop_files(bundle: Path) -> None:
    """The desktop entry, icons and AppStream data, laid out as under /usr/share."""
    resources, share = ROOT / "resources", bundle / "share"
    copies = {
        resources / "dispatch-desktop.desktop": share / "applications/dispatch-desktop.desktop",
        resources / f"{APP_ID}.metainfo.xml": share / f"metainfo/{APP_ID}.metainfo.xml",
        resources / "icons/dispatch-desktop.svg": share
        / "icons/hicolor/scalable/apps/dispatch-desktop.svg",
    }
    for size in ICON_SIZES:
        copies[resources / f"icons/dispatch-desktop-{size}.png"] = (
            share / f"icons/hicolor/{size}x{size}/apps/dispatch-desktop.png"
        )
    for source, target in copies.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def tools(bundle: Path, source: Path) -> None:
    """install.sh, uninstall.sh, the README, the install check and the package list."""
    for script in ("install.sh", "uninstall.sh"):
        shutil.copyfile(HERE / script, bundle / script)
    shutil.copyfile(HERE / "bundle-README.md", bundle / "README.md")
    check = bundle / "check" / "dispatch_desktop"
    check.mkdir(parents=True)
    shutil.copyfile(HERE / "preflight.py", bundle / "check" / "preflight.py")
    for name in ("__init__.py", "system_libraries.py"):
        shutil.copyfile(source / "dispatch_desktop" / name, check / name)
    listing = subprocess.run(  # noqa: S603 - the table's own printout
        [sys.executable, str(check / "system_libraries.py")], capture_output=True, text=True,
        check=True,
    ).stdout  # fmt: skip
    (bundle / "SYSTEM-PACKAGES.txt").write_text(listing, encoding="utf-8")


def bundle_info(version: str, tag: str, epoch: int) -> str:
    commit = git("rev-parse", "HEAD").strip()
    dirty = " (with changes not committed)" if git("status", "--porcelain").strip() else ""
    return (
        f"name=dispatch-desktop\nversion={version}\nplatform={tag}\n"
        f"source_commit={commit}{dirty}\nsource_date_epoch={epoch}\n"
    )


def write_sums(bundle: Path) -> None:
    lines = []
    for path in sorted(p for p in bundle.rglob("*") if p.is_file()):
        name = path.relative_to(bundle).as_posix()
        lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {name}")
    (bundle / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")


def pack(bundle: Path, tarball: Path, epoch: int) -> None:
    """A tar.gz whose bytes depend only on the files' names and contents."""
    executables = {"install.sh", "uninstall.sh"}
    with tarball.open("wb") as raw:
        gz = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6)
        with gz, tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            paths = [bundle, *sorted(bundle.rglob("*"), key=lambda p: p.as_posix())]
            for path in paths:
                name = (Path(bundle.name) / path.relative_to(bundle)).as_posix()
                info = tarfile.TarInfo(name)
                info.mtime, info.uid, info.gid, info.uname, info.gname = epoch, 0, 0, "root", "root"
                if path.is_dir():
                    info.type, info.mode = tarfile.DIRTYPE, 0o755
                    tar.addfile(info)
                    continue
                data = path.read_bytes()
                info.size, info.mode = len(data), 0o755 if path.name in executables else 0o644
                tar.addfile(info, io.BytesIO(data))


def build(output: Path, version: str | None) -> Path:
    epoch = source_date_epoch()
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dispatch-desktop-bundle-") as work:
        source, staging = Path(work) / "source", Path(work) / "bundle"
        version = stage_source(source, epoch, version)
        wheels = staging / "wheels"
        app = build_wheels(source, wheels, epoch)
        download_pip(staging / "tools", Path(work))
        tag = platform_tag(sorted(w.name for w in wheels.glob("*.whl")))
        name = f"dispatch-desktop-{version}-{tag}"
        (staging / "requirements.txt").write_text(requirements(app, version), encoding="utf-8")
        desktop_files(staging)
        tools(staging, source)
        (staging / "BUNDLE-INFO").write_text(bundle_info(version, tag, epoch), encoding="utf-8")
        write_sums(staging)
        bundle = staging.rename(Path(work) / name)
        tarball = output / f"{name}.tar.gz"
        pack(bundle, tarball, epoch)
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    Path(f"{tarball}.sha256").write_text(f"{digest}  {tarball.name}\n", encoding="utf-8")
    return tarball


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "dist", help="default: dist/")
    args = parser.parse_args()
    version = os.environ.get("BUNDLE_VERSION", "").strip() or None
    tarball = build(args.output.resolve(), version)
    print(f"Offline bundle: {tarball}")
    print(Path(f"{tarball}.sha256").read_text(encoding="utf-8"), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
