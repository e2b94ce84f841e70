"""Sign Retouch.app inside-out for the hardened runtime (no ``codesign --deep``).

    python packaging/macos/sign_app.py dist/Retouch.app --identity "Developer ID Application: ..."
    python packaging/macos/sign_app.py dist/Retouch.app --identity - --dry-run   # print the plan

Apple's rule: sign every nested piece of code before what contains it, each on its own, and
never with ``--deep`` (it signs nested code without its own options and entitlements, and
Apple recommends against it). So, in this order:

1. every Mach-O file inside the bundle (dylibs, Python extensions, framework binaries, helper
   executables), deepest path first, with the hardened runtime (``--options runtime``) and a
   secure timestamp;
2. each ``.framework`` bundle, deepest first (its binary is already signed);
3. the main executable, with ``entitlements.plist``;
4. the ``.app`` itself, with the same entitlements;

then ``codesign --verify --strict`` on the app. ``--identity -`` signs ad hoc (no timestamp, no
hardened runtime), which is what an unsigned local build gets.
"""

from __future__ import annotations

import argparse
import plistlib
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from macos_minimum import looks_like_macho  # noqa: E402

ENTITLEMENTS = HERE / "entitlements.plist"


def _depth_first(paths: list[Path]) -> list[Path]:
    return sorted(paths, key=lambda p: (-len(p.parts), str(p)))


def nested_code(app: Path) -> tuple[list[Path], list[Path], Path]:
    """(Mach-O files other than the main executable, .framework bundles, main executable)."""
    with (app / "Contents" / "Info.plist").open("rb") as fh:
        main_exe = app / "Contents" / "MacOS" / plistlib.load(fh)["CFBundleExecutable"]
    files, frameworks = [], []
    for path in (app / "Contents").rglob("*"):
        if path.is_symlink():
            continue  # signed through what it points to
        if path.is_dir() and path.suffix == ".framework":
            frameworks.append(path)
        elif path.is_file() and path != main_exe:
            with path.open("rb") as fh:
                if looks_like_macho(fh.read(4)):
                    files.append(path)
    return _depth_first(files), _depth_first(frameworks), main_exe


def plan(app: Path, identity: str, entitlements: Path = ENTITLEMENTS) -> list[list[str]]:
    files, frameworks, main_exe = nested_code(app)
    base = ["codesign", "--force", "--sign", identity]
    if identity != "-":
        # An ad hoc signature has no Team ID, so the runtime's library validation would refuse
        # the bundled libraries: the hardened runtime is for real identities only.
        base += ["--options", "runtime", "--timestamp"]
    with_ents = [*base, "--entitlements", str(entitlements)]
    commands = [[*base, str(p)] for p in files]
    commands += [[*base, str(p)] for p in frameworks]
    commands.append([*with_ents, str(main_exe)])
    commands.append([*with_ents, str(app)])
    commands.append(["codesign", "--verify", "--strict", "--verbose=2", str(app)])
    return commands


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("app", type=Path)
    parser.add_argument("--identity", required=True, help='"Developer ID Application: ..." or -')
    parser.add_argument("--entitlements", type=Path, default=ENTITLEMENTS)
    parser.add_argument("--dry-run", action="store_true", help="print the commands only")
    args = parser.parse_args(argv)
    commands = plan(args.app, args.identity, args.entitlements)
    for cmd in commands:
        if args.dry_run:
            print(" ".join(cmd))
            continue
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode:
            sys.stderr.write(proc.stdout + proc.stderr)
            print(f"sign_app: failed: {' '.join(cmd)}", file=sys.stderr)
            return 1
    if not args.dry_run:
        print(f"signed {len(commands) - 1} items of {args.app} inside-out, verified")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
