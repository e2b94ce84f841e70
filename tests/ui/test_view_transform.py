"""The one view transform the mask canvas and the Compare page share."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, QRect, QRectF, QSizeF

from retouch.ui.view_transform import ViewTransform, fit_scale, wheel_factor

VIEW = QRectF(0, 0, 800, 600)
IMAGE = QSizeF(1600, 900)


def close(a: QPointF, b: QPointF) -> bool:
    return abs(a.x() - b.x()) < 1e-9 and abs(a.y() - b.y()) < 1e-9


def test_fit_is_as_large_as_fits_and_centred():
    t = ViewTransform()
    t.fit(VIEW, IMAGE, margin=16)
    assert t.scale == pytest.approx((800 - 32) / 1600)
    assert t.image_rect(IMAGE).center() == VIEW.center()
    t.fit(VIEW, IMAGE, limits=(1.0, 64.0))
    assert t.scale == 1.0  # a limit wins over fitting


def test_mapping_goes_both_ways():
    t = ViewTransform(2.5, QPointF(-30, 12))
    p = QPointF(123.25, 45.5)
    assert close(t.widget_to_image(t.image_to_widget(p)), p)
    assert t.map_rect(QRectF(10, 10, 4, 4)) == QRect(-5, 37, 10, 10)
    assert t.source_rect(QRectF(t.map_rect(QRect(10, 10, 4, 4)))).contains(QRect(10, 10, 4, 4))


def test_zoom_about_keeps_the_point_under_the_anchor():
    t = ViewTransform()
    t.fit(VIEW, IMAGE)
    anchor = QPointF(610, 140)
    under = t.widget_to_image(anchor)
    t.zoom_about(3.0, anchor)
    assert t.scale == 3.0
    assert close(t.widget_to_image(anchor), under)


def test_centred_and_centre_are_inverse():
    t = ViewTransform.centred(VIEW, IMAGE, 1.7, QPointF(0.25, 0.75))
    assert close(t.centre(VIEW, IMAGE), QPointF(0.25, 0.75))
    t.pan(80, -40)
    moved = t.centre(VIEW, IMAGE)
    assert moved.x() == pytest.approx(0.25 - 80 / (1600 * 1.7))
    assert moved.y() == pytest.approx(0.75 + 40 / (900 * 1.7))


def test_keep_visible_leaves_a_strip_on_screen():
    t = ViewTransform(1.0, QPointF(5000, -5000))
    t.keep_visible(VIEW, IMAGE)
    r = t.image_rect(IMAGE).intersected(VIEW)
    assert r.width() == pytest.approx(64) and r.height() == pytest.approx(64)


def test_snap_rounds_offsets_at_whole_zoom_only():
    t = ViewTransform(2.0, QPointF(10.4, 3.6))
    t.snap()
    assert t.offset == QPointF(10, 4)
    t = ViewTransform(1.5, QPointF(10.4, 3.6))
    t.snap()
    assert t.offset == QPointF(10.4, 3.6)


def test_one_wheel_curve_and_fit_scale():
    assert wheel_factor(120) == pytest.approx(2**0.25)
    assert wheel_factor(480) == pytest.approx(2.0)
    assert wheel_factor(-480) == pytest.approx(0.5)
    assert fit_scale(VIEW, QSizeF(400, 600)) == 1.0


def test_the_canvas_and_compare_zoom_alike_under_the_wheel(qtbot):
    """Both views zoom by the same factor per notch, about the cursor."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtGui import QImage, QWheelEvent
    from PySide6.QtWidgets import QApplication

    from retouch.ui.canvas import MaskCanvas
    from retouch.ui.history import CompareView

    image = QImage(1600, 900, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkCyan)
    canvas, compare = MaskCanvas(), CompareView()
    for view in (canvas, compare):
        qtbot.addWidget(view)
        view.resize(800, 600)
        view.show()
    canvas.set_image(image)
    compare.set_images([image, image])
    before = (canvas.zoom(), compare.zoom())
    for view in (canvas, compare):
        pos = QPointF(200, 150)
        event = QWheelEvent(
            pos, QPointF(view.mapToGlobal(pos)), QPoint(0, 0), QPoint(0, 240),
            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase, False,
        )  # fmt: skip
        QApplication.sendEvent(view, event)
    assert canvas.zoom() / before[0] == pytest.approx(wheel_factor(240))
    assert compare.zoom() / before[1] == pytest.approx(wheel_factor(240))
