"""The user's choices for placing a result back into the photo (issue 12), as plain data.

Kept apart from ``core/placement.py`` (which runs the edit) so the window's editor state can
hold them without importing Pillow or the edit machinery before its first paint. A custom
region is ``region.Rect`` (imported where it is made: ``parse_region``, ``options_from_record``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from retouch.core import errors as E

if TYPE_CHECKING:
    from retouch.core.region import Rect

OUTPUTS = ("composite", "model")
MAX_FEATHER = 2000


@dataclass(frozen=True)
class PlacementOptions:
    """The user's choices for one edit (the form's controls, the CLI's flags)."""

    region: str | Rect = "auto"  # "auto", "whole" or a Rect in photo pixels
    allow_high_res: bool = False  # Auto may pick the high-resolution price tier
    feather: int | None = None  # px; None: the plan's default for the region
    color_match: bool = True
    scale_to_original: bool = False  # whole-image edits: resample to the photo's size
    output: str = "composite"  # the file saved: "composite" or "model" (the raw picture)
    keep_gps: bool = True  # Settings → "Remove GPS location from saved results" turns it off

    def __post_init__(self) -> None:
        if self.output not in OUTPUTS:
            raise E.InputError(
                f"The output '{self.output}' is not understood: use composite or model."
            )
        if self.feather is not None and not 0 <= self.feather <= MAX_FEATHER:
            raise E.InputError(
                f"The feather must be from 0 to {MAX_FEATHER} pixels (got {self.feather})."
            )

    def to_dict(self) -> dict[str, Any]:
        from retouch.core.region import Rect

        region = self.region
        return {
            "region": list(region.box) if isinstance(region, Rect) else region,
            "allow_high_res": self.allow_high_res,
            "feather": self.feather,
            "color_match": self.color_match,
            "scale_to_original": self.scale_to_original,
            "output": self.output,
            "keep_gps": self.keep_gps,
        }


def parse_region(text: str) -> str | Rect:
    """The CLI's ``--region``: ``auto``, ``whole`` or ``X,Y,W,H``; InputError otherwise."""
    from retouch.core.region import Rect

    value = str(text).strip().lower()
    if value in ("auto", "whole"):
        return value
    return Rect.parse(text)


def options_from_record(data: object) -> PlacementOptions:
    """The options a run was placed with (its record's ``placement.options``); defaults for
    anything missing or odd."""
    from retouch.core.region import Rect

    raw = data if isinstance(data, dict) else {}
    region: str | Rect = "auto"
    value = raw.get("region")
    if value in ("auto", "whole"):
        region = str(value)
    elif isinstance(value, list) and len(value) == 4 and all(isinstance(v, int) for v in value):
        region = Rect.from_box((value[0], value[1], value[2], value[3]))
    feather = raw.get("feather")
    output = raw.get("output")
    return PlacementOptions(
        region=region,
        allow_high_res=raw.get("allow_high_res") is True,
        feather=feather if isinstance(feather, int) and 0 <= feather <= MAX_FEATHER else None,
        color_match=raw.get("color_match") is not False,
        scale_to_original=raw.get("scale_to_original") is True,
        output=output if output in OUTPUTS else "composite",
        keep_gps=raw.get("keep_gps") is not False,
    )
