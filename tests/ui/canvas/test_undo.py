"""Undo/redo restore exact bytes, one step per operation, and store only what changed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from retouch.ui.canvas.snapshots import RegionSnapshot
from retouch.ui.canvas.undo import RegionCommand


def _stroke(canvas, helpers, pts, step=5):
    helpers.Mouse(canvas).drag(helpers.image_path(canvas, helpers.polyline(pts, step)))


def test_every_operation_undoes_and_redoes_exactly(canvas, helpers, tmp_path):
    """Run a sequence of all operation kinds; then undo all the way back and redo all the way
    forward, comparing the whole mask's bytes with the state recorded after each step."""
    canvas.set_hardness(0.5)  # soft edges: in-between values must survive too
    mask_file = tmp_path / "m.png"
    sub = helpers.make_image(600, 450)  # same aspect, half size: imported with rescale
    sub.save(str(mask_file))

    ops = [
        lambda: _stroke(canvas, helpers, [(200, 200), (600, 400), (900, 250)]),
        lambda: canvas.set_tool("eraser"),
        lambda: _stroke(canvas, helpers, [(500, 300), (700, 380)]),
        lambda: canvas.set_tool("brush"),
        lambda: canvas.set_tool("rect"),
        lambda: helpers.Mouse(canvas).drag(helpers.image_path(canvas, [(100, 600), (400, 800)])),
        lambda: canvas.set_tool("brush"),
        lambda: canvas.set_tool("lasso"),
        lambda: helpers.Mouse(canvas).drag(
            helpers.image_path(canvas, [(700, 600), (1000, 650), (900, 850), (720, 800)])
        ),
        canvas.invert_mask,
        canvas.clear_mask,
        canvas.fill_mask,
        lambda: canvas.load_mask_file(mask_file),
        canvas.invert_mask,
    ]
    states = [helpers.mask_bytes(canvas)]
    for op in ops:
        before = canvas.undo_stack.count()
        op()
        if canvas.undo_stack.count() != before:
            assert canvas.undo_stack.count() == before + 1  # one step per operation
            states.append(helpers.mask_bytes(canvas))
    assert len(states) == 10
    # Every step really changed something (clearing returns to the initial empty mask).
    assert len(set(states)) == len(states) - 1 and states[6] == states[0]

    stack = canvas.undo_stack
    for i in range(len(states) - 1, 0, -1):
        stack.undo()
        assert helpers.mask_bytes(canvas) == states[i - 1], f"undo to state {i - 1}"
    assert canvas.is_mask_empty()
    for i in range(1, len(states)):
        stack.redo()
        assert helpers.mask_bytes(canvas) == states[i], f"redo to state {i}"


def test_undo_redo_shortcuts(panel, helpers):
    img = helpers.make_image(1200, 900)
    panel.set_image(img)
    canvas = panel.canvas
    empty = helpers.mask_bytes(canvas)
    _stroke(canvas, helpers, [(300, 300), (800, 500)])
    painted = helpers.mask_bytes(canvas)
    assert painted != empty
    canvas.setFocus()
    QTest.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert helpers.mask_bytes(canvas) == empty
    QTest.keyClick(
        canvas,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert helpers.mask_bytes(canvas) == painted
    QTest.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(canvas, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert helpers.mask_bytes(canvas) == painted


def test_stroke_stores_only_its_bounding_rect(canvas, helpers):
    canvas.set_brush_size(20)
    _stroke(canvas, helpers, [(300, 300), (400, 340)])
    cmd = canvas.undo_stack.command(0)
    assert isinstance(cmd, RegionCommand)
    rect = cmd._edit.rect
    # The dab footprint of a 20 px brush around the path, give or take the stamp's margin.
    assert 280 <= rect.left() <= 292 and 408 <= rect.right() <= 420
    assert 280 <= rect.top() <= 292 and 348 <= rect.bottom() <= 360
    # Before + after, 1 byte per pixel each.
    assert cmd.nbytes <= 2 * rect.width() * rect.height() + 1024


def test_full_mask_ops_store_compactly(make_canvas, helpers):
    canvas = make_canvas(3840, 2160)
    canvas.set_brush_size(30)
    _stroke(canvas, helpers, [(1000, 1000), (1100, 1050)], step=20)
    stroke_bytes = canvas.undo_memory_bytes()
    canvas.invert_mask()
    assert canvas.undo_memory_bytes() == stroke_bytes  # invert stores nothing
    canvas.invert_mask()
    canvas.clear_mask()
    clear_bytes = canvas.undo_memory_bytes() - stroke_bytes
    # Only the non-zero box of the previous mask (~140x100 px), not 8 M pixels.
    assert clear_bytes < 40_000
    canvas.fill_mask()
    fill_bytes = canvas.undo_memory_bytes() - stroke_bytes - clear_bytes
    assert fill_bytes < 1_000  # previous mask was empty; "after" is a uniform 255
    canvas.invert_mask()  # everything now 0 again, but as an operation
    canvas.fill_mask()
    assert canvas.undo_memory_bytes() < 200_000


def test_hundred_strokes_on_4k_stay_small(make_canvas, helpers):
    canvas = make_canvas(3840, 2160)
    canvas.set_zoom(0.2)
    canvas.set_brush_size(40)
    m = helpers.Mouse(canvas)
    for i in range(100):
        x, y = 200 + (i % 10) * 340, 200 + (i // 10) * 180
        pts = helpers.polyline([(x, y), (x + 120, y + 60)], 10)
        m.drag(helpers.image_path(canvas, pts))
    assert canvas.undo_stack.count() == 100
    full_mask = 3840 * 2160 * 4
    stored = canvas.undo_memory_bytes()
    assert stored < full_mask  # 100 steps in less than ONE full ARGB mask
    assert stored < 100 * full_mask / 200


def test_large_snapshots_are_compressed_and_round_trip():
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QImage

    img = QImage(1024, 1024, QImage.Format.Format_Alpha8)
    img.fill(0)
    for y in range(0, 1024, 7):
        for x in range(y % 13, 1024, 97):
            img.setPixelColor(x, y, Qt.GlobalColor.black)  # alpha 255 dots
    snap = RegionSnapshot(QRect(0, 0, 1024, 1024), patch_rect=QRect(0, 0, 1024, 1024), patch=img)
    assert snap.nbytes < 1024 * 1024 / 10
    out = snap.patch()
    assert out is not None and out.format() == QImage.Format.Format_Alpha8
    assert bytes(out.constBits()) == bytes(img.constBits())


def test_undo_during_stroke_cancels_the_stroke(canvas, helpers):
    _stroke(canvas, helpers, [(200, 200), (300, 200)])
    first = helpers.mask_bytes(canvas)
    m = helpers.Mouse(canvas)
    pts = helpers.image_path(canvas, helpers.polyline([(500, 500), (700, 500)], 5))
    m.press(pts[0])
    for p in pts[1:5]:
        m.move(p)
    canvas.undo_stack.undo()  # e.g. Ctrl+Z with the button still down
    for p in pts[5:]:
        m.move(p)
    m.release(pts[-1])
    assert canvas.is_mask_empty()
    canvas.undo_stack.redo()
    assert helpers.mask_bytes(canvas) == first


def test_new_image_resets_history(canvas, helpers):
    _stroke(canvas, helpers, [(200, 200), (300, 200)])
    assert canvas.undo_stack.count() == 1
    canvas.set_image(helpers.make_image(640, 480))
    assert canvas.undo_stack.count() == 0
    assert canvas.is_mask_empty()
