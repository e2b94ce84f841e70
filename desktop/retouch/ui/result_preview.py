"""The Results page's preview: the result shown large, scaled to fit and crisp on high-DPI
screens; with Before, the edited image in the same place; while a run is on, the image
being edited, dimmed under the run card."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from retouch.ui.theme import ink, paint_pill, scheme


class PreviewLabel(QLabel):
    """Shows an image scaled to fit, crisp on high-DPI screens; or, with ``show_before``, the
    edited image in the same place (before/after)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultPreview")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(200, 150)
        self._image: QImage | None = None
        self._scaled: QPixmap | None = None
        self._before: QImage | None = None
        self._before_scaled: QPixmap | None = None
        self._show_before = False
        self.waiting = False  # a run is on: the run card says so, no empty-state text

    def set_image(self, image: QImage | None) -> None:
        self._image = image
        self._scaled = None
        self.update()

    def set_before(self, image: QImage | None) -> None:
        self._before = image
        self._before_scaled = None
        self.update()

    def show_before(self, on: bool) -> None:
        if on != self._show_before:
            self._show_before = on
            self.update()

    def showing_before(self) -> bool:
        return self._show_before and self._before is not None and self._image is not None

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._scaled = self._before_scaled = None
        super().resizeEvent(event)

    def _fitted(self, image: QImage, size: QSize, cached: QPixmap | None) -> QPixmap:
        # Scale once per size: smooth-scaling a 4K image on every paint would stall the UI.
        if cached is not None:
            return cached
        dpr = self.devicePixelRatioF()
        scaled = QPixmap.fromImage(
            image.scaled(
                size * dpr,
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        scaled.setDevicePixelRatio(dpr)
        return scaled

    def paintEvent(self, event: QPaintEvent) -> None:
        s = scheme()
        painter = QPainter(self)
        painter.fillRect(self.rect(), s.color("surface"))
        if self._image is None or self._image.isNull():
            if self.waiting and self._before is not None and not self._before.isNull():
                # While the run is on: the image being edited, dimmed under the run card.
                size = self._before.size().scaled(
                    self.size() - QSize(24, 24), Qt.AspectRatioMode.KeepAspectRatio
                )
                self._before_scaled = self._fitted(self._before, size, self._before_scaled)
                painter.setOpacity(0.35)
                painter.drawPixmap(
                    QRect(
                        (self.width() - size.width()) // 2,
                        (self.height() - size.height()) // 2,
                        size.width(),
                        size.height(),
                    ),
                    self._before_scaled,
                )
            elif not self.waiting:
                painter.setPen(ink(self, s.surface_muted))
                painter.drawText(
                    self.rect(),
                    Qt.AlignmentFlag.AlignCenter,
                    self.tr("Results appear here as they arrive"),
                )
            return
        size = self._image.size().scaled(
            self.size() - QSize(24, 24), Qt.AspectRatioMode.KeepAspectRatio
        )
        target = QRect(
            (self.width() - size.width()) // 2,
            (self.height() - size.height()) // 2,
            size.width(),
            size.height(),
        )
        if self.showing_before():
            assert self._before is not None
            # The edited image in the result's place, so the two line up.
            self._before_scaled = self._fitted(self._before, size, self._before_scaled)
            painter.drawPixmap(target, self._before_scaled)
            paint_pill(painter, self, self.tr("Before"), inset=14, pad=22)
        else:
            self._scaled = self._fitted(self._image, size, self._scaled)
            painter.drawPixmap(target, self._scaled)
