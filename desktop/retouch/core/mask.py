"""Masks: whatever the user painted or loaded becomes a 0/255 single-channel PNG.

The hub's polarity is **white = edit, black = keep** (API.md §1), at the first input's size.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from retouch.core.errors import InputError

ASPECT_TOLERANCE = 0.01


@dataclass
class EncodedMask:
    png: bytes
    size: tuple[int, int]
    coverage: float  # fraction of pixels to edit, 0..1


def mask_to_l(mask: Image.Image) -> Image.Image:
    """Any mode → 'L' where bright means edit. Transparent pixels mean keep."""
    mode = mask.mode
    if mode == "1":
        return mask.convert("L")
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        # point() works on "I", not on the raw 16-bit modes (big-endian ones included).
        return (mask if mode == "I" else mask.convert("I")).point(lambda v: v / 257).convert("L")
    if mode == "F":
        return mask.convert("L")
    if mode == "P":
        mask = mask.convert("RGBA")
        mode = "RGBA"
    if mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = mask.convert("RGBA")
        alpha = rgba.getchannel("A")
        # With transparency, whatever is painted (opaque) is the edit area, in any colour;
        # a fully opaque image is read by brightness like any other.
        if alpha.getextrema() != (255, 255):
            return alpha
        return rgba.convert("L")
    if mode == "L":
        return mask
    return mask.convert("L")


def aspect_matches(a: tuple[int, int], b: tuple[int, int]) -> bool:
    ra, rb = a[0] / a[1], b[0] / b[1]
    return abs(ra - rb) / rb <= ASPECT_TOLERANCE


def encode_mask(mask: Image.Image, target_size: tuple[int, int]) -> EncodedMask | None:
    """Threshold, resize to *target_size* and PNG-encode; None when nothing is to be edited."""
    if mask.width < 1 or mask.height < 1:
        raise InputError("The mask image is empty (0 pixels).")
    if not aspect_matches(mask.size, target_size):
        raise InputError(
            f"The mask is {mask.width}×{mask.height} but the image is "
            f"{target_size[0]}×{target_size[1]}: their shapes differ, so the mask would not "
            "line up. Use a mask with the same proportions."
        )
    grey = mask_to_l(mask)
    if grey.size != target_size:
        grey = grey.resize(target_size, Image.Resampling.BILINEAR)
    binary = grey.point(lambda v: 255 if v >= 128 else 0, mode="L")
    histogram = binary.histogram()
    white = histogram[255]
    if white == 0:
        return None
    buf = io.BytesIO()
    binary.save(buf, format="PNG", optimize=False, compress_level=6)
    return EncodedMask(buf.getvalue(), binary.size, white / (binary.width * binary.height))


def load_mask_file(path: str, target_size: tuple[int, int]) -> EncodedMask | None:
    from retouch.core.images import pillow_errors, read_file

    data = read_file(path)
    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except Exception:  # noqa: BLE001 - every decoder failure gets one plain message
        raise InputError(f"The mask '{path}' is not an image Retouch can read.") from None
    with pillow_errors(Path(path).name):
        return encode_mask(img, target_size)
