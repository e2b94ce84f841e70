"""Batch runs against the fake hub over real HTTP: concurrency, failures, retry, pause, cancel."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from retouch.core import errors as E
from retouch.core.batch import (
    BatchItem,
    BatchJob,
    BatchRunner,
    batch_exit_code,
    collect_inputs,
    find_mask,
)
from retouch.core.schema import builtin_model, model_info
from retouch.fakehub import MODELS, Fault

KEY = "test-key"


def make_images(folder: Path, count: int, size: tuple[int, int] = (64, 48)) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"img{i:02d}.png"
        Image.new("RGB", size, (10 * i % 255, 80, 160)).save(path)
        paths.append(path)
    return paths


def make_mask(path: Path, size: tuple[int, int] = (64, 48)) -> Path:
    mask = Image.new("L", size, 0)
    mask.paste(255, (0, 0, size[0] // 2, size[1]))
    mask.save(path)
    return path


def wait_for(predicate, timeout: float = 15.0) -> None:
    """Poll until *predicate* holds; the deadline only guards against a hang."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        time.sleep(0.01)


def job_for(inputs: list[Path], out: Path, **kw) -> BatchJob:
    model = kw.pop("model", None) or builtin_model()
    return BatchJob(inputs=inputs, prompt="make it dusk", model=model, out_dir=out, **kw)


def runner_for(hub, job: BatchJob, **kw) -> BatchRunner:
    return BatchRunner(job, base_url=hub.base_url, api_key=KEY, **kw)


def test_twelve_files_three_at_a_time_all_done(fake_hub, tmp_path):
    fake_hub.delay = 0.5  # long enough for the three workers to overlap, even under load
    inputs = make_images(tmp_path / "in", 12)
    out = tmp_path / "out"
    seen: list[BatchItem] = []
    lock = threading.Lock()

    def on_item(item: BatchItem) -> None:
        with lock:
            seen.append(item)

    runner = runner_for(fake_hub, job_for(inputs, out, concurrency=3), on_item=on_item)
    items = runner.run()

    assert fake_hub.max_in_flight == 3
    assert len(fake_hub.edit_requests()) == 12
    assert [it.state for it in items] == ["done"] * 12
    assert batch_exit_code(items) == 0
    # One folder, predictable names, a sidecar beside each.
    for it in items:
        assert it.results == [out / f"{it.input.stem}-1.png"]
        sidecar = json.loads((out / f"{it.input.stem}-1.png.json").read_text())
        assert sidecar["batch_id"] == runner.batch_id
        assert sidecar["batch_item"] == it.index
        assert sidecar["prompt"] == "make it dusk"
        assert sidecar["inputs"][0]["name"] == it.input.name
    # Every item went waiting → sending → waiting_model → done, reported as it happened.
    states = {i: [s.state for s in seen if s.index == i] for i in range(12)}
    assert all(s == ["sending", "waiting_model", "done"] for s in states.values())


def test_two_failures_are_reported_then_retried_alone(fake_hub, tmp_path):
    fake_hub.add_fault(Fault("status", status=500, times=2))
    inputs = make_images(tmp_path / "in", 12)
    runner = runner_for(fake_hub, job_for(inputs, tmp_path / "out", concurrency=3))
    items = runner.run()

    failed = [it for it in items if it.state == "failed"]
    assert len(failed) == 2
    assert sum(it.state == "done" for it in items) == 10
    assert all(it.error and it.exit_code == E.EXIT_HUB for it in failed)
    assert batch_exit_code(items) == E.EXIT_HUB
    assert len(fake_hub.edit_requests()) == 12  # never retried automatically

    for n, item in enumerate(failed, start=1):
        before = len(fake_hub.edit_requests())
        assert runner.retry(item)
        assert runner.wait(30)
        # Only that one item went to the hub again.
        assert len(fake_hub.edit_requests()) == before + 1
        assert runner.items[item.index].state == "done"
        assert runner.items[item.index].attempts == 2
        assert runner.counts()["done"] == 10 + n
    assert batch_exit_code(runner.items) == 0
    assert not runner.retry(runner.items[0])  # a done item is not re-run


def test_cancel_stops_what_has_not_started(fake_hub, tmp_path):
    fake_hub.delay = 60  # the hub would take a minute: cancel must abort, not wait
    inputs = make_images(tmp_path / "in", 12)
    runner = runner_for(fake_hub, job_for(inputs, tmp_path / "out", concurrency=3))
    runner.start()
    wait_for(lambda: fake_hub.in_flight == 3)
    runner.cancel()
    assert runner.wait(30)

    assert len(fake_hub.edit_requests()) == 3
    assert [it.state for it in runner.items] == ["cancelled"] * 12
    assert batch_exit_code(runner.items) == E.EXIT_CANCELLED
    assert not any((tmp_path / "out").glob("*.png"))


def test_pause_prevents_new_starts_until_resumed(fake_hub, tmp_path):
    # Long enough that no worker finishes an item before the first one's callback pauses.
    fake_hub.delay = 0.5
    inputs = make_images(tmp_path / "in", 6)
    runner: BatchRunner | None = None

    def on_item(item: BatchItem) -> None:
        if item.index == 0 and item.state == "sending":
            assert runner is not None
            runner.pause()

    runner = runner_for(fake_hub, job_for(inputs, tmp_path / "out", concurrency=2), on_item=on_item)
    runner.start()
    # Paused as the first item started; at most one more had already been picked up.
    wait_for(lambda: runner.paused and runner.active == 0)
    started = [it for it in runner.items if it.state != "waiting"]
    assert 1 <= len(started) <= 2
    assert all(it.state == "done" for it in started)
    assert len(fake_hub.edit_requests()) == len(started)
    assert runner.running  # the rest are still waiting for resume()

    runner.resume()
    assert runner.wait(30)
    assert [it.state for it in runner.items] == ["done"] * 6
    assert len(fake_hub.edit_requests()) == 6


def test_references_go_with_every_item_and_one_mask_for_all(fake_hub, tmp_path):
    inputs = make_images(tmp_path / "in", 3)
    ref = make_images(tmp_path / "refs", 1, size=(32, 32))[0]
    mask = make_mask(tmp_path / "m.png")
    job = job_for(inputs, tmp_path / "out", references=[ref], mask_rule="one", mask=mask)
    job.check()
    items = runner_for(fake_hub, job).run()
    assert [it.state for it in items] == ["done"] * 3
    for rec in fake_hub.edit_requests():
        # The photo goes at the model's 4:3 size (Auto, issue 12); references as they are.
        assert rec.input_sizes == [(1024, 768), (32, 32)]
        assert rec.mask_size == (1024, 768)
        assert rec.mask_white_fraction == pytest.approx(0.5, abs=0.05)


def test_per_file_masks_are_matched_by_name_and_a_missing_one_fails_unsent(fake_hub, tmp_path):
    folder = tmp_path / "in"
    a, b, c = make_images(folder, 3)
    make_mask(folder / f"{a.stem}.mask.png")
    make_mask(folder / f"{b.stem}_mask.png")
    masks = tmp_path / "masks"
    masks.mkdir()
    assert collect_inputs([folder]) == [a, b, c]  # the masks are not inputs
    assert find_mask(a) == folder / f"{a.stem}.mask.png"
    assert find_mask(b) == folder / f"{b.stem}_mask.png"
    assert find_mask(c, masks) is None
    make_mask(masks / f"{c.stem}.png")
    assert find_mask(c, masks) == masks / f"{c.stem}.png"
    (masks / f"{c.stem}.png").unlink()

    job = job_for(collect_inputs([folder]), tmp_path / "out", mask_rule="per-file")
    items = runner_for(fake_hub, job).run()
    assert [it.state for it in items] == ["done", "done", "failed"]
    assert "No mask found" in items[2].error and "Nothing was sent" in items[2].error
    assert items[2].exit_code == E.EXIT_USAGE
    recs = fake_hub.edit_requests()
    assert len(recs) == 2
    assert all(r.mask_size == r.input_sizes[0] == (1024, 768) for r in recs)
    for item in items[:2]:  # each result placed back into its own 64×48 photo
        with Image.open(item.results[0]) as result:
            assert result.size == (64, 48)


def test_collect_inputs_keeps_a_lone_file_named_like_a_mask(tmp_path):
    (lone,) = make_images(tmp_path, 1)
    face = lone.rename(tmp_path / "face_mask.png")
    assert collect_inputs([face]) == [face]
    with pytest.raises(E.InputError):
        collect_inputs([tmp_path / "missing"])
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(E.InputError):
        collect_inputs([tmp_path / "notes.txt"])
    assert collect_inputs([tmp_path]) == [face]


def test_names_are_predictable_and_never_overwrite(fake_hub, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    Image.new("RGB", (64, 48), "red").save(folder / "shot.png")
    Image.new("RGB", (64, 48), "blue").save(folder / "shot.jpg")
    out = tmp_path / "out"
    out.mkdir()
    (out / "shot-1.png").write_bytes(b"keep me")
    job = job_for(
        collect_inputs([folder]), out, model=model_info(MODELS[1]), params={"num_images": 2}
    )
    items = runner_for(fake_hub, job).run()
    assert (out / "shot-1.png").read_bytes() == b"keep me"
    names = {it.input.name: [p.name for p in it.results] for it in items}
    assert names == {
        "shot.jpg": ["shot-1_2.png", "shot-2.png"],
        "shot.png": ["shot-2-1.png", "shot-2-2.png"],
    }


def test_estimate_counts_every_item_and_image(tmp_path):
    inputs = [tmp_path / f"{i}.png" for i in range(12)]
    estimate = job_for(inputs, tmp_path, params={"num_images": 2}).estimate()
    assert estimate.images == 24
    assert estimate.dollars == pytest.approx(24 * 0.22)


def test_check_refuses_bad_jobs_before_sending(tmp_path):
    inputs = make_images(tmp_path / "in", 1)
    with pytest.raises(E.ValidationError):
        job_for(inputs, tmp_path, mask_rule="sometimes")
    with pytest.raises(E.ValidationError):
        job_for(inputs, tmp_path, params={"num_images": 9}).check()
    with pytest.raises(E.InputError):
        job_for(inputs, tmp_path, mask_rule="one").check()
    with pytest.raises(E.InputError):
        job_for([], tmp_path).check()
    with pytest.raises(E.InputError):
        job_for(inputs, tmp_path, references=[tmp_path / "nope.png"]).check()


def test_history_records_every_item_under_one_batch_id(fake_hub, tmp_path):
    from retouch.core.history import HistoryStore

    inputs = make_images(tmp_path / "in", 3)
    with HistoryStore(tmp_path / "history") as store:
        runner = runner_for(fake_hub, job_for(inputs, tmp_path / "out"), recorder=store)
        items = runner.run()
        assert [it.state for it in items] == ["done"] * 3
        runs = store.runs()
        assert len(runs) == 3
        assert {r.batch_id for r in runs} == {runner.batch_id}
        assert all(r.status == "succeeded" and len(r.outputs) == 1 for r in runs)


def test_network_failure_exit_code(tmp_path):
    inputs = make_images(tmp_path / "in", 2)
    # Nothing listens on port 9 of loopback: the connection is refused.
    runner = BatchRunner(
        job_for(inputs, tmp_path / "out"), base_url="http://127.0.0.1:9/api", api_key=KEY
    )
    items = runner.run()
    assert [it.state for it in items] == ["failed"] * 2
    assert batch_exit_code(items) == E.EXIT_NETWORK
