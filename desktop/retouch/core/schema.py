"""Model descriptions and their parameter schemas: built in, fetched, cached for offline use.

A parameter form is built from a model's ``request_schema`` (JSON Schema). Fields the app
fills itself (prompt, inputs, mask, response format) are not shown as parameters.
"""

from __future__ import annotations

import copy
import logging
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from retouch.core.atomic import atomic_write_json
from retouch.core.jsonio import read_file_or

log = logging.getLogger(__name__)

DEFAULT_MODEL = "gpt-image-2-edit"
#: How many results an edit asks for: the one spelling of the parameter, and its default.
NUM_IMAGES = "num_images"
DEFAULT_NUM_IMAGES = 1
#: The queue's spelling of it (API.md §3): one image per generation.
NUM_GENERATIONS = "num_generations"

# Set by the app from the request itself, never shown in the parameter form.
APP_FIELDS = frozenset(
    {
        "model",
        "prompt",
        "input_image",
        "input_images",
        "image_url",
        "image_urls",
        "mask_url",
        "response_format",
        "target_namespace",
        NUM_GENERATIONS,
    }
)

ASPECT_RATIOS = ["1:1", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3", "21:9", "9:21"]
RESOLUTIONS = ["1024x768", "1024x1024", "1024x1536", "1920x1080", "2560x1440", "3840x2160"]

BUILTIN_MODELS: dict[str, dict[str, Any]] = {
    DEFAULT_MODEL: {
        "id": DEFAULT_MODEL,
        "display_name": "GPT Image 2 Edit",
        "description": "OpenAI GPT Image 2, editing: change an image from a prompt and a mask.",
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
                "prompt": {"type": "string", "description": "What to change"},
                "input_image": {
                    "description": "Image URL(s); the first is edited, the rest are references",
                    "anyOf": [
                        {"type": "string", "format": "uri"},
                        {"type": "array", "items": {"type": "string", "format": "uri"}},
                    ],
                },
                "resolution": {
                    "type": "string",
                    "enum": RESOLUTIONS,
                    "default": "1024x1024",
                    "title": "Resolution",
                    "description": "Up to 1920x1080 bills at the standard tier, 2560x1440 and "
                    "up at the high-resolution tier",
                },
                "quality": {
                    "type": "string",
                    "enum": ["high"],
                    "default": "high",
                    "title": "Quality",
                },
                NUM_IMAGES: {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 4,
                    "default": DEFAULT_NUM_IMAGES,
                    "title": "Images",
                },
                "output_format": {
                    "type": "string",
                    "enum": ["png", "jpeg", "webp"],
                    "default": "png",
                    "title": "Format",
                },
                "mask_url": {"type": "string", "format": "uri"},
                "response_format": {"type": "string", "enum": ["url", "b64_json"]},
            },
        },
    },
    # From the hub's model page, docs.oxen.ai/inference-api/reference/models/gpt-image-2
    # (enums and defaults as published). The page names no prices ("see cost_per_image_grid");
    # the grid below is fal's published per-image table for the same model, taking its
    # 1024x1024, 2560x1440 and 3840x2160 rows for 1K, 2K and 4K: an estimate, shown with "≈".
    # The pixels of each aspect ratio × tier are in core/sizes.py (TIER_SIZES).
    "gpt-image-2": {
        "id": "gpt-image-2",
        "display_name": "GPT Image 2",
        "description": "OpenAI GPT Image 2: generate from a prompt, or edit a reference image "
        "with an optional mask.",
        "endpoint": "/images/generate",
        "capabilities": {"input": ["text", "image"], "output": ["image"]},
        "pricing": {
            "method": "per_image",
            "cost_per_image": 0.23,
            "cost_per_image_grid": {
                "low": {"1K": 0.01, "2K": 0.01, "4K": 0.02},
                "medium": {"1K": 0.06, "2K": 0.06, "4K": 0.11},
                "high": {"1K": 0.22, "2K": 0.23, "4K": 0.41},
            },
        },
        "request_schema": {
            "type": "object",
            "required": ["prompt"],
            "properties": {
                "prompt": {"type": "string", "description": "Text description of the image"},
                "input_image": {
                    "type": "array",
                    "items": {"type": "string", "format": "uri"},
                    "description": "Optional reference image(s) to edit",
                },
                "aspect_ratio": {
                    "type": "string",
                    "enum": ["auto", *ASPECT_RATIOS],
                    "default": "16:9",
                    "title": "Aspect Ratio",
                },
                "resolution": {
                    "type": "string",
                    "enum": ["1K", "2K", "4K"],
                    "default": "2K",
                    "title": "Resolution",
                    "description": "Higher tiers render more pixels and cost more",
                },
                "quality": {
                    "type": "string",
                    "enum": ["low", "medium", "high"],
                    "default": "high",
                    "title": "Quality",
                },
                "output_format": {
                    "type": "string",
                    "enum": ["png", "jpeg", "webp"],
                    "default": "png",
                    "title": "Format",
                },
                "mask_url": {
                    "type": "string",
                    "format": "uri",
                    "description": "White pixels mark regions to edit; black pixels are kept",
                },
            },
        },
    },
}

MAX_EDGE = 3840


def image_count(params: Mapping[str, Any]) -> int:
    """How many results *params* ask for (at least one; the default when unreadable)."""
    value = params.get(NUM_IMAGES, params.get(NUM_GENERATIONS, DEFAULT_NUM_IMAGES))
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return DEFAULT_NUM_IMAGES


@dataclass(frozen=True)
class ParamSpec:
    """One user-settable parameter, as the form and the validator see it."""

    name: str
    kind: str  # "enum", "integer", "number", "boolean", "string", "unknown"
    title: str
    description: str = ""
    default: Any = None
    choices: tuple[Any, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    required: bool = False


@dataclass
class ModelInfo:
    id: str
    display_name: str
    description: str
    raw: dict[str, Any]
    params: list[ParamSpec] = field(default_factory=list)
    source: str = "builtin"  # "builtin", "hub" or "cache"

    @property
    def pricing(self) -> dict[str, Any]:
        pricing = self.raw.get("pricing")
        return pricing if isinstance(pricing, dict) else {}

    def param(self, name: str) -> ParamSpec | None:
        return next((p for p in self.params if p.name == name), None)

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params if p.default is not None}

    @property
    def is_image_edit(self) -> bool:
        caps = self.raw.get("capabilities")
        if isinstance(caps, dict):
            ins, outs = caps.get("input") or [], caps.get("output") or []
            if isinstance(ins, list) and isinstance(outs, list):
                return "image" in ins and "image" in outs
        return "edit" in str(self.raw.get("endpoint", ""))


def _title(name: str, spec: dict[str, Any]) -> str:
    title = spec.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    return re.sub(r"_+", " ", name).strip().capitalize()


def _finite(value: Any) -> float | None:
    """A schema number as float; None for anything else (bools, text, JSON's 1e400, NaN)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _param_from_schema(name: str, spec: Any, required: bool) -> ParamSpec:
    if not isinstance(spec, dict):
        return ParamSpec(name, "unknown", _title(name, {}), required=required)
    text = spec.get("description")
    description = text if isinstance(text, str) else ""
    default = spec.get("default")
    typ = spec.get("type")
    enum = spec.get("enum")
    if isinstance(enum, list) and enum and all(isinstance(v, (str, int, float)) for v in enum):
        if default not in enum:
            default = enum[0]
        kind, choices = "enum", tuple(enum)
        return ParamSpec(
            name, kind, _title(name, spec), description, default, choices, required=required
        )

    if typ in ("integer", "number"):
        value = _finite(default)
        return ParamSpec(
            name,
            typ,
            _title(name, spec),
            description,
            int(value) if typ == "integer" and value is not None else value,
            minimum=_finite(spec.get("minimum")),
            maximum=_finite(spec.get("maximum")),
            required=required,
        )
    if typ == "boolean":
        return ParamSpec(
            name,
            "boolean",
            _title(name, spec),
            description,
            bool(default) if isinstance(default, bool) else False,
            required=required,
        )
    if typ == "string":
        return ParamSpec(
            name,
            "string",
            _title(name, spec),
            description,
            default if isinstance(default, str) else None,
            required=required,
        )
    return ParamSpec(name, "unknown", _title(name, spec), description, default, required=required)


#: Where a model object keeps its parameter schema: the hub's model pages name it
#: ``json_request_schema``, older material ``request_schema`` (API.md §4). Read either.
SCHEMA_FIELDS = ("json_request_schema", "request_schema")


def request_schema(raw: Any) -> dict[str, Any] | None:
    """The model's parameter schema (a JSON Schema object with properties), or None."""
    if not isinstance(raw, dict):
        return None
    for key in SCHEMA_FIELDS:
        schema = raw.get(key)
        properties = schema.get("properties") if isinstance(schema, dict) else None
        if isinstance(properties, dict) and properties:
            return schema
    return None


def has_schema(raw: Any) -> bool:
    return request_schema(raw) is not None


def model_info(raw: dict[str, Any], source: str = "hub") -> ModelInfo:
    """Build a ModelInfo from a model object; tolerant of anything malformed in it.

    A model without a schema of its own that Retouch knows built in gets the built-in
    schema, so gpt-image-2-edit never has an empty parameter form."""
    schema = request_schema(raw)
    if schema is None and isinstance(raw.get("id"), str) and raw["id"] in BUILTIN_MODELS:
        schema = request_schema(BUILTIN_MODELS[raw["id"]])
    props = schema.get("properties") if isinstance(schema, dict) else None
    required_list = schema.get("required") if isinstance(schema, dict) else None
    if not isinstance(required_list, list):
        required_list = []
    required = {r for r in required_list if isinstance(r, str)}
    params: list[ParamSpec] = []
    if isinstance(props, dict):
        for name, spec in props.items():
            if not isinstance(name, str) or name in APP_FIELDS:
                continue
            params.append(_param_from_schema(name, spec, name in required))
    model_id = str(raw.get("id") or DEFAULT_MODEL)
    display = raw.get("display_name")
    desc = raw.get("description")
    return ModelInfo(
        id=model_id,
        display_name=display if isinstance(display, str) and display else model_id,
        description=desc if isinstance(desc, str) else "",
        raw=raw,
        params=params,
        source=source,
    )


def builtin_model(model_id: str = DEFAULT_MODEL) -> ModelInfo | None:
    raw = BUILTIN_MODELS.get(model_id)
    return model_info(copy.deepcopy(raw), "builtin") if raw else None


class SchemaCache:
    """Models fetched from the hub, kept on disk so the form works offline."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _path(self, model_id: str) -> Path:
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", model_id)
        return self.folder / "models" / f"{safe}.json"

    def save(self, raw: dict[str, Any]) -> None:
        if not has_schema(raw):
            # A list entry without its schema must not replace a cached one that has it.
            cached = self.load(str(raw.get("id")))
            if cached is not None and has_schema(cached):
                raw = {**cached, **{k: v for k, v in raw.items() if k not in SCHEMA_FIELDS}}
        try:
            # Key order is the form's field order: keep it as the hub sent it.
            atomic_write_json(self._path(str(raw["id"])), raw, sort_keys=False)
        except OSError as exc:
            log.warning("could not cache model schema: %s", exc)

    def load(self, model_id: str) -> dict[str, Any] | None:
        raw = read_file_or(self._path(model_id), None, expect=dict)
        return raw if isinstance(raw, dict) and raw.get("id") == model_id else None

    def save_list(self, models: list[dict[str, Any]]) -> None:
        try:
            atomic_write_json(self.folder / "models" / "_list.json", models, sort_keys=False)
        except OSError as exc:
            log.warning("could not cache the model list: %s", exc)
        for raw in models:
            self.save(raw)

    def load_list(self) -> list[dict[str, Any]]:
        data = read_file_or(self.folder / "models" / "_list.json", [], expect=list)
        return [m for m in data if isinstance(m, dict) and isinstance(m.get("id"), str)]


def complete_model(
    raw: dict[str, Any], cache: SchemaCache | None, fetch: Any = None
) -> tuple[dict[str, Any], str]:
    """*raw* (a model as the hub listed it) with a parameter schema, and where that came from.

    In order: its own (``json_request_schema`` or ``request_schema``) → "hub"; the model's own
    entry, ``GET /ai/models/{id}`` via *fetch* → "hub" (and cached); the cache → "cache"; the
    built-in schema → "builtin". Returned unchanged (source "hub") when none has one.
    Shared by the window's model catalogue and the CLI.
    """
    from retouch.core.errors import RetouchError

    if has_schema(raw):
        return raw, "hub"
    model_id = raw.get("id")
    if not isinstance(model_id, str) or not model_id:
        return raw, "hub"
    if fetch is not None:
        try:
            full = fetch(model_id)
        except RetouchError as exc:
            log.info("model %s not fetched (%s)", model_id, type(exc).__name__)
        else:
            if isinstance(full, dict) and has_schema(full):
                merged = {**raw, **full}
                if cache is not None:
                    cache.save(merged)
                return merged, "hub"
    if cache is not None:
        cached = cache.load(model_id)
        if cached is not None and has_schema(cached):
            return {**raw, "request_schema": request_schema(cached)}, "cache"
    builtin = BUILTIN_MODELS.get(model_id)
    if builtin is not None:
        return {**raw, "request_schema": copy.deepcopy(request_schema(builtin))}, "builtin"
    return raw, "hub"


def resolve_model_list(
    raws: list[dict[str, Any]], cache: SchemaCache | None, fetch: Any = None
) -> list[ModelInfo]:
    """ModelInfo for every model a ``GET /ai/models`` listed, each with the best schema
    :func:`complete_model` finds (only models listed without one cost a request)."""
    infos = []
    for raw in raws:
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            continue
        completed, source = complete_model(raw, cache, fetch)
        infos.append(model_info(completed, source))
    return infos


def resolve_model(model_id: str, cache: SchemaCache | None, fetch: Any = None) -> ModelInfo:
    """The hub's current schema if reachable, else the cached one, else the built-in one.

    *fetch* is a callable ``model_id -> dict`` (normally ``HubClient.get_model``).
    """
    from retouch.core.errors import RetouchError, ValidationError

    if fetch is not None:
        try:
            raw = fetch(model_id)
        except RetouchError as exc:
            log.info("model %s not fetched (%s); using cache", model_id, type(exc).__name__)
        else:
            completed, source = complete_model(raw, cache)
            if cache is not None:
                cache.save(completed)
            return model_info(completed, source)
    if cache is not None:
        raw = cache.load(model_id)
        if raw is not None:
            return model_info(raw, "cache")
    builtin = builtin_model(model_id)
    if builtin is not None:
        return builtin
    raise ValidationError(
        "model",
        f"Unknown model '{model_id}'. Known without a connection: {', '.join(BUILTIN_MODELS)}.",
        list(BUILTIN_MODELS),
    )
