"""Result images: verified, written atomically, each with a JSON sidecar."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retouch import __version__
from retouch.core.atomic import atomic_write_bytes, atomic_write_json
from retouch.core.errors import ResultDownloadError, SaveError

_EXT = {"jpeg": "jpg", "png": "png", "webp": "webp", "gif": "gif", "mpo": "jpg"}


@dataclass(frozen=True)
class SavedResult:
    index: int
    path: Path
    sidecar: Path
    revised_prompt: str | None = None


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


def write_result(
    path: Path,
    data: bytes,
    *,
    fmt: str,
    index: int,
    meta: dict[str, Any],
    revised_prompt: str | None = None,
) -> SavedResult:
    """Write a verified result and its JSON sidecar at *path*, both atomically."""
    try:
        atomic_write_bytes(path, data)
        sidecar = path.with_name(path.name + ".json")
        atomic_write_json(
            sidecar,
            {
                **meta,
                "result_index": index,
                "revised_prompt": revised_prompt,
                "file": path.name,
                "format": fmt,
                "saved_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "retouch_version": __version__,
            },
        )
    except OSError as exc:
        raise SaveError(
            f"Result {index + 1} could not be saved in '{path.parent}': {exc.strerror or exc}. "
            "Choose another output folder."
        ) from None
    return SavedResult(index, path, sidecar, revised_prompt)


def save_result(
    out_dir: Path,
    data: bytes,
    *,
    stem: str,
    run_id: str,
    index: int,
    meta: dict[str, Any],
    revised_prompt: str | None = None,
) -> SavedResult:
    """Verify *data* is an image, write it and its sidecar; never overwrite another file."""
    fmt, ext = result_format(data, index)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SaveError(
            f"Result {index + 1} could not be saved in '{out_dir}': {exc.strerror or exc}. "
            "Choose another output folder."
        ) from None
    base = f"{stem}-{time.strftime('%Y%m%d-%H%M%S')}-{run_id[:6]}-{index + 1}"
    path = out_dir / f"{base}.{ext}"
    n = 1
    while path.exists():
        n += 1
        path = out_dir / f"{base}_{n}.{ext}"
    return write_result(path, data, fmt=fmt, index=index, meta=meta, revised_prompt=revised_prompt)
