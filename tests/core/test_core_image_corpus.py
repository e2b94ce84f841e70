"""Every odd image in a public corpus loads or is refused with a clear InputError — none
raises anything else (issue 13 §8).

The corpus is Pillow's own ``Tests/images`` (about a thousand files: every format variant,
truncated and malformed files, fuzzing finds) from the sdist of the Pillow version installed.
It is fetched once from the package registry and kept in a cache folder shared by test runs
(``RETOUCH_TEST_CACHE``, default ``<tmp>/retouch-test-cache``); the test is skipped only when
no registry can be reached and nothing is cached.
"""

from __future__ import annotations

import collections
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path, PurePosixPath

import PIL
import pytest

from retouch.core.errors import InputError
from retouch.core.images import load_image, prepared_bytes

SIMPLE_INDEX = "https://pypi.org/simple/pillow/"
MIN_FILES = 500  # Pillow 10-13 ship 1,000+; far fewer means the fetch went wrong


def _cache_root() -> Path:
    root = os.environ.get("RETOUCH_TEST_CACHE")
    return Path(root) if root else Path(tempfile.gettempdir()) / "retouch-test-cache"


def _sdist_from_index(version: str, dest: Path) -> Path:
    """Download the sdist named in the registry's JSON simple index, checking its sha256."""
    request = urllib.request.Request(
        SIMPLE_INDEX, headers={"Accept": "application/vnd.pypi.simple.v1+json"}
    )
    with urllib.request.urlopen(request, timeout=60) as reply:
        index = json.load(reply)
    name = f"pillow-{version}.tar.gz"
    (entry,) = [f for f in index["files"] if f["filename"].lower() == name]
    target = dest / name
    digest = hashlib.sha256()
    with urllib.request.urlopen(entry["url"], timeout=300) as reply, open(target, "wb") as fh:
        while chunk := reply.read(1 << 20):
            digest.update(chunk)
            fh.write(chunk)
    expected = entry.get("hashes", {}).get("sha256")
    if expected and digest.hexdigest() != expected:
        raise OSError(f"{name}: checksum mismatch")
    return target


def _sdist_from_pip(version: str, dest: Path) -> Path:
    subprocess.run(
        [
            sys.executable, "-m", "pip", "download", "--quiet", "--no-binary", ":all:",
            "--no-deps", f"pillow=={version}", "-d", str(dest),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )  # fmt: skip
    (found,) = dest.glob("pillow-*.tar.gz")
    return found


def _extract_images(sdist: Path, dest: Path) -> None:
    """Only the regular files under Tests/images, written by our own path (no tar paths)."""
    with tarfile.open(sdist) as tar:
        for member in tar:
            parts = PurePosixPath(member.name).parts
            if not member.isfile() or len(parts) < 4 or parts[1:3] != ("Tests", "images"):
                continue
            if any(p in ("", ".", "..") for p in parts) or member.name.startswith("/"):
                continue
            source = tar.extractfile(member)
            if source is None:
                continue
            target = dest.joinpath(*parts[3:])
            target.parent.mkdir(parents=True, exist_ok=True)
            with source, open(target, "wb") as fh:
                shutil.copyfileobj(source, fh)


@pytest.fixture(scope="session")
def pillow_corpus() -> Path:
    version = PIL.__version__
    final = _cache_root() / f"pillow-{version}-images"
    if (final / ".complete").exists():
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="pillow-corpus-", dir=final.parent))
    try:
        errors = []
        sdist = None
        for fetch in (_sdist_from_index, _sdist_from_pip):
            try:
                sdist = fetch(version, work)
                break
            except (OSError, ValueError, KeyError, subprocess.SubprocessError) as exc:
                errors.append(f"{fetch.__name__}: {exc}")
        if sdist is None:
            pytest.skip("no package registry reachable for Pillow's sdist: " + "; ".join(errors))
        images = work / "images"
        _extract_images(sdist, images)
        (images / ".complete").write_text(version)
        try:
            images.rename(final)  # another run may have won the race: theirs is as good
        except OSError:
            pass
    finally:
        shutil.rmtree(work, ignore_errors=True)
    assert (final / ".complete").exists()
    return final


def test_every_file_in_pillows_corpus_loads_or_is_refused(pillow_corpus: Path) -> None:
    files = sorted(p for p in pillow_corpus.rglob("*") if p.is_file() and p.name != ".complete")
    assert len(files) >= MIN_FILES, len(files)
    counts: collections.Counter[str] = collections.Counter()
    crashes = []
    for path in files:
        for path_kind in ("send", "open"):
            try:
                if path_kind == "send":  # prepare_edit's path: check, then re-encode
                    data, mime = prepared_bytes(load_image(path, check_only=True))
                    assert data and mime.startswith("image/")
                else:  # the full decode (thumbnails, the canvas)
                    loaded = load_image(path)
                    assert loaded.image.mode in ("RGB", "RGBA")
                counts[f"{path_kind}: loaded"] += 1
            except InputError as exc:
                assert exc.message and "Traceback" not in exc.message
                counts[f"{path_kind}: refused"] += 1
            except Exception as exc:  # noqa: BLE001 - that is what is being counted
                crashes.append(f"{path.relative_to(pillow_corpus)} ({path_kind}): {exc!r}")
    print(f"\nPillow {PIL.__version__} Tests/images: {len(files)} files, {dict(counts)}")
    assert crashes == []
    # The issue's own finds: these must load, not merely be refused.
    for name in ("16bit.MM.cropped.tif", "16bit.MM.deflate.tif", "1_trns.png"):
        if (pillow_corpus / name).exists():
            loaded = load_image(pillow_corpus / name)
            prepared_bytes(loaded)
    assert counts["send: loaded"] > 400 and counts["send: refused"] > 100


def test_the_corpus_reader_keeps_to_tests_images(tmp_path: Path) -> None:
    """The extraction itself treats the archive as untrusted: only regular files below
    Tests/images, never a path outside the target."""
    sdist = tmp_path / "evil.tar.gz"
    with tarfile.open(sdist, "w:gz") as tar:
        for name, data in [
            ("pillow-1/Tests/images/ok.png", b"png"),
            ("pillow-1/Tests/images/../../../escape.txt", b"no"),
            ("pillow-1/src/other.py", b"no"),
        ]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("pillow-1/Tests/images/link.png")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tar.addfile(link)
    out = tmp_path / "out"
    _extract_images(sdist, out)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == ["ok.png"]
