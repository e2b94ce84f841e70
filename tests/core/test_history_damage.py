"""A damaged or newer history database never stops the app (issue 13 §4): it is reported as
a typed error, can be set aside for a fresh start, and a newer one is read read-only or
refused with "made by a newer Retouch". Real files: pages overwritten, user_version raised.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from PIL import Image

from retouch.core.history import (
    HistoryDamagedError,
    HistoryError,
    HistoryReadOnlyError,
    HistoryStore,
    HistoryTooNewError,
    quarantine,
    schema,
)
from retouch.core.history.store import DB_NAME


def _png(color: str = "red") -> bytes:
    import io

    buf = io.BytesIO()
    Image.new("RGB", (16, 12), color).save(buf, "PNG")
    return buf.getvalue()


def make_history(root: Path, runs: int = 60) -> list[str]:
    """A history with enough rows to span many database pages."""
    ids = []
    with HistoryStore(root) as store:
        for i in range(runs):
            run_id = store.begin_run(
                model="gpt-image-2-edit",
                prompt=f"run {i} " + "a long prompt to fill pages " * 20,
                params={"resolution": "1024x1024"},
                inputs=[_png()],
                input_names=["in.png"],
                mask=None,
                estimated_cost=0.22,
            )
            store.add_output(run_id, 0, _png("blue"), "png", "revised")
            store.finish_run(run_id, "succeeded")
            ids.append(run_id)
    return ids


def corrupt_pages(db: Path, first: int = 2, count: int = 3) -> None:
    """Overwrite whole pages (not the header page) with garbage, as a bad disk would."""
    with sqlite3.connect(db) as conn:
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    assert pages > first + count, pages
    with open(db, "r+b") as fh:
        for n in range(first, first + count):
            fh.seek((n - 1) * page)
            fh.write(bytes((i * 37 + n) % 256 for i in range(page)))


def set_version(db: Path, version: int) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {version}")


def test_corrupt_pages_are_a_typed_damage_error(tmp_path: Path) -> None:
    root = tmp_path / "history"
    make_history(root)
    corrupt_pages(root / DB_NAME)
    with pytest.raises(HistoryDamagedError) as info:
        HistoryStore(root)
    assert isinstance(info.value, HistoryError)  # callers that catch HistoryError go on
    assert info.value.path == root / DB_NAME
    assert "damaged" in str(info.value)


def test_a_file_that_is_not_a_database_is_damage_too(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"this is not a database" * 100)
    with pytest.raises(HistoryDamagedError, match="damaged"):
        HistoryStore(tmp_path)


def test_quarantine_keeps_everything_and_a_fresh_history_starts(tmp_path: Path) -> None:
    root = tmp_path / "history"
    ids = make_history(root, runs=40)
    outputs = sorted((root / "runs").rglob("output-*.png"))
    assert len(outputs) == 40
    corrupt_pages(root / DB_NAME)
    damaged_bytes = (root / DB_NAME).read_bytes()
    (root / (DB_NAME + "-wal")).write_bytes(b"wal")  # as a killed process leaves them
    (root / (DB_NAME + "-shm")).write_bytes(b"shm")

    store, moved = HistoryStore.start_fresh(root)
    with store:
        assert moved.name.startswith(DB_NAME + ".damaged-")
        assert moved.read_bytes() == damaged_bytes
        assert moved.with_name(moved.name + "-wal").read_bytes() == b"wal"
        assert moved.with_name(moved.name + "-shm").read_bytes() == b"shm"
        suffix = moved.name[len(DB_NAME) :]
        kept = sorted((root / ("runs" + suffix)).rglob("output-*.png"))
        assert [p.name for p in kept] == [p.name for p in outputs]  # every paid result
        assert (root / ("blobs" + suffix)).is_dir()
        assert store.runs() == []
        store.recover()  # the fresh store's sweep never reaches the old results
        new_id = store.begin_run(
            model="m",
            prompt="p",
            params={},
            inputs=[],
            input_names=[],
            mask=None,
            estimated_cost=None,
        )
        assert store.get(new_id) is not None
    assert len(list((root / ("runs" + suffix)).rglob("output-*.png"))) == 40
    assert len(ids) == 40
    # Twice in the same second: a second name, nothing overwritten.
    second = quarantine(root)
    assert second != moved and moved.exists() and second.exists()


def test_damage_found_after_opening_is_typed_too(tmp_path: Path) -> None:
    root = tmp_path / "history"
    make_history(root)
    store = HistoryStore(root)
    try:
        corrupt_pages(root / DB_NAME, first=3, count=6)
        with pytest.raises(HistoryDamagedError):
            for _ in range(3):  # the page cache may serve the first read
                store.conn.execute("PRAGMA cache_size = 0")
                store.runs(limit=1000)
                store.count(search="prompt")
    finally:
        store.close()


def test_a_newer_schema_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    root = tmp_path / "history"
    make_history(root, runs=3)
    set_version(root / DB_NAME, schema.LATEST_VERSION + 5)
    before = (root / DB_NAME).read_bytes()
    with pytest.raises(HistoryTooNewError) as info:
        HistoryStore(root)
    assert "made by a newer Retouch" in str(info.value)
    assert info.value.version == schema.LATEST_VERSION + 5
    assert (root / DB_NAME).read_bytes() == before  # left untouched


def test_a_newer_schema_can_be_read_read_only(tmp_path: Path) -> None:
    root = tmp_path / "history"
    ids = make_history(root, runs=3)
    set_version(root / DB_NAME, schema.LATEST_VERSION + 1)
    before = (root / DB_NAME).read_bytes()
    with HistoryStore(root, read_only=True) as store:
        assert store.newer and store.read_only
        assert sorted(r.id for r in store.runs()) == sorted(ids)
        assert store.get(ids[0]).outputs[0].path.exists()  # type: ignore[union-attr]
        with pytest.raises(HistoryReadOnlyError):
            store.begin_run(
                model="m",
                prompt="p",
                params={},
                inputs=[],
                input_names=[],
                mask=None,
                estimated_cost=None,
            )
        with pytest.raises(HistoryReadOnlyError):
            store.add_output(ids[0], 1, _png(), "png")
        with pytest.raises(HistoryReadOnlyError):
            store.delete(ids[0])
    assert (root / DB_NAME).read_bytes() == before
    assert not (root / "runs" / ids[0] / "output-2.png").exists()


def test_a_newer_schema_that_changed_the_tables_is_refused_read_only(tmp_path: Path) -> None:
    root = tmp_path / "history"
    make_history(root, runs=1)
    with sqlite3.connect(root / DB_NAME) as conn:
        conn.execute("ALTER TABLE runs RENAME COLUMN prompt TO prompt_text")
        conn.execute(f"PRAGMA user_version = {schema.LATEST_VERSION + 1}")
    with pytest.raises(HistoryError, match="newer Retouch"):
        HistoryStore(root, read_only=True)


def test_quick_check_costs_little(tmp_path: Path) -> None:
    """The integrity check at open reads every page; on a few hundred runs it is cheap
    enough not to matter (the count of pages, not a time, is asserted)."""
    root = tmp_path / "history"
    make_history(root, runs=200)
    with sqlite3.connect(root / DB_NAME) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    assert pages < 2000  # ~4 MB: quick_check reads this in milliseconds
    assert os.path.getsize(root / DB_NAME) < 8 * 1024 * 1024
