#!/usr/bin/env bash
# Prints the path of a virtual environment with the build tools pinned in build-tools.lock
# (setuptools, PyInstaller) for the Python given as $1, making it when the lock changed.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${1:-python3}
tag=$("$python" -c 'import platform, sys; print(f"py{sys.version_info[0]}.{sys.version_info[1]}-{platform.machine()}")')
venv="build/tools-$tag"
stamp="$venv/.lock-sha256"
want=$(sha256sum packaging/build-tools.lock | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
    rm -rf "$venv"
    "$python" -m venv "$venv" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes \
        --requirement packaging/build-tools.lock >&2
    echo "$want" > "$stamp"
fi
echo "$PWD/$venv"
