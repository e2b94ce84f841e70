"""Before/after comparison: a draggable wipe, or images side by side, with one shared zoom.

Geometry: the panes share one view — a zoom relative to "fit in the pane" (1.0 = fit) and a
view centre in *normalised* image coordinates (0..1) — which becomes each pane's
``ui.view_transform.ViewTransform`` (the mask canvas's transform: the same fitting,
zoom-about-a-point and pan maths). Sharing normalised coordinates rather than pixels keeps
panes aligned even when the results have a different resolution from the input (the API
often returns 1024×1536 for a 800×1200 photo).

Painting cost is kept independent of image size: when the image is shown smaller than its real
size a smooth pre-scaled pixmap is cached and merely blitted (dragging the wipe does not rescale
a 4K image on every frame); when zoomed in only the visible source rectangle is drawn.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, QSizeF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QImage,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from retouch.ui.pages import SegmentedControl
from retouch.ui.theme import ink, mute, scaled_font
from retouch.ui.view_transform import ViewTransform, fit_scale, wheel_factor

BACKGROUND = QColor("#18191c")
PANE = QColor("#202226")
PILL_BG = QColor(12, 13, 15, 190)
PILL_ACTIVE = QColor("#e8eaed")
TEXT = QColor("#e8eaed")
MUTED = QColor("#8b9099")
DIVIDER_GRAB_PX = 12
PANE_GAP = 2
MIN_ZOOM, MAX_ZOOM = 0.25, 64.0
KEY_STEP = 1.25


class CompareView(QWidget):
    currentChanged = Signal(int)  # which image is "B" in wipe mode
    wipeChanged = Signal(float)
    zoomChanged = Signal(float)
    modeChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareView")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._images: list[QImage] = []
        self._labels: list[str] = []
        self._mode = "wipe"
        self._current = 0
        self._wipe = 0.5
        self._zoom = 1.0
        self._center = QPointF(0.5, 0.5)
        self._drag: str | None = None  # "wipe" | "pan"
        self._last_pos = QPointF()
        self._scaled: OrderedDict[tuple[int, int, int], QPixmap] = OrderedDict()
        self._pill_rects: list[tuple[QRectF, int]] = []
        self._checker = self._make_checker()

    # ------------------------------------------------------------------------ public API
    def set_images(self, images: Sequence[QImage], labels: Sequence[str] | None = None) -> None:
        """Show *images*; in wipe mode images[0] is "before" (A) and images[1] the first "after"."""
        self._images = [QImage(img) for img in images]
        given = list(labels or [])
        self._labels = [
            given[i] if i < len(given) and given[i] else self._default_label(i)
            for i in range(len(self._images))
        ]
        self._scaled.clear()
        previous = self._current
        self._current = 1 if len(self._images) > 1 else 0
        self._zoom, self._center = 1.0, QPointF(0.5, 0.5)
        self.update()
        if self._current != previous:
            self.currentChanged.emit(self._current)
        self.zoomChanged.emit(self._zoom)

    def _default_label(self, i: int) -> str:
        if len(self._images) == 2:
            return self.tr("Before") if i == 0 else self.tr("After")
        return self.tr("Before") if i == 0 else self.tr("Result %n", "", i)

    def images(self) -> list[QImage]:
        return list(self._images)

    def labels(self) -> list[str]:
        return list(self._labels)

    def mode(self) -> str:
        return self._mode

    def set_mode(self, mode: str) -> None:
        if mode not in ("wipe", "side"):
            raise ValueError(f"mode must be 'wipe' or 'side', not {mode!r}")
        if mode != self._mode:
            self._mode = mode
            self.update()
            self.modeChanged.emit(mode)

    def wipe_position(self) -> float:
        return self._wipe

    def set_wipe_position(self, x: float) -> None:
        x = min(1.0, max(0.0, float(x)))
        if x != self._wipe:
            self._wipe = x
            self.update()
            self.wipeChanged.emit(x)

    def current(self) -> int:
        return self._current

    def set_current(self, index: int) -> None:
        """Choose which image is B in wipe mode (1..n-1; image 0 is always A)."""
        if not 1 <= index < len(self._images) or index == self._current:
            return
        self._current = index
        self.update()
        self.currentChanged.emit(index)

    def zoom(self) -> float:
        """Zoom relative to fitting the pane: 1.0 = fit, 2.0 = twice that."""
        return self._zoom

    def set_zoom(self, zoom: float, anchor: QPointF | None = None) -> None:
        """Zoom keeping the image point under *anchor* (widget coords; default: pane centre)."""
        zoom = min(MAX_ZOOM, max(MIN_ZOOM, float(zoom)))
        if not self._images:
            self._zoom = zoom
            return
        pane = self._pane_at(anchor) if anchor is not None else 0
        rect, size = self.pane_rects()[pane], self._image_size(pane)
        view = self._transform(rect, size)
        # The image point under the anchor stays put.
        view.zoom_about(self._scale(rect, size, zoom), anchor or rect.center())
        self._zoom = zoom
        self._center = view.centre(rect, QSizeF(size))
        self._clamp_center()
        self.update()
        self.zoomChanged.emit(self._zoom)

    def fit(self) -> None:
        self._zoom, self._center = 1.0, QPointF(0.5, 0.5)
        self.update()
        self.zoomChanged.emit(self._zoom)

    def center(self) -> QPointF:
        return QPointF(self._center)

    def pan_by(self, dx: float, dy: float) -> None:
        """Move the view by (dx, dy) widget pixels, as a drag would."""
        if not self._images:
            return
        rect, size = self.pane_rects()[0], self._image_size(0)
        view = self._transform(rect, size)
        view.pan(dx, dy)
        self._center = view.centre(rect, QSizeF(size))
        self._clamp_center()
        self.update()

    def pane_rects(self) -> list[QRectF]:
        """Widget rectangles of the panes: one in wipe mode, one per image side by side."""
        full = QRectF(self.rect())
        n = len(self._images)
        if self._mode == "wipe" or n <= 1:
            return [full]
        cols, rows = self._grid(n, full)
        cell_w = (full.width() - PANE_GAP * (cols - 1)) / cols
        cell_h = (full.height() - PANE_GAP * (rows - 1)) / rows
        rects = []
        for i in range(n):
            row, col = divmod(i, cols)
            # A last row that is not full is centred: no hole at its end.
            in_row = min(cols, n - row * cols)
            shift = (cols - in_row) * (cell_w + PANE_GAP) / 2
            rects.append(
                QRectF(
                    full.left() + shift + col * (cell_w + PANE_GAP),
                    full.top() + row * (cell_h + PANE_GAP),
                    cell_w,
                    cell_h,
                )
            )
        return rects

    def image_rect(self, pane: int, image: int | None = None) -> QRectF:
        """Where image *image* (default: the pane's own) is drawn in pane *pane*."""
        rect = self.pane_rects()[pane]
        if image is None:
            image = 0 if self._mode == "wipe" else pane
        ref = self._image_size(pane)
        base = self._transform(rect, ref).image_rect(QSizeF(ref))
        if self._mode == "wipe" and image != 0:
            other = self._images[image].size()
            if abs(_aspect(other) - _aspect(ref)) > 0.01 * _aspect(ref):
                # A different shape: fit it inside A's frame rather than stretching it.
                s = min(base.width() / other.width(), base.height() / other.height())
                ow, oh = other.width() * s, other.height() * s
                return QRectF(base.center().x() - ow / 2, base.center().y() - oh / 2, ow, oh)
        return base

    def visible_region(self, pane: int) -> QRectF:
        """The part of the pane's image that is visible, in normalised image coordinates."""
        rect, img = self.pane_rects()[pane], self.image_rect(pane)
        visible = rect.intersected(img)
        if img.isEmpty() or visible.isEmpty():
            return QRectF()
        return QRectF(
            (visible.left() - img.left()) / img.width(),
            (visible.top() - img.top()) / img.height(),
            visible.width() / img.width(),
            visible.height() / img.height(),
        )

    def divider_x(self) -> float:
        rect = self.pane_rects()[0]
        return rect.left() + self._wipe * rect.width()

    def sizeHint(self) -> QSize:
        return QSize(800, 560)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, 120)

    # ------------------------------------------------------------------------- geometry
    def _grid(self, n: int, full: QRectF) -> tuple[int, int]:
        # Pick the grid (one row, two rows, one column) that shows the images largest.
        ref = self._images[0].size()
        best, best_scale = (n, 1), -1.0
        for cols, rows in {(n, 1), (math.ceil(n / 2), 2), (1, n)}:
            cw = (full.width() - PANE_GAP * (cols - 1)) / cols
            ch = (full.height() - PANE_GAP * (rows - 1)) / rows
            scale = min(cw / max(1, ref.width()), ch / max(1, ref.height()))
            if scale > best_scale + 1e-9:
                best, best_scale = (cols, rows), scale
        return best

    def _image_size(self, pane: int) -> QSize:
        img = self._images[0 if self._mode == "wipe" else min(pane, len(self._images) - 1)]
        size = img.size()
        return QSize(max(1, size.width()), max(1, size.height()))

    def _scale(self, rect: QRectF, size: QSize, zoom: float | None = None) -> float:
        """Image to widget pixels in *rect*: fitting it, times the zoom."""
        return max(1e-6, fit_scale(rect, QSizeF(size)) * (self._zoom if zoom is None else zoom))

    def _transform(self, rect: QRectF, size: QSize) -> ViewTransform:
        """The pane's view: the shared zoom and centre applied to its rectangle."""
        return ViewTransform.centred(rect, QSizeF(size), self._scale(rect, size), self._center)

    def _pane_at(self, pos: QPointF) -> int:
        for i, rect in enumerate(self.pane_rects()):
            if rect.contains(pos):
                return i
        return 0

    def _clamp_center(self) -> None:
        if self._zoom <= 1.0:
            self._center = QPointF(0.5, 0.5)  # nothing to pan when the whole image fits
            return
        self._center = QPointF(
            min(1.0, max(0.0, self._center.x())), min(1.0, max(0.0, self._center.y()))
        )

    # -------------------------------------------------------------------------- painting
    @staticmethod
    def _make_checker() -> QPixmap:
        tile = QPixmap(16, 16)
        tile.fill(QColor("#2b2d31"))
        p = QPainter(tile)
        p.fillRect(0, 0, 8, 8, QColor("#35373c"))
        p.fillRect(8, 8, 8, 8, QColor("#35373c"))
        p.end()
        return tile

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), BACKGROUND)
        self._pill_rects = []
        if not self._images:
            self._paint_empty(p)
            p.end()
            return
        if self._mode == "wipe":
            self._paint_wipe(p)
        else:
            self._paint_side(p)
        self._paint_zoom_pill(p)
        p.end()

    def _paint_empty(self, p: QPainter) -> None:
        p.setPen(ink(self, MUTED))
        p.setFont(scaled_font(self.font(), 1.05))
        p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("Nothing to compare yet"))

    def _paint_image(self, p: QPainter, index: int, target: QRectF, clip: QRectF) -> None:
        image = self._images[index]
        if image.isNull() or target.isEmpty():
            return
        p.save()
        p.setClipRect(clip)
        if image.hasAlphaChannel():
            p.setBrushOrigin(target.topLeft())
            p.fillRect(target.intersected(clip), QBrush(self._checker))
        scale = target.width() / max(1, image.width())
        dpr = self.devicePixelRatioF()
        if scale * dpr < 1.0:
            pixmap = self._scaled_pixmap(index, target.size(), dpr)
            p.drawPixmap(QPointF(round(target.left()), round(target.top())), pixmap)
        else:
            # Enlarged: draw only what is visible. Smooth at fit; crisp pixels once the user
            # has zoomed in far enough to inspect them.
            crisp = self._zoom > 1.0 and scale * dpr >= 3.0
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, not crisp)
            visible = target.intersected(clip)
            src = QRectF(
                (visible.left() - target.left()) / scale,
                (visible.top() - target.top()) / scale,
                visible.width() / scale,
                visible.height() / scale,
            )
            p.drawImage(visible, image, src)
        p.restore()

    def _scaled_pixmap(self, index: int, size: object, dpr: float) -> QPixmap:
        w = max(1, round(size.width() * dpr))  # type: ignore[attr-defined]
        h = max(1, round(size.height() * dpr))  # type: ignore[attr-defined]
        key = (index, w, h)
        pixmap = self._scaled.get(key)
        if pixmap is None:
            scaled = self._images[index].scaled(
                w,
                h,
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            pixmap = QPixmap.fromImage(scaled)
            pixmap.setDevicePixelRatio(dpr)
            self._scaled[key] = pixmap
            while len(self._scaled) > 2 * max(2, len(self._images)):
                self._scaled.popitem(last=False)
        else:
            self._scaled.move_to_end(key)
        return pixmap

    def _paint_wipe(self, p: QPainter) -> None:
        pane = self.pane_rects()[0]
        p.fillRect(pane, PANE)
        x = self.divider_x()
        left = QRectF(pane.left(), pane.top(), x - pane.left(), pane.height())
        right = QRectF(x, pane.top(), pane.right() - x, pane.height())
        b = self._current if len(self._images) > 1 else 0
        self._paint_image(p, 0, self.image_rect(0, 0), left)
        self._paint_image(p, b, self.image_rect(0, b), right)
        self._paint_divider(p, x, pane)
        margin = 12
        self._draw_pill(p, self._labels[0], QPointF(pane.left() + margin, pane.top() + margin))
        if len(self._images) > 1:
            label = self._labels[b]
            width = self._pill_size(p, label).width()
            self._draw_pill(p, label, QPointF(pane.right() - margin - width, pane.top() + margin))
        if len(self._images) > 2:
            self._paint_result_picker(p, pane)

    def _paint_divider(self, p: QPainter, x: float, pane: QRectF) -> None:
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(QColor(0, 0, 0, 90), 4))
        p.drawLine(QPointF(x, pane.top()), QPointF(x, pane.bottom()))
        p.setPen(QPen(QColor("#f5f6f7"), 2))
        p.drawLine(QPointF(x, pane.top()), QPointF(x, pane.bottom()))
        c = QPointF(x, pane.center().y())
        r = 15.0
        p.setPen(QPen(QColor(0, 0, 0, 70), 1))
        p.setBrush(QColor("#f5f6f7"))
        p.drawEllipse(c, r, r)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#2a2c30"))
        for sign in (-1, 1):
            tip = c.x() + sign * 9
            base = c.x() + sign * 3.5
            p.drawPolygon(
                QPolygonF([QPointF(tip, c.y()), QPointF(base, c.y() - 5), QPointF(base, c.y() + 5)])
            )
        p.restore()

    def _paint_side(self, p: QPainter) -> None:
        for i, pane in enumerate(self.pane_rects()):
            p.fillRect(pane, PANE)
            self._paint_image(p, i, self.image_rect(i), pane)
            self._draw_pill(p, self._labels[i], QPointF(pane.left() + 10, pane.top() + 10))

    def _paint_result_picker(self, p: QPainter, pane: QRectF) -> None:
        # Which result is B: small numbered pills, also clickable (and keys 1–4).
        n = len(self._images) - 1
        d, gap = 24.0, 6.0
        total = n * d + (n - 1) * gap + 16
        box = QRectF(pane.center().x() - total / 2, pane.bottom() - d - 22, total, d + 8)
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(PILL_BG)
        p.drawRoundedRect(box, box.height() / 2, box.height() / 2)
        p.setFont(scaled_font(self.font(), 0.85, bold=True))
        for k in range(1, n + 1):
            r = QRectF(box.left() + 8 + (k - 1) * (d + gap), box.top() + 4, d, d)
            active = k == self._current
            if active:
                p.setBrush(PILL_ACTIVE)
                p.drawEllipse(r)
            p.setPen(ink(self, QColor("#16171a") if active else TEXT))
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, str(k))
            p.setPen(Qt.PenStyle.NoPen)
            self._pill_rects.append((r, k))
        p.restore()

    def _pill_font(self) -> QFont:
        font = scaled_font(self.font(), 0.9)
        font.setWeight(QFont.Weight.DemiBold)
        return font

    def _pill_size(self, p: QPainter, text: str) -> QSize:
        p.save()
        p.setFont(self._pill_font())
        fm = p.fontMetrics()
        size = QSize(fm.horizontalAdvance(text) + 20, fm.height() + 8)
        p.restore()
        return size

    def _draw_pill(self, p: QPainter, text: str, top_left: QPointF) -> None:
        size = self._pill_size(p, text)
        rect = QRectF(top_left, size.toSizeF())
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        path = QPainterPath()
        path.addRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        p.fillPath(path, PILL_BG)
        p.setFont(self._pill_font())
        p.setPen(ink(self, TEXT))
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        p.restore()

    def _paint_zoom_pill(self, p: QPainter) -> None:
        rect = self.pane_rects()[-1]
        scale = self._scale(self.pane_rects()[0], self._image_size(0))
        text = f"{round(scale * 100)}%" + (" · Fit" if abs(self._zoom - 1.0) < 1e-9 else "")
        size = self._pill_size(p, text)
        self._draw_pill(
            p, text, QPointF(rect.right() - size.width() - 10, rect.bottom() - size.height() - 10)
        )

    # ----------------------------------------------------------------------------- input
    def _near_divider(self, pos: QPointF) -> bool:
        return (
            self._mode == "wipe"
            and len(self._images) > 1
            and abs(pos.x() - self.divider_x()) <= DIVIDER_GRAB_PX
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if event.button() == Qt.MouseButton.LeftButton:
            for rect, k in self._pill_rects:
                if rect.contains(pos):
                    self.set_current(k)
                    return
            if self._near_divider(pos):
                self._drag = "wipe"
                self._set_wipe_from(pos)
            else:
                self._drag = "pan"
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
        elif event.button() == Qt.MouseButton.MiddleButton:
            self._drag = "pan"
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        else:
            super().mousePressEvent(event)
            return
        self._last_pos = pos
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        # Tracks our own drag state rather than event.buttons(): synthetic events in tests and
        # some tablets report no buttons on moves.
        if self._drag == "wipe":
            self._set_wipe_from(pos)
        elif self._drag == "pan":
            delta = pos - self._last_pos
            self.pan_by(delta.x(), delta.y())
        else:
            self._update_cursor(pos)
        self._last_pos = pos

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            self._drag = None
            self._update_cursor(event.position())
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        # Double-click toggles between fit and actual pixels at the cursor.
        if event.button() != Qt.MouseButton.LeftButton or not self._images:
            return
        if self._near_divider(event.position()):
            return
        if abs(self._zoom - 1.0) > 1e-9:
            self.fit()
        else:
            fit = self._scale(self.pane_rects()[0], self._image_size(0))
            self.set_zoom(1.0 / fit if fit < 0.999 else 2.0, event.position())

    def _update_cursor(self, pos: QPointF) -> None:
        if self._near_divider(pos):
            self.setCursor(Qt.CursorShape.SplitHCursor)
        elif self._zoom > 1.0:
            self.setCursor(Qt.CursorShape.OpenHandCursor)
        else:
            self.unsetCursor()

    def _set_wipe_from(self, pos: QPointF) -> None:
        rect = self.pane_rects()[0]
        self.set_wipe_position((pos.x() - rect.left()) / max(1.0, rect.width()))

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() or event.angleDelta().x()
        if not steps or not self._images:
            event.ignore()
            return
        self.set_zoom(self._zoom * wheel_factor(steps), event.position())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if event.matches(QKeySequence.StandardKey.ZoomIn) or (
            ctrl and key in (Qt.Key.Key_Equal, Qt.Key.Key_Plus)
        ):
            self.set_zoom(self._zoom * KEY_STEP)
        elif event.matches(QKeySequence.StandardKey.ZoomOut) or (
            ctrl and key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore)
        ):
            self.set_zoom(self._zoom / KEY_STEP)
        elif ctrl and key == Qt.Key.Key_0:
            self.fit()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and self._mode == "wipe":
            step = 0.1 if mods & Qt.KeyboardModifier.ShiftModifier else 0.01
            sign = -1 if key == Qt.Key.Key_Left else 1
            self.set_wipe_position(self._wipe + sign * step)
        elif not ctrl and Qt.Key.Key_1 <= key <= Qt.Key.Key_4 and self._mode == "wipe":
            self.set_current(int(key) - int(Qt.Key.Key_0))
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._scaled.clear()  # cached sizes are for the old geometry
        super().resizeEvent(event)


def _aspect(size: QSize) -> float:
    return size.width() / max(1, size.height())


class ComparePage(QWidget):
    """The Compare page: a hint that says what the mouse and keys do here, (issue 12)
    **Composited** / **Model output** — the photo at full resolution against each composite,
    or the region that was sent against the model's own pictures — the wipe / side-by-side
    switch, and the view."""

    #: The user switched between "composite" and "model".
    shownChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = CompareView()
        self.shown_switch = SegmentedControl()
        self.shown_switch.setObjectName("compareShownSwitch")
        self.show_composite = self.shown_switch.add(self.tr("Composited"), "compareComposited", 0)
        self.show_composite.setToolTip(self.tr("The photo against each result placed into it"))
        self.show_model = self.shown_switch.add(self.tr("Model output"), "compareModelOutput", 1)
        self.show_model.setToolTip(
            self.tr("The region that was sent against the model's own pictures")
        )
        self.show_composite.setChecked(True)
        self.show_model.toggled.connect(
            lambda model: self.shownChanged.emit("model" if model else "composite")
        )
        self.switch = SegmentedControl()
        self.switch.setObjectName("compareSwitch")
        self.wipe_button = self.switch.add(self.tr("Wipe"), "compareWipeButton", 0)
        self.mode_button = self.switch.add(self.tr("Side by side"), "compareModeButton", 1)
        self.wipe_button.setChecked(True)
        self.switch.setToolTip(self.tr("The before/after wipe, or all side by side"))
        self.mode_button.toggled.connect(
            lambda side: self.view.set_mode("side" if side else "wipe")
        )
        self.view.modeChanged.connect(self._mode_changed)
        self.hint = QLabel()
        self.hint.setObjectName("compareHint")
        self.hint.setWordWrap(True)
        mute(self.hint)
        bar = QHBoxLayout()
        bar.setContentsMargins(12, 6, 10, 6)
        bar.setSpacing(10)
        bar.addWidget(self.hint, 1)
        bar.addWidget(self.shown_switch)
        bar.addWidget(self.switch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self._mode_changed(self.view.mode())

    def _mode_changed(self, mode: str) -> None:
        if mode == "side":
            self.hint.setText(self.tr("Wheel to zoom all · drag to pan · double-click to fit"))
            self.mode_button.setChecked(True)
        else:
            self.hint.setText(
                self.tr("Drag the divider · 1–9 pick the result · wheel to zoom · drag to pan")
            )
            self.wipe_button.setChecked(True)

    def focus_order(self) -> list[QWidget]:
        return [*self.shown_switch.buttons, *self.switch.buttons, self.view]

    def shown(self) -> str:
        return "model" if self.show_model.isChecked() else "composite"

    def show_run(
        self,
        before: QImage | None,
        results: list[QImage],
        selected: int,
        region: tuple[int, int, int, int] | None = None,
    ) -> None:
        """The edited input against the results, the *selected* one (a row) as "after".

        *region* (x0, y0, x1, y1 in the input's pixels): the results are the model's own
        pictures of that part of the input, so "before" is that part (any part outside the
        input, which was padding, is left empty)."""
        if before is not None and region is not None:
            x0, y0, x1, y1 = region
            before = before.copy(QRect(x0, y0, x1 - x0, y1 - y0))
        images = ([before] if before is not None else []) + results
        labels = ([self.tr("Before")] if before is not None else []) + [
            self.tr("Result %n", "", i + 1) for i in range(len(results))
        ]
        self.view.set_images(images, labels)
        if before is not None and selected >= 0:
            self.view.set_current(selected + 1)
