"""The Linux glibc floor: what packaging/glibc_floor.py reads, and the spec's filter that keeps
host libraries needing a newer glibc out of the bundle."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
sys.path.insert(0, str(PACKAGING))

import glibc_floor  # noqa: E402
import pyi_common  # noqa: E402

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not shutil.which("objdump"),
    reason="Linux with binutils",
)

OBJDUMP = """
/a/libone.so:     file format elf64-x86-64

Dynamic Section:
  NEEDED               libc.so.6

Version definitions:
1 0x01 0x0 libone.so
2 0x00 0x0 GLIBC_2.99

Version References:
  required from libc.so.6:
    0x09691a75 0x00 03 GLIBC_2.2.5
    0x069691b4 0x00 04 GLIBC_2.34
  required from libstdc++.so.6:
    0x0297f870 0x00 05 GLIBCXX_3.4.29
    0x056bafd3 0x00 06 CXXABI_1.3.13

/b/libtwo.so:     file format elf64-x86-64

Dynamic Section:
  NEEDED               libm.so.6

/c/libthree.so:     file format elf64-x86-64

Version References:
  required from libc.so.6:
    0x0d696914 0x00 02 GLIBC_2.4
"""


def test_version_references_are_what_each_file_requires() -> None:
    found = glibc_floor._version_references(OBJDUMP)
    # GLIBC_2.99 is a version libone *defines*, not one it needs.
    assert found["/a/libone.so"] == {"GLIBC": (2, 34), "GLIBCXX": (3, 4, 29), "CXXABI": (1, 3, 13)}
    assert found["/b/libtwo.so"] == {}
    assert found["/c/libthree.so"] == {"GLIBC": (2, 4)}
    reqs = {Path(k): v for k, v in found.items()}
    assert glibc_floor.highest(reqs, "GLIBC") == ((2, 34), [Path("/a/libone.so")])


def _host_library(name: str) -> Path:
    """The system's own copy of *name*, for this machine's architecture."""
    import platform

    out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=False).stdout
    for line in out.splitlines():
        if line.strip().startswith(name + " ") and "=>" in line:
            path = Path(line.split("=>")[-1].strip())
            if glibc_floor.elf_arch(path) == platform.machine():
                return path
    pytest.skip(f"{name} not found by ldconfig")


@linux_only
def test_a_real_library_and_the_check(tmp_path: Path) -> None:
    lib = _host_library("libstdc++.so.6")
    (needs,) = glibc_floor.requirements([lib]).values()
    assert needs["GLIBC"] >= (2, 2, 5)
    bundle = tmp_path / "bundle" / "_internal"
    bundle.mkdir(parents=True)
    shutil.copy(lib, bundle / lib.name)
    (bundle / "notes.txt").write_text("not an ELF file")
    ok, lines = glibc_floor.check(bundle.parent, {"GLIBC": needs["GLIBC"]})
    assert ok and "1 ELF files" in lines[0]
    too_low = (*needs["GLIBC"][:-1], needs["GLIBC"][-1] - 1)
    ok, lines = glibc_floor.check(bundle.parent, {"GLIBC": too_low})
    assert not ok
    assert any("TOO NEW" in line and lib.name in line for line in lines)
    assert glibc_floor.main([str(bundle.parent), "--max-glibc", "2.0"]) == 1
    big = "99.0"
    assert glibc_floor.main([str(bundle.parent), "--max-glibc", big]) == 0


@linux_only
def test_elf_arch_reads_the_header() -> None:
    import platform

    assert glibc_floor.elf_arch(Path(sys.executable).resolve()) == platform.machine()
    assert glibc_floor.elf_arch(REPO / "README.md") is None


@linux_only
def test_host_libraries_above_the_floor_are_left_out() -> None:
    host = _host_library("libstdc++.so.6")
    (needs,) = glibc_floor.requirements([host]).values()
    import PySide6

    wheel_lib = next((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libQt6Core.so*"))
    toc = [
        ("libstdc++.so.6", str(host), "BINARY"),
        ("PySide6/Qt/lib/libQt6Core.so.6", str(wheel_lib), "BINARY"),
        ("base_library.zip", "/x/base_library.zip", "DATA"),
    ]
    assert pyi_common.is_host_library(str(host))
    assert not pyi_common.is_host_library(str(wheel_lib))
    kept, dropped = pyi_common.drop_host_libraries_above_floor(toc, floor=needs["GLIBC"])
    assert kept == toc and dropped == []
    below = (*needs["GLIBC"][:-1], needs["GLIBC"][-1] - 1)
    kept, dropped = pyi_common.drop_host_libraries_above_floor(toc, floor=below)
    assert [e[0] for e in kept] == ["PySide6/Qt/lib/libQt6Core.so.6", "base_library.zip"]
    assert dropped == [("libstdc++.so.6", f"GLIBC_{glibc_floor.show(needs['GLIBC'])}")]
    # A wheel's library is never dropped, however new: the check fails the build instead.
    kept, _ = pyi_common.drop_host_libraries_above_floor(toc, floor=(1, 0))
    assert [e[0] for e in kept] == ["PySide6/Qt/lib/libQt6Core.so.6", "base_library.zip"]


def test_floor_default_is_ubuntu_2204(monkeypatch) -> None:
    monkeypatch.delenv("RETOUCH_GLIBC_FLOOR", raising=False)
    assert pyi_common.glibc_floor() == (2, 35) == glibc_floor.DEFAULT_MAX["GLIBC"]
    monkeypatch.setenv("RETOUCH_GLIBC_FLOOR", "2.31")
    assert pyi_common.glibc_floor() == (2, 31)
