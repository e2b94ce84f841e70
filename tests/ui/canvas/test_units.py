"""Pure logic: dab spacing, size stepping, aspect checks, slider mapping, layer invariants."""

from __future__ import annotations

import itertools
import math

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QColor, QImage

from retouch.ui.canvas.brush_options import size_to_slider, slider_to_size
from retouch.ui.canvas.mask_layer import MaskLayer, aspect_differs, threshold_gray8
from retouch.ui.canvas.tools import StrokeInterpolator, dab_spacing, step_brush

coord = st.floats(min_value=-500, max_value=5000, allow_nan=False)
points = st.lists(st.tuples(coord, coord), min_size=2, max_size=12)


@settings(max_examples=200, deadline=None)
@given(points, st.floats(min_value=1, max_value=400))
def test_dabs_are_evenly_spaced_along_the_path(pts, diameter):
    interp = StrokeInterpolator(lambda _p: diameter)
    dabs = interp.start(*pts[0])
    for x, y in pts[1:]:
        dabs += interp.move_to(x, y)
    dabs += interp.flush()
    spacing = dab_spacing(diameter)
    for (x0, y0, _), (x1, y1, _) in itertools.pairwise(dabs):
        # Along the polyline the arc gap is exactly one spacing; straight-line distance is
        # at most that (shorter across corners).
        assert math.hypot(x1 - x0, y1 - y0) <= spacing + 1e-6
    assert dabs[0][:2] == pts[0]
    assert math.hypot(dabs[-1][0] - pts[-1][0], dabs[-1][1] - pts[-1][1]) < 1e-3


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=0, max_value=1), st.floats(min_value=0, max_value=1))
def test_pressure_interpolates_linearly(p0, p1):
    interp = StrokeInterpolator(lambda p: 10 + 30 * p)
    interp.start(0, 0, p0)
    for x, _y, p in interp.move_to(1000, 0, p1):
        assert math.isclose(p, p0 + (p1 - p0) * x / 1000, abs_tol=1e-9)


def test_step_brush_is_monotone_and_clamped():
    size = 1.0
    seen = [size]
    while size < 1000:
        size = step_brush(size, up=True)
        seen.append(size)
    assert seen == sorted(seen) and len(set(seen)) == len(seen) and seen[-1] == 1000
    assert step_brush(1000, True) == 1000 and step_brush(1, False) == 1


def test_aspect_tolerance():
    assert not aspect_differs(QSize(1200, 900), QSize(600, 450))
    assert not aspect_differs(QSize(1200, 900), QSize(1000, 754))
    assert aspect_differs(QSize(1200, 900), QSize(1000, 740))
    assert aspect_differs(QSize(1200, 900), QSize(0, 0))


def test_slider_mapping_round_trips():
    for size in (1, 2, 5, 10, 40, 100, 333, 1000):
        assert abs(slider_to_size(size_to_slider(size)) - size) <= max(1, size * 0.01)


def test_threshold_is_at_half():
    img = QImage(256, 1, QImage.Format.Format_Grayscale8)
    for x in range(256):
        img.setPixelColor(x, 0, QColor(x, x, x))
    out = threshold_gray8(img)
    values = [out.pixelColor(x, 0).value() for x in range(256)]
    assert values == [0] * 128 + [255] * 128


def test_layer_invert_and_recolour_are_bit_exact(qapp):
    layer = MaskLayer(QSize(256, 4), QColor(255, 40, 96))
    ramp = QImage(256, 4, QImage.Format.Format_Grayscale8)
    for y in range(4):
        for x in range(256):
            ramp.setPixelColor(x, y, QColor(x, x, x))
    layer.set_from_gray8(ramp)

    def values() -> list[int]:
        g = layer.to_gray8()
        return list(bytes(g.constBits())[:256])

    assert values() == list(range(256))
    layer.invert()
    assert values() == [255 - v for v in range(256)]
    layer.invert()
    layer.set_color(QColor(10, 200, 30))
    layer.set_color(QColor(255, 255, 255))
    assert values() == list(range(256))


def test_layer_tracks_emptiness_without_rescanning(qapp):
    layer = MaskLayer(QSize(400, 300))
    assert layer.is_empty()
    layer.paint_dabs([(100, 100, 10)], 1.0, erase=False)
    assert layer._nonempty is True and not layer.is_empty()
    layer.paint_dabs([(100, 100, 40)], 1.0, erase=True)
    assert layer.is_empty()  # needed a scan, of the small bbox only
    layer.commit_edit()
    layer.fill_rect(QRect(10, 20, 30, 40), erase=False)
    assert layer.nonzero_rect() == QRect(10, 20, 30, 40)
