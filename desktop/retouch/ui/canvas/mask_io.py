"""Mask files: reading one onto the canvas's image, writing the mask as a PNG.

The canvas's ``load_mask_file``, ``set_mask`` and ``save_mask_png`` use these; the pixel
formats and the file decoding itself are ``mask_layer``'s.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage

from retouch.core.atomic import atomic_write_bytes
from retouch.ui.i18n import translate

from .mask_layer import (
    MaskImportError,
    aspect_differs,
    gray8_to_png_bytes,
    read_mask_file,
    threshold_gray8,
    to_gray8,
)


def fit_to_image(gray: QImage, target: QSize, *, threshold: bool) -> QImage:
    """*gray* (Grayscale8) at the image's size; ``MaskImportError`` if their aspect ratios
    differ by more than 1 % (the mask would not line up). With *threshold*, 50 % after the
    resampling, so scaled edges land on the right side."""
    if gray.size() != target:
        if aspect_differs(gray.size(), target):
            raise MaskImportError(
                translate(
                    "CanvasPanel",
                    "The mask is {mw}×{mh} but the image is {iw}×{ih}: their aspect ratios "
                    "differ by more than 1 %, so the mask would not line up.",
                ).format(mw=gray.width(), mh=gray.height(), iw=target.width(), ih=target.height())
            )
        gray = gray.scaled(
            target,
            Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        ).convertToFormat(QImage.Format.Format_Grayscale8)
    return threshold_gray8(gray) if threshold else gray


def mask_from_image(image: QImage, target: QSize) -> QImage:
    """A mask given as an image (white = edit), kept exact: no threshold."""
    return fit_to_image(to_gray8(image), target, threshold=False)


def mask_from_file(path: str | Path, target: QSize) -> QImage:
    """A mask file of any mode: luminance (over black, with alpha), thresholded at 50 %."""
    return fit_to_image(read_mask_file(path), target, threshold=True)


def write_mask_png(gray: QImage, path: str | Path) -> None:
    """An 8-bit greyscale PNG (white = edit), written atomically."""
    atomic_write_bytes(path, gray8_to_png_bytes(gray))
