#!/usr/bin/env bash
# Build dist/Retouch.app with PyInstaller (retouch.spec's BUNDLE step), smoke-test it, and
# wrap it in dist/Retouch-VERSION-macos-ARCH.dmg with hdiutil. Run on macOS from anywhere:
#
#   bash packaging/macos/make_dmg.sh               # build + dmg
#   bash packaging/macos/make_dmg.sh --no-build    # dmg from an existing dist/Retouch.app
#
#   PYTHON=...             interpreter with the app's deps and PyInstaller (.venv/bin/python)
#   CODESIGN_IDENTITY=...  "Developer ID Application: ..." to sign the .app (hardened
#                          runtime) before packing; unsigned otherwise. Notarization
#                          (xcrun notarytool submit --wait, then xcrun stapler staple) is a
#                          separate step that needs an Apple developer account.
#
# The app is built for the architecture of the Python used (arm64 or x86_64).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PYTHON=${PYTHON:-.venv/bin/python}
BUILD=1
for arg in "$@"; do
    case $arg in
        --no-build) BUILD=0 ;;
        -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "make_dmg.sh: unknown option $arg" >&2; exit 2 ;;
    esac
done
[[ $(uname -s) == Darwin ]] || { echo "make_dmg.sh: needs macOS (hdiutil)" >&2; exit 1; }

if [[ $BUILD == 1 ]]; then
    "$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
        --distpath dist --workpath build/pyinstaller packaging/retouch.spec
fi
APP=dist/Retouch.app
EXE=$APP/Contents/MacOS/retouch
[[ -x $EXE ]] || { echo "make_dmg.sh: $EXE missing" >&2; exit 1; }

# Smoke test without any Python on PATH; the CLI prints to the terminal even though the
# bundle is windowed.
VERSION=$(env -i HOME="$HOME" PATH=/nonexistent "$EXE" --version | awk '{print $2}')
[[ -n $VERSION ]] || { echo "make_dmg.sh: '$EXE --version' printed nothing" >&2; exit 1; }
if env -i HOME="$HOME" PATH=/nonexistent "$EXE" --help 2>&1 | grep -q self-test; then
    env -i HOME="$HOME" PATH=/nonexistent QT_QPA_PLATFORM=offscreen "$EXE" --self-test
fi
/usr/libexec/PlistBuddy -c 'Print :CFBundleShortVersionString' "$APP/Contents/Info.plist"

if [[ -n ${CODESIGN_IDENTITY:-} ]]; then
    codesign --force --deep --options runtime --timestamp --sign "$CODESIGN_IDENTITY" "$APP"
    codesign --verify --deep --strict --verbose=2 "$APP"
fi

# Disk image: the app plus an /Applications link to drag it onto.
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
DMG=dist/Retouch-$VERSION-macos-$(uname -m).dmg
hdiutil create -volname "Retouch $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO -ov "$DMG"
hdiutil verify "$DMG"
echo "==> $DMG ($(du -h "$DMG" | cut -f1))"
