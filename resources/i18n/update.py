"""Refresh the translation catalogues from the source, and compile them.

    .venv/bin/python resources/i18n/update.py          # lupdate, then lrelease
    .venv/bin/python resources/i18n/update.py --check  # exit 1 if a catalogue is stale

``pyside6-lupdate`` (in PySide6-Essentials) collects every ``self.tr(…)``,
``translate(context, …)`` and ``QT_TRANSLATE_NOOP(context, …)`` under ``desktop/retouch``
(the window's strings and the core's translatable messages, see ``retouch/core/i18n.py``)
into ``retouch_<lang>.ts``, keeping the translations already there and marking strings that
left the source as obsolete (``-no-obsolete`` drops them). ``pyside6-lrelease`` compiles each
``.ts`` into the ``.qm`` the app loads. Both files are committed, so a fresh checkout and the
frozen app (``packaging/retouch.spec`` bundles ``resources/``) have the catalogues without
a build step; ``tests/ui/test_translation.py`` fails when a ``.qm`` is older than its source.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parents[1] / "desktop" / "retouch"
LANGUAGES = ("de",)


def tool(name: str) -> str:
    """The PySide6 tool next to this Python (the venv's bin or Scripts folder), else PATH."""
    here = Path(sys.executable).parent
    for candidate in (here / name, here / f"{name}.exe"):
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6-Essentials")
    return found


def sources() -> list[str]:
    return sorted(str(p) for p in SOURCE.rglob("*.py") if "__pycache__" not in p.parts)


def update(ts: Path) -> None:
    subprocess.run(
        [tool("pyside6-lupdate"), "-no-obsolete", "-locations", "none", *sources(), "-ts", str(ts)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    # lupdate takes every ``#:`` comment above a string as a note for translators; in this
    # code they document attributes. Dropped, so editing a comment never makes a catalogue
    # stale.
    text = ts.read_text("utf-8")
    stripped = re.sub(r"\n\s*<extracomment>.*?</extracomment>", "", text, flags=re.S)
    ts.write_text(stripped, "utf-8", newline="\n")


def release(ts: Path, qm: Path) -> None:
    subprocess.run(
        [tool("pyside6-lrelease"), "-nounfinished", str(ts), "-qm", str(qm)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether a .ts is stale")
    args = parser.parse_args()
    stale = []
    for lang in LANGUAGES:
        ts, qm = HERE / f"retouch_{lang}.ts", HERE / f"retouch_{lang}.qm"
        if args.check:
            with tempfile.TemporaryDirectory() as tmp:
                copy = Path(tmp) / ts.name
                shutil.copy(ts, copy)
                update(copy)
                if copy.read_text("utf-8") != ts.read_text("utf-8"):
                    stale.append(ts.name)
            continue
        update(ts)
        release(ts, qm)
        print(f"{ts.name} → {qm.name}")
    if stale:
        print("stale (run resources/i18n/update.py):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
