"""The async queue and uploading inputs to an Oxen repository (API.md §2, §3)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from retouch.core import errors as E
from retouch.core.editing import EditRunner, build_body, prepare_edit
from retouch.core.hub_client import HubClient
from retouch.core.request import EditRequest, InputRef
from retouch.core.schema import builtin_model
from retouch.core.uploaders import (
    DataUriUploader,
    OxenRepoUploader,
    make_uploader,
    parse_upload_spec,
)
from retouch.fakehub import Fault

KEY = "test-key"


def png(size: tuple[int, int] = (48, 32), color: Any = (10, 120, 220)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


def queue_body(**extra: Any) -> dict[str, Any]:
    model = builtin_model()
    assert model is not None
    request = EditRequest("add snow", [InputRef(data=png(), name="x.png")], model, {})
    prepared = prepare_edit(request)
    urls = [DataUriUploader().url_for(p.data, p.mime, p.sha256) for p in prepared.inputs]
    body = build_body(prepared, urls, None)
    body.pop("num_images")
    return {**body, "resolution": "1024x768", **extra}


def test_queue_submit_poll_download(fake_hub: Any) -> None:
    with HubClient(fake_hub.base_url, KEY) as client:
        ids = client.queue_submit(queue_body(num_generations=2))
        assert len(ids) == 2
        listed = {g["generation_id"] for g in client.queue_list()}
        assert listed == set(ids)
        first = client.queue_get(ids[0])
        assert first["status"] in ("queued", "processing")
        done = client.queue_get(ids[0])
        assert done["status"] == "succeeded"
        data = client.download(done["result_url"])
        assert Image.open(io.BytesIO(data)).size == (1024, 768)


def test_queue_cancel(fake_hub: Any) -> None:
    with HubClient(fake_hub.base_url, KEY) as client:
        (gen,) = client.queue_submit(queue_body())
        client.queue_cancel(gen)
        assert client.queue_get(gen)["status"] == "cancelled"
        assert client.queue_list() == []  # no longer active
        with pytest.raises(E.NotFoundError):
            client.queue_get("no-such-generation")


def test_queue_parameter_errors_surface_as_failed(fake_hub: Any) -> None:
    with HubClient(fake_hub.base_url, KEY) as client:
        (gen,) = client.queue_submit(queue_body(resolution="12x12"))
        state = client.queue_get(gen)
        assert state["status"] == "failed"
        assert "resolution" in state["error_message"]


def test_queue_submit_is_not_resent_after_a_drop(fake_hub: Any) -> None:
    fake_hub.add_fault(Fault("drop", path="/ai/queue", method="POST"))
    with HubClient(fake_hub.base_url, KEY) as client, pytest.raises(E.ConnectionLostError):
        client.queue_submit(queue_body())
    assert len(fake_hub.queue_requests()) == 1


def test_queue_status_poll_is_retried_after_a_drop(fake_hub: Any) -> None:
    with HubClient(fake_hub.base_url, KEY) as client:
        (gen,) = client.queue_submit(queue_body())
        fake_hub.add_fault(Fault("drop", path=f"/ai/queue/{gen}", method="GET"))
        assert client.queue_get(gen)["status"] in ("queued", "processing")


def run_with_uploader(hub: Any, tmp_path: Path, uploader_factory: Any, mask: bool = False) -> Any:
    model = builtin_model()
    assert model is not None
    photo = tmp_path / "photo.png"
    photo.write_bytes(png((64, 48)))
    mask_image = None
    if mask:
        mask_image = Image.new("L", (64, 48), 0)
        mask_image.paste(255, (0, 0, 32, 48))
    request = EditRequest(
        "x",
        [InputRef(path=photo), InputRef(path=photo)],
        model,
        {"resolution": "1024x768"},
        mask_image=mask_image,
    )
    prepared = prepare_edit(request)
    with HubClient(hub.base_url, KEY) as client:
        runner = EditRunner(client, tmp_path / "out", uploader=uploader_factory(client))
        return runner.run(prepared)


def test_repo_uploader_uploads_each_image_once(fake_hub: Any, tmp_path: Path) -> None:
    cache = tmp_path / "uploaded.json"

    def factory(client: HubClient) -> OxenRepoUploader:
        return OxenRepoUploader(client, "alice", "retouch-inputs", cache)

    outcome = run_with_uploader(fake_hub, tmp_path, factory, mask=True)
    assert len(outcome.results) == 1

    creates = [r for r in fake_hub.requests if r.method == "POST" and r.path == "/repos"]
    assert len(creates) == 1
    assert creates[0].json == {"namespace": "alice", "name": "retouch-inputs", "is_public": True}
    puts = [r for r in fake_hub.requests if r.method == "PUT"]
    assert len(puts) == 2  # the photo (used twice) once, plus the mask
    for put in puts:
        assert put.headers["authorization"] == f"Bearer {KEY}"
        assert put.path.startswith("/repos/alice/retouch-inputs/file/main/retouch-inputs/")
        assert set(put.form) >= {"message", "name", "email"}
        assert "file" in put.files
    (sent,) = fake_hub.edit_requests()
    first, second = sent.json["input_image"]
    assert first == second
    assert first.startswith(f"{fake_hub.base_url}/repos/alice/retouch-inputs/file/main/")
    assert sent.json["mask_url"].startswith(f"{fake_hub.base_url}/repos/alice/")
    assert sent.input_sources == ["repo", "repo"]
    assert sent.mask_white_fraction == pytest.approx(0.5, abs=0.01)

    known = json.loads(cache.read_text("utf-8"))  # content hash → URL, per hub and repo
    assert len(known) == 2 and all(v.startswith(fake_hub.base_url) for v in known.values())


def test_repo_uploader_cache_survives_a_restart(fake_hub: Any, tmp_path: Path) -> None:
    cache = tmp_path / "uploaded.json"

    def factory(client: HubClient) -> OxenRepoUploader:
        return OxenRepoUploader(client, "alice", "inputs", cache)

    run_with_uploader(fake_hub, tmp_path, factory)
    assert len([r for r in fake_hub.requests if r.method == "PUT"]) == 1
    before = len(fake_hub.requests)
    run_with_uploader(fake_hub, tmp_path, factory)
    again = fake_hub.requests[before:]
    assert [(r.method, r.path) for r in again] == [("POST", "/ai/images/edit")] + [
        ("GET", r.path) for r in again[1:]
    ]
    assert all(r.path.startswith("/results/") for r in again[1:])


def test_existing_repo_is_not_an_error(fake_hub: Any, tmp_path: Path) -> None:
    fake_hub.create_repo("alice", "inputs", is_public=True)
    with HubClient(fake_hub.base_url, KEY) as client:
        assert client.create_repo("alice", "inputs") is False
        assert client.create_repo("alice", "fresh") is True
        uploader = OxenRepoUploader(client, "alice", "inputs", tmp_path / "c.json")
        url = uploader.url_for(png(), "image/png", "abc123")
    assert url.endswith("/repos/alice/inputs/file/main/retouch-inputs/abc123.png")


def test_upload_failure_is_typed(fake_hub: Any, tmp_path: Path) -> None:
    fake_hub.add_fault(Fault("status", path="/repos/alice", method="PUT", status=403))
    with HubClient(fake_hub.base_url, KEY) as client:
        uploader = OxenRepoUploader(client, "alice", "inputs", tmp_path / "c.json")
        with pytest.raises(E.AuthError):
            uploader.url_for(png(), "image/png", "abc")
    assert not (tmp_path / "c.json").exists()  # nothing cached for a failed upload


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("data-uri", None),
        ("", None),
        ("data", None),
        ("oxen:alice/inputs", ("alice", "inputs")),
        ("oxen:my-org/retouch.inputs", ("my-org", "retouch.inputs")),
    ],
)
def test_parse_upload_spec(spec: str, expected: Any) -> None:
    assert parse_upload_spec(spec) == expected


@pytest.mark.parametrize("spec", ["oxen:", "oxen:alice", "s3://bucket", "oxen:a/b/c", "oxen:/x"])
def test_bad_upload_spec_is_a_config_error(spec: str) -> None:
    with pytest.raises(E.ConfigError, match="not understood"):
        parse_upload_spec(spec)


def test_make_uploader(fake_hub: Any, tmp_path: Path) -> None:
    with HubClient(fake_hub.base_url, KEY) as client:
        assert isinstance(make_uploader("data-uri", client, tmp_path), DataUriUploader)
        up = make_uploader("oxen:alice/inputs", client, tmp_path)
        assert isinstance(up, OxenRepoUploader)
        assert up.cache_file == tmp_path / "uploaded.json"
        assert "alice/inputs" in up.label
