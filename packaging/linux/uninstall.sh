#!/usr/bin/env bash
# Remove what install.sh installed (same --prefix, default ~/.local). Settings, history and
# edited images (~/.local/share/Retouch) are left alone; delete that folder by hand if wanted.
set -euo pipefail

PREFIX=${RETOUCH_PREFIX:-$HOME/.local}
while (($#)); do
    case $1 in
        --prefix) PREFIX=$2; shift 2 ;;
        --prefix=*) PREFIX=${1#--prefix=}; shift ;;
        -h | --help) sed -n '2,3p' "$0"; exit 0 ;;
        *) echo "uninstall.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
PREFIX=$(realpath -m "$PREFIX")

LIB=$PREFIX/lib/retouch
BIN=$PREFIX/bin
APPS=$PREFIX/share/applications
ICONS=$PREFIX/share/icons/hicolor
DESKTOP_ID=io.retouch.Retouch

# Only remove the command if it is ours.
if [[ -L $BIN/retouch && $(readlink "$BIN/retouch") == "$LIB/retouch" ]]; then
    rm -f "$BIN/retouch"
fi
rm -f "$APPS/$DESKTOP_ID.desktop" "$PREFIX/share/metainfo/$DESKTOP_ID.metainfo.xml"
for dir in "$ICONS"/*x*/apps; do
    [[ -d $dir ]] && rm -f "$dir/retouch.png"
done
# Last, since this script may itself live in $LIB.
rm -rf "$LIB" "$LIB.new" "$LIB.old"

command -v update-desktop-database >/dev/null && update-desktop-database -q "$APPS" 2>/dev/null || true
# Only refresh an icon cache that already exists: a new per-user cache would go stale
# for every other app that later installs icons here.
if [[ -f $ICONS/icon-theme.cache ]] && command -v gtk-update-icon-cache >/dev/null; then
    gtk-update-icon-cache -q -t -f "$ICONS" 2>/dev/null || true
fi

echo "Retouch removed from $PREFIX"
