#!/usr/bin/env bash
# Removes what install.sh installed, exactly: the entries of PREFIX/install-manifest.txt.
# Each user's settings, launch journal, job events and logs (~/.config/dispatch-desktop,
# ~/.local/share/dispatch-desktop, ~/.local/state/dispatch-desktop) and the administrator's
# policy (/etc/xdg/dispatch-desktop) are kept.
#
#   PREFIX/uninstall.sh            (the copy install.sh leaves in the install folder)
#   ./uninstall.sh [--system] [--prefix DIR]   (from a bundle)
set -euo pipefail
die() { echo "uninstall.sh: $*" >&2; exit 1; }

here="$(cd "$(dirname "$0")" && pwd)"
prefix=
[[ -f $here/install-manifest.txt ]] && prefix=$here
while (($#)); do
    case $1 in
        --system) prefix=/opt/dispatch-desktop ;;
        --prefix) (($# > 1)) || die "--prefix needs a folder"; prefix=$2; shift ;;
        --prefix=*) prefix=${1#--prefix=} ;;
        -h | --help) sed -n '2,9s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
    shift
done
prefix=${prefix:-$HOME/.local/opt/dispatch-desktop}
manifest="$prefix/install-manifest.txt"
[[ -f $manifest ]] || die "no install found in $prefix (no install-manifest.txt there)."
mode=$(sed -n 's/^mode //p' "$manifest")
[[ $mode != system || $(id -u) == 0 ]] || die "this install is for every user: run it as root."

# Only what an install can have made: absolute paths, no "..", in the install folder or among
# the files install.sh writes elsewhere. A damaged manifest must not remove anything else
# (folders, D, are only ever removed when empty).
allowed() { # allowed KIND PATH
    [[ $2 == /* && $2 != *..* ]] || return 1
    [[ $1 == D ]] && return 0
    case $2 in
        "$prefix"/* | */applications/dispatch-desktop.desktop | */bin/dispatch-desktop | \
            */metainfo/com.lekab.DispatchDesktop.metainfo.xml | */icons/hicolor/*/apps/dispatch-desktop.*) return 0 ;;
    esac
    return 1
}

folders=()
while IFS= read -r entry; do
    [[ $entry == [FLTD]\ * ]] || continue
    kind=${entry%% *} path=${entry#? }
    allowed "$kind" "$path" || { echo "Skipped a manifest entry outside the install: $path" >&2; continue; }
    case $kind in
        F | L) rm -f -- "$path" ;;
        T) [[ $path == "$prefix/versions/"* ]] && rm -rf -- "$path" ;;
        D) folders+=("$path") ;;
    esac
done <"$manifest"
# Folders it made, deepest first, and only when nothing else is in them now.
while IFS= read -r folder; do
    rmdir -- "$folder" 2>/dev/null || true
done < <(printf '%s\n' "${folders[@]}" | awk '{ print length($0) "\t" $0 }' | sort -rn | cut -f2-)

if [[ $mode == system && -f /usr/share/icons/hicolor/icon-theme.cache ]] && command -v gtk-update-icon-cache >/dev/null; then
    gtk-update-icon-cache -q /usr/share/icons/hicolor || true
fi
echo "Removed Dispatch Desktop from $prefix."
echo "Kept: each user's settings, journal and logs (~/.config/dispatch-desktop, ~/.local/share/dispatch-desktop, ~/.local/state/dispatch-desktop) and /etc/xdg/dispatch-desktop."
