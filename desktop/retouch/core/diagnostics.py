"""What a support request needs to know about this installation, and whether Qt can open a
window here. Plain Python: no Qt import, so ``retouch --diagnose`` and the launcher's check run
before (or without) a ``QApplication``.

One function, :func:`gather`, collects the facts for ``retouch --diagnose``, ``retouch
--self-test`` and Help → About. It never reads or prints the API key itself: only where a key
would come from.

:func:`platform_plugin_problem` loads Qt's Linux platform plugin the way Qt will (``dlopen``)
before the ``QApplication`` exists. When a system library it links is missing (``libxcb-cursor0``
on a fresh Ubuntu 22.04 is the known case), it names the library and the package to install,
instead of Qt's "could not load the Qt platform plugin" abort.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

# Package that provides a shared library, per distribution family. The key is the library's
# name without its so-version (``libxcb-cursor.so.0`` -> ``libxcb-cursor``).
_PACKAGES: dict[str, dict[str, str]] = {
    "libxcb-cursor": {
        "debian": "libxcb-cursor0",
        "fedora": "xcb-util-cursor",
        "arch": "xcb-util-cursor",
        "suse": "libxcb-cursor0",
    },
    "libxcb-icccm": {
        "debian": "libxcb-icccm4",
        "fedora": "xcb-util-wm",
        "arch": "xcb-util-wm",
        "suse": "libxcb-icccm4",
    },
    "libxcb-keysyms": {
        "debian": "libxcb-keysyms1",
        "fedora": "xcb-util-keysyms",
        "arch": "xcb-util-keysyms",
        "suse": "libxcb-keysyms1",
    },
    "libxcb-image": {
        "debian": "libxcb-image0",
        "fedora": "xcb-util-image",
        "arch": "xcb-util-image",
        "suse": "libxcb-image0",
    },
    "libxcb-render-util": {
        "debian": "libxcb-render-util0",
        "fedora": "xcb-util-renderutil",
        "arch": "xcb-util-renderutil",
        "suse": "libxcb-render-util0",
    },
    "libxcb-util": {
        "debian": "libxcb-util1",
        "fedora": "xcb-util",
        "arch": "xcb-util",
        "suse": "libxcb-util1",
    },
    "libxkbcommon-x11": {
        "debian": "libxkbcommon-x11-0",
        "fedora": "libxkbcommon-x11",
        "arch": "libxkbcommon-x11",
        "suse": "libxkbcommon-x11-0",
    },
    "libEGL": {
        "debian": "libegl1",
        "fedora": "libglvnd-egl",
        "arch": "libglvnd",
        "suse": "libEGL1",
    },
    "libGL": {"debian": "libgl1", "fedora": "libglvnd-glx", "arch": "libglvnd", "suse": "libGL1"},
    "libfontconfig": {
        "debian": "libfontconfig1",
        "fedora": "fontconfig",
        "arch": "fontconfig",
        "suse": "libfontconfig1",
    },
    "libwayland-client": {
        "debian": "libwayland-client0",
        "fedora": "libwayland-client",
        "arch": "wayland",
        "suse": "libwayland-client0",
    },
    "libwayland-cursor": {
        "debian": "libwayland-cursor0",
        "fedora": "libwayland-cursor",
        "arch": "wayland",
        "suse": "libwayland-cursor0",
    },
}
_INSTALL = {
    "debian": "sudo apt install {pkgs}",
    "fedora": "sudo dnf install {pkgs}",
    "arch": "sudo pacman -S {pkgs}",
    "suse": "sudo zypper install {pkgs}",
}
_FAMILY_NAMES = {
    "debian": "Debian/Ubuntu",
    "fedora": "Fedora/RHEL",
    "arch": "Arch",
    "suse": "openSUSE",
}
# Qt's names for the Linux platform plugins a desktop uses, and their files.
_PLUGIN_FILES = {"xcb": ["libqxcb.so"], "wayland": ["libqwayland.so", "libqwayland-generic.so"]}
_PLUGIN_LABEL = {"xcb": "X11 (xcb)", "wayland": "Wayland"}


# -- the platform plugin -------------------------------------------------------------------


def distro_family(os_release: str | None = None) -> str | None:
    """``debian``, ``fedora``, ``arch`` or ``suse`` from ``/etc/os-release`` (ID and ID_LIKE)."""
    if os_release is None:
        try:
            os_release = Path("/etc/os-release").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    words: list[str] = []
    for line in os_release.splitlines():
        key, _, value = line.partition("=")
        if key.strip() in ("ID", "ID_LIKE"):
            words += value.strip().strip("\"'").lower().split()
    for word in words:
        if word in ("debian", "ubuntu", "linuxmint", "pop", "elementary"):
            return "debian"
        if word in ("fedora", "rhel", "centos", "rocky", "almalinux"):
            return "fedora"
        if word in ("arch", "manjaro", "endeavouros"):
            return "arch"
        if word.startswith(("suse", "opensuse")):
            return "suse"
    return None


def library_stem(soname: str) -> str:
    """``libxcb-cursor.so.0`` -> ``libxcb-cursor``."""
    return soname.split(".so", 1)[0]


def install_hint(sonames: list[str], family: str | None) -> str:
    """How to install the packages that provide *sonames*: the user's family first, or all."""
    families = [family] if family in _INSTALL else list(_INSTALL)
    lines = []
    for fam in families:
        pkgs = []
        for soname in sonames:
            pkg = _PACKAGES.get(library_stem(soname), {}).get(fam)
            if pkg and pkg not in pkgs:
                pkgs.append(pkg)
        if pkgs:
            lines.append(f"  {_FAMILY_NAMES[fam]}: {_INSTALL[fam].format(pkgs=' '.join(pkgs))}")
    if not lines:
        names = ", ".join(sonames)
        return f"  Install the package that provides {names} with your system's package manager."
    return "\n".join(lines)


def missing_library(dlerror: str) -> str | None:
    """The library named in a loader error like ``libfoo.so.1: cannot open shared object file``."""
    match = re.search(r"([\w.+-]+\.so[\w.]*): cannot open shared object file", dlerror)
    return match.group(1) if match else None


def planned_platforms(env: Mapping[str, str] | None = None) -> list[str]:
    """The Linux platform plugins Qt will try, in order (``[]`` when none needs checking)."""
    env = os.environ if env is None else env
    if not sys.platform.startswith("linux"):
        return []
    asked = env.get("QT_QPA_PLATFORM", "").strip()
    if asked:
        names = [part.split(":", 1)[0].strip() for part in asked.split(";")]
    elif env.get("WAYLAND_DISPLAY") or env.get("XDG_SESSION_TYPE") == "wayland":
        names = ["wayland", "xcb"]
    else:
        names = ["xcb"]
    return [n for n in names if n in _PLUGIN_FILES]


def platform_plugin_dirs(env: Mapping[str, str] | None = None) -> list[Path]:
    """Where Qt looks for platform plugins, in its order (its environment variables first)."""
    env = os.environ if env is None else env
    dirs: list[Path] = []
    if env.get("QT_QPA_PLATFORM_PLUGIN_PATH"):
        dirs.append(Path(env["QT_QPA_PLATFORM_PLUGIN_PATH"]))
    for entry in env.get("QT_PLUGIN_PATH", "").split(os.pathsep):
        if entry:
            dirs.append(Path(entry) / "platforms")
    pyside = _pyside_dir()
    if pyside is not None:
        dirs.append(pyside / "Qt" / "plugins" / "platforms")
    return dirs


def _pyside_dir() -> Path | None:
    import importlib.util

    try:
        spec = importlib.util.find_spec("PySide6")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def find_platform_plugin(name: str, env: Mapping[str, str] | None = None) -> Path | None:
    for folder in platform_plugin_dirs(env):
        for filename in _PLUGIN_FILES.get(name, []):
            if (folder / filename).is_file():
                return folder / filename
    return None


def load_error(plugin: Path) -> str | None:
    """Load *plugin* as Qt would (``dlopen``); ``None`` if it loads, else the loader's error.

    A plugin that loads stays loaded, which is what Qt does with it a moment later anyway.
    """
    import ctypes

    try:
        ctypes.CDLL(str(plugin), mode=getattr(os, "RTLD_LOCAL", 0))
    except OSError as exc:
        return str(exc)
    return None


@dataclass(frozen=True)
class PluginProblem:
    """No platform plugin Qt would try can load."""

    platform: str  # the first one Qt would try
    missing: list[str]  # libraries the loader could not find
    detail: str  # the loader's own message

    def message(self, family: str | None = None) -> str:
        label = _PLUGIN_LABEL.get(self.platform, self.platform)
        if self.missing:
            what = ", ".join(self.missing)
            head = (
                f"Retouch cannot open its window: Qt's {label} platform plugin needs {what}, "
                "which is not installed on this system. Install it, then start Retouch again:"
            )
            return head + "\n" + install_hint(self.missing, family or distro_family())
        return (
            f"Retouch cannot open its window: Qt's {label} platform plugin failed to load "
            f"({self.detail})."
        )


def platform_plugin_problem(env: Mapping[str, str] | None = None) -> PluginProblem | None:
    """``None`` when Qt will find a platform plugin it can load (or there is nothing to check:
    not Linux, ``offscreen``, or a plugin file we cannot find, which Qt reports itself)."""
    problems: list[PluginProblem] = []
    for name in planned_platforms(env):
        plugin = find_platform_plugin(name, env)
        if plugin is None:
            continue  # Qt says so itself, or falls back to the next one
        error = load_error(plugin)
        if error is None:
            return None
        lib = missing_library(error)
        problems.append(PluginProblem(name, [lib] if lib else [], error))
    if not problems:
        return None
    # X11 is what a desktop without a working Wayland plugin falls back to: name its needs.
    return next((p for p in problems if p.platform == "xcb"), problems[0])


# -- facts for support ---------------------------------------------------------------------


@dataclass
class Diagnostics:
    facts: list[tuple[str, str]] = field(default_factory=list)

    def get(self, label: str) -> str | None:
        return next((value for key, value in self.facts if key == label), None)

    def text(self) -> str:
        width = max(len(k) for k, _ in self.facts)
        return "\n".join(f"{k + ':':<{width + 1}} {v}" for k, v in self.facts)

    def html(self) -> str:
        from html import escape

        rows = "".join(
            f"<tr><td>{escape(k)}</td><td>&nbsp;{escape(v)}</td></tr>" for k, v in self.facts
        )
        return f"<table>{rows}</table>"


def _package_version(*names: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    for name in names:
        try:
            return version(name)
        except PackageNotFoundError:
            continue
    return None


def _pyside_version() -> str:
    found = _package_version("PySide6-Essentials", "PySide6")
    if found:
        return found
    module = sys.modules.get("PySide6")
    return getattr(module, "__version__", "unknown")


def data_folder_path() -> Path:
    """``paths.data_dir()`` without creating it: reporting must not change the system."""
    from retouch.core import paths

    override = os.environ.get("RETOUCH_DATA_DIR")
    return Path(override).expanduser() if override else paths._platform_data_dir()


def keyring_backend() -> str:
    from retouch.core.secrets import keyring_status

    status = keyring_status()
    if status.available:
        return status.backend
    return f"none ({status.reason}; the key is kept for this session only)"


def key_source() -> str:
    """Where the key would come from. Never the key."""
    from retouch.core.secrets import ENV_VAR, get_api_key

    source = get_api_key()[1]
    return {
        "env": f"set in the environment ({ENV_VAR})",
        "keyring": "stored in the keyring",
        "session": "kept for this session",
    }.get(source, "none")


def gather(
    *,
    qt_platform: str | None = None,
    qt_version: str | None = None,
    data_folder: Path | None = None,
    include_key_source: bool = True,
) -> Diagnostics:
    """The facts of this installation, for ``--diagnose``, ``--self-test`` and About.

    *qt_platform* is the platform plugin in use (``QGuiApplication.platformName()``) when a
    ``QApplication`` exists; without one, the plugin Qt would pick here is named with whether it
    can load.
    """
    import platform  # only here: the window's start imports this module for its plugin check

    from retouch import __version__

    from .logs import LOG_NAME

    folder = data_folder or data_folder_path()
    frozen = getattr(sys, "frozen", False)
    facts = [
        ("Retouch", __version__ + (" (installed build)" if frozen else " (from source)")),
        ("Python", f"{platform.python_version()} ({sys.executable})"),
        ("System", f"{platform.platform()} ({platform.machine() or 'unknown'})"),
        ("Qt", f"PySide6 {_pyside_version()}" + (f", Qt {qt_version}" if qt_version else "")),
        ("Qt platform plugin", qt_platform or _planned_platform_text()),
        ("Keyring backend", keyring_backend()),
    ]
    if include_key_source:
        facts.append(("API key", key_source()))
    facts += [
        ("Data folder", str(folder)),
        ("Log file", str(folder / "logs" / LOG_NAME)),
    ]
    return Diagnostics(facts)


def _planned_platform_text() -> str:
    if sys.platform == "darwin":
        return os.environ.get("QT_QPA_PLATFORM") or "cocoa"
    if sys.platform == "win32":
        return os.environ.get("QT_QPA_PLATFORM") or "windows"
    planned = planned_platforms()
    if not planned:
        return os.environ.get("QT_QPA_PLATFORM") or "none"
    problem = platform_plugin_problem()
    if problem is None:
        return f"{planned[0]} (loads)"
    missing = ", ".join(problem.missing) or problem.detail
    return f"{problem.platform} (cannot load: needs {missing})"
