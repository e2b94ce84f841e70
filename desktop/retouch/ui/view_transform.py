"""One view transform for every image view: the mask canvas and the Compare page.

An image is shown in a viewport as ``widget = offset + scale * image``, in logical widget
pixels (mouse positions are logical too, so devicePixelRatio never enters the mapping). The
maths of fitting, zooming about a point, panning and clamping live here once. Views that
show several images in step (Compare's panes) share a zoom relative to fitting and the
image point at the viewport's centre in normalised (0..1) coordinates, and turn them into a
transform per pane with ``ViewTransform.centred``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRect, QRectF, QSizeF

#: One wheel notch (an angle delta of 120) zooms by 2^(1/4) ≈ 19 %; trackpads send smaller
#: deltas along the same curve.
WHEEL_DELTA_PER_DOUBLING = 480


def wheel_factor(delta: float) -> float:
    """How much a wheel turn of *delta* (1/8° units) zooms."""
    return float(2 ** (delta / WHEEL_DELTA_PER_DOUBLING))


def fit_scale(viewport: QRectF, image: QSizeF, margin: float = 0.0) -> float:
    """The scale at which *image* just fits *viewport* less *margin* on every side."""
    avail_w = max(1.0, viewport.width() - 2 * margin)
    avail_h = max(1.0, viewport.height() - 2 * margin)
    return min(avail_w / max(1.0, image.width()), avail_h / max(1.0, image.height()))


@dataclass
class ViewTransform:
    scale: float = 1.0
    offset: QPointF = field(default_factory=QPointF)

    @classmethod
    def centred(
        cls, viewport: QRectF, image: QSizeF, scale: float, centre: QPointF
    ) -> ViewTransform:
        """The transform showing normalised image point *centre* at the viewport's centre."""
        c = viewport.center()
        return cls(
            scale,
            QPointF(
                c.x() - centre.x() * image.width() * scale,
                c.y() - centre.y() * image.height() * scale,
            ),
        )

    # -- mapping ----------------------------------------------------------------------------

    def image_to_widget(self, p: QPointF) -> QPointF:
        return QPointF(self.offset.x() + p.x() * self.scale, self.offset.y() + p.y() * self.scale)

    def widget_to_image(self, p: QPointF) -> QPointF:
        return QPointF(
            (p.x() - self.offset.x()) / self.scale, (p.y() - self.offset.y()) / self.scale
        )

    def image_rect(self, image: QSizeF) -> QRectF:
        """Where the whole image is drawn."""
        return QRectF(self.offset, image * self.scale)

    def map_rect(self, r: QRect | QRectF, margin: int = 0) -> QRect:
        """An image rectangle in whole widget pixels covering it, grown by *margin*."""
        r = QRectF(r)
        s = self.scale
        w = QRectF(self.offset.x() + r.x() * s, self.offset.y() + r.y() * s, r.width() * s,
                   r.height() * s)  # fmt: skip
        return w.toAlignedRect().adjusted(-margin, -margin, margin, margin)

    def source_rect(self, r: QRectF) -> QRect:
        """The whole image pixels behind widget rectangle *r*."""
        tl, br = self.widget_to_image(r.topLeft()), self.widget_to_image(r.bottomRight())
        x0, y0 = math.floor(tl.x()), math.floor(tl.y())
        return QRect(x0, y0, math.ceil(br.x()) - x0, math.ceil(br.y()) - y0)

    def centre(self, viewport: QRectF, image: QSizeF) -> QPointF:
        """The normalised image point at the viewport's centre (the inverse of ``centred``)."""
        p = self.widget_to_image(viewport.center())
        return QPointF(p.x() / max(1.0, image.width()), p.y() / max(1.0, image.height()))

    # -- changing the view ------------------------------------------------------------------

    def fit(
        self,
        viewport: QRectF,
        image: QSizeF,
        margin: float = 0.0,
        limits: tuple[float, float] | None = None,
    ) -> None:
        """As large as fits (within *limits*), centred."""
        scale = fit_scale(viewport, image, margin)
        self.scale = min(max(scale, limits[0]), limits[1]) if limits else scale
        c = viewport.center()
        self.offset = QPointF(
            c.x() - image.width() * self.scale / 2, c.y() - image.height() * self.scale / 2
        )

    def zoom_about(self, scale: float, anchor: QPointF) -> None:
        """Change the scale keeping the image point under *anchor* where it is."""
        pivot = self.widget_to_image(anchor)
        self.scale = scale
        self.offset = QPointF(anchor.x() - pivot.x() * scale, anchor.y() - pivot.y() * scale)

    def pan(self, dx: float, dy: float) -> None:
        self.offset = QPointF(self.offset.x() + dx, self.offset.y() + dy)

    def centre_on(self, image_point: QPointF, viewport: QRectF) -> None:
        """Put *image_point* at the viewport's centre."""
        c = viewport.center()
        self.offset = QPointF(
            c.x() - image_point.x() * self.scale, c.y() - image_point.y() * self.scale
        )

    def keep_visible(self, viewport: QRectF, image: QSizeF, strip: float = 64.0) -> None:
        """Keep at least a *strip* of the image on screen, so it can't be panned out of reach."""
        ew, eh = image.width() * self.scale, image.height() * self.scale
        mx, my = min(strip, ew), min(strip, eh)
        self.offset = QPointF(
            min(max(self.offset.x(), viewport.left() + mx - ew), viewport.right() - mx),
            min(max(self.offset.y(), viewport.top() + my - eh), viewport.bottom() - my),
        )

    def snap(self) -> None:
        """At a whole-number scale, whole-pixel offsets keep image pixels crisp squares."""
        if self.scale >= 1 and abs(self.scale - round(self.scale)) < 1e-9:
            self.offset = QPointF(round(self.offset.x()), round(self.offset.y()))
