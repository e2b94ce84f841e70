"""Schema versioning: fresh stores, old stores and re-runs all end at the latest version."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from retouch.core.history import HistoryStore, HistoryTooNewError, schema


def _conn(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def test_migrations_from_zero_are_idempotent(tmp_path: Path) -> None:
    conn = _conn(tmp_path / "db.sqlite3")
    assert schema.user_version(conn) == 0
    assert schema.migrate(conn) == schema.LATEST_VERSION
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert {"runs", "blobs", "run_inputs", "outputs"} <= tables
    before = sorted(conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall(), key=repr)
    # Again: nothing to do. And every step re-applied by hand is harmless.
    assert schema.migrate(conn) == schema.LATEST_VERSION
    conn.execute("BEGIN")
    for step in schema.MIGRATIONS:
        step(conn)
    conn.execute("COMMIT")
    after = sorted(conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall(), key=repr)
    assert before == after
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_old_store_is_upgraded_with_its_data(tmp_path: Path) -> None:
    root = tmp_path / "h"
    root.mkdir()
    conn = _conn(root / "history.sqlite3")
    assert schema.migrate(conn, target=1) == 1  # a store written by Retouch with schema v1
    conn.execute(
        "INSERT INTO runs(id, created_at, status, model, prompt) VALUES (?, ?, ?, ?, ?)",
        ("20200101-000000-00000001", time.time(), "succeeded", "m", "An old purple sky"),
    )
    conn.close()

    with HistoryStore(root) as store:
        assert schema.user_version(store.conn) == schema.LATEST_VERSION
        # v2's search index was filled from the runs the old store already had.
        assert [r.prompt for r in store.runs(search="purple")] == ["An old purple sky"]
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_newer_store_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "h"
    root.mkdir()
    conn = _conn(root / "history.sqlite3")
    conn.execute(f"PRAGMA user_version = {schema.LATEST_VERSION + 1}")
    conn.close()
    with pytest.raises(HistoryTooNewError, match="made by a newer Retouch"):
        HistoryStore(root)


def test_failed_migration_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conn = _conn(tmp_path / "db.sqlite3")

    def broken(c: sqlite3.Connection) -> None:
        c.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, broken])
    monkeypatch.setattr(schema, "LATEST_VERSION", len(schema.MIGRATIONS))
    with pytest.raises(RuntimeError):
        schema.migrate(conn)
    assert schema.user_version(conn) == schema.LATEST_VERSION - 1
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in names
