"""Decode input images on the thread pool: the UI thread never touches a large file."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QImage

from retouch.core import errors as E
from retouch.core.images import decode_image, load_image
from retouch.ui.qimage import pil_to_qimage

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


class _DecodeTask(QRunnable):
    def __init__(
        self, token: int, relay: _Relay, path: Path | None, data: bytes | None, name: str
    ) -> None:
        super().__init__()
        self.token, self.relay, self.path, self.data, self.name = token, relay, path, data, name

    def run(self) -> None:
        try:
            if self.path is not None:
                loaded = load_image(self.path)
            elif self.data is not None:
                loaded = decode_image(self.data, self.name)
            else:
                raise E.InputError(f"'{self.name}' has nothing to load.")
            # Converted here to the format the canvas paints with: 20 ms less on the UI thread.
            image = pil_to_qimage(loaded.image)
            image = image.convertToFormat(
                QImage.Format.Format_ARGB32_Premultiplied
                if image.hasAlphaChannel()
                else QImage.Format.Format_RGB32
            )
            thumb = image.scaled(
                THUMB_SIZE,
                THUMB_SIZE,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
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
            self.relay.failed.emit(self.token, exc.message)
        except Exception as exc:
            log.exception("decoding %s failed", self.name)
            self.relay.failed.emit(self.token, f"'{self.name}' could not be opened ({exc}).")
        else:
            self.relay.done.emit(self.token, result)


class ImageLoader(QObject):
    """Queue decodes; ``loaded(token, DecodedInput)`` or ``failed(token, message)`` comes back."""

    loaded = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relay = _Relay(self)
        self._relay.done.connect(self.loaded)
        self._relay.failed.connect(self.failed)
        self._next = 0
        self.pool = QThreadPool.globalInstance()

    def load(self, *, path: Path | None = None, data: bytes | None = None, name: str = "") -> int:
        self._next += 1
        self.pool.start(_DecodeTask(self._next, self._relay, path, data, name))
        return self._next
