"""Draw the Retouch application icon and export it for every platform.

Run from anywhere::

    python packaging/make_icons.py            # writes resources/icons/
    python packaging/make_icons.py --out DIR  # somewhere else (the tests do this)

The artwork is drawn with Pillow only (no downloaded assets): a rounded-square tile with a
violet-to-pink gradient, a white photo card (sun, two mountains, a translucent "mask" brush
stroke) and a four-pointed sparkle breaking out of the card's top-right corner.

Every size is rendered on its own, supersampled and scaled down, so that strokes stay crisp:
sizes up to 48 px use a simplified drawing (no brush stroke or small sparkle, bolder shapes)
which still reads at 16 px. The outputs are committed; the build never runs this script.
"""

from __future__ import annotations

import argparse
import itertools
import math
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
SMALL = 48  # at or below this many pixels the simplified drawing is used

UNIT = 1024.0  # the artwork is described on a 1024 x 1024 grid

# Palette
GRADIENT = ((0.0, (79, 70, 229)), (0.55, (147, 51, 234)), (1.0, (236, 72, 153)))
CARD = (255, 255, 255)
SKY_TOP = (237, 233, 254)
SKY_BOTTOM = (252, 231, 243)
SUN = (251, 176, 36)
MOUNTAIN_BACK = (167, 139, 250)
MOUNTAIN_FRONT = (91, 33, 182)
BRUSH = (236, 72, 153)
SHADOW = (30, 10, 80)

Point = tuple[float, float]


def default_out_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "resources" / "icons"


class Canvas:
    """An RGBA image plus helpers that take coordinates on the 1024 grid."""

    def __init__(self, pixels: int) -> None:
        self.px = pixels
        self.k = pixels / UNIT
        self.image = Image.new("RGBA", (pixels, pixels), (0, 0, 0, 0))

    def s(self, value: float) -> float:
        return value * self.k

    def pts(self, points: Sequence[Point]) -> list[Point]:
        return [(x * self.k, y * self.k) for x, y in points]

    def mask(self) -> Image.Image:
        return Image.new("L", (self.px, self.px), 0)

    def paint(self, mask: Image.Image, color: tuple[int, int, int], opacity: float = 1.0) -> None:
        layer = Image.new("RGBA", self.image.size, (*color, 255))
        layer.putalpha(_scale(mask, opacity))
        self.image.alpha_composite(layer)

    def paint_image(self, rgb: Image.Image, mask: Image.Image) -> None:
        layer = rgb.convert("RGBA")
        layer.putalpha(mask)
        self.image.alpha_composite(layer)


def _scale(mask: Image.Image, opacity: float) -> Image.Image:
    if opacity >= 1.0:
        return mask
    return mask.point(lambda v: round(v * opacity))


def _lut(stops: Sequence[tuple[float, tuple[int, int, int]]]) -> list[list[int]]:
    channels: list[list[int]] = [[], [], []]
    for i in range(256):
        t = i / 255
        for (t0, c0), (t1, c1) in itertools.pairwise(stops):
            if t0 <= t <= t1:
                f = (t - t0) / (t1 - t0) if t1 > t0 else 0.0
                for ch in range(3):
                    channels[ch].append(round(c0[ch] + (c1[ch] - c0[ch]) * f))
                break
    return channels


def gradient(
    px: int, stops: Sequence[tuple[float, tuple[int, int, int]]], diagonal: bool = True
) -> Image.Image:
    """An RGB gradient: top-left to bottom-right when diagonal, else top to bottom."""
    vertical = Image.linear_gradient("L").resize((px, px), Image.Resampling.BILINEAR)
    if diagonal:
        horizontal = vertical.transpose(Image.Transpose.ROTATE_90)
        ramp = ImageChops.add(vertical, horizontal, scale=2.0)
    else:
        ramp = vertical
    luts = _lut(stops)
    return Image.merge("RGB", [ramp.point(lut) for lut in luts])


def superellipse(
    cx: float, cy: float, half: float, n: float = 5.0, steps: int = 720
) -> list[Point]:
    """A squircle, the continuous-curvature tile shape app icons use."""
    pts = []
    for i in range(steps):
        t = 2 * math.pi * i / steps
        c, s = math.cos(t), math.sin(t)
        pts.append(
            (
                cx + half * math.copysign(abs(c) ** (2 / n), c),
                cy + half * math.copysign(abs(s) ** (2 / n), s),
            )
        )
    return pts


def sparkle(
    cx: float, cy: float, radius: float, waist: float = 0.22, steps: int = 240
) -> list[Point]:
    """A four-pointed star with concave sides (a stretched astroid).

    ``waist`` is how far (as a fraction of ``radius``) the sides bulge out at 45 degrees.
    """
    pts = []
    # Astroid-like curve: |x|^p + |y|^p = r^p with p < 1 gives concave sides.
    # p is solved so that the point at 45 degrees sits at waist * radius from the centre.
    p = math.log(2) / math.log(1 / (waist * math.sqrt(2)))
    for i in range(steps):
        t = 2 * math.pi * i / steps
        c, s = math.cos(t), math.sin(t)
        pts.append(
            (
                cx + radius * math.copysign(abs(c) ** (2 / p), c),
                cy + radius * math.copysign(abs(s) ** (2 / p), s),
            )
        )
    return pts


def _poly_mask(cv: Canvas, points: Sequence[Point], grow: float = 0.0) -> Image.Image:
    m = cv.mask()
    d = ImageDraw.Draw(m)
    px = cv.pts(points)
    d.polygon(px, fill=255)
    if grow > 0:
        width = max(1, round(cv.s(grow) * 2))
        d.line([*px, px[0]], fill=255, width=width, joint="curve")
        r = cv.s(grow)
        for x, y in px[:: max(1, len(px) // 48)]:
            d.ellipse((x - r, y - r, x + r, y + r), fill=255)
    return m


def _rrect_mask(cv: Canvas, box: Sequence[float], radius: float) -> Image.Image:
    m = cv.mask()
    ImageDraw.Draw(m).rounded_rectangle([cv.s(v) for v in box], radius=cv.s(radius), fill=255)
    return m


def _stroke_mask(cv: Canvas, path: Sequence[Point], width: float) -> Image.Image:
    """A polyline with round caps and joins."""
    m = cv.mask()
    d = ImageDraw.Draw(m)
    px = cv.pts(path)
    r = cv.s(width) / 2
    d.line(px, fill=255, width=max(1, round(2 * r)), joint="curve")
    for x, y in px:
        d.ellipse((x - r, y - r, x + r, y + r), fill=255)
    return m


def _bezier(p0: Point, p1: Point, p2: Point, p3: Point, steps: int = 64) -> list[Point]:
    out = []
    for i in range(steps + 1):
        t = i / steps
        a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
        out.append(
            (
                a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
                a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1],
            )
        )
    return out


def _brush_mask(cv: Canvas, path: Sequence[Point], width: float) -> Image.Image:
    """A brush mark: round dabs along ``path``, full width in the middle, tapered at both ends."""
    m = cv.mask()
    d = ImageDraw.Draw(m)
    px = cv.pts(path)
    n = len(px) - 1
    for i, (x, y) in enumerate(px):
        t = i / n
        r = cv.s(width) / 2 * max(0.12, min(1.0, 2.6 * t) ** 0.7)
        d.ellipse((x - r, y - r, x + r, y + r), fill=255)
    return m


def render(size: int) -> Image.Image:
    """Render the icon at ``size`` x ``size`` pixels."""
    small = size <= SMALL
    ss = max(4, 512 // size)  # supersampling factor
    cv = Canvas(size * ss)

    # Minimum stroke/feature widths in *output* pixels, converted to grid units, so that
    # small renders get proportionally bolder shapes.
    def at_least(units: float, pixels: float) -> float:
        return max(units, pixels * UNIT / size)

    # 1. Tile: squircle with a diagonal gradient and a soft top highlight.
    margin = 40 if small else 72
    half = UNIT / 2 - margin
    tile = _poly_mask(cv, superellipse(512, 512, half, n=4.6 if small else 5.0))
    if not small:
        shadow = _poly_mask(cv, superellipse(512, 530, half, n=5.0)).filter(
            ImageFilter.GaussianBlur(cv.s(18))
        )
        cv.paint(shadow, SHADOW, 0.35)
    cv.paint_image(gradient(cv.px, GRADIENT), tile)
    glow = cv.mask()
    ImageDraw.Draw(glow).ellipse([cv.s(v) for v in (-260, -420, 760, 470)], fill=255)
    glow = ImageChops.multiply(glow.filter(ImageFilter.GaussianBlur(cv.s(120))), tile)
    cv.paint(glow, (255, 255, 255), 0.16)

    # 2. Photo card with a drop shadow; the sparkle is knocked out of its corner.
    if small:
        card_box = (118, 340, 736, 890)
        card_radius = 70
        inset = at_least(44, 1.2)
    else:
        card_box = (178, 340, 752, 832)
        card_radius = 60
        inset = 40
    spark_c: Point = (770, 268) if small else (782, 286)
    spark_r = 206 if small else 152
    spark = sparkle(*spark_c, spark_r, waist=0.25 if small else 0.2)
    gap = at_least(30, 1.0)
    knock = _poly_mask(cv, spark, grow=gap)
    card = ImageChops.subtract(_rrect_mask(cv, card_box, card_radius), knock)
    if not small:
        drop = _rrect_mask(cv, (card_box[0], card_box[1] + 22, card_box[2], card_box[3] + 22), 60)
        drop = ImageChops.subtract(drop, knock).filter(ImageFilter.GaussianBlur(cv.s(26)))
        cv.paint(ImageChops.multiply(drop, tile), SHADOW, 0.45)
    cv.paint(card, CARD)

    # 3. The photo: sky, sun, two mountains (clipped to the photo window).
    x0, y0, x1, y1 = card_box
    photo_box = (x0 + inset, y0 + inset, x1 - inset, y1 - inset)
    photo = ImageChops.subtract(_rrect_mask(cv, photo_box, max(8, card_radius - inset)), knock)
    sky_rgb = gradient(cv.px, ((0.0, SKY_TOP), (1.0, SKY_BOTTOM)), diagonal=False)
    cv.paint_image(sky_rgb, photo)
    px0, py0, px1, py1 = photo_box
    w, h = px1 - px0, py1 - py0
    sun = cv.mask()
    sun_r = (0.13 if small else 0.1) * w
    sun_c = (px0 + (0.22 if small else 0.27) * w, py0 + (0.30 if small else 0.33) * h)
    ImageDraw.Draw(sun).ellipse(
        [cv.s(v) for v in (sun_c[0] - sun_r, sun_c[1] - sun_r, sun_c[0] + sun_r, sun_c[1] + sun_r)],
        fill=255,
    )
    cv.paint(ImageChops.multiply(sun, photo), SUN)
    if not small:
        back = [
            (px0 + 0.30 * w, py1 + 10),
            (px0 + 0.66 * w, py0 + 0.36 * h),
            (px1 + 40, py0 + 0.78 * h),
            (px1 + 40, py1 + 10),
        ]
        cv.paint(ImageChops.multiply(_poly_mask(cv, back), photo), MOUNTAIN_BACK)
    front = [
        (px0 - 20, py1 + 10),
        (px0 - 20, py0 + (0.86 if small else 0.80) * h),
        (px0 + (0.46 if small else 0.38) * w, py0 + (0.42 if small else 0.50) * h),
        (px0 + (0.92 if small else 0.74) * w, py1 + 10),
    ]
    cv.paint(ImageChops.multiply(_poly_mask(cv, front), photo), MOUNTAIN_FRONT)

    # 4. A translucent "mask" brush stroke sweeping across the photo (large sizes only).
    if not small:
        # A brush stroke, the way one paints a mask over the part of a photo to change.
        path = _bezier(
            (px0 + 0.08 * w, py0 + 0.86 * h),
            (px0 + 0.30 * w, py0 + 0.48 * h),
            (px0 + 0.56 * w, py0 + 0.86 * h),
            (px0 + 0.84 * w, py0 + 0.46 * h),
            steps=400,
        )
        stroke = ImageChops.multiply(_brush_mask(cv, path, 96), photo)
        cv.paint(stroke, BRUSH, 0.62)

    # 5. The sparkle (with a faint glow) and, on large sizes, a second small one.
    spark_mask = _poly_mask(cv, spark)
    if not small:
        halo = spark_mask.filter(ImageFilter.GaussianBlur(cv.s(22)))
        cv.paint(ImageChops.multiply(halo, tile), (255, 240, 250), 0.55)
    cv.paint(spark_mask, (255, 255, 255))
    if not small:
        core = cv.mask()
        cx, cy = spark_c
        ImageDraw.Draw(core).ellipse(
            [cv.s(v) for v in (cx - 34, cy - 34, cx + 34, cy + 34)], fill=255
        )
        cv.paint(core.filter(ImageFilter.GaussianBlur(cv.s(24))), (255, 214, 102), 0.65)
        cv.paint(_poly_mask(cv, sparkle(874, 560, 58, waist=0.2)), (255, 255, 255))
        cv.paint(_poly_mask(cv, sparkle(560, 196, 40, waist=0.2)), (255, 255, 255), 0.9)

    return cv.image.resize((size, size), Image.Resampling.LANCZOS)


def export(out: Path) -> dict[int, Path]:
    out.mkdir(parents=True, exist_ok=True)
    renders = {size: render(size) for size in sorted(set(PNG_SIZES) | set(ICO_SIZES))}
    written: dict[int, Path] = {}
    for size in PNG_SIZES:
        path = out / f"retouch-{size}.png"
        renders[size].save(path, optimize=True)
        written[size] = path
    # Windows: every size in one .ico, each frame from its own render (not a rescale).
    ico_frames = [renders[s] for s in ICO_SIZES]
    ico_frames[-1].save(
        out / "retouch.ico",
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=ico_frames[:-1],
    )
    # macOS: every 1x and @2x slot, each from its own render.
    write_icns(out / "retouch.icns", renders)
    return written


# ICNS slots and the pixel size each holds (PNG data). Pillow's writer fills only ic07-ic14,
# which leaves Finder's list views and the Dock's small sizes (16 and 32 px at 1x) to be
# scaled down from 128 px; icp4/icp5/icp6 are those small slots.
ICNS_SLOTS = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),  # 512@2x
    (b"ic11", 32),  # 16@2x
    (b"ic12", 64),  # 32@2x
    (b"ic13", 256),  # 128@2x
    (b"ic14", 512),  # 256@2x
)


def write_icns(path: Path, renders: dict[int, Image.Image]) -> None:
    """An .icns with every slot in ICNS_SLOTS, as PNG data (macOS 10.7+ reads PNG in all)."""
    import io
    import struct

    chunks = []
    for kind, size in ICNS_SLOTS:
        buf = io.BytesIO()
        renders[size].save(buf, format="PNG", optimize=True)
        data = buf.getvalue()
        chunks.append(kind + struct.pack(">I", len(data) + 8) + data)
    body = b"".join(chunks)
    path.write_bytes(b"icns" + struct.pack(">I", len(body) + 8) + body)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=default_out_dir(), help="output folder")
    args = parser.parse_args(argv)
    written = export(args.out)
    print(f"wrote {len(written)} PNGs, retouch.ico and retouch.icns to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
