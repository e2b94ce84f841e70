"""The main window driven like a designer would: drop, type, run, cancel, keep."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QPainter
from PySide6.QtWidgets import QApplication

from retouch.core import errors as E
from retouch.core.region import Rect
from retouch.fakehub import Fault
from retouch.ui.actions import Act
from tests.ui.conftest import answer_quit, wait_inputs_ready


def drop_files(widget, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = QPointF(widget.rect().center())
    enter = QDragEnterEvent(
        pos.toPoint(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, enter)
    drop = QDropEvent(
        pos,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, drop)


def start_run(qtbot, win, prompt: str = "make it sunset") -> None:
    win.sidebar.prompt.setPlainText(prompt)
    qtbot.waitUntil(lambda: win.sidebar.run_button.isEnabled(), timeout=5000)
    qtbot.mouseClick(win.sidebar.run_button, Qt.MouseButton.LeftButton)


def test_dropped_files_appear_as_inputs_first_is_edited(qtbot, window, photos):
    drop_files(window.tray.list.viewport(), photos)
    wait_inputs_ready(qtbot, window, 2)
    first, second = window.tray.list.item(0), window.tray.list.item(1)
    assert first.text().startswith("Editing")
    assert "first photo.png" in first.text()
    assert second.text().startswith("Reference")
    assert "320 × 240" in first.toolTip() and "PNG" in first.toolTip()
    assert "JPEG" in second.toolTip()
    # The canvas shows the first image.
    assert window.canvas_panel.canvas.image().size().width() == 320


def test_command_line_files_are_loaded(qtbot, hub_env, isolated_env, photos):
    from retouch.core.settings import Settings
    from retouch.ui.app import create_app, open_main_window

    create_app()
    win = open_main_window([str(p) for p in photos], settings=Settings(isolated_env))
    qtbot.addWidget(win)
    wait_inputs_ready(qtbot, win, 2)
    assert [it.ref.path for it in win.tray.items()] == photos


def test_unreadable_file_is_refused_with_a_message_and_the_rest_kept(
    qtbot, window, photos, tmp_path
):
    bogus = tmp_path / "notes.png"
    bogus.write_text("this is not an image")
    drop_files(window.tray.list.viewport(), [photos[0], bogus])
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=10000)
    wait_inputs_ready(qtbot, window, 1)
    assert "notes.png" in window.banner.text()
    assert "not an image" in window.banner.text()
    assert window.tray.items()[0].ref.path == photos[0]


def test_folder_dropped_is_refused(qtbot, window, tmp_path):
    folder = tmp_path / "a folder"
    folder.mkdir()
    drop_files(window.tray.list.viewport(), [folder])
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=5000)
    assert "folder" in window.banner.text()
    assert window.tray.items() == []


def test_run_blocked_with_reason_until_ready(qtbot, window, photos):
    assert not window.sidebar.run_button.isEnabled()
    assert "Add an image" in window.sidebar.reason_label.text()
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    assert "prompt" in window.sidebar.reason_label.text()
    window.sidebar.prompt.setPlainText("brighter")
    assert window.sidebar.run_button.isEnabled()
    assert not window.sidebar.reason_label.isVisible()


def test_run_with_three_images_fills_gallery_and_saves(qtbot, window, photos, hub_env):
    window.tray.add_paths(photos)
    wait_inputs_ready(qtbot, window, 2)
    window.findChild(object, "param_num_images").setValue(3)
    assert window.sidebar.cost_label.text().startswith("3 × ")
    with qtbot.waitSignal(window.controller.finished, timeout=30000) as blocker:
        start_run(qtbot, window)
    outcome = blocker.args[0]
    gallery = window.findChild(object, "resultsGallery")
    assert gallery.model().rowCount() == 3
    assert len(outcome.results) == 3
    for result in outcome.results:
        assert result.path.exists() and result.sidecar.exists()
        with Image.open(result.path) as img:
            # No mask: the whole picture at the photo's 4:3, at the model's resolution.
            assert img.size == (1024, 768)
    sent = hub_env.edit_requests()[-1]
    assert sent.input_sizes[0] == (1024, 768)  # Auto: the photo's 4:3 at the model's size
    assert sent.json["num_images"] == 3
    assert isinstance(sent.json["input_image"], list) and len(sent.json["input_image"]) == 2
    assert "mask_url" not in sent.json
    assert window.pages.currentWidget() is window.results
    assert window.sidebar.run_button.isVisible() and window.sidebar.run_button.isEnabled()


def test_ctrl_enter_in_prompt_runs(qtbot, window, photos, hub_env):
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    window.sidebar.prompt.setFocus()
    qtbot.keyClicks(window.sidebar.prompt, "add a red balloon")
    with qtbot.waitSignal(window.controller.finished, timeout=30000):
        qtbot.keyClick(
            window.sidebar.prompt, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
    assert hub_env.edit_requests()[-1].json["prompt"] == "add a red balloon"
    assert window.sidebar.prompt.toPlainText() == "add a red balloon"  # no newline typed


def test_painted_mask_is_sent_at_input_size_white_is_edit(qtbot, window, photos, hub_env):
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    mask = QImage(320, 240, QImage.Format.Format_Grayscale8)
    mask.fill(0)
    painter = QPainter(mask)
    painter.fillRect(0, 0, 80, 240, Qt.GlobalColor.white)  # the left quarter
    painter.end()
    window.canvas_panel.canvas.set_mask(mask)
    assert "painted area" in window.sidebar.mask_label.text()
    with qtbot.waitSignal(window.controller.finished, timeout=30000):
        start_run(qtbot, window)
    sent = hub_env.edit_requests()[-1]
    # The region around the mask goes at the requested size, its mask with it (issue 12):
    # white where painted, as much of the region as the painted quarter covers.
    asked = tuple(int(v) for v in sent.json["resolution"].split("x"))
    assert sent.mask_size == sent.input_sizes[0] == asked
    plan = window.state.plan
    assert plan is not None and plan.send_size == asked
    inside = plan.content.intersect(Rect(0, 0, 80, 240))  # the painted left quarter
    assert inside is not None
    assert sent.mask_white_fraction == pytest.approx(inside.area / plan.content.area, abs=0.02)


def test_no_mask_says_whole_image_may_change(qtbot, window, photos):
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    assert window.sidebar.mask_label.text() == "No mask: the whole image may change."


def test_cancel_during_slow_run_stops_it_and_ui_is_usable(qtbot, window, photos, hub_env):
    hub_env.add_fault(Fault("delay", seconds=60))
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    start_run(qtbot, window)
    qtbot.waitUntil(lambda: len(hub_env.edit_requests()) == 1, timeout=10000)
    assert window.sidebar.cancel_button.isVisible()
    assert "Waiting for the model" in window.sidebar.phase_label.text()
    # The window stays responsive: the prompt can be edited meanwhile.
    qtbot.keyClicks(window.sidebar.prompt, " again")
    with qtbot.waitSignal(window.controller.failed, timeout=10000) as blocker:
        qtbot.mouseClick(window.sidebar.cancel_button, Qt.MouseButton.LeftButton)
    assert isinstance(blocker.args[0], E.CancelledError)
    assert not window.controller.running
    assert window.sidebar.run_button.isVisible() and window.sidebar.run_button.isEnabled()
    assert "cancelled" in window.banner.text().lower()
    # And the next run works.
    with qtbot.waitSignal(window.controller.finished, timeout=30000):
        qtbot.mouseClick(window.sidebar.run_button, Qt.MouseButton.LeftButton)
    assert len(hub_env.edit_requests()) == 2


def test_401_offers_to_set_the_key(qtbot, window, photos, hub_env):
    hub_env.add_fault(Fault("status", status=401, message="bad key"))
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    with qtbot.waitSignal(window.controller.failed, timeout=30000):
        start_run(qtbot, window)
    assert window.banner.isVisible()
    assert "API key" in window.banner.text()
    action = window.findChild(object, "bannerAction")
    assert action.isVisible() and action.text() == "Set API Key…"
    assert "test-key" not in window.banner.text()


def test_server_error_offers_retry_and_next_run_works(qtbot, window, photos, hub_env):
    hub_env.add_fault(Fault("status", status=500, shape="message", message="boom"))
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    with qtbot.waitSignal(window.controller.failed, timeout=30000):
        start_run(qtbot, window)
    action = window.findChild(object, "bannerAction")
    assert action.text() == "Run Again"
    assert len(hub_env.edit_requests()) == 1  # never resent by itself
    with qtbot.waitSignal(window.controller.finished, timeout=30000):
        qtbot.mouseClick(action, Qt.MouseButton.LeftButton)
    assert len(hub_env.edit_requests()) == 2


def test_use_as_input_makes_the_result_the_edited_image(qtbot, window, photos):
    window.tray.add_paths(photos)
    wait_inputs_ready(qtbot, window, 2)
    with qtbot.waitSignal(window.controller.finished, timeout=30000) as blocker:
        start_run(qtbot, window)
    outcome = blocker.args[0]
    result_path = outcome.results[0].path
    window.results.select(0)
    window.results.act_use.trigger()
    qtbot.waitUntil(lambda: window.tray.items()[0].ref.path == result_path, timeout=15000)
    wait_inputs_ready(qtbot, window, 2)
    # The first input (the edited image), not a reference; the reference stays second.
    assert [it.ref.path for it in window.tray.items()] == [result_path, photos[1]]
    source = window.state.source_result
    assert source is not None and (source.run_id, source.index) == (outcome.run_id, 0)


def test_result_drag_carries_the_file(qtbot, window, photos):
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    with qtbot.waitSignal(window.controller.finished, timeout=30000) as blocker:
        start_run(qtbot, window)
    model = window.results.gallery.model()
    mime = model.mimeData([model.index(0, 0)])
    assert [Path(u.toLocalFile()) for u in mime.urls()] == [blocker.args[0].results[0].path]
    window.results.copy_current()
    assert not QApplication.clipboard().image().isNull()


def test_no_key_blocks_run_and_points_to_settings(qtbot, isolated_env, photos, monkeypatch):
    from retouch.core.settings import Settings
    from retouch.ui.app import create_app
    from retouch.ui.main_window import MainWindow

    monkeypatch.delenv("OXEN_API_KEY", raising=False)
    create_app()
    win = MainWindow(Settings(isolated_env))
    qtbot.addWidget(win)
    win.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, win, 1)
    win.sidebar.prompt.setPlainText("x")
    assert not win.sidebar.run_button.isEnabled()
    assert "API key" in win.sidebar.reason_label.text()


def test_close_during_run_asks_and_stops_the_thread(qtbot, window, photos, hub_env, monkeypatch):
    hub_env.add_fault(Fault("delay", seconds=60))
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    start_run(qtbot, window)
    qtbot.waitUntil(lambda: len(hub_env.edit_requests()) == 1, timeout=10000)
    asked = []
    answer_quit(monkeypatch, "Don't", asked)
    assert not window.close()
    assert asked and window.controller.running
    # A synchronous edit cannot be kept running: only cancel or stay.
    assert sorted(asked[0][1]) == ["Don't Quit", "Quit and Cancel"]
    answer_quit(monkeypatch, "Quit and Cancel")
    assert window.close()
    task = window.controller.task  # the run's thread has let go of it: joined, not abandoned
    assert task is None or task.is_finished()


def test_settings_remember_last_values(qtbot, window, isolated_env):
    from retouch.core.settings import Settings
    from retouch.ui.main_window import MainWindow

    window.findChild(object, "param_num_images").setValue(4)
    combo = window.findChild(object, "param_resolution")
    combo.setCurrentIndex(combo.findData("2560x1440"))
    assert "high-res price" in window.sidebar.cost_label.text()
    assert "$1.64" in window.sidebar.cost_label.text()
    window.sidebar.prompt.setPlainText("keep me")
    window.close()
    again = MainWindow(Settings(isolated_env))
    qtbot.addWidget(again)
    assert again.findChild(object, "param_num_images").value() == 4
    assert again.findChild(object, "param_resolution").currentData() == "2560x1440"
    assert again.sidebar.prompt.toPlainText() == "keep me"
    settings_text = (isolated_env / "settings.json").read_text()
    assert "test-key" not in settings_text


def test_demo_mode_label_and_run(qtbot, isolated_env, photos, monkeypatch):
    from retouch.core.settings import Settings
    from retouch.ui.app import DEMO_KEY, create_app, open_main_window, start_demo_hub

    monkeypatch.delenv("OXEN_API_KEY", raising=False)
    create_app()
    hub = start_demo_hub()
    hub.delay = 0
    try:
        win = open_main_window([str(photos[0])], settings=Settings(isolated_env), demo_hub=hub)
        qtbot.addWidget(win)
        assert win.sidebar.demo_label.isVisible()
        assert "Demo" in win.sidebar.demo_label.text()
        wait_inputs_ready(qtbot, win, 1)
        with qtbot.waitSignal(win.controller.finished, timeout=30000):
            start_run(qtbot, win)
        posted = [r for r in hub.requests if r.method == "POST"]
        assert posted and posted[-1].headers["authorization"] == f"Bearer {DEMO_KEY}"
        assert win.results.count() == 1
    finally:
        hub.stop()


def test_welcome_dialog_offers_demo_and_key(qtbot):
    from retouch.ui.dialogs import WelcomeDialog

    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    demo = dialog.findChild(object, "welcomeDemo")
    save = dialog.findChild(object, "welcomeSaveKey")
    assert demo.isEnabled() and not save.isEnabled()
    qtbot.keyClicks(dialog.key_edit, "sk-secret-123")
    assert save.isEnabled()
    assert dialog.key_edit.echoMode() == dialog.key_edit.EchoMode.Password
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    from retouch.core.secrets import get_api_key

    assert get_api_key() == ("sk-secret-123", "keyring")
    assert dialog.stored_in == "keyring"


def test_settings_dialog_masks_key_and_validates_base(qtbot, isolated_env):
    from retouch.core.secrets import get_api_key
    from retouch.core.settings import Settings
    from retouch.ui.dialogs import SettingsDialog

    settings = Settings(isolated_env)
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.key_edit.echoMode() == dialog.key_edit.EchoMode.Password
    dialog.key_edit.setText("sk-new")
    dialog.base_edit.setText("http://example.com/api")
    dialog.accept()
    assert not dialog.error_label.isHidden() and "https" in dialog.error_label.text()
    dialog.base_edit.setText("http://127.0.0.1:9/api")
    dialog.upload_repo.setChecked(True)
    dialog.repo_edit.setText("alice/retouch-inputs")
    dialog.accept()
    assert settings.get("upload") == "oxen:alice/retouch-inputs"
    assert get_api_key()[0] == "sk-new"
    assert "sk-new" not in (isolated_env / "settings.json").read_text()


def test_paste_of_an_image_adds_an_input(qtbot, window):
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.green)
    QApplication.clipboard().setImage(image)
    window.setFocus()
    window.action_table[Act.PASTE].trigger()
    wait_inputs_ready(qtbot, window, 1)
    assert window.tray.items()[0].info.width == 64


def test_delete_key_removes_selected_input(qtbot, window, photos):
    window.tray.add_paths(photos)
    wait_inputs_ready(qtbot, window, 2)
    window.tray.list.setCurrentRow(0)
    window.tray.list.setFocus()
    qtbot.keyClick(window.tray.list, Qt.Key.Key_Delete)
    assert len(window.tray.items()) == 1
    assert window.tray.items()[0].ref.path == photos[1]
    assert window.tray.list.item(0).text().startswith("Editing")


def test_reordering_inputs_changes_which_one_is_edited(qtbot, window, photos):
    window.tray.add_paths(photos)
    wait_inputs_ready(qtbot, window, 2)
    shown = []
    window.tray.firstImageChanged.connect(shown.append)
    model = window.tray.list.model()
    # What an internal drag does: move row 1 above row 0.
    assert model.moveRow(model.index(0, 0).parent(), 1, model.index(0, 0).parent(), 0)
    assert [it.ref.path for it in window.tray.items()] == [photos[1], photos[0]]
    assert window.tray.list.item(0).text().startswith("Editing")
    assert "référence.jpg" in window.tray.list.item(0).text()
    assert window.tray.list.item(1).text().startswith("Reference")
    # A reference is decoded in full only once it becomes the edited image.
    qtbot.waitUntil(lambda: bool(shown) and shown[-1] is not None, timeout=10000)
    assert shown[-1].size() == window.tray.items()[0].image.size()
    assert window.canvas_panel.canvas.image().size() == shown[-1].size()


def test_files_opened_from_the_desktop_arrive_as_inputs(qtbot, hub_env, isolated_env, photos):
    from PySide6.QtGui import QFileOpenEvent

    from retouch.core.settings import Settings
    from retouch.ui.app import create_app, open_main_window

    app = create_app()
    win = open_main_window([], settings=Settings(isolated_env))
    qtbot.addWidget(win)
    QApplication.sendEvent(app, QFileOpenEvent(str(photos[0])))
    wait_inputs_ready(qtbot, win, 1)
    assert win.tray.items()[0].ref.path == photos[0]
    assert app.desktopFileName() == "io.retouch.Retouch"


def test_a_link_is_previewed_and_sent_as_the_link(qtbot, window, photos, hub_env):
    url = hub_env.put_file("alice", "pics", "lake.png", photos[0].read_bytes())
    mime = QMimeData()
    mime.setUrls([QUrl(url)])
    window.tray.add_mime(mime)
    qtbot.waitUntil(lambda: window.tray.first_image() is not None, timeout=15000)
    item = window.tray.items()[0]
    assert item.status == "link" and item.ref.url == url
    assert "Sent as a link" in window.tray.list.item(0).toolTip()
    assert window.canvas_panel.canvas.image().width() == 320  # the preview can be masked
    window.sidebar.prompt.setPlainText("from a link")
    with qtbot.waitSignal(window.controller.finished, timeout=30000):
        qtbot.mouseClick(window.sidebar.run_button, Qt.MouseButton.LeftButton)
    assert hub_env.edit_requests()[-1].json["input_image"] == url


def test_a_link_without_preview_is_kept_with_a_warning(qtbot, window, hub_env):
    missing = hub_env.base_url + "/repos/alice/pics/file/main/missing.png"
    window.tray.add_urls([missing])
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=15000)
    assert "No preview" in window.banner.text() and "404" in window.banner.text()
    assert [it.ref.url for it in window.tray.items()] == [missing]
