"""How a local input becomes a URL the model server can fetch (API.md §2)."""

from __future__ import annotations

import base64
import logging
import re
import threading
from pathlib import Path
from typing import Protocol

from retouch.core.atomic import atomic_write_json
from retouch.core.errors import ConfigError
from retouch.core.hub_client import HubClient
from retouch.core.jsonio import read_file_or

log = logging.getLogger(__name__)

_EXT = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}
_REPO_SPEC = re.compile(r"^oxen:([A-Za-z0-9][\w.-]*)/([A-Za-z0-9][\w.-]*)$")


class Uploader(Protocol):
    label: str

    def url_for(self, data: bytes, mime: str, sha256: str) -> str: ...


class DataUriUploader:
    """Embeds the image in the request: nothing is stored anywhere."""

    label = "Embed in request (data URI)"
    is_remote = False

    def url_for(self, data: bytes, mime: str, sha256: str) -> str:
        return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


class OxenRepoUploader:
    """Uploads to a user's Oxen repository, named by content hash so nothing goes up twice.

    The model server can only fetch the file if the repository is public.
    """

    is_remote = True

    def __init__(
        self, client: HubClient, namespace: str, repo: str, cache_file: Path, branch: str = "main"
    ) -> None:
        self.client = client
        self.namespace = namespace
        self.repo = repo
        self.branch = branch
        self.cache_file = cache_file
        self.label = f"Oxen repository {namespace}/{repo}"
        self._lock = threading.Lock()
        self._repo_checked = False

    def _known(self) -> dict[str, str]:
        known = read_file_or(self.cache_file, {}, expect=dict)
        return {str(k): v for k, v in known.items() if isinstance(v, str)}

    def url_for(self, data: bytes, mime: str, sha256: str) -> str:
        key = f"{self.client.base_url}|{self.namespace}/{self.repo}@{self.branch}|{sha256}"
        with self._lock:
            known = self._known()
            if key in known:
                return known[key]
            if not self._repo_checked:
                self.client.create_repo(self.namespace, self.repo, public=True)
                self._repo_checked = True
        path = f"retouch-inputs/{sha256}.{_EXT.get(mime, 'png')}"
        url = self.client.upload_file(
            self.namespace, self.repo, path, data, branch=self.branch, content_type=mime
        )
        with self._lock:
            known = self._known()
            known[key] = url
            try:
                atomic_write_json(self.cache_file, known)
            except OSError as exc:
                log.warning("upload cache not saved: %s", exc)
        return url


def parse_upload_spec(spec: str) -> tuple[str, str] | None:
    """'data-uri' → None; 'oxen:NS/REPO' → (NS, REPO); anything else is a ConfigError."""
    spec = (spec or "data-uri").strip()
    if spec in ("data-uri", "data", ""):
        return None
    match = _REPO_SPEC.match(spec)
    if not match:
        raise ConfigError(
            f"Upload method '{spec}' is not understood. Use 'data-uri' or "
            "'oxen:NAMESPACE/REPOSITORY'."
        )
    return match.group(1), match.group(2)


def make_uploader(
    spec: str, client: HubClient, cache_dir: Path
) -> DataUriUploader | OxenRepoUploader:
    repo = parse_upload_spec(spec)
    if repo is None:
        return DataUriUploader()
    return OxenRepoUploader(client, repo[0], repo[1], cache_dir / "uploaded.json")
