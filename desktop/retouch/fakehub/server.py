"""The fake Oxen hub: a loopback HTTP server speaking the contract in shared/API.md.

Standard library + Pillow only (it also runs inside the frozen app for ``--self-test`` and
in-process for ``--demo``).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import secrets
import socket
import socketserver
import struct
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from . import images as img
from .faults import Fault, FaultQueue
from .models import (
    DEFAULT_MODEL,
    MODELS,
    RESPONSE_FORMATS,
    apply_defaults,
    find_model,
    is_edit_model,
    validate_params,
)
from .multipart import MultipartError, parse_multipart

API_PREFIX = "/api"
MAX_BODY = 256 * 1024 * 1024
_CHUNK = 64 * 1024

_TYPED = {
    400: ("invalid_params", "Invalid parameters"),
    401: ("unauthenticated", "Unauthenticated"),
    402: ("insufficient_credits", "Insufficient credits"),
    403: ("forbidden", "Forbidden"),
    404: ("resource_not_found", "Resource not found"),
    405: ("method_not_allowed", "Method not allowed"),
    409: ("resource_already_exists", "Resource already exists"),
    413: ("payload_too_large", "Payload too large"),
    422: ("invalid_params", "Invalid parameters"),
    429: ("rate_limited", "Too many requests"),
}
_DEFAULT_MESSAGES = {
    402: "Insufficient credits",
    429: "Rate limit exceeded. Please retry later.",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service temporarily unavailable",
    504: "Gateway timeout",
}


def error_type_for(status: int) -> tuple[str, str]:
    """(type, title) used in the typed error shape for an HTTP status."""
    if status in _TYPED:
        return _TYPED[status]
    if status >= 500:
        return "unknown_error", "Unknown error"
    return "invalid_params", "Request failed"


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --------------------------------------------------------------------------------------
# Records


@dataclass
class UploadedFile:
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class RecordedRequest:
    """One request as the hub received it, plus what the hub made of it.

    ``path`` is the URL path without the ``/api`` prefix and without the query (the form
    faults match on, e.g. ``/ai/images/edit``); ``raw_path`` is the path as sent.
    """

    method: str
    path: str
    raw_path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    json: Any = None
    time: float = 0.0
    client_address: tuple[str, int] | None = None
    # What happened
    status: int | None = None  # status sent; None if the connection was dropped
    fault: str | None = None  # kind of the fault applied, if any
    error: str | None = None  # detail/message of the error reply, if any
    # Edit / queue requests
    model: str | None = None
    input_sizes: list[tuple[int, int]] = field(default_factory=list)
    input_modes: list[str] = field(default_factory=list)
    input_formats: list[str | None] = field(default_factory=list)
    input_sources: list[str] = field(default_factory=list)  # "data", "repo", "result"
    mask_size: tuple[int, int] | None = None
    mask_mode: str | None = None
    mask_format: str | None = None
    mask_white_fraction: float | None = None
    output_size: tuple[int, int] | None = None
    output_format: str | None = None
    num_outputs: int | None = None
    result_urls: list[str] = field(default_factory=list)
    # Uploads
    form: dict[str, str] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)

    @property
    def authorization(self) -> str | None:
        return self.headers.get("authorization")


@dataclass
class _Repo:
    namespace: str
    name: str
    is_public: bool
    auto_created: bool
    created_at: str
    files: dict[tuple[str, str], UploadedFile] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "namespace": self.namespace,
            "name": self.name,
            "is_public": self.is_public,
            "created_at": self.created_at,
        }


@dataclass
class _EditJob:
    model: str
    prompt: str
    base: Any  # PIL image
    mask: Any  # PIL L image or None
    size: tuple[int, int]
    num_images: int
    output_format: str
    response_format: str
    style: str = "photo"
    strength: float = 0.45


@dataclass
class _Generation:
    generation_id: str
    model: str
    status: str
    created_at: str
    updated_at: str
    index: int
    job: _EditJob | None
    error: str | None
    result_url: str | None = None
    polls: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def to_json(self) -> dict[str, Any]:
        return {
            "generation_id": self.generation_id,
            "status": self.status,
            "result_url": self.result_url,
            "error_message": self.error if self.status == "failed" else None,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "model": self.model,
        }


class ApiError(Exception):
    """An error reply: typed (``type`` set) or message shape (``type`` None)."""

    def __init__(self, status: int, detail: str, *, type: str | None = "auto", headers=None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.type = error_type_for(status)[0] if type == "auto" else type
        self.headers = headers or {}


class _Stopped(Exception):
    """The hub is shutting down: abandon the request without a reply."""


# --------------------------------------------------------------------------------------
# Server


class _Server(ThreadingHTTPServer):
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


class FakeHub:
    """A local stand-in for the Oxen hub.

    ``FakeHub(port=0)`` picks a free port; ``api_key=None`` accepts any non-empty Bearer
    key; ``delay`` sleeps that long in every image edit; a queued generation succeeds on
    the ``queue_steps``-th poll.
    """

    def __init__(
        self,
        port: int = 0,
        api_key: str | None = None,
        delay: float = 0.0,
        queue_steps: int = 2,
        *,
        host: str = "127.0.0.1",
    ) -> None:
        self.host = host
        self._requested_port = port
        self.api_key = api_key
        self.delay = delay
        self.queue_steps = queue_steps
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._faults = FaultQueue()
        self._requests: list[RecordedRequest] = []
        self._results: dict[str, tuple[bytes, str]] = {}
        self._repos: dict[tuple[str, str], _Repo] = {}
        self._generations: dict[str, _Generation] = {}
        self._in_flight = 0
        self._max_in_flight = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle ---------------------------------------------------------------
    def start(self) -> FakeHub:
        if self._server is not None:
            return self
        self._stop.clear()
        self._server = _Server((self.host, self._requested_port), _Handler, self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"FakeHub:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._stop.set()
        server.shutdown()
        server.close_all_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def port(self) -> int:
        if self._server is None:
            return self._requested_port
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}{API_PREFIX}"

    # ---- inspection --------------------------------------------------------------
    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of every request received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    def edit_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == "POST" and r.path == "/ai/images/edit"]

    def queue_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == "POST" and r.path == "/ai/queue"]

    @property
    def in_flight(self) -> int:
        with self._lock:
            return self._in_flight

    @property
    def max_in_flight(self) -> int:
        with self._lock:
            return self._max_in_flight

    def pending_faults(self) -> list[Fault]:
        return self._faults.pending()

    def generation(self, generation_id: str) -> dict[str, Any] | None:
        """The current state of a queued generation (without advancing it)."""
        with self._lock:
            gen = self._generations.get(generation_id)
        return None if gen is None else gen.to_json()

    def result_names(self) -> list[str]:
        with self._lock:
            return list(self._results)

    # ---- scripting ---------------------------------------------------------------
    def add_fault(self, fault: Fault) -> Fault:
        return self._faults.add(fault)

    def clear_faults(self) -> None:
        self._faults.clear()

    def reset(self) -> None:
        """Forget requests, faults, results, repos and queued generations."""
        self._faults.clear()
        with self._lock:
            self._requests.clear()
            self._results.clear()
            self._repos.clear()
            self._generations.clear()
            self._max_in_flight = self._in_flight

    def create_repo(self, namespace: str, name: str, is_public: bool = True) -> None:
        with self._lock:
            self._repos[(namespace, name)] = _Repo(namespace, name, is_public, False, _now_iso())

    def put_file(
        self,
        namespace: str,
        repo: str,
        path: str,
        data: bytes,
        *,
        branch: str = "main",
        content_type: str | None = None,
    ) -> str:
        """Store a file directly (no HTTP); return its public URL."""
        self._store_file(namespace, repo, branch, path, UploadedFile(path, content_type, data))
        return self.repo_file_url(namespace, repo, path, branch=branch)

    def repo_file_url(self, namespace: str, repo: str, path: str, *, branch: str = "main") -> str:
        return f"{self.base_url}/repos/{namespace}/{repo}/file/{branch}/{path.lstrip('/')}"

    # ---- internals used by the handler ----------------------------------------------
    def _record(self, rec: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(rec)

    def _enter_edit(self) -> None:
        with self._lock:
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)

    def _leave_edit(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _sleep(self, seconds: float) -> None:
        """Sleep, but wake at once (raising _Stopped) when the hub stops."""
        if seconds > 0 and self._stop.wait(seconds):
            raise _Stopped
        if self._stop.is_set():
            raise _Stopped

    def _store_result(self, data: bytes, fmt: str) -> str:
        ext = "jpg" if fmt == "jpeg" else fmt
        name = f"{uuid.uuid4().hex}.{ext}"
        with self._lock:
            self._results[name] = (data, img.CONTENT_TYPES[fmt])
        return f"{self.base_url}/results/{name}?sig={secrets.token_urlsafe(12)}"

    def _get_result(self, name: str) -> tuple[bytes, str] | None:
        with self._lock:
            return self._results.get(name)

    def _store_file(
        self, namespace: str, repo: str, branch: str, path: str, upload: UploadedFile
    ) -> _Repo:
        with self._lock:
            r = self._repos.get((namespace, repo))
            if r is None:
                r = _Repo(namespace, repo, True, True, _now_iso())
                self._repos[(namespace, repo)] = r
            r.files[(branch, path)] = upload
            return r

    def _get_repo(self, namespace: str, repo: str) -> _Repo | None:
        with self._lock:
            return self._repos.get((namespace, repo))

    def _is_own_url(self, host: str | None, port: int | None) -> bool:
        if port != self.port:
            return False
        return (host or "").lower() in {self.host, "127.0.0.1", "localhost"}


# --------------------------------------------------------------------------------------
# Request handling


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeOxenHub/1.0"
    timeout = 120  # idle keep-alive connections go away eventually
    server: _Server

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

    def _done(self) -> None:
        """The request no longer counts as in flight (called before the reply goes out,
        so a client that has its answer never sees itself counted)."""
        if self._counted:
            self._counted = False
            self.hub._leave_edit()

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        self._done()
        self._rec.status = status
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

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
            client_address=tuple(self.client_address[:2]),
        )
        self._rec_dropped = False
        self._fewer_images = False
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
            except _Stopped:
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

    def _route(self, method: str, path: str) -> None:
        parts = [p for p in path.split("/") if p]
        # Unauthenticated downloads first.
        if parts[:1] == ["results"] and method == "GET":
            return self._get_result("/".join(parts[1:]))
        if len(parts) >= 5 and parts[0] == "repos" and parts[3] == "file" and method == "GET":
            return self._get_repo_file(parts[1], parts[2], parts[4], "/".join(parts[5:]))
        self._require_auth()
        if parts == ["ai", "images", "edit"] and method == "POST":
            return self._edit()
        if parts == ["ai", "images", "generate"] and method == "POST":
            return self._generate()
        if parts == ["ai", "models"] and method == "GET":
            return self._json(200, {"object": "list", "data": MODELS})
        if parts[:2] == ["ai", "models"] and len(parts) >= 3 and method == "GET":
            return self._get_model("/".join(parts[2:]))
        if parts == ["ai", "queue"]:
            if method == "POST":
                return self._queue_post()
            if method == "GET":
                return self._queue_list()
        if parts[:2] == ["ai", "queue"] and len(parts) == 3:
            if method == "GET":
                return self._queue_get(parts[2])
            if method == "DELETE":
                return self._queue_delete(parts[2])
        if parts == ["repos"] and method == "POST":
            return self._create_repo()
        if len(parts) == 3 and parts[0] == "repos" and method == "GET":
            return self._get_repo(parts[1], parts[2])
        if (
            len(parts) >= 5
            and parts[0] == "repos"
            and parts[3] == "file"
            and method
            in (
                "PUT",
                "POST",
            )
        ):
            return self._upload(parts[1], parts[2], parts[4], "/".join(parts[5:]))
        raise ApiError(404, f"No such route: {method} {API_PREFIX}{path}")

    # ---- faults ----------------------------------------------------------------
    def _apply_fault(self, fault: Fault) -> bool:
        """Apply *fault*; True if the reply is done, False to carry on normally."""
        kind = fault.kind
        hub = self.hub
        if kind == "delay":
            hub._sleep(fault.seconds)
            return False
        if kind == "fewer_images":
            self._fewer_images = True
            return False
        if kind == "status":
            status = int(fault.status or 500)
            message = fault.message or _DEFAULT_MESSAGES.get(status) or _reason(status)
            headers = {}
            if fault.retry_after is not None:
                ra = fault.retry_after
                if isinstance(ra, float) and ra.is_integer():
                    ra = int(ra)
                headers["Retry-After"] = str(ra)
            self._rec.error = message
            if fault.shape == "typed":
                self._error(ApiError(status, message, headers=headers))
            elif fault.shape == "message":
                self._error(ApiError(status, message, type=None, headers=headers))
            elif fault.shape == "html":
                page = (
                    f"<!DOCTYPE html><html><head><title>{status} {_reason(status)}</title>"
                    f"</head><body><h1>{status} {_reason(status)}</h1><p>{message}</p>"
                    "<hr><center>nginx</center></body></html>"
                )
                self._send(status, page.encode(), "text/html; charset=utf-8", headers)
            else:
                self._send(status, message.encode(), "text/plain; charset=utf-8", headers)
            return True
        if kind == "malformed_json":
            self._send(200, b'{"images": [', "application/json")
            return True
        if kind == "empty_images":
            self._json(
                200, {"model": self._model_name(), "created": int(time.time()), "images": []}
            )
            return True
        if kind in ("truncated_json", "drop_mid_reply"):
            body = json.dumps(
                {
                    "model": self._model_name(),
                    "created": int(time.time()),
                    "images": [{"url": f"{hub.base_url}/results/{uuid.uuid4().hex}.png"}],
                }
            ).encode()
            self._partial_reply(200, body, "application/json", len(body) // 2)
            self._drop(linger_reset=kind == "drop_mid_reply")
            return True
        if kind == "drop":
            self._rec.status = None
            self._drop()
            return True
        if kind == "download_404":
            self._error(ApiError(404, "Result not found or expired"))
            return True
        if kind == "download_not_image":
            self._send(200, b"hello", "text/plain")
            return True
        if kind == "download_truncated":
            data, ctype = self._download_target() or (
                b"\x89PNG\r\n\x1a\n" + b"\0" * 4096,
                "image/png",
            )
            self._partial_reply(200, data, ctype, max(1, len(data) // 2), claimed=len(data) + 1024)
            self._drop()
            return True
        if kind == "download_huge":
            self._stream_zeros(int(fault.size or 0))
            return True
        raise ApiError(500, f"unhandled fault kind {kind}")

    def _model_name(self) -> str:
        body = self._rec.json
        if isinstance(body, dict) and isinstance(body.get("model"), str):
            return body["model"]
        return DEFAULT_MODEL

    def _download_target(self) -> tuple[bytes, str] | None:
        parts = [p for p in self._rec.path.split("/") if p]
        if parts[:1] == ["results"]:
            return self.hub._get_result("/".join(parts[1:]))
        return None

    def _partial_reply(
        self, status: int, body: bytes, ctype: str, send: int, claimed: int | None = None
    ) -> None:
        self._done()
        self._rec.status = status
        self.close_connection = True
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(claimed if claimed is not None else len(body)))
        self.end_headers()
        self.wfile.write(body[:send])
        self.wfile.flush()

    def _stream_zeros(self, size: int) -> None:
        self._done()
        self._rec.status = 200
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        zeros = b"\0" * _CHUNK
        remaining = size
        while remaining > 0:
            if self.hub._stop.is_set():
                raise _Stopped
            n = min(_CHUNK, remaining)
            self.wfile.write(b"%x\r\n" % n + zeros[:n] + b"\r\n")
            remaining -= n
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    # ---- downloads -------------------------------------------------------------
    def _get_result(self, name: str) -> None:
        found = self.hub._get_result(name)
        if found is None:
            raise ApiError(404, f"Result not found: {name}")
        data, ctype = found
        self._send(200, data, ctype, {"Cache-Control": "private, max-age=3600"})

    def _get_repo_file(self, ns: str, repo: str, branch: str, path: str) -> None:
        r = self.hub._get_repo(ns, repo)
        upload = None if r is None else r.files.get((branch, path))
        if r is None or upload is None:
            raise ApiError(404, f"File not found: {ns}/{repo}/{branch}/{path}")
        if not r.is_public:
            self._require_auth()
        ctype = (
            img.sniff_content_type(upload.data) or upload.content_type or "application/octet-stream"
        )
        self._send(200, upload.data, ctype)

    # ---- models ----------------------------------------------------------------
    def _get_model(self, model_id: str) -> None:
        model = find_model(model_id)
        if model is None:
            raise ApiError(404, f"Model not found: {model_id}", type=None)
        self._json(200, model)

    # ---- edits -----------------------------------------------------------------
    def _body_object(self) -> dict[str, Any]:
        body = self._rec.json
        if not isinstance(body, dict):
            if self._rec.body and body is None:
                raise ApiError(400, "Request body is not valid JSON")
            raise ApiError(400, "Request body must be a JSON object")
        return body

    def _load_image(self, url: Any, field_name: str) -> tuple[img.DecodedImage, str]:
        """Fetch and decode an input like the model server would."""
        if not isinstance(url, str) or not url.strip():
            raise ApiError(400, f"{field_name}: must be a non-empty URL string")
        url = url.strip()
        if url[:5].lower() == "data:":
            try:
                media_type, data = img.parse_data_uri(url)
                if media_type and not media_type.startswith("image/"):
                    raise img.ImageInputError(f"data URI media type {media_type!r} is not an image")
                return img.decode_image(data), "data"
            except img.ImageInputError as exc:
                raise ApiError(400, f"{field_name}: {exc}") from None
        split = urlsplit(url)
        if split.scheme.lower() not in ("http", "https") or not split.netloc:
            raise ApiError(400, f"{field_name}: must be an http(s) URL or a data: URI")
        try:
            port = split.port or (443 if split.scheme.lower() == "https" else 80)
        except ValueError:
            raise ApiError(400, f"{field_name}: malformed URL") from None
        if not self.hub._is_own_url(split.hostname, port):
            raise ApiError(
                400,
                f"Getting model response error: 403 Client Error: Forbidden for url: {url}",
                type=None,
            )
        not_found = ApiError(
            400,
            f"Getting model response error: 404 Client Error: Not Found for url: {url}",
            type=None,
        )
        path = unquote(split.path)
        if not path.startswith(API_PREFIX + "/"):
            raise not_found
        parts = [p for p in path[len(API_PREFIX) :].split("/") if p]
        data: bytes | None = None
        source = ""
        if parts[:1] == ["results"]:
            found = self.hub._get_result("/".join(parts[1:]))
            data, source = (found[0] if found else None), "result"
        elif len(parts) >= 6 and parts[0] == "repos" and parts[3] == "file":
            r = self.hub._get_repo(parts[1], parts[2])
            upload = None if r is None else r.files.get((parts[4], "/".join(parts[5:])))
            if r is not None and upload is not None and not r.is_public:
                raise ApiError(
                    400,
                    f"Getting model response error: 403 Client Error: Forbidden for url: {url}",
                    type=None,
                )
            data, source = (upload.data if upload else None), "repo"
        if data is None:
            raise not_found
        try:
            return img.decode_image(data), source
        except img.ImageInputError as exc:
            raise ApiError(400, f"{field_name}: {url} is {exc}") from None

    def _prepare_edit(self, body: dict[str, Any]) -> _EditJob:
        rec = self._rec
        model_id = body.get("model")
        if model_id is None:
            model_id = DEFAULT_MODEL
        if not isinstance(model_id, str) or not model_id.strip():
            raise ApiError(400, "model: must be a non-empty string")
        rec.model = model_id
        model = find_model(model_id)
        if model is None:
            raise ApiError(404, f"Model not found: {model_id}", type=None)
        if not is_edit_model(model):
            raise ApiError(
                400, f"model: {model_id} cannot edit images (endpoint {model.get('endpoint')})"
            )
        schema = model["request_schema"]
        problem = validate_params(body, schema)
        if problem:
            raise ApiError(400, problem)
        response_format = body.get("response_format") or "url"
        if response_format not in RESPONSE_FORMATS:
            raise ApiError(
                400, f"response_format: {response_format!r} is not one of: url, b64_json"
            )
        mask_url = body.get("mask_url")
        target_ns = body.get("target_namespace")
        if target_ns is not None and not isinstance(target_ns, str):
            raise ApiError(400, "target_namespace: must be a string")
        params = apply_defaults(body, schema)

        inputs = params["input_image"]
        inputs = [inputs] if isinstance(inputs, str) else list(inputs)
        decoded = []
        for i, url in enumerate(inputs):
            name = (
                "input_image"
                if len(inputs) == 1 and isinstance(body["input_image"], str)
                else (f"input_image[{i}]")
            )
            d, source = self._load_image(url, name)
            decoded.append(d)
            rec.input_sizes.append(d.size)
            rec.input_modes.append(d.mode)
            rec.input_formats.append(d.format)
            rec.input_sources.append(source)
        mask = None
        if mask_url is not None:
            m, _source = self._load_image(mask_url, "mask_url")
            mask = img.mask_to_l(m.image)
            rec.mask_size = m.size
            rec.mask_mode = m.mode
            rec.mask_format = m.format
            rec.mask_white_fraction = img.white_fraction(mask)
            if mask.size != decoded[0].size:
                mask = mask.resize(decoded[0].size, img.Image.Resampling.NEAREST)

        props = schema.get("properties", {})
        if "resolution" in props:
            size = img.parse_resolution(params["resolution"])
        else:
            size = img.fit_size(decoded[0].size)
        style = params.get("style", "photo")
        strength = 0.45
        if "strength" in props:
            strength = 0.15 + 0.7 * params["strength"] / 100
            if params.get("keep_colors"):
                strength *= 0.6
        job = _EditJob(
            model=model_id,
            prompt=params["prompt"],
            base=decoded[0].image,
            mask=mask,
            size=size,
            num_images=int(params.get("num_images", 1)),
            output_format=params.get("output_format", "png"),
            response_format=response_format,
            style=style,
            strength=strength,
        )
        rec.output_size = size
        rec.output_format = job.output_format
        return job

    def _render_item(self, job: _EditJob, index: int) -> tuple[dict[str, Any], str | None]:
        out = img.render_edit(
            job.base, job.size, index, job.mask, style=job.style, strength=job.strength
        )
        data = img.encode(out, job.output_format)
        item: dict[str, Any] = {"revised_prompt": job.prompt}
        url = None
        if job.response_format == "b64_json":
            item["b64_json"] = base64.b64encode(data).decode("ascii")
        else:
            url = self.hub._store_result(data, job.output_format)
            item["url"] = url
        return item, url

    def _edit(self) -> None:
        job = self._prepare_edit(self._body_object())
        self.hub._sleep(self.hub.delay)
        count = 1 if self._fewer_images else job.num_images
        items = []
        for i in range(count):
            item, url = self._render_item(job, i)
            items.append(item)
            if url:
                self._rec.result_urls.append(url)
        self._rec.num_outputs = len(items)
        self._json(200, {"model": job.model, "created": int(time.time()), "images": items})

    def _generate(self) -> None:
        body = self._body_object()
        model_id = body.get("model") or "fake-text-to-image"
        self._rec.model = str(model_id)
        model = find_model(str(model_id))
        if model is None:
            raise ApiError(404, f"Model not found: {model_id}", type=None)
        if model.get("endpoint") != "/images/generate":
            raise ApiError(400, f"model: {model_id} does not generate images from text")
        schema = model["request_schema"]
        problem = validate_params(body, schema)
        if problem:
            raise ApiError(400, problem)
        params = apply_defaults(body, schema)
        rf = body.get("response_format") or "url"
        if rf not in RESPONSE_FORMATS:
            raise ApiError(400, f"response_format: {rf!r} is not one of: url, b64_json")
        fmt = params.get("output_format", "png")
        self.hub._sleep(self.hub.delay)
        items = []
        for i in range(int(params.get("num_images", 1))):
            data = img.encode(img.render_generated((1024, 1024), i), fmt)
            if rf == "b64_json":
                items.append({"b64_json": base64.b64encode(data).decode("ascii")})
            else:
                items.append({"url": self.hub._store_result(data, fmt)})
        self._rec.num_outputs = len(items)
        self._json(200, {"model": model_id, "created": int(time.time()), "images": items})

    # ---- queue -----------------------------------------------------------------
    def _queue_post(self) -> None:
        body = self._body_object()
        n = body.get("num_generations", 1)
        if n is None:
            n = 1
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 4:
            raise ApiError(400, "num_generations: must be an integer from 1 to 4")
        job: _EditJob | None = None
        error: str | None = None
        try:
            job = self._prepare_edit(body)
        except ApiError as exc:
            error = exc.detail
        model = self._rec.model or DEFAULT_MODEL
        now = _now_iso()
        gens = []
        with self.hub._lock:
            for i in range(n):
                gen = _Generation(
                    generation_id=uuid.uuid4().hex,
                    model=model,
                    status="queued",
                    created_at=now,
                    updated_at=now,
                    index=i,
                    job=job,
                    error=error,
                )
                self.hub._generations[gen.generation_id] = gen
                gens.append(gen)
        self._json(
            200,
            {
                "generations": [
                    {
                        "generation_id": g.generation_id,
                        "status": g.status,
                        "model": g.model,
                        "created_at": g.created_at,
                    }
                    for g in gens
                ]
            },
        )

    def _find_generation(self, generation_id: str) -> _Generation:
        with self.hub._lock:
            gen = self.hub._generations.get(generation_id)
        if gen is None:
            raise ApiError(404, f"Generation not found: {generation_id}")
        return gen

    def _queue_get(self, generation_id: str) -> None:
        gen = self._find_generation(generation_id)
        with gen.lock:
            if gen.status in ("queued", "processing"):
                gen.polls += 1
                if gen.error is not None:
                    gen.status = "failed"
                elif gen.polls >= max(1, self.hub.queue_steps):
                    assert gen.job is not None
                    try:
                        job = _EditJob(**{**gen.job.__dict__, "response_format": "url"})
                        _item, url = self._render_item(job, gen.index)
                        gen.result_url = url
                        gen.status = "succeeded"
                    except Exception as exc:  # noqa: BLE001 - becomes a failed generation
                        gen.error = f"Generation failed: {exc}"
                        gen.status = "failed"
                else:
                    gen.status = "processing"
                gen.updated_at = _now_iso()
            state = gen.to_json()
        self._json(200, state)

    def _queue_delete(self, generation_id: str) -> None:
        gen = self._find_generation(generation_id)
        with gen.lock:
            if gen.status in ("queued", "processing"):
                gen.status = "cancelled"
                gen.updated_at = _now_iso()
            state = gen.to_json()
        self._json(200, state)

    def _queue_list(self) -> None:
        wanted = self._rec.query.get("status", "active")
        with self.hub._lock:
            gens = list(self.hub._generations.values())
        if wanted == "active":
            gens = [g for g in gens if g.status in ("queued", "processing")]
        elif wanted != "all":
            gens = [g for g in gens if g.status == wanted]
        self._json(200, {"generations": [g.to_json() for g in gens]})

    # ---- repos -----------------------------------------------------------------
    def _create_repo(self) -> None:
        body = self._body_object()
        ns, name = body.get("namespace"), body.get("name")
        for key, value in (("namespace", ns), ("name", name)):
            if not isinstance(value, str) or not value.strip() or "/" in value:
                raise ApiError(400, f"{key}: must be a non-empty name without '/'")
        is_public = body.get("is_public", False)
        if not isinstance(is_public, bool):
            raise ApiError(400, "is_public: must be a boolean")
        with self.hub._lock:
            if (ns, name) in self.hub._repos:
                raise ApiError(409, f"Repository already exists: {ns}/{name}")
            r = _Repo(ns, name, is_public, False, _now_iso())
            self.hub._repos[(ns, name)] = r
        self._json(
            200,
            {"status": "success", "status_message": "resource_created", "repository": r.to_json()},
        )

    def _get_repo(self, ns: str, name: str) -> None:
        r = self.hub._get_repo(ns, name)
        if r is None:
            raise ApiError(404, f"Repository not found: {ns}/{name}")
        self._json(
            200,
            {"status": "success", "status_message": "resource_found", "repository": r.to_json()},
        )

    def _upload(self, ns: str, repo: str, branch: str, path: str) -> None:
        if not path:
            raise ApiError(400, "path: the URL must end with the target file path")
        ctype = self.headers.get("Content-Type") or ""
        try:
            parts = parse_multipart(self._rec.body, ctype)
        except MultipartError as exc:
            raise ApiError(400, f"file: {exc}") from None
        rec = self._rec
        for part in parts:
            if part.filename is None:
                rec.form[part.name] = part.data.decode("utf-8", "replace")
            else:
                rec.files[part.name] = UploadedFile(part.filename, part.content_type, part.data)
        upload = rec.files.get("file")
        if upload is None:
            raise ApiError(400, "file: multipart field 'file' is required")
        self.hub._store_file(ns, repo, branch, path, upload)
        commit_id = hashlib.sha256(upload.data + path.encode() + uuid.uuid4().bytes).hexdigest()[
            :32
        ]
        self._json(
            200,
            {
                "status": "success",
                "status_message": "resource_created",
                "commit": {
                    "id": commit_id,
                    "message": rec.form.get("message", ""),
                    "author": rec.form.get("name", ""),
                    "email": rec.form.get("email", ""),
                    "timestamp": _now_iso(),
                },
                "file": {"path": path, "branch": branch, "size": len(upload.data)},
                "url": self.hub.repo_file_url(ns, repo, path, branch=branch),
            },
        )
