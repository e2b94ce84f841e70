"""A small, byte-exact multipart/form-data parser (``cgi`` is gone in Python 3.13)."""

from __future__ import annotations

from dataclasses import dataclass
from email import policy
from email.parser import BytesHeaderParser


class MultipartError(ValueError):
    pass


@dataclass
class Part:
    name: str
    filename: str | None
    content_type: str | None
    data: bytes


def _headers(raw: bytes):
    return BytesHeaderParser(policy=policy.HTTP).parsebytes(raw + b"\r\n\r\n")


def boundary_of(content_type: str) -> str:
    msg = _headers(b"Content-Type: " + content_type.encode("latin-1", "replace"))
    if msg.get_content_type() != "multipart/form-data":
        raise MultipartError("Content-Type must be multipart/form-data")
    boundary = msg.get_param("boundary")
    if not boundary or not isinstance(boundary, str):
        raise MultipartError("multipart/form-data without a boundary")
    return boundary


def parse_multipart(body: bytes, content_type: str) -> list[Part]:
    """Split a multipart/form-data *body*; raise MultipartError if it is malformed."""
    delim = b"--" + boundary_of(content_type).encode("latin-1")
    chunks = body.split(delim)
    if len(chunks) < 2:
        raise MultipartError("multipart body has no parts")
    parts: list[Part] = []
    closed = False
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            closed = True
            break
        if chunk.startswith(b"\r\n"):
            chunk = chunk[2:]
        elif chunk.startswith(b"\n"):
            chunk = chunk[1:]
        # The CRLF before the next delimiter belongs to the delimiter.
        if chunk.endswith(b"\r\n"):
            chunk = chunk[:-2]
        elif chunk.endswith(b"\n"):
            chunk = chunk[:-1]
        head, sep, data = chunk.partition(b"\r\n\r\n")
        if not sep:
            head, sep, data = chunk.partition(b"\n\n")
            if not sep:
                raise MultipartError("multipart part without a header block")
        hdrs = _headers(head)
        disposition = hdrs.get("content-disposition")
        if disposition is None:
            raise MultipartError("multipart part without Content-Disposition")
        name = hdrs.get_param("name", header="content-disposition")
        if not isinstance(name, str) or not name:
            raise MultipartError("multipart part without a field name")
        filename = hdrs.get_filename()
        ctype = hdrs.get("content-type")
        parts.append(Part(name, filename, str(ctype) if ctype else None, data))
    if not closed:
        raise MultipartError("multipart body is not terminated")
    return parts
