"""Successful edits end to end: HubClient + prepare_edit + EditRunner against the fake hub."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from retouch.core import errors as E
from retouch.core.editing import EditRunner, Progress, RunOutcome, prepare_edit
from retouch.core.hub_client import HubClient
from retouch.core.request import EditRequest, InputRef
from retouch.core.schema import builtin_model
from retouch.fakehub import FakeHub, Fault

KEY = "test-key"
PIL_FORMAT = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}
SUFFIX = {"png": ".png", "jpeg": ".jpg", "webp": ".webp"}


def save_image(path: Path, size: tuple[int, int] = (64, 48), color: Any = (40, 160, 90)) -> Path:
    Image.new("RGB", size, color).save(path)
    return path


def edit(
    hub: Any,
    tmp_path: Path,
    *,
    inputs: list[InputRef] | None = None,
    params: dict[str, Any] | None = None,
    prompt: str = "paint the door red",
    client: HubClient | None = None,
    **runner_kw: Any,
) -> RunOutcome:
    model = builtin_model()
    assert model is not None
    if inputs is None:
        inputs = [InputRef(path=save_image(tmp_path / "door.png"))]
    request = EditRequest(prompt, inputs, model, {"resolution": "1024x768", **(params or {})})
    prepared = prepare_edit(request)
    own = client is None
    client = client or HubClient(hub.base_url, KEY)
    try:
        return EditRunner(client, tmp_path / "out", **runner_kw).run(prepared)
    finally:
        if own:
            client.close()


@pytest.mark.parametrize("count", [1, 4])
@pytest.mark.parametrize("fmt", ["png", "jpeg", "webp"])
def test_edit_saves_every_result_with_a_clean_sidecar(
    fake_hub: Any, tmp_path: Path, fmt: str, count: int
) -> None:
    outcome = edit(fake_hub, tmp_path, params={"num_images": count, "output_format": fmt})

    assert not outcome.errors and not outcome.notes and not outcome.partial
    assert [r.index for r in outcome.results] == list(range(count))
    assert len({r.path for r in outcome.results}) == count
    for result in outcome.results:
        assert result.path.suffix == SUFFIX[fmt]
        assert result.path.name.startswith("door-")
        with Image.open(result.path) as im:
            im.load()
            assert im.format == PIL_FORMAT[fmt]
            assert im.size == (1024, 768)
        text = result.sidecar.read_text("utf-8")
        side = json.loads(text)
        assert side["prompt"] == "paint the door red"
        assert side["model"] == "gpt-image-2-edit"
        assert side["parameters"] == {
            "resolution": "1024x768",
            "quality": "high",
            "num_images": count,
            "output_format": fmt,
        }
        assert side["file"] == result.path.name
        assert side["result_index"] == result.index
        assert side["revised_prompt"] == "paint the door red"
        assert side["inputs"][0]["name"] == "door.png"
        assert side["inputs"][0]["size"] == [64, 48]
        for leak in (KEY, "data:", "base64", "Bearer", "sig="):
            assert leak not in text

    (sent,) = fake_hub.edit_requests()
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert isinstance(sent.json["input_image"], str)
    assert sent.json["input_image"].startswith("data:image/png;base64,")
    assert sent.json["response_format"] == "url"
    assert sent.json["num_images"] == count and sent.json["output_format"] == fmt
    assert "mask_url" not in sent.json
    assert sent.input_sizes == [(64, 48)]


def test_multi_image_input_is_sent_as_a_list(fake_hub: Any, tmp_path: Path) -> None:
    first = save_image(tmp_path / "room.png", (80, 60))
    second = save_image(tmp_path / "sofa.jpg", (50, 50), (200, 30, 30))
    outcome = edit(fake_hub, tmp_path, inputs=[InputRef(path=first), InputRef(path=second)])

    assert len(outcome.results) == 1
    (sent,) = fake_hub.edit_requests()
    images = sent.json["input_image"]
    assert isinstance(images, list) and len(images) == 2
    assert images[0].startswith("data:image/png;base64,")
    assert images[1].startswith("data:image/jpeg;base64,")  # passed through, not re-encoded
    assert sent.input_sizes == [(80, 60), (50, 50)]
    assert sent.input_sources == ["data", "data"]


def test_input_that_already_is_a_url_is_sent_as_is(fake_hub: Any, tmp_path: Path) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (30, 20), (1, 2, 3)).save(buf, "PNG")
    url = fake_hub.put_file("alice", "pics", "cat.png", buf.getvalue())

    outcome = edit(fake_hub, tmp_path, inputs=[InputRef.parse(url)])

    assert len(outcome.results) == 1
    (sent,) = fake_hub.edit_requests()
    assert sent.json["input_image"] == url
    assert sent.input_sources == ["repo"]


def test_url_input_with_a_mask_is_fetched_to_size_the_mask(fake_hub: Any, tmp_path: Path) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (120, 90), (1, 2, 3)).save(buf, "PNG")
    url = fake_hub.put_file("alice", "pics", "cat.png", buf.getvalue())
    mask = Image.new("L", (40, 30), 0)
    mask.paste(255, (0, 0, 20, 30))
    model = builtin_model()
    assert model is not None
    request = EditRequest(
        "x", [InputRef.parse(url)], model, {"resolution": "1024x768"}, mask_image=mask
    )
    with HubClient(fake_hub.base_url, KEY) as client:
        prepared = prepare_edit(request, fetch_url=client.download)
        assert prepared.mask is not None and prepared.mask.size == (120, 90)
        EditRunner(client, tmp_path / "out").run(prepared)
    (sent,) = fake_hub.edit_requests()
    assert sent.json["input_image"] == url  # the URL itself, not a re-upload
    assert sent.mask_size == (120, 90)
    assert sent.mask_white_fraction == pytest.approx(0.5, abs=0.01)


def test_painted_mask_polarity_white_is_edit(fake_hub: Any, tmp_path: Path) -> None:
    """A mask painted in the app (RGBA strokes on transparency) arrives as white = edit."""
    mask = Image.new("RGBA", (64, 48), (0, 0, 0, 0))
    mask.paste((255, 0, 0, 255), (0, 0, 16, 48))  # a red stroke over the left quarter
    model = builtin_model()
    assert model is not None
    photo = save_image(tmp_path / "p.png")
    request = EditRequest(
        "x", [InputRef(path=photo)], model, {"resolution": "1024x768"}, mask_image=mask
    )
    prepared = prepare_edit(request)
    with HubClient(fake_hub.base_url, KEY) as client:
        EditRunner(client, tmp_path / "out").run(prepared)
    (sent,) = fake_hub.edit_requests()
    assert sent.mask_size == (64, 48)
    assert sent.mask_mode == "L"
    assert sent.mask_white_fraction == pytest.approx(0.25, abs=0.01)
    payload = base64.b64decode(sent.json["mask_url"].split(",", 1)[1])
    with Image.open(io.BytesIO(payload)) as got:
        assert got.getpixel((2, 2)) == 255  # painted → edit
        assert got.getpixel((60, 40)) == 0  # untouched → keep


class B64Client(HubClient):
    """Asks for ``b64_json`` replies (the runner itself always asks for URLs)."""

    def edit(self, body: dict[str, Any], **kw: Any) -> dict[str, Any]:
        return super().edit({**body, "response_format": "b64_json"}, **kw)


def _strings(value: Any) -> list[str]:
    """Every key and string value in a JSON document."""
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (str(k), *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def test_b64_json_results_are_decoded_and_saved(fake_hub: Any, tmp_path: Path) -> None:
    with B64Client(fake_hub.base_url, KEY) as client:
        outcome = edit(
            fake_hub, tmp_path, client=client, params={"num_images": 2, "output_format": "webp"}
        )
    assert len(outcome.results) == 2
    for result in outcome.results:
        with Image.open(result.path) as im:
            assert im.format == "WEBP"
        # Parsed, not searched as raw text: a random run id may well contain "b64".
        sidecar = json.loads(result.sidecar.read_text("utf-8"))
        payload = base64.b64encode(result.path.read_bytes()).decode()
        for text in _strings(sidecar):
            assert "b64_json" not in text
            assert payload[:64] not in text and len(text) < 1000
    assert not [r for r in fake_hub.requests if r.path.startswith("/results/")]


def test_progress_reports_each_phase(fake_hub: Any, tmp_path: Path) -> None:
    phases: list[Progress] = []
    model = builtin_model()
    assert model is not None
    photo = save_image(tmp_path / "p.png")
    request = EditRequest("x", [InputRef(path=photo)], model, {"num_images": 2})
    prepared = prepare_edit(request, progress=phases.append)
    with HubClient(fake_hub.base_url, KEY) as client:
        EditRunner(client, tmp_path / "out").run(prepared, progress=phases.append)
    names = [p.phase for p in phases]
    assert names[0] == "preparing"
    assert names.index("waiting") < names.index("downloading") < names.index("done")
    assert names.count("downloading") == 2
    assert phases[-1].phase == "done" and phases[-1].done == phases[-1].total == 2


class Recorder:
    def __init__(self) -> None:
        self.begun: dict[str, Any] = {}
        self.outputs: list[tuple[int, str]] = []
        self.finished: tuple[str, str | None] | None = None

    def begin_run(self, **kwargs: Any) -> str:
        self.begun = kwargs
        return "run-123"

    def add_output(
        self, run_id: str, index: int, data: bytes, ext: str, revised_prompt: str | None = None
    ) -> Path:
        self.outputs.append((index, ext))
        return Path(f"/nowhere/{index}.{ext}")

    def finish_run(self, run_id: str, status: str, error: str | None = None) -> None:
        self.finished = (status, error)


def test_runner_records_success_and_partial_runs(fake_hub: Any, tmp_path: Path) -> None:
    rec = Recorder()
    outcome = edit(fake_hub, tmp_path, params={"num_images": 2}, recorder=rec)
    assert outcome.run_id == "run-123"
    assert rec.outputs == [(0, "png"), (1, "png")]
    assert rec.finished == ("succeeded", None)
    assert rec.begun["estimated_cost"] == pytest.approx(0.44)
    assert rec.begun["prompt"] == "paint the door red"

    rec = Recorder()
    fake_hub.add_fault(Fault("download_404", times=1))
    outcome = edit(fake_hub, tmp_path, params={"num_images": 2}, recorder=rec)
    assert outcome.partial
    assert rec.outputs == [(1, "png")]
    assert rec.finished is not None and rec.finished[0] == "partial"

    rec = Recorder()
    fake_hub.add_fault(Fault("status", status=500))
    with pytest.raises(E.ServerError):
        edit(fake_hub, tmp_path, recorder=rec)
    assert rec.finished is not None and rec.finished[0] == "failed"
    assert "(500)" in (rec.finished[1] or "")


def test_key_goes_only_to_the_hub_itself(fake_hub: Any, tmp_path: Path) -> None:
    """Downloading a result hosted elsewhere never carries the Authorization header."""
    with FakeHub(port=0, api_key="other-key").start() as other:
        with HubClient(other.base_url, "other-key") as other_client:
            reply = other_client.edit(
                {
                    "prompt": "x",
                    "input_image": "data:image/png;base64,"
                    + base64.b64encode(_png_bytes()).decode(),
                    "resolution": "1024x768",
                }
            )
        foreign_url = reply["images"][0]["url"]
        with HubClient(fake_hub.base_url, KEY) as client:
            data = client.download(foreign_url)
            assert Image.open(io.BytesIO(data)).format == "PNG"
            own = client.edit(
                {
                    "prompt": "x",
                    "input_image": "data:image/png;base64,"
                    + base64.b64encode(_png_bytes()).decode(),
                    "resolution": "1024x768",
                }
            )
            client.download(own["images"][0]["url"])
        foreign_get = [r for r in other.requests if r.path.startswith("/results/")]
        assert len(foreign_get) == 1
        assert "authorization" not in foreign_get[0].headers
    own_get = [r for r in fake_hub.requests if r.path.startswith("/results/")]
    assert own_get[0].headers["authorization"] == f"Bearer {KEY}"


@pytest.mark.parametrize(
    ("url", "sends_key"),
    [
        ("https://hub.oxen.ai/api/repos/a/b/file/main/x.png?sig=1", True),
        ("https://hub.oxen.ai/other", True),
        ("http://hub.oxen.ai/api/x.png", False),  # another scheme
        ("https://hub.oxen.ai:8443/api/x.png", False),  # another port
        ("https://cdn.oxen.ai/x.png", False),
        ("https://hub.oxen.ai.evil.example/x.png", False),
        ("https://evil.example/?u=https://hub.oxen.ai", False),
    ],
)
def test_auth_headers_only_for_the_hub_origin(url: str, sends_key: bool) -> None:
    with HubClient("https://hub.oxen.ai/api", "sk-secret") as client:
        headers = client._auth_headers(url)
    assert (headers == {"Authorization": "Bearer sk-secret"}) is sends_key
    assert sends_key or headers == {}


def test_plain_http_result_urls_are_refused() -> None:
    with HubClient("https://hub.oxen.ai/api", "sk-secret") as client:
        with pytest.raises(E.ResultDownloadError, match="not https"):
            client.download("http://results.example.com/x.png")
        with pytest.raises(E.ResultDownloadError, match="not https"):
            client.download("ftp://results.example.com/x.png")


def test_list_and_get_models(fake_hub: Any) -> None:
    with HubClient(fake_hub.base_url, KEY) as client:
        ids = [m["id"] for m in client.list_models()]
        assert "gpt-image-2-edit" in ids
        model = client.get_model("gpt-image-2-edit")
        assert model["request_schema"]["properties"]["resolution"]["default"] == "1024x1024"
        with pytest.raises(E.ModelNotFoundError):
            client.get_model("no/such model")


def _png_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (32, 24), (9, 9, 9)).save(buf, "PNG")
    return buf.getvalue()
