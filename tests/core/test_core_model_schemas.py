"""A model list without schemas never gives an empty parameter form (issue 13 §12): both
schema field names are read; a model listed without one is completed from its own entry,
then the cache, then the built-in schema. Over loopback HTTP (``hostile_hub``)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from retouch.core.hub_client import HubClient
from retouch.core.schema import (
    BUILTIN_MODELS,
    DEFAULT_MODEL,
    SchemaCache,
    complete_model,
    model_info,
    request_schema,
    resolve_model,
    resolve_model_list,
)
from tests.core.hostile_hub import HostileHub, Request

KEY = "test-key"
SCHEMA = {
    "type": "object",
    "properties": {
        "prompt": {"type": "string"},
        "style": {"type": "string", "enum": ["photo", "sketch"], "default": "sketch"},
    },
}
EDIT = {"capabilities": {"input": ["text", "image"], "output": ["image"]}}


def _listed(model_id: str, **extra: Any) -> dict[str, Any]:
    return {"id": model_id, "display_name": model_id, **EDIT, **extra}


@pytest.fixture
def hub() -> Any:
    with HostileHub() as h:
        yield h


def test_both_schema_field_names_are_read() -> None:
    new_style = model_info(_listed("a", json_request_schema=SCHEMA))
    old_style = model_info(_listed("b", request_schema=SCHEMA))
    assert [p.name for p in new_style.params] == ["style"] == [p.name for p in old_style.params]
    # An empty or null field does not hide the other name's schema.
    both = _listed("c", json_request_schema=None, request_schema=SCHEMA)
    assert request_schema(both) == SCHEMA


@pytest.mark.parametrize("schema", [None, {}, {"type": "object", "properties": {}}, "x"])
def test_gpt_image_2_edit_never_has_an_empty_form(schema: Any) -> None:
    raw = _listed(DEFAULT_MODEL, request_schema=schema, json_request_schema=schema)
    info = model_info(raw)
    names = {p.name for p in info.params}
    assert {"resolution", "num_images", "output_format"} <= names


def test_a_list_without_schemas_is_completed(hub: HostileHub, tmp_path: Path) -> None:
    listing = [
        _listed(DEFAULT_MODEL, request_schema=None),  # the hub's own entry fails below
        _listed("new-style", json_request_schema=SCHEMA),
        _listed("needs-entry"),  # no schema field at all: asked for
        _listed("cached-only", request_schema=None),  # its entry fails; the cache has it
        _listed("unknown"),  # nothing anywhere: no form, but listed
    ]
    entries = {"needs-entry": _listed("needs-entry", json_request_schema=SCHEMA)}

    def one(req: Request) -> None:
        model_id = req.path.rsplit("/", 1)[-1]
        if model_id in entries:
            req.send_json(entries[model_id])
        else:
            req.send_json({"error": {"type": "resource_not_found", "title": "no"}}, 404)

    hub.route("GET", "/ai/models/", one)
    hub.route("GET", "/ai/models", lambda req: req.send_json({"object": "list", "data": listing}))
    cache = SchemaCache(tmp_path)
    cache.save(_listed("cached-only", request_schema=SCHEMA))
    with HubClient(hub.base_url, KEY) as client:
        infos = {m.id: m for m in resolve_model_list(client.list_models(), cache, client.get_model)}
    assert [p.name for p in infos["new-style"].params] == ["style"]
    assert infos["new-style"].source == "hub"
    assert [p.name for p in infos["needs-entry"].params] == ["style"]
    assert infos["needs-entry"].source == "hub"
    assert [p.name for p in infos["cached-only"].params] == ["style"]
    assert infos["cached-only"].source == "cache"
    assert infos[DEFAULT_MODEL].source == "builtin"
    assert infos[DEFAULT_MODEL].param("resolution") is not None
    assert infos["unknown"].params == []
    asked = sorted(r.path for r in hub.made("GET", "/ai/models/"))
    assert asked == [
        f"/ai/models/{m}" for m in sorted([DEFAULT_MODEL, "cached-only", "needs-entry", "unknown"])
    ]
    # The fetched entry was cached for offline use, and a schema-less listing never
    # overwrites a cached schema.
    assert request_schema(cache.load("needs-entry")) == SCHEMA
    cache.save(_listed("cached-only", request_schema=None))
    assert request_schema(cache.load("cached-only")) == SCHEMA


def test_resolve_model_fills_a_schema_less_entry_from_cache_then_builtin(
    hub: HostileHub, tmp_path: Path
) -> None:
    hub.route("GET", "/ai/models/", lambda req: req.send_json(_listed(req.path.rsplit("/")[-1])))
    cache = SchemaCache(tmp_path)
    cache.save(_listed("cached", json_request_schema=SCHEMA))
    with HubClient(hub.base_url, KEY) as client:
        cached = resolve_model("cached", cache, client.get_model)
        builtin = resolve_model(DEFAULT_MODEL, cache, client.get_model)
    assert cached.source == "cache" and [p.name for p in cached.params] == ["style"]
    assert builtin.source == "builtin" and builtin.param("num_images") is not None


def test_complete_model_leaves_a_model_with_a_schema_alone() -> None:
    raw = _listed("x", json_request_schema=SCHEMA)
    completed, source = complete_model(copy.deepcopy(raw), None, fetch=lambda _id: 1 / 0)
    assert completed == raw and source == "hub"
    assert request_schema(BUILTIN_MODELS[DEFAULT_MODEL]) is not None
