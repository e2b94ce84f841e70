#!/usr/bin/env bash
# Pack dist/retouch (built by packaging/build_linux.sh) with install.sh, uninstall.sh, the
# desktop entry, AppStream metadata and icons into dist/retouch-VERSION-linux-ARCH.tar.gz.
#
#   DIST=dist bash packaging/linux/make_tarball.sh
#
# The user unpacks it anywhere and runs ./install.sh (no root, no network).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
DIST=$(realpath -m "${DIST:-dist}")
PYTHON=${PYTHON:-.venv/bin/python}
[[ -x $PYTHON ]] || PYTHON=python3
[[ -x $DIST/retouch/retouch ]] || { echo "make_tarball.sh: build first: bash packaging/build_linux.sh" >&2; exit 1; }

VERSION=$(env -i HOME="$HOME" PATH=/nonexistent "$DIST/retouch/retouch" --version | awk '{print $2}')
# Named for the architecture the executable is built for, not the machine packing it.
ARCH=$("$PYTHON" packaging/glibc_floor.py --print arch "$DIST/retouch/retouch")
[[ $ARCH != unknown ]] || ARCH=$(uname -m)
GLIBC=$("$PYTHON" packaging/glibc_floor.py --print glibc "$DIST/retouch")
NAME=retouch-$VERSION-linux-$ARCH
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT

ROOT=$STAGE/$NAME
mkdir -p "$ROOT/share/icons"
cp -a "$DIST/retouch" "$ROOT/retouch"
install -m 755 packaging/linux/install.sh packaging/linux/uninstall.sh "$ROOT/"
install -m 644 packaging/linux/retouch.desktop packaging/linux/io.retouch.Retouch.metainfo.xml "$ROOT/share/"
for size in 16 24 32 48 64 128 256 512; do
    install -m 644 "resources/icons/retouch-$size.png" "$ROOT/share/icons/"
done
echo "$VERSION" >"$ROOT/VERSION"
cat >"$ROOT/README.txt" <<TXT
Retouch $VERSION for Linux ($ARCH)

Install for your user (no root, no network needed):   ./install.sh
Install elsewhere:                                     ./install.sh --prefix /opt/retouch
Uninstall:                                             ~/.local/lib/retouch/uninstall.sh
  (or PREFIX/lib/retouch/uninstall.sh; add --purge to also remove settings, history and the key)
Run without installing:                                ./retouch/retouch

Needs glibc $GLIBC or newer (Ubuntu 22.04, Debian 12, Fedora 36 and later) and the system's
libstdc++. For X11 desktops the usual libxcb/xkbcommon libraries (the xcb-util ones are
bundled); Wayland desktops need libwayland-client. If Retouch cannot open its window it says
which package to install.
TXT

OUT=$DIST/$NAME.tar.gz
# Reproducible-ish: fixed owner and sorted names.
tar --sort=name --owner=0 --group=0 --numeric-owner -C "$STAGE" -czf "$OUT" "$NAME"
echo "==> $OUT ($(du -h "$OUT" | cut -f1))"
