"""Issue 12 end to end through the edit service, with real pixels from the fake hub.

The fake hub behaves like a real model: it stretches what it is sent to the requested size,
redraws the whole picture slightly (softer, colours drifted) and changes the masked area
strongly. Only a client that places the result back into the photo gets the photo back.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops, ImageCms, ImageDraw, ImageFilter, ImageOps

from retouch.core import errors as E
from retouch.core.cancel import CancelToken
from retouch.core.edit_service import EditService, EditStep, RunOptions
from retouch.core.editing import RunOutcome
from retouch.core.history import HistoryStore
from retouch.core.images import decode_image
from retouch.core.photo_meta import EXIF_GPS_IFD, EXIF_ORIENTATION
from retouch.core.placement import PlacementOptions, PlacementStep, plan_request
from retouch.core.profile import HubProfile
from retouch.core.region import Rect, feather_support
from retouch.core.request import EditRequest, InputRef, ResultRef
from retouch.core.schema import builtin_model
from retouch.fakehub import FakeHub
from retouch.fakehub import images as hub_images
from tests.core.test_pasteback import ellipse
from tests.core.test_pasteback import photo as make_photo

KEY = "test-key"
EDIT = builtin_model("gpt-image-2-edit")
GPT2 = builtin_model("gpt-image-2")
TINT = hub_images.tint_color(0)  # the colour the fake hub paints into result 1's mask


def save(img: Image.Image, path: Path, **kw: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, **kw)
    return path


def service(hub: FakeHub, tmp_path: Path, store: HistoryStore | None = None) -> EditService:
    return EditService(
        HubProfile.fixed(hub.base_url, KEY, output_dir=tmp_path / "out"), recorder=store
    )


def run(
    hub: FakeHub,
    tmp_path: Path,
    photo: Path | InputRef,
    mask: Image.Image | Path | None = None,
    *,
    model: Any = EDIT,
    params: dict[str, Any] | None = None,
    options: PlacementOptions | None = None,
    store: HistoryStore | None = None,
    parent: ResultRef | None = None,
    more_steps: tuple[EditStep, ...] = (),
) -> tuple[RunOutcome, PlacementStep]:
    step = PlacementStep(options or PlacementOptions())
    ref = photo if isinstance(photo, InputRef) else InputRef(path=photo)
    request = EditRequest(
        "put a red cup there",
        [ref],
        model,
        {"output_format": "png", **(params or {})},
        mask_path=mask if isinstance(mask, Path) else None,
        mask_image=mask if isinstance(mask, Image.Image) else None,
        parent=parent,
    )
    outcome = service(hub, tmp_path, store).run(
        request, options=RunOptions(steps=[step, *more_steps])
    )
    return outcome, step


def opened(path: Path) -> Image.Image:
    with Image.open(path) as img:
        img.load()
        return img.copy()


def differs(a: Image.Image, b: Image.Image) -> Image.Image:
    """'L': 255 wherever *a* and *b* differ in any channel."""
    diff = ImageChops.difference(a.convert("RGBA"), b.convert("RGBA"))
    r, g, bl, al = diff.split()
    both = ImageChops.lighter(ImageChops.lighter(r, g), ImageChops.lighter(bl, al))
    return both.point(lambda v: 255 if v else 0)


def reach_of(mask: Image.Image, feather: int) -> Image.Image:
    """Where paste-back may write: the mask grown by the feather's full reach (+1 px)."""
    grown = mask.filter(ImageFilter.GaussianBlur(max(feather, 1)))
    grown = grown.point(lambda v: 255 if v else 0)
    return grown.filter(ImageFilter.MaxFilter(5))


def mean_in(img: Image.Image, where: Image.Image) -> tuple[float, ...]:
    from PIL import ImageStat

    return tuple(ImageStat.Stat(img.convert("RGB"), where).mean)


def shrink(mask: Image.Image, px: int) -> Image.Image:
    return mask.filter(ImageFilter.GaussianBlur(px)).point(lambda v: 255 if v >= 250 else 0)


# -- a small edit in a big photo ------------------------------------------------------------

PHOTO = (2400, 1600)
CUP = (1500, 900, 1740, 1120)


@pytest.fixture(scope="module")
def cup_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("cup")
    original = make_photo(PHOTO)
    path = save(original, tmp / "in" / "photo.png")
    mask = ellipse(PHOTO, CUP)
    hub = FakeHub(port=0, api_key=KEY).start()
    try:
        store = HistoryStore(tmp / "history")
        outcome, step = run(hub, tmp, path, mask, params={"num_images": 2}, store=store)
        (sent,) = hub.edit_requests()
        record = store.get(outcome.run_id)
        store.close()
    finally:
        hub.stop()
    return {
        "original": original,
        "mask": mask,
        "outcome": outcome,
        "plan": step.plan,
        "sent": sent,
        "record": record,
        "results": [opened(r.path) for r in outcome.results],
        "sidecars": [json.loads(r.sidecar.read_text("utf-8")) for r in outcome.results],
    }


def test_the_photo_comes_back_at_its_exact_size(cup_run: dict[str, Any]) -> None:
    assert len(cup_run["results"]) == 2
    for result in cup_run["results"]:
        assert result.size == PHOTO and result.mode == "RGB"


def test_what_was_sent_is_a_crop_around_the_mask_at_the_requested_size(
    cup_run: dict[str, Any],
) -> None:
    sent, plan = cup_run["sent"], cup_run["plan"]
    asked = tuple(int(v) for v in sent.json["resolution"].split("x"))
    # The image and mask the hub received have exactly the requested resolution's size.
    assert sent.input_sizes == [asked] and sent.mask_size == asked
    assert plan.send_size == asked
    # A context crop, not the whole photo squeezed: the region holds the cup with margin.
    r = plan.region
    assert r.w < PHOTO[0] / 3 and r.x < CUP[0] and r.right > CUP[2]
    assert abs(r.w / r.h - asked[0] / asked[1]) < 0.01
    # The mask arrived white where the cup is (polarity: white = edit): as much of it as
    # the cup covers of the region.
    cup = cup_run["mask"].crop(r.box).histogram()[255] / r.area
    assert sent.mask_white_fraction == pytest.approx(cup, abs=0.01)


def test_pixels_away_from_the_mask_are_the_photos_bit_for_bit(cup_run: dict[str, Any]) -> None:
    original, mask = cup_run["original"], cup_run["mask"]
    for result, side in zip(cup_run["results"], cup_run["sidecars"], strict=True):
        allowed = reach_of(mask, side["result"]["feather"])
        outside = ImageChops.subtract(differs(result, original), allowed)
        assert outside.getbbox() is None
        # …and the edit is confined to the mask's box grown by the feather's reach.
        reach = feather_support(side["result"]["feather"]) + 1
        box = (CUP[0] - reach, CUP[1] - reach, CUP[2] + reach, CUP[3] + reach)
        changed_box = differs(result, original).getbbox()
        assert changed_box is not None
        assert changed_box[0] >= box[0] and changed_box[1] >= box[1]
        assert changed_box[2] <= box[2] and changed_box[3] <= box[3]


def test_pixels_inside_the_mask_show_the_models_edit(cup_run: dict[str, Any]) -> None:
    original, mask = cup_run["original"], cup_run["mask"]
    core = shrink(mask, 12)
    for index, result in enumerate(cup_run["results"]):
        tint = hub_images.tint_color(index)
        got, was = mean_in(result, core), mean_in(original, core)
        # The fake model blends 60 % of the way to its tint: the composite moved that way.
        for c in range(3):
            expected = was[c] + (tint[c] - was[c]) * hub_images.EDIT_STRENGTH
            assert abs(got[c] - expected) < 25, (index, c, got, expected)


def test_the_seam_has_no_step(cup_run: dict[str, Any]) -> None:
    """Just outside the mask the model only redrew the photo (and drifted its colours); after
    placing and colour-matching there is no visible step where the edit meets the photo."""
    original, mask = cup_run["original"], cup_run["mask"]
    side = cup_run["sidecars"][0]
    band = ImageChops.subtract(reach_of(mask, side["result"]["feather"]), mask)
    result = cup_run["results"][0]
    diff = ImageChops.difference(result, original).convert("L")
    hist = diff.histogram(band)
    mean = sum(i * n for i, n in enumerate(hist)) / sum(hist)
    assert mean < 3.0
    assert side["result"]["color_match"] is not None


def test_sidecar_and_history_record_the_region_and_the_models_picture(
    cup_run: dict[str, Any],
) -> None:
    plan, record = cup_run["plan"], cup_run["record"]
    side = cup_run["sidecars"][0]
    assert side["placement"]["plan"] == plan.to_dict()
    assert side["placement"]["photo"]["size"] == list(PHOTO)
    assert side["placement"]["options"]["color_match"] is True
    assert side["result"]["placed"] and side["result"]["size"] == list(PHOTO)
    assert side["result"]["model_size"] == list(plan.send_size)
    # History: the photo (not the crop) and the painted mask as the inputs; each result is
    # the composite with the model's own picture beside it.
    assert record.placement["plan"] == plan.to_dict()
    assert opened(record.input_paths[0]).size == PHOTO
    assert opened(record.mask_path).size == PHOTO
    assert len(record.outputs) == 2
    for saved in cup_run["outcome"].results:  # what the window shows without history
        assert saved.model_output is not None and saved.composite is None
        assert Image.open(io.BytesIO(saved.model_output)).size == plan.send_size
        assert saved.info["placed"] is True
    for out in record.outputs:
        assert opened(out.path).size == PHOTO
        assert out.model_path is not None and opened(out.model_path).size == plan.send_size
        assert out.info["placed"] is True


# -- every shape ----------------------------------------------------------------------------

SHAPES = {
    "4:3": (800, 600),
    "1:1": (600, 600),
    "2:3": (400, 600),
    "16:9": (960, 540),
    "3:2": (900, 600),
    "4:5": (480, 600),
    "21:9": (1260, 540),
    "1x10 strip": (60, 600),
}


def marker_photo(size: tuple[int, int]) -> Image.Image:
    """Flat grey with black dots near the corners: where each lands shows any shift."""
    img = Image.new("RGB", size, (128, 128, 128))
    draw = ImageDraw.Draw(img)
    w, h = size
    r = max(2, min(w, h) // 20)
    for fx, fy in ((0.2, 0.2), (0.8, 0.2), (0.2, 0.8), (0.8, 0.8)):
        cx, cy = round(fx * w), round(fy * h)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(0, 0, 0))
    return img


@pytest.mark.parametrize("model", [EDIT, GPT2], ids=["wxh", "aspect-tier"])
@pytest.mark.parametrize("shape", list(SHAPES))
def test_every_shape_maps_back_exactly(
    shape: str, model: Any, fake_hub: FakeHub, tmp_path: Path
) -> None:
    size = SHAPES[shape]
    original = marker_photo(size)
    path = save(original, tmp_path / "in" / "photo.png")
    # A mask over the middle: everything outside the mask and its feather is the photo's
    # own, so the dots are exactly where they were; the request had the asked-for shape.
    mask = Image.new("L", size, 0)
    w, h = size
    mask.paste(255, (w * 2 // 5, h * 2 // 5, w * 3 // 5, h * 3 // 5))
    outcome, step = run(fake_hub, tmp_path, path, mask, model=model)
    (result,) = [opened(r.path) for r in outcome.results]
    assert result.size == size
    side = json.loads(outcome.results[0].sidecar.read_text("utf-8"))
    allowed = reach_of(mask, side["result"]["feather"])
    assert ImageChops.subtract(differs(result, original), allowed).getbbox() is None
    (sent,) = fake_hub.edit_requests()
    assert step.plan is not None
    assert sent.input_sizes[0] == sent.mask_size == step.plan.send_size
    assert sent.output_size == step.plan.send_size  # what the hub made: what was asked

    # No mask: the whole picture, at the photo's shape (any padding removed), resampled to
    # the photo's size on request — the dots where they were, to within a pixel.
    outcome, step = run(
        fake_hub,
        tmp_path,
        path,
        None,
        model=model,
        options=PlacementOptions(scale_to_original=True),
    )
    whole = opened(outcome.results[0].path)
    assert whole.size == size
    dots = ImageOps.invert(original.convert("L")).point(lambda v: 255 if v > 100 else 0)
    got = ImageOps.invert(whole.convert("L")).point(lambda v: 255 if v > 100 else 0)
    assert got.getbbox() is not None and dots.getbbox() is not None
    for a, b in zip(got.getbbox(), dots.getbbox(), strict=True):  # type: ignore[arg-type]
        assert abs(a - b) <= max(2, round(step.plan.photo_size[0] / step.plan.send_size[0]) + 1)
    native, _ = run(fake_hub, tmp_path, path, None, model=model)
    at_model = opened(native.results[0].path)
    assert abs(at_model.width / at_model.height - w / h) < 0.03 * w / h + 1 / at_model.height


# -- every kind of original ---------------------------------------------------------------------


def jpeg(img: Image.Image, path: Path, **kw: Any) -> Path:
    return save(img, path, format="JPEG", quality=95, **kw)


def _masked_run(
    hub: FakeHub, tmp_path: Path, path: Path, **kw: Any
) -> tuple[Image.Image, Image.Image, Image.Image, dict[str, Any]]:
    """Edit the middle of *path*; returns (upright original, mask, result, sidecar)."""
    upright = decode_image(path.read_bytes(), path.name).image
    w, h = upright.size
    mask = ellipse(upright.size, (w * 2 // 5, h * 2 // 5, w * 3 // 5, h * 3 // 5))
    outcome, _step = run(hub, tmp_path, path, mask, **kw)
    result = outcome.results[0]
    side = json.loads(result.sidecar.read_text("utf-8"))
    return upright, mask, opened(result.path), side


def _unchanged_outside(
    original: Image.Image, result: Image.Image, mask: Image.Image, side: Any
) -> None:
    allowed = reach_of(mask, side["result"]["feather"])
    assert ImageChops.subtract(differs(result, original), allowed).getbbox() is None


def test_an_exif_rotated_photo_comes_back_upright_with_its_exif_and_gps_as_asked(
    fake_hub: FakeHub, tmp_path: Path
) -> None:
    upright = make_photo((400, 600))
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 6
    exif[0x010F] = "Retouch Camera"
    gps = exif.get_ifd(EXIF_GPS_IFD)
    gps[1] = "N"
    gps[2] = (48.0, 51.0, 24.0)
    path = jpeg(
        upright.transpose(Image.Transpose.ROTATE_90),
        tmp_path / "in" / "rot.jpg",
        exif=exif.tobytes(),
    )
    for keep_gps in (True, False):
        original, mask, result, side = _masked_run(
            fake_hub, tmp_path, path, options=PlacementOptions(keep_gps=keep_gps)
        )
        assert result.size == (400, 600)  # upright: the stored 600×400 turned
        _unchanged_outside(original, result, mask, side)
        tags = Image.open(io.BytesIO(side_path(tmp_path, side).read_bytes())).getexif()
        assert EXIF_ORIENTATION not in tags and tags.get(0x010F) == "Retouch Camera"
        assert bool(tags.get_ifd(EXIF_GPS_IFD)) is keep_gps


def side_path(tmp_path: Path, side: dict[str, Any]) -> Path:
    return tmp_path / "out" / side["file"]


def test_a_cmyk_photo_comes_back_as_rgb(fake_hub: FakeHub, tmp_path: Path) -> None:
    path = jpeg(make_photo((500, 400)).convert("CMYK"), tmp_path / "in" / "cmyk.jpg")
    original, mask, result, side = _masked_run(fake_hub, tmp_path, path)
    assert result.mode == "RGB" and result.size == (500, 400)
    _unchanged_outside(original, result, mask, side)


def test_a_16_bit_photo_comes_back_8_bit_full_size_not_clipped(
    fake_hub: FakeHub, tmp_path: Path
) -> None:
    grey16 = Image.linear_gradient("L").resize((512, 384)).point(lambda v: v * 257, "I")
    path = save(grey16.convert("I;16"), tmp_path / "in" / "deep.png")
    original, mask, result, side = _masked_run(fake_hub, tmp_path, path)
    assert result.size == (512, 384) and result.mode == "RGB"
    low, high = result.convert("L").getextrema()
    assert low < 30 and high > 200
    _unchanged_outside(original, result, mask, side)


def test_a_photo_with_transparency_keeps_its_alpha_outside_the_mask(
    fake_hub: FakeHub, tmp_path: Path
) -> None:
    rgba = make_photo((600, 400)).convert("RGBA")
    alpha = Image.new("L", rgba.size, 255)
    ImageDraw.Draw(alpha).rectangle((0, 0, 150, 400), fill=0)  # a transparent left strip
    rgba.putalpha(alpha)
    path = save(rgba, tmp_path / "in" / "cutout.png")
    original, mask, result, side = _masked_run(fake_hub, tmp_path, path)
    assert result.mode == "RGBA" and result.size == (600, 400)
    _unchanged_outside(original, result, mask, side)
    assert result.getchannel("A").crop((0, 0, 150, 400)).getextrema() == (0, 0)


def test_an_icc_tagged_photo_keeps_its_profile(fake_hub: FakeHub, tmp_path: Path) -> None:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    path = save(make_photo((640, 480)), tmp_path / "in" / "tagged.png", icc_profile=profile)
    original, mask, result, side = _masked_run(fake_hub, tmp_path, path)
    assert result.info.get("icc_profile") == profile
    _unchanged_outside(original, result, mask, side)


# -- gpt-image-2: aspect ratio + tier ---------------------------------------------------------


def test_gpt_image_2_is_asked_for_an_aspect_ratio_and_a_tier(
    fake_hub: FakeHub, tmp_path: Path
) -> None:
    size = (2100, 900)  # 21:9
    original = make_photo(size)
    path = save(original, tmp_path / "in" / "wide.png")
    mask = Image.new("L", size, 0)
    mask.paste(255, (100, 300, 2000, 600))  # a wide band: a 21:9 region
    outcome, step = run(fake_hub, tmp_path, path, mask, model=GPT2)
    (sent,) = fake_hub.edit_requests()
    assert step.plan is not None
    assert sent.json["aspect_ratio"] == step.plan.params["aspect_ratio"] == "21:9"
    assert sent.json["resolution"] == step.plan.params["resolution"]
    assert sent.input_sizes[0] == sent.output_size == step.plan.send_size
    assert opened(outcome.results[0].path).size == size
    # An explicit tier and aspect are used as given.
    outcome, step = run(
        fake_hub,
        tmp_path,
        path,
        mask,
        model=GPT2,
        params={"resolution": "1K", "aspect_ratio": "16:9"},
    )
    sent = fake_hub.edit_requests()[-1]
    assert (sent.json["aspect_ratio"], sent.json["resolution"]) == ("16:9", "1K")
    assert sent.input_sizes[0] == (1536, 864)
    assert opened(outcome.results[0].path).size == size


# -- what is saved, what history keeps --------------------------------------------------------


def test_output_model_saves_the_models_picture_and_history_keeps_both(
    fake_hub: FakeHub, tmp_path: Path
) -> None:
    path = save(make_photo((1200, 800)), tmp_path / "in" / "photo.png")
    mask = ellipse((1200, 800), (500, 300, 700, 500))
    store = HistoryStore(tmp_path / "history")
    outcome, step = run(
        fake_hub, tmp_path, path, mask, options=PlacementOptions(output="model"), store=store
    )
    assert step.plan is not None
    saved = opened(outcome.results[0].path)
    assert saved.size == step.plan.send_size  # the model's own picture
    composite = outcome.results[0].composite
    assert composite is not None and outcome.results[0].model_output is None
    assert Image.open(io.BytesIO(composite)).size == (1200, 800)
    record = store.get(outcome.run_id)
    assert record is not None
    (out,) = record.outputs
    assert opened(out.path).size == (1200, 800)  # the composite, for the window's toggle
    assert out.model_path is not None
    assert out.model_path.read_bytes() == outcome.results[0].path.read_bytes()
    store.close()


def test_use_as_input_records_the_lineage(fake_hub: FakeHub, tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history")
    path = save(make_photo((900, 600)), tmp_path / "in" / "photo.png")
    first, _ = run(fake_hub, tmp_path, path, ellipse((900, 600), (300, 200, 450, 350)), store=store)
    result = first.results[0].path
    second, _ = run(
        fake_hub,
        tmp_path,
        result,
        ellipse((900, 600), (500, 250, 650, 400)),
        store=store,
        parent=ResultRef(first.run_id, 0),
    )
    third, _ = run(
        fake_hub,
        tmp_path,
        second.results[0].path,
        None,
        store=store,
        parent=ResultRef(second.run_id, 0),
    )
    chain = [r.id for r in store.lineage(third.run_id)]
    assert chain == [first.run_id, second.run_id, third.run_id]
    assert [r.id for r in store.children(first.run_id)] == [second.run_id]
    rec = store.get(second.run_id)
    assert rec is not None and (rec.parent_run, rec.parent_index) == (first.run_id, 0)
    side = json.loads(second.results[0].sidecar.read_text("utf-8"))
    assert side["parent"] == {"run_id": first.run_id, "index": 0}
    # A deleted parent ends the chain there, nothing fails.
    store.delete(first.run_id)
    assert [r.id for r in store.lineage(third.run_id)] == [second.run_id, third.run_id]
    store.close()


def test_a_model_picture_of_another_shape_is_kept_as_it_came(
    fake_hub: FakeHub, tmp_path: Path
) -> None:
    class AskAnotherShape(EditStep):  # as if the model had answered in another shape
        def before(self, request: EditRequest) -> EditRequest:
            request.params["resolution"] = "1024x1536"
            return request

    path = save(make_photo((800, 600)), tmp_path / "in" / "photo.png")
    mask = ellipse((800, 600), (300, 200, 500, 400))
    outcome, _ = run(fake_hub, tmp_path, path, mask, more_steps=(AskAnotherShape(),))
    (saved,) = outcome.results
    assert opened(saved.path).size == (1024, 1536)  # paid for: kept, not lost
    assert any("cannot be placed back" in n for n in outcome.notes)
    side = json.loads(saved.sidecar.read_text("utf-8"))
    assert side["result"]["placed"] is False


# -- bad input: a clear message, nothing sent ---------------------------------------------------


@pytest.mark.parametrize(
    ("mask", "options", "says"),
    [
        (Image.new("L", (800, 600), 0), PlacementOptions(), "The mask is all black"),
        (Image.new("L", (100, 100), 255), PlacementOptions(), "their shapes differ"),
        (None, PlacementOptions(region=Rect(900, 700, 50, 50)), "lies outside the image"),
        (None, PlacementOptions(region=Rect(10, 10, 3, 3)), "is too small"),
        (
            ellipse((800, 600), (50, 50, 150, 150)),
            PlacementOptions(region=Rect(500, 300, 200, 200)),
            "The mask lies entirely outside the region",
        ),
    ],
    ids=[
        "all-black-mask",
        "mask-other-shape",
        "region-outside",
        "region-tiny",
        "mask-not-in-region",
    ],
)
def test_bad_input_is_refused_before_anything_is_sent(
    mask: Image.Image | None,
    options: PlacementOptions,
    says: str,
    fake_hub: FakeHub,
    tmp_path: Path,
) -> None:
    path = save(make_photo((800, 600)), tmp_path / "in" / "photo.png")
    with pytest.raises(E.InputError, match=says):
        run(fake_hub, tmp_path, path, mask, options=options)
    assert fake_hub.requests == [] or not fake_hub.edit_requests()


def test_a_resolution_the_model_lacks_is_refused_with_its_choices(
    fake_hub: FakeHub, tmp_path: Path
) -> None:
    path = save(make_photo((800, 600)), tmp_path / "in" / "photo.png")
    with pytest.raises(E.ValidationError, match="Resolution must be Auto or one of: 1024x768"):
        run(fake_hub, tmp_path, path, params={"resolution": "999x999"})
    assert not fake_hub.edit_requests()


def test_cancel_while_planning_sends_nothing(fake_hub: FakeHub, tmp_path: Path) -> None:
    path = save(make_photo((800, 600)), tmp_path / "in" / "photo.png")
    token = CancelToken()
    step = PlacementStep()

    def progress(p: Any) -> None:
        if p.message.startswith("Planning"):
            token.cancel()

    request = EditRequest("x", [InputRef(path=path)], EDIT, {})
    with pytest.raises(E.CancelledError):
        service(fake_hub, tmp_path).run(
            request, cancel=token, progress=progress, options=RunOptions(steps=[step])
        )
    assert not fake_hub.edit_requests()


def test_auto_stays_in_the_standard_tier_unless_high_res_is_allowed() -> None:
    size = (6000, 3400)
    mask = Image.new("L", size, 0)
    mask.paste(255, (500, 300, 5500, 3100))  # a big 16:9 edit: more pixels than 1920x1080
    standard = plan_request(size, mask, EDIT, {})
    assert standard.send_size == (1920, 1080) and standard.price.tier == "standard"
    high = plan_request(
        size, mask, EDIT, {"resolution": "auto"}, PlacementOptions(allow_high_res=True)
    )
    assert high.send_size == (3840, 2160) and high.price.tier == "high-res"
    assert (high.price.dollars or 0) > (standard.price.dollars or 0)
    # A small edit needs no more than the smallest size, allowed or not.
    small = Image.new("L", size, 0)
    small.paste(255, (3000, 1500, 3200, 1650))
    assert (
        plan_request(size, small, EDIT, {}, PlacementOptions(allow_high_res=True)).send_size[0]
        <= 1024
    )


def test_a_queued_run_collected_by_a_later_session_is_placed_back(
    fake_hub: FakeHub, tmp_path: Path
) -> None:
    """The photo, mask and options history kept rebuild the step; nothing is resent."""
    from retouch.core.hub_client import HubClient
    from retouch.core.placement import resume_step

    size = (1200, 800)
    path = save(make_photo(size), tmp_path / "in" / "photo.png")
    mask = ellipse(size, (500, 300, 700, 500))
    with HistoryStore(tmp_path / "history") as store:
        svc = EditService(
            HubProfile.fixed(fake_hub.base_url, KEY, output_dir=tmp_path / "out"),
            recorder=store,
            poll_interval=0.01,
        )
        step = PlacementStep(PlacementOptions(feather=7))
        request = EditRequest("a cup", [InputRef(path=path)], EDIT, {}, mask_image=mask)
        first = svc.run(request, options=RunOptions(use_queue=True, steps=[step]))
        done = store.get(first.run_id)
        assert done is not None and done.placement is not None
        # The same run as an earlier session would have left it: queued, never collected.
        (queued,) = fake_hub.queue_requests()
        with HubClient(fake_hub.base_url, KEY) as client:
            ids = client.queue_submit(queued.json)
        run_id = store.begin_run(
            model=done.model,
            prompt=done.prompt,
            params=done.params,
            inputs=[done.input_paths[0].read_bytes()],
            input_names=done.input_names,
            mask=done.mask_path.read_bytes() if done.mask_path else None,
            estimated_cost=None,
            mode="queue",
            placement=done.placement,
        )
        store.set_generation_ids(run_id, ids)
        store.leave_for_later(run_id)  # as the earlier session left it (killed, or kept)
        pending = store.get(run_id)
        assert pending is not None
        sent = len(fake_hub.queue_requests()) + len(fake_hub.edit_requests())
        rebuilt = resume_step(pending, EDIT)
        assert rebuilt is not None and rebuilt.plan is not None
        assert rebuilt.plan.region == step.plan.region  # type: ignore[union-attr]
        assert rebuilt.options.feather == 7
        resumed = svc.resume(pending, steps=[rebuilt])
        assert len(fake_hub.queue_requests()) + len(fake_hub.edit_requests()) == sent
        (result,) = resumed.results
        assert opened(result.path).size == size and result.model_output is not None
        side = json.loads(result.sidecar.read_text("utf-8"))
        assert side["resumed"] is True and side["result"]["feather"] == 7
        assert side["placement"] == done.placement
        # A record whose plan no longer matches what would be planned is not placed back.
        pending.placement = {
            **done.placement,
            "plan": {**done.placement["plan"], "region": [0, 0, 1, 1]},
        }
        assert resume_step(pending, EDIT) is None
