"""Shared PyInstaller settings for ``retouch.spec`` and the bare-Qt baseline ``measure/bare.spec``.

Both specs import this module (it is plain Python, no PyInstaller globals), so the size
comparison in ``measure.sh`` is made with exactly the same exclusions.

What gets trimmed, and why it is safe:

* Qt Python modules that the application source never mentions (``QtNetwork`` — HTTP goes
  through httpx — ``QtQml``/``QtQuick``, ``QtPdf``, ...). The source tree is scanned at build
  time, so a developer who starts using, say, ``QtSvg`` gets it bundled without touching
  this file.
* Qt plugins nobody loads in a widgets app: eglfs/linuxfb/vnc platforms, evdev input,
  the GTK3 platform theme (it would drag the build machine's GTK into the bundle), the
  virtual keyboard (pulls in QtQuick), the Wayland *compositor* side, and image formats
  other than JPEG/WebP/GIF/ICO/ICNS (PNG is built into QtGui).
* Qt's translation catalogues (the UI is English only).
* Python's test suite, tkinter, pydoc data, build tools; and never ``keyrings.alt``.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "desktop"
PACKAGE = SRC / "retouch"
RESOURCES = REPO / "resources"
ICONS = RESOURCES / "icons"
HOOKS = Path(__file__).resolve().parent / "pyi_hooks"
LAZY_QT_RTHOOK = Path(__file__).resolve().parent / "pyi_rth_pyside6_lazy.py"

APP_NAME = "Retouch"
BUNDLE_ID = "io.retouch.Retouch"

# Python modules that are never needed at run time.
PYTHON_EXCLUDES = [
    "tkinter",
    "_tkinter",
    "turtle",
    "turtledemo",
    "idlelib",
    "lib2to3",
    "pydoc_data",
    "ensurepip",
    "venv",
    "distutils",
    "setuptools",
    "pkg_resources",
    "pip",
    "test",
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "IPython",
    "PyInstaller",
    # Pillow parts the app never uses: Tk glue, and AVIF (its codec library alone is 5 MB;
    # Pillow treats a missing _avif as "AVIF not supported").
    "PIL.ImageTk",
    "PIL._imagingtk",
    "PIL._tkinter_finder",
    "PIL._avif",
    "PIL.AvifImagePlugin",
    # httpx's optional command-line client pulls these in (httpx falls back without them).
    "pygments",
    "rich",
    "click",
    # A plaintext-file keyring: must never end up handling a user's API key.
    "keyrings",
    "keyrings.alt",
    # Other Qt bindings (PyInstaller refuses to mix them).
    "PyQt5",
    "PyQt6",
    "PySide2",
]

# Qt modules excluded unless the application source mentions them.
OPTIONAL_QT_MODULES = [
    "QtNetwork",
    "QtQml",
    "QtQuick",
    "QtQuickControls2",
    "QtQuickWidgets",
    "QtQuickTest",
    "QtPdf",
    "QtPdfWidgets",
    "QtSvg",
    "QtSvgWidgets",
    "QtOpenGL",
    "QtOpenGLWidgets",
    "QtPrintSupport",
    "QtSql",
    "QtTest",
    "QtDBus",
    "QtDesigner",
    "QtHelp",
    "QtUiTools",
    "QtXml",
    "QtConcurrent",
    "QtMultimedia",
    "QtMultimediaWidgets",
    "QtWebEngineCore",
    "QtWebEngineWidgets",
    "QtWebEngineQuick",
    "QtWebChannel",
    "QtWebSockets",
    "QtCharts",
    "QtDataVisualization",
    "QtGraphs",
    "Qt3DCore",
    "QtBluetooth",
    "QtPositioning",
    "QtLocation",
    "QtSerialPort",
    "QtTextToSpeech",
    "QtStateMachine",
    "QtRemoteObjects",
    "QtScxml",
    "QtSensors",
    "QtHttpServer",
    "QtNetworkAuth",
    "QtSpatialAudio",
    "QtNfc",
]

# Qt shared libraries (without the ``Qt6`` prefix) that only the modules or plugins dropped
# here link against, keyed by the optional module that would need them. Libraries such as
# QtDBus are *not* listed: QtGui itself links them on Linux. build_linux.sh checks with ldd
# that no bundled binary is left needing a dropped Qt library.
_QT_LIBS_OF = {
    "QtNetwork": ["Network"],
    "QtPdf": ["Pdf"],
    "QtSvg": ["Svg"],
    "QtQuick": ["Quick*", "Labs*", "Lottie*", "VirtualKeyboard*"],
    "QtQml": ["Qml*"],
}
# Libraries only dropped plugins (eglfs, compositor side of Wayland) link against.
_ALWAYS_DROPPED_QT_LIBS = [
    "EglFSDeviceIntegration",
    "EglFsKmsSupport",
    "EglFsKmsGbmSupport",
    "WaylandCompositor*",
    "WaylandEglCompositorHwIntegration",
]

# Plugins kept per platform. Everything under these plugin folders that is not listed is
# dropped; plugin folders not listed here at all are kept as the PySide6 hooks chose them
# (they only appear when the module that needs them is bundled).
_IMAGEFORMATS = {"qjpeg", "qwebp", "qgif", "qico", "qicns"}
_KEEP_PLUGINS = {
    "platforms": {
        "linux": {"qxcb", "qwayland", "qwayland-generic", "qwayland-egl", "qoffscreen"},
        "darwin": {"qcocoa", "qoffscreen"},
        "win32": {"qwindows", "qoffscreen", "qdirect2d"},
    },
    "imageformats": _IMAGEFORMATS,
    "platforminputcontexts": {
        # Compose (dead keys) and IBus (CJK input methods) matter for typing a prompt.
        "composeplatforminputcontextplugin",
        "ibusplatforminputcontextplugin",
    },
    "platformthemes": {"qxdgdesktopportal"},
    # Wayland: client-side decorations; "adwaita" needs QtSvg (added back with SVG support).
    "wayland-decoration-client": {"bradient"},
    "generic": set(),
    "egldeviceintegrations": set(),
    "wayland-graphics-integration-server": set(),
    "iconengines": set(),  # only with SVG, see keep_svg below
    "styles": {"qmodernwindowsstyle", "qwindowsvistastyle", "qmacstyle"},
}


def version() -> str:
    """``retouch.__version__``, read without importing the package."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets
        ):
            value = node.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                return value.value
    from importlib.metadata import version as dist_version

    return dist_version("retouch")


def platform_key() -> str:
    if sys.platform.startswith("linux"):
        return "linux"
    if sys.platform == "darwin":
        return "darwin"
    if sys.platform == "win32":
        return "win32"
    return sys.platform


def _source_text(roots: Iterable[Path]) -> str:
    chunks = []
    for root in roots:
        if root.is_file():
            chunks.append(root.read_text(encoding="utf-8", errors="replace"))
            continue
        for path in sorted(root.rglob("*.py")):
            chunks.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(chunks)


def _identifiers(roots: Iterable[Path]) -> set[str]:
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", _source_text(roots)))


def used_qt_modules(roots: Iterable[Path]) -> set[str]:
    words = _identifiers(roots)
    return {m for m in OPTIONAL_QT_MODULES if m in words}


def uses_svg(roots: Iterable[Path]) -> bool:
    """SVG support is kept if the code uses QtSvg or any bundled resource is an .svg file."""
    if "QtSvg" in used_qt_modules(roots):
        return True
    return RESOURCES.is_dir() and any(RESOURCES.rglob("*.svg"))


# Pillow C extensions left out unless the source uses the module in front of them. Pillow
# copes with their absence (ImageFont falls back to its bitmap font; ImageCms raises on use).
# _imagingft alone drags in FreeType, HarfBuzz and Brotli (~2.7 MB).
OPTIONAL_PIL_EXTENSIONS = {"ImageFont": "PIL._imagingft", "ImageCms": "PIL._imagingcms"}


def pil_excludes(roots: Iterable[Path]) -> list[str]:
    words = _identifiers(roots)
    return [ext for mod, ext in OPTIONAL_PIL_EXTENSIONS.items() if mod not in words]


def qt_excludes(roots: Iterable[Path]) -> list[str]:
    used = used_qt_modules(roots)
    if uses_svg(roots):
        used |= {"QtSvg"}
    return [f"PySide6.{m}" for m in OPTIONAL_QT_MODULES if m not in used]


def excludes(roots: Iterable[Path]) -> list[str]:
    return PYTHON_EXCLUDES + qt_excludes(roots) + pil_excludes(roots)


def _plugin_parts(dest: str) -> tuple[str, str] | None:
    """``('platforms', 'qxcb')`` for ``PySide6/Qt/plugins/platforms/libqxcb.so`` (any OS)."""
    parts = Path(dest).parts
    if "plugins" not in parts:
        return None
    i = parts.index("plugins")
    if len(parts) < i + 3 or "PySide6" not in parts[:i]:
        return None
    folder, filename = parts[i + 1], parts[-1]
    stem = filename.split(".")[0]
    if stem.startswith("lib"):
        stem = stem[3:]
    return folder, stem


def _unused_qt_lib_patterns(roots: Iterable[Path]) -> list[re.Pattern[str]]:
    used = used_qt_modules(roots)
    if uses_svg(roots):
        used |= {"QtSvg"}
    names = list(_ALWAYS_DROPPED_QT_LIBS)
    for module, libs in _QT_LIBS_OF.items():
        if module not in used:
            names.extend(libs)
    pats = []
    for name in names:
        glob = re.escape(name).replace(r"\*", "[A-Za-z0-9]*")
        # libQt6Foo.so.6 (Linux), Qt6Foo.dll (Windows), QtFoo.framework/... (macOS)
        pats.append(
            re.compile(rf"(^|/)(lib)?Qt6?{glob}(\.so[.\d]*|\.dll|\.framework|\.dylib)?($|/)")
        )
    return pats


class QtFilter:
    """Decides which Qt plugin, library and translation files a build keeps."""

    def __init__(self, roots: Iterable[Path], platform: str | None = None) -> None:
        roots = list(roots)
        self.keep_svg = uses_svg(roots)
        self.platform = platform or platform_key()
        self.lib_patterns = _unused_qt_lib_patterns(roots)

    def keeps(self, dest: str) -> bool:
        """``dest`` is the file's path inside the bundle, e.g. ``PySide6/Qt/lib/libQt6Pdf.so.6``."""
        dest = dest.replace("\\", "/")
        parts = Path(dest).parts
        if "translations" in parts and "PySide6" in parts[: parts.index("translations")]:
            return False  # PySide6/Qt/translations (Linux, macOS), PySide6/translations (Windows)
        plugin = _plugin_parts(dest)
        if plugin is not None:
            folder, stem = plugin
            allowed = _KEEP_PLUGINS.get(folder)
            if isinstance(allowed, dict):
                allowed = allowed.get(self.platform, set())
            if self.keep_svg and folder in (
                "imageformats",
                "iconengines",
                "wayland-decoration-client",
            ):
                allowed = set(allowed or ()) | {"qsvg", "qsvgicon", "adwaita"}
            return allowed is None or stem in allowed
        if "Qt" in dest:
            return not any(p.search(dest) for p in self.lib_patterns)
        return True

    def hook_toc(self, toc: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        """Filter a hook's ``(source, dest_dir)`` list, before PyInstaller follows dependencies."""
        return [(src, d) for src, d in toc if self.keeps(f"{d}/{Path(src).name}")]

    def analysis_toc(self, toc: list) -> tuple[list, list[str]]:
        """Filter an Analysis TOC of ``(dest_name, source, typecode)``; returns (kept, dropped)."""
        kept, dropped = [], []
        for entry in toc:
            (kept if self.keeps(entry[0]) else dropped).append(entry)
        return kept, [e[0] for e in dropped]


# Set by the spec before Analysis runs; read by the hooks in pyi_hooks/ (same process).
ACTIVE_FILTER: QtFilter | None = None


def activate(roots: Iterable[Path]) -> QtFilter:
    global ACTIVE_FILTER
    ACTIVE_FILTER = QtFilter(roots)
    return ACTIVE_FILTER


def filter_hook_result(binaries: list, datas: list) -> tuple[list, list]:
    """Used by pyi_hooks/hook-PySide6.*.py: trim the stock hook's plugin/translation lists."""
    qt_filter = ACTIVE_FILTER or QtFilter([PACKAGE])
    return qt_filter.hook_toc(binaries), qt_filter.hook_toc(datas)


# Icon containers only the other platforms read (the OS takes them from the installer).
_FOREIGN_ICON_SUFFIXES = {
    "linux": {".ico", ".icns"},
    "win32": {".icns"},
    "darwin": {".ico"},
}


def resource_datas() -> list[tuple[str, str]]:
    """The top-level ``resources/`` as ``resources/...``, minus store screenshots and the
    other platforms' icon containers."""
    out: list[tuple[str, str]] = []
    if not RESOURCES.is_dir():
        return out
    skip_suffixes = _FOREIGN_ICON_SUFFIXES.get(platform_key(), set())
    for path in sorted(RESOURCES.rglob("*")):
        rel = path.relative_to(RESOURCES)
        if not path.is_file() or rel.parts[0] in ("screenshots", "linux"):
            continue
        if path.suffix.lower() in skip_suffixes:
            continue
        out.append((str(path), str(Path("resources") / rel.parent)))
    return out


def use_lazy_qt_hook(scripts: list) -> list:
    """Drop PyInstaller's stock PySide6 runtime hook from ``Analysis.scripts``.

    Its replacement, ``LAZY_QT_RTHOOK`` (passed as ``runtime_hooks``), does the same without
    importing QtCore at start-up. Refuses to run if the replacement is missing.
    """
    names = [entry[0] for entry in scripts]
    if "pyi_rth_pyside6" in names and LAZY_QT_RTHOOK.stem not in names:
        raise SystemExit(f"{LAZY_QT_RTHOOK.name} must be in runtime_hooks")
    return [entry for entry in scripts if entry[0] != "pyi_rth_pyside6"]


# -- Linux: the glibc floor ----------------------------------------------------------------

# The oldest glibc the Linux bundle must run on: Ubuntu 22.04 LTS. RETOUCH_GLIBC_FLOOR=2.31
# (say) for another target; glibc_floor.py checks the finished bundle against the same number.
LINUX_GLIBC_FLOOR = (2, 35)


def glibc_floor() -> tuple[int, ...]:
    import os

    text = os.environ.get("RETOUCH_GLIBC_FLOOR", "")
    return tuple(int(p) for p in text.split(".")) if text else LINUX_GLIBC_FLOOR


def _python_roots() -> list[Path]:
    """Where the interpreter, its standard library and the installed wheels live."""
    import site
    import sysconfig

    roots = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix), REPO}
    for key in ("purelib", "platlib", "stdlib", "platstdlib"):
        if sysconfig.get_paths().get(key):
            roots.add(Path(sysconfig.get_paths()[key]))
    for extra in [*getattr(site, "getsitepackages", list)(), site.getusersitepackages()]:
        roots.add(Path(extra))
    return [r.resolve() for r in roots if r.exists()]


def is_host_library(source: str, roots: list[Path] | None = None) -> bool:
    """A library PyInstaller took from the build machine's system folders (``/usr/lib/...``),
    not from Python or a wheel."""
    roots = _python_roots() if roots is None else roots
    path = Path(source).resolve()
    return not any(path.is_relative_to(root) for root in roots)


def drop_host_libraries_above_floor(
    binaries: list, floor: tuple[int, ...] | None = None, roots: list[Path] | None = None
) -> tuple[list, list[tuple[str, str]]]:
    """Leave out host libraries that need a newer glibc than the floor.

    PyInstaller bundles what the build machine's ``ldd`` finds, e.g. Debian 12's libstdc++ and
    libexpat (GLIBC_2.36), which would stop the app on Ubuntu 22.04 (glibc 2.35) although
    every such system has its own copy. Those are dropped, so the user's system provides them.
    Libraries from wheels and Python itself are never dropped here: if one of those is too
    new, glibc_floor.py fails the build instead, as it should.
    Returns (kept, [(dest, 'GLIBC_x.y'), ...] dropped).
    """
    from glibc_floor import requirements, show

    floor = glibc_floor() if floor is None else floor
    host = [e for e in binaries if e[2] in ("BINARY", "EXTENSION") and is_host_library(e[1], roots)]
    needs = requirements([Path(e[1]) for e in host]) if host else {}
    too_new = {
        e[0]: needs[Path(e[1])]["GLIBC"]
        for e in host
        if needs.get(Path(e[1]), {}).get("GLIBC", ()) > floor
    }
    kept = [e for e in binaries if e[0] not in too_new]
    return kept, [(dest, f"GLIBC_{show(v)}") for dest, v in sorted(too_new.items())]


# -- macOS: the oldest macOS the bundle runs on ----------------------------------------------


def macos_target_arch() -> str | None:
    """``RETOUCH_MACOS_ARCH`` (arm64, x86_64 or universal2) or None for the interpreter's own."""
    import os

    return os.environ.get("RETOUCH_MACOS_ARCH") or None


def macos_minimum_of(binaries: list, arch: str) -> tuple[str, list[str]]:
    """LSMinimumSystemVersion for the collected binaries' *arch* slices (``universal2``: both),
    and the files that set it. Raises SystemExit above ``macos_minimum.MACOS_CEILING``."""
    import macos_minimum as mm

    archs = ["arm64", "x86_64"] if arch == "universal2" else [arch]
    found = mm.scan(
        (dest, Path(src).read_bytes())
        for dest, src, typecode in binaries
        if typecode in ("BINARY", "EXTENSION") and Path(src).is_file()
    )
    top, who = mm.minimum(found, archs)
    if not top:
        return "11.0", []  # nothing states one (not a real build); arm64's first macOS
    if top > mm.MACOS_CEILING:
        raise SystemExit(
            f"a dependency needs macOS {mm.show(top)} ({', '.join(who[:3])}), above the ceiling "
            f"{mm.show(mm.MACOS_CEILING)} in packaging/macos_minimum.py: pin it lower, or raise "
            "the ceiling on purpose"
        )
    return mm.show(top), who


def strip_binaries() -> bool:
    """Strip debug symbols from collected binaries on Linux (libpython alone is 23 MB unstripped).

    Not on macOS (it would invalidate code signatures) nor Windows (no ``strip``).
    ``RETOUCH_STRIP=0`` turns it off, e.g. to get usable native backtraces.
    """
    import os

    return platform_key() == "linux" and os.environ.get("RETOUCH_STRIP", "1") != "0"


def onefile_requested(argv: list[str]) -> bool:
    """``RETOUCH_ONEFILE=1`` or ``pyinstaller retouch.spec -- --onefile``."""
    import os

    return os.environ.get("RETOUCH_ONEFILE", "") not in ("", "0") or "--onefile" in argv


# The fourth field of a Windows version by release stage, so that the numbers sort the way the
# PEP 440 versions do: 0.2.0.dev1 < 0.2.0a1 < 0.2.0b1 < 0.2.0rc1 < 0.2.0 < 0.2.0.post1.
_STAGE_BASE = {"a": 10000, "b": 20000, "rc": 30000}
_FINAL = 40000


def windows_numeric_version(text: str) -> tuple[int, int, int, int]:
    """``0.2.0rc1`` -> ``(0, 2, 0, 30001)``: the four 16-bit numbers Windows version resources
    and Inno Setup's ``VersionInfoVersion`` need (they reject letters).

    The first three are the release (``1.2`` -> ``1.2.0``); the fourth encodes the stage:
    ``devN`` -> N, ``aN`` -> 10000+N, ``bN`` -> 20000+N, ``rcN`` -> 30000+N, final -> 40000,
    ``postN`` -> 40000+N. Versions this cannot order (a dev release of a pre-release, four
    release numbers, a local part, numbers past the limits) raise ValueError.
    """
    from packaging.version import InvalidVersion, Version

    try:
        v = Version(text)
    except InvalidVersion as exc:
        raise ValueError(f"{text!r} is not a PEP 440 version") from exc
    if len(v.release) > 3 or v.local or v.epoch:
        raise ValueError(f"{text!r}: only X.Y.Z with an optional a/b/rc/post/dev part maps")
    major, minor, micro = (*v.release, 0, 0)[:3]
    if v.pre and v.dev is not None:
        raise ValueError(f"{text!r}: a dev release of a pre-release has no Windows number")
    if v.pre:
        stage, n = v.pre
        if n >= 10000:
            raise ValueError(f"{text!r}: pre-release number too large")
        fourth = _STAGE_BASE[stage] + n
    elif v.dev is not None:
        if v.post is not None or v.dev >= 10000:
            raise ValueError(f"{text!r} has no Windows number")
        fourth = v.dev
    else:
        fourth = _FINAL + (v.post or 0)
    nums = (major, minor, micro, fourth)
    if any(n > 65535 for n in nums):
        raise ValueError(f"{text!r}: a Windows version number is at most 65535")
    return nums


def windows_version_file(workpath: str, name: str, description: str, exe_name: str) -> str:
    """Write a VERSIONINFO resource description for a Windows executable; returns its path."""
    ver = version()
    nums = windows_numeric_version(ver)
    text = f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={tuple(nums)}, prodvers={tuple(nums)}, mask=0x3f, flags=0x0,
                    OS=0x40004, fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('040904B0', [
      StringStruct('CompanyName', 'Retouch developers'),
      StringStruct('FileDescription', {description!r}),
      StringStruct('FileVersion', {ver!r}),
      StringStruct('InternalName', {name!r}),
      StringStruct('OriginalFilename', {exe_name!r}),
      StringStruct('ProductName', {APP_NAME!r}),
      StringStruct('ProductVersion', {ver!r})])]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""
    path = Path(workpath) / f"version-{name}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)
