"""The one editor state the window's widgets are bound to (after Krita AI Diffusion's model
and ``bind()``).

``EditorModel`` holds the model being edited with, its parameter values, the prompt, the
inputs, the mask settings and how a result goes back into the photo (issue 12: the region,
feather, colour match …, and the plan made from them: what is sent, at what size and price),
and says when any of them changes. The sidebar (model combo,
prompt, cost), the parameter form and the canvas panel are bound to it, so each value has
one home: the run, the presets and the saved session read it here. The plain values and
their JSON form are ``retouch.core.editor_state``.

``bind(a, b)`` keeps two ``Prop``s (a change signal, a getter, a setter) equal: ``b`` takes
``a``'s value at once, and then whichever side changes updates the other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QObject, Signal, SignalInstance

from retouch.core.editor_state import EditorData, MaskSettings
from retouch.core.pricing import CostEstimate, estimate_cost
from retouch.core.request import InputRef
from retouch.core.schema import ModelInfo, image_count

if TYPE_CHECKING:
    from retouch.core.placement_options import PlacementOptions
    from retouch.core.region import EditPlan
    from retouch.core.request import ResultRef

#: A custom region: (x, y, width, height) in photo pixels.
Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Placement:
    """How results go back into the photo: the window's side of ``PlacementOptions``."""

    region: str | Box = "auto"  # "auto", "whole" or a custom box
    feather: int | None = None  # None: the plan's default for the region
    color_match: bool = True
    scale_to_original: bool = False
    allow_high_res: bool = False
    output: str = "composite"  # which picture is saved: "composite" or "model"

    def options(self, keep_gps: bool = True) -> PlacementOptions:
        from retouch.core.placement_options import PlacementOptions
        from retouch.core.region import Rect

        region = self.region
        return PlacementOptions(
            region=Rect(*region) if isinstance(region, tuple) else region,
            allow_high_res=self.allow_high_res,
            feather=self.feather,
            color_match=self.color_match,
            scale_to_original=self.scale_to_original,
            output=self.output,
            keep_gps=keep_gps,
        )


class EditorModel(QObject):
    """Model, parameters, prompt, inputs and mask settings: the editor's single state."""

    #: A new model; its parameters were replaced with it (``paramsChanged`` follows).
    modelChanged = Signal(object)  # ModelInfo
    paramsChanged = Signal()  # read ``params``: listeners may normalise them in between
    promptChanged = Signal(str)
    inputsChanged = Signal(list)  # list[InputRef]
    maskSettingsChanged = Signal(object)  # MaskSettings
    hasMaskChanged = Signal(bool)  # whether any pixel is marked for editing
    placementChanged = Signal(object)  # Placement
    #: A new plan (``plan`` / ``plan_error``): what is sent, its size and price; or why not.
    planChanged = Signal()
    #: The result the edited image came from (Use as Input), or None: history's lineage.
    sourceResultChanged = Signal(object)  # ResultRef | None

    def __init__(self, model: ModelInfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._params: dict[str, Any] = {}
        self._prompt = ""
        self._inputs: list[InputRef] = []
        self._mask = MaskSettings()
        self._has_mask = False
        self._placement = Placement()
        self._plan: EditPlan | None = None
        self._plan_error = ""
        self._source: tuple[ResultRef, Path] | None = None

    # -- model and parameters ---------------------------------------------------------------

    @property
    def model(self) -> ModelInfo:
        return self._model

    def set_model(self, model: ModelInfo, params: Mapping[str, Any] | None = None) -> None:
        """Switch to *model* with *params* (those it knows; the form fills in defaults)."""
        known = {p.name for p in model.params}
        values = {k: v for k, v in (params or {}).items() if k in known}
        if model == self._model and values == self._params:
            return
        self._model, self._params = model, values
        self.modelChanged.emit(model)
        self.paramsChanged.emit()

    @property
    def params(self) -> dict[str, Any]:
        return dict(self._params)

    def set_params(self, params: Mapping[str, Any]) -> None:
        values = dict(params)
        if values != self._params:
            self._params = values
            self.paramsChanged.emit()

    def cost(self) -> CostEstimate:
        """The price of a run: the plan's (its size and tier) when there is one."""
        plan = self._plan
        if plan is not None:
            images = image_count(self._params)
            dollars = plan.price.dollars
            return CostEstimate(
                images, plan.price.tier, round(dollars * images, 4) if dollars is not None else None
            )
        # No plan yet (no image): an Auto size is priced at the smallest it may choose.
        from retouch.core.pricing import price_for_size
        from retouch.core.sizes import size_for_estimate

        size = size_for_estimate(self._model, self._params, self._placement.allow_high_res)
        if size is None:
            return estimate_cost(self._model, self._params)
        images = image_count(self._params)
        price = price_for_size(self._model, size, self._params)
        dollars = round(price.dollars * images, 4) if price.dollars is not None else None
        return CostEstimate(images, price.tier, dollars)

    # -- prompt and inputs ------------------------------------------------------------------

    @property
    def prompt(self) -> str:
        return self._prompt

    def set_prompt(self, prompt: str) -> None:
        if prompt != self._prompt:
            self._prompt = prompt
            self.promptChanged.emit(prompt)

    @property
    def inputs(self) -> list[InputRef]:
        """The images of the run, the edited one first."""
        return list(self._inputs)

    def set_inputs(self, inputs: list[InputRef]) -> None:
        if inputs != self._inputs:
            self._inputs = list(inputs)
            self.inputsChanged.emit(self.inputs)

    # -- mask -------------------------------------------------------------------------------

    @property
    def mask_settings(self) -> MaskSettings:
        return self._mask

    def set_mask_settings(self, settings: MaskSettings) -> None:
        if settings != self._mask:
            self._mask = settings
            self.maskSettingsChanged.emit(settings)

    def update_mask_settings(self, **changes: Any) -> None:
        self.set_mask_settings(replace(self._mask, **changes))

    @property
    def has_mask(self) -> bool:
        return self._has_mask

    def set_has_mask(self, has_mask: bool) -> None:
        if has_mask != self._has_mask:
            self._has_mask = has_mask
            self.hasMaskChanged.emit(has_mask)

    # -- placing results back (issue 12) ----------------------------------------------------

    @property
    def placement(self) -> Placement:
        return self._placement

    def set_placement(self, placement: Placement) -> None:
        if placement != self._placement:
            self._placement = placement
            self.placementChanged.emit(placement)

    def update_placement(self, **changes: Any) -> None:
        self.set_placement(replace(self._placement, **changes))

    @property
    def plan(self) -> EditPlan | None:
        """What Run would send now (None: no image yet, or ``plan_error`` says why not)."""
        return self._plan

    @property
    def plan_error(self) -> str:
        return self._plan_error

    def set_plan(self, plan: EditPlan | None, error: str = "") -> None:
        if plan is self._plan and error == self._plan_error:
            return
        self._plan, self._plan_error = plan, error
        self.planChanged.emit()

    @property
    def source_result(self) -> ResultRef | None:
        """The result the edited image is (Use as Input), while it is the first input."""
        if self._source is None:
            return None
        ref, path = self._source
        first = self._inputs[0].path if self._inputs else None
        return ref if first is not None and Path(first) == path else None

    def set_source_result(self, ref: ResultRef | None, path: Path | None = None) -> None:
        """*ref* became the edited image, from the file at *path* (None: it did not)."""
        value = (ref, Path(path)) if ref is not None and path is not None else None
        if value != self._source:
            self._source = value
            self.sourceResultChanged.emit(ref if value is not None else None)

    # -- as plain data ----------------------------------------------------------------------

    def data(self, mask_file: Path | None = None) -> EditorData:
        return EditorData(
            model=self._model.id,
            params=self.params,
            prompt=self._prompt,
            inputs=self.inputs,
            mask_file=mask_file,
            mask=self._mask,
        )


class Prop(NamedTuple):
    """One end of a binding: the signal that says it changed, how to read it, how to set it."""

    changed: SignalInstance
    get: Callable[[], Any]
    set: Callable[[Any], object]


class Binding:
    """Keeps two Props equal; see ``bind``."""

    def __init__(self, source: Prop, target: Prop) -> None:
        self.source, self.target = source, target
        self._busy = False
        source.changed.connect(self._source_changed)
        target.changed.connect(self._target_changed)
        self._copy(source, target)

    def _source_changed(self, *_args: object) -> None:
        self._copy(self.source, self.target)

    def _target_changed(self, *_args: object) -> None:
        self._copy(self.target, self.source)

    def _copy(self, src: Prop, dst: Prop) -> None:
        if self._busy:
            return  # the echo of our own update
        value = src.get()
        if dst.get() == value:
            return
        self._busy = True
        try:
            dst.set(value)
        finally:
            self._busy = False

    def disconnect(self) -> None:
        self.source.changed.disconnect(self._source_changed)
        self.target.changed.disconnect(self._target_changed)


def bind(source: Prop, target: Prop) -> Binding:
    """Two-way: *target* takes *source*'s value now, then each follows the other."""
    return Binding(source, target)
