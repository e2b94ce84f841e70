"""The edit service on its own: one run, a batch item, the queue and a resume, over real HTTP."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from retouch.core import errors as E
from retouch.core.batch import BatchJob, BatchRunner
from retouch.core.cancel import CancelToken
from retouch.core.edit_service import EditService, EditStep, RunOptions
from retouch.core.editing import PreparedEdit, Progress
from retouch.core.history import HistoryStore
from retouch.core.hub_client import HubClient
from retouch.core.profile import HubProfile, resolve
from retouch.core.request import EditRequest, InputRef
from retouch.core.schema import builtin_model, model_info
from retouch.core.uploaders import DataUriUploader
from retouch.fakehub import MODELS, FakeHub

KEY = "test-key"


def photo(folder: Path, name: str = "photo.png", size: tuple[int, int] = (64, 48)) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    Image.new("RGB", size, (30, 90, 200)).save(path)
    return path


def profile_for(hub: FakeHub, tmp_path: Path, **kw: Any) -> HubProfile:
    return HubProfile.fixed(hub.base_url, KEY, output_dir=tmp_path / "out", **kw)


def gpt() -> Any:
    model = builtin_model()
    assert model is not None
    return model


def request_for(tmp_path: Path, model: Any = None, **params: Any) -> EditRequest:
    return EditRequest(
        "make it dusk",
        [InputRef(path=photo(tmp_path / "in"))],
        model or gpt(),
        {"resolution": "1024x768", **params},
    )


def test_a_run_through_the_service(fake_hub: FakeHub, tmp_path: Path) -> None:
    phases: list[str] = []
    arrived: list[Path] = []
    prepared: list[PreparedEdit] = []
    outcome = EditService(profile_for(fake_hub, tmp_path)).run(
        request_for(tmp_path, num_images=2),
        progress=lambda p: phases.append(p.phase),
        on_result=lambda r: arrived.append(r.path),
        on_prepared=prepared.append,
    )
    assert [r.path for r in outcome.results] == arrived and len(arrived) == 2
    assert all(p.parent == tmp_path / "out" and p.is_file() for p in arrived)
    assert outcome.asked == 2 and not outcome.errors
    assert len(prepared) == 1 and prepared[0].inputs[0].name == "photo.png"
    assert phases[0] == "preparing" and "waiting" in phases and phases[-1] == "done"
    (sent,) = fake_hub.edit_requests()
    assert sent.authorization == f"Bearer {KEY}"
    assert sent.json["num_images"] == 2


def test_the_request_carries_its_model(fake_hub: FakeHub, tmp_path: Path) -> None:
    """The model sent, the parameters validated and the sidecar all come from request.model."""
    style = model_info(next(m for m in MODELS if m["id"] == "fake-style-edit"))
    request = EditRequest(
        "sketch it",
        [InputRef(path=photo(tmp_path / "in"))],
        style,
        {"style": "sketch", "strength": "70"},
    )
    outcome = EditService(profile_for(fake_hub, tmp_path)).run(request)
    (sent,) = fake_hub.edit_requests()
    assert sent.json["model"] == "fake-style-edit"
    assert sent.json["style"] == "sketch" and sent.json["strength"] == 70  # the schema's type
    meta = json.loads(outcome.results[0].sidecar.read_text("utf-8"))
    assert meta["model"] == "fake-style-edit"
    # The same parameters are refused for a model that does not have them: nothing sent.
    with pytest.raises(E.ValidationError, match="'style' is not a parameter"):
        EditService(profile_for(fake_hub, tmp_path)).run(
            EditRequest("x", request.inputs, gpt(), {"style": "sketch"})
        )
    assert len(fake_hub.edit_requests()) == 1


def test_steps_wrap_the_model_call(fake_hub: FakeHub, tmp_path: Path) -> None:
    """The seam for region paste-back: before() rewrites the request, after() the bytes."""
    calls: list[str] = []

    class Tag(EditStep):
        def __init__(self, name: str) -> None:
            self.name = name

        def before(self, request: EditRequest) -> EditRequest:
            calls.append(f"before {self.name}")
            return EditRequest(
                request.prompt + f" +{self.name}", request.inputs, request.model, request.params
            )

        def after(self, data: bytes, index: int) -> bytes:
            calls.append(f"after {self.name} {index}")
            image = Image.open(io.BytesIO(data))
            out = io.BytesIO()
            image.resize((10 + len(self.name), 10)).save(out, "PNG")
            return out.getvalue()

    outcome = EditService(profile_for(fake_hub, tmp_path)).run(
        request_for(tmp_path), options=RunOptions(steps=[Tag("a"), Tag("bb")])
    )
    assert fake_hub.edit_requests()[0].json["prompt"] == "make it dusk +a +bb"
    assert calls == ["before a", "before bb", "after bb 0", "after a 0"]
    with Image.open(outcome.results[0].path) as saved:
        assert saved.size == (11, 10)  # what the last after() returned is what was saved


def test_nothing_is_sent_without_a_key_or_a_usable_folder(
    fake_hub: FakeHub, tmp_path: Path
) -> None:
    no_key = HubProfile.fixed(fake_hub.base_url, None, output_dir=tmp_path / "out")
    with pytest.raises(E.MissingKeyError):
        EditService(no_key).run(request_for(tmp_path))
    blocker = tmp_path / "file"
    blocker.write_text("x")
    blocked = HubProfile.fixed(fake_hub.base_url, KEY, output_dir=blocker / "out")
    with pytest.raises(E.InputError, match="cannot be used"):
        EditService(blocked).run(request_for(tmp_path))
    assert fake_hub.requests == []


def test_cancel_before_sending(fake_hub: FakeHub, tmp_path: Path) -> None:
    token = CancelToken()

    def cancel_when_waiting(p: Progress) -> None:
        if p.phase == "preparing":
            token.cancel()

    with pytest.raises(E.CancelledError):
        EditService(profile_for(fake_hub, tmp_path)).run(
            request_for(tmp_path), cancel=token, progress=cancel_when_waiting
        )
    assert fake_hub.edit_requests() == []


def test_the_run_is_recorded_in_history(fake_hub: FakeHub, tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "history") as store:
        outcome = EditService(profile_for(fake_hub, tmp_path), recorder=store).run(
            request_for(tmp_path, num_images=2)
        )
        record = store.get(outcome.run_id)
        assert record is not None
        assert (record.status, record.model, record.mode) == (
            "succeeded",
            "gpt-image-2-edit",
            "sync",
        )
        assert len(record.outputs) == 2


def test_find_model_offline_first_then_the_hub(fake_hub: FakeHub, tmp_path: Path) -> None:
    service = EditService(profile_for(fake_hub, tmp_path))
    assert service.find_model("gpt-image-2-edit").source == "builtin"
    assert fake_hub.requests == []
    style = service.find_model("fake-style-edit")
    assert style.source == "hub" and style.param("strength") is not None
    assert service.find_model("fake-style-edit").source == "cache"  # asked once
    assert len(fake_hub.requests) == 1
    with pytest.raises(E.ModelNotFoundError):
        service.find_model("no-such-model")


def test_a_batch_item_runs_through_the_service(fake_hub: FakeHub, tmp_path: Path) -> None:
    inputs = [photo(tmp_path / "in", f"img{i}.png") for i in range(2)]
    profile = resolve(
        {"api_base": fake_hub.base_url, "output_dir": str(tmp_path / "unused")},
        {"OXEN_API_KEY": KEY, "RETOUCH_DATA_DIR": str(tmp_path / "data")},
    )
    job = BatchJob(
        inputs=inputs,
        prompt="dusk",
        model=gpt(),
        out_dir=tmp_path / "batch",
        params={"resolution": "1024x768"},
    )
    with HistoryStore(tmp_path / "history") as store:
        runner = BatchRunner(job, profile=profile, recorder=store)
        assert runner.service.profile is profile
        items = runner.run()
        assert [it.state for it in items] == ["done", "done"]
        assert [p.name for it in items for p in it.results] == ["img0-1.png", "img1-1.png"]
        runs = store.runs()
        assert {r.batch_id for r in runs} == {runner.batch_id}
    assert not (tmp_path / "unused").exists()  # the job's folder, not the profile's


def test_queue_run_and_resume_through_the_service(fake_hub: FakeHub, tmp_path: Path) -> None:
    """A queued run submits once; a resume collects without resending anything."""
    profile = profile_for(fake_hub, tmp_path)
    with HistoryStore(tmp_path / "history") as store:
        service = EditService(profile, recorder=store, poll_interval=0.01)
        outcome = service.run(
            request_for(tmp_path, num_images=2), options=RunOptions(use_queue=True)
        )
        assert len(outcome.results) == 2
        (queued,) = fake_hub.queue_requests()
        assert queued.json["num_generations"] == 2 and "num_images" not in queued.json
        record = store.get(outcome.run_id)
        assert record is not None and record.mode == "queue" and len(record.generation_ids) == 2

        # A run an earlier session queued and never collected:
        with HubClient(fake_hub.base_url, KEY) as client:
            ids = client.queue_submit(
                {
                    "model": "gpt-image-2-edit",
                    "prompt": "later",
                    "input_image": DataUriUploader().url_for(
                        outcome.results[0].path.read_bytes(), "image/png", "x"
                    ),
                    "resolution": "1024x768",
                    "num_generations": 2,
                }
            )
        run_id = store.begin_run(
            model="gpt-image-2-edit",
            prompt="later",
            params={"resolution": "1024x768"},
            inputs=[],
            input_names=[],
            mask=None,
            estimated_cost=None,
            mode="queue",
        )
        store.set_generation_ids(run_id, ids)
        # As the earlier session left it (its recover() or its "keep it running" quit).
        store.leave_for_later(run_id)
        sent_before = len(fake_hub.queue_requests()) + len(fake_hub.edit_requests())
        pending = store.get(run_id)
        assert pending is not None
        resumed = service.resume(pending)
        assert len(resumed.results) == 2 and not resumed.errors
        assert len(fake_hub.queue_requests()) + len(fake_hub.edit_requests()) == sent_before
        after = store.get(run_id)
        assert after is not None and after.status == "succeeded" and len(after.outputs) == 2
        meta = json.loads(resumed.results[0].sidecar.read_text("utf-8"))
        assert meta["resumed"] is True and meta["generation_ids"] == ids


def test_a_left_run_is_collected_by_one_collector_only(tmp_path: Path) -> None:
    """Two processes (two stores on one history) reaching for the same run a killed edit left:
    the first claims it, the second is told it is being collected and does nothing."""
    with HistoryStore(tmp_path / "history") as first, HistoryStore(tmp_path / "history") as second:
        run_id = first.begin_run(
            model="gpt-image-2-edit",
            prompt="left",
            params={},
            inputs=[],
            input_names=[],
            mask=None,
            estimated_cost=None,
            mode="queue",
        )
        first.set_generation_ids(run_id, ["g1"])
        assert not second.try_claim(run_id)  # running, and its owner is alive
        first.leave_for_later(run_id)
        assert first.get(run_id).collectable
        assert second.try_claim(run_id)
        assert not first.try_claim(run_id)  # the second one collects it now
        assert second.get(run_id).status == "running"
