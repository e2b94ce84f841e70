"""Model schemas, parameter validation, pricing, base-URL rules and redaction."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from retouch.core import errors as E
from retouch.core.hub_client import HubClient, is_loopback_host, validate_base_url
from retouch.core.pricing import estimate_cost
from retouch.core.redact import clean_detail, redact
from retouch.core.schema import (
    BUILTIN_MODELS,
    DEFAULT_MODEL,
    RESOLUTIONS,
    SchemaCache,
    builtin_model,
    model_info,
    resolve_model,
)
from retouch.core.validation import validate_params, validate_prompt
from retouch.fakehub import GPT_IMAGE_2_EDIT, MODELS

KEY = "test-key"


def builtin() -> Any:
    model = builtin_model()
    assert model is not None
    return model


# --- schema ---------------------------------------------------------------------------


def test_builtin_schema_agrees_with_the_hub() -> None:
    ours = {p.name: p for p in builtin().params}
    theirs = {p.name: p for p in model_info(copy.deepcopy(GPT_IMAGE_2_EDIT)).params}
    assert ours.keys() == theirs.keys() == {"resolution", "quality", "num_images", "output_format"}
    for name, mine in ours.items():
        hub = theirs[name]
        assert (mine.kind, mine.choices, mine.default) == (hub.kind, hub.choices, hub.default)
        assert (mine.minimum, mine.maximum) == (hub.minimum, hub.maximum)
    assert list(ours["resolution"].choices) == RESOLUTIONS
    assert builtin().pricing == GPT_IMAGE_2_EDIT["pricing"]
    assert builtin().defaults() == {
        "resolution": "1024x1024",
        "quality": "high",
        "num_images": 1,
        "output_format": "png",
    }


def test_app_fields_are_not_parameters() -> None:
    names = {p.name for p in builtin().params}
    assert not names & {"prompt", "input_image", "mask_url", "response_format", "model"}


def test_fake_models_parse() -> None:
    infos = {m["id"]: model_info(copy.deepcopy(m)) for m in MODELS}
    assert infos["gpt-image-2-edit"].is_image_edit
    assert infos["fake-style-edit"].is_image_edit
    assert not infos["fake-chat"].is_image_edit
    style = {p.name: p for p in infos["fake-style-edit"].params}
    assert style["style"].kind == "enum" and style["style"].choices == (
        "photo",
        "sketch",
        "watercolor",
    )
    assert (style["strength"].kind, style["strength"].minimum, style["strength"].maximum) == (
        "integer",
        0,
        100,
    )
    assert style["keep_colors"].kind == "boolean" and style["keep_colors"].default is True
    assert style["negative_prompt"].kind == "string"


def test_resolve_model_prefers_hub_then_cache_then_builtin(fake_hub: Any, tmp_path: Path) -> None:
    cache = SchemaCache(tmp_path)
    with HubClient(fake_hub.base_url, KEY) as client:
        fetched = resolve_model("fake-style-edit", cache, fetch=client.get_model)
    assert fetched.source == "hub"
    assert cache.load("fake-style-edit") is not None

    def offline(_model_id: str) -> Any:
        raise E.ConnectFailedError("offline")

    cached = resolve_model("fake-style-edit", cache, fetch=offline)
    assert cached.source == "cache" and cached.id == "fake-style-edit"
    assert [p.name for p in cached.params] == [p.name for p in fetched.params]

    fallback = resolve_model(DEFAULT_MODEL, SchemaCache(tmp_path / "empty"), fetch=offline)
    assert fallback.source == "builtin"
    assert fallback.param("resolution") is not None

    with pytest.raises(E.ValidationError, match="Unknown model 'nope'") as info:
        resolve_model("nope", cache, fetch=offline)
    assert info.value.field == "model"
    assert info.value.allowed == list(BUILTIN_MODELS)


def test_schema_cache_ignores_garbage(tmp_path: Path) -> None:
    cache = SchemaCache(tmp_path)
    assert cache.load("gpt-image-2-edit") is None
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "gpt-image-2-edit.json").write_text("{not json")
    assert cache.load("gpt-image-2-edit") is None
    (tmp_path / "models" / "gpt-image-2-edit.json").write_text('{"id": "other"}')
    assert cache.load("gpt-image-2-edit") is None
    cache.save_list([{"id": "a/b c"}, {"id": "x"}])
    assert [m["id"] for m in cache.load_list()] == ["a/b c", "x"]
    assert cache.load("a/b c") == {"id": "a/b c"}
    (tmp_path / "models" / "_list.json").write_text("[1, 2")
    assert cache.load_list() == []


def test_model_info_tolerates_odd_schemas() -> None:
    odd = model_info(
        {
            "id": "odd",
            "request_schema": {
                "required": [["not", "a", "name"], "n", {"x": 1}],
                "properties": {
                    "n": {"type": "integer", "default": float("inf"), "minimum": float("nan")},
                    "f": {"type": "number", "default": float("nan")},
                    "e": {"enum": ["a", "b"], "default": "zzz"},
                    "weird": 5,
                },
            },
        }
    )
    params = {p.name: p for p in odd.params}
    assert params["n"].required and params["n"].default is None and params["n"].minimum is None
    assert params["f"].default is None
    assert params["e"].default == "a"
    assert params["weird"].kind == "unknown"


# --- validation -----------------------------------------------------------------------


def test_validate_params_fills_defaults_and_coerces_cli_strings() -> None:
    params = validate_params(builtin(), {"num_images": "3", "resolution": "3840x2160"})
    assert params == {
        "resolution": "3840x2160",
        "quality": "high",
        "num_images": 3,
        "output_format": "png",
    }


@pytest.mark.parametrize(
    ("params", "field", "fragment"),
    [
        ({"resolution": "4k"}, "resolution", "must be one of: 1024x768, 1024x1024, 1024x1536"),
        ({"num_images": 0}, "num_images", "from 1 to 4 (got 0)"),
        ({"num_images": 7}, "num_images", "from 1 to 4 (got 7)"),
        ({"num_images": 2.5}, "num_images", "whole number"),
        ({"num_images": True}, "num_images", "whole number"),
        ({"num_images": "nan"}, "num_images", "whole number"),
        ({"quality": "low"}, "quality", "must be one of: high"),
        ({"output_format": "gif"}, "output_format", "png, jpeg, webp"),
        ({"size": "1024x1024"}, "size", "Its parameters are: resolution, quality"),
    ],
)
def test_validate_params_names_the_field_and_allowed_values(
    params: dict[str, Any], field: str, fragment: str
) -> None:
    with pytest.raises(E.ValidationError) as info:
        validate_params(builtin(), params)
    assert info.value.field == field
    assert fragment in info.value.message
    assert info.value.exit_code == E.EXIT_USAGE


def test_validate_params_booleans_and_strings() -> None:
    model = model_info(copy.deepcopy(MODELS[1]))  # fake-style-edit
    ok = validate_params(model, {"keep_colors": "no", "negative_prompt": "blur", "strength": "70"})
    assert ok["keep_colors"] is False and ok["strength"] == 70
    with pytest.raises(E.ValidationError, match="true or false"):
        validate_params(model, {"keep_colors": "maybe"})
    with pytest.raises(E.ValidationError, match="must be text"):
        validate_params(model, {"negative_prompt": 5})
    with pytest.raises(E.ValidationError, match="from 0 to 100"):
        validate_params(model, {"strength": 101})


def test_validate_prompt() -> None:
    assert validate_prompt("  hi  ") == "hi"
    for bad in ("", "   \n\t", None):
        with pytest.raises(E.ValidationError, match="Write a prompt"):
            validate_prompt(bad)  # type: ignore[arg-type]
    with pytest.raises(E.ValidationError, match="too long"):
        validate_prompt("x" * 32001)


# --- pricing --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "tier", "dollars"),
    [
        ({"resolution": "1024x1024", "num_images": 1}, "standard", 0.22),
        ({"resolution": "1920x1080", "num_images": 4}, "standard", 0.88),
        ({"resolution": "2560x1440", "num_images": 1}, "high-res", 0.41),
        ({"resolution": "3840x2160", "num_images": 2}, "high-res", 0.82),
        ({"resolution": "auto"}, None, 0.22),
    ],
)
def test_estimate_cost(params: dict[str, Any], tier: str | None, dollars: float) -> None:
    estimate = estimate_cost(builtin(), params)
    assert estimate.tier == tier
    assert estimate.dollars == pytest.approx(dollars)
    assert f"${dollars:.2f}" in estimate.label()


def test_estimate_cost_without_pricing() -> None:
    model = model_info({"id": "free", "pricing": {"method": "per_token"}})
    assert estimate_cost(model, {"num_images": 3}).label() == "3 images · price unknown"


# --- base URLs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://hub.oxen.ai/api",
        "https://hub.oxen.ai/api/",
        "http://127.0.0.1:8765/api",
        "http://localhost:8765/api",
        "http://[::1]:8765/api",
        "http://127.5.6.7/api",
    ],
)
def test_valid_base_urls(url: str) -> None:
    assert validate_base_url(url) == url.rstrip("/")


@pytest.mark.parametrize(
    "url",
    [
        "http://hub.oxen.ai/api",
        "http://192.168.1.10:8765/api",
        "http://0.0.0.0:8765/api",
        "http://127.0.0.1.evil.example/api",
        "http://localhost.evil.example/api",
        "http://127.0.0.1@evil.example/api",
        "ftp://hub.oxen.ai/api",
        "hub.oxen.ai/api",
        "",
        "https://",
    ],
)
def test_invalid_base_urls(url: str) -> None:
    with pytest.raises(E.ConfigError):
        validate_base_url(url)


def test_is_loopback_host() -> None:
    assert is_loopback_host("LOCALHOST") and is_loopback_host("[::1]")
    assert not is_loopback_host("example.com") and not is_loopback_host("10.0.0.1")


# --- redaction ------------------------------------------------------------------------


def test_redact_scrubs_keys_data_uris_and_signed_urls() -> None:
    text = (
        "Authorization: Bearer sk-abc123 sent with key sk-abc123 and "
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB to "
        "https://hub.oxen.ai/api/results/x.png?sig=SECRET&exp=1"
    )
    out = redact(text, ["sk-abc123"])
    for gone in ("sk-abc123", "iVBORw0KGgo", "SECRET", "sig="):
        assert gone not in out
    assert "https://hub.oxen.ai/api/results/x.png" in out


def test_clean_detail_shortens_and_strips_control_characters() -> None:
    detail = clean_detail("bad\x00\x07 thing\n\n   happened " + "x" * 1000, limit=50)
    assert len(detail) == 50 and detail.endswith("…")
    assert "\x00" not in detail and "  " not in detail
