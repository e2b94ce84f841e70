"""History for issue 12: the model's own picture beside each composite, how the region was
placed, each run's parent (lineage); a v2 store upgraded with its data; run archives."""

from __future__ import annotations

import io
import sqlite3
import time
from pathlib import Path

from PIL import Image

from retouch.core.history import HistoryStore, export_run_zip, import_run_zip, schema
from retouch.core.request import ResultRef


def png(size: tuple[int, int], colour: tuple[int, int, int] = (10, 20, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "PNG")
    return buf.getvalue()


PLACEMENT = {"plan": {"mode": "auto", "region": [10, 10, 110, 85]}, "options": {"feather": 4}}


def begin(store: HistoryStore, parent: ResultRef | None = None) -> str:
    return store.begin_run(
        model="gpt-image-2-edit",
        prompt="a cup",
        params={"resolution": "1024x768"},
        inputs=[png((400, 300))],
        input_names=["photo.png"],
        mask=png((400, 300), (255, 255, 255)),
        estimated_cost=0.22,
        parent=parent,
        placement=PLACEMENT,
    )


def test_a_result_keeps_the_models_picture_and_its_record(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h") as store:
        run_id = begin(store)
        composite, model = png((400, 300)), png((1024, 768), (200, 0, 0))
        path = store.add_output(
            run_id, 0, composite, "png", model_output=model, info={"feather": 4, "placed": True}
        )
        store.finish_run(run_id, "succeeded")
        rec = store.get(run_id)
        assert rec is not None and rec.placement == PLACEMENT
        (out,) = rec.outputs
        assert out.path == path and path.read_bytes() == composite
        assert out.model_path is not None and out.model_path.read_bytes() == model
        assert out.model_path.name == "model-1.png" and out.model_or_result == out.model_path
        assert out.info == {"feather": 4, "placed": True}
        # Written again (a resumed download): the old model picture is replaced, not left.
        store.add_output(run_id, 0, composite, "png", model_output=png((1024, 768), (1, 2, 3)))
        files = sorted(p.name for p in path.parent.iterdir())
        assert files == ["model-1.png", "output-1.png"]
        # A result with nothing placed back has no model picture of its own.
        store.add_output(run_id, 1, model, "png")
        rec = store.get(run_id)
        assert rec is not None
        assert (
            rec.outputs[1].model_path is None
            and rec.outputs[1].model_or_result == rec.outputs[1].path
        )
        # Deleting the run removes both pictures.
        assert store.delete(run_id) > 0
        assert not path.parent.exists()


def test_lineage_follows_parents_oldest_first_and_stops_at_a_loop(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h") as store:
        a = begin(store)
        b = begin(store, ResultRef(a, 0))
        c = begin(store, ResultRef(b, 1))
        d = begin(store, ResultRef(b, 0))
        assert [r.id for r in store.lineage(c)] == [a, b, c]
        assert [r.id for r in store.lineage(a)] == [a]
        assert [r.id for r in store.children(b)] == [c, d]
        rec = store.get(c)
        assert rec is not None and (rec.parent_run, rec.parent_index) == (b, 1)
        # A damaged chain that points back at itself cannot hang the History page.
        store.conn.execute("UPDATE runs SET parent_run = ? WHERE id = ?", (c, a))
        assert [r.id for r in store.lineage(c)] == [a, b, c]
        assert store.lineage("no-such-run") == []


def test_a_v2_store_is_upgraded_with_its_runs_and_outputs(tmp_path: Path) -> None:
    root = tmp_path / "h"
    root.mkdir()
    conn = sqlite3.connect(root / "history.sqlite3", isolation_level=None)
    assert schema.migrate(conn, target=2) == 2  # a store written before issue 12
    conn.execute(
        "INSERT INTO runs(id, created_at, status, model, prompt) VALUES (?, ?, ?, ?, ?)",
        ("20200101-000000-00000001", time.time(), "succeeded", "m", "an old edit"),
    )
    (root / "runs" / "20200101-000000-00000001").mkdir(parents=True)
    (root / "runs" / "20200101-000000-00000001" / "output-1.png").write_bytes(png((8, 8)))
    conn.execute(
        "INSERT INTO outputs(run_id, idx, relpath, size, created_at) VALUES (?, 0, ?, 1, ?)",
        ("20200101-000000-00000001", "runs/20200101-000000-00000001/output-1.png", time.time()),
    )
    conn.close()
    with HistoryStore(root) as store:
        assert schema.user_version(store.conn) == schema.LATEST_VERSION >= 3
        (rec,) = store.runs()
        assert rec.prompt == "an old edit" and rec.placement is None and rec.parent_run is None
        assert rec.outputs[0].model_path is None and rec.outputs[0].info == {}


def test_an_archive_carries_the_models_pictures_and_the_placement(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "a") as store:
        parent = begin(store)
        run_id = begin(store, ResultRef(parent, 0))
        store.add_output(
            run_id, 0, png((400, 300)), "png", model_output=png((1024, 768)), info={"feather": 4}
        )
        store.finish_run(run_id, "succeeded")
        zip_path = export_run_zip(store, run_id, tmp_path / "run.zip")
    with HistoryStore(tmp_path / "b") as other:
        new_id = import_run_zip(other, zip_path)
        rec = other.get(new_id)
        assert rec is not None and rec.placement == PLACEMENT
        assert rec.parent_run is None  # the parent is a run of another history
        (out,) = rec.outputs
        assert out.model_path is not None
        assert Image.open(out.model_path).size == (1024, 768)
        assert out.info == {"feather": 4}
