"""The mask pixels and every operation on them; no widget code lives here.

Storage: one ``Format_ARGB32_Premultiplied`` image the size of the edited image. Only the alpha
channel carries the mask (0 = keep, 255 = edit); the colour channels hold the overlay colour
premultiplied by that alpha, so the view can draw the mask directly, without a per-frame tint
pass. ARGB32_Premultiplied is Qt's native raster format: anti-aliased dabs on it measured 5–7×
faster than on Grayscale8, and the single-channel image is produced only on export.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Iterable

# Qt classes first needed after the window's first paint are reached through their module
# (QtWidgets.QMessageBox): PySide6 builds a class, enums and all, when it is first touched.
from PySide6 import QtGui
from PySide6.QtCore import (
    QObject,
    QPointF,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPainterPath, QPolygonF

from .snapshots import RegionEdit, RegionSnapshot

Fmt = QImage.Format
MASK_FORMAT = Fmt.Format_ARGB32_Premultiplied

# Tiles for capturing "before" pixels during a stroke: the stroke's extent isn't known until it
# ends, so each tile is copied the first time a dab touches it.
TILE = 128
# A mask and an image "match" if their aspect ratios differ by at most this fraction.
ASPECT_TOLERANCE = 0.01
# Stamp cache limits: pressure strokes touch many sizes, and a 1000 px stamp is 4 MB.
STAMP_CACHE_ENTRIES = 160
STAMP_CACHE_BYTES = 48 * 1024 * 1024
SUBPIXEL_MAX_DIAMETER = 32.0
_THRESHOLD_TABLE = bytes(0 if v < 128 else 255 for v in range(256))


# --------------------------------------------------------------------------- helpers


def aspect_differs(a: QSize, b: QSize, tolerance: float = ASPECT_TOLERANCE) -> bool:
    """True if the aspect ratios of *a* and *b* differ by more than *tolerance* (relative)."""
    if a.isEmpty() or b.isEmpty():
        return True
    ra = a.width() / a.height()
    rb = b.width() / b.height()
    return abs(ra - rb) / rb > tolerance


def to_gray8(image: QImage) -> QImage:
    """Any QImage → Grayscale8 "edit amount": Alpha8 keeps its alpha; otherwise luminance of the
    image composited over black, so white strokes on a transparent layer read as "edit"."""
    fmt = image.format()
    if fmt == Fmt.Format_Alpha8:
        out = image.copy()
        out.reinterpretAsFormat(Fmt.Format_Grayscale8)
        return out
    if fmt == Fmt.Format_Grayscale8:
        return image.copy()
    if not image.hasAlphaChannel():
        return image.convertToFormat(Fmt.Format_Grayscale8)
    flat = QImage(image.size(), Fmt.Format_RGB32)
    flat.fill(Qt.GlobalColor.black)
    p = QPainter(flat)
    p.drawImage(0, 0, image)
    p.end()
    return flat.convertToFormat(Fmt.Format_Grayscale8)


def threshold_gray8(gray: QImage, level: int = 128) -> QImage:
    """Grayscale8 → Grayscale8 with every pixel 0 or 255 (``>= level`` becomes 255)."""
    assert gray.format() == Fmt.Format_Grayscale8
    table = _THRESHOLD_TABLE if level == 128 else bytes(0 if v < level else 255 for v in range(256))
    raw = bytes(gray.constBits()).translate(table)
    return QImage(raw, gray.width(), gray.height(), gray.bytesPerLine(), gray.format()).copy()


#: Mask values below the 50 % threshold a run applies (``core.mask.encode_mask``).
_WEAK = bytes(range(128))


def gray8_bytes_rows(gray: QImage) -> list[bytes]:
    """Rows of an 8-bit image without the stride padding (whose bytes Qt leaves undefined)."""
    data = bytes(gray.constBits())
    bpl, w = gray.bytesPerLine(), gray.width()
    return [data[y * bpl : y * bpl + w] for y in range(gray.height())]


# --------------------------------------------------------------------------- the layer


class MaskLayer(QObject):
    """The mask of one image. Emits ``painted(rect)`` whenever pixels in *rect* (image
    coordinates) change, for repainting, and ``edited()`` once per finished edit."""

    painted = Signal(QRect)
    edited = Signal()
    editCancelled = Signal()

    def __init__(self, size: QSize, color: QColor | None = None, parent: QObject | None = None):
        super().__init__(parent)
        if size.isEmpty():
            raise ValueError("mask size must be non-empty")
        self._img = QImage(size, MASK_FORMAT)
        self._img.fill(0)
        self._color = QColor(color if color is not None else QColor(255, 255, 255))
        self._color.setAlpha(255)
        # Conservative box holding every non-zero pixel, and a tight one computed on demand.
        self._bbox = QRect()
        self._tight: QRect | None = QRect()
        # Known emptiness, so the common "brush just added paint" case needs no pixel scan.
        self._nonempty: bool | None = False
        # Whether some pixel is at least half on (what a run sends as "edit"); None: unknown.
        self._strong: bool | None = False
        self.painted.connect(self._forget_strong)
        self._stamps: OrderedDict[tuple, tuple[QImage, int]] = OrderedDict()
        self._stamp_bytes = 0
        # Active multi-dab edit (a stroke): tiles of before-pixels and the running bounds.
        self._tiles: dict[tuple[int, int], QImage] | None = None
        self._edit_rect = QRect()

    # ------------------------------------------------------------------ basics
    def size(self) -> QSize:
        return self._img.size()

    def rect(self) -> QRect:
        return self._img.rect()

    def image(self) -> QImage:
        """The storage image (premultiplied overlay colour × mask). Treat it as read-only."""
        return self._img

    def color(self) -> QColor:
        return QColor(self._color)

    def set_color(self, color: QColor) -> None:
        """Recolour the stored mask; alpha (the mask itself) is preserved bit-exactly."""
        color = QColor(color)
        color.setAlpha(255)
        if color.rgb() == self._color.rgb():
            return
        if self._tiles is not None:
            self.commit_edit()
        self._color = color
        self._stamps.clear()
        self._stamp_bytes = 0
        bbox = self._bbox
        if not bbox.isNull():
            p = QPainter(self._img)
            p.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
            p.fillRect(bbox, color)
            p.end()
            self.painted.emit(QRect(bbox))

    def _changed(self, rect: QRect, *, grows: bool, maybe_empty: bool) -> None:
        """Book-keeping after pixels in *rect* changed."""
        if grows:
            self._bbox = self._bbox.united(rect) if not self._bbox.isNull() else QRect(rect)
        if grows or maybe_empty:
            self._tight = None
        if maybe_empty:
            self._nonempty = None
        elif grows:
            self._nonempty = True

    # ------------------------------------------------------------------ queries
    def bounds(self) -> QRect:
        """A box holding every non-zero pixel, kept up to date as edits land (never scanned:
        it may be larger than the tight box; null when nothing was ever painted)."""
        return QRect(self._tight if self._tight is not None else self._bbox)

    def nonzero_rect(self) -> QRect:
        """Tight bounding box of non-zero mask pixels (null if empty). Cached until a change."""
        if self._tight is None:
            self._tight = self._scan_nonzero(self._bbox)
            self._bbox = QRect(self._tight)
            self._nonempty = not self._tight.isNull()
        return QRect(self._tight)

    def is_empty(self) -> bool:
        if self._nonempty is not None:
            return not self._nonempty
        return self.nonzero_rect().isNull()

    def _forget_strong(self, _rect: QRect) -> None:
        self._strong = None

    def has_edit_pixels(self) -> bool:
        """True when some pixel is at least half on: a run thresholds the mask at 50 %, so
        soft fringes alone (what the eraser can leave) mark nothing for editing. Scans the
        painted area once, then cached until the next change."""
        if self._strong is None:
            if self.is_empty():
                self._strong = False
            else:
                # In bands, stopping at the first pixel that is on: a painted mask usually has
                # one in its first band (~0.3 ms); only fringes alone are scanned through.
                area = self.nonzero_rect()
                self._strong = False
                for top in range(area.top(), area.bottom() + 1, 64):
                    band = QRect(area.left(), top, area.width(), min(64, area.bottom() + 1 - top))
                    if any(
                        row.translate(None, _WEAK) for row in gray8_bytes_rows(self._alpha8(band))
                    ):
                        self._strong = True
                        break
        return self._strong

    def _scan_nonzero(self, area: QRect) -> QRect:
        area = area.intersected(self._img.rect())
        if area.isEmpty():
            return QRect()
        rows = gray8_bytes_rows(self._alpha8(area))
        zero = bytes(area.width())
        ys = [y for y, row in enumerate(rows) if row != zero]
        if not ys:
            return QRect()
        left = min(len(rows[y]) - len(rows[y].lstrip(b"\0")) for y in ys)
        right = max(len(rows[y].rstrip(b"\0")) for y in ys)
        return QRect(area.x() + left, area.y() + ys[0], right - left, ys[-1] - ys[0] + 1)

    def _alpha8(self, rect: QRect | None = None) -> QImage:
        src = self._img if rect is None or rect == self._img.rect() else self._img.copy(rect)
        return src.convertToFormat(Fmt.Format_Alpha8)

    def to_gray8(self) -> QImage:
        """The mask as Grayscale8: 255 = edit, 0 = keep, soft edges in between."""
        out = self._alpha8()
        out.reinterpretAsFormat(Fmt.Format_Grayscale8)
        return out

    def capture(self, rect: QRect, *, use_bbox: bool = False) -> RegionSnapshot:
        """Snapshot *rect*. With *use_bbox*, pixels outside the non-zero box are recorded as a
        uniform 0 instead of being copied (worth the scan for whole-mask operations)."""
        rect = rect.intersected(self._img.rect())
        if use_bbox:
            nz = self.nonzero_rect().intersected(rect)
            if nz.isEmpty():
                return RegionSnapshot(rect, base=0)
            if nz != rect:
                return RegionSnapshot(rect, base=0, patch_rect=nz, patch=self._alpha8(nz))
        return RegionSnapshot(rect, patch_rect=rect, patch=self._alpha8(rect))

    # ------------------------------------------------------------------ writing snapshots
    def restore(self, snap: RegionSnapshot) -> None:
        """Write a snapshot back (undo/redo)."""
        if self._tiles is not None:
            self.cancel_edit()
        p = QPainter(self._img)
        p.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        if snap.base is not None:
            fill = QColor(self._color) if snap.base else QColor(0, 0, 0, 0)
            p.fillRect(snap.rect, fill)
        patch = snap.patch()
        if patch is not None and snap.patch_rect is not None:
            p.drawImage(snap.patch_rect.topLeft(), self._tinted(patch))
        p.end()
        self._changed(snap.rect, grows=True, maybe_empty=True)
        self.painted.emit(QRect(snap.rect))
        self.edited.emit()

    def _tinted(self, alpha8: QImage) -> QImage:
        img = alpha8.convertToFormat(MASK_FORMAT)
        p = QPainter(img)
        p.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        p.fillRect(img.rect(), self._color)
        p.end()
        return img

    def set_from_gray8(self, gray: QImage) -> RegionEdit:
        """Replace the whole mask from a Grayscale8 image of the same size."""
        if gray.size() != self._img.size():
            raise ValueError(f"mask is {gray.width()}x{gray.height()}, expected {self._size_str()}")
        before = self.capture(self.rect(), use_bbox=True)
        alpha = gray.copy()
        alpha.reinterpretAsFormat(Fmt.Format_Alpha8)
        if self._tiles is not None:
            self.cancel_edit()
        self._img = self._tinted(alpha)
        self._bbox = self.rect()
        self._tight = None
        self._nonempty = None
        after = self.capture(self.rect(), use_bbox=True)
        self.painted.emit(self.rect())
        self.edited.emit()
        return RegionEdit(self.rect(), before, after)

    def _size_str(self) -> str:
        return f"{self._img.width()}x{self._img.height()}"

    # ------------------------------------------------------------------ whole-mask ops
    def clear(self) -> RegionEdit | None:
        nz = self.nonzero_rect()
        if nz.isNull():
            return None
        before = self.capture(nz)
        p = QPainter(self._img)
        p.setCompositionMode(QPainter.CompositionMode.CompositionMode_Clear)
        p.fillRect(nz, Qt.GlobalColor.transparent)
        p.end()
        self._bbox = QRect()
        self._tight = QRect()
        self._nonempty = False
        self.painted.emit(nz)
        self.edited.emit()
        return RegionEdit(nz, before, RegionSnapshot(nz, base=0))

    def fill(self) -> RegionEdit:
        before = self.capture(self.rect(), use_bbox=True)
        self._img.fill(self._color)  # premultiplied opaque colour == alpha 255 everywhere
        self._bbox = self.rect()
        self._tight = self.rect()
        self._nonempty = True
        self.painted.emit(self.rect())
        self.edited.emit()
        return RegionEdit(self.rect(), before, RegionSnapshot(self.rect(), base=255))

    def invert(self) -> None:
        """Alpha → 255 − alpha. Xor with an opaque source gives exactly that (verified for all
        256 values), so invert is self-inverse and its undo step needs no pixels."""
        if self._tiles is not None:
            self.commit_edit()
        p = QPainter(self._img)
        p.setCompositionMode(QPainter.CompositionMode.CompositionMode_Xor)
        p.fillRect(self._img.rect(), self._color)
        p.end()
        self._bbox = self.rect()
        self._tight = None
        self._nonempty = None
        self.painted.emit(self.rect())
        self.edited.emit()

    # ------------------------------------------------------------------ shapes
    def fill_rect(self, rect: QRect, erase: bool) -> RegionEdit | None:
        rect = rect.intersected(self.rect())
        if rect.isEmpty():
            return None
        before = self.capture(rect)
        p = QPainter(self._img)
        if erase:
            p.setCompositionMode(QPainter.CompositionMode.CompositionMode_Clear)
            p.fillRect(rect, Qt.GlobalColor.transparent)
        else:
            p.fillRect(rect, self._color)
        p.end()
        self._changed(rect, grows=not erase, maybe_empty=erase)
        after = self.capture(rect)
        self.painted.emit(rect)
        self.edited.emit()
        return RegionEdit(rect, before, after)

    def fill_polygon(self, points: Iterable[QPointF], erase: bool) -> RegionEdit | None:
        poly = QPolygonF(list(points))
        if poly.count() < 3:
            return None
        rect = poly.boundingRect().toAlignedRect().adjusted(-1, -1, 1, 1).intersected(self.rect())
        if rect.isEmpty():
            return None
        before = self.capture(rect)
        path = QPainterPath()
        path.addPolygon(poly)
        path.closeSubpath()
        path.setFillRule(Qt.FillRule.WindingFill)
        p = QPainter(self._img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if erase:
            p.setCompositionMode(QPainter.CompositionMode.CompositionMode_DestinationOut)
            p.fillPath(path, QColor(0, 0, 0, 255))
        else:
            p.fillPath(path, self._color)
        p.end()
        self._changed(rect, grows=not erase, maybe_empty=erase)
        after = self.capture(rect)
        self.painted.emit(rect)
        self.edited.emit()
        return RegionEdit(rect, before, after)

    # ------------------------------------------------------------------ strokes
    def begin_edit(self) -> None:
        """Start a multi-dab edit; pixels are captured tile by tile as dabs touch them."""
        if self._tiles is not None:
            self.commit_edit()
        self._tiles = {}
        self._edit_rect = QRect()

    def edit_active(self) -> bool:
        return self._tiles is not None

    def _capture_tiles(self, rect: QRect) -> None:
        assert self._tiles is not None
        tiles = self._tiles
        for ty in range(rect.top() // TILE, rect.bottom() // TILE + 1):
            for tx in range(rect.left() // TILE, rect.right() // TILE + 1):
                if (tx, ty) not in tiles:
                    tiles[(tx, ty)] = self._img.copy(QRect(tx * TILE, ty * TILE, TILE, TILE))

    def dab_stamp(
        self, diameter: float, hardness: float, frac: tuple[float, float] = (0.0, 0.0)
    ) -> tuple[QImage, int]:
        """A pre-rendered dab (cached) and the integer offset from its top-left to the pixel
        holding its centre; *frac* is the sub-pixel position of the centre within that pixel
        (quantised to 1/4 px). Drawing a cached stamp is ~10x cheaper than rasterising a
        radial gradient per dab, and sub-pixel phases keep thin strokes from wobbling."""
        d = max(0.5, round(diameter * 4) / 4 if diameter < 64 else round(diameter))
        h = round(min(max(hardness, 0.0), 1.0) * 50) / 50
        fx, fy = round(frac[0] * 4) / 4, round(frac[1] * 4) / 4
        key = (d, h, fx, fy)
        hit = self._stamps.get(key)
        if hit is not None:
            self._stamps.move_to_end(key)
            return hit
        r = d / 2
        c0 = math.ceil(r) + 1
        side = 2 * c0 + 1
        img = QImage(side, side, MASK_FORMAT)
        img.fill(0)
        centre = QPointF(c0 + fx, c0 + fy)
        p = QPainter(img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self._dab_brush(centre, r, h))
        p.drawEllipse(centre, r, r)
        p.end()
        hit = (img, c0)
        self._stamps[key] = hit
        self._stamp_bytes += img.sizeInBytes()
        while len(self._stamps) > 1 and (
            len(self._stamps) > STAMP_CACHE_ENTRIES or self._stamp_bytes > STAMP_CACHE_BYTES
        ):
            _key, (old, _c0) = self._stamps.popitem(last=False)
            self._stamp_bytes -= old.sizeInBytes()
        return hit

    def _dab_brush(self, centre: QPointF, r: float, hardness: float) -> QBrush:
        if hardness >= 0.999 or r < 1.0:
            return QBrush(self._color)
        g = QtGui.QRadialGradient(centre, r)
        c = QColor(self._color)
        g.setColorAt(0.0, c)
        g.setColorAt(hardness, c)
        # Smoothstep fall-off from the hard core to the rim: a linear ramp reads as a visible
        # "cone" edge once dabs overlap.
        for i in range(1, 8):
            t = i / 8
            s = 1 - t * t * (3 - 2 * t)
            c2 = QColor(self._color)
            c2.setAlphaF(s)
            g.setColorAt(hardness + (1 - hardness) * t, c2)
        c3 = QColor(self._color)
        c3.setAlpha(0)
        g.setColorAt(1.0, c3)
        return QBrush(g)

    def paint_dabs(
        self, dabs: Iterable[tuple[float, float, float]], hardness: float, erase: bool
    ) -> QRect:
        """Stamp dabs ``(x, y, diameter)`` (image coordinates, pixel centres at +0.5) inside the
        active edit. Returns the changed rect (null if nothing was drawn)."""
        if self._tiles is None:
            self.begin_edit()
        bounds = self.rect()
        dirty = QRect()
        painter: QPainter | None = None
        try:
            for x, y, diameter in dabs:
                if diameter < SUBPIXEL_MAX_DIAMETER:
                    ix, iy = math.floor(x), math.floor(y)
                    stamp, c0 = self.dab_stamp(diameter, hardness, (x - ix, y - iy))
                else:
                    # Big dabs: centred on the pixel's centre. Half a pixel of placement
                    # error is invisible at this size, and one phase instead of 16 keeps the
                    # stamp cache small.
                    ix, iy = math.floor(x), math.floor(y)
                    stamp, c0 = self.dab_stamp(diameter, hardness, (0.5, 0.5))
                left, top = ix - c0, iy - c0
                r = QRect(left, top, stamp.width(), stamp.height()).intersected(bounds)
                if r.isEmpty():
                    continue
                if painter is None:
                    painter = QPainter(self._img)
                    mode = (
                        QPainter.CompositionMode.CompositionMode_DestinationOut
                        if erase
                        else QPainter.CompositionMode.CompositionMode_SourceOver
                    )
                    painter.setCompositionMode(mode)
                self._capture_tiles(r)
                painter.drawImage(left, top, stamp)
                dirty = dirty.united(r) if not dirty.isNull() else r
        finally:
            if painter is not None:
                painter.end()
        if not dirty.isNull():
            self._edit_rect = (
                self._edit_rect.united(dirty) if not self._edit_rect.isNull() else dirty
            )
            self._changed(dirty, grows=not erase, maybe_empty=erase)
            self.painted.emit(dirty)
        return dirty

    def _before_from_tiles(self, rect: QRect) -> QImage:
        assert self._tiles is not None
        # Tiles inside the stroke's bounding box that no dab touched (e.g. the empty corners
        # of a diagonal stroke) are unchanged, so their current pixels are the "before".
        self._capture_tiles(rect)
        img = QImage(rect.size(), MASK_FORMAT)
        p = QPainter(img)
        p.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        for (tx, ty), tile in self._tiles.items():
            p.drawImage(tx * TILE - rect.x(), ty * TILE - rect.y(), tile)
        p.end()
        return img.convertToFormat(Fmt.Format_Alpha8)

    def commit_edit(self) -> RegionEdit | None:
        """Finish the active edit; returns its before/after pixels (None if nothing changed)."""
        if self._tiles is None:
            return None
        rect = self._edit_rect
        try:
            if rect.isNull():
                return None
            before = RegionSnapshot(rect, patch_rect=rect, patch=self._before_from_tiles(rect))
            after = self.capture(rect)
        finally:
            self._tiles = None
            self._edit_rect = QRect()
        self.edited.emit()
        return RegionEdit(rect, before, after)

    def cancel_edit(self) -> None:
        """Abandon the active edit and put back the pixels it changed."""
        if self._tiles is None:
            return
        tiles, rect = self._tiles, self._edit_rect
        self._tiles = None
        self._edit_rect = QRect()
        if rect.isNull():
            self.editCancelled.emit()
            return
        p = QPainter(self._img)
        p.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        for (tx, ty), tile in tiles.items():
            p.drawImage(tx * TILE, ty * TILE, tile)
        p.end()
        self._changed(rect, grows=True, maybe_empty=True)
        self.painted.emit(rect)
        self.editCancelled.emit()

    # ------------------------------------------------------------------ scaling
    def scaled_gray8(self, size: QSize) -> QImage:
        """The mask resampled (smoothly) to *size*, as Grayscale8."""
        gray = self.to_gray8()
        if gray.size() == size:
            return gray
        out = gray.scaled(
            size,
            Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        return out.convertToFormat(Fmt.Format_Grayscale8)
