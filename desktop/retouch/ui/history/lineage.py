"""A run's lineage on the History page: the original photo → the edit → the edit of the edit.

A run whose first input was a result of another run (Use as Input) records that result as
its parent (``HistoryStore.lineage``). The strip shows the chain that leads to the selected
run and the runs made from it, each as a button with its result's thumbnail; choosing one
opens that run in the editor — any step can be gone back to.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from retouch.ui.tasks import TaskContext, run_task

if TYPE_CHECKING:
    from retouch.core.history import HistoryStore, RunRecord

THUMB = 48


def _thumb(store: HistoryStore, path: Path, _ctx: TaskContext) -> str:
    return str(store.thumbnail(path, THUMB * 2))


def _set_icon(button: QToolButton, path: str) -> None:
    button.setIcon(QIcon(path))


class LineageStrip(QWidget):
    """Hidden for a run that is neither made from a result nor used as one."""

    stepChosen = Signal(str)  # the run id to open

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyLineage")
        self._store: HistoryStore | None = None
        self._run_id: str | None = None
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 4, 0, 4)
        self._row.setSpacing(4)
        self.steps: list[QToolButton] = []
        self.hide()

    def set_store(self, store: HistoryStore | None) -> None:
        self._store = store
        self.show_run(self._run_id)

    def chain(self) -> list[str]:
        """The run ids the strip shows, oldest first (tests read it)."""
        return [str(b.property("runId")) for b in self.steps]

    def show_run(self, run_id: str | None) -> None:
        self._run_id = run_id
        self._clear()
        store = self._store
        if store is None or not run_id:
            self.hide()
            return
        try:
            ancestors = store.lineage(run_id)
            children = store.children(run_id)
        except Exception:  # noqa: BLE001 - a history that cannot be read shows no lineage
            self.hide()
            return
        if len(ancestors) <= 1 and not children:
            self.hide()
            return
        caption = QLabel(self.tr("Lineage:"))
        caption.setObjectName("historyLineageCaption")
        self._row.addWidget(caption)
        root = ancestors[0]
        self._add_step(root, self.tr("Original"), root.input_paths[:1], run_id == root.id)
        for i, record in enumerate(ancestors):
            current = record.id == run_id
            label = self.tr("This edit") if current else self.tr("Edit {n}").format(n=i + 1)
            self._arrow()
            self._add_step(record, label, [o.path for o in record.outputs[:1]], current)
        for child in children:
            self._arrow()
            self._add_step(child, self.tr("Edited again"), [o.path for o in child.outputs[:1]])
        self._row.addStretch(1)
        self.show()

    def _clear(self) -> None:
        while self._row.count():
            item = self._row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                # Gone at once, not at the next turn of the event loop: the strip may be
                # rebuilt twice in one turn (selection and current change together).
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self.steps = []

    def _arrow(self) -> None:
        arrow = QLabel("→")
        arrow.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._row.addWidget(arrow)

    def _add_step(
        self, record: RunRecord, label: str, pictures: list[Path], current: bool = False
    ) -> None:
        button = QToolButton()
        button.setObjectName("historyLineageStep")
        button.setProperty("runId", record.id)
        button.setText(label)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        button.setIconSize(QSize(THUMB, THUMB))
        button.setCheckable(True)
        button.setChecked(current)
        button.setToolTip(
            self.tr("{prompt}\nOpen this step in the editor").format(prompt=record.prompt)
        )
        button.clicked.connect(lambda _c=False, rid=record.id: self._chosen(rid))
        self._row.addWidget(button)
        self.steps.append(button)
        store = self._store
        if store is not None and pictures and pictures[0].exists():
            run_task(
                functools.partial(_thumb, store, pictures[0]),
                receiver=button,
                name="lineage thumbnail",
                on_result=functools.partial(_set_icon, button),
            )

    def _chosen(self, run_id: str) -> None:
        for button in self.steps:
            button.setChecked(button.property("runId") == run_id)
        self.stepChosen.emit(run_id)
