"""Property tests: whatever the hub, a file or a user sends, only typed errors come out."""

from __future__ import annotations

import json
import string
from typing import Any

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from retouch.core import errors as E
from retouch.core import jsonio
from retouch.core.hub_errors import error_from_response, extract_error, parse_retry_after
from retouch.core.mask import EncodedMask, encode_mask
from retouch.core.redact import redact
from retouch.core.schema import ModelInfo, ParamSpec, builtin_model, model_info
from retouch.core.validation import coerce_param, validate_params

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)
error_words = st.sampled_from(
    [
        "error",
        "type",
        "detail",
        "message",
        "title",
        "status",
        "status_message",
        "invalid_params",
        "unauthenticated",
        "Insufficient credits",
        "403 Client Error",
        "Model not found: x",
    ]
)
error_docs = st.recursive(
    st.none() | st.integers() | st.text(max_size=20) | error_words,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(error_words | st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
statuses = st.integers(min_value=0, max_value=999) | st.sampled_from(
    [400, 401, 402, 403, 404, 409, 413, 422, 429, 500, 502, 503]
)
headers = st.dictionaries(
    st.sampled_from(["retry-after", "content-type", "x-other"]),
    st.text(max_size=20) | st.sampled_from(["7", "-1", "nan", "inf", "1e999", "  3 "]),
    max_size=3,
)


def _assert_hub_error(err: Any) -> None:
    assert isinstance(err, E.HubError)
    assert isinstance(err.message, str) and err.message
    assert "Traceback" not in err.message


@FUZZ
@given(statuses, headers, st.binary(max_size=600), st.booleans())
def test_error_from_arbitrary_bytes(status: int, hdrs: dict, body: bytes, is_edit: bool) -> None:
    _assert_hub_error(error_from_response(status, hdrs, body, is_edit=is_edit))


@FUZZ
@given(statuses, headers, error_docs | json_values)
def test_error_from_arbitrary_json(status: int, hdrs: dict, doc: Any) -> None:
    body = json.dumps(doc).encode()
    err = error_from_response(status, hdrs, body)
    _assert_hub_error(err)


@FUZZ
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_extract_error_never_raises(body: bytes) -> None:
    err_type, text, _ = extract_error(body)
    assert err_type is None or isinstance(err_type, str)
    assert text is None or isinstance(text, str)


def test_extract_error_survives_deep_nesting() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    assert extract_error(deep)[2] in (True, False)
    big_int = b'{"error": ' + b"9" * 5000 + b"}"
    assert extract_error(big_int)[1] is None or isinstance(extract_error(big_int)[1], str)


@FUZZ
@given(st.text(max_size=20))
def test_parse_retry_after(value: str) -> None:
    seconds = parse_retry_after(value)
    assert seconds is None or 0 <= seconds <= 3600


MODES = ["1", "L", "LA", "P", "RGB", "RGBA", "I;16", "I", "F", "CMYK"]


def _pixel(mode: str, level: int, alpha: int) -> Any:
    """A pixel value of brightness *level* (0-255) in *mode*."""
    return {
        "1": 255 if level >= 128 else 0,
        "L": level,
        "P": level,
        "LA": (level, alpha),
        "RGB": (level,) * 3,
        "RGBA": (level, level, level, alpha),
        "CMYK": (0, 0, 0, 255 - level),
        "I;16": level * 257,
        "I": level * 257,
        "F": float(level),
    }[mode]


def _mask_image(
    mode: str, size: tuple[int, int], fill: int, opaque: bool, box: tuple[float, ...]
) -> Any:
    img = Image.new(mode, size, _pixel(mode, fill, 255 if opaque else 0))
    w, h = size
    x0, y0 = int(box[0] * w), int(box[1] * h)
    x1, y1 = max(x0, int(box[2] * w)), max(y0, int(box[3] * h))
    if x1 > x0 and y1 > y0:
        img.paste(_pixel(mode, 255, 255), (x0, y0, x1, y1))
    return img


sizes = st.tuples(st.integers(0, 48), st.integers(0, 48))
fractions = st.tuples(*[st.floats(0, 1)] * 4)


@FUZZ
@given(st.sampled_from(MODES), sizes, st.integers(0, 255), st.booleans(), fractions, sizes)
def test_encode_mask_any_mode_and_size(
    mode: str,
    size: tuple[int, int],
    fill: int,
    opaque: bool,
    box: tuple[float, ...],
    target: tuple[int, int],
) -> None:
    target = (max(1, target[0]), max(1, target[1]))
    img = _mask_image(mode, size, fill, opaque, box)
    try:
        out = encode_mask(img, target)
    except E.InputError as exc:
        assert exc.message
        return
    if out is None:
        return
    assert isinstance(out, EncodedMask)
    assert out.size == target
    assert 0 < out.coverage <= 1
    from io import BytesIO

    with Image.open(BytesIO(out.png)) as decoded:
        assert decoded.mode == "L" and decoded.size == target
        histogram = decoded.histogram()
        assert sum(histogram[1:255]) == 0  # strictly black or white
        assert histogram[255] > 0


def _spec_strategy() -> st.SearchStrategy[ParamSpec]:
    numbers = st.none() | st.floats(allow_nan=False, allow_infinity=False, width=32)
    return st.builds(
        ParamSpec,
        name=st.text(min_size=1, max_size=10),
        kind=st.sampled_from(["enum", "integer", "number", "boolean", "string", "unknown"]),
        title=st.text(max_size=10),
        choices=st.lists(st.text(max_size=5) | st.integers(), max_size=4).map(tuple),
        minimum=numbers,
        maximum=numbers,
    )


anything = (
    json_values
    | st.text(max_size=20)
    | st.sampled_from(["1", "1.5", "nan", "inf", "-inf", "1e309", "true", "NO", " 3 ", ""])
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.complex_numbers()
    | st.binary(max_size=5)
)


@FUZZ
@given(_spec_strategy(), anything)
def test_coerce_param_raises_only_validation_errors(spec: ParamSpec, value: Any) -> None:
    try:
        coerce_param(spec, value)
    except E.ValidationError as exc:
        assert exc.field == spec.name and exc.message


@FUZZ
@given(
    st.dictionaries(
        st.text(max_size=15)
        | st.sampled_from(["num_images", "resolution", "quality", "output_format"]),
        anything,
        max_size=5,
    )
)
def test_validate_params_raises_only_validation_errors(params: dict[str, Any]) -> None:
    model = builtin_model()
    assert model is not None
    try:
        out = validate_params(model, params)
    except E.ValidationError as exc:
        assert exc.message
        return
    assert 1 <= out["num_images"] <= 4


schema_objects = json_values | st.fixed_dictionaries(
    {},
    optional={
        "required": json_values,
        "properties": st.dictionaries(
            st.text(max_size=10),
            json_values
            | st.fixed_dictionaries(
                {},
                optional={
                    "type": st.sampled_from(["integer", "number", "string", "boolean", "array"])
                    | json_values,
                    "enum": json_values,
                    "default": json_values,
                    "minimum": json_values,
                    "maximum": json_values,
                    "title": json_values,
                    "description": json_values,
                },
            ),
            max_size=4,
        ),
    },
)
schema_like = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values | st.sampled_from(["gpt-image-2-edit", "other"]),
        "display_name": json_values,
        "description": json_values,
        "capabilities": json_values | st.fixed_dictionaries({}, optional={"input": json_values}),
        "pricing": json_values,
        "request_schema": schema_objects,
        "json_request_schema": schema_objects,
    },
)


@FUZZ
@given(schema_like, anything)
def test_model_info_never_raises(raw: dict[str, Any], value: Any) -> None:
    info = model_info(raw)
    assert isinstance(info, ModelInfo)
    assert isinstance(info.id, str) and isinstance(info.display_name, str)
    info.defaults()
    _ = info.is_image_edit, info.pricing
    # What the form would then do with it: validate a value for each parameter.
    for spec in info.params:
        try:
            coerce_param(spec, value)
        except E.ValidationError:
            pass
    try:
        validate_params(info, {})
    except E.ValidationError:
        pass


# Random text is (almost) never a JSON object: this test used to reach model_info in 0 of
# 200 examples. Model objects written out (whole, or cut short) reach it; the events show
# how often (run with --hypothesis-show-statistics).
model_json_texts = st.one_of(
    schema_like.map(json.dumps),
    st.tuples(schema_like.map(json.dumps), st.integers(0, 300)).map(lambda t: t[0][: t[1]]),
    st.text(max_size=200),
)


@FUZZ
@example('{"id": "m", "json_request_schema": {"properties": {"n": {"type": "integer"}}}}')
@given(model_json_texts)
def test_model_info_from_json_text(text: str) -> None:
    try:
        raw = jsonio.loads(text, what="The model", expect=dict)
    except jsonio.JsonError as exc:
        event(f"refused by the reader: {exc.reason}")
        return
    event("reached model_info")
    info = model_info(raw)
    assert isinstance(info, ModelInfo) and isinstance(info.id, str)
    if info.params:
        event("built a parameter form")


token_chars = string.ascii_letters + string.digits + "-._~+/="
tokens = st.text(alphabet=token_chars, min_size=12, max_size=60)
noise = st.text(alphabet=string.printable, max_size=60)
base64_payload = st.binary(min_size=12, max_size=200).map(
    lambda b: __import__("base64").b64encode(b).decode()
)


@FUZZ
@given(noise, tokens, noise, st.sampled_from(["Bearer ", "bearer ", "BEARER  "]))
def test_redact_removes_bearer_tokens_and_the_key(
    before: str, token: str, after: str, scheme: str
) -> None:
    text = f"{before} Authorization: {scheme}{token} {after}"
    out = redact(text, [token])
    assert token not in out
    assert f"{scheme}{token}" not in out


@FUZZ
@given(noise, base64_payload, noise, st.sampled_from(["image/png", "image/jpeg", "image/webp"]))
def test_redact_removes_data_uris(before: str, payload: str, after: str, mime: str) -> None:
    text = f"{before} data:{mime};base64,{payload} {after}"
    out = redact(text)
    assert f"data:{mime};base64," not in out
    assert payload not in out


@FUZZ
@given(base64_payload, st.text(alphabet=token_chars, min_size=4, max_size=30))
def test_redact_signed_url_after_a_data_uri(payload: str, sig: str) -> None:
    text = f"data:image/png;base64,{payload} then https://hub.example/api/r.png?sig={sig}"
    out = redact(text)
    assert f"sig={sig}" not in out and payload not in out
    assert "then https://hub.example/api/r.png" in out
