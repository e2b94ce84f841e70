"""One version everywhere: the release tag, ``retouch.__version__``, the AppStream release and
what the installers and the frozen app say.

    python packaging/check_version.py                          # the sources agree
    python packaging/check_version.py --tag v0.2.0             # ... and the tag
    python packaging/check_version.py --frozen dist/retouch/retouch --artifact dist/*.tar.gz

Checked:

* ``retouch.__version__`` is a PEP 440 version with a Windows numeric form
  (``pyi_common.windows_numeric_version``: what ``VersionInfoVersion`` gets);
* the newest ``<release>`` in ``packaging/linux/io.retouch.Retouch.metainfo.xml`` is that version;
* the tag (``--tag``, or ``GITHUB_REF_NAME`` when ``GITHUB_REF_TYPE=tag``), without a leading
  ``v``, is that version;
* ``--frozen EXE``: ``EXE --version`` prints ``retouch <version>``;
* ``--artifact FILE``: the installer's or archive's name carries ``-<version>-``;
* ``--info-plist FILE``: ``CFBundleShortVersionString`` is the version;
* ``--installed-version TEXT``: what an installed copy reports (the Windows uninstall entry's
  ``DisplayVersion``) is the version.

Prints one line per check; exit status 1 on any mismatch.
"""

from __future__ import annotations

import argparse
import os
import plistlib
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import pyi_common  # noqa: E402

METAINFO = HERE / "linux" / "io.retouch.Retouch.metainfo.xml"


def metainfo_release(path: Path = METAINFO) -> str | None:
    """The newest release listed (AppStream lists releases newest first)."""
    root = ET.parse(path).getroot()
    release = root.find("./releases/release")
    return release.get("version") if release is not None else None


def tag_from_env(env: dict[str, str] | os._Environ[str] = os.environ) -> str | None:
    if env.get("GITHUB_REF_TYPE") == "tag":
        return env.get("GITHUB_REF_NAME") or None
    return None


def strip_tag(tag: str) -> str:
    return tag[1:] if tag[:1] in ("v", "V") else tag


def checks(
    version: str,
    *,
    tag: str | None = None,
    metainfo: Path = METAINFO,
    frozen: list[Path] = (),  # type: ignore[assignment]
    artifacts: list[Path] = (),  # type: ignore[assignment]
    info_plists: list[Path] = (),  # type: ignore[assignment]
    installed: list[str] = (),  # type: ignore[assignment]
) -> list[tuple[bool, str]]:
    results: list[tuple[bool, str]] = []
    try:
        numeric = ".".join(map(str, pyi_common.windows_numeric_version(version)))
        results.append((True, f"retouch.__version__ {version} (Windows {numeric})"))
    except ValueError as exc:
        results.append((False, f"retouch.__version__: {exc}"))
    released = metainfo_release(metainfo)
    results.append((released == version, f"AppStream newest release {released} ({metainfo.name})"))
    if tag is not None:
        results.append((strip_tag(tag) == version, f"tag {tag}"))
    for exe in frozen:
        try:
            proc = subprocess.run(
                [str(exe), "--version"], capture_output=True, text=True, timeout=120, check=False
            )
            said = proc.stdout.strip()
        except OSError as exc:
            said = f"could not run: {exc}"
        results.append((said == f"retouch {version}", f"{exe} --version: {said!r}"))
    for artifact in artifacts:
        results.append((f"-{version}-" in artifact.name, f"artifact {artifact.name}"))
    for plist in info_plists:
        with plist.open("rb") as fh:
            shown = plistlib.load(fh).get("CFBundleShortVersionString")
        results.append((shown == version, f"{plist}: CFBundleShortVersionString {shown}"))
    for text in installed:
        results.append((text.strip() == version, f"installed version {text.strip()}"))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tag", help="the release tag (default: GITHUB_REF_NAME for a tag)")
    parser.add_argument("--frozen", type=Path, action="append", default=[])
    parser.add_argument("--artifact", type=Path, action="append", default=[])
    parser.add_argument("--info-plist", type=Path, action="append", default=[])
    parser.add_argument("--installed-version", action="append", default=[])
    args = parser.parse_args(argv)
    version = pyi_common.version()
    results = checks(
        version,
        tag=args.tag if args.tag is not None else tag_from_env(),
        frozen=args.frozen,
        artifacts=args.artifact,
        info_plists=args.info_plist,
        installed=args.installed_version,
    )
    for ok, text in results:
        print(f"{'ok      ' if ok else 'MISMATCH'} {text}")
    if all(ok for ok, _ in results):
        print(f"version check passed: {version}")
        return 0
    print(f"version check FAILED: expected {version} everywhere", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
