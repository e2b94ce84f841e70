"""What a run will cost, from the model's pricing where it is known."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from retouch.core.schema import ModelInfo, image_count

if TYPE_CHECKING:
    from retouch.core.sizes import OutputSize

HIGH_RES_PIXELS = 2560 * 1440


@dataclass(frozen=True)
class CostEstimate:
    images: int
    tier: str | None  # "standard", "high-res" or None when the model has no tiers
    dollars: float | None

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
        return CostEstimate(images, str(params.get("resolution")), round(grid * images, 4))
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
    return CostEstimate(images, tier, round(per_image * images, 4))


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
