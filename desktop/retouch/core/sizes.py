"""The output sizes a model can be asked for, read from its parameter schema.

Edit models express size in one of three ways, and Auto resolution (``core/region.py``) has to
work for each:

* ``"wxh"`` — an enum of pixel sizes (gpt-image-2-edit's ``resolution``: ``1024x768`` …);
* ``"aspect_tier"`` — an ``aspect_ratio`` enum plus a size tier (gpt-image-2's
  ``resolution`` ``1K/2K/4K``);
* ``"aspect"`` — an ``aspect_ratio`` enum alone;

and a model with none of them (``"free"``) gets the region at its own aspect.

Every choice becomes an :class:`OutputSize`: its pixel size (what the result will measure),
the request parameters that ask for it, and whether it bills at the high-resolution tier.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from retouch.core.schema import ModelInfo

# gpt-image-2-edit bills 2560x1440 and up at its high-resolution tier (API.md §1).
HIGH_RES_PIXELS = 2560 * 1440

# What a size tier means in pixels for each aspect ratio. The hub's gpt-image-2 page gives the
# names (aspect_ratio 1:1 … 9:21, resolution 1K/2K/4K) but not the pixels. OpenAI documents
# gpt-image-2's own sizes (1024x1024, 1536x1024, 1024x1536, 2048x2048, 2048x1152, 3840x2160,
# 2160x3840) and its limits: both edges multiples of 16, longest edge <= 3840, long:short
# <= 3:1, 655,360 to 8,294,400 pixels. The table keeps those documented sizes where they
# fall; 1K/2K cells for the other ratios are the sizes resellers of gpt-image-2 publish for
# the same tier names; 4K cells that would pass OpenAI's pixel limit are the largest
# multiple-of-16 size of that ratio within it (2880x2880, 3264x2448, 3504x2336).
# A model that reports other pixels is still handled: the plan sends this size and paste-back
# accepts any result of the same shape.
TIER_SIZES: dict[str, dict[str, tuple[int, int]]] = {
    "1:1": {"1K": (1024, 1024), "2K": (2048, 2048), "4K": (2880, 2880)},
    "16:9": {"1K": (1536, 864), "2K": (2048, 1152), "4K": (3840, 2160)},
    "9:16": {"1K": (864, 1536), "2K": (1152, 2048), "4K": (2160, 3840)},
    "4:3": {"1K": (1024, 768), "2K": (2048, 1536), "4K": (3264, 2448)},
    "3:4": {"1K": (768, 1024), "2K": (1536, 2048), "4K": (2448, 3264)},
    "3:2": {"1K": (1536, 1024), "2K": (2048, 1360), "4K": (3504, 2336)},
    "2:3": {"1K": (1024, 1536), "2K": (1360, 2048), "4K": (2336, 3504)},
    "21:9": {"1K": (2016, 864), "2K": (2688, 1152), "4K": (3840, 1648)},
    "9:21": {"1K": (864, 2016), "2K": (1152, 2688), "4K": (1648, 3840)},
}
# Pixel limits OpenAI documents for gpt-image-2; used for ratios or tiers not in the table.
_MIN_PIXELS, _MAX_PIXELS, _MAX_EDGE = 655_360, 8_294_400, 3840

_SIZE_NAMES = ("resolution", "size", "image_size")
AUTO = "auto"
# Names a size may go by when the model has no vocabulary we understand: an "auto" there is
# ours (the form's and the CLI's), not the model's, and is never sent.
_ANY_SIZE_NAMES = (*_SIZE_NAMES, "aspect_ratio", "aspect")
_ASPECT_NAMES = ("aspect_ratio", "aspect")
_WXH = re.compile(r"^\s*(\d{2,5})\s*[x×X]\s*(\d{2,5})\s*$")
_RATIO = re.compile(r"^\s*(\d{1,3})\s*:\s*(\d{1,3})\s*$")
_TIER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[kK]\s*$")


@dataclass(frozen=True)
class OutputSize:
    """One size the model can be asked for."""

    width: int
    height: int
    params: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    high_res: bool = False  # bills at the model's high-resolution tier
    aspect_name: str = ""  # "16:9" where the model names ratios
    tier: str = ""  # "2K" where the model names tiers

    @property
    def ratio(self) -> float:
        return self.width / self.height

    @property
    def pixels(self) -> int:
        return self.width * self.height

    @property
    def aspect_key(self) -> str:
        """Sizes of one shape share this key (the model's name for it, else W:H reduced)."""
        if self.aspect_name:
            return self.aspect_name
        # gcd, not Fraction: importing fractions (and decimal) cost the window's start ~3 ms
        d = math.gcd(self.width, self.height) or 1
        return f"{self.width // d}:{self.height // d}"

    def label(self) -> str:
        text = f"{self.width}×{self.height}"
        extra = [p for p in (self.aspect_name, self.tier) if p]
        return f"{text} ({', '.join(extra)})" if extra else text


@dataclass(frozen=True)
class SizeVocabulary:
    kind: str  # "wxh", "aspect_tier", "aspect" or "free"
    sizes: tuple[OutputSize, ...]
    size_param: str | None = None  # "resolution" …
    aspect_param: str | None = None  # "aspect_ratio" …

    def resolutions(self) -> list[str]:
        """The values an explicit resolution may take (besides "auto")."""
        if self.kind == "wxh":
            return [s.params[self.size_param or ""] for s in self.sizes]
        return list(dict.fromkeys(s.tier for s in self.sizes if s.tier))

    def aspects(self) -> list[str]:
        return list(dict.fromkeys(s.aspect_name for s in self.sizes if s.aspect_name))

    def candidates(self, resolution: str = "auto", aspect: str = "auto") -> list[OutputSize]:
        """The sizes an explicit *resolution* and/or *aspect* leave open ("auto": all of them).
        Raises ValidationError for a value the model does not take."""
        from retouch.core.errors import ValidationError

        sizes = list(self.sizes)
        resolution, aspect = str(resolution).strip(), str(aspect).strip()
        if resolution.lower() != "auto":
            allowed = self.resolutions()
            if resolution not in allowed:
                raise ValidationError(
                    self.size_param or "resolution",
                    f"Resolution must be Auto or one of: {', '.join(allowed)} (got '{resolution}')."
                    if allowed
                    else "This model takes no resolution; leave it on Auto.",
                    allowed,
                )
            key = "params" if self.kind == "wxh" else "tier"
            sizes = [
                s
                for s in sizes
                if (s.params.get(self.size_param or "") if key == "params" else s.tier)
                == resolution
            ]
        if aspect.lower() != "auto":
            allowed = self.aspects()
            if aspect not in allowed:
                raise ValidationError(
                    self.aspect_param or "aspect_ratio",
                    f"Aspect ratio must be Auto or one of: {', '.join(allowed)} (got '{aspect}')."
                    if allowed
                    else "This model takes no aspect ratio; leave it on Auto.",
                    allowed,
                )
            sizes = [s for s in sizes if s.aspect_name == aspect]
        return sizes


def _enum(model: ModelInfo, names: tuple[str, ...]) -> tuple[str, list[str]] | None:
    for name in names:
        spec = model.param(name)
        if spec is not None and spec.kind == "enum":
            return name, [str(c) for c in spec.choices]
    return None


def tier_pixels(aspect: str, tier: str) -> tuple[int, int] | None:
    """Pixel size of *tier* at *aspect*: the table above, else derived from OpenAI's limits."""
    known = TIER_SIZES.get(aspect, {}).get(tier.upper())
    if known:
        return known
    ratio, k = _RATIO.match(aspect), _TIER.match(tier)
    if not ratio or not k:
        return None
    a = int(ratio.group(1)) / int(ratio.group(2))
    if not (1 / 3 <= a <= 3) or a <= 0:
        return None
    long_edge = min(_MAX_EDGE, round(float(k.group(1)) * 1024))
    w, h = (long_edge, long_edge / a) if a >= 1 else (long_edge * a, long_edge)
    # Scale into OpenAI's pixel window, then snap both edges to multiples of 16.
    scale = math.sqrt(min(max(w * h, _MIN_PIXELS), _MAX_PIXELS) / (w * h))
    w, h = w * scale, h * scale
    w16, h16 = max(16, int(w // 16) * 16), max(16, int(h // 16) * 16)
    return w16, h16


def _tier_is_high_res(tier: str) -> bool:
    k = _TIER.match(tier)
    return k is not None and float(k.group(1)) >= 3  # 4K: above the hub's 2560x1440 line


def size_vocabulary(model: ModelInfo) -> SizeVocabulary:
    """Read how *model* is asked for a size; values it does not understand ("auto") are left
    out, so an unknown vocabulary degrades to "free" rather than to a wrong request."""
    sized = _enum(model, _SIZE_NAMES)
    pixel_sizes: list[OutputSize] = []
    if sized:
        name, values = sized
        pricing = model.pricing
        tiers = isinstance(pricing.get("cost_per_image_high_res"), (int, float))
        for value in values:
            m = _WXH.match(value)
            if m:
                w, h = int(m.group(1)), int(m.group(2))
                high = tiers and w * h >= HIGH_RES_PIXELS
                pixel_sizes.append(OutputSize(w, h, {name: value}, high))
    if pixel_sizes:
        return SizeVocabulary("wxh", tuple(pixel_sizes), size_param=sized[0] if sized else None)

    aspects = _enum(model, _ASPECT_NAMES)
    if aspects:
        aspect_param, ratios = aspects
        ratios = [r for r in ratios if _RATIO.match(r)]
        tier_values = [v for v in (sized[1] if sized else []) if _TIER.match(v)]
        out: list[OutputSize] = []
        for ratio in ratios:
            for tier in tier_values or [""]:
                px = tier_pixels(ratio, tier or "1K")
                if px is None:
                    continue
                params = {aspect_param: ratio}
                if tier and sized:
                    params[sized[0]] = tier
                out.append(
                    OutputSize(
                        px[0],
                        px[1],
                        params,
                        high_res=bool(tier) and _tier_is_high_res(tier),
                        aspect_name=ratio,
                        tier=tier,
                    )
                )
        if out:
            kind = "aspect_tier" if tier_values else "aspect"
            return SizeVocabulary(
                kind,
                tuple(out),
                size_param=sized[0] if sized and tier_values else None,
                aspect_param=aspect_param,
            )
    return SizeVocabulary("free", ())


def split_size_params(model: ModelInfo, params: dict[str, Any]) -> tuple[dict[str, Any], str, str]:
    """(the other parameters, resolution, aspect) — the size the request names, ``"auto"``
    where it names none or asks for Auto. The plan puts the size parameters back."""
    vocab = size_vocabulary(model)
    rest = dict(params)
    resolution = aspect = AUTO
    if vocab.size_param and vocab.size_param in rest:
        resolution = str(rest.pop(vocab.size_param)).strip() or AUTO
    if vocab.aspect_param and vocab.aspect_param in rest:
        aspect = str(rest.pop(vocab.aspect_param)).strip() or AUTO
    for name in _ANY_SIZE_NAMES:  # an Auto the model's vocabulary does not cover
        if str(rest.get(name, "")).strip().lower() == AUTO:
            del rest[name]
    resolution = AUTO if resolution.lower() == AUTO else resolution
    aspect = AUTO if aspect.lower() == AUTO else aspect
    return rest, resolution, aspect


def size_for_estimate(
    model: ModelInfo, params: dict[str, Any], allow_high_res: bool = False
) -> OutputSize | None:
    """The size to price a run by before its region is planned (no image yet): an explicit
    choice's smallest size, and for Auto the smallest it may choose (standard tier unless
    *allow_high_res*); None when the model's sizes are not known or the choice is not one."""
    from retouch.core.errors import ValidationError

    _rest, resolution, aspect = split_size_params(model, params)
    try:
        sizes = size_vocabulary(model).candidates(resolution, aspect)
    except ValidationError:
        return None
    if resolution == AUTO and not allow_high_res:
        sizes = [s for s in sizes if not s.high_res] or sizes
    return min(sizes, key=lambda s: s.pixels) if sizes else None
