"""How the window writes things people read: paths."""

from __future__ import annotations

import os
from pathlib import Path


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as people read it: the home folder as ~."""
    text = str(path)
    home = str(Path.home())
    if home and home != os.sep and (text == home or text.startswith(home + os.sep)):
        return "~" + text[len(home) :]
    return text
