"""Decode input images on the thread pool: the UI thread never touches a large file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from retouch.core import errors as E
from retouch.ui.tasks import run_task

if TYPE_CHECKING:
    from PIL import Image

THUMB_SIZE = 192


@dataclass
class DecodedInput:
    name: str
    width: int
    height: int
    source_format: str
    file_bytes: int
    notes: list[str] = field(default_factory=list)
    image: QImage | None = None
    thumb: QImage | None = None


def _thumbnail(img: Image.Image) -> QImage:
    from PIL import Image

    from retouch.ui.qimage import pil_to_qimage

    # Image.resize with reducing_gap first shrinks by a whole factor (cheap box filter), then
    # resamples: Image.thumbnail's quality at a fraction of a full-size filter's cost.
    scale = min(THUMB_SIZE / img.width, THUMB_SIZE / img.height, 1.0)
    size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
    small = (
        img if size == img.size else img.resize(size, Image.Resampling.BICUBIC, reducing_gap=2.0)
    )
    return pil_to_qimage(small)


def canvas_qimage(img: Image.Image) -> QImage:
    """The canvas's own pixel format (RGB32, or premultiplied ARGB32 with alpha), in one
    conversion: Pillow's raw RGBX/RGBA bytes are wrapped, not copied, before Qt converts."""
    if img.mode == "RGBA":
        raw, wrapped, fmt = (
            "RGBA",
            QImage.Format.Format_RGBA8888,
            QImage.Format.Format_ARGB32_Premultiplied,
        )
    else:
        if img.mode != "RGB":
            img = img.convert("RGB")
        raw, wrapped, fmt = "RGBX", QImage.Format.Format_RGBX8888, QImage.Format.Format_RGB32
    data = img.tobytes("raw", raw)
    # convertToFormat returns an image that owns its pixels; ``data`` outlives the wrapper.
    return QImage(data, img.width, img.height, img.width * 4, wrapped).convertToFormat(fmt)


PREVIEW_MAX_BYTES = 64 * 1024 * 1024


def fetch_preview(url: str) -> bytes:
    """Download a link the user added, to show it (no credentials: it must be public anyway)."""
    import httpx

    try:
        with httpx.stream(
            "GET", url, follow_redirects=True, timeout=httpx.Timeout(30.0, connect=10.0)
        ) as reply:
            if not reply.is_success:
                raise E.InputError(f"the link answered {reply.status_code}")
            chunks, size = [], 0
            for chunk in reply.iter_bytes(1 << 16):
                size += len(chunk)
                if size > PREVIEW_MAX_BYTES:
                    raise E.InputError("the linked file is larger than 64 MB")
                chunks.append(chunk)
    except httpx.HTTPError as exc:
        raise E.InputError(f"the link could not be downloaded ({type(exc).__name__})") from None
    return b"".join(chunks)


def decode_input(
    *,
    path: Path | None = None,
    data: bytes | None = None,
    name: str = "",
    full: bool = True,
    url: str | None = None,
) -> DecodedInput:
    """Decode one input (on a pool thread): the thumbnail, and the full image if *full*."""
    # Pillow and the image checks load with the first decode, on a pool thread, not with
    # the window (tests/benchmarks/bench_startup.py).
    from retouch.core.images import decode_image, load_image

    # Without the full image, a JPEG decodes at the smallest DCT scale the thumbnail allows
    # (1/8 for 4K): the whole file is still read and checked.
    draft = None if full else (THUMB_SIZE, THUMB_SIZE)
    if url is not None:
        loaded = decode_image(fetch_preview(url), name, draft=draft)
    elif path is not None:
        loaded = load_image(path, draft=draft)
    elif data is not None:
        loaded = decode_image(data, name, draft=draft)
    else:
        raise E.InputError(f"'{name}' has nothing to load.")
    thumb = _thumbnail(loaded.image)
    # Converted here to the format the canvas paints with: 20 ms less on the UI thread.
    image = canvas_qimage(loaded.image) if full else None
    return DecodedInput(
        loaded.name,
        loaded.original_size[0],
        loaded.original_size[1],
        loaded.source_format,
        len(loaded.data),
        loaded.notes,
        image,
        thumb,
    )


class ImageLoader(QObject):
    """Queue decodes; ``loaded(token, DecodedInput)`` or ``failed(token, message)`` comes back.

    ``full=False`` decodes for the thumbnail only (``DecodedInput.image`` is None): what every
    input but the edited one needs, at a fraction of the cost for JPEGs.
    """

    loaded = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._next = 0

    def load(
        self,
        *,
        path: Path | None = None,
        data: bytes | None = None,
        name: str = "",
        full: bool = True,
        url: str | None = None,
    ) -> int:
        self._next += 1
        token = self._next

        def failed(exc: BaseException) -> None:
            if isinstance(exc, E.RetouchError):
                self.failed.emit(token, exc.message)
            else:  # logged with its traceback by run_task
                self.failed.emit(token, f"'{name}' could not be opened ({exc}).")

        run_task(
            lambda _ctx: decode_input(path=path, data=data, name=name, full=full, url=url),
            receiver=self,
            name=f"decode {name}",
            on_result=lambda info: self.loaded.emit(token, info),
            on_error=failed,
        )
        return token
