"""Test pictures for the benchmarks: photo-like (gradients, shapes, grain), so that encoded
sizes and decode times resemble real photographs rather than flat colour."""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter


def photo(size: tuple[int, int], seed: int) -> Image.Image:
    rng = random.Random(seed)
    w, h = size
    # A smooth two-colour gradient, blurred shapes, then sensor-like grain.
    top = tuple(rng.randrange(40, 220) for _ in range(3))
    bottom = tuple(rng.randrange(20, 200) for _ in range(3))
    ramp = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    img = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), ramp)
    draw = ImageDraw.Draw(img)
    for _ in range(14):
        x, y = rng.randrange(w), rng.randrange(h)
        r = rng.randrange(h // 20, h // 4)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    img = img.filter(ImageFilter.GaussianBlur(6))
    grain = Image.effect_noise(size, 18).convert("RGB")
    return Image.blend(img, grain, 0.3)


def write_photos(folder: Path, count: int, size: tuple[int, int], fmt: str) -> list[Path]:
    """*count* different photo-like files (made once from two sources, then varied cheaply)."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = [photo(size, seed) for seed in range(min(count, 2))]
    paths = []
    ext = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[fmt]
    for i in range(count):
        img = sources[i % len(sources)]
        if i >= len(sources):  # every file different, so no decoder or OS cache is shared
            img = img.rotate(180 * (i % 2), expand=False).point(lambda v, k=i: (v + 3 * k) % 256)
        path = folder / f"photo-{i:02d}.{ext}"
        if fmt == "JPEG":
            img.save(path, "JPEG", quality=90)
        elif fmt == "PNG":
            img.save(path, "PNG", compress_level=3)
        else:
            img.save(path, fmt)
        paths.append(path)
    return paths
