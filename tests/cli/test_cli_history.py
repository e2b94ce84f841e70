"""`retouch edit` records its runs in the same history the window shows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

from retouch.core.history import HistoryStore


def test_cli_run_is_in_history(hub_env, isolated_env: Path, tmp_path: Path) -> None:
    photo = tmp_path / "photo.png"
    Image.new("RGB", (64, 48), (10, 20, 30)).save(photo)
    env = dict(os.environ, RETOUCH_DATA_DIR=str(isolated_env))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "retouch",
            "edit",
            str(photo),
            "--prompt",
            "from the cli",
            "--num-images",
            "2",
            "--out",
            str(tmp_path / "out"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    printed = [Path(line) for line in proc.stdout.splitlines()]
    with HistoryStore(isolated_env / "history") as store:
        runs = store.runs()
        assert [r.prompt for r in runs] == ["from the cli"]
        assert runs[0].status == "succeeded" and len(runs[0].outputs) == 2
        assert runs[0].input_names == ["photo.png"]
        assert [o.path.read_bytes() for o in runs[0].outputs] == [p.read_bytes() for p in printed]
