"""What the editor is set to — model, parameters, prompt, inputs, mask settings — as plain data.

The window keeps one observable copy of it (``retouch.ui.editor.EditorModel``) that the
sidebar, the parameter form and the canvas panel are bound to; this is the part that has
no Qt in it: the values, and their JSON form for the saved session
(``retouch.core.history.session.Session``). Reading is tolerant: a value of the wrong type
in a file becomes the default, never an exception.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from retouch.core.request import InputRef

DEFAULT_OVERLAY = "#ff2860"
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _number(value: object, default: float, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return default
    return float(min(max(value, low), high))


@dataclass(frozen=True)
class MaskSettings:
    """How the mask is painted and shown (not the mask's pixels)."""

    brush_size: float = 40.0  # diameter in image pixels
    hardness: float = 0.8  # 0 = feathered, 1 = crisp
    overlay_color: str = DEFAULT_OVERLAY  # "#rrggbb"
    overlay_opacity: float = 0.5

    def to_json(self) -> dict[str, Any]:
        return {
            "brush_size": self.brush_size,
            "hardness": self.hardness,
            "overlay_color": self.overlay_color,
            "overlay_opacity": self.overlay_opacity,
        }

    @classmethod
    def from_json(cls, data: object) -> MaskSettings:
        if not isinstance(data, dict):
            return cls()
        default = cls()
        color = data.get("overlay_color")
        if not (isinstance(color, str) and _COLOR.match(color)):
            color = DEFAULT_OVERLAY
        return cls(
            brush_size=_number(data.get("brush_size"), default.brush_size, 1.0, 1000.0),
            hardness=_number(data.get("hardness"), default.hardness, 0.0, 1.0),
            overlay_color=color,
            overlay_opacity=_number(data.get("overlay_opacity"), default.overlay_opacity, 0.0, 1.0),
        )


def input_to_json(ref: InputRef) -> dict[str, str] | None:
    """A file or a link; pasted bytes have no lasting form (None)."""
    if ref.path is not None:
        return {"path": str(ref.path), "name": ref.label}
    if ref.url is not None:
        return {"url": ref.url}
    return None


def input_from_json(data: object) -> InputRef | None:
    if not isinstance(data, dict):
        return None
    path, url = data.get("path"), data.get("url")
    if isinstance(path, str) and path:
        name = data.get("name")
        return InputRef(path=Path(path), name=name if isinstance(name, str) else "")
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        return InputRef.parse(url)
    return None


@dataclass
class EditorData:
    """The editor's settings at one moment. ``None`` marks what an older file did not record
    (restoring it leaves the current value alone)."""

    model: str | None = None
    params: dict[str, Any] | None = None
    prompt: str | None = None
    inputs: list[InputRef] = field(default_factory=list)
    mask_file: Path | None = None  # the painted mask, saved as a PNG beside the session
    mask: MaskSettings | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "inputs": [j for j in (input_to_json(r) for r in self.inputs) if j is not None],
            "mask": str(self.mask_file) if self.mask_file else None,
        }
        if self.model is not None:
            out["model"] = self.model
        if self.params is not None:
            out["params"] = dict(self.params)
        if self.prompt is not None:
            out["prompt"] = self.prompt
        if self.mask is not None:
            out["mask_settings"] = self.mask.to_json()
        return out

    @classmethod
    def from_json(cls, data: object) -> EditorData:
        if not isinstance(data, dict):
            return cls()
        model, params, prompt = data.get("model"), data.get("params"), data.get("prompt")
        mask_file = data.get("mask")
        raw_inputs = data.get("inputs")
        refs = (input_from_json(i) for i in (raw_inputs if isinstance(raw_inputs, list) else []))
        inputs = [ref for ref in refs if ref is not None]
        return cls(
            model=model if isinstance(model, str) and model else None,
            params={str(k): v for k, v in params.items()} if isinstance(params, dict) else None,
            prompt=prompt if isinstance(prompt, str) else None,
            inputs=inputs,
            mask_file=Path(mask_file) if isinstance(mask_file, str) and mask_file else None,
            mask=MaskSettings.from_json(data["mask_settings"]) if "mask_settings" in data else None,
        )
