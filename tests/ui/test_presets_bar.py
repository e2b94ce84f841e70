"""Presets above the prompt and recent prompts one keystroke away, with real widgets."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from retouch.core.presets import Preset, PresetStore


@pytest.fixture
def dialogs(monkeypatch):
    """Scripted answers for the name, file and question dialogs."""
    answers = {"text": ("", True), "save": "", "open": ""}
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *_a, **_k: answers["text"]))
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (answers["save"], ""))
    )
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *_a, **_k: (answers["open"], ""))
    )
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    )
    return answers


def wait_models(qtbot, win) -> None:
    combo = win.sidebar.model_combo
    qtbot.waitUntil(lambda: combo.findData("fake-style-edit") >= 0, timeout=15000)


def pick(combo, data) -> None:
    """Choose an entry the way a user does (activated, not just the current index)."""
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def action(bar, name: str):
    act = bar.findChild(object, name)
    assert act is not None, name
    return act


def test_bar_sits_above_the_prompt(window):
    bar = window.findChild(object, "presetsBar")
    assert bar is window.sidebar.presets_bar
    assert bar.findChild(object, "presetCombo") is bar.combo
    assert bar.mapTo(window.sidebar, bar.rect().topLeft()).y() < window.sidebar.prompt.y()
    names = [a.objectName() for a in bar.menu.actions() if a.objectName()]
    assert names == [
        "actionSavePreset",
        "actionRenamePreset",
        "actionDeletePreset",
        "actionExportPresets",
        "actionImportPresets",
    ]


def test_save_then_pick_fills_prompt_model_and_parameters(qtbot, window, dialogs, isolated_env):
    wait_models(qtbot, window)
    bar = window.sidebar.presets_bar
    pick(window.sidebar.model_combo, "fake-style-edit")
    form = window.sidebar.form
    form.widget("style").setCurrentIndex(1)  # sketch
    form.widget("strength").setValue(75)
    window.sidebar.prompt.setPlainText("turn it into a pencil sketch")
    dialogs["text"] = ("Pencil", True)
    action(bar, "actionSavePreset").trigger()
    assert [bar.combo.itemText(i) for i in range(bar.combo.count())] == ["Presets…", "Pencil"]
    stored = json.loads((isolated_env / "presets.json").read_text())["presets"][0]
    assert stored["model"] == "fake-style-edit"
    assert stored["params"]["style"] == "sketch" and stored["params"]["strength"] == 75

    # Change everything, then pick the preset.
    pick(window.sidebar.model_combo, "gpt-image-2-edit")
    window.sidebar.prompt.setPlainText("something else")
    pick(bar.combo, "Pencil")
    assert window.current_model().id == "fake-style-edit"
    assert window.sidebar.prompt.toPlainText() == "turn it into a pencil sketch"
    assert form.widget("style").currentData() == "sketch"
    assert form.widget("strength").value() == 75


def test_preset_for_a_missing_model_keeps_the_current_one(qtbot, window, dialogs):
    bar = window.sidebar.presets_bar
    bar.store.save(Preset("Gone", "a prompt", "no-such-model", {"num_images": 3}))
    bar.refresh()
    pick(bar.combo, "Gone")
    assert window.current_model().id == "gpt-image-2-edit"
    assert window.sidebar.form.widget("num_images").value() == 3
    assert window.sidebar.prompt.toPlainText() == "a prompt"
    assert "no-such-model" in window.banner.text()


def test_rename_and_delete(qtbot, window, dialogs):
    bar = window.sidebar.presets_bar
    window.sidebar.prompt.setPlainText("warm tones")
    dialogs["text"] = ("Warm", True)
    action(bar, "actionSavePreset").trigger()
    assert bar.current().name == "Warm"
    dialogs["text"] = ("Warmer", True)
    action(bar, "actionRenamePreset").trigger()
    assert bar.store.names() == ["Warmer"] and bar.combo.currentText() == "Warmer"
    action(bar, "actionDeletePreset").trigger()
    assert bar.store.names() == []
    assert bar.combo.count() == 1 and not action(bar, "actionDeletePreset").isEnabled()


def test_export_and_import_round_trip(qtbot, window, dialogs, tmp_path):
    bar = window.sidebar.presets_bar
    for name, prompt in (("Sky", "a stormy sky"), ("Snow", "add falling snow")):
        window.sidebar.prompt.setPlainText(prompt)
        dialogs["text"] = (name, True)
        action(bar, "actionSavePreset").trigger()
    exported = tmp_path / "shared-presets.json"
    dialogs["save"] = str(exported)
    action(bar, "actionExportPresets").trigger()
    assert [p["name"] for p in json.loads(exported.read_text())["presets"]] == ["Sky", "Snow"]

    # Someone else's store already has a different "Sky": the import renames, not replaces.
    other = PresetStore(tmp_path / "other")
    other.save(Preset("Sky", "a clear blue sky"))
    bar.store = other
    bar.refresh()
    dialogs["open"] = str(exported)
    action(bar, "actionImportPresets").trigger()
    qtbot.waitUntil(lambda: not bar.importing(), timeout=15000)
    assert other.names() == ["Sky", "Sky (2)", "Snow"]
    assert other.get("Sky (2)").prompt == "a stormy sky"
    assert "2 presets imported" in window.banner.text()
    # A file that is not a presets file is refused with a message, nothing changes.
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "presets"}')
    dialogs["open"] = str(bad)
    action(bar, "actionImportPresets").trigger()
    qtbot.waitUntil(lambda: not bar.importing(), timeout=15000)
    assert "No presets were imported" in window.banner.text()
    assert other.names() == ["Sky", "Sky (2)", "Snow"]


def test_importing_20000_presets_runs_on_a_worker_with_progress(qtbot, window, dialogs, tmp_path):
    """Issue 13 item 10: the import froze the window for minutes (a quadratic merge on the
    UI thread). It is a task now: the call returns at once with the import still running,
    progress arrives while it runs, Import is off meanwhile, and the banner says the outcome."""
    from PySide6.QtCore import QThread

    bar = window.sidebar.presets_bar
    doc = {
        "version": 1,
        "presets": [
            {"name": f"Look {i % 5000}", "prompt": f"prompt {i}", "model": "gpt-image-2-edit"}
            for i in range(20_000)
        ],
    }
    path = tmp_path / "many.json"
    path.write_text(json.dumps(doc))
    threads: set[object] = set()
    real = bar.store.import_file

    def spy(*args, **kwargs):
        threads.add(QThread.currentThread())
        return real(*args, **kwargs)

    bar.store.import_file = spy
    reports: list[tuple[int, int]] = []
    task = bar.import_from(path)
    assert task is not None and task.is_running()  # the UI thread is free again
    task.progress.connect(reports.append)
    assert bar.progress.isVisible() and not action(bar, "actionImportPresets").isEnabled()
    assert bar.import_from(path) is None  # one import at a time
    qtbot.waitUntil(lambda: not bar.importing(), timeout=60000)
    assert threads and QThread.currentThread() not in threads  # it ran on a worker
    assert task.state == "result" and reports and reports[-1] == (20_000, 20_000)
    assert len(bar.store.presets()) == 20_000
    assert bar.combo.count() == 20_001  # "Presets…" and every preset
    assert "20000 presets imported" in window.banner.text()
    assert "15000 renamed" in window.banner.text()
    assert not bar.progress.isVisible() and action(bar, "actionImportPresets").isEnabled()


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ('{"version": "one", "presets": []}', "newer Retouch"),
        ('{"version": 1, "presets": {"name": "x"}}', "no list of presets"),
        ('{"version": 1, "presets": [{"name": "A", "prompt": 5, "model": "m"}]}', "1 not valid"),
        ('{"version": 1, "presets": [{"name": "A", "prompt": "p", "model": []}]}', "1 not valid"),
    ],
)
def test_a_mistyped_presets_file_gives_a_message(qtbot, window, tmp_path, content, says):
    bar = window.sidebar.presets_bar
    path = tmp_path / "typed.json"
    path.write_text(content)
    bar.import_from(path)
    qtbot.waitUntil(lambda: not bar.importing(), timeout=15000)
    assert window.banner.isVisible() and says in window.banner.text()
    assert bar.store.presets() == []


def test_ctrl_up_lists_recent_prompts_filtered_and_enter_picks(qtbot, window):
    for p in ("replace the sky with a sunset", "add a red balloon", "make the sky stormy"):
        window.settings.remember_prompt(p)
    prompt = window.sidebar.prompt
    prompt.setFocus()
    prompt.setPlainText("")
    qtbot.keyClicks(prompt, "sky")
    qtbot.keyClick(prompt, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    popup = prompt.recent_popup
    assert popup is not None and popup.isVisible()
    shown = [popup.list.item(i).text() for i in range(popup.list.count())]
    assert shown == ["make the sky stormy", "replace the sky with a sunset"]  # newest first
    qtbot.keyClick(popup.filter, Qt.Key.Key_Down)
    qtbot.keyClick(popup.filter, Qt.Key.Key_Return)
    assert prompt.toPlainText() == "replace the sky with a sunset"
    qtbot.waitUntil(lambda: prompt.recent_popup is None, timeout=5000)


def test_alt_down_opens_it_too_and_typing_filters(qtbot, window):
    for p in ("first prompt", "second prompt", "third one"):
        window.settings.remember_prompt(p)
    prompt = window.sidebar.prompt
    prompt.setPlainText("")
    qtbot.keyClick(prompt, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    popup = prompt.recent_popup
    assert popup.list.count() == 3
    qtbot.keyClicks(popup.filter, "prompt")
    assert popup.list.count() == 2
    qtbot.keyClicks(popup.filter, " zzz")
    assert popup.empty.isVisible() and popup.list.count() == 0
    qtbot.keyClick(popup.filter, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: prompt.recent_popup is None, timeout=5000)
    assert prompt.toPlainText() == ""


def test_a_run_prompt_becomes_recent(qtbot, window, hub_env, tmp_path):
    from tests.ui.conftest import make_photo, wait_inputs_ready

    window.tray.add_paths([make_photo(tmp_path / "p.png", (64, 48))])
    wait_inputs_ready(qtbot, window, 1)
    window.sidebar.prompt.setPlainText("a brand new prompt")
    with qtbot.waitSignal(window.controller.finished, timeout=30000):
        window.run()
    window.sidebar.prompt.setPlainText("")
    popup = window.sidebar.prompt.show_recent()
    assert popup.list.item(0).text() == "a brand new prompt"
    popup.close()
