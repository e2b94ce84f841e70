"""The offline demo's results are kept apart from paid ones: their own folder, names and
sidecars that say demo, demo runs marked in the history (and never resumed against the real
hub), the window's title says Demo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from retouch.core.profile import DEMO_OUTPUTS
from tests.ui.conftest import wait_inputs_ready


@pytest.fixture
def demo_window(qtbot, fake_hub, isolated_env: Path):
    from retouch.core.settings import Settings
    from retouch.ui.app import create_app
    from retouch.ui.main_window import MainWindow

    create_app()
    settings = Settings(isolated_env)
    settings.set("output_dir", str(isolated_env / "paid-results"))  # the user's real folder
    settings.set("use_queue", False)
    win = MainWindow(settings, demo_base_url=fake_hub.base_url, demo_key="test-key")
    win.poll_interval = 0.05
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    if win.controller.running:
        win.controller.shutdown(10000)


def test_demo_results_go_apart_named_and_marked(qtbot, demo_window, photos, isolated_env):
    win = demo_window
    win.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, win, 1)
    win.sidebar.prompt.setPlainText("a tint")
    win.findChild(object, "param_num_images").setValue(2)
    with qtbot.waitSignal(win.controller.finished, timeout=30000) as blocker:
        win.run()
    outcome = blocker.args[0]
    assert len(outcome.results) == 2
    folder = isolated_env / DEMO_OUTPUTS
    for saved in outcome.results:
        assert saved.path.parent == folder
        assert saved.path.name.startswith("demo-first-photo-")
        assert json.loads(saved.sidecar.read_text("utf-8"))["demo"] is True
    assert not (isolated_env / "paid-results").exists()  # nothing mixed with paid results
    record = win.history.get(outcome.run_id)
    assert record is not None and record.demo
    # The History page says so on the run's card.
    from retouch.ui.history.run_delegate import is_demo

    win.show_page(3)
    qtbot.waitUntil(lambda: win.history_panel.model.rowCount() == 1, timeout=5000)
    assert is_demo(win.history_panel.model.record(0))


def test_paid_runs_are_not_marked(qtbot, window, photos, isolated_env):
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    window.sidebar.prompt.setPlainText("real")
    with qtbot.waitSignal(window.controller.finished, timeout=30000) as blocker:
        window.run()
    saved = blocker.args[0].results[0]
    assert saved.path.parent == isolated_env / "out"
    assert not saved.path.name.startswith("demo-")
    assert "demo" not in json.loads(saved.sidecar.read_text("utf-8"))
    assert not window.history.get(blocker.args[0].run_id).demo


def test_demo_queue_runs_are_never_collected_later(tmp_path):
    """A demo run left on the (in-process) stand-in's queue is not resumed by a later,
    real session: its hub is gone, and the real hub never saw it."""
    from retouch.core.history import HistoryStore

    demo = HistoryStore(tmp_path / "history", demo=True)
    run_id = demo.begin_run(
        model="gpt-image-2-edit", prompt="p", params={}, inputs=[b"\x89PNG\r\n\x1a\nx"],
        input_names=["a.png"], mask=None, estimated_cost=0.22, mode="queue",
    )  # fmt: skip
    demo.set_generation_ids(run_id, ["g1"])
    demo.close()
    real = HistoryStore(tmp_path / "history")
    assert real.get(run_id).demo
    assert real.pending_queue_runs() == []
    paid = real.begin_run(
        model="gpt-image-2-edit", prompt="p", params={}, inputs=[b"\x89PNG\r\n\x1a\ny"],
        input_names=["b.png"], mask=None, estimated_cost=0.22, mode="queue",
    )  # fmt: skip
    real.set_generation_ids(paid, ["g2"])
    assert [r.id for r in real.pending_queue_runs()] == [paid]
    real.close()


def test_the_demo_window_title(qtbot, demo_window, window):
    assert demo_window.windowTitle() == "Retouch — Demo"
    assert window.windowTitle() == "Retouch"
    # Qt appends an explicitly set display name to every title ("… — Retouch"); none is set:
    # the display name follows the application name.
    app = QApplication.instance()
    name = app.applicationName()
    app.setApplicationName("probe")
    try:
        assert app.applicationDisplayName() == "probe"
    finally:
        app.setApplicationName(name)
