"""How each scripted fault turns into a reply (or into no reply at all)."""

from __future__ import annotations

import json
import time
import uuid

from .errors import DEFAULT_MESSAGES, ApiError, Stopped, reason
from .faults import Fault
from .models import DEFAULT_MODEL
from .transport import HandlerBase

_CHUNK = 64 * 1024


class FaultReplies(HandlerBase):
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
            message = fault.message or DEFAULT_MESSAGES.get(status) or reason(status)
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
                raise Stopped
            n = min(_CHUNK, remaining)
            self.wfile.write(b"%x\r\n" % n + zeros[:n] + b"\r\n")
            remaining -= n
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()
