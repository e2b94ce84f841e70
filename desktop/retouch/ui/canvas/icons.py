"""Toolbar icons drawn with QPainter, so they look the same on every platform and theme and stay
crisp at any size and device pixel ratio (each size is rendered, not scaled).

Each size is rendered when it is first asked for (a QIconEngine), not all up front: the
window's first paint needs one size of each toolbar icon, not six sizes in two modes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QIcon,
    QIconEngine,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QApplication

_SIZES = (16, 20, 24, 32, 40, 48)
_Draw = Callable[[QPainter, QColor], None]


def _pen(color: QColor, width: float = 1.8) -> QPen:
    pen = QPen(color, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def _brush(p: QPainter, c: QColor) -> None:
    p.setPen(_pen(c, 2.6))
    p.drawLine(QPointF(20, 4), QPointF(13, 11))
    tip = QPainterPath()
    tip.moveTo(12.6, 9.8)
    tip.cubicTo(15.5, 12.5, 14.5, 16.5, 11, 18)
    tip.cubicTo(8.5, 19.2, 6, 19.5, 3.5, 20.5)
    tip.cubicTo(4.5, 18, 4.8, 15.5, 6, 13)
    tip.cubicTo(7.5, 10, 10.5, 8.8, 12.6, 9.8)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c)
    p.drawPath(tip)


def _eraser(p: QPainter, c: QColor) -> None:
    p.save()
    p.translate(12, 11)
    p.rotate(-40)
    body = QRectF(-8, -4.5, 16, 9)
    p.setPen(_pen(c, 1.7))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRoundedRect(body, 2, 2)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c)
    p.drawRoundedRect(QRectF(-8, -4.5, 7, 9), 2, 2)
    p.restore()
    p.setPen(_pen(c, 1.5))
    p.drawLine(QPointF(9, 20.5), QPointF(20, 20.5))


def _rect(p: QPainter, c: QColor) -> None:
    pen = _pen(c, 1.8)
    pen.setDashPattern([1.6, 1.6])
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRect(QRectF(4, 5, 16, 14))


def _lasso(p: QPainter, c: QColor) -> None:
    p.setPen(_pen(c, 1.8))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawEllipse(QPointF(13, 9.5), 8, 5.5)
    tail = QPainterPath()
    tail.moveTo(8.5, 14)
    tail.cubicTo(6.5, 16, 7.5, 18, 6, 20.5)
    p.drawPath(tail)
    p.setBrush(c)
    p.setPen(Qt.PenStyle.NoPen)
    p.drawEllipse(QPointF(8.5, 14), 1.8, 1.8)


def _fill(p: QPainter, c: QColor) -> None:
    """A paint bucket pouring: fill the whole mask."""
    p.save()
    p.translate(10.5, 13)
    p.rotate(-40)
    body = QPainterPath()
    body.moveTo(-6, -4)
    body.lineTo(-5, 6.5)
    body.quadTo(-5, 8, -3.5, 8)
    body.lineTo(3.5, 8)
    body.quadTo(5, 8, 5, 6.5)
    body.lineTo(6, -4)
    body.closeSubpath()
    p.setPen(_pen(c, 1.7))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(body)
    p.drawLine(QPointF(-7, -4), QPointF(7, -4))
    p.drawArc(QRectF(-4, -9.5, 8, 9), 0, 180 * 16)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c)
    p.drawRect(QRectF(-5.2, 1.5, 10.4, 6))  # the paint inside
    p.restore()
    drop = QPainterPath()
    drop.moveTo(19.5, 12)
    drop.cubicTo(21.8, 15.2, 22.2, 17.4, 19.5, 19.5)
    drop.cubicTo(16.8, 17.4, 17.2, 15.2, 19.5, 12)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c)
    p.drawPath(drop)


def _clear(p: QPainter, c: QColor) -> None:
    """A waste bin: throw the painted mask away."""
    p.setPen(_pen(c, 1.7))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawLine(QPointF(4.5, 7), QPointF(19.5, 7))
    p.drawRoundedRect(QRectF(9.5, 3.8, 5, 3.2), 1, 1)
    body = QPainterPath()
    body.moveTo(6.5, 7.5)
    body.lineTo(7.6, 19.2)
    body.quadTo(7.8, 20.5, 9, 20.5)
    body.lineTo(15, 20.5)
    body.quadTo(16.2, 20.5, 16.4, 19.2)
    body.lineTo(17.5, 7.5)
    p.drawPath(body)
    p.setPen(_pen(c, 1.4))
    for x in (10, 14):
        p.drawLine(QPointF(x, 10.5), QPointF(x, 17.5))


def _invert(p: QPainter, c: QColor) -> None:
    p.setPen(_pen(c, 1.7))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawEllipse(QPointF(12, 12), 8, 8)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c)
    p.drawPie(QRectF(4, 4, 16, 16), 90 * 16, 180 * 16)


def _arrow_arc(p: QPainter, c: QColor, mirror: bool) -> None:
    p.save()
    if mirror:
        p.translate(24, 0)
        p.scale(-1, 1)
    p.setPen(_pen(c, 1.9))
    p.setBrush(Qt.BrushStyle.NoBrush)
    path = QPainterPath()
    path.moveTo(6, 10)
    path.lineTo(14, 10)
    path.cubicTo(17.5, 10, 20, 12.5, 20, 15)
    path.cubicTo(20, 17.5, 17.5, 20, 14, 20)
    path.lineTo(10, 20)
    p.drawPath(path)
    head = QPainterPath()
    head.moveTo(10, 5.5)
    head.lineTo(5.5, 10)
    head.lineTo(10, 14.5)
    p.drawPath(head)
    p.restore()


def _magnifier(p: QPainter, c: QColor, plus: bool) -> None:
    p.setPen(_pen(c, 1.8))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawEllipse(QPointF(10.5, 10.5), 6.5, 6.5)
    p.setPen(_pen(c, 2.6))
    p.drawLine(QPointF(15.5, 15.5), QPointF(20.5, 20.5))
    p.setPen(_pen(c, 1.7))
    p.drawLine(QPointF(7.5, 10.5), QPointF(13.5, 10.5))
    if plus:
        p.drawLine(QPointF(10.5, 7.5), QPointF(10.5, 13.5))


def _fit(p: QPainter, c: QColor) -> None:
    p.setPen(_pen(c, 1.8))
    for x, y, dx, dy in ((4, 4, 1, 1), (20, 4, -1, 1), (4, 20, 1, -1), (20, 20, -1, -1)):
        p.drawLine(QPointF(x, y), QPointF(x + 5 * dx, y))
        p.drawLine(QPointF(x, y), QPointF(x, y + 5 * dy))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c)
    p.drawRoundedRect(QRectF(9, 9, 6, 6), 1, 1)


def _actual(p: QPainter, c: QColor) -> None:
    """Actual size: "1:1" in a frame."""
    p.setPen(_pen(c, 1.6))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRoundedRect(QRectF(2.5, 5, 19, 14), 2.5, 2.5)
    f = QFont()
    f.setPixelSize(10)
    f.setBold(True)
    p.setFont(f)
    p.setPen(c)
    p.drawText(QRectF(2.5, 5, 19, 14), Qt.AlignmentFlag.AlignCenter, "1:1")


def _mask_only(p: QPainter, c: QColor) -> None:
    """A stencil: the mask alone, painted area open."""
    stencil = QPainterPath()
    stencil.setFillRule(Qt.FillRule.OddEvenFill)
    stencil.addRoundedRect(QRectF(3, 4, 18, 16), 3, 3)
    blob = QPainterPath()
    blob.moveTo(8, 16)
    blob.cubicTo(5.5, 12, 9, 7.5, 12.5, 8.5)
    blob.cubicTo(17, 9.5, 18.5, 13, 16, 16)
    blob.cubicTo(14, 17.5, 10, 17.5, 8, 16)
    stencil.addPath(blob)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c)
    p.drawPath(stencil)


def _original(p: QPainter, c: QColor) -> None:
    """Before | after: a frame split down the middle, one half shown."""
    p.setPen(_pen(c, 1.7))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRoundedRect(QRectF(3.5, 5, 17, 14), 2.5, 2.5)
    p.drawLine(QPointF(12, 2.5), QPointF(12, 21.5))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c)
    half = QPainterPath()
    half.addRoundedRect(QRectF(3.5, 5, 17, 14), 2.5, 2.5)
    left = QPainterPath()
    left.addRect(QRectF(3.5, 5, 8.5, 14))
    p.drawPath(half.intersected(left))


def _tray_arrow(p: QPainter, c: QColor, down: bool) -> None:
    p.setPen(_pen(c, 1.8))
    p.setBrush(Qt.BrushStyle.NoBrush)
    tray = QPainterPath()
    tray.moveTo(4, 14)
    tray.lineTo(4, 20)
    tray.lineTo(20, 20)
    tray.lineTo(20, 14)
    p.drawPath(tray)
    p.drawLine(QPointF(12, 3.5), QPointF(12, 15))
    head = QPainterPath()
    if down:
        head.moveTo(7.5, 10.5)
        head.lineTo(12, 15)
        head.lineTo(16.5, 10.5)
    else:
        head.moveTo(7.5, 8)
        head.lineTo(12, 3.5)
        head.lineTo(16.5, 8)
    p.drawPath(head)


def _more(p: QPainter, c: QColor) -> None:
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c)
    for x in (6, 12, 18):
        p.drawEllipse(QPointF(x, 12), 1.8, 1.8)


def _region(p: QPainter, c: QColor) -> None:
    """Crop marks: the region sent to the model."""
    p.setPen(_pen(c, 1.9))
    p.setBrush(Qt.BrushStyle.NoBrush)
    for path in (
        [(7, 3), (7, 17), (21, 17)],
        [(3, 7), (17, 7), (17, 21)],
    ):
        outline = QPainterPath()
        outline.moveTo(*path[0])
        for point in path[1:]:
            outline.lineTo(*point)
        p.drawPath(outline)


def _whole(p: QPainter, c: QColor) -> None:
    """A frame with its corners marked: the whole image."""
    p.setPen(_pen(c, 1.5))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRect(QRectF(5.5, 6.5, 13, 11))
    p.setPen(_pen(c, 2.2))
    for x, y, dx, dy in ((3, 4, 1, 1), (21, 4, -1, 1), (3, 20, 1, -1), (21, 20, -1, -1)):
        p.drawLine(QPointF(x, y), QPointF(x + 4 * dx, y))
        p.drawLine(QPointF(x, y), QPointF(x, y + 4 * dy))


_GLYPHS: dict[str, _Draw] = {
    "brush": _brush,
    "eraser": _eraser,
    "rect": _rect,
    "lasso": _lasso,
    "fill": _fill,
    "clear": _clear,
    "invert": _invert,
    "undo": lambda p, c: _arrow_arc(p, c, False),
    "redo": lambda p, c: _arrow_arc(p, c, True),
    "zoom-in": lambda p, c: _magnifier(p, c, True),
    "zoom-out": lambda p, c: _magnifier(p, c, False),
    "fit": _fit,
    "actual": _actual,
    "mask-only": _mask_only,
    "original": _original,
    "import": lambda p, c: _tray_arrow(p, c, True),
    "export": lambda p, c: _tray_arrow(p, c, False),
    "more": _more,
    "region": _region,
    "whole": _whole,
}


def glyph_names() -> list[str]:
    return sorted(_GLYPHS)


def _render(draw: _Draw, color: QColor, size: int) -> QPixmap:
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    p.scale(size / 24, size / 24)
    draw(p, color)
    p.end()
    return pm


def make_icon(name: str, color: QColor | None = None) -> QIcon:
    """Icon *name* (see glyph_names) in *color* (default: the palette's button text)."""
    if color is None:
        app = QApplication.instance()
        pal = app.palette() if isinstance(app, QApplication) else QPalette()
        color = pal.color(QPalette.ColorRole.ButtonText)
    return QIcon(_GlyphEngine(_GLYPHS[name], QColor(color)))


class _GlyphEngine(QIconEngine):
    """Renders a glyph at the size and mode asked for, once each."""

    def __init__(self, draw: _Draw, color: QColor) -> None:
        super().__init__()
        self._draw = draw
        self._color = color
        self._cache: dict[tuple[int, bool], QPixmap] = {}

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        side = max(1, min(size.width(), size.height()))
        disabled = mode == QIcon.Mode.Disabled
        pm = self._cache.get((side, disabled))
        if pm is None:
            color = QColor(self._color)
            if disabled:
                color.setAlphaF(0.35)
            pm = self._cache[(side, disabled)] = _render(self._draw, color, side)
        return pm

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        # Rendered at the device's pixel size, so HiDPI screens get crisp strokes.
        device = QSize(round(size.width() * scale), round(size.height() * scale))
        pm = QPixmap(self.pixmap(device, mode, state))
        pm.setDevicePixelRatio(scale)
        return pm

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        dpr = painter.device().devicePixelRatioF() if painter.device() else 1.0
        pm = self.pixmap(rect.size() * dpr, mode, state)
        painter.drawPixmap(rect, pm)

    def availableSizes(
        self, mode: QIcon.Mode = QIcon.Mode.Normal, state: QIcon.State = QIcon.State.Off
    ) -> list[QSize]:
        return [QSize(s, s) for s in _SIZES]

    def clone(self) -> QIconEngine:
        return _GlyphEngine(self._draw, self._color)


def swatch_icon(color: QColor, size: int = 24) -> QIcon:
    """A rounded colour chip, for the overlay-colour button."""
    icon = QIcon()
    for s in (size, size * 2):
        pm = QPixmap(s, s)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        k = s / 24
        p.setPen(QPen(QColor(0, 0, 0, 120), 1.2 * k))
        p.setBrush(color)
        p.drawRoundedRect(QRectF(4 * k, 4 * k, 16 * k, 16 * k), 4 * k, 4 * k)
        p.end()
        icon.addPixmap(pm)
    return icon
