"""The Results page's strip: one tile per result (a dashed placeholder tile per result still
to come while a run is on), in a model whose rows carry the result and its pictures under
the ``ROLE_*`` roles. Dragging a tile out gives the file to a file manager or an app."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QMimeData, QModelIndex, QRectF, QSize, Qt, QUrl
from PySide6.QtGui import QIcon, QImage, QKeyEvent, QPainter, QPen, QPixmap, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from retouch.core.results import SavedResult
from retouch.ui.theme import scheme

ROLE_RESULT = Qt.ItemDataRole.UserRole + 1
ROLE_IMAGE = Qt.ItemDataRole.UserRole + 2
ROLE_PREVIEW = Qt.ItemDataRole.UserRole + 3
ROLE_ALT_IMAGE = Qt.ItemDataRole.UserRole + 4  # the other picture, once decoded
ROLE_ALT_PREVIEW = Qt.ItemDataRole.UserRole + 5
ROLE_KIND = Qt.ItemDataRole.UserRole + 6  # what ROLE_IMAGE is: "composite" or "model"
ROLE_PLACEHOLDER = Qt.ItemDataRole.UserRole + 7  # a tile waiting for its result


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
        items = (self.model_.item(r) for r in range(self.model_.rowCount()))
        return [it.data(ROLE_RESULT) for it in items if not it.data(ROLE_PLACEHOLDER)]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Backslash:
            event.ignore()  # the view's before/after key, not a type-ahead search
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Backslash:
            event.ignore()
            return
        super().keyReleaseEvent(event)

    def placeholder_icon(self, aspect: float = 1.0) -> QIcon:
        """A dashed tile shaped like the thumbnail that will replace it (*aspect* is the
        edited image's width / height), so the row does not change when results arrive."""
        s = scheme()
        side = self.iconSize().width()
        if aspect >= 1:
            w, h = side, max(24, round(side / aspect))
        else:
            w, h = max(24, round(side * aspect)), side
        pix = QPixmap(w * 2, h * 2)
        pix.setDevicePixelRatio(2)
        pix.fill(Qt.GlobalColor.transparent)
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(s.color("border_strong"), 1.5, Qt.PenStyle.DashLine))
        p.setBrush(s.color("alt_base"))
        tile = QRectF(1, 1, w - 2, h - 2)
        p.drawRoundedRect(tile, 6, 6)
        p.setPen(QPen(s.color("muted"), 2.4))
        c = tile.center()
        r = min(12.0, h / 4)
        p.drawArc(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r), 90 * 16, 270 * 16)
        p.end()
        return QIcon(pix)


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
