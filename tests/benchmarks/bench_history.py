"""How fast does the history panel open with 2,000 runs? Run on demand:

    python tests/benchmarks/bench_history.py [--runs 2000] [--keep DIR]

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
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image, ImageDraw
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication

from retouch.core.history import HistoryStore
from retouch.ui.history import HistoryPanel
from retouch.ui.history.model import THUMB_STATE_ROLE

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="cached opens to time")
    parser.add_argument("--keep", type=Path, help="use/keep this folder instead of a temp one")
    args = parser.parse_args()

    app = QApplication.instance() or QApplication(sys.argv)
    base = args.keep or Path(tempfile.mkdtemp(prefix="retouch-bench-"))
    empty_root, full_root = base / "empty", base / "full"
    try:
        if not (full_root / "history.sqlite3").exists():
            print(f"creating {args.runs} runs in {full_root} …", file=sys.stderr)
            made = populate(full_root, args.runs)
            print(
                f"  {made:.1f} s ({made / args.runs * 1000:.1f} ms per run incl. fsyncs)",
                file=sys.stderr,
            )
        shutil.rmtree(full_root / "thumbs", ignore_errors=True)  # a truly cold first open

        results = []
        t, n, store, panel = open_panel(app, empty_root)
        results.append(("empty history", t, n))
        close_panel(panel, store)

        t, n, store, panel = open_panel(app, full_root)
        count = store.count()
        results.append((f"{count:,} runs, cold (thumbnails generated)", t, n))
        close_panel(panel, store)

        cached = []
        for _ in range(args.repeat):
            t, n, store, panel = open_panel(app, full_root)
            cached.append(t)
            close_panel(panel, store)
        results.append(
            (f"{count:,} runs, cached (median of {args.repeat})", statistics.median(cached), n)
        )

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

        print()
        print(f"{'open to first screen of thumbnails':<44} {'time':>9} {'rows':>5}")
        print("-" * 60)
        for label, secs, rows in results:
            print(f"{label:<44} {secs * 1000:>7.0f} ms {rows:>5}")
        print("-" * 60)
        print(f"{'first page query (100 runs)':<44} {t_page * 1000:>7.1f} ms")
        print(
            f"{'search, trigram index (' + str(len(hits)) + ' hits)':<44} "
            f"{t_search * 1000:>7.1f} ms"
        )
        print(f"{'search, 2 chars (scan)':<44} {t_short * 1000:>7.1f} ms")
        verdict = "OK" if results[-1][1] < 1.0 else "SLOWER THAN TARGET"
        print(f"\ncached open target < 1000 ms: {verdict}")
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
