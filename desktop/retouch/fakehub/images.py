"""Image work for the fake hub: decoding inputs, rendering model-like outputs, encoding.

Only whole-image Pillow operations (no per-pixel Python), so a 3840x2160 output takes a
fraction of a second.
"""

from __future__ import annotations

import base64
import binascii
import colorsys
import io
import re
from dataclasses import dataclass

from PIL import Image, ImageFilter, ImageOps

CONTENT_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}
_DATA_URI = re.compile(r"^data:([^;,]*)((?:;[^;,]*)*),(.*)$", re.DOTALL | re.IGNORECASE)


class ImageInputError(ValueError):
    """An input could not be turned into an image."""


@dataclass
class DecodedImage:
    image: Image.Image
    format: str | None
    size: tuple[int, int]
    mode: str
    nbytes: int


def parse_data_uri(uri: str) -> tuple[str, bytes]:
    """Return (media type, payload bytes) of a ``data:`` URI; raise ImageInputError."""
    m = _DATA_URI.match(uri.strip())
    if not m:
        raise ImageInputError("malformed data URI")
    media_type, params, payload = m.group(1), m.group(2), m.group(3)
    if ";base64" not in params.lower():
        raise ImageInputError("data URI is not base64-encoded")
    try:
        data = base64.b64decode(re.sub(r"\s+", "", payload), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImageInputError(f"invalid base64 in data URI ({exc})") from None
    return media_type.lower(), data


def decode_image(data: bytes) -> DecodedImage:
    """Decode image bytes fully; raise ImageInputError if they are not an image."""
    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds on bad data
        raise ImageInputError(f"not a decodable image ({type(exc).__name__})") from None
    return DecodedImage(img, img.format, img.size, img.mode, len(data))


def to_rgb(img: Image.Image) -> Image.Image:
    """Flatten any mode to RGB (transparent areas become white)."""
    if img.mode == "RGB":
        return img
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        bg = Image.new("RGB", rgba.size, (255, 255, 255))
        bg.paste(rgba, mask=rgba.getchannel("A"))
        return bg
    return img.convert("RGB")


def mask_to_l(img: Image.Image) -> Image.Image:
    """The mask as 8-bit grey (white = edit). Alpha is ignored, like the real endpoint."""
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        return to_rgb(img).convert("L")
    return img.convert("L")


def white_fraction(mask_l: Image.Image) -> float:
    """Fraction of pixels >= 128 in an L image."""
    hist = mask_l.histogram()
    total = sum(hist) or 1
    return sum(hist[128:]) / total


def tint_color(index: int) -> tuple[int, int, int]:
    """A saturated colour, different for each output index (the colour of the edit)."""
    hue = (0.0 + index * 0.27) % 1.0
    r, g, b = colorsys.hsv_to_rgb(hue, 0.9, 1.0)
    return round(r * 255), round(g * 255), round(b * 255)


edit_color = tint_color

# How a real model treats the picture it was given, made deterministic:
# 1. the first input is resized (stretched) to the requested output size;
# 2. the whole picture is redrawn slightly: softened (Pillow's 3x3 SMOOTH kernel, a third
#    of the time of even a small Gaussian blur at 4K) and its colours drift (each channel
#    v -> v * gain + offset, a few levels, different per channel, so nearly every pixel
#    changes while staying close to the original);
# 3. the masked area (all of it without a mask) is blended EDIT_STRENGTH of the way towards
#    edit_color(index), so each of up to four results differs and the edit is unmistakable.
# Pixels outside the mask are therefore close to, never equal to, the original: only a
# client that pastes the result back into its original gets them back bit for bit.
REDRAW_DRIFT = ((0.94, 10.0), (0.95, 5.0), (0.93, 12.0))  # (gain, offset) for R, G, B
EDIT_STRENGTH = 0.6


def _drift_level(value: float, channel: int) -> int:
    gain, offset = REDRAW_DRIFT[channel]
    return max(0, min(255, round(value * gain + offset)))


_DRIFT_LUT = [_drift_level(v, c) for c in range(3) for v in range(256)]


def redrawn_pixel(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    """What the redraw makes of a pixel inside a flat area of colour *rgb*."""
    return (_drift_level(rgb[0], 0), _drift_level(rgb[1], 1), _drift_level(rgb[2], 2))


def edited_pixel(
    rgb: tuple[int, int, int], index: int, strength: float = EDIT_STRENGTH
) -> tuple[int, int, int]:
    """What the edit makes of a pixel inside a flat masked area of colour *rgb*.

    Exact for the usual cases; allow ±1 where float rounding may differ from Pillow's
    (``Image.blend`` truncates).
    """
    tint = tint_color(index)
    base = redrawn_pixel(rgb)
    r, g, b = (int(base[c] + (tint[c] - base[c]) * strength) for c in range(3))
    return r, g, b


def redraw(img: Image.Image) -> Image.Image:
    """The slight whole-picture change a model makes: softer, colours drifted (RGB in/out)."""
    return img.filter(ImageFilter.SMOOTH).point(_DRIFT_LUT)


def render_edit(
    base: Image.Image | None,
    size: tuple[int, int],
    index: int,
    mask: Image.Image | None = None,
    *,
    style: str = "photo",
    strength: float = EDIT_STRENGTH,
) -> Image.Image:
    """Return the model's output at *size*: *base* stretched to it, redrawn, edited.

    *mask* is an L image (white = edit) with *base*'s dimensions; it is stretched the same
    way. Without a mask the whole picture is edited; without a *base* (a text-only request)
    the result is a generated picture.
    """
    if base is None:
        return render_generated(size, index)
    src = redraw(to_rgb(base).resize(size, Image.Resampling.BILINEAR))
    if style == "sketch":
        changed = ImageOps.autocontrast(src.convert("L").filter(ImageFilter.CONTOUR)).convert("RGB")
    elif style == "watercolor":
        changed = src.filter(ImageFilter.BoxBlur(3))
    else:
        changed = src
    overlay = Image.new("RGB", size, tint_color(index))
    edited = Image.blend(changed, overlay, max(0.0, min(1.0, strength)))
    if mask is None:
        return edited
    mask_fit = mask.resize(size, Image.Resampling.BILINEAR)
    return Image.composite(edited, src, mask_fit)


def render_generated(size: tuple[int, int], index: int) -> Image.Image:
    """A text-to-image result: a gradient in the index colour."""
    grad = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    return ImageOps.colorize(grad, (20, 20, 30), tint_color(index))


def encode(img: Image.Image, output_format: str) -> bytes:
    buf = io.BytesIO()
    if output_format == "png":
        img.save(buf, "PNG", compress_level=1)
    elif output_format == "jpeg":
        to_rgb(img).save(buf, "JPEG", quality=88)
    elif output_format == "webp":
        img.save(buf, "WEBP", quality=80, method=0)
    else:
        raise ValueError(f"unsupported output format {output_format!r}")
    return buf.getvalue()


def sniff_content_type(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    return None
