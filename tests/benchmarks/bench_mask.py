"""Mask canvas benchmark on a 3840x2160 image. Run: ``python tests/benchmarks/bench_mask.py``
(``--quick`` for fewer repeats).

Figures (median and spread over repeats, all measured in this run):
  1. cost per brush dab through the canvas's own path (QMouseEvent → mapping → interpolation →
     stamp → update) against the floor: a minimal widget doing the same job by the plainest
     means — the same QMouseEvent dispatched to it, the position mapped, one cached stamp
     (the same 60 px soft dab, rendered once) drawn with QPainter on an
     ARGB32_Premultiplied image of the same size, and update() of the dab's rectangle.
     Both run shown, with the same repaint between events. Target ≤ 1.5x.
  2. time from a mouse move to the end of the repaint it causes (sendEvent, then
     processEvents, which runs the paint of the dirty rect and the flush). Target: well inside
     a 60 Hz frame.
  3. bytes held by 100 undo steps of ordinary strokes. Target ≤ 150 MB.
Not collected by pytest (tests/benchmarks is in norecursedirs, and the name isn't test_*).
"""

from __future__ import annotations

import math
import os
import random
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QPointF, QRect, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QLinearGradient,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QRadialGradient,
)
from PySide6.QtWidgets import QApplication, QWidget

from retouch.ui.canvas import MaskCanvas
from retouch.ui.canvas.tools import dab_spacing

if __package__:
    from ._report import Row, print_rows
else:  # pragma: no cover - run as a script
    from _report import Row, print_rows  # type: ignore[no-redef]

W, H = 3840, 2160
BRUSH = 60.0  # image px
HARDNESS = 0.8
DABS = 400
REPEATS = 9
MB = 1024 * 1024
FRAME_MS = 1000 / 60


def _rss_bytes() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _image() -> QImage:
    img = QImage(W, H, QImage.Format.Format_RGB32)
    p = QPainter(img)
    g = QLinearGradient(0, 0, W, H)
    g.setColorAt(0, QColor(30, 80, 150))
    g.setColorAt(1, QColor(230, 190, 100))
    p.fillRect(img.rect(), g)
    p.end()
    return img


def _send(canvas: QWidget, kind: QEvent.Type, pos: QPointF, button, buttons) -> None:
    ev = QMouseEvent(
        kind, pos, QPointF(canvas.mapToGlobal(pos)), button, buttons, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(canvas, ev)


def _path(n: int, step: float, seed: int) -> list[QPointF]:
    """A wandering path with exactly *step* image px between samples, inside the image."""
    rnd = random.Random(seed)
    x, y, a = W * 0.3, H * 0.4, 0.0
    out = []
    for _ in range(n):
        out.append(QPointF(x, y))
        a += rnd.uniform(-0.25, 0.25)
        nx, ny = x + step * math.cos(a), y + step * math.sin(a)
        if not (100 < nx < W - 100 and 100 < ny < H - 100):
            a += 3.14159
            nx, ny = x + step * math.cos(a), y + step * math.sin(a)
        x, y = nx, ny
    return out


# --------------------------------------------------------------------------- 1: dab cost
def soft_stamp(diameter: float, hardness: float) -> QImage:
    """One soft dab, rendered once: what a brush engine caches."""
    side = math.ceil(diameter) + 2
    stamp = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
    stamp.fill(0)
    colour = QColor(255, 40, 96)
    g = QRadialGradient(QPointF(side / 2, side / 2), diameter / 2)
    g.setColorAt(0.0, colour)
    g.setColorAt(hardness, colour)
    g.setColorAt(1.0, QColor(255, 40, 96, 0))
    p = QPainter(stamp)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(g))
    p.drawEllipse(QPointF(side / 2, side / 2), diameter / 2, diameter / 2)
    p.end()
    return stamp


class FloorCanvas(QWidget):
    """The floor: a mouse move becomes one cached stamp on the mask and an update() of its
    rectangle, nothing else. Shows the mask scaled like the canvas, so repaints cost alike."""

    def __init__(self, zoom: float, offset: QPointF) -> None:
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.mask = QImage(W, H, QImage.Format.Format_ARGB32_Premultiplied)
        self.mask.fill(0)
        self.stamp = soft_stamp(BRUSH, HARDNESS)
        self.zoom, self.offset = zoom, offset
        self.c0 = self.stamp.width() // 2

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        x = (pos.x() - self.offset.x()) / self.zoom
        y = (pos.y() - self.offset.y()) / self.zoom
        left, top = math.floor(x) - self.c0, math.floor(y) - self.c0
        p = QPainter(self.mask)
        p.drawImage(left, top, self.stamp)
        p.end()
        s = self.stamp.width() * self.zoom
        self.update(
            QRect(
                math.floor(self.offset.x() + left * self.zoom) - 1,
                math.floor(self.offset.y() + top * self.zoom) - 1,
                math.ceil(s) + 2,
                math.ceil(s) + 2,
            )
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(event.rect(), QColor(36, 37, 40))
        p.translate(self.offset)
        p.scale(self.zoom, self.zoom)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self.zoom < 1)
        p.drawImage(0, 0, self.mask)
        p.end()


def bench_dabs(canvas: MaskCanvas) -> tuple[list[float], list[float]]:
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    step = dab_spacing(BRUSH)  # one dab per move event
    canvas_us, raw_us = [], []
    for rep in range(REPEATS):
        pts = _path(DABS + 1, step, seed=rep)
        wpts = [canvas.image_to_widget(p) for p in pts]
        canvas.clear_mask()
        QApplication.processEvents()
        _send(canvas, QEvent.Type.MouseButtonPress, wpts[0], left, left)
        QApplication.processEvents()
        spent = 0.0
        for wp in wpts[1:]:
            t0 = time.perf_counter()
            _send(canvas, QEvent.Type.MouseMove, wp, none, left)
            spent += time.perf_counter() - t0
            # Let the repaint happen (untimed here; figure 2 times it), as the event loop
            # would between real mouse moves, so Qt's dirty region doesn't grow unboundedly.
            QApplication.processEvents()
        _send(canvas, QEvent.Type.MouseButtonRelease, wpts[-1], left, none)
        QApplication.processEvents()
        canvas_us.append(spent / DABS * 1e6)

        floor = FloorCanvas(canvas.zoom(), canvas.image_to_widget(QPointF(0, 0)))
        floor.resize(canvas.size())
        floor.show()
        QApplication.processEvents()
        spent = 0.0
        for wp in wpts[1:]:
            t0 = time.perf_counter()
            _send(floor, QEvent.Type.MouseMove, wp, none, left)
            spent += time.perf_counter() - t0
            QApplication.processEvents()  # the same repaint between events, untimed
        raw_us.append(spent / DABS * 1e6)
        floor.close()
        floor.deleteLater()
    return canvas_us, raw_us


# --------------------------------------------------------------------------- 2: latency
def bench_latency(canvas: MaskCanvas, zoom: float | None) -> list[float]:
    if zoom is None:
        canvas.fit()
    else:
        canvas.set_zoom(zoom)
        canvas.center_on(QPointF(W / 2, H / 2))
    QApplication.processEvents()
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    step = max(dab_spacing(BRUSH), 6 / canvas.zoom())  # a brisk drag: ~6 screen px per event
    samples = []
    for rep in range(REPEATS):
        pts = _path(61, step, seed=100 + rep)
        pts = [
            QPointF(W / 2 + (p.x() - W * 0.3) * 0.3, H / 2 + (p.y() - H * 0.4) * 0.3) for p in pts
        ]
        wpts = [canvas.image_to_widget(p) for p in pts]
        _send(canvas, QEvent.Type.MouseButtonPress, wpts[0], left, left)
        QApplication.processEvents()
        for wp in wpts[1:]:
            t0 = time.perf_counter()
            _send(canvas, QEvent.Type.MouseMove, wp, none, left)
            QApplication.processEvents()  # paints the dirty rect(s) and flushes
            samples.append((time.perf_counter() - t0) * 1e3)
        _send(canvas, QEvent.Type.MouseButtonRelease, wpts[-1], left, none)
        QApplication.processEvents()
    return samples


def bench_full_repaint(canvas: MaskCanvas) -> list[float]:
    canvas.fit()
    canvas.fill_mask()
    QApplication.processEvents()
    samples = []
    for _ in range(REPEATS * 3):
        t0 = time.perf_counter()
        canvas.repaint()
        samples.append((time.perf_counter() - t0) * 1e3)
    canvas.clear_mask()
    return samples


# --------------------------------------------------------------------------- 3: undo memory
def bench_undo_memory(canvas: MaskCanvas) -> tuple[int, int]:
    canvas.set_image(_image())
    canvas.set_brush_size(80)
    QApplication.processEvents()
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    rss0 = _rss_bytes()
    rnd = random.Random(7)
    for i in range(100):
        n = rnd.randint(15, 40)  # strokes 300-800 px long
        pts = _path(n, 20, seed=1000 + i)
        dx, dy = rnd.uniform(-800, 1800), rnd.uniform(-600, 900)
        wpts = [canvas.image_to_widget(QPointF(p.x() + dx, p.y() + dy)) for p in pts]
        _send(canvas, QEvent.Type.MouseButtonPress, wpts[0], left, left)
        for wp in wpts[1:]:
            _send(canvas, QEvent.Type.MouseMove, wp, none, left)
        _send(canvas, QEvent.Type.MouseButtonRelease, wpts[-1], left, none)
    QApplication.processEvents()
    assert canvas.undo_stack.count() == 100
    return canvas.undo_memory_bytes(), _rss_bytes() - rss0


def rows(quick: bool = False) -> list[Row]:
    global REPEATS
    REPEATS = 4 if quick else 9
    app = QApplication.instance() or QApplication(sys.argv)
    canvas = MaskCanvas()
    canvas.resize(1600, 900)
    canvas.show()
    QApplication.processEvents()
    canvas.set_image(_image())
    canvas.set_brush_size(BRUSH)
    canvas.set_hardness(HARDNESS)
    QApplication.processEvents()

    canvas_us, raw_us = bench_dabs(canvas)
    ratios = [c / r for c, r in zip(canvas_us, raw_us, strict=True)]
    lat_fit = bench_latency(canvas, None)
    lat_100 = bench_latency(canvas, 1.0)
    full = bench_full_repaint(canvas)
    undo_bytes, undo_rss = bench_undo_memory(canvas)
    full_mask = W * H * 4
    canvas.close()
    del app

    def p95(xs: list[float]) -> float:
        return sorted(xs)[int(len(xs) * 0.95)]

    return [
        Row(
            f"brush dab on a {W}×{H} mask, canvas path ({BRUSH:.0f} px)",
            canvas_us,
            "µs",
            raw_us,
            "minimal widget: event → cached stamp → update",
            "≤ 1.5×",
            max_ratio=1.5,
            ratios=ratios,
        ),
        Row(
            "mouse move → repainted, fit zoom",
            lat_fit,
            "ms",
            [FRAME_MS],
            "60 Hz frame",
            "≤ 1 frame",
            max_value=FRAME_MS,
            note=f"p95 {p95(lat_fit):.2f} ms",
        ),
        Row(
            "mouse move → repainted, 100 %",
            lat_100,
            "ms",
            [FRAME_MS],
            "60 Hz frame",
            "≤ 1 frame",
            max_value=FRAME_MS,
            note=f"p95 {p95(lat_100):.2f} ms",
        ),
        Row("full canvas repaint 1600×900, fit", full, "ms", [FRAME_MS], "60 Hz frame"),
        Row(
            "undo memory, 100 strokes",
            [undo_bytes / MB],
            "MiB",
            [100 * full_mask / MB],
            "as 100 full masks",
            "≤ 150 MiB",
            max_value=150,
            note=f"RSS grew {undo_rss / MB:.1f} MiB",
        ),
    ]


def main() -> int:
    print_rows(
        rows(quick="--quick" in sys.argv),
        f"Mask canvas benchmark: {W}x{H} image, median [min–max] over repeats",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
