"""Issue 12 in the window: the region drawn before Run and kept up to date, Whole image and a
custom region, the controls bound to the editor state, a run that places the result back,
Composited / Model output, Use as Input, lineage on the History page, Settings → GPS."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops, ImageDraw
from PySide6.QtCore import QPointF, QRect, QTimer
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QCheckBox, QMessageBox

from retouch.core.photo_meta import EXIF_GPS_IFD
from retouch.ui.actions import Act
from retouch.ui.editor import Placement
from tests.ui.canvas.conftest import Mouse
from tests.ui.conftest import wait_inputs_ready

SIZE = (1200, 800)


def photo(path: Path, size: tuple[int, int] = SIZE, **save: Any) -> Path:
    img = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(img)
    for x in range(0, size[0], 30):
        draw.line((x, 0, x, size[1]), fill=(200, 80, 30), width=2)
    img.save(path, **save)
    return path


def open_photo(qtbot, window, path: Path) -> None:  # type: ignore[no-untyped-def]
    window.tray.add_paths([path])
    wait_inputs_ready(qtbot, window, 1)
    qtbot.waitUntil(lambda: window.canvas_panel.canvas.image() is not None, timeout=15000)


def settled(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Wait until the plan is made for what is on screen now."""
    qtbot.waitUntil(
        lambda: (
            not window.planner.pending
            and (window.state.plan is not None or bool(window.state.plan_error))
        ),
        timeout=15000,
    )


def paint_rect(window, rect: tuple[int, int, int, int]) -> None:  # type: ignore[no-untyped-def]
    """Replace the mask with a white rectangle (x, y, w, h in image pixels)."""
    canvas = window.canvas_panel.canvas
    image = canvas.image()
    mask = QImage(image.size(), QImage.Format.Format_Grayscale8)
    mask.fill(0)
    p = QPainter(mask)
    p.fillRect(QRect(*rect), QColor(255, 255, 255))
    p.end()
    canvas.set_mask(mask)


def widget_point(window, x: float, y: float) -> QPointF:  # type: ignore[no-untyped-def]
    return window.canvas_panel.canvas.image_to_widget(QPointF(x, y))


def test_the_region_is_drawn_before_run_and_follows_the_mask(qtbot, window, tmp_path):
    open_photo(qtbot, window, photo(tmp_path / "photo.png"))
    canvas = window.canvas_panel.canvas
    settled(qtbot, window)
    # No mask: the whole image goes, and it is framed as such.
    assert window.state.plan.whole_photo
    assert canvas.region_overlay()[0] == QRect(0, 0, *SIZE)
    # A stroke of the brush, with the real mouse path: the region forms around it.
    canvas.set_brush_size(40)
    Mouse(canvas).drag([widget_point(window, 300 + i * 10, 300) for i in range(11)])
    settled(qtbot, window)
    plan = window.state.plan
    region, label = canvas.region_overlay()
    assert region == QRect(plan.content.x, plan.content.y, plan.content.w, plan.content.h)
    assert region.contains(QRect(280, 280, 140, 40)) and region.width() < SIZE[0] / 2
    assert "Sent:" in label and f"{plan.output.width}×{plan.output.height}" in label
    assert "Sends" in window.sidebar.placement.plan_label.text()
    # Painting elsewhere moves it: the region follows the mask.
    paint_rect(window, (900, 550, 120, 90))
    settled(qtbot, window)
    moved = canvas.region_overlay()[0]
    assert moved.contains(QRect(900, 550, 120, 90)) and not moved.contains(QRect(300, 300, 10, 10))
    # The price is the plan's: standard for a small edit.
    assert "standard price" in window.sidebar.cost_label.text()


def test_whole_image_custom_region_and_back_to_auto(qtbot, window, tmp_path):
    open_photo(qtbot, window, photo(tmp_path / "photo.png"))
    canvas = window.canvas_panel.canvas
    panel = window.canvas_panel
    paint_rect(window, (500, 300, 100, 100))
    settled(qtbot, window)
    assert window.state.plan.mode == "auto"
    # Whole image: one click.
    panel.actionWholeImage.trigger()
    settled(qtbot, window)
    assert window.state.placement.region == "whole" and window.state.plan.mode == "whole"
    assert canvas.region_overlay()[0] == QRect(0, 0, *SIZE)
    assert "whole image" in window.sidebar.placement.region_label.text()
    panel.actionWholeImage.trigger()
    settled(qtbot, window)
    assert window.state.plan.mode == "auto"
    # A custom region dragged with the Region tool; the mask is left as it was.
    before = canvas.mask_for_export()
    panel.actionRegionTool.trigger()
    assert canvas.tool() == "region"
    Mouse(canvas).drag(
        [
            widget_point(window, 400, 200),
            widget_point(window, 600, 350),
            widget_point(window, 800, 500),
        ]
    )
    region = window.state.placement.region
    assert isinstance(region, tuple)
    x, y, w, h = region
    assert abs(x - 400) <= 2 and abs(y - 200) <= 2 and abs(w - 400) <= 3 and abs(h - 300) <= 3
    assert canvas.mask_for_export() == before
    settled(qtbot, window)
    assert window.state.plan.mode == "custom"
    assert "custom" in window.sidebar.placement.region_label.text()
    assert not panel.actionWholeImage.isChecked()
    panel.actionAutoRegion.trigger()
    settled(qtbot, window)
    assert window.state.placement.region == "auto" and window.state.plan.mode == "auto"


def test_a_region_the_mask_is_not_in_says_so_before_run(qtbot, window, tmp_path):
    open_photo(qtbot, window, photo(tmp_path / "photo.png"))
    paint_rect(window, (50, 50, 60, 60))
    window.state.update_placement(region=(700, 400, 300, 300))
    settled(qtbot, window)
    assert window.state.plan is None
    text = window.sidebar.placement.plan_label.text()
    assert "Cannot run" in text and "outside the region" in text
    assert window.canvas_panel.canvas.region_overlay()[0] is None


def test_the_controls_are_the_states_and_are_remembered(qtbot, window, tmp_path):
    box = window.sidebar.placement
    assert window.findChild(object, "param_resolution").currentData() == "auto"
    box.feather_spin.setValue(12)
    box.color_match.setChecked(False)
    box.scale_to_original.setChecked(True)
    box.allow_high_res.setChecked(True)
    box.save_output.setCurrentIndex(box.save_output.findData("model"))
    assert window.state.placement == Placement(
        feather=12, color_match=False, scale_to_original=True, allow_high_res=True, output="model"
    )
    settings = window.settings
    assert settings.get("allow_high_res") is True and settings.get("color_match") is False
    assert settings.get("save_output") == "model" and settings.get("scale_to_original") is True
    # …and the state shows in the controls (one home for each value).
    window.state.update_placement(feather=None, allow_high_res=False)
    assert box.feather_spin.value() == -1 and box.feather_spin.text().startswith("Auto")
    assert not box.allow_high_res.isChecked()
    # The high-resolution allowance changes what Auto may choose, shown before Run.
    open_photo(qtbot, window, photo(tmp_path / "wide.png", (4000, 2250)))
    paint_rect(window, (200, 200, 3600, 1850))
    settled(qtbot, window)
    assert window.state.plan.send_size == (1920, 1080)
    assert "standard price" in window.sidebar.cost_label.text()
    box.allow_high_res.setChecked(True)
    qtbot.waitUntil(
        lambda: window.state.plan is not None and window.state.plan.send_size == (3840, 2160),
        timeout=15000,
    )
    assert "high-res price" in window.sidebar.cost_label.text()


def run_and_wait(qtbot, window) -> Any:  # type: ignore[no-untyped-def]
    window.state.set_prompt("put a red cup there")
    phases: list[str] = []
    window.controller.progress.connect(lambda p: phases.append(p.message))
    with qtbot.waitSignal(window.controller.finished, timeout=60000) as blocker:
        window.action_table[Act.RUN].trigger()
    outcome = blocker.args[0]
    outcome.phases = phases
    return outcome


def test_a_run_places_the_result_back_into_the_photo(qtbot, window, tmp_path, hub_env):
    path = photo(tmp_path / "photo.png")
    open_photo(qtbot, window, path)
    paint_rect(window, (500, 300, 160, 120))
    settled(qtbot, window)
    plan = window.state.plan
    outcome = run_and_wait(qtbot, window)
    (result,) = outcome.results
    assert any(m.startswith("Placing result 1 of 1 into the photo") for m in outcome.phases)
    with Image.open(result.path) as saved, Image.open(path) as original:
        assert saved.size == SIZE
        diff = ImageChops.difference(saved.convert("RGB"), original.convert("RGB"))
        changed = diff.convert("L").point(lambda v: 255 if v else 0).getbbox()
    assert changed is not None
    reach = 3 * json.loads(result.sidecar.read_text())["result"]["feather"] + 3
    assert changed[0] >= 500 - reach and changed[2] <= 660 + reach
    assert changed[1] >= 300 - reach and changed[3] <= 420 + reach
    (sent,) = hub_env.edit_requests()
    assert sent.input_sizes[0] == sent.mask_size == plan.send_size
    # Results: Composited (the photo's size) and Model output (the model's picture).
    results = window.results
    assert results.shown_image().size().toTuple() == SIZE
    results.show_model.click()
    assert results.shown() == "model"
    # The model's picture is decoded when first asked for (off the UI thread).
    qtbot.waitUntil(
        lambda: (
            results.shown_image() is not None
            and results.shown_image().size().toTuple() == plan.send_size
        ),
        timeout=15000,
    )
    assert "model output" in results.info.text()
    results.show_composite.click()
    assert results.shown_image().size().toTuple() == SIZE
    # Compare: the photo at full resolution against the composite; the region that was
    # sent against the model's picture.
    window.show_page(2)
    compare = window.compare
    assert [im.size().toTuple() for im in compare.images()] == [SIZE, SIZE]
    window.pager.page(2).show_model.click()
    region = plan.region
    qtbot.waitUntil(lambda: len(compare.images()) == 2, timeout=15000)
    assert [im.size().toTuple() for im in compare.images()] == [
        (region.w, region.h),
        plan.send_size,
    ]


def test_saving_the_models_picture_keeps_the_composite_to_show(qtbot, window, tmp_path):
    open_photo(qtbot, window, photo(tmp_path / "photo.png"))
    paint_rect(window, (500, 300, 160, 120))
    window.sidebar.placement.save_output.setCurrentIndex(1)  # the model's picture
    settled(qtbot, window)
    outcome = run_and_wait(qtbot, window)
    with Image.open(outcome.results[0].path) as saved:
        assert saved.size == window.state.plan.send_size
    # Composited still shows the photo with the edit in it (decoded when asked for).
    window.results.ensure_pictures("composite")
    qtbot.waitUntil(
        lambda: (
            window.results.shown_image() is not None
            and window.results.shown_image().size().toTuple() == SIZE
        ),
        timeout=15000,
    )


def accept_keep_mask_dialog(keep: bool, remember: bool) -> None:
    """Answer the "Keep the mask?" question as a user would, when it comes up."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        check = box.findChild(QCheckBox, "rememberKeepMask")
        assert check is not None
        check.setChecked(remember)
        wanted = "Keep mask" if keep else "Clear mask"
        next(b for b in box.buttons() if b.text() == wanted).click()

    QTimer.singleShot(0, answer)


def test_use_as_input_then_the_lineage_on_the_history_page(qtbot, window, tmp_path):
    open_photo(qtbot, window, photo(tmp_path / "photo.png"))
    paint_rect(window, (500, 300, 160, 120))
    settled(qtbot, window)
    first = run_and_wait(qtbot, window)
    # Use as Input: the composite becomes the edited image; keep the mask, and remember it.
    accept_keep_mask_dialog(keep=True, remember=True)
    canvas = window.canvas_panel.canvas
    shown = canvas.image().cacheKey()
    window.results.select(0)
    window.action_table[Act.USE_AS_INPUT].trigger()
    qtbot.waitUntil(lambda: canvas.image().cacheKey() != shown, timeout=15000)
    assert window.tray.items()[0].ref.path == first.results[0].path
    assert window.settings.get("keep_mask_answer") == "keep"
    assert not window.canvas_panel.canvas.is_mask_empty()  # kept
    assert window.state.source_result.run_id == first.run_id
    settled(qtbot, window)
    second = run_and_wait(qtbot, window)
    record = window.history.get(second.run_id)
    assert (record.parent_run, record.parent_index) == (first.run_id, 0)
    # Again, without being asked (remembered), then the History page shows the chain.
    window.results.select(0)
    window.action_table[Act.USE_AS_INPUT].trigger()
    qtbot.waitUntil(
        lambda: window.tray.items()[0].ref.path == second.results[0].path, timeout=15000
    )
    wait_inputs_ready(qtbot, window, 1)
    settled(qtbot, window)
    third = run_and_wait(qtbot, window)
    window.show_page(3)
    panel = window.history_panel
    assert panel.select_run(second.run_id)
    assert panel.lineage.isVisible()
    # Original (the first run's photo) → edit → this edit → the edit made from it.
    assert panel.lineage.chain() == [first.run_id, first.run_id, second.run_id, third.run_id]
    # Any step can be gone back to: the first edit opens in the editor with its photo.
    with qtbot.waitSignal(panel.openRequested) as opened:
        panel.lineage.steps[0].click()
    assert opened.args == [first.run_id]
    wait_inputs_ready(qtbot, window, 1)
    assert window.tray.items()[0].ref.path == record_input(window, first.run_id)


def record_input(window, run_id: str) -> Path:  # type: ignore[no-untyped-def]
    return window.history.get(run_id).input_paths[0]


def test_settings_remove_gps_from_saved_results(qtbot, window, tmp_path, monkeypatch):
    from retouch.ui.dialogs import SettingsDialog

    dialog = SettingsDialog(window.settings, window)
    check = dialog.findChild(QCheckBox, "removeGpsCheck")
    assert check is not None and not check.isChecked()
    check.setChecked(True)
    dialog.accept()
    assert window.settings.get("remove_gps") is True
    exif = Image.Exif()
    exif[0x010F] = "Retouch Camera"
    exif.get_ifd(EXIF_GPS_IFD)[1] = "N"
    path = photo(tmp_path / "photo.jpg", format="JPEG", quality=95, exif=exif.tobytes())
    open_photo(qtbot, window, path)
    paint_rect(window, (500, 300, 160, 120))
    settled(qtbot, window)
    outcome = run_and_wait(qtbot, window)
    with Image.open(outcome.results[0].path) as saved:
        tags = saved.getexif()
    assert tags.get(0x010F) == "Retouch Camera" and not tags.get_ifd(EXIF_GPS_IFD)


@pytest.mark.parametrize("keep", [True, False])
def test_remembered_keep_mask_answer_is_used_without_asking(qtbot, window, tmp_path, keep):
    window.canvas_panel.keep_mask_answer = keep
    asked: list[bool] = []
    window.canvas_panel._ask_keep_mask = lambda: asked.append(True) or True  # type: ignore[method-assign]
    open_photo(qtbot, window, photo(tmp_path / "a.png"))
    paint_rect(window, (10, 10, 50, 50))
    canvas = window.canvas_panel.canvas
    before = canvas.image().cacheKey()
    window.tray.set_edited(photo(tmp_path / "b.png"))
    qtbot.waitUntil(
        lambda: canvas.image() is not None and canvas.image().cacheKey() != before, timeout=15000
    )
    assert window.tray.items()[0].ref.path.name == "b.png"
    assert canvas.is_mask_empty() is not keep
    assert asked == []


def test_the_batch_panel_takes_the_windows_placement(qtbot, window):
    window.settings.set("remove_gps", True)
    window.state.update_placement(region=(10, 10, 100, 100), feather=7, color_match=False)
    window.open_batch()
    from retouch.ui.batch_panel import BatchPanel

    panel = window.findChild(BatchPanel, "batchPanel")
    assert panel is not None
    job = panel.make_job()
    assert job.placement is not None
    # Each image gets its own region; the choices and the GPS setting come along.
    assert job.placement.region == "auto" and job.placement.feather == 7
    assert job.placement.color_match is False and job.placement.keep_gps is False
    panel.close()
    window.state.update_placement(region="whole")
    window.open_batch()
    assert panel.make_job().placement.region == "whole"
