"""Fixtures for the mask canvas tests: a shown canvas of known size and a mouse driver that sends
real QMouseEvents (with buttons held on moves, which QTest.mouseMove can't do in Qt 6)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter
from PySide6.QtWidgets import QApplication, QWidget

from retouch.ui.canvas import CanvasPanel, MaskCanvas

WIDGET_SIZE = (800, 600)


def make_image(w: int, h: int, alpha: bool = False) -> QImage:
    """A non-uniform test image (so a broken image draw would show in grabs)."""
    fmt = QImage.Format.Format_ARGB32 if alpha else QImage.Format.Format_RGB32
    img = QImage(w, h, fmt)
    img.fill(QColor(70, 110, 160, 200 if alpha else 255))
    p = QPainter(img)
    p.fillRect(0, 0, w // 2, h // 2, QColor(200, 160, 90))
    p.end()
    return img


def mask_bytes(canvas: MaskCanvas) -> bytes:
    """The whole mask as tightly packed Grayscale8 bytes (zeros when empty)."""
    layer = canvas.mask_layer()
    assert layer is not None
    gray = layer.to_gray8()
    data = bytes(gray.constBits())
    w, bpl = gray.width(), gray.bytesPerLine()
    return b"".join(data[y * bpl : y * bpl + w] for y in range(gray.height()))


class MaskPixels:
    """Random access to an exported mask's values."""

    def __init__(self, image: QImage | None, size: tuple[int, int] | None = None) -> None:
        if image is None:
            assert size is not None
            self.w, self.h = size
            self._rows = [bytes(self.w)] * self.h
            return
        assert image.format() == QImage.Format.Format_Grayscale8
        self.w, self.h = image.width(), image.height()
        data, bpl = bytes(image.constBits()), image.bytesPerLine()
        self._rows = [data[y * bpl : y * bpl + self.w] for y in range(self.h)]

    def __getitem__(self, xy: tuple[int, int]) -> int:
        x, y = xy
        return self._rows[y][x]

    def count_nonzero(self) -> int:
        return sum(self.w - row.count(0) for row in self._rows)

    def centroid(self) -> tuple[float, float]:
        sx = sy = total = 0.0
        for y, row in enumerate(self._rows):
            if row.count(0) == self.w:
                continue
            for x, v in enumerate(row):
                if v:
                    sx += (x + 0.5) * v
                    sy += (y + 0.5) * v
                    total += v
        return sx / total, sy / total


class Mouse:
    """Drives a widget with QMouseEvents at float positions (no rounding to whole pixels)."""

    def __init__(self, widget: QWidget) -> None:
        self.widget = widget
        self.buttons = Qt.MouseButton.NoButton

    def _send(self, kind, pos, button, mods) -> None:
        gpos = QPointF(self.widget.mapToGlobal(pos))
        ev = QMouseEvent(kind, pos, gpos, button, self.buttons, mods)
        QApplication.sendEvent(self.widget, ev)

    def press(
        self, pos: QPointF, button=Qt.MouseButton.LeftButton, mods=Qt.KeyboardModifier.NoModifier
    ):
        self.buttons |= button
        self._send(QEvent.Type.MouseButtonPress, pos, button, mods)

    def move(self, pos: QPointF, mods=Qt.KeyboardModifier.NoModifier) -> None:
        self._send(QEvent.Type.MouseMove, pos, Qt.MouseButton.NoButton, mods)

    def release(
        self, pos: QPointF, button=Qt.MouseButton.LeftButton, mods=Qt.KeyboardModifier.NoModifier
    ):
        self.buttons &= ~button
        self._send(QEvent.Type.MouseButtonRelease, pos, button, mods)

    def drag(
        self,
        points: Sequence[QPointF],
        button=Qt.MouseButton.LeftButton,
        mods=Qt.KeyboardModifier.NoModifier,
    ) -> None:
        """Press at the first widget point, move through the rest, release at the last."""
        self.press(points[0], button, mods)
        for p in points[1:]:
            self.move(p, mods)
        self.release(points[-1], button, mods)


def image_path(canvas: MaskCanvas, points: Iterable[tuple[float, float]]) -> list[QPointF]:
    return [canvas.image_to_widget(QPointF(x, y)) for x, y in points]


def polyline(points: Sequence[tuple[float, float]], step: float) -> list[tuple[float, float]]:
    """Points every *step* along a polyline (the shape of a real, sampled drag)."""
    out: list[tuple[float, float]] = [points[0]]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        n = max(1, int(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5 / step))
        out += [(x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n) for i in range(1, n + 1)]
    return out


def dist_to_polyline(x: float, y: float, pts: Sequence[tuple[float, float]]) -> float:
    best = float("inf")
    for (x0, y0), (x1, y1) in itertools.pairwise(pts):
        dx, dy = x1 - x0, y1 - y0
        L2 = dx * dx + dy * dy
        t = 0.0 if L2 == 0 else max(0.0, min(1.0, ((x - x0) * dx + (y - y0) * dy) / L2))
        px, py = x0 + t * dx, y0 + t * dy
        best = min(best, ((x - px) ** 2 + (y - py) ** 2) ** 0.5)
    return best


@pytest.fixture
def make_canvas(qtbot) -> Callable[..., MaskCanvas]:
    def factory(image_w: int = 1200, image_h: int = 900, *, alpha: bool = False) -> MaskCanvas:
        canvas = MaskCanvas()
        qtbot.addWidget(canvas)
        canvas.resize(*WIDGET_SIZE)
        canvas.show()
        qtbot.waitExposed(canvas)
        canvas.set_image(make_image(image_w, image_h, alpha))
        canvas.set_hardness(1.0)
        return canvas

    return factory


@pytest.fixture
def canvas(make_canvas) -> MaskCanvas:
    return make_canvas()


@pytest.fixture
def panel(qtbot) -> CanvasPanel:
    panel = CanvasPanel()
    qtbot.addWidget(panel)
    panel.resize(1100, 700)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    return panel


@pytest.fixture
def mouse(canvas) -> Mouse:
    return Mouse(canvas)


@pytest.fixture
def helpers() -> SimpleNamespace:
    """The helpers above, for test modules (a conftest isn't importable by name reliably when
    other test folders have their own conftest.py)."""
    return SimpleNamespace(
        Mouse=Mouse,
        MaskPixels=MaskPixels,
        image_path=image_path,
        polyline=polyline,
        dist_to_polyline=dist_to_polyline,
        mask_bytes=mask_bytes,
        make_image=make_image,
    )
