"""Crash-safe file writes: a reader sees the old file or the new one, never half of either.

Every write goes to a hidden temporary file beside its target (``.<name>.<8 random>.part``),
is flushed to disk, then renamed over the target. A kill mid-write leaves only that temporary
file; the first write into a folder in a later process removes such leftovers, as does
:func:`clean_leftovers` at start-up.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

TEMP_SUFFIX = ".part"
# Exactly what _temp_file() creates: mkstemp's 8 characters between the target's name and
# the suffix. Nothing else in a folder is ever treated as ours.
_TEMP_NAME = re.compile(r"^\.(?P<target>.+)\.[a-z0-9_]{8}\.part$")
#: When this process started (near enough: when the app first imported this module).
PROCESS_STARTED = time.time()
#: A leftover must be this much older than the process, so another Retouch process that is
#: writing into the same folder right now never has its temporary file taken away.
LEFTOVER_GRACE_S = 120.0

_swept: set[str] = set()
_swept_lock = threading.Lock()


def is_temp_name(name: str) -> bool:
    """Is *name* the name of one of this module's temporary files?"""
    return _TEMP_NAME.match(name) is not None


def clean_leftovers(
    folder: str | os.PathLike[str], *, recursive: bool = False, older_than: float | None = None
) -> int:
    """Remove temporary files that an interrupted write left in *folder*; returns how many.

    Only files named exactly like this module's temporaries, and last written before this
    process started (less a grace period, see LEFTOVER_GRACE_S) or *older_than* (a time
    stamp), are removed. Never raises: a folder that cannot be read is left alone.
    """
    cutoff = PROCESS_STARTED - LEFTOVER_GRACE_S if older_than is None else older_than
    removed = 0
    pending = [Path(folder)]
    while pending:
        current = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if recursive:
                        pending.append(Path(entry.path))
                    continue
                if not entry.is_file(follow_symlinks=False) or not is_temp_name(entry.name):
                    continue
                if entry.stat(follow_symlinks=False).st_mtime >= cutoff:
                    continue
                os.unlink(entry.path)
            except OSError:
                continue
            removed += 1
            log.info("removed an unfinished write: %s", entry.path)
    return removed


def _sweep_once(folder: Path) -> None:
    """The first write into a folder in this process cleans what earlier ones left there."""
    key = os.path.normcase(os.path.abspath(folder))
    with _swept_lock:
        if key in _swept:
            return
        _swept.add(key)
    clean_leftovers(folder)


def _temp_file(target: Path, data: bytes) -> str:
    """Write *data* to a new temporary file beside *target*, flushed to disk; its path."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _sweep_once(target.parent)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent
    )
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    return tmp_name


def check_writable(folder: str | os.PathLike[str]) -> None:
    """Prove a file can be created in *folder* (OSError if not), leaving nothing behind: a
    temporary of this module's own name, removed at once (or by the sweep, after a kill)."""
    fd, name = tempfile.mkstemp(prefix=".retouch-write-check.", suffix=TEMP_SUFFIX, dir=folder)
    os.close(fd)
    os.unlink(name)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write *data* to *path* via a temp file in the same folder, fsync, then rename."""
    target = Path(path)
    tmp_name = _temp_file(target, data)
    try:
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(target.parent)
    return target


def atomic_create_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Like atomic_write_bytes, but only if *path* does not exist yet: FileExistsError if it
    does (or if another process takes the name first). The name is taken atomically, never
    by a check followed by a write, so two writers can never both get it."""
    target = Path(path)
    tmp_name = _temp_file(target, data)
    try:
        try:
            # A hard link appears complete and fails if the name is taken: no window where
            # another process could see half a file or take the same name.
            os.link(tmp_name, target)
        except FileExistsError:
            raise
        except OSError:
            # No hard links here (FAT drives, some network shares): take the name with an
            # exclusive create, then move the finished file onto it.
            os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            os.replace(tmp_name, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
    _fsync_dir(target.parent)
    return target


def atomic_write_json(path: str | os.PathLike[str], obj: Any, *, sort_keys: bool = True) -> Path:
    return atomic_write_bytes(path, _json_bytes(obj, sort_keys))


def atomic_create_json(path: str | os.PathLike[str], obj: Any, *, sort_keys: bool = True) -> Path:
    return atomic_create_bytes(path, _json_bytes(obj, sort_keys))


def _json_bytes(obj: Any, sort_keys: bool) -> bytes:
    data = json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=sort_keys).encode("utf-8")
    return data + b"\n"


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable on POSIX; Windows cannot open folders, and needs no such step.
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
