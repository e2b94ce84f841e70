"""On-disk thumbnail cache (Pillow, no Qt), safe to call from worker threads.

Layout: ``thumbs/<h[:2]>/<h>/<mtime_ns>-<size>.<ext>`` where ``h`` hashes the source path. All
thumbnails of one source share a folder, so deleting a source's thumbnails is one ``rmtree`` and
a stale one (source rewritten, new mtime) is replaced in place.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import warnings
from pathlib import Path

from retouch.core.atomic import atomic_write_bytes

THUMB_EXTS = (".jpg", ".png")


class ThumbnailError(RuntimeError):
    """The source image is missing or cannot be decoded."""


def render_thumbnail(source: Path, size: int) -> tuple[bytes, str]:
    """Decode *source* cheaply and return (encoded thumbnail, extension) fitting size×size."""
    # Pillow on first use (a pool thread), not with the window that opens the store.
    from PIL import Image, ImageOps

    try:
        with warnings.catch_warnings():
            # A decompression bomb must fail, not just warn, before it eats the worker's memory.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as im:
                if im.format == "JPEG":
                    # Lets libjpeg decode at 1/2, 1/4 or 1/8 scale: the big win for photos.
                    im.draft("RGB", (size, size))
                im = ImageOps.exif_transpose(im)  # camera photos are often stored sideways
                im.thumbnail((size, size), Image.Resampling.BICUBIC, reducing_gap=2.0)
                has_alpha = im.mode in ("RGBA", "LA", "PA") or (
                    im.mode == "P" and "transparency" in im.info
                )
                buf = io.BytesIO()
                if has_alpha:
                    im.convert("RGBA").save(buf, "PNG", compress_level=3)
                    return buf.getvalue(), ".png"
                im.convert("RGB").save(buf, "JPEG", quality=85)
                return buf.getvalue(), ".jpg"
    except (
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise ThumbnailError(f"cannot make a thumbnail of {source}: {exc}") from exc


class ThumbnailCache:
    def __init__(self, folder: Path, base: Path | None = None) -> None:
        self.folder = Path(folder)
        # Paths under *base* are keyed relative to it, so the cache survives moving the store.
        self.base = Path(base) if base is not None else None

    def _key_dir(self, source: Path) -> Path:
        src = Path(source)
        key = str(src)
        if self.base is not None:
            try:
                key = src.relative_to(self.base).as_posix()
            except ValueError:
                key = str(src.resolve())
        digest = hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()
        return self.folder / digest[:2] / digest

    def cached(self, source: Path, size: int = 160) -> Path | None:
        """The cached thumbnail if it is present and current, without generating anything."""
        try:
            mtime = os.stat(source).st_mtime_ns
        except OSError:
            return None
        folder = self._key_dir(source)
        for ext in THUMB_EXTS:
            candidate = folder / f"{mtime}-{size}{ext}"
            if candidate.exists():
                return candidate
        return None

    def get(self, source: Path, size: int = 160, *, regenerate: bool = False) -> Path:
        """Path of a thumbnail of *source* at most *size* px on its long edge.

        Served from the cache when the source's mtime is unchanged; otherwise generated from
        the full image and written atomically. ``regenerate`` rebuilds a cached file that
        turned out to be unreadable.
        """
        try:
            mtime = os.stat(source).st_mtime_ns
        except OSError as exc:
            raise ThumbnailError(f"cannot make a thumbnail of {source}: {exc}") from exc
        folder = self._key_dir(source)
        stem = f"{mtime}-{size}"
        if not regenerate:
            for ext in THUMB_EXTS:
                candidate = folder / f"{stem}{ext}"
                if candidate.exists():
                    return candidate
        data, ext = render_thumbnail(Path(source), size)
        target = atomic_write_bytes(folder / f"{stem}{ext}", data)
        self._drop_stale(folder, mtime, keep=target)
        return target

    def _drop_stale(self, folder: Path, mtime: int, keep: Path) -> None:
        # Thumbnails of an older version of the source can never be served again.
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith(f"{mtime}-") or entry.path == str(keep):
                continue
            if entry.name.endswith(THUMB_EXTS):
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass

    def size_for(self, source: Path) -> int:
        """Bytes held by thumbnails of *source*."""
        folder = self._key_dir(source)
        total = 0
        try:
            for entry in os.scandir(folder):
                try:
                    total += entry.stat().st_size
                except OSError:
                    pass
        except OSError:
            return 0
        return total

    def remove_for(self, source: Path) -> int:
        """Delete every thumbnail of *source*; return the bytes freed."""
        freed = self.size_for(source)
        shutil.rmtree(self._key_dir(source), ignore_errors=True)
        return freed
