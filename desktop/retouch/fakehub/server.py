"""The fake hub's request handler: the route table over the route and fault mixins.

Standard library + Pillow only (it also runs inside the frozen app for ``--self-test`` and
in-process for ``--demo``). The hub object is :class:`retouch.fakehub.hub.FakeHub`; the
modules by concern:

- ``hub.py``: state (recorded requests, results, repos, generations) and lifecycle
- ``transport.py``: the server and the handler's reading, dispatching, sending, dropping
- ``fault_replies.py``: what each scripted fault does to a reply
- ``routes_edit.py``, ``routes_queue.py``, ``routes_repos.py``, ``routes_models.py``
"""

from __future__ import annotations

from typing import Any

from .errors import ApiError
from .fault_replies import FaultReplies
from .routes_models import ModelRoutes
from .routes_queue import QueueRoutes
from .routes_repos import RepoRoutes
from .transport import API_PREFIX, Server

__all__ = ["Handler", "Server"]


class Handler(QueueRoutes, RepoRoutes, ModelRoutes, FaultReplies):
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
            return self._list_models()
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
        is_file = len(parts) >= 5 and parts[0] == "repos" and parts[3] == "file"
        if is_file and method in ("PUT", "POST"):
            return self._upload(parts[1], parts[2], parts[4], "/".join(parts[5:]))
        raise ApiError(404, f"No such route: {method} {API_PREFIX}{path}")


def __getattr__(name: str) -> Any:
    # ``from retouch.fakehub.server import FakeHub`` still works (it moved to hub.py).
    if name == "FakeHub":
        from .hub import FakeHub

        return FakeHub
    if name in ("RecordedRequest", "UploadedFile"):
        from . import records

        return getattr(records, name)
    raise AttributeError(name)
