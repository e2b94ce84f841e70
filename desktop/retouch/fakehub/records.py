"""What the fake hub remembers: recorded requests, uploaded files, repositories, jobs."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


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
    finished_at: float | None = None  # when the handler was done with it (sent or gave up)
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
class Repo:
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
class EditJob:
    model: str
    prompt: str
    base: Any  # PIL image, or None for a text-only request
    mask: Any  # PIL L image or None
    size: tuple[int, int]
    num_images: int
    output_format: str
    response_format: str
    style: str = "photo"
    strength: float = 0.6  # images.EDIT_STRENGTH


@dataclass
class Generation:
    generation_id: str
    model: str
    status: str
    created_at: str
    updated_at: str
    index: int
    job: EditJob | None
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
