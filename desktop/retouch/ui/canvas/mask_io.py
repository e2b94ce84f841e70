"""Mask files: decoding one of any mode onto the canvas's image, writing the mask as a PNG.

The canvas's ``load_mask_file``, ``set_mask`` and ``save_mask_png`` use these; the pixel
formats (Grayscale8, thresholds) are ``mask_layer``'s.
"""

from __future__ import annotations

from pathlib import Path

# Qt classes first needed after the window's first paint are reached through their module
# (QtWidgets.QMessageBox): PySide6 builds a class, enums and all, when it is first touched.
from PySide6 import QtCore, QtGui
from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QImage

from retouch.core.atomic import atomic_write_bytes
from retouch.ui.i18n import translate

from .mask_layer import aspect_differs, threshold_gray8, to_gray8

Fmt = QImage.Format


class MaskImportError(ValueError):
    """A mask file could not be used; the message is meant for the user."""


def read_mask_file(path: str | Path) -> QImage:
    """Decode any image file into Grayscale8 (QtGui.QImageReader first, Pillow as the fallback for
    modes/formats Qt can't read). Raises MaskImportError with a user-facing message."""
    path = Path(path)
    reader = QtGui.QImageReader(str(path))
    reader.setAutoTransform(True)
    image = reader.read()
    if not image.isNull():
        return to_gray8(image)
    qt_error = reader.errorString()
    try:
        return _read_with_pillow(path)
    except FileNotFoundError as exc:
        raise MaskImportError(
            translate("CanvasPanel", "Mask file not found: {path}").format(path=path)
        ) from exc
    except Exception as exc:  # Pillow raises many types; the user needs one clear message
        raise MaskImportError(
            translate("CanvasPanel", "Could not read mask file {name}: {error}").format(
                name=path.name, error=qt_error
            )
        ) from exc


def _read_with_pillow(path: Path) -> QImage:
    from PIL import Image, ImageOps

    with Image.open(path) as im:
        im = ImageOps.exif_transpose(im)
        if im.mode.startswith("I"):
            # 16/32-bit integer greys: scale to 8 bits instead of letting convert("L") clip.
            im = im.convert("I")
            top = im.getextrema()[1]
            assert isinstance(top, (int, float))  # one band: (min, max)
            scale = 1 / 16843009 if top > 65535 else 1 / 257 if top > 255 else 1
            im = im.point(lambda v: v * scale).convert("L")
        elif im.mode == "F":
            im = im.point(lambda v: v * 255 if v <= 1.0 else v).convert("L")
        elif im.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in im.info:
            rgba = im.convert("RGBA")
            black = Image.new("RGBA", rgba.size, (0, 0, 0, 255))
            im = Image.alpha_composite(black, rgba).convert("L")
        else:
            im = im.convert("L")
        raw = im.tobytes()
        w, h = im.size
    return QImage(raw, w, h, w, Fmt.Format_Grayscale8).copy()


def gray8_to_png_bytes(gray: QImage) -> bytes:
    """Encode an image as PNG in memory (so the caller can write it atomically)."""
    ba = QByteArray()
    buf = QtCore.QBuffer(ba)
    buf.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    if not gray.save(buf, "PNG"):  # type: ignore[call-overload]  # stubs: bytes; PySide: str
        raise OSError("PNG encoding failed")
    buf.close()
    return bytes(ba.data())


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
