#!/usr/bin/env bash
# Builds an offline bundle for kiosks and machines without internet access:
#   dist/dispatch-desktop-offline-VERSION/
#     wheels/        the app and every dependency, as wheels for this platform and Python
#     resources/     desktop entry, icon, AppStream metadata
#     install.sh     installs into a virtual environment with no network at all
# Run it on a machine with the same OS, architecture and Python minor version as the targets.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
version=$("$python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
bundle="dist/dispatch-desktop-offline-$version"

rm -rf "$bundle"
mkdir -p "$bundle/wheels"
"$python" -m pip wheel --quiet --wheel-dir "$bundle/wheels" .
cp -r resources "$bundle/resources"
cp packaging/install-offline.sh "$bundle/install.sh"
chmod +x "$bundle/install.sh"
tar -C dist -czf "$bundle.tar.gz" "$(basename "$bundle")"
echo "Offline bundle: $bundle.tar.gz"
