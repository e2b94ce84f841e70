"""Repositories: create, upload multipart, fetch the file, use its URL as an input."""

from __future__ import annotations

import io

import httpx
import pytest
from PIL import Image


def png_bytes(size=(50, 40), color=(10, 200, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


def upload(client, path, data, repo="alice/pics", **fields):
    form = {"message": "add input", "name": "Alice", "email": "alice@example.com", **fields}
    return client.put(
        f"/repos/{repo}/file/main/{path}",
        files={"file": (path.rsplit("/", 1)[-1], data, "image/png")},
        data=form,
    )


def test_create_repo_then_conflict(client, fake_hub):
    body = {"namespace": "alice", "name": "pics", "is_public": True}
    r = client.post("/repos", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["repository"]["is_public"] is True
    r = client.post("/repos", json=body)
    assert r.status_code == 409
    assert r.json()["status"] == "error"
    assert client.get("/repos/alice/pics").status_code == 200
    assert client.get("/repos/alice/other").status_code == 404


@pytest.mark.parametrize("body", [{}, {"namespace": "a"}, {"namespace": "a", "name": "b/c"}])
def test_create_repo_invalid(client, body):
    assert client.post("/repos", json=body).status_code == 400


def test_upload_then_get_and_edit_with_its_url(client, fake_hub):
    client.post("/repos", json={"namespace": "alice", "name": "pics", "is_public": True})
    data = png_bytes()
    r = upload(client, "retouch-inputs/abc123.png", data)
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["status"] == "success"
    assert doc["commit"]["message"] == "add input"
    assert doc["commit"]["author"] == "Alice"
    url = fake_hub.base_url + "/repos/alice/pics/file/main/retouch-inputs/abc123.png"
    assert doc["url"] == url
    rec = fake_hub.requests[-1]
    assert rec.method == "PUT"
    assert rec.form == {"message": "add input", "name": "Alice", "email": "alice@example.com"}
    assert rec.files["file"].data == data
    assert rec.files["file"].filename == "abc123.png"

    got = httpx.get(url)  # no credentials needed
    assert got.status_code == 200
    assert got.content == data
    assert got.headers["content-type"] == "image/png"

    r = client.post("/ai/images/edit", json={"prompt": "x", "input_image": url})
    assert r.status_code == 200, r.text
    rec = fake_hub.edit_requests()[-1]
    assert rec.input_sources == ["repo"]
    assert rec.input_sizes == [(50, 40)]
    # The hub's own URL also works via "localhost".
    r = client.post(
        "/ai/images/edit",
        json={"prompt": "x", "input_image": url.replace("127.0.0.1", "localhost")},
    )
    assert r.status_code == 200, r.text


def test_upload_auto_creates_the_repo(client, fake_hub):
    assert upload(client, "a.png", png_bytes(), repo="bob/new").status_code == 200
    assert client.get("/repos/bob/new").status_code == 200
    assert fake_hub.put_file("bob", "new", "b.png", png_bytes()).endswith("/file/main/b.png")
    assert httpx.get(fake_hub.repo_file_url("bob", "new", "b.png")).status_code == 200


def test_private_repo_files_are_not_fetchable_by_the_model(client, fake_hub):
    client.post("/repos", json={"namespace": "carol", "name": "secret", "is_public": False})
    assert upload(client, "x.png", png_bytes(), repo="carol/secret").status_code == 200
    url = fake_hub.repo_file_url("carol", "secret", "x.png")
    assert httpx.get(url).status_code == 401
    assert client.get(url).status_code == 200
    r = client.post("/ai/images/edit", json={"prompt": "x", "input_image": url})
    assert r.status_code == 400
    assert "403 Client Error: Forbidden" in r.json()["error"]["message"]


def test_upload_errors(client, fake_hub):
    r = client.put("/repos/alice/pics/file/main/a.png", data={"message": "no file"})
    assert r.status_code == 400
    r = client.put(
        "/repos/alice/pics/file/main/a.png", content=b"raw", headers={"Content-Type": "image/png"}
    )
    assert r.status_code == 400
    r = httpx.put(
        fake_hub.base_url + "/repos/alice/pics/file/main/a.png",
        files={"file": ("a.png", png_bytes(), "image/png")},
    )
    assert r.status_code == 401


def test_missing_file_is_404(fake_hub):
    r = httpx.get(fake_hub.base_url + "/repos/alice/pics/file/main/none.png")
    assert r.status_code == 404
    assert r.json()["error"]["type"] == "resource_not_found"


def test_chunked_upload_body(client, fake_hub):
    data = png_bytes()
    req = client.build_request(
        "PUT",
        "/repos/dave/r/file/main/c.png",
        files={"file": ("c.png", data, "image/png")},
    )
    body = req.read()
    r = client.put(
        "/repos/dave/r/file/main/c.png",
        content=iter([body[:100], body[100:]]),  # a generator body goes out chunked
        headers={"Content-Type": req.headers["Content-Type"]},
    )
    assert r.status_code == 200, r.text
    assert fake_hub.requests[-1].headers.get("transfer-encoding") == "chunked"
    assert httpx.get(fake_hub.repo_file_url("dave", "r", "c.png")).content == data
