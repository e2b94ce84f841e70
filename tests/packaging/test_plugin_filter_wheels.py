"""The spec's Qt filter (pyi_common.QtFilter) run over the real PySide6 wheels' file lists:
each OS keeps the platform and style plugins it needs to open a native window."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "packaging"))

import pyi_common  # noqa: E402


def wheel_names(wheels: list[Path]) -> list[str]:
    names: list[str] = []
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as zf:
            names += zf.namelist()
    return names


def plugins(names: list[str], folder: str) -> set[str]:
    """Plugin stems in *folder* (``qwindows``, ``qcocoa``) among *names*."""
    out = set()
    for name in names:
        parts = pyi_common._plugin_parts(name)
        if parts and parts[0] == folder:
            out.add(parts[1])
    return out


def kept_and_dropped(names: list[str], platform: str) -> tuple[list[str], list[str]]:
    keeps = pyi_common.QtFilter([pyi_common.PACKAGE], platform=platform).keeps
    kept = [n for n in names if keeps(n)]
    return kept, [n for n in names if n not in kept]


def test_windows_wheel_keeps_the_windows_platform_and_style(windows_wheels: list[Path]) -> None:
    names = wheel_names(windows_wheels)
    assert "PySide6/plugins/platforms/qwindows.dll" in names
    kept, dropped = kept_and_dropped(names, "win32")
    assert plugins(kept, "platforms") == {"qwindows", "qoffscreen", "qdirect2d"} & plugins(
        names, "platforms"
    )
    assert "qwindows" in plugins(kept, "platforms")
    # Qt 6.7+ ships the "modern" Windows 11 style; older Qt had windowsvista. Keep what exists.
    styles = plugins(names, "styles")
    assert styles & {"qmodernwindowsstyle", "qwindowsvistastyle"}
    assert plugins(kept, "styles") == styles & {"qmodernwindowsstyle", "qwindowsvistastyle"}
    assert {"qjpeg", "qwebp", "qgif", "qico"} <= plugins(kept, "imageformats")
    for dll in ("Qt6Core.dll", "Qt6Gui.dll", "Qt6Widgets.dll"):
        assert f"PySide6/{dll}" in kept
    assert "PySide6/Qt6Quick.dll" in dropped
    assert "PySide6/plugins/platforms/qminimal.dll" in dropped
    assert not [n for n in kept if "/translations/" in n]


def test_macos_wheel_keeps_cocoa_and_the_mac_style(macos_wheels: list[Path]) -> None:
    names = wheel_names(macos_wheels)
    kept, dropped = kept_and_dropped(names, "darwin")
    assert plugins(kept, "platforms") == {"qcocoa", "qoffscreen"}
    assert plugins(kept, "styles") == {"qmacstyle"}
    assert "PySide6/Qt/plugins/platforms/libqcocoa.dylib" in kept
    assert "PySide6/Qt/plugins/styles/libqmacstyle.dylib" in kept
    assert {"qjpeg", "qwebp", "qgif", "qicns"} <= plugins(kept, "imageformats")
    for fw in ("QtCore", "QtGui", "QtWidgets", "QtDBus"):
        assert f"PySide6/Qt/lib/{fw}.framework/Versions/A/{fw}" in kept
    assert "PySide6/Qt/lib/QtQuick.framework/Versions/A/QtQuick" in dropped
    assert not [n for n in kept if "/translations/" in n]


def test_linux_wheel_keeps_xcb_and_wayland() -> None:
    """The Linux wheel is the one installed here (its files, as the spec sees them)."""
    from importlib.metadata import files

    names = [str(f) for f in files("PySide6-Essentials") or []]
    if not names or not plugins(names, "platforms"):
        import pytest

        pytest.skip("the installed PySide6-Essentials lists no plugin files")
    kept, _ = kept_and_dropped(names, "linux")
    platforms = plugins(kept, "platforms")
    assert {"qxcb", "qwayland", "qoffscreen"} <= platforms
    assert not platforms & {"qeglfs", "qvnc", "qlinuxfb", "qminimal"}
    assert "qxdgdesktopportal" in plugins(kept, "platformthemes")
    assert "qgtk3" not in plugins(kept, "platformthemes")
    assert "composeplatforminputcontextplugin" in plugins(kept, "platforminputcontexts")
    assert "bradient" in plugins(kept, "wayland-decoration-client")
