"""One editor state: the sidebar, the parameter form and the canvas panel are bound to it."""

from __future__ import annotations

import json

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage, QPainter

from retouch.core.editor_state import MaskSettings
from retouch.core.schema import builtin_model
from retouch.ui.editor import EditorModel, Prop, bind
from tests.ui.conftest import wait_inputs_ready


def test_typing_and_picking_change_the_state(qtbot, window):
    state = window.state
    qtbot.keyClicks(window.sidebar.prompt, "brighter sky")
    assert state.prompt == "brighter sky"
    window.findChild(object, "param_num_images").setValue(3)
    assert state.params["num_images"] == 3
    assert window.sidebar.cost_label.text() == state.cost().line()
    assert window.sidebar.cost_label.text() == (
        "3 × $0.22 = $0.66 (standard price, up to 1920×1080)"
    )


def test_the_state_drives_the_widgets(qtbot, window):
    state = window.state
    state.set_prompt("from the state")
    assert window.sidebar.prompt.toPlainText() == "from the state"
    state.set_params({**state.params, "num_images": 4, "resolution": "2560x1440"})
    assert window.findChild(object, "param_num_images").value() == 4
    assert window.findChild(object, "param_resolution").currentData() == "2560x1440"
    assert window.sidebar.cost_label.text().startswith("4 × $0.41")
    assert "high-res price" in window.sidebar.cost_label.text()


def test_a_bad_value_in_the_state_is_replaced_by_what_the_form_can_show(qtbot, window):
    state = window.state
    state.set_params({**state.params, "resolution": "999x999"})
    # The form shows the default (Auto, issue 12) and the state follows it: one value.
    assert window.findChild(object, "param_resolution").currentData() == "auto"
    assert state.params["resolution"] == "auto"


def test_the_model_has_one_home(qtbot, window, hub_env):
    qtbot.waitUntil(lambda: window.catalogue.get("fake-style-edit") is not None, timeout=15000)
    combo = window.sidebar.model_combo
    combo.setCurrentIndex(combo.findData("fake-style-edit"))
    assert window.state.model.id == "fake-style-edit"
    assert window.current_model() is window.state.model
    assert window.findChild(object, "param_style") is not None  # the form follows the state
    window.session.apply_model("gpt-image-2-edit")
    assert combo.currentData() == "gpt-image-2-edit"  # and so does the combo
    assert window.findChild(object, "param_style") is None
    assert window.findChild(object, "param_resolution") is not None


def test_mask_settings_and_the_painted_mask_are_in_the_state(qtbot, window, photos):
    state = window.state
    canvas = window.canvas_panel.canvas
    slider = window.findChild(object, "hardnessSlider")
    slider.setValue(30)
    assert state.mask_settings.hardness == 0.3
    state.set_mask_settings(MaskSettings(brush_size=200.0, overlay_color="#00ff00"))
    assert canvas.brush_size() == 200.0 and canvas.hardness() == 0.8
    assert canvas.overlay_color().name() == "#00ff00"
    assert window.findChild(object, "brushSizeSpin").value() == 200

    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    assert not state.has_mask
    image = window.tray.first_image()
    mask = QImage(image.width(), image.height(), QImage.Format.Format_Grayscale8)
    mask.fill(0)
    painter = QPainter(mask)
    painter.fillRect(0, 0, 10, 10, Qt.GlobalColor.white)
    painter.end()
    canvas.set_mask(mask)
    assert state.has_mask
    assert window.sidebar.mask_label.text() == "Mask: only the painted area changes."
    canvas.clear_mask()
    assert not state.has_mask


def test_the_inputs_follow_the_tray(qtbot, window, photos):
    window.tray.add_paths(photos)
    wait_inputs_ready(qtbot, window, 2)
    assert [r.path for r in window.state.inputs] == photos
    window.tray.list.setCurrentRow(0)
    window.tray.remove_selected()
    assert [r.path for r in window.state.inputs] == [photos[1]]


def test_mask_settings_and_model_come_back_with_the_session(qtbot, hub_env, isolated_env):
    from retouch.core.settings import Settings
    from retouch.ui.main_window import MainWindow

    first = MainWindow(Settings(isolated_env))
    qtbot.addWidget(first)
    first.state.update_mask_settings(brush_size=321.0, overlay_opacity=0.75)
    first.state.set_prompt("kept")
    assert first.close()
    saved = json.loads((isolated_env / "session.json").read_text())
    assert saved["mask_settings"]["brush_size"] == 321.0 and saved["prompt"] == "kept"

    again = MainWindow(Settings(isolated_env))
    qtbot.addWidget(again)
    again.restore_session()
    assert again.canvas_panel.canvas.brush_size() == 321.0
    assert again.canvas_panel.canvas.overlay_opacity() == 0.75
    assert again.sidebar.prompt.toPlainText() == "kept"


def test_a_damaged_session_file_starts_an_empty_editor(qtbot, hub_env, isolated_env):
    from retouch.core.settings import Settings
    from retouch.ui.main_window import MainWindow

    isolated_env.mkdir(parents=True, exist_ok=True)
    (isolated_env / "session.json").write_text('{"inputs": 7, "results": [{"path": 1}], "page": 9')
    win = MainWindow(Settings(isolated_env))
    qtbot.addWidget(win)
    win.restore_session()
    assert win.tray.items() == [] and win.pages.currentIndex() == 0


class _Holder(QObject):
    changed = Signal()

    def __init__(self, value: object) -> None:
        super().__init__()
        self.value = value
        self.sets = 0

    def get(self) -> object:
        return self.value

    def set(self, value: object) -> None:
        self.sets += 1
        self.value = value
        self.changed.emit()


def test_bind_copies_at_once_then_both_ways_without_echo():
    a, b = _Holder(1), _Holder(2)
    binding = bind(Prop(a.changed, a.get, a.set), Prop(b.changed, b.get, b.set))
    assert b.value == 1 and b.sets == 1
    a.set(5)
    assert b.value == 5 and b.sets == 2 and a.sets == 1  # no echo back into a
    b.set(7)
    assert a.value == 7 and a.sets == 2 and b.sets == 3
    binding.disconnect()
    a.set(9)
    assert b.value == 7


def test_editor_model_says_only_what_changed(qtbot):
    model = builtin_model()
    assert model is not None
    state = EditorModel(model)
    seen: list[str] = []
    state.modelChanged.connect(lambda _m: seen.append("model"))
    state.paramsChanged.connect(lambda: seen.append("params"))
    state.promptChanged.connect(lambda _p: seen.append("prompt"))
    state.set_model(model, {"num_images": 2, "no_such_param": 1})
    assert state.params == {"num_images": 2}  # unknown names are not kept
    assert seen == ["model", "params"]
    state.set_model(model, {"num_images": 2})
    state.set_prompt("")
    assert seen == ["model", "params"]  # nothing changed, nothing said
    state.set_prompt("x")
    assert seen[-1] == "prompt"
    assert state.data().to_json()["prompt"] == "x"
