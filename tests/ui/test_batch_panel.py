"""The batch panel with real widgets against the fake hub: drop, start, pause, cancel, retry."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from retouch.fakehub import Fault


def make_images(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"shot{i:02d}.png"
        Image.new("RGB", (64, 48), (30 * i % 255, 120, 90)).save(path)
        paths.append(path)
    return paths


def drop(widget, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = QPointF(widget.rect().center())
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton)
    QApplication.sendEvent(
        widget, QDragEnterEvent(pos.toPoint(), *args, Qt.KeyboardModifier.NoModifier)
    )
    QApplication.sendEvent(widget, QDropEvent(pos, *args, Qt.KeyboardModifier.NoModifier))


@pytest.fixture
def answers(monkeypatch):
    """Every QMessageBox.question is answered Yes (or what the test sets); texts are kept."""
    asked: list[str] = []
    reply = {"answer": QMessageBox.StandardButton.Yes}

    def question(_parent, _title, text, *_args, **_kw):
        asked.append(text)
        return reply["answer"]

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked, reply


def open_panel(qtbot, window, prompt: str = "golden hour light"):
    window.sidebar.prompt.setPlainText(prompt)
    window.findChild(object, "actionBatch").trigger()
    panel = window.findChild(object, "batchPanel")
    assert panel is not None and panel.isVisible()
    qtbot.waitExposed(panel)
    return panel


def states(panel) -> list[str]:
    return [panel.table.item(r, 2).text() for r in range(panel.table.rowCount())]


def click(qtbot, panel, name: str) -> None:
    button = panel.findChild(object, name)
    assert button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_drop_a_folder_start_and_everything_is_done(qtbot, window, hub_env, tmp_path, answers):
    asked, _ = answers
    hub_env.delay = 0.2  # so three edits overlap
    panel = open_panel(qtbot, window)
    assert panel.prompt.toPlainText() == "golden hour light"  # prefilled from the main window
    assert "GPT Image 2 Edit" in panel.model_label.text()
    drop(panel, [make_images(tmp_path / "in", 12)[0].parent])
    assert panel.table.rowCount() == 12
    assert states(panel) == ["Waiting"] * 12
    panel.findChild(object, "batchConcurrency").setValue(3)
    out = tmp_path / "batch-out"
    panel.out_dir.setText(str(out))
    assert "$2.64" in panel.cost.text()

    with qtbot.waitSignal(panel.finished, timeout=60000):
        click(qtbot, panel, "batchStart")
        # While it runs the inputs are locked and Pause/Cancel are offered.
        assert not panel.add_files.isEnabled() and panel.pause_button.isEnabled()

    assert "12 images" in asked[0] and "$2.64" in asked[0]  # the cost was asked about first
    assert states(panel) == ["Done"] * 12
    assert hub_env.max_in_flight == 3
    assert panel.table.item(0, 3).text() == "shot00-1.png"
    assert sorted(p.name for p in out.glob("*.png")) == [f"shot{i:02d}-1.png" for i in range(12)]
    assert panel.summary.text() == "12/12 done"
    assert panel.start_button.isEnabled() and not panel.pause_button.isEnabled()


def test_declining_the_cost_sends_nothing(qtbot, window, hub_env, tmp_path, answers):
    _, reply = answers
    reply["answer"] = QMessageBox.StandardButton.No
    panel = open_panel(qtbot, window)
    panel.add_paths(make_images(tmp_path / "in", 2))
    click(qtbot, panel, "batchStart")
    assert panel.runner is None
    assert hub_env.edit_requests() == []


def test_failed_items_show_why_and_retry_alone(qtbot, window, hub_env, tmp_path, answers):
    hub_env.add_fault(Fault("status", status=500, times=2))
    panel = open_panel(qtbot, window)
    panel.add_paths(make_images(tmp_path / "in", 4))
    panel.concurrency.setValue(1)  # one at a time: the first two sent are the two that fail
    with qtbot.waitSignal(panel.finished, timeout=60000):
        click(qtbot, panel, "batchStart")
    assert states(panel) == ["Failed", "Failed", "Done", "Done"]
    assert panel.table.item(0, 3).text()  # the hub's reason is shown
    assert panel.summary.text() == "2/4 done, 2 failed"

    # Retry only the selected failed row.
    panel.table.selectRow(1)
    with qtbot.waitSignal(panel.finished, timeout=30000):
        click(qtbot, panel, "batchRetry")
    assert states(panel) == ["Failed", "Done", "Done", "Done"]
    assert len(hub_env.edit_requests()) == 5
    # The context menu's retry, for the last one.
    with qtbot.waitSignal(panel.finished, timeout=30000):
        assert panel.retry_row(0)
    assert states(panel) == ["Done"] * 4
    assert len(hub_env.edit_requests()) == 6
    assert not panel.retry_button.isEnabled()


def test_pause_then_resume(qtbot, window, hub_env, tmp_path, answers):
    hub_env.delay = 0.3
    panel = open_panel(qtbot, window)
    panel.add_paths(make_images(tmp_path / "in", 6))
    click(qtbot, panel, "batchStart")
    qtbot.waitUntil(lambda: hub_env.in_flight >= 1, timeout=10000)
    click(qtbot, panel, "batchPause")
    assert panel.pause_button.text() == "Resume"
    # What was in flight finishes; nothing new starts while paused.
    qtbot.waitUntil(lambda: panel.runner.active == 0, timeout=20000)
    qtbot.waitUntil(lambda: "paused" in panel.summary.text(), timeout=5000)
    started = 6 - states(panel).count("Waiting")
    assert 1 <= started <= 2
    assert len(hub_env.edit_requests()) == started
    with qtbot.waitSignal(panel.finished, timeout=60000):
        click(qtbot, panel, "batchPause")  # now "Resume"
    assert states(panel) == ["Done"] * 6


def test_cancel_aborts_in_flight_and_stops_the_rest(qtbot, window, hub_env, tmp_path, answers):
    hub_env.delay = 60  # cancel must abort, not wait
    panel = open_panel(qtbot, window)
    panel.add_paths(make_images(tmp_path / "in", 6))
    click(qtbot, panel, "batchStart")
    qtbot.waitUntil(lambda: hub_env.in_flight == 2, timeout=10000)
    with qtbot.waitSignal(panel.finished, timeout=20000):
        click(qtbot, panel, "batchCancel")
    assert states(panel) == ["Cancelled"] * 6
    assert len(hub_env.edit_requests()) == 2
    assert "6 cancelled" in panel.summary.text()
    # Cancelled items can be run again.
    hub_env.delay = 0
    with qtbot.waitSignal(panel.finished, timeout=30000):
        assert panel.retry_row(3)
    assert states(panel)[3] == "Done"


def test_per_file_masks_are_shown_before_starting(qtbot, window, tmp_path):
    panel = open_panel(qtbot, window)
    a, _b = make_images(tmp_path / "in", 2)
    Image.new("L", (64, 48), 255).save(a.with_name(f"{a.stem}_mask.png"))
    drop(panel, [tmp_path / "in"])
    assert panel.table.rowCount() == 2  # the mask is not an input
    rule = panel.findChild(object, "batchMaskRule")
    rule.setCurrentIndex(rule.findData("per-file"))
    assert panel.table.item(0, 1).text() == f"{a.stem}_mask.png"
    assert panel.table.item(1, 1).text() == "none found"
    assert "will fail" in panel.table.item(1, 3).text()


def test_refuses_bad_setup_with_a_message(qtbot, window, tmp_path, answers):
    asked, _ = answers
    panel = open_panel(qtbot, window, prompt="")
    panel.add_paths(make_images(tmp_path / "in", 1))
    click(qtbot, panel, "batchStart")
    assert panel.message.isVisible() and "prompt" in panel.message.text().lower()
    panel.prompt.setPlainText("x")
    rule = panel.findChild(object, "batchMaskRule")
    rule.setCurrentIndex(rule.findData("one"))
    click(qtbot, panel, "batchStart")
    assert "mask" in panel.message.text().lower()
    assert asked == []  # never got as far as the cost question
    # Not an image: refused with a message, the list unchanged.
    (tmp_path / "notes.txt").write_text("hello")
    drop(panel, [tmp_path / "notes.txt"])
    assert panel.table.rowCount() == 1 and "not an image" in panel.message.text()
