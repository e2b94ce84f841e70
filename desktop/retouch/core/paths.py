"""Where Retouch keeps its files. Every location can be overridden by environment for tests."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

APP_NAME = "Retouch"
ORG_NAME = "Retouch"


DATA_DIR_ENV = "RETOUCH_DATA_DIR"


def data_dir() -> Path:
    """Settings, history, logs and default outputs live here (``RETOUCH_DATA_DIR`` overrides)."""
    path = data_dir_for(os.environ)
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir_for(environment: Mapping[str, str]) -> Path:
    """The data folder *environment* names, without creating it."""
    override = environment.get(DATA_DIR_ENV)
    return Path(override).expanduser() if override else _platform_data_dir()


def _platform_data_dir() -> Path:
    # Mirrors QStandardPaths.AppDataLocation without importing Qt, so the CLI stays light.
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
        return base / ORG_NAME / APP_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_NAME
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / ORG_NAME / APP_NAME


def default_output_dir() -> Path:
    return data_dir() / "outputs"


def history_dir() -> Path:
    """The run history shared by the window, ``retouch edit`` and ``retouch batch``."""
    return data_dir() / "history"


def cache_dir() -> Path:
    path = data_dir() / "cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def resources_dir() -> Path:
    """The top-level ``resources/`` folder, in a checkout or inside a frozen bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parents[3] / "resources"


def sweep_leftovers(extra_folders: list[Path] | tuple[Path, ...] = ()) -> int:
    """At start-up: remove the temporary files interrupted writes left in every folder the
    app writes — the data folder, the cache, the history and the output folders (the default
    one and *extra_folders*, e.g. the configured output folder). Only the app's own
    temporaries older than this process are touched (see ``atomic.clean_leftovers``); the
    history's own ``recover()`` also cleans inside its store. Returns how many were removed.
    """
    from retouch.core.atomic import clean_leftovers

    removed = 0
    root = data_dir()
    removed += clean_leftovers(root)
    for folder in (root / "cache", root / "history"):
        removed += clean_leftovers(folder, recursive=True)
    seen: set[Path] = set()
    for folder in (default_output_dir(), *extra_folders):
        folder = Path(folder).expanduser()
        if folder not in seen:
            seen.add(folder)
            removed += clean_leftovers(folder)
    return removed
