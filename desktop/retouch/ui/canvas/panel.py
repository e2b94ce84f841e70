"""CanvasPanel: the mask toolbar above the MaskCanvas, plus the actions for the main menus.

Bound to the editor state (``bind``): brush size, hardness and the overlay are the state's
mask settings, and the state knows whether a mask is painted. The region sent to the model
(issue 12) is the state's too: the Region tool and Whole image set it, and the state's plan
is drawn over the image.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import shiboken6

# Qt classes first needed after the window's first paint are reached through their module
# (QtWidgets.QMessageBox): PySide6 builds a class, enums and all, when it is first touched.
from PySide6 import QtWidgets
from PySide6.QtCore import QEvent, QRect, QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QColor,
    QImage,
    QKeySequence,
    QPalette,
    QUndoStack,
)
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

from retouch.core.editor_state import MaskSettings
from retouch.ui.actions import Menu
from retouch.ui.editor import EditorModel, Prop, bind
from retouch.ui.i18n import QT_TRANSLATE_NOOP
from retouch.ui.run_card import RunCard

from .brush_options import BrushOptionsBar
from .fitbar import FitBar
from .icons import make_icon
from .mask_canvas import MaskCanvas
from .mask_io import MaskImportError
from .mask_layer import aspect_differs
from .tools import Tool
from .zoom_bar import ZoomBar

MASK_FILE_FILTER = QT_TRANSLATE_NOOP(
    "CanvasPanel", "Images (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff *.gif);;All files (*)"
)


class CanvasPanel(QWidget):
    """Toolbar + MaskCanvas. ``actions()`` returns the panel's QActions for the menus."""

    # Made by _build_actions (one attribute per action, named as the QAction's object name).
    actionBrush: QAction
    actionEraser: QAction
    actionRectTool: QAction
    actionLassoTool: QAction
    actionRegionTool: QAction
    actionWholeImage: QAction
    actionAutoRegion: QAction
    actionBrushSmaller: QAction
    actionBrushLarger: QAction
    actionFillMask: QAction
    actionClearMask: QAction
    actionInvertMask: QAction
    actionUndo: QAction
    actionRedo: QAction
    actionZoomIn: QAction
    actionZoomOut: QAction
    actionFit: QAction
    actionActualSize: QAction
    actionMaskOnly: QAction
    actionOriginal: QAction
    actionImportMask: QAction
    actionExportMask: QAction

    statusMessage = Signal(str)
    maskSettingsChanged = Signal()  # brush size, hardness or overlay changed on the canvas
    #: The user answered "Keep the mask?" and asked not to be asked again: True = keep.
    keepMaskRemembered = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("canvas")
        self.canvas = MaskCanvas(self)
        #: The remembered answer to "Keep the mask?" (None: ask).
        self.keep_mask_answer: bool | None = None
        self._actions: list[QAction] = []
        #: The panel's actions by the main-window menu they belong in.
        self.menu_actions: dict[Menu, list[QAction]] = {Menu.EDIT: [], Menu.MASK: [], Menu.VIEW: []}
        self._icon_names: dict[QAction, str] = {}
        self._build_actions()
        self._options = BrushOptionsBar(self.canvas, self)
        self._options.colorRequested.connect(self._choose_color)
        self._strip = self._build_strip()
        self._zoom_bar = ZoomBar(
            self.canvas,
            original=self.actionOriginal,
            mask_only=self.actionMaskOnly,
            zoom_in=self.actionZoomIn,
            zoom_out=self.actionZoomOut,
            fit=self.actionFit,
            actual_size=self.actionActualSize,
            parent=self,
        )

        middle = QHBoxLayout()
        middle.setContentsMargins(0, 0, 0, 0)
        middle.setSpacing(0)
        middle.addWidget(self._strip)
        middle.addWidget(self.canvas, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._options)
        layout.addLayout(middle, 1)
        layout.addWidget(self._zoom_bar)
        #: While a run is on: what is coming, how long it has taken, Cancel.
        self.run_card = RunCard(self.canvas, "canvasRunCard")

        c = self.canvas
        c.toolChanged.connect(self._sync_tool)
        c.eraseModeChanged.connect(lambda _e: self._sync_tool(c.tool()))
        c.maskOnlyChanged.connect(self.actionMaskOnly.setChecked)
        c.originalChanged.connect(self.actionOriginal.setChecked)
        c.imageChanged.connect(self._sync_enabled)
        c.maskChanged.connect(self._sync_enabled)
        for changed in (c.brushSizeChanged, c.hardnessChanged, c.overlayChanged):
            changed.connect(self.maskSettingsChanged)
        self._sync_tool(c.tool())
        self._sync_enabled()

    # ------------------------------------------------------------------ public API
    @property
    def undo_stack(self) -> QUndoStack:
        return self.canvas.undo_stack

    def undo_memory_bytes(self) -> int:
        return self.canvas.undo_memory_bytes()

    def actions(self) -> list[QAction]:
        """Every panel action, for the main window's menus (also active as window shortcuts)."""
        return list(self._actions)

    def banner_inset(self) -> int:
        """Messages float above the zoom bar, not over it."""
        return self._zoom_bar.height()

    def focus_order(self) -> list[QWidget]:
        """Options above, tools down the side, the canvas, zoom below (as the page reads)."""
        return [
            *self._options.focus_order(),
            *self._strip.focus_order(),
            self.canvas,
            *self._zoom_bar.focus_order(),
        ]

    def bars(self) -> list[FitBar]:
        """The tool strip, the options bar and the zoom bar (each fits its space)."""
        return [self._strip, self._options, self._zoom_bar]

    def bind(self, state: EditorModel) -> None:
        """Paint with *state*'s mask settings; keep it told whether a mask is painted."""
        self._binding = bind(
            Prop(state.maskSettingsChanged, lambda: state.mask_settings, state.set_mask_settings),
            Prop(self.maskSettingsChanged, self.mask_settings, self.set_mask_settings),
        )
        c = self.canvas
        for changed in (c.maskChanged, c.imageChanged):
            changed.connect(lambda: state.set_has_mask(not c.is_mask_empty()))
        state.set_has_mask(not c.is_mask_empty())
        # The region sent to the model.
        c.regionDrawn.connect(
            lambda r: state.update_placement(region=(r.x(), r.y(), r.width(), r.height()))
        )
        self.actionWholeImage.toggled.connect(
            lambda whole: state.update_placement(region="whole" if whole else "auto")
        )
        self.actionAutoRegion.triggered.connect(lambda: state.update_placement(region="auto"))
        state.placementChanged.connect(lambda p: self._sync_region(p.region))
        state.planChanged.connect(lambda: self.show_plan(state.plan))
        self._sync_region(state.placement.region)
        self.show_plan(state.plan)

    def _sync_region(self, region: object) -> None:
        with QSignalBlocker(self.actionWholeImage):
            self.actionWholeImage.setChecked(region == "whole")

    def show_plan(self, plan: object) -> None:
        """Draw what *plan* (a ``region.EditPlan``, or None) sends over the image."""
        content = getattr(plan, "content", None)
        output = getattr(plan, "output", None)
        if content is None or output is None:
            self.canvas.set_region_overlay(None)
            return
        mode = getattr(plan, "mode", "auto")
        kind = {"whole": self.tr("whole image"), "custom": self.tr("custom region")}.get(mode)
        label = self.tr("Sent: {w}×{h} → {size}").format(
            w=content.w, h=content.h, size=f"{output.width}×{output.height}"
        )
        if kind:
            label += f" · {kind}"
        self.canvas.set_region_overlay(QRect(content.x, content.y, content.w, content.h), label)

    def mask_settings(self) -> MaskSettings:
        c = self.canvas
        return MaskSettings(
            brush_size=c.brush_size(),
            hardness=c.hardness(),
            overlay_color=c.overlay_color().name(),
            overlay_opacity=c.overlay_opacity(),
        )

    def set_mask_settings(self, settings: MaskSettings) -> None:
        c = self.canvas
        c.set_brush_size(settings.brush_size)
        c.set_hardness(settings.hardness)
        c.set_overlay_color(QColor(settings.overlay_color))
        c.set_overlay_opacity(settings.overlay_opacity)

    def set_image(self, image: QImage | None, keep_mask: bool | None = None) -> None:
        """Show *image* (None: the empty-state hint). If a painted mask exists, *keep_mask*
        None asks the user whether to keep it (only possible when the aspect ratios match;
        otherwise it's cleared and a note says so)."""
        c = self.canvas
        if image is None or image.isNull():
            c.set_image(None)
            return
        old = c.image()
        if old is None or c.is_mask_empty():
            c.set_image(image)
            return
        if aspect_differs(old.size(), image.size()):
            c.set_image(image, keep_mask=False)
            msg = self.tr("Mask cleared: the new image has a different aspect ratio.")
            c.show_message(msg)
            self.statusMessage.emit(msg)
            return
        if keep_mask is None:
            keep_mask = self.keep_mask_answer
        if keep_mask is None:
            keep_mask = self._ask_keep_mask()
        c.set_image(image, keep_mask=keep_mask)

    # ------------------------------------------------------------------ dialogs (patchable)
    def _ask_keep_mask(self) -> bool:
        box = QtWidgets.QMessageBox(self)
        box.setIcon(QtWidgets.QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Keep the mask?"))
        box.setText(self.tr("The new image has the same shape. Keep the painted mask?"))
        box.setInformativeText(self.tr("The mask is scaled to the new image's size."))
        keep = box.addButton(self.tr("Keep mask"), QtWidgets.QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Clear mask"), QtWidgets.QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(keep)
        remember = QCheckBox(self.tr("Don't ask again (Settings can ask again)"))
        remember.setObjectName("rememberKeepMask")
        box.setCheckBox(remember)
        box.exec()
        answer = box.clickedButton() is keep
        if remember.isChecked():
            self.keep_mask_answer = answer
            self.keepMaskRemembered.emit(answer)
        return answer

    def _show_error(self, title: str, text: str) -> None:
        QtWidgets.QMessageBox.warning(self, title, text)

    def _open_path(self) -> str:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, self.tr("Import mask"), "", self.tr(MASK_FILE_FILTER)
        )
        return path

    def _save_path(self) -> str:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, self.tr("Export mask"), "mask.png", self.tr("PNG (*.png)")
        )
        return path

    def _pick_color(self, current: QColor) -> QColor | None:
        color = QtWidgets.QColorDialog.getColor(current, self, self.tr("Mask overlay colour"))
        return color if color.isValid() else None

    # ------------------------------------------------------------------ actions
    def _action(
        self,
        name: str,
        text: str,
        icon: str | None = None,
        shortcuts: list[QKeySequence] | None = None,
        slot: Callable[..., object] | None = None,
        checkable: bool = False,
        tip: str | None = None,
        menu: Menu = Menu.MASK,
    ) -> QAction:
        a = QAction(text, self)
        a.setObjectName(name)
        if icon:
            a.setIcon(make_icon(icon))
            self._icon_names[a] = icon
        a.setCheckable(checkable)
        if shortcuts:
            a.setShortcuts(shortcuts)
        # Window-wide, so tools switch whatever in the window has focus; a focused text field
        # still gets its keys first (it accepts the ShortcutOverride for plain letters).
        a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self._set_tip(a, tip or text.replace("…", ""))
        if slot is not None:
            a.triggered.connect(slot)
        setattr(self, name, a)
        self._actions.append(a)
        self.menu_actions[menu].append(a)
        self.addAction(a)
        return a

    @staticmethod
    def _set_tip(a: QAction, tip: str) -> None:
        seq = a.shortcut()
        if not seq.isEmpty():
            tip = f"{tip} ({seq.toString(QKeySequence.SequenceFormat.NativeText)})"
        a.setToolTip(tip)
        a.setStatusTip(tip)

    def _build_actions(self) -> None:
        c = self.canvas
        ks = QKeySequence
        self._tool_group = QActionGroup(self)
        self._tool_group.setExclusive(True)
        for name, text, icon, key, tool in (
            ("actionBrush", self.tr("Brush"), "brush", "B", Tool.BRUSH),
            ("actionEraser", self.tr("Eraser"), "eraser", "E", Tool.ERASER),
            ("actionRectTool", self.tr("Rectangle"), "rect", "R", Tool.RECT),
            ("actionLassoTool", self.tr("Lasso"), "lasso", "L", Tool.LASSO),
            ("actionRegionTool", self.tr("Region"), "region", "G", Tool.REGION),
        ):
            a = self._action(
                name, text, icon, [ks(key)], lambda _=False, t=tool: c.set_tool(t), True
            )
            self._tool_group.addAction(a)
        self.actionRectTool.setStatusTip(
            self.tr(
                "Rectangle (R): drag to fill, or place it with the arrow keys and press Enter; "
                "hold Alt, or pick the Eraser first, to erase"
            )
        )
        self.actionLassoTool.setStatusTip(
            self.tr(
                "Lasso (L): draw a freehand outline to fill; hold Alt, or pick the Eraser "
                "first, to erase"
            )
        )
        self.actionRegionTool.setStatusTip(
            self.tr(
                "Region (G): drag the part of the image to send to the model; only that part "
                "can change"
            )
        )
        self._action(
            "actionWholeImage", self.tr("Whole image"), "whole", [ks("W")], None, True,
            tip=self.tr("Whole image: send the whole image, not the area around the mask"),
        )  # fmt: skip
        self._action(
            "actionAutoRegion", self.tr("Auto region"), None, [ks("Shift+G")], None,
            tip=self.tr("Auto region: send the mask with context around it (the default)"),
        )  # fmt: skip
        self._action(
            "actionBrushSmaller", self.tr("Smaller brush"), None, [ks("[")],
            lambda: c.step_brush_size(False),
        )  # fmt: skip
        self._action(
            "actionBrushLarger", self.tr("Larger brush"), None, [ks("]")],
            lambda: c.step_brush_size(True),
        )  # fmt: skip
        self._action("actionFillMask", self.tr("Fill all"), "fill", [ks("Ctrl+A")], c.fill_mask)
        self._action(
            "actionClearMask", self.tr("Clear mask"), "clear", [ks("Ctrl+Shift+A")], c.clear_mask
        )
        self._action(
            "actionInvertMask", self.tr("Invert mask"), "invert", [ks("Ctrl+I")], c.invert_mask
        )

        stack = c.undo_stack
        undo = stack.createUndoAction(self, self.tr("Undo"))
        undo.setObjectName("actionUndo")
        undo.setIcon(make_icon("undo"))
        self._icon_names[undo] = "undo"
        undo.setShortcuts([ks(ks.StandardKey.Undo)])
        redo = stack.createRedoAction(self, self.tr("Redo"))
        redo.setObjectName("actionRedo")
        redo.setIcon(make_icon("redo"))
        self._icon_names[redo] = "redo"
        redo.setShortcuts([ks("Ctrl+Shift+Z"), ks("Ctrl+Y")])
        for a, tip in ((undo, self.tr("Undo")), (redo, self.tr("Redo"))):
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self._set_tip(a, tip)
            # The stack renames these ("Undo Brush stroke"); keep the tooltip in step.
            a.changed.connect(lambda a=a, tip=tip: self._retip_undo(a, tip))
            setattr(self, a.objectName(), a)
            self._actions.append(a)
            self.menu_actions[Menu.EDIT].append(a)
            self.addAction(a)

        view = Menu.VIEW
        self._action("actionZoomIn", self.tr("Zoom in"), "zoom-in", [ks("Ctrl+="), ks("Ctrl++")],
                     c.zoom_in, menu=view)  # fmt: skip
        self._action("actionZoomOut", self.tr("Zoom out"), "zoom-out", [ks("Ctrl+-")], c.zoom_out,
                     menu=view)  # fmt: skip
        self._action("actionFit", self.tr("Fit to window"), "fit", [ks("Ctrl+0")], c.fit,
                     menu=view)  # fmt: skip
        self._action("actionActualSize", self.tr("Actual size (100 %)"), "actual", [ks("Ctrl+1")],
                     c.actual_size, tip=self.tr("Actual size"), menu=view)  # fmt: skip
        self._action(
            "actionMaskOnly", self.tr("Show mask only"), "mask-only", [ks("M")], c.set_mask_only,
            True, tip=self.tr("Show mask only"), menu=view,
        )  # fmt: skip
        original = self._action(
            "actionOriginal", self.tr("Original"), "original", None, c.set_show_original, True,
            tip=self.tr("Show the image without the mask (hold \\)"), menu=view,
        )  # fmt: skip
        original.setIconText(self.tr("Original"))
        self.actionMaskOnly.setIconText(self.tr("Mask only"))
        self._action(
            "actionImportMask",
            self.tr("Import mask…"),
            "import",
            [ks("Ctrl+Shift+I")],
            self.import_mask,
        )
        self._action(
            "actionExportMask",
            self.tr("Export mask…"),
            "export",
            [ks("Ctrl+Shift+E")],
            self.export_mask,
        )

    def _retip_undo(self, a: QAction, base: str) -> None:
        if not shiboken6.isValid(a):  # emitted while the window is being torn down
            return
        text = a.text()
        tip = text if text and text != base else base
        seq = a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        full = f"{tip} ({seq})" if seq else tip
        if a.toolTip() != full:
            a.setToolTip(full)

    # ------------------------------------------------------------------ the bars
    # Tools down the left edge (as in every image editor), brush and overlay options above
    # the canvas (brush_options), zoom below it (zoom_bar). Each bar fits the space it gets
    # (fitbar.FitBar): at 1280×800 and up every control is shown; smaller, the least used go
    # first, into a labelled More menu (and they stay in the window's menus and shortcuts).

    def _build_strip(self) -> FitBar:
        strip = FitBar(Qt.Orientation.Vertical, "canvasTools", self)
        strip.setAccessibleName(self.tr("Mask tools"))
        strip.icon_size = QSize(20, 20)
        for a in (self.actionBrush, self.actionEraser, self.actionRectTool, self.actionLassoTool):
            strip.add_action(a, 100)
        strip.add_separator(90)
        # What is sent (issue 12): a region dragged on the image, or the whole image.
        strip.add_action(self.actionRegionTool, 90)
        strip.add_action(self.actionWholeImage, 90)
        strip.add_separator(60)
        for a in (self.actionFillMask, self.actionClearMask, self.actionInvertMask):
            strip.add_action(a, 60)
        strip.add_separator(50)
        strip.add_action(self.actionUndo, 50)
        strip.add_action(self.actionRedo, 50)
        strip.add_separator(20)
        strip.add_action(self.actionImportMask, 20)
        strip.add_action(self.actionExportMask, 20)
        strip.add_stretch()
        strip.finish()
        return strip

    def changeEvent(self, event: QEvent) -> None:
        # Icons are drawn in the palette's text colour: redraw them when the theme changes.
        if event.type() == QEvent.Type.PaletteChange and self._icon_names:
            color = self.palette().color(QPalette.ColorRole.ButtonText)
            for action, name in self._icon_names.items():
                action.setIcon(make_icon(name, color))
        super().changeEvent(event)

    # ------------------------------------------------------------------ sync from canvas
    def _sync_tool(self, tool: str) -> None:
        action = {
            "brush": self.actionBrush,
            "eraser": self.actionEraser,
            "rect": self.actionRectTool,
            "lasso": self.actionLassoTool,
            "region": self.actionRegionTool,
        }[tool]
        action.setChecked(True)
        if tool in ("rect", "lasso"):
            text = (
                self.tr("%1 erases; hold Alt to fill")
                if self.canvas.erase_mode()
                else self.tr("%1 fills; hold Alt to erase")
            )
            self.statusMessage.emit(text.replace("%1", action.text()))

    def _sync_enabled(self) -> None:
        has_image = self.canvas.has_image()
        has_mask = has_image and not self.canvas.is_mask_empty()
        for a in self._actions:
            if a in (self.actionUndo, self.actionRedo):
                continue  # the undo stack manages these
            a.setEnabled(has_image)
        self.actionClearMask.setEnabled(has_mask)
        self.actionExportMask.setEnabled(has_mask)

    # ------------------------------------------------------------------ slots
    def _choose_color(self) -> None:
        color = self._pick_color(self.canvas.overlay_color())
        if color is not None:
            self.canvas.set_overlay_color(color)

    def import_mask(self) -> None:
        path = self._open_path()
        if not path:
            return
        try:
            self.canvas.load_mask_file(path)
        except MaskImportError as exc:
            self._show_error(self.tr("Can't import mask"), str(exc))
            self.statusMessage.emit(str(exc))
            return
        self.statusMessage.emit(self.tr("Mask imported from %1").replace("%1", Path(path).name))

    def export_mask(self) -> None:
        path = self._save_path()
        if not path:
            return
        try:
            self.canvas.save_mask_png(path)
        except OSError as exc:
            self._show_error(self.tr("Can't export mask"), str(exc))
            return
        self.statusMessage.emit(self.tr("Mask saved to %1").replace("%1", Path(path).name))
