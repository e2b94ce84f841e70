"""Tool names and the stroke maths (dab placement), kept free of widgets so they are testable."""

from __future__ import annotations

import math
from collections.abc import Callable
from enum import Enum


class Tool(str, Enum):
    BRUSH = "brush"
    ERASER = "eraser"
    RECT = "rect"
    LASSO = "lasso"
    REGION = "region"  # drags the region sent to the model (issue 12), paints nothing

    @property
    def paints(self) -> bool:
        """Brush-like tools stamp dabs; the others draw a shape and fill it on release."""
        return self in (Tool.BRUSH, Tool.ERASER)


MIN_BRUSH = 1.0
MAX_BRUSH = 1000.0
# Pressure never shrinks a dab below this fraction of the nominal size, so a light touch at
# the start of a pen stroke still leaves a mark.
MIN_PRESSURE_SCALE = 0.05


def clamp_brush(size: float) -> float:
    return float(min(max(size, MIN_BRUSH), MAX_BRUSH))


def step_brush(size: float, up: bool) -> float:
    """Next size for ``]`` (up) / ``[``: ~15 % per press, at least 1 px, so the keys feel the
    same at 3 px and at 600 px."""
    if up:
        new = max(size * 1.15, size + 1)
    else:
        new = min(size / 1.15, size - 1)
    return clamp_brush(round(new))


def dab_spacing(diameter: float) -> float:
    """Distance between dab centres: a quarter of the diameter looks continuous for soft and
    hard brushes alike; the floor keeps tiny brushes from stamping hundreds of dabs per px."""
    return max(0.5, diameter / 4)


class StrokeInterpolator:
    """Turns a stream of pointer samples into evenly spaced dabs ``(x, y, pressure)``.

    Spacing is carried across samples (a dab is due after a fixed arc length, however the
    samples are cut), so a fast flick with 500 px between events is as continuous as a slow
    drag, and pressure is interpolated linearly along each segment.
    """

    def __init__(self, diameter_at: Callable[[float], float]) -> None:
        self._diameter_at = diameter_at
        self._last: tuple[float, float, float] | None = None
        self._travel = 0.0  # distance moved since the last dab

    @property
    def diameter_at(self) -> Callable[[float], float]:
        return self._diameter_at

    @property
    def last_point(self) -> tuple[float, float] | None:
        return None if self._last is None else (self._last[0], self._last[1])

    def start(
        self, x: float, y: float, pressure: float = 1.0, *, dab: bool = True
    ) -> list[tuple[float, float, float]]:
        self._last = (x, y, pressure)
        self._travel = 0.0
        return [(x, y, pressure)] if dab else []

    def flush(self) -> list[tuple[float, float, float]]:
        """A final dab exactly at the last sample if the spacing left it uncovered, so a
        stroke or Shift-line ends where the pointer did."""
        if self._last is None or self._travel <= 1e-6:
            return []
        self._travel = 0.0
        return [self._last]

    def move_to(
        self, x: float, y: float, pressure: float = 1.0
    ) -> list[tuple[float, float, float]]:
        if self._last is None:
            return self.start(x, y, pressure)
        x0, y0, p0 = self._last
        dx, dy = x - x0, y - y0
        length = math.hypot(dx, dy)
        self._last = (x, y, pressure)
        if length == 0.0:
            return []
        out: list[tuple[float, float, float]] = []
        pos = 0.0  # distance along this segment of the last dab (or of its start)
        travel = self._travel
        while True:
            t = pos / length
            spacing = dab_spacing(self._diameter_at(p0 + (pressure - p0) * t))
            need = max(0.0, spacing - travel)
            if pos + need > length:
                self._travel = travel + (length - pos)
                return out
            pos += need
            travel = 0.0
            t = pos / length
            out.append((x0 + dx * t, y0 + dy * t, p0 + (pressure - p0) * t))
