"""The mask canvas's shape tools: rectangle, lasso and region drawn with the mouse, and the
keyboard marquee (a rectangle placed with the arrow keys).

A layer of ``MaskCanvas`` above ``canvas_base`` (whose state holds the shape in progress,
``_shape``, and drops it on a tool change); ``input`` feeds it points and ``painting``
draws it. A committed shape is one undoable step, like a stroke.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QPolygonF

from .canvas_base import CanvasBase, _Shape
from .tools import Tool
from .undo import RegionCommand


class CanvasShapes(CanvasBase):
    """Shapes as operations: where one is on screen, and committing it to the mask."""

    def _shape_widget_rect(self) -> QRect:
        shape = self._shape
        if shape is None or not shape.points:
            return QRect()
        if shape.kind in (Tool.RECT, Tool.REGION) and len(shape.points) >= 2:
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
        if shape.kind is Tool.REGION:
            if len(shape.points) >= 2 and self._image is not None:
                shape.square = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
                rect = self._shape_rect(shape).intersected(self._image.rect())
                if not rect.isEmpty():
                    self.regionDrawn.emit(rect)
            return
        erase = self._erase_for(modifiers)
        if shape.kind is Tool.RECT:
            if len(shape.points) < 2:
                return
            shape.square = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
            edit = layer.fill_rect(self._shape_rect(shape), erase)
            text = self.tr("Rectangle erase") if erase else self.tr("Rectangle fill")
        else:
            edit = layer.fill_polygon(shape.points, erase)
            text = self.tr("Lasso erase") if erase else self.tr("Lasso fill")
        if edit is not None:
            self._undo_stack.push(RegionCommand(layer, edit, text))

    # ------------------------------------------------------------------ keyboard marquee
    def has_marquee(self) -> bool:
        """A rectangle being placed with the keyboard (arrows move it, Shift+arrows resize
        it, Enter fills it, Esc drops it)."""
        return self._shape is not None and self._shape.keyboard

    def marquee_rect(self) -> QRect | None:
        return self._shape_rect(self._shape) if self.has_marquee() else None  # type: ignore[arg-type]

    def start_marquee(self) -> None:
        """A marquee a third of the visible image, centred in the view."""
        if self._image is None or self._layer is None:
            return
        visible = self._widget_rect_to_image(QRectF(self.rect())).intersected(self._image.rect())
        if visible.isEmpty():
            visible = self._image.rect()
        w, h = max(1, visible.width() // 3), max(1, visible.height() // 3)
        centre = visible.center()
        a = QPointF(centre.x() - w / 2, centre.y() - h / 2)
        self._shape = _Shape(Tool.RECT, [a, QPointF(a.x() + w, a.y() + h)], keyboard=True)
        self._refresh_shape()
        self.marqueeChanged.emit(True)

    def marquee_step(self) -> int:
        """One arrow press moves or resizes by 1 % of the image's longer side."""
        if self._image is None:
            return 1
        return max(1, round(max(self._image.width(), self._image.height()) / 100))

    def nudge_marquee(self, dx: int, dy: int, resize: bool) -> None:
        if not self.has_marquee():
            self.start_marquee()
            return
        assert self._shape is not None and self._image is not None
        a, b = self._shape.points[0], self._shape.points[-1]
        bounds = QRectF(self._image.rect())
        if resize:
            b = QPointF(
                min(max(b.x() + dx, a.x() + 1), bounds.right() + 1),
                min(max(b.y() + dy, a.y() + 1), bounds.bottom() + 1),
            )
        else:
            w, h = b.x() - a.x(), b.y() - a.y()
            x = min(max(a.x() + dx, bounds.left()), bounds.right() + 1 - w)
            y = min(max(a.y() + dy, bounds.top()), bounds.bottom() + 1 - h)
            a, b = QPointF(x, y), QPointF(x + w, y + h)
        self._shape.points = [a, b]
        self._refresh_shape()
        self.marqueeChanged.emit(True)

    def commit_marquee(self, erase: bool | None = None) -> None:
        """Fill (or erase) the marquee's rectangle: one undoable step."""
        shape, layer = self._shape, self._layer
        if shape is None or not shape.keyboard or layer is None:
            return
        self._cancel_shape()
        erase = self._erase_mode if erase is None else erase
        edit = layer.fill_rect(self._shape_rect(shape), erase)
        if edit is not None:
            self._undo_stack.push(
                RegionCommand(
                    layer,
                    edit,
                    self.tr("Rectangle erase") if erase else self.tr("Rectangle fill"),
                )
            )
        self.marqueeChanged.emit(False)
