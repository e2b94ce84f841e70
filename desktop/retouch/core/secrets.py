"""The API key: OS keyring only (``OXEN_API_KEY`` overrides), in memory when no keyring exists.

The key is never written to settings, logs, history or messages.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass

log = logging.getLogger(__name__)

SERVICE = "Retouch"
USERNAME = "oxen-api-key"
ENV_VAR = "OXEN_API_KEY"

_session_key: str | None = None
_lock = threading.Lock()
# Every key this process has handled, so logs can scrub them without asking the keyring
# (a keyring read per log line would be slow, and may prompt the user to unlock it).
_known: set[str] = set()


def remember_secret(value: str | None) -> None:
    if value and len(value) >= 4:
        with _lock:
            _known.add(value)


def known_secrets() -> list[str]:
    with _lock:
        known = list(_known)
    env = os.environ.get(ENV_VAR, "").strip()
    return [*known, env] if env else known


@dataclass(frozen=True)
class KeyringStatus:
    available: bool
    backend: str
    reason: str = ""


def keyring_status() -> KeyringStatus:
    """Is there a real, encrypted keyring? Plain-text backends count as none."""
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001 - a broken keyring install must not stop the app
        return KeyringStatus(False, "none", f"the keyring library failed to load ({exc})")
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if isinstance(backend, fail.Keyring) or "null" in name.lower():
        return KeyringStatus(False, name, "no keyring service is available on this system")
    if "keyrings.alt" in name or "Plaintext" in name:
        return KeyringStatus(False, name, "the only keyring found stores secrets as plain text")
    return KeyringStatus(True, name)


def get_api_key() -> tuple[str | None, str]:
    """Return (key, where it came from): 'env', 'keyring', 'session' or 'none'."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        remember_secret(env)
        return env, "env"
    return stored_api_key()


def stored_api_key() -> tuple[str | None, str]:
    """The key the user saved: 'session' (no keyring could take it), 'keyring' or 'none'.

    ``OXEN_API_KEY`` is not read here: ``retouch.core.profile`` puts it above this.
    """
    with _lock:
        if _session_key:
            return _session_key, "session"
    status = keyring_status()
    if status.available:
        try:
            import keyring

            key = keyring.get_password(SERVICE, USERNAME)
        except Exception as exc:  # noqa: BLE001 - locked or broken keyrings act as "no key"
            log.warning("could not read the keyring: %s", type(exc).__name__)
            key = None
        if key:
            remember_secret(key)
            return key, "keyring"
    return None, "none"


@dataclass(frozen=True)
class KeyStored:
    """What actually happened to a key the user entered (say it; offer to retry if not kept).

    ``where`` is "keyring" (stored for good) or "session" (in memory until the app quits);
    ``reason`` says why it is not in the keyring ("" when it is); ``refused`` is True when a
    keyring exists but would not take it (a dismissed unlock prompt, a locked collection):
    trying again may work, unlike when there is no keyring at all.
    """

    where: str
    backend: str = ""
    reason: str = ""
    refused: bool = False

    @property
    def in_keyring(self) -> bool:
        return self.where == "keyring"

    def message(self) -> str:
        if self.in_keyring:
            return "Your API key is stored in your system keyring."
        return (
            "Your API key is kept for this session only: it is not in your system keyring "
            f"because {self.reason}. You will be asked for it again next time."
        )


def store_api_key(key: str) -> KeyStored:
    """Store *key* in the keyring, or keep it for this session when the keyring cannot take
    it; the result says which, and why."""
    global _session_key
    key = key.strip()
    if not key:
        raise ValueError("empty key")
    remember_secret(key)
    status = keyring_status()
    if status.available:
        try:
            import keyring

            keyring.set_password(SERVICE, USERNAME, key)
        except Exception as exc:  # noqa: BLE001 - any backend failure means "not stored"
            from retouch.core.redact import redact

            # The backend's words, scrubbed (some echo what they were given) and shortened.
            said = " ".join(redact(str(exc), [key]).split())[:160]
            reason = f"the keyring refused it ({type(exc).__name__}{': ' + said if said else ''})"
            log.warning(
                "keyring refused the key (%s); keeping it for this session", type(exc).__name__
            )
            with _lock:
                _session_key = key
            return KeyStored("session", status.backend, reason, refused=True)
        with _lock:
            _session_key = None
        return KeyStored("keyring", status.backend)
    with _lock:
        _session_key = key
    return KeyStored("session", status.backend, status.reason or "no keyring is available")


def set_api_key(key: str) -> str:
    """Store *key*; returns 'keyring' or 'session' (see store_api_key for why)."""
    return store_api_key(key).where


def delete_api_key() -> None:
    global _session_key
    with _lock:
        _session_key = None
    if keyring_status().available:
        try:
            import keyring
            from keyring.errors import PasswordDeleteError

            try:
                keyring.delete_password(SERVICE, USERNAME)
            except PasswordDeleteError:
                pass
        except Exception as exc:  # noqa: BLE001
            log.warning("could not remove the key from the keyring: %s", type(exc).__name__)


def forget_session_key() -> None:
    global _session_key
    with _lock:
        _session_key = None
