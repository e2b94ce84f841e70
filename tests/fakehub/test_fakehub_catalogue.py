"""gpt-image-2, schemas under both names, list entries without schemas, result shapes."""

from __future__ import annotations

import base64
import io
import math
import threading

import httpx
import pytest
from PIL import Image

from retouch.fakehub import GPT_IMAGE_2, MODELS, FakeHub, models
from retouch.fakehub.cli import main as cli_main


def uri(size=(64, 48), color=(128, 128, 128)) -> str:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def size_of(url: str) -> tuple[int, int]:
    return Image.open(io.BytesIO(httpx.get(url).content)).size


# ---- gpt-image-2 -----------------------------------------------------------------------


def test_gpt_image_2_is_described_as_on_its_hub_page(client):
    m = client.get("/ai/models/gpt-image-2").json()
    assert m == GPT_IMAGE_2
    assert m["endpoint"] == "/images/edit"
    assert "request_schema" not in m
    schema = m["json_request_schema"]
    props = schema["properties"]
    assert schema["required"] == ["prompt"]  # input_image is optional
    assert props["input_image"]["type"] == "array"
    assert props["aspect_ratio"]["enum"] == [
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
    ]
    assert props["aspect_ratio"]["default"] == "16:9"
    assert (props["resolution"]["enum"], props["resolution"]["default"]) == (
        ["1K", "2K", "4K"],
        "2K",
    )
    assert (props["quality"]["enum"], props["quality"]["default"]) == (
        ["low", "medium", "high"],
        "high",
    )
    assert (props["output_format"]["enum"], props["output_format"]["default"]) == (
        ["png", "jpeg", "webp"],
        "png",
    )
    assert props["mask_url"]["format"] == "uri"
    assert "num_images" not in props
    grid = m["pricing"]["cost_per_image_grid"]
    assert m["pricing"]["cost_per_image"] is None
    assert set(grid) == {"low", "medium", "high"}
    assert all(set(row) == {"1K", "2K", "4K"} for row in grid.values())
    assert grid["high"]["1K"] < grid["high"]["2K"] < grid["high"]["4K"]


def test_every_aspect_size_is_one_openai_accepts():
    for aspect, tiers in models.ASPECT_SIZES.items():
        a, b = (int(x) for x in aspect.split(":"))
        assert list(tiers) == ["1K", "2K", "4K"]
        sizes = list(tiers.values())
        assert sizes == sorted(sizes, key=lambda s: s[0] * s[1])
        for w, h in sizes:
            assert w % 16 == 0 and h % 16 == 0
            assert max(w, h) <= 3840 and 655_360 <= w * h <= 8_294_400
            assert abs(math.log((w / h) / (a / b))) < 0.01, (aspect, w, h)


@pytest.mark.parametrize(
    ("aspect", "tier", "size"),
    [
        ("16:9", "2K", (2048, 1152)),
        ("4:3", "1K", (1024, 768)),
        ("9:16", "4K", (2160, 3840)),
        ("1:1", "4K", (2880, 2880)),
        ("21:9", "1K", (2016, 864)),
    ],
)
def test_gpt_image_2_output_size_follows_aspect_and_tier(client, fake_hub, aspect, tier, size):
    r = client.post(
        "/ai/images/edit",
        json={
            "model": "gpt-image-2",
            "prompt": "x",
            "input_image": [uri((64, 48))],
            "aspect_ratio": aspect,
            "resolution": tier,
            "quality": "low",
        },
    )
    assert r.status_code == 200, r.text
    assert size_of(r.json()["images"][0]["url"]) == size
    rec = fake_hub.edit_requests()[-1]
    assert (rec.model, rec.output_size) == ("gpt-image-2", size)


def test_gpt_image_2_defaults_and_auto_aspect(client, fake_hub):
    body = {"model": "gpt-image-2", "prompt": "x", "input_image": [uri((300, 200))]}
    assert client.post("/ai/images/edit", json=body).status_code == 200
    assert fake_hub.edit_requests()[-1].output_size == (2048, 1152)  # 16:9, 2K
    r = client.post("/ai/images/edit", json={**body, "aspect_ratio": "auto", "resolution": "1K"})
    assert r.status_code == 200
    assert fake_hub.edit_requests()[-1].output_size == (1536, 1024)  # 3:2 like the input


def test_gpt_image_2_generates_without_an_input_and_makes_one_image(client, fake_hub):
    r = client.post(
        "/ai/images/edit",
        json={"model": "gpt-image-2", "prompt": "an ox", "resolution": "1K", "num_images": 3},
    )
    assert r.status_code == 200, r.text
    (item,) = r.json()["images"]  # no num_images in its schema: one per request
    assert size_of(item["url"]) == (1536, 864)
    assert fake_hub.edit_requests()[-1].input_sizes == []


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"input_image": "https://x/y.png"}, "input_image"),  # a list, per its page
        ({"aspect_ratio": "5:4"}, "aspect_ratio"),
        ({"resolution": "1024x1024"}, "resolution"),
        ({"quality": "ultra"}, "quality"),
    ],
)
def test_gpt_image_2_refuses_what_its_schema_does_not_allow(client, patch, field):
    body = {"model": "gpt-image-2", "prompt": "x", "input_image": [uri()], **patch}
    body = {k: v for k, v in body.items() if v is not None}
    r = client.post("/ai/images/edit", json=body)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["detail"].startswith(field)


def test_gpt_image_2_mask_needs_an_input(client, fake_hub):
    r = client.post(
        "/ai/images/edit", json={"model": "gpt-image-2", "prompt": "x", "mask_url": uri()}
    )
    assert r.status_code == 400
    assert r.json()["error"]["detail"].startswith("mask_url: a mask needs an input_image")
    assert fake_hub.result_names() == []


def test_gpt_image_2_mask_must_match_the_first_input(client):
    body = {"model": "gpt-image-2", "prompt": "x", "input_image": [uri((64, 48))]}
    assert client.post("/ai/images/edit", json={**body, "mask_url": uri((64, 48))}).is_success
    r = client.post("/ai/images/edit", json={**body, "mask_url": uri((48, 64))})
    assert r.status_code == 400
    assert "48x64" in r.json()["error"]["detail"]


def test_gpt_image_2_on_the_generate_route_but_not_gpt_image_2_edit(client, fake_hub):
    r = client.post(
        "/ai/images/generate",
        json={"model": "gpt-image-2", "prompt": "x", "aspect_ratio": "9:21", "resolution": "2K"},
    )
    assert r.status_code == 200, r.text
    (item,) = r.json()["images"]
    assert size_of(item["url"]) == (1152, 2688)
    r = client.post("/ai/images/generate", json={"model": "gpt-image-2-edit", "prompt": "x"})
    assert r.status_code == 400
    assert "does not generate" in r.json()["error"]["detail"]


def test_gpt_image_2_agrees_with_the_clients_builtin_schema():
    schema_mod = pytest.importorskip("retouch.core.schema")
    sizes_mod = pytest.importorskip("retouch.core.sizes")
    if "gpt-image-2" not in schema_mod.BUILTIN_MODELS:
        pytest.skip("the client has no built-in gpt-image-2")
    assert sizes_mod.TIER_SIZES == models.ASPECT_SIZES
    builtin = schema_mod.BUILTIN_MODELS["gpt-image-2"]
    theirs = models.schema_of(builtin)["properties"]
    ours = models.schema_of(GPT_IMAGE_2)["properties"]
    assert set(theirs) == set(ours)
    for name in ours:
        for key in ("enum", "default", "type"):
            assert theirs[name].get(key) == ours[name].get(key), (name, key)
    assert (
        builtin["pricing"]["cost_per_image_grid"] == GPT_IMAGE_2["pricing"]["cost_per_image_grid"]
    )


def test_gpt_image_2_through_the_queue(client):
    gid = client.post(
        "/ai/queue",
        json={"model": "gpt-image-2", "prompt": "x", "aspect_ratio": "3:4", "resolution": "1K"},
    ).json()["generations"][0]["generation_id"]
    client.get(f"/ai/queue/{gid}")
    done = client.get(f"/ai/queue/{gid}").json()
    assert done["status"] == "succeeded", done
    assert size_of(done["result_url"]) == (768, 1024)


# ---- schema names and list entries -------------------------------------------------------


def test_each_model_is_served_under_its_own_schema_name(client):
    listed = {m["id"]: m for m in client.get("/ai/models").json()["data"]}
    assert set(listed) == {m["id"] for m in MODELS}
    assert "request_schema" in listed["gpt-image-2-edit"]
    assert "json_request_schema" in listed["gpt-image-2"]
    assert "json_request_schema" in listed["fake-text-to-image"]
    for m in listed.values():
        assert sum(f in m for f in ("request_schema", "json_request_schema")) == 1
        own = client.get(f"/ai/models/{m['id']}").json()
        assert own == m


@pytest.mark.parametrize("field", ["request_schema", "json_request_schema"])
def test_schema_field_renames_every_schema(field):
    with FakeHub(schema_field=field) as hub:
        c = httpx.Client(base_url=hub.base_url, headers={"Authorization": "Bearer k"})
        other = ({"request_schema", "json_request_schema"} - {field}).pop()
        for m in c.get("/ai/models").json()["data"]:
            assert isinstance(m[field], dict) and other not in m
        own = c.get("/ai/models/gpt-image-2").json()
        assert own[field] == models.schema_of(GPT_IMAGE_2)
        # Edits still validate against the schema, whatever it is called.
        r = c.post("/ai/images/edit", json={"model": "gpt-image-2", "prompt": "x", "quality": "z"})
        assert r.status_code == 400
        c.close()


@pytest.mark.parametrize("mode", ["null", "absent"])
def test_list_entries_without_schemas_but_each_model_whole(fake_hub, client, mode):
    fake_hub.list_schema = mode
    for m in client.get("/ai/models").json()["data"]:
        for name in ("request_schema", "json_request_schema"):
            if mode == "absent":
                assert name not in m
            else:
                assert m.get(name) is None
        assert m["id"] and m["capabilities"] and m["pricing"]
        own = client.get(f"/ai/models/{m['id']}").json()
        assert models.schema_of(own)["properties"], m["id"]
    assert fake_hub.models(listed=True)[0].get("request_schema") is None
    assert fake_hub.model("gpt-image-2-edit")["request_schema"]["properties"]


def test_bad_settings_are_refused():
    with pytest.raises(ValueError):
        FakeHub(list_schema="none")
    with pytest.raises(ValueError):
        FakeHub(schema_field="schema")
    with pytest.raises(ValueError):
        FakeHub(result_shape="items")


# ---- result shapes -----------------------------------------------------------------------


def test_result_shape_data_is_openai_style(fake_hub, client):
    fake_hub.result_shape = "data"
    r = client.post("/ai/images/edit", json={"prompt": "x", "input_image": uri(), "num_images": 2})
    doc = r.json()
    assert set(doc) == {"created", "data"}
    assert len(doc["data"]) == 2
    assert all(size_of(item["url"]) == (1024, 1024) for item in doc["data"])
    r = client.post(
        "/ai/images/edit",
        json={"prompt": "x", "input_image": uri(), "response_format": "b64_json"},
    )
    (item,) = r.json()["data"]
    assert Image.open(io.BytesIO(base64.b64decode(item["b64_json"]))).size == (1024, 1024)


def test_result_shape_image_url_is_one_link(fake_hub, client):
    fake_hub.result_shape = "image_url"
    for rf in ("url", "b64_json"):
        r = client.post(
            "/ai/images/edit",
            json={"prompt": "x", "input_image": uri(), "num_images": 3, "response_format": rf},
        )
        doc = r.json()
        assert set(doc) == {"model", "created", "image_url"}
        assert size_of(doc["image_url"]) == (1024, 1024)
        assert fake_hub.edit_requests()[-1].num_outputs == 1


def test_result_shape_applies_to_generate(fake_hub, client):
    fake_hub.result_shape = "data"
    r = client.post("/ai/images/generate", json={"prompt": "x", "num_images": 2})
    assert len(r.json()["data"]) == 2


def test_cli_flags_reach_the_hub(capsys):
    stop = threading.Event()
    argv = [
        "--port",
        "0",
        "--list-schema",
        "absent",
        "--schema-field",
        "json_request_schema",
        "--result-shape",
        "data",
    ]
    t = threading.Thread(target=cli_main, args=(argv,), kwargs={"_stop": stop})
    t.start()
    try:
        out = ""
        for _ in range(200):
            out += capsys.readouterr().out
            if "Ctrl+C" in out:
                break
            stop.wait(0.05)
        base = out.split()[4]
        c = httpx.Client(base_url=base, headers={"Authorization": "Bearer k"})
        listed = c.get("/ai/models").json()["data"]
        assert all("json_request_schema" not in m and "request_schema" not in m for m in listed)
        assert "json_request_schema" in c.get("/ai/models/gpt-image-2-edit").json()
        r = c.post("/ai/images/edit", json={"prompt": "x", "input_image": uri()})
        assert "data" in r.json()
        c.close()
    finally:
        stop.set()
        t.join(5)
    with pytest.raises(SystemExit):
        cli_main(["--result-shape", "nope"])
