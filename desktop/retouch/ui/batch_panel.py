"""The batch panel: one prompt over many images, a few at a time, with pause, cancel, retry.

A non-modal dialog. The work runs on the BatchRunner's own threads; their callbacks reach
the UI thread through ``tasks.ui_callback``, so no widget is touched off the UI thread and
none after the panel is gone.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from retouch.core import errors as E
from retouch.core.batch import (
    MASK_RULES,
    MAX_CONCURRENCY,
    BatchItem,
    BatchJob,
    BatchRunner,
    collect_inputs,
    find_mask,
)
from retouch.core.editing import RunRecorder
from retouch.core.paths import default_output_dir
from retouch.core.placement_options import PlacementOptions
from retouch.core.profile import HubProfile
from retouch.core.schema import ModelInfo, builtin_model
from retouch.ui.i18n import QT_TRANSLATE_NOOP, plural
from retouch.ui.tasks import ui_callback
from retouch.ui.text import display_path

IMAGE_FILTER = QT_TRANSLATE_NOOP(
    "BatchPanel", "Images (*.png *.jpg *.jpeg *.webp *.gif *.bmp *.tif *.tiff);;All files (*)"
)
STATE_LABELS = {
    "waiting": QT_TRANSLATE_NOOP("BatchPanel", "Waiting"),
    "sending": QT_TRANSLATE_NOOP("BatchPanel", "Sending"),
    "waiting_model": QT_TRANSLATE_NOOP("BatchPanel", "Waiting for the model"),
    "done": QT_TRANSLATE_NOOP("BatchPanel", "Done"),
    "failed": QT_TRANSLATE_NOOP("BatchPanel", "Failed"),
    "cancelled": QT_TRANSLATE_NOOP("BatchPanel", "Cancelled"),
}
MASK_RULE_LABELS = {
    "none": QT_TRANSLATE_NOOP("BatchPanel", "No mask: edit whole images"),
    "one": QT_TRANSLATE_NOOP("BatchPanel", "One mask for all images"),
    "per-file": QT_TRANSLATE_NOOP("BatchPanel", "A mask per image, matched by name"),
}
COL_IMAGE, COL_MASK, COL_STATE, COL_REASON = range(4)

#: The window's hub profile (``HubAccess.profile``); raises ConfigError for a bad setting.
ProfileSource = Callable[[], HubProfile]


class BatchPanel(QDialog):
    """Edit many images with one prompt; see ``retouch.core.batch`` for the rules."""

    started = Signal()
    finished = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        profile: ProfileSource,
        recorder: RunRecorder | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("batchPanel")
        self.setWindowTitle(self.tr("Batch Edit"))
        self.setModal(False)
        self.setAcceptDrops(True)
        self.resize(820, 620)
        self.profile = profile
        try:
            self.output_root = profile().output_dir
        except E.ConfigError:
            self.output_root = default_output_dir()  # Start names the bad setting
        self.recorder = recorder
        self.model: ModelInfo = builtin_model()  # type: ignore[assignment]
        self.params: dict[str, Any] = {}
        #: How each image's results go back into it (the window's choices; see prefill).
        self.placement: PlacementOptions | None = PlacementOptions()
        self.inputs: list[Path] = []
        self.runner: BatchRunner | None = None
        self._build()
        self._update()

    # -- construction ----------------------------------------------------------------------

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _build(self) -> None:
        self.hint = QLabel(
            self.tr("Drop a folder or image files here, or add them with the buttons.")
        )
        self.hint.setObjectName("batchHint")
        self.add_files = self._button(self.tr("Add Files…"), "batchAddFiles", self.choose_files)
        self.add_folder = self._button(self.tr("Add Folder…"), "batchAddFolder", self.choose_folder)
        self.clear_button = self._button(self.tr("Clear"), "batchClear", self.clear_inputs)
        top = QHBoxLayout()
        top.addWidget(self.hint, 1)
        top.addWidget(self.add_files)
        top.addWidget(self.add_folder)
        top.addWidget(self.clear_button)

        self.table = QTableWidget(0, 4)
        self.table.setObjectName("batchTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Image"), self.tr("Mask"), self.tr("State"), self.tr("Reason / results")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_REASON, QHeaderView.ResizeMode.Stretch)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.itemSelectionChanged.connect(self._update)

        self.prompt = QPlainTextEdit()
        self.prompt.setObjectName("batchPrompt")
        self.prompt.setPlaceholderText(self.tr("What should change in every image"))
        self.prompt.setMaximumHeight(90)
        self.prompt.textChanged.connect(self._update)
        self.model_label = QLabel()
        self.model_label.setObjectName("batchModel")
        self.model_label.setWordWrap(True)

        self.refs = QListWidget()
        self.refs.setObjectName("batchReferences")
        self.refs.setMaximumHeight(60)
        self.refs.setToolTip(self.tr("Reference images sent with every edit"))
        self.add_ref = self._button(self.tr("Add…"), "batchAddReference", self.choose_references)
        self.clear_refs = self._button(self.tr("Clear"), "batchClearReferences", self.refs.clear)
        refs_row = QHBoxLayout()
        refs_row.addWidget(self.refs, 1)
        refs_buttons = QVBoxLayout()
        refs_buttons.addWidget(self.add_ref)
        refs_buttons.addWidget(self.clear_refs)
        refs_row.addLayout(refs_buttons)

        self.mask_rule = QComboBox()
        self.mask_rule.setObjectName("batchMaskRule")
        for rule in MASK_RULES:
            self.mask_rule.addItem(self.tr(MASK_RULE_LABELS[rule]), rule)
        self.mask_rule.setToolTip(
            self.tr(
                "Per image: photo.mask.png or photo_mask.png beside photo.jpg, or photo.png in "
                "the masks folder. An image without its mask fails before anything is sent."
            )
        )
        self.mask_rule.currentIndexChanged.connect(self._mask_rule_changed)
        self.mask_path = QLineEdit()
        self.mask_path.setObjectName("batchMaskPath")
        self.mask_path.textChanged.connect(self._refresh_masks)
        self.mask_browse = self._button(self.tr("Browse…"), "batchMaskBrowse", self.choose_mask)
        mask_row = QHBoxLayout()
        mask_row.addWidget(self.mask_rule)
        mask_row.addWidget(self.mask_path, 1)
        mask_row.addWidget(self.mask_browse)

        self.concurrency = QSpinBox()
        self.concurrency.setObjectName("batchConcurrency")
        self.concurrency.setRange(1, MAX_CONCURRENCY)
        self.concurrency.setValue(2)
        self.concurrency.setToolTip(self.tr("How many images are edited at the same time"))
        self.concurrency.setMaximumWidth(80)
        self.out_dir = QLineEdit()
        self.out_dir.setObjectName("batchOutDir")
        self.out_browse = self._button(self.tr("Browse…"), "batchOutBrowse", self.choose_out_dir)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out_dir, 1)
        out_row.addWidget(self.out_browse)

        form = QFormLayout()
        form.addRow(self.tr("Prompt"), self.prompt)
        form.addRow(self.tr("Model"), self.model_label)
        form.addRow(self.tr("References"), refs_row)
        form.addRow(self.tr("Masks"), mask_row)
        form.addRow(self.tr("At a time"), self.concurrency)
        form.addRow(self.tr("Save to"), out_row)

        self.cost = QLabel()
        self.cost.setObjectName("batchCost")
        self.summary = QLabel()
        self.summary.setObjectName("batchSummary")
        self.message = QLabel()
        self.message.setObjectName("batchMessage")
        self.message.setWordWrap(True)
        self.message.hide()

        self.start_button = self._button(self.tr("Start"), "batchStart", self.start)
        self.start_button.setDefault(True)
        self.pause_button = self._button(self.tr("Pause"), "batchPause", self.toggle_pause)
        self.cancel_button = self._button(self.tr("Cancel"), "batchCancel", self.cancel)
        self.retry_button = self._button(self.tr("Retry Failed"), "batchRetry", self.retry_selected)
        self.retry_button.setToolTip(
            self.tr("Run the selected failed images again (all failed if none)")
        )
        self.open_button = self._button(
            self.tr("Open Output Folder"), "batchOpenFolder", self.open_output
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.cost, 1)
        for b in (
            self.start_button,
            self.pause_button,
            self.cancel_button,
            self.retry_button,
            self.open_button,
        ):
            buttons.addWidget(b)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        self._mask_rule_changed()

    # -- setting up ----------------------------------------------------------------------

    def prefill(
        self,
        prompt: str,
        model: ModelInfo,
        params: dict[str, Any],
        placement: PlacementOptions | None = None,
    ) -> None:
        """Take prompt, model and parameters from the main window (not while running), and
        how each image's results go back into it (issue 12; None: the defaults)."""
        if self.running:
            return
        if placement is not None:
            self.placement = placement
        self.prompt.setPlainText(prompt)
        self.model = model
        self.params = dict(params)
        shown = ", ".join(f"{k} {v}" for k, v in self.params.items() if v not in ("", None))
        self.model_label.setText(
            f"{model.display_name}" + (f" — {shown}" if shown else "") + " (from the main window)"
        )
        if not self.out_dir.text():
            self.out_dir.setText(str(self.output_root / f"batch-{time.strftime('%Y%m%d-%H%M%S')}"))
        self._update()

    def add_paths(self, paths: Sequence[str | Path]) -> int:
        """Add image files and folders (their images, not recursive); returns how many."""
        if self.running:
            return 0
        found: list[Path] = []
        problems: list[str] = []
        for path in paths:
            try:
                found += collect_inputs([path])
            except E.InputError as exc:
                problems.append(exc.message)
        # Once more over everything: drops duplicates and the masks of other inputs.
        found = collect_inputs(found)
        if problems:
            self.show_message(" ".join(problems[:3]) + (" …" if len(problems) > 3 else ""))
        known = {p.resolve() for p in self.inputs}
        new = [p for p in found if p.resolve() not in known]
        if self.runner is not None and not self.runner.running:
            self._reset_table()  # a finished batch's rows give way to the new list
        self.inputs += new
        self._rebuild_table()
        if not found and not problems:
            self.show_message(self.tr("No images found there."))
        return len(new)

    def clear_inputs(self) -> None:
        if self.running:
            return
        self.inputs.clear()
        self._reset_table()
        self._rebuild_table()

    def _reset_table(self) -> None:
        self.runner = None
        self.table.setRowCount(0)

    def references(self) -> list[Path]:
        return [Path(self.refs.item(i).text()) for i in range(self.refs.count())]

    def add_references(self, paths: Sequence[str | Path]) -> None:
        for p in paths:
            self.refs.addItem(str(p))
        self._update()

    def rule(self) -> str:
        return str(self.mask_rule.currentData())

    def _mask_rule_changed(self, _index: int = 0) -> None:
        rule = self.rule()
        self.mask_path.setEnabled(rule != "none")
        self.mask_browse.setEnabled(rule != "none")
        self.mask_path.setPlaceholderText(
            {
                "none": "",
                "one": self.tr("The mask file used for every image"),
                "per-file": self.tr(
                    "Optional masks folder (masks beside the images are found too)"
                ),
            }[rule]
        )
        self._refresh_masks()

    def _mask_settings(self) -> tuple[Path | None, Path | None]:
        text = self.mask_path.text().strip()
        path = Path(text).expanduser() if text else None
        rule = self.rule()
        return (path if rule == "one" else None), (path if rule == "per-file" else None)

    def _refresh_masks(self) -> None:
        if self.runner is None:
            self._rebuild_table()

    def _rebuild_table(self) -> None:
        """The waiting list before a run: each input and the mask it will get."""
        if self.runner is not None:
            return
        mask, masks_dir = self._mask_settings()
        rule = self.rule()
        self.table.setRowCount(len(self.inputs))
        for row, path in enumerate(self.inputs):
            if rule == "one":
                mask_text = mask.name if mask else "—"
                reason = ""
            elif rule == "per-file":
                found = find_mask(path, masks_dir if masks_dir and masks_dir.is_dir() else None)
                mask_text = found.name if found else self.tr("none found")
                reason = "" if found else self.tr("No mask found: this image will fail unsent.")
            else:
                mask_text, reason = "—", ""
            self._set_row(row, path.name, mask_text, self.tr(STATE_LABELS["waiting"]), reason)
            image_item = self.table.item(row, COL_IMAGE)
            if image_item is not None:
                image_item.setToolTip(str(path))
        self._update()

    def _set_row(self, row: int, name: str, mask: str, state: str, reason: str) -> None:
        for col, text in ((COL_IMAGE, name), (COL_MASK, mask), (COL_STATE, state)):
            item = self.table.item(row, col)
            if item is None:
                item = QTableWidgetItem()
                self.table.setItem(row, col, item)
            item.setText(text)
        reason_item = self.table.item(row, COL_REASON)
        if reason_item is None:
            reason_item = QTableWidgetItem()
            self.table.setItem(row, COL_REASON, reason_item)
        reason_item.setText(reason)
        reason_item.setToolTip(reason)

    # -- choosing files ------------------------------------------------------------------

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Add Images"), str(Path.home()), self.tr(IMAGE_FILTER)
        )
        if files:
            self.add_paths(files)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Add a Folder of Images"), str(Path.home())
        )
        if folder:
            self.add_paths([folder])

    def choose_references(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Reference Images"), str(Path.home()), self.tr(IMAGE_FILTER)
        )
        if files:
            self.add_references(files)

    def choose_mask(self) -> None:
        if self.rule() == "per-file":
            path = QFileDialog.getExistingDirectory(self, self.tr("Masks Folder"), str(Path.home()))
        else:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("Mask"), str(Path.home()), self.tr(IMAGE_FILTER)
            )
        if path:
            self.mask_path.setText(path)

    def choose_out_dir(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Save Results To"), self.out_dir.text()
        )
        if folder:
            self.out_dir.setText(folder)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and not self.running:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.add_paths(paths)
            event.acceptProposedAction()

    # -- running -------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.runner is not None and self.runner.running

    def make_job(self) -> BatchJob:
        mask, masks_dir = self._mask_settings()
        out = self.out_dir.text().strip()
        return BatchJob(
            inputs=list(self.inputs),
            prompt=self.prompt.toPlainText(),
            model=self.model,
            out_dir=Path(out).expanduser() if out else self.output_root,
            params=dict(self.params),
            references=self.references(),
            mask_rule=self.rule(),
            mask=mask,
            masks_dir=masks_dir,
            concurrency=self.concurrency.value(),
            placement=self.placement,
        )

    def start(self) -> bool:
        """Check, show the cost and ask, then start. True if the batch started."""
        if self.running:
            return False
        self.message.hide()
        try:
            profile = self.profile()
            if not profile.api_key():
                self.show_message(self.tr("Set your API key in Settings first."))
                return False
            job = self.make_job()
            job.check()
        except E.RetouchError as exc:
            self.show_message(exc.message)
            return False
        count = len(job.inputs)
        question = (
            plural(
                self.tr("Edit %n image(s) with {model}, {at_once} at a time?", "", count), count
            ).format(model=job.model.display_name, at_once=job.concurrency)
            + "\n\n"
            + self.tr("Estimated cost: {cost}").format(cost=job.estimate().line())
            + "\n\n"
            + self.tr("Results go to {folder}").format(folder=display_path(job.out_dir))
        )
        answer = QMessageBox.question(
            self,
            self.tr("Start Batch"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.runner = BatchRunner(
            job,
            profile=profile,
            recorder=self.recorder,
            on_item=ui_callback(self._on_item, self),
            on_finished=ui_callback(self._on_finished, self),
        )
        for item in self.runner.items:
            self._show_item(item)
        self.runner.start()
        self.pause_button.setText(self.tr("Pause"))
        self.started.emit()
        self._update()
        return True

    def toggle_pause(self) -> None:
        if not self.running or self.runner is None:
            return
        if self.runner.paused:
            self.runner.resume()
        else:
            self.runner.pause()
        self._update()

    def cancel(self) -> None:
        if self.running and self.runner is not None:
            self.cancel_button.setEnabled(False)
            self.runner.cancel()

    def retry_selected(self) -> int:
        """Retry the selected failed items, or every failed one when none is selected."""
        if self.runner is None:
            return 0
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        items = self.runner.items
        targets = [items[r] for r in rows if r < len(items) and items[r].state == "failed"]
        if not targets:
            targets = [it for it in items if it.state == "failed"]
        count = sum(self.runner.retry(it) for it in targets)
        self._update()
        return count

    def retry_row(self, row: int) -> bool:
        if self.runner is None:
            return False
        done = self.runner.retry(row)
        self._update()
        return done

    def open_output(self) -> None:
        folder = Path(self.out_dir.text().strip() or self.output_root)
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def _context_menu(self, pos: QPoint) -> None:
        row = self.table.rowAt(pos.y())
        if self.runner is None or row < 0 or row >= len(self.runner.items):
            return
        item = self.runner.items[row]
        menu = QMenu(self)
        retry = menu.addAction(self.tr("Retry This Image"))
        retry.setEnabled(item.state in ("failed", "cancelled"))
        retry.triggered.connect(lambda: self.retry_row(row))
        show = menu.addAction(self.tr("Show Results"))
        show.setEnabled(bool(item.results))
        show.triggered.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(item.results[0].parent)))
        )
        menu.popup(self.table.viewport().mapToGlobal(pos))

    # -- progress (UI thread) ------------------------------------------------------------

    def _show_item(self, item: BatchItem) -> None:
        if item.state == "done":
            reason = ", ".join(p.name for p in item.results)
            if item.error:
                reason = f"{reason} — {item.error}" if reason else item.error
        else:
            reason = item.error
        mask = item.mask.name if item.mask else "—"
        self._set_row(item.index, item.name, mask, self.tr(STATE_LABELS[item.state]), reason)

    def _on_item(self, item: BatchItem) -> None:
        if self.runner is None or item.index >= self.table.rowCount():
            return
        # Snapshots can arrive after a newer state was shown; show the item as it is now.
        self._show_item(self.runner.items[item.index].snapshot())
        self._update()

    def _on_finished(self) -> None:
        if self.runner is None or self.runner.running:
            return  # a retry started meanwhile
        for item in self.runner.items:
            self._show_item(item.snapshot())
        self.cancel_button.setEnabled(True)
        self._update()
        self.finished.emit()

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _update(self) -> None:
        running = self.running
        paused = bool(running and self.runner is not None and self.runner.paused)
        for w in (
            self.add_files,
            self.add_folder,
            self.clear_button,
            self.prompt,
            self.add_ref,
            self.clear_refs,
            self.mask_rule,
            self.concurrency,
            self.out_dir,
            self.out_browse,
        ):
            w.setEnabled(not running)
        self.mask_path.setEnabled(not running and self.rule() != "none")
        self.mask_browse.setEnabled(not running and self.rule() != "none")
        self.start_button.setEnabled(not running and bool(self.inputs))
        self.pause_button.setEnabled(running)
        self.pause_button.setText(self.tr("Resume") if paused else self.tr("Pause"))
        self.cancel_button.setEnabled(running and not (self.runner and self.runner.cancelled))
        counts = self.runner.counts() if self.runner is not None else {}
        self.retry_button.setEnabled(bool(counts.get("failed")))
        if self.runner is not None:
            total = len(self.runner.items)
            text = self.tr("{done}/{total} done").format(done=counts.get("done", 0), total=total)
            if counts.get("failed"):
                text += ", " + self.tr("{n} failed").format(n=counts["failed"])
            if counts.get("cancelled"):
                text += ", " + self.tr("{n} cancelled").format(n=counts["cancelled"])
            if paused:
                text += " — " + self.tr("paused: images in progress finish, no new ones start")
            self.summary.setText(text)
        else:
            n = len(self.inputs)
            self.summary.setText(plural(self.tr("%n image(s)", "", n), n) if n else "")
        if self.inputs:
            try:
                self.cost.setText(
                    self.tr("Estimated: {cost}").format(cost=self.make_job().estimate().line())
                )
            except E.RetouchError:
                self.cost.clear()
        else:
            self.cost.clear()

    # -- closing -------------------------------------------------------------------------

    def confirm_close(self) -> bool:
        """Ask before closing on a running batch; cancel it if the user agrees."""
        if not self.running or self.runner is None:
            return True
        answer = QMessageBox.question(
            self,
            self.tr("Batch Running"),
            self.tr(
                "A batch is still running. Cancel it? Images already sent may still be billed."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.runner.cancel()
        self.runner.wait(10)
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing only hides the panel: a running batch carries on and can be watched again.
        event.accept()
