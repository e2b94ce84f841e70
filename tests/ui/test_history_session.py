"""Every paid result kept and found again: history, session restore, compare, queue resume."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter

from retouch.core import errors as E
from retouch.core.history import HistoryStore
from tests import children
from tests.ui.conftest import wait_inputs_ready


def paint_left_half(window) -> None:
    image = window.tray.first_image()
    mask = QImage(image.width(), image.height(), QImage.Format.Format_Grayscale8)
    mask.fill(0)
    painter = QPainter(mask)
    painter.fillRect(0, 0, image.width() // 2, image.height(), Qt.GlobalColor.white)
    painter.end()
    window.canvas_panel.canvas.set_mask(mask)


def run_and_wait(qtbot, window, prompt="warmer light"):
    window.sidebar.prompt.setPlainText(prompt)
    qtbot.waitUntil(lambda: window.sidebar.run_button.isEnabled(), timeout=5000)
    with qtbot.waitSignal(window.controller.finished, timeout=30000) as blocker:
        qtbot.mouseClick(window.sidebar.run_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def new_window(qtbot, data: Path, *, queue: bool = False):
    from retouch.core.settings import Settings
    from retouch.ui.main_window import MainWindow

    settings = Settings(data)
    settings.set("use_queue", queue)
    win = MainWindow(settings)
    win.poll_interval = 0.05
    qtbot.addWidget(win)
    win.show()
    return win


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_run_is_recorded_with_its_files(qtbot, window, photos, isolated_env):
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    paint_left_half(window)
    window.findChild(object, "param_num_images").setValue(2)
    outcome = run_and_wait(qtbot, window)
    record = window.history.get(outcome.run_id)
    assert record is not None and record.status == "succeeded"
    assert record.prompt == "warmer light" and record.params["num_images"] == 2
    assert record.input_names == ["first photo.png"]
    assert sha(record.input_paths[0]) == sha(photos[0])
    assert record.mask_path is not None and record.mask_path.exists()
    assert record.estimated_cost == 0.44
    assert [sha(o.path) for o in record.outputs] == [sha(r.path) for r in outcome.results]
    window.show_page(3)
    qtbot.waitUntil(
        lambda: window.history_panel.findChild(object, "historyList").model().rowCount() == 1,
        timeout=5000,
    )


def test_restart_restores_session_and_shows_history(qtbot, hub_env, isolated_env, photos):
    win = new_window(qtbot, isolated_env)
    win.settings.set("output_dir", str(isolated_env / "out"))
    win.tray.add_paths(photos)
    wait_inputs_ready(qtbot, win, 2)
    paint_left_half(win)
    win.findChild(object, "param_output_format").setCurrentIndex(2)  # webp
    run_and_wait(qtbot, win, "a quiet harbour at dawn")
    win.results.select(0)
    assert win.close()

    again = new_window(qtbot, isolated_env)
    again.restore_session()
    wait_inputs_ready(qtbot, again, 2)
    assert [it.ref.label for it in again.tray.items()] == ["first photo.png", "référence.jpg"]
    assert again.sidebar.prompt.toPlainText() == "a quiet harbour at dawn"
    assert again.findChild(object, "param_output_format").currentData() == "webp"
    qtbot.waitUntil(lambda: not again.canvas_panel.canvas.is_mask_empty(), timeout=5000)
    exported = again.canvas_panel.canvas.mask_for_export()
    assert exported.pixelColor(10, 10).red() == 255  # left half: edit
    assert exported.pixelColor(exported.width() - 10, 10).red() == 0
    qtbot.waitUntil(lambda: again.results.count() == 1, timeout=5000)
    again.show_page(3)
    listing = again.history_panel.findChild(object, "historyList")
    qtbot.waitUntil(lambda: listing.model().rowCount() == 1, timeout=5000)


def test_open_from_history_restores_the_editor(qtbot, window, photos):
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    window.findChild(object, "param_num_images").setValue(3)
    outcome = run_and_wait(qtbot, window, "first idea")
    window.tray.clear()
    window.sidebar.prompt.setPlainText("something else")
    window.findChild(object, "param_num_images").setValue(1)
    window.open_run(outcome.run_id)
    wait_inputs_ready(qtbot, window, 1)
    assert window.sidebar.prompt.toPlainText() == "first idea"
    assert window.findChild(object, "param_num_images").value() == 3
    assert window.tray.items()[0].ref.label == "first photo.png"
    qtbot.waitUntil(lambda: window.results.count() == 3, timeout=5000)


def test_rerun_from_history_sends_it_again(qtbot, window, photos, hub_env):
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    outcome = run_and_wait(qtbot, window, "again please")
    with qtbot.waitSignal(window.controller.finished, timeout=30000):
        window.history_panel.rerunRequested.emit(outcome.run_id)
    assert [r.json["prompt"] for r in hub_env.edit_requests()] == ["again please"] * 2
    assert window.history.count() == 2


def test_compare_shows_the_input_against_the_selected_result(qtbot, window, photos):
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    window.findChild(object, "param_num_images").setValue(2)
    run_and_wait(qtbot, window)
    window.results.select(1)
    window.show_page(2)
    images = window.compare.images()
    assert len(images) == 3
    assert images[0].size() == window.tray.first_image().size()
    assert window.compare.labels() == ["Before", "Result 1", "Result 2"]
    assert window.compare.current() == 2
    qtbot.mouseClick(window.compare_mode, Qt.MouseButton.LeftButton)
    assert window.compare.mode() == "side"


def test_queue_mode_collects_results_and_stores_generation_ids(
    qtbot, hub_env, isolated_env, photos
):
    win = new_window(qtbot, isolated_env, queue=True)
    qtbot.waitUntil(lambda: win.queue_available, timeout=10000)
    win.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, win, 1)
    win.findChild(object, "param_num_images").setValue(2)
    outcome = run_and_wait(qtbot, win)
    assert len(outcome.results) == 2
    submitted = hub_env.queue_requests()
    assert len(submitted) == 1 and submitted[0].json["num_generations"] == 2
    assert hub_env.edit_requests() == []
    record = win.history.get(outcome.run_id)
    assert len(record.generation_ids) == 2 and record.mode == "queue"
    assert record.status == "succeeded" and len(record.outputs) == 2


def test_cancel_in_queue_mode_deletes_the_generations(qtbot, hub_env, isolated_env, photos):
    hub_env.queue_steps = 10_000  # never finishes by itself
    win = new_window(qtbot, isolated_env, queue=True)
    qtbot.waitUntil(lambda: win.queue_available, timeout=10000)
    win.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, win, 1)
    win.findChild(object, "param_num_images").setValue(2)
    win.sidebar.prompt.setPlainText("slow")
    win.run()
    qtbot.waitUntil(lambda: len(hub_env.queue_requests()) == 1, timeout=10000)
    qtbot.waitUntil(
        lambda: any(
            r.method == "GET" and r.path.startswith("/ai/queue/") for r in hub_env.requests
        ),
        timeout=10000,
    )
    with qtbot.waitSignal(win.controller.failed, timeout=10000) as blocker:
        qtbot.mouseClick(win.sidebar.cancel_button, Qt.MouseButton.LeftButton)
    assert isinstance(blocker.args[0], E.CancelledError)
    deleted = [r.path for r in hub_env.requests if r.method == "DELETE"]
    assert len(deleted) == 2
    for path in deleted:
        assert hub_env.generation(path.rsplit("/", 1)[-1])["status"] == "cancelled"


_CHILD = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from retouch.core.settings import Settings
    from retouch.core.paths import data_dir
    from retouch.ui.app import create_app
    from retouch.ui.main_window import MainWindow
    app = create_app()
    settings = Settings(data_dir())
    settings.set("use_queue", sys.argv[2].startswith("queue"))
    win = MainWindow(settings)
    win.poll_interval = 0.05
    win.show()
    win.tray.add_paths([sys.argv[1]])
    def go():
        if win.tray.is_loading() or not win.tray.items() or (
            sys.argv[2].startswith("queue") and not win.queue_available):
            return
        timer.stop()
        win.sidebar.prompt.setPlainText("killed mid-flight")
        if sys.argv[2] == "queue-2":
            win.findChild(object, "param_num_images").setValue(2)
        win.run()
    from PySide6.QtCore import QTimer
    timer = QTimer(); timer.timeout.connect(go); timer.start(20)
    app.exec()
    """
)


def _start_child(photo: Path, mode: str, env_data: Path, hub) -> subprocess.Popen:
    env = dict(
        os.environ,
        RETOUCH_DATA_DIR=str(env_data),
        OXEN_API_KEY="test-key",
        RETOUCH_API_BASE=hub.base_url,
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    return subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(photo), mode],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_for(cond, proc: subprocess.Popen, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while not cond():
        assert proc.poll() is None, "the app exited before the test could kill it"
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


def test_sigkill_during_a_sync_run_leaves_a_clean_store(hub_env, isolated_env, photos):
    from retouch.fakehub import Fault

    hub_env.add_fault(Fault("delay", seconds=30))
    proc = _start_child(photos[0], "sync", isolated_env, hub_env)
    try:
        _wait_for(lambda: len(hub_env.edit_requests()) == 1, proc)
        # The run was recorded before it was sent: it is there to be marked interrupted.
        _wait_for(lambda: [r[0] for r in children.history_rows(isolated_env)] == ["running"], proc)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    with HistoryStore(isolated_env / "history") as store:
        interrupted = store.recover()
        assert [r.prompt for r in interrupted] == ["killed mid-flight"]
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.get(interrupted[0].id).status == "interrupted"
    assert (isolated_env / "settings.json").exists()


def test_sigkill_during_a_queue_run_is_collected_on_next_start(
    qtbot, hub_env, isolated_env, photos
):
    """Killed with one of its two results saved: the next start shows both (the one from
    history and the one collected now) and its input, and sends nothing again."""
    hub_env.queue_steps = 10**9  # nothing finishes until the test says so
    proc = _start_child(photos[0], "queue-2", isolated_env, hub_env)
    try:
        _wait_for(lambda: len(hub_env.queue_requests()) == 1, proc)
        # The generation ids are stored right after the submit: then it is resumable.
        _wait_for(lambda: any(r[1] != "[]" for r in children.history_rows(isolated_env)), proc)
        _finish_first_generation(hub_env)
        _wait_for(lambda: any(r[2] == 1 for r in children.history_rows(isolated_env)), proc)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    hub_env.queue_steps = 1
    win = new_window(qtbot, isolated_env, queue=True)
    qtbot.waitUntil(lambda: win.results_if_built() is not None, timeout=20000)
    qtbot.waitUntil(lambda: win.results.count() == 2, timeout=20000)
    qtbot.waitUntil(lambda: not win.controller.running, timeout=10000)
    wait_inputs_ready(qtbot, win, 1)
    assert win.tray.items()[0].ref.label == "first photo.png"
    runs = win.history.runs()
    assert len(runs) == 1
    assert runs[0].status == "succeeded" and len(runs[0].outputs) == 2
    assert all(o.path.exists() for o in runs[0].outputs)
    assert len(hub_env.queue_requests()) == 1  # collected, not sent again
    assert hub_env.edit_requests() == []


def _finish_first_generation(hub) -> None:
    with hub._lock:
        (first,) = [g for g in hub._generations.values() if g.index == 0]
    with first.lock:
        first.polls = hub.queue_steps - 1  # succeeds on its next poll


def test_page_shortcuts_switch_pages(qtbot, window):
    window.activateWindow()
    window.setFocus()
    for key, page in ((Qt.Key.Key_5, 3), (Qt.Key.Key_4, 2), (Qt.Key.Key_3, 1), (Qt.Key.Key_2, 0)):
        qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
        assert window.pages.currentIndex() == page
    assert window.findChild(object, "actionShowHistory").shortcut().toString() == "Ctrl+5"


def test_open_and_rerun_from_history_keep_the_inputs_name(qtbot, window, photos, isolated_env):
    """Issue 13 item 15: after Open or Re-run from History the input is the stored copy
    (named by its 64-hex hash); results were named and recorded by that hash."""
    window.tray.add_paths(photos)  # the photo and a reference
    wait_inputs_ready(qtbot, window, 2)
    first = run_and_wait(qtbot, window, "name me")
    assert first.results[0].path.name.startswith("first-photo-")
    names = ["first photo.png", "référence.jpg"]
    assert window.history.get(first.run_id).input_names == names
    # Open, then Run: the inputs come from the history's blob store now.
    window.open_run(first.run_id)
    wait_inputs_ready(qtbot, window, 2)
    assert all(it.ref.path.parent.parent.name == "blobs" for it in window.tray.items())
    opened = run_and_wait(qtbot, window, "name me")
    # Re-run from History.
    with qtbot.waitSignal(window.controller.finished, timeout=30000) as blocker:
        window.history_panel.rerunRequested.emit(first.run_id)
    rerun = blocker.args[0]
    for outcome in (opened, rerun):
        (result,) = outcome.results
        assert result.path.name.startswith("first-photo-"), result.path.name
        assert window.history.get(outcome.run_id).input_names == names
        sidecar = result.sidecar.read_text("utf-8")
        assert '"name": "first photo.png"' in sidecar
        assert (
            '"name": "référence.jpg"' in sidecar or '"name": "r\\u00e9f\\u00e9rence.jpg"' in sidecar
        )
