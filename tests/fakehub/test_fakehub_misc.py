"""Auth, models, routing, recording, concurrency, lifecycle and the CLI."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import httpx
import pytest

from retouch.fakehub import GPT_IMAGE_2_EDIT, MODELS, FakeHub, Fault, routes_models
from retouch.fakehub.cli import main as cli_main
from tests import children


def test_401_without_or_with_wrong_key(fake_hub):
    for headers in ({}, {"Authorization": "Bearer"}, {"Authorization": "Basic abc"}):
        r = httpx.get(fake_hub.base_url + "/ai/models", headers=headers)
        assert r.status_code == 401
        assert r.json()["error"]["type"] == "unauthenticated"
        assert r.json()["status_message"] == "unauthenticated"
    r = httpx.get(fake_hub.base_url + "/ai/models", headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401
    r = httpx.post(fake_hub.base_url + "/ai/images/edit", json={"prompt": "x"})
    assert r.status_code == 401


def test_any_key_accepted_when_none_configured():
    with FakeHub() as hub:
        r = httpx.get(hub.base_url + "/ai/models", headers={"Authorization": "Bearer whatever"})
        assert r.status_code == 200
        assert httpx.get(hub.base_url + "/ai/models").status_code == 401


def test_models_listing(client):
    doc = client.get("/ai/models").json()
    assert doc["object"] == "list"
    assert doc["data"] == MODELS
    ids = [m["id"] for m in doc["data"]]
    assert {"gpt-image-2-edit", "fake-style-edit"} <= set(ids)
    assert any(m["capabilities"]["input"] == ["text"] for m in doc["data"])


def test_gpt_image_2_edit_description(client):
    m = client.get("/ai/models/gpt-image-2-edit").json()
    assert m == GPT_IMAGE_2_EDIT
    assert m["display_name"] == "GPT Image 2 Edit"
    assert m["endpoint"] == "/images/edit"
    assert m["capabilities"] == {"input": ["text", "image"], "output": ["image"]}
    assert m["pricing"] == {
        "method": "per_image",
        "cost_per_image": 0.22,
        "cost_per_image_high_res": 0.41,
    }
    props = m["request_schema"]["properties"]
    assert "prompt" in m["request_schema"]["required"]
    assert props["resolution"]["enum"] == [
        "1024x768",
        "1024x1024",
        "1024x1536",
        "1920x1080",
        "2560x1440",
        "3840x2160",
    ]
    assert props["resolution"]["default"] == "1024x1024"
    assert (props["quality"]["enum"], props["quality"]["default"]) == (["high"], "high")
    assert (props["num_images"]["minimum"], props["num_images"]["maximum"]) == (1, 4)
    assert props["output_format"]["enum"] == ["png", "jpeg", "webp"]
    assert props["response_format"]["enum"] == ["url", "b64_json"]
    assert props["mask_url"]["format"] == "uri"


def test_style_model_schema(client):
    props = client.get("/ai/models/fake-style-edit").json()["request_schema"]["properties"]
    assert props["style"] == {**props["style"], "enum": ["photo", "sketch", "watercolor"]}
    assert props["style"]["default"] == "photo"
    assert (props["strength"]["minimum"], props["strength"]["maximum"]) == (0, 100)
    assert props["strength"]["default"] == 50
    assert props["keep_colors"]["type"] == "boolean"
    assert props["keep_colors"]["default"] is True
    assert props["negative_prompt"] == {**props["negative_prompt"], "type": "string"}
    assert props["negative_prompt"]["default"] == ""


def test_unknown_model_404_message_shape(client):
    r = client.get("/ai/models/nope")
    assert r.status_code == 404
    assert r.json() == {"error": {"message": "Model not found: nope"}}


def test_matches_the_clients_builtin_schema():
    schema = pytest.importorskip("retouch.core.schema")
    builtin = schema.BUILTIN_MODELS["gpt-image-2-edit"]["request_schema"]["properties"]
    ours = GPT_IMAGE_2_EDIT["request_schema"]["properties"]
    for name in ("resolution", "quality", "num_images", "output_format"):
        for key in ("enum", "default", "minimum", "maximum", "type"):
            assert builtin[name].get(key) == ours[name].get(key), (name, key)


def test_unknown_routes(client, fake_hub):
    r = client.get("/no/such/thing")
    assert r.status_code == 404
    assert r.json()["error"]["type"] == "resource_not_found"
    r = httpx.get(f"http://127.0.0.1:{fake_hub.port}/elsewhere")
    assert r.status_code == 404
    assert client.delete("/ai/models").status_code == 404


def test_handler_exception_is_a_500(client, monkeypatch):
    def boom(_model_id):
        raise RuntimeError("kaput")

    monkeypatch.setattr(routes_models, "find_model", boom)
    r = client.get("/ai/models/x")
    assert r.status_code == 500
    assert r.json()["error"]["type"] == "unknown_error"
    assert client.get("/ai/models").status_code == 200  # still serving


def test_requests_are_recorded(client, fake_hub):
    client.get("/ai/models", params={"a": "1", "b": "two"}, headers={"X-Trace": "t1"})
    rec = fake_hub.requests[-1]
    assert (rec.method, rec.path, rec.raw_path) == ("GET", "/ai/models", "/api/ai/models")
    assert rec.query == {"a": "1", "b": "two"}
    assert rec.headers["x-trace"] == "t1"
    assert rec.headers["authorization"] == "Bearer test-key"
    assert rec.json is None
    assert rec.body == b""
    assert rec.status == 200


def test_reset(client, fake_hub, data_uri):
    client.post("/ai/images/edit", json={"prompt": "x", "input_image": data_uri()})
    fake_hub.add_fault(Fault("drop"))
    fake_hub.reset()
    assert fake_hub.requests == []
    assert fake_hub.pending_faults() == []
    assert fake_hub.result_names() == []
    assert fake_hub.max_in_flight == 0


def test_concurrency_counter(data_uri):
    body = {"prompt": "x", "input_image": data_uri(), "resolution": "1024x768"}
    with FakeHub(delay=1.0) as hub:
        statuses = []

        def one():
            r = httpx.post(
                hub.base_url + "/ai/images/edit",
                json=body,
                headers={"Authorization": "Bearer k"},
                timeout=30,
            )
            statuses.append(r.status_code)

        threads = [threading.Thread(target=one) for _ in range(4)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 0.9
        while hub.in_flight < 4 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert hub.in_flight == 4
        for t in threads:
            t.join()
        assert statuses == [200] * 4
        assert hub.max_in_flight == 4
        assert hub.in_flight == 0


def test_keep_alive_connection_is_reused(client, fake_hub):
    for _ in range(3):
        assert client.get("/ai/models").status_code == 200
    ports = {r.client_address for r in fake_hub.requests}
    assert len(ports) == 1


def test_lifecycle():
    hub = FakeHub()
    assert not hub.running
    hub.start()
    assert hub.start() is hub
    assert hub.base_url == f"http://127.0.0.1:{hub.port}/api"
    assert hub.port != 0
    # An idle keep-alive connection must not hold up stop().
    c = httpx.Client(headers={"Authorization": "Bearer k"})
    assert c.get(hub.base_url + "/ai/models").status_code == 200
    start = time.perf_counter()
    hub.stop()
    hub.stop()
    assert time.perf_counter() - start < 2
    c.close()
    with pytest.raises(httpx.ConnectError):
        httpx.get(hub.base_url + "/ai/models", timeout=2)


def run_cli(argv):
    stop = threading.Event()
    result = {}
    t = threading.Thread(target=lambda: result.setdefault("rc", cli_main(argv, _stop=stop)))
    t.start()
    return stop, t, result


def test_cli_serves_and_stops(capsys):
    stop, t, result = run_cli(["--port", "0", "--api-key", "k1", "--delay", "0"])
    try:
        for _ in range(100):
            out = capsys.readouterr().out
            if out:
                break
            time.sleep(0.05)
        assert out.startswith("Fake Oxen hub on http://127.0.0.1:")
        assert out.rstrip().endswith("/api — Ctrl+C to stop")
        base = out.split()[4]
        r = httpx.get(base + "/ai/models", headers={"Authorization": "Bearer k1"})
        assert r.status_code == 200
        r = httpx.get(base + "/ai/models", headers={"Authorization": "Bearer k2"})
        assert r.status_code == 401
    finally:
        stop.set()
        t.join(5)
    assert result["rc"] == 0


def test_cli_rejects_non_loopback_host(capsys):
    with pytest.raises(SystemExit) as exc:
        cli_main(["--host", "0.0.0.0"])
    assert exc.value.code == 2
    assert "loopback" in capsys.readouterr().err


def test_cli_port_in_use(capsys):
    with FakeHub() as hub:
        assert cli_main(["--port", str(hub.port)]) == 1
    assert "Cannot start" in capsys.readouterr().err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_cli_ctrl_c_exits_cleanly():
    proc = children.popen(  # SIGINT at its default even when the suite runs in the background
        [sys.executable, "-m", "retouch.fakehub", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    try:
        line = proc.stdout.readline()
        assert line.startswith("Fake Oxen hub on http://127.0.0.1:")
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0
    assert "Traceback" not in err
