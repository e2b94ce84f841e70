"""Paste-back of a result into a 6000×4000 photo: time and peak memory.

    python -m tests.benchmarks.bench_pasteback [--quick]

Two edits of the same photo: a large one (a mask over most of the picture) and a small one
(a 300×200 object). For each, the result (the model's 1024×768 picture, simulated: the sent
crop with a colour drift and a new object) goes back through ``paste_back`` with its defaults
— colour match on, default feather. The floor does the same placement with nothing but
Pillow, on the same images and the same work box: ``resize`` (Lanczos) of the result,
``GaussianBlur`` of the mask, ``Image.composite`` with the original, pasted into a copy of
the photo. Timings alternate figure and floor, repeat by repeat.

Peak memory: each edit runs in a fresh process that builds its inputs, resets its peak
resident set (/proc/self/clear_refs) and runs paste-back once; the growth of the peak over
the resident set before is divided by the photo's raw pixels (6000×4000×3 bytes). glibc is
told to map every image block on its own so freed temporaries leave the resident set.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

if __package__:
    from ._images import photo
    from ._report import Row, Samples, print_rows
else:  # pragma: no cover - run as a script
    from _images import photo  # type: ignore[no-redef]
    from _report import Row, Samples, print_rows  # type: ignore[no-redef]

from retouch.core.pasteback import _output_box, _work_box, paste_back
from retouch.core.region import crop_for_request, feather_support, plan_edit
from retouch.core.schema import builtin_model

SIZE = (6000, 4000)
RAW = SIZE[0] * SIZE[1] * 3
MIB = 1024 * 1024
CASES = {
    "large": (600, 400, 5400, 3600),  # most of the picture
    "small": (2850, 1900, 3150, 2100),  # a coffee cup
}


def inputs(case: str):  # type: ignore[no-untyped-def]
    """The photo, the mask, the plan and a simulated model output for *case*."""
    original = photo(SIZE, seed=3)
    mask = Image.new("L", SIZE, 0)
    ImageDraw.Draw(mask).ellipse(CASES[case], fill=255)
    plan = plan_edit(SIZE, mask, builtin_model())
    sent, sent_mask = crop_for_request(original, plan, mask)
    output = sent.point(lambda v: min(255, round(v * 1.05 + 8)))
    assert sent_mask is not None
    thing = sent_mask.filter(ImageFilter.MinFilter(9))
    output.paste((230, 30, 200), (0, 0), thing)
    return original, mask, plan, output


def floor(original, mask, plan, output):  # type: ignore[no-untyped-def]
    """The same placement by plain Pillow calls on the same work box."""
    box = _work_box(plan, feather_support(plan.feather))
    patch = output.resize(
        (box.w, box.h), Image.Resampling.LANCZOS, box=_output_box(plan, output, box)
    )
    alpha = mask.crop(box.box).filter(ImageFilter.GaussianBlur(plan.feather))
    blended = Image.composite(patch, original.crop(box.box), alpha)
    result = original.copy()
    result.paste(blended, (box.x, box.y))
    return result


def _status(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise KeyError(field)


def child(case: str, which: str) -> dict[str, float]:
    original, mask, plan, output = inputs(case)
    before = _status("VmRSS")
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")  # reset the peak resident set to the current one
    if which == "ours":
        result = paste_back(original, output, plan, mask).image
    else:
        result = floor(original, mask, plan, output)
    peak = _status("VmHWM")
    assert result.size == SIZE
    return {"peak_growth": peak - before}


def _run_child(case: str, which: str) -> dict[str, float] | None:
    if not Path("/proc/self/clear_refs").exists():
        return None
    proc = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.bench_pasteback", "--child", case, which],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        # A fixed mmap threshold: every image block is mapped and unmapped on its own, so
        # the inputs' temporaries are given back before the measurement instead of being
        # reused by it (which would hide paste-back's own memory).
        env={**os.environ, "MALLOC_MMAP_THRESHOLD_": "131072", "MALLOC_TRIM_THRESHOLD_": "131072"},
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode or not lines:
        print(f"memory child {case}/{which} failed:\n{proc.stderr[-1500:]}", file=sys.stderr)
        return None
    return json.loads(lines[-1])


def rows(quick: bool = False) -> list[Row]:
    repeats = 3 if quick else 7
    out: list[Row] = []
    for case in CASES:
        print(f"building the {case} edit …", file=sys.stderr)
        original, mask, plan, output = inputs(case)
        box = _work_box(plan, feather_support(plan.feather))
        paste_back(original, output, plan, mask)  # warm caches and Pillow's arena
        floor(original, mask, plan, output)
        samples = Samples()
        for _ in range(repeats):
            t0 = time.perf_counter()
            paste_back(original, output, plan, mask)
            t1 = time.perf_counter()
            floor(original, mask, plan, output)
            t2 = time.perf_counter()
            samples.add((t1 - t0) * 1e3, (t2 - t1) * 1e3)
        out.append(
            Row(
                f"paste-back into 6000×4000, {case} edit (work box {box.w}×{box.h})",
                samples.measured,
                "ms",
                samples.baseline,
                "Pillow resize + GaussianBlur + composite, same box",
                "≤ 1.5×",
                max_ratio=1.5,
                ratios=samples.ratios(),
                note=f"region {plan.region.w}×{plan.region.h} → {plan.output.width}×"
                f"{plan.output.height}, feather {plan.feather} px, colour match on",
            )
        )
    for case in CASES:
        ours = [_run_child(case, "ours") for _ in range(1 if quick else 3)]
        plain = _run_child(case, "floor")
        got = [r["peak_growth"] / MIB for r in ours if r]
        if not got:
            continue
        out.append(
            Row(
                f"peak memory of paste-back, {case} edit",
                got,
                "MiB",
                [RAW / MIB],
                "raw pixels of the photo (RGB)",
                "≤ 4×",
                max_ratio=4.0,
                ratios=[g / (RAW / MIB) for g in got],
                note=f"the floor's own peak: {plain['peak_growth'] / MIB:.0f} MiB" if plain else "",
            )
        )
    return out


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], sys.argv[3])), flush=True)
        os._exit(0)
    print_rows(rows(quick="--quick" in sys.argv), "Paste-back")
