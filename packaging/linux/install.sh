#!/usr/bin/env bash
# Install Retouch for the current user, from the unpacked tarball this script sits in.
#
#   ./install.sh                 into ~/.local (no root needed)
#   ./install.sh --prefix DIR    into DIR/lib/retouch, DIR/bin, DIR/share/...
#
# Installs: PREFIX/lib/retouch/ (the app), PREFIX/bin/retouch (symlink),
# PREFIX/share/applications/io.retouch.Retouch.desktop, hicolor icons named "retouch",
# PREFIX/share/metainfo/io.retouch.Retouch.metainfo.xml. Everything it creates is listed in
# PREFIX/lib/retouch/install-manifest, which PREFIX/lib/retouch/uninstall.sh reads to remove
# exactly that. Your settings, history and edited images are not touched by either script.
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

# What this install creates outside $LIB, one "kind<TAB>path" per line: the uninstaller
# removes exactly these (folders only if they are empty by then).
MANIFEST_LINES=()
record() { MANIFEST_LINES+=("$1"$'\t'"$2"); }

# mkdir -p that remembers each folder it had to create.
make_dirs() {
    local dir missing=()
    for dir in "$@"; do
        while [[ ! -d $dir ]]; do
            missing+=("$dir")
            dir=$(dirname "$dir")
        done
    done
    mkdir -p "$@"
    local i
    for ((i = ${#missing[@]} - 1; i >= 0; i--)); do record dir "${missing[i]}"; done
}

# A desktop-entry Exec argument: quoted, with the spec's escapes (a `"`, backquote, `$` or
# backslash is backslash-escaped, and that backslash doubled by the string escaping; `%` is
# doubled), so a prefix with spaces or such characters still launches.
desktop_exec_arg() {
    local s=$1 out='' c i
    for ((i = 0; i < ${#s}; i++)); do
        c=${s:i:1}
        case $c in
            '"' | '`' | '$') out+='\\'"$c" ;;
            '\') out+='\\\\' ;;
            '%') out+='%%' ;;
            *) out+=$c ;;
        esac
    done
    printf '"%s"' "$out"
}
# A plain desktop-entry string value: only backslashes are escaped.
desktop_string() { local s=$1; printf '%s' "${s//\\/\\\\}"; }

# An upgrade keeps what the earlier install recorded (folders it created, files it placed),
# so uninstalling later still removes those.
if [[ -f $LIB/install-manifest ]]; then
    while IFS= read -r line; do
        [[ $line == prefix$'\t'* || -z $line ]] || MANIFEST_LINES+=("$line")
    done <"$LIB/install-manifest"
fi

make_dirs "$PREFIX/lib" "$BIN" "$APPS" "$META"

# Copy next to the old version first, then swap, so a failed copy leaves the old one working.
rm -rf "$LIB.new"
cp -a "$APP_SRC" "$LIB.new"
cp "$HERE/uninstall.sh" "$LIB.new/uninstall.sh"
chmod 755 "$LIB.new/uninstall.sh"
rm -rf "$LIB.old"
if [[ -e $LIB ]]; then mv "$LIB" "$LIB.old"; fi
mv "$LIB.new" "$LIB"
rm -rf "$LIB.old"

ln -sfn "$LIB/retouch" "$BIN/retouch"
record link "$BIN/retouch"

# The desktop entry runs the installed binary by absolute path (~/.local/bin is not on every
# desktop session's PATH).
EXEC_LINE="Exec=$(desktop_exec_arg "$BIN/retouch") %F"
TRYEXEC_LINE="TryExec=$(desktop_string "$BIN/retouch")"
while IFS= read -r line || [[ -n $line ]]; do
    case $line in
        Exec=*) printf '%s\n' "$EXEC_LINE" ;;
        TryExec=*) printf '%s\n' "$TRYEXEC_LINE" ;;
        *) printf '%s\n' "$line" ;;
    esac
done <"$HERE/share/retouch.desktop" >"$APPS/$DESKTOP_ID.desktop"
chmod 644 "$APPS/$DESKTOP_ID.desktop"
record file "$APPS/$DESKTOP_ID.desktop"

for png in "$HERE"/share/icons/retouch-*.png; do
    size=$(basename "$png" .png)
    size=${size#retouch-}
    make_dirs "$ICONS/${size}x${size}/apps"
    install -m 644 "$png" "$ICONS/${size}x${size}/apps/retouch.png"
    record file "$ICONS/${size}x${size}/apps/retouch.png"
done

install -m 644 "$HERE/share/$DESKTOP_ID.metainfo.xml" "$META/$DESKTOP_ID.metainfo.xml"
record file "$META/$DESKTOP_ID.metainfo.xml"

{
    printf 'prefix\t%s\n' "$PREFIX"
    printf '%s\n' "${MANIFEST_LINES[@]}" | awk '!seen[$0]++'
} >"$LIB/install-manifest"

# Refresh the desktop's caches where the tools exist; harmless if they don't.
command -v update-desktop-database >/dev/null && update-desktop-database -q "$APPS" 2>/dev/null || true
# Only refresh an icon cache that already exists: a new per-user cache would go stale
# for every other app that later installs icons here.
if [[ -f $ICONS/icon-theme.cache ]] && command -v gtk-update-icon-cache >/dev/null; then
    gtk-update-icon-cache -q -t -f "$ICONS" 2>/dev/null || true
fi
touch "$ICONS" 2>/dev/null || true

echo "Retouch $(cat "$HERE/VERSION" 2>/dev/null || echo) installed in $LIB"
echo "Uninstall with: $LIB/uninstall.sh"
case ":$PATH:" in
    *":$BIN:"*) echo "Run it from your applications menu or with: retouch" ;;
    *) echo "Run it from your applications menu or with: $BIN/retouch ($BIN is not on your PATH)" ;;
esac
