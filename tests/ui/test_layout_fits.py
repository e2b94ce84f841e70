"""The canvas's controls fit a laptop screen: at 1280×800 and up every tool and action is
shown (no overflow chevron, nothing compacted away); smaller, the least used go first,
into a labelled More menu; at 200 % scaling the same holds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QToolButton, QWidget

from tests.ui.conftest import wait_inputs_ready

# A 1280×800 screen as a window gets it: the whole screen, and the screen less a title bar
# and a panel; then the default size and a desktop.
SIZES = [(1280, 800), (1280, 740), (1360, 860), (1920, 1080)]


def settle(qtbot, window, size) -> None:
    window.resize(*size)
    QApplication.processEvents()
    qtbot.wait(20)


def shown_fully(widget, bar) -> bool:
    """Visible, and inside its bar (not cut off by its edge)."""
    if not widget.isVisible():
        return False
    top_left = widget.mapTo(bar, widget.rect().topLeft())
    return bar.rect().contains(QRect(top_left, widget.size()))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_canvas_control_is_shown_at_1280x800_and_up(qtbot, window, photos, size):
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    settle(qtbot, window, size)
    panel = window.canvas_panel
    for bar in panel.bars():
        assert not bar.left_out(), (
            bar.objectName(),
            [i.widget.objectName() for i in bar.left_out()],
        )
        assert not bar.compacted(), (
            bar.objectName(),
            [i.widget.objectName() for i in bar.compacted()],
        )
        assert bar.more.isHidden()
        for item in bar.items:
            assert shown_fully(item.widget, bar), (bar.objectName(), item.widget.objectName())
    # Every panel action with an icon has a visible button of its own.
    shown = {
        b.defaultAction()
        for b in panel.findChildren(QToolButton)
        if b.isVisible() and b.defaultAction() is not None
    }
    with_icons = [a for a in panel.actions() if not a.icon().isNull()]
    missing = [a.objectName() for a in with_icons if a not in shown]
    assert not missing, missing
    # And no toolbar's overflow chevron anywhere in the window.
    chevrons = [
        b for b in window.findChildren(QToolButton) if b.objectName() == "qt_toolbar_ext_button"
    ]
    assert not [b for b in chevrons if b.isVisible()]


def test_smaller_windows_leave_out_the_least_used_first(qtbot):
    from retouch.ui.canvas import CanvasPanel
    from tests.ui.canvas.conftest import make_image

    panel = CanvasPanel()
    qtbot.addWidget(panel)
    panel.set_image(make_image(800, 600))
    panel.resize(900, 700)
    panel.show()
    qtbot.waitExposed(panel)
    strip, options, _zoom = panel.bars()
    assert not strip.left_out() and strip.more.isHidden()
    panel.resize(900, 330)  # short: the tool column runs out first
    QApplication.processEvents()
    out = strip.left_out()
    assert out, "nothing was left out of a short tool column"
    kept = [i for i in strip.items if not i.left_out and i.widget.objectName() != "barSeparator"]
    assert max(i.priority for i in out) <= min(i.priority for i in kept)
    names = {i.widget.objectName() for i in out}
    assert {"actionImportMaskButton", "actionExportMaskButton"} <= names  # the least used
    assert "actionBrushButton" not in names  # the tools stay
    # What was left out is offered under a labelled More button (and stays in the menus).
    assert strip.more.isVisible() and strip.more.text() == "More"
    offered = {a.objectName() for a in strip.more.menu().actions()}
    assert {"actionImportMask", "actionExportMask"} <= offered
    # Narrow: the options lose their sliders first (the number boxes stay).
    panel.resize(420, 700)
    QApplication.processEvents()
    assert options.compacted()
    assert panel.findChild(QWidget, "brushSizeSpin").isVisible()
    assert not panel.findChild(QWidget, "hardnessSlider").isVisible()
    panel.resize(900, 700)
    QApplication.processEvents()
    assert not strip.left_out() and strip.more.isHidden() and not options.compacted()


def test_the_window_fits_at_200_percent(tmp_path: Path):
    """At QT_SCALE_FACTOR=2 a 1280×800 window (2560×1600 device pixels) still shows every
    canvas control, and its icons are drawn at device pixels (crisp, not scaled up)."""
    script = textwrap.dedent(
        """
        import json, os, sys
        from PySide6.QtCore import QSize
        from PySide6.QtWidgets import QApplication
        from retouch.core.settings import Settings
        from retouch.ui.app import create_app
        from retouch.ui.main_window import MainWindow
        from pathlib import Path
        app = create_app()
        win = MainWindow(Settings(Path(os.environ["RETOUCH_DATA_DIR"])))
        win.resize(1280, 800)
        win.show()
        for _ in range(20):
            app.processEvents()
        bars = win.canvas_panel.bars()
        icon = win.canvas_panel.actionBrush.icon().pixmap(QSize(20, 20), win.devicePixelRatioF())
        grab = win.grab()
        print(json.dumps({
            "dpr": win.devicePixelRatioF(),
            "left_out": [i.widget.objectName() for b in bars for i in b.left_out()],
            "compacted": [i.widget.objectName() for b in bars for i in b.compacted()],
            "icon": [icon.width(), icon.height(), icon.devicePixelRatio()],
            "grab": [grab.width(), grab.height()],
        }))
        win.close()
        """
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR="2")
    env["RETOUCH_DATA_DIR"] = str(tmp_path / "data")
    env["RETOUCH_API_BASE"] = "http://127.0.0.1:9/api"
    env.pop("OXEN_API_KEY", None)
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    facts = json.loads(out.stdout.strip().splitlines()[-1])
    assert facts["dpr"] == 2.0
    assert facts["left_out"] == [] and facts["compacted"] == []
    assert facts["icon"] == [40, 40, 2.0]  # 20 px drawn at 40 device pixels
    assert facts["grab"] == [2560, 1600]


@pytest.mark.parametrize(
    ("screen", "maximised"),
    [((1280, 800), True), ((1366, 768), True), ((1440, 900), True), ((1920, 1080), False)],
    ids=lambda v: "x".join(map(str, v)) if isinstance(v, tuple) else str(v),
)
def test_the_first_start_fits_the_screen(window, screen, maximised):
    """With no size remembered, the default size (1360×860) spills past a laptop screen and
    hides Run: the window opens maximised there; a desktop screen keeps the default."""
    window.showNormal()
    window.resize(1360, 860)
    window.session.fit_first_start(QRect(0, 0, *screen))
    assert window.isMaximized() is maximised


def test_a_remembered_size_is_kept_on_a_small_screen(window):
    window.showNormal()
    window.resize(1360, 860)
    window.session.save_window()
    window.session.fit_first_start(QRect(0, 0, 1280, 800))
    assert not window.isMaximized()


def test_the_app_opens_within_the_screen(qtbot, isolated_env, monkeypatch):
    """The real start (open_main_window) on a screen smaller than the default size: the
    window is maximised, so Run is on the screen. (The offscreen screen is 800×800.)"""
    from retouch.core.settings import Settings
    from retouch.ui.app import create_app, open_main_window

    create_app()
    window = open_main_window([], settings=Settings(isolated_env))
    qtbot.addWidget(window)
    qtbot.waitUntil(window.isVisible)
    assert window.isMaximized()
    screen = window.screen().availableGeometry()
    qtbot.waitUntil(lambda: screen.contains(window.geometry()), timeout=5000)
    run = window.sidebar.run_button
    top_left = run.mapToGlobal(run.rect().topLeft())
    assert screen.contains(QRect(top_left, run.size()))
