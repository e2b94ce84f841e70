"""Repositories and files: create and read a repo, upload a file, and the credential-free
downloads of results and repository files."""

from __future__ import annotations

import hashlib
import uuid

from . import images as img
from .errors import ApiError
from .multipart import MultipartError, parse_multipart
from .records import Repo, UploadedFile, now_iso
from .transport import HandlerBase


class RepoRoutes(HandlerBase):
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

    # ---- repos -----------------------------------------------------------------
    def _create_repo(self) -> None:
        body = self._body_object()
        ns, name = body.get("namespace"), body.get("name")
        for key, value in (("namespace", ns), ("name", name)):
            if not isinstance(value, str) or not value.strip() or "/" in value:
                raise ApiError(400, f"{key}: must be a non-empty name without '/'")
        assert isinstance(ns, str) and isinstance(name, str)  # checked just above
        is_public = body.get("is_public", False)
        if not isinstance(is_public, bool):
            raise ApiError(400, "is_public: must be a boolean")
        with self.hub._lock:
            if (ns, name) in self.hub._repos:
                raise ApiError(409, f"Repository already exists: {ns}/{name}")
            r = Repo(ns, name, is_public, False, now_iso())
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
                    "timestamp": now_iso(),
                },
                "file": {"path": path, "branch": branch, "size": len(upload.data)},
                "url": self.hub.repo_file_url(ns, repo, path, branch=branch),
            },
        )
