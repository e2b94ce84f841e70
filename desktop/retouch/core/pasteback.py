"""Put the model's result back into the designer's photo, at the photo's full resolution.

The result (less any padding) is scaled to the region's pixels with Lanczos and pasted into a
copy of the original through the mask, whose edge is feathered with a Gaussian blur. Pixels
farther than the feather's reach from the mask are never written: they stay the original's,
bit for bit. Before that, the result's colour and brightness are matched to the original's
in a band just outside the mask, where the model was asked to change nothing, so its slight
global drift leaves no edge.

Only the mask's box (plus the feather's reach) is resized, blurred and pasted: a small edit in
a 6000×4000 photo costs about what the edit's own size costs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from PIL import Image, ImageChops, ImageFilter, ImageStat

from retouch.core.errors import InputError
from retouch.core.i18n import translate
from retouch.core.region import EditPlan, Rect, edit_mask_over, feather_support

# A result whose shape differs from what was asked by more than this cannot be placed back.
SHAPE_TOLERANCE = 0.02
# Colour match: work on about this many pixels, and keep the correction plausible.
_STATS_PIXELS = 250_000
_MIN_BAND_PIXELS = 32
_MIN_STDDEV = 3.0
_GAIN_LIMITS = (0.75, 1.33)


@dataclass
class PasteResult:
    image: Image.Image  # the composite (or, without a mask, the result less its padding)
    composited: bool  # False: a whole-image edit without a mask, nothing to paste into
    feather: int
    color: dict[str, list[float]] | None = None  # {"gain": [r, g, b], "offset": [...]}
    notes: list[str] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        """For sidecars and history."""
        return {"composited": self.composited, "feather": self.feather, "color_match": self.color}


def _output_box(
    plan: EditPlan, output: Image.Image, area: Rect
) -> tuple[float, float, float, float]:
    """Where photo rectangle *area* lies in the model's output (fractional pixels)."""
    sx, sy = output.width / plan.region.w, output.height / plan.region.h
    r = plan.region
    return (
        (area.x - r.x) * sx,
        (area.y - r.y) * sy,
        (area.right - r.x) * sx,
        (area.bottom - r.y) * sy,
    )


def _check_output(plan: EditPlan, output: Image.Image) -> None:
    want = plan.output.width / plan.output.height
    got = output.width / output.height
    if abs(got / want - 1) > SHAPE_TOLERANCE:
        raise InputError(
            f"The model returned a {output.width}×{output.height} picture for a "
            f"{plan.output.width}×{plan.output.height} request: its shape differs, so it "
            "cannot be placed back into the photo. The model's picture is kept as it is."
        )


def _in_mode(img: Image.Image, mode: str) -> Image.Image:
    if img.mode == mode:
        return img
    if mode == "RGBA" and img.mode != "RGBA":
        return img.convert("RGBA")  # opaque where the model gave no alpha
    return img.convert(mode)


def _work_box(plan: EditPlan, support: int) -> Rect:
    """The only pixels paste-back may change: the edit's box grown by the feather's reach,
    within what came back (and within the custom rectangle, when there is one)."""
    assert plan.edit_box is not None
    photo = Rect(0, 0, *plan.photo_size)
    box = plan.edit_box.grown(support, photo).intersect(plan.content) or plan.content
    if plan.custom is not None:
        box = box.intersect(plan.custom) or box
    return box


def _fade_inner_edges(alpha: Image.Image, box: Rect, photo: tuple[int, int], support: int) -> None:
    """Clear *support* px along every side of *box* that is not the photo's edge, so the
    feathered mask reaches zero before the edge instead of being cut off there."""
    if support <= 0:
        return
    w, h = alpha.size
    if box.x > 0:
        alpha.paste(0, (0, 0, min(support, w), h))
    if box.y > 0:
        alpha.paste(0, (0, 0, w, min(support, h)))
    if box.right < photo[0]:
        alpha.paste(0, (max(0, w - support), 0, w, h))
    if box.bottom < photo[1]:
        alpha.paste(0, (0, max(0, h - support), w, h))


def colour_transfer(
    original: Image.Image,
    output: Image.Image,
    out_box: tuple[float, ...],
    box: Rect,
    mask: Image.Image,
    band: int,
) -> tuple[list[int], dict[str, list[float]]] | None:
    """A per-channel gain and offset that make *output* (over *out_box*) match *original*
    (over *box*) in the band of *band* px just outside *mask* ('L', *box*'s size), as a
    768-entry lookup table; None when the band is too small or flat to measure."""
    k = max(1, math.floor(math.sqrt(box.area / _STATS_PIXELS)))
    small = (max(1, box.w // k), max(1, box.h // k))
    used = Rect(box.x, box.y, small[0] * k, small[1] * k)
    orig = original.reduce(k, box=used.box) if k > 1 else original.crop(used.box)
    fx = (out_box[2] - out_box[0]) / box.w
    fy = (out_box[3] - out_box[1]) / box.h
    sub = (out_box[0], out_box[1], out_box[0] + used.w * fx, out_box[1] + used.h * fy)
    res = output.resize(small, Image.Resampling.BOX, box=sub)
    m = mask.reduce(k, box=(0, 0, used.w, used.h)) if k > 1 else mask.crop((0, 0, *small))
    inside = m.point(lambda v: 255 if v else 0)
    reach = max(1.0, band / k / 2)
    near = inside.filter(ImageFilter.GaussianBlur(reach)).point(lambda v: 255 if v else 0)
    ring = ImageChops.subtract(near, inside)
    if orig.mode == "RGBA":  # the colour of transparent pixels means nothing
        ring = ImageChops.darker(ring, orig.getchannel("A").point(lambda v: 255 if v >= 128 else 0))
    if ring.histogram()[255] < _MIN_BAND_PIXELS:
        return None
    so = ImageStat.Stat(orig.convert("RGB"), ring)
    sr = ImageStat.Stat(res.convert("RGB"), ring)
    gains, offsets, lut = [], [], []
    for c in range(3):
        gain = 1.0
        if so.stddev[c] > _MIN_STDDEV and sr.stddev[c] > _MIN_STDDEV:
            gain = min(max(so.stddev[c] / sr.stddev[c], _GAIN_LIMITS[0]), _GAIN_LIMITS[1])
        offset = so.mean[c] - gain * sr.mean[c]
        gains.append(round(gain, 4))
        offsets.append(round(offset, 2))
        lut += [min(255, max(0, round(gain * v + offset))) for v in range(256)]
    return lut, {"gain": gains, "offset": offsets}


def _apply_lut(img: Image.Image, lut: list[int]) -> Image.Image:
    if img.mode == "RGB":
        return img.point(lut)
    if img.mode == "RGBA":
        return img.point(lut + list(range(256)))
    return img.convert("RGB").point(lut)


def paste_back(
    original: Image.Image,
    model_output: Image.Image,
    plan: EditPlan,
    mask: Image.Image | None = None,
    *,
    feather: int | None = None,
    color_match: bool = True,
    scale_to_original: bool = False,
) -> PasteResult:
    """The designer's photo with the model's edit in it.

    *original* is the working image the plan was made for (upright RGB/RGBA) and *mask* the
    one given to ``plan_edit``. *feather* (px) overrides ``plan.feather`` (limited to
    ``plan.max_feather``). Without a mask on a whole-image edit there is nothing to paste
    into: the result comes back at the photo's shape with the padding removed, at the model's
    resolution, or resampled to the photo's size with *scale_to_original* (plain Lanczos
    resampling, not AI upscaling).
    """
    if original.size != plan.photo_size:
        raise InputError(
            f"The image is {original.width}×{original.height}, not the "
            f"{plan.photo_size[0]}×{plan.photo_size[1]} the edit was planned for."
        )
    _check_output(plan, model_output)
    notes: list[str] = []
    mode = original.mode if original.mode in ("RGB", "RGBA") else "RGB"
    lanczos = Image.Resampling.LANCZOS

    if not plan.sends_mask:
        out_box = _output_box(plan, model_output, plan.content)
        if scale_to_original:
            size = plan.content.w, plan.content.h
            notes.append(translate("core", "resampled to the original size (not AI upscaling)"))
        else:
            size = (max(1, round(out_box[2] - out_box[0])), max(1, round(out_box[3] - out_box[1])))
        if size == model_output.size and not any(plan.padding):
            image = model_output.copy()
        else:
            image = model_output.resize(size, lanczos, box=out_box)
        image = _in_mode(image, "RGBA" if "A" in image.mode else "RGB")
        return PasteResult(image, False, 0, notes=notes)

    radius = plan.feather if feather is None else max(0, int(feather))
    if radius > plan.max_feather:
        notes.append(
            translate("core", "the feather was reduced to {px} px to fit the region").format(
                px=plan.max_feather
            )
        )
        radius = plan.max_feather
    support = feather_support(radius)
    box = _work_box(plan, support)
    alpha = edit_mask_over(plan, mask, box)
    hard = alpha.copy() if color_match else alpha
    _fade_inner_edges(alpha, box, plan.photo_size, support)
    if radius > 0:
        alpha = alpha.filter(ImageFilter.GaussianBlur(radius))

    source = model_output
    out_box = _output_box(plan, model_output, box)
    color = None
    if color_match:
        # The band: outside the mask, within the feather's reach (inside the work box).
        found = colour_transfer(original, model_output, out_box, box, hard, max(support, 6))
        if found is None:
            notes.append(
                translate("core", "colour not matched: too little of the surroundings to measure")
            )
        else:
            lut, color = found
            source = _apply_lut(model_output, lut)

    patch = source.resize((box.w, box.h), lanczos, box=out_box)
    patch = _in_mode(patch, mode)
    composite = original.copy() if original.mode == mode else original.convert(mode)
    composite.paste(patch, (box.x, box.y), alpha)
    return PasteResult(composite, True, radius, color, notes)
