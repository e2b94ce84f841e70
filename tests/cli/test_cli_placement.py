"""``retouch edit`` and ``retouch batch`` place results back into the photo (issue 12): real
subprocesses against the fake hub, real pixels in the files they write."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PIL import Image, ImageChops, ImageDraw

from retouch.core.photo_meta import EXIF_GPS_IFD
from tests.cli.test_cli_edit import cli_env, retouch

PHOTO = (1600, 1000)
BOX = (1000, 500, 1160, 640)


def photo(path: Path, size: tuple[int, int] = PHOTO, **save: Any) -> Path:
    img = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(img)
    for x in range(0, size[0], 40):
        draw.line((x, 0, x, size[1]), fill=(200, 80, 30), width=3)
    img.save(path, **save)
    return path


def mask(path: Path, size: tuple[int, int] = PHOTO, box: tuple[int, ...] = BOX) -> Path:
    m = Image.new("L", size, 0)
    ImageDraw.Draw(m).ellipse(box, fill=255)
    m.save(path)
    return path


def opened(path: Path) -> Image.Image:
    with Image.open(path) as img:
        img.load()
        return img.copy()


def run_edit(work: Path, hub: Any, data: Path, *args: str) -> tuple[Any, list[Path]]:
    proc = retouch(
        "edit", *args, "--prompt", "a red cup", "--out", str(work / "out"),
        env=cli_env(data, hub), cwd=work,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return proc, [Path(line) for line in proc.stdout.splitlines() if line.strip()]


def sidecar(path: Path) -> dict[str, Any]:
    return json.loads(path.with_name(path.name + ".json").read_text("utf-8"))


def test_edit_writes_the_full_size_composite_by_default(
    hub_env: Any, tmp_path: Path, isolated_env: Path
) -> None:
    photo(tmp_path / "photo.png")
    mask(tmp_path / "m.png")
    proc, (result,) = run_edit(tmp_path, hub_env, isolated_env, "photo.png", "--mask", "m.png")
    composite, original = opened(result), opened(tmp_path / "photo.png")
    assert composite.size == PHOTO
    # Away from the mask (its box grown by the feather's reach), the photo bit for bit.
    feather = sidecar(result)["result"]["feather"]
    reach = 3 * feather + 3
    keep = Image.new("L", PHOTO, 255)
    keep.paste(0, (BOX[0] - reach, BOX[1] - reach, BOX[2] + reach, BOX[3] + reach))
    diff = ImageChops.difference(composite, original).convert("L").point(lambda v: 255 if v else 0)
    assert ImageChops.darker(diff, keep).getbbox() is None
    assert diff.getbbox() is not None  # and the edit is there
    # Before sending, the user was told what goes and what it costs.
    assert "is sent as 1024×" in proc.stderr and "≈ $0.22 per image" in proc.stderr
    (sent,) = hub_env.edit_requests()
    w, h = (int(v) for v in sent.json["resolution"].split("x"))
    assert sent.input_sizes == [(w, h)] and sent.mask_size == (w, h)


def test_output_model_feather_and_colour_match(
    hub_env: Any, tmp_path: Path, isolated_env: Path
) -> None:
    photo(tmp_path / "photo.png")
    mask(tmp_path / "m.png")
    _, (raw,) = run_edit(
        tmp_path, hub_env, isolated_env, "photo.png", "--mask", "m.png", "--output", "model"
    )
    side = sidecar(raw)
    assert opened(raw).size == tuple(side["placement"]["plan"]["output_size"])
    assert side["result"]["saved"] == "model"

    _, (result,) = run_edit(
        tmp_path, hub_env, isolated_env, "photo.png", "--mask", "m.png",
        "--feather", "9", "--no-color-match",
    )  # fmt: skip
    side = sidecar(result)
    assert side["result"]["feather"] == 9 and side["result"]["color_match"] is None
    assert side["placement"]["options"]["color_match"] is False


def test_json_reports_the_plan(hub_env: Any, tmp_path: Path, isolated_env: Path) -> None:
    photo(tmp_path / "photo.png")
    mask(tmp_path / "m.png")
    proc = retouch(
        "edit", "photo.png", "--mask", "m.png", "-p", "x", "--json", "--out", str(tmp_path / "o"),
        env=cli_env(isolated_env, hub_env), cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["plan"]["photo_size"] == list(PHOTO) and doc["plan"]["mode"] == "auto"
    assert doc["output"] == "composite" and "standard price" in doc["plan"]["label"]
    assert opened(Path(doc["results"][0]["path"])).size == PHOTO


def test_whole_region_and_scale_to_original(
    hub_env: Any, tmp_path: Path, isolated_env: Path
) -> None:
    photo(tmp_path / "photo.png")
    mask(tmp_path / "m.png")
    _, (whole,) = run_edit(
        tmp_path, hub_env, isolated_env, "photo.png", "--mask", "m.png", "--region", "whole"
    )
    assert opened(whole).size == PHOTO
    assert sidecar(whole)["placement"]["plan"]["mode"] == "whole"
    # No mask: the whole picture, at the photo's shape; resampled to its size on request.
    _, (native,) = run_edit(tmp_path, hub_env, isolated_env, "photo.png")
    w, h = opened(native).size
    assert abs(w / h - PHOTO[0] / PHOTO[1]) < 0.01 and (w, h) != PHOTO  # the model's pixels
    _, (scaled,) = run_edit(tmp_path, hub_env, isolated_env, "photo.png", "--scale-to-original")
    assert opened(scaled).size == PHOTO


def test_gpt_image_2_takes_aspect_and_tier_from_the_flags(
    hub_env: Any, tmp_path: Path, isolated_env: Path
) -> None:
    photo(tmp_path / "photo.png")
    mask(tmp_path / "m.png")
    _, (result,) = run_edit(
        tmp_path, hub_env, isolated_env, "photo.png", "--mask", "m.png",
        "--model", "gpt-image-2", "--aspect", "16:9", "--resolution", "2K",
    )  # fmt: skip
    (sent,) = hub_env.edit_requests()
    assert (sent.json["aspect_ratio"], sent.json["resolution"]) == ("16:9", "2K")
    assert sent.input_sizes[0] == sent.output_size == (2048, 1152)
    assert opened(result).size == PHOTO


def test_the_gps_setting_applies_to_the_cli(
    hub_env: Any, tmp_path: Path, isolated_env: Path
) -> None:
    exif = Image.Exif()
    exif[0x010F] = "Retouch Camera"
    exif.get_ifd(EXIF_GPS_IFD)[1] = "N"
    photo(tmp_path / "photo.jpg", format="JPEG", quality=95, exif=exif.tobytes())
    mask(tmp_path / "m.png")
    _, (kept,) = run_edit(tmp_path, hub_env, isolated_env, "photo.jpg", "--mask", "m.png")
    assert opened(kept).getexif().get_ifd(EXIF_GPS_IFD)
    isolated_env.mkdir(parents=True, exist_ok=True)
    (isolated_env / "settings.json").write_text(json.dumps({"version": 1, "remove_gps": True}))
    _, (stripped,) = run_edit(tmp_path, hub_env, isolated_env, "photo.jpg", "--mask", "m.png")
    tags = opened(stripped).getexif()
    assert tags.get(0x010F) == "Retouch Camera" and not tags.get_ifd(EXIF_GPS_IFD)


def test_batch_plans_each_image_on_its_own(
    hub_env: Any, tmp_path: Path, isolated_env: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    photo(folder / "wide.png", (1600, 900))
    mask(folder / "wide.mask.png", (1600, 900), (100, 100, 300, 250))
    photo(folder / "tall.png", (600, 1200))
    mask(folder / "tall.mask.png", (600, 1200), (100, 200, 500, 1100))
    proc = retouch(
        "batch", str(folder), "--per-file-masks", "-p", "x", "--yes", "--out", str(tmp_path / "o"),
        env=cli_env(isolated_env, hub_env), cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "tall.png: the region" in proc.stderr and "wide.png: the region" in proc.stderr
    results = {Path(p).name: opened(Path(p)) for p in proc.stdout.split()}
    assert results["wide-1.png"].size == (1600, 900)
    assert results["tall-1.png"].size == (600, 1200)
    sent = sorted((r.input_sizes[0], r.mask_size) for r in hub_env.edit_requests())
    assert all(size == m for size, m in sent)
    assert len({size for size, _ in sent}) == 2  # a small wide edit, a big tall one
    # The tall image's edit is 2:3: the model was asked for 1024x1536.
    assert ((1024, 1536), (1024, 1536)) in sent


def test_batch_refuses_bad_placement_flags_unsent(
    hub_env: Any, tmp_path: Path, isolated_env: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    photo(folder / "a.png", (400, 300))
    proc = retouch(
        "batch", str(folder), "-p", "x", "--yes", "--region", "1,2", "--out", str(tmp_path / "o"),
        env=cli_env(isolated_env, hub_env), cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 2 and "X,Y,WIDTH,HEIGHT" in proc.stderr
    proc = retouch(
        "batch", str(folder), "-p", "x", "--yes", "-r", "5K", "--out", str(tmp_path / "o"),
        env=cli_env(isolated_env, hub_env), cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 2 and "Resolution must be Auto or one of" in proc.stderr
    assert not hub_env.edit_requests()
