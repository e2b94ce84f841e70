"""How each scripted fault turns into a reply (or into no reply at all)."""

from __future__ import annotations

import base64
import json
import time
import uuid

from .errors import DEFAULT_MESSAGES, ApiError, Stopped, reason
from .faults import Fault
from .models import DEFAULT_MODEL
from .transport import HandlerBase

_CHUNK = 64 * 1024
# 48 KiB of zero bytes is 64 KiB of base64 ("A"s): chunks of it concatenate validly.
_B64_ZEROS = base64.b64encode(b"\0" * (48 * 1024))
# What the huge b64_json decodes to starts like a PNG.
_B64_HEAD = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0")


class FaultReplies(HandlerBase):
    def _apply_fault(self, fault: Fault) -> bool:
        """Apply *fault*; True if the reply is done, False to carry on normally."""
        kind = fault.kind
        hub = self.hub
        if kind == "delay":
            hub._sleep(fault.seconds or 0.0)
            return False
        if kind == "fewer_images":
            self._tweaks.fewer_images = True
            return False
        if kind == "many_images":
            self._tweaks.extra_images = int(fault.count or 0)
            return False
        if kind in ("drip", "download_drip"):
            self._tweaks.drip_seconds = float(fault.seconds or 1.0)
            return False
        if kind == "echo_key" and fault.status is None:
            self._tweaks.echo_key = True
            return False
        if kind in ("status", "echo_key"):
            status = int(fault.status or 500)
            message = fault.message or DEFAULT_MESSAGES.get(status) or reason(status)
            if kind == "echo_key":
                message = f"{message} (Authorization: Bearer {self._bearer_key()})"
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
                    f"<!DOCTYPE html><html><head><title>{status} {reason(status)}</title>"
                    f"</head><body><h1>{status} {reason(status)}</h1><p>{message}</p>"
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
            if self._on_queue():
                self._json(200, {"generations": []})
            else:
                self._json(
                    200, {"model": self._model_name(), "created": int(time.time()), "images": []}
                )
            return True
        if kind == "huge_b64":
            self._stream_huge_b64(int(fault.size or 0))
            return True
        if kind == "deep_json":
            self._deep_json(int(fault.depth or 1))
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

    def _on_queue(self) -> bool:
        return self._rec.path == "/ai/queue" or self._rec.path.startswith("/ai/queue/")

    def _results_key(self) -> str:
        return "data" if self.hub.result_shape == "data" else "images"

    def _deep_json(self, depth: int) -> None:
        """A 200 reply whose main list is *depth* arrays deep (built without recursion)."""
        if self._rec.path.startswith("/ai/models"):
            head = '{"object": "list", "data": '
        elif self._on_queue():
            head = '{"generations": '
        else:
            model = json.dumps(self._model_name())
            head = f'{{"model": {model}, "created": {int(time.time())}, "{self._results_key()}": '
        body = head + "[" * depth + "]" * depth + "}"
        self._send(200, body.encode(), "application/json")

    def _stream_huge_b64(self, size: int) -> None:
        """A result reply with one b64_json of *size* bytes (a multiple of 4), chunked."""
        self._done()
        self._rec.status = 200
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        model = json.dumps(self._model_name())
        head = f'{{"model": {model}, "created": {int(time.time())}, '
        head += f'"{self._results_key()}": [{{"b64_json": "'
        self._write_chunk(head.encode())
        remaining = max(0, size - size % 4)
        first = _B64_HEAD[:remaining]
        self._write_chunk(first)
        remaining -= len(first)
        while remaining > 0:
            if self.hub._stop.is_set():
                raise Stopped
            piece = _B64_ZEROS[: min(len(_B64_ZEROS), remaining)]
            self._write_chunk(piece)
            remaining -= len(piece)
        self._write_chunk(b'"}]}')
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _write_chunk(self, data: bytes) -> None:
        if data:
            self.wfile.write(b"%x\r\n" % len(data) + data + b"\r\n")

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
                raise Stopped
            n = min(_CHUNK, remaining)
            self.wfile.write(b"%x\r\n" % n + zeros[:n] + b"\r\n")
            remaining -= n
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()
