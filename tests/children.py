"""Child processes for tests that send them signals.

A suite started from a background job (``pytest &``, CI runners, ``nohup``) runs with SIGINT
ignored, and a child inherits that disposition across exec: Python then never installs its
Ctrl+C handler and a test that sends SIGINT waits for nothing. Children started through here
get the default disposition back first, so they behave as they do from a terminal.
"""

from __future__ import annotations

import os
import signal
import subprocess
from typing import Any


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def popen(args: list[str], **kw: Any) -> subprocess.Popen[Any]:
    """``subprocess.Popen`` whose child starts with SIGINT at its default (POSIX)."""
    if os.name == "posix":
        kw.setdefault("preexec_fn", _default_sigint)
    return subprocess.Popen(args, **kw)
