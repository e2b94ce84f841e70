"""Planning an edit: size vocabularies, Auto resolution, the context region, crop or pad,
prices and every bad input (core/sizes.py, core/region.py, core/pricing.py)."""

from __future__ import annotations

import json
import math

import pytest
from PIL import Image, ImageDraw

from retouch.core.errors import InputError, ValidationError
from retouch.core.pricing import estimate_cost, price_for_size
from retouch.core.region import (
    MIN_MARGIN,
    Rect,
    crop_for_request,
    feather_support,
    plan_edit,
)
from retouch.core.schema import ASPECT_RATIOS, builtin_model, model_info
from retouch.core.sizes import TIER_SIZES, size_vocabulary

EDIT = builtin_model("gpt-image-2-edit")
GPT2 = builtin_model("gpt-image-2")


def ellipse_mask(size: tuple[int, int], box: tuple[int, int, int, int]) -> Image.Image:
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).ellipse(box, fill=255)
    return mask


def rect_mask(size: tuple[int, int], box: tuple[int, int, int, int]) -> Image.Image:
    mask = Image.new("L", size, 0)
    mask.paste(255, box)
    return mask


# -- size vocabularies -------------------------------------------------------------------------


def test_edit_model_speaks_wxh_with_its_price_tiers() -> None:
    vocab = size_vocabulary(EDIT)
    assert vocab.kind == "wxh"
    assert [(s.width, s.height, s.high_res) for s in vocab.sizes] == [
        (1024, 768, False),
        (1024, 1024, False),
        (1024, 1536, False),
        (1920, 1080, False),
        (2560, 1440, True),
        (3840, 2160, True),
    ]
    assert vocab.sizes[0].params == {"resolution": "1024x768"}


def test_gpt_image_2_speaks_aspect_ratio_and_tier_within_openai_limits() -> None:
    vocab = size_vocabulary(GPT2)
    assert vocab.kind == "aspect_tier"
    assert vocab.resolutions() == ["1K", "2K", "4K"]
    assert vocab.aspects() == ASPECT_RATIOS  # "auto" is not a shape
    assert len(vocab.sizes) == 27
    for s in vocab.sizes:
        a, b = (int(v) for v in s.aspect_name.split(":"))
        assert abs(s.ratio / (a / b) - 1) < 0.01, s
        assert s.width % 16 == 0 and s.height % 16 == 0, s
        assert max(s.width, s.height) <= 3840 and s.pixels <= 8_294_400, s
        assert s.pixels >= 655_360, s
        assert s.params == {"aspect_ratio": s.aspect_name, "resolution": s.tier}
        assert s.high_res == (s.tier == "4K")
    assert TIER_SIZES["16:9"]["4K"] == (3840, 2160)


def test_unknown_vocabularies_degrade_to_free_and_auto_entries_are_ignored() -> None:
    raw = {
        "id": "odd",
        "request_schema": {
            "properties": {"resolution": {"type": "string", "enum": ["auto", "1024x1024"]}}
        },
    }
    vocab = size_vocabulary(model_info(raw))
    assert vocab.kind == "wxh" and [s.width for s in vocab.sizes] == [1024]
    free = size_vocabulary(model_info({"id": "plain", "request_schema": {"properties": {}}}))
    assert free.kind == "free"
    plan = plan_edit((3000, 1000), None, model_info({"id": "plain"}))
    assert plan.send_size == (3000, 1000) and plan.params == {}
    only_aspect = model_info(
        {
            "id": "ar",
            "request_schema": {
                "properties": {"aspect_ratio": {"type": "string", "enum": ["1:1", "16:9"]}}
            },
        }
    )
    assert size_vocabulary(only_aspect).kind == "aspect"
    plan = plan_edit((1600, 900), None, only_aspect)
    assert plan.params == {"aspect_ratio": "16:9"}


# -- Auto resolution ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("photo", "allow", "expected"),
    [
        ((4000, 3000), False, "1024x768"),  # 4:3: its only size
        ((800, 800), False, "1024x1024"),
        ((1000, 1500), False, "1024x1536"),
        ((1280, 720), False, "1920x1080"),  # smallest 16:9 with at least the photo's pixels
        ((3840, 2160), False, "1920x1080"),  # none is big enough: the largest standard one
        ((3840, 2160), True, "3840x2160"),
        ((2400, 1350), True, "2560x1440"),  # smallest that holds it, even when 4K is allowed
    ],
)
def test_auto_resolution_wxh(photo: tuple[int, int], allow: bool, expected: str) -> None:
    plan = plan_edit(photo, None, EDIT, allow_high_res=allow)
    assert plan.params == {"resolution": expected}
    assert plan.auto_resolution


@pytest.mark.parametrize(
    ("photo", "allow", "expected"),
    [
        ((6000, 4000), False, ("3:2", "2K", 2048, 1360)),
        ((6000, 4000), True, ("3:2", "4K", 3504, 2336)),
        ((1400, 1000), False, ("4:3", "2K", 2048, 1536)),  # 1.4 is nearer 4:3 than 3:2
        ((900, 900), False, ("1:1", "1K", 1024, 1024)),
        ((2100, 900), False, ("21:9", "2K", 2688, 1152)),  # 1K (2016 wide) is too small
        ((800, 1000), False, ("3:4", "2K", 1536, 2048)),  # 4:5 → nearest 3:4, padded
    ],
)
def test_auto_resolution_aspect_and_tier(
    photo: tuple[int, int], allow: bool, expected: tuple[str, str, int, int]
) -> None:
    plan = plan_edit(photo, None, GPT2, allow_high_res=allow)
    aspect, tier, w, h = expected
    assert plan.params == {"aspect_ratio": aspect, "resolution": tier}
    assert plan.send_size == (w, h)


def test_explicit_resolution_is_honoured_even_high_res_and_priced() -> None:
    plan = plan_edit((4000, 3000), None, EDIT, resolution="3840x2160")
    assert plan.params == {"resolution": "3840x2160"} and not plan.auto_resolution
    assert plan.price.tier == "high-res" and plan.price.dollars == 0.41
    assert plan.label() == "3840×2160 · high-res price · ≈ $0.41"
    square = plan_edit((4000, 3000), None, EDIT, resolution="1024x1024")
    assert square.region.w == square.region.h  # a square cut from (padded around) the photo
    assert square.label() == "1024×1024 · standard price · ≈ $0.22"
    plan = plan_edit((4000, 3000), None, GPT2, resolution="1K", aspect="16:9")
    assert plan.send_size == (1536, 864)
    plan = plan_edit((4000, 3000), None, GPT2, resolution="4K", params={"quality": "low"})
    assert plan.params["resolution"] == "4K" and plan.price.dollars == 0.02


@pytest.mark.parametrize(
    ("model", "kwargs", "says"),
    [
        (EDIT, {"resolution": "999x999"}, "Resolution must be Auto or one of: 1024x768"),
        (GPT2, {"resolution": "8K"}, "Resolution must be Auto or one of: 1K, 2K, 4K"),
        (GPT2, {"aspect": "5:4"}, "Aspect ratio must be Auto or one of: 1:1, 16:9"),
        (EDIT, {"aspect": "16:9"}, "This model takes no aspect ratio"),
    ],
)
def test_bad_explicit_sizes_are_refused(model, kwargs, says) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match=says):
        plan_edit((1200, 900), None, model, **kwargs)


def test_prices_of_sizes_and_runs() -> None:
    vocab = size_vocabulary(EDIT)
    assert price_for_size(EDIT, vocab.sizes[0]).label() == "standard price · ≈ $0.22"
    assert price_for_size(EDIT, vocab.sizes[-1]).label() == "high-res price · ≈ $0.41"
    two = size_vocabulary(GPT2)
    k2 = next(s for s in two.sizes if s.tier == "2K")
    assert price_for_size(GPT2, k2).label() == "2K · ≈ $0.23"  # quality's default: high
    assert price_for_size(GPT2, k2, {"quality": "medium"}).dollars == 0.06
    cost = estimate_cost(GPT2, {"resolution": "4K", "quality": "high"}, runs=2)
    assert cost.dollars == 0.82 and cost.tier == "4K"
    # A grid the other way round (tier → quality) is read too.
    raw = {**GPT2.raw, "pricing": {"cost_per_image_grid": {"1K": {"high": 0.3}}}}
    other = model_info(raw)
    k1 = next(s for s in size_vocabulary(other).sizes if s.tier == "1K")
    assert price_for_size(other, k1).dollars == 0.3


# -- the context region ------------------------------------------------------------------------


def _within(inner: Rect, outer: Rect) -> bool:
    return (
        inner.x >= outer.x
        and inner.y >= outer.y
        and inner.right <= outer.right
        and inner.bottom <= outer.bottom
    )


@pytest.mark.parametrize("model", [EDIT, GPT2], ids=["wxh", "aspect-tier"])
@pytest.mark.parametrize(
    "box",
    [
        (2000, 1500, 2300, 1700),  # a coffee cup in the middle
        (5, 5, 200, 120),  # in a corner: shifted, not shrunk
        (5800, 3700, 5990, 3990),  # the other corner
        (100, 1900, 5900, 2100),  # a wide thin strip
        (2900, 100, 3000, 3900),  # a tall thin one
    ],
)
def test_context_region_holds_the_mask_with_room_and_the_outputs_shape(model, box) -> None:  # type: ignore[no-untyped-def]
    photo = (6000, 4000)
    plan = plan_edit(photo, ellipse_mask(photo, box), model)
    assert plan.mode == "auto"
    assert plan.edit_box is not None
    whole = Rect(0, 0, *photo)
    assert plan.region == plan.content  # a crop: the photo has room for every shape here
    assert _within(plan.region, whole)
    room = plan.edit_box.grown(feather_support(plan.feather), whole)
    assert _within(room, plan.region)
    assert abs(plan.region.w / plan.region.h / plan.output.ratio - 1) < 0.005
    assert plan.feather <= plan.max_feather


def test_margin_scales_with_the_mask() -> None:
    photo = (6000, 4000)
    small = plan_edit(photo, ellipse_mask(photo, (2900, 1900, 2960, 1940)), EDIT)
    large = plan_edit(photo, ellipse_mask(photo, (2000, 1000, 3600, 2200)), EDIT)
    assert small.edit_box is not None and large.edit_box is not None
    small_margin = (small.region.w - small.edit_box.w) / 2
    large_margin = (large.region.w - large.edit_box.w) / 2
    assert small_margin >= MIN_MARGIN
    assert large_margin > 5 * small_margin
    # A small edit in a big photo gets the model's whole output for a small region.
    assert small.region.w < 400 and small.send_size[0] >= 1024


def test_crop_is_preferred_to_padding_when_a_supported_shape_fits() -> None:
    # 3:2 photo, mask spanning 95 % of its width: 4:3 cannot hold it, 16:9 can.
    photo = (3000, 2000)
    plan = plan_edit(photo, rect_mask(photo, (75, 600, 2925, 1400)), EDIT)
    assert plan.padding == (0, 0, 0, 0)
    assert plan.params == {"resolution": "1920x1080"}
    assert plan.region.w == 3000 and abs(plan.region.h - 1688) <= 1


def test_padding_only_when_the_photo_is_too_narrow_for_every_shape() -> None:
    strip = plan_edit((30, 300), None, EDIT)  # a 1×10 strip, edited whole
    assert strip.params == {"resolution": "1024x1536"}  # 2:3, the narrowest shape there is
    left, top, right, bottom = strip.padding
    assert top == bottom == 0 and left + right == strip.region.w - 30
    assert abs(left - right) <= 1
    assert any("padding" in n for n in strip.notes)
    # 3:2 photo edited whole on a model without 3:2: padded to the nearest shape, 4:3.
    plan = plan_edit((2400, 1600), None, EDIT)
    assert plan.params == {"resolution": "1024x768"} and plan.padding == (0, 100, 0, 100)
    # The same photo on gpt-image-2, which has 3:2: not padded.
    assert plan_edit((2400, 1600), None, GPT2).padding == (0, 0, 0, 0)


def test_a_shape_within_half_a_percent_is_stretched_not_padded() -> None:
    plan = plan_edit((1000, 751), None, EDIT)  # 1.3316 vs 4:3's 1.3333
    assert plan.padding == (0, 0, 0, 0) and plan.region == Rect(0, 0, 1000, 751)


def test_a_mask_over_nearly_everything_edits_the_whole_photo() -> None:
    photo = (1600, 1200)
    plan = plan_edit(photo, rect_mask(photo, (20, 20, 1590, 1190)), EDIT)
    assert plan.mode == "whole" and plan.whole_photo and plan.sends_mask


def test_custom_region_grows_only_for_shape_and_sends_its_rectangle_as_mask() -> None:
    photo = (3000, 2000)
    plan = plan_edit(photo, None, EDIT, region=Rect(1000, 800, 400, 400))
    assert plan.mode == "custom" and plan.sends_mask
    assert plan.params == {"resolution": "1024x1024"} and plan.region == Rect(1000, 800, 400, 400)
    img, mask = crop_for_request(Image.new("RGB", photo), plan)
    assert img.size == mask.size == (1024, 1024)  # type: ignore[union-attr]
    assert mask.getextrema() == (255, 255)  # type: ignore[union-attr]
    wide = plan_edit(photo, None, EDIT, region=Rect(1000, 800, 500, 400))  # 5:4 → 4:3
    assert wide.region.h == 400 and wide.region.w == 533
    _, mask = crop_for_request(Image.new("RGB", photo), wide)
    assert mask.getbbox() not in (None, (0, 0, 1024, 768))  # type: ignore[union-attr]


def test_plan_is_serialisable_and_labelled() -> None:
    photo = (2400, 1600)
    plan = plan_edit(photo, ellipse_mask(photo, (1000, 700, 1300, 900)), EDIT)
    doc = json.loads(json.dumps(plan.to_dict()))
    assert doc["output_size"] == [1024, 768] and doc["params"] == {"resolution": "1024x768"}
    assert doc["region"] == list(plan.region.box) and doc["feather"] == plan.feather
    assert plan.label() == "1024×768 · standard price · ≈ $0.22"


def test_default_feather_grows_with_the_region() -> None:
    small = plan_edit((6000, 4000), ellipse_mask((6000, 4000), (2000, 2000, 2100, 2080)), EDIT)
    whole = plan_edit((6000, 4000), ellipse_mask((6000, 4000), (50, 50, 5950, 3950)), EDIT)
    assert 3 <= small.feather < whole.feather
    # Whole 6000×4000 into 1024×768: at least two model pixels (~5.9 photo px each).
    assert whole.feather >= math.ceil(2 * 6000 / 1024)


# -- bad input: a clear message, nothing planned --------------------------------------------


@pytest.mark.parametrize(
    ("photo", "mask", "region", "says"),
    [
        ((800, 600), Image.new("L", (800, 600), 0), "auto", "The mask is all black"),
        ((800, 600), Image.new("RGBA", (800, 600), (0, 0, 0, 0)), "auto", "The mask is all black"),
        ((800, 600), Image.new("L", (500, 500), 255), "auto", "their shapes differ"),
        ((800, 600), Image.new("L", (0, 0)), "auto", "The mask image is empty"),
        ((800, 600), None, Rect(10, 10, 4, 40), "too small: make it at least 8×8"),
        ((800, 600), None, Rect(900, 10, 50, 50), r"lies outside the image \(800×600\)"),
        ((800, 600), None, Rect(795, 10, 50, 50), "Only 5×50 pixels of the region"),
        (
            (800, 600),
            rect_mask((800, 600), (0, 0, 50, 50)),
            Rect(400, 300, 100, 100),
            "The mask lies entirely outside the region",
        ),
        ((20000, 10000), None, "auto", "Retouch can place results back into images up to 180"),
        ((800, 600), None, "middle", "The region 'middle' is not understood"),
    ],
)
def test_bad_input_gets_its_message(photo, mask, region, says) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match=says):
        plan_edit(photo, mask, EDIT, region=region)


def test_region_text_is_parsed_or_refused() -> None:
    assert Rect.parse("10, 20,300,400") == Rect(10, 20, 300, 400)
    with pytest.raises(InputError, match="X,Y,WIDTH,HEIGHT"):
        Rect.parse("10,20,300")


def test_a_region_partly_off_the_photo_is_trimmed_with_a_note() -> None:
    plan = plan_edit((800, 600), None, EDIT, region=Rect(700, 500, 200, 200))
    assert plan.custom == Rect(700, 500, 100, 100)
    assert any("trimmed" in n for n in plan.notes)


def test_an_explicit_wide_feather_gets_room_in_the_region() -> None:
    photo = (6000, 4000)
    plan = plan_edit(photo, ellipse_mask(photo, (2900, 1900, 3200, 2100)), EDIT, feather=60)
    assert plan.feather == 60 and plan.max_feather >= 60 and not plan.notes
    assert plan.edit_box is not None
    room = plan.edit_box.grown(feather_support(60), Rect(0, 0, *photo))
    assert _within(room, plan.region)


@pytest.mark.parametrize(
    "box",
    [(600, 400, 900, 620), (0, 0, 180, 140), (10, 10, 1490, 990), (700, 0, 760, 1000)],
    ids=["middle", "corner", "nearly-all", "full-height"],
)
def test_a_plan_from_the_mask_box_is_the_plan_from_the_mask(box: tuple[int, ...]) -> None:
    """The window keeps the painted area's box while painting and plans from it."""
    from retouch.core.region import Rect

    size = (1500, 1000)
    mask = Image.new("L", size, 0)
    mask.paste(255, box)
    for model in (builtin_model("gpt-image-2-edit"), builtin_model("gpt-image-2")):
        assert model is not None
        from_mask = plan_edit(size, mask, model)
        from_box = plan_edit(size, None, model, mask_box=Rect.from_box(box))  # type: ignore[arg-type]
        assert from_box == from_mask
    with pytest.raises(InputError, match="all black"):
        plan_edit(size, None, model, mask_box=Rect(2000, 2000, 10, 10))
