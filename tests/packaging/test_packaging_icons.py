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


def _icns_chunks(path: Path) -> dict[bytes, bytes]:
    import struct

    data = path.read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    chunks, pos = {}, 8
    while pos < len(data):
        kind, length = data[pos : pos + 4], struct.unpack(">I", data[pos + 4 : pos + 8])[0]
        chunks[kind] = data[pos + 8 : pos + length]
        pos += length
    assert pos == len(data)
    return chunks


def test_icns_has_every_slot_including_16_and_32_px() -> None:
    """Finder's list view and the small Dock sizes use the 16/32 px (1x) slots icp4/icp5."""
    import io

    chunks = _icns_chunks(ICONS / "retouch.icns")
    expected = {
        b"icp4": 16, b"icp5": 32, b"icp6": 64, b"ic07": 128, b"ic08": 256, b"ic09": 512,
        b"ic10": 1024, b"ic11": 32, b"ic12": 64, b"ic13": 256, b"ic14": 512,
    }  # fmt: skip
    assert set(chunks) == set(expected)
    for kind, size in expected.items():
        with Image.open(io.BytesIO(chunks[kind])) as img:
            assert img.format == "PNG" and img.size == (size, size), kind
    # The small slots hold the simplified small drawing, the same as the committed PNGs.
    for kind, size in ((b"icp4", 16), (b"icp5", 32)):
        with (
            Image.open(io.BytesIO(chunks[kind])) as img,
            Image.open(ICONS / f"retouch-{size}.png") as png,
        ):
            diff = ImageChops.difference(img.convert("RGBA"), png.convert("RGBA"))
            assert max(ImageStat.Stat(diff).mean) < 1.0
