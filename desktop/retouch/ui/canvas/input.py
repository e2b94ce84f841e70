"""The mask canvas's input: mouse and pen strokes, shapes, panning, wheel zoom, keys.

Every handler batches the repaints it asks for into one ``update()`` (``_batched_updates``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import TypeVar

# Qt classes first needed after the window's first paint are reached through their module
# (QtWidgets.QMessageBox): PySide6 builds a class, enums and all, when it is first touched.
from PySide6 import QtGui
from PySide6.QtCore import QEvent, QPointF, QRect, Qt
from PySide6.QtGui import (
    QFocusEvent,
    QKeyEvent,
    QMouseEvent,
    QResizeEvent,
    QTabletEvent,
    QWheelEvent,
)

from retouch.ui.view_transform import wheel_factor

from .canvas_base import _Shape
from .painting import CanvasPainting
from .tools import Tool

_E = TypeVar("_E")
_C = TypeVar("_C", bound="CanvasInput")


def _batched_updates(handler: Callable[[_C, _E], None]) -> Callable[[_C, _E], None]:
    """Wrap an input-event handler so all repaints it requests become one update()."""

    @functools.wraps(handler)
    def wrapper(self: _C, event: _E) -> None:
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


class CanvasInput(CanvasPainting):
    """Mouse, tablet, wheel and key handling."""

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
            self._pan_offset0 = QPointF(self._view.offset)
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
            self._view.offset = self._pan_offset0 + delta
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
            if shape.kind in (Tool.RECT, Tool.REGION):
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
                if event.pointerType() == QtGui.QPointingDevice.PointerType.Eraser:
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
        self.set_zoom(self._view.scale * wheel_factor(delta), anchor=event.position())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Backslash:
            # Hold to see the image without its mask (Lightroom's before/after key).
            if not event.isAutoRepeat():
                self._held_original = True
                self.set_show_original(True)
            event.accept()
            return
        if self._marquee_key(event):
            event.accept()
            return
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

    def _marquee_key(self, event: QKeyEvent) -> bool:
        """The keyboard marquee (rectangle tool): arrows place it (Shift+arrows resize),
        Enter fills it, Alt+Enter erases, Esc drops it."""
        if self._image is None or self._tool is not Tool.RECT or self._stroke is not None:
            return False
        key, mods = event.key(), event.modifiers()
        arrows: dict[int, tuple[int, int]] = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1),
        }
        if key in arrows and not mods & Qt.KeyboardModifier.ControlModifier:
            dx, dy = arrows[key]
            step = self.marquee_step()
            self.nudge_marquee(
                dx * step, dy * step, resize=bool(mods & Qt.KeyboardModifier.ShiftModifier)
            )
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.has_marquee():
            erase = None
            if mods & Qt.KeyboardModifier.AltModifier:
                erase = not self._erase_mode
            self.commit_marquee(erase)
            return True
        if key == Qt.Key.Key_Escape and self.has_marquee():
            self._cancel_shape()
            return True
        return False

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Backslash and not event.isAutoRepeat():
            if self._held_original:
                self._held_original = False
                self.set_show_original(False)
            event.accept()
            return
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_down = False
            self._update_cursor()
            self._update_brush_cursor()
            event.accept()
            return
        super().keyReleaseEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        # A ring only when the keyboard brought the focus here (a click to paint needs none).
        self._focus_ring = event.reason() in (
            Qt.FocusReason.TabFocusReason,
            Qt.FocusReason.BacktabFocusReason,
            Qt.FocusReason.ShortcutFocusReason,
        )
        if self._focus_ring:
            self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        # A Space release delivered elsewhere must not leave the canvas stuck in pan mode.
        if self._space_down:
            self._space_down = False
            self._update_cursor()
        if self._held_original:  # the \\ release went elsewhere
            self._held_original = False
            self.set_show_original(False)
        if self._focus_ring:
            self._focus_ring = False
            self.update()
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
