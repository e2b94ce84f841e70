"""Capture the README screenshots from the real window against the fake hub.

Run on a virtual screen:
    Xvfb :99 & DISPLAY=:99 QT_QPA_PLATFORM=xcb python resources/screenshots/capture.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent / "samples"


def pump(app, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def until(app, cond, timeout: float = 30) -> None:
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise SystemExit("timed out")
        app.processEvents()
        time.sleep(0.01)


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="retouch-shots-"))
    os.environ["RETOUCH_DATA_DIR"] = str(tmp)
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QImage, QPainter

    from retouch.core.settings import Settings
    from retouch.fakehub import Fault
    from retouch.ui.app import create_app, open_main_window, start_demo_hub

    app = create_app()
    hub = start_demo_hub()
    hub.delay = 0.2
    win = open_main_window([], settings=Settings(tmp), demo_hub=hub)
    win.resize(1440, 900)
    pump(app, 0.5)
    win.grab().save(str(HERE / "empty.png"))

    win.tray.add_paths([SAMPLES / "lake.jpg", SAMPLES / "mountains.png"])
    until(app, lambda: len(win.tray.items()) == 2 and not win.tray.is_loading())
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
    win.sidebar.prompt.setPlainText("Replace the sun with a glowing full moon and a few stars")
    win.findChild(object, "param_num_images").setValue(3)
    pump(app, 0.5)
    win.grab().save(str(HERE / "mask.png"))

    hub.add_fault(Fault("delay", seconds=4))
    win.run()
    pump(app, 2.2)
    win.grab().save(str(HERE / "running.png"))
    until(app, lambda: not win.controller.running)
    pump(app, 0.5)
    win.results.select(1)
    pump(app, 0.3)
    win.grab().save(str(HERE / "results.png"))
    win.show_page(2)
    win.compare.set_wipe_position(0.55)
    pump(app, 0.5)
    win.grab().save(str(HERE / "compare.png"))
    win.show_page(3)
    pump(app, 1.0)
    win.grab().save(str(HERE / "history.png"))

    hub.add_fault(Fault("status", status=401, message="Invalid API key"))
    win.show_page(0)
    win.run()
    until(app, lambda: not win.controller.running)
    pump(app, 0.5)
    win.grab().save(str(HERE / "error.png"))
    hub.stop()
    print("screenshots in", HERE)
    sys.exit(0)


if __name__ == "__main__":
    main()
