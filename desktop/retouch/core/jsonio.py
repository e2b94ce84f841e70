"""The one JSON reader for every file the app reads and every reply the hub sends.

``json.loads`` alone is not safe on text someone else wrote: a few thousand nested brackets
raise ``RecursionError`` (not ``ValueError``), which escapes every ``except ValueError`` and
stops the app; a huge file is read whole; and the top-level type is whatever the file says.
Here every read has a size cap, a depth cap (checked before parsing, so no parser or later
walk over the document ever recurses deeply), a type check of the top level, and one error
type, :class:`JsonError`, whose ``message`` can be shown to the person who chose the file.
"""

from __future__ import annotations

import json
import logging
import os
import re
from itertools import accumulate
from pathlib import Path
from typing import Any, TypeVar

log = logging.getLogger(__name__)

#: Settings, presets, sessions, cached schemas: a few KB normally.
MAX_FILE_BYTES = 16 * 1024 * 1024
#: No file or reply the app understands nests deeper than a handful of levels.
MAX_DEPTH = 64

T = TypeVar("T")

# A JSON string, escapes included, matched in one pass by the regex engine (unrolled loop).
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
# Opening brackets become 1, closing ones 255 (-1 as a signed byte), everything else 0.
_BRACKETS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


class JsonError(ValueError):
    """A JSON text that cannot be used; ``message`` says why, in words for a person."""

    def __init__(self, message: str, *, reason: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        #: "too_large", "too_deep", "invalid", "wrong_type" or "unreadable".
        self.reason = reason


def nesting_depth(data: bytes) -> int:
    """How deeply *data* nests arrays and objects (brackets inside strings do not count)."""
    brackets = _STRING.sub(b"", data).translate(_BRACKETS, _NOT_BRACKETS)
    if not brackets:
        return 0
    return max(0, max(accumulate(memoryview(brackets).cast("b"))))


def _type_name(expect: type | tuple[type, ...]) -> str:
    names = {dict: "an object", list: "a list", str: "a text", int: "a number", float: "a number"}
    types = expect if isinstance(expect, tuple) else (expect,)
    return " or ".join(dict.fromkeys(names.get(t, t.__name__) for t in types))


def loads(
    data: bytes | bytearray | str,
    *,
    what: str = "The JSON text",
    expect: type | tuple[type, ...] | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    max_depth: int = MAX_DEPTH,
) -> Any:
    """Parse *data*; JsonError (with a message naming *what*) unless it is safe and of type
    *expect*. Never raises anything else for any input."""
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if len(raw) > max_bytes:
        raise JsonError(
            f"{what} is too large ({len(raw) / 1e6:.1f} MB; at most "
            f"{max_bytes / 1e6:.1f} MB is read).",
            reason="too_large",
        )
    depth = nesting_depth(raw)
    if depth > max_depth:
        raise JsonError(
            f"{what} is nested too deeply ({depth} levels; at most {max_depth}), so it was "
            "not read.",
            reason="too_deep",
        )
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError, RecursionError, MemoryError) as exc:
        # ValueError includes int conversions over Python's digit limit.
        detail = f" ({exc.msg}, line {exc.lineno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise JsonError(f"{what} is not valid JSON{detail}.", reason="invalid") from None
    if expect is not None and not isinstance(doc, expect):
        raise JsonError(f"{what} does not contain {_type_name(expect)}.", reason="wrong_type")
    return doc


def read_file(
    path: str | os.PathLike[str],
    *,
    what: str | None = None,
    expect: type | tuple[type, ...] | None = dict,
    max_bytes: int = MAX_FILE_BYTES,
    max_depth: int = MAX_DEPTH,
) -> Any:
    """Read and parse a JSON file. FileNotFoundError passes through (callers usually treat a
    missing file as "nothing saved yet"); every other problem is a JsonError."""
    p = Path(path)
    what = what or f"'{p.name}'"
    try:
        with open(p, "rb") as fh:
            raw = fh.read(max_bytes + 1)  # never more than the cap, whatever the file's size
    except FileNotFoundError:
        raise
    except IsADirectoryError:
        raise JsonError(f"{what} is a folder, not a file.", reason="unreadable") from None
    except OSError as exc:
        raise JsonError(
            f"{what} cannot be read: {exc.strerror or exc}.", reason="unreadable"
        ) from None
    if len(raw) > max_bytes:
        raise JsonError(
            f"{what} is too large (over {max_bytes / 1e6:.1f} MB), so it was not read.",
            reason="too_large",
        )
    return loads(raw, what=what, expect=expect, max_bytes=max_bytes, max_depth=max_depth)


def read_file_or(
    path: str | os.PathLike[str],
    default: T,
    *,
    expect: type | tuple[type, ...] | None = dict,
    max_bytes: int = MAX_FILE_BYTES,
    max_depth: int = MAX_DEPTH,
) -> Any:
    """The parsed file, or *default* when it is missing or unusable (logged, never raised):
    for files the app keeps for itself, where a bad one must never stop it from starting."""
    try:
        return read_file(path, expect=expect, max_bytes=max_bytes, max_depth=max_depth)
    except FileNotFoundError:
        return default
    except JsonError as exc:
        log.warning("%s; using defaults", exc.message)
        return default
