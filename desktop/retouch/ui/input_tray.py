"""The input tray: the images of a run, the first one edited, the rest references."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

# Qt classes first needed after the window's first paint are reached through their module
# (QtWidgets.QMessageBox): PySide6 builds a class, enums and all, when it is first touched.
from PySide6 import QtCore
from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QIcon,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from retouch.core.request import InputRef
from retouch.ui.loaders import THUMB_SIZE, DecodedInput, ImageLoader
from retouch.ui.theme import caption, ink, scaled_font, scheme

log = logging.getLogger(__name__)

ROLE_ITEM = Qt.ItemDataRole.UserRole + 1


_SERIALS = itertools.count(1)


@dataclass
class InputItem:
    ref: InputRef
    token: int = 0
    status: str = "loading"  # "loading", "ready", "link"
    info: DecodedInput | None = None
    notes: list[str] = field(default_factory=list)
    # Only the edited (first) input is decoded in full; a reference gets its full image
    # when it becomes first. Non-zero while that decode runs.
    full_token: int = 0
    #: Unique per item for the tray's lifetime (``id()`` is not: a removed item's address is
    #: reused, and the canvas then missed the new edited image now and then).
    serial: int = field(default_factory=lambda: next(_SERIALS))

    @property
    def image(self) -> QImage | None:
        return self.info.image if self.info else None


def local_paths_and_urls(mime: QMimeData) -> tuple[list[Path], list[str]]:
    paths: list[Path] = []
    urls: list[str] = []
    for url in mime.urls():
        if url.isLocalFile():
            paths.append(Path(url.toLocalFile()))
        elif url.scheme() in ("http", "https"):
            urls.append(url.toString())
    if not paths and not urls and mime.hasText():
        for line in mime.text().splitlines():
            line = line.strip()
            if line.startswith(("http://", "https://")):
                urls.append(line)
            elif line.startswith("file://"):
                paths.append(Path(QtCore.QUrl(line).toLocalFile()))
    return paths, urls


ROW_HEIGHT = 76
THUMB_SIDE = 60


class _TrayDelegate(QStyledItemDelegate):
    """A row per input: its thumbnail, then what it is (edited / reference), its name
    (elided in the middle) and its size, each on its own line."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(max(120, option.rect.width()), ROW_HEIGHT)

    def paint(
        self, p: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        s = scheme()
        item = index.data(ROLE_ITEM)
        rect = option.rect.adjusted(2, 2, -2, -2)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if selected:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(s.color("accent_soft"))
            p.drawRoundedRect(QRectF(rect), 8, 8)
        thumb = QRectF(rect.left() + 6, rect.top() + (rect.height() - THUMB_SIDE) / 2,
                       THUMB_SIDE, THUMB_SIDE)  # fmt: skip
        clip = QPainterPath()
        clip.addRoundedRect(thumb, 6, 6)
        p.save()
        p.setClipPath(clip)
        p.fillRect(thumb, s.color("alt_base"))
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        if isinstance(icon, QIcon) and not icon.isNull():
            pix = icon.pixmap(QSize(THUMB_SIDE, THUMB_SIDE) * 2)
            side = min(pix.width(), pix.height())
            src = QRectF((pix.width() - side) / 2, (pix.height() - side) / 2, side, side)
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            p.drawPixmap(thumb, pix, src)
        p.restore()
        p.setPen(QPen(s.color("border"), 1))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(thumb, 6, 6)

        left = int(thumb.right()) + 10
        width = rect.right() - left - 4
        first = index.row() == 0
        small = scaled_font(option.font, 0.9)
        role_font = QFont(small)
        role_font.setBold(True)
        lines: list[tuple[str, QFont, QColor]] = [
            (
                self.tr("Editing") if first else self.tr("Reference"),
                role_font,
                s.color("accent" if first and not s.dark else "link" if first else "muted"),
            ),
        ]
        if isinstance(item, InputItem):
            lines.append((item.ref.label, QFont(option.font), s.color("text")))
            if item.info is not None:
                lines.append((
                    f"{item.info.width} × {item.info.height} · {item.info.source_format}",
                    small, s.color("muted"),
                ))  # fmt: skip
            elif item.status == "loading":
                lines.append((self.tr("Loading…"), small, s.color("muted")))
            elif item.status == "link":
                lines.append((self.tr("Link"), small, s.color("muted")))
        heights = [QFontMetrics(f).height() for _t, f, _c in lines]
        y = rect.top() + (rect.height() - sum(heights) - 2 * (len(lines) - 1)) / 2
        for (text, font, colour), h in zip(lines, heights, strict=True):
            p.setFont(font)
            p.setPen(ink(option.widget, colour))
            elided = QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideMiddle, width)
            p.drawText(QRectF(left, y, width, h), Qt.AlignmentFlag.AlignLeft, elided)
            y += h + 2
        p.restore()


class _TrayList(QListWidget):
    externalDrop = Signal(object)  # QMimeData
    moveRequested = Signal(int)  # Alt+Up (-1) / Alt+Down (+1) on the current input

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inputList")
        self.setAccessibleName(self.tr("Inputs"))
        self.setItemDelegate(_TrayDelegate(self))
        self.setUniformItemSizes(True)
        self.setViewMode(QListWidget.ViewMode.ListMode)
        self.setIconSize(QSize(THUMB_SIZE // 2 + 24, THUMB_SIZE // 2 + 24))
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSpacing(4)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setAcceptDrops(True)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.source() is self:
            super().dragEnterEvent(event)
        elif (
            event.mimeData().hasUrls() or event.mimeData().hasImage() or event.mimeData().hasText()
        ):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.source() is self:
            super().dragMoveEvent(event)
        else:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if event.source() is self:
            super().dropEvent(event)
            return
        self.externalDrop.emit(event.mimeData())
        event.acceptProposedAction()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        alt = event.modifiers() & Qt.KeyboardModifier.AltModifier
        if alt and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.moveRequested.emit(-1 if event.key() == Qt.Key.Key_Up else 1)
            event.accept()
            return
        if event.key() == Qt.Key.Key_Backslash:
            event.ignore()  # the window's before/after key, not a type-ahead search
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.count() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(ink(self, self.palette().placeholderText().color()))
            painter.drawText(
                self.viewport().rect().adjusted(12, 12, -12, -12),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.tr(
                    "Drop images here\nor press Ctrl+O\n\nThe first image is edited;\n"
                    "the others are references"
                ),
            )


class InputTray(QWidget):
    inputsChanged = Signal()
    firstImageChanged = Signal(object)  # QImage | None
    message = Signal(str, str)  # level ("error", "warning", "info"), text
    addRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inputTray")
        self.setAcceptDrops(True)
        self.loader = ImageLoader(self)
        self.loader.loaded.connect(self._on_loaded)
        self.loader.failed.connect(self._on_failed)
        self._first_key: object = None

        title = QLabel(self.tr("Inputs"))
        title.setObjectName("panelTitle")
        caption(title)
        self.add_button = QToolButton()
        self.add_button.setObjectName("addInputButton")
        self.add_button.setText("+")
        self.add_button.setToolTip(self.tr("Add images… (Ctrl+O)"))
        self.add_button.setAccessibleName(self.tr("Add images"))
        self.add_button.clicked.connect(self.addRequested)
        self.remove_button = QToolButton()
        self.remove_button.setObjectName("removeInputButton")
        self.remove_button.setText("−")
        self.remove_button.setToolTip(self.tr("Remove the selected images (Delete)"))
        self.remove_button.setAccessibleName(self.tr("Remove the selected images"))
        self.remove_button.clicked.connect(self.remove_selected)
        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.add_button)
        header.addWidget(self.remove_button)

        self.list = _TrayList(self)
        self.list.externalDrop.connect(self.add_mime)
        self.list.moveRequested.connect(self.move_current)
        self.list.model().rowsMoved.connect(self._after_change)
        self.list.itemSelectionChanged.connect(self._update_buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(header)
        layout.addWidget(self.list, 1)
        self._update_buttons()

    # -- adding ---------------------------------------------------------------------------

    def add_paths(self, paths: Sequence[str | Path]) -> None:
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                self.message.emit(
                    "error", f"'{path.name}' is a folder, not an image. Drop the images themselves."
                )
                continue
            ref = InputRef(path=path, name=path.name)
            self._add(ref, self.loader.load(path=path, name=path.name, full=self._next_is_first()))

    def add_refs(self, refs: list[InputRef]) -> None:
        """Add inputs that carry their own display name (history, session restore)."""
        for ref in refs:
            if ref.url is not None and ref.path is None:
                token = self.loader.load(url=ref.url, name=ref.label)
                self._insert(InputItem(ref, status="link", token=token))
            elif ref.path is not None:
                token = self.loader.load(path=ref.path, name=ref.label, full=self._next_is_first())
                self._insert(InputItem(ref, token=token))
        self._after_change()

    def set_edited(self, path: str | Path) -> None:
        """Make the image at *path* the edited one (the first input) in place of the current
        first input; the references stay (Use as Input)."""
        path = Path(path)
        ref = InputRef(path=path, name=path.name)
        token = self.loader.load(path=path, name=path.name, full=True)
        if self.list.count():
            self.list.takeItem(0)
        self._insert(InputItem(ref, token=token), row=0)
        self._after_change()

    def add_urls(self, urls: list[str]) -> None:
        for url in urls:
            ref = InputRef.parse(url)
            # Shown from a preview download; still sent as the link itself.
            item = InputItem(ref, status="link", token=self.loader.load(url=url, name=ref.label))
            self._insert(item)
        if urls:
            self._after_change()

    def add_image_bytes(self, data: bytes, name: str) -> None:
        ref = InputRef(data=data, name=name)
        self._add(ref, self.loader.load(data=data, name=name, full=self._next_is_first()))

    def add_mime(self, mime: QMimeData) -> None:
        paths, urls = local_paths_and_urls(mime)
        if paths:
            self.add_paths(paths)
        if urls:
            self.add_urls(urls)
        if not paths and not urls and mime.hasImage():
            image = QImage(mime.imageData())
            if not image.isNull():
                from retouch.ui.qimage import qimage_to_png_bytes

                self.add_image_bytes(qimage_to_png_bytes(image), "pasted-image.png")
                return
        if not paths and not urls and not mime.hasImage():
            self.message.emit(
                "error", self.tr("Nothing usable was dropped: drop image files or links.")
            )

    def _next_is_first(self) -> bool:
        return self.list.count() == 0

    def _add(self, ref: InputRef, token: int) -> None:
        self._insert(InputItem(ref, token=token))
        self._after_change()

    def _insert(self, item: InputItem, row: int = -1) -> None:
        widget_item = QListWidgetItem(self._placeholder_icon(item), item.ref.label)
        widget_item.setData(ROLE_ITEM, item)
        widget_item.setFlags(widget_item.flags() & ~Qt.ItemFlag.ItemIsDropEnabled)
        if item.status == "link":
            widget_item.setToolTip(
                f"{item.ref.url}\n"
                + self.tr("Sent as a link: the model server downloads it itself.")
            )
        else:
            widget_item.setToolTip(f"{item.ref.label}\n" + self.tr("Loading…"))
        if row >= 0:
            self.list.insertItem(row, widget_item)
        else:
            self.list.addItem(widget_item)

    def _placeholder_icon(self, item: InputItem) -> QIcon:
        side = self.list.iconSize().width()
        pix = QPixmap(side, side)
        pix.fill(Qt.GlobalColor.transparent)
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setBrush(QColor(128, 128, 128, 40))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawRoundedRect(pix.rect().adjusted(2, 2, -2, -2), 8, 8)
        p.setPen(ink(self, self.palette().placeholderText().color()))
        p.drawText(
            pix.rect(), Qt.AlignmentFlag.AlignCenter, "🔗 link" if item.status == "link" else "…"
        )
        p.end()
        return QIcon(pix)

    # -- loading results ------------------------------------------------------------------

    def _find(self, token: int) -> QListWidgetItem | None:
        for row in range(self.list.count()):
            it = self.list.item(row)
            data = it.data(ROLE_ITEM)
            if isinstance(data, InputItem) and token in (data.token, data.full_token):
                return it
        return None

    def _on_loaded(self, token: int, info: DecodedInput) -> None:
        widget_item = self._find(token)
        if widget_item is None:
            return  # removed while loading
        item: InputItem = widget_item.data(ROLE_ITEM)
        if token == item.full_token and item.info is not None:
            item.info.image, item.full_token = info.image, 0
            widget_item.setData(ROLE_ITEM, item)
            self._after_change()
            return
        is_link = item.status == "link"
        item.info, item.notes = info, list(info.notes)
        item.status = "link" if is_link else "ready"
        if info.thumb is not None:
            widget_item.setIcon(QIcon(QPixmap.fromImage(info.thumb)))
        tip = (
            f"{info.name}\n{info.width} × {info.height} px · {info.source_format} · "
            f"{info.file_bytes / 1e6:.1f} MB"
        )
        if info.notes:
            tip += "\n" + "\n".join(self.tr("Note: %1").replace("%1", n) for n in info.notes)
            self.message.emit("info", f"{info.name}: {'; '.join(info.notes)}.")
        if is_link:
            tip += f"\n{item.ref.url}\n" + self.tr(
                "Sent as a link: the model server downloads it itself."
            )
        widget_item.setToolTip(tip)
        widget_item.setData(ROLE_ITEM, item)
        self._after_change()

    def _on_failed(self, token: int, message: str) -> None:
        widget_item = self._find(token)
        if widget_item is None:
            return
        item = widget_item.data(ROLE_ITEM)
        if isinstance(item, InputItem) and item.status == "link":
            # A link we cannot preview may still be fine for the model server: keep it, say so.
            widget_item.setToolTip(
                f"{item.ref.url}\n"
                + self.tr("No preview: {message}.\nSent as a link.").format(message=message)
            )
            self.message.emit(
                "warning",
                self.tr(
                    "No preview of {name}: {message}. It is still sent as a link; the model "
                    "server must be able to download it."
                ).format(name=item.ref.label, message=message),
            )
            return
        self.list.takeItem(self.list.row(widget_item))
        self.message.emit("error", message)
        self._after_change()

    # -- state ----------------------------------------------------------------------------

    def items(self) -> list[InputItem]:
        out = []
        for row in range(self.list.count()):
            data = self.list.item(row).data(ROLE_ITEM)
            if isinstance(data, InputItem):
                out.append(data)
        return out

    def refs(self) -> list[InputRef]:
        return [it.ref for it in self.items()]

    def is_loading(self) -> bool:
        return any(it.status == "loading" or it.full_token for it in self.items())

    def first_image(self) -> QImage | None:
        items = self.items()
        return items[0].image if items else None

    def remove_selected(self) -> None:
        rows = sorted((self.list.row(i) for i in self.list.selectedItems()), reverse=True)
        for row in rows:
            self.list.takeItem(row)
        if rows:
            self._after_change()

    def clear(self) -> None:
        self.list.clear()
        self._after_change()

    def move_current(self, step: int) -> None:
        """Move the current input up (-1) or down (+1): Alt+Up/Down. Moving an input to the
        top makes it the edited image."""
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)
        self._after_change()

    def focus_order(self) -> list[QWidget]:
        return [self.add_button, self.remove_button, self.list]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Delete) or event.key() == Qt.Key.Key_Backspace:
            self.remove_selected()
            return
        super().keyPressEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() or event.mimeData().hasImage():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.add_mime(event.mimeData())
        event.acceptProposedAction()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.list.selectedItems()))

    def _after_change(self, *_args: object) -> None:
        for row in range(self.list.count()):
            widget_item = self.list.item(row)
            item = widget_item.data(ROLE_ITEM)
            label = item.ref.label if isinstance(item, InputItem) else widget_item.text()
            # What a screen reader says (the delegate draws the same three lines).
            role = self.tr("Editing") if row == 0 else self.tr("Reference")
            size = ""
            if isinstance(item, InputItem) and item.info is not None:
                size = f"\n{item.info.width} × {item.info.height}"
            widget_item.setText(f"{role}\n{label}{size}")
        first = self.items()[0] if self.items() else None
        if first is not None and first.status == "ready" and first.image is None:
            # A reference became the edited image: decode it in full. The canvas keeps the
            # previous image until it arrives, so keep-the-mask works as with any new image.
            if not first.full_token:
                first.full_token = self.loader.load(
                    path=first.ref.path, data=first.ref.data, name=first.ref.label
                )
                self.list.item(0).setData(ROLE_ITEM, first)
        elif first is not None and first.status == "loading" and first.image is None:
            # A new edited image is still decoding (Use as Input): the canvas keeps the
            # previous one until it arrives, so keep-the-mask works as with any new image.
            pass
        else:
            key = (first.serial, first.status, first.image is not None) if first else None
            if key != self._first_key:
                self._first_key = key
                self.firstImageChanged.emit(first.image if first else None)
        self._update_buttons()
        self.inputsChanged.emit()
