"""The mask canvas: paint what the AI edit should change.

Public API (used by the main window)::

    panel = CanvasPanel(parent)   # objectName "canvas": toolbar + MaskCanvas
    panel.canvas                  # MaskCanvas, objectName "maskCanvas"
    panel.set_image(img_or_None)  # asks keep/clear when a mask exists and aspect matches
    panel.actions()               # QActions for menus (actionBrush, actionUndo, ...)
    panel.undo_stack              # QUndoStack

    canvas.maskChanged / zoomChanged(float)
    canvas.mask_for_export() -> QImage (Grayscale8, 255 = edit) | None when empty
    canvas.is_mask_empty(), set_tool(...), set_brush_size(px), set_hardness(0..1),
    clear_mask(), fill_mask(), invert_mask(), load_mask_file(path), save_mask_png(path),
    set_mask(qimage), set_zoom(f), zoom(), fit(), image_to_widget(p), widget_to_image(p)
"""

from .mask_canvas import MaskCanvas
from .mask_io import MaskImportError
from .mask_layer import MaskLayer
from .panel import CanvasPanel
from .tools import Tool

__all__ = ["CanvasPanel", "MaskCanvas", "MaskImportError", "MaskLayer", "Tool"]
