"""MaskCanvas: shows the image with the mask over it and lets the user paint the mask.

Built in layers, one concern each: ``canvas_view`` (zoom, pan, fit), ``canvas_base``
(state, image and mask operations, tool settings, strokes), ``shapes`` (rectangle, lasso,
region, the keyboard marquee), ``painting`` (drawing), ``input`` (mouse, pen, wheel, keys)
and ``mask_io`` (mask files). The view is ``ui.view_transform.ViewTransform``, shared with
the Compare page: ``widget = offset + zoom * image`` in *logical* widget pixels, so mapping
never involves devicePixelRatio; the ratio only decides the resolution of the cached
downscaled image (sharpness on HiDPI screens).
"""

from __future__ import annotations

from .canvas_base import DEFAULT_OVERLAY
from .canvas_view import FIT_MARGIN, ZOOM_MAX, ZOOM_MIN, ZOOM_STEPS
from .input import CanvasInput
from .painting import BACKGROUND, EMPTY_HINT

__all__ = [
    "BACKGROUND",
    "DEFAULT_OVERLAY",
    "EMPTY_HINT",
    "FIT_MARGIN",
    "ZOOM_MAX",
    "ZOOM_MIN",
    "ZOOM_STEPS",
    "MaskCanvas",
]


class MaskCanvas(CanvasInput):
    """The mask painting surface. See the package docstring for the public API."""
