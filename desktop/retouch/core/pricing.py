"""What a run will cost, from the model's pricing where it is known, and the one way the
window says it (:func:`cost_line`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from retouch.core.i18n import translate
from retouch.core.schema import RESOLUTIONS, ModelInfo, image_count

if TYPE_CHECKING:
    from retouch.core.sizes import OutputSize

HIGH_RES_PIXELS = 2560 * 1440


def _size_pixels(size: str) -> int:
    w, h = size.lower().split("x")
    return int(w) * int(h)


def _shown(size: str) -> str:
    return size.replace("x", "×")


#: The edit model's sizes on each side of the price step ("up to 1920×1080", "2560×1440 and up").
STANDARD_UP_TO = _shown(max((r for r in RESOLUTIONS if _size_pixels(r) < HIGH_RES_PIXELS),
                            key=_size_pixels))  # fmt: skip
HIGH_RES_FROM = _shown(min((r for r in RESOLUTIONS if _size_pixels(r) >= HIGH_RES_PIXELS),
                           key=_size_pixels))  # fmt: skip


def tier_note(tier: str | None) -> str:
    """What a price tier means, in words: "standard price, up to 1920×1080"."""
    if tier == "standard":
        return translate("core", "standard price, up to {size}").format(size=STANDARD_UP_TO)
    if tier == "high-res":
        return translate("core", "high-res price, {size} and up").format(size=HIGH_RES_FROM)
    if tier:
        return translate("core", "{tier} price").format(tier=_shown(tier))
    return ""


def money(dollars: float) -> str:
    return f"${dollars:.2f}"


def cost_line(
    images: int, per_image: float | None, tier: str | None = None, size: str | None = None
) -> str:
    """The cost of a run as the window shows it (the one formatting of it):
    ``2 × $0.22 = $0.44 (standard price, up to 1920×1080)``; with *size* (the output size
    Auto chose, "1536×1024") it leads: ``1536×1024 · 2 × $0.22 = …``."""
    if per_image is None:
        text = (
            translate("core", "1 image, price unknown")
            if images == 1
            else translate("core", "{count} images, price unknown").format(count=images)
        )
    else:
        text = f"{images} × {money(per_image)} = {money(round(per_image * images, 4))}"
        note = tier_note(tier)
        if note:
            text += f" ({note})"
    return f"{_shown(size)} · {text}" if size else text


@dataclass(frozen=True)
class CostEstimate:
    images: int
    tier: str | None  # "standard", "high-res" or None when the model has no tiers
    dollars: float | None
    per_image: float | None = None

    def line(self) -> str:
        """For the window: see :func:`cost_line`."""
        per_image = self.per_image
        if per_image is None and self.dollars is not None and self.images:
            per_image = self.dollars / self.images
        return cost_line(self.images, per_image, self.tier)

    def label(self) -> str:
        parts = [f"{self.images} image{'s' if self.images != 1 else ''}"]
        if self.tier:
            parts.append(f"{self.tier} tier")
        parts.append(f"≈ ${self.dollars:.2f}" if self.dollars is not None else "price unknown")
        return " · ".join(parts)


def _pixels(resolution: Any) -> int | None:
    try:
        w, h = str(resolution).lower().split("x")
        return int(w) * int(h)
    except ValueError:
        return None


def estimate_cost(model: ModelInfo, params: dict[str, Any], runs: int = 1) -> CostEstimate:
    images = image_count(params) * max(1, runs)
    pricing = model.pricing
    grid = _grid_price(model, params, str(params.get("resolution", "")))
    if grid is not None:
        return CostEstimate(
            images, str(params.get("resolution")), round(grid * images, 4), per_image=grid
        )
    base = pricing.get("cost_per_image")
    high = pricing.get("cost_per_image_high_res")
    if not isinstance(base, (int, float)) or isinstance(base, bool):
        return CostEstimate(images, None, None)
    tier = None
    per_image = float(base)
    pixels = _pixels(params.get("resolution"))
    if isinstance(high, (int, float)) and pixels is not None:
        tier = "high-res" if pixels >= HIGH_RES_PIXELS else "standard"
        if tier == "high-res":
            per_image = float(high)
    return CostEstimate(images, tier, round(per_image * images, 4), per_image=per_image)


def _number(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return float(value)
    return None


def _grid_price(model: ModelInfo, params: dict[str, Any], tier: str) -> float | None:
    """Per-image price from ``pricing.cost_per_image_grid`` (quality × tier), read tolerantly:
    ``{quality: {tier: $}}``, ``{tier: {quality: $}}`` or ``{tier: $}``."""
    grid = model.pricing.get("cost_per_image_grid")
    if not isinstance(grid, dict) or not tier:
        return None
    quality = params.get("quality")
    if quality is None:
        spec = model.param("quality")
        quality = spec.default if spec is not None else None
    for outer, inner in ((quality, tier), (tier, quality)):
        row = grid.get(outer) if outer is not None else None
        if isinstance(row, dict):
            price = _number(row.get(inner))
            if price is not None:
                return price
    return _number(grid.get(tier))


@dataclass(frozen=True)
class SizePrice:
    """What one image of a given output size costs."""

    tier: str | None  # "standard", "high-res", a size tier such as "2K", or None
    dollars: float | None  # per image

    def label(self) -> str:
        if self.tier in ("standard", "high-res"):
            parts = [f"{self.tier} price"]
        else:
            parts = [self.tier] if self.tier else []
        parts.append(f"≈ ${self.dollars:.2f}" if self.dollars is not None else "price unknown")
        return " · ".join(parts)


def price_for_size(
    model: ModelInfo, size: OutputSize, params: dict[str, Any] | None = None
) -> SizePrice:
    """The price of one image at *size* (other *params*, such as quality, may matter too)."""
    params = params or {}
    if size.tier:
        price = _grid_price(model, params, size.tier)
        if price is None:
            price = _number(model.pricing.get("cost_per_image"))
        return SizePrice(size.tier, price)
    base = _number(model.pricing.get("cost_per_image"))
    high = _number(model.pricing.get("cost_per_image_high_res"))
    if high is None:
        return SizePrice(None, base)
    return SizePrice("high-res", high) if size.high_res else SizePrice("standard", base)
