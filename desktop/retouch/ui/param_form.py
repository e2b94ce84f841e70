"""A model's parameters as widgets, built from its schema (enum → combo, range → spin, …).

Bound to the editor state (``bind``): the form is rebuilt when the state's model changes,
shows the state's values, and writes what the user changes back to it.

The parameters that set the output size (a ``WxH`` resolution, an aspect ratio, a size tier:
``core.sizes``) offer **Auto** first, and it is their default: the run then plans the size
from the region being edited (``core.placement``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from retouch.core.schema import ModelInfo, ParamSpec
from retouch.core.sizes import size_vocabulary
from retouch.ui.i18n import QT_TRANSLATE_NOOP, translate

if TYPE_CHECKING:
    from retouch.ui.editor import EditorModel

_INT_LIMIT = 2_000_000_000
AUTO = "auto"
AUTO_TIP = QT_TRANSLATE_NOOP(
    "ParamForm",
    "Auto: the smallest size that keeps the edited region's detail, in the shape nearest "
    "to it, at the standard price unless the high-resolution price is allowed",
)


def param_label(spec: ParamSpec) -> str:
    """The one label of a parameter, whatever the schema calls it (the built-in schema says
    "Images" where the hub's says "Number of images"): the app's table by parameter name,
    else the schema's title."""
    labels = {
        "num_images": translate("ParamForm", "Number of images"),
        "n": translate("ParamForm", "Number of images"),
        "output_format": translate("ParamForm", "Output format"),
        "resolution": translate("ParamForm", "Resolution"),
        "quality": translate("ParamForm", "Quality"),
        "aspect_ratio": translate("ParamForm", "Aspect ratio"),
        "size": translate("ParamForm", "Size"),
        "seed": translate("ParamForm", "Seed"),
        "background": translate("ParamForm", "Background"),
        "output_compression": translate("ParamForm", "Compression"),
        "moderation": translate("ParamForm", "Moderation"),
        "input_fidelity": translate("ParamForm", "Input fidelity"),
    }
    return labels.get(spec.name) or translate("ParamSchema", spec.title)


def choice_label(spec: ParamSpec, value: Any) -> str:
    """How a choice reads: "1024 × 1024", "PNG", "High" (the value sent stays the schema's)."""
    text = str(value)
    words = {
        "auto": translate("ParamForm", "Auto"),
        "low": translate("ParamForm", "Low"),
        "medium": translate("ParamForm", "Medium"),
        "high": translate("ParamForm", "High"),
        "standard": translate("ParamForm", "Standard"),
        "hd": "HD",
        "transparent": translate("ParamForm", "Transparent"),
        "opaque": translate("ParamForm", "Opaque"),
        "png": "PNG",
        "jpeg": "JPEG",
        "jpg": "JPEG",
        "webp": "WebP",
    }
    if text.lower() in words:
        return words[text.lower()]
    w, x, h = text.partition("x")
    if x and w.isdigit() and h.isdigit():
        return f"{w} × {h}"
    return text


class ParamForm(QWidget):
    changed = Signal()
    rebuilt = Signal()  # new widgets for a new model (the window re-chains Tab order)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paramForm")
        self._layout = QFormLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._layout.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self._layout.setHorizontalSpacing(12)
        self._layout.setVerticalSpacing(8)
        self._widgets: dict[str, tuple[ParamSpec, QWidget]] = {}
        self._state: EditorModel | None = None
        self._auto: set[str] = set()  # size parameters offered with Auto (their default)

    def bind(self, state: EditorModel) -> None:
        """Show *state*'s model and values from now on; the user's changes go back to it."""
        self._state = state
        state.modelChanged.connect(self._model_changed)
        state.paramsChanged.connect(self._params_changed)
        self.changed.connect(self._push)
        self._model_changed(state.model)

    def _model_changed(self, model: ModelInfo) -> None:
        assert self._state is not None
        self.set_model(model, self._state.params)
        self._push()  # defaults filled in, bad values replaced: the state holds what is shown

    def _params_changed(self) -> None:
        assert self._state is not None
        values = self._state.params
        if values == self.values():
            return
        for name, (spec, widget) in self._widgets.items():
            with QSignalBlocker(widget):
                self._set_value(spec, widget, values.get(name, self._default(spec)))
        self._push()

    def _push(self) -> None:
        if self._state is not None:
            self._state.set_params(self.values())

    def set_model(self, model: ModelInfo, values: dict[str, Any] | None = None) -> None:
        while self._layout.rowCount():
            self._layout.removeRow(0)
        self._widgets.clear()
        values = values or {}
        vocab = size_vocabulary(model)
        self._auto = {name for name in (vocab.size_param, vocab.aspect_param) if name is not None}
        for spec in model.params:
            widget = self._make(spec, values.get(spec.name, self._default(spec)))
            widget.setObjectName(f"param_{spec.name}")
            label = param_label(spec)
            tip = spec.description or label
            if spec.name in self._auto:
                auto_tip = self.tr(AUTO_TIP)
                tip = f"{tip}\n{auto_tip}" if tip else auto_tip
            widget.setToolTip(tip)
            widget.setAccessibleName(label)
            self._layout.addRow(label, widget)
            self._widgets[spec.name] = (spec, widget)
        self.rebuilt.emit()

    def _make(self, spec: ParamSpec, value: Any) -> QWidget:
        widget: QWidget
        if spec.kind == "enum":
            combo = QComboBox()
            if spec.name in self._auto:
                combo.addItem(self.tr("Auto"), AUTO)
            for choice in spec.choices:
                if spec.name in self._auto and str(choice).lower() == AUTO:
                    continue  # the model's own auto: ours plans the size from the region
                combo.addItem(choice_label(spec, choice), choice)
            combo.currentIndexChanged.connect(self.changed)
            widget = combo
        elif spec.kind == "integer":
            spin = QSpinBox()
            spin.setRange(
                int(spec.minimum) if spec.minimum is not None else -_INT_LIMIT,
                int(spec.maximum) if spec.maximum is not None else _INT_LIMIT,
            )
            spin.valueChanged.connect(self.changed)
            widget = spin
        elif spec.kind == "number":
            dspin = QDoubleSpinBox()
            dspin.setDecimals(3)
            dspin.setRange(
                spec.minimum if spec.minimum is not None else -1e9,
                spec.maximum if spec.maximum is not None else 1e9,
            )
            dspin.valueChanged.connect(self.changed)
            widget = dspin
        elif spec.kind == "boolean":
            check = QCheckBox()
            check.toggled.connect(self.changed)
            widget = check
        else:
            line = QLineEdit()
            if spec.kind == "unknown":
                line.setPlaceholderText(spec.description or "value")
            line.textChanged.connect(self.changed)
            widget = line
        with QSignalBlocker(widget):
            self._set_value(spec, widget, value)
        return widget

    def _default(self, spec: ParamSpec) -> Any:
        return AUTO if spec.name in self._auto else spec.default

    def _set_value(self, spec: ParamSpec, widget: QWidget, value: Any) -> None:
        """Show *value*, or the default where the widget cannot hold it."""
        if isinstance(widget, QComboBox):
            if isinstance(value, str) and value.lower() == AUTO:
                value = AUTO
            index = widget.findData(value)
            default = widget.findData(self._default(spec))
            widget.setCurrentIndex(index if index >= 0 else max(0, default))
        elif isinstance(widget, QSpinBox):
            fallback = spec.default or widget.minimum()
            try:
                widget.setValue(int(value if value is not None else fallback))
            except (TypeError, ValueError):
                widget.setValue(int(fallback))
        elif isinstance(widget, QDoubleSpinBox):
            try:
                widget.setValue(float(value if value is not None else spec.default or 0.0))
            except (TypeError, ValueError):
                widget.setValue(float(spec.default or 0.0))
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QLineEdit):
            widget.setText("" if value is None else str(value))

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, (spec, widget) in self._widgets.items():
            if isinstance(widget, QComboBox):
                out[name] = widget.currentData()
            elif isinstance(widget, (QSpinBox, QDoubleSpinBox)):
                out[name] = widget.value()
            elif isinstance(widget, QCheckBox):
                out[name] = widget.isChecked()
            elif isinstance(widget, QLineEdit):
                text = widget.text()
                if text or spec.required:
                    out[name] = text
        return out

    def focus_order(self) -> list[QWidget]:
        return [widget for _spec, widget in self._widgets.values()]

    def widget(self, name: str) -> QWidget | None:
        entry = self._widgets.get(name)
        return entry[1] if entry else None
