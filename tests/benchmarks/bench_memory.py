"""Peak memory with 4 inputs and 4 results of 3840×2160 open in the window.

    python -m tests.benchmarks.bench_memory [--quick]

Two fresh processes per repeat, both importing the same modules and showing the same empty
main window offscreen: the reference stops there; the other adds 4 input PNGs to the tray and
opens 4 result PNGs in the results view (as history/session restore does), waits until every
one is decoded and shown on the canvas, results and compare pages, and reads its peak
resident set (``ru_maxrss``; VmHWM on Linux, see ``peak_rss``).
The figure is the difference of the two peaks; the baseline is the raw pixels of those 8
images at 4 bytes a pixel.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__:
    from ._images import write_photos
    from ._report import Row, print_rows
else:  # pragma: no cover - run as a script
    from _images import write_photos  # type: ignore[no-redef]
    from _report import Row, print_rows  # type: ignore[no-redef]

SIZE = (3840, 2160)
MIB = 1024 * 1024
RAW = 8 * SIZE[0] * SIZE[1] * 4


def _status_bytes(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024  # kB
    raise KeyError(field)


def peak_rss() -> int:
    """The process's peak resident set: ``ru_maxrss``, except where Linux lets it inherit the
    peak of the process that forked it (the benchmark runner, holding test images), where
    VmHWM (this program image's own peak) is the same figure without that."""
    if Path("/proc/self/status").exists():
        return _status_bytes("VmHWM")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (
        1 if sys.platform == "darwin" else 1024
    )


def _current_rss() -> int:
    if Path("/proc/self/status").exists():
        return _status_bytes("VmRSS")
    return 0


def child(mode: str, folder: Path) -> dict[str, int]:
    """Run in the measured process: build the window, maybe open the images, report memory."""
    os.environ["RETOUCH_DATA_DIR"] = str(folder / f"data-{os.getpid()}")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QThreadPool

    from retouch.core.results import SavedResult
    from retouch.core.settings import Settings
    from retouch.ui.app import create_app
    from retouch.ui.main_window import MainWindow

    app = create_app()
    win = MainWindow(Settings(Path(os.environ["RETOUCH_DATA_DIR"])))
    win.show()

    def settle(until=lambda: True, timeout: float = 120) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while not until() or QThreadPool.globalInstance().activeThreadCount():
            app.processEvents()
            time.sleep(0.002)
            if time.monotonic() > deadline:
                raise TimeoutError(mode)
        for _ in range(5):
            app.processEvents()

    settle()
    if mode == "loaded":
        inputs = sorted((folder / "inputs").glob("*.png"))
        results = [
            SavedResult(i, p, p.with_name(p.name + ".json"))
            for i, p in enumerate(sorted((folder / "results").glob("*.png")))
        ]
        win.tray.add_paths(inputs)
        win.results.load_saved(results)
        settle(lambda: len(win.tray.items()) == 4 and not win.tray.is_loading())
        settle(lambda: win.results.count() == 4)
        for page in (1, 2, 0):  # results, compare, back to the canvas: each paints
            win.show_page(page)
            settle()
        assert win.canvas_panel.canvas.image() is not None
    return {"maxrss": peak_rss(), "rss": _current_rss()}


def _run_child(mode: str, folder: Path) -> dict[str, int]:
    proc = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.bench_memory", "--child", mode, str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode or not lines:
        raise RuntimeError(f"memory child {mode} failed:\n{proc.stderr[-2000:]}")
    return json.loads(lines[-1])


def rows(quick: bool = False) -> list[Row]:
    repeats = 2 if quick else 4
    folder = Path(tempfile.mkdtemp(prefix="retouch-bench-"))
    try:
        print("writing 4 inputs and 4 results of 3840×2160 …", file=sys.stderr)
        write_photos(folder / "inputs", 4, SIZE, "PNG")
        for p in write_photos(folder / "results", 4, SIZE, "PNG"):
            p.with_name(p.name + ".json").write_text("{}")
        peak_delta, rss_delta = [], []
        for _ in range(repeats):
            ref = _run_child("reference", folder)
            full = _run_child("loaded", folder)
            peak_delta.append((full["maxrss"] - ref["maxrss"]) / MIB)
            rss_delta.append((full["rss"] - ref["rss"]) / MIB)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return [
        Row(
            "peak memory, 4 inputs + 4 results of 3840×2160 open",
            peak_delta,
            "MiB",
            [RAW / MIB],
            "raw pixels of the 8 images",
            "≤ 3×",
            max_ratio=3.0,
            ratios=[d / (RAW / MIB) for d in peak_delta],
            note=f"peak RSS delta against the same process without the images; resident "
            f"afterwards +{statistics.median(rss_delta):.0f} MiB",
        )
    ]


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], Path(sys.argv[3]))), flush=True)
        os._exit(0)  # the figure is read; skip a slow teardown of the window and pool
    print_rows(rows(quick="--quick" in sys.argv), "Peak memory")
