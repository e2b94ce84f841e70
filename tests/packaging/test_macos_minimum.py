"""packaging/macos_minimum.py: the oldest macOS, read from Mach-O files; tested on the real
macOS PySide6 wheels and on hand-built headers."""

from __future__ import annotations

import plistlib
import struct
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
sys.path.insert(0, str(PACKAGING))

import macos_minimum as mm  # noqa: E402
import pyi_common  # noqa: E402

X86_64, ARM64 = 0x01000007, 0x0100000C


def thin(cpu: int, minos: tuple[int, int] | None, *, old_style: bool = False) -> bytes:
    """A 64-bit Mach-O header with one load command stating *minos*."""
    cmds = b""
    if minos is not None:
        packed = (minos[0] << 16) | (minos[1] << 8)
        if old_style:  # LC_VERSION_MIN_MACOSX: version, sdk
            cmds = struct.pack("<IIII", 0x24, 16, packed, packed)
        else:  # LC_BUILD_VERSION: platform, minos, sdk, ntools
            cmds = struct.pack("<IIIIII", 0x32, 24, 1, packed, packed, 0)
    ncmds = 1 if cmds else 0
    # A segment-like filler command first, so the parser has to walk the list.
    filler = struct.pack("<II", 0x19, 16) + b"\0" * 8
    header = struct.pack("<IiiIIII", 0xFEEDFACF, cpu, 3, 6, ncmds + 1, len(cmds) + 16, 0)
    return header + b"\0" * 4 + filler + cmds


def fat(*slices: tuple[int, bytes]) -> bytes:
    out = struct.pack(">II", 0xCAFEBABE, len(slices))
    offset = 4096
    body = b""
    for cpu, data in slices:
        out += struct.pack(">iiIII", cpu, 3, offset + len(body), len(data), 12)
        body += data + b"\0" * (4096 - len(data) % 4096)
    return out + b"\0" * (offset - len(out)) + body


def test_thin_fat_and_old_style_headers() -> None:
    assert mm.read_slices(thin(ARM64, (11, 0))) == [mm.Slice("arm64", (11, 0))]
    assert mm.read_slices(thin(X86_64, (10, 13), old_style=True)) == [mm.Slice("x86_64", (10, 13))]
    both = fat((X86_64, thin(X86_64, (10, 15))), (ARM64, thin(ARM64, (11, 0))))
    assert mm.read_slices(both) == [mm.Slice("x86_64", (10, 15)), mm.Slice("arm64", (11, 0))]
    assert mm.read_slices(thin(ARM64, None)) == [mm.Slice("arm64", None)]


def test_not_macho() -> None:
    java_class = struct.pack(">IHH", 0xCAFEBABE, 0, 52) + b"\0" * 64
    assert mm.read_slices(java_class) == []
    assert mm.read_slices(b"\x7fELF" + b"\0" * 60) == []
    assert mm.read_slices(b"") == []


def test_minimum_is_the_highest_for_the_architecture() -> None:
    found = mm.scan(
        [
            ("a.so", fat((X86_64, thin(X86_64, (10, 13))), (ARM64, thin(ARM64, (13, 0))))),
            ("b.dylib", thin(X86_64, (12, 0))),
            ("readme.txt", b"hello"),
        ]
    )
    assert set(found) == {"a.so", "b.dylib"}
    assert mm.minimum(found, ["arm64"]) == ((13, 0), ["a.so"])
    assert mm.minimum(found, ["x86_64"]) == ((12, 0), ["b.dylib"])
    assert mm.minimum(found) == ((13, 0), ["a.so"])
    assert mm.arch_name(["arm64", "x86_64"]) == "universal2"
    assert mm.arch_name(["arm64"]) == "arm64"


def make_app(root: Path, exe: bytes, libs: dict[str, bytes], stated: str = "11.0") -> Path:
    app = root / "Retouch.app"
    (app / "Contents" / "MacOS").mkdir(parents=True)
    (app / "Contents" / "MacOS" / "retouch").write_bytes(exe)
    for name, data in libs.items():
        path = app / "Contents" / "Frameworks" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    info = {"CFBundleExecutable": "retouch", "LSMinimumSystemVersion": stated}
    (app / "Contents" / "Info.plist").write_bytes(plistlib.dumps(info))
    return app


def plist_minimum(app: Path) -> str:
    return plistlib.loads((app / "Contents" / "Info.plist").read_bytes())["LSMinimumSystemVersion"]


def test_the_script_writes_the_minimum_of_the_app_architecture(tmp_path: Path, capsys) -> None:
    lib = fat((X86_64, thin(X86_64, (14, 0))), (ARM64, thin(ARM64, (13, 0))))
    app = make_app(tmp_path, thin(ARM64, (11, 0)), {"PySide6/QtCore.abi3.so": lib})
    assert mm.main([str(app)]) == 1  # Info.plist says 11.0: too low
    assert mm.main([str(app), "--write"]) == 0
    assert plist_minimum(app) == "13.0"  # the arm64 slice; x86_64's 14.0 does not apply
    assert mm.main([str(app)]) == 0
    assert mm.main([str(app), "--print", "arch"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "arm64"


def test_the_build_fails_above_the_ceiling(tmp_path: Path, capsys) -> None:
    app = make_app(tmp_path, thin(ARM64, (11, 0)), {"lib.dylib": thin(ARM64, (26, 0))})
    assert mm.main([str(app), "--write"]) == 1
    assert "above the ceiling" in capsys.readouterr().err
    assert plist_minimum(app) == "11.0"  # nothing written
    assert mm.main([str(app), "--write", "--ceiling", "26.0"]) == 0
    assert plist_minimum(app) == "26.0"


def test_the_spec_helper_refuses_a_minimum_above_the_ceiling(tmp_path: Path) -> None:
    ok = tmp_path / "ok.so"
    ok.write_bytes(thin(ARM64, (12, 0)))
    high = tmp_path / "high.so"
    high.write_bytes(thin(ARM64, (99, 0)))
    toc = [("ok.so", str(ok), "EXTENSION")]
    assert pyi_common.macos_minimum_of(toc, "arm64") == ("12.0", ["ok.so"])
    with pytest.raises(SystemExit, match="above the ceiling"):
        pyi_common.macos_minimum_of([*toc, ("high.so", str(high), "BINARY")], "arm64")


# -- the real wheels ------------------------------------------------------------------------


def wheel_machos(wheels: list[Path]) -> dict[str, list[mm.Slice]]:
    found: dict[str, list[mm.Slice]] = {}
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as zf:
            for name in zf.namelist():
                with zf.open(name) as fh:
                    if not mm.looks_like_macho(fh.read(4)):
                        continue
                found.update(mm.scan([(name, zf.read(name))]))
    return found


def test_real_macos_wheels(macos_wheels: list[Path]) -> None:
    found = wheel_machos(macos_wheels)
    assert "PySide6/Qt/lib/QtCore.framework/Versions/A/QtCore" in found
    # What the bundle takes: the spec's Qt filter applied as for a macOS build.
    keeps = pyi_common.QtFilter([pyi_common.PACKAGE], platform="darwin").keeps
    kept = {name: s for name, s in found.items() if keeps(name)}
    wheel_tag = tuple(int(x) for x in macos_wheels[0].name.split("macosx_")[1].split("_")[:2])
    for arch in ("arm64", "x86_64"):
        top, who = mm.minimum(kept, [arch])
        frameworks, _ = mm.minimum({n: s for n, s in kept.items() if ".framework/" in n}, [arch])
        print(
            f"{arch}: bundle minimum macOS {mm.show(top)} (Qt frameworks {mm.show(frameworks)}; "
            f"set by {len(who)} files, e.g. {who[:2]}); wheel tag {wheel_tag}"
        )
        # The wheel's tag promises less than its own binaries need: that is why the minimum
        # is read from the binaries, not from the tag.
        assert top >= wheel_tag
        assert top >= frameworks
        assert top <= mm.MACOS_CEILING, "PySide6 raised the macOS minimum above the ceiling"
        assert "PySide6/QtCore.abi3.so" in kept
        assert any(s.arch == arch and s.minimum == top for s in kept[who[0]])
