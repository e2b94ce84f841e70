"""make_tarball.sh + install.sh + uninstall.sh, on a stand-in onedir (no PyInstaller build)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

import retouch

REPO = Path(__file__).resolve().parents[2]
LINUX = REPO / "packaging" / "linux"

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not shutil.which("bash"), reason="Linux scripts"
)


def _fake_onedir(dist: Path) -> None:
    app = dist / "retouch"
    (app / "_internal").mkdir(parents=True)
    (app / "_internal" / "libpython3.so").write_bytes(b"\x7fELF stand-in")
    exe = app / "retouch"
    exe.write_text(f'#!/bin/sh\necho "retouch {retouch.__version__}"\n')
    exe.chmod(0o755)


def _run(cmd: list[str], home: Path, **kw) -> subprocess.CompletedProcess[str]:
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    return subprocess.run(cmd, env=env, capture_output=True, text=True, check=True, **kw)


@pytest.fixture
def unpacked(tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    _fake_onedir(dist)
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "DIST": str(dist)}
    subprocess.run(
        ["bash", str(LINUX / "make_tarball.sh")], env=env, check=True, capture_output=True
    )
    (tarball,) = dist.glob("retouch-*-linux-*.tar.gz")
    assert f"retouch-{retouch.__version__}-linux-" in tarball.name
    with tarfile.open(tarball) as tar:
        tar.extractall(tmp_path / "unpacked", filter="data")
    (root,) = (tmp_path / "unpacked").iterdir()
    return root


def test_tarball_layout(unpacked: Path) -> None:
    for rel in (
        "install.sh",
        "uninstall.sh",
        "retouch/retouch",
        "share/retouch.desktop",
        "share/io.retouch.Retouch.metainfo.xml",
        "share/icons/retouch-16.png",
        "share/icons/retouch-512.png",
    ):
        assert (unpacked / rel).exists(), rel
    assert os.access(unpacked / "install.sh", os.X_OK)


def test_install_then_uninstall(unpacked: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    _run(["bash", str(unpacked / "install.sh")], home)
    local = home / ".local"
    lib = local / "lib" / "retouch"
    assert (lib / "retouch").is_file()
    assert (lib / "uninstall.sh").is_file()
    link = local / "bin" / "retouch"
    assert link.is_symlink() and link.resolve() == (lib / "retouch").resolve()
    assert _run([str(link), "--version"], home).stdout.strip() == f"retouch {retouch.__version__}"
    desktop = local / "share" / "applications" / "io.retouch.Retouch.desktop"
    text = desktop.read_text()
    assert f"Exec={link} %F" in text
    assert "Icon=retouch" in text
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        assert (local / f"share/icons/hicolor/{size}x{size}/apps/retouch.png").is_file()
    assert (local / "share/metainfo/io.retouch.Retouch.metainfo.xml").is_file()
    # A user's data folder must survive uninstalling.
    data = local / "share" / "Retouch" / "Retouch"
    data.mkdir(parents=True)
    (data / "settings.json").write_text("{}")

    # Reinstalling over an existing install works (upgrade path).
    _run(["bash", str(unpacked / "install.sh")], home)
    assert (lib / "retouch").is_file()

    _run(["bash", str(lib / "uninstall.sh")], home)
    assert not lib.exists()
    assert not link.exists() and not link.is_symlink()
    assert not desktop.exists()
    assert not list((local / "share/icons/hicolor").glob("*/apps/retouch.png"))
    assert (data / "settings.json").is_file()


def test_install_with_prefix(unpacked: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    prefix = tmp_path / "opt"
    _run(["bash", str(unpacked / "install.sh"), "--prefix", str(prefix)], home)
    assert (prefix / "lib/retouch/retouch").is_file()
    assert (prefix / "bin/retouch").is_symlink()
    assert not (home / ".local").exists()
    _run(["bash", str(unpacked / "uninstall.sh"), "--prefix", str(prefix)], home)
    assert not (prefix / "lib/retouch").exists()


def test_uninstall_leaves_a_foreign_command_alone(unpacked: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".local/bin").mkdir(parents=True)
    other = home / ".local/bin/retouch"
    other.write_text("#!/bin/sh\necho someone else's\n")
    _run(["bash", str(unpacked / "uninstall.sh")], home)
    assert other.is_file()
