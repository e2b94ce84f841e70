"""Conversions between Pillow and QImage without detours through encoded files."""

from __future__ import annotations

from PIL import Image
from PySide6.QtGui import QImage


def pil_to_qimage(img: Image.Image) -> QImage:
    """Copy a Pillow image into a QImage that owns its pixels (safe across threads)."""
    if img.mode not in ("RGB", "RGBA"):
        img = img.convert("RGBA" if "A" in img.mode or img.mode == "P" else "RGB")
    fmt = QImage.Format.Format_RGBA8888 if img.mode == "RGBA" else QImage.Format.Format_RGB888
    data = img.tobytes()
    bpl = img.width * (4 if img.mode == "RGBA" else 3)
    return QImage(data, img.width, img.height, bpl, fmt).copy()


def qimage_to_pil_l(image: QImage) -> Image.Image:
    """A Grayscale8 QImage → Pillow 'L' image (rows may be padded in the QImage)."""
    if image.format() != QImage.Format.Format_Grayscale8:
        image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, bpl = image.width(), image.height(), image.bytesPerLine()
    raw = bytes(image.constBits())[: bpl * height]
    return Image.frombuffer("L", (width, height), raw, "raw", "L", bpl, 1).copy()


def qimage_to_png_bytes(image: QImage) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; PySide wants str
    buffer.close()
    return bytes(array.data())
