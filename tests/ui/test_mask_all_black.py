"""Issue 13 item 7, window side: a mask that keeps everything disables Run, with the reason.

The run thresholds the painted mask at 50 % (``core.mask.encode_mask``); a mask with only
faint pixels — the fringe an eraser leaves, a soft mask restored from a file — says "keep
everything". Running it used to reach ``prepare_edit`` and fail after the click; sending it
unmasked would edit (and bill) the whole picture. Run is now off with the reason, and comes
back as soon as something is painted, or the mask is cleared (then the whole image is
edited, as the sidebar says).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage, QPainter

from retouch.ui.runs import MASK_ALL_BLACK
from tests.ui.canvas.conftest import Mouse, image_path
from tests.ui.conftest import wait_inputs_ready

REASON = (
    "The mask is all black: nothing would change. Paint what should change, or clear the "
    "mask to edit the whole image."
)


def faint_mask(window, value: int = 100) -> QImage:
    image = window.tray.first_image()
    mask = QImage(image.width(), image.height(), QImage.Format.Format_Grayscale8)
    mask.fill(0)
    painter = QPainter(mask)
    painter.fillRect(10, 10, image.width() // 2, image.height() // 2, QColor(value, value, value))
    painter.end()
    return mask


def test_a_mask_of_faint_pixels_only_disables_run_with_the_reason(qtbot, window, photos, hub_env):
    assert MASK_ALL_BLACK == REASON
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    window.sidebar.prompt.setPlainText("brighter")
    qtbot.waitUntil(lambda: window.sidebar.run_button.isEnabled(), timeout=5000)
    canvas = window.canvas_panel.canvas
    canvas.set_mask(faint_mask(window))
    assert not canvas.is_mask_empty() and canvas.is_mask_all_black()
    qtbot.waitUntil(lambda: not window.sidebar.run_button.isEnabled(), timeout=5000)
    assert window.run_blocker() == REASON
    assert window.sidebar.reason_label.text() == REASON
    # Ctrl+Enter or the menu cannot go round it: nothing is sent.
    window.run()
    assert not window.controller.running and hub_env.edit_requests() == []
    assert REASON in window.banner.text()

    # One real brush stroke marks something: Run is back.
    canvas.set_tool("brush")
    Mouse(canvas).drag(image_path(canvas, [(200, 150), (260, 170)]))
    qtbot.waitUntil(lambda: window.sidebar.run_button.isEnabled(), timeout=5000)
    assert window.run_blocker() == ""

    # Undo the stroke: faint only again, Run off again.
    canvas.undo_stack.undo()
    qtbot.waitUntil(lambda: not window.sidebar.run_button.isEnabled(), timeout=5000)

    # Clearing the mask means "edit the whole image": allowed, and said.
    canvas.clear_mask()
    qtbot.waitUntil(lambda: window.sidebar.run_button.isEnabled(), timeout=5000)
    assert "whole image" in window.sidebar.mask_label.text()


def test_a_half_on_mask_is_an_edit(qtbot, window, photos):
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    window.sidebar.prompt.setPlainText("brighter")
    canvas = window.canvas_panel.canvas
    canvas.set_mask(faint_mask(window, 128))  # exactly the threshold: kept as "edit"
    assert not canvas.is_mask_all_black()
    qtbot.waitUntil(lambda: window.sidebar.run_button.isEnabled(), timeout=5000)
    canvas.set_mask(faint_mask(window, 127))
    assert canvas.is_mask_all_black()
    qtbot.waitUntil(lambda: not window.sidebar.run_button.isEnabled(), timeout=5000)
