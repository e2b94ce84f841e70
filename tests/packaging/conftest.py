"""Real PySide6 wheels for other platforms, downloaded once with pip and cached.

The cache is ``RETOUCH_WHEEL_CACHE`` or ``~/.cache/retouch-tests/wheels`` (outside the checkout,
so a fresh clone reuses it). A test that needs a wheel is skipped only when no package registry
can be reached; any other pip failure fails it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

# What pip says when it cannot reach the registry at all.
_OFFLINE_MARKERS = (
    "NewConnectionError",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Name or service not known",
    "Network is unreachable",
    "ConnectTimeoutError",
    "ProxyError",
    "Connection refused",
)

TARGETS = {
    "macos": [
        "--platform",
        "macosx_15_0_universal2",
        "--platform",
        "macosx_15_0_arm64",
        "--platform",
        "macosx_15_0_x86_64",
    ],
    "windows": ["--platform", "win_amd64"],
}


def pyside_version() -> str:
    """The PySide6 the pin installs here: the other platforms' wheels of the same release."""
    return version("PySide6-Essentials")


def wheel_cache() -> Path:
    base = (
        os.environ.get("RETOUCH_WHEEL_CACHE") or Path.home() / ".cache" / "retouch-tests" / "wheels"
    )
    return Path(base)


def download(target: str) -> list[Path]:
    ver = pyside_version()
    dest = wheel_cache() / f"pyside6-{ver}" / target
    wanted = ("pyside6_essentials", "shiboken6")
    have = [p for p in dest.glob("*.whl") if p.name.lower().startswith(wanted)]
    if len(have) == 2 and all(zipfile.is_zipfile(p) for p in have):
        return sorted(have)
    dest.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
        *TARGETS[target],
        "--python-version", f"{sys.version_info.major}{sys.version_info.minor}",
        "--implementation", "cp",
        "-d", str(dest),
        f"PySide6-Essentials=={ver}", f"shiboken6=={ver}",
    ]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode:
        output = proc.stdout + proc.stderr
        if any(marker in output for marker in _OFFLINE_MARKERS):
            pytest.skip(f"no package registry reachable to download the {target} wheels")
        pytest.fail(f"pip download of the {target} PySide6 {ver} wheels failed:\n{output[-3000:]}")
    found = [p for p in dest.glob("*.whl") if p.name.lower().startswith(wanted)]
    assert len(found) == 2, found
    return sorted(found)


@pytest.fixture(scope="session")
def macos_wheels() -> list[Path]:
    return download("macos")


@pytest.fixture(scope="session")
def windows_wheels() -> list[Path]:
    return download("windows")
