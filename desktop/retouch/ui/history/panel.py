"""The history panel: search and filter past runs, reopen, re-run, star, export, delete.

Each run's card in the list is drawn by ``run_delegate.RunDelegate``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from retouch.core.history import ArchiveError, HistoryStore, export_run_zip, import_run_zip
from retouch.ui.focus import name_clear_button
from retouch.ui.history.model import HistoryListModel
from retouch.ui.history.run_delegate import RunDelegate
from retouch.ui.i18n import plural
from retouch.ui.theme import ink, mute, scaled_font

DATE_FILTERS = [
    (QT_TRANSLATE_NOOP("HistoryPanel", "Any time"), None),
    (QT_TRANSLATE_NOOP("HistoryPanel", "Today"), "today"),
    (QT_TRANSLATE_NOOP("HistoryPanel", "Last 7 days"), 7),
    (QT_TRANSLATE_NOOP("HistoryPanel", "Last 30 days"), 30),
]


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{int(size)} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"  # pragma: no cover


def since_for(choice: object, now: float | None = None) -> float | None:
    """Start timestamp of a date-filter choice (None = any time)."""
    now = time.time() if now is None else now
    if choice == "today":
        midnight = dt.datetime.fromtimestamp(now).replace(hour=0, minute=0, second=0, microsecond=0)
        return midnight.timestamp()
    if isinstance(choice, int):
        return now - choice * 86400
    return None


class _RunList(QListView):
    """The list, with an empty-state message painted in the viewport."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.empty_text = self.tr("No runs yet.\nYour edits will appear here.")

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0:
            p = QPainter(self.viewport())
            p.setPen(ink(self, self.palette().color(QPalette.ColorRole.PlaceholderText)))
            p.drawText(
                self.viewport().rect().adjusted(16, 16, -16, -16),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.empty_text,
            )
            p.end()


class HistoryPanel(QWidget):
    openRequested = Signal(str)
    rerunRequested = Signal(str)
    currentRunChanged = Signal(str)  # "" when nothing is selected
    runsDeleted = Signal(list)
    runImported = Signal(str)

    SEARCH_DELAY_MS = 150

    def __init__(self, store: HistoryStore | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyPanel")
        self.setMinimumWidth(300)
        self._store: HistoryStore | None = None
        self.model = HistoryListModel(self)

        title = QLabel(self.tr("History"))
        title_font = scaled_font(title.font(), 1.15, bold=True)
        title.setFont(title_font)
        self.count_label = QLabel("")
        self.count_label.setObjectName("historyCount")
        mute(self.count_label)
        self.import_button = QPushButton(self.tr("Import…"))
        self.import_button.setObjectName("historyImport")

        self.search = QLineEdit()
        self.search.setObjectName("historySearch")
        self.search.setPlaceholderText(self.tr("Search prompts…"))
        self.search.setAccessibleName(self.tr("Search prompts"))
        self.search.setClearButtonEnabled(True)
        name_clear_button(self.search)
        self.model_filter = QComboBox()
        self.model_filter.setObjectName("historyModelFilter")
        self.model_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.model_filter.setMinimumContentsLength(8)
        self.model_filter.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.date_filter = QComboBox()
        self.date_filter.setObjectName("historyDateFilter")
        self.model_filter.setAccessibleName(self.tr("Model"))
        self.date_filter.setAccessibleName(self.tr("Date"))
        for label, value in DATE_FILTERS:
            self.date_filter.addItem(self.tr(str(label)), value)
        self.starred_only = QToolButton()
        self.starred_only.setObjectName("historyStarredOnly")
        self.starred_only.setText(self.tr("★ Starred"))
        self.starred_only.setCheckable(True)
        self.starred_only.setToolTip(self.tr("Show starred runs only"))

        self.list_view = _RunList()
        self.list_view.setObjectName("historyList")
        self.list_view.setAccessibleName(self.tr("Runs"))
        self.list_view.setModel(self.model)
        self.delegate = RunDelegate(self.list_view)
        self.list_view.setItemDelegate(self.delegate)
        self.list_view.setUniformItemSizes(True)  # constant row height: cheap layout of 1000s
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list_view.setMouseTracking(True)
        self.list_view.setFrameShape(QListView.Shape.NoFrame)
        self.list_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list_view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

        from retouch.ui.history.lineage import LineageStrip

        self.lineage = LineageStrip()
        self.lineage.stepChosen.connect(self.openRequested)

        self._build_actions()
        self._layout(title)
        self._connect()
        self._update_actions()
        if store is not None:
            self.set_store(store)

    # ------------------------------------------------------------------------ building
    def _action(self, text: str, slot: object, tip: str, name: str) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.open_action = self._action(
            self.tr("Open"),
            self._open_current,
            self.tr("Restore this run's inputs, mask and prompt in the editor"),
            "historyOpenAction",
        )
        self.rerun_action = self._action(
            self.tr("Re-run"),
            self._rerun_current,
            self.tr("Run the same edit again (costs money)"),
            "historyRerunAction",
        )
        self.star_action = self._action(
            self.tr("★ Star"),
            self._toggle_star_selected,
            self.tr("Star or unstar"),
            "historyStarAction",
        )
        self.export_action = self._action(
            self.tr("Export…"),
            self._export_current,
            self.tr("Save this run with its images as a zip"),
            "historyExportAction",
        )
        self.delete_action = self._action(
            self.tr("Delete…"),
            self._delete_selected,
            self.tr("Delete the selected runs and their images"),
            "historyDeleteAction",
        )
        self.import_action = self._action(
            self.tr("Import…"),
            self._import_zip,
            self.tr("Add a run from a Retouch zip"),
            "historyImportAction",
        )
        delete_keys = [
            QKeySequence(QKeySequence.StandardKey.Delete),
            QKeySequence(Qt.Key.Key_Backspace),
        ]
        self.delete_action.setShortcuts(delete_keys)
        self.open_action.setShortcuts(
            [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)]
        )
        for action in (self.delete_action, self.open_action):
            # Only while the list has focus: Delete in the search field edits text.
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.list_view.addAction(action)
        self.import_button.setToolTip(self.import_action.toolTip())
        self.import_button.clicked.connect(self.import_action.trigger)
        self.import_action.changed.connect(
            lambda: self.import_button.setEnabled(self.import_action.isEnabled())
        )

    def _layout(self, title: QLabel) -> None:
        header = QHBoxLayout()
        header.setSpacing(6)
        header.addWidget(title)
        header.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignBottom)
        header.addStretch(1)
        header.addWidget(self.import_button)

        filters = QHBoxLayout()
        filters.setSpacing(8)
        filters.addWidget(self.search, 4)
        filters.addWidget(self.model_filter, 2)
        filters.addWidget(self.date_filter, 2)
        filters.addWidget(self.starred_only)

        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        self.buttons: dict[str, QToolButton] = {}
        for key, action in [
            ("open", self.open_action),
            ("rerun", self.rerun_action),
            ("star", self.star_action),
            ("export", self.export_action),
            ("delete", self.delete_action),
        ]:
            if key == "delete":
                buttons.addStretch(1)
            button = QToolButton()
            button.setDefaultAction(action)
            button.setObjectName(f"history{key.title()}Button")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance(action.text()) + 28)
            buttons.addWidget(button)
            self.buttons[key] = button

        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 10, 12, 10)
        outer.setSpacing(10)
        outer.addLayout(header)
        outer.addLayout(filters)
        outer.addWidget(self.list_view, 1)
        outer.addWidget(self.lineage)
        outer.addLayout(buttons)

    def _connect(self) -> None:
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(self.SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_filters)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._apply_filters)
        self.model_filter.currentIndexChanged.connect(lambda _i: self._apply_filters())
        self.date_filter.currentIndexChanged.connect(lambda _i: self._apply_filters())
        self.starred_only.toggled.connect(lambda _c: self._apply_filters())
        # doubleClicked, not activated: on single-click-activation desktops (a KDE setting)
        # activated fires on one click, and reopening a run must stay a deliberate act.
        # Return/Enter opens through open_action's shortcut.
        self.list_view.doubleClicked.connect(self._on_activated)
        self.list_view.customContextMenuRequested.connect(self._context_menu)
        self.delegate.starClicked.connect(self._toggle_star)
        self.model.modelReset.connect(self._after_reset)
        self.model.rowsRemoved.connect(lambda *_: self._update_count())
        self.model.rowsInserted.connect(lambda *_: self._update_actions())
        self._connect_selection()

    def _connect_selection(self) -> None:
        sel = self.list_view.selectionModel()
        sel.selectionChanged.connect(lambda *_: self._selection_changed())
        sel.currentChanged.connect(lambda *_: self._selection_changed())

    # ----------------------------------------------------------------------- public API
    def store(self) -> HistoryStore | None:
        return self._store

    def set_model_names(self, name: Callable[[str], str]) -> None:
        """How model ids read in the cards and the filter ("GPT Image 2 Edit")."""
        self.delegate.model_name = name
        self._reload_models()
        self.list_view.viewport().update()

    def focus_order(self) -> list[QWidget]:
        return [
            self.import_button,
            self.search,
            self.model_filter,
            self.date_filter,
            self.starred_only,
            self.list_view,
            *self.buttons.values(),
        ]

    def set_store(self, store: HistoryStore | None) -> None:
        self._store = store
        self._reload_models()
        self.model.set_store(store)
        self._apply_filters()
        self.lineage.set_store(store)

    def refresh(self) -> None:
        """Re-read the store (after a run started or finished), keeping selection and scroll."""
        selected = self.selected_ids()
        scroll = self.list_view.verticalScrollBar().value()
        self._reload_models()
        self.model.reload(keep_loaded=True)
        self._select_ids(selected)
        self.list_view.verticalScrollBar().setValue(scroll)

    def update_run(self, run_id: str) -> None:
        """Refresh one row in place (status or outputs changed); cheaper than refresh()."""
        if self.model.row_of(run_id) < 0:
            self.refresh()
        else:
            self.model.update_run(run_id)

    def selected_ids(self) -> list[str]:
        rows = sorted(i.row() for i in self.list_view.selectionModel().selectedRows())
        return [rec.id for r in rows if (rec := self.model.record(r)) is not None]

    def current_id(self) -> str | None:
        ids = self.selected_ids()
        if len(ids) == 1:
            return ids[0]
        idx = self.list_view.currentIndex()
        rec = self.model.record(idx.row()) if idx.isValid() and ids else None
        return rec.id if rec is not None and rec.id in ids else None

    def select_run(self, run_id: str) -> bool:
        return self._select_ids([run_id])

    # ------------------------------------------------------------------------ filtering
    def _reload_models(self) -> None:
        current = self.model_filter.currentData()
        self.model_filter.blockSignals(True)
        self.model_filter.clear()
        self.model_filter.addItem(self.tr("All models"), None)
        for name in self._store.models() if self._store is not None else []:
            self.model_filter.addItem(self.delegate.model_name(name), name)
        found = self.model_filter.findData(current) if current else 0
        self.model_filter.setCurrentIndex(max(0, found))
        self.model_filter.blockSignals(False)

    def _apply_filters(self) -> None:
        self._search_timer.stop()
        self.model.set_filters(
            search=self.search.text().strip() or None,
            model=self.model_filter.currentData(),
            since=since_for(self.date_filter.currentData()),
            starred=True if self.starred_only.isChecked() else None,
        )

    def _after_reset(self) -> None:
        filtered = bool(self.model.filters())
        self.list_view.empty_text = (
            self.tr("No runs match these filters.")
            if filtered
            else self.tr("No runs yet.\nYour edits will appear here.")
        )
        self._update_count()
        self._update_actions()

    def _update_count(self) -> None:
        if self._store is None:
            self.count_label.setText("")
            return
        f = self.model.filters()
        total = self._store.count(**f)
        text = plural(self.tr("%n run(s)", "", total), total)
        if self._store.read_only:
            text += " · " + self.tr("read-only (made by a newer Retouch)")
        self.count_label.setText(text)

    # ------------------------------------------------------------------------ selection
    def _select_ids(self, ids: list[str]) -> bool:
        from PySide6.QtCore import QItemSelection, QItemSelectionModel

        sel = self.list_view.selectionModel()
        selection = QItemSelection()
        first = None
        for run_id in ids:
            idx = self.model.index_of(run_id)
            if idx.isValid():
                selection.select(idx, idx)
                first = first or idx
        if first is None:
            return False
        sel.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        sel.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
        self.list_view.scrollTo(first)
        return True

    def _selection_changed(self) -> None:
        self._update_actions()
        current = self.current_id()
        self.lineage.show_run(current if len(self.selected_ids()) <= 1 else None)
        self.currentRunChanged.emit(current or "")

    def _writable(self) -> bool:
        """A history made by a newer Retouch is open read-only: nothing here writes to it."""
        return self._store is not None and not self._store.read_only

    def _update_actions(self) -> None:
        ids = self.selected_ids()
        one = len(ids) == 1
        writable = self._writable()
        self.open_action.setEnabled(one)
        self.rerun_action.setEnabled(one)
        self.export_action.setEnabled(one)
        self.star_action.setEnabled(bool(ids) and writable)
        records = [r for i in ids if (r := self.model.record(self.model.row_of(i)))]
        self.delete_action.setEnabled(
            bool(ids) and writable and all(r.status != "running" for r in records)
        )
        self.import_action.setEnabled(writable)
        all_starred = bool(records) and all(r.starred for r in records)
        self.star_action.setText(self.tr("☆ Unstar") if all_starred else self.tr("★ Star"))

    # -------------------------------------------------------------------------- actions
    def _on_activated(self, index: QModelIndex) -> None:
        rec = self.model.record(index.row())
        if rec is not None:
            self.openRequested.emit(rec.id)

    def _open_current(self) -> None:
        run_id = self.current_id()
        if run_id:
            self.openRequested.emit(run_id)

    def _rerun_current(self) -> None:
        run_id = self.current_id()
        if run_id:
            self.rerunRequested.emit(run_id)

    def _toggle_star(self, run_id: str) -> None:
        rec = self.model.record(self.model.row_of(run_id))
        if self._store is None or rec is None or not self._writable():
            return
        self._store.set_starred(run_id, not rec.starred)
        self._after_star([run_id])

    def _toggle_star_selected(self) -> None:
        ids = self.selected_ids()
        if self._store is None or not ids:
            return
        records = [r for i in ids if (r := self.model.record(self.model.row_of(i)))]
        target = not all(r.starred for r in records)
        for run_id in ids:
            self._store.set_starred(run_id, target)
        self._after_star(ids)

    def _after_star(self, ids: list[str]) -> None:
        if self.starred_only.isChecked():
            self.refresh()  # unstarred runs leave the "★ only" view
        else:
            for run_id in ids:
                self.model.update_run(run_id)
        self._update_actions()

    def _delete_selected(self) -> None:
        ids = self.selected_ids()
        if self._store is None or not ids or not self.delete_action.isEnabled():
            return
        freed = self._store.reclaimable(ids)
        n = len(ids)
        question = plural(self.tr("Delete these %n run(s) and their images?", "", n), n)
        if n == 1:
            question = self.tr("Delete this run and its images?")
        answer = QMessageBox.question(
            self,
            self.tr("Delete runs") if n > 1 else self.tr("Delete run"),
            question
            + "\n\n"
            + self.tr("This frees %1 of disk space and cannot be undone.").replace(
                "%1", human_size(freed)
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        next_row = min(self.model.row_of(i) for i in ids)
        for run_id in ids:
            self._store.delete(run_id)
            self.model.remove_run(run_id)
        self.runsDeleted.emit(ids)
        # Keep the keyboard flow going: select the run that took the deleted one's place.
        rec = self.model.record(min(next_row, self.model.rowCount() - 1))
        if rec is not None:
            self._select_ids([rec.id])
        self._update_count()

    def _export_current(self) -> None:
        run_id = self.current_id()
        if self._store is None or not run_id:
            return
        default = str(Path.home() / f"retouch-{run_id}.zip")
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export run as zip"), default, self.tr("Zip archives (*.zip)")
        )
        if not path:
            return
        if not path.lower().endswith(".zip"):
            path += ".zip"
        try:
            export_run_zip(self._store, run_id, path)
        except (OSError, KeyError) as exc:
            QMessageBox.warning(
                self, self.tr("Export failed"), self.tr("Could not export the run:") + f"\n{exc}"
            )

    def _import_zip(self) -> None:
        if self._store is None:
            return
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import run"), str(Path.home()), self.tr("Zip archives (*.zip)")
        )
        if not path:
            return
        try:
            run_id = import_run_zip(self._store, path)
        except (ArchiveError, OSError) as exc:
            QMessageBox.warning(
                self,
                self.tr("Import failed"),
                self.tr("Could not import %1:").replace("%1", Path(path).name) + f"\n{exc}",
            )
            return
        self.refresh()
        self.select_run(run_id)
        self.runImported.emit(run_id)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.list_view.indexAt(pos)
        if index.isValid() and not self.list_view.selectionModel().isSelected(index):
            self._select_ids([self.model.record(index.row()).id])  # type: ignore[union-attr]
        menu = QMenu(self)
        if self.selected_ids():
            menu.addAction(self.open_action)
            menu.addAction(self.rerun_action)
            menu.addSeparator()
            menu.addAction(self.star_action)
            menu.addAction(self.export_action)
            menu.addSeparator()
            menu.addAction(self.delete_action)
            menu.addSeparator()
        menu.addAction(self.import_action)
        menu.exec(self.list_view.viewport().mapToGlobal(pos))
