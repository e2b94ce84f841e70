"""The editor's last session (open images, prompt, selected run…) as one atomic JSON file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from retouch.core.atomic import atomic_write_json

SESSION_FILE = "session.json"


def save_session(root: str | os.PathLike[str], state: dict[str, Any]) -> Path:
    """Write *state* to ``root/session.json`` atomically: a crash keeps the previous session."""
    return atomic_write_json(Path(root) / SESSION_FILE, state)


def load_session(root: str | os.PathLike[str]) -> dict[str, Any]:
    """The saved state, or ``{}`` if the file is missing, unreadable, corrupt or not an object.

    Restoring a session is a convenience; a bad file must never keep the app from starting.
    """
    try:
        data = json.loads((Path(root) / SESSION_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
