"""``retouch --self-test``: an offline end-to-end check of this installation.

Starts the fake hub on loopback, opens the real main window (offscreen without a display),
loads a generated photo, paints a mask, runs an edit, and verifies the saved result and the
mask the hub received. Prints one line, then (on success) the Qt platform plugin, keyring
backend and data folder found; exit 0 on success, 1 with the reason otherwise.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

TIMEOUT_S = 90.0


class SelfTestFailure(Exception):
    pass


def _wait(app: object, condition: object, what: str, timeout: float = TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise SelfTestFailure(f"timed out waiting for {what}")
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.01)


def run_self_test() -> int:
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from retouch.core.diagnostics import data_folder_path

    # The installation's own data folder, named in the report (the test itself uses a scratch one).
    user_data = data_folder_path()
    with tempfile.TemporaryDirectory(prefix="retouch-selftest-") as tmp:
        os.environ["RETOUCH_DATA_DIR"] = str(Path(tmp) / "data")
        started = time.monotonic()
        facts: dict[str, str] = {}
        try:
            detail = _run(Path(tmp), facts)
        except SelfTestFailure as exc:
            print(f"self-test FAILED: {exc}")
            return 1
        except Exception as exc:  # noqa: BLE001 - one line, never a traceback
            print(f"self-test FAILED: {type(exc).__name__}: {exc}")
            return 1
        print(f"self-test passed in {time.monotonic() - started:.1f} s: {detail}")
        print(_facts_text(facts, user_data))
        return 0


def _facts_text(facts: dict[str, str], user_data: Path) -> str:
    """The installation facts support asks for: platform plugin, keyring backend, data folder."""
    from retouch.core.diagnostics import gather

    report = gather(
        qt_platform=facts.get("platform"),
        qt_version=facts.get("qt"),
        data_folder=user_data,
        include_key_source=False,
    )
    keep = ("Retouch", "Qt", "Qt platform plugin", "Keyring backend", "Data folder")
    return "\n".join(f"  {k}: {v}" for k, v in report.facts if k in keep)


def _run(tmp: Path, facts: dict[str, str]) -> str:
    from PIL import Image, ImageDraw
    from PySide6.QtCore import Qt, qVersion
    from PySide6.QtGui import QImage, QPainter

    from retouch.core.settings import Settings
    from retouch.fakehub import FakeHub
    from retouch.ui.app import create_app
    from retouch.ui.main_window import MainWindow

    photo = tmp / "self test photo.png"
    img = Image.new("RGB", (640, 480), (40, 90, 160))
    ImageDraw.Draw(img).ellipse((200, 120, 440, 360), fill=(240, 200, 40))
    img.save(photo)

    app = create_app()
    facts["platform"] = app.platformName()
    facts["qt"] = qVersion()
    hub = FakeHub(port=0, api_key="self-test").start()
    try:
        window = MainWindow(
            Settings(tmp / "data"), demo_base_url=hub.base_url, demo_key="self-test"
        )
        window.settings.set("output_dir", str(tmp / "out"))
        window.show()
        window.tray.add_paths([photo])
        _wait(app, lambda: window.tray.items() and not window.tray.is_loading(), "the image")
        if window.tray.first_image() is None:
            raise SelfTestFailure("the test image could not be loaded")
        _wait(app, lambda: window.canvas_panel.canvas.zoom() > 0, "the canvas")

        mask = QImage(640, 480, QImage.Format.Format_Grayscale8)
        mask.fill(0)
        painter = QPainter(mask)
        painter.fillRect(320, 0, 320, 480, Qt.GlobalColor.white)
        painter.end()
        window.canvas_panel.canvas.set_mask(mask)
        if window.canvas_panel.canvas.is_mask_empty():
            raise SelfTestFailure("the painted mask was not taken")

        # The whole photo is sent (at the model's size) and the result placed back into it:
        # the mask must come at the size of what is sent, half white, and the saved result
        # at the photo's own size.
        window.state.update_placement(region="whole")
        window.sidebar.prompt.setPlainText("self-test: tint the right half")
        outcome: dict[str, object] = {}
        window.controller.finished.connect(lambda o: outcome.setdefault("ok", o))
        window.controller.failed.connect(lambda e: outcome.setdefault("error", e))
        window.run()
        _wait(app, lambda: outcome, "the edit")
        if "error" in outcome:
            raise SelfTestFailure(f"the edit failed: {outcome['error']}")
        results = outcome["ok"].results  # type: ignore[attr-defined]
        if not results:
            raise SelfTestFailure("the edit returned no result")
        saved = results[0].path
        with Image.open(saved) as out:
            out.load()
            size = out.size
        sent = hub.edit_requests()[-1]
        sent_size = sent.input_sizes[0] if sent.input_sizes else None
        if sent.mask_size is None or sent.mask_size != sent_size:
            raise SelfTestFailure(
                f"the hub received a mask of {sent.mask_size} for an image of {sent_size}"
            )
        if not 0.45 < (sent.mask_white_fraction or 0) < 0.55:
            raise SelfTestFailure("the mask polarity or area is wrong")
        if size != (640, 480):
            raise SelfTestFailure(f"the result came back at {size}, not the photo's 640×480")
        window.close()
        return f"{len(results)} result(s) of {size[0]}×{size[1]} saved, mask verified"
    finally:
        hub.stop()
