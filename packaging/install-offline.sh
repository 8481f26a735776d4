#!/usr/bin/env bash
# Installs Dispatch Desktop from this offline bundle, with no network access.
#   ./install.sh [PREFIX]     (default PREFIX: ~/.local/opt/dispatch-desktop)
# Then start it with PREFIX/bin/dispatch-desktop (a menu entry is added for this user).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
prefix="${1:-$HOME/.local/opt/dispatch-desktop}"
python=${PYTHON:-python3}

"$python" -m venv "$prefix"
"$prefix/bin/python" -m pip install --quiet --no-index --find-links "$here/wheels" dispatch-desktop

applications="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/scalable/apps"
mkdir -p "$applications" "$icons"
cp "$here/resources/icons/dispatch-desktop.svg" "$icons/dispatch-desktop.svg"
sed "s|^Exec=dispatch-desktop|Exec=$prefix/bin/dispatch-desktop|" \
    "$here/resources/dispatch-desktop.desktop" > "$applications/dispatch-desktop.desktop"
echo "Installed: $prefix/bin/dispatch-desktop (menu entry: Dispatch Desktop)"
