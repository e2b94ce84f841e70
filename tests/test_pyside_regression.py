"""Guards for the dependency pins.

PySide6 6.12.0 aborts CPython 3.11 with ``none_dealloc`` after a few thousand calls of a
method returning None (the refcount of None is decremented once too often), hence the
``PySide6-Essentials<6.12`` pin. ``keyrings.alt`` would give the app a plain-text "keyring";
it must not be installed.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
from importlib import metadata

import pytest

CALLS = 100_000


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def test_many_none_returning_calls_do_not_crash() -> None:
    script = textwrap.dedent(
        f"""
        import sys
        from PySide6.QtCore import QObject, QPoint

        point = QPoint()
        obj = QObject()
        for i in range({CALLS}):
            point.setX(i)           # returns None
            obj.setObjectName("n")  # returns None
        assert point.x() == {CALLS - 1}
        print("ok", sys.getrefcount(None) > 0)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert "none_dealloc" not in proc.stderr
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "ok True"


def test_pyside6_is_below_6_12() -> None:
    import PySide6

    assert _version_tuple(PySide6.__version__) < (6, 12), PySide6.__version__
    assert _version_tuple(metadata.version("PySide6-Essentials")) < (6, 12)


def test_keyrings_alt_is_not_installed() -> None:
    try:
        spec = importlib.util.find_spec("keyrings.alt")
    except ModuleNotFoundError:  # not even the "keyrings" namespace exists
        spec = None
    assert spec is None
    with pytest.raises(metadata.PackageNotFoundError):
        metadata.version("keyrings.alt")
