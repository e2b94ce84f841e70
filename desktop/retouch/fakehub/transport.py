"""HTTP plumbing of the fake hub: the threaded server, and the request handler's reading,
recording, dispatching, sending and dropping. The routes and faults live in mixins
(``routes_*.py``, ``fault_replies.py``) put together in ``server.py``."""

from __future__ import annotations

import contextlib
import json
import select
import socket
import socketserver
import struct
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from .errors import ApiError, Stopped, error_type_for
from .records import RecordedRequest

if TYPE_CHECKING:
    from .faults import Fault
    from .hub import FakeHub

API_PREFIX = "/api"
MAX_BODY = 256 * 1024 * 1024


@dataclass
class Tweaks:
    """What a fault that does not replace the reply changes about it."""

    fewer_images: bool = False  # one result, whatever was asked
    extra_images: int | None = None  # this many results, whatever was asked
    echo_key: bool = False  # the caller's key in the text the reply carries
    drip_seconds: float | None = None  # the body one byte per this many seconds


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = sys.platform != "win32"

    def __init__(self, addr, handler, hub: FakeHub):
        self.hub = hub
        self._conns: set[socket.socket] = set()
        self._conns_lock = threading.Lock()
        super().__init__(addr, handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind does a reverse DNS lookup (getfqdn) that can take seconds.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = port

    def process_request(self, request, client_address):
        with self._conns_lock:
            self._conns.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._conns_lock:
            self._conns.discard(request)
        super().shutdown_request(request)

    def close_all_connections(self) -> None:
        with self._conns_lock:
            conns = list(self._conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request, client_address):  # keep quiet
        pass


class HandlerBase(BaseHTTPRequestHandler):
    """Reads and records each request, applies a matching fault, routes, and replies.

    Subclasses provide ``_apply_fault(fault) -> bool`` and ``_route(method, path)``.
    """

    protocol_version = "HTTP/1.1"
    server_version = "FakeOxenHub/1.0"
    timeout = 120  # idle keep-alive connections go away eventually
    server: Server
    _rec: RecordedRequest
    _rec_dropped: bool
    _counted: bool
    _tweaks: Tweaks

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    # ---- hooks for the mixins ------------------------------------------------------
    def _apply_fault(self, fault: Fault) -> bool:  # pragma: no cover - overridden
        raise NotImplementedError

    def _route(self, method: str, path: str) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    # ---- plumbing --------------------------------------------------------------
    @property
    def hub(self) -> FakeHub:
        return self.server.hub

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            out = bytearray()
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(out)
                if len(out) + size > MAX_BODY:
                    self.close_connection = True
                    raise ApiError(413, "Request body too large")
                out += self.rfile.read(size)
                self.rfile.readline(65537)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.close_connection = True
            raise ApiError(413, "Request body too large")
        return self.rfile.read(length) if length > 0 else b""

    def _body_object(self) -> dict[str, Any]:
        body = self._rec.json
        if not isinstance(body, dict):
            if self._rec.body and body is None:
                raise ApiError(400, "Request body is not valid JSON")
            raise ApiError(400, "Request body must be a JSON object")
        return body

    def _done(self) -> None:
        """The request no longer counts as in flight (called before the reply goes out,
        so a client that has its answer never sees itself counted)."""
        if self._counted:
            self._counted = False
            self.hub._leave_edit()

    def _bearer_key(self) -> str:
        """The key the caller sent (empty if none)."""
        scheme, _, key = (self.headers.get("Authorization") or "").strip().partition(" ")
        return key.strip() if scheme.lower() == "bearer" else ""

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        self._done()
        self._rec.status = status
        drip = self._tweaks.drip_seconds
        if drip is not None:
            self.close_connection = True
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if drip is None:
            self.wfile.write(body)
            self.wfile.flush()
            return
        self.wfile.flush()
        for i in range(len(body)):
            self.wfile.write(body[i : i + 1])
            self.wfile.flush()
            if i + 1 < len(body):
                self._wait_unless_gone(drip)

    def _wait_unless_gone(self, seconds: float) -> None:
        """Wait *seconds*, but give up at once when the client closes its end (raising
        ConnectionAbortedError) or the hub stops (Stopped; stopping also shuts the socket)."""
        deadline = time.monotonic() + seconds
        while True:
            if self.hub._stop.is_set():
                raise Stopped
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            try:
                readable, _, _ = select.select([self.connection], [], [], min(remaining, 0.25))
                gone = bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""
            except (OSError, ValueError):
                gone = True
            if gone:
                raise ConnectionAbortedError("the client went away during a drip")

    def _json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(obj).encode(), "application/json", headers)

    def _error(self, err: ApiError) -> None:
        self._rec.error = err.detail
        if err.type is None:
            payload: dict[str, Any] = {"error": {"message": err.detail}}
        else:
            payload = {
                "error": {
                    "type": err.type,
                    "title": error_type_for(err.status)[1],
                    "detail": err.detail,
                },
                "status": "error",
                "status_message": err.type,
            }
        self._json(err.status, payload, err.headers)

    def _drop(self, linger_reset: bool = False) -> None:
        """Close the connection without (any more of) a reply."""
        self._done()
        self.close_connection = True
        self._rec_dropped = True
        with contextlib.suppress(OSError):
            self.wfile.flush()
        if linger_reset:
            with contextlib.suppress(OSError):
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _auth_error(self) -> ApiError | None:
        auth = self.headers.get("Authorization") or ""
        scheme, _, key = auth.strip().partition(" ")
        key = key.strip()
        if scheme.lower() != "bearer" or not key:
            return ApiError(
                401,
                "No API key: send Authorization: Bearer <key>",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if self.hub.api_key is not None and key != self.hub.api_key:
            return ApiError(401, "Invalid API key", headers={"WWW-Authenticate": "Bearer"})
        return None

    def _require_auth(self) -> None:
        err = self._auth_error()
        if err is not None:
            raise err

    # ---- dispatch --------------------------------------------------------------
    def _dispatch(self, method: str) -> None:
        hub = self.hub
        split = urlsplit(self.path)
        raw_path = split.path
        path = unquote(raw_path)
        if path == API_PREFIX or path.startswith(API_PREFIX + "/"):
            api_path: str | None = path[len(API_PREFIX) :] or "/"
        else:
            api_path = None
        self._rec = RecordedRequest(
            method=method,
            path=api_path if api_path is not None else path,
            raw_path=raw_path,
            query=dict(parse_qsl(split.query, keep_blank_values=True)),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=b"",
            time=time.time(),
            client_address=(str(self.client_address[0]), int(self.client_address[1])),
        )
        self._rec_dropped = False
        self._tweaks = Tweaks()
        hub._record(self._rec)
        self._counted = method == "POST" and api_path == "/ai/images/edit"
        if self._counted:
            hub._enter_edit()
        try:
            try:
                self._rec.body = self._read_body()
                if self._rec.body:
                    with contextlib.suppress(ValueError, UnicodeDecodeError):
                        self._rec.json = json.loads(self._rec.body)
                fault = hub._faults.take(method, self._rec.path)
                if fault is not None:
                    self._rec.fault = fault.kind
                    if self._apply_fault(fault):
                        return
                if api_path is None:
                    raise ApiError(404, f"No such route: {method} {path}")
                self._route(method, api_path)
            except ApiError as err:
                self._error(err)
            except Stopped:
                self._drop()
            except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
                self.close_connection = True
            except Exception as exc:  # noqa: BLE001 - never hang, never leak a traceback
                self.close_connection = True
                if self._rec.status is None and not self._rec_dropped:
                    with contextlib.suppress(OSError):
                        self._error(ApiError(500, f"Internal error: {type(exc).__name__}: {exc}"))
        finally:
            self._done()
            self._rec.finished_at = time.time()
