"""Undo snapshots of mask pixels: a region's alpha before and after one edit.

``MaskLayer`` captures and restores them; ``undo.RegionCommand`` holds one ``RegionEdit``
per step. Only the alpha (the mask itself) is kept, compressed when big, so a long undo
history of a 4K mask stays small.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from PySide6.QtCore import QRect
from PySide6.QtGui import QImage

Fmt = QImage.Format

# Undo snapshots bigger than this many pixels are zlib-compressed: masks are long runs of 0 and
# 255, so they shrink 50-1000x, and level 1 keeps a full 4K snapshot well under 50 ms.
COMPRESS_MIN_PIXELS = 256 * 1024


class RegionSnapshot:
    """Mask alpha over ``rect``: an optional uniform base value plus an optional 8-bit patch.

    This lets a full-mask step (clear, fill, import) store only the bounding box of its non-zero
    pixels, and lets big patches live zlib-compressed instead of as raw pixels.
    """

    __slots__ = ("_bpl", "_image", "_patch_rect", "_zdata", "base", "rect")

    def __init__(
        self,
        rect: QRect,
        *,
        base: int | None = None,
        patch_rect: QRect | None = None,
        patch: QImage | None = None,
    ) -> None:
        self.rect = QRect(rect)
        self.base = base
        self._patch_rect = QRect(patch_rect) if patch_rect is not None else None
        self._image: QImage | None = None
        self._zdata: bytes | None = None
        self._bpl = 0
        if patch is not None:
            assert patch.format() == Fmt.Format_Alpha8
            if patch.width() * patch.height() >= COMPRESS_MIN_PIXELS:
                self._bpl = patch.bytesPerLine()
                self._zdata = zlib.compress(bytes(patch.constBits()), 1)
            else:
                self._image = patch

    @property
    def patch_rect(self) -> QRect | None:
        return self._patch_rect

    def patch(self) -> QImage | None:
        """The 8-bit alpha patch (decompressed if needed), or None for a uniform snapshot."""
        if self._image is not None:
            return self._image
        if self._zdata is None or self._patch_rect is None:
            return None
        raw = zlib.decompress(self._zdata)
        r = self._patch_rect
        return QImage(raw, r.width(), r.height(), self._bpl, Fmt.Format_Alpha8).copy()

    @property
    def nbytes(self) -> int:
        """Bytes this snapshot holds (pixel data only; Python object overhead is ~constant)."""
        if self._image is not None:
            return int(self._image.sizeInBytes())
        if self._zdata is not None:
            return len(self._zdata)
        return 0


@dataclass(frozen=True)
class RegionEdit:
    """One undoable change: the pixels of ``rect`` before and after."""

    rect: QRect
    before: RegionSnapshot
    after: RegionSnapshot

    @property
    def nbytes(self) -> int:
        return self.before.nbytes + self.after.nbytes
