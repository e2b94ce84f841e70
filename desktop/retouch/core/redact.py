"""Scrub secrets and bulky payloads from text before it reaches a log, a file or the screen."""

from __future__ import annotations

import re
from collections.abc import Iterable

_BEARER = re.compile(r"(?i)(bearer\s+)[^\s\"',;]+")
# Base64 may be wrapped onto several lines, but a space ends it (it must not eat what follows).
_DATA_URI = re.compile(r"data:[\w.+-]+/[\w.+-]+;base64,(?:[A-Za-z0-9+/=]|\r?\n){16,}")
# Signed result URLs carry their credential in the query string.
_URL_QUERY = re.compile(r"(https?://[^\s\"'?#]+)\?[^\s\"'#]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "[redacted]")
    text = _BEARER.sub(r"\1[redacted]", text)
    text = _URL_QUERY.sub(r"\1?[…]", text)  # before data URIs, which could run into a URL
    text = _DATA_URI.sub("data:[image omitted]", text)
    return text


def clean_detail(text: str, limit: int = 400, secrets: Iterable[str] = ()) -> str:
    """Make server-provided text safe and short enough to show a person."""
    text = _CONTROL.sub("", redact(text, secrets)).strip()
    text = re.sub(r"\s+", " ", text)
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text
