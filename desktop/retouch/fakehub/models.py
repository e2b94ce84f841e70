"""The model catalogue the fake hub serves at ``GET /ai/models``.

``MODELS`` is the exact list returned (as ``data``) by a hub with default settings; tests
compare the client's built-in gpt-image-2-edit schema against :data:`GPT_IMAGE_2_EDIT`.
Like the real hub, a model carries its parameters as ``json_request_schema`` (the name the
hub's model pages use: gpt-image-2 and fake-text-to-image here) or ``request_schema`` (the
older name: the others); :func:`schema_of` reads either. :func:`output_size` is the pixel
size a request produces.
"""

from __future__ import annotations

import copy
import math
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
MAX_OUTPUT_EDGE = 4096  # models without a size parameter keep the input's size, capped
SCHEMA_FIELDS: tuple[str, ...] = ("json_request_schema", "request_schema")

# gpt-image-2 (https://docs.oxen.ai/inference-api/reference/models/gpt-image-2, the
# Oxen-AI/docs page as of 2026-07): size is an aspect ratio plus a tier.
ASPECT_RATIOS: tuple[str, ...] = (
    "auto",
    "1:1",
    "16:9",
    "9:16",
    "4:3",
    "3:4",
    "3:2",
    "2:3",
    "21:9",
    "9:21",
)
SIZE_TIERS: tuple[str, ...] = ("1K", "2K", "4K")
QUALITIES: tuple[str, ...] = ("low", "medium", "high")
# The pixel size of each aspect ratio at each tier. The Oxen page does not say (inferred):
# these are the sizes a reseller of OpenAI's gpt-image-2 documents for exactly this
# aspect_ratio x 1K/2K/4K pair ("Size x Resolution Mapping Table", docs.aireiter.com,
# gpt-image-2-official/generation), which agree with OpenAI's own popular sizes (1024x1024,
# 1536x1024, 2048x1152, 3840x2160). Where that table has no 4K size (1:1, 4:3, 3:4, 3:2,
# 2:3: over OpenAI's 8,294,400-pixel cap at a 3840 edge) the size is the largest one of
# exactly that aspect within OpenAI's limits (edges multiples of 16, at most 3840, at
# most 8,294,400 pixels). Note 2048x1360 and 3840x1648 are not exactly 3:2 and 21:9.
ASPECT_SIZES: dict[str, dict[str, tuple[int, int]]] = {
    "1:1": {"1K": (1024, 1024), "2K": (2048, 2048), "4K": (2880, 2880)},
    "16:9": {"1K": (1536, 864), "2K": (2048, 1152), "4K": (3840, 2160)},
    "9:16": {"1K": (864, 1536), "2K": (1152, 2048), "4K": (2160, 3840)},
    "4:3": {"1K": (1024, 768), "2K": (2048, 1536), "4K": (3264, 2448)},
    "3:4": {"1K": (768, 1024), "2K": (1536, 2048), "4K": (2448, 3264)},
    "3:2": {"1K": (1536, 1024), "2K": (2048, 1360), "4K": (3504, 2336)},
    "2:3": {"1K": (1024, 1536), "2K": (1360, 2048), "4K": (2336, 3504)},
    "21:9": {"1K": (2016, 864), "2K": (2688, 1152), "4K": (3840, 1648)},
    "9:21": {"1K": (864, 2016), "2K": (1152, 2688), "4K": (1648, 3840)},
}

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

GPT_IMAGE_2: dict[str, Any] = {
    "id": "gpt-image-2",
    "object": "model",
    "display_name": "GPT Image 2",
    "description": "High-fidelity images with near-perfect text rendering. Pass a reference "
    "image to edit it, or omit one to generate from the prompt alone.",
    "owned_by": "openai",
    # The page's current examples post to /ai/images/edit (earlier ones to
    # /ai/images/generate, which the fake hub also takes for it: see can_generate).
    "endpoint": "/images/edit",
    "capabilities": {"input": ["text", "image"], "output": ["image"]},
    # The page points at "cost_per_image_grid for per-tier pricing" without figures. The
    # shape (quality -> tier -> USD, cost_per_image null) is the one Oxen's image models
    # carry; the figures (inferred) are fal's published table for the same model, its
    # 1024x1024, 2560x1440 and 3840x2160 rows taken for 1K, 2K and 4K, the same grid as the
    # client's built-in schema (core/schema.py), so estimates agree online and offline.
    "pricing": {
        "method": "per_image",
        "cost_per_image": None,
        "cost_per_image_grid": {
            "low": {"1K": 0.01, "2K": 0.01, "4K": 0.02},
            "medium": {"1K": 0.06, "2K": 0.06, "4K": 0.11},
            "high": {"1K": 0.22, "2K": 0.23, "4K": 0.41},
        },
    },
    "json_request_schema": {
        "type": "object",
        "required": ["prompt"],
        "properties": {
            "prompt": {
                "type": "string",
                "title": "Prompt",
                "description": "Text description of the image to generate.",
                "minLength": 1,
            },
            "input_image": {
                "type": "array",
                "title": "Input image",
                "description": "Optional reference image(s) to edit. Leave empty to generate "
                "from the prompt alone.",
                # maxItems is not on the page (inferred from OpenAI's limit of 16 images).
                "items": {"type": "string", "format": "uri"},
                "minItems": 1,
                "maxItems": 16,
            },
            "aspect_ratio": {
                "type": "string",
                "title": "Aspect Ratio",
                "description": "Aspect ratio for the generated image",
                "enum": list(ASPECT_RATIOS),
                "default": "16:9",
            },
            "resolution": {
                "type": "string",
                "title": "Resolution",
                "description": "Output image resolution. Higher tiers render more pixels and "
                "cost more; see cost_per_image_grid for per-tier pricing.",
                "enum": list(SIZE_TIERS),
                "default": "2K",
            },
            "quality": {
                "type": "string",
                "title": "Quality",
                "description": "Output quality tier: low, medium, or high. Higher quality "
                "renders more detail and costs more.",
                "enum": list(QUALITIES),
                "default": "high",
            },
            "output_format": {
                **_OUTPUT_FORMAT_SCHEMA,
                "description": "File format for the generated image.",
            },
            "mask_url": {
                "type": "string",
                "format": "uri",
                "title": "Mask",
                "description": "Optional mask image URL. White pixels mark regions to edit; "
                "black pixels are preserved. Leave empty to edit the whole image.",
            },
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
    "json_request_schema": {
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

# Order is kept: tests elsewhere take MODELS[1] as fake-style-edit.
MODELS: list[dict[str, Any]] = [
    GPT_IMAGE_2_EDIT,
    FAKE_STYLE_EDIT,
    GPT_IMAGE_2,
    FAKE_TEXT_TO_IMAGE,
    FAKE_CHAT,
]


def find_model(model_id: str) -> dict[str, Any] | None:
    """Return a deep copy of the model with *model_id*, or None."""
    for model in MODELS:
        if model["id"] == model_id:
            return copy.deepcopy(model)
    return None


def schema_of(model: dict[str, Any]) -> dict[str, Any]:
    """The model's request schema under either of its names ({} if it has none)."""
    for name in SCHEMA_FIELDS:
        schema = model.get(name)
        if isinstance(schema, dict):
            return schema
    return {}


def schema_field_of(model: dict[str, Any]) -> str:
    """The name this model's schema is served under by default."""
    return next((name for name in SCHEMA_FIELDS if name in model), "request_schema")


def served_model(
    model: dict[str, Any], *, schema_field: str | None = None, schema: str = "full"
) -> dict[str, Any]:
    """A copy of *model* as the hub sends it.

    *schema_field* renames the schema (None keeps the model's own name); *schema* is
    ``"full"``, ``"null"`` (the field is there but null) or ``"absent"`` (no field).
    """
    out = copy.deepcopy(model)
    field = schema_field or schema_field_of(model)
    body = schema_of(out)
    for name in SCHEMA_FIELDS:
        out.pop(name, None)
    if schema == "full":
        out[field] = body
    elif schema == "null":
        out[field] = None
    return out


def aspect_of(size: tuple[int, int]) -> str:
    """The listed aspect ratio nearest to *size* (for ``aspect_ratio: auto``)."""
    w, h = size
    ratio = math.log(max(w, 1) / max(h, 1))

    def distance(name: str) -> float:
        a, b = (int(x) for x in name.split(":"))
        return abs(math.log(a / b) - ratio)

    return min(ASPECT_SIZES, key=distance)


def output_size(
    schema: dict[str, Any], params: dict[str, Any], first_input: tuple[int, int] | None
) -> tuple[int, int] | None:
    """The pixel size a request makes, from the schema's way of saying it.

    A ``WxH`` ``resolution`` is that size; an ``aspect_ratio`` with a 1K/2K/4K
    ``resolution`` is looked up in :data:`ASPECT_SIZES` (``auto``: the listed ratio nearest
    to the first input, 1:1 without one); a model with neither keeps the first input's size
    (capped). None if nothing says (no size parameter and no input).
    """
    props = schema.get("properties", {})
    if "aspect_ratio" in props:
        aspect = params.get("aspect_ratio") or "1:1"
        if aspect == "auto":
            aspect = aspect_of(first_input) if first_input else "1:1"
        tier = params.get("resolution") or "1K"
        return ASPECT_SIZES[aspect][tier]
    resolution = params.get("resolution")
    if "resolution" in props and isinstance(resolution, str) and "x" in resolution:
        w, _, h = resolution.lower().partition("x")
        return int(w), int(h)
    if first_input is None:
        return None
    scale = min(1.0, MAX_OUTPUT_EDGE / max(*first_input, 1))
    return max(1, round(first_input[0] * scale)), max(1, round(first_input[1] * scale))


def can_generate(model: dict[str, Any]) -> bool:
    """True for a model that makes pictures from text alone (no input image required)."""
    if model.get("endpoint") == "/images/generate":
        return True
    required = schema_of(model).get("required") or ()
    return is_edit_model(model) and "input_image" not in required


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
