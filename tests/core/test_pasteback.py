"""Paste-back with real pixels: a simulated model that behaves like a real one (redraws the
whole picture with a slight colour drift and changes the masked area), and the designer's
photo must come back — same size, untouched outside the mask, no seam, every kind of file.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageCms, ImageDraw, ImageFilter, ImageOps

from retouch.core.errors import InputError
from retouch.core.images import decode_image
from retouch.core.pasteback import paste_back
from retouch.core.photo_meta import (
    EXIF_GPS_IFD,
    EXIF_ORIENTATION,
    PhotoMeta,
    encode_composite,
    read_meta,
)
from retouch.core.region import EditPlan, Rect, crop_for_request, feather_support, plan_edit
from retouch.core.schema import builtin_model

EDIT = builtin_model("gpt-image-2-edit")
GPT2 = builtin_model("gpt-image-2")
DRIFT_GAIN, DRIFT_OFFSET = 1.06, 14  # the model's global colour drift
NEW_OBJECT = (230, 30, 200)


def near_object(pixel: tuple[int, ...], tolerance: float = 40) -> bool:
    """The model's object, as painted or with the model's drift taken out of it again."""
    undrifted = tuple((v - DRIFT_OFFSET) / DRIFT_GAIN for v in NEW_OBJECT)
    return any(
        all(abs(p - o) <= tolerance for p, o in zip(pixel[:3], ref, strict=True))
        for ref in (NEW_OBJECT, undrifted)
    )


def photo(size: tuple[int, int], mode: str = "RGB", blur: float = 1) -> Image.Image:
    """Photo-like and deterministic: gradients, a fractal texture, shapes."""
    w, h = size
    ramp = Image.linear_gradient("L").resize(size)
    texture = Image.effect_mandelbrot(size, (-2.0, -1.2, 0.8, 1.2), 60)
    radial = Image.radial_gradient("L").resize(size)
    img = Image.merge("RGB", (ramp, texture, radial))
    draw = ImageDraw.Draw(img)
    for i in range(6):
        x, y = (i * 37 % 10) * w // 10, (i * 53 % 10) * h // 10
        draw.ellipse((x, y, x + w // 6, y + h // 6), fill=(40 * i % 256, 90, 200 - 20 * i))
    img = img.filter(ImageFilter.GaussianBlur(blur))
    return img.convert(mode) if mode != "RGB" else img


def ellipse(size: tuple[int, int], box: tuple[int, int, int, int]) -> Image.Image:
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).ellipse(box, fill=255)
    return mask


def fake_model(
    sent: Image.Image,
    sent_mask: Image.Image | None,
    out_size: tuple[int, int],
    *,
    change: Callable[[Image.Image, Image.Image], Image.Image] | None = None,
) -> Image.Image:
    """Like a real model: the sent image at the output size, a slight colour drift over every
    pixel, and a strong change inside the mask (a new object painted well inside it)."""
    out = sent.convert("RGB").resize(out_size, Image.Resampling.LANCZOS)
    out = out.point(lambda v: min(255, max(0, round(v * DRIFT_GAIN + DRIFT_OFFSET))))
    if sent_mask is not None:
        m = sent_mask.resize(out_size, Image.Resampling.NEAREST)
        if change is None:  # a new object in the middle half of the mask, clear of its edge
            x0, y0, x1, y1 = m.getbbox() or (0, 0, 1, 1)
            dx, dy = (x1 - x0) / 4, (y1 - y0) / 4
            thing = Image.new("L", out_size, 0)
            ImageDraw.Draw(thing).ellipse((x0 + dx, y0 + dy, x1 - dx, y1 - dy), fill=255)
            out.paste(NEW_OBJECT, (0, 0), ImageChops.darker(thing, m))
        else:
            out = change(out, m)
    return out


def run_edit(
    original: Image.Image,
    mask: Image.Image | None,
    model=EDIT,  # type: ignore[no-untyped-def]
    **kwargs,  # type: ignore[no-untyped-def]
) -> tuple[EditPlan, Image.Image]:
    paste_kwargs = {
        k: kwargs.pop(k) for k in ("feather", "color_match", "scale_to_original") if k in kwargs
    }
    plan = plan_edit(original.size, mask, model, **kwargs)
    sent, sent_mask = crop_for_request(original, plan, mask)
    assert sent.size == plan.send_size
    if sent_mask is not None:
        assert sent_mask.size == plan.send_size
    output = fake_model(sent, sent_mask, plan.send_size)
    result = paste_back(original, output, plan, mask, **paste_kwargs)
    return plan, result.image


def changed(a: Image.Image, b: Image.Image) -> Image.Image:
    """'L': 255 where *a* and *b* differ at all."""
    diff = ImageChops.difference(a.convert("RGBA"), b.convert("RGBA"))
    return (
        diff.convert("L").point(lambda v: 255 if v else 0)
        if a.mode != "RGBA"
        else (Image.eval(diff.getchannel("R"), lambda v: 255 if v else 0))
    )


def mean_abs(a: Image.Image, b: Image.Image, where: Image.Image) -> float:
    diff = ImageChops.difference(a.convert("RGB"), b.convert("RGB")).convert("L")
    hist = diff.histogram(where)
    n = sum(hist)
    return sum(i * c for i, c in enumerate(hist)) / n


def ring(size: tuple[int, int], box: tuple[int, int, int, int], inner: int, outer: int):  # type: ignore[no-untyped-def]
    """'L' mask of the band between the ellipse *box* shrunk by *inner* and grown by *outer*."""
    x0, y0, x1, y1 = box
    out = ellipse(size, (x0 - outer, y0 - outer, x1 + outer, y1 + outer))
    hole = ellipse(size, (x0 + inner, y0 + inner, x1 - inner, y1 - inner))
    return ImageChops.subtract(out, hole)


PHOTO = (1500, 1000)
BOX = (600, 400, 900, 620)


@pytest.fixture(scope="module")
def cup_edit() -> tuple[Image.Image, Image.Image, EditPlan, Image.Image]:
    original = photo(PHOTO)
    mask = ellipse(PHOTO, BOX)
    plan, composite = run_edit(original, mask)
    return original, mask, plan, composite


def test_output_has_the_photos_exact_size_and_mode(cup_edit) -> None:  # type: ignore[no-untyped-def]
    original, _, plan, composite = cup_edit
    assert composite.size == original.size and composite.mode == "RGB"
    assert plan.region.w < PHOTO[0] / 2  # a context crop, not the whole photo squeezed


def test_pixels_away_from_the_mask_are_unchanged_bit_for_bit(cup_edit) -> None:  # type: ignore[no-untyped-def]
    original, _, plan, composite = cup_edit
    reach = feather_support(plan.feather) + 1
    x0, y0, x1, y1 = BOX
    allowed = ellipse(PHOTO, (x0 - reach, y0 - reach, x1 + reach, y1 + reach))
    outside = ImageChops.subtract(changed(composite, original), allowed)
    assert outside.getbbox() is None


def test_pixels_inside_show_the_edit(cup_edit) -> None:  # type: ignore[no-untyped-def]
    _, _, _, composite = cup_edit
    centre = composite.crop((720, 480, 780, 540)).resize((1, 1), Image.Resampling.BOX)
    assert near_object(centre.getpixel((0, 0)), 20)


def test_colour_drift_leaves_no_step_at_the_seam(cup_edit) -> None:  # type: ignore[no-untyped-def]
    original, mask, _plan, composite = cup_edit
    # Just inside the mask edge the model only redrew the photo (with its drift): after the
    # colour match the composite there is the photo again, give or take resampling.
    inside_edge = ring(PHOTO, BOX, 25, -2)  # redrawn by the model, not the new object
    assert mean_abs(composite, original, inside_edge) < 3.0
    _, unmatched = run_edit(original, mask, color_match=False)
    assert mean_abs(unmatched, original, inside_edge) > 8.0  # the drift, had it stayed


def _steepest_step(
    img: Image.Image, original: Image.Image, row: int, x_from: int, x_to: int
) -> int:
    """Largest change of (img - original) between neighbouring pixels along a row."""
    a = img.convert("L").crop((x_from, row, x_to, row + 1)).tobytes()
    b = original.convert("L").crop((x_from, row, x_to, row + 1)).tobytes()
    d = [int(p) - int(q) for p, q in zip(a, b, strict=True)]
    return max(abs(d[i + 1] - d[i]) for i in range(len(d) - 1))


def test_the_feather_spreads_the_seam_over_its_width() -> None:
    original = photo(PHOTO, blur=6)  # smooth, so resampling adds no detail of its own
    mask = ellipse(PHOTO, BOX)
    # Without colour match, the whole drift has to be crossed somewhere near the edge:
    # feathered, no step between two pixels is more than a fraction of it.
    _plan, soft = run_edit(original, mask, color_match=False, feather=8)
    row = (BOX[1] + BOX[3]) // 2
    drift = mean_abs(soft, original, ring(PHOTO, BOX, 25, -12))
    assert drift > 8
    assert _steepest_step(soft, original, row, BOX[0] - 40, BOX[0] + 8) < drift / 3
    _, hard = run_edit(original, mask, color_match=False, feather=0)
    assert _steepest_step(hard, original, row, BOX[0] - 40, BOX[0] + 8) > drift * 0.6


@pytest.mark.parametrize("radius", [1, 3, 8, 20, 45])
def test_feather_support_bounds_the_blur(radius: int) -> None:
    edge = Image.new("L", (400, 40), 0)
    edge.paste(255, (200, 0, 400, 40))
    blurred = edge.filter(ImageFilter.GaussianBlur(radius))
    first_touched = blurred.crop((0, 20, 400, 21)).getbbox()
    assert first_touched is not None and 200 - first_touched[0] <= feather_support(radius)


# -- every shape maps back exactly ---------------------------------------------------------


def marker_photo(size: tuple[int, int]) -> tuple[Image.Image, list[tuple[float, float]]]:
    """Dark photo with bright 3×3 markers; returns their centres."""
    w, h = size
    img = Image.new("RGB", size, (30, 30, 30))
    centres = []
    for fx, fy in ((0.2, 0.25), (0.7, 0.3), (0.45, 0.55), (0.25, 0.8), (0.8, 0.75)):
        x, y = round(fx * (w - 6)) + 1, round(fy * (h - 6)) + 1
        img.paste((250, 250, 250), (x, y, x + 3, y + 3))
        centres.append((x + 1.5, y + 1.5))
    return img, centres


def centroid(img: Image.Image, around: tuple[float, float], reach: int = 8) -> tuple[float, float]:
    x0, y0 = max(0, int(around[0]) - reach), max(0, int(around[1]) - reach)
    x1, y1 = min(img.width, int(around[0]) + reach), min(img.height, int(around[1]) + reach)
    grey = img.convert("L").crop((x0, y0, x1, y1))
    total = sx = sy = 0.0
    for i, v in enumerate(grey.tobytes()):
        weight = max(0, v - 60)
        total += weight
        sx += weight * (i % grey.width + 0.5)
        sy += weight * (i // grey.width + 0.5)
    assert total > 0, "marker lost"
    return x0 + sx / total, y0 + sy / total


SHAPES = {
    "4:3": (1200, 900),
    "1:1": (900, 900),
    "2:3": (800, 1200),
    "16:9": (1600, 900),
    "3:2": (1500, 1000),
    "4:5": (800, 1000),
    "21:9": (2100, 900),
    "1x10 strip": (60, 600),
}


@pytest.mark.parametrize("model", [EDIT, GPT2], ids=["wxh", "aspect-tier"])
@pytest.mark.parametrize("shape", list(SHAPES))
def test_each_shape_maps_back_exactly(shape: str, model) -> None:  # type: ignore[no-untyped-def]
    size = SHAPES[shape]
    original, centres = marker_photo(size)
    # Whole image, no mask: the picture comes back at the photo's shape, padding removed.
    plan = plan_edit(size, None, model)
    sent, sent_mask = crop_for_request(original, plan)
    assert sent.size == plan.send_size and sent_mask is None
    output = fake_model(sent, None, plan.send_size)
    back = paste_back(original, output, plan, scale_to_original=True)
    assert not back.composited and back.image.size == size
    assert any("not AI upscaling" in n for n in back.notes)
    for c in centres:
        got = centroid(back.image, c)
        assert abs(got[0] - c[0]) < 0.75 and abs(got[1] - c[1]) < 0.75, (shape, c, got)
    native = paste_back(original, output, plan).image  # at the model's resolution
    assert abs(native.width / native.height - size[0] / size[1]) < 0.02 * size[0] / size[1]
    # With a mask over the whole photo, the composite is the photo with the edit pasted in.
    mask = Image.new("L", size, 255)
    plan = plan_edit(size, mask, model)
    sent, sent_mask = crop_for_request(original, plan, mask)
    output = fake_model(sent, sent_mask, plan.send_size, change=lambda out, _m: out)
    composite = paste_back(original, output, plan, mask).image
    assert composite.size == size
    for c in centres:
        got = centroid(composite, c)
        assert abs(got[0] - c[0]) < 0.75 and abs(got[1] - c[1]) < 0.75, (shape, c, got)


@pytest.mark.parametrize(
    "box",
    [(0, 0, 180, 140), (1320, 860, 1500, 1000), (0, 450, 1500, 560), (700, 0, 760, 1000)],
    ids=["corner", "other-corner", "full-width", "full-height"],
)
def test_masks_at_the_photos_edges(box: tuple[int, int, int, int]) -> None:
    original = photo(PHOTO)
    mask = Image.new("L", PHOTO, 0)
    mask.paste(255, box)
    plan, composite = run_edit(original, mask)
    assert composite.size == PHOTO
    reach = feather_support(plan.feather) + 1
    allowed = Image.new("L", PHOTO, 0)
    allowed.paste(255, (box[0] - reach, box[1] - reach, box[2] + reach, box[3] + reach))
    assert ImageChops.subtract(changed(composite, original), allowed).getbbox() is None
    inner = (box[0] + 12, box[1] + 12, box[2] - 12, box[3] - 12)
    centre = ((inner[0] + inner[2]) // 2, (inner[1] + inner[3]) // 2)
    assert near_object(composite.getpixel(centre))


def test_custom_region_changes_nothing_outside_it() -> None:
    original = photo(PHOTO)
    rect = Rect(300, 200, 500, 300)
    plan, composite = run_edit(original, None, region=rect)
    assert plan.mode == "custom" and plan.region.h == 300 and plan.region.w > 500
    outside = Image.new("L", PHOTO, 255)
    outside.paste(0, rect.box)
    assert ImageChops.darker(changed(composite, original), outside).getbbox() is None
    assert near_object(composite.getpixel((550, 350)))


def test_a_custom_region_is_feathered_inward_from_its_edges() -> None:
    original = photo(PHOTO, blur=6)
    rect = Rect(300, 200, 500, 300)
    _, composite = run_edit(original, None, region=rect)
    row = 350
    drift = mean_abs(composite, original, ellipse(PHOTO, (330, 300, 360, 400)))
    assert drift > 8  # no surroundings to match the colour to: the drift is there
    assert _steepest_step(composite, original, row, 280, 340) < drift / 3


def test_a_photo_with_transparency_keeps_its_alpha_outside_the_mask() -> None:
    original = photo(PHOTO).convert("RGBA")
    alpha = Image.linear_gradient("L").resize(PHOTO).point(lambda v: 0 if v < 60 else v)
    original.putalpha(alpha)
    mask = ellipse(PHOTO, BOX)
    plan, composite = run_edit(original, mask)
    assert composite.mode == "RGBA" and composite.size == PHOTO
    reach = feather_support(plan.feather) + 1
    x0, y0, x1, y1 = BOX
    allowed = ellipse(PHOTO, (x0 - reach, y0 - reach, x1 + reach, y1 + reach))
    alpha_changed = ImageChops.difference(composite.getchannel("A"), alpha).point(
        lambda v: 255 if v else 0
    )
    assert ImageChops.subtract(alpha_changed, allowed).getbbox() is None
    rgb_changed = (
        ImageChops.difference(composite, original).convert("L").point(lambda v: 255 if v else 0)
    )
    assert ImageChops.subtract(rgb_changed, allowed).getbbox() is None
    assert composite.getpixel((750, 510))[3] == 255  # the model's (opaque) edit inside


def test_a_result_of_another_shape_is_refused(cup_edit) -> None:  # type: ignore[no-untyped-def]
    original, mask, plan, _ = cup_edit
    with pytest.raises(InputError, match="its shape differs"):
        paste_back(original, Image.new("RGB", (1024, 1024)), plan, mask)
    with pytest.raises(InputError, match="not the 1500×1000"):
        paste_back(Image.new("RGB", (10, 10)), Image.new("RGB", plan.send_size), plan, mask)


def test_a_result_of_other_pixels_but_the_same_shape_is_placed_back(cup_edit) -> None:  # type: ignore[no-untyped-def]
    original, mask, plan, _ = cup_edit
    sent, sent_mask = crop_for_request(original, plan, mask)
    half = (plan.send_size[0] // 2, plan.send_size[1] // 2)
    output = fake_model(sent, sent_mask, half)
    composite = paste_back(original, output, plan, mask).image
    assert composite.size == PHOTO
    assert near_object(composite.getpixel((750, 510)))


def test_an_explicit_feather_is_used_and_capped_to_the_room_left() -> None:
    original = photo(PHOTO)
    mask = ellipse(PHOTO, BOX)
    plan = plan_edit(PHOTO, mask, EDIT)
    sent, sent_mask = crop_for_request(original, plan, mask)
    output = fake_model(sent, sent_mask, plan.send_size)
    assert paste_back(original, output, plan, mask, feather=2).feather == 2
    capped = paste_back(original, output, plan, mask, feather=10_000)
    assert capped.feather == plan.max_feather and any("reduced" in n for n in capped.notes)
    assert paste_back(original, output, plan, mask).record()["feather"] == plan.feather


# -- originals of every kind, and what is saved ------------------------------------------------


def jpeg_bytes(img: Image.Image, **kw) -> bytes:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=95, **kw)
    return buf.getvalue()


def edit_file(data: bytes, box_fraction=(0.4, 0.4, 0.6, 0.6)):  # type: ignore[no-untyped-def]
    loaded = decode_image(data, "photo")
    size = loaded.image.size
    fx0, fy0, fx1, fy1 = box_fraction
    mask = ellipse(
        size, (int(fx0 * size[0]), int(fy0 * size[1]), int(fx1 * size[0]), int(fy1 * size[1]))
    )
    _plan, composite = run_edit(loaded.image, mask)
    return loaded, composite, read_meta(data)


def test_exif_rotated_photo_comes_back_upright_without_its_orientation_and_gps_on_request() -> None:
    upright = photo((400, 600))  # what the camera saw
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # as the sensor wrote it: 600×400
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 6
    exif[0x010F] = "Retouch Camera"
    gps = exif.get_ifd(EXIF_GPS_IFD)
    gps[1] = "N"
    gps[2] = (48.0, 51.0, 24.0)
    data = jpeg_bytes(stored, exif=exif.tobytes())
    _loaded, composite, meta = edit_file(data)
    assert composite.size == (400, 600)  # upright, sides swapped from the stored 600×400
    assert meta.has_gps
    for keep_gps in (True, False):
        saved = encode_composite(composite, "jpeg", meta, keep_gps=keep_gps)
        back = Image.open(io.BytesIO(saved.data))
        assert back.size == (400, 600)
        tags = back.getexif()
        assert EXIF_ORIENTATION not in tags
        assert tags.get(0x010F) == "Retouch Camera"
        assert bool(tags.get_ifd(EXIF_GPS_IFD)) is keep_gps
        assert ImageOps.exif_transpose(back).size == (400, 600)  # no viewer turns it again


CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")


def test_cmyk_photo_comes_back_as_rgb_without_a_cmyk_profile() -> None:
    cmyk = photo((500, 400)).convert("CMYK")
    loaded, composite, meta = edit_file(jpeg_bytes(cmyk))
    assert loaded.image.mode == "RGB" and composite.mode == "RGB" and composite.size == (500, 400)
    saved = Image.open(io.BytesIO(encode_composite(composite, "png", meta).data))
    assert saved.mode == "RGB" and not saved.info.get("icc_profile")


@pytest.mark.skipif(not CMYK_PROFILE.exists(), reason="no CMYK ICC profile on this machine")
def test_cmyk_photo_with_a_profile_is_converted_through_it_and_saved_as_srgb() -> None:
    cmyk = photo((500, 400)).convert("CMYK")
    data = jpeg_bytes(cmyk, icc_profile=CMYK_PROFILE.read_bytes())
    loaded, composite, meta = edit_file(data)
    naive = cmyk.convert("RGB")
    assert ImageChops.difference(loaded.image, naive).getbbox() is not None  # not the formula
    saved = Image.open(io.BytesIO(encode_composite(composite, "png", meta).data))
    space = ImageCms.ImageCmsProfile(io.BytesIO(saved.info["icc_profile"])).profile.xcolor_space
    assert space.strip() == "RGB"
    assert any("CMYK" in n for n in meta.notes)


def test_16_bit_photo_comes_back_full_size_and_not_clipped() -> None:
    grey16 = Image.linear_gradient("L").resize((512, 384)).point(lambda v: v * 257, "I")
    grey16 = grey16.convert("I;16")
    buf = io.BytesIO()
    grey16.save(buf, "PNG")
    loaded, composite, _ = edit_file(buf.getvalue())
    assert composite.size == (512, 384) and composite.mode == "RGB"
    low, high = composite.convert("L").getextrema()
    assert low < 30 and high > 200  # the range kept, not all white
    assert composite.getpixel((5, 5)) == loaded.image.getpixel((5, 5))


@pytest.mark.parametrize("fmt", ["png", "webp", "jpeg"])
def test_icc_profile_bytes_are_preserved_and_lossless_formats_are_lossless(fmt: str) -> None:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    original = photo((640, 480))
    buf = io.BytesIO()
    original.save(buf, "PNG", icc_profile=profile)
    _loaded, composite, meta = edit_file(buf.getvalue())
    assert meta.icc_profile == profile
    saved = encode_composite(composite, fmt, meta)
    back = Image.open(io.BytesIO(saved.data))
    assert back.info.get("icc_profile") == profile
    if fmt != "jpeg":
        assert ImageChops.difference(back.convert("RGB"), composite).getbbox() is None


def test_a_grey_profile_is_not_put_on_rgb_pixels() -> None:
    grey = Image.linear_gradient("L").resize((320, 240))
    buf = io.BytesIO()
    grey.save(
        buf, "PNG", icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    )
    meta = read_meta(buf.getvalue())
    assert meta.icc_profile is None and any("left off" in n for n in meta.notes)


def test_transparent_composite_saved_as_jpeg_is_flattened_with_a_note() -> None:
    rgba = Image.new("RGBA", (50, 40), (10, 20, 30, 0))
    saved = encode_composite(rgba, "jpeg")
    assert Image.open(io.BytesIO(saved.data)).getpixel((5, 5))[0] > 240
    assert saved.notes and "transparency" in saved.notes[0]
    from retouch.core.errors import ValidationError

    with pytest.raises(ValidationError, match="not png, jpeg or webp"):
        encode_composite(rgba, "gif")


def test_unreadable_metadata_is_a_note_not_a_failure() -> None:
    meta = read_meta(b"not an image")
    assert meta.icc_profile is None and meta.notes
    assert encode_composite(Image.new("RGB", (8, 8)), "png", meta).data[:4] == b"\x89PNG"


def test_the_mask_the_edit_was_planned_with_is_required(cup_edit) -> None:  # type: ignore[no-untyped-def]
    original, mask, plan, _ = cup_edit
    with pytest.raises(InputError, match="mask this edit was planned with is missing"):
        crop_for_request(original, plan)
    sent, sent_mask = crop_for_request(original, plan, mask)
    output = fake_model(sent, sent_mask, plan.send_size)
    with pytest.raises(InputError, match="mask this edit was planned with is missing"):
        paste_back(original, output, plan)


def test_exif_too_large_for_a_jpeg_is_left_off_with_a_note() -> None:
    exif = Image.Exif()
    exif[0x010E] = "x" * 70_000  # ImageDescription
    exif[0x010F] = "Cam"
    meta = PhotoMeta(None, exif, "RGB")
    saved = encode_composite(photo((64, 48)), "jpeg", meta)
    assert any("too large" in n for n in saved.notes)
    png = encode_composite(photo((64, 48)), "png", meta)
    assert Image.open(io.BytesIO(png.data)).getexif().get(0x010F) == "Cam"
