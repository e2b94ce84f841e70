#!/usr/bin/env bash
# Install Retouch for the current user, from the unpacked tarball this script sits in.
#
#   ./install.sh                 into ~/.local (no root needed)
#   ./install.sh --prefix DIR    into DIR/lib/retouch, DIR/bin, DIR/share/...
#
# Installs: PREFIX/lib/retouch/ (the app), PREFIX/bin/retouch (symlink),
# PREFIX/share/applications/io.retouch.Retouch.desktop, hicolor icons named "retouch",
# PREFIX/share/metainfo/io.retouch.Retouch.metainfo.xml. Run uninstall.sh to remove them
# (a copy is kept at PREFIX/lib/retouch/uninstall.sh). Your settings, history and edited
# images are not touched by either script.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PREFIX=${RETOUCH_PREFIX:-$HOME/.local}
while (($#)); do
    case $1 in
        --prefix) PREFIX=$2; shift 2 ;;
        --prefix=*) PREFIX=${1#--prefix=}; shift ;;
        -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
PREFIX=$(realpath -m "$PREFIX")

APP_SRC=$HERE/retouch
[[ -x $APP_SRC/retouch ]] || { echo "install.sh: $APP_SRC/retouch not found" >&2; exit 1; }

LIB=$PREFIX/lib/retouch
BIN=$PREFIX/bin
APPS=$PREFIX/share/applications
ICONS=$PREFIX/share/icons/hicolor
META=$PREFIX/share/metainfo
DESKTOP_ID=io.retouch.Retouch

mkdir -p "$PREFIX/lib" "$BIN" "$APPS" "$META"

# Copy next to the old version first, then swap, so a failed copy leaves the old one working.
rm -rf "$LIB.new"
cp -a "$APP_SRC" "$LIB.new"
cp "$HERE/uninstall.sh" "$LIB.new/uninstall.sh"
rm -rf "$LIB.old"
if [[ -e $LIB ]]; then mv "$LIB" "$LIB.old"; fi
mv "$LIB.new" "$LIB"
rm -rf "$LIB.old"

ln -sfn "$LIB/retouch" "$BIN/retouch"

# The desktop entry runs the installed binary by absolute path (~/.local/bin is not on every
# desktop session's PATH).
sed -e "s|^Exec=retouch|Exec=$BIN/retouch|" -e "s|^TryExec=retouch|TryExec=$BIN/retouch|" \
    "$HERE/share/retouch.desktop" >"$APPS/$DESKTOP_ID.desktop"
chmod 644 "$APPS/$DESKTOP_ID.desktop"

for png in "$HERE"/share/icons/retouch-*.png; do
    size=$(basename "$png" .png)
    size=${size#retouch-}
    mkdir -p "$ICONS/${size}x${size}/apps"
    install -m 644 "$png" "$ICONS/${size}x${size}/apps/retouch.png"
done

install -m 644 "$HERE/share/$DESKTOP_ID.metainfo.xml" "$META/$DESKTOP_ID.metainfo.xml"

# Refresh the desktop's caches where the tools exist; harmless if they don't.
command -v update-desktop-database >/dev/null && update-desktop-database -q "$APPS" 2>/dev/null || true
# Only refresh an icon cache that already exists: a new per-user cache would go stale
# for every other app that later installs icons here.
if [[ -f $ICONS/icon-theme.cache ]] && command -v gtk-update-icon-cache >/dev/null; then
    gtk-update-icon-cache -q -t -f "$ICONS" 2>/dev/null || true
fi
touch "$ICONS" 2>/dev/null || true

echo "Retouch $(cat "$HERE/VERSION" 2>/dev/null || echo) installed in $LIB"
case ":$PATH:" in
    *":$BIN:"*) echo "Run it from your applications menu or with: retouch" ;;
    *) echo "Run it from your applications menu or with: $BIN/retouch ($BIN is not on your PATH)" ;;
esac
