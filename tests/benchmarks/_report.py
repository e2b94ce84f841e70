"""Rows of the benchmark table: a figure, its baseline measured in the same run, a target.

Every figure keeps all its samples so the table can show a median and a spread
(``median [min–max]``); rows travel between processes as JSON (``python -m tests.benchmarks``
runs each benchmark in its own process so one benchmark's Qt state or memory never leaks
into the next one's figures).
"""

from __future__ import annotations

import json
import statistics
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Row:
    figure: str
    measured: list[float]
    unit: str  # "ms", "µs", "MiB", …
    baseline: list[float] | None = None
    baseline_label: str = ""  # what the baseline is
    target: str = "report"
    max_ratio: float | None = None  # the target as a ratio to the baseline …
    max_value: float | None = None  # … or as an absolute value in ``unit``
    ratios: list[float] | None = None  # paired per repeat; else median/median
    note: str = ""
    group: str = ""  # the benchmark that made the row (filled in by the runner)

    # -- derived --------------------------------------------------------------------------

    def ratio_samples(self) -> list[float] | None:
        if self.ratios:
            return self.ratios
        if self.baseline and self.measured and statistics.median(self.baseline) > 0:
            return [statistics.median(self.measured) / statistics.median(self.baseline)]
        return None

    def ratio(self) -> float | None:
        samples = self.ratio_samples()
        return statistics.median(samples) if samples else None

    def verdict(self) -> str:
        ratio = self.ratio()
        value = statistics.median(self.measured) if self.measured else None
        if self.max_ratio is not None and ratio is not None:
            return "met" if ratio <= self.max_ratio else "NOT MET"
        if self.max_value is not None and value is not None:
            return "met" if value <= self.max_value else "NOT MET"
        return "report"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Row:
        return cls(**doc)


def spread(samples: list[float], unit: str = "", digits: int | None = None) -> str:
    """``median [min–max] unit (n)``; one sample prints alone."""
    if not samples:
        return "n/a"
    med = statistics.median(samples)
    if digits is None:
        digits = 0 if med >= 100 else 1 if med >= 10 else 2
    u = f" {unit}" if unit else ""
    if len(samples) == 1:
        return f"{med:.{digits}f}{u}"
    lo, hi = min(samples), max(samples)
    return f"{med:.{digits}f}{u} [{lo:.{digits}f}–{hi:.{digits}f}] ×{len(samples)}"


def ratio_text(row: Row) -> str:
    samples = row.ratio_samples()
    if not samples:
        return "—"
    med = statistics.median(samples)
    if len(samples) == 1:
        return f"{med:.2f}×"
    return f"{med:.2f}× [{min(samples):.2f}–{max(samples):.2f}]"


def cells(row: Row) -> list[str]:
    baseline = spread(row.baseline, row.unit) if row.baseline else ""
    if row.baseline_label:
        baseline = f"{baseline} {row.baseline_label}".strip()
    return [
        row.figure,
        spread(row.measured, row.unit),
        baseline or "—",
        ratio_text(row),
        row.target,
        row.verdict(),
    ]


HEADER = ["figure", "measured: median [min–max] ×n", "baseline (same run)", "ratio", "target", ""]


def format_table(rows: list[Row], markdown: bool = False) -> str:
    table = [cells(r) for r in rows]
    if markdown:
        out = ["| " + " | ".join([*HEADER[:-1], "verdict"]) + " |"]
        out.append("|" + "---|" * len(HEADER))
        out += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in table]
        notes = [f"* {r.figure}: {r.note}" for r in rows if r.note]
        return "\n".join(out + (["", *notes] if notes else []))
    widths = [max(len(r[i]) for r in [HEADER, *table]) for i in range(len(HEADER))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(HEADER, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    group = None
    for row, text in zip(rows, table, strict=True):
        if group is not None and row.group != group:
            lines.append("")
        group = row.group
        lines.append("  ".join(c.ljust(w) for c, w in zip(text, widths, strict=True)).rstrip())
    notes = [f"  {r.figure}: {r.note}" for r in rows if r.note]
    if notes:
        lines += ["", "notes:", *notes]
    return "\n".join(lines)


def print_rows(rows: list[Row], title: str = "") -> None:
    if title:
        print(title)
        print()
    print(format_table(rows))


def dump_rows(rows: list[Row], path: str) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump([r.to_json() for r in rows], fh)


def load_rows(path: str) -> list[Row]:
    with open(path, encoding="utf-8") as fh:
        return [Row.from_json(d) for d in json.load(fh)]


@dataclass
class Samples:
    """Paired measurements: the figure and its baseline, repeat by repeat."""

    measured: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)

    def add(self, measured: float, baseline: float) -> None:
        self.measured.append(measured)
        self.baseline.append(baseline)

    def ratios(self) -> list[float]:
        return [m / b for m, b in zip(self.measured, self.baseline, strict=True) if b > 0]
