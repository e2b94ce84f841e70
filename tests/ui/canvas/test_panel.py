"""CanvasPanel: object names, actions and shortcuts, toolbar ↔ canvas sync."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QSlider, QSpinBox, QVBoxLayout, QWidget

from retouch.ui.canvas import CanvasPanel, MaskCanvas

REQUIRED_ACTIONS = {
    "actionBrush": "B",
    "actionEraser": "E",
    "actionInvertMask": "Ctrl+I",
    "actionClearMask": "Ctrl+Shift+A",
    "actionFillMask": "Ctrl+A",
    "actionRectTool": "R",
    "actionLassoTool": "L",
    "actionUndo": "Ctrl+Z",
    "actionRedo": "Ctrl+Shift+Z",
    "actionZoomIn": "Ctrl+=",
    "actionZoomOut": "Ctrl+-",
    "actionFit": "Ctrl+0",
    "actionActualSize": "Ctrl+1",
    "actionMaskOnly": "M",
    "actionImportMask": "Ctrl+Shift+I",
    "actionExportMask": "Ctrl+Shift+E",
}


def test_object_names_and_actions(panel):
    assert panel.objectName() == "canvas"
    assert isinstance(panel.canvas, MaskCanvas)
    assert panel.canvas.objectName() == "maskCanvas"
    assert panel.undo_stack is panel.canvas.undo_stack
    actions = {a.objectName(): a for a in panel.actions()}
    for name, key in REQUIRED_ACTIONS.items():
        a = actions[name]
        assert isinstance(a, QAction)
        assert a.shortcut().toString() == key, name
        assert a.shortcutContext() in (
            Qt.ShortcutContext.WindowShortcut,
            Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        assert f"({key})" in a.toolTip().replace("⌘", "Ctrl+"), (name, a.toolTip())
    assert actions["actionBrush"].toolTip() == "Brush (B)"
    assert "Ctrl+Y" in [s.toString() for s in actions["actionRedo"].shortcuts()]


def test_tool_shortcuts_switch_tools(panel, helpers):
    panel.set_image(helpers.make_image(800, 600))
    c = panel.canvas
    c.setFocus()
    for key, tool in ((Qt.Key.Key_E, "eraser"), (Qt.Key.Key_R, "rect"), (Qt.Key.Key_L, "lasso")):
        QTest.keyClick(c, key)
        assert c.tool() == tool
    assert c.erase_mode()  # rect/lasso keep the eraser's mode
    QTest.keyClick(c, Qt.Key.Key_B)
    assert c.tool() == "brush" and not c.erase_mode()
    assert panel.actionBrush.isChecked()
    c.set_tool("lasso")
    assert panel.actionLassoTool.isChecked()


def test_bracket_shortcuts_change_size(panel, helpers):
    panel.set_image(helpers.make_image(800, 600))
    c = panel.canvas
    c.set_brush_size(40)
    c.setFocus()
    QTest.keyClick(c, Qt.Key.Key_BracketRight)
    assert c.brush_size() == 46
    QTest.keyClick(c, Qt.Key.Key_BracketLeft)
    QTest.keyClick(c, Qt.Key.Key_BracketLeft)
    assert c.brush_size() < 40
    spin = panel.findChild(QSpinBox, "brushSizeSpin")
    assert spin.value() == round(c.brush_size())


def test_letter_shortcuts_do_not_fire_while_typing(qtbot, helpers):
    """A prompt field elsewhere in the window keeps its letters (and Ctrl+Z, Ctrl+A)."""
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    field = QLineEdit()
    panel = CanvasPanel()
    layout.addWidget(field)
    layout.addWidget(panel)
    window.resize(1000, 700)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    panel.set_image(helpers.make_image(800, 600))
    panel.canvas.fill_mask()

    field.setFocus()
    QTest.keyClicks(field, "bee rl")
    assert field.text() == "bee rl"
    assert panel.canvas.tool() == "brush"
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # select all
    QTest.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # text undo
    assert panel.undo_stack.index() == 1  # the mask's history was not touched
    # A multi-line prompt box keeps its letters too.
    box = QPlainTextEdit()
    layout.addWidget(box)
    box.setFocus()
    QTest.keyClicks(box, "make it blue")
    assert box.toPlainText() == "make it blue"
    assert panel.canvas.tool() == "brush" and not panel.canvas.mask_only()
    # Focus back on the canvas: the same keys drive the tools.
    panel.canvas.setFocus()
    QTest.keyClick(panel.canvas, Qt.Key.Key_E)
    assert panel.canvas.tool() == "eraser"


def test_toolbar_controls_drive_canvas(panel, helpers):
    panel.set_image(helpers.make_image(800, 600))
    c = panel.canvas
    size_slider = panel.findChild(QSlider, "brushSizeSlider")
    size_slider.setValue(size_slider.maximum())
    assert c.brush_size() == 1000
    size_slider.setValue(0)
    assert c.brush_size() == 1
    panel.findChild(QSpinBox, "brushSizeSpin").setValue(77)
    assert c.brush_size() == 77
    panel.findChild(QSlider, "hardnessSlider").setValue(25)
    assert c.hardness() == 0.25
    panel.findChild(QSlider, "overlayOpacitySlider").setValue(70)
    assert c.overlay_opacity() == 0.7
    panel.actionMaskOnly.trigger()
    assert c.mask_only()
    c.set_mask_only(False)
    assert not panel.actionMaskOnly.isChecked()


def test_overlay_colour_button(panel, helpers, monkeypatch):
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QToolButton

    panel.set_image(helpers.make_image(800, 600))
    monkeypatch.setattr(panel, "_pick_color", lambda current: QColor(0, 200, 120))
    panel.findChild(QToolButton, "overlayColorButton").click()
    assert panel.canvas.overlay_color() == QColor(0, 200, 120)


def test_actions_disabled_without_image(panel, helpers):
    assert not panel.actionBrush.isEnabled()
    assert not panel.actionFillMask.isEnabled()
    panel.set_image(helpers.make_image(800, 600))
    assert panel.actionBrush.isEnabled() and panel.actionFillMask.isEnabled()
    assert not panel.actionClearMask.isEnabled()  # nothing to clear yet
    panel.canvas.fill_mask()
    assert panel.actionClearMask.isEnabled()
    assert not panel.actionUndo.isEnabled() or panel.undo_stack.canUndo()


def test_zoom_label_follows_zoom(panel, helpers):
    from PySide6.QtWidgets import QToolButton

    panel.set_image(helpers.make_image(800, 600))
    panel.canvas.set_zoom(2.0)
    assert panel.findChild(QToolButton, "zoomButton").text() == "200 %"


def test_screenshot_renders(panel, helpers, tmp_path):
    """Smoke test of a full render with a mask, cursor and toolbar (also saved for review)."""
    panel.set_image(helpers.make_image(1600, 1000))
    c = panel.canvas
    c.set_brush_size(60)
    helpers.Mouse(c).drag(helpers.image_path(c, helpers.polyline([(300, 300), (1200, 600)], 20)))
    img = panel.grab().toImage()
    assert img.width() == panel.width()
    path = tmp_path / "panel.png"
    assert img.save(str(path))
