"""One run as a portable zip: share it, back it up, or move it to another machine.

Layout::

    run.json                 prompt, model, params, timestamps, input names, file list
    inputs/01-<name>.<ext>   the input images, in order
    mask.<ext>               the mask, if the run had one
    outputs/output-N.<ext>   the results
    outputs/model-N.<ext>    the model's own picture, where the result is it placed back into
                             the photo (format version 2; run.json then has its placement)

``run.json`` never carries an API key, an Authorization header or a data: URI (everything goes
through ``store.scrub``), nor the async-queue generation ids: those belong to the account that
ran them, and an imported run must not look resumable.

Import treats the zip as hostile: member names are checked against an allow-list (no absolute
paths, ``..``, backslashes or drive letters: no zip-slip), sizes are capped before and while
reading, and every image must decode. Nothing is ever extracted by member name: bytes are read
into memory and written to the store's own paths.
"""

from __future__ import annotations

import io
import json
import os
import re
import time
import warnings
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from retouch import __version__
from retouch.core import jsonio
from retouch.core.atomic import atomic_write_bytes
from retouch.core.history.store import HistoryStore, scrub

FORMAT = "retouch-run"
FORMAT_VERSION = 2  # 2: the model's own pictures and the placement (issue 12)
MAX_MEMBERS = 64
MAX_MEMBER_BYTES = 200 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_JSON_BYTES = 1024 * 1024

_IMAGE_EXTS = {"png", "jpg", "jpeg", "webp", "gif", "bmp", "tif", "tiff"}
_MEMBER_RE = re.compile(
    r"^(run\.json"
    r"|inputs/\d{1,3}-[A-Za-z0-9_.-]{1,80}\.[a-z0-9]{1,5}"
    r"|mask\.[a-z0-9]{1,5}"
    r"|outputs/(?:output|model)-\d{1,4}\.[a-z0-9]{1,5})$"
)


class ArchiveError(ValueError):
    """The zip is not a Retouch run archive, or it is unsafe or damaged."""


def _safe_name(name: str) -> str:
    keep = re.sub(r"[^\w.-]+", "_", Path(name).stem, flags=re.ASCII).strip("._") or "input"
    return keep[:60]


def _ext_of(path: Path) -> str:
    return path.suffix.lower().lstrip(".") or "bin"


def export_run_zip(store: HistoryStore, run_id: str, zip_path: str | os.PathLike[str]) -> Path:
    """Write run *run_id* with its images to *zip_path* (atomically); return the path."""
    rec = store.get(run_id)
    if rec is None:
        raise KeyError(run_id)
    buf = io.BytesIO()
    # Images are already compressed: storing them is as small and much faster.
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        inputs_meta = []
        for i, (path, name) in enumerate(
            zip(rec.input_paths, rec.input_names, strict=True), start=1
        ):
            member = f"inputs/{i:02d}-{_safe_name(name)}.{_ext_of(path)}"
            zf.writestr(member, path.read_bytes())
            inputs_meta.append({"name": name, "file": member})
        mask_member = None
        if rec.mask_path is not None:
            mask_member = f"mask.{_ext_of(rec.mask_path)}"
            zf.writestr(mask_member, rec.mask_path.read_bytes())
        outputs_meta = []
        for out in rec.outputs:
            member = f"outputs/output-{out.index + 1}.{_ext_of(out.path)}"
            zf.writestr(member, out.path.read_bytes())
            entry: dict[str, Any] = {
                "index": out.index,
                "file": member,
                "revised_prompt": out.revised_prompt,
            }
            if out.model_path is not None and out.model_path.is_file():
                model_member = f"outputs/model-{out.index + 1}.{_ext_of(out.model_path)}"
                zf.writestr(model_member, out.model_path.read_bytes())
                entry["model_file"] = model_member
            if out.info:
                entry["info"] = out.info
            outputs_meta.append(entry)
        placed = any("model_file" in e for e in outputs_meta) or rec.placement is not None
        meta = {
            "format": FORMAT,
            # Version 1 readers refuse model-N members: they are told "newer" instead.
            "format_version": FORMAT_VERSION if placed else 1,
            "exported_at": time.time(),
            "exported_by": f"Retouch {__version__}",
            "id": rec.id,
            "created_at": rec.created_at,
            "finished_at": rec.finished_at,
            "status": rec.status,
            "model": rec.model,
            "prompt": rec.prompt,
            "params": rec.params,
            "estimated_cost": rec.estimated_cost,
            "error": rec.error,
            "starred": rec.starred,
            "batch_id": rec.batch_id,
            "mode": rec.mode,
            "input_names": list(rec.input_names),
            "inputs": inputs_meta,
            "mask": mask_member,
            "outputs": outputs_meta,
            "placement": rec.placement,
        }
        zf.writestr(
            "run.json",
            json.dumps(scrub(meta), indent=2, ensure_ascii=False, sort_keys=True),
            compress_type=zipfile.ZIP_DEFLATED,
        )
    return atomic_write_bytes(zip_path, buf.getvalue())


def _check_member_name(name: str) -> None:
    parts = PurePosixPath(name).parts
    if (
        not name
        or name.startswith(("/", "\\"))
        or "\\" in name
        or "\x00" in name
        or ".." in parts
        or re.match(r"^[A-Za-z]:", name)
        or not _MEMBER_RE.match(name)
    ):
        raise ArchiveError(f"refusing unsafe or unexpected archive member {name!r}")


def _read_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    # Headers can lie about sizes; read at most cap+1 bytes to notice a bigger stream.
    with zf.open(info) as fh:
        data = fh.read(cap + 1)
    if len(data) > cap:
        raise ArchiveError(f"{info.filename} is too large")
    return data


def _check_image(name: str, data: bytes) -> None:
    from PIL import Image  # on import of an archive, not with the window that opens history

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as im:
                im.verify()
    except Exception as exc:  # Pillow raises many types for damaged files
        raise ArchiveError(f"{name} is not a readable image ({exc})") from exc


def _opt_str(meta: dict[str, Any], key: str) -> str | None:
    value = meta.get(key)
    if value is not None and not isinstance(value, str):
        raise ArchiveError(f"run.json: {key} must be a string")
    return value


def _opt_num(meta: dict[str, Any], key: str) -> float | None:
    value = meta.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ArchiveError(f"run.json: {key} must be a number")
    return float(value)


def _opt_list(meta: dict[str, Any], key: str) -> list[Any]:
    value = meta.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ArchiveError(f"run.json: {key} must be a list")
    return value


def _opt_bool(meta: dict[str, Any], key: str) -> bool:
    value = meta.get(key)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ArchiveError(f"run.json: {key} must be true or false")
    return value


_STATUSES = frozenset({"succeeded", "failed", "cancelled", "partial", "interrupted", "running"})


def import_run_zip(store: HistoryStore, zip_path: str | os.PathLike[str]) -> str:
    """Add the run in *zip_path* to *store* under a new id; returns that id."""
    try:
        zf = zipfile.ZipFile(zip_path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise ArchiveError(f"not a zip file: {exc}") from exc
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > MAX_MEMBERS:
            raise ArchiveError("archive has too many files")
        total = 0
        for info in infos:
            _check_member_name(info.filename)
            if info.file_size > MAX_MEMBER_BYTES:
                raise ArchiveError(f"{info.filename} is too large")
            total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise ArchiveError("archive is too large")
        by_name = {i.filename: i for i in infos}
        if "run.json" not in by_name:
            raise ArchiveError("archive has no run.json: not a Retouch run")
        try:
            meta = jsonio.loads(
                _read_capped(zf, by_name["run.json"], MAX_JSON_BYTES),
                what="run.json",
                expect=dict,
                max_bytes=MAX_JSON_BYTES,
            )
        except jsonio.JsonError as exc:
            raise ArchiveError(f"This is not a usable Retouch run: {exc.message}") from None
        except zipfile.BadZipFile as exc:
            raise ArchiveError(f"run.json is damaged: {exc}") from exc
        if meta.get("format") != FORMAT:
            raise ArchiveError("run.json is not a Retouch run description")
        if (_opt_num(meta, "format_version") or 0) > FORMAT_VERSION:
            raise ArchiveError("archive was written by a newer Retouch")
        prompt, model = meta.get("prompt"), meta.get("model")
        if not isinstance(prompt, str) or not isinstance(model, str) or not model:
            raise ArchiveError("run.json: prompt and model are required")
        params = meta.get("params")
        if params is None:
            params = {}
        if not isinstance(params, dict):
            raise ArchiveError("run.json: params must be an object")

        def member(name: Any) -> bytes:
            if not isinstance(name, str) or name not in by_name:
                raise ArchiveError(f"run.json names a missing file {name!r}")
            if PurePosixPath(name).suffix.lower().lstrip(".") not in _IMAGE_EXTS:
                raise ArchiveError(f"{name} is not an image file")
            try:
                data = _read_capped(zf, by_name[name], MAX_MEMBER_BYTES)
            except zipfile.BadZipFile as exc:
                raise ArchiveError(f"{name} is damaged: {exc}") from exc
            _check_image(name, data)
            return data

        inputs = []
        for entry in _opt_list(meta, "inputs"):
            if not isinstance(entry, dict):
                raise ArchiveError("run.json: inputs must be objects")
            name = entry.get("name")
            inputs.append((name if isinstance(name, str) else "input", member(entry.get("file"))))
        mask = member(meta["mask"]) if meta.get("mask") is not None else None
        outputs = []
        for entry in _opt_list(meta, "outputs"):
            if (
                not isinstance(entry, dict)
                or not isinstance(entry.get("index"), int)
                or isinstance(entry.get("index"), bool)
            ):
                raise ArchiveError("run.json: outputs need an integer index")
            index = entry["index"]
            if not 0 <= index < 1000:
                raise ArchiveError("run.json: output index out of range")
            file = entry.get("file")
            data = member(file)  # raises unless file names an image in the zip
            assert isinstance(file, str)
            revised = entry.get("revised_prompt")
            model_file = entry.get("model_file")
            placed_info = entry.get("info")
            outputs.append(
                (
                    index,
                    data,
                    PurePosixPath(file).suffix.lstrip("."),
                    revised if isinstance(revised, str) else None,
                    member(model_file) if model_file is not None else None,
                    placed_info if isinstance(placed_info, dict) else None,
                )
            )
        if len({o[0] for o in outputs}) != len(outputs):
            raise ArchiveError("run.json: duplicate output index")
        status = meta.get("status") or "succeeded"
        if not isinstance(status, str) or status not in _STATUSES:
            raise ArchiveError(f"run.json: unknown status {str(status)[:40]!r}")
        record = {
            "created_at": _opt_num(meta, "created_at"),
            "finished_at": _opt_num(meta, "finished_at"),
            "status": status,
            "model": model,
            "prompt": prompt,
            "params": params,
            "estimated_cost": _opt_num(meta, "estimated_cost"),
            "error": _opt_str(meta, "error"),
            "starred": _opt_bool(meta, "starred"),
            "batch_id": _opt_str(meta, "batch_id"),
            "mode": _opt_str(meta, "mode") or "sync",
            # The lineage is not carried: parent ids name runs of another history.
            "placement": meta.get("placement") if isinstance(meta.get("placement"), dict) else None,
        }
    return store.import_run(record=record, inputs=inputs, mask=mask, outputs=outputs)
