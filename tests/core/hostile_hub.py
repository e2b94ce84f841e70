"""A tiny loopback HTTP server whose every reply is scripted by the test: the hostile hub.

The project's fake hub (``retouch.fakehub``) speaks the contract and injects its documented
faults; the replies here are the ones a hostile or broken hub could send that it does not
offer (yet): keys echoed back, replies that drip a byte at a time, gigantic or deeply nested
bodies, a thousand images for one asked, other result shapes. Real sockets on 127.0.0.1,
never a patched httpx.
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from PIL import Image

Handler = Callable[["Request"], None]


def png_bytes(
    size: tuple[int, int] = (32, 24), color: tuple[int, int, int] = (10, 200, 90)
) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


@dataclass
class Recorded:
    method: str
    path: str
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class Request:
    """What a route handler gets: the request, and ways to answer it (or not)."""

    def __init__(self, handler: _Handler, hub: HostileHub, recorded: Recorded) -> None:
        self._h = handler
        self.hub = hub
        self.method = recorded.method
        self.path = recorded.path
        self.body = recorded.body

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    def headers(self, status: int = 200, headers: dict[str, str] | None = None) -> None:
        self._h.send_response(status)
        # One request per connection, said out loud: a client must not reuse a connection
        # this server is about to close (that race would look like a dropped reply).
        self._h.send_header("Connection", "close")
        for name, value in (headers or {}).items():
            self._h.send_header(name, value)
        self._h.end_headers()
        self._h.wfile.flush()

    def send(self, body: bytes, status: int = 200, content_type: str = "application/json") -> None:
        self.headers(status, {"Content-Type": content_type, "Content-Length": str(len(body))})
        self.write(body)

    def send_json(self, obj: Any, status: int = 200) -> None:
        self.send(json.dumps(obj).encode(), status)

    def write(self, data: bytes) -> bool:
        """Write and flush; False once the client has gone away."""
        try:
            self._h.wfile.write(data)
            self._h.wfile.flush()
        except OSError:
            return False
        return True

    def drip(self, data: bytes, every: float, *, limit: int = 600) -> None:
        """Send *data* one byte at a time, *every* seconds apart, until the client leaves,
        the hub stops, or *limit* bytes (the loop always ends by itself)."""
        for i in range(min(len(data), limit)):
            if not self.write(data[i : i + 1]) or self.hub.stopping.wait(every):
                return

    def hold(self, seconds: float = 60.0) -> None:
        """Say nothing (until the hub stops or *seconds* pass)."""
        self.hub.stopping.wait(seconds)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.hub.port}{path}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        hub = self.server.hub
        path = self.path.split("?", 1)[0]
        if path.startswith("/api/"):
            path = path[len("/api") :]
        recorded = Recorded(self.command, path, body)
        with hub.lock:
            hub.requests.append(recorded)
        route = hub.find(self.command, path)
        request = Request(self, hub, recorded)
        if route is None:
            request.send_json({"error": {"type": "resource_not_found", "title": path}}, 404)
        else:
            route(request)
        self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, hub: HostileHub) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hub = hub

    def handle_error(self, request: Any, client_address: Any) -> None:  # keep quiet
        pass


class HostileHub:
    """Routes are (method, path prefix) → handler; paths are given without ``/api``."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: list[Recorded] = []
        self.routes: list[tuple[str, str, Handler]] = []
        self.stopping = threading.Event()
        self.results: dict[str, bytes] = {}
        self._server = _Server(self)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self.route("GET", "/results/", self._serve_result)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def route(self, method: str, prefix: str, handler: Handler) -> None:
        self.routes.insert(0, (method.upper(), prefix, handler))

    def find(self, method: str, path: str) -> Handler | None:
        """The route with the longest matching prefix (the latest added, among equals)."""
        best: tuple[int, Handler] | None = None
        for m, prefix, handler in self.routes:
            longer = best is None or len(prefix) > best[0]
            if m == method and path.startswith(prefix) and longer:
                best = (len(prefix), handler)
        return best[1] if best else None

    def result_url(self, data: bytes | None = None, name: str | None = None) -> str:
        name = name or f"r{len(self.results)}.png"
        self.results[name] = png_bytes() if data is None else data
        return f"http://127.0.0.1:{self.port}/results/{name}"

    def _serve_result(self, req: Request) -> None:
        data = self.results.get(req.path.rsplit("/", 1)[-1])
        if data is None:
            req.send(b"gone", 404, "text/plain")
        else:
            req.send(data, 200, "image/png")

    def made(self, method: str, prefix: str = "") -> list[Recorded]:
        with self.lock:
            return [r for r in self.requests if r.method == method and r.path.startswith(prefix)]

    def start(self) -> HostileHub:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> HostileHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
