"""Capture README's issue 12 screenshots from the real window against the fake hub: the
region sent drawn over a large photo with the sidebar's "Into the photo" controls, the
result's Model output beside it, and a run's lineage on the History page.

Run on a virtual screen:
    Xvfb :99 & DISPLAY=:99 QT_QPA_PLATFORM=xcb python resources/screenshots/capture_pasteback.py
"""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from pathlib import Path

import capture  # beside this script (its folder is sys.path[0] when run)
from capture import pump

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent / "samples"


# The window's own capture script waits the same way; a paste-back into a large photo may
# take longer than its 30 s.
until = functools.partial(capture.until, timeout=60)


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="retouch-shots-"))
    os.environ["RETOUCH_DATA_DIR"] = str(tmp)
    sys.path.insert(0, str(SAMPLES))
    from make_samples import landscape
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QImage, QPainter

    from retouch.core.settings import Settings
    from retouch.ui.app import create_app, open_main_window, start_demo_hub

    large = tmp / "lake-large.jpg"
    landscape((4800, 3000)).save(large, quality=90)
    app = create_app()
    hub = start_demo_hub()
    settings = Settings(tmp)
    settings.set("use_queue", False)
    win = open_main_window([], settings=settings, demo_hub=hub)
    win.resize(1440, 900)
    pump(app, 0.5)
    win.tray.add_paths([large])
    until(app, lambda: len(win.tray.items()) == 1 and not win.tray.is_loading())
    canvas = win.canvas_panel.canvas
    until(app, lambda: canvas.image() is not None)
    mask = QImage(4800, 3000, QImage.Format.Format_Grayscale8)
    mask.fill(0)
    p = QPainter(mask)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(Qt.GlobalColor.white)
    p.setPen(Qt.PenStyle.NoPen)
    p.drawEllipse(QRect(820, 1640, 500, 470))  # over the cabin
    p.end()
    canvas.set_mask(mask)
    win.state.set_prompt("a red wooden boathouse with a small jetty")
    until(app, lambda: win.state.plan is not None and not win.planner.pending)
    pump(app, 0.5)
    win.grab().save(str(HERE / "region.png"))

    done: list[object] = []
    win.controller.finished.connect(done.append)
    win.controller.failed.connect(done.append)
    win.run()
    until(app, lambda: bool(done))
    first = done.pop()
    pump(app, 0.5)
    win.results.show_model.click()
    pump(app, 0.3)
    win.grab().save(str(HERE / "model-output.png"))
    win.results.show_composite.click()

    # Iterate: the result becomes the edited image, edited again; then the History page.
    win.canvas_panel.keep_mask_answer = False
    win.results.select(0)
    win.results.use_current()
    until(app, lambda: not win.tray.is_loading() and win.state.source_result is not None)
    mask2 = QImage(4800, 3000, QImage.Format.Format_Grayscale8)
    mask2.fill(0)
    p = QPainter(mask2)
    p.setBrush(Qt.GlobalColor.white)
    p.setPen(Qt.PenStyle.NoPen)
    p.drawEllipse(QRect(3240, 480, 520, 500))  # the sun
    p.end()
    until(app, lambda: canvas.image() is not None and canvas.is_mask_empty())
    canvas.set_mask(mask2)
    win.state.set_prompt("a small hot-air balloon")
    until(app, lambda: win.state.plan is not None and not win.planner.pending)
    win.run()
    until(app, lambda: bool(done))
    second = done.pop()
    win.show_page(3)
    win.history_panel.select_run(second.run_id)  # type: ignore[attr-defined]
    pump(app, 1.5)
    win.grab().save(str(HERE / "lineage.png"))
    del first
    win.close()
    hub.stop()


if __name__ == "__main__":
    main()
