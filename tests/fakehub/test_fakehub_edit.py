"""Image edits against the fake hub over real loopback HTTP."""

from __future__ import annotations

import base64
import io
import threading
import time

import httpx
import pytest
from PIL import Image

from retouch.fakehub import FakeHub
from retouch.fakehub import images as hub_images
from retouch.fakehub.errors import Stopped

FORMATS = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}
CTYPES = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}


def edit(client: httpx.Client, **body) -> httpx.Response:
    body.setdefault("prompt", "make it blue")
    return client.post("/ai/images/edit", json=body)


def fetch(url: str) -> httpx.Response:
    # No Authorization header: result URLs are fetched without credentials.
    return httpx.get(url, timeout=30)


@pytest.mark.parametrize("fmt", ["png", "jpeg", "webp"])
@pytest.mark.parametrize("n", [1, 4])
def test_edit_returns_real_images_at_the_requested_resolution(client, fake_hub, data_uri, fmt, n):
    before = int(time.time())
    r = edit(client, input_image=data_uri(), resolution="1024x768", num_images=n, output_format=fmt)
    after = time.time()
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["model"] == "gpt-image-2-edit"
    assert isinstance(doc["created"], int)
    assert before <= doc["created"] <= after  # stamped while it was served, however slow
    assert len(doc["images"]) == n
    urls = [item["url"] for item in doc["images"]]
    assert len(set(urls)) == n
    for item in doc["images"]:
        assert item["revised_prompt"] == "make it blue"
        assert item["url"].startswith(fake_hub.base_url + "/results/")
        assert "?sig=" in item["url"]
        got = fetch(item["url"])
        assert got.status_code == 200
        assert got.headers["content-type"] == CTYPES[fmt]
        assert int(got.headers["content-length"]) == len(got.content)
        im = Image.open(io.BytesIO(got.content))
        assert im.format == FORMATS[fmt]
        assert im.size == (1024, 768)
    rec = fake_hub.edit_requests()[-1]
    assert rec.num_outputs == n
    assert rec.output_size == (1024, 768)
    assert rec.output_format == fmt
    assert rec.result_urls == urls


def test_outputs_differ_per_index(client, data_uri):
    r = edit(client, input_image=data_uri(), resolution="1024x768", num_images=3)
    pixels = set()
    for item in r.json()["images"]:
        im = Image.open(io.BytesIO(fetch(item["url"]).content)).convert("RGB")
        pixels.add(im.getpixel((10, 10)))
    assert len(pixels) == 3


def test_b64_json(client, data_uri):
    r = edit(
        client,
        input_image=data_uri(),
        resolution="1024x1536",
        num_images=2,
        output_format="webp",
        response_format="b64_json",
    )
    assert r.status_code == 200, r.text
    items = r.json()["images"]
    assert len(items) == 2
    for item in items:
        assert "url" not in item
        im = Image.open(io.BytesIO(base64.b64decode(item["b64_json"])))
        assert (im.format, im.size) == ("WEBP", (1024, 1536))


def test_default_parameters(client, fake_hub, data_uri):
    r = client.post("/ai/images/edit", json={"prompt": "x", "input_image": data_uri()})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert len(doc["images"]) == 1
    im = Image.open(io.BytesIO(fetch(doc["images"][0]["url"]).content))
    assert (im.format, im.size) == ("PNG", (1024, 1024))
    rec = fake_hub.edit_requests()[-1]
    assert rec.json == {"prompt": "x", "input_image": data_uri()}
    assert rec.input_sizes == [(64, 48)]
    assert rec.input_formats == ["PNG"]
    assert rec.input_sources == ["data"]
    assert rec.mask_size is None


def test_mask_is_recorded_and_white_means_edit(client, fake_hub, data_uri, half_mask_uri):
    r = edit(
        client,
        input_image=data_uri(size=(64, 48)),
        mask_url=half_mask_uri(size=(64, 48)),
        resolution="1024x768",
    )
    assert r.status_code == 200, r.text
    rec = fake_hub.edit_requests()[-1]
    assert rec.mask_size == (64, 48)
    assert rec.mask_mode == "L"
    assert rec.mask_white_fraction == pytest.approx(0.5)
    im = Image.open(io.BytesIO(fetch(r.json()["images"][0]["url"]).content)).convert("RGB")
    assert im.size == (1024, 768)
    left, right = im.getpixel((100, 400)), im.getpixel((900, 400))
    # Black = keep: only the model's slight redraw there; white = edit: the edit colour.
    assert right == hub_images.redrawn_pixel((128, 128, 128))
    assert left == hub_images.edited_pixel((128, 128, 128), 0)


def test_without_mask_everything_changes(client, data_uri):
    r = edit(client, input_image=data_uri(), resolution="1024x768")
    im = Image.open(io.BytesIO(fetch(r.json()["images"][0]["url"]).content)).convert("RGB")
    assert im.getpixel((100, 400)) != (128, 128, 128)
    assert im.getpixel((900, 400)) != (128, 128, 128)


def test_rgba_mask_is_read_by_its_colour(client, fake_hub, data_uri, half_mask_uri):
    r = edit(client, input_image=data_uri(size=(64, 48)), mask_url=half_mask_uri((64, 48), "RGBA"))
    assert r.status_code == 200, r.text
    rec = fake_hub.edit_requests()[-1]
    assert rec.mask_mode == "RGBA"
    assert rec.mask_white_fraction == pytest.approx(0.5)


def test_mismatched_mask_is_refused_like_openai_and_recorded(
    client, fake_hub, data_uri, half_mask_uri
):
    r = edit(client, input_image=data_uri(size=(64, 48)), mask_url=half_mask_uri((32, 24), "RGBA"))
    assert r.status_code == 400, r.text
    doc = r.json()
    assert doc["error"]["type"] == "invalid_params"
    detail = doc["error"]["detail"]
    assert detail.startswith("mask_url")
    assert "32x24" in detail and "64x48" in detail
    rec = fake_hub.edit_requests()[-1]
    assert (rec.status, rec.mask_mode, rec.mask_size) == (400, "RGBA", (32, 24))
    assert rec.input_sizes == [(64, 48)]
    assert fake_hub.result_names() == []  # nothing rendered, nothing to pay for


def test_several_inputs(client, fake_hub, data_uri):
    r = edit(client, input_image=[data_uri((40, 30)), data_uri((20, 20), mode="RGBA")])
    assert r.status_code == 200, r.text
    rec = fake_hub.edit_requests()[-1]
    assert rec.input_sizes == [(40, 30), (20, 20)]
    assert rec.input_modes == ["RGB", "RGBA"]


def test_4k_output(client, data_uri):
    # Its speed (about 0.2 s to render, well under a second with the PNG) is measured by
    # hand, not asserted: the machines are shared.
    r = edit(client, input_image=data_uri(size=(256, 144)), resolution="3840x2160")
    assert r.status_code == 200, r.text
    im = Image.open(io.BytesIO(fetch(r.json()["images"][0]["url"]).content))
    assert im.size == (3840, 2160)


def test_result_url_can_be_the_next_input(client, fake_hub, data_uri):
    first = edit(client, input_image=data_uri(), resolution="1024x768").json()
    url = first["images"][0]["url"]
    r = edit(client, input_image=url, resolution="1024x768")
    assert r.status_code == 200, r.text
    rec = fake_hub.edit_requests()[-1]
    assert rec.input_sources == ["result"]
    assert rec.input_sizes == [(1024, 768)]


def test_unknown_result_is_404(fake_hub):
    r = fetch(fake_hub.base_url + "/results/nope.png")
    assert r.status_code == 404
    assert r.json()["error"]["type"] == "resource_not_found"


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"prompt": None}, "prompt"),
        ({"prompt": "   "}, "prompt"),
        ({"prompt": 3}, "prompt"),
        ({"input_image": None}, "input_image"),
        ({"input_image": []}, "input_image"),
        ({"input_image": 5}, "input_image"),
        ({"input_image": ["data:x", 5]}, "input_image[1]"),
        ({"resolution": "800x600"}, "resolution"),
        ({"num_images": 0}, "num_images"),
        ({"num_images": 5}, "num_images"),
        ({"num_images": "2"}, "num_images"),
        ({"output_format": "gif"}, "output_format"),
        ({"quality": "low"}, "quality"),
        ({"response_format": "file"}, "response_format"),
        ({"mask_url": 7}, "mask_url"),
    ],
)
def test_invalid_params(client, data_uri, patch, field):
    body = {"prompt": "x", "input_image": data_uri()}
    body.update(patch)
    body = {k: v for k, v in body.items() if v is not None}
    r = client.post("/ai/images/edit", json=body)
    assert r.status_code == 400, r.text
    doc = r.json()
    assert doc["status"] == "error"
    assert doc["status_message"] == "invalid_params"
    assert doc["error"]["type"] == "invalid_params"
    assert doc["error"]["title"]
    assert doc["error"]["detail"].startswith(field)


@pytest.mark.parametrize("bad", ["data:image/png;base64,!!!", "data:image/png;base64,aGVsbG8="])
def test_undecodable_data_uri(client, bad):
    r = client.post("/ai/images/edit", json={"prompt": "x", "input_image": bad})
    assert r.status_code == 400
    assert r.json()["error"]["detail"].startswith("input_image")


def test_body_not_json(client):
    r = client.post(
        "/ai/images/edit", content=b"{nope", headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 400
    assert r.json()["error"]["type"] == "invalid_params"


def test_unknown_model_uses_message_shape(client, data_uri):
    r = edit(client, model="bad-model-name", input_image=data_uri())
    assert r.status_code == 404
    assert r.json() == {"error": {"message": "Model not found: bad-model-name"}}


def test_text_only_model_cannot_edit(client, data_uri):
    r = edit(client, model="fake-text-to-image", input_image=data_uri())
    assert r.status_code == 400
    assert r.json()["error"]["detail"].startswith("model")


@pytest.mark.parametrize("field", ["input_image", "mask_url"])
def test_foreign_url_is_forbidden_like_the_real_one(client, data_uri, field):
    url = "https://example.com/cat.png"
    body = {"prompt": "x", "input_image": data_uri(), field: url}
    r = client.post("/ai/images/edit", json=body)
    assert r.status_code == 400
    assert r.json() == {
        "error": {
            "message": f"Getting model response error: 403 Client Error: Forbidden for url: {url}"
        }
    }


def test_own_url_that_does_not_exist(client, fake_hub):
    url = fake_hub.base_url + "/results/missing.png"
    r = edit(client, input_image=url)
    assert r.status_code == 400
    assert "404 Client Error" in r.json()["error"]["message"]


def test_style_model_parameters(client, fake_hub, data_uri):
    r = edit(
        client,
        model="fake-style-edit",
        input_image=data_uri(size=(80, 60)),
        style="sketch",
        strength=80,
        keep_colors=False,
        negative_prompt="blur",
        num_images=2,
        output_format="jpeg",
    )
    assert r.status_code == 200, r.text
    assert r.json()["model"] == "fake-style-edit"
    im = Image.open(io.BytesIO(fetch(r.json()["images"][0]["url"]).content))
    assert (im.format, im.size) == ("JPEG", (80, 60))
    for bad in ({"style": "oil"}, {"strength": 101}, {"keep_colors": "yes"}):
        r = edit(client, model="fake-style-edit", input_image=data_uri(), **bad)
        assert r.status_code == 400
        assert r.json()["error"]["detail"].startswith(next(iter(bad)))


#: Only turns a hang into a failure; nothing here is timed against it.
HANG_GUARD = 60.0


def watch_stopped_sleeps(hub: FakeHub) -> threading.Event:
    """An event set when one of *hub*'s delays (a request sleeping) is cut short by stop()."""
    woke = threading.Event()
    real = hub._sleep

    def sleep(seconds: float) -> None:
        try:
            real(seconds)
        except Stopped:
            woke.set()
            raise

    hub._sleep = sleep  # type: ignore[method-assign]
    return woke


def test_global_delay_is_applied_and_interrupted_by_stop(data_uri):
    hub = FakeHub(delay=0.4).start()
    woke = watch_stopped_sleeps(hub)
    try:
        start = time.perf_counter()
        r = httpx.post(
            hub.base_url + "/ai/images/edit",
            json={"prompt": "x", "input_image": data_uri()},
            headers={"Authorization": "Bearer anything"},
            timeout=10,
        )
        assert r.status_code == 200
        assert time.perf_counter() - start >= 0.4
        hub.delay = 30
        with pytest.raises(httpx.HTTPError):
            httpx.post(
                hub.base_url + "/ai/images/edit",
                json={"prompt": "x", "input_image": data_uri()},
                headers={"Authorization": "Bearer anything"},
                timeout=0.3,
            )
    finally:
        hub.stop()
    # The 30 s delay was cut short by the stop (its wait ended with Stopped), not served.
    assert woke.wait(HANG_GUARD), "stop did not interrupt the delay"
