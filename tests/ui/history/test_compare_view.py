"""CompareView: wipe shows the right pair, the divider drags, zoom and pan stay in sync."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QWheelEvent
from PySide6.QtWidgets import QApplication

from retouch.ui.history import CompareView
from retouch.ui.view_transform import wheel_factor

RED, BLUE, GREEN, YELLOW = "#e53935", "#1e63d6", "#2e9d48", "#f2c230"


def solid(color: str, w: int = 200, h: int = 100) -> QImage:
    img = QImage(w, h, QImage.Format.Format_RGB32)
    img.fill(QColor(color))
    return img


def halves(w: int = 200, h: int = 100) -> QImage:
    """Left half black, right half white, with a red dot at (3/4, 1/4): shows where we are."""
    img = QImage(w, h, QImage.Format.Format_RGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.fillRect(0, 0, w // 2, h, QColor("black"))
    p.fillRect(int(w * 0.75) - 3, int(h * 0.25) - 3, 6, 6, QColor("red"))
    p.end()
    return img


def close(a: QColor, b: str, tol: int = 12) -> bool:
    c = QColor(b)
    return all(
        abs(x - y) <= tol
        for x, y in zip((a.red(), a.green(), a.blue()), (c.red(), c.green(), c.blue()), strict=True)
    )


@pytest.fixture
def view(qtbot) -> CompareView:
    widget = CompareView()
    qtbot.addWidget(widget)
    widget.resize(400, 200)  # same 2:1 shape as the images: they fill the widget exactly
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def pixel(view: CompareView, x: int, y: int) -> QColor:
    return view.grab().toImage().pixelColor(x, y)


def wheel(view: CompareView, pos: QPointF, steps: int) -> None:
    event = QWheelEvent(
        pos,
        view.mapToGlobal(pos),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view, event)


def test_object_name_and_defaults(view: CompareView) -> None:
    assert view.objectName() == "compareView"
    assert view.mode() == "wipe" and view.wipe_position() == 0.5 and view.zoom() == 1.0
    view.grab()  # paints the empty state without errors
    with pytest.raises(ValueError):
        view.set_mode("grid")


def test_wipe_shows_before_left_after_right(view: CompareView) -> None:
    view.set_images([solid(RED), solid(BLUE)])
    assert view.labels() == ["Before", "After"]
    assert close(pixel(view, 100, 150), RED)
    assert close(pixel(view, 300, 150), BLUE)
    view.set_wipe_position(0.25)
    assert close(pixel(view, 150, 150), BLUE)
    assert close(pixel(view, 50, 150), RED)
    view.set_wipe_position(3)  # clamped
    assert view.wipe_position() == 1.0


def test_dragging_the_divider_moves_it(qtbot, view: CompareView) -> None:
    view.set_images([solid(RED), solid(BLUE)])
    moved: list[float] = []
    view.wipeChanged.connect(moved.append)
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPoint(202, 60))
    qtbot.mouseMove(view, QPoint(260, 60))
    qtbot.mouseMove(view, QPoint(300, 70))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPoint(300, 70))
    assert view.wipe_position() == pytest.approx(0.75, abs=0.01)
    assert moved and moved[-1] == view.wipe_position()
    assert close(pixel(view, 250, 150), RED)
    # Moving without a button held does nothing; a drag away from the divider pans instead.
    qtbot.mouseMove(view, QPoint(100, 70))
    assert view.wipe_position() == pytest.approx(0.75, abs=0.01)


def test_arrow_keys_nudge_the_divider(qtbot, view: CompareView) -> None:
    view.set_images([solid(RED), solid(BLUE)])
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.wipe_position() == pytest.approx(0.51)
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert view.wipe_position() == pytest.approx(0.41)


def test_number_keys_choose_which_result_is_b(qtbot, view: CompareView) -> None:
    view.set_images(
        [solid(RED), solid(BLUE), solid(GREEN), solid(YELLOW)], ["Before", "1", "2", "3"]
    )
    assert view.current() == 1
    view.setFocus()
    with qtbot.waitSignal(view.currentChanged) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_3)
    assert blocker.args == [3]
    assert close(pixel(view, 300, 150), YELLOW) and close(pixel(view, 100, 150), RED)
    qtbot.keyClick(view, Qt.Key.Key_2)
    assert view.current() == 2 and close(pixel(view, 300, 150), GREEN)
    qtbot.keyClick(view, Qt.Key.Key_4)  # no fourth result: ignored
    assert view.current() == 2


def test_results_of_another_shape_are_fitted_not_stretched(view: CompareView) -> None:
    view.set_images([solid(RED, 200, 100), solid(BLUE, 100, 100)])
    a, b = view.image_rect(0, 0), view.image_rect(0, 1)
    assert a.width() == pytest.approx(400) and b.width() == pytest.approx(200)
    assert b.height() == pytest.approx(200) and b.center() == a.center()


def test_zoom_keys_and_fit(qtbot, view: CompareView) -> None:
    view.set_images([solid(RED), solid(BLUE)])
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == pytest.approx(1.25)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == pytest.approx(0.8)
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == 1.0 and view.center() == QPointF(0.5, 0.5)


def test_wheel_zooms_about_the_cursor(view: CompareView) -> None:
    view.set_images([halves(), halves()])
    before = view.image_rect(0)
    point = QPointF(300, 50)  # image point (0.75, 0.25): the red dot
    wheel(view, point, 3)
    # The mask canvas's wheel curve (one view transform): a notch zooms by 2^(1/4).
    assert view.zoom() == pytest.approx(wheel_factor(360)) == pytest.approx(2**0.75)
    after = view.image_rect(0)
    assert after.width() > before.width() * 1.5
    u = (point.x() - after.left()) / after.width()
    v = (point.y() - after.top()) / after.height()
    assert (u, v) == (pytest.approx(0.75, abs=1e-3), pytest.approx(0.25, abs=1e-3))
    assert close(pixel(view, 300, 50), "red", tol=40)


def test_side_by_side_zoom_and_pan_stay_in_sync(qtbot, view: CompareView) -> None:
    view.resize(600, 200)
    view.set_images([halves(), halves(), halves()], ["Before", "1", "2"])
    view.set_mode("side")
    panes = view.pane_rects()
    assert len(panes) == 3 and panes[0].right() < panes[1].left()
    region = [view.visible_region(i) for i in range(3)]
    assert region[0] == region[1] == region[2]

    # Wheel over the middle pane's red dot: every pane zooms onto its own red dot.
    pane = panes[1]
    img = view.image_rect(1)
    dot = QPointF(img.left() + 0.75 * img.width(), img.top() + 0.25 * img.height())
    wheel(view, dot, 4)
    assert view.zoom() == pytest.approx(2.0)  # four notches double it
    region = [view.visible_region(i) for i in range(3)]
    for r in region[1:]:
        assert r.x() == pytest.approx(region[0].x()) and r.width() == pytest.approx(
            region[0].width()
        )
        assert r.y() == pytest.approx(region[0].y())
    shot = view.grab().toImage()
    for i in range(3):
        offset = dot - pane.topLeft()
        p = (view.pane_rects()[i].topLeft() + offset).toPoint()
        assert close(shot.pixelColor(p), "red", tol=40), (i, shot.pixelColor(p).name())

    # Dragging one pane pans them all.
    start = QPoint(int(pane.center().x()), 100)
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(view, start + QPoint(40, 10))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=start + QPoint(40, 10))
    moved = [view.visible_region(i) for i in range(3)]
    assert moved[0].x() < region[0].x()
    assert moved[0] == moved[1] == moved[2]


def test_four_images_use_a_grid_when_it_shows_them_larger(view: CompareView) -> None:
    view.resize(600, 400)
    view.set_images(
        [
            solid(RED, 300, 300),
            solid(BLUE, 300, 300),
            solid(GREEN, 300, 300),
            solid(YELLOW, 300, 300),
        ]
    )
    view.set_mode("side")
    tops = {round(r.top()) for r in view.pane_rects()}
    assert len(tops) == 2  # 2 × 2
    shot = view.grab().toImage()
    centres = [r.center().toPoint() for r in view.pane_rects()]
    for centre, colour in zip(centres, [RED, BLUE, GREEN, YELLOW], strict=True):
        assert close(shot.pixelColor(centre), colour)


def test_double_click_toggles_actual_pixels(qtbot, view: CompareView) -> None:
    view.set_images([solid(RED, 800, 400), solid(BLUE, 800, 400)])
    qtbot.mouseDClick(view, Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
    assert view.zoom() == pytest.approx(2.0)  # fit was 50%: now one image pixel per pixel
    qtbot.mouseDClick(view, Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
    assert view.zoom() == 1.0
