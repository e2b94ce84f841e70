"""make_tarball.sh + install.sh + uninstall.sh, on a stand-in onedir (no PyInstaller build)."""

from __future__ import annotations

import os
import re
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
    # Answers --version like the real one; records any other call (e.g. --forget-key).
    exe.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = --version ]; then echo "retouch {retouch.__version__}"; exit 0; fi\n'
        'echo "$@" >> "$HOME/retouch-calls"\n'
    )
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
    assert f'Exec="{link}" %F' in text
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


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_prefix_install_is_removed_by_its_own_uninstaller(unpacked: Path, tmp_path: Path) -> None:
    """The copy in PREFIX/lib/retouch knows its prefix (no --prefix needed) and removes every
    file and folder the install made, leaving what was there before."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    prefix = tmp_path / "opt" / "retouch apps"
    (prefix / "share").mkdir(parents=True)
    (prefix / "share" / "someone-else.txt").write_text("keep me")
    before = _tree(tmp_path / "opt")
    _run(["bash", str(unpacked / "install.sh"), "--prefix", str(prefix)], home)
    lib = prefix / "lib/retouch"
    assert (lib / "retouch").is_file()
    assert (prefix / "bin/retouch").is_symlink()
    assert (prefix / "share/icons/hicolor/16x16/apps/retouch.png").is_file()
    assert not (home / ".local").exists()
    manifest = (lib / "install-manifest").read_text()
    assert f"prefix\t{prefix}\n" in manifest

    out = _run(["bash", str(lib / "uninstall.sh")], home).stdout
    assert f"removed from {prefix}" in out
    assert _tree(tmp_path / "opt") == before
    assert not (home / ".local").exists()


def test_uninstall_after_an_upgrade_removes_everything(unpacked: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    prefix = tmp_path / "p"
    for _ in range(2):
        _run(["bash", str(unpacked / "install.sh"), "--prefix", str(prefix)], home)
    _run(["bash", str(prefix / "lib/retouch/uninstall.sh")], home)
    assert not prefix.exists()


def test_uninstall_says_so_when_nothing_is_installed(unpacked: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    proc = subprocess.run(
        ["bash", str(unpacked / "uninstall.sh"), "--prefix", str(tmp_path / "none")],
        env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "not installed" in proc.stderr and "removed" not in proc.stdout


def test_purge_removes_data_and_asks_the_app_to_forget_the_key(
    unpacked: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    _run(["bash", str(unpacked / "install.sh")], home)
    data = home / ".local/share/Retouch/Retouch"
    data.mkdir(parents=True)
    (data / "settings.json").write_text("{}")
    _run(["bash", str(home / ".local/lib/retouch/uninstall.sh"), "--purge"], home)
    assert (home / "retouch-calls").read_text().split() == ["--forget-key"]
    assert not (home / ".local/share/Retouch").exists()


def _desktop_exec_argv(value: str) -> list[str]:
    """The Desktop Entry spec's reading of an Exec value: string escapes first, then quoting."""
    unescaped = re.sub(
        r"\\(.)",
        lambda m: {"s": " ", "n": "\n", "t": "\t", "r": "\r"}.get(
            m.group(1), m.group(1) if m.group(1) == "\\" else "\\" + m.group(1)
        ),
        value,
    )
    args, i = [], 0
    while i < len(unescaped):
        if unescaped[i] == " ":
            i += 1
            continue
        if unescaped[i] == '"':
            j, arg = i + 1, ""
            while unescaped[j] != '"':
                if unescaped[j] == "\\":
                    assert unescaped[j + 1] in '"`$\\', "only these may be escaped in quotes"
                    j += 1
                arg += unescaped[j]
                j += 1
            args.append(arg)
            i = j + 1
        else:
            j = unescaped.find(" ", i)
            j = len(unescaped) if j < 0 else j
            args.append(unescaped[i:j])
            i = j
    return [a.replace("%%", "%") for a in args]


def test_desktop_exec_is_quoted_for_any_prefix(unpacked: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    prefix = tmp_path / 'odd "name" $HOME `x` 100% back\\slash'
    _run(["bash", str(unpacked / "install.sh"), "--prefix", str(prefix)], home)
    desktop = prefix / "share/applications/io.retouch.Retouch.desktop"
    lines = dict(line.split("=", 1) for line in desktop.read_text().splitlines() if "=" in line)
    assert lines["Exec"].startswith('"') and lines["Exec"].endswith(" %F")
    argv = _desktop_exec_argv(lines["Exec"])
    assert argv == [str(prefix / "bin" / "retouch"), "%F"]
    assert lines["TryExec"].replace("\\\\", "\\") == str(prefix / "bin" / "retouch")
    if shutil.which("desktop-file-validate"):
        proc = subprocess.run(
            ["desktop-file-validate", str(desktop)], capture_output=True, text=True, check=False
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_uninstall_leaves_a_foreign_command_alone(unpacked: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    _run(["bash", str(unpacked / "install.sh")], home)
    other = home / ".local/bin/retouch"
    other.unlink()
    other.write_text("#!/bin/sh\necho someone else's\n")
    _run(["bash", str(home / ".local/lib/retouch/uninstall.sh")], home)
    assert other.is_file()
