"""MaskCanvas: shows the image with the mask over it and lets the user paint the mask.

Coordinates: the view is one affine map, ``widget = offset + zoom * image``, in *logical* widget
pixels. Mouse/tablet positions are logical too, so mapping never involves devicePixelRatio; the
ratio only decides the resolution of the cached downscaled image (sharpness on HiDPI screens).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFocusEvent,
    QFont,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QPointingDevice,
    QPolygonF,
    QResizeEvent,
    QTabletEvent,
    QUndoStack,
    QWheelEvent,
)
from PySide6.QtWidgets import QWidget

from ...core.atomic import atomic_write_bytes
from .mask_layer import (
    MaskImportError,
    MaskLayer,
    aspect_differs,
    gray8_to_png_bytes,
    read_mask_file,
    threshold_gray8,
    to_gray8,
)
from .tools import MIN_PRESSURE_SCALE, StrokeInterpolator, Tool, clamp_brush, step_brush
from .undo import InvertCommand, RegionCommand, stack_memory_bytes

Fmt = QImage.Format

BACKGROUND = QColor(36, 37, 40)
CHECKER_DARK = QColor(58, 59, 63)
CHECKER_LIGHT = QColor(78, 79, 84)
DEFAULT_OVERLAY = QColor(255, 40, 96)
ZOOM_MIN = 0.01
ZOOM_MAX = 64.0
# Ctrl+= / Ctrl+- walk these, so keyboard zoom lands on "round" levels like in other editors.
ZOOM_STEPS = (
    0.01, 0.02, 0.03, 0.05, 0.0625, 0.083, 0.125, 0.167, 0.25, 0.333, 0.5, 0.667,
    1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0, 32.0, 48.0, 64.0,
)  # fmt: skip
FIT_MARGIN = 16
CACHE_DELAY_MS = 120
EMPTY_HINT = "Drop an image here or press Ctrl+O"
_E = TypeVar("_E")


def _batched_updates(handler: Callable[[MaskCanvas, _E], None]) -> Callable[[MaskCanvas, _E], None]:
    """Wrap an input-event handler so all repaints it requests become one update()."""

    @functools.wraps(handler)
    def wrapper(self: MaskCanvas, event: _E) -> None:
        if self._pending_dirty is not None:  # nested (e.g. sendEvent from a handler)
            handler(self, event)
            return
        self._pending_dirty = QRect()
        try:
            handler(self, event)
        finally:
            rect, self._pending_dirty = self._pending_dirty, None
            if not rect.isNull():
                self.update(rect)

    return wrapper


@dataclass
class _Stroke:
    interp: StrokeInterpolator
    erase: bool
    source: str  # "mouse" or "tablet": events from the other source are ignored meanwhile
    pressure_sensitive: bool


@dataclass
class _Shape:
    kind: Tool
    points: list[QPointF] = field(default_factory=list)  # image coordinates
    square: bool = False
    erase: bool = False


class MaskCanvas(QWidget):
    """The mask painting surface. See the package docstring for the public API."""

    maskChanged = Signal()
    zoomChanged = Signal(float)
    toolChanged = Signal(str)
    eraseModeChanged = Signal(bool)
    brushSizeChanged = Signal(float)
    hardnessChanged = Signal(float)
    maskOnlyChanged = Signal(bool)
    overlayChanged = Signal()
    imageChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("maskCanvas")
        self.setMouseTracking(True)
        self.setTabletTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Every pixel is painted in paintEvent, so Qt needn't clear the background first.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(200, 150)
        self._undo_stack = QUndoStack(self)

        self._image: QImage | None = None
        self._display: QImage | None = None  # image in a format QPainter draws fastest
        self._layer: MaskLayer | None = None

        self._zoom = 1.0
        self._offset = QPointF(0, 0)
        self._fit_mode = True

        self._tool = Tool.BRUSH
        self._erase_mode = False
        self._brush_size = 40.0
        self._hardness = 0.8
        self._overlay_color = QColor(DEFAULT_OVERLAY)
        self._overlay_opacity = 0.5
        self._mask_only = False

        self._stroke: _Stroke | None = None
        self._shape: _Shape | None = None
        self._shape_dirty = QRect()
        self._last_point: tuple[float, float] | None = None  # for Shift-click lines
        self._pan_from: QPointF | None = None
        self._pan_offset0 = QPointF()
        self._space_down = False
        self._hover: QPointF | None = None

        self._scaled: QImage | None = None  # smooth downscale of the image for zoom < 1
        self._scaled_key: tuple[float, float] | None = None
        self._cache_timer = QTimer(self, singleShot=True, interval=CACHE_DELAY_MS)
        self._cache_timer.timeout.connect(self._rebuild_scaled_cache)

        self._pending_dirty: QRect | None = None  # set while batching repaints (see _dirty)

        self._toast = ""
        self._toast_timer = QTimer(self, singleShot=True)
        self._toast_timer.timeout.connect(self._hide_toast)

        self._checker = self._make_checker()
        self._update_cursor()

    # ================================================================== properties
    @property
    def undo_stack(self) -> QUndoStack:
        return self._undo_stack

    def undo_memory_bytes(self) -> int:
        """Pixel bytes stored by the undo history (undone, redoable steps included)."""
        return stack_memory_bytes(self._undo_stack)

    def image(self) -> QImage | None:
        return self._image

    def has_image(self) -> bool:
        return self._image is not None

    def mask_layer(self) -> MaskLayer | None:
        return self._layer

    # ================================================================== image & mask API
    def set_image(self, image: QImage | None, keep_mask: bool = False) -> None:
        """Show *image* (None → empty state). With *keep_mask*, a non-empty mask is rescaled onto
        the new image if the aspect ratios match; otherwise the mask starts empty. The undo
        history always restarts: its steps describe another image's pixels."""
        self._abort_interaction()
        old = self._layer
        had_mask = old is not None and not old.is_empty()
        if image is None or image.isNull():
            self._image = self._display = None
            self._set_layer(None)
            self._undo_stack.clear()
            self._scaled = None
            self._update_cursor()
            self.update()
            self.imageChanged.emit()
            if had_mask:
                self.maskChanged.emit()
            return
        self._image = QImage(image)
        fmt = Fmt.Format_ARGB32_Premultiplied if image.hasAlphaChannel() else Fmt.Format_RGB32
        self._display = image if image.format() == fmt else image.convertToFormat(fmt)
        layer = MaskLayer(image.size(), self._layer_color(), self)
        if (
            keep_mask
            and old is not None
            and had_mask
            and not aspect_differs(old.size(), image.size())
        ):
            layer.set_from_gray8(old.scaled_gray8(image.size()))
        self._set_layer(layer)
        self._undo_stack.clear()
        self._last_point = None
        self._scaled = None
        self.fit()
        self._rebuild_scaled_cache()
        self._update_cursor()
        self.imageChanged.emit()
        self.maskChanged.emit()

    def _set_layer(self, layer: MaskLayer | None) -> None:
        if self._layer is not None:
            self._layer.painted.disconnect(self._on_painted)
            self._layer.edited.disconnect(self.maskChanged)
            self._layer.editCancelled.disconnect(self._on_edit_cancelled)
            self._layer.setParent(None)
        self._layer = layer
        if layer is not None:
            layer.painted.connect(self._on_painted)
            layer.edited.connect(self.maskChanged)
            layer.editCancelled.connect(self._on_edit_cancelled)

    def is_mask_empty(self) -> bool:
        """True when no pixel is marked for editing (cached until the mask next changes)."""
        return self._layer is None or self._layer.is_empty()

    def mask_for_export(self) -> QImage | None:
        """Grayscale8, exactly the image's size: 255 = edit, 0 = keep (soft brush edges keep
        their in-between values). None when there is no image or the mask is empty."""
        if self._layer is None or self._layer.is_empty():
            return None
        return self._layer.to_gray8()

    def clear_mask(self) -> None:
        if self._layer is None:
            return
        self._finish_interaction()
        edit = self._layer.clear()
        if edit is not None:
            self._undo_stack.push(RegionCommand(self._layer, edit, "Clear mask"))

    def fill_mask(self) -> None:
        if self._layer is None:
            return
        self._finish_interaction()
        edit = self._layer.fill()
        self._undo_stack.push(RegionCommand(self._layer, edit, "Fill mask"))

    def invert_mask(self) -> None:
        if self._layer is None:
            return
        self._finish_interaction()
        self._layer.invert()
        self._undo_stack.push(InvertCommand(self._layer, "Invert mask"))

    def set_mask(self, image: QImage) -> None:
        """Replace the mask with *image* (e.g. from history): white = edit. Kept as is (no
        threshold) so a restored soft mask is exact; resampled if only the size differs.
        Undoable. Raises MaskImportError if the aspect ratio differs by more than 1 %."""
        if self._layer is None:
            raise MaskImportError("Open an image before setting a mask.")
        gray = self._fit_gray_to_image(to_gray8(image), threshold=False)
        self._finish_interaction()
        edit = self._layer.set_from_gray8(gray)
        self._undo_stack.push(RegionCommand(self._layer, edit, "Restore mask"))

    def load_mask_file(self, path: str | Path) -> None:
        """Import a mask image of any mode: luminance (over black, for images with alpha)
        thresholded at 50 %, rescaled to the image. Undoable. Raises MaskImportError (message
        meant for the user) if unreadable or if the aspect ratio differs by more than 1 %."""
        if self._layer is None:
            raise MaskImportError("Open an image before importing a mask.")
        gray = self._fit_gray_to_image(read_mask_file(path), threshold=True)
        self._finish_interaction()
        edit = self._layer.set_from_gray8(gray)
        self._undo_stack.push(RegionCommand(self._layer, edit, "Import mask"))

    def _fit_gray_to_image(self, gray: QImage, *, threshold: bool) -> QImage:
        assert self._image is not None
        target = self._image.size()
        if gray.size() != target:
            if aspect_differs(gray.size(), target):
                raise MaskImportError(
                    f"The mask is {gray.width()}×{gray.height()} but the image is "
                    f"{target.width()}×{target.height()}: their aspect ratios differ by more "
                    "than 1 %, so the mask would not line up."
                )
            gray = gray.scaled(
                target,
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            ).convertToFormat(Fmt.Format_Grayscale8)
        # Threshold after resampling, so scaled edges land on the right side of 50 %.
        return threshold_gray8(gray) if threshold else gray

    def save_mask_png(self, path: str | Path) -> None:
        """Write the mask as an 8-bit greyscale PNG (white = edit), atomically."""
        if self._layer is None:
            raise OSError("There is no image, so there is no mask to save.")
        atomic_write_bytes(path, gray8_to_png_bytes(self._layer.to_gray8()))

    # ================================================================== tool settings
    def tool(self) -> str:
        return self._tool.value

    def set_tool(self, tool: str | Tool) -> None:
        """``brush`` / ``eraser`` also set the add/erase mode the shape tools then use."""
        tool = Tool(tool)
        if self._shape is not None:
            self._cancel_shape()
        if tool is Tool.BRUSH:
            self.set_erase_mode(False)
        elif tool is Tool.ERASER:
            self.set_erase_mode(True)
        if tool is not self._tool:
            self._tool = tool
            self._update_cursor()
            self._update_brush_cursor()
            self.toolChanged.emit(tool.value)

    def erase_mode(self) -> bool:
        return self._erase_mode

    def set_erase_mode(self, erase: bool) -> None:
        if erase != self._erase_mode:
            self._erase_mode = erase
            self._update_brush_cursor()
            self.eraseModeChanged.emit(erase)

    def brush_size(self) -> float:
        """Brush diameter in image pixels."""
        return self._brush_size

    def set_brush_size(self, px: float) -> None:
        px = clamp_brush(px)
        if px != self._brush_size:
            old = self._brush_cursor_rect()
            self._brush_size = px
            self.update(old.united(self._brush_cursor_rect()))
            self.brushSizeChanged.emit(px)

    def step_brush_size(self, up: bool) -> None:
        self.set_brush_size(step_brush(self._brush_size, up))

    def hardness(self) -> float:
        return self._hardness

    def set_hardness(self, hardness: float) -> None:
        """0 = fully feathered (soft fall-off from the centre), 1 = crisp edge."""
        hardness = float(min(max(hardness, 0.0), 1.0))
        if hardness != self._hardness:
            self._hardness = hardness
            self.hardnessChanged.emit(hardness)

    def overlay_color(self) -> QColor:
        return QColor(self._overlay_color)

    def set_overlay_color(self, color: QColor) -> None:
        color = QColor(color)
        color.setAlpha(255)
        if color.rgb() == self._overlay_color.rgb():
            return
        self._overlay_color = color
        self._apply_layer_color()
        self.overlayChanged.emit()

    def overlay_opacity(self) -> float:
        return self._overlay_opacity

    def set_overlay_opacity(self, opacity: float) -> None:
        opacity = float(min(max(opacity, 0.0), 1.0))
        if opacity != self._overlay_opacity:
            self._overlay_opacity = opacity
            self.update()
            self.overlayChanged.emit()

    def mask_only(self) -> bool:
        return self._mask_only

    def set_mask_only(self, on: bool) -> None:
        """Show the mask alone: white = edit on black, as it will be exported."""
        if on != self._mask_only:
            self._mask_only = on
            self._apply_layer_color()
            self.update()
            self.maskOnlyChanged.emit(on)

    def _layer_color(self) -> QColor:
        return QColor(Qt.GlobalColor.white) if self._mask_only else QColor(self._overlay_color)

    def _apply_layer_color(self) -> None:
        # The mask is stored pre-tinted in its display colour (see mask_layer), so a colour
        # change recolours it once here rather than tinting on every repaint.
        if self._layer is not None:
            self._finish_interaction()
            self._layer.set_color(self._layer_color())

    # ================================================================== view
    def zoom(self) -> float:
        return self._zoom

    def set_zoom(self, zoom: float, anchor: QPointF | None = None) -> None:
        """Zoom keeping the image point under *anchor* (widget coords; default: the centre)
        where it is."""
        zoom = float(min(max(zoom, ZOOM_MIN), ZOOM_MAX))
        if anchor is None:
            anchor = QPointF(self.width() / 2, self.height() / 2)
        if self._image is None:
            self._set_zoom_value(zoom)
            return
        pivot = self.widget_to_image(anchor)
        self._fit_mode = False
        self._set_zoom_value(zoom)
        self._offset = QPointF(anchor.x() - pivot.x() * zoom, anchor.y() - pivot.y() * zoom)
        self._after_view_change()

    def _set_zoom_value(self, zoom: float) -> None:
        if zoom != self._zoom:
            self._zoom = zoom
            self._scaled_key = None
            self.zoomChanged.emit(zoom)
        if self._image is not None and zoom < 1:
            self._cache_timer.start()

    def zoom_in(self) -> None:
        self.set_zoom(next((z for z in ZOOM_STEPS if z > self._zoom * 1.001), ZOOM_MAX))

    def zoom_out(self) -> None:
        lower = [z for z in ZOOM_STEPS if z < self._zoom / 1.001]
        self.set_zoom(lower[-1] if lower else ZOOM_MIN)

    def actual_size(self) -> None:
        self.set_zoom(1.0)

    def fit(self) -> None:
        """Show the whole image, as large as fits; stays fitted when the widget resizes."""
        self._fit_mode = True
        if self._image is None:
            return
        iw, ih = self._image.width(), self._image.height()
        margin = FIT_MARGIN if min(self.width(), self.height()) > 8 * FIT_MARGIN else 0
        avail_w = max(1, self.width() - 2 * margin)
        avail_h = max(1, self.height() - 2 * margin)
        zoom = min(max(min(avail_w / iw, avail_h / ih), ZOOM_MIN), ZOOM_MAX)
        self._set_zoom_value(zoom)
        self._offset = QPointF((self.width() - iw * zoom) / 2, (self.height() - ih * zoom) / 2)
        self._after_view_change(clamp=False)

    def center_on(self, image_point: QPointF) -> None:
        """Pan so *image_point* is at the centre of the widget."""
        self._fit_mode = False
        self._offset = QPointF(
            self.width() / 2 - image_point.x() * self._zoom,
            self.height() / 2 - image_point.y() * self._zoom,
        )
        self._after_view_change()

    def pan_by(self, dx: float, dy: float) -> None:
        self._fit_mode = False
        self._offset += QPointF(dx, dy)
        self._after_view_change()

    def _after_view_change(self, clamp: bool = True) -> None:
        if clamp:
            self._clamp_offset()
        if self._zoom >= 1 and abs(self._zoom - round(self._zoom)) < 1e-9:
            # At whole-number zoom, whole-pixel offsets keep image pixels crisp squares.
            self._offset = QPointF(round(self._offset.x()), round(self._offset.y()))
        self.update()

    def _clamp_offset(self) -> None:
        # Keep at least a strip of the image on screen, so it can't be panned out of reach.
        if self._image is None:
            return
        ew, eh = self._image.width() * self._zoom, self._image.height() * self._zoom
        mx, my = min(64.0, ew), min(64.0, eh)
        x = min(max(self._offset.x(), mx - ew), self.width() - mx)
        y = min(max(self._offset.y(), my - eh), self.height() - my)
        self._offset = QPointF(x, y)

    def image_to_widget(self, p: QPointF) -> QPointF:
        return QPointF(self._offset.x() + p.x() * self._zoom, self._offset.y() + p.y() * self._zoom)

    def widget_to_image(self, p: QPointF) -> QPointF:
        return QPointF(
            (p.x() - self._offset.x()) / self._zoom, (p.y() - self._offset.y()) / self._zoom
        )

    def image_rect_in_widget(self) -> QRectF:
        if self._image is None:
            return QRectF()
        return QRectF(
            self._offset,
            QSize(self._image.width(), self._image.height()).toSizeF() * self._zoom,
        )

    def _image_rect_to_widget(self, r: QRect | QRectF, margin: int = 2) -> QRect:
        r = QRectF(r)
        z = self._zoom
        w = QRectF(self._offset.x() + r.x() * z, self._offset.y() + r.y() * z, r.width() * z,
                   r.height() * z)  # fmt: skip
        return w.toAlignedRect().adjusted(-margin, -margin, margin, margin)

    def _widget_rect_to_image(self, r: QRectF) -> QRect:
        tl = self.widget_to_image(r.topLeft())
        br = self.widget_to_image(r.bottomRight())
        x0, y0 = math.floor(tl.x()), math.floor(tl.y())
        x1, y1 = math.ceil(br.x()), math.ceil(br.y())
        return QRect(x0, y0, x1 - x0, y1 - y0)

    def show_message(self, text: str, msec: int = 3500) -> None:
        """A transient note drawn over the canvas (e.g. "Mask cleared: ...")."""
        self._toast = text
        self._toast_timer.start(msec)
        self.update()

    def _hide_toast(self) -> None:
        self._toast = ""
        self.update()

    # ================================================================== interaction state
    def _finish_interaction(self) -> None:
        """Commit a stroke in progress (before an operation that needs a quiet layer)."""
        if self._stroke is not None:
            self._end_stroke()
        if self._shape is not None:
            self._cancel_shape()

    def _abort_interaction(self) -> None:
        if self._layer is not None:
            self._layer.cancel_edit()
        self._stroke = None
        self._shape = None
        self._pan_from = None

    def _on_edit_cancelled(self) -> None:
        self._stroke = None

    def _erase_for(self, modifiers: Qt.KeyboardModifier) -> bool:
        # Alt flips the current add/erase mode for one stroke or shape.
        return self._erase_mode != bool(modifiers & Qt.KeyboardModifier.AltModifier)

    # ================================================================== strokes
    def _begin_stroke(
        self, pos: QPointF, pressure: float, erase: bool, line: bool, source: str
    ) -> None:
        assert self._layer is not None
        size = self._brush_size
        sensitive = source == "tablet"

        def diameter_at(p: float) -> float:
            return size * max(MIN_PRESSURE_SCALE, min(p, 1.0)) if sensitive else size

        interp = StrokeInterpolator(diameter_at)
        self._stroke = _Stroke(interp, erase, source, sensitive)
        self._layer.begin_edit()
        pt = self.widget_to_image(pos)
        if line and self._last_point is not None:
            # Shift-click: a straight line from where the previous stroke ended.
            interp.start(*self._last_point, pressure, dab=False)
            dabs = interp.move_to(pt.x(), pt.y(), pressure) + interp.flush()
        else:
            dabs = interp.start(pt.x(), pt.y(), pressure)
        self._paint_dabs(dabs)

    def _stroke_to(self, pos: QPointF, pressure: float) -> None:
        if self._stroke is None:
            return
        pt = self.widget_to_image(pos)
        self._paint_dabs(self._stroke.interp.move_to(pt.x(), pt.y(), pressure))

    def _paint_dabs(self, dabs: list[tuple[float, float, float]]) -> None:
        stroke = self._stroke
        if not dabs or stroke is None or self._layer is None:
            return
        size_at = stroke.interp.diameter_at
        self._layer.paint_dabs(
            [(x, y, size_at(p)) for x, y, p in dabs], self._hardness, stroke.erase
        )

    def _end_stroke(self) -> None:
        stroke, layer = self._stroke, self._layer
        if stroke is None or layer is None:
            return
        self._paint_dabs(stroke.interp.flush())
        self._stroke = None
        self._last_point = stroke.interp.last_point
        edit = layer.commit_edit()
        if edit is not None:
            text = "Erase stroke" if stroke.erase else "Brush stroke"
            self._undo_stack.push(RegionCommand(layer, edit, text))

    def cancel_stroke(self) -> None:
        """Abandon the stroke in progress, restoring its pixels (Esc)."""
        if self._layer is not None:
            self._layer.cancel_edit()
        self._stroke = None

    def _on_painted(self, rect: QRect) -> None:
        self._dirty(self._image_rect_to_widget(rect))

    # ================================================================== shapes
    def _shape_widget_rect(self) -> QRect:
        shape = self._shape
        if shape is None or not shape.points:
            return QRect()
        if shape.kind is Tool.RECT and len(shape.points) >= 2:
            return self._image_rect_to_widget(self._shape_rect(shape), margin=4)
        poly = QPolygonF(shape.points)
        return self._image_rect_to_widget(poly.boundingRect(), margin=4)

    def _refresh_shape(self) -> None:
        new = self._shape_widget_rect()
        self._dirty(self._shape_dirty.united(new))
        self._shape_dirty = new

    @staticmethod
    def _shape_rect(shape: _Shape) -> QRect:
        a, b = shape.points[0], shape.points[-1]
        dx, dy = b.x() - a.x(), b.y() - a.y()
        if shape.square:
            side = max(abs(dx), abs(dy))
            dx, dy = math.copysign(side, dx), math.copysign(side, dy)
        x0, x1 = sorted((round(a.x()), round(a.x() + dx)))
        y0, y1 = sorted((round(a.y()), round(a.y() + dy)))
        return QRect(x0, y0, x1 - x0, y1 - y0)

    def _commit_shape(self, modifiers: Qt.KeyboardModifier) -> None:
        shape, layer = self._shape, self._layer
        self._cancel_shape()
        if shape is None or layer is None:
            return
        erase = self._erase_for(modifiers)
        if shape.kind is Tool.RECT:
            if len(shape.points) < 2:
                return
            shape.square = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
            edit = layer.fill_rect(self._shape_rect(shape), erase)
            name = "Rectangle"
        else:
            edit = layer.fill_polygon(shape.points, erase)
            name = "Lasso"
        if edit is not None:
            text = f"{name} {'erase' if erase else 'fill'}"
            self._undo_stack.push(RegionCommand(layer, edit, text))

    def _cancel_shape(self) -> None:
        if self._shape is not None:
            self._shape = None
            self.update(self._shape_dirty)
            self._shape_dirty = QRect()

    # ================================================================== events: mouse
    @_batched_updates
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._image is None:
            event.ignore()
            return
        pos, button = event.position(), event.button()
        self._set_hover(pos)
        if button == Qt.MouseButton.MiddleButton or (
            button == Qt.MouseButton.LeftButton and self._space_down
        ):
            self._pan_from = pos
            self._pan_offset0 = QPointF(self._offset)
            self._update_cursor()
            event.accept()
            return
        if self._stroke is not None:  # e.g. a pen stroke is running: don't start another
            event.accept()
            return
        if button != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        mods = event.modifiers()
        if self._tool.paints:
            shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
            self._begin_stroke(pos, 1.0, self._erase_for(mods), shift, "mouse")
        else:
            pt = self.widget_to_image(pos)
            self._shape = _Shape(self._tool, [pt], erase=self._erase_for(mods))
            self._refresh_shape()
        event.accept()

    @_batched_updates
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        self._set_hover(pos)
        if self._pan_from is not None:
            delta = pos - self._pan_from
            self._fit_mode = False
            self._offset = self._pan_offset0 + delta
            self._after_view_change()
            return
        if self._stroke is not None and self._stroke.source == "mouse":
            self._stroke_to(pos, 1.0)
            return
        shape = self._shape
        if shape is not None:
            mods = event.modifiers()
            shape.erase = self._erase_for(mods)
            pt = self.widget_to_image(pos)
            if shape.kind is Tool.RECT:
                shape.square = bool(mods & Qt.KeyboardModifier.ShiftModifier)
                shape.points[1:] = [pt]
            else:
                last = self.image_to_widget(shape.points[-1])
                if math.hypot(pos.x() - last.x(), pos.y() - last.y()) >= 1.5:
                    shape.points.append(pt)
            self._refresh_shape()

    @_batched_updates
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        button = event.button()
        if self._pan_from is not None and button in (
            Qt.MouseButton.MiddleButton,
            Qt.MouseButton.LeftButton,
        ):
            self._pan_from = None
            self._update_cursor()
            return
        if button != Qt.MouseButton.LeftButton:
            return
        if self._stroke is not None and self._stroke.source == "mouse":
            self._stroke_to(event.position(), 1.0)
            self._end_stroke()
        elif self._shape is not None:
            if self._shape.kind is Tool.LASSO:
                self._shape.points.append(self.widget_to_image(event.position()))
            else:
                self._shape.points[1:] = [self.widget_to_image(event.position())]
            self._commit_shape(event.modifiers())

    def leaveEvent(self, event: QEvent) -> None:
        self._set_hover(None)
        super().leaveEvent(event)

    # ================================================================== events: tablet
    @_batched_updates
    def tabletEvent(self, event: QTabletEvent) -> None:
        """Pen strokes use pressure for size. Anything we don't accept (shapes, panning, hover)
        comes back as a synthesised mouse event, so those paths stay single."""
        if self._image is None or self._layer is None:
            event.ignore()
            return
        kind, pos = event.type(), event.position()
        if kind == QTabletEvent.Type.TabletPress:
            if (
                event.button() == Qt.MouseButton.LeftButton
                and self._tool.paints
                and not self._space_down
                and self._stroke is None
                and self._pan_from is None
            ):
                mods = event.modifiers()
                erase = self._erase_for(mods)
                if event.pointerType() == QPointingDevice.PointerType.Eraser:
                    erase = True  # the pen's eraser end erases, whatever the tool
                shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
                self._set_hover(pos)
                self._begin_stroke(pos, event.pressure(), erase, shift, "tablet")
                event.accept()
                return
        elif kind == QTabletEvent.Type.TabletMove:
            if self._stroke is not None and self._stroke.source == "tablet":
                self._set_hover(pos)
                self._stroke_to(pos, event.pressure())
                event.accept()
                return
        elif (
            kind == QTabletEvent.Type.TabletRelease
            and self._stroke is not None
            and self._stroke.source == "tablet"
        ):
            self._stroke_to(pos, event.pressure())
            self._end_stroke()
            event.accept()
            return
        event.ignore()

    # ================================================================== events: wheel/keys
    def wheelEvent(self, event: QWheelEvent) -> None:
        if self._image is None:
            event.ignore()
            return
        delta = event.angleDelta().y() or event.angleDelta().x()
        if not delta:
            delta = event.pixelDelta().y()
        if not delta:
            event.ignore()
            return
        # One notch (120) zooms by 2^(1/4) ≈ 19 %; trackpads send smaller deltas, same curve.
        self.set_zoom(self._zoom * 2 ** (delta / 480), anchor=event.position())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Space:
            if not event.isAutoRepeat():
                self._space_down = True
                self._update_cursor()
                self._update_brush_cursor()
            event.accept()
            return
        if key == Qt.Key.Key_Escape and (self._stroke is not None or self._shape is not None):
            self.cancel_stroke()
            self._cancel_shape()
            event.accept()
            return
        # Fallbacks for when the panel's shortcut actions aren't installed (bare canvas).
        if key in (Qt.Key.Key_BracketLeft, Qt.Key.Key_BracketRight):
            self.step_brush_size(key == Qt.Key.Key_BracketRight)
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_down = False
            self._update_cursor()
            self._update_brush_cursor()
            event.accept()
            return
        super().keyReleaseEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        # A Space release delivered elsewhere must not leave the canvas stuck in pan mode.
        if self._space_down:
            self._space_down = False
            self._update_cursor()
        super().focusOutEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        old = event.oldSize()
        if self._image is not None:
            if self._fit_mode:
                self.fit()
            elif old.isValid() and not old.isEmpty():
                centre = self.widget_to_image(QPointF(old.width() / 2, old.height() / 2))
                self.center_on(centre)
        super().resizeEvent(event)

    # ================================================================== cursor
    def _update_cursor(self) -> None:
        if self._image is None:
            shape = Qt.CursorShape.ArrowCursor
        elif self._pan_from is not None:
            shape = Qt.CursorShape.ClosedHandCursor
        elif self._space_down:
            shape = Qt.CursorShape.OpenHandCursor
        elif self._tool.paints:
            shape = Qt.CursorShape.BlankCursor  # the brush outline is drawn instead
        else:
            shape = Qt.CursorShape.CrossCursor
        self.setCursor(shape)

    def _shows_brush_cursor(self) -> bool:
        return (
            self._hover is not None
            and self._image is not None
            and self._tool.paints
            and not self._space_down
            and self._pan_from is None
        )

    def _brush_cursor_rect(self, at: QPointF | None = None) -> QRect:
        at = at if at is not None else self._hover
        if at is None:
            return QRect()
        r = max(self._brush_size * self._zoom / 2, 6.0) + 4
        return QRectF(at.x() - r, at.y() - r, 2 * r, 2 * r).toAlignedRect()

    def _set_hover(self, pos: QPointF | None) -> None:
        old = self._brush_cursor_rect()
        self._hover = QPointF(pos) if pos is not None else None
        self._dirty(old.united(self._brush_cursor_rect()))

    def _update_brush_cursor(self) -> None:
        self._dirty(self._brush_cursor_rect())

    def _dirty(self, rect: QRect) -> None:
        """Schedule a repaint of *rect*; inside an input event the rects are merged into one
        update() at the end (each QWidget.update call costs ~10-20 µs of region maths)."""
        if self._pending_dirty is None:
            self.update(rect)
        elif not rect.isNull():
            pending = self._pending_dirty
            self._pending_dirty = pending.united(rect) if not pending.isNull() else rect

    # ================================================================== painting
    def _rebuild_scaled_cache(self) -> None:
        """Smooth (area-averaged) downscale of the image for the current zoom; bilinear drawing
        of a 4K image at 20 % aliases visibly. Built after zooming settles (debounced)."""
        img = self._display
        if img is None or self._zoom >= 1:
            self._scaled = None
            return
        dpr = self.devicePixelRatioF()
        key = (self._zoom, dpr)
        if self._scaled_key == key and self._scaled is not None:
            return
        w = max(1, round(img.width() * self._zoom * dpr))
        h = max(1, round(img.height() * self._zoom * dpr))
        self._scaled = img.scaled(
            w, h, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        self._scaled_key = key
        self.update()

    @staticmethod
    def _make_checker() -> QPixmap:
        pm = QPixmap(16, 16)
        pm.fill(CHECKER_DARK)
        p = QPainter(pm)
        p.fillRect(0, 0, 8, 8, CHECKER_LIGHT)
        p.fillRect(8, 8, 8, 8, CHECKER_LIGHT)
        p.end()
        return pm

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        exposed = event.rect()
        p.fillRect(exposed, BACKGROUND)
        if self._image is None or self._display is None or self._layer is None:
            self._paint_empty_state(p)
            p.end()
            return
        img_w = self.image_rect_in_widget()
        visible = img_w.intersected(QRectF(exposed))
        if not visible.isEmpty():
            # Source pixels behind the exposed area, plus slack so bilinear filtering at the
            # edge of a partial repaint samples real neighbours (no seams between repaints).
            src = self._widget_rect_to_image(visible).adjusted(-2, -2, 2, 2)
            src = src.intersected(self._image.rect())
            if self._mask_only:
                p.fillRect(visible, Qt.GlobalColor.black)
            else:
                if self._display.hasAlphaChannel():
                    p.setBrushOrigin(self._offset)
                    p.fillRect(visible, QBrush(self._checker))
                    p.setBrushOrigin(0, 0)
                self._paint_image(p, img_w, src)
            self._paint_mask(p, src)
        self._paint_frame(p, img_w)
        if self._shape is not None:
            self._paint_shape(p)
        if self._shows_brush_cursor():
            self._paint_brush_cursor(p)
        if self._toast:
            self._paint_toast(p)
        p.end()

    def _paint_image(self, p: QPainter, img_w: QRectF, src: QRect) -> None:
        assert self._display is not None
        if self._zoom < 1:
            key = (self._zoom, self.devicePixelRatioF())
            if self._scaled is not None and self._scaled_key == key:
                p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
                p.drawImage(img_w, self._scaled)
                p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
                return
            self._cache_timer.start()
        p.save()
        p.translate(self._offset)
        p.scale(self._zoom, self._zoom)
        # Below 100 %: filter; above: crisp nearest-neighbour pixels, as pixel editors do.
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self._zoom < 1)
        p.drawImage(QPointF(src.topLeft()), self._display, QRectF(src))
        p.restore()

    def _paint_mask(self, p: QPainter, src: QRect) -> None:
        assert self._layer is not None
        p.save()
        p.translate(self._offset)
        p.scale(self._zoom, self._zoom)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self._zoom < 1)
        p.setOpacity(1.0 if self._mask_only else self._overlay_opacity)
        p.drawImage(QPointF(src.topLeft()), self._layer.image(), QRectF(src))
        p.restore()

    def _paint_frame(self, p: QPainter, img_w: QRectF) -> None:
        # A hairline just outside the image separates it from the backdrop, dark or not.
        p.save()
        p.setPen(QPen(QColor(0, 0, 0, 170), 1))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(img_w.adjusted(-0.5, -0.5, 0.5, 0.5))
        p.restore()

    def _paint_brush_cursor(self, p: QPainter) -> None:
        assert self._hover is not None
        # Centre on the hovered pixel's centre with a whole-pixel radius, so the 1 px outline
        # falls on pixel centres and stays crisp instead of smearing over two pixels.
        c = QPointF(math.floor(self._hover.x()) + 0.5, math.floor(self._hover.y()) + 0.5)
        r = float(round(self._brush_size * self._zoom / 2))
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setBrush(Qt.BrushStyle.NoBrush)
        if r >= 3:
            # Dark halo + light line: readable over any image colour.
            p.setPen(QPen(QColor(0, 0, 0, 150), 3))
            p.drawEllipse(c, r, r)
            light = QPen(QColor(255, 255, 255, 240), 1)
            if self._erase_mode:
                light.setDashPattern([3, 3])
            p.setPen(light)
            p.drawEllipse(c, r, r)
        if r < 10:
            # Small brushes: a crosshair shows where the centre is.
            arm = 6.0
            for pen in (QPen(QColor(0, 0, 0, 150), 3), QPen(QColor(255, 255, 255, 235), 1)):
                p.setPen(pen)
                p.drawLine(QPointF(c.x() - arm, c.y()), QPointF(c.x() + arm, c.y()))
                p.drawLine(QPointF(c.x(), c.y() - arm), QPointF(c.x(), c.y() + arm))
        p.restore()

    def _paint_shape(self, p: QPainter) -> None:
        shape = self._shape
        assert shape is not None
        if shape.kind is Tool.RECT:
            if len(shape.points) < 2:
                return
            path = QPainterPath()
            path.addRect(QRectF(self._image_rect_to_widget(self._shape_rect(shape), margin=0)))
        else:
            path = QPainterPath()
            path.addPolygon(QPolygonF([self.image_to_widget(q) for q in shape.points]))
            path.closeSubpath()
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if shape.erase:
            p.fillPath(path, QBrush(QColor(0, 0, 0, 90), Qt.BrushStyle.BDiagPattern))
        else:
            fill = QColor(self._layer_color())
            fill.setAlphaF(0.35)
            p.fillPath(path, fill)
        p.setPen(QPen(QColor(0, 0, 0, 200), 1))
        p.drawPath(path)
        ants = QPen(QColor(255, 255, 255), 1)
        ants.setDashPattern([4, 4])
        p.setPen(ants)
        p.drawPath(path)
        p.restore()

    def _paint_toast(self, p: QPainter) -> None:
        p.save()
        f = QFont(self.font())
        f.setPointSizeF(f.pointSizeF() * 1.05)
        p.setFont(f)
        fm = p.fontMetrics()
        w = min(fm.horizontalAdvance(self._toast) + 32, self.width() - 24)
        h = fm.height() + 16
        box = QRectF((self.width() - w) / 2, self.height() - h - 20, w, h)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(20, 20, 22, 225))
        p.drawRoundedRect(box, 8, 8)
        p.setPen(QColor(235, 235, 240))
        elided = fm.elidedText(self._toast, Qt.TextElideMode.ElideRight, int(w - 24))
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, elided)
        p.restore()

    def _paint_empty_state(self, p: QPainter) -> None:
        """The drop-zone hint shown without an image: a dashed card with a picture glyph."""
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        cw = min(420.0, self.width() - 40.0)
        ch = min(220.0, self.height() - 40.0)
        card = QRectF((self.width() - cw) / 2, (self.height() - ch) / 2, cw, ch)
        pen = QPen(QColor(120, 122, 130), 1.5)
        pen.setDashPattern([6, 5])
        p.setPen(pen)
        p.setBrush(QColor(255, 255, 255, 8))
        p.drawRoundedRect(card, 14, 14)
        # Picture glyph: frame, sun, two hills.
        g = QRectF(0, 0, 64, 48)
        g.moveCenter(QPointF(card.center().x(), card.top() + ch * 0.38))
        p.setPen(QPen(QColor(160, 162, 170), 2.2))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(g, 6, 6)
        p.setBrush(QColor(160, 162, 170))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawEllipse(QPointF(g.left() + 18, g.top() + 15), 5, 5)
        hills = QPainterPath()
        hills.moveTo(g.left() + 6, g.bottom() - 6)
        hills.lineTo(g.left() + 24, g.top() + 24)
        hills.lineTo(g.left() + 36, g.top() + 34)
        hills.lineTo(g.left() + 46, g.top() + 20)
        hills.lineTo(g.right() - 6, g.bottom() - 6)
        hills.closeSubpath()
        p.drawPath(hills)
        f = QFont(self.font())
        f.setPointSizeF(max(f.pointSizeF(), 9.0) * 1.25)
        p.setFont(f)
        p.setPen(QColor(205, 207, 214))
        text_rect = QRectF(card.left(), g.bottom() + 14, card.width(), p.fontMetrics().height() + 4)
        p.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, EMPTY_HINT)
        f.setPointSizeF(f.pointSizeF() * 0.78)
        p.setFont(f)
        p.setPen(QColor(135, 137, 145))
        sub = QRectF(
            card.left(), text_rect.bottom() + 4, card.width(), p.fontMetrics().height() + 4
        )
        p.drawText(sub, Qt.AlignmentFlag.AlignCenter, "then paint over what should change")
        p.restore()
