"""Where Retouch keeps its files. Every location can be overridden by environment for tests."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "Retouch"
ORG_NAME = "Retouch"


def data_dir() -> Path:
    """Settings, history, logs and default outputs live here (``RETOUCH_DATA_DIR`` overrides)."""
    override = os.environ.get("RETOUCH_DATA_DIR")
    if override:
        path = Path(override).expanduser()
    else:
        path = _platform_data_dir()
    path.mkdir(parents=True, exist_ok=True)
    return path


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
