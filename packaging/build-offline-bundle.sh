#!/usr/bin/env bash
# Builds the offline bundle for kiosks and computers without internet access (README.md):
#   dist/dispatch-desktop-VERSION-pyX.Y-ARCH-glibcA.B.tar.gz  (and .sha256)
# Two builds of the same commit give the same bytes. Run it on a machine with the architecture
# and the Python minor version of the targets: PYTHON=python3.11 packaging/build-offline-bundle.sh
# Options: --output DIR (default dist). BUNDLE_VERSION=X.Y.Z builds as another version.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
tools=$(packaging/build-tools-venv.sh "$python")
exec "$tools/bin/python" packaging/build_bundle.py "$@"
