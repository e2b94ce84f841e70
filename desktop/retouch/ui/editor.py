"""The one editor state the window's widgets are bound to (after Krita AI Diffusion's model
and ``bind()``).

``EditorModel`` holds the model being edited with, its parameter values, the prompt, the
inputs and the mask settings, and says when any of them changes. The sidebar (model combo,
prompt, cost), the parameter form and the canvas panel are bound to it, so each value has
one home: the run, the presets and the saved session read it here. The plain values and
their JSON form are ``retouch.core.editor_state``.

``bind(a, b)`` keeps two ``Prop``s (a change signal, a getter, a setter) equal: ``b`` takes
``a``'s value at once, and then whichever side changes updates the other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import QObject, Signal, SignalInstance

from retouch.core.editor_state import EditorData, MaskSettings
from retouch.core.pricing import CostEstimate, estimate_cost
from retouch.core.request import InputRef
from retouch.core.schema import ModelInfo


class EditorModel(QObject):
    """Model, parameters, prompt, inputs and mask settings: the editor's single state."""

    #: A new model; its parameters were replaced with it (``paramsChanged`` follows).
    modelChanged = Signal(object)  # ModelInfo
    paramsChanged = Signal()  # read ``params``: listeners may normalise them in between
    promptChanged = Signal(str)
    inputsChanged = Signal(list)  # list[InputRef]
    maskSettingsChanged = Signal(object)  # MaskSettings
    hasMaskChanged = Signal(bool)  # whether any pixel is marked for editing

    def __init__(self, model: ModelInfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._params: dict[str, Any] = {}
        self._prompt = ""
        self._inputs: list[InputRef] = []
        self._mask = MaskSettings()
        self._has_mask = False

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
        return estimate_cost(self._model, self._params)

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
