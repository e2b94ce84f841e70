"""Every JSON file the app reads, and each run archive and presets file a user imports, goes
through one safe reader (issue 13 §5): nested a few thousand levels deep, huge, or of the
wrong type, a file the app keeps for itself means defaults and a file the user chose means a
clear message — never a RecursionError or any other crash.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from retouch.core import jsonio
from retouch.core.history import ArchiveError, HistoryStore, import_run_zip, load_session
from retouch.core.presets import PresetError, PresetStore
from retouch.core.schema import SchemaCache
from retouch.core.settings import OPTIONS, Settings
from retouch.core.uploaders import OxenRepoUploader

DEEP = "[" * 5000 + "]" * 5000
DEEP_IN_OBJECT = '{"version": 1, "params": ' + "[" * 5000 + "]" * 5000 + "}"
HOSTILE = {
    "deep": DEEP,
    "deep-in-object": DEEP_IN_OBJECT,
    "wrong-type": "[1, 2, 3]",
    "broken": '{"version": 1,',
    "not-utf8": "\udcff",
}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8", "surrogateescape"))


@pytest.mark.parametrize("content", list(HOSTILE.values()), ids=list(HOSTILE))
def test_settings_start_with_defaults(tmp_path: Path, content: str) -> None:
    _write(tmp_path / "settings.json", content)
    settings = Settings(tmp_path)
    assert {name: settings.get(name) for name in OPTIONS} == {
        name: option.default for name, option in OPTIONS.items()
    }


@pytest.mark.parametrize("content", list(HOSTILE.values()), ids=list(HOSTILE))
def test_presets_start_empty_and_the_file_is_kept(tmp_path: Path, content: str) -> None:
    _write(tmp_path / "presets.json", content)
    assert PresetStore(tmp_path).presets() == []


@pytest.mark.parametrize("content", list(HOSTILE.values()), ids=list(HOSTILE))
def test_session_and_caches_start_empty(tmp_path: Path, content: str) -> None:
    _write(tmp_path / "session.json", content)
    assert load_session(tmp_path) == {}
    _write(tmp_path / "models" / "gpt-image-2-edit.json", content)
    _write(tmp_path / "models" / "_list.json", content)
    cache = SchemaCache(tmp_path)
    assert cache.load("gpt-image-2-edit") is None
    assert cache.load_list() == []
    _write(tmp_path / "uploads.json", content)
    uploader = OxenRepoUploader(None, "ns", "repo", tmp_path / "uploads.json")  # type: ignore[arg-type]
    assert uploader._known() == {}


def test_a_huge_settings_file_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    with open(path, "wb") as fh:  # sparse: 64 MB without writing them
        fh.write(b'{"prompt": "')
        fh.seek(64 * 1024 * 1024)
        fh.write(b'"}')
    assert Settings(tmp_path).get("prompt") == ""


def test_importing_deep_presets_says_what_is_wrong(tmp_path: Path) -> None:
    bad = tmp_path / "shared presets.json"
    bad.write_text(DEEP)
    with pytest.raises(PresetError) as info:
        PresetStore(tmp_path / "store").import_file(bad)
    assert "'shared presets.json' is nested too deeply" in info.value.message
    assert "5000 levels" in info.value.message


def _run_zip(path: Path, run_json: str) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("run.json", run_json)
    return path


@pytest.mark.parametrize(
    "run_json, says",
    [
        (DEEP, "run.json is nested too deeply"),
        ('{"format": "retouch-run", "inputs": ' + "[" * 3000 + "]" * 3000 + "}", "too deeply"),
        ('"just a string"', "run.json does not contain an object"),
        ('{"format": "retouch-run", "format_version": "two"}', "format_version must be a number"),
        ('{"format": "retouch-run", "format_version": [1]}', "format_version must be a number"),
    ],
    ids=["deep", "deep-inputs", "not-an-object", "version-text", "version-list"],
)
def test_importing_a_bad_run_json_is_a_clear_archive_error(
    tmp_path: Path, run_json: str, says: str
) -> None:
    with HistoryStore(tmp_path / "history") as store:
        with pytest.raises(ArchiveError) as info:
            import_run_zip(store, _run_zip(tmp_path / "run.zip", run_json))
        assert says in str(info.value)
        assert store.runs() == []


def test_the_reader_itself() -> None:
    assert jsonio.loads(b'{"a": [1, {"b": "[[[["}]}', expect=dict) == {"a": [1, {"b": "[[[["}]}
    assert jsonio.nesting_depth(b'{"a": "]]]]]"}') == 1
    for text, reason in [
        (DEEP, "too_deep"),
        ("[1]", "wrong_type"),
        ("{", "invalid"),
        ("1" * 5000, "invalid"),  # Python's int-digit limit is a ValueError
        ("x" * 100, "invalid"),
    ]:
        with pytest.raises(jsonio.JsonError) as info:
            jsonio.loads(text, what="It", expect=dict)
        assert info.value.reason == reason and info.value.message.startswith("It ")
    with pytest.raises(jsonio.JsonError) as big:
        jsonio.loads(b"[" + b"0," * 600 + b"0]", max_bytes=1000)
    assert big.value.reason == "too_large"
    assert jsonio.read_file_or(Path(os.devnull) / "missing.json", {"d": 1}) == {"d": 1}
