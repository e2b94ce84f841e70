#!/usr/bin/env bash
# Remove what install.sh installed.
#
#   PREFIX/lib/retouch/uninstall.sh           the installed copy knows its own prefix
#   ./uninstall.sh [--prefix DIR]             from the unpacked tarball (default ~/.local)
#   ... --purge                               also remove settings, history, edited images in
#                                             the data folder and the API key in the keyring
#
# Without --purge, settings, history and edited images (~/.local/share/Retouch/Retouch) and the
# stored key are left alone.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PREFIX=
PURGE=0
while (($#)); do
    case $1 in
        --prefix) PREFIX=$2; shift 2 ;;
        --prefix=*) PREFIX=${1#--prefix=}; shift ;;
        --purge) PURGE=1; shift ;;
        -h | --help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "uninstall.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

manifest_prefix() { awk -F'\t' '$1 == "prefix" { print $2; exit }' "$1"; }

# The installed copy sits in PREFIX/lib/retouch next to the manifest that names PREFIX.
if [[ -z $PREFIX && -f $HERE/install-manifest ]]; then
    PREFIX=$(manifest_prefix "$HERE/install-manifest")
fi
PREFIX=${PREFIX:-${RETOUCH_PREFIX:-$HOME/.local}}
PREFIX=$(realpath -m "$PREFIX")

LIB=$PREFIX/lib/retouch
BIN=$PREFIX/bin
APPS=$PREFIX/share/applications
ICONS=$PREFIX/share/icons/hicolor
DESKTOP_ID=io.retouch.Retouch
MANIFEST=$LIB/install-manifest

if [[ ! -d $LIB ]]; then
    echo "uninstall.sh: Retouch is not installed in $PREFIX (no $LIB)" >&2
    exit 1
fi

if [[ $PURGE == 1 && -x $LIB/retouch ]]; then
    # The app removes its own key (keyring knows where), then its data folder is deleted.
    "$LIB/retouch" --forget-key || echo "uninstall.sh: the stored key could not be removed" >&2
    DATA=${RETOUCH_DATA_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/Retouch/Retouch}
    rm -rf "$DATA"
    rmdir "$(dirname "$DATA")" 2>/dev/null || true
    echo "Removed settings, history and edited images in $DATA"
fi

# Only remove the command if it is ours.
remove_link() {
    if [[ -L $1 && $(readlink "$1") == "$LIB/retouch" ]]; then rm -f "$1"; fi
}

dirs=()
if [[ -f $MANIFEST ]]; then
    while IFS=$'\t' read -r kind path; do
        case $kind in
            file) rm -f "$path" ;;
            link) remove_link "$path" ;;
            dir) dirs+=("$path") ;;
        esac
    done <"$MANIFEST"
else
    # Installed by an install.sh that kept no manifest: its fixed set of files.
    remove_link "$BIN/retouch"
    rm -f "$APPS/$DESKTOP_ID.desktop" "$PREFIX/share/metainfo/$DESKTOP_ID.metainfo.xml"
    for dir in "$ICONS"/*x*/apps; do
        [[ -d $dir ]] && rm -f "$dir/retouch.png"
    done
fi
# The app itself; this script may live in $LIB, which bash tolerates (it has read it).
rm -rf "$LIB" "$LIB.new" "$LIB.old"
# Folders the install created, deepest first, if nothing else has been put in them since.
if ((${#dirs[@]})); then
    while IFS= read -r dir; do
        # update-desktop-database's cache is all that is left in an applications folder
        # that held only our entry.
        if [[ $dir == "$APPS" && -f $dir/mimeinfo.cache ]] &&
            [[ -z $(find "$dir" -mindepth 1 -not -name mimeinfo.cache -print -quit) ]]; then
            rm -f "$dir/mimeinfo.cache"
        fi
        rmdir "$dir" 2>/dev/null || true
    done < <(printf '%s\n' "${dirs[@]}" | awk '{ print length($0) "\t" $0 }' | sort -rn | cut -f2-)
fi

if [[ -d $APPS ]] && command -v update-desktop-database >/dev/null; then
    update-desktop-database -q "$APPS" 2>/dev/null || true
fi
# Only refresh an icon cache that already exists: a new per-user cache would go stale
# for every other app that later installs icons here.
if [[ -f $ICONS/icon-theme.cache ]] && command -v gtk-update-icon-cache >/dev/null; then
    gtk-update-icon-cache -q -t -f "$ICONS" 2>/dev/null || true
fi

echo "Retouch removed from $PREFIX"
