"""Typed app settings declared in one place, stored as JSON (atomically) in the data folder.

Like MusicBrainz Picard's options: each option has a type and default, unknown keys are
dropped, wrong types fall back to the default, and ``VERSION`` drives migrations of old files.
The API key is deliberately not an option: it lives in the keyring only.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retouch.core.atomic import atomic_write_json
from retouch.core.jsonio import read_file_or

log = logging.getLogger(__name__)

VERSION = 2
FILE_NAME = "settings.json"


@dataclass(frozen=True)
class Option:
    name: str
    type: type
    default: Any
    doc: str = ""


OPTIONS: dict[str, Option] = {
    o.name: o
    for o in [
        # Where these three apply, flags and the environment win over them (core/profile.py).
        Option("api_base", str, "", "Hub API base URL; empty = the default hub"),
        Option("upload", str, "data-uri", "'data-uri' or 'oxen:NAMESPACE/REPO'"),
        Option("output_dir", str, "", "Where results are saved; empty = data folder/outputs"),
        Option("model", str, "gpt-image-2-edit", "Last used model"),
        Option("params", dict, {}, "Last used parameter values, per model id"),
        Option("prompt", str, "", "Last prompt"),
        Option("recent_prompts", list, [], "Most recent prompts first"),
        Option("first_run_done", bool, False, "The welcome dialog was answered"),
        Option("window_geometry", str, "", "Base64 of QMainWindow.saveGeometry()"),
        Option("window_state", str, "", "Base64 of QMainWindow.saveState()"),
        Option("splitter_sizes", list, [], "Sizes of the main splitter"),
        Option("mask_color", str, "#ff3b6b", "Overlay colour of the mask"),
        Option("mask_opacity", float, 0.5, "Overlay opacity of the mask"),
        # Issue 12: how results go back into the photo (the window's controls remember them).
        Option("remove_gps", bool, False, "Remove the GPS location from saved results"),
        Option(
            "allow_high_res",
            bool,
            False,
            "Auto resolution may choose the high-resolution price tier (every edit is paid)",
        ),
        Option("color_match", bool, True, "Match the edit's colour to the photo around it"),
        Option("scale_to_original", bool, False, "Resample whole-image results to the photo"),
        Option("save_output", str, "composite", "The file saved: 'composite' or 'model'"),
        Option(
            "keep_mask_answer",
            str,
            "",
            "A new image of the same shape: 'keep' or 'clear' the mask without asking; '' asks",
        ),
        Option("language", str, "", "Language of the window ('de', 'en'); empty = the system's"),
        Option("appearance", str, "system", "'system', 'light' or 'dark'"),
        Option(
            "max_edit_wait",
            float,
            900.0,
            "Seconds to wait for an edit before giving up on it (it may still be billed)",
        ),
        Option(
            "use_queue",
            bool,
            True,
            "Send edits through the async queue when the hub offers it (survives a restart)",
        ),
    ]
}


def _migrate(data: dict[str, Any]) -> dict[str, Any]:
    version = data.get("version", 0)
    if not isinstance(version, int):
        version = 0
    if version < 1:
        # Version 0 kept one flat dict of parameters; version 1 keys them by model.
        params = data.get("params")
        if (
            isinstance(params, dict)
            and params
            and not all(isinstance(v, dict) for v in params.values())
        ):
            data["params"] = {str(data.get("model") or "gpt-image-2-edit"): params}
        version = 1
    if version < 2:
        # Version 2 (issue 12): the size parameters default to Auto. A size remembered from
        # before was the form's old default far more often than a choice: start at Auto.
        params = data.get("params")
        if isinstance(params, dict):
            for values in params.values():
                if isinstance(values, dict):
                    for name in ("resolution", "aspect_ratio"):
                        values.pop(name, None)
        version = 2
    data["version"] = version
    return data


class Settings:
    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / FILE_NAME
        self._lock = threading.Lock()
        self._values: dict[str, Any] = {}
        self.load()

    def load(self) -> None:
        # A damaged, huge or hostile settings file means defaults, never a failed start.
        raw = _migrate(read_file_or(self.path, {}, expect=dict))
        values: dict[str, Any] = {}
        for name, option in OPTIONS.items():
            value = raw.get(name, option.default)
            if option.type is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if not isinstance(value, option.type) or (
                option.type is not bool and isinstance(value, bool)
            ):
                value = option.default
            values[name] = value
        with self._lock:
            self._values = values

    def get(self, name: str) -> Any:
        option = OPTIONS[name]
        with self._lock:
            value = self._values.get(name, option.default)
        return json.loads(json.dumps(value)) if isinstance(value, (dict, list)) else value

    def set(self, name: str, value: Any, *, save: bool = True) -> None:
        option = OPTIONS[name]
        if option.type is float and isinstance(value, int):
            value = float(value)
        if not isinstance(value, option.type):
            raise TypeError(f"setting {name} must be {option.type.__name__}")
        with self._lock:
            self._values[name] = value
        if save:
            self.save()

    def save(self) -> None:
        with self._lock:
            data = {"version": VERSION, **self._values}
        try:
            atomic_write_json(self.path, data)
        except OSError as exc:
            log.warning("settings not saved: %s", exc)

    def remember_prompt(self, prompt: str, keep: int = 50) -> None:
        prompt = prompt.strip()
        if not prompt:
            return
        recent = [p for p in self.get("recent_prompts") if isinstance(p, str) and p != prompt]
        self.set("recent_prompts", [prompt, *recent][:keep])
