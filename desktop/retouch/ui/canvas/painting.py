"""Drawing the mask canvas: the image (a smooth cached downscale below 100 %), the mask over
it, the shape being drawn, the brush outline, a transient note, the empty-state hint."""

from __future__ import annotations

import math

from PySide6.QtCore import QT_TRANSLATE_NOOP, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
)

from retouch.ui.theme import LIGHT, ink, paint_pill, scaled_font, scheme

from .shapes import CanvasShapes
from .tools import Tool

BACKGROUND = QColor(LIGHT.surface)  # the canvas backdrop (the scheme's image surface)
REGION_DIM = QColor(0, 0, 0, 110)  # over the part of the image that is not sent
REGION_LINE = QColor(255, 214, 10)
EMPTY_HINT = str(QT_TRANSLATE_NOOP("MaskCanvas", "Drop an image here or press Ctrl+O"))
EMPTY_SUB = str(QT_TRANSLATE_NOOP("MaskCanvas", "then paint over what should change"))


class CanvasPainting(CanvasShapes):
    """Draws the canvas; every pixel is painted here (WA_OpaquePaintEvent)."""

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        exposed = event.rect()
        p.fillRect(exposed, self._background)
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
            if self._mask_only and not self._show_original:
                p.fillRect(visible, Qt.GlobalColor.black)
            else:
                if self._display.hasAlphaChannel():
                    p.setBrushOrigin(self._view.offset)
                    p.fillRect(visible, QBrush(self._checker))
                    p.setBrushOrigin(0, 0)
                self._paint_image(p, img_w, src)
            if not self._show_original:
                self._paint_mask(p, src)
        self._paint_frame(p, img_w)
        if self._region is not None and not self._mask_only and not self._show_original:
            self._paint_region(p, img_w)
        if self._shape is not None and not self._show_original:
            self._paint_shape(p)
        if self._shows_brush_cursor() and not self._show_original:
            self._paint_brush_cursor(p)
        if self._show_original:
            paint_pill(p, self, self.tr("Original"), inset=12, pad=20)
        if self._toast:
            self._paint_toast(p)
        if self._focus_ring:
            self._paint_focus_ring(p)
        p.end()

    def _paint_focus_ring(self, p: QPainter) -> None:
        p.save()
        pen = QPen(scheme().color("focus"), 2)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        p.restore()

    def _paint_image(self, p: QPainter, img_w: QRectF, src: QRect) -> None:
        assert self._display is not None
        if self._view.scale < 1:
            key = (self._view.scale, self.devicePixelRatioF())
            if self._scaled is not None and self._scaled_key == key:
                p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
                p.drawImage(img_w, self._scaled)
                p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
                return
            self._cache_timer.start()
        p.save()
        p.translate(self._view.offset)
        p.scale(self._view.scale, self._view.scale)
        # Below 100 %: filter; above: crisp nearest-neighbour pixels, as pixel editors do.
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self._view.scale < 1)
        p.drawImage(QPointF(src.topLeft()), self._display, QRectF(src))
        p.restore()

    def _paint_mask(self, p: QPainter, src: QRect) -> None:
        assert self._layer is not None
        p.save()
        p.translate(self._view.offset)
        p.scale(self._view.scale, self._view.scale)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self._view.scale < 1)
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

    def _paint_region(self, p: QPainter, img_w: QRectF) -> None:
        """The part of the image Run sends: the rest dimmed, a dashed frame, a caption."""
        assert self._region is not None
        region = QRectF(self._image_rect_to_widget(self._region, margin=0))
        p.save()
        if region.toAlignedRect() != img_w.toAlignedRect():
            outside = QPainterPath()
            outside.addRect(img_w)
            inside = QPainterPath()
            inside.addRect(region)
            p.fillPath(outside.subtracted(inside), REGION_DIM)
        frame = region.adjusted(0.5, 0.5, -0.5, -0.5)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(QColor(0, 0, 0, 190), 3))
        p.drawRect(frame)
        dashes = QPen(REGION_LINE, 1)
        dashes.setDashPattern([6, 4])
        p.setPen(dashes)
        p.drawRect(frame)
        if self._region_label:
            fm = p.fontMetrics()
            room = max(int(region.width()), min(360, int(self.width() - region.left() - 8)))
            text = fm.elidedText(self._region_label, Qt.TextElideMode.ElideRight, room)
            w, h = fm.horizontalAdvance(text) + 12, fm.height() + 6
            top = region.top() - h - 2 if region.top() - h - 2 >= 0 else region.top() + 2
            pill = QRectF(region.left(), top, w, h)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(15, 15, 18, 210))
            p.drawRoundedRect(pill, 4, 4)
            p.setPen(ink(self, REGION_LINE))
            p.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
        p.restore()

    def _paint_brush_cursor(self, p: QPainter) -> None:
        assert self._hover is not None
        # Centre on the hovered pixel's centre with a whole-pixel radius, so the 1 px outline
        # falls on pixel centres and stays crisp instead of smearing over two pixels.
        c = QPointF(math.floor(self._hover.x()) + 0.5, math.floor(self._hover.y()) + 0.5)
        r = float(round(self._brush_size * self._view.scale / 2))
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
        if shape.kind in (Tool.RECT, Tool.REGION):
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
        if shape.kind is Tool.REGION:
            pass  # a region is only outlined: it paints nothing
        elif shape.erase:
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
        p.setFont(scaled_font(self.font(), 1.05))
        fm = p.fontMetrics()
        w = min(fm.horizontalAdvance(self._toast) + 32, self.width() - 24)
        h = fm.height() + 16
        box = QRectF((self.width() - w) / 2, self.height() - h - 20, w, h)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        back = scheme().color("surface_raised")
        back.setAlpha(225)
        p.setBrush(back)
        p.drawRoundedRect(box, 8, 8)
        p.setPen(ink(self, scheme().surface_text))
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
        s = scheme()
        text_ink, quiet = s.color("surface_text"), s.color("surface_muted")
        pen = QPen(quiet, 1.5)
        pen.setDashPattern([6, 5])
        p.setPen(pen)
        p.setBrush(QColor(255, 255, 255, 8))
        p.drawRoundedRect(card, 14, 14)
        # Picture glyph: frame, sun, two hills.
        g = QRectF(0, 0, 64, 48)
        g.moveCenter(QPointF(card.center().x(), card.top() + ch * 0.38))
        p.setPen(QPen(quiet, 2.2))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(g, 6, 6)
        p.setBrush(quiet)
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
        f = scaled_font(self.font(), 1.25)
        p.setFont(f)
        p.setPen(ink(self, text_ink))
        text_rect = QRectF(card.left(), g.bottom() + 14, card.width(), p.fontMetrics().height() + 4)
        p.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, self.tr(EMPTY_HINT))
        p.setFont(scaled_font(f, 0.78))
        p.setPen(ink(self, quiet))
        sub = QRectF(
            card.left(), text_rect.bottom() + 4, card.width(), p.fontMetrics().height() + 4
        )
        p.drawText(sub, Qt.AlignmentFlag.AlignCenter, self.tr(EMPTY_SUB))
        p.restore()
