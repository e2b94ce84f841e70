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
    "retouch.core.secrets",
]


def start_until_first_paint(tmp_path: Path, args: list[str], **env_extra: str) -> str:
    """Run ``python *args`` as the app starts for a user past the welcome dialog, with the
    first-paint hook on; its stdout and stderr as one text, in order."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.json").write_text(json.dumps({"version": 1, "first_run_done": True}))
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        RETOUCH_DATA_DIR=str(data),
        RETOUCH_EXIT_AFTER_FIRST_PAINT="1",
        RETOUCH_API_BASE="http://127.0.0.1:9/api",  # refused at once, never the network
        **env_extra,
    )
    if "OXEN_API_KEY" not in env_extra:
        env.pop("OXEN_API_KEY", None)  # the key would come from the keyring
    proc = subprocess.run(
        [sys.executable, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
        check=False,
    )
    return proc.stdout


@pytest.mark.slow
def test_the_first_paint_waits_for_nothing_it_does_not_show(tmp_path: Path) -> None:
    out = start_until_first_paint(tmp_path, ["-X", "importtime", "-m", "retouch"])
    lines = out.splitlines()
    painted = [i for i, line in enumerate(lines) if line.startswith("first-paint ")]
    assert painted, out[-2000:]
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


# A probe beside the hook: an application-wide filter that notes when each widget of the
# main window is painted. The hook itself watches the window alone (cheap); this checks that
# it still reports only once the whole first paint pass is over, not after the window's own
# paint event that opens it.
_PAINT_PROBE = r"""
import json, sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QMainWindow
from retouch.ui import app as app_module

painted = {}

class Probe(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj.isWidgetType():
            if isinstance(obj.window(), QMainWindow):
                painted.setdefault(obj.objectName() or type(obj).__name__, time.time())
        return False

create = app_module.create_app

def create_with_probe(*args, **kwargs):
    app = create(*args, **kwargs)
    app._probe = Probe(app)
    app.installEventFilter(app._probe)
    return app

app_module.create_app = create_with_probe
app_module.run_app([])
print("painted " + json.dumps(painted), flush=True)
"""


@pytest.mark.slow
def test_the_first_paint_is_reported_after_the_whole_window_has_painted(tmp_path: Path) -> None:
    out = start_until_first_paint(tmp_path, ["-c", _PAINT_PROBE], OXEN_API_KEY="start-up-test")
    reported = [
        float(line.split()[1]) for line in out.splitlines() if line.startswith("first-paint ")
    ]
    painted_lines = [line for line in out.splitlines() if line.startswith("painted ")]
    assert reported and painted_lines, out[-2000:]
    painted: dict[str, float] = json.loads(painted_lines[0].removeprefix("painted "))
    # The window opens the pass; its parts deep inside every column are painted in it.
    for name in ("mainWindow", "inputTray", "maskCanvas", "sidebar", "promptEdit", "runButton"):
        assert name in painted, sorted(painted)
        assert painted[name] <= reported[0], name
    assert len(painted) > 40
