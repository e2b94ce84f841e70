"""``retouch --self-test`` from source, as `.ci/run` runs it in the frozen app.

Paste-back (issue 12) sends a crop or the whole photo at the model's size; the self-test
still expected the mask at the photo's size and failed — only the frozen build's smoke test
ran it, at the end of `.ci/run`. It runs here with every suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.cli.test_cli_edit import cli_env


def test_the_self_test_passes_from_source(tmp_path: Path) -> None:
    env = cli_env(tmp_path / "data", key=None, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-m", "retouch", "--self-test"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "self-test passed" in proc.stdout and "640×480 saved, mask verified" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
