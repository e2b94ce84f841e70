"""A rotating log file in the data folder, scrubbed of keys, data URIs and signed URLs."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
from pathlib import Path
from types import TracebackType

from retouch.core.redact import redact

LOG_NAME = "retouch.log"

#: The log file this process writes (set by setup_logging), for messages that point to it.
_log_file: Path | None = None


def log_file() -> Path | None:
    """The log file this process writes to, or None when logging is not set up."""
    return _log_file


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        from retouch.core.secrets import known_secrets

        try:
            secrets = known_secrets()
            record.msg = redact(record.getMessage(), secrets)
            record.args = None
            # A traceback repeats exception messages, which can carry the same secrets.
            if record.exc_info and not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            if record.exc_text:
                record.exc_text = redact(record.exc_text, secrets)
            if record.stack_info:
                record.stack_info = redact(record.stack_info, secrets)
        except Exception:  # noqa: BLE001 - a log line that cannot be scrubbed is dropped, not raised
            record.msg, record.args = "[log message dropped: it could not be scrubbed]", None
            record.exc_info = record.exc_text = record.stack_info = None
        return True


def setup_logging(folder: Path, level: int = logging.INFO) -> Path:
    global _log_file
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    root = logging.getLogger("retouch")
    for handler in list(root.handlers):
        if getattr(handler, "_retouch", False):
            root.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2 * 1024 * 1024, backupCount=3, encoding="utf-8", delay=True
    )
    handler._retouch = True  # type: ignore[attr-defined]
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
    )
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs full URLs (signed result links) at INFO: keep it quiet.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    _log_file = path
    return path


class _OneLine(logging.Formatter):
    """A record as one line for a person: its message, never a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        text = " ".join(record.getMessage().split())
        return f"retouch: {text}"

    def formatException(self, ei: object) -> str:
        return ""


def _stderr_handler(level: int) -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler._retouch = True  # type: ignore[attr-defined]
    handler.setLevel(level)
    handler.setFormatter(_OneLine())
    handler.addFilter(RedactingFilter())
    return handler


def setup_cli_logging(folder: Path | None) -> Path | None:
    """Logging for a command-line run (``retouch edit``, ``batch``, ``fakehub`` …).

    Every record — the app's and its libraries' — goes to the rotating log file in *folder*,
    scrubbed; none reaches the terminal through Python's last-resort handler (which prints a
    traceback): the commands print their own one-line messages. When the log file cannot be
    written (a read-only data folder), errors still say one line each on stderr, with no
    traceback. Returns the log file's path, or None when there is none.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_retouch", False):
            root.removeHandler(handler)
            handler.close()
    path: Path | None = None
    if folder is not None:
        try:
            path = setup_logging(folder)
        except OSError:
            path = None
    app = logging.getLogger("retouch")
    if path is not None:
        # The file handler moves to the root logger, so libraries' records land there too.
        for handler in list(app.handlers):
            if getattr(handler, "_retouch", False):
                app.removeHandler(handler)
                root.addHandler(handler)
        app.setLevel(logging.NOTSET)
        root.setLevel(logging.INFO)
    else:
        root.addHandler(_stderr_handler(logging.ERROR))
        root.setLevel(logging.WARNING)
    # Nothing falls through to the last-resort handler (and its traceback) any more.
    logging.lastResort = None
    return path


def internal_error_line(exc_type: type[BaseException], log_path: Path | None) -> str:
    """What the user reads when the program fails on a bug: one line, where the details are."""
    where = f"details are in {log_path}" if log_path is not None else "no log file could be written"
    return f"retouch: internal error ({exc_type.__name__}); {where}."


def install_excepthooks(log_path: Path | None) -> None:
    """For command-line runs: an exception nothing caught — on the main thread or any other —
    is logged with its traceback (to the log file) and shown as one line on stderr."""
    log = logging.getLogger("retouch")

    def main_hook(
        exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            print("retouch: Cancelled.", file=sys.stderr)
            return
        log.critical("uncaught exception", exc_info=(exc_type, exc, tb))
        print(internal_error_line(exc_type, log_path), file=sys.stderr)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "a thread"
        log.critical(
            "uncaught exception in %s",
            name,
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),  # type: ignore[arg-type]
        )
        print(internal_error_line(args.exc_type, log_path), file=sys.stderr)

    sys.excepthook = main_hook
    threading.excepthook = thread_hook
