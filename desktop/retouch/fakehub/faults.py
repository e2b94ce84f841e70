"""Scripted misbehaviour for the fake hub: slow replies, error statuses, broken bodies."""

from __future__ import annotations

import threading
from dataclasses import dataclass

# Faults that replace (or precede) the handling of an API call.
REQUEST_FAULT_KINDS = frozenset(
    {
        "delay",
        "status",
        "malformed_json",
        "truncated_json",
        "empty_images",
        "fewer_images",
        "drop",
        "drop_mid_reply",
    }
)
# Faults that replace the download of a result (or repo) file.
DOWNLOAD_FAULT_KINDS = frozenset(
    {"download_404", "download_truncated", "download_not_image", "download_huge"}
)
FAULT_KINDS = REQUEST_FAULT_KINDS | DOWNLOAD_FAULT_KINDS
SHAPES = frozenset({"typed", "message", "html", "text"})

DEFAULT_EDIT_PATH = "/ai/images/edit"
DEFAULT_DOWNLOAD_PATH = "/results/"


@dataclass
class Fault:
    """One scripted fault.

    A fault matches a request when the request path (without the ``/api`` prefix) starts
    with ``path`` and, if ``method`` is given, the method is the same. Each match uses up
    one of ``times``; at 0 the fault is removed. ``path`` defaults to ``/ai/images/edit``,
    or to ``/results/`` for the ``download_*`` kinds.
    """

    kind: str
    path: str | None = None
    method: str | None = None
    times: int = 1
    status: int | None = None
    shape: str = "typed"
    message: str | None = None
    retry_after: float | int | str | None = None
    seconds: float = 0.0
    size: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {sorted(FAULT_KINDS)}")
        if self.shape not in SHAPES:
            raise ValueError(f"unknown error shape {self.shape!r}; one of {sorted(SHAPES)}")
        if self.path is None:
            self.path = (
                DEFAULT_DOWNLOAD_PATH if self.kind in DOWNLOAD_FAULT_KINDS else DEFAULT_EDIT_PATH
            )
        if self.method is not None:
            self.method = self.method.upper()
        if self.kind == "status" and self.status is None:
            self.status = 500
        if self.kind == "download_huge" and self.size is None:
            self.size = 64 * 1024 * 1024
        if self.times < 1:
            raise ValueError("times must be at least 1")

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method != method.upper():
            return False
        return path.startswith(self.path or "")


class FaultQueue:
    """Thread-safe ordered list of faults; :meth:`take` consumes the first match."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def pending(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def take(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for i, fault in enumerate(self._faults):
                if fault.matches(method, path):
                    fault.times -= 1
                    if fault.times <= 0:
                        del self._faults[i]
                    return fault
        return None
