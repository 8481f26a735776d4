#!/usr/bin/env bash
# Installs (or upgrades) Dispatch Desktop from this offline bundle, with no network (README.md).
#
#   ./install.sh                 for this user: ~/.local/opt/dispatch-desktop, menu entry in
#                                ~/.local/share, command ~/.local/bin/dispatch-desktop
#   sudo ./install.sh --system   for every user: /opt/dispatch-desktop, /usr/share,
#                                /usr/local/bin/dispatch-desktop
#   ./install.sh --check         only the checks: change nothing
#   --prefix DIR                 another folder for the app
#   PYTHON=python3.11 ./install.sh   another Python (default python3)
#
# Before changing anything it checks the bundle's checksums, the Python against the wheels,
# its venv module, Qt's system libraries and fonts, and prints the apt-get line for what is
# missing. The new
# version goes into a folder of its own and is started offscreen before it replaces the old
# one: a failed install or check leaves the old version in use. Every file it puts outside that
# folder is listed in PREFIX/install-manifest.txt for uninstall.sh, which keeps each user's
# settings, journal and logs.
set -euo pipefail
umask 022
here="$(cd "$(dirname "$0")" && pwd)"
python=${PYTHON:-python3}

die() { echo "install.sh: $*" >&2; exit 1; }
usage() { sed -n '2,12s/^# \{0,1\}//p' "$0"; }

mode=user prefix= check_only=no
while (($#)); do
    case $1 in
        --system) mode=system ;;
        --prefix) (($# > 1)) || die "--prefix needs a folder"; prefix=$2; shift ;;
        --prefix=*) prefix=${1#--prefix=} ;;
        --check) check_only=yes ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
    shift
done

if [[ $mode == system ]]; then
    [[ $(id -u) == 0 ]] || die "--system installs for every user: run it as root (sudo $0 --system)."
    prefix=${prefix:-/opt/dispatch-desktop} share=/usr/share bindir=/usr/local/bin
else
    prefix=${prefix:-$HOME/.local/opt/dispatch-desktop}
    share=${XDG_DATA_HOME:-$HOME/.local/share} bindir=$HOME/.local/bin
fi
# The path goes into a desktop entry's Exec line and into shebangs: keep it plain.
[[ $prefix == /* && $prefix =~ ^[A-Za-z0-9._/+-]+$ && $prefix != *..* ]] ||
    die "the folder must be an absolute path of letters, digits and . _ / + - only: $prefix"
command -v "$python" >/dev/null ||
    die "no $python here: install Python (Debian: apt-get install python3) or name one with PYTHON=…"

# This computer's pip settings (an index, extra wheel folders) must not mix into the install.
export PIP_CONFIG_FILE=/dev/null PIP_NO_INPUT=1
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep '^PIP_' | grep -v -x -e PIP_CONFIG_FILE -e PIP_NO_INPUT)

"$python" "$here/check/preflight.py" "$here" || exit 1
[[ $check_only == yes ]] && exit 0

version=$(sed -n 's/^version=//p' "$here/BUNDLE-INFO")
bundle_id=$(sha256sum "$here/requirements.txt" | cut -c1-12)
name="$version-$bundle_id"
manifest="$prefix/install-manifest.txt"
app="$prefix/versions/$name"
previous=$(readlink "$prefix/current" 2>/dev/null || true)

installed=() # manifest entries: F file, L link, T folder made whole, D folder made (if empty)
[[ -f $manifest ]] && mapfile -t installed < <(grep '^D /' "$manifest") # made by an earlier install
make_dir() { # mkdir -p that lists each folder it makes
    local dir=$1 made=()
    while [[ ! -d $dir ]]; do made=("$dir" "${made[@]}"); dir=$(dirname "$dir"); done
    for dir in "${made[@]}"; do mkdir "$dir" && installed+=("D $dir"); done
}

make_dir "$prefix/versions"
if [[ -f $prefix/pyvenv.cfg && ! -f $manifest ]]; then
    # An install by a bundle older than this script: a virtual environment in PREFIX itself.
    echo "Replacing the install of an older bundle in $prefix."
    rm -rf "$prefix/bin" "$prefix/include" "$prefix/lib" "$prefix/lib64" "$prefix/share" "$prefix/pyvenv.cfg"
    installed+=("D $prefix")
fi

verify() { # the new version's command answers and Qt starts it offscreen
    local shown
    shown=$("$1/bin/dispatch-desktop" --version) || return 1
    [[ $shown == "dispatch-desktop $version" ]] || { echo "it says \"$shown\"" >&2; return 1; }
    QT_QPA_PLATFORM=offscreen "$1/bin/python" -m dispatch_desktop.diagnose --start-check
}

if [[ $previous == "versions/$name" && -x $app/bin/dispatch-desktop ]]; then
    echo "Dispatch Desktop $version from this bundle is installed already; checking it."
    verify "$app" || die "the installed copy does not start; remove $app and run install.sh again."
else
    rm -rf "$app" # a leftover of an interrupted install of this very bundle
    echo "Installing Dispatch Desktop $version into $app …"
    pip_wheel=$(echo "$here"/tools/pip-*.whl)
    # pip runs from its wheel in the bundle (hashed in SHA256SUMS): no ensurepip needed.
    if ! "$python" -m venv --without-pip "$app" ||
        ! "$app/bin/python" "$pip_wheel/pip" install --quiet --disable-pip-version-check \
            --no-index --find-links "$here/wheels" --only-binary=:all: --require-hashes \
            --no-warn-script-location --requirement "$here/requirements.txt" ||
        ! verify "$app"; then
        rm -rf "$app"
        for ((i = ${#installed[@]} - 1; i >= 0; i--)); do # folders this run made, if empty
            [[ ${installed[i]} == D\ * ]] && { rmdir -- "${installed[i]#D }" 2>/dev/null || true; }
        done
        die "the new version could not be installed or did not start offscreen; nothing else was changed${previous:+ (the version in use stays)}."
    fi
    ln -sfn "versions/$name" "$prefix/current.new"
    mv -T "$prefix/current.new" "$prefix/current" # one rename: never half old, half new
    [[ -n $previous ]] && echo "Replaced ${previous#versions/} with $name."
fi

# Desktop integration: the menu entry, icons, AppStream data and the command.
put() { # put SOURCE TARGET [sed-expression]
    make_dir "$(dirname "$2")"
    if [[ -n ${3:-} ]]; then sed "$3" "$1" >"$2.new"; else cat "$1" >"$2.new"; fi
    chmod 644 "$2.new" && mv -f "$2.new" "$2"
    installed+=("F $2")
}
exec_path="$prefix/current/bin/dispatch-desktop"
put "$here/share/applications/dispatch-desktop.desktop" "$share/applications/dispatch-desktop.desktop" \
    "s|^Exec=dispatch-desktop|Exec=$exec_path|"
put "$here/share/metainfo/com.lekab.DispatchDesktop.metainfo.xml" \
    "$share/metainfo/com.lekab.DispatchDesktop.metainfo.xml"
while IFS= read -r icon; do
    put "$here/share/$icon" "$share/$icon"
done < <(cd "$here/share" && find icons -type f | sort)
make_dir "$bindir"
if [[ -L $bindir/dispatch-desktop || ! -e $bindir/dispatch-desktop ]]; then
    ln -sfn "$exec_path" "$bindir/dispatch-desktop"
    installed+=("L $bindir/dispatch-desktop")
else
    echo "Left $bindir/dispatch-desktop alone (not a link of an earlier install); start $exec_path."
fi
cp "$here/uninstall.sh" "$prefix/uninstall.sh.new" && chmod 755 "$prefix/uninstall.sh.new"
mv -f "$prefix/uninstall.sh.new" "$prefix/uninstall.sh"
installed+=("T $app" "L $prefix/current" "F $prefix/uninstall.sh" "F $manifest")

# What the previous install put there and this one did not: an old version, a dropped file.
if [[ -f $manifest ]]; then
    while IFS= read -r entry; do
        [[ $entry == [FLT]\ /* ]] || continue
        printf '%s\n' "${installed[@]}" | grep -qxF -- "$entry" && continue
        path=${entry#? }
        case $entry in
            T*) [[ $path == "$prefix/versions/"* ]] && rm -rf -- "$path" ;;
            *) rm -f -- "$path" ;;
        esac
    done <"$manifest"
fi
{
    echo "# Dispatch Desktop $version ($mode install), removed by uninstall.sh."
    echo "# F file, L link, T folder made whole by the install, D folder it made (removed if empty)."
    echo "mode $mode"
    echo "version $version"
    printf '%s\n' "${installed[@]}"
} >"$manifest.new"
mv -f "$manifest.new" "$manifest"

# A system icon cache that exists must list the new icons (a user's folder has none).
if [[ $mode == system && -f $share/icons/hicolor/icon-theme.cache ]] && command -v gtk-update-icon-cache >/dev/null; then
    gtk-update-icon-cache -q "$share/icons/hicolor" || true
fi
echo "Installed Dispatch Desktop $version: $exec_path (menu: Dispatch Desktop)."
echo "Remove it with $prefix/uninstall.sh (your settings, journal and logs stay)."
