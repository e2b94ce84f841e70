"""Turn an HTTP error reply from the hub into the right typed exception.

Pure function of (status, headers, body) so it can be fuzzed without a server.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from retouch.core import errors as E
from retouch.core import jsonio
from retouch.core.i18n import translate
from retouch.core.redact import clean_detail

_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None  # HTTP-date form: rare for APIs; the generic message covers it.
    if seconds != seconds or seconds < 0:  # NaN or negative
        return None
    return min(seconds, 3600.0)


def extract_error(body: bytes) -> tuple[str | None, str | None, bool]:
    """Return (error type, human text, body was JSON) from either documented error shape."""
    try:
        doc = jsonio.loads(body, what="The hub's error reply")
    except jsonio.JsonError:
        text = body[:4096].decode("utf-8", "replace")
        title = _TITLE.search(text)
        if title:
            return None, title.group(1), False
        return None, (text if text.strip() and "<" not in text[:1] else None), False
    if not isinstance(doc, dict):
        return None, None, True
    err = doc.get("error")
    if isinstance(err, str):
        return None, err, True
    if not isinstance(err, dict):
        msg = doc.get("message") or doc.get("detail")
        return None, msg if isinstance(msg, str) else None, True
    raw_type = err.get("type")
    err_type = raw_type if isinstance(raw_type, str) else None
    status_message = doc.get("status_message")
    if err_type is None and isinstance(status_message, str):
        err_type = status_message
    parts = [err.get(k) for k in ("detail", "message", "title")]
    said = next((p for p in parts if isinstance(p, str) and p.strip()), None)
    return err_type, said, True


def error_from_response(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    is_edit: bool = False,
) -> E.HubError:
    err_type, raw_text, _ = extract_error(body)
    detail = clean_detail(raw_text) if raw_text else ""
    lowered = detail.lower()
    kw: dict[str, Any] = {"status": status, "error_type": err_type, "detail": detail or None}
    # Translatable templates (core/i18n.py): the window shows them in the user's language.
    said = translate("core", "The hub said: {detail}").format(detail=detail) if detail else ""
    maybe_billed = (
        translate(
            "core", "The edit was not resent automatically: check your results or run it again."
        )
        if is_edit
        else ""
    )

    if "insufficient credit" in lowered or "not enough credit" in lowered or status == 402:
        return E.InsufficientCreditsError(
            translate(
                "core",
                "Your Oxen account is out of credits. Add credits in your Oxen account, "
                "then run again.",
            ),
            **kw,
        )
    if status == 401 or err_type == "unauthenticated":
        return E.AuthError(
            translate(
                "core",
                "The hub did not accept your API key. Enter a valid key in Settings "
                "(you find it in your Oxen account settings).",
            ),
            **kw,
        )
    if status == 429:
        retry_after = parse_retry_after(headers.get("retry-after"))
        busy = (
            translate(
                "core", "The hub is busy and asked us to slow down. Try again in {seconds} s."
            )
            if retry_after is not None
            else translate(
                "core", "The hub is busy and asked us to slow down. Try again in a minute."
            )
        )
        return E.RateLimitedError(
            busy.format(seconds=f"{retry_after:.0f}" if retry_after is not None else ""),
            retry_after=retry_after,
            **kw,
        )
    if "403 client error" in lowered or ("forbidden for url" in lowered):
        return E.InputFetchError(
            translate(
                "core",
                "The model server could not download an input image or the mask. If you upload "
                "to an Oxen repository it must be public; or switch the upload method to "
                "'Embed in request' in Settings.",
            ),
            **kw,
        )
    if "model not found" in lowered:
        return E.ModelNotFoundError(
            _joined(
                translate("core", "The hub does not know this model."),
                said,
                translate("core", "Pick another model."),
            ),
            **kw,
        )
    if status in (400, 422) or err_type == "invalid_params":
        return E.InvalidParamsError(
            _joined(
                translate("core", "The hub refused the request parameters."),
                said or translate("core", "No reason was given."),
            ),
            **kw,
        )
    if status == 403:
        return E.AuthError(
            _joined(
                translate("core", "The hub refused access (403)."),
                said,
                translate("core", "Check that your key may use this model and namespace."),
            ),
            **kw,
        )
    if status == 404 or err_type == "resource_not_found":
        return E.NotFoundError(
            _joined(translate("core", "The hub could not find what was asked for (404)."), said),
            **kw,
        )
    if status == 409:
        return E.ConflictError(
            _joined(translate("core", "The hub reported a conflict (409)."), said), **kw
        )
    if status == 413:
        return E.PayloadTooLargeError(
            translate(
                "core",
                "The request is too large for the hub. Use fewer or smaller input images, or "
                "upload inputs to an Oxen repository instead of embedding them.",
            ),
            **kw,
        )
    if status >= 500:
        return E.ServerError(
            _joined(
                translate("core", "The hub had a problem on its side ({status}).").format(
                    status=status
                ),
                said,
                maybe_billed,
            ),
            **kw,
        )
    return E.HubError(
        _joined(
            translate("core", "The hub answered with an error ({status}).").format(status=status),
            said,
        ),
        **kw,
    )


def _joined(*parts: str) -> str:
    return " ".join(p for p in parts if p)
