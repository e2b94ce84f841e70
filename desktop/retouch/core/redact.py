"""Scrub secrets and bulky payloads from text before it reaches a log, a file or the screen."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_BEARER = re.compile(r"(?i)(bearer\s+)[^\s\"',;]+")
# Base64 may be wrapped onto several lines, but a space ends it (it must not eat what follows).
_DATA_URI = re.compile(r"data:[\w.+-]+/[\w.+-]+;base64,(?:[A-Za-z0-9+/=]|\r?\n){16,}")
# Signed result URLs carry their credential in the query string.
_URL_QUERY = re.compile(r"(https?://[^\s\"'?#]+)\?[^\s\"'#]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _secrets(secrets: Iterable[str] | None) -> Iterable[str]:
    if secrets is not None:
        return secrets
    from retouch.core.secrets import known_secrets

    return known_secrets()


def scrub_secrets(text: str, secrets: Iterable[str] | None = None) -> str:
    """*text* with every key the process knows (or *secrets*) replaced; nothing else changed.

    For text that must otherwise stay intact (result URLs, ids) — ``redact`` also shortens
    URLs and data URIs.
    """
    for secret in _secrets(secrets):
        if secret and len(secret) >= 4 and secret in text:
            text = text.replace(secret, "[redacted]")
    return text


def scrub_tree(value: Any, secrets: Iterable[str] | None = None) -> Any:
    """A parsed JSON document with every key the process knows scrubbed from every string
    in it, dict keys included. Iterative: a hostile document cannot exhaust the stack."""
    found = [s for s in _secrets(secrets) if s and len(s) >= 4]
    if not found:
        return value
    if isinstance(value, str):
        return scrub_secrets(value, found)
    if not isinstance(value, (dict, list)):
        return value
    stack: list[Any] = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key in list(node):
                item = node[key]
                if isinstance(item, str):
                    item = scrub_secrets(item, found)
                elif isinstance(item, (dict, list)):
                    stack.append(item)
                if isinstance(key, str):
                    clean = scrub_secrets(key, found)
                    if clean != key:
                        del node[key]
                        key = clean
                node[key] = item
        else:
            for i, item in enumerate(node):
                if isinstance(item, str):
                    node[i] = scrub_secrets(item, found)
                elif isinstance(item, (dict, list)):
                    stack.append(item)
    return value


def scrub_bytes(data: bytes, secrets: Iterable[str] | None = None) -> bytes:
    """Raw reply bytes with every known key replaced (before any parsing sees them)."""
    for secret in _secrets(secrets):
        if secret and len(secret) >= 4:
            raw = secret.encode("utf-8")
            if raw in data:
                data = data.replace(raw, b"[redacted]")
    return data


def redact(text: str, secrets: Iterable[str] | None = None) -> str:
    """*text* without keys (every key the process knows unless *secrets* is given), bearer
    tokens, signed-URL queries or data URIs: fit for a log, a file or the screen."""
    text = _URL_QUERY.sub(r"\1?[…]", text)  # before data URIs, which could run into a URL
    text = _DATA_URI.sub("data:[image omitted]", text)
    # After data URIs: "Bearer data:image/png;base64,…" must not lose the URI's header to
    # the token pattern and leave its payload behind.
    text = _BEARER.sub(r"\1[redacted]", text)
    # Keys last: a key that happens to match part of a data URI's header must not stop the
    # URI itself from being recognised and removed.
    return scrub_secrets(text, secrets)


def clean_detail(text: str, limit: int = 400, secrets: Iterable[str] | None = None) -> str:
    """Make server-provided text safe and short enough to show a person."""
    text = _CONTROL.sub("", redact(text, secrets)).strip()
    text = re.sub(r"\s+", " ", text)
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text
