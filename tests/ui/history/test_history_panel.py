"""HistoryPanel with real key and mouse events against a real store."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from retouch.core.history import HistoryStore
from retouch.ui.history import HistoryPanel
from retouch.ui.history.model import THUMB_STATE_ROLE
from retouch.ui.history.panel import human_size, since_for
from retouch.ui.history.run_delegate import friendly_time


def png(color: tuple[int, int, int], size: tuple[int, int] = (64, 48)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


def add_run(
    store: HistoryStore,
    prompt: str,
    model: str = "gpt-image-2-edit",
    outputs: int = 1,
    status: str = "succeeded",
) -> str:
    run_id = store.begin_run(
        model=model,
        prompt=prompt,
        params={},
        inputs=[png((200, 0, 0))],
        input_names=["in.png"],
        mask=None,
        estimated_cost=0.22,
    )
    for i in range(outputs):
        store.add_output(run_id, i, png((0, 40 * i, 200)), "png")
    if status != "running":
        store.finish_run(run_id, status)
    # No pause needed: runs with the same created_at are ordered by insertion (seq).
    return run_id


@pytest.fixture
def store(tmp_path: Path):
    s = HistoryStore(tmp_path / "history")
    yield s
    s.close()


@pytest.fixture
def runs(store: HistoryStore) -> list[str]:
    return [
        add_run(store, "A cat on the sofa"),
        add_run(store, "Remove the lamp", model="other-model", outputs=2),
        add_run(store, "Cat with a party hat"),
    ]


@pytest.fixture
def panel(qtbot, store: HistoryStore, runs: list[str]) -> HistoryPanel:
    widget = HistoryPanel(store)
    qtbot.addWidget(widget)
    widget.resize(380, 600)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.model.wait_for_thumbnails(5000)


def shown_ids(panel: HistoryPanel) -> list[str]:
    return [panel.model.record(r).id for r in range(panel.model.rowCount())]  # type: ignore[union-attr]


def row_center(panel: HistoryPanel, run_id: str) -> QPoint:
    rect = panel.list_view.visualRect(panel.model.index_of(run_id))
    return QPoint(rect.left() + 40, rect.center().y())


def click_row(qtbot, panel: HistoryPanel, run_id: str) -> None:
    qtbot.mouseClick(
        panel.list_view.viewport(), Qt.MouseButton.LeftButton, pos=row_center(panel, run_id)
    )
    assert panel.selected_ids() == [run_id]


def test_object_names(panel: HistoryPanel) -> None:
    assert panel.objectName() == "historyPanel"
    assert panel.search.objectName() == "historySearch"
    assert panel.model_filter.objectName() == "historyModelFilter"
    assert panel.list_view.objectName() == "historyList"


def test_lists_runs_newest_first_with_thumbnails(
    qtbot, panel: HistoryPanel, runs: list[str]
) -> None:
    assert shown_ids(panel) == list(reversed(runs))
    assert panel.count_label.text() == "3 runs"
    # Thumbnails arrive from the worker pool; placeholders until then.
    states = {panel.model.index(r, 0).data(THUMB_STATE_ROLE) for r in range(3)}
    assert states <= {"loading", "ready"}
    qtbot.waitUntil(
        lambda: all(panel.model.index(r, 0).data(THUMB_STATE_ROLE) == "ready" for r in range(3)),
        timeout=5000,
    )
    # The card shows the thumbnail: the first output is blue, the input red.
    image = panel.list_view.viewport().grab().toImage()
    rect = panel.list_view.visualRect(panel.model.index_of(runs[0]))
    colour = image.pixelColor(rect.left() + 4 + 8 + 31, rect.center().y())
    assert colour.blue() > 150 and colour.red() < 60, colour.name()


def test_typing_in_search_filters(qtbot, panel: HistoryPanel, runs: list[str]) -> None:
    panel.list_view.setFocus()
    qtbot.keyClicks(panel.search, "CAT")
    qtbot.waitUntil(lambda: shown_ids(panel) == [runs[2], runs[0]], timeout=3000)
    assert panel.count_label.text() == "2 runs"
    qtbot.keyClicks(panel.search, " with")
    qtbot.waitUntil(lambda: shown_ids(panel) == [runs[2]], timeout=3000)
    panel.search.clear()
    qtbot.waitUntil(lambda: len(shown_ids(panel)) == 3, timeout=3000)
    qtbot.keyClicks(panel.search, "nothing like this")
    qtbot.waitUntil(lambda: shown_ids(panel) == [], timeout=3000)
    assert "match" in panel.list_view.empty_text


def test_model_date_and_starred_filters(
    qtbot, panel: HistoryPanel, store: HistoryStore, runs: list[str]
) -> None:
    combo = panel.model_filter
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "All models",
        "gpt-image-2-edit",
        "other-model",
    ]
    combo.setCurrentIndex(combo.findData("other-model"))
    assert shown_ids(panel) == [runs[1]]
    combo.setCurrentIndex(0)
    store.conn.execute(
        "UPDATE runs SET created_at = created_at - 10 * 86400 WHERE id = ?", (runs[0],)
    )
    panel.date_filter.setCurrentIndex(panel.date_filter.findData(7))
    assert shown_ids(panel) == [runs[2], runs[1]]
    panel.date_filter.setCurrentIndex(panel.date_filter.findData(30))
    assert len(shown_ids(panel)) == 3
    panel.date_filter.setCurrentIndex(0)
    store.set_starred(runs[1], True)
    qtbot.mouseClick(panel.starred_only, Qt.MouseButton.LeftButton)
    assert shown_ids(panel) == [runs[1]]


def test_star_toggles(qtbot, panel: HistoryPanel, store: HistoryStore, runs: list[str]) -> None:
    click_row(qtbot, panel, runs[0])
    star = panel.buttons["star"]
    assert star.text() == "★ Star"
    qtbot.mouseClick(star, Qt.MouseButton.LeftButton)
    assert store.get(runs[0]).starred  # type: ignore[union-attr]
    assert star.text() == "☆ Unstar"
    qtbot.mouseClick(star, Qt.MouseButton.LeftButton)
    assert not store.get(runs[0]).starred  # type: ignore[union-attr]
    # The star drawn on the card toggles too.
    rect = panel.list_view.visualRect(panel.model.index_of(runs[1]))
    star_pos = QPoint(rect.right() - 4 - 8 - 11, rect.bottom() - 2 - 8 - 11)
    qtbot.mouseClick(panel.list_view.viewport(), Qt.MouseButton.LeftButton, pos=star_pos)
    assert store.get(runs[1]).starred  # type: ignore[union-attr]


def test_delete_with_confirmation(
    qtbot,
    panel: HistoryPanel,
    store: HistoryStore,
    runs: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []
    answer = QMessageBox.StandardButton.No

    def fake_question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", fake_question)
    victim = store.get(runs[1])
    assert victim
    panel.model.wait_for_thumbnails(5000)  # thumbnails count towards the space freed
    click_row(qtbot, panel, runs[1])
    panel.list_view.setFocus()
    qtbot.keyClick(panel.list_view, Qt.Key.Key_Delete)
    assert len(asked) == 1 and "frees" in asked[0]
    assert human_size(store.reclaimable([runs[1]])) in asked[0]
    assert store.get(runs[1]) is not None  # declined

    answer = QMessageBox.StandardButton.Yes
    qtbot.keyClick(panel.list_view, Qt.Key.Key_Delete)
    assert store.get(runs[1]) is None
    assert shown_ids(panel) == [runs[2], runs[0]]
    assert not any(o.path.exists() for o in victim.outputs)
    assert panel.count_label.text() == "2 runs"
    assert len(panel.selected_ids()) == 1  # the next run is selected for keyboard flow


def test_double_click_emits_open_with_id(qtbot, panel: HistoryPanel, runs: list[str]) -> None:
    opened: list[str] = []
    panel.openRequested.connect(opened.append)
    # A real double click: press, release, then the double-click press and its release.
    viewport, pos = panel.list_view.viewport(), row_center(panel, runs[1])
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=pos)
    assert opened == []
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=pos)
    assert opened == [runs[1]]
    qtbot.keyClick(panel.list_view, Qt.Key.Key_Return)
    assert opened == [runs[1], runs[1]]


def test_rerun_and_open_buttons(qtbot, panel: HistoryPanel, runs: list[str]) -> None:
    assert not panel.buttons["rerun"].isEnabled()
    click_row(qtbot, panel, runs[2])
    with qtbot.waitSignal(panel.rerunRequested) as blocker:
        qtbot.mouseClick(panel.buttons["rerun"], Qt.MouseButton.LeftButton)
    assert blocker.args == [runs[2]]
    with qtbot.waitSignal(panel.openRequested) as blocker:
        qtbot.mouseClick(panel.buttons["open"], Qt.MouseButton.LeftButton)
    assert blocker.args == [runs[2]]


def test_running_runs_cannot_be_deleted(qtbot, panel: HistoryPanel, store: HistoryStore) -> None:
    running = add_run(store, "still going", status="running")
    panel.refresh()
    click_row(qtbot, panel, running)
    assert not panel.delete_action.isEnabled()


def test_export_then_import(
    qtbot,
    panel: HistoryPanel,
    store: HistoryStore,
    runs: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "exported"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "Zip archives (*.zip)")
    )
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileName",
        lambda *a, **k: (str(target) + ".zip", "Zip archives (*.zip)"),
    )
    click_row(qtbot, panel, runs[1])
    qtbot.mouseClick(panel.buttons["export"], Qt.MouseButton.LeftButton)
    assert (tmp_path / "exported.zip").exists()
    with qtbot.waitSignal(panel.runImported) as blocker:
        panel.import_action.trigger()
    new_id = blocker.args[0]
    assert store.count() == 4 and panel.selected_ids() == [new_id]
    assert store.get(new_id).prompt == "Remove the lamp"  # type: ignore[union-attr]


def test_import_failure_is_reported(
    qtbot, panel: HistoryPanel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    warnings: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    panel.import_action.trigger()
    assert warnings and "bad.zip" in warnings[0]


def test_lazy_paging(qtbot, store: HistoryStore, monkeypatch: pytest.MonkeyPatch) -> None:
    from retouch.ui.history.model import HistoryListModel

    monkeypatch.setattr(HistoryListModel, "PAGE_SIZE", 10)
    ids = [add_run(store, f"run {i}", outputs=0) for i in range(25)]
    widget = HistoryPanel(store)
    qtbot.addWidget(widget)
    widget.resize(380, 400)
    widget.show()
    assert widget.model.rowCount() == 10 and widget.model.canFetchMore()
    bar = widget.list_view.verticalScrollBar()
    for _ in range(5):
        bar.setValue(bar.maximum())
        qtbot.wait(20)
    assert widget.model.rowCount() == 25 and not widget.model.canFetchMore()
    assert shown_ids(widget) == list(reversed(ids))
    # refresh() keeps everything that was loaded, plus the selection.
    widget.select_run(ids[0])
    add_run(store, "newest", outputs=0)
    widget.refresh()
    assert widget.model.rowCount() == 26 and widget.selected_ids() == [ids[0]]
    widget.model.wait_for_thumbnails(5000)


def test_update_run_and_set_store(
    qtbot, panel: HistoryPanel, store: HistoryStore, tmp_path: Path
) -> None:
    running = add_run(store, "in progress", status="running", outputs=0)
    panel.update_run(running)  # unknown to the model yet: falls back to refresh()
    assert shown_ids(panel)[0] == running
    store.finish_run(running, "failed", error="boom")
    panel.update_run(running)
    assert panel.model.record(0).status == "failed"  # type: ignore[union-attr]
    other = HistoryStore(tmp_path / "other")
    panel.set_store(other)
    assert panel.model.rowCount() == 0 and panel.count_label.text() == "0 runs"
    assert "No runs yet" in panel.list_view.empty_text
    panel.model.wait_for_thumbnails(5000)
    other.close()


def test_helpers() -> None:
    now = time.time()
    assert friendly_time(now, now).startswith("Today")
    assert friendly_time(now - 86400, now).startswith("Yesterday")
    assert human_size(0) == "0 bytes" and human_size(1536) == "1.5 KB"
    assert since_for(None) is None
    assert since_for(7, now) == pytest.approx(now - 7 * 86400)
    assert since_for("today", now) <= now
