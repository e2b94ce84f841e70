"""Every text the window shows reads at WCAG AA (4.5:1), in the light and the dark scheme.

Each page and dialog is put in the states a user sees (empty, loaded, running, results,
before/after, compare both ways, history, an error banner, Settings, Welcome), and every
visible text-bearing widget is measured where it is drawn: ``tests/ui/contrast.py`` grabs
the window with and without that widget's text and compares the text's pixels with what is
behind them. The lowest ratio found per scheme is printed (``-s`` shows it).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QWidget

from retouch.ui import theme
from tests.ui.conftest import wait_inputs_ready
from tests.ui.contrast import AA, Run, measure_window

SCHEMES = {"light": theme.LIGHT, "dark": theme.DARK}


@pytest.fixture(params=list(SCHEMES))
def scheme(request, qapp) -> Iterator[str]:
    theme.apply_scheme(qapp, SCHEMES[request.param])
    yield request.param
    theme.apply_scheme(qapp, theme.LIGHT)


def paint_mask(window) -> None:
    image = window.tray.first_image()
    mask = QImage(image.width(), image.height(), QImage.Format.Format_Grayscale8)
    mask.fill(0)
    p = QPainter(mask)
    p.setBrush(Qt.GlobalColor.white)
    p.setPen(Qt.PenStyle.NoPen)
    p.drawEllipse(QPointF(image.width() * 0.6, image.height() * 0.4), 60, 50)
    p.end()
    window.canvas_panel.canvas.set_mask(mask)


class Collector:
    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.runs: dict[str, list[Run]] = {}

    def measure(self, state: str, widget: QWidget) -> list[Run]:
        QApplication.processEvents()
        self.qtbot.wait(30)  # a paint pass for what just changed
        runs = measure_window(widget)
        self.runs[state] = runs
        return runs

    def failures(self) -> list[str]:
        return [
            f"{state}: {run}" for state, runs in self.runs.items() for run in runs
            if run.contrast < AA
        ]  # fmt: skip

    def lowest(self) -> Run:
        return min((r for runs in self.runs.values() for r in runs), key=lambda r: r.contrast)

    def widgets(self, state: str) -> set[str]:
        return {r.widget for r in self.runs[state]}


def test_every_text_reads_at_aa_in_both_schemes(qtbot, window, photos, hub_env, scheme):
    seen = Collector(qtbot)
    window.resize(1280, 800)
    seen.measure("empty window", window)
    # What an empty page says is measured too.
    assert {"MaskCanvas#maskCanvas", "_TrayList#inputList"} <= seen.widgets("empty window")

    window.tray.add_paths(photos)
    wait_inputs_ready(qtbot, window, 2)
    paint_mask(window)
    window.sidebar.prompt.setPlainText("a warmer light")
    window.findChild(object, "param_num_images").setValue(2)
    seen.measure("loaded and painted", window)

    hub_env.delay = 30  # the hub thinks long: the run is on while it is measured
    window.run()
    qtbot.waitUntil(lambda: window.controller.running, timeout=5000)
    qtbot.waitUntil(lambda: window.canvas_panel.run_card.isVisible(), timeout=5000)
    seen.measure("running, canvas", window)
    assert "QLabel#canvasRunCardTitle" in seen.widgets("running, canvas")
    window.show_page(1)
    seen.measure("running, results", window)
    window.cancel_run()
    qtbot.waitUntil(lambda: not window.controller.running, timeout=15000)
    seen.measure("cancelled (info banner)", window)

    hub_env.delay = 0
    window.show_page(0)
    with qtbot.waitSignal(window.controller.finished, timeout=30000):
        window.run()
    qtbot.waitUntil(lambda: window.results.count() == 2, timeout=10000)
    seen.measure("results", window)
    window.results.before_button.setChecked(True)
    seen.measure("results, before", window)
    window.results.before_button.setChecked(False)
    window.show_page(2)
    seen.measure("compare, wipe", window)
    window.compare_mode.click()
    seen.measure("compare, side by side", window)
    window.show_page(3)
    qtbot.waitUntil(lambda: window.history_panel.model.rowCount() >= 1, timeout=5000)
    seen.measure("history", window)
    assert "_RunList#historyList" in seen.widgets("history")
    window.show_page(0)
    window.show_message("error", "The hub did not accept your API key.", "settings")
    seen.measure("error banner", window)
    assert "QLabel#bannerText" in seen.widgets("error banner")

    from retouch.ui.dialogs import SettingsDialog, WelcomeDialog

    dialog = SettingsDialog(window.settings, window)
    qtbot.addWidget(dialog)
    dialog.upload_repo.setChecked(True)  # its warning shows
    dialog.show()
    qtbot.waitExposed(dialog)
    seen.measure("settings", dialog)
    dialog.close()
    welcome = WelcomeDialog()
    qtbot.addWidget(welcome)
    welcome.show()
    qtbot.waitExposed(welcome)
    seen.measure("welcome", welcome)
    welcome.close()

    lowest = seen.lowest()
    print(f"\n{scheme}: lowest contrast {lowest.contrast:.2f}:1 — {lowest}")
    assert not seen.failures(), "\n".join(seen.failures())
    # Something was measured in every state (a broken measurement would pass vacuously).
    assert all(len(runs) >= 5 for runs in seen.runs.values()), {
        k: len(v) for k, v in seen.runs.items()
    }


def test_text_colours_are_never_set_by_style_sheets(qtbot, window):
    """The contrast test hides text through palettes; a colour from a style sheet would
    stay and its text would go unmeasured. Backgrounds may come from style sheets."""
    window.show_message("error", "x", "settings")
    for page in range(4):
        window.show_page(page)
    offenders = []
    for w in [window, *window.findChildren(QWidget)]:
        sheet = w.styleSheet().replace("background-color", "background")
        if "color" in sheet:
            offenders.append(f"{type(w).__name__}#{w.objectName()}: {w.styleSheet()}")
    assert not offenders, offenders


def test_the_measurement_catches_faint_text(qtbot, qapp):
    """The measuring tool itself: grey on white is caught, black on white passes."""
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QLabel, QVBoxLayout

    host = QWidget()
    qtbot.addWidget(host)
    layout = QVBoxLayout(host)
    faint, clear = QLabel("Faint secondary text"), QLabel("Clear primary text")
    for label, colour in ((faint, "#b0b0b0"), (clear, "#202020")):
        pal = label.palette()
        pal.setColor(QPalette.ColorRole.WindowText, QColor(colour))
        pal.setColor(QPalette.ColorRole.Window, QColor("white"))
        label.setPalette(pal)
        label.setAutoFillBackground(True)
        layout.addWidget(label)
    host.resize(300, 80)
    host.show()
    qtbot.waitExposed(host)
    values = sorted(r.contrast for r in measure_window(host))
    assert len(values) == 2
    assert values[0] == pytest.approx(2.1, abs=0.15)  # #b0b0b0 on white
    assert values[1] > 15
