"""The committed app icons: every size present and right, and what make_icons.py draws."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

REPO = Path(__file__).resolve().parents[2]
ICONS = REPO / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)


def _load_make_icons():
    spec = importlib.util.spec_from_file_location(
        "make_icons", REPO / "packaging" / "make_icons.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("size", PNG_SIZES)
def test_png_sizes_and_shape(size: int) -> None:
    with Image.open(ICONS / f"retouch-{size}.png") as img:
        assert img.format == "PNG"
        assert img.size == (size, size)
        assert img.mode == "RGBA"
        alpha = img.getchannel("A")
        # Transparent corners (rounded tile), opaque middle.
        assert alpha.getpixel((0, 0)) < 40
        assert alpha.getpixel((size - 1, size - 1)) < 40
        assert alpha.getpixel((size // 2, size // 2)) == 255
        # Not a flat blob: real contrast even at 16 px.
        stat = ImageStat.Stat(img.convert("L"), mask=alpha.point(lambda a: 255 if a > 250 else 0))
        assert stat.stddev[0] > 25


def test_ico_has_every_windows_size() -> None:
    with Image.open(ICONS / "retouch.ico") as ico:
        assert ico.format == "ICO"
        sizes = set(ico.info["sizes"])
    assert {(s, s) for s in (16, 24, 32, 48, 64, 128, 256)} <= sizes


def test_icns_opens_at_1024() -> None:
    with Image.open(ICONS / "retouch.icns") as icns:
        assert icns.format == "ICNS"
        assert icns.size == (1024, 1024)
        icns.load()
        assert icns.getchannel("A").getpixel((512, 512)) == 255


@pytest.mark.parametrize("size", [16, 32])
def test_generator_matches_committed_icons(size: int) -> None:
    """make_icons.py still draws what is committed (re-run it after changing the artwork)."""
    make_icons = _load_make_icons()
    drawn = make_icons.render(size)
    with Image.open(ICONS / f"retouch-{size}.png") as committed:
        diff = ImageChops.difference(drawn, committed.convert("RGBA"))
    assert max(ImageStat.Stat(diff).mean) < 2.0


def test_generator_writes_all_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_icons = _load_make_icons()
    # Rendering 1024 px takes seconds; stand in a cheap drawing for the big sizes.
    real_render = make_icons.render
    monkeypatch.setattr(
        make_icons,
        "render",
        lambda size: real_render(size) if size <= 32 else Image.new("RGBA", (size, size), "red"),
    )
    assert make_icons.main(["--out", str(tmp_path)]) == 0
    names = {p.name for p in tmp_path.iterdir()}
    assert {f"retouch-{s}.png" for s in PNG_SIZES} | {"retouch.ico", "retouch.icns"} <= names
