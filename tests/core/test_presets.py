"""Prompt presets: stored atomically, renamed, deleted, exported and imported (merged)."""

from __future__ import annotations

import json

import pytest

from retouch.core.presets import Preset, PresetError, PresetStore

SUNSET = Preset("Sunset", "replace the sky with a sunset", "gpt-image-2-edit", {"num_images": 2})
SKETCH = Preset("Sketch", "make it a pencil sketch", "fake-style-edit", {"style": "sketch"})


def test_save_list_get_delete_rename(tmp_path):
    store = PresetStore(tmp_path)
    assert store.presets() == []
    store.save(SUNSET)
    store.save(SKETCH)
    assert store.names() == ["Sunset", "Sketch"]
    assert store.get("sunset") == SUNSET  # names ignore case
    # Saving under an existing name replaces it (the "update this preset" case).
    store.save(Preset("SUNSET", "a warmer sunset", "gpt-image-2-edit", {}))
    assert store.names() == ["SUNSET", "Sketch"]
    with pytest.raises(PresetError):
        store.save(Preset("sketch", "x"), overwrite=False)
    renamed = store.rename("sketch", "  Pencil   sketch ")
    assert renamed.name == "Pencil sketch" and renamed.params == {"style": "sketch"}
    with pytest.raises(PresetError):
        store.rename("Pencil sketch", "sunset")
    with pytest.raises(PresetError):
        store.rename("nope", "x")
    assert store.delete("pencil sketch")
    assert not store.delete("pencil sketch")
    # Everything was written at once: a new store reads the same.
    assert PresetStore(tmp_path).presets() == [
        Preset("SUNSET", "a warmer sunset", "gpt-image-2-edit", {})
    ]
    assert not list(tmp_path.glob("*.part"))


def test_export_and_import_round_trip_with_renaming_on_clash(tmp_path):
    source = PresetStore(tmp_path / "a")
    source.save(SUNSET)
    source.save(SKETCH)
    exported = tmp_path / "presets-export.json"
    assert source.export(exported) == 2
    assert json.loads(exported.read_text())["version"] == 1

    target = PresetStore(tmp_path / "b")
    target.save(Preset("Sunset", "a different sunset prompt"))
    result = target.import_file(exported)
    assert result.imported == ["Sunset (2)", "Sketch"]
    assert result.renamed == {"Sunset": "Sunset (2)"}
    assert target.get("Sunset (2)") == Preset(
        "Sunset (2)", SUNSET.prompt, SUNSET.model, SUNSET.params
    )
    assert target.get("Sketch") == SKETCH
    assert "2 presets imported" in result.summary()
    # Importing the same file again adds nothing new: identical presets are skipped.
    again = target.import_file(exported)
    assert again.imported == [] and again.skipped == ["Sunset", "Sketch"]
    assert PresetStore(tmp_path / "b").names() == target.names()


def test_export_only_some(tmp_path):
    store = PresetStore(tmp_path)
    store.save(SUNSET)
    store.save(SKETCH)
    out = tmp_path / "one.json"
    assert store.export(out, ["sketch"]) == 1
    assert [p["name"] for p in json.loads(out.read_text())["presets"]] == ["Sketch"]


@pytest.mark.parametrize(
    "content, message",
    [
        ("not json", "not valid JSON"),
        ('{"hello": 1}', "not a Retouch presets file"),
        ('{"version": 99, "presets": []}', "newer Retouch"),
        ("42", "not a Retouch presets file"),
    ],
)
def test_import_refuses_files_of_the_wrong_shape(tmp_path, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    store = PresetStore(tmp_path / "store")
    with pytest.raises(PresetError, match=message):
        store.import_file(bad)
    assert store.presets() == []


def test_import_leaves_out_bad_entries_and_keeps_the_good(tmp_path):
    doc = {
        "version": 1,
        "presets": [
            SKETCH.to_json(),
            {"name": "", "prompt": "x", "model": "m"},
            {"name": "No model", "prompt": "x"},
            {"name": "Bad params", "prompt": "x", "model": "m", "params": [1]},
            {"name": "Nested", "prompt": "x", "model": "m", "params": {"a": {"b": 1}}},
            "just a string",
        ],
    }
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps(doc))
    store = PresetStore(tmp_path / "store")
    result = store.import_file(path)
    assert result.imported == ["Sketch"]
    assert len(result.invalid) == 5
    assert "5 not valid" in result.summary()


def test_unreadable_store_starts_empty_and_is_kept_aside(tmp_path):
    (tmp_path / "presets.json").write_text("{broken")
    store = PresetStore(tmp_path)
    assert store.presets() == []
    store.save(SUNSET)
    assert (tmp_path / "presets.json.unreadable").read_text() == "{broken"
    assert PresetStore(tmp_path).names() == ["Sunset"]


def test_names_are_checked(tmp_path):
    store = PresetStore(tmp_path)
    with pytest.raises(PresetError):
        store.save(Preset("   ", "x"))
    with pytest.raises(PresetError):
        store.save(Preset("x" * 101, "x"))
