"""The one place that speaks HTTP to the Oxen hub (``../shared/API.md``). No Qt here."""

from __future__ import annotations

import functools
import ipaddress
import logging
import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from retouch import __version__
from retouch.core import errors as E
from retouch.core.cancel import CancelToken
from retouch.core.hub_errors import error_from_response
from retouch.core.redact import redact
from retouch.core.secrets import remember_secret

if TYPE_CHECKING:
    import ssl

    import httpx

# httpx (with httpcore, h11, email, http.client …) is imported by the first HubClient, not by
# importing this module: the main window needs the constants and validate_base_url to paint,
# not the HTTP stack (tests/benchmarks/bench_startup.py).

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://hub.oxen.ai/api"
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 300.0
MAX_RESULT_BYTES = 256 * 1024 * 1024
_GET_ATTEMPTS = 3


def is_loopback_host(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_base_url(url: str) -> str:
    """Return the normalised base URL, or raise ConfigError with what is wrong."""
    url = (url or "").strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise E.ConfigError(f"The hub address '{url}' is not a valid http(s) URL.")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise E.ConfigError(
            "The hub address must use https:// (plain http is only allowed for this computer, "
            "e.g. http://127.0.0.1)."
        )
    return url


def _shared_ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle takes ~25 ms; every run has its own client, so share one verifying
    # context (thread-safe, never modified after creation), rebuilt if the CA env changes.
    return _ssl_context_for(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@functools.cache
def _ssl_context_for(_cert_file: str | None, _cert_dir: str | None) -> ssl.SSLContext:
    import httpx

    return httpx.create_ssl_context()


class HubClient:
    """Owns one ``httpx.Client``. One client per run, so Cancel can abort its sockets."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
        verify: bool | ssl.SSLContext = True,
        cancel: CancelToken | None = None,
    ) -> None:
        import httpx

        from retouch.core.transport import AbortableTransport

        self.base_url = validate_base_url(base_url)
        if not api_key:
            raise E.MissingKeyError("No API key is set. Add your Oxen API key in Settings.")
        self._key = api_key
        remember_secret(api_key)
        self.read_timeout = read_timeout
        self._transport = AbortableTransport(
            verify=_shared_ssl_context() if verify is True else verify, retries=0
        )
        self._http = httpx.Client(
            transport=self._transport,
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            headers={"User-Agent": f"Retouch/{__version__}"},
            follow_redirects=False,
        )
        self._verify = verify
        self._connect_timeout = connect_timeout
        self.cancel = cancel or CancelToken()
        self.cancel.on_cancel(self._transport.abort)
        origin = urlsplit(self.base_url)
        self._origin = (origin.scheme, origin.netloc)

    # -- lifecycle ------------------------------------------------------------------------

    def fresh(self) -> HubClient:
        """A new client to the same hub with its own sockets and cancel token."""
        return HubClient(
            self.base_url,
            self._key,
            connect_timeout=self._connect_timeout,
            read_timeout=self.read_timeout,
            verify=self._verify,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- low level ------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return self.base_url + path

    def _auth_headers(self, url: str) -> dict[str, str]:
        # The key goes only to the hub itself, never to a third-party result host.
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) == self._origin:
            return {"Authorization": f"Bearer {self._key}"}
        return {}

    @contextmanager
    def _mapped(self, *, is_edit: bool, what: str) -> Iterator[None]:
        """Translate httpx failures into the app's errors, naming what may have been billed."""
        import httpx

        try:
            yield
        except E.RetouchError:
            raise
        except httpx.TimeoutException as exc:
            if self.cancel.cancelled:
                raise E.CancelledError() from None
            if isinstance(exc, httpx.ConnectTimeout):
                raise E.ConnectFailedError(
                    f"Could not connect to the hub within {CONNECT_TIMEOUT:.0f} s. "
                    "Check your internet connection and try again."
                ) from None
            billed = (
                " The edit may still finish and be billed; it was not resent automatically."
                if is_edit
                else ""
            )
            raise E.HubTimeoutError(
                f"The hub did not answer {what} in time ({self.read_timeout:.0f} s).{billed}"
            ) from None
        except httpx.ConnectError as exc:
            if self.cancel.cancelled:
                raise E.CancelledError() from None
            text = str(exc)
            if "CERTIFICATE_VERIFY_FAILED" in text or "SSL" in text:
                raise E.TlsError(
                    "The hub's security certificate could not be verified, so nothing was sent. "
                    "Check the hub address in Settings, or your network (a captive portal or "
                    "proxy may be intercepting the connection)."
                ) from None
            host = urlsplit(self.base_url).hostname
            if "Name or service not known" in text or "getaddrinfo" in text or "nodename" in text:
                raise E.ConnectFailedError(
                    f"Could not find the hub at '{host}'. Check the address in Settings and "
                    "your internet connection."
                ) from None
            raise E.ConnectFailedError(
                f"Could not connect to the hub at '{host}'. Check your internet connection "
                "and try again."
            ) from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            if self.cancel.cancelled:
                raise E.CancelledError() from None
            billed = (
                " The edit may have been billed; it was not resent automatically."
                if is_edit
                else ""
            )
            log.info("connection lost during %s: %s", what, redact(str(exc), [self._key]))
            raise E.ConnectionLostError(
                f"The connection to the hub dropped {what}.{billed} Run it again when ready."
            ) from None
        except httpx.HTTPError as exc:
            if self.cancel.cancelled:
                raise E.CancelledError() from None
            raise E.NetworkError(
                f"Network error {what}: {redact(type(exc).__name__, [self._key])}."
            ) from None

    def _send(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        files: Any = None,
        data: Any = None,
        is_edit: bool = False,
        what: str = "",
        retry: bool = False,
    ) -> httpx.Response:
        url = self.url(path)
        # A POST gets one more try only when the connection failed before anything was sent.
        attempts = _GET_ATTEMPTS if retry else 2
        for attempt in range(1, attempts + 1):
            self.cancel.raise_if_cancelled()
            request_id = uuid.uuid4().hex[:12]
            started = time.monotonic()
            try:
                with self._mapped(is_edit=is_edit, what=what):
                    response = self._http.request(
                        method,
                        url,
                        json=json_body,
                        files=files,
                        data=data,
                        headers={**self._auth_headers(url), "X-Request-Id": request_id},
                    )
            except (E.ConnectFailedError, E.ConnectionLostError) as exc:
                lost = isinstance(exc, E.ConnectionLostError)
                if attempt >= attempts or (lost and not retry):
                    raise
                log.info("%s %s failed (%s), retrying", method, path, type(exc).__name__)
                if self.cancel.wait(0.5 * attempt):
                    raise E.CancelledError() from None
                continue
            log.info(
                "%s %s -> %d in %.2fs (request %s)",
                method,
                path,
                response.status_code,
                time.monotonic() - started,
                request_id,
            )
            if response.is_success:
                return response
            raise error_from_response(
                response.status_code, response.headers, response.content, is_edit=is_edit
            )
        raise AssertionError("unreachable")

    def _json(self, response: httpx.Response, what: str) -> Any:
        try:
            return response.json()
        except (ValueError, UnicodeDecodeError):
            raise E.MalformedReplyError(
                f"The hub's reply to {what} was not valid JSON. Try again; if it keeps "
                "happening the hub may be having problems.",
                status=response.status_code,
            ) from None

    # -- the API --------------------------------------------------------------------------

    def edit(self, body: dict[str, Any]) -> dict[str, Any]:
        """POST /ai/images/edit. Never retried once it may have reached the server."""
        response = self._send(
            "POST", "/ai/images/edit", json_body=body, is_edit=True, what="while editing"
        )
        doc = self._json(response, "the edit")
        if not isinstance(doc, dict) or not isinstance(doc.get("images"), list):
            raise E.MalformedReplyError(
                "The hub's reply did not contain any images. The edit may have been billed; "
                "try again.",
                status=response.status_code,
            )
        return doc

    def list_models(self) -> list[dict[str, Any]]:
        response = self._send("GET", "/ai/models", retry=True, what="listing models")
        doc = self._json(response, "the model list")
        data = doc.get("data") if isinstance(doc, dict) else None
        if not isinstance(data, list):
            raise E.MalformedReplyError("The hub's model list was not in the expected form.")
        return [m for m in data if isinstance(m, dict) and isinstance(m.get("id"), str)]

    def get_model(self, model_id: str) -> dict[str, Any]:
        response = self._send(
            "GET", f"/ai/models/{quote(model_id, safe='')}", retry=True, what="reading the model"
        )
        doc = self._json(response, "the model")
        if not isinstance(doc, dict) or not isinstance(doc.get("id"), str):
            raise E.MalformedReplyError("The hub's model description was not in the expected form.")
        return doc

    def queue_submit(self, body: dict[str, Any]) -> list[str]:
        response = self._send("POST", "/ai/queue", json_body=body, is_edit=True, what="queueing")
        doc = self._json(response, "the queue request")
        gens = doc.get("generations") if isinstance(doc, dict) else None
        found = [g.get("generation_id") for g in gens or [] if isinstance(g, dict)]
        ids = [i for i in found if isinstance(i, str) and i]
        if not ids:
            raise E.MalformedReplyError("The hub's queue reply had no generation ids.")
        return ids

    def queue_get(self, generation_id: str) -> dict[str, Any]:
        response = self._send(
            "GET",
            f"/ai/queue/{quote(generation_id, safe='')}",
            retry=True,
            what="checking the queue",
        )
        doc = self._json(response, "the queue status")
        if not isinstance(doc, dict) or not isinstance(doc.get("status"), str):
            raise E.MalformedReplyError("The hub's queue status was not in the expected form.")
        return doc

    def queue_cancel(self, generation_id: str) -> None:
        self._send(
            "DELETE", f"/ai/queue/{quote(generation_id, safe='')}", retry=True, what="cancelling"
        )

    def queue_list(self) -> list[dict[str, Any]]:
        response = self._send("GET", "/ai/queue", retry=True, what="listing the queue")
        doc = self._json(response, "the queue list")
        gens = doc.get("generations") if isinstance(doc, dict) else doc
        return [g for g in gens or [] if isinstance(g, dict)] if isinstance(gens, list) else []

    def create_repo(self, namespace: str, name: str, *, public: bool = True) -> bool:
        """Create a repository; False if it already exists."""
        try:
            self._send(
                "POST",
                "/repos",
                json_body={"namespace": namespace, "name": name, "is_public": public},
                what="creating the repository",
            )
        except E.ConflictError:
            return False
        return True

    def repo_file_url(self, namespace: str, repo: str, branch: str, path: str) -> str:
        return self.url(
            f"/repos/{quote(namespace)}/{quote(repo)}/file/{quote(branch)}/{quote(path)}"
        )

    def upload_file(
        self,
        namespace: str,
        repo: str,
        path: str,
        data: bytes,
        *,
        branch: str = "main",
        content_type: str = "application/octet-stream",
        message: str = "Upload from Retouch",
    ) -> str:
        """PUT a file into a repository and return the URL it can be fetched from."""
        file_name = path.rsplit("/", 1)[-1]
        api_path = f"/repos/{quote(namespace)}/{quote(repo)}/file/{quote(branch)}/{quote(path)}"
        self._send(
            "PUT",
            api_path,
            files={"file": (file_name, data, content_type)},
            data={"message": message, "name": "Retouch", "email": "retouch@localhost"},
            retry=False,
            what="uploading an input",
        )
        return self.repo_file_url(namespace, repo, branch, path)

    def download(
        self,
        url: str,
        *,
        max_bytes: int | None = None,
        on_progress: Callable[[int, int | None], None] | None = None,
    ) -> bytes:
        """Fetch a result URL (streamed, capped). Retried: downloading twice costs nothing."""
        if max_bytes is None:
            max_bytes = MAX_RESULT_BYTES  # read at call time, so the cap can be configured
        last: E.RetouchError | None = None
        for attempt in range(1, _GET_ATTEMPTS + 1):
            self.cancel.raise_if_cancelled()
            try:
                return self._download_once(url, max_bytes, on_progress)
            except (E.ConnectionLostError, E.ConnectFailedError, E.ServerError) as exc:
                last = exc
                if self.cancel.wait(0.4 * attempt):
                    raise E.CancelledError() from None
        assert last is not None
        raise E.ResultDownloadError(
            f"A result image could not be downloaded after {_GET_ATTEMPTS} tries: {last.message}"
        )

    def _download_once(
        self,
        url: str,
        max_bytes: int,
        on_progress: Callable[[int, int | None], None] | None,
    ) -> bytes:
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or (
            parts.scheme == "http" and not is_loopback_host(parts.hostname or "")
        ):
            raise E.ResultDownloadError("The hub returned a result address that is not https.")
        with self._mapped(is_edit=False, what="while downloading a result"):
            # Result links may redirect to storage; httpx drops Authorization across origins.
            with self._http.stream(
                "GET", url, headers=self._auth_headers(url), follow_redirects=True
            ) as response:
                if not response.is_success:
                    if response.status_code >= 500:
                        raise E.ServerError(
                            f"The result server had a problem ({response.status_code}).",
                            status=response.status_code,
                        )
                    raise E.ResultDownloadError(
                        f"A result image is no longer available ({response.status_code}). "
                        "Result links expire quickly; run the edit again.",
                        status=response.status_code,
                    )
                total_header = response.headers.get("content-length")
                total = int(total_header) if total_header and total_header.isdigit() else None
                if total is not None and total > max_bytes:
                    raise E.ResultDownloadError(
                        f"A result image is too large ({total / 1e6:.0f} MB, limit "
                        f"{max_bytes / 1e6:.0f} MB); it was not downloaded."
                    )
                chunks: list[bytes] = []
                received = 0
                for chunk in response.iter_bytes(1 << 16):
                    received += len(chunk)
                    if received > max_bytes:
                        raise E.ResultDownloadError(
                            f"A result image was larger than {max_bytes / 1e6:.0f} MB; the "
                            "download was stopped."
                        )
                    chunks.append(chunk)
                    if on_progress is not None:
                        on_progress(received, total)
                    self.cancel.raise_if_cancelled()
        return b"".join(chunks)
