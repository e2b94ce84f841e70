"""The fake hub itself: its state (requests, results, repos, generations), lifecycle and
the scripting and inspection API tests use."""

from __future__ import annotations

import secrets
import threading
import uuid
from typing import Any

from . import images as img
from .errors import Stopped
from .faults import Fault, FaultQueue
from .models import MODELS, SCHEMA_FIELDS, find_model, served_model
from .records import Generation, RecordedRequest, Repo, UploadedFile, now_iso
from .server import Handler, Server

API_PREFIX = "/api"


LIST_SCHEMAS = ("full", "null", "absent")
RESULT_SHAPES = ("images", "data", "image_url")


class FakeHub:
    """A local stand-in for the Oxen hub.

    ``FakeHub(port=0)`` picks a free port; ``api_key=None`` accepts any non-empty Bearer
    key; ``delay`` sleeps that long in every image edit; a queued generation succeeds on
    the ``queue_steps``-th poll.

    How the hub answers (each also an attribute, changeable while it runs):

    - ``list_schema``: what ``GET /ai/models`` list entries carry of each model's schema:
      ``"full"`` (default), ``"null"`` (the field is null) or ``"absent"`` (no field).
      ``GET /ai/models/{id}`` always has the full object.
    - ``schema_field``: the name every model's schema goes under, ``"request_schema"`` or
      ``"json_request_schema"``; None (default) serves each model under its own name
      (:data:`~retouch.fakehub.models.MODELS`: gpt-image-2 and fake-text-to-image use
      ``json_request_schema``, the others ``request_schema``).
    - ``result_shape``: how edits and generations list results: ``"images"`` (default,
      ``{"model", "created", "images": [{"url"|"b64_json", "revised_prompt"}]}``),
      ``"data"`` (OpenAI's ``{"created", "data": [...]}``, items alike) or ``"image_url"``
      (``{"model", "created", "image_url": "<url>"}``: one result, always a link).
    """

    def __init__(
        self,
        port: int = 0,
        api_key: str | None = None,
        delay: float = 0.0,
        queue_steps: int = 2,
        *,
        host: str = "127.0.0.1",
        list_schema: str = "full",
        schema_field: str | None = None,
        result_shape: str = "images",
    ) -> None:
        self.host = host
        self._requested_port = port
        self.api_key = api_key
        self.delay = delay
        self.queue_steps = queue_steps
        self.list_schema = list_schema
        self.schema_field = schema_field
        self.result_shape = result_shape
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._faults = FaultQueue()
        self._requests: list[RecordedRequest] = []
        self._results: dict[str, tuple[bytes, str]] = {}
        self._repos: dict[tuple[str, str], Repo] = {}
        self._generations: dict[str, Generation] = {}
        self._in_flight = 0
        self._max_in_flight = 0
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle ---------------------------------------------------------------
    def start(self) -> FakeHub:
        if self._server is not None:
            return self
        self._stop.clear()
        self._server = Server((self.host, self._requested_port), Handler, self)
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

    # ---- how it answers -----------------------------------------------------------
    @property
    def list_schema(self) -> str:
        return self._list_schema

    @list_schema.setter
    def list_schema(self, value: str) -> None:
        if value not in LIST_SCHEMAS:
            raise ValueError(f"list_schema must be one of {LIST_SCHEMAS}, not {value!r}")
        self._list_schema = value

    @property
    def schema_field(self) -> str | None:
        return self._schema_field

    @schema_field.setter
    def schema_field(self, value: str | None) -> None:
        if value is not None and value not in SCHEMA_FIELDS:
            raise ValueError(f"schema_field must be None or one of {SCHEMA_FIELDS}")
        self._schema_field = value

    @property
    def result_shape(self) -> str:
        return self._result_shape

    @result_shape.setter
    def result_shape(self, value: str) -> None:
        if value not in RESULT_SHAPES:
            raise ValueError(f"result_shape must be one of {RESULT_SHAPES}, not {value!r}")
        self._result_shape = value

    def models(self, *, listed: bool = False) -> list[dict[str, Any]]:
        """The catalogue as this hub serves it (*listed*: as list entries)."""
        return [self.model(m["id"], listed=listed) or {} for m in MODELS]

    def model(self, model_id: str, *, listed: bool = False) -> dict[str, Any] | None:
        """One model object as this hub serves it, or None."""
        found = find_model(model_id)
        if found is None:
            return None
        schema = self.list_schema if listed else "full"
        return served_model(found, schema_field=self.schema_field, schema=schema)

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
            self._repos[(namespace, name)] = Repo(namespace, name, is_public, False, now_iso())

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
        """Sleep, but wake at once (raising Stopped) when the hub stops."""
        if seconds > 0 and self._stop.wait(seconds):
            raise Stopped
        if self._stop.is_set():
            raise Stopped

    def _store_result(self, data: bytes, fmt: str) -> str:
        ext = "jpg" if fmt == "jpeg" else fmt
        name = f"{uuid.uuid4().hex}.{ext}"
        with self._lock:
            self._results[name] = (data, img.CONTENT_TYPES[fmt])
        return f"{self.base_url}/results/{name}?sig={secrets.token_urlsafe(12)}"

    def _alias_result(self, url: str) -> str:
        """Another URL for the result at *url* (same bytes, no copy)."""
        name = url.split("/results/", 1)[1].split("?", 1)[0]
        ext = name.rsplit(".", 1)[-1]
        alias = f"{uuid.uuid4().hex}.{ext}"
        with self._lock:
            self._results[alias] = self._results[name]
        return f"{self.base_url}/results/{alias}?sig={secrets.token_urlsafe(12)}"

    def _get_result(self, name: str) -> tuple[bytes, str] | None:
        with self._lock:
            return self._results.get(name)

    def _store_file(
        self, namespace: str, repo: str, branch: str, path: str, upload: UploadedFile
    ) -> Repo:
        with self._lock:
            r = self._repos.get((namespace, repo))
            if r is None:
                r = Repo(namespace, repo, True, True, now_iso())
                self._repos[(namespace, repo)] = r
            r.files[(branch, path)] = upload
            return r

    def _get_repo(self, namespace: str, repo: str) -> Repo | None:
        with self._lock:
            return self._repos.get((namespace, repo))

    def _is_own_url(self, host: str | None, port: int | None) -> bool:
        if port != self.port:
            return False
        return (host or "").lower() in {self.host, "127.0.0.1", "localhost"}
