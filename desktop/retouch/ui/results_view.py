r"""The results of a run: a large preview, what to do with the result shown, and a gallery
strip. While a run is on, the strip holds a placeholder tile per image expected and the
preview says what is happening (``begin_run``); results fill the tiles as they arrive.
Hold ``\`` (or the Before toggle) to see the edited image in place of the result.

A result placed back into the photo (issue 12) has two pictures: the composite (the photo at
its full size with the edit in it) and the model's own picture. **Composited** / **Model
output** switch between them; the saved file is whichever the run saved. The other picture
is decoded only when it is first asked for, on the thread pool, with Pillow
(``QImage.fromData`` holds the interpreter lock while it decodes: the window stalled).

The page's parts live beside it: ``result_preview`` (the large preview), ``result_gallery``
(the strip, its tiles and their roles) and ``result_pictures`` (a result's pictures and
their decoding); this module puts them together with the action bar and the run's course.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QMimeData,
    QModelIndex,
    QPoint,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QDesktopServices,
    QIcon,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPixmap,
    QStandardItem,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMenu,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from retouch.core.results import SavedResult
from retouch.ui.canvas.fitbar import ElidedLabel, FitBar
from retouch.ui.canvas.icons import make_icon
from retouch.ui.i18n import plural, translate
from retouch.ui.pages import SegmentedControl
from retouch.ui.result_gallery import (
    ROLE_ALT_IMAGE,
    ROLE_ALT_PREVIEW,
    ROLE_IMAGE,
    ROLE_KIND,
    ROLE_PLACEHOLDER,
    ROLE_PREVIEW,
    ROLE_RESULT,
    ResultsGallery,
)
from retouch.ui.result_in_memory import ask_before_quit, in_memory
from retouch.ui.result_pictures import decode_other, decode_saved, other_picture, saved_kind
from retouch.ui.result_preview import PreviewLabel
from retouch.ui.run_card import RunCard
from retouch.ui.tasks import run_task
from retouch.ui.text import display_path
from retouch.ui.theme import mute


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
            QAction(translate("Actions", "Save As…"), view),
            QAction(translate("Actions", "Copy Image"), view),
            QAction(translate("Actions", "Show in Folder"), view),
            QAction(translate("Actions", "Use as Input"), view),
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

    useAsInput = Signal(object)  # SavedResult
    message = Signal(str, str)
    currentChanged = Signal()
    #: Which picture of each result is shown: "composite" or "model".
    shownChanged = Signal(str)
    cancelRequested = Signal()  # the run card's Cancel

    def __init__(self, actions: ResultActions | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsView")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.preview = PreviewLabel()
        self.gallery = ResultsGallery()
        self.gallery.setAccessibleName(self.tr("Results"))
        self.info = ElidedLabel()
        self.info.setObjectName("resultInfo")
        mute(self.info)
        self.run_card = RunCard(self.preview, "resultsRunCard")
        self.run_card.cancelRequested.connect(self.cancelRequested)
        #: Where the edited image comes from when a run did not say (history, a session).
        self.before_source: Callable[[], QImage | None] = lambda: None
        self._stash: list[QStandardItem] = []  # the last run's results, until this one brings one
        self._arrived = 0

        self._own_actions = actions is None
        if actions is None:
            actions = ResultActions.standalone(self)
        self.act_save, self.act_copy = actions.save, actions.copy
        self.act_folder, self.act_use = actions.folder, actions.use
        # Results the output folder could not take (kept in history, or in memory only).
        self.act_save_elsewhere = QAction(self.tr("Save to Another Folder…"), self)
        self.act_save_elsewhere.setObjectName("actionSaveElsewhere")
        self.act_save_elsewhere.setToolTip(
            self.tr("Save the results the output folder could not take into another folder")
        )
        self.act_save_elsewhere.triggered.connect(lambda _checked=False: self.save_unsaved())

        self.shown_switch = SegmentedControl()
        self.shown_switch.setObjectName("resultShownSwitch")
        self.show_composite = self.shown_switch.add(self.tr("Composited"), "showComposited", 0)
        self.show_composite.setToolTip(self.tr("Your photo with the edit placed in"))
        self.show_model = self.shown_switch.add(self.tr("Model output"), "showModelOutput", 1)
        self.show_model.setToolTip(self.tr("The model's own picture, as it came"))
        self.show_composite.setChecked(True)
        self.show_composite.toggled.connect(
            lambda on: self.set_shown("composite" if on else "model")
        )
        self._shown = "composite"
        self._decoding: set[int] = set()  # ids of results whose other picture is decoding

        self.before_button = QToolButton()
        self.before_button.setObjectName("resultBeforeButton")
        self.before_button.setText(self.tr("Before"))
        self.before_button.setCheckable(True)
        self.before_button.setIcon(make_icon("original"))
        self.before_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.before_button.setToolTip(
            self.tr("Show the edited image in place of the result (hold \\)")
        )
        self.before_button.toggled.connect(self._set_before)

        # One row that fits the page: what is shown on the left, what to do with it on the
        # right; when narrow, the least used actions go under More (and stay in the menus).
        self.bar = FitBar(Qt.Orientation.Horizontal, "resultBar")
        self.bar.box.setSpacing(6)
        self.bar.add(self.before_button, 80)
        self.bar.add(self.shown_switch, 70)
        self.bar.add(self.info, 5)  # the file's name and size take the room left
        # Shown only while a result could not be copied to the output folder (issue 13).
        self.save_elsewhere_button = QToolButton()
        self.save_elsewhere_button.setObjectName("saveElsewhereButton")
        self.save_elsewhere_button.setDefaultAction(self.act_save_elsewhere)
        self.save_elsewhere_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.bar.add(self.save_elsewhere_button, 95, [self.act_save_elsewhere])
        self.action_buttons: list[QToolButton] = []
        for act, priority in (
            (self.act_use, 90),
            (self.act_save, 85),
            (self.act_copy, 60),
            (self.act_folder, 50),
        ):
            button = QToolButton()
            button.setDefaultAction(act)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self.bar.add(button, priority, [act])
            self.action_buttons.append(button)
        self.bar.finish()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.bar)
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
                functools.partial(decode_saved, result),
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
        """Empty the gallery — except for results no disk could take: those are the only
        copy of a paid result, and stay until they are saved elsewhere."""
        self._generation += 1
        self._select_after_load = None
        model = self.gallery.model_
        only_copies = [model.takeItem(r) for r in range(model.rowCount()) if in_memory(model, r)]
        model.clear()
        for item in only_copies:
            model.appendRow(item)
        self.preview.set_image(None)
        self.preview.set_before(None)
        self.info.clear()
        self._update_actions()

    # -- a run in progress ----------------------------------------------------------------

    def begin_run(self, expected: int, before: QImage | None = None, keep: bool = False) -> None:
        """A run is on: a placeholder tile per image expected and the run card over the
        preview. The last run's results step aside until this one brings its first; with
        *keep* (a run collected later, its earlier results shown) they stay, and the tiles
        stand for the results still to come."""
        model = self.gallery.model_
        self._stash = []
        if not keep:
            self._stash = [
                model.takeItem(r)
                for r in range(model.rowCount())
                if not model.item(r).data(ROLE_PLACEHOLDER) and not in_memory(model, r)
            ]
            self.clear()
        self._arrived = 0
        self.preview.set_before(before)
        self.preview.waiting = True
        aspect = before.width() / before.height() if before and not before.isNull() else 1.0
        icon = self.gallery.placeholder_icon(aspect)
        first = self.count()  # results already shown (a run collected later)
        for i in range(max(1, expected)):
            item = QStandardItem(icon, self.tr("Result %n", "", first + i + 1))
            item.setData(True, ROLE_PLACEHOLDER)
            item.setEditable(False)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item.setToolTip(self.tr("Coming…"))
            model.appendRow(item)
        self.run_card.start(expected)
        self._update_actions()

    def set_phase(self, text: str) -> None:
        self.run_card.set_phase(text)

    def set_cancelling(self) -> None:
        self.run_card.set_cancelling()

    def end_run(self) -> None:
        """The run is over: the tiles no result came for go; a run that brought nothing
        gives the last run's results back."""
        model = self.gallery.model_
        for r in reversed(range(model.rowCount())):
            if model.item(r).data(ROLE_PLACEHOLDER):
                model.removeRow(r)
        if self._arrived == 0 and self._stash:
            for item in self._stash:
                model.appendRow(item)
            self.select(0)
        self._stash = []
        self.preview.waiting = False
        self.preview.update()
        self.run_card.stop()
        self._update_actions()

    def running(self) -> bool:
        return self.preview.waiting

    def placeholders(self) -> int:
        model = self.gallery.model_
        return sum(1 for r in range(model.rowCount()) if model.item(r).data(ROLE_PLACEHOLDER))

    def add_result(
        self, result: SavedResult, images: dict[str, QImage] | None = None, row: int = -1
    ) -> None:
        """Add a result; *images* are the full image, "preview" and "thumb" made off-thread."""
        if images is None:
            from retouch.ui.worker import result_images

            images = result_images(QImage(str(result.path)))
        image = images["image"]
        item = QStandardItem(
            QIcon(QPixmap.fromImage(images["thumb"])),
            self.tr("Result %n", "", result.index + 1),
        )
        item.setData(result, ROLE_RESULT)
        item.setData(image, ROLE_IMAGE)
        item.setData(images["preview"], ROLE_PREVIEW)
        item.setData(saved_kind(result), ROLE_KIND)
        item.setToolTip(f"{result.path.name}\n{image.width()} × {image.height()} px")
        item.setEditable(False)
        model = self.gallery.model_
        tile = next(
            (r for r in range(model.rowCount()) if model.item(r).data(ROLE_PLACEHOLDER)), -1
        )
        if tile >= 0 and row < 0:
            model.removeRow(tile)  # the first waiting tile becomes this result
            model.insertRow(tile, item)
        elif 0 <= row < model.rowCount():
            model.insertRow(row, item)
        else:
            model.appendRow(item)
        self._arrived += 1
        if self.count() == 1:
            self._stash = []  # this run brought a result: the last run's step aside for good
            self.gallery.setCurrentIndex(item.index())
        self._update_actions()

    def focus_first(self) -> None:
        """Select the first result and give it the keyboard focus."""
        self.select(0)
        self.gallery.setFocus(Qt.FocusReason.OtherFocusReason)

    def count(self) -> int:
        """How many results are shown (waiting tiles not counted)."""
        return self.gallery.model_.rowCount() - self.placeholders()

    #: The other picture of a result arrived (see ``ensure_pictures``).
    picturesChanged = Signal()

    def _picture(self, item: QStandardItem, which: str, role_image: bool = True) -> object:
        """*item*'s *which* picture (image, or preview with *role_image* False) when it is
        at hand; None when it is the other picture and not decoded yet. A result with one
        picture gives it for both."""
        primary = item.data(ROLE_IMAGE if role_image else ROLE_PREVIEW)
        if item.data(ROLE_KIND) == which or other_picture(item.data(ROLE_RESULT)) is None:
            return primary
        other = item.data(ROLE_ALT_IMAGE if role_image else ROLE_ALT_PREVIEW)
        return other if isinstance(other, QImage) else None

    def images(self, which: str = "composite") -> list[QImage]:
        """Each result's *which* picture ("composite" or "model"; a result with one picture
        gives it for both). Pictures not decoded yet are left out: ``ensure_pictures`` asks
        for them and ``picturesChanged`` says when they came."""
        model = self.gallery.model_
        out = []
        for r in range(model.rowCount()):
            if model.item(r).data(ROLE_PLACEHOLDER):
                continue
            picture = self._picture(model.item(r), which)
            if isinstance(picture, QImage):
                out.append(picture)
        return out

    def ensure_pictures(self, which: str) -> None:
        """Decode every result's *which* picture that is not at hand yet (off the UI thread)."""
        model = self.gallery.model_
        for r in range(model.rowCount()):
            item = model.item(r)
            result = item.data(ROLE_RESULT)
            if (
                not isinstance(result, SavedResult)
                or item.data(ROLE_KIND) == which
                or other_picture(result) is None
                or isinstance(item.data(ROLE_ALT_IMAGE), QImage)
                or id(result) in self._decoding
            ):
                continue
            self._decoding.add(id(result))
            run_task(
                functools.partial(decode_other, result),
                receiver=self,
                name=f"decode the other picture of {result.path.name}",
                on_result=functools.partial(self._other_decoded, self._generation, result),
                on_error=functools.partial(self._other_failed, result),
            )

    def _other_failed(self, result: SavedResult, _exc: BaseException) -> None:
        self._decoding.discard(id(result))

    def _other_decoded(
        self, generation: int, result: SavedResult, images: dict[str, QImage] | None
    ) -> None:
        self._decoding.discard(id(result))
        if generation != self._generation or images is None:
            return
        model = self.gallery.model_
        for r in range(model.rowCount()):
            item = model.item(r)
            if item.data(ROLE_RESULT) is result:
                item.setData(images["image"], ROLE_ALT_IMAGE)
                item.setData(images["preview"], ROLE_ALT_PREVIEW)
                if r == self.current_row():
                    self._on_current(self.gallery.currentIndex(), QModelIndex())
        self.picturesChanged.emit()

    def model_region(self) -> tuple[int, int, int, int] | None:
        """Where the model's pictures lie in the photo (x0, y0, x1, y1; the region of the
        run's plan), or None when no result was placed back."""
        for result in self.gallery.results():
            region = result.info.get("region") if isinstance(result, SavedResult) else None
            if (
                isinstance(region, list)
                and len(region) == 4
                and all(isinstance(v, int) for v in region)
            ):
                return (region[0], region[1], region[2], region[3])
        return None

    def shown(self) -> str:
        return self._shown

    def set_shown(self, which: str) -> None:
        """Show each result's composite ("composite") or the model's picture ("model")."""
        which = "model" if which == "model" else "composite"
        if which == self._shown:
            return
        self._shown = which
        button = self.show_model if which == "model" else self.show_composite
        if not button.isChecked():
            button.setChecked(True)
        self.ensure_pictures(which)
        self._on_current(self.gallery.currentIndex(), QModelIndex())
        self.shownChanged.emit(which)

    def shown_image(self) -> QImage | None:
        """The picture of the current result the preview shows."""
        index = self.gallery.currentIndex()
        if not index.isValid():
            return None
        picture = self._picture(self.gallery.model_.itemFromIndex(index), self._shown)
        return picture if isinstance(picture, QImage) else None

    def current_row(self) -> int:
        return self.gallery.currentIndex().row()

    def current(self) -> tuple[SavedResult, QImage] | None:
        index = self.gallery.currentIndex()
        if not index.isValid() or index.data(ROLE_PLACEHOLDER):
            return None
        return index.data(ROLE_RESULT), index.data(ROLE_IMAGE)

    def select(self, row: int) -> None:
        if 0 <= row < self.count():
            self.gallery.setCurrentIndex(self.gallery.model_.index(row, 0))

    # -- before / after -------------------------------------------------------------------

    def _set_before(self, on: bool) -> None:
        if on and self.preview._before is None:
            self.preview.set_before(self.before_source())
        self.preview.show_before(on)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Backslash:
            if not event.isAutoRepeat():
                self.before_button.setChecked(True)
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Backslash:
            if not event.isAutoRepeat():
                self.before_button.setChecked(False)
            event.accept()
            return
        super().keyReleaseEvent(event)

    def banner_inset(self) -> int:
        """Messages float above the action bar and the strip."""
        return self.bar.height() + self.gallery.height()

    def focus_order(self) -> list[QWidget]:
        return [
            self.before_button,
            *self.shown_switch.buttons,
            *self.action_buttons,
            self.gallery,
        ]

    def _on_current(self, current: QModelIndex, _prev: QModelIndex) -> None:
        valid = current.isValid() and not current.data(ROLE_PLACEHOLDER)
        result = current.data(ROLE_RESULT) if valid else None
        two = isinstance(result, SavedResult) and other_picture(result) is not None
        item = self.gallery.model_.itemFromIndex(current) if valid else None
        image = self._picture(item, self._shown) if item is not None else None
        preview = self._picture(item, self._shown, False) if item is not None else None
        waiting = item is not None and image is None
        if waiting:  # the other picture is on its way: the saved one meanwhile
            self.ensure_pictures(self._shown)
            image, preview = current.data(ROLE_IMAGE), current.data(ROLE_PREVIEW)
        self.preview.set_image(preview if isinstance(preview, QImage) else None)
        self.show_model.setEnabled(two or not valid)
        if isinstance(result, SavedResult) and isinstance(image, QImage):
            kind = ""
            if two:
                shown = item.data(ROLE_KIND) if waiting and item is not None else self._shown
                kind = self.tr("model output") if shown == "model" else self.tr("composited")
                kind = f" · {kind}" + (self.tr(" (loading the other…)") if waiting else "")
            text = f"{result.path.name} · {image.width()} × {image.height()}{kind}"
            if result.unsaved:
                where = (
                    self.tr("only here, in memory")
                    if result.data is not None
                    else self.tr("in history")
                )
                text = self.tr("{0} · not in the output folder ({1}): kept {2}").format(
                    result.file_name or result.path.name, result.unsaved, where
                )
            tip = text
            if result.revised_prompt:
                tip += "\n" + self.tr("Revised prompt: %1").replace("%1", result.revised_prompt)
            self.info.setText(text)
            self.info.setToolTip(tip)
        self._update_actions()

    def _update_actions(self) -> None:
        has_result = self.current() is not None
        self.before_button.setEnabled(has_result)
        if not has_result:
            self.before_button.setChecked(False)
        if self._own_actions:
            has = self.current() is not None
            for act in (self.act_save, self.act_copy, self.act_folder, self.act_use):
                act.setEnabled(has)
        unsaved = bool(self.unsaved())
        self.act_save_elsewhere.setEnabled(unsaved)
        self.bar.set_wanted(self.save_elsewhere_button, unsaved)
        self.currentChanged.emit()

    def unsaved(self) -> list[SavedResult]:
        """Results the output folder could not take: kept in history, or only in memory."""
        return [r for r in self.gallery.results() if r.unsaved]

    def save_unsaved(self, folder: str | Path | None = None) -> list[Path]:
        """Save every result the output folder could not take into *folder* (asked for when
        None). Each becomes a normal saved result there; returns the files written."""
        from retouch.core.results import copy_result_to

        pending = self.unsaved()
        if not pending:
            return []
        if folder is None:
            folder = QFileDialog.getExistingDirectory(
                self, self.tr("Save Results To"), str(Path.home())
            )
            if not folder:
                return []
        target = Path(folder)
        written: list[Path] = []
        model = self.gallery.model_
        for row in range(model.rowCount()):
            item = model.item(row)
            result = item.data(ROLE_RESULT)
            if not isinstance(result, SavedResult) or not result.unsaved:
                continue
            try:
                path = copy_result_to(
                    target, result.file_name or result.path.name, result.read_bytes()
                )
            except OSError as exc:
                self.message.emit(
                    "error",
                    self.tr("Not saved in '{0}': {1}. The results are still kept here.").format(
                        target, exc.strerror or exc
                    ),
                )
                break
            written.append(path)
            item.setData(
                dataclasses.replace(
                    result,
                    path=path,
                    sidecar=path.with_name(path.name + ".json"),
                    unsaved="",
                    data=None,
                ),
                ROLE_RESULT,
            )
            item.setToolTip(path.name)
        if written:
            count = len(written)
            self.message.emit(
                "info",
                plural(self.tr("Saved %n result(s) to {0}.", "", count), count).format(
                    display_path(target)
                ),
            )
        self._on_current(self.gallery.currentIndex(), QModelIndex())
        return written

    def confirm_close(self) -> bool:
        """Closing the window with results no disk could take: ask, offer to save them
        first. False keeps the window open."""
        n = sum(1 for r in self.unsaved() if r.data is not None)
        answer = ask_before_quit(self, n) if n else "quit"
        if answer == "save":
            self.save_unsaved()
            return not any(r.data is not None for r in self.unsaved())
        return answer == "quit"

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
            self.tr("Save Result As"),
            str(Path.home() / result.path.name),
            self.tr("Image (*%1)").replace("%1", result.path.suffix),
        )
        if not target:
            return
        try:
            from retouch.core.atomic import atomic_write_bytes

            atomic_write_bytes(target, result.read_bytes())
        except OSError as exc:
            QMessageBox.warning(
                self,
                self.tr("Not saved"),
                self.tr("The result could not be saved: %1").replace("%1", str(exc.strerror)),
            )
            return
        self.message.emit("info", self.tr("Saved %1.").replace("%1", Path(target).name))

    def copy_current(self) -> None:
        cur = self.current()
        if cur is None:
            return
        result, image = cur
        mime = QMimeData()
        mime.setImageData(image)
        if result.data is None:  # a result only in memory has no file to point at
            mime.setUrls([QUrl.fromLocalFile(str(result.path))])
        QApplication.clipboard().setMimeData(mime)
        self.message.emit("info", self.tr("Result copied to the clipboard."))

    def open_folder(self) -> None:
        cur = self.current()
        if cur is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(cur[0].path.parent)))

    def use_current(self) -> None:
        cur = self.current()
        if cur is not None:
            self.useAsInput.emit(cur[0])
