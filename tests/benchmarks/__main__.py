"""Run every benchmark, each in its own process, and print one table.

    python -m tests.benchmarks                 # all of them (a few minutes)
    python -m tests.benchmarks --quick         # fewer repeats
    python -m tests.benchmarks --only thumbs --only client
    python -m tests.benchmarks --markdown      # the table as Markdown (for the README)

Every figure is printed as ``median [min–max] ×repeats`` next to its baseline, which is
measured in the same run on the same machine, so a busy or slow machine moves both.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__:
    from ._report import Row, dump_rows, format_table, load_rows
else:  # pragma: no cover - run as a script
    from _report import Row, dump_rows, format_table, load_rows  # type: ignore[no-redef]

# Name → module, in the order of the table.
BENCHMARKS = {
    "startup": "bench_startup",
    "stall": "bench_ui_stall",
    "client": "bench_client",
    "mask": "bench_mask",
    "thumbs": "bench_thumbs",
    "memory": "bench_memory",
    "history": "bench_history",
    "pasteback": "bench_pasteback",
}
REPO = Path(__file__).resolve().parents[2]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or cpu
    try:
        from PySide6 import __version__ as pyside
    except ImportError:
        pyside = "?"
    return (
        f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}) · {cpu} · "
        f"{platform.system()} {platform.release()} · Python {platform.python_version()} · "
        f"PySide6 {pyside}"
    )


def run_child(name: str, quick: bool) -> tuple[list[Row], str | None]:
    """Run one benchmark in a fresh interpreter; its chatter goes to our stderr."""
    with tempfile.TemporaryDirectory(prefix="retouch-bench-") as tmp:
        out = Path(tmp) / "rows.json"
        cmd = [sys.executable, "-m", "tests.benchmarks", "--child", name, "--out", str(out)]
        if quick:
            cmd.append("--quick")
        env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
        proc = subprocess.run(cmd, cwd=REPO, env=env, stdout=sys.stderr, check=False)
        if proc.returncode != 0 or not out.exists():
            return [], f"{name}: failed (exit {proc.returncode})"
        return load_rows(str(out)), None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument(
        "--only", action="append", choices=sorted(BENCHMARKS), help="run just this (repeatable)"
    )
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        module = importlib.import_module(f"tests.benchmarks.{BENCHMARKS[args.child]}")
        rows = module.rows(quick=args.quick)
        for r in rows:
            r.group = args.child
        dump_rows(rows, args.out)
        return 0

    names = args.only or list(BENCHMARKS)
    rows: list[Row] = []
    failures: list[str] = []
    started = time.perf_counter()
    for name in names:
        print(f"== {name} …", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        got, failure = run_child(name, args.quick)
        print(f"== {name}: {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
        rows += got
        if failure:
            failures.append(failure)
    print()
    print(f"Retouch benchmarks{' (--quick)' if args.quick else ''} — {machine()}")
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, {time.perf_counter() - started:.0f} s in all")
    print()
    print(format_table(rows, markdown=args.markdown))
    for failure in failures:
        print(f"\n{failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
