"""The editor's plain data and the saved session: round trips, old files, bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retouch.core.editor_state import EditorData, MaskSettings
from retouch.core.history import Session, SessionResult, read_session, write_session
from retouch.core.request import InputRef


def full_session(tmp_path: Path) -> Session:
    return Session(
        editor=EditorData(
            model="fake-style-edit",
            params={"num_images": 3, "resolution": "1024x1536"},
            prompt="a quiet harbour at dawn",
            inputs=[
                InputRef(path=tmp_path / "a.png", name="first photo.png"),
                InputRef.parse("https://example.com/pics/lake.png"),
            ],
            mask_file=tmp_path / "session" / "mask.png",
            mask=MaskSettings(brush_size=120.0, hardness=0.25, overlay_color="#00ff00"),
        ),
        results=[
            SessionResult(0, tmp_path / "r1.png", "revised"),
            SessionResult(1, tmp_path / "r2.png"),
        ],
        selected_result=1,
        page=1,
    )


def test_a_session_round_trips_through_its_file(tmp_path):
    session = full_session(tmp_path)
    write_session(tmp_path, session)
    assert read_session(tmp_path) == session


def test_pasted_inputs_have_no_lasting_form_and_are_left_out(tmp_path):
    editor = EditorData(inputs=[InputRef(data=b"png bytes", name="pasted-image.png")])
    assert Session.from_json(Session(editor=editor).to_json()).editor.inputs == []


def test_a_file_written_before_the_typed_session_reads_back(tmp_path):
    # What the window wrote as a plain dict: no model, prompt, params or mask settings.
    old = {
        "inputs": [
            {"path": str(tmp_path / "a.png"), "name": "a.png"},
            {"url": "https://x.org/b.png"},
        ],
        "mask": str(tmp_path / "mask.png"),
        "results": [{"index": 2, "path": str(tmp_path / "r.png"), "revised_prompt": None}],
        "selected_result": 0,
        "page": 1,
    }
    (tmp_path / "session.json").write_text(json.dumps(old))
    session = read_session(tmp_path)
    assert [r.label for r in session.editor.inputs] == ["a.png", "b.png"]
    assert session.editor.inputs[1].url == "https://x.org/b.png"
    assert session.editor.mask_file == tmp_path / "mask.png"
    # Not recorded: None, so restoring leaves the window's own values alone.
    assert session.editor.prompt is None and session.editor.model is None
    assert session.editor.params is None and session.editor.mask is None
    assert session.results == [SessionResult(2, tmp_path / "r.png", None)] and session.page == 1


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"[1, 2]", b"\xff\xfe\x00", b"null", b'"text"'],
    ids=["broken", "a-list", "not-utf8", "null", "a-string"],
)
def test_an_unreadable_file_is_an_empty_session(tmp_path, content):
    (tmp_path / "session.json").write_bytes(content)
    assert read_session(tmp_path) == Session()


def test_a_missing_file_is_an_empty_session(tmp_path):
    assert read_session(tmp_path) == Session()


def test_wrong_types_become_defaults_never_exceptions(tmp_path):
    bad = {
        "inputs": [42, {"path": 7}, {"url": "ftp://x"}, {"path": "/ok.png", "name": 5}, None],
        "mask": ["x"],
        "model": 3,
        "params": ["num_images", 2],
        "prompt": {"text": "x"},
        "mask_settings": {
            "brush_size": "big",
            "hardness": float("nan"),
            "overlay_color": "red",
            "overlay_opacity": 7,
        },
        "results": [{"path": 3}, "r.png", {"path": "/r.png", "index": True, "revised_prompt": 9}],
        "selected_result": "1",
        "page": True,
    }
    (tmp_path / "session.json").write_text(json.dumps(bad))
    session = read_session(tmp_path)
    assert session.editor.inputs == [InputRef(path=Path("/ok.png"), name="")]
    assert session.editor.mask_file is None and session.editor.model is None
    assert session.editor.params is None and session.editor.prompt is None
    assert session.editor.mask == MaskSettings(overlay_opacity=1.0)  # clamped, the rest default
    assert session.results == [SessionResult(2, Path("/r.png"), None)]
    assert (session.selected_result, session.page) == (0, 0)


def test_mask_settings_are_clamped_to_what_the_canvas_accepts():
    settings = MaskSettings.from_json({"brush_size": 5000, "hardness": -1, "overlay_opacity": 0.3})
    assert (settings.brush_size, settings.hardness, settings.overlay_opacity) == (1000.0, 0.0, 0.3)
