"""Helpers for the fake hub tests: an authenticated httpx client and tiny test images."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Iterator

import httpx
import pytest
from PIL import Image

KEY = "test-key"  # the key tests/conftest.py's fake_hub accepts


def encode_png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def client(fake_hub) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=fake_hub.base_url,
        headers={"Authorization": f"Bearer {KEY}"},
        timeout=30,
    ) as c:
        yield c


@pytest.fixture
def data_uri() -> Callable[..., str]:
    """data_uri(size=(64, 48), color=(128, 128, 128), mode="RGB") -> a PNG data URI."""

    def make(size=(64, 48), color=(128, 128, 128), mode="RGB", img=None) -> str:
        im = img if img is not None else Image.new(mode, size, color)
        return "data:image/png;base64," + base64.b64encode(encode_png(im)).decode("ascii")

    return make


@pytest.fixture
def half_mask_uri() -> Callable[..., str]:
    """A mask whose left half is white (edit) and right half black (keep)."""

    def make(size=(64, 48), mode="L") -> str:
        mask = Image.new("L", size, 0)
        mask.paste(255, (0, 0, size[0] // 2, size[1]))
        if mode != "L":
            mask = mask.convert(mode)
        return "data:image/png;base64," + base64.b64encode(encode_png(mask)).decode("ascii")

    return make
