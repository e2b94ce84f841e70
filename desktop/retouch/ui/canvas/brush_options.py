"""The options bar above the mask canvas: brush size and hardness, the overlay's colour and
opacity, each kept in step with the canvas both ways.

Part of ``CanvasPanel``; the colour button asks the panel (``colorRequested``), which owns
the colour dialog.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QSignalBlocker, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QToolButton,
    QWidget,
)

from retouch.ui.theme import mute

from .fitbar import FitBar
from .icons import swatch_icon
from .mask_canvas import MaskCanvas
from .tools import MAX_BRUSH, MIN_BRUSH

_SLIDER_STEPS = 1000


def size_to_slider(size: float) -> int:
    """Brush size ↔ slider position on a log scale: 1–10 px get as much travel as 100–1000."""
    span = math.log(MAX_BRUSH / MIN_BRUSH)
    return round(math.log(max(size, MIN_BRUSH) / MIN_BRUSH) / span * _SLIDER_STEPS)


def slider_to_size(pos: int) -> float:
    span = math.log(MAX_BRUSH / MIN_BRUSH)
    return float(round(MIN_BRUSH * math.exp(pos / _SLIDER_STEPS * span)))


class BrushOptionsBar(FitBar):
    """Size, Hardness and Overlay, each a caption with a slider and (size, hardness) a number
    box; compact, the sliders go and the number boxes stay."""

    #: The overlay colour button was clicked.
    colorRequested = Signal()

    def __init__(self, canvas: MaskCanvas, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, "canvasOptions", parent)
        self._canvas = canvas
        self.setAccessibleName(self.tr("Brush and overlay options"))
        size_tip = self.tr("Brush size in image pixels ([ and ])")
        self._size_slider = QSlider(Qt.Orientation.Horizontal)
        self._size_slider.setObjectName("brushSizeSlider")
        self._size_slider.setRange(0, _SLIDER_STEPS)
        self._size_slider.setFixedWidth(80)
        self._size_slider.setToolTip(size_tip)
        self._size_slider.setAccessibleName(self.tr("Brush size"))
        self._size_slider.valueChanged.connect(lambda v: canvas.set_brush_size(slider_to_size(v)))
        self._size_spin = QSpinBox()
        self._size_spin.setObjectName("brushSizeSpin")
        self._size_spin.setRange(int(MIN_BRUSH), int(MAX_BRUSH))
        self._size_spin.setSuffix(" px")
        self._size_spin.setToolTip(size_tip)
        self._size_spin.setAccessibleName(self.tr("Brush size"))
        self._size_spin.setKeyboardTracking(False)
        self._size_spin.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
        self._size_spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self._size_spin.setFixedWidth(self.fontMetrics().horizontalAdvance("1000 px") + 16)
        self._size_spin.valueChanged.connect(lambda v: canvas.set_brush_size(float(v)))
        size_box = self._labelled(self.tr("Size"), self._size_slider, self._size_spin)
        self.add(size_box, 100, compact=self._compactor(self._size_slider))

        hard_tip = self.tr("Hardness: 100 % = crisp edge, 0 % = fully feathered")
        self._hard_slider = QSlider(Qt.Orientation.Horizontal)
        self._hard_slider.setObjectName("hardnessSlider")
        self._hard_slider.setRange(0, 100)
        self._hard_slider.setFixedWidth(64)
        self._hard_slider.setToolTip(hard_tip)
        self._hard_slider.setAccessibleName(self.tr("Hardness"))
        self._hard_slider.valueChanged.connect(lambda v: canvas.set_hardness(v / 100))
        self._hard_spin = QSpinBox()
        self._hard_spin.setObjectName("hardnessSpin")
        self._hard_spin.setRange(0, 100)
        self._hard_spin.setSuffix(" %")
        self._hard_spin.setToolTip(hard_tip)
        self._hard_spin.setAccessibleName(self.tr("Hardness"))
        self._hard_spin.setKeyboardTracking(False)
        self._hard_spin.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
        self._hard_spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self._hard_spin.setFixedWidth(self.fontMetrics().horizontalAdvance("100 %") + 16)
        self._hard_spin.valueChanged.connect(lambda v: canvas.set_hardness(v / 100))
        hard_box = self._labelled(self.tr("Hardness"), self._hard_slider, self._hard_spin)
        self.add(hard_box, 80, compact=self._compactor(self._hard_slider))
        self.add_separator(70)

        self._color_button = QToolButton()
        self._color_button.setObjectName("overlayColorButton")
        self._color_button.setToolTip(self.tr("Mask overlay colour…"))
        self._color_button.setAccessibleName(self.tr("Mask overlay colour"))
        self._color_button.setAutoRaise(True)
        self._color_button.setIconSize(QSize(18, 18))
        self._color_button.clicked.connect(self.colorRequested)
        self._opacity_slider = QSlider(Qt.Orientation.Horizontal)
        self._opacity_slider.setObjectName("overlayOpacitySlider")
        self._opacity_slider.setRange(5, 100)
        self._opacity_slider.setFixedWidth(64)
        self._opacity_slider.setToolTip(self.tr("Mask overlay opacity"))
        self._opacity_slider.setAccessibleName(self.tr("Mask overlay opacity"))
        self._opacity_slider.valueChanged.connect(lambda v: canvas.set_overlay_opacity(v / 100))
        overlay_box = self._labelled(self.tr("Overlay"), self._color_button, self._opacity_slider)
        self.add(overlay_box, 70, compact=self._compactor(self._opacity_slider))
        self.add_stretch()
        self.finish()

        canvas.brushSizeChanged.connect(self._sync_size)
        canvas.hardnessChanged.connect(self._sync_hardness)
        canvas.overlayChanged.connect(self._sync_overlay)
        self._sync_size(canvas.brush_size())
        self._sync_hardness(canvas.hardness())
        self._sync_overlay()

    @staticmethod
    def _compactor(widget: QWidget) -> Callable[[bool], None]:
        """Compact form of a labelled control: its slider hidden (the number box stays)."""
        return lambda on: widget.setVisible(not on)

    @staticmethod
    def _labelled(text: str, *widgets: QWidget) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(2, 0, 2, 0)
        row.setSpacing(6)
        label = QLabel(text)
        mute(label)  # a caption: the theme's secondary text colour
        label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        if widgets:
            label.setBuddy(widgets[-1])
        row.addWidget(label)
        for w in widgets:
            row.addWidget(w)
        return box

    # ------------------------------------------------------------------ sync from canvas
    def _sync_size(self, size: float) -> None:
        with QSignalBlocker(self._size_slider), QSignalBlocker(self._size_spin):
            self._size_slider.setValue(size_to_slider(size))
            self._size_spin.setValue(round(size))

    def _sync_hardness(self, hardness: float) -> None:
        with QSignalBlocker(self._hard_slider), QSignalBlocker(self._hard_spin):
            self._hard_slider.setValue(round(hardness * 100))
            self._hard_spin.setValue(round(hardness * 100))

    def _sync_overlay(self) -> None:
        c = self._canvas
        self._color_button.setIcon(swatch_icon(c.overlay_color()))
        with QSignalBlocker(self._opacity_slider):
            self._opacity_slider.setValue(round(c.overlay_opacity() * 100))
