"""CanvasPanel: the mask toolbar above the MaskCanvas, plus the actions for the main menus.

Bound to the editor state (``bind``): brush size, hardness and the overlay are the state's
mask settings, and the state knows whether a mask is painted. The region sent to the model
(issue 12) is the state's too: the Region tool and Whole image set it, and the state's plan
is drawn over the image.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from pathlib import Path

import shiboken6
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
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from retouch.core.editor_state import MaskSettings
from retouch.ui.actions import Menu
from retouch.ui.editor import EditorModel, Prop, bind

from .icons import make_icon, swatch_icon
from .mask_canvas import MaskCanvas
from .mask_layer import MaskImportError, aspect_differs
from .tools import MAX_BRUSH, MIN_BRUSH, Tool

_SLIDER_STEPS = 1000
MASK_FILE_FILTER = "Images (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff *.gif);;All files (*)"


def size_to_slider(size: float) -> int:
    """Brush size ↔ slider position on a log scale: 1–10 px get as much travel as 100–1000."""
    span = math.log(MAX_BRUSH / MIN_BRUSH)
    return round(math.log(max(size, MIN_BRUSH) / MIN_BRUSH) / span * _SLIDER_STEPS)


def slider_to_size(pos: int) -> float:
    span = math.log(MAX_BRUSH / MIN_BRUSH)
    return float(round(MIN_BRUSH * math.exp(pos / _SLIDER_STEPS * span)))


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
        self._toolbar = self._build_toolbar()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._toolbar)
        layout.addWidget(self.canvas, 1)

        c = self.canvas
        c.toolChanged.connect(self._sync_tool)
        c.eraseModeChanged.connect(lambda _e: self._sync_tool(c.tool()))
        c.brushSizeChanged.connect(self._sync_size)
        c.hardnessChanged.connect(self._sync_hardness)
        c.zoomChanged.connect(self._sync_zoom)
        c.maskOnlyChanged.connect(self.actionMaskOnly.setChecked)
        c.overlayChanged.connect(self._sync_overlay)
        c.imageChanged.connect(self._sync_enabled)
        c.maskChanged.connect(self._sync_enabled)
        for changed in (c.brushSizeChanged, c.hardnessChanged, c.overlayChanged):
            changed.connect(self.maskSettingsChanged)
        self._sync_tool(c.tool())
        self._sync_size(c.brush_size())
        self._sync_hardness(c.hardness())
        self._sync_zoom(c.zoom())
        self._sync_overlay()
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

    def toolbar(self) -> QToolBar:
        return self._toolbar

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
            msg = "Mask cleared: the new image has a different aspect ratio."
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
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Keep the mask?")
        box.setText("The new image has the same shape. Keep the painted mask?")
        box.setInformativeText("The mask is scaled to the new image's size.")
        keep = box.addButton("Keep mask", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Clear mask", QMessageBox.ButtonRole.DestructiveRole)
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
        QMessageBox.warning(self, title, text)

    def _open_path(self) -> str:
        path, _ = QFileDialog.getOpenFileName(self, "Import mask", "", MASK_FILE_FILTER)
        return path

    def _save_path(self) -> str:
        path, _ = QFileDialog.getSaveFileName(self, "Export mask", "mask.png", "PNG (*.png)")
        return path

    def _pick_color(self, current: QColor) -> QColor | None:
        color = QColorDialog.getColor(current, self, "Mask overlay colour")
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
            ("actionBrush", "Brush", "brush", "B", Tool.BRUSH),
            ("actionEraser", "Eraser", "eraser", "E", Tool.ERASER),
            ("actionRectTool", "Rectangle", "rect", "R", Tool.RECT),
            ("actionLassoTool", "Lasso", "lasso", "L", Tool.LASSO),
            ("actionRegionTool", self.tr("Region"), "region", "G", Tool.REGION),
        ):
            a = self._action(
                name, text, icon, [ks(key)], lambda _=False, t=tool: c.set_tool(t), True
            )
            self._tool_group.addAction(a)
        self.actionRectTool.setStatusTip(
            "Rectangle (R): drag to fill; hold Alt, or pick the Eraser first, to erase"
        )
        self.actionLassoTool.setStatusTip(
            "Lasso (L): draw a freehand outline to fill; hold Alt, or pick the Eraser first, "
            "to erase"
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
            "actionBrushSmaller", "Smaller brush", None, [ks("[")],
            lambda: c.step_brush_size(False),
        )  # fmt: skip
        self._action(
            "actionBrushLarger", "Larger brush", None, [ks("]")],
            lambda: c.step_brush_size(True),
        )  # fmt: skip
        self._action("actionFillMask", "Fill all", "fill", [ks("Ctrl+A")], c.fill_mask)
        self._action("actionClearMask", "Clear mask", "clear", [ks("Ctrl+Shift+A")], c.clear_mask)
        self._action("actionInvertMask", "Invert mask", "invert", [ks("Ctrl+I")], c.invert_mask)

        stack = c.undo_stack
        undo = stack.createUndoAction(self, "Undo")
        undo.setObjectName("actionUndo")
        undo.setIcon(make_icon("undo"))
        self._icon_names[undo] = "undo"
        undo.setShortcuts([ks(ks.StandardKey.Undo)])
        redo = stack.createRedoAction(self, "Redo")
        redo.setObjectName("actionRedo")
        redo.setIcon(make_icon("redo"))
        self._icon_names[redo] = "redo"
        redo.setShortcuts([ks("Ctrl+Shift+Z"), ks("Ctrl+Y")])
        for a, tip in ((undo, "Undo"), (redo, "Redo")):
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self._set_tip(a, tip)
            # The stack renames these ("Undo Brush stroke"); keep the tooltip in step.
            a.changed.connect(lambda a=a, tip=tip: self._retip_undo(a, tip))
            setattr(self, a.objectName(), a)
            self._actions.append(a)
            self.menu_actions[Menu.EDIT].append(a)
            self.addAction(a)

        view = Menu.VIEW
        self._action("actionZoomIn", "Zoom in", "zoom-in", [ks("Ctrl+="), ks("Ctrl++")], c.zoom_in,
                     menu=view)  # fmt: skip
        self._action("actionZoomOut", "Zoom out", "zoom-out", [ks("Ctrl+-")], c.zoom_out, menu=view)
        self._action("actionFit", "Fit to window", "fit", [ks("Ctrl+0")], c.fit, menu=view)
        self._action("actionActualSize", "Actual size (100 %)", "actual", [ks("Ctrl+1")],
                     c.actual_size, tip="Actual size", menu=view)  # fmt: skip
        self._action(
            "actionMaskOnly", "Show mask only", "mask-only", [ks("M")], c.set_mask_only, True,
            tip="Show mask only", menu=view,
        )  # fmt: skip
        self._action(
            "actionImportMask", "Import mask…", "import", [ks("Ctrl+Shift+I")], self.import_mask
        )
        self._action(
            "actionExportMask", "Export mask…", "export", [ks("Ctrl+Shift+E")], self.export_mask
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

    # ------------------------------------------------------------------ toolbar
    def _build_toolbar(self) -> QToolBar:
        tb = QToolBar("Mask tools", self)
        tb.setObjectName("canvasToolbar")
        tb.setIconSize(QSize(20, 20))
        tb.setMovable(False)
        tb.setFloatable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        for a in (self.actionBrush, self.actionEraser, self.actionRectTool, self.actionLassoTool):
            tb.addAction(a)
        tb.addSeparator()
        tb.addAction(self.actionRegionTool)
        tb.addAction(self.actionWholeImage)
        tb.addSeparator()

        self._size_slider = QSlider(Qt.Orientation.Horizontal)
        self._size_slider.setObjectName("brushSizeSlider")
        self._size_slider.setRange(0, _SLIDER_STEPS)
        self._size_slider.setFixedWidth(96)
        self._size_slider.setToolTip("Brush size in image pixels ([ and ])")
        self._size_slider.valueChanged.connect(
            lambda v: self.canvas.set_brush_size(slider_to_size(v))
        )
        self._size_spin = QSpinBox()
        self._size_spin.setObjectName("brushSizeSpin")
        self._size_spin.setRange(int(MIN_BRUSH), int(MAX_BRUSH))
        self._size_spin.setSuffix(" px")
        self._size_spin.setToolTip(self._size_slider.toolTip())
        self._size_spin.setKeyboardTracking(False)
        self._size_spin.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
        self._size_spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self._size_spin.setFixedWidth(self.fontMetrics().horizontalAdvance("1000 px") + 14)
        self._size_spin.valueChanged.connect(lambda v: self.canvas.set_brush_size(float(v)))
        tb.addWidget(self._labelled("Size", self._size_slider, self._size_spin))

        self._hard_slider = QSlider(Qt.Orientation.Horizontal)
        self._hard_slider.setObjectName("hardnessSlider")
        self._hard_slider.setRange(0, 100)
        self._hard_slider.setFixedWidth(72)
        self._hard_slider.setToolTip("Hardness: 100 % = crisp edge, 0 % = fully feathered")
        self._hard_slider.valueChanged.connect(lambda v: self.canvas.set_hardness(v / 100))
        self._hard_label = QLabel()
        self._hard_label.setMinimumWidth(self._hard_label.fontMetrics().horizontalAdvance("100%"))
        tb.addWidget(self._labelled("Hardness", self._hard_slider, self._hard_label))
        tb.addSeparator()

        self._color_button = QToolButton()
        self._color_button.setObjectName("overlayColorButton")
        self._color_button.setToolTip("Mask overlay colour")
        self._color_button.setAutoRaise(True)
        self._color_button.setIconSize(QSize(18, 18))
        self._color_button.setFixedSize(26, 26)
        self._color_button.clicked.connect(self._choose_color)
        self._opacity_slider = QSlider(Qt.Orientation.Horizontal)
        self._opacity_slider.setObjectName("overlayOpacitySlider")
        self._opacity_slider.setRange(5, 100)
        self._opacity_slider.setFixedWidth(64)
        self._opacity_slider.setToolTip("Mask overlay opacity")
        self._opacity_slider.valueChanged.connect(
            lambda v: self.canvas.set_overlay_opacity(v / 100)
        )
        tb.addWidget(self._labelled("Overlay", self._color_button, self._opacity_slider))
        tb.addAction(self.actionMaskOnly)
        tb.addSeparator()
        for a in (self.actionFillMask, self.actionClearMask, self.actionInvertMask):
            tb.addAction(a)
        tb.addSeparator()
        tb.addAction(self.actionUndo)
        tb.addAction(self.actionRedo)

        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        tb.addWidget(spacer)

        tb.addAction(self.actionZoomOut)
        self._zoom_button = QToolButton()
        self._zoom_button.setObjectName("zoomButton")
        self._zoom_button.setToolTip("Zoom level")
        self._zoom_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._zoom_button.setMinimumWidth(self.fontMetrics().horizontalAdvance("6400 %") + 20)
        menu = QMenu(self._zoom_button)
        menu.addAction(self.actionFit)
        menu.addSeparator()
        for pct in (25, 50, 100, 200, 400, 800):
            menu.addAction(f"{pct} %", functools.partial(self.canvas.set_zoom, pct / 100))
        self._zoom_button.setMenu(menu)
        tb.addWidget(self._zoom_button)
        tb.addAction(self.actionZoomIn)
        tb.addAction(self.actionFit)
        tb.addAction(self.actionActualSize)
        tb.addSeparator()

        more = QToolButton()
        more.setObjectName("maskMoreButton")
        more.setIcon(make_icon("more"))
        self._more_button = more
        more.setToolTip("More mask actions")
        more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        more_menu = QMenu(more)
        more_menu.addAction(self.actionImportMask)
        more_menu.addAction(self.actionExportMask)
        more.setMenu(more_menu)
        tb.addWidget(more)
        return tb

    @staticmethod
    def _labelled(text: str, *widgets: QWidget) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(4, 0, 4, 0)
        row.setSpacing(5)
        label = QLabel(text)
        # A caption, so a muted colour (the palette's placeholder text) rather than full text.
        pal = label.palette()
        pal.setColor(QPalette.ColorRole.WindowText, pal.color(QPalette.ColorRole.PlaceholderText))
        label.setPalette(pal)
        label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        row.addWidget(label)
        for w in widgets:
            row.addWidget(w)
        row.addStretch(1)  # any slack goes after the controls, not inside the caption
        return box

    def changeEvent(self, event: QEvent) -> None:
        # Icons are drawn in the palette's text colour: redraw them when the theme changes.
        if event.type() == QEvent.Type.PaletteChange and self._icon_names:
            color = self.palette().color(QPalette.ColorRole.ButtonText)
            for action, name in self._icon_names.items():
                action.setIcon(make_icon(name, color))
            more = getattr(self, "_more_button", None)
            if more is not None:
                more.setIcon(make_icon("more", color))
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
            mode = "erases" if self.canvas.erase_mode() else "fills"
            self.statusMessage.emit(f"{action.text()} {mode}; hold Alt to invert")

    def _sync_size(self, size: float) -> None:
        with QSignalBlocker(self._size_slider), QSignalBlocker(self._size_spin):
            self._size_slider.setValue(size_to_slider(size))
            self._size_spin.setValue(round(size))

    def _sync_hardness(self, hardness: float) -> None:
        with QSignalBlocker(self._hard_slider):
            self._hard_slider.setValue(round(hardness * 100))
        self._hard_label.setText(f"{round(hardness * 100)}%")

    def _sync_zoom(self, zoom: float) -> None:
        pct = zoom * 100
        self._zoom_button.setText(f"{pct:.0f} %" if pct >= 10 else f"{pct:.1f} %")

    def _sync_overlay(self) -> None:
        c = self.canvas
        self._color_button.setIcon(swatch_icon(c.overlay_color()))
        with QSignalBlocker(self._opacity_slider):
            self._opacity_slider.setValue(round(c.overlay_opacity() * 100))

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
            self._show_error("Can't import mask", str(exc))
            self.statusMessage.emit(str(exc))
            return
        self.statusMessage.emit(f"Mask imported from {Path(path).name}")

    def export_mask(self) -> None:
        path = self._save_path()
        if not path:
            return
        try:
            self.canvas.save_mask_png(path)
        except OSError as exc:
            self._show_error("Can't export mask", str(exc))
            return
        self.statusMessage.emit(f"Mask saved to {Path(path).name}")
