"""retouch.core.history loads its parts on first use: the session alone stays light."""

from __future__ import annotations

import subprocess
import sys

import retouch.core.history as history


def test_every_exported_name_resolves():
    for name in history.__all__:
        assert getattr(history, name) is not None, name
    assert set(history.__all__) == set(history._MODULE_OF)


def test_reading_the_session_does_not_load_the_store():
    code = (
        "import sys; from retouch.core.history import read_session; "
        "print('sqlite3' in sys.modules, 'zipfile' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "False"]
