"""Decode input images on the thread pool: the UI thread never touches a large file."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QImage

from retouch.core import errors as E

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

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


class _Relay(QObject):
    # Lives in the UI thread; signals emitted from pool threads are queued to it.
    done = Signal(int, object)
    failed = Signal(int, str)


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


class _DecodeTask(QRunnable):
    def __init__(
        self,
        token: int,
        relay: _Relay,
        path: Path | None,
        data: bytes | None,
        name: str,
        full: bool = True,
        url: str | None = None,
    ) -> None:
        super().__init__()
        self.token, self.relay, self.path, self.data, self.name = token, relay, path, data, name
        self.full = full
        self.url = url

    def run(self) -> None:
        # Pillow and the image checks load with the first decode, on a pool thread, not
        # with the window (tests/benchmarks/bench_startup.py).
        from retouch.core.images import decode_image, load_image

        try:
            # Without the full image, a JPEG decodes at the smallest DCT scale the thumbnail
            # allows (1/8 for 4K): the whole file is still read and checked.
            draft = None if self.full else (THUMB_SIZE, THUMB_SIZE)
            if self.url is not None:
                loaded = decode_image(fetch_preview(self.url), self.name, draft=draft)
            elif self.path is not None:
                loaded = load_image(self.path, draft=draft)
            elif self.data is not None:
                loaded = decode_image(self.data, self.name, draft=draft)
            else:
                raise E.InputError(f"'{self.name}' has nothing to load.")
            thumb = _thumbnail(loaded.image)
            # Converted here to the format the canvas paints with: 20 ms less on the UI thread.
            image = canvas_qimage(loaded.image) if self.full else None
            result = DecodedInput(
                loaded.name,
                loaded.original_size[0],
                loaded.original_size[1],
                loaded.source_format,
                len(loaded.data),
                loaded.notes,
                image,
                thumb,
            )
        except E.RetouchError as exc:
            self._emit(self.relay.failed, exc.message)
        except Exception as exc:
            log.exception("decoding %s failed", self.name)
            self._emit(self.relay.failed, f"'{self.name}' could not be opened ({exc}).")
        else:
            self._emit(self.relay.done, result)

    def _emit(self, signal: Any, payload: object) -> None:
        try:
            signal.emit(self.token, payload)
        except RuntimeError:
            pass  # the tray (and its relay) went away while this decode ran


class ImageLoader(QObject):
    """Queue decodes; ``loaded(token, DecodedInput)`` or ``failed(token, message)`` comes back.

    ``full=False`` decodes for the thumbnail only (``DecodedInput.image`` is None): what every
    input but the edited one needs, at a fraction of the cost for JPEGs.
    """

    loaded = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relay = _Relay(self)
        self._relay.done.connect(self.loaded)
        self._relay.failed.connect(self.failed)
        self._next = 0
        self.pool = QThreadPool.globalInstance()

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
        self.pool.start(_DecodeTask(self._next, self._relay, path, data, name, full, url))
        return self._next
