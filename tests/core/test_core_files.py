"""Files the app writes: atomic (a reader or a kill never sees half a file), result names
that are never taken twice, and the temporary files an interrupted write leaves cleaned at
the next start — and never a user's file (issue 13 §2, §11, and the suite's own gaps).
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from retouch.core import atomic
from retouch.core.atomic import (
    atomic_create_bytes,
    atomic_write_bytes,
    atomic_write_json,
    clean_leftovers,
)
from retouch.core.editing import EditRunner, prepare_edit
from retouch.core.history import HistoryStore
from retouch.core.hub_client import HubClient
from retouch.core.presets import Preset, PresetStore
from retouch.core.request import EditRequest, InputRef
from retouch.core.results import run_tag, save_result_as
from retouch.core.schema import builtin_model
from retouch.core.settings import Settings
from tests.core.hostile_hub import png_bytes

POSIX = os.name == "posix"


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


# ---------------------------------------------------------------------------------------
# Atomic writes: mutation-proof (a plain open().write() in their place fails these)


OLD_PRESETS = '{"version": 1, "presets": [{"name": "old", "prompt": "' + "o" * 5000 + '"}]}'


@pytest.mark.parametrize(
    "name, write",
    [
        ("target.bin", lambda f: atomic_write_bytes(f / "target.bin", b"new" * 1000)),
        ("target.json", lambda f: atomic_write_json(f / "target.json", {"new": True})),
        ("settings.json", lambda f: Settings(f).set("prompt", "new")),
        ("presets.json", lambda f: PresetStore(f).save(Preset("new", "p"))),
    ],
    ids=["bytes", "json", "settings", "presets"],
)
@pytest.mark.skipif(not POSIX, reason="inode numbers and open-file semantics are POSIX")
def test_a_write_replaces_the_file_and_never_rewrites_it_in_place(
    tmp_path: Path, name: str, write: Any
) -> None:
    """A new file renamed over the old one: a reader that has the old file open still reads
    all of the old content, and the name points at a different inode afterwards. A plain
    ``open(path, "w").write()`` fails both."""
    path = tmp_path / name
    old = OLD_PRESETS.encode()
    path.write_bytes(old)
    inode = path.stat().st_ino
    with open(path, "rb") as reader:
        write(tmp_path)
        assert path.read_bytes() != old, "nothing was written"
        assert path.stat().st_ino != inode, "the file was rewritten in place"
        assert reader.read() == old, "a reader of the old file saw it change"
    assert _leftovers(tmp_path) == []


def test_a_failed_write_keeps_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up while the new content is flushed: the old file is still there,
    complete, and no temporary file is left behind."""
    path = tmp_path / "settings.json"
    path.write_bytes(b"old content")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space"):
        atomic_write_bytes(path, b"new content that will not fit")
    assert path.read_bytes() == b"old content"
    assert _leftovers(tmp_path) == []


KILLED_WRITER = r"""
import os, sys, time
from retouch.core import atomic
real_fsync = os.fsync
def stall(fd):
    print("writing", flush=True)
    time.sleep(60)  # killed here, between the data and the rename
os.fsync = stall
atomic.atomic_write_bytes(sys.argv[1], b"NEW" * 100_000)
"""


@pytest.mark.skipif(not POSIX, reason="SIGKILL")
def test_a_kill_mid_write_keeps_the_old_file_and_the_leftover_is_cleaned(tmp_path: Path) -> None:
    path = tmp_path / "presets.json"
    path.write_bytes(b"OLD")
    user_files = {
        ".notes.part": b"a user's own hidden file",
        "movie.part": b"a browser download",
        ".presets.json.ab12.part": b"not our pattern (4 characters)",
    }
    for name, data in user_files.items():
        (tmp_path / name).write_bytes(data)
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "writing\n"  # the data is in the temp file now
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert path.read_bytes() == b"OLD"
    (leftover,) = [n for n in _leftovers(tmp_path) if n not in user_files]
    assert atomic.is_temp_name(leftover)
    # Younger than this process (as if written by a live writer): kept.
    assert clean_leftovers(tmp_path) == 0
    # From before this process started: cleaned — and only it.
    old = atomic.PROCESS_STARTED - atomic.LEFTOVER_GRACE_S - 10
    os.utime(tmp_path / leftover, (old, old))
    for name in user_files:
        os.utime(tmp_path / name, (old, old))
    assert clean_leftovers(tmp_path) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*user_files, "presets.json"])
    assert {n: (tmp_path / n).read_bytes() for n in user_files} == user_files


def test_the_first_write_into_a_folder_cleans_old_leftovers_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every folder the app writes (output, data, history, cache) is cleaned of its own
    stale temporaries the first time this process writes there."""
    monkeypatch.setattr(atomic, "_swept", set())
    old = atomic.PROCESS_STARTED - atomic.LEFTOVER_GRACE_S - 10
    folders = {
        "out": lambda f: save_result_as(
            f, "photo-1", "png", png_bytes(), fmt="png", index=0, meta={}
        ),
        "data": lambda f: Settings(f).save(),
        "history": lambda f: HistoryStore(f).close(),
        "cache": lambda f: atomic_write_json(f / "uploads.json", {}),
    }
    for name, write in folders.items():
        folder = tmp_path / name
        folder.mkdir()
        stale = folder / ".photo-1.png.k3j_x9a2.part"
        stale.write_bytes(b"half")
        os.utime(stale, (old, old))
        write(folder)
        if name == "history":  # the store writes nothing on open; its recover() cleans
            with HistoryStore(folder) as store:
                store.recover()
        assert not stale.exists(), name


# ---------------------------------------------------------------------------------------
# Result names


def test_a_taken_name_is_never_overwritten_even_if_a_check_says_it_is_free(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The name is taken atomically, not checked and then written: here every existence
    check is made to lie (as it would when another process takes the name between the
    check and the write), and the other file must still survive."""
    theirs = tmp_path / "photo-1.png"
    theirs.write_bytes(b"another process's result")
    monkeypatch.setattr(Path, "exists", lambda self: False)
    monkeypatch.setattr(os.path, "exists", lambda path: False)
    monkeypatch.setattr(os.path, "lexists", lambda path: False)
    saved = save_result_as(tmp_path, "photo-1", "png", png_bytes(), fmt="png", index=0, meta={})
    assert saved.path.name == "photo-1_2.png"
    assert theirs.read_bytes() == b"another process's result"
    assert saved.path.read_bytes() == png_bytes()


def test_a_stray_sidecar_is_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "photo-1.png.json").write_text("keep me")
    saved = save_result_as(tmp_path, "photo-1", "png", png_bytes(), fmt="png", index=0, meta={})
    assert saved.path.name == "photo-1_2.png"
    assert (tmp_path / "photo-1.png.json").read_text() == "keep me"
    assert not (tmp_path / "photo-1.png").exists()  # the name was given back


def test_atomic_create_refuses_an_existing_name(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(b"x")
    with pytest.raises(FileExistsError):
        atomic_create_bytes(tmp_path / "a.png", b"y")
    assert (tmp_path / "a.png").read_bytes() == b"x"
    assert _leftovers(tmp_path) == []


def test_runs_recorded_in_history_get_different_names(fake_hub: Any, tmp_path: Path) -> None:
    """History run ids start with the date and time; their first six characters were the
    same for every run of the month, so parallel runs shared one name."""
    photo = tmp_path / "photo.png"
    Image.new("RGB", (64, 48), "red").save(photo)
    model = builtin_model()
    assert model is not None
    request = EditRequest("x", [InputRef(path=photo)], model, {"num_images": 1})
    names = []
    with HistoryStore(tmp_path / "history") as store:
        for _ in range(2):
            with HubClient(fake_hub.base_url, "test-key") as client:
                outcome = EditRunner(client, tmp_path / "out", recorder=store).run(
                    prepare_edit(request)
                )
            (result,) = outcome.results
            names.append(result.path.name)
            assert run_tag(outcome.run_id) in result.path.name
    tags = [name.split("-")[3] for name in names]  # photo-YYYYmmdd-HHMMSS-<tag>-1.png
    assert tags[0] != tags[1], names


def test_run_tags_come_from_the_random_part_of_the_id() -> None:
    from retouch.core.history.store import new_run_id

    now = time.time()
    ids = [new_run_id(now) for _ in range(200)]
    assert len({run_tag(i) for i in ids}) > 190  # 16 million values; all differ in practice
    assert run_tag("0123456789abcdef0123456789abcdef") == "abcdef"


def test_the_start_up_sweep_covers_every_folder_the_app_writes(
    isolated_env: Path, tmp_path: Path
) -> None:
    from retouch.core.paths import sweep_leftovers

    old = atomic.PROCESS_STARTED - atomic.LEFTOVER_GRACE_S - 10
    configured = tmp_path / "my outputs"
    folders = [
        isolated_env,
        isolated_env / "cache" / "models",
        isolated_env / "history" / "runs" / "20261125-101500-abcd1234",
        isolated_env / "outputs",
        configured,
    ]
    stale, fresh, theirs = [], [], []
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        stale.append(folder / ".x.png.a1b2c3d4.part")
        fresh.append(folder / ".y.png.e5f6g7h8.part")
        theirs.append(folder / "holiday.part")
        for path in (stale[-1], fresh[-1], theirs[-1]):
            path.write_bytes(b"?")
        for path in (stale[-1], theirs[-1]):
            os.utime(path, (old, old))
    assert sweep_leftovers([configured]) == len(folders)
    assert not any(p.exists() for p in stale)
    assert all(p.exists() for p in fresh + theirs)
