"""Check a request's parameters against the model's schema before anything is sent."""

from __future__ import annotations

import math
from typing import Any

from retouch.core.errors import ValidationError
from retouch.core.schema import ModelInfo, ParamSpec


def _fmt(values: tuple[Any, ...]) -> str:
    return ", ".join(str(v) for v in values)


def coerce_param(spec: ParamSpec, value: Any) -> Any:
    """Return *value* converted to the parameter's type, or raise ValidationError."""
    name = spec.name
    if spec.kind == "enum":
        if value in spec.choices:
            return value
        # CLI values arrive as strings: "2" for an integer enum.
        for choice in spec.choices:
            if str(choice) == str(value):
                return choice
        raise ValidationError(
            name,
            f"{spec.title} must be one of: {_fmt(spec.choices)} (got '{value}').",
            spec.choices,
        )
    if spec.kind in ("integer", "number"):
        try:
            if isinstance(value, bool):
                raise ValueError
            number = float(value)
            if not math.isfinite(number):
                raise ValueError
            if spec.kind == "integer":
                if number != int(number):
                    raise ValueError
                number = int(number)
        except (TypeError, ValueError, OverflowError):
            what = "a whole number" if spec.kind == "integer" else "a number"
            raise ValidationError(
                name, f"{spec.title} must be {what}{_range(spec)} (got '{value}')."
            ) from None
        if (spec.minimum is not None and number < spec.minimum) or (
            spec.maximum is not None and number > spec.maximum
        ):
            raise ValidationError(
                name,
                f"{spec.title} must be{_range(spec)} (got {value}).",
                (spec.minimum, spec.maximum),
            )
        return number
    if spec.kind == "boolean":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise ValidationError(name, f"{spec.title} must be true or false (got '{value}').")
    if spec.kind == "string":
        if not isinstance(value, str):
            raise ValidationError(name, f"{spec.title} must be text.")
        return value
    return value


def _range(spec: ParamSpec) -> str:
    def show(x: float) -> str:
        return str(int(x)) if x == int(x) else str(x)

    if spec.minimum is not None and spec.maximum is not None:
        return f" from {show(spec.minimum)} to {show(spec.maximum)}"
    if spec.minimum is not None:
        return f" of at least {show(spec.minimum)}"
    if spec.maximum is not None:
        return f" of at most {show(spec.maximum)}"
    return ""


def validate_params(model: ModelInfo, params: dict[str, Any]) -> dict[str, Any]:
    """Return the parameters to send: defaults filled in, values checked and typed.

    Unknown parameter names are refused: a typo would otherwise be silently ignored.
    """
    known = {p.name: p for p in model.params}
    for name in params:
        if name not in known:
            raise ValidationError(
                name,
                f"'{name}' is not a parameter of {model.display_name}. "
                f"Its parameters are: {', '.join(known) or 'none'}.",
                list(known),
            )
    result: dict[str, Any] = {}
    for spec in model.params:
        if params.get(spec.name) is not None:
            result[spec.name] = coerce_param(spec, params[spec.name])
        elif spec.default is not None:
            result[spec.name] = spec.default
        elif spec.required:
            raise ValidationError(spec.name, f"{spec.title} is required.")
    return result


def validate_prompt(prompt: str) -> str:
    prompt = (prompt or "").strip()
    if not prompt:
        raise ValidationError("prompt", "Write a prompt: say what should change.")
    if len(prompt) > 32000:
        raise ValidationError("prompt", "The prompt is too long (at most 32,000 characters).")
    return prompt
