"""The mask canvas's view of its image: zoom, pan and fit, and the smooth downscale drawn
below 100 %.

The bottom layer of ``MaskCanvas`` (see ``mask_canvas``): the transform itself is
``ui.view_transform.ViewTransform``, shared with Compare (``widget = offset + zoom *
image`` in logical pixels); this layer keeps it within reach of the widget and says when
the zoom changed. The image it views is set by ``canvas_base``.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QRectF, QSizeF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QWidget

from retouch.ui.view_transform import ViewTransform

CHECKER_DARK = QColor(58, 59, 63)
CHECKER_LIGHT = QColor(78, 79, 84)
ZOOM_MIN = 0.01
ZOOM_MAX = 64.0
# Ctrl+= / Ctrl+- walk these, so keyboard zoom lands on "round" levels like in other editors.
ZOOM_STEPS = (
    0.01, 0.02, 0.03, 0.05, 0.0625, 0.083, 0.125, 0.167, 0.25, 0.333, 0.5, 0.667,
    1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0, 32.0, 48.0, 64.0,
)  # fmt: skip
FIT_MARGIN = 16
CACHE_DELAY_MS = 120


class CanvasView(QWidget):
    """Zoom, pan, fit and the mapping between widget and image pixels."""

    zoomChanged = Signal(float)

    # The image viewed and its copy in a format QPainter draws fastest; canvas_base sets them.
    _image: QImage | None
    _display: QImage | None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._view = ViewTransform()
        self._fit_mode = True
        self._scaled: QImage | None = None  # smooth downscale of the image for zoom < 1
        self._scaled_key: tuple[float, float] | None = None
        self._cache_timer = QTimer(self, singleShot=True, interval=CACHE_DELAY_MS)
        self._cache_timer.timeout.connect(self._rebuild_scaled_cache)
        self._checker = self._make_checker()

    def zoom(self) -> float:
        return self._view.scale

    def set_zoom(self, zoom: float, anchor: QPointF | None = None) -> None:
        """Zoom keeping the image point under *anchor* (widget coords; default: the centre)
        where it is."""
        zoom = float(min(max(zoom, ZOOM_MIN), ZOOM_MAX))
        if anchor is None:
            anchor = QPointF(self.width() / 2, self.height() / 2)
        old = self._view.scale
        if self._image is None:
            self._view.scale = zoom
            self._zoomed(old)
            return
        self._fit_mode = False
        self._view.zoom_about(zoom, anchor)
        self._zoomed(old)
        self._after_view_change()

    def _zoomed(self, old: float) -> None:
        zoom = self._view.scale
        if zoom != old:
            self._scaled_key = None
            self.zoomChanged.emit(zoom)
        if self._image is not None and zoom < 1:
            self._cache_timer.start()

    def zoom_in(self) -> None:
        self.set_zoom(next((z for z in ZOOM_STEPS if z > self._view.scale * 1.001), ZOOM_MAX))

    def zoom_out(self) -> None:
        lower = [z for z in ZOOM_STEPS if z < self._view.scale / 1.001]
        self.set_zoom(lower[-1] if lower else ZOOM_MIN)

    def actual_size(self) -> None:
        self.set_zoom(1.0)

    def fit(self) -> None:
        """Show the whole image, as large as fits; stays fitted when the widget resizes."""
        self._fit_mode = True
        if self._image is None:
            return
        old = self._view.scale
        margin = FIT_MARGIN if min(self.width(), self.height()) > 8 * FIT_MARGIN else 0
        self._view.fit(
            QRectF(self.rect()), QSizeF(self._image.size()), margin, limits=(ZOOM_MIN, ZOOM_MAX)
        )
        self._zoomed(old)
        self._after_view_change(clamp=False)

    def center_on(self, image_point: QPointF) -> None:
        """Pan so *image_point* is at the centre of the widget."""
        self._fit_mode = False
        self._view.centre_on(image_point, QRectF(self.rect()))
        self._after_view_change()

    def pan_by(self, dx: float, dy: float) -> None:
        self._fit_mode = False
        self._view.pan(dx, dy)
        self._after_view_change()

    def _after_view_change(self, clamp: bool = True) -> None:
        if clamp and self._image is not None:
            # Keep at least a strip of the image on screen, so it can't be panned out of reach.
            self._view.keep_visible(QRectF(self.rect()), QSizeF(self._image.size()))
        self._view.snap()
        self.update()

    def image_to_widget(self, p: QPointF) -> QPointF:
        return self._view.image_to_widget(p)

    def widget_to_image(self, p: QPointF) -> QPointF:
        return self._view.widget_to_image(p)

    def image_rect_in_widget(self) -> QRectF:
        if self._image is None:
            return QRectF()
        return self._view.image_rect(QSizeF(self._image.size()))

    def _image_rect_to_widget(self, r: QRect | QRectF, margin: int = 2) -> QRect:
        return self._view.map_rect(r, margin)

    def _widget_rect_to_image(self, r: QRectF) -> QRect:
        return self._view.source_rect(r)

    def _rebuild_scaled_cache(self) -> None:
        """Smooth (area-averaged) downscale of the image for the current zoom; bilinear drawing
        of a 4K image at 20 % aliases visibly. Built after zooming settles (debounced)."""
        img = self._display
        if img is None or self._view.scale >= 1:
            self._scaled = None
            return
        dpr = self.devicePixelRatioF()
        key = (self._view.scale, dpr)
        if self._scaled_key == key and self._scaled is not None:
            return
        w = max(1, round(img.width() * self._view.scale * dpr))
        h = max(1, round(img.height() * self._view.scale * dpr))
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
