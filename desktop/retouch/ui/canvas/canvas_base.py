"""The mask canvas's state and its API: the image, the mask, the tool settings, strokes.

The layers of ``MaskCanvas``, one concern each: ``canvas_view`` (zoom, pan, fit), this
module (state, image and mask operations, tool settings, strokes as operations),
``shapes`` (rectangle, lasso, region and the keyboard marquee), ``painting`` (drawing it),
``input`` (mouse, tablet, wheel and keys) and ``mask_io`` (mask files). Coordinates: see
``ui.view_transform``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QUndoStack
from PySide6.QtWidgets import QWidget

from retouch.ui.theme import scheme

from . import mask_io
from .canvas_view import CanvasView
from .mask_layer import MaskLayer, aspect_differs
from .tools import MIN_PRESSURE_SCALE, StrokeInterpolator, Tool, clamp_brush, step_brush
from .undo import InvertCommand, RegionCommand, stack_memory_bytes

Fmt = QImage.Format

DEFAULT_OVERLAY = QColor(255, 40, 96)


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
    keyboard: bool = False  # placed with the arrow keys (the keyboard marquee)


class CanvasBase(CanvasView):
    """The canvas's state and operations; ``MaskCanvas`` adds shapes, drawing and input."""

    maskChanged = Signal()
    toolChanged = Signal(str)
    eraseModeChanged = Signal(bool)
    brushSizeChanged = Signal(float)
    hardnessChanged = Signal(float)
    maskOnlyChanged = Signal(bool)
    originalChanged = Signal(bool)  # the image shown without its mask (before/after)
    overlayChanged = Signal()
    imageChanged = Signal()
    #: The Region tool drew a rectangle (image pixels, inside the image): the region to send.
    regionDrawn = Signal(QRect)
    #: The keyboard marquee started, moved or ended: (is one shown, hint for the user).
    marqueeChanged = Signal(bool)

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

        self._tool = Tool.BRUSH
        self._erase_mode = False
        self._brush_size = 40.0
        self._hardness = 0.8
        self._overlay_color = QColor(DEFAULT_OVERLAY)
        self._overlay_opacity = 0.5
        self._mask_only = False
        self._show_original = False
        self._held_original = False  # shown while the backslash key is held
        self._focus_ring = False  # keyboard focus: drawn as a ring (focus-visible)

        self._stroke: _Stroke | None = None
        self._shape: _Shape | None = None
        self._shape_dirty = QRect()
        self._last_point: tuple[float, float] | None = None  # for Shift-click lines
        self._pan_from: QPointF | None = None
        self._pan_offset0 = QPointF()
        self._space_down = False
        self._hover: QPointF | None = None
        self._cursor_rect = QRect()  # where the brush outline was last drawn

        self._pending_dirty: QRect | None = None  # set while batching repaints (see _dirty)

        # What Run would send (issue 12): the region in image pixels, and its caption.
        self._region: QRect | None = None
        self._region_label = ""

        self._toast = ""
        self._toast_timer = QTimer(self, singleShot=True)
        self._toast_timer.timeout.connect(self._hide_toast)

        self._background = scheme().color("surface")
        self._update_cursor()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._background = scheme().color("surface")
        super().changeEvent(event)

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

    def is_mask_all_black(self) -> bool:
        """Something is painted, but nothing at or above the 50 % a run keeps: the mask would
        say "keep everything" (Run is disabled with the reason). Cached until a change."""
        return (
            self._layer is not None
            and not self._layer.is_empty()
            and not (self._layer.has_edit_pixels())
        )

    def mask_for_export(self) -> QImage | None:
        """Grayscale8, exactly the image's size: 255 = edit, 0 = keep (soft brush edges keep
        their in-between values). None when there is no image or the mask is empty."""
        if self._layer is None or self._layer.is_empty():
            return None
        return self._layer.to_gray8()

    def mask_part(self) -> tuple[QImage, tuple[int, int]] | None:
        """The painted area of the mask, cheaply (a copy of its known bounds only), for a run
        to turn into the full-size mask off the UI thread: the layer's pixels, whose alpha is
        the mask, and where they sit in the image. None when the mask is empty."""
        if self._layer is None or self._image is None or self._layer.is_empty():
            return None
        bounds = self._layer.bounds().intersected(self._image.rect())
        if bounds.isEmpty():
            return None
        return self._layer.image().copy(bounds), (bounds.x(), bounds.y())

    def clear_mask(self) -> None:
        if self._layer is None:
            return
        self._finish_interaction()
        edit = self._layer.clear()
        if edit is not None:
            self._undo_stack.push(RegionCommand(self._layer, edit, self.tr("Clear mask")))

    def fill_mask(self) -> None:
        if self._layer is None:
            return
        self._finish_interaction()
        edit = self._layer.fill()
        self._undo_stack.push(RegionCommand(self._layer, edit, self.tr("Fill mask")))

    def invert_mask(self) -> None:
        if self._layer is None:
            return
        self._finish_interaction()
        self._layer.invert()
        self._undo_stack.push(InvertCommand(self._layer, self.tr("Invert mask")))

    def set_mask(self, image: QImage) -> None:
        """Replace the mask with *image* (e.g. from history): white = edit. Kept as is (no
        threshold) so a restored soft mask is exact; resampled if only the size differs.
        Undoable. Raises MaskImportError if the aspect ratio differs by more than 1 %."""
        if self._layer is None or self._image is None:
            raise mask_io.MaskImportError(self.tr("Open an image before setting a mask."))
        gray = mask_io.mask_from_image(image, self._image.size())
        self._finish_interaction()
        edit = self._layer.set_from_gray8(gray)
        self._undo_stack.push(RegionCommand(self._layer, edit, self.tr("Restore mask")))

    def load_mask_file(self, path: str | Path) -> None:
        """Import a mask image of any mode: luminance (over black, for images with alpha)
        thresholded at 50 %, rescaled to the image. Undoable. Raises MaskImportError (message
        meant for the user) if unreadable or if the aspect ratio differs by more than 1 %."""
        if self._layer is None or self._image is None:
            raise mask_io.MaskImportError("Open an image before importing a mask.")
        gray = mask_io.mask_from_file(path, self._image.size())
        self._finish_interaction()
        edit = self._layer.set_from_gray8(gray)
        self._undo_stack.push(RegionCommand(self._layer, edit, self.tr("Import mask")))

    def save_mask_png(self, path: str | Path) -> None:
        """Write the mask as an 8-bit greyscale PNG (white = edit), atomically."""
        if self._layer is None:
            raise OSError(self.tr("There is no image, so there is no mask to save."))
        mask_io.write_mask_png(self._layer.to_gray8(), path)

    # ================================================================== the region sent
    def set_region_overlay(self, rect: QRect | None, label: str = "") -> None:
        """Show *rect* (image pixels; None: nothing) as the part of the image Run sends,
        with *label* as its caption; the rest of the image is dimmed."""
        rect = QRect(rect) if rect is not None and not rect.isEmpty() else None
        if rect == self._region and label == self._region_label:
            return
        self._region, self._region_label = rect, label
        self.update()

    def region_overlay(self) -> tuple[QRect | None, str]:
        return (QRect(self._region) if self._region is not None else None, self._region_label)

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
            self._cursor_rect = self._brush_cursor_rect()
            self.update(old.united(self._cursor_rect))
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

    def show_original(self) -> bool:
        return self._show_original

    def set_show_original(self, on: bool) -> None:
        """Show the image alone, without the mask over it (hold \\ or the Original toggle)."""
        on = bool(on)
        if on != self._show_original:
            self._show_original = on
            self.update()
            self.originalChanged.emit(on)

    def _layer_color(self) -> QColor:
        return QColor(Qt.GlobalColor.white) if self._mask_only else QColor(self._overlay_color)

    def _apply_layer_color(self) -> None:
        # The mask is stored pre-tinted in its display colour (see mask_layer), so a colour
        # change recolours it once here rather than tinting on every repaint.
        if self._layer is not None:
            self._finish_interaction()
            self._layer.set_color(self._layer_color())

    # ================================================================== messages
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
        pt = self._view.widget_to_image(pos)
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
            text = self.tr("Erase stroke") if stroke.erase else self.tr("Brush stroke")
            self._undo_stack.push(RegionCommand(layer, edit, text))

    def cancel_stroke(self) -> None:
        """Abandon the stroke in progress, restoring its pixels (Esc)."""
        if self._layer is not None:
            self._layer.cancel_edit()
        self._stroke = None

    def _on_painted(self, rect: QRect) -> None:
        self._dirty(self._view.map_rect(rect, 2))

    # ================================================================== shapes
    # Drawing, committing and the keyboard marquee: ``shapes``; a state change drops one.
    def _cancel_shape(self) -> None:
        if self._shape is not None:
            keyboard = self._shape.keyboard
            self._shape = None
            self.update(self._shape_dirty)
            self._shape_dirty = QRect()
            if keyboard:
                self.marqueeChanged.emit(False)

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
        r = max(self._brush_size * self._view.scale / 2, 6.0) + 4
        return QRectF(at.x() - r, at.y() - r, 2 * r, 2 * r).toAlignedRect()

    def _set_hover(self, pos: QPointF | None) -> None:
        # Runs on every mouse move: the outline's old rect is kept, not computed again.
        old = self._cursor_rect
        self._hover = QPointF(pos) if pos is not None else None
        self._cursor_rect = new = self._brush_cursor_rect()
        self._dirty(old.united(new) if not old.isNull() else new)

    def _update_brush_cursor(self) -> None:
        self._cursor_rect = self._brush_cursor_rect()
        self._dirty(self._cursor_rect)

    def _dirty(self, rect: QRect) -> None:
        """Schedule a repaint of *rect*; inside an input event the rects are merged into one
        update() at the end (each QWidget.update call costs ~10-20 µs of region maths)."""
        if self._pending_dirty is None:
            self.update(rect)
        elif not rect.isNull():
            pending = self._pending_dirty
            self._pending_dirty = pending.united(rect) if not pending.isNull() else rect
