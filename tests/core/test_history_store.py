"""HistoryStore: records, files, dedup, queries, delete, recover, thumbnails, session."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import threading
from pathlib import Path

import pytest
from PIL import Image

from retouch.core.history import HistoryStore, load_session, save_session
from retouch.core.history.store import scrub


def png(color: str | tuple[int, ...], size: tuple[int, int] = (32, 24), mode: str = "RGB") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size, color).save(buf, "PNG")
    return buf.getvalue()


def jpeg(color: str, size: tuple[int, int] = (640, 480)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG")
    return buf.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_run(
    store: HistoryStore,
    prompt: str = "a prompt",
    *,
    model: str = "gpt-image-2-edit",
    inputs: list[bytes] | None = None,
    mask: bytes | None = None,
    outputs: int = 1,
    status: str = "succeeded",
    **kw,
) -> str:
    inputs = inputs if inputs is not None else [png("red")]
    run_id = store.begin_run(
        model=model,
        prompt=prompt,
        params={"num_images": outputs, "resolution": "1024x1024"},
        inputs=inputs,
        input_names=[f"in{i}.png" for i in range(len(inputs))],
        mask=mask,
        estimated_cost=0.22 * outputs,
        **kw,
    )
    for i in range(outputs):
        store.add_output(run_id, i, png((10 * i, 200, 30)), "png", revised_prompt=f"rev {i}")
    if status:
        store.finish_run(run_id, status)
    return run_id


@pytest.fixture
def store(tmp_path: Path):
    s = HistoryStore(tmp_path / "history")
    yield s
    s.close()


def test_run_rows_and_files_match(store: HistoryStore) -> None:
    inputs, mask = [png("red"), png("blue")], png("white", mode="L")
    run_id = store.begin_run(
        model="gpt-image-2-edit",
        prompt="Make the sky purple",
        params={"num_images": 2},
        inputs=inputs,
        input_names=["sky.png", "ref.png"],
        mask=mask,
        estimated_cost=0.44,
        batch_id="b1",
    )
    rec = store.get(run_id)
    assert rec is not None and rec.status == "running" and rec.finished_at is None
    outs = [png("green"), jpeg("yellow", (64, 64))]
    p0 = store.add_output(run_id, 0, outs[0], "png", revised_prompt="purple sky")
    p1 = store.add_output(run_id, 1, outs[1], "jpeg")
    assert p0.name == "output-1.png" and p1.name == "output-2.jpg"
    assert p0.parent == store.root / "runs" / run_id
    store.finish_run(run_id, "succeeded")

    rec = store.get(run_id)
    assert rec is not None
    assert rec.status == "succeeded" and rec.finished_at >= rec.created_at
    assert rec.prompt == "Make the sky purple" and rec.model == "gpt-image-2-edit"
    assert rec.params == {"num_images": 2} and rec.estimated_cost == pytest.approx(0.44)
    assert rec.input_names == ["sky.png", "ref.png"] and rec.batch_id == "b1"
    assert rec.mode == "sync" and rec.generation_ids == [] and not rec.starred
    # Inputs and mask are content-addressed blobs whose bytes match.
    for path, data in zip(rec.input_paths, inputs, strict=True):
        assert path.parent.parent == store.root / "blobs"
        assert path.name.startswith(sha(data)) and path.parent.name == sha(data)[:2]
        assert path.read_bytes() == data
    assert rec.mask_path is not None and rec.mask_path.read_bytes() == mask
    assert [o.index for o in rec.outputs] == [0, 1]
    assert [sha(o.path.read_bytes()) for o in rec.outputs] == [sha(d) for d in outs]
    assert rec.outputs[0].revised_prompt == "purple sky"
    assert rec.preview_path == rec.outputs[0].path


def test_params_are_scrubbed_of_keys_and_data_uris(store: HistoryStore) -> None:
    run_id = store.begin_run(
        model="m",
        prompt="p",
        inputs=[],
        input_names=[],
        mask=None,
        estimated_cost=None,
        params={
            "api_key": "sk-123",
            "headers": {"Authorization": "Bearer sk-123"},
            "input_image": ["data:image/png;base64,AAAA", "https://x/y.png"],
            "mask_url": "data:image/png;base64,BBBB",
            "quality": "high",
        },
    )
    rec = store.get(run_id)
    assert rec is not None
    assert rec.params == {
        "headers": {},
        "input_image": [None, "https://x/y.png"],
        "quality": "high",
    }
    assert "sk-123" not in json.dumps(scrub({"error": "Bearer sk-123 failed"}))


def test_inputs_dedup_across_runs(store: HistoryStore) -> None:
    shared = png("red", (50, 50))
    a = make_run(store, "one", inputs=[shared, png("blue")], mask=png("black", mode="L"))
    b = make_run(store, "two", inputs=[shared], mask=png("black", mode="L"))
    ra, rb = store.get(a), store.get(b)
    assert ra and rb
    assert ra.input_paths[0] == rb.input_paths[0]
    assert ra.mask_path == rb.mask_path
    blob_files = [p for p in (store.root / "blobs").rglob("*") if p.is_file()]
    assert len(blob_files) == 3  # shared input, blue input, shared mask


def test_queries_filters_and_order(store: HistoryStore) -> None:
    ids = {}
    for i, (prompt, model) in enumerate(
        [
            ("A red CAT on a sofa", "gpt-image-2-edit"),
            ("Remove the lamp", "gpt-image-2-edit"),
            ("cat with a hat", "other-model"),
            ("Straße bei Nacht", "other-model"),
        ]
    ):
        ids[i] = make_run(store, prompt, model=model)
    # Newest first (runs started in the same instant are ordered by when they were added).
    assert [r.id for r in store.runs()] == [ids[3], ids[2], ids[1], ids[0]]
    assert store.count() == 4
    assert {r.id for r in store.runs(search="cat")} == {ids[0], ids[2]}
    assert {r.id for r in store.runs(search="CAT ON")} == {ids[0]}
    assert {r.id for r in store.runs(search="at")} == {ids[0], ids[2]}  # short: scan path
    assert {r.id for r in store.runs(search="STRASSE")} == set()  # trigram narrows
    assert {r.id for r in store.runs(search="straße")} == {ids[3]}
    assert store.runs(search='"; DROP TABLE runs; --') == []
    assert {r.id for r in store.runs(model="other-model")} == {ids[2], ids[3]}
    assert store.models() == ["gpt-image-2-edit", "other-model"]
    assert store.count(search="cat") == 2

    created = {r.id: r.created_at for r in store.runs()}
    since = created[ids[2]]
    assert {r.id for r in store.runs(since=since)} == {ids[2], ids[3]}
    assert {r.id for r in store.runs(until=since)} == {ids[0], ids[1]}

    store.set_starred(ids[1], True)
    assert [r.id for r in store.runs(starred=True)] == [ids[1]]
    assert len(store.runs(starred=False)) == 3
    assert [r.id for r in store.runs(search="cat", model="other-model")] == [ids[2]]
    # Paging.
    assert [r.id for r in store.runs(limit=2)] == [ids[3], ids[2]]
    assert [r.id for r in store.runs(limit=2, offset=2)] == [ids[1], ids[0]]
    assert store.get("nope") is None
    with pytest.raises(KeyError):
        store.set_starred("nope", True)


def test_finish_run_validates_status(store: HistoryStore) -> None:
    run_id = make_run(store, status="")
    with pytest.raises(ValueError):
        store.finish_run(run_id, "running")
    store.finish_run(run_id, "partial", error="2 of 4 failed: Bearer sk-secret")
    rec = store.get(run_id)
    assert rec and rec.status == "partial" and "sk-secret" not in (rec.error or "")


def test_delete_keeps_shared_blobs(store: HistoryStore) -> None:
    shared, own = png("red", (40, 40)), png("blue", (40, 40))
    a = make_run(store, "a", inputs=[shared, own], outputs=2)
    b = make_run(store, "b", inputs=[shared], outputs=1)
    ra = store.get(a)
    assert ra
    thumb = store.thumbnail(ra.outputs[0].path)
    expected = store.reclaimable([a])
    freed = store.delete(a)
    assert freed == expected > 0
    assert store.get(a) is None and not (store.root / "runs" / a).exists()
    assert not thumb.exists()
    assert not ra.input_paths[1].exists()  # only `a` used it
    rb = store.get(b)
    assert rb and rb.input_paths[0].exists() and rb.input_paths[0] == ra.input_paths[0]
    assert store.delete(a) == 0
    store.delete(b)
    assert not ra.input_paths[0].exists()
    con = sqlite3.connect(store.root / "history.sqlite3")
    assert con.execute("SELECT count(*) FROM blobs").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM outputs").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM run_inputs").fetchone()[0] == 0
    con.close()


def test_reclaimable_counts_blobs_shared_only_within_the_selection(store: HistoryStore) -> None:
    shared = png("red", (40, 40))
    a = make_run(store, "a", inputs=[shared], outputs=0)
    b = make_run(store, "b", inputs=[shared], outputs=0)
    assert store.reclaimable([a]) == 0
    assert store.reclaimable([a, b]) == len(shared)


def test_recover_marks_running_interrupted_and_keeps_generation_ids(tmp_path: Path) -> None:
    root = tmp_path / "h"
    s1 = HistoryStore(root)
    sync_run = s1.begin_run(
        model="m",
        prompt="sync",
        params={},
        inputs=[png("red")],
        input_names=["a"],
        mask=None,
        estimated_cost=None,
    )
    queue_run = s1.begin_run(
        model="m",
        prompt="queued",
        params={},
        inputs=[png("red")],
        input_names=["a"],
        mask=None,
        estimated_cost=None,
        mode="queue",
    )
    s1.set_generation_ids(queue_run, ["g1", "g2"])
    s1.add_output(queue_run, 0, png("green"), "png")
    done = make_run(s1, "done")
    # The same store's own running runs are alive: recover leaves them alone.
    assert s1.recover() == []
    s1.close()  # the "process" goes away

    s2 = HistoryStore(root)
    interrupted = s2.recover()
    assert {r.id for r in interrupted} == {sync_run, queue_run}
    assert all(r.status == "interrupted" for r in interrupted)
    rec = s2.get(queue_run)
    assert rec and rec.generation_ids == ["g1", "g2"] and len(rec.outputs) == 1
    assert [r.id for r in s2.pending_queue_runs()] == [queue_run]
    assert s2.get(done).status == "succeeded"  # type: ignore[union-attr]
    # Resuming: claim, collect the rest, finish.
    s2.claim(queue_run)
    s2.add_output(queue_run, 1, png("blue"), "png")
    assert s2.pending_queue_runs() == []
    s2.finish_run(queue_run, "succeeded")
    assert s2.recover() == []
    s2.close()


def test_recover_adopts_and_cleans_leftovers(tmp_path: Path) -> None:
    root = tmp_path / "h"
    s1 = HistoryStore(root)
    run_id = s1.begin_run(
        model="m",
        prompt="p",
        params={},
        inputs=[png("red")],
        input_names=["a"],
        mask=None,
        estimated_cost=None,
    )
    s1.close()
    run_dir = root / "runs" / run_id
    run_dir.mkdir(parents=True)
    # As if killed between the output's rename and its row's commit, or mid-write.
    (run_dir / "output-1.png").write_bytes(png("green"))
    (run_dir / "output-2.png").write_bytes(b"\x89PNG garbage")
    (run_dir / ".output-3.png.abc.part").write_bytes(b"half")
    (root / "runs" / "19990101-000000-deadbeef").mkdir()  # deleted run's folder
    orphan_blob = root / "blobs" / "ff" / ("ff" * 32 + ".png")
    orphan_blob.parent.mkdir(parents=True)
    orphan_blob.write_bytes(png("white"))
    (root / "blobs" / "ff" / ".x.png.1.part").write_bytes(b"x")

    s2 = HistoryStore(root)
    assert [r.id for r in s2.recover()] == [run_id]
    rec = s2.get(run_id)
    assert rec and [o.path.name for o in rec.outputs] == ["output-1.png"]
    assert sorted(p.name for p in run_dir.iterdir()) == ["output-1.png"]
    assert not (root / "runs" / "19990101-000000-deadbeef").exists()
    assert not orphan_blob.exists() and not list(root.rglob("*.part"))
    assert rec.input_paths[0].exists()
    s2.close()


def test_recover_spares_a_live_other_process(tmp_path: Path) -> None:
    """Another open store (a second process, e.g. the CLI) keeps its runs and fresh files."""
    root = tmp_path / "h"
    other = HistoryStore(root)
    run_id = other.begin_run(
        model="m",
        prompt="p",
        params={},
        inputs=[png("red")],
        input_names=["a"],
        mask=None,
        estimated_cost=None,
    )
    part = root / "runs" / run_id / ".output-1.png.x.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(b"in flight")
    me = HistoryStore(root)
    assert me.recover() == []
    assert me.get_status(run_id) == "running" and part.exists()
    other.close()
    assert [r.id for r in me.recover()] == [run_id]
    assert not part.exists()
    me.close()


def test_reopen_and_concurrent_threads(tmp_path: Path) -> None:
    root = tmp_path / "h"
    with HistoryStore(root) as s:
        errors: list[BaseException] = []

        def worker(n: int) -> None:
            try:
                for i in range(5):
                    make_run(s, f"thread {n} run {i}", inputs=[png((n, i, 0))], outputs=2)
                    s.runs(search="thread")
            except BaseException as exc:  # noqa: BLE001 - re-raised in the main thread
                errors.append(exc)

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        assert s.count() == 20
    with HistoryStore(root) as s:
        assert s.count() == 20 and s.recover() == []
        mode = s.conn.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"
        assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_add_output_to_unknown_or_deleted_run(store: HistoryStore) -> None:
    with pytest.raises(KeyError):
        store.add_output("20200101-000000-00000000", 0, png("red"), "png")
    with pytest.raises(ValueError):
        store.add_output("../../etc", 0, png("red"), "png")
    run_id = make_run(store, outputs=0, status="")
    with pytest.raises(ValueError):
        store.add_output(run_id, 0, png("red"), "p/ng")
    # Re-delivering an output with another format replaces the old file.
    first = store.add_output(run_id, 0, png("red"), "png")
    second = store.add_output(run_id, 0, jpeg("red", (8, 8)), "jpg")
    assert not first.exists() and second.exists()
    rec = store.get(run_id)
    assert rec and [o.path for o in rec.outputs] == [second]


def test_disk_usage_grows_and_shrinks(store: HistoryStore) -> None:
    noise = io.BytesIO()
    Image.frombytes("RGB", (300, 300), os.urandom(300 * 300 * 3)).save(noise, "PNG")
    before = store.disk_usage()
    run_id = make_run(store, inputs=[noise.getvalue()], outputs=3)
    grown = store.disk_usage()
    assert grown > before + len(noise.getvalue())
    freed = store.delete(run_id)
    assert freed > len(noise.getvalue())
    assert store.disk_usage() < grown - len(noise.getvalue()) + 64 * 1024  # WAL may grow


def test_thumbnail_cached_not_regenerated(store: HistoryStore, monkeypatch) -> None:
    src = store.root / "big.jpg"
    src.write_bytes(jpeg("orange", (1600, 1200)))
    thumb = store.thumbnail(src, 160)
    assert thumb.parent.parent.parent == store.root / "thumbs"
    with Image.open(thumb) as im:
        assert max(im.size) == 160 and im.size == (160, 120)
    stamp = thumb.stat().st_mtime_ns

    import retouch.core.history.thumbnails as thumbs_mod

    def boom(*a, **k):
        raise AssertionError("regenerated from the full image")

    monkeypatch.setattr(thumbs_mod, "render_thumbnail", boom)
    assert store.thumbnail(src, 160) == thumb and thumb.stat().st_mtime_ns == stamp
    monkeypatch.undo()
    # A different size is its own entry; a rewritten source gets a fresh one.
    small = store.thumbnail(src, 64)
    assert small != thumb and small.exists()
    src.write_bytes(jpeg("blue", (400, 400)))
    os.utime(src, ns=(stamp + 10**9, stamp + 10**9))
    fresh = store.thumbnail(src, 160)
    assert fresh != thumb and not thumb.exists()
    with Image.open(fresh) as im:
        assert im.size == (160, 160)


def test_thumbnail_keeps_alpha(store: HistoryStore) -> None:
    src = store.root / "cut.png"
    src.write_bytes(png((255, 0, 0, 0), (400, 200), mode="RGBA"))
    thumb = store.thumbnail(src)
    assert thumb.suffix == ".png"
    with Image.open(thumb) as im:
        assert im.mode == "RGBA" and im.size == (160, 80)


def test_session_roundtrip_and_corruption(tmp_path: Path) -> None:
    assert load_session(tmp_path) == {}
    state = {"inputs": ["/a.png"], "prompt": "hi ✨", "zoom": 1.5}
    save_session(tmp_path, state)
    assert load_session(tmp_path) == state
    (tmp_path / "session.json").write_text("{not json")
    assert load_session(tmp_path) == {}
    (tmp_path / "session.json").write_text("[1, 2]")
    assert load_session(tmp_path) == {}
    (tmp_path / "session.json").write_bytes(b"\xff\xfe\x00")
    assert load_session(tmp_path) == {}


def test_a_damaged_database_is_a_history_error(tmp_path):
    from retouch.core.history import HistoryError

    (tmp_path / "history.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(HistoryError, match="damaged"):
        HistoryStore(tmp_path)
