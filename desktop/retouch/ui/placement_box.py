"""The sidebar's "Into the photo" controls (issue 12): how a result goes back into the photo.

Bound to the editor state (``bind``): the region in use (set on the canvas: the Region tool,
Whole image), the feather (Auto: the plan's default for the region), colour match, scale to
the original size (whole-image edits; plain resampling), the high-resolution allowance (every
edit is paid, so it is a visible choice) and which picture is saved. The plan line says what
Run will send, at what size, before it is pressed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from retouch.ui.editor import EditorModel, Placement

FEATHER_MAX = 500  # px; the spin box's range (the core takes up to 2000)


class PlacementBox(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("placementBox")
        self._state: EditorModel | None = None

        self.region_label = QLabel()
        self.region_label.setObjectName("regionLabel")
        self.region_label.setWordWrap(True)
        self.plan_label = QLabel()
        self.plan_label.setObjectName("planLabel")
        self.plan_label.setWordWrap(True)

        self.feather_spin = QSpinBox()
        self.feather_spin.setObjectName("featherSpin")
        self.feather_spin.setRange(-1, FEATHER_MAX)
        self.feather_spin.setSuffix(" px")
        self.feather_spin.setSpecialValueText(self.tr("Auto"))
        self.feather_spin.setToolTip(
            self.tr(
                "Softness of the edge where the edit meets the photo, in photo pixels. "
                "Auto: about 1 % of the region's size."
            )
        )
        self.color_match = QCheckBox(self.tr("Match colours"))
        self.color_match.setObjectName("colorMatchCheck")
        self.color_match.setToolTip(
            self.tr(
                "Match the edit's colour and brightness to the photo just around it, so the "
                "model's slight colour drift leaves no visible edge"
            )
        )
        self.scale_to_original = QCheckBox(self.tr("Resample to original size"))
        self.scale_to_original.setObjectName("scaleToOriginalCheck")
        self.scale_to_original.setToolTip(
            self.tr(
                "Whole-image edits without a mask come back at the model's resolution. This "
                "resamples them to the photo's size: plain resampling, not AI upscaling."
            )
        )
        self.allow_high_res = QCheckBox(self.tr("Allow high-res price"))
        self.allow_high_res.setObjectName("allowHighResCheck")
        self.allow_high_res.setToolTip(
            self.tr(
                "Let Auto resolution choose sizes billed at the high-resolution tier "
                "(2560×1440 and up). Remembered."
            )
        )
        self.save_output = QComboBox()
        self.save_output.setObjectName("saveOutputCombo")
        self.save_output.addItem(self.tr("Composited photo"), "composite")
        self.save_output.addItem(self.tr("Model's picture"), "model")
        self.save_output.setToolTip(
            self.tr(
                "The file saved: your photo at full size with the edit placed in, or the "
                "model's own picture as it came. History keeps both."
            )
        )

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Feather"), self.feather_spin)
        form.addRow(self.tr("Save"), self.save_output)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.region_label)
        layout.addLayout(form)
        for check in (self.color_match, self.scale_to_original, self.allow_high_res):
            layout.addWidget(check)
        layout.addWidget(self.plan_label)

        self.feather_spin.valueChanged.connect(self._push)
        for check in (self.color_match, self.scale_to_original, self.allow_high_res):
            check.toggled.connect(self._push)
        self.save_output.currentIndexChanged.connect(self._push)

    # -- the editor state -----------------------------------------------------------------

    def bind(self, state: EditorModel) -> None:
        self._state = state
        state.placementChanged.connect(self._show)
        state.planChanged.connect(self._show_plan)
        state.hasMaskChanged.connect(lambda _m: self._show(state.placement))
        self._show(state.placement)
        self._show_plan()

    def _show(self, placement: Placement) -> None:
        widgets = (
            self.feather_spin,
            self.color_match,
            self.scale_to_original,
            self.allow_high_res,
            self.save_output,
        )
        blockers = [QSignalBlocker(w) for w in widgets]
        self.feather_spin.setValue(-1 if placement.feather is None else placement.feather)
        self.color_match.setChecked(placement.color_match)
        self.scale_to_original.setChecked(placement.scale_to_original)
        self.allow_high_res.setChecked(placement.allow_high_res)
        self.save_output.setCurrentIndex(max(0, self.save_output.findData(placement.output)))
        del blockers
        self.region_label.setText(self._region_text(placement))
        self._show_plan()

    def _region_text(self, placement: Placement) -> str:
        region = placement.region
        if isinstance(region, tuple):
            x, y, w, h = region
            return self.tr("Region: custom, {w}×{h} at {x},{y} (Shift+G: auto)").format(
                w=w, h=h, x=x, y=y
            )
        if region == "whole":
            return self.tr("Region: the whole image (W)")
        has_mask = self._state is not None and self._state.has_mask
        if has_mask:
            return self.tr("Region: auto, around the mask")
        return self.tr("Region: auto (no mask: the whole image)")

    def _show_plan(self) -> None:
        state = self._state
        if state is None:
            return
        plan = state.plan
        if plan is None:
            error = state.plan_error
            self.plan_label.setText(self.tr("Cannot run: {e}").format(e=error) if error else "")
            self.plan_label.setProperty("problem", bool(error))
            self.feather_spin.setSpecialValueText(self.tr("Auto"))
            return
        pw, ph = plan.photo_size
        c, out = plan.content, plan.output
        what = (
            self.tr("the whole {w}×{h} image").format(w=pw, h=ph)
            if plan.whole_photo
            else self.tr("{w}×{h} of the {pw}×{ph} image").format(w=c.w, h=c.h, pw=pw, ph=ph)
        )
        text = self.tr("Sends {what} as {size}").format(what=what, size=out.label())
        if any(plan.padding):
            text += self.tr(" (padded; the padding is removed)")
        if plan.auto_resolution and not state.placement.allow_high_res and plan.output.high_res:
            text += self.tr(" · only high-resolution sizes fit")
        self.plan_label.setText(text)
        self.plan_label.setProperty("problem", False)
        self.feather_spin.setSpecialValueText(self.tr("Auto ({n} px)").format(n=plan.feather))

    def _push(self) -> None:
        if self._state is None:
            return
        feather = self.feather_spin.value()
        self._state.update_placement(
            feather=None if feather < 0 else feather,
            color_match=self.color_match.isChecked(),
            scale_to_original=self.scale_to_original.isChecked(),
            allow_high_res=self.allow_high_res.isChecked(),
            output=self.save_output.currentData() or "composite",
        )
