"""Result images: verified, written atomically, each with a JSON sidecar."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from retouch import __version__
from retouch.core.atomic import (
    atomic_create_bytes,
    atomic_create_json,
    atomic_write_bytes,
    atomic_write_json,
)
from retouch.core.errors import ResultDownloadError, SaveError

_EXT = {"jpeg": "jpg", "png": "png", "webp": "webp", "gif": "gif", "mpo": "jpg"}
#: Demo results are named ``demo-<name>-…`` (and go to their own folder: core/profile.py).
DEMO_PREFIX = "demo-"


@dataclass(frozen=True)
class SavedResult:
    """A result that arrived: where it is now, and why it is not in the output folder when
    it is not (then ``path`` is history's copy, or — when even history could not take it —
    ``data`` holds its bytes and ``path`` names the file it was meant to be)."""

    index: int
    path: Path
    sidecar: Path
    revised_prompt: str | None = None
    #: Where the result was placed back into the photo (issue 12): the picture that was not
    #: saved as ``path`` — the model's own, or the composite when the model's was saved —
    #: so the window can show both without reading history.
    model_output: bytes | None = field(default=None, repr=False, compare=False)
    composite: bytes | None = field(default=None, repr=False, compare=False)
    #: The model's own picture as a file (a result reopened from history: its model-N).
    model_path: Path | None = field(default=None, compare=False)
    #: The run it belongs to (history's id where the run is recorded): Use as Input's parent.
    run_id: str = field(default="", compare=False)
    info: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    #: Why the output folder does not have it ("" when it does).
    unsaved: str = field(default="", compare=False)
    #: Its bytes, when no file holds it (the output folder and history both failed).
    data: bytes | None = field(default=None, repr=False, compare=False)
    #: The name it would have had in the output folder (for Save to Another Folder).
    file_name: str = field(default="", compare=False)

    @property
    def in_output_folder(self) -> bool:
        return not self.unsaved

    def read_bytes(self) -> bytes:
        """The result's bytes, from memory or from its file."""
        return self.data if self.data is not None else self.path.read_bytes()


def safe_stem(name: str) -> str:
    stem = Path(name).stem or "image"
    stem = re.sub(r"[^\w.-]+", "-", stem, flags=re.UNICODE).strip("-.")
    return (stem or "image")[:60]


def result_format(data: bytes, index: int) -> tuple[str, str]:
    """(format, file extension) of a result, or ResultDownloadError if it is no image."""
    from retouch.core.images import sniff_image  # Pillow: not needed to open the window

    fmt = sniff_image(data)
    if fmt is None:
        raise ResultDownloadError(
            f"Result {index + 1} is not a valid image (damaged or incomplete); it was not saved."
        )
    return fmt, _EXT.get(fmt, fmt)


def _sidecar_doc(
    path: Path, fmt: str, index: int, meta: dict[str, Any], revised_prompt: str | None
) -> dict[str, Any]:
    return {
        **meta,
        "result_index": index,
        "revised_prompt": revised_prompt,
        "file": path.name,
        "format": fmt,
        "saved_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "retouch_version": __version__,
    }


def _save_error(index: int, folder: Path, exc: OSError) -> SaveError:
    return SaveError(
        f"Result {index + 1} could not be saved in '{folder}': {exc.strerror or exc}. "
        "Choose another output folder."
    )


def write_result(
    path: Path,
    data: bytes,
    *,
    fmt: str,
    index: int,
    meta: dict[str, Any],
    revised_prompt: str | None = None,
) -> SavedResult:
    """Write a verified result and its JSON sidecar at *path*, both atomically (replacing
    what is there: for names the caller owns; new names come from save_result_as)."""
    try:
        atomic_write_bytes(path, data)
        sidecar = path.with_name(path.name + ".json")
        atomic_write_json(sidecar, _sidecar_doc(path, fmt, index, meta, revised_prompt))
    except OSError as exc:
        raise _save_error(index, path.parent, exc) from None
    return SavedResult(index, path, sidecar, revised_prompt)


def run_tag(run_id: str) -> str:
    """The part of a result's name that tells runs apart: the random end of the run id.

    History ids start with the date and time ("20261125-101500-3fa9c2d1"), so their start is
    the same for every run of a day; the end is random for every kind of id.
    """
    letters = re.sub(r"[^A-Za-z0-9]", "", run_id)
    return (letters[-6:] or "run").lower()


def save_result_as(
    out_dir: Path,
    base: str,
    ext: str,
    data: bytes,
    *,
    fmt: str,
    index: int,
    meta: dict[str, Any],
    revised_prompt: str | None = None,
    max_tries: int = 10_000,
) -> SavedResult:
    """Write a result as ``base.ext`` (or ``base_2.ext``, ``base_3.ext``… if taken) with its
    sidecar, never over an existing file.

    Each name is taken atomically (see atomic_create_bytes): several processes saving into
    one folder at once each get their own name, and nothing is ever overwritten.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _save_error(index, out_dir, exc) from None
    for n in range(1, max_tries + 1):
        path = out_dir / (f"{base}.{ext}" if n == 1 else f"{base}_{n}.{ext}")
        sidecar = path.with_name(path.name + ".json")
        try:
            atomic_create_bytes(path, data)
        except FileExistsError:
            continue
        except OSError as exc:
            raise _save_error(index, out_dir, exc) from None
        try:
            atomic_create_json(sidecar, _sidecar_doc(path, fmt, index, meta, revised_prompt))
        except FileExistsError:
            # A stray sidecar of that name (not ours): give the name back, take the next.
            _discard(path)
            continue
        except OSError as exc:
            _discard(path)
            raise _save_error(index, out_dir, exc) from None
        return SavedResult(index, path, sidecar, revised_prompt)
    raise SaveError(
        f"Result {index + 1} could not be saved in '{out_dir}': {max_tries} names like "
        f"'{base}.{ext}' are already taken. Choose another output folder."
    )


def copy_result_to(folder: Path, name: str, data: bytes) -> Path:
    """Write a result kept elsewhere into *folder* as *name* (``name_2`` … when taken),
    atomically and never over another file. OSError when the folder cannot take it."""
    folder.mkdir(parents=True, exist_ok=True)
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, "png"
    for n in range(1, 10_000):
        path = folder / (f"{stem}.{ext}" if n == 1 else f"{stem}_{n}.{ext}")
        try:
            return atomic_create_bytes(path, data)
        except FileExistsError:
            continue
    raise FileExistsError(f"every name like '{name}' is taken in '{folder}'")


def _discard(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def save_result(
    out_dir: Path,
    data: bytes,
    *,
    stem: str,
    run_id: str,
    index: int,
    meta: dict[str, Any],
    revised_prompt: str | None = None,
    demo: bool = False,
) -> SavedResult:
    """Verify *data* is an image, write it and its sidecar; never overwrite another file.

    A *demo* result (the offline demo's stand-in made it; nothing was billed) says so in its
    name (``demo-…``) and its sidecar (``"demo": true``)."""
    if demo:
        stem = stem if stem.startswith(DEMO_PREFIX) else DEMO_PREFIX + stem
        meta = {**meta, "demo": True}
    fmt, ext = result_format(data, index)
    base = f"{stem}-{time.strftime('%Y%m%d-%H%M%S')}-{run_tag(run_id)}-{index + 1}"
    return save_result_as(
        out_dir, base, ext, data, fmt=fmt, index=index, meta=meta, revised_prompt=revised_prompt
    )


def demo_writer(out_dir: Path) -> Any:
    """An ``editing.ResultWriter`` for the demo: ``save_result(..., demo=True)`` into
    *out_dir* (the profile's demo folder)."""

    def write(
        data: bytes,
        *,
        stem: str,
        run_id: str,
        index: int,
        meta: dict[str, Any],
        revised: str | None,
    ) -> SavedResult:
        return save_result(
            out_dir,
            data,
            stem=stem,
            run_id=run_id,
            index=index,
            meta=meta,
            revised_prompt=revised,
            demo=True,
        )

    return write
