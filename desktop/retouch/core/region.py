"""Plan what an edit sends: the region of the photo, its size, the mask, the size parameters.

The model only paints at a few output sizes. So that a result maps back onto the photo pixel
for pixel, the first input is always sent at exactly the requested output size, cut from a
rectangle of the photo (the *region*) with that size's shape:

* **auto** with a partial mask: the mask's bounding box grown by a margin that scales with
  it, snapped to the supported shape nearest to it and kept inside the photo (shifted before
  it is shrunk); a small edit in a big photo gets the model's full resolution;
* **whole** (and auto with no mask or a mask over nearly everything): the whole photo;
* a **custom** rectangle.

Where no supported shape fits inside the photo (a 3:2 photo edited whole by a model without
3:2, a 1×10 strip), the region reaches past the photo's edges and that part is filled by
mirroring; paste-back drops it. ``plan_edit`` decides everything and holds no pixels (its
``to_dict()`` goes into sidecars and history); ``crop_for_request`` cuts what is sent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageChops

from retouch.core.errors import InputError, ValidationError
from retouch.core.mask import aspect_matches, mask_to_l
from retouch.core.pricing import SizePrice, price_for_size
from retouch.core.schema import MAX_EDGE, ModelInfo
from retouch.core.sizes import OutputSize, SizeVocabulary, size_vocabulary

# Largest photo a plan accepts: the loader's own limit (~180 MP). Paste-back holds the photo,
# a copy and region-sized work images: about 3× its pixels at worst.
MAX_PHOTO_PIXELS = 180_000_000
MIN_REGION = 8  # px: a custom region smaller than this is refused
MIN_MARGIN = 48  # px of context around a mask, photo permitting
MARGIN_FACTOR = 0.5  # × sqrt(mask box area): the margin grows with the edit
WHOLE_COVERAGE = 0.9  # a mask box covering this much of both sides means "the whole photo"
# A shape within this of the photo's is used as it is (the tiny stretch is undone on the way
# back) rather than padded by a pixel or two.
SNAP_TOLERANCE = 0.005
MASK_THRESHOLD = 128  # grey >= this is "edit"


@dataclass(frozen=True)
class Rect:
    """A rectangle in photo pixels; may reach outside the photo (padding)."""

    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    @property
    def box(self) -> tuple[int, int, int, int]:
        return (self.x, self.y, self.right, self.bottom)

    @property
    def area(self) -> int:
        return self.w * self.h

    def intersect(self, other: Rect) -> Rect | None:
        x0, y0 = max(self.x, other.x), max(self.y, other.y)
        x1, y1 = min(self.right, other.right), min(self.bottom, other.bottom)
        if x1 <= x0 or y1 <= y0:
            return None
        return Rect(x0, y0, x1 - x0, y1 - y0)

    def grown(self, by: int, within: Rect) -> Rect:
        grown = Rect(self.x - by, self.y - by, self.w + 2 * by, self.h + 2 * by)
        return grown.intersect(within) or self

    @classmethod
    def from_box(cls, box: tuple[int, int, int, int]) -> Rect:
        return cls(box[0], box[1], box[2] - box[0], box[3] - box[1])

    @classmethod
    def parse(cls, text: str) -> Rect:
        """``X,Y,W,H`` (the CLI's ``--region``)."""
        try:
            x, y, w, h = (int(v) for v in str(text).replace(" ", "").split(","))
        except ValueError:
            raise InputError(
                f"The region '{text}' is not understood: give it as X,Y,WIDTH,HEIGHT in pixels."
            ) from None
        return cls(x, y, w, h)


@dataclass(frozen=True)
class EditPlan:
    """Everything that decides what an edit sends and how its result goes back."""

    photo_size: tuple[int, int]
    mode: str  # "auto", "whole" or "custom"
    region: Rect  # what is sent, in photo pixels; may reach outside the photo
    content: Rect  # the part of the region inside the photo (what comes back)
    edit_box: Rect | None  # where edits may land: the mask's box (or the custom rect)
    custom: Rect | None  # the custom rectangle, when mode is "custom"
    output: OutputSize  # what is asked for; the first input is sent at exactly this size
    params: dict[str, str]  # request parameters that ask for it
    price: SizePrice
    auto_resolution: bool
    feather: int  # default feather radius for paste-back, px
    max_feather: int  # the largest feather the region leaves room for
    sends_mask: bool
    needs_mask: bool = False  # planned with a mask: crop and paste-back need it too
    notes: tuple[str, ...] = ()

    @property
    def padding(self) -> tuple[int, int, int, int]:
        """Photo pixels of padding (left, top, right, bottom)."""
        r, c = self.region, self.content
        return (c.x - r.x, c.y - r.y, r.right - c.right, r.bottom - c.bottom)

    @property
    def send_size(self) -> tuple[int, int]:
        return (self.output.width, self.output.height)

    @property
    def whole_photo(self) -> bool:
        return self.content == Rect(0, 0, *self.photo_size)

    def label(self) -> str:
        """For the UI: ``1536×1024 · standard price · ≈ $0.22``."""
        return f"{self.output.width}×{self.output.height} · {self.price.label()}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "photo_size": list(self.photo_size),
            "mode": self.mode,
            "region": list(self.region.box),
            "content": list(self.content.box),
            "custom": list(self.custom.box) if self.custom else None,
            "output_size": [self.output.width, self.output.height],
            "params": dict(self.params),
            "auto_resolution": self.auto_resolution,
            "feather": self.feather,
        }


@dataclass(frozen=True)
class _Fit:
    region: Rect
    padded: bool
    pad_fraction: float


def feather_support(radius: float) -> int:
    """How far (px) Pillow's GaussianBlur(radius) spreads a mask edge: three box passes of
    about ``radius`` each, plus rounding (checked in tests/core/test_pasteback.py)."""
    return 0 if radius <= 0 else math.ceil(3 * radius) + 2


def prepare_mask(mask: Image.Image | None, photo_size: tuple[int, int]) -> Image.Image | None:
    """The mask as 0/255 'L' at the photo's size (white = edit), or None.

    Raises InputError for a mask of another shape or one with nothing to edit: an all-black
    mask is refused before anything is paid for.
    """
    if mask is None:
        return None
    if mask.width < 1 or mask.height < 1:
        raise InputError("The mask image is empty (0 pixels).")
    if not aspect_matches(mask.size, photo_size):
        raise InputError(
            f"The mask is {mask.width}×{mask.height} but the image is "
            f"{photo_size[0]}×{photo_size[1]}: their shapes differ, so the mask would not "
            "line up. Use a mask with the same proportions."
        )
    grey = mask_to_l(mask)
    if grey.size != photo_size:
        grey = grey.resize(photo_size, Image.Resampling.BILINEAR)
    binary = grey.point(lambda v: 255 if v >= MASK_THRESHOLD else 0)
    if binary.getbbox() is None:
        raise InputError(
            "The mask is all black, so it keeps the whole image and there is nothing to "
            "edit. Paint the area to change in white, or remove the mask to edit the whole "
            "image."
        )
    return binary


def _check_photo(photo_size: tuple[int, int]) -> None:
    w, h = photo_size
    if w < 1 or h < 1:
        raise InputError("The image has no pixels.")
    if w * h > MAX_PHOTO_PIXELS:
        raise InputError(
            f"The image is {w}×{h} ({w * h / 1e6:.0f} megapixels); Retouch can place results "
            f"back into images up to {MAX_PHOTO_PIXELS // 1_000_000} megapixels. "
            "Export a smaller copy."
        )


def _custom_rect(rect: Rect, photo: Rect) -> tuple[Rect, list[str]]:
    if rect.w < MIN_REGION or rect.h < MIN_REGION:
        raise InputError(
            f"The region {rect.w}×{rect.h} is too small: make it at least "
            f"{MIN_REGION}×{MIN_REGION} pixels."
        )
    inside = rect.intersect(photo)
    if inside is None:
        raise InputError(
            f"The region {rect.x},{rect.y},{rect.w},{rect.h} lies outside the image "
            f"({photo.w}×{photo.h}). Draw it over the image."
        )
    if inside.w < MIN_REGION or inside.h < MIN_REGION:
        raise InputError(
            f"Only {inside.w}×{inside.h} pixels of the region lie on the image: make at least "
            f"{MIN_REGION}×{MIN_REGION} of it cover the image."
        )
    notes = []
    if inside != rect:
        notes.append(f"the region was trimmed to the image ({inside.w}×{inside.h})")
    return inside, notes


def _place(lo: int, hi: int, size: int, centre: float, limit: int) -> int:
    """Start of a span of *size* that contains [lo, hi) and lies in [0, limit) if it can,
    as near *centre* as possible; spans longer than *limit* are centred on the photo."""
    if size > limit:
        return -((size - limit) // 2)
    start = round(centre - size / 2)
    return max(max(0, hi - size), min(start, min(lo, limit - size)))


def _fit(photo: Rect, must: Rect, want: Rect, ratio: float, fixed: bool) -> _Fit:
    """The rectangle of shape *ratio* that holds *must*, comes as close to *want* as the photo
    allows, and stays inside the photo where any such rectangle can."""
    W, H = photo.w, photo.h
    lo = max(must.w, must.h * ratio)
    hi = min(W, H * ratio)
    desired = max(want.w, want.h * ratio)
    if fixed:  # whole photo / custom rect: exactly what must be sent, nothing cut
        desired = lo
    if lo <= hi * (1 + SNAP_TOLERANCE):
        w = min(max(desired, lo), max(hi, lo))
        padded = lo > hi
    else:
        w, padded = lo, True
    wi, hi_ = max(1, round(w)), max(1, round(w / ratio))
    wi, hi_ = max(wi, must.w), max(hi_, must.h)
    if padded and (wi - W) <= W * SNAP_TOLERANCE and wi > W:
        wi = W  # a pixel or two of padding is not worth sending: stretch instead
    if padded and (hi_ - H) <= H * SNAP_TOLERANCE and hi_ > H:
        hi_ = H
    if not padded:
        wi, hi_ = min(wi, W), min(hi_, H)
    x = _place(must.x, must.right, wi, want.x + want.w / 2, W)
    y = _place(must.y, must.bottom, hi_, want.y + want.h / 2, H)
    region = Rect(x, y, wi, hi_)
    inside = region.intersect(photo)
    pad_fraction = 1 - (inside.area if inside else 0) / region.area
    return _Fit(region, pad_fraction > 0, pad_fraction)


def _aspect_groups(sizes: list[OutputSize]) -> dict[str, list[OutputSize]]:
    groups: dict[str, list[OutputSize]] = {}
    for s in sorted(sizes, key=lambda s: s.pixels):
        groups.setdefault(s.aspect_key, []).append(s)
    return groups


def _free_size(region: Rect) -> OutputSize:
    scale = min(1.0, MAX_EDGE / max(region.w, region.h))
    return OutputSize(max(1, round(region.w * scale)), max(1, round(region.h * scale)))


def _choose_size(group: list[OutputSize], region: Rect, auto: bool) -> OutputSize:
    """Auto: the smallest size that gives the region at least its own pixels, else the
    largest. An explicit choice leaves one size in *group*."""
    if not auto:
        return group[0]
    for size in group:  # sorted by pixels
        if size.width >= region.w and size.height >= region.h:
            return size
    return group[-1]


def plan_edit(
    photo_size: tuple[int, int],
    mask: Image.Image | None,
    model: ModelInfo,
    *,
    region: str | Rect = "auto",
    resolution: str = "auto",
    aspect: str = "auto",
    allow_high_res: bool = False,
    feather: int | None = None,
    params: dict[str, Any] | None = None,
    mask_box: Rect | None = None,
) -> EditPlan:
    """Decide the region, the output size and its price for editing a photo of *photo_size*.

    *mask* is what the user painted (any mode; white or opaque = edit), at the photo's shape.
    *region*: ``"auto"``, ``"whole"`` or a :class:`Rect`. *resolution*: ``"auto"`` or one of
    the model's values (``1024x768``; ``2K`` on an aspect/tier model, with *aspect* ``"auto"``
    or a ratio it names). Auto stays within the standard price tier unless *allow_high_res*.
    *params* (the rest of the form, e.g. quality) only matter for the price. *mask_box*: the
    bounding box of the painted area, in photo pixels, when the caller keeps it up to date
    (the window while painting) — the plan is the one the mask would give, without reading
    the mask's pixels; pass it instead of *mask*.

    Raises InputError / ValidationError with a message for the user; nothing is sent then.
    """
    _check_photo(photo_size)
    photo = Rect(0, 0, *photo_size)
    notes: list[str] = []
    binary = prepare_mask(mask, photo_size)
    masked = binary is not None or mask_box is not None
    if binary is not None:
        mask_box = Rect.from_box(binary.getbbox())  # type: ignore[arg-type]
    elif mask_box is not None:
        mask_box = mask_box.intersect(photo)
        if mask_box is None:
            raise InputError(
                "The mask is all black, so it keeps the whole image and there is nothing to "
                "edit. Paint the area to change in white, or remove the mask to edit the whole "
                "image."
            )

    custom: Rect | None = None
    if isinstance(region, Rect):
        custom, more = _custom_rect(region, photo)
        notes += more
        mode = "custom"
    elif region in ("auto", "whole"):
        mode = region
    else:
        raise InputError(f"The region '{region}' is not understood: use auto, whole or X,Y,W,H.")

    if custom is not None and mask_box is not None:
        inside = mask_box.intersect(custom)
        if inside is None:
            raise InputError(
                "The mask lies entirely outside the region: nothing in the region would change. "
                "Move the region over the painted area, or use Auto."
            )
        if inside != mask_box:
            notes.append("the mask was trimmed to the region")
        mask_box = inside
    edit_box = custom if custom is not None and mask_box is None else mask_box

    if (
        mode == "auto"
        and edit_box is not None
        and edit_box.w >= WHOLE_COVERAGE * photo.w
        and edit_box.h >= WHOLE_COVERAGE * photo.h
    ):
        mode = "whole"
    if mode == "auto" and edit_box is None:
        mode = "whole"

    # Context: the edit's box grown by a margin that scales with it (auto); the feather needs
    # room inside the region on every side that is not the photo's edge.
    if mode == "whole":
        must = want = photo
    elif mode == "custom":
        assert custom is not None
        must = want = custom
    else:
        assert edit_box is not None
        margin = max(MIN_MARGIN, round(MARGIN_FACTOR * math.sqrt(edit_box.area)))
        want = edit_box.grown(margin, photo)
        default = _default_feather(want)
        must = edit_box.grown(feather_support(feather if feather is not None else default), photo)
        want = Rect.from_box(
            (
                min(want.x, must.x),
                min(want.y, must.y),
                max(want.right, must.right),
                max(want.bottom, must.bottom),
            )
        )

    vocab = size_vocabulary(model)
    auto = str(resolution).strip().lower() == "auto" and str(aspect).strip().lower() == "auto"
    fixed = mode != "auto"
    if vocab.kind == "free":
        if str(resolution).strip().lower() != "auto":
            raise ValidationError(
                "resolution", f"{model.display_name} takes no resolution; leave it on Auto.", []
            )
        fit = _fit(photo, must, want, want.w / want.h, fixed)
        output = _free_size(fit.region)
    else:
        fit, output = _choose(vocab, photo, must, want, fixed, resolution, aspect, allow_high_res)
        if fit.padded:
            notes.append(
                f"the image's shape is not one {model.display_name} makes; the nearest "
                f"({output.aspect_key}) is sent with padding that is removed from the result"
            )

    content = fit.region.intersect(photo)
    assert content is not None
    scale = max(content.w / output.width, content.h / output.height)
    chosen = feather if feather is not None else _default_feather(fit.region, scale)
    room = _feather_room(fit.region, content, edit_box, photo, mode)
    max_feather = max(0, (room - 2) // 3) if room is not None else 10_000
    if chosen > max_feather:
        if feather is not None:
            notes.append(f"the feather was reduced to {max_feather} px to fit the region")
        chosen = max_feather
    params_out = dict(output.params)
    price = price_for_size(model, output, {**(params or {}), **params_out})
    if auto and not allow_high_res and output.high_res:
        notes.append("only high-resolution sizes fit this request")
    return EditPlan(
        photo_size=photo_size,
        mode=mode,
        region=fit.region,
        content=content,
        edit_box=edit_box,
        custom=custom,
        output=output,
        params=params_out,
        price=price,
        auto_resolution=auto,
        feather=max(0, int(chosen)),
        max_feather=max_feather,
        sends_mask=edit_box is not None and not (mode == "whole" and not masked),
        needs_mask=masked,
        notes=tuple(notes),
    )


def _default_feather(region: Rect, scale: float = 1.0) -> int:
    """About 1 % of the region's size, never under 3 px, and at least two pixels of the
    model's output where the result is enlarged on the way back."""
    return max(3, round(math.sqrt(region.area) / 100), math.ceil(2 * scale))


def _feather_room(
    region: Rect, content: Rect, edit_box: Rect | None, photo: Rect, mode: str
) -> int | None:
    """Distance from the edit box to the nearest side of the region that is inside the photo
    (a side on the photo's edge needs no room); None when nothing limits the feather."""
    if edit_box is None or mode == "custom":
        return None  # a custom region is feathered inward from its own edges
    gaps = []
    if content.x > 0:
        gaps.append(edit_box.x - content.x)
    if content.y > 0:
        gaps.append(edit_box.y - content.y)
    if content.right < photo.w:
        gaps.append(content.right - edit_box.right)
    if content.bottom < photo.h:
        gaps.append(content.bottom - edit_box.bottom)
    return min(gaps) if gaps else None


def _choose(
    vocab: SizeVocabulary,
    photo: Rect,
    must: Rect,
    want: Rect,
    fixed: bool,
    resolution: str,
    aspect: str,
    allow_high_res: bool,
) -> tuple[_Fit, OutputSize]:
    sizes = vocab.candidates(resolution, aspect)
    auto_res = str(resolution).strip().lower() == "auto"
    if auto_res and not allow_high_res:
        standard = [s for s in sizes if not s.high_res]
        sizes = standard or sizes[:1]
    if not sizes:
        raise ValidationError("resolution", "No output size of this model fits that choice.", [])
    groups = _aspect_groups(sizes)
    target = want.w / want.h
    best: tuple[tuple[float, ...], str, _Fit] | None = None
    for key, group in groups.items():
        ratio = group[0].ratio
        fit = _fit(photo, must, want, ratio, fixed)
        nearness = abs(math.log(ratio / target))
        # Crop when a supported shape fits inside the photo (nearest shape first); pad only
        # when none does (least padding first).
        score = (1.0, fit.pad_fraction, nearness) if fit.padded else (0.0, nearness, 0.0)
        if best is None or score < best[0]:
            best = (score, key, fit)
    assert best is not None
    _, key, fit = best
    group = groups[key]
    output = _choose_size(group, fit.region, auto_res)
    if abs(output.ratio - group[0].ratio) > 1e-9:
        fit = _fit(photo, must, want, output.ratio, fixed)
    return fit, output


def edit_mask_over(
    plan: EditPlan, mask: Image.Image | None, box: Rect, binary: bool = True
) -> Image.Image:
    """The edit area over *box* (photo pixels, inside the photo) as 'L' 0/255: the mask, or
    the custom rectangle, clipped to the custom rectangle; white everywhere for a whole-photo
    edit without a mask."""
    if mask is None and plan.needs_mask:
        raise InputError("The mask this edit was planned with is missing.")
    if mask is None:
        if plan.custom is not None:
            out = Image.new("L", (box.w, box.h), 0)
            inside = plan.custom.intersect(box)
            if inside is not None:
                out.paste(
                    255,
                    (
                        inside.x - box.x,
                        inside.y - box.y,
                        inside.right - box.x,
                        inside.bottom - box.y,
                    ),
                )
            return out
        return Image.new("L", (box.w, box.h), 255)
    grey = mask_to_l(mask)
    if grey.size != plan.photo_size:
        sx, sy = grey.width / plan.photo_size[0], grey.height / plan.photo_size[1]
        grey = grey.resize(
            (box.w, box.h),
            Image.Resampling.BILINEAR,
            box=(box.x * sx, box.y * sy, box.right * sx, box.bottom * sy),
        )
    else:
        grey = grey.crop(box.box)
    if binary:
        grey = grey.point(lambda v: 255 if v >= MASK_THRESHOLD else 0)
    if plan.custom is not None:
        keep = Image.new("L", grey.size, 0)
        inside = plan.custom.intersect(box)
        if inside is not None:
            keep.paste(
                255,
                (inside.x - box.x, inside.y - box.y, inside.right - box.x, inside.bottom - box.y),
            )
        grey = ImageChops.darker(grey, keep)
    return grey


def _mirror_pad(content: Image.Image, pads: tuple[int, int, int, int]) -> Image.Image:
    """*content* extended by *pads* (left, top, right, bottom), mirrored at its edges (edge
    pixels repeated where a pad is wider than the content)."""
    left, top, right, bottom = pads
    w, h = content.size
    out = Image.new(content.mode, (w + left + right, h + top + bottom))
    out.paste(content, (left, top))

    def strip(src: Image.Image, n: int, side: str) -> Image.Image:
        horizontal = side in ("left", "right")
        extent = src.width if horizontal else src.height
        take = min(n, extent)
        if horizontal:
            part = src.crop(
                (0, 0, take, src.height)
                if side == "left"
                else (src.width - take, 0, src.width, src.height)
            )
            part = part.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
            size = (n, src.height)
        else:
            part = src.crop(
                (0, 0, src.width, take)
                if side == "top"
                else (0, src.height - take, src.width, src.height)
            )
            part = part.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
            size = (src.width, n)
        if take < n:  # narrower than the pad: stretch the mirrored edge over it
            part = part.resize(size, Image.Resampling.NEAREST)
        return part

    if left:
        out.paste(strip(content, left, "left"), (0, top))
    if right:
        out.paste(strip(content, right, "right"), (left + w, top))
    row = out.crop((0, top, out.width, top + h))
    if top:
        out.paste(strip(row, top, "top"), (0, 0))
    if bottom:
        out.paste(strip(row, bottom, "bottom"), (0, top + h))
    return out


def crop_for_request(
    photo: Image.Image, plan: EditPlan, mask: Image.Image | None = None
) -> tuple[Image.Image, Image.Image | None]:
    """The image to send (exactly ``plan.send_size``) and the mask to send with it ('L',
    white = edit, same size), or None when the whole image is edited without a mask."""
    if photo.size != plan.photo_size:
        raise InputError(
            f"The image is {photo.width}×{photo.height}, not the "
            f"{plan.photo_size[0]}×{plan.photo_size[1]} it was planned for."
        )
    size = plan.send_size
    lanczos = Image.Resampling.LANCZOS
    pads = plan.padding
    if any(pads):
        padded = _mirror_pad(photo.crop(plan.content.box), pads)
        image = padded.resize(size, lanczos)
    else:
        image = photo.resize(size, lanczos, box=plan.content.box)
    if not plan.sends_mask:
        return image, None
    area = edit_mask_over(plan, mask, plan.content)
    if any(pads):
        full = Image.new("L", (plan.region.w, plan.region.h), 0)
        full.paste(area, (pads[0], pads[1]))
        area = full
    sent = area.resize(size, Image.Resampling.BILINEAR)
    sent = sent.point(lambda v: 255 if v >= MASK_THRESHOLD else 0)
    if sent.getbbox() is None:  # a mask thinner than a pixel of the output: keep a dot
        sent = area.resize(size, Image.Resampling.BOX).point(lambda v: 255 if v else 0)
    return image, sent


__all__ = [
    "EditPlan",
    "Rect",
    "crop_for_request",
    "edit_mask_over",
    "feather_support",
    "plan_edit",
    "prepare_mask",
]
