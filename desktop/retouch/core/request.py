"""What the user asks for, before anything is loaded or sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from retouch.core.schema import ModelInfo, image_count

if TYPE_CHECKING:
    from PIL import Image


@dataclass(frozen=True)
class InputRef:
    """One input image: a local file, a URL the user already has, or pasted bytes."""

    path: Path | None = None
    url: str | None = None
    data: bytes | None = None
    name: str = ""

    @staticmethod
    def parse(text: str) -> InputRef:
        if text.startswith(("http://", "https://")):
            return InputRef(url=text, name=text.rsplit("/", 1)[-1].split("?")[0] or "image")
        path = Path(text).expanduser()
        return InputRef(path=path, name=path.name)

    @property
    def label(self) -> str:
        return self.name or (self.path.name if self.path else (self.url or "image"))


@dataclass
class EditRequest:
    """One edit as asked: the model it is for travels with it (the form and the validator
    read the same ``ModelInfo``; nothing looks the model up again by name)."""

    prompt: str
    inputs: list[InputRef]
    model: ModelInfo
    params: dict[str, Any] = field(default_factory=dict)
    #: A mask file, or an image already in memory (the painted mask); None = whole image.
    mask_path: Path | None = None
    mask_image: Image.Image | None = None

    @property
    def image_count(self) -> int:
        """How many results this request asks for."""
        return image_count(self.params)
