#!/usr/bin/env bash
# Build the Linux onedir (dist/retouch/retouch) with PyInstaller, then smoke-test the frozen app
# with no Python on PATH. CI calls this as `bash packaging/build_linux.sh`.
#
#   PYTHON=path/to/python  interpreter with PyInstaller + the app's dependencies
#                          (default: .venv/bin/python; `pip install -e '.[package]'`)
#   DIST=dist WORK=build/pyinstaller   output and scratch folders
#   --install-deps         apt-get install the build tools and the X11 libraries that get
#                          bundled when present (needs root), before building
#   --tarball              also run packaging/linux/make_tarball.sh afterwards
#   --no-self-test         skip `retouch --self-test` (still runs --version)
#   --require-window       fail (rather than skip) when xvfb-run is missing for the test that
#                          shows the first window on a real X server with the xcb plugin
#
# After building it checks: --version, Qt libraries resolve, keyring metadata (and no
# keyrings.alt), --self-test, the first window on Xvfb with the xcb plugin, the glibc floor
# (packaging/glibc_floor.py: nothing needs a glibc newer than Ubuntu 22.04's 2.35) and the
# version (packaging/check_version.py). Exit status is non-zero if any of them fails.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-.venv/bin/python}
DIST=${DIST:-dist}
WORK=${WORK:-build/pyinstaller}
INSTALL_DEPS=0
TARBALL=0
SELF_TEST=1
REQUIRE_WINDOW=0
for arg in "$@"; do
    case $arg in
        --install-deps) INSTALL_DEPS=1 ;;
        --tarball) TARBALL=1 ;;
        --no-self-test) SELF_TEST=0 ;;
        --require-window) REQUIRE_WINDOW=1 ;;
        -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "build_linux.sh: unknown option $arg" >&2; exit 2 ;;
    esac
done

say() { printf '==> %s\n' "$*"; }
die() { printf 'build_linux.sh: error: %s\n' "$*" >&2; exit 1; }

# -- prerequisites -------------------------------------------------------------------------
# PyInstaller needs objdump/objcopy (binutils) and ldd (libc-bin) on Linux.
# Qt's xcb platform plugin links these X11 libraries; the ones present on the build machine
# are bundled, the others must be on the user's machine (the offscreen smoke test needs none).
BUILD_PKGS=(binutils libc-bin xvfb xauth)
X11_PKGS=(libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 libxcb-xinerama0)
X11_SONAMES=(libxcb-icccm.so.4 libxcb-keysyms.so.1 libxcb-cursor.so.0 libxkbcommon-x11.so.0)

if [[ $INSTALL_DEPS == 1 ]]; then
    # Only when something is missing: a machine that has it all needs no package index.
    needed=()
    for pkg in "${BUILD_PKGS[@]}" "${X11_PKGS[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
            needed+=("$pkg")
    done
    if ((${#needed[@]})); then
        [[ $(id -u) == 0 ]] || die "--install-deps needs root (it runs apt-get install ${needed[*]})"
        command -v apt-get >/dev/null || die "--install-deps needs apt-get"
        say "apt-get install ${needed[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${needed[@]}" >/dev/null
    fi
fi

missing_tools=()
for tool in objdump objcopy ldd; do
    command -v "$tool" >/dev/null || missing_tools+=("$tool")
done
if ((${#missing_tools[@]})); then
    die "missing ${missing_tools[*]}: install them with 'apt-get install binutils libc-bin'" \
        "(or rerun with --install-deps as root)"
fi

LDCONFIG=$(command -v ldconfig || echo /sbin/ldconfig)
known_libs=$("$LDCONFIG" -p 2>/dev/null || true)
missing_libs=()
for so in "${X11_SONAMES[@]}"; do
    grep -qF "$so" <<<"$known_libs" || missing_libs+=("$so")
done
if ((${#missing_libs[@]})); then
    echo "note: ${missing_libs[*]} not on this machine, so not bundled: the xcb (X11) platform"
    echo "      plugin will need them on the user's machine. To bundle them, first run"
    echo "      apt-get install ${X11_PKGS[*]}   (or: bash packaging/build_linux.sh --install-deps)"
fi

[[ -x $PYTHON ]] || command -v "$PYTHON" >/dev/null || die "no Python at $PYTHON (set PYTHON=...)"
"$PYTHON" -m PyInstaller --version >/dev/null 2>&1 ||
    die "PyInstaller is not installed for $PYTHON: pip install -e '.[package]'"
VERSION=$("$PYTHON" -c 'import sys; sys.path.insert(0, "packaging"); import pyi_common; print(pyi_common.version())')

# -- build ---------------------------------------------------------------------------------
say "building Retouch $VERSION with $("$PYTHON" -m PyInstaller --version) into $DIST/retouch"
t0=$(date +%s.%N)
mkdir -p "$WORK"
LOG="$WORK/pyinstaller.log"
if ! "$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$DIST" --workpath "$WORK" packaging/retouch.spec >"$LOG" 2>&1; then
    tail -n 60 "$LOG" >&2
    die "PyInstaller failed (full log: $LOG)"
fi
t1=$(date +%s.%N)
# Unresolvable libraries are the optional X11/Wayland ones noted above; show anything else.
grep -v -e "WARNING: Library not found: could not resolve" -e " INFO: " "$LOG" | sed 's/^/    /' || true
DIST=$(realpath -m "$DIST")
APP="$DIST/retouch/retouch"
[[ -x $APP ]] || die "PyInstaller did not produce $APP"

# -- smoke tests ---------------------------------------------------------------------------
# The frozen app must not need (or find) a Python: empty environment, PATH leads nowhere.
run_frozen() { env -i HOME="$HOME" PATH=/nonexistent LANG=C.UTF-8 "$@"; }

say "smoke test: retouch --version (no Python on PATH)"
out=$(run_frozen "$APP" --version) || die "'retouch --version' exited with $?"
echo "    $out"
[[ $out == "retouch $VERSION" ]] || die "expected 'retouch $VERSION', got '$out'"

say "check: every bundled binary finds the Qt libraries it links"
unresolved=$(
    cd "$DIST/retouch/_internal"
    find . -type f \( -name '*.so' -o -name '*.so.*' \) -print0 |
        xargs -0 -n 50 env LD_LIBRARY_PATH=.:PySide6/Qt/lib ldd 2>/dev/null |
        grep -E '^\s+libQt6[^ ]* => not found' | sort -u || true
)
[[ -z $unresolved ]] || die "bundled binaries need Qt libraries that were filtered out:"$'\n'"$unresolved"

say "check: keyring backends bundled, keyrings.alt not bundled"
if find "$DIST/retouch/_internal" -ipath '*keyrings*' | grep -q .; then
    die "keyrings.alt ended up in the bundle"
fi
ls -d "$DIST"/retouch/_internal/keyring-*.dist-info >/dev/null 2>&1 ||
    die "keyring's metadata (backend entry points) is missing from the bundle"

if [[ $SELF_TEST == 1 ]]; then
    if run_frozen "$APP" --help 2>&1 | grep -q self-test; then
        say "smoke test: QT_QPA_PLATFORM=offscreen retouch --self-test (no Python on PATH)"
        timeout 300 env -i HOME="$HOME" PATH=/nonexistent LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
            "$APP" --self-test || die "'retouch --self-test' failed"
    else
        say "skipping --self-test: this version of retouch does not offer it yet"
    fi
fi

say "smoke test: the first window on a real X server (Xvfb, QT_QPA_PLATFORM=xcb)"
if command -v xvfb-run >/dev/null; then
    WINDOW_DATA=$(mktemp -d)
    # --demo skips the first-run dialog; the app quits once its main window has painted and
    # prints which platform plugin drew it.
    out=$(timeout 300 xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
        exec env -i HOME="$HOME" PATH=/nonexistent LANG=C.UTF-8 DISPLAY="$DISPLAY" \
            XAUTHORITY="${XAUTHORITY:-}" QT_QPA_PLATFORM=xcb RETOUCH_EXIT_AFTER_FIRST_PAINT=1 \
            RETOUCH_DATA_DIR="$1" "$2" --demo' _ "$WINDOW_DATA" "$APP" 2>&1) || {
        rm -rf "$WINDOW_DATA"
        die "the frozen app did not show its window on Xvfb:"$'\n'"$out"
    }
    rm -rf "$WINDOW_DATA"
    grep -q "first-paint .* platform=xcb" <<<"$out" ||
        die "the window was not drawn by the xcb plugin:"$'\n'"$out"
    echo "    $(grep -o 'platform=xcb' <<<"$out"): main window painted and closed"
elif [[ $REQUIRE_WINDOW == 1 ]]; then
    die "xvfb-run is not installed (apt-get install xvfb xauth, or --install-deps)"
else
    echo "    skipped: xvfb-run is not installed (apt-get install xvfb xauth)"
fi

say "check: no bundled file needs a glibc newer than the floor (Ubuntu 22.04)"
"$PYTHON" packaging/glibc_floor.py "$DIST/retouch" | sed 's/^/    /'
"$PYTHON" packaging/glibc_floor.py "$DIST/retouch" >/dev/null ||
    die "the bundle needs a newer glibc/libstdc++ than the supported floor (see above)"

say "check: one version everywhere"
"$PYTHON" packaging/check_version.py --frozen "$APP" | sed 's/^/    /'
"$PYTHON" packaging/check_version.py --frozen "$APP" >/dev/null || die "version mismatch (see above)"

# -- report --------------------------------------------------------------------------------
bytes=$(du -sb "$DIST/retouch" | cut -f1)
files=$(find "$DIST/retouch" -type f | wc -l)
printf '==> built %s/retouch: %s bytes (%s MiB) in %s files; PyInstaller took %.1f s\n' \
    "$DIST" "$bytes" "$(awk "BEGIN { printf \"%.1f\", $bytes / 1048576 }")" "$files" \
    "$(awk "BEGIN { print $t1 - $t0 }")"

if [[ $TARBALL == 1 ]]; then
    DIST=$DIST bash packaging/linux/make_tarball.sh
fi
