"""Prompt presets: a named prompt with its model and parameters, kept in the data folder.

Stored as ``presets.json`` (written atomically) in the shape exports use too::

    {"version": 1, "presets": [{"name": ..., "prompt": ..., "model": ..., "params": {...}}]}

Names are unique ignoring case. Importing merges: a preset whose name is taken is renamed
("Sunset (2)") unless the same preset is already there (under that name or a renamed
one), in which case it is skipped: importing a file twice adds nothing.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from retouch.core import jsonio
from retouch.core.atomic import atomic_write_json
from retouch.core.errors import InputError

if TYPE_CHECKING:
    from retouch.core.cancel import CancelToken

log = logging.getLogger(__name__)

FILE_NAME = "presets.json"
VERSION = 1
MAX_NAME = 100
MAX_PROMPT = 32000


class PresetError(InputError):
    """A preset name or a preset file cannot be used."""


@dataclass(frozen=True)
class Preset:
    name: str
    prompt: str
    model: str = "gpt-image-2-edit"
    params: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "prompt": self.prompt,
            "model": self.model,
            "params": self.params,
        }

    @staticmethod
    def from_json(doc: Any) -> Preset:
        """Build a preset from one JSON object; PresetError says what is wrong with it."""
        if not isinstance(doc, dict):
            raise PresetError("A preset must be a JSON object.")
        name, prompt, model = doc.get("name"), doc.get("prompt"), doc.get("model")
        params = doc.get("params", {})
        if not isinstance(name, str) or not name.strip():
            raise PresetError("A preset needs a name.")
        if not isinstance(prompt, str) or len(prompt) > MAX_PROMPT:
            raise PresetError(f"Preset '{name}' has no usable prompt.")
        if not isinstance(model, str) or not model.strip():
            raise PresetError(f"Preset '{name}' names no model.")
        if not isinstance(params, dict) or not all(isinstance(k, str) for k in params):
            raise PresetError(f"Preset '{name}' has parameters that are not an object.")
        if not all(_is_scalar(v) for v in params.values()):
            raise PresetError(f"Preset '{name}' has a parameter that is not a plain value.")
        return Preset(clean_name(name), prompt, model.strip(), dict(params))


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def clean_name(name: str) -> str:
    name = " ".join(str(name).split())
    if not name:
        raise PresetError("Give the preset a name.")
    if len(name) > MAX_NAME:
        raise PresetError(f"A preset name can be at most {MAX_NAME} characters.")
    return name


@dataclass
class ImportResult:
    imported: list[str] = field(default_factory=list)  # names as stored
    renamed: dict[str, str] = field(default_factory=dict)  # name in file → name stored (last)
    renames: int = 0  # how many were renamed (a name may clash many times in one file)
    skipped: list[str] = field(default_factory=list)  # identical to one already there
    invalid: list[str] = field(default_factory=list)  # why each bad entry was left out

    def summary(self) -> str:
        parts = [f"{len(self.imported)} preset{'s' if len(self.imported) != 1 else ''} imported"]
        renamed = max(self.renames, len(self.renamed))
        if renamed:
            parts.append(f"{renamed} renamed to avoid a clash")
        if self.skipped:
            parts.append(f"{len(self.skipped)} already there")
        if self.invalid:
            parts.append(f"{len(self.invalid)} not valid, left out")
        return ", ".join(parts) + "."


def parse_presets(doc: Any) -> tuple[list[Preset], list[str]]:
    """Presets in an exported document (or a bare list), plus why bad entries were dropped.

    Raises PresetError when the document as a whole is not a presets file.
    """
    if isinstance(doc, dict) and "presets" in doc:
        version = doc.get("version", VERSION)
        if not isinstance(version, int) or version > VERSION:
            raise PresetError("This presets file is from a newer Retouch; update to import it.")
        entries = doc["presets"]
    else:
        entries = doc
    if not isinstance(entries, list):
        raise PresetError("This is not a Retouch presets file (no list of presets in it).")
    presets: list[Preset] = []
    invalid: list[str] = []
    for entry in entries:
        try:
            presets.append(Preset.from_json(entry))
        except PresetError as exc:
            invalid.append(exc.message)
    return presets, invalid


def _document(presets: list[Preset]) -> dict[str, Any]:
    return {"version": VERSION, "presets": [p.to_json() for p in presets]}


class PresetStore:
    """The presets file; every change is written at once (atomically)."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.path = Path(folder) / FILE_NAME
        self._lock = threading.Lock()
        self._presets: list[Preset] = []
        self._unreadable = False
        self.load()

    def load(self) -> None:
        try:
            doc = jsonio.read_file(self.path, expect=None)
            presets, invalid = parse_presets(doc)
        except FileNotFoundError:
            presets, invalid = [], []
        except (jsonio.JsonError, PresetError) as exc:
            log.warning("presets file unreadable (%s); starting empty", exc)
            presets, invalid = [], []
            self._unreadable = True
        for message in invalid:
            log.warning("preset left out: %s", message)
        with self._lock:
            self._presets = _unique(presets)

    def _save(self) -> None:
        # Called with the lock held.
        if self._unreadable:
            # Keep what could not be read instead of silently writing over it.
            try:
                self.path.replace(self.path.with_name(FILE_NAME + ".unreadable"))
            except OSError:
                pass
            self._unreadable = False
        atomic_write_json(self.path, _document(self._presets))

    def presets(self) -> list[Preset]:
        """Every preset, in the order they were added."""
        with self._lock:
            return list(self._presets)

    def names(self) -> list[str]:
        return [p.name for p in self.presets()]

    def _index(self, name: str) -> int:
        key = name.casefold()
        return next((i for i, p in enumerate(self._presets) if p.name.casefold() == key), -1)

    def get(self, name: str) -> Preset | None:
        with self._lock:
            i = self._index(name)
            return self._presets[i] if i >= 0 else None

    def save(self, preset: Preset, *, overwrite: bool = True) -> Preset:
        """Add *preset*, replacing one of the same name (unless ``overwrite`` is False)."""
        preset = Preset.from_json(preset.to_json())  # same checks as an imported one
        with self._lock:
            i = self._index(preset.name)
            if i >= 0 and not overwrite:
                raise PresetError(f"There is already a preset named '{preset.name}'.")
            if i >= 0:
                self._presets[i] = preset
            else:
                self._presets.append(preset)
            self._save()
        return preset

    def delete(self, name: str) -> bool:
        with self._lock:
            i = self._index(name)
            if i < 0:
                return False
            del self._presets[i]
            self._save()
            return True

    def rename(self, old: str, new: str) -> Preset:
        new = clean_name(new)
        with self._lock:
            i = self._index(old)
            if i < 0:
                raise PresetError(f"There is no preset named '{old}'.")
            j = self._index(new)
            if j >= 0 and j != i:
                raise PresetError(f"There is already a preset named '{new}'.")
            p = self._presets[i]
            self._presets[i] = Preset(new, p.prompt, p.model, p.params)
            self._save()
            return self._presets[i]

    def export(self, path: str | os.PathLike[str], names: list[str] | None = None) -> int:
        """Write the presets (all, or those named) to *path*; returns how many."""
        with self._lock:
            chosen = [
                p
                for p in self._presets
                if names is None or p.name.casefold() in {n.casefold() for n in names}
            ]
        atomic_write_json(path, _document(chosen))
        return len(chosen)

    def import_file(
        self,
        path: str | os.PathLike[str],
        *,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> ImportResult:
        """Merge the presets in *path*; PresetError if it is not a presets file at all.

        Runs in time linear in the file and the store (20,000 presets take well under a
        second); the window calls it on a worker thread, with *progress* and *cancel*.
        """
        try:
            doc = jsonio.read_file(path, expect=None)
        except FileNotFoundError:
            raise PresetError(f"Could not read '{path}': it does not exist.") from None
        except jsonio.JsonError as exc:
            raise PresetError(exc.message) from None
        presets, invalid = parse_presets(doc)
        return self.merge(presets, invalid, progress=progress, cancel=cancel)

    def merge(
        self,
        presets: list[Preset],
        invalid: list[str] | None = None,
        *,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> ImportResult:
        """Add *presets*: a clashing name is renamed ("Name (2)"), a copy of one already here
        (under its name or a clash-renamed one) is skipped. One pass over each list, with
        the names and contents indexed (it used to compare every import with every preset).
        Cancelled (``CancelledError``) before anything is written, or not at all."""
        result = ImportResult(invalid=list(invalid or []))
        every = max(1, len(presets) // 100)
        with self._lock:
            taken = {p.name.casefold() for p in self._presets}
            copies = {key for p in self._presets for key in _copy_keys(p)}
            next_number: dict[str, int] = {}
            added: list[Preset] = []
            for i, preset in enumerate(presets):
                if i % every == 0:
                    if cancel is not None:
                        cancel.raise_if_cancelled()
                    if progress is not None:
                        progress(i, len(presets))
                key = preset.name.casefold()
                if (key, _content(preset)) in copies:
                    result.skipped.append(preset.name)
                    continue
                name = preset.name
                if key in taken:
                    n = next_number.get(key, 1)
                    while True:
                        n += 1
                        name = f"{preset.name} ({n})"
                        if name.casefold() not in taken:
                            break
                    next_number[key] = n
                    result.renamed[preset.name] = name
                    result.renames += 1
                stored = Preset(name, preset.prompt, preset.model, preset.params)
                taken.add(name.casefold())
                copies.update(_copy_keys(stored))
                added.append(stored)
                result.imported.append(name)
            if cancel is not None:
                cancel.raise_if_cancelled()
            if added:
                self._presets.extend(added)
                try:
                    self._save()
                except BaseException:
                    del self._presets[-len(added) :]
                    raise
            if progress is not None:
                progress(len(presets), len(presets))
        return result


#: ``progress(done, total)`` during a long import.
Progress = Callable[[int, int], None]

_RENAMED = re.compile(r"^(.*) \(\d+\)$", re.DOTALL)


def _content(preset: Preset) -> tuple[str, str, tuple[tuple[str, Any], ...]]:
    """What makes two presets the same, hashable (values are scalars; keys are unique)."""
    return preset.prompt, preset.model, tuple(sorted(preset.params.items(), key=lambda kv: kv[0]))


def _copy_keys(preset: Preset) -> list[tuple[str, tuple[str, str, tuple[tuple[str, Any], ...]]]]:
    """The (name, content) pairs under which an import counts *preset* as already here: its
    own name, and the name it was renamed from ("Sunset (2)" is a copy of "Sunset")."""
    content = _content(preset)
    key = preset.name.casefold()
    keys = [(key, content)]
    match = _RENAMED.match(key)
    if match:
        keys.append((match.group(1), content))
    return keys


def _unique(presets: list[Preset]) -> list[Preset]:
    seen: set[str] = set()
    out: list[Preset] = []
    for p in presets:
        if p.name.casefold() not in seen:
            seen.add(p.name.casefold())
            out.append(p)
    return out
