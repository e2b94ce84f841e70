"""Brush and eraser strokes driven by real mouse/tablet events, checked pixel by pixel."""

from __future__ import annotations

import itertools
import math

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QInputDevice, QPointingDevice, QTabletEvent
from PySide6.QtWidgets import QApplication


@pytest.mark.parametrize(
    ("zoom", "brush", "path", "image_size"),
    [
        # 25 %: a 2400x1800 image is 600x450 on screen; path spans most of it.
        (0.25, 40, [(300, 300), (1200, 900), (2100, 500), (2200, 1500)], (2400, 1800)),
        # 100 %: the centre 800x600 of a 1200x900 image is on screen.
        (1.0, 16, [(300, 250), (600, 500), (900, 300), (850, 650)], (1200, 900)),
        # 400 %: only 200x150 image px are visible; the view is panned to them first.
        (4.0, 6, [(520, 400), (600, 460), (680, 420), (660, 500)], (1200, 900)),
    ],
)
def test_drag_paints_along_path(make_canvas, helpers, zoom, brush, path, image_size):
    canvas = make_canvas(*image_size)
    canvas.set_zoom(zoom)
    canvas.center_on(QPointF(600, 450) if zoom == 4.0 else QPointF(*(s / 2 for s in image_size)))
    # Everything we aim at must be on screen, or the test would not be driving real events.
    for x, y in path:
        w = canvas.image_to_widget(QPointF(x, y))
        assert canvas.rect().contains(w.toPoint()), (x, y, w)
    canvas.set_brush_size(brush)
    samples = helpers.polyline(path, step=3 / zoom)  # ~3 screen px apart, like a real drag
    helpers.Mouse(canvas).drag(helpers.image_path(canvas, samples))

    mask = helpers.MaskPixels(canvas.mask_for_export())
    r = brush / 2
    xs = [x for x, _ in path]
    ys = [y for _, y in path]
    checked_in = checked_out = 0
    for y in range(int(min(ys) - 3 * r), int(max(ys) + 3 * r), max(1, int(r / 3))):
        for x in range(int(min(xs) - 3 * r), int(max(xs) + 3 * r), max(1, int(r / 3))):
            d = helpers.dist_to_polyline(x + 0.5, y + 0.5, path)
            # Dabs are spaced a quarter diameter apart, so an outside corner may be cut by up
            # to half a spacing; beyond that, every pixel within the radius must be painted.
            if d <= r - brush / 8 - 1.5:
                assert mask[x, y] == 255, (x, y, d)
                checked_in += 1
            elif d >= r + 1.5:
                assert mask[x, y] == 0, (x, y, d)
                checked_out += 1
    assert checked_in > 50 and checked_out > 50
    # Far from the path: untouched.
    assert mask[5, 5] == 0 and mask[mask.w - 5, mask.h - 5] == 0


@pytest.mark.parametrize("zoom", [0.25, 0.5, 1.0, 3.0, 4.0, 7.5])
def test_click_lands_on_the_clicked_image_pixel(make_canvas, helpers, zoom):
    canvas = make_canvas(1200, 900)
    canvas.set_zoom(zoom)
    target = QPointF(613.5, 427.25)
    canvas.center_on(QPointF(600, 440))
    canvas.set_brush_size(9)
    m = helpers.Mouse(canvas)
    w = canvas.image_to_widget(target)
    m.press(w)
    m.release(w)
    cx, cy = helpers.MaskPixels(canvas.mask_for_export()).centroid()
    # Dab centres are quantised to 1/4 px; allow that plus anti-aliasing asymmetry.
    assert abs(cx - target.x()) < 0.3 and abs(cy - target.y()) < 0.3


def test_mapping_round_trips(canvas):
    for zoom in (0.1, 0.37, 1.0, 2.5, 16):
        canvas.set_zoom(zoom)
        for x, y in ((0, 0), (123.25, 456.75), (1199, 899)):
            p = QPointF(x, y)
            q = canvas.widget_to_image(canvas.image_to_widget(p))
            assert math.isclose(q.x(), x, abs_tol=1e-9) and math.isclose(q.y(), y, abs_tol=1e-9)


def test_eraser_removes_paint(canvas, helpers):
    m = helpers.Mouse(canvas)
    canvas.set_zoom(1.0)
    canvas.center_on(QPointF(600, 450))
    canvas.set_brush_size(40)
    m.drag(helpers.image_path(canvas, helpers.polyline([(400, 450), (800, 450)], 4)))
    mask = helpers.MaskPixels(canvas.mask_for_export())
    assert mask[600, 450] == 255 and mask[450, 450] == 255
    canvas.set_tool("eraser")
    canvas.set_brush_size(60)
    m.drag(helpers.image_path(canvas, helpers.polyline([(550, 450), (650, 450)], 4)))
    mask = helpers.MaskPixels(canvas.mask_for_export())
    assert mask[600, 450] == 0 and mask[600, 465] == 0
    assert mask[450, 450] == 255 and mask[750, 450] == 255  # outside the eraser's reach
    # Erasing everything leaves an empty mask, which exports as None.
    canvas.set_brush_size(200)
    m.drag(helpers.image_path(canvas, helpers.polyline([(350, 450), (850, 450)], 4)))
    assert canvas.is_mask_empty()
    assert canvas.mask_for_export() is None


def test_alt_drag_with_brush_erases(canvas, helpers):
    canvas.fill_mask()
    m = helpers.Mouse(canvas)
    pts = helpers.image_path(canvas, helpers.polyline([(300, 300), (500, 300)], 8))
    m.drag(pts, mods=Qt.KeyboardModifier.AltModifier)
    mask = helpers.MaskPixels(canvas.mask_for_export())
    assert mask[400, 300] == 0 and mask[400, 400] == 255


def test_fast_moves_leave_no_gaps(canvas, helpers):
    """Three mouse events 500+ px apart must still paint a continuous line."""
    canvas.set_zoom(1.0)
    canvas.center_on(QPointF(600, 450))
    canvas.set_brush_size(8)
    helpers.Mouse(canvas).drag(helpers.image_path(canvas, [(250, 300), (900, 320), (300, 600)]))
    mask = helpers.MaskPixels(canvas.mask_for_export())
    for a, b in (((250, 300), (900, 320)), ((900, 320), (300, 600))):
        n = int(math.dist(a, b))
        for i in range(n + 1):
            x = a[0] + (b[0] - a[0]) * i / n
            y = a[1] + (b[1] - a[1]) * i / n
            assert mask[int(x), int(y)] == 255, (x, y)


def test_shift_click_draws_straight_line_from_last_point(canvas, helpers):
    canvas.set_zoom(1.0)
    canvas.center_on(QPointF(600, 450))
    canvas.set_brush_size(6)
    m = helpers.Mouse(canvas)
    a = canvas.image_to_widget(QPointF(300, 300))
    m.press(a)
    m.release(a)
    b = canvas.image_to_widget(QPointF(800, 550))
    m.press(b, mods=Qt.KeyboardModifier.ShiftModifier)
    m.release(b, mods=Qt.KeyboardModifier.ShiftModifier)
    mask = helpers.MaskPixels(canvas.mask_for_export())
    for i in range(101):
        x, y = 300 + 5 * i, 300 + 2.5 * i
        assert mask[int(x), int(y)] == 255, (x, y)
    assert mask[550, 300] == 0  # a line, not a filled region
    assert canvas.undo_stack.count() == 2  # click, then the line: one step each


def test_soft_brush_feathers_edges(canvas, helpers):
    canvas.set_zoom(1.0)
    canvas.center_on(QPointF(600, 450))
    canvas.set_brush_size(60)
    canvas.set_hardness(0.0)
    m = helpers.Mouse(canvas)
    p = canvas.image_to_widget(QPointF(600.5, 450.5))
    m.press(p)
    m.release(p)
    mask = helpers.MaskPixels(canvas.mask_for_export())
    profile = [mask[600 + dx, 450] for dx in range(0, 31, 5)]
    assert profile[0] == 255
    assert all(a >= b for a, b in itertools.pairwise(profile))  # monotone fall-off
    assert any(0 < v < 255 for v in profile)  # genuinely soft
    assert mask[632, 450] == 0


_DEVICES: list[QPointingDevice] = []


def _stylus() -> QPointingDevice:
    # The event holds a raw pointer to its device: keep the Python wrapper alive.
    if not _DEVICES:
        _DEVICES.append(
            QPointingDevice(
                "test stylus",
                1,
                QInputDevice.DeviceType.Stylus,
                QPointingDevice.PointerType.Pen,
                QInputDevice.Capability.Position | QInputDevice.Capability.Pressure,
                1,
                3,
            )
        )
    return _DEVICES[0]


def _tablet_event(kind, pos: QPointF, pressure: float, button, buttons):
    return QTabletEvent(
        kind,
        _stylus(),
        pos,
        pos,
        pressure,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        Qt.KeyboardModifier.NoModifier,
        button,
        buttons,
    )


def test_tablet_pressure_scales_brush(canvas, helpers):
    canvas.set_zoom(1.0)
    canvas.center_on(QPointF(600, 450))
    canvas.set_brush_size(40)
    left = Qt.MouseButton.LeftButton

    def stroke(y: float, pressure: float) -> None:
        pts = [canvas.image_to_widget(QPointF(x, y)) for x in range(350, 851, 10)]
        for i, p in enumerate(pts):
            if i == 0:
                kind, button, buttons = QTabletEvent.Type.TabletPress, left, left
            elif i == len(pts) - 1:
                kind, button, buttons = (
                    QTabletEvent.Type.TabletRelease,
                    left,
                    Qt.MouseButton.NoButton,
                )
            else:
                kind, button, buttons = QTabletEvent.Type.TabletMove, Qt.MouseButton.NoButton, left
            ev = _tablet_event(kind, p, pressure, button, buttons)
            QApplication.sendEvent(canvas, ev)
            assert ev.isAccepted()  # accepted: Qt won't synthesise a duplicate mouse stroke

    stroke(300, 1.0)
    stroke(600, 0.25)
    mask = helpers.MaskPixels(canvas.mask_for_export())

    def width_at(y0: int) -> int:
        return sum(1 for y in range(y0 - 30, y0 + 31) if mask[600, y] >= 128)

    assert 38 <= width_at(300) <= 42
    assert 8 <= width_at(600) <= 12
    assert canvas.undo_stack.count() == 2


def test_brush_size_keys_and_setter(canvas):
    canvas.set_brush_size(40)
    canvas.setFocus()
    from PySide6.QtTest import QTest

    QTest.keyClick(canvas, Qt.Key.Key_BracketRight)
    bigger = canvas.brush_size()
    assert bigger > 40
    QTest.keyClick(canvas, Qt.Key.Key_BracketLeft)
    QTest.keyClick(canvas, Qt.Key.Key_BracketLeft)
    assert canvas.brush_size() < 40
    canvas.set_brush_size(1)
    QTest.keyClick(canvas, Qt.Key.Key_BracketLeft)
    assert canvas.brush_size() == 1  # clamped
    canvas.set_brush_size(10**6)
    assert canvas.brush_size() == 1000


def test_one_mask_changed_per_stroke(canvas, helpers, qtbot):
    seen = []
    canvas.maskChanged.connect(lambda: seen.append(1))
    helpers.Mouse(canvas).drag(
        helpers.image_path(canvas, helpers.polyline([(300, 300), (700, 500)], 5))
    )
    assert len(seen) == 1
    assert not canvas.is_mask_empty()


def test_escape_cancels_stroke(canvas, helpers):
    from PySide6.QtTest import QTest

    m = helpers.Mouse(canvas)
    pts = helpers.image_path(canvas, helpers.polyline([(300, 300), (700, 500)], 5))
    m.press(pts[0])
    for p in pts[1:]:
        m.move(p)
    assert canvas.mask_layer().image().pixelColor(500, 400).alpha() == 255
    canvas.setFocus()
    QTest.keyClick(canvas, Qt.Key.Key_Escape)
    m.release(pts[-1])
    assert canvas.is_mask_empty()
    assert canvas.undo_stack.count() == 0
