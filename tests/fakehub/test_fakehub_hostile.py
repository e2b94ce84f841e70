"""Hostile hub faults: huge base64, too many results, dripping replies, the key echoed,
deeply nested JSON; and faults on the queue routes."""

from __future__ import annotations

import base64
import io
import json
import threading
import time
import tracemalloc
from collections.abc import Callable

import httpx
import pytest
from PIL import Image

from retouch.fakehub import FakeHub, Fault

KEY = "test-key"


@pytest.fixture
def body(data_uri):
    return {"prompt": "x", "input_image": data_uri(), "resolution": "1024x768"}


def wait_for(condition: Callable[[], object], what: str, limit: float = 10.0) -> None:
    """Wait on a real condition; the limit only turns a hang into a failure."""
    deadline = time.monotonic() + limit
    pause = threading.Event()
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        pause.wait(0.01)


def test_new_fault_defaults():
    assert Fault("huge_b64").size == 64 * 1024 * 1024
    assert Fault("many_images").count == 1000
    assert Fault("deep_json").depth == 5000
    assert (Fault("drip").seconds, Fault("drip").path) == (1.0, "/ai/images/edit")
    assert (Fault("download_drip").seconds, Fault("download_drip").path) == (1.0, "/results/")
    assert Fault("delay").seconds == 0.0
    assert Fault("echo_key").status is None
    with pytest.raises(ValueError):
        Fault("drip", seconds=0)


# ---- huge b64_json -----------------------------------------------------------------------


def test_huge_b64_is_valid_base64_of_the_size_asked(client, fake_hub, body):
    size = 3 * 1024 * 1024 + 6
    fake_hub.add_fault(Fault("huge_b64", size=size))
    with client.stream("POST", "/ai/images/edit", json=body) as r:
        assert r.status_code == 200
        assert "content-length" not in r.headers  # no early warning: it must be capped
        raw = b"".join(r.iter_bytes())
    doc = json.loads(raw)
    (item,) = doc["images"]
    assert len(item["b64_json"]) == size - size % 4
    decoded = base64.b64decode(item["b64_json"], validate=True)
    assert decoded.startswith(b"\x89PNG\r\n\x1a\n")
    assert fake_hub.edit_requests()[-1].fault == "huge_b64"


def test_huge_b64_is_streamed_not_built_in_memory(client, fake_hub, body):
    size = 32 * 1024 * 1024
    fake_hub.add_fault(Fault("huge_b64", size=size))
    tracemalloc.start()
    try:
        with client.stream("POST", "/ai/images/edit", json=body) as r:
            seen = sum(len(chunk) for chunk in r.iter_raw())
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen > size
    assert peak < size // 4  # neither side held the reply


def test_huge_b64_can_be_abandoned(client, fake_hub, body):
    fake_hub.add_fault(Fault("huge_b64", size=10**12))
    with client.stream("POST", "/ai/images/edit", json=body) as r:
        seen = 0
        for chunk in r.iter_raw():
            seen += len(chunk)
            if seen > 1024 * 1024:
                break
    assert seen > 1024 * 1024
    rec = fake_hub.edit_requests()[-1]
    wait_for(lambda: rec.finished_at is not None, "the hub to stop streaming")
    assert client.post("/ai/images/edit", json=body).status_code == 200


# ---- more results than asked -------------------------------------------------------------


def test_many_images_lists_a_thousand_distinct_links(client, fake_hub, body):
    fake_hub.add_fault(Fault("many_images"))
    r = client.post("/ai/images/edit", json={**body, "num_images": 1})
    items = r.json()["images"]
    assert len(items) == 1000
    urls = [item["url"] for item in items]
    assert len(set(urls)) == 1000
    first, last = httpx.get(urls[0]), httpx.get(urls[-1])
    assert first.status_code == last.status_code == 200
    assert first.content == last.content
    assert Image.open(io.BytesIO(last.content)).size == (1024, 768)
    assert fake_hub.edit_requests()[-1].num_outputs == 1000


def test_many_images_with_b64_and_the_data_shape(client, fake_hub, body):
    fake_hub.result_shape = "data"
    fake_hub.add_fault(Fault("many_images", count=6))
    r = client.post(
        "/ai/images/edit", json={**body, "num_images": 2, "response_format": "b64_json"}
    )
    items = r.json()["data"]
    assert len(items) == 6
    sizes = {Image.open(io.BytesIO(base64.b64decode(i["b64_json"]))).size for i in items}
    assert sizes == {(1024, 768)}


def test_many_generations_from_the_queue(client, fake_hub, body):
    fake_hub.add_fault(Fault("many_images", path="/ai/queue", method="POST", count=40))
    r = client.post("/ai/queue", json={**body, "num_generations": 1})
    gens = r.json()["generations"]
    assert len(gens) == 40
    assert len({g["generation_id"] for g in gens}) == 40


# ---- dripping replies --------------------------------------------------------------------


def test_drip_sends_the_whole_normal_reply_byte_by_byte(client, fake_hub):
    normal = client.get("/ai/models/fake-chat").content
    fake_hub.add_fault(Fault("drip", path="/ai/models/fake-chat", seconds=0.002))
    with client.stream("GET", "/ai/models/fake-chat") as r:
        assert r.headers["connection"] == "close"
        pieces = list(r.iter_raw())
    assert b"".join(pieces) == normal
    # It came in dribs over a second, not in one piece (reads may coalesce a few bytes).
    assert len(pieces) >= 10


def test_drip_stops_when_the_client_goes(client, fake_hub, body):
    fake_hub.add_fault(Fault("drip", seconds=30))
    with client.stream("POST", "/ai/images/edit", json=body) as r:
        assert r.status_code == 200
        got = next(r.iter_raw())
    assert got == b"{"  # then a 30 s wait, cut short by the client leaving
    rec = fake_hub.edit_requests()[-1]
    # Well before the next byte was due (the wait's limit is a third of it).
    wait_for(lambda: rec.finished_at is not None, "the drip to notice the client left")
    assert client.post("/ai/images/edit", json=body).status_code == 200


def test_download_drip_and_stop_during_a_drip(data_uri):
    hub = FakeHub().start()
    try:
        c = httpx.Client(base_url=hub.base_url, headers={"Authorization": "Bearer k"})
        r = c.post("/ai/images/edit", json={"prompt": "x", "input_image": data_uri()})
        url = r.json()["images"][0]["url"]
        hub.add_fault(Fault("download_drip", seconds=30))
        with httpx.stream("GET", url, timeout=10) as dl:
            assert int(dl.headers["content-length"]) > 1000
            chunks = dl.iter_raw()
            assert next(chunks) == b"\x89"  # one byte, then a 30 s wait ...
            rec = hub.requests[-1]
            assert rec.path.startswith("/results/") and rec.fault == "download_drip"
            hub.stop()  # ... which stopping the hub cuts short
            wait_for(lambda: rec.finished_at is not None, "the drip to end at stop")
            with pytest.raises(httpx.HTTPError):
                for _ in chunks:
                    pass
        c.close()
    finally:
        hub.stop()


# ---- the key echoed ----------------------------------------------------------------------


def test_echo_key_in_revised_prompt(client, fake_hub, body):
    fake_hub.add_fault(Fault("echo_key"))
    items = client.post("/ai/images/edit", json={**body, "num_images": 2}).json()["images"]
    assert len(items) == 2
    for item in items:
        assert KEY in item["revised_prompt"]
        assert item["revised_prompt"].startswith("x")
    assert KEY not in client.post("/ai/images/edit", json=body).text  # consumed


@pytest.mark.parametrize(("shape", "field"), [("typed", "detail"), ("message", "message")])
def test_echo_key_in_an_error(client, fake_hub, body, shape, field):
    fake_hub.add_fault(Fault("echo_key", status=401, shape=shape))
    r = client.post("/ai/images/edit", json=body)
    assert r.status_code == 401
    assert KEY in r.json()["error"][field]


def test_echo_key_in_a_queued_generation(client, fake_hub, body):
    fake_hub.add_fault(Fault("echo_key", path="/ai/queue", method="POST"))
    (gen,) = client.post("/ai/queue", json=body).json()["generations"]
    state = client.get(f"/ai/queue/{gen['generation_id']}").json()
    assert state["status"] == "failed"
    assert KEY in state["error_message"]
    # Or on a poll of a generation that was going well.
    (gen,) = client.post("/ai/queue", json=body).json()["generations"]
    fake_hub.add_fault(Fault("echo_key", path="/ai/queue/", method="GET"))
    state = client.get(f"/ai/queue/{gen['generation_id']}").json()
    assert (state["status"], KEY in state["error_message"]) == ("failed", True)


# ---- deeply nested JSON ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "method", "head"),
    [
        ("/ai/images/edit", "POST", b'{"model": "gpt-image-2-edit", "created": '),
        ("/ai/models", "GET", b'{"object": "list", "data": [[[['),
        ("/ai/queue", "POST", b'{"generations": [[[['),
    ],
)
def test_deep_json(client, fake_hub, body, path, method, head):
    fake_hub.add_fault(Fault("deep_json", path=path, method=method))
    r = client.request(method, path, json=body if method == "POST" else None)
    assert r.status_code == 200
    assert r.content.startswith(head)
    assert r.content.count(b"[") == r.content.count(b"]") == 5000
    with pytest.raises(RecursionError):
        json.loads(r.content)


def test_deep_json_depth_is_configurable(client, fake_hub, body):
    fake_hub.add_fault(Fault("deep_json", depth=3))
    assert client.post("/ai/images/edit", json=body).json()["images"] == [[[]]]


# ---- other faults on the queue -----------------------------------------------------------


def test_empty_and_fewer_generations(client, fake_hub, body):
    fake_hub.add_fault(Fault("empty_images", path="/ai/queue", method="POST"))
    assert client.post("/ai/queue", json=body).json() == {"generations": []}
    fake_hub.add_fault(Fault("fewer_images", path="/ai/queue", method="POST"))
    gens = client.post("/ai/queue", json={**body, "num_generations": 3}).json()["generations"]
    assert len(gens) == 1


def test_queue_poll_faults(client, fake_hub, body):
    (gen,) = client.post("/ai/queue", json=body).json()["generations"]
    gid = gen["generation_id"]
    fake_hub.add_fault(Fault("status", path="/ai/queue/", method="GET", status=503))
    fake_hub.add_fault(Fault("drip", path="/ai/queue/", method="GET", seconds=0.001))
    assert client.get(f"/ai/queue/{gid}").status_code == 503
    assert client.get(f"/ai/queue/{gid}").json()["status"] == "processing"  # dripped in
    assert client.get(f"/ai/queue/{gid}").json()["status"] == "succeeded"
