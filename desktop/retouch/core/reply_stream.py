"""Read an edit reply as it streams in, decoding ``b64_json`` images on the way.

A reply with ``b64_json`` results can be hundreds of megabytes of base64 inside one JSON text.
Parsing it with ``json.loads`` holds the raw bytes, the decoded text and then the decoded image
at once (3 GB for a 500 MB reply). Here the reply is split as it arrives: every string that is
the value of a ``"b64_json"`` key goes straight through an incremental base64 decoder, under
the same per-result cap as a download, and is replaced in the JSON text by a short
placeholder; the rest of the text (model, revised prompts, URLs) stays small, under its own
cap, and is parsed by the safe reader at the end. Only the first ``max_images`` images are
decoded; the others are read past and counted.
"""

from __future__ import annotations

import binascii
import io
import re
from dataclasses import dataclass
from typing import Any

from retouch.core import jsonio

PLACEHOLDER = "\x00retouch-image:"
_PLACEHOLDER_JSON = b'"\\u0000retouch-image:'
_B64_KEY_BEFORE = re.compile(rb'"b64_json"\s*:\s*\Z')
_STRING_STOP = re.compile(rb'["\\]')
_WHITESPACE = b" \t\r\n"
_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
_TO_STANDARD = bytes.maketrans(b"-_", b"+/")
_JSON_ESCAPES = {ord("/"): b"/", ord("n"): b"", ord("r"): b"", ord("t"): b"", ord("\\"): b"\\"}


class ReplyTooLarge(Exception):
    """The JSON text outside the images passed its cap."""


@dataclass
class StreamedImage:
    """One ``b64_json`` value: its decoded bytes, or why there are none."""

    data: bytes | None
    problem: str = ""  # "", "too_large", "invalid" or "not_kept"
    decoded_bytes: int = 0


class _Base64Sink:
    """Decode base64 text fed in arbitrary pieces, stopping at *cap* decoded bytes."""

    def __init__(self, cap: int, keep: bool) -> None:
        self.cap = cap
        self.problem = "" if keep else "not_kept"
        self._pending = bytearray()
        self._head = bytearray()  # the first bytes, to notice a "data:…;base64," prefix
        self._started = False
        self._out: io.BytesIO | None = io.BytesIO() if keep else None
        self.size = 0

    def feed(self, text: bytes) -> None:
        if self.problem:
            return
        if not self._started:
            self._head += text.lstrip(_WHITESPACE) if not self._head else text
            if len(self._head) < 5:
                return
            if self._head[:5].lower() == b"data:":
                comma = self._head.find(b",")
                if comma < 0:
                    if len(self._head) > 256:
                        self._fail("invalid")
                    return
                text = bytes(self._head[comma + 1 :])
            else:
                text = bytes(self._head)
            self._head = bytearray()
            self._started = True
        # URL-safe base64 is read as standard; anything outside the alphabet is an error
        # (binascii would silently skip it and decode garbage).
        clean = text.translate(_TO_STANDARD, _WHITESPACE)
        if clean.translate(None, _ALPHABET):
            self._fail("invalid")
            return
        self._pending += clean
        usable = len(self._pending) // 4 * 4
        if usable:
            self._decode(usable)

    def _decode(self, usable: int) -> None:
        try:
            chunk = binascii.a2b_base64(memoryview(self._pending)[:usable])
        except (binascii.Error, ValueError):
            self._fail("invalid")
            return
        del self._pending[:usable]
        self.size += len(chunk)
        if self.size > self.cap:
            self._fail("too_large")
            return
        assert self._out is not None
        self._out.write(chunk)

    def _fail(self, problem: str) -> None:
        self.problem = problem
        self._out = None
        self._pending = bytearray()

    def close(self) -> StreamedImage:
        if not self._started and not self.problem:
            self._started = True
            head, self._head = bytes(self._head), bytearray()
            self.feed(head)
        if not self.problem:
            rest = bytes(self._pending.rstrip(b"="))
            if rest:
                padded = rest + b"=" * (-len(rest) % 4)
                try:
                    tail = binascii.a2b_base64(padded)
                except (binascii.Error, ValueError):
                    self._fail("invalid")
                    tail = b""
                self.size += len(tail)
                if self.size > self.cap:
                    self._fail("too_large")
                elif self._out is not None:
                    self._out.write(tail)
        if self.problem:
            return StreamedImage(None, self.problem, self.size)
        assert self._out is not None
        data = self._out.getvalue()
        if not data:
            return StreamedImage(None, "invalid", 0)
        return StreamedImage(data, "", self.size)


class ReplyReader:
    """Feed the reply's bytes with :meth:`feed`; :meth:`document` gives the parsed reply with
    each ``b64_json`` value replaced by a :class:`StreamedImage`."""

    def __init__(
        self,
        *,
        max_text_bytes: int,
        max_image_bytes: int,
        max_images: int,
        max_total_bytes: int | None = None,
    ) -> None:
        if max_total_bytes is None:
            # The text, the images kept as base64 (4 characters per 3 bytes, some line
            # breaks), and as much again for what is read past: extra images are counted,
            # not read forever.
            max_total_bytes = 2 * (max_text_bytes + max_images * (max_image_bytes * 4 // 3 + 4096))
        self.max_total_bytes = max_total_bytes
        self.max_text_bytes = max_text_bytes
        self.max_image_bytes = max_image_bytes
        self.max_images = max_images
        self.images: list[StreamedImage] = []
        self.received = 0
        self._text = bytearray()
        self._mode = "out"  # "out", "str" (a string kept in the text) or "b64"
        self._escape = b""  # an escape sequence split across chunks
        self._sink: _Base64Sink | None = None

    # -- streaming ------------------------------------------------------------------------

    def feed(self, chunk: bytes) -> None:
        self.received += len(chunk)
        if self.received > self.max_total_bytes:
            raise ReplyTooLarge()
        pos, end = 0, len(chunk)
        while pos < end:
            if self._escape:
                pos = self._finish_escape(chunk, pos)
                continue
            if self._mode == "out":
                quote = chunk.find(b'"', pos)
                if quote < 0:
                    self._keep(chunk[pos:])
                    return
                self._keep(chunk[pos:quote])
                if _B64_KEY_BEFORE.search(self._text[-64:]):
                    self._start_image()
                else:
                    self._keep(b'"')
                    self._mode = "str"
                pos = quote + 1
                continue
            stop = _STRING_STOP.search(chunk, pos)
            piece = chunk[pos : stop.start() if stop else end]
            if self._mode == "str":
                self._keep(piece)
            else:
                assert self._sink is not None
                self._sink.feed(piece)
            if stop is None:
                return
            pos = stop.end()
            if chunk[stop.start()] == ord("\\"):
                self._escape = b"\\"
            elif self._mode == "str":
                self._keep(b'"')
                self._mode = "out"
            else:
                self._end_image()

    def _finish_escape(self, chunk: bytes, pos: int) -> int:
        """Consume the rest of an escape sequence (``\\x`` or ``\\uXXXX``) from *chunk*."""
        need = 6 if self._escape[1:2] == b"u" else 2
        take = min(need - len(self._escape), len(chunk) - pos)
        self._escape += chunk[pos : pos + take]
        pos += take
        if len(self._escape) == 2 and self._escape[1:2] == b"u":
            return pos  # a \u escape: four hex digits follow
        if len(self._escape) < need:
            return pos
        escape, self._escape = self._escape, b""
        if self._mode == "str":
            self._keep(escape)
            return pos
        assert self._sink is not None
        if escape[1] == ord("u"):
            try:
                char = chr(int(escape[2:], 16))
            except ValueError:
                char = "\x00"
            self._sink.feed(char.encode() if char.isascii() and char.isprintable() else b"!")
        else:
            self._sink.feed(_JSON_ESCAPES.get(escape[1], b"!"))
        return pos

    def _keep(self, data: bytes) -> None:
        if not data:
            return
        self._text += data
        if len(self._text) > self.max_text_bytes:
            raise ReplyTooLarge()

    def _start_image(self) -> None:
        keep = len(self.images) < self.max_images
        self._sink = _Base64Sink(self.max_image_bytes, keep)
        self._keep(_PLACEHOLDER_JSON + str(len(self.images)).encode())
        self.images.append(StreamedImage(None, "pending"))
        self._mode = "b64"

    def _end_image(self) -> None:
        assert self._sink is not None
        self.images[-1] = self._sink.close()
        self._sink = None
        self._keep(b'"')
        self._mode = "out"

    # -- the result -----------------------------------------------------------------------

    @property
    def text(self) -> bytes:
        return bytes(self._text)

    def complete_images(self) -> list[StreamedImage]:
        """Images fully decoded so far (what can be saved when the rest of a reply is lost)."""
        return [img for img in self.images if img.data is not None]

    def document(self, *, what: str, max_depth: int = jsonio.MAX_DEPTH) -> Any:
        """The reply parsed, each image placeholder replaced by its StreamedImage.

        Raises jsonio.JsonError when the text is not a JSON document."""
        doc = jsonio.loads(
            self._text, what=what, max_bytes=self.max_text_bytes, max_depth=max_depth
        )
        return _substitute(doc, self.images)


def _image_for(value: str, images: list[StreamedImage]) -> Any:
    try:
        return images[int(value[len(PLACEHOLDER) :])]
    except (ValueError, IndexError):
        return value


def _substitute(doc: Any, images: list[StreamedImage]) -> Any:
    if isinstance(doc, str):
        return _image_for(doc, images) if doc.startswith(PLACEHOLDER) else doc
    stack = [doc]
    while stack:
        node = stack.pop()
        keys = node.keys() if isinstance(node, dict) else range(len(node))
        for key in list(keys):
            value = node[key]
            if isinstance(value, str) and value.startswith(PLACEHOLDER):
                node[key] = _image_for(value, images)
            elif isinstance(value, (dict, list)):
                stack.append(value)
    return doc
