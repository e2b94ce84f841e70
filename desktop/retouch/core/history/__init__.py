"""Run history: every edit is recorded before it is sent and kept crash-safely.

Plain Python (sqlite3 + Pillow), usable from the CLI and from Qt worker threads alike.

The names below load with their module on first use (PEP 562): reading the saved session at
start-up does not import sqlite3, zipfile and the store.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from retouch.core.history.archive import ArchiveError, export_run_zip, import_run_zip
    from retouch.core.history.session import (
        Session,
        SessionResult,
        load_session,
        read_session,
        save_session,
        write_session,
    )
    from retouch.core.history.store import (
        ALL_STATUSES,
        FINAL_STATUSES,
        HistoryDamagedError,
        HistoryError,
        HistoryReadOnlyError,
        HistoryStore,
        HistoryTooNewError,
        OutputRecord,
        RunRecord,
        quarantine,
    )
    from retouch.core.history.thumbnails import ThumbnailError

_MODULE_OF = {
    "ArchiveError": "archive",
    "export_run_zip": "archive",
    "import_run_zip": "archive",
    "Session": "session",
    "SessionResult": "session",
    "load_session": "session",
    "read_session": "session",
    "save_session": "session",
    "write_session": "session",
    "ALL_STATUSES": "store",
    "FINAL_STATUSES": "store",
    "HistoryDamagedError": "store",
    "HistoryError": "store",
    "HistoryReadOnlyError": "store",
    "HistoryStore": "store",
    "HistoryTooNewError": "store",
    "quarantine": "store",
    "OutputRecord": "store",
    "RunRecord": "store",
    "ThumbnailError": "thumbnails",
}

__all__ = [
    "ALL_STATUSES",
    "FINAL_STATUSES",
    "ArchiveError",
    "HistoryDamagedError",
    "HistoryError",
    "HistoryReadOnlyError",
    "HistoryStore",
    "HistoryTooNewError",
    "OutputRecord",
    "RunRecord",
    "Session",
    "SessionResult",
    "ThumbnailError",
    "export_run_zip",
    "import_run_zip",
    "load_session",
    "quarantine",
    "read_session",
    "save_session",
    "write_session",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return [*globals(), *__all__]
