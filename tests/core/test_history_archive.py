"""Run archives: export/import round-trip, no secrets, hostile zips refused."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from retouch.core.history import ArchiveError, HistoryStore, export_run_zip, import_run_zip


def png(color: str, size: tuple[int, int] = (24, 16), mode: str = "RGB") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size, color).save(buf, "PNG")
    return buf.getvalue()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store(tmp_path: Path):
    s = HistoryStore(tmp_path / "history")
    yield s
    s.close()


@pytest.fixture
def run_id(store: HistoryStore) -> str:
    rid = store.begin_run(
        model="gpt-image-2-edit",
        prompt="Swap the sofa for a green one",
        params={
            "num_images": 2,
            "output_format": "png",
            "api_key": "sk-live-XYZ",
            "input_image": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB",
        },
        inputs=[png("red"), png("blue")],
        input_names=["living room.png", "../../sofa ref.png"],
        mask=png("white", mode="L"),
        estimated_cost=0.44,
        batch_id="batch-7",
    )
    store.add_output(rid, 0, png("green"), "png", revised_prompt="a green sofa")
    store.add_output(rid, 1, png("olive"), "png")
    store.set_starred(rid, True)
    store.finish_run(rid, "partial", error="one image failed")
    return rid


def test_export_import_roundtrip(store: HistoryStore, run_id: str, tmp_path: Path) -> None:
    zip_path = export_run_zip(store, run_id, tmp_path / "out" / "run.zip")
    with zipfile.ZipFile(zip_path) as zf:
        names = set(zf.namelist())
        meta = json.loads(zf.read("run.json"))
        raw = zf.read("run.json").decode()
    assert names == {
        "run.json",
        "inputs/01-living_room.png",
        "inputs/02-sofa_ref.png",
        "mask.png",
        "outputs/output-1.png",
        "outputs/output-2.png",
    }
    assert meta["prompt"] == "Swap the sofa for a green one"
    assert meta["input_names"] == ["living room.png", "../../sofa ref.png"]
    assert meta["params"] == {"num_images": 2, "output_format": "png"}
    assert "sk-live" not in raw and "data:" not in raw and "base64" not in raw
    assert "generation_ids" not in meta

    other = HistoryStore(tmp_path / "other")
    new_id = import_run_zip(other, zip_path)
    src, dst = store.get(run_id), other.get(new_id)
    assert src and dst and new_id != run_id
    assert dst.status == "partial" and dst.error == "one image failed" and dst.starred
    assert (dst.prompt, dst.model, dst.params) == (src.prompt, src.model, src.params)
    assert dst.created_at == pytest.approx(src.created_at)
    assert dst.finished_at == pytest.approx(src.finished_at)
    assert dst.input_names == src.input_names and dst.batch_id == "batch-7"
    assert [digest(p) for p in dst.input_paths] == [digest(p) for p in src.input_paths]
    assert dst.mask_path and src.mask_path and digest(dst.mask_path) == digest(src.mask_path)
    assert [(o.index, o.revised_prompt, digest(o.path)) for o in dst.outputs] == [
        (o.index, o.revised_prompt, digest(o.path)) for o in src.outputs
    ]
    # Importing into the same store again dedups the blobs and makes another run.
    again = import_run_zip(store, zip_path)
    assert again != run_id and store.count() == 2
    assert store.get(again).input_paths == src.input_paths  # type: ignore[union-attr]
    other.close()


def _zip(path: Path, members: dict[str, bytes], meta: dict | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        if meta is not None:
            zf.writestr("run.json", json.dumps(meta))
        for name, data in members.items():
            zf.writestr(name, data)
    return path


BASE_META = {
    "format": "retouch-run",
    "format_version": 1,
    "prompt": "p",
    "model": "m",
    "status": "succeeded",
    "inputs": [{"name": "a", "file": "inputs/01-a.png"}],
    "outputs": [],
    "mask": None,
}


@pytest.mark.parametrize(
    "evil",
    [
        "../evil.png",
        "/etc/evil.png",
        "inputs/../../evil.png",
        "C:/evil.png",
        "inputs\\..\\evil.png",
        "outputs/sub/output-1.png",
        "run.json.exe",
        "inputs/a\x00.png",
    ],
)
def test_zip_slip_and_unexpected_members_refused(
    store: HistoryStore, tmp_path: Path, evil: str
) -> None:
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("run.json", json.dumps(BASE_META))
        zf.writestr("inputs/01-a.png", png("red"))
        info = zipfile.ZipInfo("placeholder")
        info.filename = evil  # bypass zipfile's own normalisation of the name
        zf.writestr(info, png("red"))
    with pytest.raises(ArchiveError):
        import_run_zip(store, path)
    assert store.count() == 0
    assert not (tmp_path / "evil.png").exists()
    assert not [p for p in store.root.rglob("*") if "evil" in p.name]


def test_bad_archives_refused(store: HistoryStore, tmp_path: Path) -> None:
    good = {"inputs/01-a.png": png("red")}
    cases = {
        "not-zip": None,
        "no-json": _zip(tmp_path / "a.zip", good),
        "wrong-format": _zip(tmp_path / "b.zip", good, {**BASE_META, "format": "other"}),
        "bad-image": _zip(
            tmp_path / "c.zip", {"inputs/01-a.png": b"\x89PNG not really"}, BASE_META
        ),
        "missing-file": _zip(tmp_path / "d.zip", {}, BASE_META),
        "bad-status": _zip(tmp_path / "e.zip", good, {**BASE_META, "status": "weird"}),
        "bad-type": _zip(tmp_path / "f.zip", good, {**BASE_META, "prompt": 5}),
        "newer": _zip(tmp_path / "g.zip", good, {**BASE_META, "format_version": 99}),
    }
    (tmp_path / "junk.zip").write_bytes(b"this is not a zip")
    cases["not-zip"] = tmp_path / "junk.zip"
    for name, path in cases.items():
        with pytest.raises(ArchiveError):
            import_run_zip(store, path)
        assert store.count() == 0, name
    assert not list((store.root / "runs").glob("*")) if (store.root / "runs").exists() else True


def test_size_caps(store: HistoryStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import retouch.core.history.archive as archive

    path = _zip(tmp_path / "big.zip", {"inputs/01-a.png": png("red", (200, 200))}, BASE_META)
    monkeypatch.setattr(archive, "MAX_MEMBER_BYTES", 100)
    with pytest.raises(ArchiveError, match="too large"):
        import_run_zip(store, path)
    monkeypatch.undo()
    monkeypatch.setattr(archive, "MAX_MEMBERS", 1)
    with pytest.raises(ArchiveError, match="too many"):
        import_run_zip(store, path)
    monkeypatch.undo()
    assert import_run_zip(store, path)  # and within the caps it imports


def test_running_run_imports_as_interrupted(store: HistoryStore, tmp_path: Path) -> None:
    path = _zip(
        tmp_path / "r.zip", {"inputs/01-a.png": png("red")}, {**BASE_META, "status": "running"}
    )
    rec = store.get(import_run_zip(store, path))
    assert rec and rec.status == "interrupted" and rec.generation_ids == []
    assert store.pending_queue_runs() == []
