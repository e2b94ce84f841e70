"""The one place that speaks HTTP to the Oxen hub (``../shared/API.md``). No Qt here."""

from __future__ import annotations

import functools
import heapq
import io
import ipaddress
import itertools
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from retouch import __version__
from retouch.core import errors as E
from retouch.core import jsonio
from retouch.core.cancel import CancelToken
from retouch.core.hub_errors import error_from_response
from retouch.core.i18n import translate
from retouch.core.redact import redact, scrub_bytes, scrub_tree
from retouch.core.reply_stream import ReplyReader, ReplyTooLarge, StreamedImage
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
#: One result image, downloaded or decoded from ``b64_json``.
MAX_RESULT_BYTES = 256 * 1024 * 1024
#: The JSON text of any reply (``b64_json`` images are counted against MAX_RESULT_BYTES).
MAX_REPLY_BYTES = 16 * 1024 * 1024
#: Of an error reply, only this much is read: the message is in the first few hundred bytes.
MAX_ERROR_BYTES = 64 * 1024
#: A reply or download slower than this on average (after the grace period) is stopped.
MIN_BYTES_PER_SECOND = 2048.0
RATE_GRACE_SECONDS = 30.0
#: The longest the app waits for an edit to finish (the hub reports 4 min at large sizes).
MAX_EDIT_WAIT = 15 * 60.0
#: Seconds before the first retry of a request that may be retried (doubled each time).
RETRY_BACKOFF = 0.5
_GET_ATTEMPTS = 3


@dataclass(frozen=True)
class Limits:
    """How much and how slowly the hub may answer before the app stops listening.

    Every field is settings-ready; None means the module constant at the time of the call.
    """

    max_reply_bytes: int | None = None
    max_result_bytes: int | None = None
    min_bytes_per_second: float | None = None
    rate_grace_seconds: float | None = None
    max_edit_wait: float | None = None

    @property
    def reply_bytes(self) -> int:
        return MAX_REPLY_BYTES if self.max_reply_bytes is None else self.max_reply_bytes

    @property
    def result_bytes(self) -> int:
        return MAX_RESULT_BYTES if self.max_result_bytes is None else self.max_result_bytes

    @property
    def min_rate(self) -> float:
        return (
            MIN_BYTES_PER_SECOND if self.min_bytes_per_second is None else self.min_bytes_per_second
        )

    @property
    def grace(self) -> float:
        return RATE_GRACE_SECONDS if self.rate_grace_seconds is None else self.rate_grace_seconds

    @property
    def edit_wait(self) -> float:
        return MAX_EDIT_WAIT if self.max_edit_wait is None else self.max_edit_wait


def _mb(n: float) -> str:
    return f"{n / 1e6:.0f} MB" if n >= 1e6 else f"{n / 1e3:.0f} KB"


def duration_text(seconds: float) -> str:
    """'15 min', '45 s', '0.5 s': a wait as a person reads it."""
    if seconds >= 120:
        return f"{seconds / 60:.0f} min"
    return f"{seconds:.0f} s" if seconds >= 1 else f"{seconds:.1f} s"


class _Watchdog:
    """One thread for every deadline of every client: calls a callback when its time is up.

    A thread per request would cost more than a small request itself; deadlines are rare to
    fire, so one sleeper over a heap of them is enough.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, _Deadline]] = []
        self._seq = itertools.count()
        self._thread: threading.Thread | None = None

    def add(self, deadline: _Deadline) -> None:
        with self._cond:
            heapq.heappush(self._heap, (deadline.at, next(self._seq), deadline))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="retouch-deadlines", daemon=True
                )
                self._thread.start()
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._heap and self._heap[0][2].done:
                    heapq.heappop(self._heap)
                if not self._heap:
                    if not self._cond.wait(30.0) and not self._heap:
                        self._thread = None
                        return
                    continue
                at, _seq, deadline = self._heap[0]
                delay = at - time.monotonic()
                if delay > 0:
                    self._cond.wait(delay)
                    continue
                heapq.heappop(self._heap)
            deadline.fire()


_WATCHDOG = _Watchdog()


@dataclass(eq=False)
class _Deadline:
    at: float
    on_fire: Callable[[], None]
    fired: bool = False
    done: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fire(self) -> None:
        with self._lock:
            if self.done:
                return
            self.fired = self.done = True
        self.on_fire()

    def stop(self) -> None:
        with self._lock:
            self.done = True


@dataclass
class Reply:
    status: int
    headers: Any
    body: bytes


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
        limits: Limits | None = None,
    ) -> None:
        import httpx

        from retouch.core.transport import AbortableTransport

        self.base_url = validate_base_url(base_url)
        if not api_key:
            raise E.MissingKeyError("No API key is set. Add your Oxen API key in Settings.")
        self._key = api_key
        remember_secret(api_key)
        self.read_timeout = read_timeout
        self.limits = limits or Limits()
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
            limits=self.limits,
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
    def _mapped(
        self, *, is_edit: bool, what: str, wait: float | None = None
    ) -> Iterator[_Deadline]:
        """Translate httpx failures into the app's errors, naming what may have been billed.

        *wait* bounds the time until the reply's headers arrive (the caller stops the yielded
        deadline then): past it the sockets are shut down, however the server trickles.
        """
        import httpx

        deadline = _Deadline(time.monotonic() + (wait or self.read_timeout), self._transport.abort)
        _WATCHDOG.add(deadline)
        try:
            yield deadline
        except E.RetouchError:
            raise
        except httpx.HTTPError as exc:
            if self.cancel.cancelled:
                raise E.CancelledError() from None
            if deadline.fired:
                raise self._wait_error(is_edit, what, wait or self.read_timeout) from None
            raise self._network_error(exc, is_edit=is_edit, what=what) from None
        finally:
            deadline.stop()
            if deadline.fired and not self.cancel.cancelled:
                self._transport.reset_abort()

    def _wait_error(self, is_edit: bool, what: str, seconds: float) -> E.RetouchError:
        if is_edit:
            return E.EditWaitError(
                translate(
                    "core",
                    "The hub did not finish {what} within {wait}, so Retouch stopped waiting. "
                    "The edit may still finish and be billed; it was not resent automatically.",
                ).format(what=what.removeprefix("while "), wait=duration_text(seconds))
            )
        return E.HubTimeoutError(
            translate("core", "The hub did not answer {what} within {wait}.").format(
                what=what, wait=duration_text(seconds)
            )
        )

    def _network_error(self, exc: Exception, *, is_edit: bool, what: str) -> E.RetouchError:
        import httpx

        if isinstance(exc, httpx.TimeoutException):
            if isinstance(exc, httpx.ConnectTimeout):
                return E.ConnectFailedError(
                    f"Could not connect to the hub within {CONNECT_TIMEOUT:.0f} s. "
                    "Check your internet connection and try again."
                )
            billed = (
                " "
                + translate(
                    "core",
                    "The edit may still finish and be billed; it was not resent automatically.",
                )
                if is_edit
                else ""
            )
            return E.HubTimeoutError(
                translate("core", "The hub did not answer {what} in time ({seconds} s).").format(
                    what=what, seconds=f"{self.read_timeout:.0f}"
                )
                + billed
            )
        if isinstance(exc, httpx.ConnectError):
            text = str(exc)
            if "CERTIFICATE_VERIFY_FAILED" in text or "SSL" in text:
                return E.TlsError(
                    translate(
                        "core",
                        "The hub's security certificate could not be verified, so nothing was "
                        "sent. Check the hub address in Settings, or your network (a captive "
                        "portal or proxy may be intercepting the connection).",
                    )
                )
            host = urlsplit(self.base_url).hostname
            if "Name or service not known" in text or "getaddrinfo" in text or "nodename" in text:
                return E.ConnectFailedError(
                    translate(
                        "core",
                        "Could not find the hub at '{host}'. Check the address in Settings "
                        "and your internet connection.",
                    ).format(host=host)
                )
            return E.ConnectFailedError(
                translate(
                    "core",
                    "Could not connect to the hub at '{host}'. Check your internet connection "
                    "and try again.",
                ).format(host=host)
            )
        if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
            billed = (
                " "
                + translate(
                    "core", "The edit may have been billed; it was not resent automatically."
                )
                if is_edit
                else ""
            )
            log.info("connection lost during %s: %s", what, redact(str(exc)))
            return E.ConnectionLostError(
                translate("core", "The connection to the hub dropped {what}.").format(what=what)
                + billed
                + " "
                + translate("core", "Run it again when ready.")
            )
        return E.NetworkError(f"Network error {what}: {redact(type(exc).__name__)}.")

    def _read_body(
        self,
        response: httpx.Response,
        *,
        cap: int,
        what: str,
        is_edit: bool = False,
        sink: Callable[[bytes], None] | None = None,
        on_progress: Callable[[int, int | None], None] | None = None,
        too_large: Callable[[], E.RetouchError] | None = None,
    ) -> bytes:
        """Stream a reply body: at most *cap* bytes held, at least the minimum rate, Cancel
        checked between pieces. With *sink* the pieces go there instead (nothing is held)."""
        total_header = response.headers.get("content-length")
        total = int(total_header) if total_header and total_header.isdigit() else None
        limits = self.limits
        buf = io.BytesIO()
        received = 0
        started = time.monotonic()
        # No chunk size: each piece is handed over as the network delivers it, so a reply
        # trickling in a byte at a time is seen doing so (a chunk size would wait to fill).
        for piece in response.iter_bytes():
            received += len(piece)
            if sink is not None:
                sink(piece)
            else:
                if received > cap:
                    raise (too_large or self._reply_too_large(what, cap, is_edit))()
                buf.write(piece)
            if on_progress is not None:
                on_progress(received, total)
            self.cancel.raise_if_cancelled()
            elapsed = time.monotonic() - started
            if elapsed > limits.grace and received < limits.min_rate * elapsed:
                raise self._too_slow(what, received, elapsed, is_edit)
        return buf.getvalue()

    def _reply_too_large(self, what: str, cap: int, is_edit: bool) -> Callable[[], E.RetouchError]:
        billed = (
            " The edit may have been billed; it was not resent automatically." if is_edit else ""
        )
        return lambda: E.MalformedReplyError(
            f"The hub's reply {what} was larger than {_mb(cap)}, so it was not read.{billed}"
        )

    def _too_slow(self, what: str, received: int, elapsed: float, is_edit: bool) -> E.RetouchError:
        billed = (
            " The edit may have been billed; it was not resent automatically." if is_edit else ""
        )
        return E.SlowTransferError(
            f"The hub's reply {what} arrived too slowly ({received} bytes in "
            f"{duration_text(elapsed)}; at least {_mb(self.limits.min_rate)}/s is needed), so "
            f"Retouch stopped it.{billed}"
        )

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
        wait: float | None = None,
        reader: ReplyReader | None = None,
    ) -> Reply:
        url = self.url(path)
        # A POST gets one more try only when the connection failed before anything was sent.
        attempts = _GET_ATTEMPTS if retry else 2
        for attempt in range(1, attempts + 1):
            self.cancel.raise_if_cancelled()
            request_id = uuid.uuid4().hex[:12]
            started = time.monotonic()
            try:
                with (
                    self._mapped(is_edit=is_edit, what=what, wait=wait) as deadline,
                    self._http.stream(
                        method,
                        url,
                        json=json_body,
                        files=files,
                        data=data,
                        headers={**self._auth_headers(url), "X-Request-Id": request_id},
                    ) as response,
                ):
                    deadline.stop()  # the headers are here; the body has its rate floor
                    log.info(
                        "%s %s -> %d in %.2fs (request %s)",
                        method,
                        path,
                        response.status_code,
                        time.monotonic() - started,
                        request_id,
                    )
                    if not response.is_success:
                        # Only the start of an error body matters; the rest is not read.
                        body = self._read_error_body(response)
                        raise error_from_response(
                            response.status_code, response.headers, body, is_edit=is_edit
                        )
                    body = self._read_body(
                        response,
                        cap=self.limits.reply_bytes,
                        what=what,
                        is_edit=is_edit,
                        sink=reader.feed if reader is not None else None,
                    )
                    return Reply(response.status_code, response.headers, scrub_bytes(body))
            except (E.ConnectFailedError, E.ConnectionLostError) as exc:
                lost = isinstance(exc, E.ConnectionLostError)
                if attempt >= attempts or (lost and not retry):
                    raise
                log.info("%s %s failed (%s), retrying", method, path, type(exc).__name__)
                if self.cancel.wait(RETRY_BACKOFF * attempt):
                    raise E.CancelledError() from None
        raise AssertionError("unreachable")

    def _read_error_body(self, response: httpx.Response) -> bytes:
        buf = bytearray()
        for piece in response.iter_bytes():
            buf += piece
            if len(buf) >= MAX_ERROR_BYTES:
                break
        # Every text the hub sends is scrubbed of the keys this process knows, here, before
        # anything parses, logs, stores or shows it.
        return scrub_bytes(bytes(buf[:MAX_ERROR_BYTES]))

    def _json(self, reply: Reply, what: str, expect: type | tuple[type, ...] | None = dict) -> Any:
        try:
            doc = jsonio.loads(
                reply.body,
                what=f"The hub's reply to {what}",
                expect=expect,
                max_bytes=len(reply.body),
            )
        except jsonio.JsonError as exc:
            if exc.reason == "wrong_type":
                raise E.MalformedReplyError(
                    f"The hub's reply to {what} was not in the expected form.",
                    status=reply.status,
                ) from None
            raise E.MalformedReplyError(
                f"The hub's reply to {what} was not valid JSON. Try again; if it keeps "
                "happening the hub may be having problems.",
                status=reply.status,
            ) from None
        # The same scrub as the raw bytes got, for keys hidden behind JSON escapes.
        return scrub_tree(doc)

    # -- the API --------------------------------------------------------------------------

    def edit(self, body: dict[str, Any], *, max_images: int | None = None) -> dict[str, Any]:
        """POST /ai/images/edit. Never retried once it may have reached the server.

        Returns the reply with its results as ``images`` (whichever documented shape they came
        in), at most *max_images* of them (default: the ``num_images`` asked for);
        ``dropped_images`` counts any more the hub sent. A ``b64_json`` result is decoded as
        it streams in, under the result cap: its value is then the decoded bytes, or the
        RetouchError that says why there are none.
        """
        keep = max_images if max_images is not None else _asked(body)
        limits = self.limits
        reader = ReplyReader(
            max_text_bytes=limits.reply_bytes,
            max_image_bytes=limits.result_bytes,
            max_images=keep,
        )
        what = translate("core", "while editing")
        notes: list[str] = []
        try:
            reply = self._send(
                "POST",
                "/ai/images/edit",
                json_body=body,
                is_edit=True,
                what=what,
                wait=limits.edit_wait,
                reader=reader,
            )
        except ReplyTooLarge:
            # The text around the images passed its cap: whatever images had fully arrived
            # are paid for, so they are kept; the rest of the reply is not read.
            salvaged = reader.complete_images()
            if not salvaged:
                raise self._reply_too_large(what, limits.reply_bytes, True)() from None
            doc: Any = {"images": [{"b64_json": img} for img in salvaged]}
            notes.append(
                translate(
                    "core",
                    "the hub's reply was too large and was cut off; the {n} images that had "
                    "fully arrived were kept",
                ).format(n=len(salvaged))
            )
            status = 200
        else:
            status = reply.status
            try:
                doc = reader.document(what="The hub's reply to the edit")
            except jsonio.JsonError:
                raise E.MalformedReplyError(
                    "The hub's reply to the edit was not valid JSON. Try again; if it keeps "
                    "happening the hub may be having problems.",
                    status=status,
                ) from None
            doc = scrub_tree(doc)  # revised prompts, ids, messages: no known key survives
        items = result_items(doc)
        if items is None:
            raise E.MalformedReplyError(
                "The hub's reply did not contain any images. The edit may have been billed; "
                "try again.",
                status=status,
            )
        for index, item in enumerate(items):
            image = item.get("b64_json")
            if isinstance(image, StreamedImage):
                item["b64_json"] = _image_or_error(image, index, limits.result_bytes)
        if len(items) > keep:
            notes.append(
                translate(
                    "core",
                    "the hub sent {got} images where {keep} were asked for; only the first "
                    "{keep} were kept",
                ).format(got=len(items), keep=keep)
            )
        out = dict(doc) if isinstance(doc, dict) else {}
        out.update(images=items[:keep], dropped_images=max(0, len(items) - keep), notes=notes)
        return out

    def list_models(self) -> list[dict[str, Any]]:
        reply = self._send(
            "GET", "/ai/models", retry=True, what=translate("core", "listing models")
        )
        doc = self._json(reply, "the model list")
        data = doc.get("data")
        if not isinstance(data, list):
            raise E.MalformedReplyError("The hub's model list was not in the expected form.")
        return [m for m in data if isinstance(m, dict) and isinstance(m.get("id"), str)]

    def get_model(self, model_id: str) -> dict[str, Any]:
        reply = self._send(
            "GET",
            f"/ai/models/{quote(model_id, safe='')}",
            retry=True,
            what=translate("core", "reading the model"),
        )
        doc: dict[str, Any] = self._json(reply, "the model")
        wrapped = doc.get("data")
        if isinstance(wrapped, dict) and "id" not in doc:
            doc = wrapped  # some hubs wrap one object as they wrap lists
        if not isinstance(doc.get("id"), str):
            raise E.MalformedReplyError("The hub's model description was not in the expected form.")
        return doc

    def queue_submit(self, body: dict[str, Any]) -> list[str]:
        reply = self._send(
            "POST", "/ai/queue", json_body=body, is_edit=True, what=translate("core", "queueing")
        )
        doc = self._json(reply, "the queue request")
        gens = doc.get("generations")
        found = (
            [g.get("generation_id") for g in gens if isinstance(g, dict)]
            if isinstance(gens, list)
            else []
        )
        ids = [i for i in found if isinstance(i, str) and i]
        if not ids:
            raise E.MalformedReplyError("The hub's queue reply had no generation ids.")
        return ids

    def queue_get(self, generation_id: str) -> dict[str, Any]:
        reply = self._send(
            "GET",
            f"/ai/queue/{quote(generation_id, safe='')}",
            retry=True,
            what=translate("core", "checking the queue"),
        )
        doc: dict[str, Any] = self._json(reply, "the queue status")
        if not isinstance(doc.get("status"), str):
            raise E.MalformedReplyError("The hub's queue status was not in the expected form.")
        if not isinstance(doc.get("result_url"), str):
            # The other documented result shapes, as for a synchronous edit.
            urls = [i.get("url") for i in result_items(doc) or [] if isinstance(i.get("url"), str)]
            if urls:
                doc["result_url"] = urls[0]
        return doc

    def queue_cancel(self, generation_id: str) -> None:
        self._send(
            "DELETE",
            f"/ai/queue/{quote(generation_id, safe='')}",
            retry=True,
            what=translate("core", "cancelling"),
        )

    def queue_list(self) -> list[dict[str, Any]]:
        reply = self._send(
            "GET", "/ai/queue", retry=True, what=translate("core", "listing the queue")
        )
        doc = self._json(reply, "the queue list", expect=(dict, list))
        gens = doc.get("generations") if isinstance(doc, dict) else doc
        return [g for g in gens if isinstance(g, dict)] if isinstance(gens, list) else []

    def create_repo(self, namespace: str, name: str, *, public: bool = True) -> bool:
        """Create a repository; False if it already exists."""
        try:
            self._send(
                "POST",
                "/repos",
                json_body={"namespace": namespace, "name": name, "is_public": public},
                what=translate("core", "creating the repository"),
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
            what=translate("core", "uploading an input"),
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
            max_bytes = self.limits.result_bytes  # read at call time, so the cap can be set
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
        what = translate("core", "while downloading a result")
        # Result links may redirect to storage; httpx drops Authorization across origins.
        with (
            self._mapped(is_edit=False, what=what) as deadline,
            self._http.stream(
                "GET", url, headers=self._auth_headers(url), follow_redirects=True
            ) as response,
        ):
            deadline.stop()
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
            try:
                return self._read_body(
                    response,
                    cap=max_bytes,
                    what=what,
                    on_progress=on_progress,
                    too_large=lambda: E.ResultDownloadError(
                        f"A result image was larger than {max_bytes / 1e6:.0f} MB; the "
                        "download was stopped."
                    ),
                )
            except E.SlowTransferError as exc:
                # Not retried: a host this slow would only take three times as long to fail.
                raise E.ResultDownloadError(exc.message) from None


def _asked(body: dict[str, Any]) -> int:
    """How many results an edit body asks for (``num_images``; 1 when absent or odd)."""
    for key in ("num_images", "num_generations", "n"):
        value = body.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return min(value, 16)
    return 1


def result_items(doc: Any) -> list[dict[str, Any]] | None:
    """The result items of a reply in any documented shape, each a dict that may have
    ``url``, ``b64_json`` and ``revised_prompt``; None when the reply names no results at all.

    Shapes: ``{"images": [{"url"|"b64_json"}]}`` (API.md §1), OpenAI's ``{"data": [...]}``,
    a top-level ``image_url`` (or ``url``) string, and list entries that are bare URL strings.
    """
    if not isinstance(doc, dict):
        return None
    for key in ("images", "data", "output", "outputs"):
        entries = doc.get(key)
        if isinstance(entries, list):
            break
    else:
        for key in ("image_url", "url", "result_url"):
            if isinstance(doc.get(key), str) and doc[key]:
                return [{"url": doc[key]}]
        if isinstance(doc.get("b64_json"), (str, StreamedImage)):
            return [{"b64_json": doc["b64_json"]}]
        return None
    items: list[dict[str, Any]] = []
    for entry in entries:
        if isinstance(entry, str):
            items.append({"url": entry})
        elif isinstance(entry, dict):
            item = dict(entry)
            if not isinstance(item.get("url"), str) and isinstance(item.get("image_url"), str):
                item["url"] = item["image_url"]
            items.append(item)
    return items


def _image_or_error(image: StreamedImage, index: int, cap: int) -> bytes | E.RetouchError:
    if image.data is not None:
        return image.data
    if image.problem == "too_large":
        return E.ResultDownloadError(
            f"Result {index + 1} was larger than {cap / 1e6:.0f} MB; it was not kept."
        )
    if image.problem == "not_kept":
        return E.ResultDownloadError(f"Result {index + 1} was not asked for; it was not kept.")
    return E.MalformedReplyError(f"Result {index + 1} was not valid base64.")
