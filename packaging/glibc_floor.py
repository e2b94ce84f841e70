"""The oldest Linux a bundle runs on: the highest ``GLIBC_`` (and ``GLIBCXX_``) symbol version
any of its ELF files requires.

    python packaging/glibc_floor.py dist/retouch                    # report, check the floor
    python packaging/glibc_floor.py dist/retouch --max-glibc 2.35   # the default: Ubuntu 22.04

The dynamic loader refuses to start a program (or load a library) that asks for a symbol version
the system's glibc lacks ("version `GLIBC_2.36' not found"). Each ELF file lists what it needs
in its version references (``.gnu.version_r``); ``objdump -p`` prints them (binutils, which
PyInstaller needs on Linux anyway).

``GLIBCXX_``/``CXXABI_`` matter too once the build leaves libstdc++ to the system (see
``pyi_common.drop_host_libraries_above_floor``): 3.4.30 is Ubuntu 22.04's libstdc++ (GCC 12).

The spec uses :func:`requirements` to leave out host libraries that would raise the floor;
``.ci/run`` and the release workflow run this script on the finished bundle. Exit status 1 when
a file needs more than the floor.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

# Ubuntu 22.04 LTS: glibc 2.35, libstdc++ from GCC 12.
DEFAULT_MAX = {"GLIBC": (2, 35), "GLIBCXX": (3, 4, 30), "CXXABI": (1, 3, 13)}
_VERSION = re.compile(r"\b(GLIBC|GLIBCXX|CXXABI)_(\d+(?:\.\d+)*)\b")
_FILE = re.compile(r"^(.*):\s+file format ", re.MULTILINE)

Version = tuple[int, ...]


def parse_version(text: str) -> Version:
    return tuple(int(p) for p in text.split("."))


def show(version: Version) -> str:
    return ".".join(str(p) for p in version)


def is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(4) == b"\x7fELF"
    except OSError:
        return False


def elf_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root] if is_elf(root) else []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink() and is_elf(p))


_ELF_MACHINES = {0x03: "i686", 0x3E: "x86_64", 0x28: "armv7l", 0xB7: "aarch64", 0xF3: "riscv64"}


def elf_arch(path: Path) -> str | None:
    """The architecture an ELF file is built for (``x86_64``, ``aarch64``), from its header."""
    try:
        with path.open("rb") as fh:
            head = fh.read(20)
    except OSError:
        return None
    if len(head) < 20 or head[:4] != b"\x7fELF":
        return None
    order = "little" if head[5] == 1 else "big"
    return _ELF_MACHINES.get(int.from_bytes(head[18:20], order))


def _version_references(objdump_output: str) -> dict[str, dict[str, Version]]:
    """``{file: {"GLIBC": highest, ...}}`` from ``objdump -p`` output for one or more files."""
    found: dict[str, dict[str, Version]] = {}
    starts = [(m.start(), m.group(1)) for m in _FILE.finditer(objdump_output)]
    for i, (start, name) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(objdump_output)
        block = objdump_output[start:end]
        refs = block.split("Version References:", 1)
        highest: dict[str, Version] = {}
        if len(refs) == 2:
            # Only what the file *requires* (not the versions a library itself defines).
            for kind, text in _VERSION.findall(refs[1]):
                version = parse_version(text)
                if version > highest.get(kind, ()):
                    highest[kind] = version
        found[name.strip()] = highest
    return found


def requirements(
    paths: Iterable[Path], objdump: str | None = None
) -> dict[Path, dict[str, Version]]:
    """The highest GLIBC/GLIBCXX/CXXABI version each ELF file in *paths* requires."""
    tool = objdump or shutil.which("objdump")
    if not tool:
        raise SystemExit("objdump not found: install binutils")
    paths = [Path(p) for p in paths]
    result: dict[Path, dict[str, Version]] = {}
    for i in range(0, len(paths), 64):  # keep each command line short
        chunk = paths[i : i + 64]
        proc = subprocess.run(
            [tool, "-p", *map(str, chunk)], capture_output=True, text=True, check=False
        )
        parsed = _version_references(proc.stdout)
        for path in chunk:
            result[path] = parsed.get(str(path), {})
    return result


def highest(reqs: dict[Path, dict[str, Version]], kind: str) -> tuple[Version, list[Path]]:
    """The highest *kind* version required, and the files that require it."""
    top: Version = ()
    files: list[Path] = []
    for path, needs in reqs.items():
        version = needs.get(kind)
        if version is None:
            continue
        if version > top:
            top, files = version, [path]
        elif version == top:
            files.append(path)
    return top, files


def check(root: Path, maxima: dict[str, Version]) -> tuple[bool, list[str]]:
    files = elf_files(root)
    reqs = requirements(files)
    ok = True
    lines = [f"{len(files)} ELF files in {root}"]
    for kind, limit in maxima.items():
        top, where = highest(reqs, kind)
        if not top:
            lines.append(f"{kind}: none required")
            continue
        verdict = "ok" if top <= limit else "TOO NEW"
        ok &= top <= limit
        names = ", ".join(str(p.relative_to(root) if root.is_dir() else p) for p in where[:4])
        more = f" (+{len(where) - 4} more)" if len(where) > 4 else ""
        lines.append(
            f"{kind}: highest required {kind}_{show(top)} (limit {show(limit)}: {verdict}) "
            f"by {names}{more}"
        )
        if top > limit:
            for path, needs in sorted(reqs.items()):
                if needs.get(kind, ()) > limit:
                    lines.append(f"    {path}: {kind}_{show(needs[kind])}")
    return ok, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="the onedir (dist/retouch) or one ELF file")
    parser.add_argument(
        "--print",
        choices=("glibc", "arch"),
        help="only print the highest GLIBC version required, or the executable's architecture",
    )
    for kind, default in DEFAULT_MAX.items():
        parser.add_argument(
            f"--max-{kind.lower()}", default=show(default), help=f"default {show(default)}"
        )
    args = parser.parse_args(argv)
    maxima = {kind: parse_version(getattr(args, f"max_{kind.lower()}")) for kind in DEFAULT_MAX}
    if not args.root.exists():
        print(f"glibc_floor: {args.root} does not exist", file=sys.stderr)
        return 2
    if args.print == "arch":
        print(elf_arch(args.root) or "unknown")
        return 0
    if args.print == "glibc":
        top, _ = highest(requirements(elf_files(args.root)), "GLIBC")
        print(show(top) if top else "none")
        return 0
    ok, lines = check(args.root, maxima)
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
