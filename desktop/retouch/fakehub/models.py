"""The model catalogue the fake hub serves at ``GET /ai/models``.

``MODELS`` is the exact list returned (as ``data``); tests compare the client's built-in
gpt-image-2-edit schema against :data:`GPT_IMAGE_2_EDIT`.
"""

from __future__ import annotations

import copy
from typing import Any

RESOLUTIONS: tuple[str, ...] = (
    "1024x768",
    "1024x1024",
    "1024x1536",
    "1920x1080",
    "2560x1440",
    "3840x2160",
)
OUTPUT_FORMATS: tuple[str, ...] = ("png", "jpeg", "webp")
RESPONSE_FORMATS: tuple[str, ...] = ("url", "b64_json")
DEFAULT_MODEL = "gpt-image-2-edit"

_INPUT_IMAGE_SCHEMA: dict[str, Any] = {
    "title": "Input image",
    "description": (
        "URL(s) of the image(s) to edit. The first is edited; the rest are references."
    ),
    "anyOf": [
        {"type": "string", "format": "uri"},
        {
            "type": "array",
            "items": {"type": "string", "format": "uri"},
            "minItems": 1,
            "maxItems": 16,
        },
    ],
}

_PROMPT_SCHEMA: dict[str, Any] = {
    "type": "string",
    "title": "Prompt",
    "description": "What to change.",
    "minLength": 1,
}

_NUM_IMAGES_SCHEMA: dict[str, Any] = {
    "type": "integer",
    "title": "Number of images",
    "minimum": 1,
    "maximum": 4,
    "default": 1,
}

_OUTPUT_FORMAT_SCHEMA: dict[str, Any] = {
    "type": "string",
    "title": "Output format",
    "enum": list(OUTPUT_FORMATS),
    "default": "png",
}

_RESPONSE_FORMAT_SCHEMA: dict[str, Any] = {
    "type": "string",
    "title": "Response format",
    "enum": list(RESPONSE_FORMATS),
    "default": "url",
}

GPT_IMAGE_2_EDIT: dict[str, Any] = {
    "id": "gpt-image-2-edit",
    "object": "model",
    "display_name": "GPT Image 2 Edit",
    "description": "Edit images with a text prompt and an optional mask (white = edit).",
    "owned_by": "openai",
    "endpoint": "/images/edit",
    "capabilities": {"input": ["text", "image"], "output": ["image"]},
    "pricing": {
        "method": "per_image",
        "cost_per_image": 0.22,
        "cost_per_image_high_res": 0.41,
    },
    "request_schema": {
        "type": "object",
        "required": ["prompt", "input_image"],
        "properties": {
            "prompt": _PROMPT_SCHEMA,
            "input_image": _INPUT_IMAGE_SCHEMA,
            "resolution": {
                "type": "string",
                "title": "Resolution",
                "description": "Up to 1920x1080 bills at the standard tier, 2560x1440 and up "
                "at the high-resolution tier",
                "enum": list(RESOLUTIONS),
                "default": "1024x1024",
            },
            "quality": {
                "type": "string",
                "title": "Quality",
                "enum": ["high"],
                "default": "high",
            },
            "num_images": _NUM_IMAGES_SCHEMA,
            "output_format": _OUTPUT_FORMAT_SCHEMA,
            "mask_url": {
                "type": "string",
                "format": "uri",
                "title": "Mask",
                "description": "White pixels are edited, black pixels are kept.",
            },
            "response_format": _RESPONSE_FORMAT_SCHEMA,
        },
    },
}

FAKE_STYLE_EDIT: dict[str, Any] = {
    "id": "fake-style-edit",
    "object": "model",
    "display_name": "Fake Style Edit",
    "description": "A test model with assorted parameter types (enum, range, boolean, text).",
    "owned_by": "retouch",
    "endpoint": "/images/edit",
    "capabilities": {"input": ["text", "image"], "output": ["image"]},
    "pricing": {"method": "per_image", "cost_per_image": 0.05},
    "request_schema": {
        "type": "object",
        "required": ["prompt", "input_image"],
        "properties": {
            "prompt": _PROMPT_SCHEMA,
            "input_image": _INPUT_IMAGE_SCHEMA,
            "style": {
                "type": "string",
                "title": "Style",
                "enum": ["photo", "sketch", "watercolor"],
                "default": "photo",
            },
            "strength": {
                "type": "integer",
                "title": "Strength",
                "minimum": 0,
                "maximum": 100,
                "default": 50,
            },
            "keep_colors": {
                "type": "boolean",
                "title": "Keep colours",
                "default": True,
            },
            "negative_prompt": {
                "type": "string",
                "title": "Negative prompt",
                "default": "",
            },
            "num_images": _NUM_IMAGES_SCHEMA,
            "output_format": _OUTPUT_FORMAT_SCHEMA,
        },
    },
}

FAKE_TEXT_TO_IMAGE: dict[str, Any] = {
    "id": "fake-text-to-image",
    "object": "model",
    "display_name": "Fake Text to Image",
    "description": "Generates an image from text only; cannot edit.",
    "owned_by": "retouch",
    "endpoint": "/images/generate",
    "capabilities": {"input": ["text"], "output": ["image"]},
    "pricing": {"method": "per_image", "cost_per_image": 0.04},
    "request_schema": {
        "type": "object",
        "required": ["prompt"],
        "properties": {
            "prompt": _PROMPT_SCHEMA,
            "num_images": _NUM_IMAGES_SCHEMA,
            "output_format": _OUTPUT_FORMAT_SCHEMA,
        },
    },
}

FAKE_CHAT: dict[str, Any] = {
    "id": "fake-chat",
    "object": "model",
    "display_name": "Fake Chat",
    "description": "A text-only language model (neither input nor output is an image).",
    "owned_by": "retouch",
    "endpoint": "/chat/completions",
    "capabilities": {"input": ["text"], "output": ["text"]},
    "pricing": {
        "method": "per_token",
        "input_cost_per_million": 0.5,
        "output_cost_per_million": 1.5,
    },
    "request_schema": {
        "type": "object",
        "required": ["messages"],
        "properties": {"messages": {"type": "array", "items": {"type": "object"}}},
    },
}

MODELS: list[dict[str, Any]] = [GPT_IMAGE_2_EDIT, FAKE_STYLE_EDIT, FAKE_TEXT_TO_IMAGE, FAKE_CHAT]


def find_model(model_id: str) -> dict[str, Any] | None:
    """Return a deep copy of the model with *model_id*, or None."""
    for model in MODELS:
        if model["id"] == model_id:
            return copy.deepcopy(model)
    return None


def is_edit_model(model: dict[str, Any]) -> bool:
    caps = model.get("capabilities") or {}
    return "image" in caps.get("input", ()) and "image" in caps.get("output", ())


# --------------------------------------------------------------------------------------
# A small JSON Schema subset validator (type, enum, minimum/maximum, minLength,
# minItems/maxItems, items, anyOf, required) -- enough for the schemas above.

_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "array": "a list",
    "object": "an object",
}


def _type_ok(value: Any, type_name: str) -> bool:
    if type_name == "string":
        return isinstance(value, str)
    if type_name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if type_name == "boolean":
        return isinstance(value, bool)
    if type_name == "array":
        return isinstance(value, list)
    if type_name == "object":
        return isinstance(value, dict)
    return True


def check_value(name: str, value: Any, schema: dict[str, Any]) -> str | None:
    """Return an error message naming *name* if *value* violates *schema*, else None."""
    if "anyOf" in schema:
        subs = schema["anyOf"]
        errors = [check_value(name, value, sub) for sub in subs]
        if not all(errors):
            return None
        # Report the error of the alternative whose type fits, if any.
        for sub, err in zip(subs, errors, strict=True):
            if _type_ok(value, sub.get("type", "")):
                return err
        kinds = " or ".join(_TYPE_NAMES.get(sub.get("type", ""), "a value") for sub in subs)
        return f"{name}: must be {kinds}"
    type_name = schema.get("type")
    if type_name and not _type_ok(value, type_name):
        return f"{name}: must be {_TYPE_NAMES.get(type_name, type_name)}"
    if "enum" in schema and value not in schema["enum"]:
        allowed = ", ".join(str(v) for v in schema["enum"])
        return f"{name}: {value!r} is not one of: {allowed}"
    if "minimum" in schema and value < schema["minimum"]:
        return f"{name}: must be at least {schema['minimum']}"
    if "maximum" in schema and value > schema["maximum"]:
        return f"{name}: must be at most {schema['maximum']}"
    if "minLength" in schema and len(value.strip()) < schema["minLength"]:
        return f"{name}: must not be empty"
    if type_name == "array":
        if "minItems" in schema and len(value) < schema["minItems"]:
            return f"{name}: needs at least {schema['minItems']} item(s)"
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            return f"{name}: takes at most {schema['maxItems']} item(s)"
        item_schema = schema.get("items")
        if item_schema:
            for i, item in enumerate(value):
                err = check_value(f"{name}[{i}]", item, item_schema)
                if err:
                    return err
    return None


def validate_params(body: dict[str, Any], schema: dict[str, Any]) -> str | None:
    """Validate *body* against a model's request_schema; return the first error or None.

    Fields not in the schema are ignored (lenient, like a pass-through proxy); ``None``
    values count as absent.
    """
    props = schema.get("properties", {})
    for name in schema.get("required", ()):
        if body.get(name) is None:
            return f"{name}: field required"
    for name, prop in props.items():
        value = body.get(name)
        if value is None:
            continue
        err = check_value(name, value, prop)
        if err:
            return err
    return None


def apply_defaults(body: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of *body* with schema defaults filled in for absent fields."""
    out = dict(body)
    for name, prop in schema.get("properties", {}).items():
        if out.get(name) is None and "default" in prop:
            out[name] = prop["default"]
    return out
