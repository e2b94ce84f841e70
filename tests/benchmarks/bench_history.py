"""How fast does the history panel open with 2,000 runs? Run on demand:

    python tests/benchmarks/bench_history.py [--runs 2000] [--quick] [--keep DIR]

Measures, from nothing to "every visible row shows its real thumbnail":
  * an empty history (the baseline: widget creation and first paint),
  * 2,000 runs, cold: no thumbnail cache, every visible thumbnail is generated,
  * 2,000 runs, cached: thumbnails come from the on-disk cache (the normal case).
Each open includes opening the store (SQLite + migrations check) and building a new panel.
Target: cached open < 1 s.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image, ImageDraw
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication

from retouch.core.history import HistoryStore
from retouch.ui.history import HistoryPanel
from retouch.ui.history.model import THUMB_STATE_ROLE

if __package__:
    from ._report import Row, print_rows
else:  # pragma: no cover - run as a script
    from _report import Row, print_rows  # type: ignore[no-redef]

WORDS = ["remove", "sofa", "sky", "lamp", "golden", "hour", "green", "velvet", "dog", "cat"]


def picture(rng: random.Random, size: tuple[int, int]) -> bytes:
    im = Image.new("RGB", size, tuple(rng.randrange(256) for _ in range(3)))
    d = ImageDraw.Draw(im)
    for _ in range(6):
        x, y, r = rng.randrange(size[0]), rng.randrange(size[1]), rng.randrange(10, 60)
        d.ellipse([x - r, y - r, x + r, y + r], fill=tuple(rng.randrange(256) for _ in range(3)))
    buf = io.BytesIO()
    im.save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def populate(root: Path, runs: int) -> float:
    rng = random.Random(7)
    inputs = [picture(rng, (512, 384)) for _ in range(40)]  # re-used photos: dedup like real use
    started = time.perf_counter()
    with HistoryStore(root) as store:
        for i in range(runs):
            run_id = store.begin_run(
                model=rng.choice(["gpt-image-2-edit", "gpt-image-2"]),
                prompt=" ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 18))),
                params={"num_images": 1},
                inputs=[rng.choice(inputs)],
                input_names=["in.png"],
                mask=None,
                estimated_cost=0.22,
            )
            store.add_output(run_id, 0, picture(rng, (512, 384)), "png")
            store.finish_run(run_id, "succeeded")
            if (i + 1) % 500 == 0:
                print(f"  created {i + 1} runs", file=sys.stderr)
    return time.perf_counter() - started


def visible_rows(panel: HistoryPanel) -> list[int]:
    view = panel.list_view
    area = view.viewport().rect()
    return [
        r
        for r in range(panel.model.rowCount())
        if view.visualRect(panel.model.index(r, 0)).intersects(area)
    ]


def open_panel(app: QApplication, root: Path) -> tuple[float, int, HistoryStore, HistoryPanel]:
    started = time.perf_counter()
    store = HistoryStore(root)
    panel = HistoryPanel(store)
    panel.resize(380, 900)
    panel.show()
    deadline = started + 60
    while True:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        rows = visible_rows(panel)
        if (rows or panel.model.rowCount() == 0) and all(
            panel.model.index(r, 0).data(THUMB_STATE_ROLE) == "ready" for r in rows
        ):
            break
        if time.perf_counter() > deadline:
            raise TimeoutError("thumbnails never arrived")
    elapsed = time.perf_counter() - started
    return elapsed, len(rows), store, panel


def close_panel(panel: HistoryPanel, store: HistoryStore) -> None:
    panel.model.wait_for_thumbnails()
    panel.close()
    panel.deleteLater()
    QApplication.processEvents()
    store.close()


@dataclass
class Figures:
    count: int
    rows: int
    empty: list[float]  # s, per open
    cold: float
    cached: list[float]
    hits: int
    search: float
    short: float
    page: float


def measure(runs: int, repeat: int, keep: Path | None = None) -> Figures:
    """Open the panel on an empty history, then cold and cached on *runs* runs; time queries."""
    app = QApplication.instance() or QApplication(sys.argv)
    base = keep or Path(tempfile.mkdtemp(prefix="retouch-bench-"))
    empty_root, full_root = base / "empty", base / "full"
    try:
        if not (full_root / "history.sqlite3").exists():
            print(f"creating {runs} runs in {full_root} …", file=sys.stderr)
            made = populate(full_root, runs)
            print(
                f"  {made:.1f} s ({made / runs * 1000:.1f} ms per run incl. fsyncs)",
                file=sys.stderr,
            )
        shutil.rmtree(full_root / "thumbs", ignore_errors=True)  # a truly cold first open

        empty: list[float] = []
        cached: list[float] = []
        # The empty open is the baseline: widget creation and first paint, nothing to show.
        t, _n, store, panel = open_panel(app, empty_root)
        close_panel(panel, store)
        t, n_rows, store, panel = open_panel(app, full_root)
        count = store.count()
        cold = t
        close_panel(panel, store)
        for _ in range(repeat):
            t, _n, store, panel = open_panel(app, empty_root)
            empty.append(t)
            close_panel(panel, store)
            t, n_rows, store, panel = open_panel(app, full_root)
            cached.append(t)
            close_panel(panel, store)

        with HistoryStore(full_root) as s:
            t0 = time.perf_counter()
            hits = s.runs(search="golden hour", limit=200)
            t_search = time.perf_counter() - t0
            t0 = time.perf_counter()
            s.runs(search="ha", limit=200)
            t_short = time.perf_counter() - t0
            t0 = time.perf_counter()
            s.runs(limit=100)
            t_page = time.perf_counter() - t0
    finally:
        if keep is None:
            shutil.rmtree(base, ignore_errors=True)
    return Figures(count, n_rows, empty, cold, cached, len(hits), t_search, t_short, t_page)


def rows(quick: bool = False, runs: int = 2000, keep: Path | None = None) -> list[Row]:
    m = measure(runs, 3 if quick else 7, keep)
    empty = [t * 1000 for t in m.empty]
    cached = [t * 1000 for t in m.cached]
    return [
        Row(
            f"history of {m.count:,} runs → first screen of thumbnails (cached)",
            cached,
            "ms",
            empty,
            "empty history",
            "report (< 1 s)",
            max_value=1000,
            ratios=[c / e for c, e in zip(cached, empty, strict=True)],
            note=f"{m.rows} rows visible; the very first open, thumbnails generated: "
            f"{m.cold * 1000:.0f} ms",
        ),
        Row(
            f"history: first page query of {m.count:,} runs",
            [m.page * 1000],
            "ms",
            note=f"trigram search ({m.hits} hits) {m.search * 1000:.1f} ms; "
            f"2-character scan {m.short * 1000:.1f} ms",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--keep", type=Path, help="use/keep this folder instead of a temp one")
    args = parser.parse_args()
    print_rows(rows(args.quick, args.runs, args.keep), "History panel")


if __name__ == "__main__":
    main()
