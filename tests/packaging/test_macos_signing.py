"""packaging/macos/sign_app.py signs inside-out, never with --deep, and gives the entitlements
only to the main executable and the app."""

from __future__ import annotations

import plistlib
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MACOS = REPO / "packaging" / "macos"
sys.path.insert(0, str(MACOS))

import sign_app  # noqa: E402

MACHO = b"\xcf\xfa\xed\xfe" + b"\0" * 60


def fake_app(root: Path) -> Path:
    app = root / "Retouch.app"
    contents = app / "Contents"
    files = {
        "MacOS/retouch": MACHO,
        "Frameworks/libpython3.11.dylib": MACHO,
        "Frameworks/PySide6/QtCore.abi3.so": MACHO,
        "Frameworks/PySide6/Qt/plugins/platforms/libqcocoa.dylib": MACHO,
        "Frameworks/PySide6/Qt/lib/QtCore.framework/Versions/A/QtCore": MACHO,
        "Frameworks/PySide6/Qt/lib/QtCore.framework/Versions/A/Resources/Info.plist": b"<plist/>",
        "Resources/base_library.zip": b"PK",
        "Resources/resources/icons/retouch-16.png": b"\x89PNG",
    }
    for rel, data in files.items():
        path = contents / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    try:
        (contents / "Resources/libpython3.11.dylib").symlink_to(
            contents / "Frameworks/libpython3.11.dylib"
        )
    except OSError:  # Windows without the symlink privilege: the plan is the same
        pass
    (contents / "Info.plist").write_bytes(plistlib.dumps({"CFBundleExecutable": "retouch"}))
    return app


def test_inside_out_without_deep(tmp_path: Path) -> None:
    app = fake_app(tmp_path)
    commands = sign_app.plan(app, "Developer ID Application: Retouch (TEAM123456)")
    targets = [Path(c[-1]) for c in commands]
    assert all("--deep" not in c for c in commands)
    signing = commands[:-1]
    assert commands[-1][:3] == ["codesign", "--verify", "--strict"]
    # Every piece of code is signed once; data files and symlinks are not.
    contents = app / "Contents"
    assert {t.relative_to(app) for t in targets[:-1]} == {
        Path("Contents/Frameworks/libpython3.11.dylib"),
        Path("Contents/Frameworks/PySide6/QtCore.abi3.so"),
        Path("Contents/Frameworks/PySide6/Qt/plugins/platforms/libqcocoa.dylib"),
        Path("Contents/Frameworks/PySide6/Qt/lib/QtCore.framework/Versions/A/QtCore"),
        Path("Contents/Frameworks/PySide6/Qt/lib/QtCore.framework"),
        Path("Contents/MacOS/retouch"),
        Path("."),
    }
    # Inside-out: anything inside another signed item comes before it; the app is last.
    order = {t: i for i, t in enumerate(targets[:-1])}
    for inner, i in order.items():
        for outer, j in order.items():
            if inner != outer and outer in inner.parents:
                assert i < j, f"{inner} must be signed before {outer}"
    assert targets[-2] == app and targets[-3] == contents / "MacOS" / "retouch"
    for cmd in signing:
        assert "--options" in cmd and cmd[cmd.index("--options") + 1] == "runtime"
        assert "--timestamp" in cmd
        has_entitlements = "--entitlements" in cmd
        assert has_entitlements == (Path(cmd[-1]) in (app, contents / "MacOS" / "retouch"))


def test_ad_hoc_signing_has_no_hardened_runtime(tmp_path: Path) -> None:
    commands = sign_app.plan(fake_app(tmp_path), "-")
    assert all("--options" not in c and "--timestamp" not in c for c in commands)


def test_entitlements_are_few_and_valid() -> None:
    ents = plistlib.loads((MACOS / "entitlements.plist").read_bytes())
    assert ents == {"com.apple.security.cs.allow-unsigned-executable-memory": True}
