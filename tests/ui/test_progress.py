"""Progress where the eye is: while a run is on, the canvas and the results area say so (a
placeholder tile per image coming, the elapsed time, Cancel); results fill the tiles as they
arrive, and the keyboard focus goes to the first."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import make_photo, wait_inputs_ready


def start_slow_run(qtbot, window, photos, hub, images: int = 2, delay: float = 30) -> None:
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    window.sidebar.prompt.setPlainText("brighter")
    window.findChild(object, "param_num_images").setValue(images)
    hub.delay = delay
    window.run()
    qtbot.waitUntil(lambda: window.controller.running, timeout=5000)


def test_the_canvas_and_the_results_show_a_run_in_progress(qtbot, window, photos, hub_env):
    start_slow_run(qtbot, window, photos, hub_env, images=3)
    card = window.canvas_panel.run_card
    qtbot.waitUntil(card.isVisible, timeout=5000)
    assert card.title.text() == "Generating 3 images"
    assert card.cancel_button.isVisible() and card.cancel_button.isEnabled()
    # The time goes on: the card's clock ticks while the hub thinks.
    first = card.detail.text()
    assert first.endswith("0:00")
    qtbot.waitUntil(lambda: card.detail.text().endswith("0:01"), timeout=5000)
    results = window.results
    assert results.placeholders() == 3 and results.count() == 0
    assert results.run_card.isVisible() or not results.isVisible()
    window.show_page(1)
    assert results.run_card.isVisible()
    assert results.run_card.title.text() == "Generating 3 images"
    # Cancel on the card cancels the run; the tiles go, the cards go.
    qtbot.mouseClick(results.run_card.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.controller.running, timeout=15000)
    assert results.placeholders() == 0
    assert not card.isVisible() and not results.run_card.isVisible()


def test_results_fill_the_tiles_as_they_arrive_and_take_the_focus(qtbot, window, photos, hub_env):
    start_slow_run(qtbot, window, photos, hub_env, images=2, delay=0.3)
    results = window.results
    assert results.placeholders() == 2
    seen = []

    def arrived(_result, _images) -> None:
        # After the window handled it: how many tiles still wait, where the focus is.
        QApplication.processEvents()
        seen.append((results.count(), results.placeholders(), QApplication.focusWidget()))

    window.controller.result.connect(arrived)
    with qtbot.waitSignal(window.controller.finished, timeout=30000):
        pass
    assert [s[:2] for s in seen] == [(1, 1), (2, 0)]  # the first tile filled, then the second
    assert seen[0][2] is results.gallery
    assert window.pager.current() == 1  # the Results page came forward with the first
    assert results.current_row() == 0
    assert window.pager.buttons[1].text() == "Results (2)"


def test_a_run_that_brings_nothing_gives_the_last_results_back(qtbot, window, photos, hub_env):
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    window.sidebar.prompt.setPlainText("first")
    with qtbot.waitSignal(window.controller.finished, timeout=30000):
        window.run()
    qtbot.waitUntil(lambda: window.results.count() == 1, timeout=10000)
    kept = window.results.gallery.results()[0].path
    from retouch.fakehub import Fault

    hub_env.add_fault(Fault("status", status=500, message="boom"))
    with qtbot.waitSignal(window.controller.failed, timeout=30000):
        window.run()
    assert window.results.placeholders() == 0
    assert [r.path for r in window.results.gallery.results()] == [kept]


def test_a_run_starting_moves_nothing_and_the_tiles_have_the_results_shape(
    qtbot, window, tmp_path, hub_env
):
    """The prompt keeps its place when Run becomes Cancel and the progress appears; the
    waiting tiles are shaped like the image (1600 × 1000), so the row keeps its height."""
    window.resize(1280, 800)
    window.show()
    window.tray.add_paths([make_photo(tmp_path / "wide.png", (1600, 1000))])
    wait_inputs_ready(qtbot, window, 1)
    window.sidebar.prompt.setPlainText("brighter")
    QApplication.processEvents()
    before = window.sidebar.prompt.geometry()
    hub_env.delay = 30
    window.run()
    qtbot.waitUntil(lambda: window.controller.running, timeout=5000)
    QApplication.processEvents()
    assert window.sidebar.phase_label.isVisible()
    assert window.sidebar.prompt.geometry() == before
    tile = window.results.gallery.model_.item(0).icon()
    size = tile.availableSizes()[0] if tile.availableSizes() else tile.actualSize(QSize(112, 112))
    assert abs(size.width() / size.height() - 1.6) < 0.05
    window.cancel_run()
    qtbot.waitUntil(lambda: not window.controller.running, timeout=15000)
