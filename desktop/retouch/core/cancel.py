"""Cooperative cancellation shared by the worker thread and whoever presses Cancel."""

from __future__ import annotations

import threading
from collections.abc import Callable

from retouch.core.errors import CancelledError


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], None]] = []
        self._keep_remote = False

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    @property
    def keep_remote(self) -> bool:
        """Stopped with ``keep_remote``: work already queued on the hub is left there (not
        deleted) to be collected later — the user quit and chose "Keep it running"."""
        return self._keep_remote

    def cancel(self, *, keep_remote: bool = False) -> None:
        with self._lock:
            if self._event.is_set():
                return
            self._keep_remote = keep_remote
            self._event.set()
            callbacks = list(self._callbacks)
        # Callbacks interrupt blocking I/O (they shut sockets down), so they run outside the lock.
        for callback in callbacks:
            callback()

    def on_cancel(self, callback: Callable[[], None]) -> None:
        with self._lock:
            if not self._event.is_set():
                self._callbacks.append(callback)
                return
        callback()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise CancelledError()

    def wait(self, seconds: float) -> bool:
        """Sleep up to *seconds*; True if cancelled meanwhile."""
        return self._event.wait(seconds)
