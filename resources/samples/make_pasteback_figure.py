"""Draw README's before/after of a small edit in a large photo (issue 12's paste-back).

    .venv/bin/python resources/samples/make_pasteback_figure.py

A 6000×3750 photo from ``make_samples.landscape`` with a mask over its cabin goes through the
edit service and the placement step against the fake hub, in-process: only the region around
the cabin is sent, and the fake model's picture (which, like a real model's, redraws the
whole picture and drifts its colours) is placed back into the photo. The figure shows the
photo with the region sent, the model's own picture, the same crop of the photo before and
after at 100 %, and where the saved file differs from the photo. Only the figure is written
(to ``resources/screenshots/pasteback.png``, well under 1 MB); the large photo is not kept.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = ROOT / "resources" / "screenshots" / "pasteback.png"
SIZE = (6000, 3750)
PANEL = 560  # px per panel edge


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in ("DejaVuSans.ttf", "Arial.ttf", "LiberationSans-Regular.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default()


def _fit(img: Image.Image, edge: int = PANEL) -> Image.Image:
    scale = edge / max(img.size)
    return img.resize(
        (max(1, round(img.width * scale)), max(1, round(img.height * scale))),
        Image.Resampling.LANCZOS,
    )


def main() -> int:
    sys.path.insert(0, str(ROOT / "desktop"))
    sys.path.insert(0, str(HERE))
    from make_samples import landscape

    from retouch.core.edit_service import EditService, RunOptions
    from retouch.core.history import HistoryStore
    from retouch.core.placement import PlacementStep
    from retouch.core.profile import HubProfile
    from retouch.core.request import EditRequest, InputRef
    from retouch.core.schema import builtin_model
    from retouch.fakehub import FakeHub

    photo = landscape(SIZE)
    w, h = SIZE
    cabin = (int(w * 0.175), int(h * 0.555), int(w * 0.275), int(h * 0.705))
    mask = Image.new("L", SIZE, 0)
    ImageDraw.Draw(mask).rectangle(cabin, fill=255)
    hub = FakeHub(port=0, api_key="demo").start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "lake.png"
            photo.save(src, compress_level=1)
            step = PlacementStep()
            history = HistoryStore(Path(tmp) / "history")
            outcome = EditService(
                HubProfile.fixed(hub.base_url, "demo", output_dir=Path(tmp) / "out"),
                recorder=history,
            ).run(
                EditRequest(
                    "a red boathouse",
                    [InputRef(path=src)],
                    builtin_model(),
                    {"output_format": "png"},
                    mask_image=mask,
                ),
                options=RunOptions(steps=[step]),
            )
            with Image.open(outcome.results[0].path) as saved:
                result = saved.convert("RGB")
            record = history.get(outcome.run_id)
            assert record is not None and record.outputs[0].model_path is not None
            with Image.open(record.outputs[0].model_path) as picture:
                model = picture.convert("RGB")
            history.close()
    finally:
        hub.stop()
    plan = step.plan
    assert plan is not None and result.size == SIZE

    font = _font(18)
    overview = _fit(photo)
    scale = overview.width / w
    draw = ImageDraw.Draw(overview)
    r = plan.content
    draw.rectangle(
        (r.x * scale, r.y * scale, r.right * scale, r.bottom * scale),
        outline=(255, 210, 0),
        width=3,
    )
    crop_box = (r.x, r.y, r.right, r.bottom)
    before = _fit(photo.crop(crop_box))
    after = _fit(result.crop(crop_box))
    changed = ImageChops.difference(result, photo).convert("L").point(lambda v: 255 if v else 0)
    diff = _fit(Image.merge("RGB", (changed, changed, changed)), PANEL)

    rows = [
        [
            (overview, f"The photo, {w}×{h}: only the yellow box is sent"),
            (diff, f"Pixels that differ in the saved {w}×{h} file (white)"),
        ],
        [
            (before, f"Before: the box, {r.w}×{r.h} px of the photo"),
            (_fit(model), f"The model's {model.width}×{model.height}: all redrawn"),
            (after, "After: placed back, colour-matched, feathered"),
        ],
    ]
    pad, label = 16, 34
    width = max(pad + sum(p.width + pad for p, _ in row) for row in rows)
    heights = [max(p.height for p, _ in row) + label + pad for row in rows]
    canvas = Image.new("RGB", (width, pad + sum(heights)), (246, 246, 248))
    draw = ImageDraw.Draw(canvas)
    y = pad
    for row, row_h in zip(rows, heights, strict=True):
        x = pad
        for img, text in row:
            canvas.paste(img, (x, y + label))
            draw.text((x, y + 6), text, fill=(30, 30, 36), font=font)
            x += img.width + pad
        y += row_h
    canvas = canvas.convert("P", palette=Image.Palette.ADAPTIVE, colors=256)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    canvas.save(OUT, optimize=True)
    print(f"written {OUT} ({OUT.stat().st_size // 1024} KB); plan: {plan.label()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
