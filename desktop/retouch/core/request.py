"""What the user asks for, before anything is loaded or sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from retouch.core.schema import ModelInfo, image_count

if TYPE_CHECKING:
    from PIL import Image


@dataclass(frozen=True)
class ResultRef:
    """One result of a recorded run: a run id and the result's 0-based index."""

    run_id: str
    index: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "index": self.index}


@dataclass(frozen=True)
class InputRef:
    """One input image: a local file, a URL the user already has, or pasted bytes."""

    path: Path | None = None
    url: str | None = None
    data: bytes | None = None
    name: str = ""
    #: The file's bytes history keeps for this input when what is sent is derived from it
    #: (the region of a photo cut out by ``core/placement.py``); None: what is sent.
    recorded: bytes | None = field(default=None, repr=False)

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
    #: The result this edit's first input came from (Use as Input): history's lineage.
    parent: ResultRef | None = None
    #: How the first input was cut from the photo and how results go back into it
    #: (``core/placement.py``); recorded in sidecars and history.
    placement: dict[str, Any] | None = None
    #: The mask history keeps (the one painted over the whole photo), as PNG bytes.
    recorded_mask: bytes | None = field(default=None, repr=False)
    #: Things the user should know about how the request was prepared.
    notes: list[str] = field(default_factory=list)

    @property
    def image_count(self) -> int:
        """How many results this request asks for."""
        return image_count(self.params)
