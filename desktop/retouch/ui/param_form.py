"""A model's parameters as widgets, built from its schema (enum → combo, range → spin, …)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
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

_INT_LIMIT = 2_000_000_000


class ParamForm(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paramForm")
        self._layout = QFormLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._widgets: dict[str, tuple[ParamSpec, QWidget]] = {}

    def set_model(self, model: ModelInfo, values: dict[str, Any] | None = None) -> None:
        while self._layout.rowCount():
            self._layout.removeRow(0)
        self._widgets.clear()
        values = values or {}
        for spec in model.params:
            widget = self._make(spec, values.get(spec.name, spec.default))
            widget.setObjectName(f"param_{spec.name}")
            tip = spec.description or spec.title
            widget.setToolTip(tip)
            self._layout.addRow(spec.title, widget)
            self._widgets[spec.name] = (spec, widget)

    def _make(self, spec: ParamSpec, value: Any) -> QWidget:
        if spec.kind == "enum":
            combo = QComboBox()
            for choice in spec.choices:
                combo.addItem(str(choice), choice)
            index = combo.findData(value)
            combo.setCurrentIndex(index if index >= 0 else max(0, combo.findData(spec.default)))
            combo.currentIndexChanged.connect(self.changed)
            return combo
        if spec.kind == "integer":
            spin = QSpinBox()
            spin.setRange(
                int(spec.minimum) if spec.minimum is not None else -_INT_LIMIT,
                int(spec.maximum) if spec.maximum is not None else _INT_LIMIT,
            )
            try:
                spin.setValue(int(value if value is not None else spec.default or spin.minimum()))
            except (TypeError, ValueError):
                spin.setValue(int(spec.default or spin.minimum()))
            spin.valueChanged.connect(self.changed)
            return spin
        if spec.kind == "number":
            dspin = QDoubleSpinBox()
            dspin.setDecimals(3)
            dspin.setRange(
                spec.minimum if spec.minimum is not None else -1e9,
                spec.maximum if spec.maximum is not None else 1e9,
            )
            try:
                dspin.setValue(float(value if value is not None else spec.default or 0.0))
            except (TypeError, ValueError):
                dspin.setValue(float(spec.default or 0.0))
            dspin.valueChanged.connect(self.changed)
            return dspin
        if spec.kind == "boolean":
            check = QCheckBox()
            check.setChecked(bool(value))
            check.toggled.connect(self.changed)
            return check
        line = QLineEdit()
        line.setText("" if value is None else str(value))
        if spec.kind == "unknown":
            line.setPlaceholderText(spec.description or "value")
        line.textChanged.connect(self.changed)
        return line

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

    def widget(self, name: str) -> QWidget | None:
        entry = self._widgets.get(name)
        return entry[1] if entry else None
