"""Run history: every edit is recorded before it is sent and kept crash-safely.

Plain Python (sqlite3 + Pillow), usable from the CLI and from Qt worker threads alike.
"""

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
    HistoryError,
    HistoryStore,
    OutputRecord,
    RunRecord,
)
from retouch.core.history.thumbnails import ThumbnailError

__all__ = [
    "ALL_STATUSES",
    "FINAL_STATUSES",
    "ArchiveError",
    "HistoryError",
    "HistoryStore",
    "OutputRecord",
    "RunRecord",
    "Session",
    "SessionResult",
    "ThumbnailError",
    "export_run_zip",
    "import_run_zip",
    "load_session",
    "read_session",
    "save_session",
    "write_session",
]
