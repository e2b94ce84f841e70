"""Crash-safe history of edit runs: SQLite for the records, plain files for the images.

Layout under ``root``::

    history.sqlite3            WAL mode; schema versioned by PRAGMA user_version (see schema.py)
    blobs/ab/abcdef….png       inputs and masks, stored once per sha256 of their bytes
    runs/<run_id>/output-N.ext outputs, N = index + 1
    thumbs/…                   thumbnail cache (thumbnails.py)
    owners/<token>.lock        one per open store instance (owners.py)

Crash safety comes from ordering: every file is written atomically (temp + fsync + rename)
*before* the row that points at it is committed, and rows are deleted *before* their files. So
a kill at any moment leaves at worst files nobody points at, never a row whose file is missing;
``recover()`` adopts or removes those leftovers at the next start.

Threading: one SQLite connection shared by all threads, serialised by an ``RLock``. The app's
load is a handful of small statements per run, so a lock is simpler than a connection per thread
and makes ``close()`` deterministic. Output files are written outside the lock, so parallel
downloads do not wait for each other. Blob files are written (and removed by ``delete()``) inside
an IMMEDIATE transaction: SQLite's write lock then orders them against other *processes* (the
CLI next to the GUI) deduplicating or deleting the same blob.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from retouch.core.atomic import atomic_write_bytes
from retouch.core.history import schema
from retouch.core.history.owners import OwnerLock, live_owners
from retouch.core.history.thumbnails import ThumbnailCache
from retouch.core.redact import redact

log = logging.getLogger(__name__)

DB_NAME = "history.sqlite3"
FINAL_STATUSES = frozenset({"succeeded", "failed", "cancelled", "partial"})
ALL_STATUSES = FINAL_STATUSES | {"running", "interrupted"}
RECOVER_GRACE_S = 120.0

_RUN_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
_EXT_RE = re.compile(r"^[a-z0-9]{1,5}$")
_OUTPUT_RE = re.compile(r"^output-(\d{1,4})\.([a-z0-9]{1,5})$")
_SECRET_KEY_RE = re.compile(r"(api[_-]?key|authori[sz]ation|token|secret|password|bearer)", re.I)


class HistoryError(RuntimeError):
    pass


class HistoryDamagedError(HistoryError):
    """The database file is damaged (corrupt pages, not a database at all).

    Nothing in it is touched: :func:`quarantine` sets it aside so a fresh history can start.
    """

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"the history database is damaged ({detail}); it can be set aside and a new "
            "history started"
        )
        self.path = path
        self.detail = detail


class HistoryTooNewError(HistoryError):
    """The database was made by a newer Retouch; it is refused (or opened read-only)."""

    def __init__(self, path: Path, version: int) -> None:
        super().__init__(
            f"the history was made by a newer Retouch (schema version {version}; this one "
            f"knows up to {schema.LATEST_VERSION}). Update Retouch to keep using it; it was "
            "left untouched"
        )
        self.path = path
        self.version = version


class HistoryReadOnlyError(HistoryError):
    """A write to a history opened read-only."""


_CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB


def _is_damage(exc: BaseException) -> bool:
    if not isinstance(exc, sqlite3.DatabaseError) or isinstance(exc, sqlite3.OperationalError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None:
        return code & 0xFF in _CORRUPT_CODES
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


def damaged_name(root: str | os.PathLike[str], when: float | None = None) -> Path:
    """Where :func:`quarantine` puts the database: ``history.sqlite3.damaged-<DATE>``."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(time.time() if when is None else when))
    base = Path(root) / f"{DB_NAME}.damaged-{stamp}"
    path, n = base, 1
    while path.exists() or path.with_name(path.name + "-wal").exists():
        n += 1
        path = base.with_name(f"{base.name}-{n}")
    return path


def quarantine(root: str | os.PathLike[str]) -> Path:
    """Set a damaged history aside, keeping everything in it, so a fresh one can start.

    The database becomes ``history.sqlite3.damaged-<DATE>`` (its ``-wal`` and ``-shm`` files
    follow, under the names SQLite looks for beside it, so the set can still be opened for
    rescue), and its ``runs`` and ``blobs`` folders — the results and inputs the rows point
    at — become ``runs.damaged-<DATE>`` and ``blobs.damaged-<DATE>``: a fresh history must not
    see them as leftovers to delete. Thumbnails are only a cache and are dropped. Returns the
    new path of the database.
    """
    root = Path(root)
    target = damaged_name(root)
    suffix = target.name[len(DB_NAME) :]  # ".damaged-<DATE>[-n]"
    for name in ("-wal", "-shm"):
        side = root / (DB_NAME + name)
        if side.exists():
            os.replace(side, target.with_name(target.name + name))
    if (root / DB_NAME).exists():
        os.replace(root / DB_NAME, target)
    for folder in ("runs", "blobs"):
        if (root / folder).is_dir():
            os.replace(root / folder, root / (folder + suffix))
    shutil.rmtree(root / "thumbs", ignore_errors=True)
    return target


@dataclass(frozen=True)
class OutputRecord:
    index: int
    path: Path  # the result: the composite where the model's picture was placed back
    revised_prompt: str | None = None
    model_path: Path | None = None  # the model's own picture, where it differs from path
    info: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def model_or_result(self) -> Path:
        """The model's own picture (the result itself when nothing was placed back)."""
        return self.model_path or self.path


@dataclass
class RunRecord:
    id: str
    created_at: float
    finished_at: float | None
    status: str
    model: str
    prompt: str
    params: dict[str, Any]
    input_paths: list[Path]
    input_names: list[str]
    mask_path: Path | None
    estimated_cost: float | None
    error: str | None
    starred: bool
    batch_id: str | None
    mode: str
    generation_ids: list[str]
    outputs: list[OutputRecord] = field(default_factory=list)
    #: How the first input was cut from the photo and results placed back (issue 12).
    placement: dict[str, Any] | None = None
    #: The result the first input came from (Use as Input): (run id, output index).
    parent_run: str | None = None
    parent_index: int | None = None
    demo: bool = False  # made in the offline demo: a stand-in answered, nothing was billed

    @property
    def collectable(self) -> bool:
        """Queued on the hub and left before every result came (its session stopped waiting,
        was closed keeping it, or was killed): its results can still be collected."""
        return (
            self.status == "interrupted"
            and bool(self.generation_ids)
            and len(self.outputs) < len(self.generation_ids)
        )

    @property
    def preview_path(self) -> Path | None:
        """The image that best represents the run: its first output, else its first input."""
        if self.outputs:
            return self.outputs[0].path
        return self.input_paths[0] if self.input_paths else None


def sniff_ext(data: bytes) -> str:
    """File extension from an image's magic bytes ('bin' when unknown)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:2] in (b"BM",):
        return "bmp"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "tif"
    return "bin"


def scrub(value: Any) -> Any:
    """Copy of *value* without credentials or data: URIs (params, errors, archive metadata).

    Keys that look like credentials are dropped; data: URIs (inputs inlined for the API) are
    dropped from dicts and blanked elsewhere: the images themselves are stored as blobs, and
    megabytes of base64 do not belong in a database row or an exported run.json.
    """
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if isinstance(key, str) and _SECRET_KEY_RE.search(key):
                continue
            if isinstance(item, str) and item.strip().lower().startswith("data:"):
                continue
            out[str(key)] = scrub(item)
        return out
    if isinstance(value, (list, tuple)):
        return [
            None if isinstance(v, str) and v.strip().lower().startswith("data:") else scrub(v)
            for v in value
        ]
    if isinstance(value, str):
        return redact(value)
    return value


def new_run_id(now: float | None = None) -> str:
    # Time-ordered so run folders list chronologically; the random tail keeps ids unique.
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(time.time() if now is None else now))
    return f"{stamp}-{secrets.token_hex(4)}"


# Tokens of stores open in this process. A run's owner token found here is alive even though its
# lock file cannot be probed from the same process via a fresh open on every platform.
_OPEN_TOKENS: set[str] = set()


def _fold(text: str | None) -> str:
    return (text or "").casefold()


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _tree_size(folder: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            total += _file_size(Path(dirpath) / name)
    return total


def _check_integrity(conn: sqlite3.Connection) -> None:
    """Raise sqlite3.DatabaseError if the file has damaged pages.

    ``quick_check`` reads every page (a few ms for thousands of runs) but skips the slow
    index-content comparison of ``integrity_check``; damage is then found at start, where it
    can be reported and set aside, not in the middle of a run.
    """
    rows = conn.execute("PRAGMA quick_check(5)").fetchall()
    problems = [str(r[0]) for r in rows if r and r[0] != "ok"]
    if problems:
        log.info("history database check failed: %s", " | ".join(problems))
        raise sqlite3.DatabaseError("database disk image is malformed")


def _json_object(text: str | None) -> dict[str, Any]:
    """A JSON object column; {} for NULL or anything else (a damaged value is not fatal)."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _decodes(path: Path) -> bool:
    from PIL import Image  # here, not at import: the window opens the store before painting

    try:
        with Image.open(path) as im:
            im.verify()
    except Exception:  # noqa: BLE001 - Pillow raises many types for damaged files
        return False
    return True


class HistoryStore:
    """The run history under *root* (usually ``data_dir() / "history"``)."""

    def __init__(
        self, root: str | os.PathLike[str], *, read_only: bool = False, demo: bool = False
    ) -> None:
        """Open (or create) the history under *root*.

        Raises HistoryDamagedError for a damaged database, HistoryTooNewError for one made by a
        newer Retouch (unless *read_only*: then it is opened for reading, and every write
        raises HistoryReadOnlyError), HistoryError for anything else that stops it opening.
        """
        self.root = Path(root)
        self.read_only = read_only
        #: Runs begun through this store are demo runs (the window in demo mode opens it so).
        self.demo = demo
        #: Opened read-only although its schema is newer than this Retouch knows.
        self.newer = False
        if not read_only:
            self.root.mkdir(parents=True, exist_ok=True)
        self.blobs_dir = self.root / "blobs"
        self.runs_dir = self.root / "runs"
        self.thumbs = ThumbnailCache(self._thumbs_folder(), base=self.root)
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = self._connect()
        self._fts = self._has_table("runs_fts")
        self._owner = None if read_only else OwnerLock(self.root / "owners")
        token = self._owner.token if self._owner is not None else ""
        if token:
            _OPEN_TOKENS.add(token)
        self._finalizer = weakref.finalize(
            self, HistoryStore._cleanup, self._conn, self._owner, token
        )

    def _thumbs_folder(self) -> Path:
        """Thumbnails live in the store — except in a read-only one (made by a newer
        Retouch), which nothing may write to: theirs go to a folder of the system's temp."""
        if not self.read_only:
            return self.root / "thumbs"
        import tempfile

        digest = hashlib.sha1(str(self.root.resolve()).encode(), usedforsecurity=False)
        return Path(tempfile.gettempdir()) / f"retouch-thumbs-{digest.hexdigest()[:12]}"

    @classmethod
    def start_fresh(cls, root: str | os.PathLike[str]) -> tuple[HistoryStore, Path]:
        """Set a damaged history aside (see :func:`quarantine`) and open a new, empty one.

        Returns the new store and where the old database now is."""
        moved = quarantine(root)
        return cls(root), moved

    # ----------------------------------------------------------------- connection plumbing
    def _connect(self) -> sqlite3.Connection:
        path = self.root / DB_NAME
        try:
            return self._open_database()
        except schema.SchemaTooNewError as exc:
            raise HistoryTooNewError(path, exc.version) from None
        except sqlite3.Error as exc:
            if _is_damage(exc):
                raise HistoryDamagedError(path, str(exc)) from None
            # Callers handle one error type: anything else that stops it opening is a
            # HistoryError like any other.
            raise HistoryError(f"the history database cannot be opened ({exc})") from exc

    def _open_database(self) -> sqlite3.Connection:
        path = self.root / DB_NAME
        if self.read_only:
            return self._open_read_only(path)
        conn = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA journal_mode = WAL")
            # NORMAL in WAL mode cannot corrupt on a crash; it may only lose the last commits on
            # power loss, which the file-before-row ordering tolerates.
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.create_function("casefold", 1, _fold, deterministic=True)
            schema.migrate(conn)
            _check_integrity(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _open_read_only(self, path: Path) -> sqlite3.Connection:
        if not path.is_file():
            raise HistoryError(f"there is no history database at '{path}'")
        uri = path.resolve().as_uri()
        try:
            conn = sqlite3.connect(
                f"{uri}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
            )
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            # A WAL database without its -shm file cannot be read in mode=ro; immutable=1
            # reads the file as it is (no newer Retouch is writing it while we look).
            conn = sqlite3.connect(
                f"{uri}?immutable=1", uri=True, isolation_level=None, check_same_thread=False
            )
        try:
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.create_function("casefold", 1, _fold, deterministic=True)
            version = schema.user_version(conn)
            self.newer = version > schema.LATEST_VERSION
            _check_integrity(conn)
            try:  # every column this version reads must still be there
                conn.execute(
                    f"SELECT {self._COLUMNS} FROM runs r LEFT JOIN blobs m"
                    " ON m.sha256 = r.mask_sha256 LIMIT 1"
                ).fetchall()
                conn.execute("SELECT run_id, position, sha256, name FROM run_inputs LIMIT 1")
                conn.execute("SELECT run_id, idx, relpath, revised_prompt FROM outputs LIMIT 1")
            except sqlite3.OperationalError as exc:
                raise HistoryError(
                    f"the history was made by a newer Retouch and cannot be read by this one "
                    f"({exc}); update Retouch to use it"
                ) from None
        except BaseException:
            conn.close()
            raise
        return conn

    @staticmethod
    def _cleanup(conn: sqlite3.Connection, owner: OwnerLock | None, token: str) -> None:
        _OPEN_TOKENS.discard(token)
        with contextlib.suppress(sqlite3.Error):
            conn.close()
        if owner is not None:
            owner.release()

    def close(self) -> None:
        """Close the database and give up this instance's claim on its running runs."""
        with self._lock:
            self._finalizer()
            self._conn = None

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise HistoryError("history store is closed")
        return self._conn

    def _has_table(self, name: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).fetchone()
        return row is not None

    @property
    def _token(self) -> str:
        """This instance's owner token (a read-only store owns nothing and writes nothing)."""
        if self._owner is None:
            self._writable()
            raise HistoryReadOnlyError("this history has no owner")
        return self._owner.token

    def _writable(self) -> None:
        if self.read_only:
            raise HistoryReadOnlyError(
                "this history is open read-only (it was made by a newer Retouch)"
            )

    @contextlib.contextmanager
    def _damage_is_typed(self) -> Iterator[None]:
        """Damage found after opening (a corrupt page read later) is a HistoryDamagedError
        too, never a raw sqlite3 error."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            if _is_damage(exc):
                raise HistoryDamagedError(self.root / DB_NAME, str(exc)) from None
            raise

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; IMMEDIATE so a busy database fails here, not mid-way."""
        self._writable()
        with self._lock, self._damage_is_typed():
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction, so multi-query reads see one consistent snapshot."""
        with self._lock, self._damage_is_typed():
            conn = self.conn
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("COMMIT")

    # ----------------------------------------------------------------------------- paths
    def _blob_rel(self, sha: str, ext: str) -> str:
        return f"blobs/{sha[:2]}/{sha}.{ext}"

    def _abs(self, rel: str) -> Path:
        return self.root / rel

    def _run_dir(self, run_id: str) -> Path:
        if not _RUN_ID_RE.match(run_id):
            raise ValueError(f"not a run id: {run_id!r}")
        return self.runs_dir / run_id

    def _put_blob(self, conn: sqlite3.Connection, data: bytes) -> str:
        """Write *data* as a content-addressed blob unless present; caller holds the lock."""
        sha = hashlib.sha256(data).hexdigest()
        row = conn.execute("SELECT ext FROM blobs WHERE sha256 = ?", (sha,)).fetchone()
        ext = row[0] if row else sniff_ext(data)
        path = self._abs(self._blob_rel(sha, ext))
        if _file_size(path) != len(data) or not path.exists():
            atomic_write_bytes(path, data)
        return sha

    # --------------------------------------------------------------------------- writing
    def begin_run(
        self,
        *,
        model: str,
        prompt: str,
        params: dict[str, Any],
        inputs: Sequence[bytes],
        input_names: Sequence[str],
        mask: bytes | None,
        estimated_cost: float | None,
        batch_id: str | None = None,
        mode: str = "sync",
        parent: Any = None,
        placement: dict[str, Any] | None = None,
    ) -> str:
        """Record a run as ``running`` before it is sent; returns its id.

        *parent* (a ``request.ResultRef``: ``run_id`` and ``index``) is the result the first
        input came from; *placement* how it was cut and how results go back (JSON).

        Inputs and mask are written as deduplicated blobs first, then the rows in one
        transaction. ``params`` is stored scrubbed of credentials and data: URIs.
        """
        self._writable()
        if len(inputs) != len(input_names):
            raise ValueError("inputs and input_names differ in length")
        now = time.time()
        run_id = new_run_id(now)
        # Blob files are written inside the IMMEDIATE transaction: its database write lock is
        # what orders them against another process's delete() removing the same blob.
        with self._tx() as tx:
            blobs = [(self._put_blob(tx, data), data) for data in inputs]
            mask_sha = self._put_blob(tx, mask) if mask is not None else None
            for sha, data in [*blobs, *([(mask_sha, mask)] if mask is not None else [])]:
                tx.execute(
                    "INSERT OR IGNORE INTO blobs(sha256, ext, size) VALUES (?, ?, ?)",
                    (sha, sniff_ext(data), len(data)),
                )
            tx.execute(
                "INSERT INTO runs(id, created_at, status, model, prompt, params, mask_sha256,"
                " estimated_cost, batch_id, mode, owner, placement, parent_run, parent_index,"
                " demo) VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    now,
                    model,
                    prompt,
                    json.dumps(scrub(params)),
                    mask_sha,
                    estimated_cost,
                    batch_id,
                    mode,
                    self._token,
                    json.dumps(scrub(placement)) if placement is not None else None,
                    str(parent.run_id) if parent is not None else None,
                    int(parent.index) if parent is not None else None,
                    int(self.demo),
                ),
            )
            tx.executemany(
                "INSERT INTO run_inputs(run_id, position, sha256, name) VALUES (?, ?, ?, ?)",
                [
                    (run_id, i, sha, str(name))
                    for i, ((sha, _), name) in enumerate(zip(blobs, input_names, strict=True))
                ],
            )
        return run_id

    def add_output(
        self,
        run_id: str,
        index: int,
        data: bytes,
        ext: str,
        revised_prompt: str | None = None,
        *,
        model_output: bytes | None = None,
        info: dict[str, Any] | None = None,
    ) -> Path:
        """Store output *index* (0-based) of a run: files first (atomically), then its row.

        *model_output*: the model's own picture where *data* is the composite made from it
        (kept as ``model-N.ext``); *info*: how it was placed (JSON).
        """
        self._writable()
        ext = ext.lower().lstrip(".")
        ext = "jpg" if ext == "jpeg" else ext
        if not _EXT_RE.match(ext):
            raise ValueError(f"bad extension {ext!r}")
        if not 0 <= index < 1000:
            raise ValueError(f"bad output index {index}")
        run_dir = self._run_dir(run_id)
        if self.get_status(run_id) is None:
            raise KeyError(run_id)
        rel = f"runs/{run_id}/output-{index + 1}.{ext}"
        model_rel: str | None = None
        if model_output is not None:
            model_ext = sniff_ext(model_output)
            model_ext = model_ext if _EXT_RE.match(model_ext) else "bin"
            model_rel = f"runs/{run_id}/model-{index + 1}.{model_ext}"
            atomic_write_bytes(self._abs(model_rel), model_output)
        path = atomic_write_bytes(run_dir / f"output-{index + 1}.{ext}", data)
        info_json = json.dumps(scrub(info)) if info else None
        replaced: list[str] = []
        with self._tx() as tx:
            if tx.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone() is None:
                gone = True  # deleted while we were writing
            else:
                gone = False
                row = tx.execute(
                    "SELECT relpath, model_relpath FROM outputs WHERE run_id = ? AND idx = ?",
                    (run_id, index),
                ).fetchone()
                if row:
                    replaced = [old for old in row if old and old not in (rel, model_rel)]
                tx.execute(
                    "INSERT INTO outputs(run_id, idx, relpath, size, revised_prompt, created_at,"
                    " model_relpath, info)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(run_id, idx) DO UPDATE SET"
                    " relpath = excluded.relpath, size = excluded.size,"
                    " revised_prompt = excluded.revised_prompt,"
                    " model_relpath = excluded.model_relpath, info = excluded.info",
                    (
                        run_id,
                        index,
                        rel,
                        len(data),
                        revised_prompt,
                        time.time(),
                        model_rel,
                        info_json,
                    ),
                )
        if gone:
            shutil.rmtree(run_dir, ignore_errors=True)
            raise KeyError(run_id)
        for old in replaced:
            with contextlib.suppress(OSError):
                self._abs(old).unlink()
        return path

    def set_generation_ids(self, run_id: str, ids: Sequence[str]) -> None:
        """Persist async-queue generation ids (output index i comes from ids[i])."""
        self._update(run_id, "generation_ids = ?", json.dumps([str(i) for i in ids]))

    def finish_run(self, run_id: str, status: str, error: str | None = None) -> None:
        if status not in FINAL_STATUSES:
            raise ValueError(f"status must be one of {sorted(FINAL_STATUSES)}, not {status!r}")
        self._update(
            run_id,
            "status = ?, error = ?, finished_at = ?, owner = NULL",
            status,
            scrub(error) if error is not None else None,
            time.time(),
        )

    def set_starred(self, run_id: str, starred: bool) -> None:
        self._update(run_id, "starred = ?", 1 if starred else 0)

    def _update(self, run_id: str, assignments: str, *values: Any) -> None:
        with self._tx() as tx:
            cur = tx.execute(f"UPDATE runs SET {assignments} WHERE id = ?", (*values, run_id))
            if cur.rowcount == 0:
                raise KeyError(run_id)

    def claim(self, run_id: str) -> None:
        """Take ownership of an interrupted run being resumed (it becomes ``running`` again)."""
        self._update(run_id, "status = 'running', owner = ?", self._token)

    def try_claim(self, run_id: str) -> bool:
        """Claim a collectable run for this store, atomically: False when another process
        (or another run of this one) already collects it. Claimable: ``interrupted``, or
        ``running`` with no owner alive (a process killed since ``recover()`` ran)."""
        token = self._token
        with self._tx() as tx:
            row = tx.execute("SELECT status, owner FROM runs WHERE id = ?", (run_id,)).fetchone()
            if row is None:
                raise KeyError(run_id)
            status, owner = row
            if status == "running":
                # Being run or collected right now, by this process or another one alive.
                if owner is not None and owner in live_owners(
                    self.root / "owners", set(_OPEN_TOKENS)
                ):
                    return False
            elif status != "interrupted":
                return False
            tx.execute(
                "UPDATE runs SET status = 'running', owner = ? WHERE id = ?", (token, run_id)
            )
        return True

    def leave_for_later(self, run_id: str) -> None:
        """A queued run this process stops waiting for (its maximum wait passed, or the user
        quit and kept it running): ``interrupted`` and unowned, so it is collected later —
        by this session from History, or at the next start — and never sent again."""
        with self._tx() as tx:
            tx.execute(
                "UPDATE runs SET status = 'interrupted', owner = NULL"
                " WHERE id = ? AND status = 'running'",
                (run_id,),
            )

    # --------------------------------------------------------------------------- reading
    _COLUMNS = (
        "r.id, r.created_at, r.finished_at, r.status, r.model, r.prompt, r.params,"
        " m.sha256, m.ext, r.estimated_cost, r.error, r.starred, r.batch_id, r.mode,"
        " r.generation_ids, r.placement, r.parent_run, r.parent_index, r.demo"
    )

    def _records(
        self, conn: sqlite3.Connection, where: str, args: Sequence[Any], tail: str = ""
    ) -> list[RunRecord]:
        rows = conn.execute(
            f"SELECT {self._COLUMNS} FROM runs r LEFT JOIN blobs m ON m.sha256 = r.mask_sha256"
            f" WHERE {where} {tail}",
            tuple(args),
        ).fetchall()
        if not rows:
            return []
        ids = [row[0] for row in rows]
        inputs: dict[str, list[tuple[Path, str]]] = {i: [] for i in ids}
        outputs: dict[str, list[OutputRecord]] = {i: [] for i in ids}
        # Chunked: SQLite caps the number of bound parameters.
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for run_id, sha, ext, name in conn.execute(
                "SELECT i.run_id, i.sha256, b.ext, i.name FROM run_inputs i"
                f" JOIN blobs b ON b.sha256 = i.sha256 WHERE i.run_id IN ({marks})"
                " ORDER BY i.run_id, i.position",
                chunk,
            ):
                inputs[run_id].append((self._abs(self._blob_rel(sha, ext)), name))
            for run_id, idx, rel, revised, model_rel, info in conn.execute(
                "SELECT run_id, idx, relpath, revised_prompt, model_relpath, info FROM outputs"
                f" WHERE run_id IN ({marks}) ORDER BY run_id, idx",
                chunk,
            ):
                outputs[run_id].append(
                    OutputRecord(
                        idx,
                        self._abs(rel),
                        revised,
                        self._abs(model_rel) if model_rel else None,
                        _json_object(info),
                    )
                )
        records = []
        for (
            run_id,
            created,
            finished,
            status,
            model,
            prompt,
            params,
            mask_sha,
            mask_ext,
            cost,
            error,
            starred,
            batch,
            mode,
            gen_ids,
            placement,
            parent_run,
            parent_index,
            demo,
        ) in rows:
            records.append(
                RunRecord(
                    id=run_id,
                    created_at=created,
                    finished_at=finished,
                    status=status,
                    model=model,
                    prompt=prompt,
                    params=json.loads(params or "{}"),
                    input_paths=[p for p, _ in inputs[run_id]],
                    input_names=[n for _, n in inputs[run_id]],
                    mask_path=self._abs(self._blob_rel(mask_sha, mask_ext)) if mask_sha else None,
                    estimated_cost=cost,
                    error=error,
                    starred=bool(starred),
                    batch_id=batch,
                    mode=mode,
                    generation_ids=json.loads(gen_ids or "[]"),
                    outputs=outputs[run_id],
                    placement=_json_object(placement) or None,
                    parent_run=parent_run,
                    parent_index=parent_index,
                    demo=bool(demo),
                )
            )
        return records

    def _filters(
        self,
        search: str | None,
        model: str | None,
        since: float | None,
        until: float | None,
        starred: bool | None,
    ) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        args: list[Any] = []
        needle = (search or "").strip()
        if needle:
            folded = needle.casefold()
            if self._fts and len(needle) >= 3:
                # The trigram index narrows to candidates; casefold() makes the final call so
                # the result is exactly "case-insensitive substring" either way.
                clauses.append("r.seq IN (SELECT rowid FROM runs_fts WHERE runs_fts MATCH ?)")
                args.append('"' + needle.replace('"', '""') + '"')
            clauses.append("instr(casefold(r.prompt), ?) > 0")
            args.append(folded)
        if model:
            clauses.append("r.model = ?")
            args.append(model)
        if since is not None:
            clauses.append("r.created_at >= ?")
            args.append(since)
        if until is not None:
            clauses.append("r.created_at < ?")
            args.append(until)
        if starred is not None:
            clauses.append("r.starred = 1" if starred else "r.starred = 0")
        return (" AND ".join(clauses) or "1"), args

    def runs(
        self,
        *,
        search: str | None = None,
        model: str | None = None,
        since: float | None = None,
        until: float | None = None,
        starred: bool | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> list[RunRecord]:
        """Runs matching every given filter, newest first."""
        where, args = self._filters(search, model, since, until, starred)
        with self._read() as conn:
            return self._records(
                conn,
                where,
                [*args, int(limit), int(offset)],
                "ORDER BY r.created_at DESC, r.seq DESC LIMIT ? OFFSET ?",
            )

    def count(
        self,
        *,
        search: str | None = None,
        model: str | None = None,
        since: float | None = None,
        until: float | None = None,
        starred: bool | None = None,
    ) -> int:
        where, args = self._filters(search, model, since, until, starred)
        with self._lock, self._damage_is_typed():
            return int(
                self.conn.execute(f"SELECT count(*) FROM runs r WHERE {where}", args).fetchone()[0]
            )

    def get(self, run_id: str) -> RunRecord | None:
        with self._read() as conn:
            found = self._records(conn, "r.id = ?", [run_id])
        return found[0] if found else None

    def lineage(self, run_id: str, limit: int = 100) -> list[RunRecord]:
        """The run and the runs its first input came from, oldest first (original → edit →
        edit of the edit). Stops at a run with no parent, a parent that was deleted, a loop
        or *limit* steps."""
        chain: list[RunRecord] = []
        seen: set[str] = set()
        current: str | None = run_id
        with self._read() as conn:
            while current is not None and current not in seen and len(chain) < limit:
                seen.add(current)
                found = self._records(conn, "r.id = ?", [current])
                if not found:
                    break
                chain.append(found[0])
                current = found[0].parent_run
        chain.reverse()
        return chain

    def children(self, run_id: str) -> list[RunRecord]:
        """Runs whose first input was a result of *run_id*, oldest first."""
        with self._read() as conn:
            return self._records(conn, "r.parent_run = ?", [run_id], "ORDER BY r.created_at")

    def get_status(self, run_id: str) -> str | None:
        with self._lock, self._damage_is_typed():
            row = self.conn.execute("SELECT status FROM runs WHERE id = ?", (run_id,)).fetchone()
        return row[0] if row else None

    def models(self) -> list[str]:
        with self._lock, self._damage_is_typed():
            return [
                m for (m,) in self.conn.execute("SELECT DISTINCT model FROM runs ORDER BY model")
            ]

    def pending_queue_runs(self) -> list[RunRecord]:
        """Queue runs that can be resumed: generation ids known, not every output collected.
        Demo runs never are: their stand-in hub ended with the session that ran them."""
        with self._read() as conn:
            candidates = self._records(
                conn,
                "r.status IN ('running', 'interrupted') AND r.generation_ids != '[]'"
                " AND r.demo = 0",
                [],
                "ORDER BY r.created_at",
            )
        return [r for r in candidates if len(r.outputs) < len(r.generation_ids)]

    # ---------------------------------------------------------------------------- thumbs
    def thumbnail(self, path: str | os.PathLike[str], size: int = 160) -> Path:
        """Cached thumbnail of *path* (generated once, then served from ``thumbs/``)."""
        return self.thumbs.get(Path(path), size)

    # -------------------------------------------------------------------------- deleting
    def _sole_blobs(
        self, conn: sqlite3.Connection, run_ids: Sequence[str]
    ) -> list[tuple[str, str]]:
        """(sha, ext) of blobs that only runs in *run_ids* reference."""
        marks = ",".join("?" * len(run_ids))
        return conn.execute(
            f"""
            WITH used(sha) AS (
                SELECT sha256 FROM run_inputs WHERE run_id IN ({marks})
                UNION SELECT mask_sha256 FROM runs
                      WHERE id IN ({marks}) AND mask_sha256 IS NOT NULL
            )
            SELECT b.sha256, b.ext FROM blobs b JOIN used u ON u.sha = b.sha256
            WHERE NOT EXISTS (SELECT 1 FROM run_inputs i
                              WHERE i.sha256 = b.sha256 AND i.run_id NOT IN ({marks}))
              AND NOT EXISTS (SELECT 1 FROM runs r
                              WHERE r.mask_sha256 = b.sha256 AND r.id NOT IN ({marks}))
            """,
            [*run_ids, *run_ids, *run_ids, *run_ids],
        ).fetchall()

    def _files_of(self, conn: sqlite3.Connection, run_ids: Sequence[str]) -> list[Path]:
        blobs = [self._abs(self._blob_rel(s, e)) for s, e in self._sole_blobs(conn, run_ids)]
        outputs: list[Path] = []
        for run_id in run_ids:
            folder = self._run_dir(run_id)
            if folder.is_dir():
                outputs.extend(p for p in folder.iterdir() if p.is_file())
        return blobs + outputs

    def reclaimable(self, run_ids: Iterable[str]) -> int:
        """Bytes that deleting all of *run_ids* would free (for the confirmation dialog)."""
        ids = list(dict.fromkeys(run_ids))
        if not ids:
            return 0
        with self._read() as conn:
            files = self._files_of(conn, ids)
        return sum(_file_size(p) + self.thumbs.size_for(p) for p in files)

    def delete(self, run_id: str) -> int:
        """Delete a run: rows first, then its outputs and blobs no other run uses.

        Returns the bytes freed (thumbnails included); 0 if the run does not exist.
        """
        run_dir = self._run_dir(run_id)
        with self._lock:
            with self._tx() as tx:
                if tx.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone() is None:
                    return 0
                files = self._files_of(tx, [run_id])
                sole = self._sole_blobs(tx, [run_id])
                tx.execute("DELETE FROM runs WHERE id = ?", (run_id,))  # cascades
                tx.executemany("DELETE FROM blobs WHERE sha256 = ?", [(s,) for s, _ in sole])
            # Rows are gone: a crash from here on leaves only unreferenced files for recover().
            sole_paths = {self._abs(self._blob_rel(sha, ext)): sha for sha, ext in sole}
            freed = sum(self._unlink(p) for p in files if p not in sole_paths)
            shutil.rmtree(run_dir, ignore_errors=True)
            # Blob files go under the database write lock, and only if still unreferenced:
            # another process may have started a run with the same image since the commit
            # above, and begin_run() writes blobs under that same lock.
            with self._tx() as tx:
                for path, sha in sole_paths.items():
                    if tx.execute("SELECT 1 FROM blobs WHERE sha256 = ?", (sha,)).fetchone():
                        continue
                    freed += self._unlink(path)
        return freed

    def _unlink(self, path: Path) -> int:
        """Remove a file and its thumbnails; return the bytes freed."""
        freed = self.thumbs.remove_for(path)
        size = _file_size(path)
        try:
            path.unlink()
        except FileNotFoundError:
            return freed
        return freed + size

    def disk_usage(self) -> int:
        """Bytes under the store's root: database, blobs, outputs and thumbnails."""
        return _tree_size(self.root)

    # -------------------------------------------------------------------------- recovery
    def recover(self, grace: float = RECOVER_GRACE_S) -> list[RunRecord]:
        """Startup repair after a crash or kill; returns the runs it marked ``interrupted``.

        * ``running`` runs whose owning process is gone become ``interrupted`` (queue runs keep
          their generation ids so they can be resumed);
        * output files whose row never got committed are adopted if they decode, else removed;
        * ``*.part`` temp files, run folders without a run and unreferenced blobs are removed.

        Another live process may be mid-write in this store (the CLI while the GUI starts): if
        one is, leftovers younger than *grace* seconds are left for a later start.
        """
        with self._lock:
            live = live_owners(self.root / "owners", {t for t in _OPEN_TOKENS})
            others_live = bool(live - {self._token})
            cutoff = time.time() - grace if others_live else float("inf")

            def old_enough(path: Path) -> bool:
                try:
                    return path.stat().st_mtime < cutoff
                except OSError:
                    return False

            with self._tx() as tx:
                running = tx.execute(
                    "SELECT id, owner FROM runs WHERE status = 'running'"
                ).fetchall()
                dead = [run_id for run_id, owner in running if owner not in live]
                tx.executemany(
                    "UPDATE runs SET status = 'interrupted', owner = NULL WHERE id = ?",
                    [(run_id,) for run_id in dead],
                )
                owners = dict(
                    tx.execute("SELECT id, owner FROM runs WHERE owner IS NOT NULL").fetchall()
                )
                known_runs = {r for (r,) in tx.execute("SELECT id FROM runs")}
                known_outputs = set(tx.execute("SELECT run_id, relpath FROM outputs").fetchall())
                known_blobs = {s for (s,) in tx.execute("SELECT sha256 FROM blobs")}

            for folder in (self.blobs_dir, self.runs_dir, self.thumbs.folder):
                for dirpath, _dirs, files in os.walk(folder):
                    for name in files:
                        path = Path(dirpath) / name
                        if name.endswith(".part") and old_enough(path):
                            with contextlib.suppress(OSError):
                                path.unlink()
            with contextlib.suppress(OSError):
                for path in self.root.glob(".*.part"):
                    if old_enough(path):
                        path.unlink()

            self._sweep_runs(known_runs, known_outputs, owners, live, old_enough)
            self._sweep_blobs(known_blobs, old_enough)
            interrupted = [rec for rec in (self.get(r) for r in dead) if rec is not None]
        return interrupted

    def _sweep_runs(
        self,
        known_runs: set[str],
        known_outputs: set[tuple[str, str]],
        owners: dict[str, str],
        live: set[str],
        old_enough: Any,
    ) -> None:
        if not self.runs_dir.is_dir():
            return
        for run_dir in self.runs_dir.iterdir():
            run_id = run_dir.name
            if not run_dir.is_dir():
                continue
            if run_id not in known_runs:
                # A deleted run whose files outlived a crash, or an import that never committed.
                if old_enough(run_dir):
                    shutil.rmtree(run_dir, ignore_errors=True)
                continue
            if owners.get(run_id) in live:
                continue  # a live process is still writing this run's outputs
            for path in run_dir.iterdir():
                match = _OUTPUT_RE.match(path.name)
                rel = f"runs/{run_id}/{path.name}"
                if not match or (run_id, rel) in known_outputs or not path.is_file():
                    continue
                # Killed between the file's rename and its row's commit: the file is complete
                # (atomic write), so adopt it if it is an image.
                if _decodes(path):
                    with self._tx() as tx:
                        tx.execute(
                            "INSERT OR IGNORE INTO outputs(run_id, idx, relpath, size,"
                            " revised_prompt, created_at) VALUES (?, ?, ?, ?, NULL, ?)",
                            (
                                run_id,
                                int(match.group(1)) - 1,
                                rel,
                                _file_size(path),
                                path.stat().st_mtime,
                            ),
                        )
                else:
                    with contextlib.suppress(OSError):
                        path.unlink()

    def _sweep_blobs(self, known_blobs: set[str], old_enough: Any) -> None:
        if not self.blobs_dir.is_dir():
            return
        for dirpath, _dirs, files in os.walk(self.blobs_dir):
            for name in files:
                sha = name.split(".", 1)[0]
                path = Path(dirpath) / name
                if sha not in known_blobs and not name.endswith(".part") and old_enough(path):
                    # Written by a begin_run/import whose transaction never committed.
                    with contextlib.suppress(OSError):
                        path.unlink()

    # ---------------------------------------------------------------------------- import
    def import_run(
        self,
        *,
        record: dict[str, Any],
        inputs: Sequence[tuple[str, bytes]],
        mask: bytes | None,
        outputs: Sequence[tuple[Any, ...]],
    ) -> str:
        """Insert a complete run from an archive under a new id (used by archive.py).

        Files first (blobs, then outputs into the new run folder), then every row in one
        transaction, so a crash mid-import leaves nothing visible. Each output is
        ``(index, data, ext, revised_prompt[, model_output[, info]])``.
        """
        self._writable()
        run_id = new_run_id()
        run_dir = self._run_dir(run_id)
        written = []
        for index, data, ext, _revised, *extra in outputs:
            ext = "jpg" if ext.lower() == "jpeg" else ext.lower()
            if not _EXT_RE.match(ext):
                raise ValueError(f"bad extension {ext!r}")
            model = extra[0] if extra else None
            info = extra[1] if len(extra) > 1 else None
            model_rel = None
            if model is not None:
                model_rel = f"runs/{run_id}/model-{index + 1}.{sniff_ext(model)}"
                atomic_write_bytes(self._abs(model_rel), model)
            written.append(
                (
                    index,
                    f"runs/{run_id}/output-{index + 1}.{ext}",
                    len(data),
                    model_rel,
                    json.dumps(scrub(info)) if info else None,
                )
            )
            atomic_write_bytes(run_dir / f"output-{index + 1}.{ext}", data)
        status = record.get("status", "succeeded")
        if status == "running":
            status = "interrupted"  # nothing is running it on this machine
        try:
            with self._tx() as tx:  # blobs under the write lock, as in begin_run()
                shas = [(self._put_blob(tx, data), data, name) for name, data in inputs]
                mask_sha = self._put_blob(tx, mask) if mask is not None else None
                for sha, data in [(s, d) for s, d, _ in shas] + (
                    [(mask_sha, mask)] if mask is not None else []
                ):
                    tx.execute(
                        "INSERT OR IGNORE INTO blobs(sha256, ext, size) VALUES (?, ?, ?)",
                        (sha, sniff_ext(data), len(data)),
                    )
                placement = record.get("placement")
                tx.execute(
                    "INSERT INTO runs(id, created_at, finished_at, status, model, prompt,"
                    " params, mask_sha256, estimated_cost, error, starred, batch_id, mode,"
                    " placement)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        run_id,
                        float(record.get("created_at") or time.time()),
                        record.get("finished_at"),
                        status,
                        record["model"],
                        record["prompt"],
                        json.dumps(scrub(record.get("params") or {})),
                        mask_sha,
                        record.get("estimated_cost"),
                        record.get("error"),
                        1 if record.get("starred") else 0,
                        record.get("batch_id"),
                        record.get("mode") or "sync",
                        json.dumps(scrub(placement)) if isinstance(placement, dict) else None,
                    ),
                )
                tx.executemany(
                    "INSERT INTO run_inputs(run_id, position, sha256, name) VALUES (?, ?, ?, ?)",
                    [(run_id, i, sha, name) for i, (sha, _d, name) in enumerate(shas)],
                )
                now = time.time()
                tx.executemany(
                    "INSERT INTO outputs(run_id, idx, relpath, size, revised_prompt,"
                    " created_at, model_relpath, info) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (run_id, idx, rel, size, out[3], now, model_rel, info)
                        for (idx, rel, size, model_rel, info), out in zip(
                            written, outputs, strict=True
                        )
                    ],
                )
        except BaseException:
            shutil.rmtree(run_dir, ignore_errors=True)
            raise
        return run_id
