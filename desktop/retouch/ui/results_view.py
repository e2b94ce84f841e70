"""The results of a run: a gallery strip, a large preview, and what to do with each result."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QMimeData,
    QModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QDesktopServices,
    QIcon,
    QImage,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from retouch.core.results import SavedResult
from retouch.ui.tasks import TaskContext, run_task

ROLE_RESULT = Qt.ItemDataRole.UserRole + 1
ROLE_IMAGE = Qt.ItemDataRole.UserRole + 2
ROLE_PREVIEW = Qt.ItemDataRole.UserRole + 3


class ResultsGallery(QListView):
    """One row per result; dragging a row out gives the file to a file manager or app."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsGallery")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setIconSize(QSize(112, 112))
        self.setGridSize(QSize(132, 140))
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setFixedHeight(160)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.model_ = _ResultsModel(self)
        self.setModel(self.model_)

    def results(self) -> list[SavedResult]:
        return [self.model_.item(r).data(ROLE_RESULT) for r in range(self.model_.rowCount())]


class _ResultsModel(QStandardItemModel):
    def mimeTypes(self) -> list[str]:
        return ["text/uri-list"]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        urls = []
        for index in indexes:
            result = index.data(ROLE_RESULT)
            if isinstance(result, SavedResult):
                urls.append(QUrl.fromLocalFile(str(result.path)))
        mime.setUrls(urls)
        image = indexes[0].data(ROLE_IMAGE) if indexes else None
        if isinstance(image, QImage):
            mime.setImageData(image)
        return mime

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction


class PreviewLabel(QLabel):
    """Shows an image scaled to fit, crisp on high-DPI screens."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultPreview")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(200, 150)
        self._image: QImage | None = None
        self._scaled: QPixmap | None = None

    def set_image(self, image: QImage | None) -> None:
        self._image = image
        self._scaled = None
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._scaled = None
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(35, 36, 40))
        if self._image is None or self._image.isNull():
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, "Results appear here as they arrive"
            )
            return
        size = self._image.size().scaled(
            self.size() - QSize(24, 24), Qt.AspectRatioMode.KeepAspectRatio
        )
        # Scale once per size: smooth-scaling a 4K image on every paint would stall the UI.
        dpr = self.devicePixelRatioF()
        if self._scaled is None:
            scaled = self._image.scaled(
                size * dpr,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            self._scaled = QPixmap.fromImage(scaled)
            self._scaled.setDevicePixelRatio(dpr)
        x = (self.width() - size.width()) // 2
        y = (self.height() - size.height()) // 2
        painter.drawPixmap(QRect(x, y, size.width(), size.height()), self._scaled)


def _decode_result(result: SavedResult, _ctx: TaskContext) -> dict[str, QImage] | None:
    from retouch.ui.worker import result_images

    image = QImage(str(result.path))
    return None if image.isNull() else result_images(image)


@dataclass(frozen=True)
class ResultActions:
    """What can be done with the current result; the window's menus hold the same actions."""

    save: QAction
    copy: QAction
    folder: QAction
    use: QAction

    @classmethod
    def standalone(cls, view: ResultsView) -> ResultActions:
        """Actions of the view's own, for a view that is not in the main window."""
        actions = cls(
            QAction("Save As…", view),
            QAction("Copy Image", view),
            QAction("Show in Folder", view),
            QAction("Use as Input", view),
        )
        for act, key, slot in (
            (actions.save, QKeySequence(QKeySequence.StandardKey.Save), view.save_as),
            (actions.copy, QKeySequence("Ctrl+Shift+C"), view.copy_current),
            (actions.folder, QKeySequence(), view.open_folder),
            (actions.use, QKeySequence("Ctrl+U"), view.use_current),
        ):
            act.setShortcut(key)
            act.triggered.connect(slot)
        return actions


class ResultsView(QWidget):
    """The results page. With *actions* (the window's), the window enables them when
    ``currentChanged`` says the selection changed; without, the view keeps its own."""

    useAsInput = Signal(object)  # Path
    message = Signal(str, str)
    currentChanged = Signal()

    def __init__(self, actions: ResultActions | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsView")
        self.preview = PreviewLabel()
        self.gallery = ResultsGallery()
        self.info = QLabel()
        self.info.setObjectName("resultInfo")
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self._own_actions = actions is None
        if actions is None:
            actions = ResultActions.standalone(self)
        self.act_save, self.act_copy = actions.save, actions.copy
        self.act_folder, self.act_use = actions.folder, actions.use

        bar = QHBoxLayout()
        bar.addWidget(self.info, 1)
        for act in (self.act_use, self.act_save, self.act_copy, self.act_folder):
            button = QToolButton()
            button.setDefaultAction(act)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            bar.addWidget(button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preview, 1)
        layout.addLayout(bar)
        layout.addWidget(self.gallery)

        self._generation = 0
        self._select_after_load: int | None = None
        self.gallery.selectionModel().currentChanged.connect(self._on_current)
        self.gallery.doubleClicked.connect(lambda _i: self.use_current())
        self.gallery.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.gallery.customContextMenuRequested.connect(self._menu)
        self._update_actions()

    # -- content --------------------------------------------------------------------------

    def load_saved(self, results: list[SavedResult], select: int = 0) -> None:
        """Show results from disk (history, session restore); decoded on the thread pool."""
        self.clear()
        self._select_after_load = select
        generation = self._generation
        for result in results:
            run_task(
                functools.partial(_decode_result, result),
                receiver=self,
                name=f"load {result.path.name}",
                on_result=functools.partial(self._loaded, generation, result),
            )

    def _loaded(
        self, generation: int, result: SavedResult, images: dict[str, QImage] | None
    ) -> None:
        if generation != self._generation or images is None:
            return
        # Keep the results in their run order whatever order the pool finished them in.
        row = sum(1 for r in self.gallery.results() if r.index < result.index)
        self.add_result(result, images, row=row)
        if self._select_after_load is not None and result.index == self._select_after_load:
            self.select(row)

    def clear(self) -> None:
        self._generation += 1
        self._select_after_load = None
        self.gallery.model_.clear()
        self.preview.set_image(None)
        self.info.clear()
        self._update_actions()

    def add_result(
        self, result: SavedResult, images: dict[str, QImage] | None = None, row: int = -1
    ) -> None:
        """Add a result; *images* are the full image, "preview" and "thumb" made off-thread."""
        if images is None:
            from retouch.ui.worker import result_images

            images = result_images(QImage(str(result.path)))
        image = images["image"]
        item = QStandardItem(
            QIcon(QPixmap.fromImage(images["thumb"])), f"Result {result.index + 1}"
        )
        item.setData(result, ROLE_RESULT)
        item.setData(image, ROLE_IMAGE)
        item.setData(images["preview"], ROLE_PREVIEW)
        item.setToolTip(f"{result.path.name}\n{image.width()} × {image.height()} px")
        item.setEditable(False)
        if 0 <= row < self.gallery.model_.rowCount():
            self.gallery.model_.insertRow(row, item)
        else:
            self.gallery.model_.appendRow(item)
        if self.gallery.model_.rowCount() == 1:
            self.gallery.setCurrentIndex(item.index())
        self._update_actions()

    def count(self) -> int:
        return self.gallery.model_.rowCount()

    def images(self) -> list[QImage]:
        model = self.gallery.model_
        return [model.item(r).data(ROLE_IMAGE) for r in range(model.rowCount())]

    def current_row(self) -> int:
        return self.gallery.currentIndex().row()

    def current(self) -> tuple[SavedResult, QImage] | None:
        index = self.gallery.currentIndex()
        if not index.isValid():
            return None
        return index.data(ROLE_RESULT), index.data(ROLE_IMAGE)

    def select(self, row: int) -> None:
        if 0 <= row < self.count():
            self.gallery.setCurrentIndex(self.gallery.model_.index(row, 0))

    def _on_current(self, current: QModelIndex, _prev: QModelIndex) -> None:
        image = current.data(ROLE_IMAGE) if current.isValid() else None
        result = current.data(ROLE_RESULT) if current.isValid() else None
        self.preview.set_image(current.data(ROLE_PREVIEW) if current.isValid() else None)
        if isinstance(result, SavedResult) and isinstance(image, QImage):
            text = f"{result.path.name} · {image.width()} × {image.height()}"
            if result.revised_prompt:
                text += f"\nRevised prompt: {result.revised_prompt}"
            self.info.setText(text)
        self._update_actions()

    def _update_actions(self) -> None:
        if self._own_actions:
            has = self.current() is not None
            for act in (self.act_save, self.act_copy, self.act_folder, self.act_use):
                act.setEnabled(has)
        self.currentChanged.emit()

    def _menu(self, pos: QPoint) -> None:
        if self.current() is None:
            return
        menu = QMenu(self)
        for act in (self.act_use, self.act_save, self.act_copy, self.act_folder):
            menu.addAction(act)
        menu.exec(self.gallery.viewport().mapToGlobal(pos))

    # -- actions --------------------------------------------------------------------------

    def save_as(self) -> None:
        cur = self.current()
        if cur is None:
            return
        result, _image = cur
        target, _ = QFileDialog.getSaveFileName(
            self,
            "Save Result As",
            str(Path.home() / result.path.name),
            f"Image (*{result.path.suffix})",
        )
        if not target:
            return
        try:
            from retouch.core.atomic import atomic_write_bytes

            atomic_write_bytes(target, result.path.read_bytes())
        except OSError as exc:
            QMessageBox.warning(self, "Not saved", f"The result could not be saved: {exc.strerror}")
            return
        self.message.emit("info", f"Saved {Path(target).name}.")

    def copy_current(self) -> None:
        cur = self.current()
        if cur is None:
            return
        result, image = cur
        mime = QMimeData()
        mime.setImageData(image)
        mime.setUrls([QUrl.fromLocalFile(str(result.path))])
        QApplication.clipboard().setMimeData(mime)
        self.message.emit("info", "Result copied to the clipboard.")

    def open_folder(self) -> None:
        cur = self.current()
        if cur is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(cur[0].path.parent)))

    def use_current(self) -> None:
        cur = self.current()
        if cur is not None:
            self.useAsInput.emit(cur[0].path)
