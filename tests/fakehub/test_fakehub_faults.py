"""Every scripted fault kind behaves as documented."""

from __future__ import annotations

import io
import json
import time

import httpx
import pytest
from PIL import Image

from retouch.fakehub import FakeHub, Fault
from tests.fakehub.test_fakehub_edit import HANG_GUARD, watch_stopped_sleeps


@pytest.fixture
def body(data_uri):
    return {"prompt": "x", "input_image": data_uri(), "resolution": "1024x768"}


def edit(client, body):
    return client.post("/ai/images/edit", json=body)


def test_fault_defaults_and_validation():
    assert Fault("status").path == "/ai/images/edit"
    assert Fault("status").status == 500
    assert Fault("download_404").path == "/results/"
    assert Fault("download_huge").size > 0
    assert Fault("drop", method="post").method == "POST"
    with pytest.raises(ValueError):
        Fault("explode")
    with pytest.raises(ValueError):
        Fault("status", shape="xml")


def test_delay(client, fake_hub, body):
    fake_hub.add_fault(Fault("delay", seconds=0.3))
    start = time.perf_counter()
    r = edit(client, body)
    assert r.status_code == 200
    assert time.perf_counter() - start >= 0.3
    assert fake_hub.edit_requests()[-1].fault == "delay"


def test_delay_causes_read_timeout_and_stop_is_quick(data_uri):
    hub = FakeHub().start()
    hub.add_fault(Fault("delay", seconds=60))
    woke = watch_stopped_sleeps(hub)
    try:
        with pytest.raises(httpx.ReadTimeout):
            httpx.post(
                hub.base_url + "/ai/images/edit",
                json={"prompt": "x", "input_image": data_uri()},
                headers={"Authorization": "Bearer k"},
                timeout=httpx.Timeout(5, read=0.3),
            )
    finally:
        hub.stop()
    assert woke.wait(HANG_GUARD), "stop did not interrupt the 60 s delay"


def test_status_typed(client, fake_hub, body):
    fake_hub.add_fault(Fault("status", status=500, message="boom"))
    r = edit(client, body)
    assert r.status_code == 500
    assert r.json() == {
        "error": {"type": "unknown_error", "title": "Unknown error", "detail": "boom"},
        "status": "error",
        "status_message": "unknown_error",
    }


@pytest.mark.parametrize(
    ("status", "type_"),
    [
        (400, "invalid_params"),
        (401, "unauthenticated"),
        (404, "resource_not_found"),
        (503, "unknown_error"),
    ],
)
def test_status_typed_types(client, fake_hub, body, status, type_):
    fake_hub.add_fault(Fault("status", status=status))
    r = edit(client, body)
    assert r.status_code == status
    assert r.json()["error"]["type"] == type_
    assert r.json()["status_message"] == type_
    assert r.json()["error"]["detail"]


def test_status_message_shape(client, fake_hub, body):
    fake_hub.add_fault(Fault("status", status=402, shape="message", message="Insufficient credits"))
    r = edit(client, body)
    assert r.status_code == 402
    assert r.json() == {"error": {"message": "Insufficient credits"}}


def test_status_html(client, fake_hub, body):
    fake_hub.add_fault(Fault("status", status=502, shape="html"))
    r = edit(client, body)
    assert r.status_code == 502
    assert r.headers["content-type"].startswith("text/html")
    assert "<html" in r.text
    with pytest.raises(json.JSONDecodeError):
        r.json()


def test_status_text(client, fake_hub, body):
    fake_hub.add_fault(Fault("status", status=503, shape="text", message="down for maintenance"))
    r = edit(client, body)
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("text/plain")
    assert r.text == "down for maintenance"


def test_retry_after(client, fake_hub, body):
    fake_hub.add_fault(Fault("status", status=429, retry_after=2))
    r = edit(client, body)
    assert r.status_code == 429
    assert r.headers["retry-after"] == "2"
    assert r.json()["error"]["type"] == "rate_limited"
    assert edit(client, body).status_code == 200  # consumed


def test_malformed_json(client, fake_hub, body):
    fake_hub.add_fault(Fault("malformed_json"))
    r = edit(client, body)
    assert r.status_code == 200
    assert r.content == b'{"images": ['
    with pytest.raises(json.JSONDecodeError):
        r.json()


def test_truncated_json(client, fake_hub, body):
    fake_hub.add_fault(Fault("truncated_json"))
    with pytest.raises(httpx.RemoteProtocolError):
        edit(client, body)
    assert edit(client, body).status_code == 200  # the client recovers on a new connection


def test_empty_images(client, fake_hub, body):
    fake_hub.add_fault(Fault("empty_images"))
    r = edit(client, body)
    assert r.status_code == 200
    assert r.json()["images"] == []


def test_fewer_images(client, fake_hub, body):
    fake_hub.add_fault(Fault("fewer_images"))
    r = edit(client, {**body, "num_images": 4})
    assert r.status_code == 200
    assert len(r.json()["images"]) == 1


def test_drop(client, fake_hub, body):
    fake_hub.add_fault(Fault("drop"))
    with pytest.raises(httpx.RemoteProtocolError):
        edit(client, body)
    rec = fake_hub.edit_requests()[-1]
    assert (rec.fault, rec.status) == ("drop", None)
    assert edit(client, body).status_code == 200


def test_drop_mid_reply(client, fake_hub, body):
    fake_hub.add_fault(Fault("drop_mid_reply"))
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        edit(client, body)
    assert edit(client, body).status_code == 200


def result_url(client, body):
    r = edit(client, body)
    assert r.status_code == 200
    return r.json()["images"][0]["url"]


def test_download_404(client, fake_hub, body):
    url = result_url(client, body)
    fake_hub.add_fault(Fault("download_404"))
    r = httpx.get(url)
    assert r.status_code == 404
    assert r.json()["error"]["type"] == "resource_not_found"
    assert httpx.get(url).status_code == 200  # consumed


def test_download_truncated(client, fake_hub, body):
    url = result_url(client, body)
    fake_hub.add_fault(Fault("download_truncated"))
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(url)
    r = httpx.get(url)
    assert Image.open(io.BytesIO(r.content)).size == (1024, 768)


def test_download_not_image(client, fake_hub, body):
    url = result_url(client, body)
    fake_hub.add_fault(Fault("download_not_image"))
    r = httpx.get(url)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/plain"
    assert r.content == b"hello"


def test_download_huge_streams(client, fake_hub, body):
    url = result_url(client, body)
    fake_hub.add_fault(Fault("download_huge", size=3 * 1024 * 1024 + 7))
    with httpx.stream("GET", url) as r:
        assert r.status_code == 200
        assert r.headers["content-type"] == "image/png"
        total = sum(len(chunk) for chunk in r.iter_bytes())
    assert total == 3 * 1024 * 1024 + 7


def test_download_huge_can_be_abandoned(client, fake_hub, body):
    url = result_url(client, body)
    fake_hub.add_fault(Fault("download_huge", size=10**12))
    with httpx.stream("GET", url) as r:
        seen = 0
        for chunk in r.iter_bytes():
            seen += len(chunk)
            if seen > 1024 * 1024:
                break
    assert httpx.get(url).status_code == 200


def test_times_method_and_path_matching(client, fake_hub, body):
    fake_hub.add_fault(Fault("status", path="/ai/models", method="POST", status=500))
    fake_hub.add_fault(Fault("status", status=503, times=2))
    assert client.get("/ai/models").status_code == 200  # method does not match
    assert edit(client, body).status_code == 503
    assert edit(client, body).status_code == 503
    assert edit(client, body).status_code == 200
    assert len(fake_hub.pending_faults()) == 1
    fake_hub.clear_faults()
    assert fake_hub.pending_faults() == []


def test_faults_are_consumed_in_order(client, fake_hub, body):
    fake_hub.add_fault(Fault("status", status=500))
    fake_hub.add_fault(Fault("status", status=502))
    assert edit(client, body).status_code == 500
    assert edit(client, body).status_code == 502
    assert edit(client, body).status_code == 200


def test_fault_on_other_routes(client, fake_hub):
    fake_hub.add_fault(Fault("status", path="/ai/queue", status=500, shape="html"))
    fake_hub.add_fault(Fault("drop", path="/ai/models"))
    assert client.get("/ai/queue/abc").status_code == 500
    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/ai/models")
    assert client.get("/ai/models").status_code == 200
