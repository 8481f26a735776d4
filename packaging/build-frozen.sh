#!/usr/bin/env bash
# Builds the frozen app (PyInstaller, one folder): build/frozen/dispatch-desktop/ and
#   dist/dispatch-desktop-VERSION-frozen-ARCH-glibcA.B.tar.gz (glibc: the build machine's,
#   the oldest the frozen program runs on). Every package comes from the hashed lock files.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
venv=build/frozen-venv
stamp="$venv/.locks-sha256"
want=$(cat packaging/build-tools.lock packaging/requirements.lock | sha256sum | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes \
        --requirement packaging/build-tools.lock --requirement packaging/requirements.lock
    echo "$want" >"$stamp"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
    --no-build-isolation --force-reinstall .
"$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN --distpath build/frozen \
    --workpath build/frozen-work packaging/dispatch-desktop.spec
version=$("$venv/bin/python" -c 'import dispatch_desktop; print(dispatch_desktop.__version__)')
glibc=$(getconf GNU_LIBC_VERSION | cut -d' ' -f2)
name="dispatch-desktop-$version-frozen-$(uname -m)-glibc$glibc"
mkdir -p dist
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
tar -C build/frozen --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
    --transform "s|^dispatch-desktop|$name|" -cf - dispatch-desktop | gzip -n >"dist/$name.tar.gz"
(cd dist && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")
echo "Frozen build: build/frozen/dispatch-desktop/ and dist/$name.tar.gz"
