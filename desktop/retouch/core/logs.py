"""A rotating log file in the data folder, scrubbed of keys, data URIs and signed URLs."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from retouch.core.redact import redact

LOG_NAME = "retouch.log"


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
    return path
