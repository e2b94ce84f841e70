"""20 dropped 4K images to every thumbnail shown, against Pillow's ``thumbnail`` on as many
threads as the app decodes with.

    python -m tests.benchmarks.bench_thumbs [--quick]

The real main window, offscreen: ``InputTray.add_paths`` with 20 files of 3840×2160, then the
event loop runs until no item is loading (each has its thumbnail, the first one is on the
canvas) and once more so the tray paints. The floor, in the same process and alternating
with it: ``Image.open(f).thumbnail((192, 192))`` for the same files on a thread pool of the
same size as the app's (``QThreadPool.globalInstance().maxThreadCount()``): the plain way to
do the same job with the same cores. Done for photo-like JPEGs (the usual case) and PNGs
(screenshots, designs). Target ≤ 1.0×.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

if __package__:
    from ._images import write_photos
    from ._report import Row, Samples, print_rows
else:  # pragma: no cover - run as a script
    from _images import write_photos  # type: ignore[no-redef]
    from _report import Row, Samples, print_rows  # type: ignore[no-redef]

COUNT = 20
SIZE = (3840, 2160)
THUMB = (192, 192)


def pillow_thumbnails(paths: list[Path], threads: int) -> float:
    """Seconds for Pillow's own thumbnail of every file, on *threads* threads."""
    from concurrent.futures import ThreadPoolExecutor

    from PIL import Image

    def one(path: Path) -> None:
        with Image.open(path) as img:
            img.thumbnail(THUMB)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        t0 = time.perf_counter()
        list(pool.map(one, paths))
        return time.perf_counter() - t0


def rows(quick: bool = False) -> list[Row]:
    repeats = 3 if quick else 7
    tmp = Path(tempfile.mkdtemp(prefix="retouch-bench-"))
    os.environ["RETOUCH_DATA_DIR"] = str(tmp / "data")
    try:
        print(f"writing {COUNT} JPEG and {COUNT} PNG files of {SIZE} …", file=sys.stderr)
        sets = {
            "JPEG": write_photos(tmp / "jpeg", COUNT, SIZE, "JPEG"),
            "PNG": write_photos(tmp / "png", COUNT, SIZE, "PNG"),
        }
        from PySide6.QtCore import QThreadPool
        from PySide6.QtWidgets import QApplication

        from retouch.core.settings import Settings
        from retouch.ui.app import create_app
        from retouch.ui.main_window import MainWindow

        app = create_app()
        win = MainWindow(Settings(tmp / "data"))
        win.show()
        app.processEvents()
        pool = QThreadPool.globalInstance()
        threads = pool.maxThreadCount()  # the app decodes on this pool

        def tray_thumbnails(paths: list[Path]) -> float:
            win.tray.clear()
            pool.waitForDone()
            app.processEvents()
            t0 = time.perf_counter()
            win.tray.add_paths(paths)
            deadline = t0 + 120
            while len(win.tray.items()) < len(paths) or win.tray.is_loading():
                app.processEvents()
                time.sleep(0.0005)  # a real event loop sleeps too; don't spin against the pool
                if time.perf_counter() > deadline:
                    raise TimeoutError("thumbnails never all arrived")
            QApplication.processEvents()  # the tray's repaint with the new icons
            return time.perf_counter() - t0

        out = []
        for fmt, paths in sets.items():
            tray_thumbnails(paths)  # warm-up: page cache, thread pool, decoder plugins
            pillow_thumbnails(paths, threads)
            pairs = Samples()
            for _ in range(repeats):
                app_s = tray_thumbnails(paths)
                base_s = pillow_thumbnails(paths, threads)
                pairs.add(app_s * 1000, base_s * 1000)
            mb = sum(p.stat().st_size for p in paths) / 1e6
            out.append(
                Row(
                    f"{COUNT} dropped 4K {fmt}s → all thumbnails shown",
                    pairs.measured,
                    "ms",
                    pairs.baseline,
                    f"Pillow thumbnail(), {threads} threads",
                    "≤ 1.0×",
                    max_ratio=1.0,
                    ratios=pairs.ratios(),
                    note=f"{mb:.0f} MB of files; both on {threads} threads",
                )
            )
        win.tray.clear()
        pool.waitForDone()
        win.close()
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    print_rows(rows(quick="--quick" in sys.argv), "Thumbnails of dropped images")
