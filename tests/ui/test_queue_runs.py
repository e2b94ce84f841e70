"""Queued runs as durable as the README says (issue 13 items 6 and 14, window side).

* The edit's maximum wait is a setting (Settings → "Wait for an edit up to"); a run that
  passes it says it may still be billed, and a queued one is left on the hub — shown as such
  in History, collected with "Collect Results", from History, or at the next start.
* Quitting mid-run offers **Keep It Running** (nothing deleted; collected at the next start)
  beside **Cancel the Edit** (the generations are deleted) and **Don't Quit**.
* A resumed run shows all its results — those saved before, from history, and those
  collected now — and its inputs in the tray; nothing is sent twice.

The fake hub advances a generation one step per poll; with ``queue_steps`` huge nothing
finishes until the test says so (``finish_generation``), so every wait is on a real event.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from retouch.core import errors as E
from tests.ui.conftest import answer_quit, wait_inputs_ready

NEVER = 10**9


def new_window(qtbot, data: Path, *, queue: bool = True, max_wait: float | None = None):
    from retouch.core.settings import Settings
    from retouch.ui.main_window import MainWindow

    settings = Settings(data)
    settings.set("use_queue", queue)
    settings.set("output_dir", str(data / "out"))
    if max_wait is not None:
        settings.set("max_edit_wait", max_wait)
    win = MainWindow(settings)
    win.poll_interval = 0.02
    qtbot.addWidget(win)
    win.show()
    if queue:
        qtbot.waitUntil(lambda: win.queue_available, timeout=15000)
    return win


def start(qtbot, win, photo: Path, images: int = 1, prompt: str = "slow sky") -> None:
    win.tray.add_paths([photo])
    wait_inputs_ready(qtbot, win, 1)
    win.findChild(object, "param_num_images").setValue(images)
    win.sidebar.prompt.setPlainText(prompt)
    qtbot.waitUntil(lambda: win.sidebar.run_button.isEnabled(), timeout=5000)
    qtbot.mouseClick(win.sidebar.run_button, Qt.MouseButton.LeftButton)


def finish_generation(hub, index: int) -> None:
    """Let queued generation *index* (of the one submit so far) succeed on its next poll."""
    (_submit,) = hub.queue_requests()  # one submit so far
    with hub._lock:
        gens = sorted((g for g in hub._generations.values()), key=lambda g: (g.created_at, g.index))
    gen = [g for g in gens if g.index == index][-1]
    with gen.lock:
        gen.polls = max(0, hub.queue_steps - 1)


def deletes(hub) -> list[str]:
    return [r.path for r in hub.requests if r.method == "DELETE"]


def test_the_max_wait_setting_reaches_the_client(qtbot, isolated_env):
    from retouch.core.settings import Settings
    from retouch.ui.dialogs import SettingsDialog

    settings = Settings(isolated_env)
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    spin = dialog.findChild(object, "maxEditWaitSpin")
    assert spin.value() == 15  # the 15 min default
    spin.setValue(42)
    dialog.accept()
    assert settings.get("max_edit_wait") == 42 * 60.0
    from retouch.core.profile import resolve

    profile = resolve(settings, {"OXEN_API_KEY": "k"})
    assert profile.max_edit_wait == 42 * 60.0
    with profile.client() as client:
        assert client.limits.edit_wait == 42 * 60.0
    # A value in seconds from the file is kept as it is unless the field is changed.
    settings.set("max_edit_wait", 0.5)
    again = SettingsDialog(settings)
    qtbot.addWidget(again)
    again.accept()
    assert settings.get("max_edit_wait") == 0.5


def test_a_sync_edit_past_the_max_wait_says_it_may_still_be_billed(
    qtbot, hub_env, isolated_env, photos
):
    from retouch.fakehub import Fault

    hub_env.add_fault(Fault("delay", seconds=30))
    win = new_window(qtbot, isolated_env, queue=False, max_wait=0.5)
    with qtbot.waitSignal(win.controller.failed, timeout=30000) as blocker:
        start(qtbot, win, photos[0])
    error = blocker.args[0]
    assert isinstance(error, E.EditWaitError) and not error.collectable
    text = win.banner.text()
    assert "stopped waiting" in text and "may still finish and be billed" in text
    assert win.banner.button.text() == "Open Settings…"  # where the wait is set
    assert len(hub_env.edit_requests()) == 1  # never resent


def test_a_queued_edit_past_the_max_wait_stays_collectable(qtbot, hub_env, isolated_env, photos):
    hub_env.queue_steps = NEVER
    win = new_window(qtbot, isolated_env, max_wait=0.5)
    with qtbot.waitSignal(win.controller.failed, timeout=30000) as blocker:
        start(qtbot, win, photos[0], images=2)
    error = blocker.args[0]
    assert isinstance(error, E.EditWaitError) and error.collectable
    assert "It may still be billed; it is left on the hub" in win.banner.text()
    assert win.banner.button.isVisible() and win.banner.button.text() == "Collect Results"
    assert deletes(hub_env) == []  # left on the hub, not cancelled
    (record,) = win.history.runs()
    assert record.status == "interrupted" and record.collectable
    # History says so, and opening it offers to collect it.
    win.show_page(3)
    panel = win.history_panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5000)
    win.banner.hide()
    win.open_run(record.id)
    assert "still on the hub's queue (0 of 2 results collected)" in win.banner.text()
    # The hub finishes; "Collect Results" collects without sending anything again.
    hub_env.queue_steps = 1
    with qtbot.waitSignal(win.controller.finished, timeout=30000) as done:
        qtbot.mouseClick(win.banner.button, Qt.MouseButton.LeftButton)
    assert len(done.args[0].results) == 2
    assert len(hub_env.queue_requests()) == 1 and hub_env.edit_requests() == []
    record = win.history.get(record.id)
    assert record.status == "succeeded" and len(record.outputs) == 2
    assert win.results.count() == 2


def test_quit_keep_running_leaves_it_on_the_hub_and_the_next_start_collects_all(
    qtbot, hub_env, isolated_env, photos, monkeypatch
):
    hub_env.queue_steps = NEVER
    win = new_window(qtbot, isolated_env)
    start(qtbot, win, photos[0], images=2)
    qtbot.waitUntil(lambda: win.runs.queued, timeout=15000)
    # One of the two finishes while the window is open: saved, and kept in history.
    finish_generation(hub_env, 0)
    qtbot.waitUntil(lambda: win.results_if_built() is not None, timeout=15000)
    qtbot.waitUntil(lambda: win.results.count() == 1, timeout=15000)
    asked: list = []
    answer_quit(monkeypatch, "Keep", asked)
    assert win.close()
    text, buttons = asked[0]
    assert sorted(buttons) == ["Cancel the Edit", "Don't Quit", "Keep It Running"]
    assert "collects its results the next time it starts" in text
    assert deletes(hub_env) == []  # kept: nothing deleted on the hub
    from retouch.core.history import HistoryStore

    with HistoryStore(isolated_env / "history") as store:
        (record,) = store.runs()
        assert record.status == "interrupted" and record.collectable
        assert len(record.outputs) == 1

    # The next start collects it: all results shown, its input in the tray, nothing resent.
    hub_env.queue_steps = 1
    again = new_window(qtbot, isolated_env)
    qtbot.waitUntil(lambda: again.results_if_built() is not None, timeout=15000)
    qtbot.waitUntil(lambda: again.results.count() == 2, timeout=20000)
    qtbot.waitUntil(lambda: not again.controller.running, timeout=15000)
    wait_inputs_ready(qtbot, again, 1)
    assert again.tray.items()[0].ref.label == "first photo.png"
    assert again.sidebar.prompt.toPlainText() == "slow sky"
    assert len(hub_env.queue_requests()) == 1 and hub_env.edit_requests() == []
    record = again.history.get(record.id)
    assert record.status == "succeeded" and len(record.outputs) == 2
    assert sorted(r.index for r in again.results.gallery.results()) == [0, 1]


def test_quit_cancel_deletes_the_queued_generations(
    qtbot, hub_env, isolated_env, photos, monkeypatch
):
    hub_env.queue_steps = NEVER
    win = new_window(qtbot, isolated_env)
    start(qtbot, win, photos[0], images=2)
    qtbot.waitUntil(lambda: win.runs.queued, timeout=15000)
    answer_quit(monkeypatch, "Don't")
    assert not win.close() and win.controller.running
    answer_quit(monkeypatch, "Cancel")
    assert win.close()
    assert len(deletes(hub_env)) == 2
    from retouch.core.history import HistoryStore

    with HistoryStore(isolated_env / "history") as store:
        (record,) = store.runs()
        assert record.status == "cancelled" and not record.collectable
