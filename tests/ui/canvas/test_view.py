"""Zoom, pan, fit, repaint economy, HiDPI mapping, and the mask-only view."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication


def _wheel(canvas, pos: QPointF, delta: int) -> None:
    ev = QWheelEvent(
        pos,
        QPointF(canvas.mapToGlobal(pos)),
        QPoint(0, 0),
        QPoint(0, delta),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(canvas, ev)


def test_fit_shows_whole_image_centred(canvas):
    canvas.fit()
    r = canvas.image_rect_in_widget()
    assert QRectF_contains(canvas.rect(), r)
    assert abs(r.center().x() - 400) < 1 and abs(r.center().y() - 300) < 1
    # Fitted: at least one dimension nearly fills the widget (minus the margin).
    assert r.width() > 760 or r.height() > 560


def QRectF_contains(outer: QRect, inner) -> bool:
    return (
        inner.left() >= outer.left() - 0.01
        and inner.top() >= outer.top() - 0.01
        and inner.right() <= outer.right() + 1.01
        and inner.bottom() <= outer.bottom() + 1.01
    )


def test_fitted_view_refits_on_resize_and_zoomed_view_keeps_centre(canvas, qtbot):
    canvas.fit()
    canvas.resize(1000, 700)
    qtbot.waitUntil(lambda: canvas.width() == 1000)
    r = canvas.image_rect_in_widget()
    assert abs(r.center().x() - 500) < 1 and (r.width() > 960 or r.height() > 660)
    canvas.set_zoom(2.0)
    centre = canvas.widget_to_image(QPointF(500, 350))
    canvas.resize(800, 600)
    qtbot.waitUntil(lambda: canvas.width() == 800)
    after = canvas.widget_to_image(QPointF(400, 300))
    assert abs(after.x() - centre.x()) < 1 and abs(after.y() - centre.y()) < 1
    assert canvas.zoom() == 2.0


def test_wheel_zooms_around_cursor(canvas, qtbot):
    pos = QPointF(610.0, 170.0)
    pivot = canvas.widget_to_image(pos)
    z0 = canvas.zoom()
    with qtbot.waitSignal(canvas.zoomChanged):
        _wheel(canvas, pos, 120)
    assert canvas.zoom() > z0 * 1.1
    after = canvas.widget_to_image(pos)
    assert abs(after.x() - pivot.x()) < 1e-6 and abs(after.y() - pivot.y()) < 1e-6
    _wheel(canvas, pos, -240)
    assert canvas.zoom() < z0


def test_zoom_actions_and_shortcuts(panel, helpers):
    from PySide6.QtTest import QTest

    panel.set_image(helpers.make_image(1200, 900))
    c = panel.canvas
    c.setFocus()
    ctrl = Qt.KeyboardModifier.ControlModifier
    QTest.keyClick(c, Qt.Key.Key_1, ctrl)
    assert c.zoom() == 1.0
    QTest.keyClick(c, Qt.Key.Key_Equal, ctrl)
    assert c.zoom() == 1.5
    QTest.keyClick(c, Qt.Key.Key_Minus, ctrl)
    QTest.keyClick(c, Qt.Key.Key_Minus, ctrl)
    assert c.zoom() == pytest.approx(0.667)
    QTest.keyClick(c, Qt.Key.Key_0, ctrl)
    fit_zoom = c.zoom()
    assert fit_zoom < 1
    r = c.image_rect_in_widget()
    assert r.width() <= c.width() and r.height() <= c.height()


def test_pan_with_middle_button_and_space_drag(canvas, helpers):
    from PySide6.QtTest import QTest

    canvas.set_zoom(2.0)
    m = helpers.Mouse(canvas)
    p0 = canvas.image_to_widget(QPointF(500, 400))
    mid = Qt.MouseButton.MiddleButton
    m.press(QPointF(400, 300), mid)
    m.move(QPointF(350, 260))
    m.release(QPointF(350, 260), mid)
    p1 = canvas.image_to_widget(QPointF(500, 400))
    assert (p1.x() - p0.x(), p1.y() - p0.y()) == pytest.approx((-50, -40))
    assert canvas.is_mask_empty()  # panning never paints

    canvas.setFocus()
    QTest.keyPress(canvas, Qt.Key.Key_Space)
    m.drag([QPointF(300, 300), QPointF(320, 330), QPointF(340, 360)])
    QTest.keyRelease(canvas, Qt.Key.Key_Space)
    p2 = canvas.image_to_widget(QPointF(500, 400))
    assert (p2.x() - p1.x(), p2.y() - p1.y()) == pytest.approx((40, 60))
    assert canvas.is_mask_empty()
    # Space released: the left button paints again.
    m.drag([QPointF(300, 300), QPointF(340, 300)])
    assert not canvas.is_mask_empty()


def test_pan_is_clamped_so_the_image_stays_reachable(canvas):
    canvas.set_zoom(1.0)
    canvas.pan_by(10_000, 10_000)
    r = canvas.image_rect_in_widget()
    assert r.intersects(canvas.rect().toRectF())
    canvas.pan_by(-30_000, -30_000)
    assert canvas.image_rect_in_widget().intersects(canvas.rect().toRectF())


class _PaintSpy(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.rects: list[QRect] = []

    def eventFilter(self, obj, ev) -> bool:
        if ev.type() == QEvent.Type.Paint:
            self.rects.append(ev.rect())
        return False


def test_dab_repaints_only_a_small_rect(canvas, helpers, qtbot):
    canvas.set_zoom(1.0)
    canvas.set_brush_size(20)
    m = helpers.Mouse(canvas)
    pts = helpers.image_path(canvas, helpers.polyline([(500, 400), (540, 420)], 4))
    m.press(pts[0])
    for p in pts[1:-1]:
        m.move(p)
    QApplication.processEvents()  # flush earlier paints (e.g. the first show)
    spy = _PaintSpy()
    canvas.installEventFilter(spy)
    m.move(pts[-1])
    QApplication.processEvents()
    canvas.removeEventFilter(spy)
    m.release(pts[-1])
    assert spy.rects, "the dab was never repainted"
    for r in spy.rects:
        assert r.width() < 120 and r.height() < 120, r  # not the 800x600 widget


def test_mask_only_view_renders_white_on_black(canvas, helpers):
    canvas.set_tool("rect")
    helpers.Mouse(canvas).drag(helpers.image_path(canvas, [(100, 100), (600, 450)]))
    canvas.set_mask_only(True)
    img = canvas.grab().toImage()
    inside = canvas.image_to_widget(QPointF(300, 300)).toPoint()
    outside = canvas.image_to_widget(QPointF(900, 700)).toPoint()
    assert img.pixelColor(inside).lightness() == 255
    assert img.pixelColor(outside).lightness() == 0
    canvas.set_mask_only(False)
    img = canvas.grab().toImage()
    c = img.pixelColor(inside)
    assert c.red() > c.green() and c.lightness() < 250  # tinted overlay over the image


def test_overlay_opacity_changes_rendering(canvas, helpers):
    canvas.fill_mask()
    at = canvas.image_to_widget(QPointF(900, 700)).toPoint()
    canvas.set_overlay_opacity(0.2)
    faint = canvas.grab().toImage().pixelColor(at)
    canvas.set_overlay_opacity(0.9)
    strong = canvas.grab().toImage().pixelColor(at)
    overlay = canvas.overlay_color()
    d_faint = abs(faint.red() - overlay.red()) + abs(faint.green() - overlay.green())
    d_strong = abs(strong.red() - overlay.red()) + abs(strong.green() - overlay.green())
    assert d_strong < d_faint


def test_drag_events_are_not_swallowed(canvas):
    assert not canvas.acceptDrops()  # drops go to the main window


def test_brush_cursor_outline_follows_zoom(canvas, helpers):
    canvas.set_zoom(2.0)
    canvas.set_brush_size(50)  # 100 screen px at 200 %
    centre = QPointF(400, 300)
    helpers.Mouse(canvas).move(centre)
    img = canvas.grab().toImage()
    # The white outline crosses the horizontal line ~50 px either side of the cursor.
    row = [img.pixelColor(x, 300).lightness() for x in range(330, 471)]
    bright = [i + 330 for i, v in enumerate(row) if v > 180]
    assert any(abs(x - 350) <= 1 for x in bright) and any(abs(x - 450) <= 1 for x in bright)
    # Crisp: a single bright pixel per crossing, framed by a dark halo.
    assert len(bright) == 2
    assert min(row[349 - 330 - 1 : 349 - 330 + 4]) < 70
    assert canvas.cursor().shape() == Qt.CursorShape.BlankCursor


HIDPI_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QImage, QMouseEvent
    from PySide6.QtWidgets import QApplication
    from retouch.ui.canvas import MaskCanvas

    app = QApplication(sys.argv)
    c = MaskCanvas(); c.resize(400, 300); c.show()
    img = QImage(1000, 750, QImage.Format.Format_RGB32); img.fill(0x808080)
    c.set_image(img); c.set_hardness(1.0); c.set_brush_size(9)
    out = {"dpr": c.devicePixelRatioF(), "zoom": c.zoom()}
    target = QPointF(700.5, 200.5)
    w = c.image_to_widget(target)
    for kind, btn, btns in ((QEvent.Type.MouseButtonPress, Qt.LeftButton, Qt.LeftButton),
                            (QEvent.Type.MouseButtonRelease, Qt.LeftButton, Qt.NoButton)):
        QApplication.sendEvent(c, QMouseEvent(kind, w, QPointF(c.mapToGlobal(w)), btn, btns,
                                              Qt.NoModifier))
    away = QPointF(5, 5)  # move the brush outline off the dab before grabbing
    QApplication.sendEvent(c, QMouseEvent(QEvent.Type.MouseMove, away, QPointF(c.mapToGlobal(away)),
                                          Qt.NoButton, Qt.NoButton, Qt.NoModifier))
    m = c.mask_for_export()
    sx = sy = n = 0
    for y in range(180, 221):
        for x in range(680, 721):
            v = m.pixelColor(x, y).value()
            sx += (x + 0.5) * v; sy += (y + 0.5) * v; n += v
    out["centroid"] = [sx / n, sy / n]
    g = c.grab().toImage()  # device pixels
    out["grab"] = [g.width(), g.height()]
    dp = c.image_to_widget(target) * c.devicePixelRatioF()
    px = g.pixelColor(int(dp.x()), int(dp.y()))
    out["overlay_px"] = [px.red(), px.green(), px.blue()]
    print(json.dumps(out))
    """
)


def test_hidpi_painting_lands_on_the_right_pixels(tmp_path):
    """Run a canvas at devicePixelRatio 2 (a fresh process: the ratio is fixed at startup)."""
    script = tmp_path / "hidpi.py"
    script.write_text(HIDPI_SCRIPT)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR="2")
    res = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert out["dpr"] == 2.0
    assert out["grab"] == [800, 600]
    cx, cy = out["centroid"]
    assert abs(cx - 700.5) < 0.3 and abs(cy - 200.5) < 0.3
    r, g, _b = out["overlay_px"]
    assert r > g + 40  # the painted dab shows (reddish overlay) at that device pixel
