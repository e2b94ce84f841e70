"""Issue 13 item 1, window side: a paid result is never lost when the output folder (or the
data disk) cannot take it.

The folder is checked before sending; a result that arrives is stored in history first, and
its copy in the output folder may fail (here: the folder replaced by a file while the hub
works — chmod does not stop root). The window then says so, keeps the result in the gallery
(from history, or from memory when history failed too) and offers **Save to Another
Folder…** on the banner and in the results view.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from tests.ui.conftest import wait_inputs_ready


def while_the_hub_works(hub, action) -> None:
    real = hub._enter_edit

    def enter() -> None:
        real()
        action()

    hub._enter_edit = enter


def replace_by_a_file(folder: Path):
    def replace() -> None:
        shutil.rmtree(folder)
        folder.write_text("the drive went away")

    return replace


def both_disks_fail_mid_edit(window, hub, data: Path) -> tuple[Path, Path]:
    """While the hub works, the output folder and the history's run folder both become files
    (the output drive gone, the data disk full): a result can only stay in memory. Returns
    the two paths, to give them back."""
    out = Path(window.settings.get("output_dir"))
    history_runs = data / "history" / "runs"
    assert window.history is not None

    def disks_fail() -> None:
        replace_by_a_file(out)()
        if history_runs.exists():
            shutil.rmtree(history_runs)
        history_runs.write_text("no space left")

    while_the_hub_works(hub, disks_fail)
    return out, history_runs


def run(qtbot, window, photo: Path):
    window.tray.add_paths([photo])
    wait_inputs_ready(qtbot, window, 1)
    window.sidebar.prompt.setPlainText("a paid edit")
    qtbot.waitUntil(lambda: window.sidebar.run_button.isEnabled(), timeout=5000)
    with qtbot.waitSignal(window.controller.finished, timeout=30000) as blocker:
        qtbot.mouseClick(window.sidebar.run_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def choose_folder(monkeypatch, folder: Path) -> None:
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *_a, **_k: str(folder))
    )


def test_a_result_the_folder_cannot_take_is_kept_in_history_and_saved_elsewhere(
    qtbot, window, photos, hub_env, isolated_env, monkeypatch
):
    out = Path(window.settings.get("output_dir"))
    while_the_hub_works(hub_env, replace_by_a_file(out))
    outcome = run(qtbot, window, photos[0])
    (result,) = outcome.results
    assert result.unsaved and result.path.is_relative_to(isolated_env / "history")
    # Said, with where it is kept, and the way out.
    text = window.banner.text()
    assert "could not be saved in the output folder" in text
    assert f"It is kept in Retouch's history: {result.path}" in text
    assert window.banner.button.text() == "Save to Another Folder…"
    # Kept: in history (the run succeeded) and in the gallery.
    record = window.history.get(outcome.run_id)
    assert record.status == "succeeded" and [o.path for o in record.outputs] == [result.path]
    assert window.results.count() == 1
    view = window.results
    assert view.save_elsewhere_button.isVisible()
    assert "not in the output folder" in view.info.text() and "kept in history" in view.info.text()
    assert len(hub_env.edit_requests()) == 1
    # The banner's button saves it where the user says.
    elsewhere = isolated_env / "elsewhere"
    choose_folder(monkeypatch, elsewhere)
    qtbot.mouseClick(window.banner.button, Qt.MouseButton.LeftButton)
    (copy,) = elsewhere.glob("*.png")
    assert copy.name.startswith("first-photo-") and copy.read_bytes() == result.path.read_bytes()
    assert f"Saved 1 result to {elsewhere}" in window.banner.text()
    (now,) = view.gallery.results()
    assert now.in_output_folder and now.path == copy
    assert not view.save_elsewhere_button.isVisible() and not view.act_save_elsewhere.isEnabled()


def test_with_the_data_disk_full_too_the_result_stays_in_memory_and_can_be_saved(
    qtbot, window, photos, hub_env, isolated_env, monkeypatch
):
    both_disks_fail_mid_edit(window, hub_env, isolated_env)
    outcome = run(qtbot, window, photos[0])
    (result,) = outcome.results
    assert result.data is not None and not result.path.exists()
    assert "it is only in memory" in window.banner.text()
    assert window.results.count() == 1  # shown from its bytes
    view = window.results
    image = view.images()[0]
    assert not image.isNull() and image.width() > 0
    # The results view's own action saves it.
    elsewhere = isolated_env / "rescued"
    choose_folder(monkeypatch, elsewhere)
    assert view.act_save_elsewhere.isEnabled()
    view.act_save_elsewhere.trigger()
    (copy,) = elsewhere.glob("*.png")
    assert copy.read_bytes() == result.data
    Image.open(copy).verify()
    assert not view.unsaved()


def test_an_output_folder_nothing_can_be_written_in_is_found_before_sending(
    qtbot, window, photos, hub_env
):
    read_only = Path("/sys/kernel")  # Linux: not writable, even by root
    window.settings.set("output_dir", str(read_only))
    window.hub.forget()
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    window.sidebar.prompt.setPlainText("a paid edit")
    qtbot.waitUntil(lambda: window.sidebar.run_button.isEnabled(), timeout=5000)
    with qtbot.waitSignal(window.controller.failed, timeout=30000):
        qtbot.mouseClick(window.sidebar.run_button, Qt.MouseButton.LeftButton)
    assert "The output folder '/sys/kernel' cannot be used" in window.banner.text()
    assert "nothing was sent" in window.banner.text()
    assert window.banner.button.text() == "Open Settings…"
    assert hub_env.edit_requests() == [] and hub_env.queue_requests() == []


def test_quitting_with_a_result_only_in_memory_asks_and_can_save_it_first(
    qtbot, window, photos, hub_env, isolated_env, monkeypatch
):
    from tests.ui.conftest import answer_quit

    both_disks_fail_mid_edit(window, hub_env, isolated_env)
    outcome = run(qtbot, window, photos[0])
    (result,) = outcome.results
    assert result.data is not None
    # Closing would drop the only copy of a paid result: asked, and Don't Quit keeps it.
    asked: list = []
    answer_quit(monkeypatch, "Don't", asked)
    assert not window.close()
    assert window.isVisible() and window.results.count() == 1
    (text, buttons) = asked[0]
    assert "only in memory" in text
    assert sorted(buttons) == ["Don't Quit", "Quit Without Saving", "Save to Another Folder…"]
    # Saving from the question writes it, then the window closes.
    rescued = isolated_env / "rescued"
    choose_folder(monkeypatch, rescued)
    answer_quit(monkeypatch, "Save")
    assert window.close()
    (copy,) = rescued.glob("*.png")
    assert copy.read_bytes() == result.data


def test_a_result_only_in_memory_stays_in_the_gallery_through_the_next_run(
    qtbot, window, photos, hub_env, isolated_env
):
    real = hub_env._enter_edit
    out, history_runs = both_disks_fail_mid_edit(window, hub_env, isolated_env)
    (kept,) = run(qtbot, window, photos[0]).results
    assert kept.data is not None
    # The disks come back; the next run's results must not push the only copy out.
    hub_env._enter_edit = real
    out.unlink()
    history_runs.unlink()
    with qtbot.waitSignal(window.controller.finished, timeout=30000) as blocker:
        qtbot.mouseClick(window.sidebar.run_button, Qt.MouseButton.LeftButton)
    (fresh,) = blocker.args[0].results
    assert fresh.in_output_folder
    shown = window.results.gallery.results()
    assert [r.data for r in shown if r.data is not None] == [kept.data]
    assert fresh.path in [r.path for r in shown]
    assert window.results.unsaved() and window.results.act_save_elsewhere.isEnabled()
    # Saved at last (the window then closes without asking).
    (copy,) = window.results.save_unsaved(isolated_env / "rescued")
    assert copy.read_bytes() == kept.data and not window.results.unsaved()
