"""Size and start-up of the frozen Retouch against a bare frozen PySide6 window.

Run from the repository root (Linux)::

    .venv/bin/python packaging/measure.py                 # builds both, measures, prints
    .venv/bin/python packaging/measure.py --drop-caches   # also cold-cache starts (root)
    .venv/bin/python packaging/measure.py --write-readme  # and updates packaging/README.md

Both apps are built in this run with the same PyInstaller, the same exclusions and the same
Qt plugin filtering (``pyi_common.py``), as onedir folders under ``--dist``. Every start is a
fresh process in an empty environment (``env -i``, ``PATH=/nonexistent``,
``QT_QPA_PLATFORM=offscreen``); the median of ``--runs`` starts is reported:

* bare: the whole run of ``measure/bare_app.py`` (show a QMainWindow, quit once shown);
* Retouch ``--version``: the CLI path (no Qt import);
* Retouch window: ``RETOUCH_EXIT_AFTER_FIRST_PAINT=1 retouch`` (open the main window, quit
  once it has painted), with a key in the environment and a data folder past the first-run
  dialog, so the window is what starts;
* with ``Xvfb`` and ``xdotool`` installed (``apt-get install xvfb xdotool``), also the time
  from starting each app on a virtual X display (the real ``xcb`` platform plugin) until its
  window is mapped, for both apps, needing no hook in the app (``--no-xvfb`` skips it).

The target is a Retouch onedir of at most 1.25 times the bare one.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
README = HERE / "README.md"
BEGIN, END = "<!-- measure:begin -->", "<!-- measure:end -->"
TARGET_RATIO = 1.25


def build(spec: Path, python: str, dist: Path, work: Path) -> float:
    started = time.perf_counter()
    log = work / f"{spec.stem}.log"
    work.mkdir(parents=True, exist_ok=True)
    with log.open("w") as fh:
        proc = subprocess.run(
            [
                *(python, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN"),
                *("--distpath", str(dist), "--workpath", str(work), str(spec)),
            ],
            cwd=REPO,
            stdout=fh,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if proc.returncode:
        sys.stderr.write(log.read_text()[-4000:])
        raise SystemExit(f"building {spec.name} failed (log: {log})")
    return time.perf_counter() - started


def tree_bytes(path: Path) -> int:
    """Like ``du -sb``: apparent sizes of files, symlinks counted once as links."""
    total = 0
    for p in path.rglob("*"):
        total += p.lstat().st_size if p.is_symlink() or p.is_file() else 0
    return total


def du_sb(path: Path) -> int:
    if shutil.which("du"):
        out = subprocess.run(["du", "-sb", str(path)], capture_output=True, text=True, check=True)
        return int(out.stdout.split()[0])
    return tree_bytes(path)


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        "HOME": os.environ.get("HOME", "/tmp"),
        "PATH": "/nonexistent",
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
    }
    env.update(extra)
    return env


def drop_caches() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def time_runs(
    cmd: list[str], env: dict[str, str], runs: int, cold: bool, timeout: float = 60
) -> list[float] | None:
    times = []
    for _ in range(runs):
        if cold and not drop_caches():
            return None
        started = time.perf_counter()
        try:
            proc = subprocess.run(cmd, env=env, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return None
        elapsed = time.perf_counter() - started
        if proc.returncode != 0:
            return None
        times.append(elapsed)
    return times


class VirtualDisplay:
    """A private Xvfb server for the duration of a ``with`` block.

    It takes a high, unused display number (other tools on a shared machine tend to use
    :0 and :99) and reports readiness through ``-displayfd``.
    """

    def __enter__(self) -> str:
        number = next(
            n
            for n in range(317, 1000)
            if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists()
        )
        read_fd, write_fd = os.pipe()
        self.proc = subprocess.Popen(
            # -noreset: by default Xvfb resets when its last client leaves, and an app
            # connecting during that reset aborts (each xdotool poll connects and leaves).
            [
                *("Xvfb", f":{number}", "-displayfd", str(write_fd), "-noreset"),
                *("-nolisten", "tcp", "-screen", "0", "1600x1000x24"),
            ],
            pass_fds=(write_fd,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write_fd)
        with os.fdopen(read_fd) as fh:
            ready = fh.readline().strip()
        if not ready:
            self.proc.kill()
            raise RuntimeError("Xvfb did not start")
        self.display = f":{ready}"
        return self.display

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def _window_visible(title: str, display: str) -> bool:
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", title],
        env={"DISPLAY": display, "PATH": os.environ.get("PATH", "/usr/bin")},
        capture_output=True,
        check=False,
    )
    return found.returncode == 0 and bool(found.stdout.strip())


def time_to_window(
    cmd: list[str], env: dict[str, str], title: str, display: str, runs: int, timeout: float = 30
) -> list[float] | None:
    """Seconds from starting ``cmd`` until a visible window whose name matches ``title`` is
    mapped on ``display`` (polled with xdotool, a few ms resolution); the app is then killed."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryFile() as errors:
            started = time.perf_counter()
            proc = subprocess.Popen(
                cmd, env={**env, "DISPLAY": display}, stdout=subprocess.DEVNULL, stderr=errors
            )
            try:
                while not _window_visible(title, display):
                    if proc.poll() is not None or time.perf_counter() - started > timeout:
                        why = "timed out" if proc.poll() is None else f"exit {proc.returncode}"
                        errors.seek(0)
                        tail = errors.read()[-800:].decode(errors="replace")
                        print(f"note: no window from {cmd[0]} ({why}):\n{tail}", file=sys.stderr)
                        return None
                times.append(time.perf_counter() - started)
            finally:
                proc.kill()
                proc.wait()
    return times


def fmt_ms(times: list[float] | None) -> str:
    if not times:
        return "n/a"
    return f"{statistics.median(times) * 1000:.0f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=os.environ.get("PYTHON", ".venv/bin/python"))
    parser.add_argument("--dist", type=Path, default=REPO / "dist" / "measure")
    parser.add_argument("--work", type=Path, default=REPO / "build" / "pyinstaller-measure")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-build", action="store_true", help="measure existing builds")
    parser.add_argument("--drop-caches", action="store_true", help="also time cold-cache starts")
    parser.add_argument("--no-xvfb", action="store_true", help="skip the Xvfb window timing")
    parser.add_argument("--write-readme", action="store_true", help=f"update {README.name}")
    args = parser.parse_args(argv)
    dist, work = args.dist.resolve(), args.work.resolve()

    build_s = {}
    if not args.no_build:
        for spec in (HERE / "measure" / "bare.spec", HERE / "retouch.spec"):
            print(f"building {spec.name} ...", flush=True)
            build_s[spec.stem] = build(spec, args.python, dist, work / spec.stem)
    bare_dir, app_dir = dist / "bare", dist / "retouch"
    bare_exe, app_exe = bare_dir / "bare", app_dir / "retouch"
    for exe in (bare_exe, app_exe):
        if not exe.exists():
            raise SystemExit(f"{exe} is missing: run without --no-build")

    bare_size, app_size = du_sb(bare_dir), du_sb(app_dir)
    ratio = app_size / bare_size

    rows = []
    modes = [("warm cache", False)] + ([("cold cache", True)] if args.drop_caches else [])
    window_data = Path(tempfile.mkdtemp(prefix="retouch-measure-"))
    (window_data / "settings.json").write_text('{"version": 1, "first_run_done": true}')
    window_env = clean_env(
        RETOUCH_EXIT_AFTER_FIRST_PAINT="1", RETOUCH_DATA_DIR=str(window_data), OXEN_API_KEY="x"
    )
    for label, cold in modes:
        bare_t = time_runs([str(bare_exe)], clean_env(), args.runs, cold)
        ver_t = time_runs([str(app_exe), "--version"], clean_env(), args.runs, cold)
        win_t = time_runs([str(app_exe)], window_env, args.runs, cold, timeout=15)
        rows.append((label, bare_t, ver_t, win_t))

    xvfb_rows = None
    if not args.no_xvfb and shutil.which("Xvfb") and shutil.which("xdotool"):
        with VirtualDisplay() as display, tempfile.TemporaryDirectory() as data:
            env = clean_env(QT_QPA_PLATFORM="xcb", RETOUCH_DATA_DIR=data)
            bare_env = {**env, "BARE_STAY_OPEN": "1"}
            bare_x = time_to_window([str(bare_exe)], bare_env, "^bare$", display, args.runs)
            # --demo opens the main window straight away (no first-run key dialog).
            app_x = time_to_window([str(app_exe), "--demo"], env, "Retouch", display, args.runs)
        xvfb_rows = (bare_x, app_x)

    mib = 1024 * 1024
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"PyInstaller onedir, `QT_QPA_PLATFORM=offscreen`, median of {args.runs} starts:",
        "",
        "| | bare PySide6 window | Retouch |",
        "| --- | --- | --- |",
        f"| onedir size (`du -sb`) | {bare_size:,} B ({bare_size / mib:.1f} MiB) "
        f"| {app_size:,} B ({app_size / mib:.1f} MiB) |",
        f"| size ratio (target ≤ {TARGET_RATIO}) | 1.00 | **{ratio:.3f}** |",
    ]
    if build_s:
        lines.append(
            f"| PyInstaller build time | {build_s.get('bare', 0):.0f} s "
            f"| {build_s.get('retouch', 0):.0f} s |"
        )
    for label, bare_t, ver_t, win_t in rows:
        lines.append(
            f"| start → window shown → quit, {label} | {fmt_ms(bare_t)} | {fmt_ms(win_t)} |"
        )
        lines.append(f"| `retouch --version`, {label} | — | {fmt_ms(ver_t)} |")
    if xvfb_rows is not None:
        lines.append(
            "| start → window mapped on Xvfb (xcb), warm cache "
            f"| {fmt_ms(xvfb_rows[0])} | {fmt_ms(xvfb_rows[1])} (`--demo`) |"
        )
    if any(r[3] is None for r in rows):
        lines += [
            "",
            "Retouch window start: n/a — this build did not quit by itself after its first",
            "paint (`RETOUCH_EXIT_AFTER_FIRST_PAINT=1`).",
        ]
    if args.drop_caches and any(r[0] == "cold cache" and r[1] is None for r in rows):
        lines += ["", "Cold-cache runs need root (writes /proc/sys/vm/drop_caches)."]
    cmd = "    .venv/bin/python packaging/measure.py" + (
        " --drop-caches" if args.drop_caches else ""
    )
    lines += ["", "Command:", "", cmd]
    report = "\n".join(lines)
    print(report)
    print(f"\nsize ratio {ratio:.3f}: {'OK' if ratio <= TARGET_RATIO else 'OVER TARGET'}")

    if args.write_readme:
        text = README.read_text(encoding="utf-8")
        if BEGIN not in text or END not in text:
            raise SystemExit(f"{README} has no {BEGIN} ... {END} section")
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        README.write_text(f"{head}{BEGIN}\n{report}\n{END}{tail}", encoding="utf-8")
        print(f"updated {README}")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
