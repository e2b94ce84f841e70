"""A result's pictures: which one the saved file is, the other one a result placed back into
the photo has (issue 12), and decoding them off the UI thread (``run_task`` jobs).

The other picture is decoded with Pillow: ``QImage.fromData`` holds the interpreter lock
while it decodes, and the window stalled.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage

from retouch.core.results import SavedResult
from retouch.ui.tasks import TaskContext


def decode_saved(result: SavedResult, _ctx: TaskContext) -> dict[str, QImage] | None:
    """The saved file's images (full, preview, thumbnail), or None when it does not decode."""
    from retouch.ui.worker import saved_images

    images = saved_images(result)
    return None if images["image"].isNull() else images


def saved_kind(result: SavedResult) -> str:
    """Which picture the saved file is: "model" when the run saved the model's own (the
    composite then travels beside it), else "composite" (or the only picture there is)."""
    return "model" if result.composite is not None else "composite"


def other_picture(result: SavedResult) -> bytes | Path | None:
    """The picture a result has besides its saved file, or None."""
    if result.composite is not None:
        return result.composite
    if result.model_output is not None:
        return result.model_output
    return result.model_path


def decode_other(result: SavedResult, _ctx: TaskContext) -> dict[str, QImage] | None:
    """The other picture's images, decoded with Pillow (it lets the window's thread run)."""
    import io

    from PIL import Image

    from retouch.ui.qimage import pil_to_qimage
    from retouch.ui.worker import result_images

    source = other_picture(result)
    if source is None:
        return None
    try:
        with Image.open(io.BytesIO(source) if isinstance(source, bytes) else source) as img:
            img.load()
            image = pil_to_qimage(img)
    except (OSError, ValueError):
        return None
    return result_images(image)
