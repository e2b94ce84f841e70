"""retouch.spec runs for every OS (against stand-ins for PyInstaller's build objects), and
the shared Qt filtering keeps what a widgets app needs."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest

import retouch

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
SPEC = PACKAGING / "retouch.spec"


class Recorder:
    """Stands in for Analysis/PYZ/EXE/COLLECT/BUNDLE: remembers how it was called."""

    calls: list[Recorder]

    def __init__(self, kind: str, *args: Any, **kwargs: Any) -> None:
        self.kind, self.args, self.kwargs = kind, args, kwargs
        Recorder.calls.append(self)
        if kind == "Analysis":
            self.scripts = [
                ("pyi_rth_pyside6", "x", "PYSOURCE"),
                ("pyi_rth_pyside6_lazy", "x", "PYSOURCE"),
                ("retouch_entry", "x", "PYSOURCE"),
            ]
            self.pure = []
            self.binaries = [
                ("PySide6/Qt/plugins/platforms/libqxcb.so", "/x", "BINARY"),
                ("PySide6/Qt/plugins/platforms/libqeglfs.so", "/x", "BINARY"),
                ("PySide6/Qt/lib/libQt6Pdf.so.6", "/x", "BINARY"),
                ("PySide6/Qt/lib/libQt6Widgets.so.6", "/x", "BINARY"),
            ]
            self.datas = [("PySide6/Qt/translations/qtbase_de.qm", "/x", "DATA")]


@pytest.fixture
def run_spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    hook_calls: dict[str, list[str]] = {"submodules": [], "data": [], "metadata": []}
    hooks = types.ModuleType("PyInstaller.utils.hooks")

    def collect_submodules(name: str, *a: Any, **k: Any) -> list[str]:
        hook_calls["submodules"].append(name)
        return [name, f"{name}.sub"]

    def collect_data_files(name: str, *a: Any, **k: Any) -> list[tuple[str, str]]:
        hook_calls["data"].append(name)
        return [(f"/site/{name}/data.pem", name)]

    def copy_metadata(name: str, *a: Any, **k: Any) -> list[tuple[str, str]]:
        hook_calls["metadata"].append(name)
        return [(f"/site/{name}.dist-info", f"{name}.dist-info")]

    hooks.collect_submodules = collect_submodules
    hooks.collect_data_files = collect_data_files
    hooks.copy_metadata = copy_metadata
    for name in ("PyInstaller", "PyInstaller.utils"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    monkeypatch.syspath_prepend(str(PACKAGING))
    import pyi_common

    def run(platform: str, onefile: bool = False) -> tuple[dict[str, list[Recorder]], dict]:
        monkeypatch.setattr(pyi_common, "platform_key", lambda: platform)
        monkeypatch.setattr(sys, "argv", ["pyinstaller", str(SPEC)])
        if onefile:
            monkeypatch.setenv("RETOUCH_ONEFILE", "1")
        else:
            monkeypatch.delenv("RETOUCH_ONEFILE", raising=False)
        Recorder.calls = []
        namespace = {
            "__name__": "__main__",
            "SPECPATH": str(PACKAGING),
            "workpath": str(tmp_path / "work"),
            "DISTPATH": str(tmp_path / "dist"),
            **{
                kind: (lambda *a, _k=kind, **kw: Recorder(_k, *a, **kw))
                for kind in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")
            },
        }
        exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
        by_kind: dict[str, list[Recorder]] = {}
        for call in Recorder.calls:
            by_kind.setdefault(call.kind, []).append(call)
        return by_kind, hook_calls

    return run


def test_linux_one_console_binary_named_retouch(run_spec) -> None:
    objs, _ = run_spec("linux")
    (exe,) = objs["EXE"]
    assert exe.kwargs["name"] == "retouch"
    assert exe.kwargs["console"] is True
    (coll,) = objs["COLLECT"]
    assert coll.kwargs["name"] == "retouch"
    assert "BUNDLE" not in objs


def test_analysis_bundles_lazy_modules_keyring_and_certifi(run_spec) -> None:
    objs, hook_calls = run_spec("linux")
    (analysis,) = objs["Analysis"]
    kw = analysis.kwargs
    assert analysis.args[0][0].endswith("retouch_entry.py")
    assert "retouch" in hook_calls["submodules"]  # lazy imports (fakehub, selftest, UI)
    assert "keyring.backends" in hook_calls["submodules"]
    assert "jaraco" in hook_calls["submodules"]
    for backend in ("Windows", "macOS", "SecretService", "libsecret", "kwallet"):
        assert f"keyring.backends.{backend}" in kw["hiddenimports"]
    assert not any(h.startswith("keyrings") for h in kw["hiddenimports"])
    assert "keyrings.alt" in kw["excludes"]
    assert "tkinter" in kw["excludes"]
    assert "PySide6.QtWidgets" not in kw["excludes"]
    assert "certifi" in hook_calls["data"]
    assert "keyring" in hook_calls["metadata"]
    dests = {d for _, d in kw["datas"]}
    assert "keyring.dist-info" in dests
    assert any(d.startswith("resources") for d in dests)
    assert kw["hookspath"] == [str(PACKAGING / "pyi_hooks")]


def test_the_translations_are_bundled(run_spec) -> None:
    """Retouch's compiled German catalogue (committed) and Qt's own German strings sit in
    resources/i18n, where retouch.ui.i18n looks first (Qt's translations folder is filtered
    out of the bundle)."""
    objs, _ = run_spec("linux")
    (analysis,) = objs["Analysis"]
    in_i18n = {Path(src).name for src, dest in analysis.kwargs["datas"] if dest == "resources/i18n"}
    assert {"retouch_de.qm", "qtbase_de.qm"} <= in_i18n


def test_stock_pyside6_runtime_hook_is_replaced(run_spec) -> None:
    """The stock hook imports QtCore in every run (~100 ms before `--version` prints)."""
    objs, _ = run_spec("linux")
    (analysis,) = objs["Analysis"]
    assert analysis.kwargs["runtime_hooks"] == [str(PACKAGING / "pyi_rth_pyside6_lazy.py")]
    assert [s[0] for s in analysis.scripts] == ["pyi_rth_pyside6_lazy", "retouch_entry"]


def test_spec_filters_analysis_lists(run_spec) -> None:
    objs, _ = run_spec("linux")
    (analysis,) = objs["Analysis"]
    kept = [b[0] for b in analysis.binaries]
    assert kept == [
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/lib/libQt6Widgets.so.6",
    ]
    assert analysis.datas == []


def test_windows_gets_a_windowed_and_a_console_exe(run_spec, tmp_path: Path) -> None:
    objs, _ = run_spec("win32")
    exes = {e.kwargs["name"]: e.kwargs for e in objs["EXE"]}
    assert set(exes) == {"Retouch", "retouch-cli"}
    assert exes["Retouch"]["console"] is False
    assert exes["retouch-cli"]["console"] is True
    for kw in exes.values():
        assert kw["icon"].endswith("retouch.ico")
        assert Path(kw["version"]).is_file()
        assert retouch.__version__ in Path(kw["version"]).read_text()
        assert kw["exclude_binaries"] is True
    (coll,) = objs["COLLECT"]
    assert len([a for a in coll.args if isinstance(a, Recorder) and a.kind == "EXE"]) == 2


def test_macos_bundle_info_plist(run_spec) -> None:
    objs, _ = run_spec("darwin")
    (exe,) = objs["EXE"]
    assert exe.kwargs["console"] is False
    (bundle,) = objs["BUNDLE"]
    kw = bundle.kwargs
    assert kw["name"] == "Retouch.app"
    assert kw["bundle_identifier"] == "io.retouch.Retouch"
    assert kw["icon"].endswith("retouch.icns")
    plist = kw["info_plist"]
    assert plist["CFBundleShortVersionString"] == retouch.__version__
    assert plist["NSHighResolutionCapable"] is True
    types_ = plist["CFBundleDocumentTypes"]
    utis = {uti for t in types_ for uti in t["LSItemContentTypes"]}
    assert utis == {"public.png", "public.jpeg", "org.webmproject.webp"}
    assert {t["LSHandlerRank"] for t in types_} == {"Alternate"}


def test_onefile_has_no_collect(run_spec) -> None:
    objs, _ = run_spec("linux", onefile=True)
    assert "COLLECT" not in objs
    (exe,) = objs["EXE"]
    assert exe.kwargs["exclude_binaries"] is False


@pytest.fixture
def common(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.syspath_prepend(str(PACKAGING))
    import pyi_common

    return pyi_common


def test_version_is_the_package_version(common) -> None:
    assert common.version() == retouch.__version__


@pytest.mark.parametrize(
    ("platform", "dest", "kept"),
    [
        ("linux", "PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("linux", "PySide6/Qt/plugins/platforms/libqwayland.so", True),
        ("linux", "PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("linux", "PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("linux", "PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("linux", "PySide6/Qt/plugins/imageformats/libqjpeg.so", True),
        ("linux", "PySide6/Qt/plugins/imageformats/libqwebp.so", True),
        ("linux", "PySide6/Qt/plugins/imageformats/libqgif.so", True),
        ("linux", "PySide6/Qt/plugins/imageformats/libqpdf.so", False),
        ("linux", "PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("linux", "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
        (
            "linux",
            "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
            True,
        ),
        ("linux", "PySide6/Qt/translations/qtbase_de.qm", False),
        ("linux", "PySide6/Qt/lib/libQt6Core.so.6", True),
        ("linux", "PySide6/Qt/lib/libQt6DBus.so.6", True),
        ("linux", "PySide6/Qt/lib/libQt6Pdf.so.6", False),
        ("linux", "PySide6/Qt/lib/libQt6QuickControls2.so.6", False),
        ("win32", "PySide6\\plugins\\platforms\\qwindows.dll", True),
        ("win32", "PySide6\\plugins\\platforms\\qxcb.dll", False),
        ("win32", "PySide6\\translations\\qt_fr.qm", False),
        ("win32", "PySide6\\Qt6Pdf.dll", False),
        ("win32", "PySide6\\Qt6Widgets.dll", True),
        ("darwin", "PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),
        ("darwin", "PySide6/Qt/lib/QtPdf.framework/Versions/A/QtPdf", False),
        ("darwin", "PySide6/Qt/lib/QtGui.framework/Versions/A/QtGui", True),
        ("linux", "PIL/_imaging.cpython-311-x86_64-linux-gnu.so", True),
    ],
)
def test_qt_filter(common, monkeypatch, platform: str, dest: str, kept: bool) -> None:
    monkeypatch.setattr(common, "platform_key", lambda: platform)
    assert common.QtFilter([common.PACKAGE]).keeps(dest) is kept


def test_qt_modules_used_by_the_source_are_not_excluded(common, tmp_path: Path) -> None:
    src = tmp_path / "app.py"
    src.write_text("from PySide6.QtNetwork import QNetworkAccessManager\n")
    excluded = common.qt_excludes([src])
    assert "PySide6.QtNetwork" not in excluded
    assert "PySide6.QtQuick" in excluded
    assert "PySide6.QtNetwork" in common.qt_excludes([tmp_path / "missing-dir"])


def test_resource_datas_skip_foreign_icon_formats(common, monkeypatch) -> None:
    monkeypatch.setattr(common, "platform_key", lambda: "linux")
    sources = {Path(src).name for src, _ in common.resource_datas()}
    assert "retouch-256.png" in sources
    assert "retouch.ico" not in sources
    assert "retouch.icns" not in sources
    monkeypatch.setattr(common, "platform_key", lambda: "win32")
    assert "retouch.ico" in {Path(src).name for src, _ in common.resource_datas()}
