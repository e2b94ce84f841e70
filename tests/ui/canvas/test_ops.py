"""Whole-mask operations and the shape tools produce exactly the expected pixels."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt


def test_fill_clear_invert(canvas, helpers):
    w, h = 1200, 900
    assert canvas.is_mask_empty() and canvas.mask_for_export() is None
    canvas.fill_mask()
    assert helpers.mask_bytes(canvas) == b"\xff" * (w * h)
    assert not canvas.is_mask_empty()
    canvas.invert_mask()
    assert helpers.mask_bytes(canvas) == bytes(w * h)
    assert canvas.is_mask_empty()
    canvas.invert_mask()
    assert helpers.mask_bytes(canvas) == b"\xff" * (w * h)
    canvas.clear_mask()
    assert helpers.mask_bytes(canvas) == bytes(w * h)
    assert canvas.is_mask_empty()


def test_invert_is_exact_for_soft_values(canvas, helpers):
    canvas.set_hardness(0.0)
    canvas.set_brush_size(120)
    helpers.Mouse(canvas).drag(helpers.image_path(canvas, [(300, 300), (700, 420)]))
    before = helpers.mask_bytes(canvas)
    assert len(set(before)) > 50  # lots of in-between values
    canvas.invert_mask()
    inverted = helpers.mask_bytes(canvas)
    assert inverted == bytes(255 - v for v in before)
    canvas.invert_mask()
    assert helpers.mask_bytes(canvas) == before


def test_rectangle_fills_exact_pixels(canvas, helpers):
    canvas.set_tool("rect")
    canvas.set_zoom(1.0)
    canvas.center_on(QPointF(600, 450))
    m = helpers.Mouse(canvas)
    # Drag from bottom-right to top-left, through intermediate points.
    m.drag(helpers.image_path(canvas, [(700, 500), (650, 480), (400, 300)]))
    mask = helpers.MaskPixels(canvas.mask_for_export())
    for y in range(280, 520):
        for x in range(380, 720, 3):
            inside = 400 <= x < 700 and 300 <= y < 500
            assert mask[x, y] == (255 if inside else 0), (x, y)
    assert mask.count_nonzero() == 300 * 200
    assert canvas.undo_stack.count() == 1


def test_rectangle_erases_with_alt_or_in_eraser_mode(canvas, helpers):
    m = helpers.Mouse(canvas)
    canvas.fill_mask()
    canvas.set_tool("rect")  # brush mode: fills, Alt erases
    m.drag(
        helpers.image_path(canvas, [(100, 100), (300, 200)]), mods=Qt.KeyboardModifier.AltModifier
    )
    canvas.set_tool("eraser")
    canvas.set_tool("rect")  # eraser mode: erases
    m.drag(helpers.image_path(canvas, [(500, 500), (600, 700)]))
    mask = helpers.MaskPixels(canvas.mask_for_export())
    assert mask[200, 150] == 0 and mask[550, 600] == 0
    assert mask[50, 50] == 255 and mask[400, 400] == 255
    assert mask.count_nonzero() == 1200 * 900 - 200 * 100 - 100 * 200


def test_shift_rectangle_is_square(canvas, helpers):
    canvas.set_tool("rect")
    m = helpers.Mouse(canvas)
    m.drag(
        helpers.image_path(canvas, [(100, 100), (400, 220)]), mods=Qt.KeyboardModifier.ShiftModifier
    )
    mask = helpers.MaskPixels(canvas.mask_for_export())
    assert mask.count_nonzero() == 300 * 300


def test_lasso_fills_polygon(canvas, helpers):
    canvas.set_tool("lasso")
    tri = [(300, 200), (900, 250), (500, 750)]
    pts = helpers.polyline([*tri, tri[0]], 4)
    helpers.Mouse(canvas).drag(helpers.image_path(canvas, pts))
    mask = helpers.MaskPixels(canvas.mask_for_export())

    def side(ax, ay, bx, by, x, y):
        return (bx - ax) * (y - ay) - (by - ay) * (x - ax)

    def inside_margin(x: float, y: float) -> float:
        """Signed distance-ish: >0 inside the triangle, in px, to the nearest edge."""
        ds = []
        for (ax, ay), (bx, by) in ((tri[0], tri[1]), (tri[1], tri[2]), (tri[2], tri[0])):
            length = ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5
            ds.append(side(ax, ay, bx, by, x, y) / length)
        return min(ds)

    checked = 0
    for y in range(150, 800, 7):
        for x in range(250, 950, 7):
            d = inside_margin(x + 0.5, y + 0.5)
            if d > 2:
                assert mask[x, y] == 255, (x, y)
                checked += 1
            elif d < -2:
                assert mask[x, y] == 0, (x, y)
    assert checked > 500


def test_lasso_erases_with_alt(canvas, helpers):
    canvas.fill_mask()
    canvas.set_tool("lasso")
    sq = [(200, 200), (400, 200), (400, 400), (200, 400)]
    helpers.Mouse(canvas).drag(
        helpers.image_path(canvas, helpers.polyline(sq, 5)), mods=Qt.KeyboardModifier.AltModifier
    )
    mask = helpers.MaskPixels(canvas.mask_for_export())
    assert mask[300, 300] == 0 and mask[100, 100] == 255 and mask[500, 300] == 255


def test_click_without_drag_makes_no_shape(canvas, helpers):
    for tool in ("rect", "lasso"):
        canvas.set_tool(tool)
        p = canvas.image_to_widget(QPointF(300, 300))
        m = helpers.Mouse(canvas)
        m.press(p)
        m.release(p)
    assert canvas.is_mask_empty()
    assert canvas.undo_stack.count() == 0


def test_overlay_colour_and_view_toggle_keep_mask_values(canvas, helpers):
    canvas.set_hardness(0.3)
    helpers.Mouse(canvas).drag(helpers.image_path(canvas, [(300, 300), (700, 420)]))
    before = helpers.mask_bytes(canvas)
    from PySide6.QtGui import QColor

    canvas.set_overlay_color(QColor(20, 200, 255))
    assert helpers.mask_bytes(canvas) == before
    canvas.set_mask_only(True)
    assert helpers.mask_bytes(canvas) == before
    canvas.set_mask_only(False)
    canvas.set_overlay_opacity(0.8)
    assert helpers.mask_bytes(canvas) == before
    assert canvas.undo_stack.count() == 1  # view settings are not undo steps


def test_operations_without_image_are_harmless(qtbot):
    from retouch.ui.canvas import MaskCanvas

    c = MaskCanvas()
    qtbot.addWidget(c)
    c.fill_mask()
    c.clear_mask()
    c.invert_mask()
    c.fit()
    c.set_zoom(2)
    assert c.is_mask_empty() and c.mask_for_export() is None
