"""Capture the README screenshots from the real window against the offline demo hub.

Run on a virtual screen with a window manager (the window is shown as a user sees it):

    Xvfb :99 -screen 0 1920x1200x24 &  DISPLAY=:99 openbox &
    DISPLAY=:99 QT_QPA_PLATFORM=xcb .venv/bin/python resources/screenshots/capture.py

Every state a user meets is taken at 1280×800 (a laptop screen): empty, loaded, painted,
running (a placeholder per image, the run card), results, before/after, Compare side by side
with three results, history, settings, welcome, an error; the same window in the dark
scheme, in German, at the default size, and at 200 % (``QT_SCALE_FACTOR=2``: device pixel
ratio 2). Each variant runs in a process of its own (``--variant NAME`` takes one).

No temporary path shows: HOME is a fresh folder for the run, so the data folder and the
output folder read ``~/.local/share/…`` and ``~/Pictures/Retouch``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent / "samples"
LAPTOP = (1280, 800)
DEFAULT = (1360, 860)

#: variant: (file name suffix, window size, extra environment, the states it takes)
VARIANTS: dict[str, tuple[str, tuple[int, int], dict[str, str], tuple[str, ...]]] = {
    "main": ("", LAPTOP, {}, ("all",)),
    "dark": ("-dark", LAPTOP, {"RETOUCH_SHOT_APPEARANCE": "dark"}, ("mask", "results", "history")),
    "de": ("-de", LAPTOP, {"RETOUCH_SHOT_LANGUAGE": "de"}, ("mask", "results", "settings")),
    "default-size": ("-default-size", DEFAULT, {}, ("mask",)),
    "dpr2": ("-2x", LAPTOP, {"QT_SCALE_FACTOR": "2"}, ("mask", "results")),
}


def pump(app, seconds: float) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def until(app, cond, timeout: float = 30) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise SystemExit("timed out")
        app.processEvents()
        time.sleep(0.01)


def shoot(suffix: str, size: tuple[int, int], states: tuple[str, ...]) -> None:
    from PySide6.QtCore import QPointF, Qt, QTimer
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QApplication

    from retouch.core.paths import data_dir
    from retouch.core.settings import Settings
    from retouch.ui import i18n, theme
    from retouch.ui.app import create_app, open_main_window, start_demo_hub

    want = set(states)
    everything = "all" in want

    def wanted(state: str) -> bool:
        return everything or state in want

    def save(widget, name: str) -> None:  # type: ignore[no-untyped-def]
        if wanted(name):
            pump(app, 0.25)
            widget.grab().save(str(HERE / f"{name}{suffix}.png"))

    settings = Settings(data_dir())
    settings.set("first_run_done", True)
    settings.set("output_dir", str(Path.home() / "Pictures" / "Retouch"))
    app = create_app()
    i18n.install(app, os.environ.get("RETOUCH_SHOT_LANGUAGE", "en"))
    theme.set_appearance(app, os.environ.get("RETOUCH_SHOT_APPEARANCE", "light"))
    hub = start_demo_hub()
    hub.delay = 0.2
    win = open_main_window([], settings=settings, demo_hub=hub)
    win.resize(*size)
    pump(app, 0.8)
    save(win, "empty")

    win.tray.add_paths([SAMPLES / "lake.jpg", SAMPLES / "mountains.png"])
    until(app, lambda: len(win.tray.items()) == 2 and not win.tray.is_loading())
    win.sidebar.prompt.setPlainText("Replace the sun with a glowing full moon and a few stars")
    win.findChild(object, "param_num_images").setValue(3)
    save(win, "loaded")
    image = win.tray.first_image()
    mask = QImage(image.width(), image.height(), QImage.Format.Format_Grayscale8)
    mask.fill(0)
    p = QPainter(mask)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(Qt.GlobalColor.white)
    p.setPen(Qt.PenStyle.NoPen)
    p.drawEllipse(QPointF(image.width() * 0.73, image.height() * 0.24), 190, 170)
    p.end()
    win.canvas_panel.canvas.set_mask(mask)
    save(win, "mask")
    if not (want - {"mask", "empty", "loaded"}) and not everything:
        return _close(app, win, hub)

    # The stand-in thinks a while: the run card and the waiting tiles show.
    hub.delay, hub.queue_steps = 2.5, 8
    win.run()
    until(app, lambda: win.controller.running)
    pump(app, 1.6)
    save(win, "running")
    win.show_page(1)
    save(win, "running-results")
    until(app, lambda: not win.controller.running, timeout=60)
    hub.delay, hub.queue_steps = 0.2, 2
    pump(app, 0.5)
    win.results.select(1)
    save(win, "results")
    if wanted("before"):
        win.results.before_button.setChecked(True)
        save(win, "before")
        win.results.before_button.setChecked(False)
    win.show_page(2)
    win.compare.set_wipe_position(0.55)
    save(win, "compare")
    if wanted("compare-side"):
        win.compare_mode.click()
        save(win, "compare-side")
    win.show_page(3)
    pump(app, 0.8)
    save(win, "history")

    if wanted("settings"):
        from retouch.ui.dialogs import SettingsDialog

        def grab_dialog() -> None:
            for w in QApplication.topLevelWidgets():
                if isinstance(w, SettingsDialog) and w.isVisible():
                    save(w, "settings")
                    w.reject()
                    return
            QTimer.singleShot(100, grab_dialog)

        QTimer.singleShot(300, grab_dialog)
        win.open_settings()
    if wanted("welcome"):
        from retouch.ui.dialogs import WelcomeDialog

        welcome = WelcomeDialog()
        welcome.show()
        save(welcome, "welcome")
        welcome.close()
    if wanted("error"):
        from retouch.fakehub import Fault

        for path in ("/ai/images/edit", "/ai/queue"):  # whichever way the run goes
            hub.add_fault(Fault("status", path=path, status=401, message="Invalid API key"))
        win.show_page(0)
        win.run()
        until(app, lambda: not win.controller.running)
        save(win, "error")
    _close(app, win, hub)


def _close(app, win, hub) -> None:  # type: ignore[no-untyped-def]
    win.close()
    pump(app, 0.2)
    hub.stop()


def run_variant(name: str) -> None:
    suffix, size, extra, states = VARIANTS[name]
    home = Path(tempfile.mkdtemp(prefix="retouch-shots-"))
    env = dict(os.environ, HOME=str(home), **extra)
    env.pop("RETOUCH_DATA_DIR", None)  # the platform's folder under this HOME
    env.pop("XDG_DATA_HOME", None)
    env.pop("OXEN_API_KEY", None)
    env["RETOUCH_SHOT_CHILD"] = ",".join([suffix, f"{size[0]}x{size[1]}", *states])
    try:
        subprocess.run([sys.executable, __file__], env=env, check=True, timeout=600)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def main() -> None:
    child = os.environ.get("RETOUCH_SHOT_CHILD")
    if child is not None:
        suffix, size, *states = child.split(",")
        w, h = (int(v) for v in size.split("x"))
        shoot(suffix, (w, h), tuple(states))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", action="append", choices=sorted(VARIANTS))
    args = parser.parse_args()
    for name in args.variant or list(VARIANTS):
        print(f"capturing {name}…", flush=True)
        run_variant(name)
    print("screenshots in", HERE)


if __name__ == "__main__":
    main()
