"""The async queue: submit, poll through the states, cancel, list."""

from __future__ import annotations

import io

import httpx
import pytest
from PIL import Image

from retouch.fakehub import FakeHub


def submit(client, data_uri, **extra):
    body = {"prompt": "x", "input_image": data_uri(), "resolution": "1024x768", **extra}
    r = client.post("/ai/queue", json=body)
    assert r.status_code == 200, r.text
    return r.json()["generations"]


def test_lifecycle(client, fake_hub, data_uri):
    gens = submit(client, data_uri, num_generations=2, output_format="jpeg")
    assert [g["status"] for g in gens] == ["queued", "queued"]
    ids = [g["generation_id"] for g in gens]
    assert len(set(ids)) == 2
    assert len(fake_hub.queue_requests()) == 1
    assert fake_hub.edit_requests() == []

    first = client.get(f"/ai/queue/{ids[0]}").json()
    assert first["status"] == "processing"
    assert first["result_url"] is None
    assert set(first) == {
        "generation_id",
        "status",
        "result_url",
        "error_message",
        "created_at",
        "updated_at",
        "model",
    }
    done = client.get(f"/ai/queue/{ids[0]}").json()
    assert done["status"] == "succeeded"
    assert done["error_message"] is None
    assert done["model"] == "gpt-image-2-edit"
    assert done["result_url"].startswith(fake_hub.base_url + "/results/")
    got = httpx.get(done["result_url"])
    im = Image.open(io.BytesIO(got.content))
    assert (im.format, im.size) == ("JPEG", (1024, 768))
    # Further polls leave it alone.
    assert client.get(f"/ai/queue/{ids[0]}").json() == done

    active = client.get("/ai/queue").json()["generations"]
    assert [g["generation_id"] for g in active] == [ids[1]]
    everything = client.get("/ai/queue", params={"status": "all"}).json()["generations"]
    assert {g["generation_id"] for g in everything} == set(ids)


def test_cancel(client, fake_hub, data_uri):
    (gen,) = submit(client, data_uri)
    gid = gen["generation_id"]
    r = client.delete(f"/ai/queue/{gid}")
    assert r.status_code == 200
    assert r.json()["status"] == "cancelled"
    assert client.get(f"/ai/queue/{gid}").json()["status"] == "cancelled"
    assert client.get("/ai/queue").json()["generations"] == []
    assert fake_hub.generation(gid)["status"] == "cancelled"


def test_validation_errors_surface_when_polled(client, data_uri):
    (gen,) = submit(client, data_uri, resolution="5x5")
    state = client.get(f"/ai/queue/{gen['generation_id']}").json()
    assert state["status"] == "failed"
    assert state["error_message"].startswith("resolution")
    assert state["result_url"] is None
    (gen,) = submit(client, data_uri, model="nope")
    state = client.get(f"/ai/queue/{gen['generation_id']}").json()
    assert (state["status"], state["error_message"]) == ("failed", "Model not found: nope")


@pytest.mark.parametrize("n", [0, 5, "2"])
def test_bad_num_generations(client, data_uri, n):
    r = client.post(
        "/ai/queue", json={"prompt": "x", "input_image": data_uri(), "num_generations": n}
    )
    assert r.status_code == 400
    assert r.json()["error"]["detail"].startswith("num_generations")


def test_unknown_generation(client):
    assert client.get("/ai/queue/nope").status_code == 404
    assert client.delete("/ai/queue/nope").json()["error"]["type"] == "resource_not_found"


def test_queue_steps(data_uri):
    with (
        FakeHub(queue_steps=3) as hub,
        httpx.Client(base_url=hub.base_url, headers={"Authorization": "Bearer k"}) as c,
    ):
        gid = c.post("/ai/queue", json={"prompt": "x", "input_image": data_uri()}).json()[
            "generations"
        ][0]["generation_id"]
        states = [c.get(f"/ai/queue/{gid}").json()["status"] for _ in range(3)]
    assert states == ["processing", "processing", "succeeded"]


def test_queue_needs_auth(fake_hub):
    assert httpx.post(fake_hub.base_url + "/ai/queue", json={}).status_code == 401
