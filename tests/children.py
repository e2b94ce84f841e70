"""Child processes for tests that send them signals.

A suite started from a background job (``pytest &``, CI runners, ``nohup``) runs with SIGINT
ignored, and a child inherits that disposition across exec: Python then never installs its
Ctrl+C handler and a test that sends SIGINT waits for nothing. Children started through here
get the default disposition back first, so they behave as they do from a terminal.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
from pathlib import Path
from typing import Any


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def popen(args: list[str], **kw: Any) -> subprocess.Popen[Any]:
    """``subprocess.Popen`` whose child starts with SIGINT at its default (POSIX)."""
    if os.name == "posix":
        kw.setdefault("preexec_fn", _default_sigint)
    return subprocess.Popen(args, **kw)


def history_rows(data: Path) -> list[tuple[str, str, int]]:
    """(status, generation ids, outputs) of every run in a child's history (*data* is its
    data folder), read without disturbing it: read-only, [] until the database and its
    tables exist."""
    db = data / "history" / "history.sqlite3"
    if not db.exists():
        return []
    try:
        con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return []
    try:
        return con.execute(
            "SELECT status, generation_ids,"
            " (SELECT count(*) FROM outputs o WHERE o.run_id = r.id) FROM runs r"
        ).fetchall()
    except sqlite3.Error:
        return []
    finally:
        con.close()
