"""Kill a process writing to the store at random moments; the store must always recover."""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PIL import Image

from retouch.core.history import HistoryStore

WRITER = textwrap.dedent(
    """
    import io, random, sys
    from PIL import Image
    from retouch.core.history import HistoryStore

    rng = random.Random(int(sys.argv[2]))
    store = HistoryStore(sys.argv[1])

    def img(color=None):
        color = color or tuple(rng.randrange(256) for _ in range(3))
        buf = io.BytesIO()
        Image.new("RGB", (rng.choice([8, 16, 48]), 12), color).save(buf, "PNG")
        return buf.getvalue()

    shared = [img((255, 0, 0)), img((0, 0, 255))]  # dedup across runs and processes
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        queue = rng.random() < 0.3
        rid = store.begin_run(
            model=rng.choice(["gpt-image-2-edit", "other"]), prompt=f"kill test {n}",
            params={"n": n}, inputs=[rng.choice(shared), img()], input_names=["a", "b"],
            mask=rng.choice([None, shared[0], img()]), estimated_cost=0.22,
            mode="queue" if queue else "sync",
        )
        if queue:
            store.set_generation_ids(rid, ["g1", "g2", "g3"])
        for k in range(rng.randint(0, 3)):
            store.add_output(rid, k, img(), "png", revised_prompt="r")
        if rng.random() < 0.85:
            store.finish_run(rid, rng.choice(["succeeded", "partial", "failed"]))
        if rng.random() < 0.3:
            store.set_starred(rid, True)
        if rng.random() < 0.3:
            victims = store.runs(limit=20)
            if victims:
                store.delete(rng.choice(victims).id)
        if rng.random() < 0.2:
            rec = store.get(rid)
            if rec and rec.outputs:
                store.thumbnail(rec.outputs[0].path, 32)
    """
)


def _check_store(root: Path) -> tuple[int, int]:
    with HistoryStore(root) as store:
        store.recover()
        conn = store.conn
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("SELECT count(*) FROM runs WHERE status = 'running'").fetchone()[0] == 0
        rels = set()
        for rel, size in conn.execute("SELECT relpath, size FROM outputs"):
            path = root / rel
            rels.add(path)
            assert path.stat().st_size == size, rel
            with Image.open(path) as im:
                im.load()
        for sha, ext, size in conn.execute("SELECT sha256, ext, size FROM blobs"):
            path = root / "blobs" / sha[:2] / f"{sha}.{ext}"
            data = path.read_bytes()
            assert len(data) == size and hashlib.sha256(data).hexdigest() == sha
        referenced = conn.execute(
            "SELECT count(*) FROM blobs b WHERE NOT EXISTS (SELECT 1 FROM run_inputs i"
            " WHERE i.sha256 = b.sha256) AND NOT EXISTS (SELECT 1 FROM runs r"
            " WHERE r.mask_sha256 = b.sha256)"
        ).fetchone()[0]
        assert referenced == 0, "a blob row nobody uses"
        # recover() left no leftovers: every file on disk is accounted for.
        assert not list(root.rglob("*.part"))
        on_disk = (
            {p for p in (root / "runs").rglob("*") if p.is_file()}
            if (root / "runs").exists()
            else set()
        )
        assert on_disk == rels
        blob_files = {p.name.split(".")[0] for p in (root / "blobs").rglob("*") if p.is_file()}
        assert blob_files == {s for (s,) in conn.execute("SELECT sha256 FROM blobs")}
        for rec in store.runs(limit=10_000):
            assert all(p.exists() for p in rec.input_paths)
            assert rec.mask_path is None or rec.mask_path.exists()
        return store.count(), len(rels)


@pytest.mark.slow
def test_store_survives_sigkill_at_random_moments(tmp_path: Path) -> None:
    root = tmp_path / "history"
    rng = random.Random(1234)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    kills = 0
    for attempt in range(22):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(root), str(attempt)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        try:
            line = proc.stdout.readline() if proc.stdout else b""
            assert line.strip() == b"ready", proc.stderr.read() if proc.stderr else line
            time.sleep(rng.uniform(0.0, 0.25))
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            proc.kill()  # SIGKILL on POSIX: no cleanup handlers, no atexit
        finally:
            proc.wait(timeout=10)
            for stream in (proc.stdout, proc.stderr):
                if stream:
                    stream.close()
        kills += 1
        _check_store(root)
    runs, outputs = _check_store(root)
    assert kills >= 20
    assert runs > 20 and outputs > 20, "the writer barely wrote anything before the kills"
    sqlite3.connect(root / "history.sqlite3").close()
