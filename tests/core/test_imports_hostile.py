"""Issue 13 item 10: imports that froze or failed silently.

* Importing 20,000 presets froze the window for minutes: the merge compared every imported
  preset with every stored one (and renamed clashes by probing names one at a time). It is
  linear now; the scaling test counts the interpreter's calls (``sys.setprofile``) for 2,000
  and 4,000 presets, so it needs no clock: linear work doubles, the old merge quadrupled.
* A presets file or a run zip with a wrong type in one field raised an exception the window
  did not catch (no message at all). Every field of both formats is given every JSON type
  here: the importer's own error (``PresetError``/``ArchiveError``) or a clean import, never
  anything else.
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from retouch.core.cancel import CancelToken
from retouch.core.errors import CancelledError
from retouch.core.history import HistoryStore
from retouch.core.history.archive import ArchiveError, export_run_zip, import_run_zip
from retouch.core.presets import Preset, PresetError, PresetStore

#: Every JSON type, and a few values that broke parsers elsewhere.
WRONG_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    1.5,
    10**30,
    "",
    "text",
    [],
    [1, 2],
    {},
    {"a": 1},
    [[[]]],
    {"nested": {"deeper": [1]}},
]


def _presets_doc(n: int, *, clash_every: int = 2) -> dict[str, Any]:
    """*n* presets: every *clash_every*-th one is named "Sunset" (with its own prompt)."""
    presets = []
    for i in range(n):
        name = "Sunset" if i % clash_every == 0 else f"Preset {i}"
        presets.append(
            {"name": name, "prompt": f"prompt {i}", "model": "gpt-image-2-edit", "params": {}}
        )
    return {"version": 1, "presets": presets}


class TooMuchWork(AssertionError):
    pass


def _calls(fn: Any, limit: int) -> int:
    """How many calls (Python and C) *fn* makes: the work it does, with no clock. Past
    *limit* it is stopped (a quadratic merge would otherwise run for minutes here)."""
    count = 0

    def profile(_frame: Any, event: str, _arg: Any) -> None:
        nonlocal count
        count += 1
        if count > limit:
            sys.setprofile(None)
            raise TooMuchWork(f"more than {limit} calls")

    sys.setprofile(profile)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return count


def test_importing_20000_presets_keeps_every_one_and_renames_clashes(tmp_path: Path) -> None:
    path = tmp_path / "many.json"
    path.write_text(json.dumps(_presets_doc(20_000)))
    store = PresetStore(tmp_path / "store")
    store.save(Preset("Sunset", "the one already here"))
    reported: list[tuple[int, int]] = []
    result = store.import_file(path, progress=lambda done, total: reported.append((done, total)))
    assert len(result.imported) == 20_000
    assert len(store.presets()) == 20_001
    # 10,000 "Sunset"s: the one already there keeps its name, the rest count up without gaps.
    assert result.imported[0] == "Sunset (2)"
    assert store.get("Sunset (10001)") is not None and store.get("Sunset (10002)") is None
    assert len({p.name.casefold() for p in store.presets()}) == 20_001
    # Progress went from 0 to the end, about every 1 %, in order.
    assert reported[0] == (0, 20_000) and reported[-1] == (20_000, 20_000)
    assert 100 <= len(reported) <= 110
    assert [d for d, _ in reported] == sorted(d for d, _ in reported)
    # Importing the same file again adds nothing: each is found as a copy, in one pass.
    again = store.import_file(path)
    assert again.imported == [] and len(again.skipped) == 20_000
    assert len(PresetStore(tmp_path / "store").presets()) == 20_001


@pytest.mark.parametrize("clash_every", [1, 2, 1_000_000], ids=["all-clash", "half", "none"])
def test_preset_import_work_grows_linearly(tmp_path: Path, clash_every: int) -> None:
    def work(n: int, limit: int) -> int:
        path = tmp_path / f"presets-{n}.json"
        path.write_text(json.dumps(_presets_doc(n, clash_every=clash_every)))
        store = PresetStore(tmp_path / f"store-{n}")
        for i in range(n):  # as many already there, half of them clashing
            store._presets.append(Preset(f"Kept {i}" if i % 2 else "Sunset", f"kept {i}"))
        return _calls(lambda: store.import_file(path), limit)

    # About 270 calls per preset now; the old merge made 2,000 per preset at 200 presets
    # and 22,000 at 400 (it compared each with all, and probed names one by one).
    small = work(2_000, limit=1_000 * 2_000)
    large = work(4_000, limit=int(2.6 * small))
    # Linear: twice the presets, about twice the calls (measured: 1.99).
    assert large / small < 2.6, (small, large)


def test_a_cancelled_preset_import_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "many.json"
    path.write_text(json.dumps(_presets_doc(5_000)))
    store = PresetStore(tmp_path / "store")
    token = CancelToken()
    seen = 0

    def progress(done: int, _total: int) -> None:
        nonlocal seen
        seen += 1
        if done >= 2_500:
            token.cancel()

    with pytest.raises(CancelledError):
        store.import_file(path, progress=progress, cancel=token)
    assert seen > 1
    assert store.presets() == [] and not (tmp_path / "store" / "presets.json").exists()


# -- every field, every type: presets ----------------------------------------------------------

GOOD_PRESET = {
    "name": "Sunset",
    "prompt": "replace the sky",
    "model": "gpt-image-2-edit",
    "params": {"num_images": 2, "resolution": "1024x1024"},
}


def _preset_variants() -> list[tuple[str, Any]]:
    variants: list[tuple[str, Any]] = []
    for value in WRONG_VALUES:
        variants.append((f"version={value!r}", {"version": value, "presets": [GOOD_PRESET]}))
        variants.append((f"presets={value!r}", {"version": 1, "presets": value}))
        variants.append((f"document={value!r}", value))
        variants.append((f"entry={value!r}", {"version": 1, "presets": [value]}))
        for field in GOOD_PRESET:
            entry = {**GOOD_PRESET, field: value}
            variants.append((f"{field}={value!r}", {"version": 1, "presets": [entry]}))
        entry = {**GOOD_PRESET, "params": {"num_images": value}}
        variants.append((f"params.num_images={value!r}", {"version": 1, "presets": [entry]}))
    return variants


@pytest.mark.parametrize(("case", "doc"), _preset_variants(), ids=lambda v: str(v)[:40])
def test_a_preset_file_with_any_wrong_type_gives_the_importers_message(
    tmp_path: Path, case: str, doc: Any
) -> None:
    path = tmp_path / "presets.json"
    path.write_text(json.dumps(doc))
    store = PresetStore(tmp_path / "store")
    try:
        result = store.import_file(path)
    except PresetError as exc:
        assert exc.message and "Traceback" not in exc.message
        assert store.presets() == []
        return
    # Accepted: only what is valid was kept, and anything left out is said.
    for preset in store.presets():
        assert isinstance(preset.name, str) and isinstance(preset.prompt, str)
    assert len(result.imported) + len(result.invalid) + len(result.skipped) >= 0
    assert result.summary()


# -- every field, every type: run zips ---------------------------------------------------------


def _png(color: tuple[int, int, int] = (10, 20, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), color).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def exported_zip(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    root = tmp_path_factory.mktemp("zip-source")
    store = HistoryStore(root / "history")
    try:
        run_id = store.begin_run(
            model="gpt-image-2-edit",
            prompt="a sunset",
            params={"num_images": 1},
            inputs=[_png()],
            input_names=["photo.png"],
            mask=_png((255, 255, 255)),
            estimated_cost=0.22,
        )
        store.add_output(run_id, 0, _png((200, 100, 0)), "png", "revised")
        store.finish_run(run_id, "succeeded")
        path = export_run_zip(store, run_id, root / "run.zip")
    finally:
        store.close()
    return path.read_bytes()


def _rewrite(original: bytes, meta: dict[str, Any], target: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(original)) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            data = json.dumps(meta) if info.filename == "run.json" else src.read(info)
            dst.writestr(info.filename, data)
    return target


def _meta(original: bytes) -> dict[str, Any]:
    with zipfile.ZipFile(io.BytesIO(original)) as zf:
        return json.loads(zf.read("run.json"))


RUN_FIELDS = [
    "format",
    "format_version",
    "created_at",
    "finished_at",
    "status",
    "model",
    "prompt",
    "params",
    "estimated_cost",
    "error",
    "starred",
    "batch_id",
    "mode",
    "input_names",
    "inputs",
    "mask",
    "outputs",
]


def _run_variants() -> list[tuple[str, Any, Any]]:
    variants: list[tuple[str, Any, Any]] = []
    for value in WRONG_VALUES:
        for field in RUN_FIELDS:
            variants.append((field, None, value))
        for sub in ("name", "file"):
            variants.append(("inputs", sub, value))
        for sub in ("index", "file", "revised_prompt"):
            variants.append(("outputs", sub, value))
        variants.append(("params", "num_images", value))
    return variants


@pytest.mark.parametrize(("field", "sub", "value"), _run_variants(), ids=lambda v: repr(v)[:30])
def test_a_run_zip_with_any_wrong_type_gives_the_importers_message(
    tmp_path: Path, exported_zip: bytes, field: str, sub: str | None, value: Any
) -> None:
    meta = _meta(exported_zip)
    if sub is None:
        meta[field] = value
    elif isinstance(meta[field], list):
        meta[field][0][sub] = value
    else:
        meta[field][sub] = value
    path = _rewrite(exported_zip, meta, tmp_path / "bad.zip")
    store = HistoryStore(tmp_path / "history")
    try:
        try:
            run_id = import_run_zip(store, path)
        except ArchiveError as exc:
            assert str(exc) and "Traceback" not in str(exc)
            assert store.runs() == []
            return
        record = store.get(run_id)
        assert record is not None
        assert isinstance(record.prompt, str) and isinstance(record.model, str)
        assert isinstance(record.params, dict)
    finally:
        store.close()
