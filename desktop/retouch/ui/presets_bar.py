"""Prompt presets above the prompt box, and the recent-prompts popup inside it.

``PresetsBar``: a combo of saved presets (picking one asks the window to fill prompt, model
and parameters) and a menu button with Save as / Rename / Delete / Export / Import.
``RecentPromptsPopup``: Ctrl+Up (or Alt+Down) in the prompt lists recent prompts, filtered
by what is typed; Enter picks one, Esc closes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

# Qt classes first needed after the window's first paint are reached through their module
# (QtWidgets.QMessageBox): PySide6 builds a class, enums and all, when it is first touched.
from PySide6 import QtWidgets
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QProgressBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from retouch.core.paths import data_dir
from retouch.core.presets import ImportResult, Preset, PresetError, PresetStore
from retouch.ui.i18n import QT_TRANSLATE_NOOP, plural
from retouch.ui.tasks import Task, TaskContext, run_task

PRESET_FILTER = QT_TRANSLATE_NOOP("PresetsBar", "Retouch presets (*.json);;All files (*)")
#: What a preset is made of, asked from the prompt box and form when saving one.
PresetSource = Callable[[], tuple[str, str, dict[str, Any]]]


class PresetsBar(QWidget):
    presetChosen = Signal(object)  # core.presets.Preset
    message = Signal(str, str)  # level ("info", "warning", "error"), text
    imported = Signal(list)  # the names an import added

    def __init__(self, store: PresetStore | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("presetsBar")
        self.store = store if store is not None else PresetStore(data_dir())
        self._source: PresetSource | None = None

        self.combo = QComboBox()
        self.combo.setObjectName("presetCombo")
        self.combo.setToolTip(self.tr("Presets: a saved prompt with its model and parameters"))
        self.combo.setAccessibleName(self.tr("Preset"))
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(12)
        # activated, not currentIndexChanged: only a user's pick fills the form.
        self.combo.activated.connect(self._picked)

        self.menu = QMenu(self)
        self.menu.setObjectName("presetMenu")
        self.act_save = self._add(self.tr("Save as Preset…"), "actionSavePreset", self.save_as)
        self.act_rename = self._add(
            self.tr("Rename Preset…"), "actionRenamePreset", self.rename_current
        )
        self.act_delete = self._add(
            self.tr("Delete Preset"), "actionDeletePreset", self.delete_current
        )
        self.menu.addSeparator()
        self.act_export = self._add(
            self.tr("Export Presets…"), "actionExportPresets", self.export_to
        )
        self.act_import = self._add("Import Presets…", "actionImportPresets", self.import_from)
        self.menu_button = QToolButton()
        self.menu_button.setObjectName("presetMenuButton")
        self.menu_button.setText("⋯")
        self.menu_button.setAccessibleName(self.tr("Preset actions"))
        self.menu_button.setToolTip(self.tr("Save, rename, delete, export or import presets"))
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_button.setMenu(self.menu)

        # Shown while presets are imported (on a worker thread: the window stays usable).
        self.progress = QProgressBar()
        self.progress.setObjectName("presetImportProgress")
        self.progress.setTextVisible(True)
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self._import_task: Task[ImportResult] | None = None

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.combo, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.menu_button)
        self.refresh()

    def _add(self, text: str, name: str, slot: Callable[[], object]) -> QAction:
        act = QAction(text, self)
        act.setObjectName(name)
        act.triggered.connect(lambda _checked=False: slot())
        self.menu.addAction(act)
        return act

    def focus_order(self) -> list[QWidget]:
        return [self.combo, self.menu_button]

    def set_source(self, source: PresetSource) -> None:
        """Where "Save as Preset" gets the prompt, model id and parameters from."""
        self._source = source

    # -- the list ------------------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        presets = self.store.presets()
        self.combo.addItem(self.tr("Presets…") if presets else self.tr("No presets yet"), None)
        for p in presets:
            self.combo.addItem(p.name, p.name)
            self.combo.setItemData(
                self.combo.count() - 1,
                f"{p.prompt[:200]}\n— {p.model}",
                Qt.ItemDataRole.ToolTipRole,
            )
        index = self.combo.findData(select) if select else 0
        self.combo.setCurrentIndex(max(0, index))
        self.combo.blockSignals(False)
        self._update_actions()

    def current(self) -> Preset | None:
        name = self.combo.currentData()
        return self.store.get(name) if isinstance(name, str) else None

    def _update_actions(self) -> None:
        has = self.current() is not None
        self.act_rename.setEnabled(has)
        self.act_delete.setEnabled(has)
        self.act_export.setEnabled(bool(self.store.presets()))

    def choose(self, name: str) -> bool:
        """Select the preset *name* and apply it, as if the user picked it."""
        index = self.combo.findData(name)
        if index < 0:
            return False
        self.combo.setCurrentIndex(index)
        self._picked(index)
        return True

    def _picked(self, index: int) -> None:
        self._update_actions()
        name = self.combo.itemData(index)
        preset = self.store.get(name) if isinstance(name, str) else None
        if preset is not None:
            self.presetChosen.emit(preset)

    # -- changes -------------------------------------------------------------------------

    def save_as(self, name: str | None = None) -> Preset | None:
        if self._source is None:
            return None
        prompt, model, params = self._source()
        if not prompt.strip():
            self.message.emit(
                "warning", self.tr("Write a prompt first: a preset keeps the prompt.")
            )
            return None
        if name is None:
            current = self.current()
            name, ok = QtWidgets.QInputDialog.getText(
                self,
                self.tr("Save as Preset"),
                self.tr("Name of the preset (an existing name is replaced):"),
                QLineEdit.EchoMode.Normal,
                current.name if current else "",
            )
            if not ok:
                return None
        try:
            preset = self.store.save(Preset(name, prompt, model, params))
        except (PresetError, OSError) as exc:
            self.message.emit(
                "error", self.tr("The preset was not saved: {e}").format(e=_reason(exc))
            )
            return None
        self.refresh(select=preset.name)
        self.message.emit("info", self.tr("Saved the preset '{name}'.").format(name=preset.name))
        return preset

    def rename_current(self, new_name: str | None = None) -> bool:
        current = self.current()
        if current is None:
            return False
        if new_name is None:
            new_name, ok = QtWidgets.QInputDialog.getText(
                self,
                self.tr("Rename Preset"),
                self.tr("New name:"),
                QLineEdit.EchoMode.Normal,
                current.name,
            )
            if not ok:
                return False
        try:
            renamed = self.store.rename(current.name, new_name)
        except (PresetError, OSError) as exc:
            self.message.emit(
                "error", self.tr("The preset was not renamed: {e}").format(e=_reason(exc))
            )
            return False
        self.refresh(select=renamed.name)
        return True

    def delete_current(self, confirm: bool = True) -> bool:
        current = self.current()
        if current is None:
            return False
        if confirm:
            answer = QtWidgets.QMessageBox.question(
                self,
                self.tr("Delete Preset"),
                self.tr("Delete the preset '{name}'?").format(name=current.name),
                QtWidgets.QMessageBox.StandardButton.Yes | QtWidgets.QMessageBox.StandardButton.No,
                QtWidgets.QMessageBox.StandardButton.No,
            )
            if answer != QtWidgets.QMessageBox.StandardButton.Yes:
                return False
        try:
            self.store.delete(current.name)
        except OSError as exc:
            self.message.emit(
                "error", self.tr("The preset was not deleted: {e}").format(e=_reason(exc))
            )
            return False
        self.refresh()
        return True

    def export_to(self, path: str | Path | None = None) -> int:
        if path is None:
            path, _ = QtWidgets.QFileDialog.getSaveFileName(
                self,
                self.tr("Export Presets"),
                str(Path.home() / "retouch-presets.json"),
                self.tr(PRESET_FILTER),
            )
            if not path:
                return 0
        try:
            count = self.store.export(path)
        except OSError as exc:
            self.message.emit(
                "error", self.tr("The presets were not exported: {e}").format(e=_reason(exc))
            )
            return 0
        self.message.emit("info", plural(self.tr("Exported %n preset(s).", "", count), count))
        return count

    def import_from(self, path: str | Path | None = None) -> Task[ImportResult] | None:
        """Import presets from *path* (asked for when None) on a worker thread: the bar shows
        the progress, Import is off until it is done, and the outcome is a ``message``.
        Returns the task (None when nothing was chosen or an import is already running)."""
        if self._import_task is not None:
            return None
        if path is None:
            path, _ = QtWidgets.QFileDialog.getOpenFileName(
                self, self.tr("Import Presets"), str(Path.home()), self.tr(PRESET_FILTER)
            )
            if not path:
                return None
        store, source = self.store, Path(path)

        def job(ctx: TaskContext) -> ImportResult:
            def report(done: int, total: int) -> None:
                ctx.progress((done, total))

            return store.import_file(source, progress=report, cancel=ctx.cancel_token)

        self.progress.setRange(0, 0)  # busy until the first report (reading the file)
        self.progress.show()
        self.act_import.setEnabled(False)
        self._import_task = run_task(
            job,
            receiver=self,
            name="import presets",
            on_progress=self._import_progress,
            on_result=self._imported,
            on_error=self._import_failed,
            on_finished=self._import_done,
        )
        return self._import_task

    def _import_progress(self, value: tuple[int, int]) -> None:
        done, total = value
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self.progress.setFormat(self.tr("Importing %v of %m…"))

    def _imported(self, result: ImportResult) -> None:
        self.refresh()
        level = "warning" if result.invalid else "info"
        self.message.emit(level, self.summary(result))
        self.imported.emit(result.imported)

    def summary(self, result: ImportResult) -> str:
        """``ImportResult.summary()`` in the user's language."""
        n = len(result.imported)
        parts = [plural(self.tr("%n preset(s) imported", "", n), n)]
        renamed = max(result.renames, len(result.renamed))
        if renamed:
            parts.append(plural(self.tr("%n renamed to avoid a clash", "", renamed), renamed))
        if result.skipped:
            n = len(result.skipped)
            parts.append(plural(self.tr("%n already there", "", n), n))
        if result.invalid:
            n = len(result.invalid)
            parts.append(plural(self.tr("%n not valid, left out", "", n), n))
        return ", ".join(parts) + "."

    def _import_failed(self, exc: BaseException) -> None:
        self.message.emit("error", self.tr("No presets were imported: {e}").format(e=_reason(exc)))

    def _import_done(self) -> None:
        self._import_task = None
        self.progress.hide()
        self.act_import.setEnabled(True)

    def importing(self) -> bool:
        return self._import_task is not None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, PresetError):
        return exc.message
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    # Anything else is a bug: logged with its traceback by run_task; say so plainly.
    return QCoreApplication.translate(
        "PresetsBar", "something unexpected went wrong ({kind}); the details are in the log."
    ).format(kind=type(exc).__name__)


# -- recent prompts ----------------------------------------------------------------------------


def filter_prompts(prompts: list[str], text: str) -> list[str]:
    """Prompts containing every word of *text* (any case), most recent first."""
    words = text.casefold().split()
    return [p for p in prompts if all(w in p.casefold() for w in words)]


class RecentPromptsPopup(QFrame):
    """A small popup list of recent prompts under a filter line; Enter picks, Esc closes."""

    picked = Signal(str)

    def __init__(self, prompts: list[str], text: str, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("recentPrompts")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._prompts = prompts
        self.filter = QLineEdit(text)
        self.filter.setObjectName("recentFilter")
        self.filter.setPlaceholderText(self.tr("Filter recent prompts"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._refilter)
        self.filter.installEventFilter(self)
        self.list = QListWidget()
        self.list.setObjectName("recentList")
        self.list.itemActivated.connect(lambda item: self._pick(item))
        self.list.setMinimumWidth(320)
        self.empty = QLabel(self.tr("No recent prompt matches."))
        self.empty.setObjectName("recentEmpty")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        layout.addWidget(self.empty)
        self._refilter(text)

    def _refilter(self, text: str) -> None:
        self.list.clear()
        for prompt in filter_prompts(self._prompts, text):
            item = QListWidgetItem(" ".join(prompt.split()))
            item.setData(Qt.ItemDataRole.UserRole, prompt)
            item.setToolTip(prompt)
            self.list.addItem(item)
        self.empty.setVisible(self.list.count() == 0)
        self.list.setVisible(self.list.count() > 0)
        if self.list.count():
            self.list.setCurrentRow(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Arrow keys and Enter in the filter line drive the list, so typing never stops.
        if watched is self.filter and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
                row = self.list.currentRow()
                step = -1 if key in (Qt.Key.Key_Up, Qt.Key.Key_PageUp) else 1
                row = max(0, min(self.list.count() - 1, row + step))
                self.list.setCurrentRow(row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                item = self.list.currentItem()
                if item is not None:
                    self._pick(item)
                return True
            if key == Qt.Key.Key_Escape:
                self.close()
                return True
        return super().eventFilter(watched, event)

    def _pick(self, item: QListWidgetItem) -> None:
        self.picked.emit(item.data(Qt.ItemDataRole.UserRole))
        self.close()

    def popup_at(self, pos: QPoint) -> None:
        self.adjustSize()
        self.move(pos)
        self.show()
        self.filter.setFocus()
        self.filter.end(False)
