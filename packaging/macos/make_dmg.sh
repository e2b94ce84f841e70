#!/usr/bin/env bash
# Build dist/Retouch.app, smoke-test it, set its minimum macOS from its binaries, sign it
# inside-out, notarize and staple it, and wrap it in a signed, notarized, stapled
# dist/Retouch-VERSION-macos-ARCH.dmg. Run on macOS from anywhere:
#
#   bash packaging/macos/make_dmg.sh               # build + everything below
#   bash packaging/macos/make_dmg.sh --no-build    # from an existing dist/Retouch.app
#
#   PYTHON=...               interpreter with the app's deps and PyInstaller (.venv/bin/python)
#   RETOUCH_MACOS_ARCH=...   arm64 | x86_64 | universal2 (default: the interpreter's own)
#   CODESIGN_IDENTITY=...    "Developer ID Application: Name (TEAMID)" in the keychain; without
#                            it the app is signed ad hoc only and the log says so
#   APPLE_API_KEY_PATH, APPLE_API_KEY_ID, APPLE_API_ISSUER_ID
#                            App Store Connect API key (.p8 file, key id, issuer id) for
#                            `xcrun notarytool`; without them nothing is notarized (and the
#                            log says so)
#
# The DMG is named after the architecture of the app's executable (read from its Mach-O
# header), not the machine that built it.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PYTHON=${PYTHON:-.venv/bin/python}
BUILD=1
for arg in "$@"; do
    case $arg in
        --no-build) BUILD=0 ;;
        -h | --help) sed -n '2,22p' "$0"; exit 0 ;;
        *) echo "make_dmg.sh: unknown option $arg" >&2; exit 2 ;;
    esac
done
[[ $(uname -s) == Darwin ]] || { echo "make_dmg.sh: needs macOS (codesign, hdiutil)" >&2; exit 1; }
say() { printf '==> %s\n' "$*"; }
die() { printf 'make_dmg.sh: error: %s\n' "$*" >&2; exit 1; }
# GitHub Actions shows ::warning:: lines as annotations; elsewhere they are plain lines.
warn() { printf '::warning::%s\n' "$*"; }

if [[ $BUILD == 1 ]]; then
    say "building Retouch.app (${RETOUCH_MACOS_ARCH:-native architecture})"
    "$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
        --distpath dist --workpath build/pyinstaller packaging/retouch.spec
fi
APP=dist/Retouch.app
EXE=$APP/Contents/MacOS/retouch
[[ -x $EXE ]] || die "$EXE missing"

# -- smoke tests (no Python on PATH) ----------------------------------------------------------
run_frozen() { env -i HOME="$HOME" PATH=/nonexistent LANG=en_US.UTF-8 "$@"; }
VERSION=$(run_frozen "$EXE" --version | awk '{print $2}')
[[ -n $VERSION ]] || die "'$EXE --version' printed nothing"
say "smoke test: retouch --self-test"
run_frozen QT_QPA_PLATFORM=offscreen "$EXE" --self-test || die "--self-test failed"

native_window() {
    # The first window on the native (cocoa) plugin: the app quits once it has painted.
    local data out
    data=$(mktemp -d)
    out=$(run_frozen RETOUCH_EXIT_AFTER_FIRST_PAINT=1 RETOUCH_DATA_DIR="$data" \
        "$EXE" --demo 2>&1) || { rm -rf "$data"; die "the app did not show its window: $out"; }
    rm -rf "$data"
    grep -q "first-paint .* platform=cocoa" <<<"$out" || die "not drawn by cocoa: $out"
    echo "    platform=cocoa: main window painted and closed"
}
say "smoke test: the first window on the cocoa platform plugin"
native_window

# -- minimum macOS and version ----------------------------------------------------------------
say "LSMinimumSystemVersion from the bundled binaries"
"$PYTHON" packaging/macos_minimum.py "$APP" --write
ARCH=$("$PYTHON" packaging/macos_minimum.py "$APP" --print arch)
"$PYTHON" packaging/check_version.py --info-plist "$APP/Contents/Info.plist" --frozen "$EXE"

# -- signing and notarization -------------------------------------------------------------------
NOTARIZE=0
if [[ -n ${APPLE_API_KEY_PATH:-} && -n ${APPLE_API_KEY_ID:-} && -n ${APPLE_API_ISSUER_ID:-} ]]; then
    NOTARIZE=1
fi
notarize() {  # $1: a .zip or .dmg
    xcrun notarytool submit "$1" --key "$APPLE_API_KEY_PATH" --key-id "$APPLE_API_KEY_ID" \
        --issuer "$APPLE_API_ISSUER_ID" --wait --timeout 30m --output-format json |
        tee build/notary.json
    grep -q '"status" *: *"Accepted"' build/notary.json || die "notarization of $1 was not accepted"
}
mkdir -p build
if [[ -n ${CODESIGN_IDENTITY:-} ]]; then
    say "signing $APP inside-out as $CODESIGN_IDENTITY (hardened runtime)"
    "$PYTHON" packaging/macos/sign_app.py "$APP" --identity "$CODESIGN_IDENTITY"
    say "smoke test: the signed app, under the hardened runtime"
    native_window
    if [[ $NOTARIZE == 1 ]]; then
        say "notarizing the app, then stapling its ticket (Gatekeeper can check it offline)"
        ditto -c -k --keepParent "$APP" build/Retouch-notarize.zip
        notarize build/Retouch-notarize.zip
        xcrun stapler staple "$APP"
        xcrun stapler validate "$APP"
    else
        warn "NOT NOTARIZED: APPLE_API_KEY_PATH/APPLE_API_KEY_ID/APPLE_API_ISSUER_ID are not set; Gatekeeper will block this app on other Macs"
    fi
else
    warn "NOT SIGNED: CODESIGN_IDENTITY is not set; the app is signed ad hoc only, and Gatekeeper will block it on other Macs"
    "$PYTHON" packaging/macos/sign_app.py "$APP" --identity -
fi

# -- the disk image ---------------------------------------------------------------------------
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
ditto "$APP" "$STAGE/Retouch.app"
ln -s /Applications "$STAGE/Applications"
DMG=dist/Retouch-$VERSION-macos-$ARCH.dmg
say "creating $DMG"
hdiutil create -volname "Retouch $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO -ov "$DMG"
if [[ -n ${CODESIGN_IDENTITY:-} ]]; then
    codesign --force --sign "$CODESIGN_IDENTITY" --timestamp "$DMG"
    codesign --verify --strict --verbose=2 "$DMG"
    if [[ $NOTARIZE == 1 ]]; then
        notarize "$DMG"
        xcrun stapler staple "$DMG"
        xcrun stapler validate "$DMG"
        spctl --assess --type open --context context:primary-signature --verbose=2 "$DMG"
    fi
fi
hdiutil verify "$DMG"
"$PYTHON" packaging/check_version.py --artifact "$DMG"
echo "==> $DMG ($(du -h "$DMG" | cut -f1))"
