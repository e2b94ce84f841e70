"""The editor's last session (open images, prompt, selected run…) as one atomic JSON file."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from retouch.core.atomic import atomic_write_json
from retouch.core.editor_state import EditorData
from retouch.core.jsonio import read_file_or

SESSION_FILE = "session.json"
SESSION_VERSION = 2


def save_session(root: str | os.PathLike[str], state: dict[str, Any]) -> Path:
    """Write *state* to ``root/session.json`` atomically: a crash keeps the previous session."""
    return atomic_write_json(Path(root) / SESSION_FILE, state)


def load_session(root: str | os.PathLike[str]) -> dict[str, Any]:
    """The saved state, or ``{}`` if the file is missing, unreadable, corrupt or not an object.

    Restoring a session is a convenience; a bad file must never keep the app from starting.
    """
    state = read_file_or(Path(root) / SESSION_FILE, {}, expect=dict)
    return state if isinstance(state, dict) else {}


@dataclass(frozen=True)
class SessionResult:
    """A result that was on screen: its file, its place in the run, the model's own prompt."""

    index: int
    path: Path
    revised_prompt: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "path": str(self.path), "revised_prompt": self.revised_prompt}

    @classmethod
    def from_json(cls, data: object, position: int) -> SessionResult | None:
        if not isinstance(data, dict) or not isinstance(data.get("path"), str):
            return None
        index, revised = data.get("index"), data.get("revised_prompt")
        return cls(
            index if isinstance(index, int) and not isinstance(index, bool) else position,
            Path(data["path"]),
            revised if isinstance(revised, str) else None,
        )


@dataclass
class Session:
    """The editor and what was shown when the window closed (``session.json``).

    The JSON is flat (the editor's keys beside ``results``, ``selected_result`` and ``page``),
    as files written before this class existed are: those read back too.
    """

    editor: EditorData = field(default_factory=EditorData)
    results: list[SessionResult] = field(default_factory=list)
    selected_result: int = 0
    page: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "version": SESSION_VERSION,
            **self.editor.to_json(),
            "results": [r.to_json() for r in self.results],
            "selected_result": self.selected_result,
            "page": self.page,
        }

    @classmethod
    def from_json(cls, data: object) -> Session:
        """Whatever *data* holds: unknown or mistyped entries are dropped or defaulted."""
        if not isinstance(data, dict):
            return cls()
        raw = data.get("results")
        results = [
            r
            for r in (
                SessionResult.from_json(item, i)
                for i, item in enumerate(raw if isinstance(raw, list) else [])
            )
            if r is not None
        ]
        return cls(
            editor=EditorData.from_json(data),
            results=results,
            selected_result=_int(data.get("selected_result")),
            page=_int(data.get("page")),
        )


def _int(value: object, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def read_session(root: str | os.PathLike[str]) -> Session:
    """The saved session, or an empty one if the file is missing or unreadable."""
    return Session.from_json(load_session(root))


def write_session(root: str | os.PathLike[str], session: Session) -> Path:
    return save_session(root, session.to_json())
