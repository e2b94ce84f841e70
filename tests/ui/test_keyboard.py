"""The window by keyboard alone: Tab follows what the eye reads, the tray reorders with
Alt+Up/Down, a rectangle mask is placed with the arrows and Enter, \\ shows the original."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.conftest import wait_inputs_ready


def focus() -> QWidget | None:
    return QApplication.focusWidget()


def tab_cycle(qtbot, start: QWidget, limit: int = 120) -> list[QWidget]:
    """Press Tab from *start* until the focus comes back; the widgets visited in order."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    seen = [start]
    for _ in range(limit):
        qtbot.keyClick(focus(), Qt.Key.Key_Tab)
        current = focus()
        if current is None or current is start:
            break
        seen.append(current)
    return seen


def test_tab_follows_the_visual_order(qtbot, window, photos):
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    window.sidebar.prompt.setPlainText("brighter")  # Run is enabled
    window.activateWindow()
    order = tab_cycle(qtbot, window.tray.add_button)
    names = [w.objectName() for w in order]

    def at(name: str) -> int:
        assert name in names, (name, names)
        return names.index(name)

    # The inputs, the page selector, the page (options, tools, canvas, zoom), the sidebar.
    assert at("addInputButton") < at("inputList") < at("showCanvasButton")
    assert at("showCanvasButton") < at("brushSizeSpin") < at("actionBrushButton")
    assert at("actionBrushButton") < at("maskCanvas") < at("zoomButton")
    assert at("zoomButton") < at("modelCombo") < at("promptEdit")
    # The parameters come before Run, in the order the form shows them.
    params = [n for n in names if n.startswith("param_")]
    assert params == [
        "param_resolution",
        "param_quality",
        "param_num_images",
        "param_output_format",
    ]
    assert at("promptEdit") < at(params[0]) and at(params[-1]) < at("runButton")


def test_tab_order_survives_a_new_model(qtbot, window, photos):
    """The form is rebuilt for another model: its new fields still come before Run."""
    from retouch.core.schema import BUILTIN_MODELS, model_info

    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    window.sidebar.prompt.setPlainText("brighter")
    window.state.set_model(model_info(BUILTIN_MODELS["gpt-image-2"], "builtin"))
    QApplication.processEvents()  # the new fields are shown on the next pass
    order = [w.objectName() for w in tab_cycle(qtbot, window.sidebar.model_combo)]
    params = [i for i, n in enumerate(order) if n.startswith("param_")]
    assert "param_aspect_ratio" in order  # the new model's own field
    assert params and max(params) < order.index("runButton")


def test_canvas_tools_are_reachable_by_keyboard(qtbot, window, photos):
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    lasso = window.canvas_panel.findChild(QWidget, "actionLassoToolButton")
    lasso.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(lasso, Qt.Key.Key_Space)
    assert window.canvas_panel.canvas.tool() == "lasso"


def test_the_tray_reorders_with_alt_up_and_down(qtbot, window, photos):
    window.tray.add_paths(photos)
    wait_inputs_ready(qtbot, window, 2)
    tray = window.tray
    first, second = (it.ref.name for it in tray.items())
    tray.list.setCurrentRow(1)
    tray.list.setFocus()
    qtbot.keyClick(tray.list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert [it.ref.name for it in tray.items()] == [second, first]
    assert tray.list.currentRow() == 0  # the moved input stays selected
    assert tray.list.item(0).text().startswith("Editing")  # it is the edited image now
    qtbot.keyClick(tray.list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [it.ref.name for it in tray.items()] == [first, second]
    qtbot.keyClick(tray.list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [it.ref.name for it in tray.items()] == [first, second]  # already last: no move


def test_a_rectangle_mask_drawn_with_the_keyboard(qtbot, window, photos):
    window.tray.add_paths([photos[0]])  # 320×240
    wait_inputs_ready(qtbot, window, 1)
    canvas = window.canvas_panel.canvas
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_R)
    assert canvas.tool() == "rect"
    qtbot.keyClick(canvas, Qt.Key.Key_Right)  # the first arrow shows the marquee
    assert canvas.has_marquee()
    start = canvas.marquee_rect()
    assert start.width() == 320 // 3 and start.height() == 240 // 3
    step = canvas.marquee_step()
    assert step == 3  # 1 % of the longer side
    for _ in range(4):
        qtbot.keyClick(canvas, Qt.Key.Key_Right)
    qtbot.keyClick(canvas, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    rect = canvas.marquee_rect()
    assert rect.topLeft() == start.topLeft() + QPoint(4 * step, 0)
    assert rect.height() == start.height() + step
    assert canvas.is_mask_empty()  # nothing filled before Enter
    qtbot.keyClick(canvas, Qt.Key.Key_Return)
    assert not canvas.has_marquee() and not canvas.is_mask_empty()
    mask = canvas.mask_for_export()
    inside, outside = rect.center(), rect.topLeft() - QPoint(2, 2)
    assert mask.pixelColor(inside).red() == 255 and mask.pixelColor(outside).red() == 0
    # One undo step; Esc drops a marquee without filling.
    assert window.canvas_panel.undo_stack.count() == 1
    qtbot.keyClick(canvas, Qt.Key.Key_Left)
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    assert not canvas.has_marquee() and window.canvas_panel.undo_stack.count() == 1
    # Alt+Enter erases what it covers.
    qtbot.keyClick(canvas, Qt.Key.Key_Left)
    canvas.nudge_marquee(0, 0, resize=False)
    qtbot.keyClick(canvas, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)
    assert window.canvas_panel.undo_stack.count() == 2


def press(widget: QWidget, kind: QEvent.Type, key: Qt.Key, text: str) -> None:
    QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text))


def test_hold_backslash_for_the_original_on_the_canvas(qtbot, window, photos):
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    canvas = window.canvas_panel.canvas
    canvas.fill_mask()
    canvas.setFocus()
    centre = canvas.image_to_widget(canvas.image().rect().center()).toPoint()
    masked = canvas.grab().toImage().pixelColor(centre)
    press(canvas, QEvent.Type.KeyPress, Qt.Key.Key_Backslash, "\\")
    assert canvas.show_original() and window.canvas_panel.actionOriginal.isChecked()
    held = canvas.grab().toImage().pixelColor(centre)
    expected = canvas.image().pixelColor(canvas.image().rect().center())
    assert _close(held, expected) and not _close(masked, expected)
    press(canvas, QEvent.Type.KeyRelease, Qt.Key.Key_Backslash, "\\")
    assert not canvas.show_original()
    assert _close(canvas.grab().toImage().pixelColor(centre), masked)
    # The toolbar toggle does the same and stays.
    window.canvas_panel.findChild(QWidget, "actionOriginalButton").click()
    assert canvas.show_original()


def test_hold_backslash_for_the_before_on_the_results(qtbot, window, photos):
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    window.sidebar.prompt.setPlainText("make it red")
    with qtbot.waitSignal(window.controller.finished, timeout=30000):
        window.run()
    results = window.results
    qtbot.waitUntil(lambda: results.count() == 1, timeout=10000)
    gallery = results.gallery
    assert focus() is gallery  # the focus went to the first result
    preview = results.preview
    centre = preview.rect().center()
    after = preview.grab().toImage().pixelColor(centre)
    press(gallery, QEvent.Type.KeyPress, Qt.Key.Key_Backslash, "\\")
    assert preview.showing_before() and results.before_button.isChecked()
    before = preview.grab().toImage().pixelColor(centre)
    photo = window.tray.first_image()
    assert _close(before, photo.pixelColor(photo.rect().center()))
    assert not _close(before, after)
    press(gallery, QEvent.Type.KeyRelease, Qt.Key.Key_Backslash, "\\")
    assert not preview.showing_before()


def test_backslash_still_types_in_the_prompt(qtbot, window, photos):
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    prompt = window.sidebar.prompt
    prompt.setFocus()
    qtbot.keyClicks(prompt, "a\\b")
    assert prompt.toPlainText() == "a\\b"
    assert not window.canvas_panel.canvas.show_original()


def _close(a: QColor, b: QColor, tol: int = 12) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))
