"""Scripted misbehaviour for the fake hub: slow replies, error statuses, broken bodies, and
hostile replies (huge, too many, dripping, key-echoing, deeply nested).

Kinds (``Fault(kind, ...)``; the fields each one reads in brackets):

- ``delay`` [seconds]: wait, then answer normally.
- ``status`` [status, shape, message, retry_after]: an error reply.
- ``malformed_json``, ``truncated_json``, ``empty_images``, ``fewer_images``: broken or
  short result replies (on ``/ai/queue``: ``empty_images`` lists no generations and
  ``fewer_images`` makes one).
- ``drop``, ``drop_mid_reply``: the connection closes before or during the reply.
- ``huge_b64`` [size]: a 200 result reply whose one ``b64_json`` is ``size`` bytes of valid
  base64 (default 64 MiB), streamed in chunks without a Content-Length.
- ``many_images`` [count]: the request is served normally but the reply lists ``count``
  results (default 1000) whatever was asked: URL results are aliases of the ones rendered
  (cheap), ``b64_json`` ones repeat them. On ``POST /ai/queue``: ``count`` generations.
- ``drip`` [seconds]: the normal reply, its body sent one byte every ``seconds`` (default 1);
  it stops when the client goes away or the hub stops.
- ``echo_key`` [status, shape, message]: the caller's Bearer key comes back in the text the
  hub returns: with ``status``, in the error's ``detail``/``message``; on ``POST /ai/queue``,
  in every generation's ``error_message`` (they fail); on ``GET /ai/queue/{id}``, that
  generation fails with it; otherwise (edits, generations) in each ``revised_prompt``.
- ``deep_json`` [depth]: a 200 reply whose main list (``images``, ``data`` on
  ``/ai/models``, ``generations`` on ``/ai/queue``) is nested ``depth`` arrays deep
  (default 5000).
- ``download_404``, ``download_truncated``, ``download_not_image``, ``download_huge``
  [size], ``download_drip`` [seconds]: what a result (or repository file) download gets.
"""

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
        "huge_b64",
        "many_images",
        "drip",
        "echo_key",
        "deep_json",
    }
)
# Faults that replace the download of a result (or repo) file.
DOWNLOAD_FAULT_KINDS = frozenset(
    {"download_404", "download_truncated", "download_not_image", "download_huge", "download_drip"}
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
    seconds: float | None = None
    size: int | None = None
    count: int | None = None
    depth: int | None = None

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
        if self.seconds is None:
            self.seconds = 1.0 if self.kind in ("drip", "download_drip") else 0.0
        if self.kind in ("drip", "download_drip") and self.seconds <= 0:
            raise ValueError("a drip needs seconds > 0")
        if self.kind in ("download_huge", "huge_b64") and self.size is None:
            self.size = 64 * 1024 * 1024
        if self.kind == "many_images" and self.count is None:
            self.count = 1000
        if self.kind == "deep_json" and self.depth is None:
            self.depth = 5000
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
