"""Every Oxen edit model: the list from the hub, forms built from schemas, offline cache."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QSpinBox, QWidget

from retouch.fakehub import Fault
from tests.ui.conftest import make_photo, wait_inputs_ready

STYLE_PARAMS = {
    "param_style",
    "param_strength",
    "param_keep_colors",
    "param_negative_prompt",
    "param_num_images",
    "param_output_format",
}


def combo_ids(win) -> list[str]:
    combo = win.sidebar.model_combo
    return [combo.itemData(i) for i in range(combo.count())]


def wait_models(qtbot, win) -> None:
    qtbot.waitUntil(lambda: "fake-style-edit" in combo_ids(win), timeout=15000)


def param_widgets(win) -> dict[str, QWidget]:
    return {
        w.objectName(): w
        for w in win.sidebar.form.findChildren(QWidget)
        if w.objectName().startswith("param_")
    }


def pick_model(win, model_id: str, qtbot=None) -> None:
    combo = win.sidebar.model_combo
    combo.setCurrentIndex(combo.findData(model_id))
    if qtbot is not None:
        # New rows are shown by the layout on the next turn of the event loop.
        qtbot.waitUntil(lambda: all(w.isVisible() for w in param_widgets(win).values()))


def test_model_list_has_the_edit_models_only(qtbot, window):
    wait_models(qtbot, window)
    combo = window.sidebar.model_combo
    ids = combo_ids(window)
    assert "gpt-image-2-edit" in ids and "fake-style-edit" in ids
    assert "fake-text-to-image" not in ids and "fake-chat" not in ids
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert "GPT Image 2 Edit" in texts and "Fake Style Edit" in texts


def test_style_model_form_has_its_four_parameters_with_defaults(qtbot, window):
    wait_models(qtbot, window)
    pick_model(window, "fake-style-edit", qtbot)
    widgets = param_widgets(window)
    assert set(widgets) == STYLE_PARAMS
    style = widgets["param_style"]
    assert isinstance(style, QComboBox)
    assert [style.itemText(i) for i in range(style.count())] == ["photo", "sketch", "watercolor"]
    assert style.currentData() == "photo"
    strength = widgets["param_strength"]
    assert isinstance(strength, QSpinBox)
    assert (strength.minimum(), strength.maximum(), strength.value()) == (0, 100, 50)
    keep = widgets["param_keep_colors"]
    assert isinstance(keep, QCheckBox) and keep.isChecked()
    negative = widgets["param_negative_prompt"]
    assert isinstance(negative, QLineEdit) and negative.text() == ""
    assert widgets["param_num_images"].value() == 1
    assert widgets["param_output_format"].currentData() == "png"
    # The price comes from the model's own pricing.
    assert window.sidebar.cost_label.text() == "1 × $0.05 = $0.05"
    widgets["param_num_images"].setValue(3)
    assert window.sidebar.cost_label.text() == "3 × $0.05 = $0.15"
    # Back to GPT Image 2 Edit: its own form again, with the tiered price.
    pick_model(window, "gpt-image-2-edit")
    assert set(param_widgets(window)) == {
        "param_resolution",
        "param_quality",
        "param_num_images",
        "param_output_format",
    }
    assert "standard price" in window.sidebar.cost_label.text()


def test_run_sends_exactly_the_chosen_values(qtbot, window, hub_env, tmp_path):
    wait_models(qtbot, window)
    window.tray.add_paths([make_photo(tmp_path / "p.png", (64, 48))])
    wait_inputs_ready(qtbot, window, 1)
    pick_model(window, "fake-style-edit")
    w = param_widgets(window)
    w["param_style"].setCurrentIndex(w["param_style"].findData("watercolor"))
    w["param_strength"].setValue(80)
    w["param_keep_colors"].setChecked(False)
    w["param_negative_prompt"].setText("people")
    w["param_output_format"].setCurrentIndex(w["param_output_format"].findData("webp"))
    window.sidebar.prompt.setPlainText("paint it")
    with qtbot.waitSignal(window.controller.finished, timeout=30000):
        window.run()
    sent = hub_env.edit_requests()[-1].json
    params = {k: v for k, v in sent.items() if k not in ("prompt", "input_image")}
    assert params == {
        "model": "fake-style-edit",
        "style": "watercolor",
        "strength": 80,
        "keep_colors": False,
        "negative_prompt": "people",
        "num_images": 1,
        "output_format": "webp",
        "response_format": "url",
    }


def test_each_model_remembers_its_own_values(qtbot, window):
    wait_models(qtbot, window)
    pick_model(window, "fake-style-edit")
    param_widgets(window)["param_style"].setCurrentIndex(2)  # watercolor
    pick_model(window, "gpt-image-2-edit")
    resolution = param_widgets(window)["param_resolution"]
    resolution.setCurrentIndex(resolution.findData("1920x1080"))
    pick_model(window, "fake-style-edit")
    assert param_widgets(window)["param_style"].currentData() == "watercolor"
    pick_model(window, "gpt-image-2-edit")
    assert param_widgets(window)["param_resolution"].currentData() == "1920x1080"


def test_model_list_is_cached_for_an_offline_start(qtbot, window, monkeypatch, isolated_env):
    from retouch.core.settings import Settings
    from retouch.ui.main_window import MainWindow

    wait_models(qtbot, window)
    pick_model(window, "fake-style-edit")
    window.close()
    # Nothing listens on port 9: the hub is unreachable now.
    monkeypatch.setenv("RETOUCH_API_BASE", "http://127.0.0.1:9/api")
    offline = MainWindow(Settings(isolated_env))
    qtbot.addWidget(offline)
    assert "fake-style-edit" in combo_ids(offline)
    assert "fake-chat" not in combo_ids(offline)
    # The last chosen model and its form come back too.
    assert offline.current_model().id == "fake-style-edit"
    assert set(param_widgets(offline)) == STYLE_PARAMS
    assert offline.sidebar.cost_label.text() == "1 × $0.05 = $0.05"


def test_refresh_models_action_fetches_the_list_again(qtbot, hub_env, isolated_env):
    from retouch.core.settings import Settings
    from retouch.ui.app import create_app
    from retouch.ui.main_window import MainWindow

    # The first fetch fails: only the built-in model is known.
    hub_env.add_fault(Fault("status", status=500, path="/ai/models", method="GET"))
    create_app()
    win = MainWindow(Settings(isolated_env))
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: not hub_env.pending_faults(), timeout=10000)
    assert combo_ids(win) == ["gpt-image-2-edit"]
    action = win.findChild(object, "actionRefreshModels")
    assert action is not None and action.isEnabled()
    action.trigger()
    wait_models(qtbot, win)
    assert "fake-chat" not in combo_ids(win)
    assert Path(isolated_env / "cache" / "models" / "_list.json").exists()
