"""Issue 13 item 4, window side: a damaged or newer history never stops the window.

* Damaged pages: the window starts without history and says so, with **Start a Fresh
  History**, which sets the old database aside (``history.sqlite3.damaged-DATE``) and names
  where it went; new runs are recorded again.
* Made by a newer Retouch: opened read-only. The History page shows its runs, says
  read-only, and offers no writes (star, delete, import); runs still work and say they are
  not recorded; the file is untouched.
* The model catalogue completes a hub list without schemas (never an empty form), and the
  leftovers of killed writes in the configured output folder are swept after the first paint.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from pathlib import Path

from PySide6.QtCore import Qt

from retouch.core.history.store import DB_NAME
from tests.core.test_history_damage import corrupt_pages, make_history, set_version
from tests.ui.conftest import wait_inputs_ready


def new_window(qtbot, data: Path, **settings_values):
    from retouch.core.settings import Settings
    from retouch.ui.main_window import MainWindow

    settings = Settings(data)
    settings.set("use_queue", False)
    settings.set("output_dir", str(data / "out"))
    for name, value in settings_values.items():
        settings.set(name, value)
    win = MainWindow(settings)
    win.poll_interval = 0.02
    qtbot.addWidget(win)
    win.show()
    return win


def run_once(qtbot, win, photo: Path):
    win.tray.clear()
    win.tray.add_paths([photo])
    wait_inputs_ready(qtbot, win, 1)
    win.sidebar.prompt.setPlainText("after the damage")
    qtbot.waitUntil(lambda: win.sidebar.run_button.isEnabled(), timeout=5000)
    with qtbot.waitSignal(win.controller.finished, timeout=30000) as blocker:
        qtbot.mouseClick(win.sidebar.run_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def test_a_damaged_history_is_reported_and_a_fresh_one_started(
    qtbot, hub_env, isolated_env, photos
):
    root = isolated_env / "history"
    make_history(root, runs=60)
    corrupt_pages(root / DB_NAME)
    damaged = hashlib.sha256((root / DB_NAME).read_bytes()).hexdigest()
    win = new_window(qtbot, isolated_env)
    qtbot.waitUntil(lambda: win.banner.isVisible(), timeout=15000)
    assert win.history is None and win.run_history.problem == "damaged"
    text = win.banner.text()
    assert "could not be opened: its database is damaged" in text
    assert "new runs are not recorded" in text
    assert win.banner.button.text() == "Start a Fresh History"
    assert win.banner.level == "error"
    # A run still works, and says it is not recorded.
    outcome = run_once(qtbot, win, photos[0])
    assert outcome.results[0].path.exists()
    assert "not recorded in history" in win.statusBar().currentMessage()
    assert hashlib.sha256((root / DB_NAME).read_bytes()).hexdigest() == damaged  # untouched

    # Start a fresh history: the old file is kept aside and named.
    win.show_message(
        "error", "again", "fresh_history"
    )  # the banner was replaced by the run's outcome
    qtbot.mouseClick(win.banner.button, Qt.MouseButton.LeftButton)
    (kept,) = root.glob(f"{DB_NAME}.damaged-*")
    assert hashlib.sha256(kept.read_bytes()).hexdigest() == damaged
    assert str(kept) in win.banner.text() and "fresh history was started" in win.banner.text()
    assert win.history is not None and win.history.count() == 0
    assert win.run_history.problem == ""
    # New runs are recorded again, and the History page shows them.
    outcome = run_once(qtbot, win, photos[0])
    assert win.history.get(outcome.run_id) is not None
    win.show_page(3)
    qtbot.waitUntil(lambda: win.history_panel.model.rowCount() == 1, timeout=5000)


def test_a_newer_history_is_read_only_and_runs_are_not_recorded(
    qtbot, hub_env, isolated_env, photos
):
    from retouch.core.history import schema

    root = isolated_env / "history"
    make_history(root, runs=3)
    set_version(root / DB_NAME, schema.LATEST_VERSION + 1)
    with sqlite3.connect(root / DB_NAME) as conn:  # everything in the main file, no -wal
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = hashlib.sha256((root / DB_NAME).read_bytes()).hexdigest()
    win = new_window(qtbot, isolated_env)
    qtbot.waitUntil(lambda: win.banner.isVisible(), timeout=15000)
    assert win.run_history.problem == "newer"
    assert "made by a newer Retouch, so it is open read-only" in win.banner.text()
    assert win.history is not None and win.history.read_only and win.recorder is None
    # The History page shows its runs, says read-only, and offers nothing that writes.
    win.show_page(3)
    panel = win.history_panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3, timeout=5000)
    assert "read-only" in panel.count_label.text()
    panel.list_view.setCurrentIndex(panel.model.index(0, 0))
    assert panel.open_action.isEnabled() and panel.rerun_action.isEnabled()
    assert not panel.star_action.isEnabled() and not panel.delete_action.isEnabled()
    assert not panel.import_action.isEnabled()
    panel._toggle_star(panel.model.record(0).id)  # a click on the star changes nothing
    # A run works and is not recorded; the file is untouched.
    outcome = run_once(qtbot, win, photos[0])
    assert outcome.results and "not recorded in history" in win.statusBar().currentMessage()
    assert win.history.count() == 3
    win.close()
    assert hashlib.sha256((root / DB_NAME).read_bytes()).hexdigest() == before
    assert not (root / "thumbs").exists()  # not even thumbnails were written into it


def test_a_hub_list_without_schemas_never_gives_an_empty_form(qtbot, hub_env, isolated_env):
    from retouch.fakehub import Fault

    # GET /ai/models lists every model with a null schema, and gpt-image-2-edit's own entry
    # fails: its schema comes from the built-in one (there is no cache yet).
    hub_env.list_schema = "null"
    hub_env.add_fault(
        Fault("status", path="/ai/models/gpt-image-2-edit", method="GET", status=500, times=9)
    )
    win = new_window(qtbot, isolated_env)
    with qtbot.waitSignal(win.catalogue.listed, timeout=15000) as blocker:
        pass
    fresh = {m.id: m for m in blocker.args[0]}
    assert fresh["gpt-image-2-edit"].source == "builtin"
    # The others came from their own entries (GET /ai/models/{id}).
    assert fresh["fake-style-edit"].source == "hub" and fresh["fake-style-edit"].params
    for name in ("resolution", "num_images"):
        assert win.findChild(object, f"param_{name}") is not None
    assert all(m.params for m in fresh.values())


def test_leftovers_in_the_output_folder_are_swept_after_the_first_paint(
    qtbot, hub_env, isolated_env
):
    out = isolated_env / "elsewhere"
    out.mkdir(parents=True)
    leftover = out / ".photo-1.png.1a2b3c4d.part"  # atomic.py's temporary: a killed write
    leftover.write_bytes(b"half a result")
    old = time.time() - 3600
    os.utime(leftover, (old, old))
    users = out / "notes.part"
    users.write_text("a user's own file")
    win = new_window(qtbot, isolated_env, output_dir=str(out))
    assert leftover.exists()  # not before the window is up
    qtbot.waitUntil(lambda: not leftover.exists(), timeout=15000)
    assert users.exists()
    assert win.isVisible()
