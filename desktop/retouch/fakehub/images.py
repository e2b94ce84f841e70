"""Image work for the fake hub: decoding inputs, making visibly edited outputs, encoding.

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
MAX_OUTPUT_EDGE = 4096


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


def parse_resolution(value: str) -> tuple[int, int]:
    w, _, h = value.lower().partition("x")
    return int(w), int(h)


def fit_size(size: tuple[int, int], max_edge: int = MAX_OUTPUT_EDGE) -> tuple[int, int]:
    w, h = size
    scale = min(1.0, max_edge / max(w, h, 1))
    return max(1, round(w * scale)), max(1, round(h * scale))


def tint_color(index: int) -> tuple[int, int, int]:
    """A saturated colour, different for each output index."""
    hue = (0.0 + index * 0.27) % 1.0
    r, g, b = colorsys.hsv_to_rgb(hue, 0.9, 1.0)
    return round(r * 255), round(g * 255), round(b * 255)


def render_edit(
    base: Image.Image,
    size: tuple[int, int],
    index: int,
    mask: Image.Image | None = None,
    *,
    style: str = "photo",
    strength: float = 0.45,
) -> Image.Image:
    """Return the "edited" image: *base* cover-fitted to *size*, tinted where masked.

    *mask* is an L image (white = edit) in the base image's geometry; it gets the same
    cover-fit. Without a mask the whole image is tinted.
    """
    src = ImageOps.fit(to_rgb(base), size, Image.Resampling.BILINEAR)
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
    mask_fit = ImageOps.fit(mask, size, Image.Resampling.NEAREST)
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
