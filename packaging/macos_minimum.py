"""The oldest macOS a bundle runs on, read from its Mach-O files, and ``LSMinimumSystemVersion``
written from it.

    python packaging/macos_minimum.py dist/Retouch.app            # report; check the ceiling
    python packaging/macos_minimum.py dist/Retouch.app --write    # also set Info.plist
    python packaging/macos_minimum.py dist/Retouch.app --print arch   # arm64, x86_64, universal2

Every Mach-O file (executable, dylib, Python extension, framework binary) states the oldest
macOS it was built for: ``minos`` in its ``LC_BUILD_VERSION`` load command, or
``LC_VERSION_MIN_MACOSX`` in older binaries. The bundle needs the highest of those over the
architecture(s) of its main executable. Writing that into ``LSMinimumSystemVersion`` makes
Finder say "needs macOS N" on an older Mac instead of the app crashing at launch; and since the
minimum otherwise drifts with whatever pip installs, the build fails when it rises above
``--ceiling`` (``MACOS_CEILING`` below, raised on purpose when a dependency requires it).

The parser reads only the Mach-O header and load commands (fat and thin, 32- and 64-bit), with
the standard library: those structures have been stable for two decades, and it lets the tests
read the real PySide6 wheels on any OS without a Mac-only dependency.
"""

from __future__ import annotations

import argparse
import plistlib
import struct
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# The highest minimum we accept without a decision: PySide6 6.11's extension modules and
# libpyside declare macOS 15.0 (its Qt frameworks 13.0). Raise it deliberately, with a note in
# packaging/README.md, when a dependency update needs a newer macOS.
MACOS_CEILING = (15, 0)

LC_REQ_DYLD = 0x80000000
LC_VERSION_MIN_MACOSX = 0x24
LC_BUILD_VERSION = 0x32
PLATFORM_MACOS = 1

FAT_MAGIC = 0xCAFEBABE
FAT_MAGIC_64 = 0xCAFEBABF
MH_MAGIC = 0xFEEDFACE
MH_MAGIC_64 = 0xFEEDFACF

CPU_TYPES = {7: "i386", 0x01000007: "x86_64", 12: "arm", 0x0100000C: "arm64"}

Version = tuple[int, ...]


@dataclass(frozen=True)
class Slice:
    arch: str
    minimum: Version | None  # None: the slice states no macOS minimum


def _decode_version(packed: int) -> Version:
    """``xxxx.yy.zz``: 0x000F0000 -> (15, 0), 0x000D0400 -> (13, 4), 0x000A0F02 -> (10, 15, 2)."""
    major, minor, patch = packed >> 16, (packed >> 8) & 0xFF, packed & 0xFF
    return (major, minor, patch) if patch else (major, minor)


def show(version: Version) -> str:
    return ".".join(str(p) for p in version)


def parse_version(text: str) -> Version:
    return tuple(int(p) for p in text.split("."))


def _thin(data: bytes, offset: int) -> Slice | None:
    if len(data) < offset + 28:
        return None
    magic_le = struct.unpack_from("<I", data, offset)[0]
    magic_be = struct.unpack_from(">I", data, offset)[0]
    if magic_le in (MH_MAGIC, MH_MAGIC_64):
        order, magic = "<", magic_le
    elif magic_be in (MH_MAGIC, MH_MAGIC_64):
        order, magic = ">", magic_be
    else:
        return None
    cputype, _sub, _ftype, ncmds, _size = struct.unpack_from(order + "iiIII", data, offset + 4)
    pos = offset + (32 if magic == MH_MAGIC_64 else 28)
    minimum: Version | None = None
    for _ in range(ncmds):
        if len(data) < pos + 8:
            break
        cmd, cmdsize = struct.unpack_from(order + "II", data, pos)
        cmd &= ~LC_REQ_DYLD
        if cmd == LC_BUILD_VERSION and len(data) >= pos + 16:
            platform, minos = struct.unpack_from(order + "II", data, pos + 8)
            if platform == PLATFORM_MACOS:
                minimum = _decode_version(minos)
        elif cmd == LC_VERSION_MIN_MACOSX and len(data) >= pos + 12:
            minimum = _decode_version(struct.unpack_from(order + "I", data, pos + 8)[0])
        if cmdsize < 8:
            break
        pos += cmdsize
    return Slice(CPU_TYPES.get(cputype, f"cpu{cputype:#x}"), minimum)


def read_slices(data: bytes) -> list[Slice]:
    """Every architecture in a Mach-O file (one for a thin file), or ``[]`` if it is not one."""
    if len(data) < 8:
        return []
    magic = struct.unpack_from(">I", data, 0)[0]
    if magic in (FAT_MAGIC, FAT_MAGIC_64):
        count = struct.unpack_from(">I", data, 4)[0]
        # 0xCAFEBABE is also a Java class file's magic; there the next word is a version >= 45.
        if count == 0 or count > 30:
            return []
        slices = []
        for i in range(count):
            if magic == FAT_MAGIC:
                _cpu, _sub, off, _size, _align = struct.unpack_from(">iiIII", data, 8 + 20 * i)
            else:
                _cpu, _sub, off, _size, _align, _res = struct.unpack_from(
                    ">iiQQII", data, 8 + 32 * i
                )
            thin = _thin(data, off)
            if thin is not None:
                slices.append(thin)
        return slices
    thin = _thin(data, 0)
    return [thin] if thin is not None else []


_MAGICS = (
    {struct.pack(">I", m) for m in (FAT_MAGIC, FAT_MAGIC_64)}
    | {struct.pack("<I", m) for m in (MH_MAGIC, MH_MAGIC_64)}
    | {struct.pack(">I", m) for m in (MH_MAGIC, MH_MAGIC_64)}
)


def looks_like_macho(head: bytes) -> bool:
    return head[:4] in _MAGICS


def macho_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        with path.open("rb") as fh:
            if looks_like_macho(fh.read(4)):
                found.append(path)
    return found


def scan(items: Iterable[tuple[str, bytes]]) -> dict[str, list[Slice]]:
    """``{name: slices}`` for every Mach-O among ``(name, file bytes)`` pairs."""
    result = {}
    for name, data in items:
        slices = read_slices(data)
        if slices:
            result[name] = slices
    return result


def minimum(
    found: dict[str, list[Slice]], archs: Iterable[str] | None = None
) -> tuple[Version, list[str]]:
    """The highest minimum over the slices of *archs* (all when None), and who sets it."""
    wanted = set(archs) if archs is not None else None
    top: Version = ()
    who: list[str] = []
    for name, slices in found.items():
        for s in slices:
            if s.minimum is None or (wanted is not None and s.arch not in wanted):
                continue
            if s.minimum > top:
                top, who = s.minimum, [name]
            elif s.minimum == top and name not in who:
                who.append(name)
    return top, who


def arch_name(archs: Iterable[str]) -> str:
    """``arm64``, ``x86_64``, or ``universal2`` for both."""
    names = set(archs)
    if {"arm64", "x86_64"} <= names:
        return "universal2"
    return "-".join(sorted(names)) or "unknown"


def app_parts(app: Path) -> tuple[Path, Path]:
    """(main executable, Info.plist) of a ``.app``."""
    plist = app / "Contents" / "Info.plist"
    with plist.open("rb") as fh:
        info = plistlib.load(fh)
    return app / "Contents" / "MacOS" / info["CFBundleExecutable"], plist


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("app", type=Path, help="Retouch.app (or a folder of Mach-O files)")
    parser.add_argument("--ceiling", default=show(MACOS_CEILING))
    parser.add_argument("--write", action="store_true", help="set LSMinimumSystemVersion")
    parser.add_argument("--print", choices=("minimum", "arch"), help="print only this")
    args = parser.parse_args(argv)

    is_app = (args.app / "Contents" / "Info.plist").is_file()
    files = macho_files(args.app)
    found = scan((str(p.relative_to(args.app)), p.read_bytes()) for p in files)
    archs = None
    if is_app:
        exe, plist = app_parts(args.app)
        archs = [s.arch for s in read_slices(exe.read_bytes())]
    if args.print == "arch":
        print(arch_name(archs or {s.arch for sl in found.values() for s in sl}))
        return 0
    top, who = minimum(found, archs)
    if args.print == "minimum":
        print(show(top) if top else "none")
        return 0
    ceiling = parse_version(args.ceiling)
    print(f"{len(found)} Mach-O files in {args.app}; architectures: {arch_name(archs or [])}")
    if not top:
        print("no file states a macOS minimum")
        return 1
    names = ", ".join(who[:4]) + (f" (+{len(who) - 4} more)" if len(who) > 4 else "")
    print(f"macOS minimum: {show(top)} (set by {names})")
    if top > ceiling:
        print(
            f"macos_minimum: a dependency raised the minimum to macOS {show(top)}, above the "
            f"ceiling {show(ceiling)}. Pin it lower, or raise MACOS_CEILING on purpose.",
            file=sys.stderr,
        )
        return 1
    if args.write and is_app:
        with plist.open("rb") as fh:
            info = plistlib.load(fh)
        info["LSMinimumSystemVersion"] = show(top)
        with plist.open("wb") as fh:
            plistlib.dump(info, fh)
        print(f"LSMinimumSystemVersion = {show(top)} written to {plist}")
    elif is_app:
        with plist.open("rb") as fh:
            stated = plistlib.load(fh).get("LSMinimumSystemVersion")
        if stated is None or parse_version(stated) < top:
            print(f"Info.plist says LSMinimumSystemVersion {stated}: too low (use --write)")
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
