"""retouch.core.diagnostics: the support facts, and the Linux platform-plugin check that runs
before a QApplication exists."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from retouch.core import diagnostics as D

UBUNTU = 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="22.04"\n'
FEDORA = 'NAME="Fedora Linux"\nID=fedora\n'
ARCH = 'NAME="Arch Linux"\nID=arch\n'
TUMBLEWEED = 'ID="opensuse-tumbleweed"\nID_LIKE="opensuse suse"\n'
ROCKY = 'ID="rocky"\nID_LIKE="rhel centos fedora"\n'


@pytest.mark.parametrize(
    ("text", "family"),
    [
        (UBUNTU, "debian"),
        (FEDORA, "fedora"),
        (ARCH, "arch"),
        (TUMBLEWEED, "suse"),
        (ROCKY, "fedora"),
        ("ID=gentoo\n", None),
        ("", None),
    ],
)
def test_distro_family(text: str, family: str | None) -> None:
    assert D.distro_family(text) == family


def test_install_hint_names_the_package_of_the_family() -> None:
    assert D.install_hint(["libxcb-cursor.so.0"], "debian") == (
        "  Debian/Ubuntu: sudo apt install libxcb-cursor0"
    )
    assert "sudo dnf install xcb-util-cursor" in D.install_hint(["libxcb-cursor.so.0"], "fedora")
    every = D.install_hint(["libxcb-cursor.so.0"], None)
    for line in (
        "apt install libxcb-cursor0",
        "dnf install xcb-util-cursor",
        "pacman -S xcb-util-cursor",
        "zypper install libxcb-cursor0",
    ):
        assert line in every
    assert "provides libfoo.so.3" in D.install_hint(["libfoo.so.3"], "debian")


def test_missing_library_is_read_from_the_loader_error() -> None:
    err = "libxcb-cursor.so.0: cannot open shared object file: No such file or directory"
    assert D.missing_library(err) == "libxcb-cursor.so.0"
    assert D.missing_library("/x/libqxcb.so: undefined symbol: foo") is None


@pytest.mark.parametrize(
    ("env", "planned"),
    [
        ({}, ["xcb"]),
        ({"QT_QPA_PLATFORM": "offscreen"}, []),
        ({"QT_QPA_PLATFORM": "xcb"}, ["xcb"]),
        ({"WAYLAND_DISPLAY": "wayland-0"}, ["wayland", "xcb"]),
        ({"XDG_SESSION_TYPE": "wayland"}, ["wayland", "xcb"]),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, ["wayland", "xcb"]),
        ({"QT_QPA_PLATFORM": "xcb:nograb"}, ["xcb"]),
    ],
)
def test_planned_platforms(monkeypatch, env: dict[str, str], planned: list[str]) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    assert D.planned_platforms(env) == planned


def test_nothing_is_checked_off_linux(monkeypatch) -> None:
    for name in ("darwin", "win32"):
        monkeypatch.setattr(sys, "platform", name)
        assert D.planned_platforms({}) == []
        assert D.platform_plugin_problem({}) is None


# -- a real plugin whose system library is missing ------------------------------------------

LINUX_QT = sys.platform.startswith("linux") and D.find_platform_plugin("xcb", {}) is not None
needs_linux_qt = pytest.mark.skipif(not LINUX_QT, reason="Linux with PySide6's xcb plugin")


def broken_xcb_plugin(tmp_path: Path) -> Path:
    """A copy of PySide6's libqxcb.so that links libxcb-cursor.so.9, which no system has:
    what a fresh desktop without libxcb-cursor0 looks like to the loader."""
    real = D.find_platform_plugin("xcb", {})
    assert real is not None
    platforms = tmp_path / "plugins" / "platforms"
    platforms.mkdir(parents=True)
    # Its RUNPATH is $ORIGIN/../../lib: the Qt libraries it needs are found next to it.
    (tmp_path / "lib").symlink_to(real.parents[2] / "lib")
    data = real.read_bytes()
    needed = b"libxcb-cursor.so.0\x00"
    assert data.count(needed) == 1
    (platforms / real.name).write_bytes(data.replace(needed, b"libxcb-cursor.so.9\x00"))
    return platforms


@needs_linux_qt
def test_a_plugin_that_cannot_load_is_reported_with_the_package(tmp_path: Path) -> None:
    platforms = broken_xcb_plugin(tmp_path)
    env = {"QT_QPA_PLATFORM_PLUGIN_PATH": str(platforms), "DISPLAY": ":99"}
    problem = D.platform_plugin_problem(env)
    assert problem is not None
    assert problem.platform == "xcb"
    assert problem.missing == ["libxcb-cursor.so.9"]
    text = problem.message("debian")
    assert "X11 (xcb)" in text and "sudo apt install libxcb-cursor0" in text


def libraries_the_loader_cannot_find(library: Path) -> list[str]:
    """What ``ldd`` (the loader's own resolver, independent of our check) says is missing."""
    out = subprocess.run(["ldd", str(library)], capture_output=True, text=True, check=True)
    return [line.split("=>")[0].strip() for line in out.stdout.splitlines() if "not found" in line]


@needs_linux_qt
@pytest.mark.skipif(shutil.which("ldd") is None, reason="ldd")
def test_the_real_plugin_is_judged_as_the_loader_judges_it(tmp_path: Path) -> None:
    """On a machine with every X11 library, no problem; on one without (a bare CI image may
    lack libxcb-icccm4), the problem names a library the loader cannot find. The verdict
    must follow the machine, not assume it."""
    real = D.find_platform_plugin("xcb", {})
    assert real is not None
    missing = libraries_the_loader_cannot_find(real)
    problem = D.platform_plugin_problem({"DISPLAY": ":99"})
    if not missing:
        assert problem is None
    else:
        assert problem is not None and problem.platform == "xcb"
        assert problem.missing and problem.missing[0] in missing
    assert D.platform_plugin_problem({"QT_QPA_PLATFORM": "offscreen"}) is None


@needs_linux_qt
def test_the_launcher_says_what_to_install_instead_of_aborting(tmp_path: Path) -> None:
    """`retouch` on a desktop missing libxcb-cursor: a clear message and exit 1 before Qt
    starts (without the check, Qt aborts with SIGABRT: "could not load the Qt platform
    plugin")."""
    platforms = broken_xcb_plugin(tmp_path)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE", "QT_PLUGIN_PATH")
    }
    env.update(
        DISPLAY=":99",  # no X server there: only the check can stop this start cleanly
        QT_QPA_PLATFORM_PLUGIN_PATH=str(platforms),
        RETOUCH_DATA_DIR=str(tmp_path / "data"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "retouch"], env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 1, proc.stderr
    assert "platform plugin needs libxcb-cursor.so.9" in proc.stderr
    assert "libxcb-cursor0" in proc.stderr  # the package, for Debian/Ubuntu at least
    assert "Traceback" not in proc.stderr


# -- the facts ------------------------------------------------------------------------------


def test_gather_names_what_support_needs(isolated_env: Path, memory_keyring) -> None:
    facts = D.gather(qt_platform="xcb", qt_version="6.11.3")
    assert facts.get("Qt platform plugin") == "xcb"
    assert "6.11.3" in facts.get("Qt")
    assert facts.get("Keyring backend").endswith("MemoryKeyring")
    assert facts.get("Data folder") == str(isolated_env)
    assert facts.get("Log file") == str(isolated_env / "logs" / "retouch.log")
    import retouch

    assert facts.get("Retouch").startswith(retouch.__version__)
    assert not isolated_env.exists()  # reporting creates nothing


def test_gather_says_when_there_is_no_keyring(monkeypatch) -> None:
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    assert D.gather().get("Keyring backend").startswith("none (no keyring service")


def test_no_key_in_the_report(monkeypatch, memory_keyring) -> None:
    from retouch.core.secrets import set_api_key

    set_api_key("sk-stored-in-keyring-9876")
    assert D.gather().get("API key") == "stored in the keyring"
    monkeypatch.setenv("OXEN_API_KEY", "sk-from-environment-1234")
    report = D.gather()
    assert report.get("API key") == "set in the environment (OXEN_API_KEY)"
    for shown in (report.text(), report.html()):
        assert "sk-stored" not in shown and "sk-from" not in shown
        assert "9876" not in shown and "1234" not in shown
