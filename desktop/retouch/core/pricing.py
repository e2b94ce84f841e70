"""What a run will cost, from the model's pricing where it is known."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from retouch.core.schema import ModelInfo

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
    count = params.get("num_images", params.get("num_generations", 1))
    try:
        images = max(1, int(count)) * max(1, runs)
    except (TypeError, ValueError):
        images = runs
    pricing = model.pricing
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
