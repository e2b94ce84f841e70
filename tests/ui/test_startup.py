"""What the window's start does not do before its first paint (no timing: the imports).

The real ``retouch`` in a subprocess, with the first-paint hook the start-up benchmark uses,
under ``-X importtime``: everything imported before the ``first-paint`` line was needed for
the first window. Reading the key (keyring), the history (sqlite3), images (Pillow), the
network (httpx) and the pages not shown first must all wait.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

NOT_BEFORE_FIRST_PAINT = [
    "keyring",
    "sqlite3",
    "PIL",
    "httpx",
    "retouch.core.history.store",
    "retouch.ui.results_view",
    "retouch.ui.result_gallery",
    "retouch.ui.result_pictures",
    "retouch.ui.result_preview",
    "retouch.ui.history",
    "retouch.ui.dialogs",
    "retouch.ui.batch_panel",
    "retouch.core.editing",
]


@pytest.mark.slow
def test_the_first_paint_waits_for_nothing_it_does_not_show(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.json").write_text(json.dumps({"version": 1, "first_run_done": True}))
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        RETOUCH_DATA_DIR=str(data),
        RETOUCH_EXIT_AFTER_FIRST_PAINT="1",
        RETOUCH_API_BASE="http://127.0.0.1:9/api",  # refused at once, never the network
    )
    env.pop("OXEN_API_KEY", None)  # the key would come from the keyring
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "retouch"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
        check=False,
    )
    lines = proc.stdout.splitlines()
    painted = [i for i, line in enumerate(lines) if line.startswith("first-paint ")]
    assert painted, proc.stdout[-2000:]
    before = {
        line.rsplit("|", 1)[-1].strip()
        for line in lines[: painted[0]]
        if line.startswith("import time:")
    }
    assert "retouch.ui.main_window" in before  # the window was built by then
    early = [
        m for m in NOT_BEFORE_FIRST_PAINT if any(n == m or n.startswith(m + ".") for n in before)
    ]
    assert early == []
