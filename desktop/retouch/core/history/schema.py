"""Versioned SQLite schema of the history store.

The database's ``PRAGMA user_version`` is the number of migrations applied. ``MIGRATIONS`` is an
ordered list: migration *n* (1-based) takes a store from version n-1 to n. A store written by an
older Retouch is brought up to date on open; each step runs in its own ``BEGIN IMMEDIATE``
transaction together with the version bump, so a crash mid-migration leaves the old version
intact, and two processes opening the same store at once cannot both apply a step.

Rules for adding a migration: append, never edit or reorder an existing one (users have stores at
every version), and keep each statement idempotent (``IF NOT EXISTS``) so re-running a step on a
store that somehow already has it is harmless.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]


class SchemaTooNewError(RuntimeError):
    """The store was written by a newer Retouch; refusing to guess at its layout."""

    def __init__(self, message: str, version: int = 0) -> None:
        super().__init__(message)
        self.version = version


def _v1_base(conn: sqlite3.Connection) -> None:
    statements = [
        # Inputs and masks are stored once per content hash; many runs re-use the same photo.
        """CREATE TABLE IF NOT EXISTS blobs (
            sha256 TEXT PRIMARY KEY,
            ext TEXT NOT NULL,
            size INTEGER NOT NULL
        ) WITHOUT ROWID""",
        # `seq` is an explicit INTEGER PRIMARY KEY so rowids survive VACUUM (the FTS index added
        # in v2 points at them) and break ties between runs started in the same instant.
        """CREATE TABLE IF NOT EXISTS runs (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            created_at REAL NOT NULL,
            finished_at REAL,
            status TEXT NOT NULL,
            model TEXT NOT NULL,
            prompt TEXT NOT NULL,
            params TEXT NOT NULL DEFAULT '{}',
            mask_sha256 TEXT REFERENCES blobs(sha256),
            estimated_cost REAL,
            error TEXT,
            starred INTEGER NOT NULL DEFAULT 0,
            batch_id TEXT,
            mode TEXT NOT NULL DEFAULT 'sync',
            generation_ids TEXT NOT NULL DEFAULT '[]',
            owner TEXT
        )""",
        "CREATE INDEX IF NOT EXISTS runs_by_created ON runs(created_at, seq)",
        "CREATE INDEX IF NOT EXISTS runs_by_model ON runs(model, created_at)",
        # Partial indexes: only the few starred / unfinished runs are indexed.
        "CREATE INDEX IF NOT EXISTS runs_starred ON runs(created_at) WHERE starred = 1",
        "CREATE INDEX IF NOT EXISTS runs_unfinished ON runs(status)"
        " WHERE status IN ('running', 'interrupted')",
        "CREATE INDEX IF NOT EXISTS runs_by_mask ON runs(mask_sha256)"
        " WHERE mask_sha256 IS NOT NULL",
        """CREATE TABLE IF NOT EXISTS run_inputs (
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            sha256 TEXT NOT NULL REFERENCES blobs(sha256),
            name TEXT NOT NULL,
            PRIMARY KEY (run_id, position)
        ) WITHOUT ROWID""",
        # Needed to answer "does any other run still use this blob?" when deleting.
        "CREATE INDEX IF NOT EXISTS run_inputs_by_blob ON run_inputs(sha256)",
        """CREATE TABLE IF NOT EXISTS outputs (
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            relpath TEXT NOT NULL,
            size INTEGER NOT NULL,
            revised_prompt TEXT,
            created_at REAL NOT NULL,
            PRIMARY KEY (run_id, idx)
        ) WITHOUT ROWID""",
    ]
    for sql in statements:
        conn.execute(sql)


def has_trigram(conn: sqlite3.Connection) -> bool:
    """FTS5's trigram tokenizer (SQLite >= 3.34) gives indexed substring search."""
    try:
        conn.execute("CREATE VIRTUAL TABLE temp._trigram_probe USING fts5(x, tokenize='trigram')")
    except sqlite3.OperationalError:
        return False
    conn.execute("DROP TABLE temp._trigram_probe")
    return True


def _v2_prompt_search(conn: sqlite3.Connection) -> None:
    # Substring search over prompts cannot use a B-tree index; a trigram FTS index can. Builds of
    # SQLite without FTS5 skip this and the store falls back to a scan (fine for a few thousand
    # runs), which is why the query code checks for the table rather than the version.
    if not has_trigram(conn):
        return
    statements = [
        "CREATE VIRTUAL TABLE IF NOT EXISTS runs_fts USING fts5("
        "prompt, content='runs', content_rowid='seq', tokenize='trigram')",
        """CREATE TRIGGER IF NOT EXISTS runs_fts_ai AFTER INSERT ON runs BEGIN
            INSERT INTO runs_fts(rowid, prompt) VALUES (new.seq, new.prompt);
        END""",
        """CREATE TRIGGER IF NOT EXISTS runs_fts_ad AFTER DELETE ON runs BEGIN
            INSERT INTO runs_fts(runs_fts, rowid, prompt) VALUES ('delete', old.seq, old.prompt);
        END""",
        """CREATE TRIGGER IF NOT EXISTS runs_fts_au AFTER UPDATE OF prompt ON runs BEGIN
            INSERT INTO runs_fts(runs_fts, rowid, prompt) VALUES ('delete', old.seq, old.prompt);
            INSERT INTO runs_fts(rowid, prompt) VALUES (new.seq, new.prompt);
        END""",
        # Index the runs an older store already has.
        "INSERT INTO runs_fts(runs_fts) VALUES ('rebuild')",
    ]
    for sql in statements:
        conn.execute(sql)


def _column_names(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def _add_column(conn: sqlite3.Connection, table: str, definition: str) -> None:
    # ALTER TABLE ADD COLUMN has no IF NOT EXISTS: check first, so the step can be re-run.
    if definition.split()[0] not in _column_names(conn, table):
        conn.execute(f"ALTER TABLE {table} ADD COLUMN {definition}")


def _v3_placement_and_lineage(conn: sqlite3.Connection) -> None:
    # Issue 12: a result is the model's picture placed back into the designer's photo.
    # runs.placement: how the region was cut and the result placed (JSON); runs.parent_run /
    # parent_index: the result the run's first input came from (Use as Input), for lineage.
    # outputs.model_relpath: the model's own picture beside the composite; outputs.info:
    # the paste-back record (feather, colour match …) as JSON.
    _add_column(conn, "runs", "placement TEXT")
    _add_column(conn, "runs", "parent_run TEXT")
    _add_column(conn, "runs", "parent_index INTEGER")
    _add_column(conn, "outputs", "model_relpath TEXT")
    _add_column(conn, "outputs", "info TEXT")
    conn.execute(
        "CREATE INDEX IF NOT EXISTS runs_by_parent ON runs(parent_run) WHERE parent_run IS NOT NULL"
    )


def _v4_demo_runs(conn: sqlite3.Connection) -> None:
    # Runs made in the offline demo (a local stand-in answered, nothing was billed) are marked,
    # shown as such, and never collected from the real hub's queue by a later start.
    _add_column(conn, "runs", "demo INTEGER NOT NULL DEFAULT 0")


MIGRATIONS: list[Migration] = [
    _v1_base,
    _v2_prompt_search,
    _v3_placement_and_lineage,
    _v4_demo_runs,
]
LATEST_VERSION = len(MIGRATIONS)


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int | None = None) -> int:
    """Apply pending migrations up to *target* (default: latest); return the resulting version.

    *conn* must be in autocommit mode (``isolation_level=None``) so the explicit transactions
    here are the only ones.
    """
    target = LATEST_VERSION if target is None else target
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read under the write lock: another process may have migrated meanwhile.
            version = user_version(conn)
            if version > LATEST_VERSION:
                raise SchemaTooNewError(
                    f"history database is at schema version {version}, this Retouch knows "
                    f"{LATEST_VERSION}; update Retouch to open it",
                    version,
                )
            if version >= target:
                conn.execute("COMMIT")
                return version
            MIGRATIONS[version](conn)
            # PRAGMA cannot take parameters; the value is our own integer.
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
