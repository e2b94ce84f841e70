"""An httpx transport whose in-flight sockets can be shut down from another thread.

httpx has no way to interrupt a blocking request; shutting the socket down makes the
blocked read return at once, which is what makes Cancel real rather than cosmetic.
"""

from __future__ import annotations

import socket
import threading
import typing

import httpcore
import httpx


class _TrackingBackend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.aborted = False

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        if self.aborted:
            raise httpcore.ConnectError("aborted")
        stream = self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        sock = stream.get_extra_info("socket")
        if isinstance(sock, socket.socket):
            with self._lock:
                self._sockets = [s for s in self._sockets if s.fileno() != -1]
                self._sockets.append(sock)
        return stream

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)

    def abort(self) -> None:
        self.aborted = True
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class AbortableTransport(httpx.HTTPTransport):
    def __init__(self, **kwargs: typing.Any) -> None:
        super().__init__(**kwargs)
        self._backend = _TrackingBackend()
        pool = getattr(self, "_pool", None)
        # httpx builds its pool privately; if a future version renames it, cancel degrades to
        # "stop waiting" (the worker still returns at once) rather than failing.
        if pool is not None and hasattr(pool, "_network_backend"):
            pool._network_backend = self._backend
            self.can_abort = True
        else:
            self.can_abort = False

    def abort(self) -> None:
        self._backend.abort()

    def reset_abort(self) -> None:
        self._backend.aborted = False
