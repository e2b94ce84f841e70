"""Draw the sample images shipped in resources/samples (no downloaded assets)."""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

HERE = Path(__file__).resolve().parent


def landscape(size: tuple[int, int] = (1600, 1000), seed: int = 7) -> Image.Image:
    w, h = size
    rnd = random.Random(seed)
    img = Image.new("RGB", size)
    px = ImageDraw.Draw(img)
    horizon = int(h * 0.58)
    for y in range(horizon):  # sky: deep blue to warm haze
        t = y / horizon
        px.line([(0, y), (w, y)], fill=(int(40 + 200 * t), int(90 + 120 * t), int(170 + 40 * t)))
    px.ellipse((w * 0.68, h * 0.16, w * 0.78, h * 0.16 + w * 0.1), fill=(255, 236, 180))
    for layer, (colour, amp, base) in enumerate(
        [((92, 110, 140), 0.16, 0.50), ((60, 82, 96), 0.12, 0.56), ((38, 62, 58), 0.08, 0.62)]
    ):
        phase = rnd.random() * 6
        pts = [(0, h)]
        for x in range(0, w + 20, 20):
            y = h * base - h * amp * (
                0.6 * math.sin(x / w * 5 + phase) + 0.4 * math.sin(x / w * 13 + layer)
            )
            pts.append((x, int(y)))
        pts.append((w, h))
        px.polygon(pts, fill=colour)
    for y in range(int(h * 0.7), h):  # lake
        t = (y - h * 0.7) / (h * 0.3)
        px.line([(0, y), (w, y)], fill=(int(70 - 30 * t), int(110 - 40 * t), int(140 - 40 * t)))
    for _ in range(60):  # glints
        x, y = rnd.randrange(w), rnd.randrange(int(h * 0.72), h)
        px.line([(x, y), (x + rnd.randrange(8, 40), y)], fill=(210, 220, 230), width=1)
    px.rectangle((w * 0.18, h * 0.62, w * 0.26, h * 0.70), fill=(150, 60, 40))  # a cabin
    px.polygon(
        [(w * 0.17, h * 0.62), (w * 0.22, h * 0.56), (w * 0.27, h * 0.62)], fill=(90, 40, 30)
    )
    return img.filter(ImageFilter.SMOOTH)


if __name__ == "__main__":
    landscape().save(HERE / "lake.jpg", quality=90)
    landscape((1024, 1024), seed=3).save(HERE / "mountains.png")
    print("written", HERE)
