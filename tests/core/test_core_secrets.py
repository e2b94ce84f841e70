"""The API key: keyring, session fallback, environment override — and never on disk."""

from __future__ import annotations

import base64
import io
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import keyring.errors
import pytest
from keyring.backends import fail
from PIL import Image

from retouch.core import errors as E
from retouch.core import secrets
from retouch.core.editing import EditRunner, prepare_edit
from retouch.core.hub_client import HubClient
from retouch.core.logs import LOG_NAME, setup_logging
from retouch.core.request import EditRequest, InputRef
from retouch.core.schema import builtin_model
from retouch.fakehub import FakeHub, Fault
from tests.keyrings import MemoryKeyring, RefusingKeyring

SECRET = "sk-live-SECRET-0123456789abcdef"


class PlaintextKeyring(MemoryKeyring):
    """Stands in for keyrings.alt's plain-text file backend (it is recognised by name)."""

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


class LockedKeyring(keyring.backend.KeyringBackend):
    """A real-looking keyring that is locked: every call fails."""

    priority = 1  # type: ignore[assignment]

    def delete_password(self, service: str, username: str) -> None:
        raise RuntimeError("keyring is locked")

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("keyring is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("keyring is locked")


def test_key_goes_to_the_keyring(memory_keyring: Any) -> None:
    assert secrets.keyring_status().available
    assert secrets.get_api_key() == (None, "none")
    assert secrets.set_api_key(f"  {SECRET}\n") == "keyring"
    assert memory_keyring.store[(secrets.SERVICE, secrets.USERNAME)] == SECRET
    assert secrets.get_api_key() == (SECRET, "keyring")
    secrets.delete_api_key()
    assert secrets.get_api_key() == (None, "none")
    secrets.delete_api_key()  # twice is fine


def test_empty_key_is_refused() -> None:
    with pytest.raises(ValueError):
        secrets.set_api_key("   ")


@pytest.mark.parametrize("backend", [fail.Keyring, PlaintextKeyring], ids=["fail", "plaintext"])
def test_without_a_real_keyring_the_key_lives_in_the_session(backend: Any) -> None:
    instance = backend()
    keyring.set_keyring(instance)
    status = secrets.keyring_status()
    assert not status.available
    assert status.reason
    assert secrets.set_api_key(SECRET) == "session"
    assert secrets.get_api_key() == (SECRET, "session")
    if isinstance(instance, PlaintextKeyring):
        assert instance.store == {}  # never written as plain text
    secrets.delete_api_key()
    assert secrets.get_api_key() == (None, "none")


def test_a_broken_keyring_falls_back_to_the_session() -> None:
    keyring.set_keyring(LockedKeyring())
    assert secrets.keyring_status().available  # looks real...
    assert secrets.get_api_key() == (None, "none")  # ...but reading fails quietly
    assert secrets.set_api_key(SECRET) == "session"  # ...and writing falls back
    assert secrets.get_api_key() == (SECRET, "session")
    secrets.delete_api_key()  # the locked keyring's refusal is logged, not raised
    assert secrets.get_api_key() == (None, "none")


def test_a_refused_key_is_reported_as_kept_for_the_session_and_can_be_retried() -> None:
    backend = RefusingKeyring()
    keyring.set_keyring(backend)
    outcome = secrets.store_api_key(SECRET)
    assert outcome.where == "session" and not outcome.in_keyring
    assert outcome.refused  # a keyring is there: trying again may work
    assert "KeyringLocked" in outcome.reason and "prompt dismissed" in outcome.reason
    assert SECRET not in outcome.reason + outcome.message()
    assert "for this session only" in outcome.message()
    assert "stored in your system keyring" not in outcome.message()
    assert backend.store == {}
    assert secrets.get_api_key() == (SECRET, "session")
    # The user unlocks the keyring and retries: now it is stored for good.
    backend.refuse = False
    again = secrets.store_api_key(SECRET)
    assert again.in_keyring and not again.refused and again.reason == ""
    assert "stored in your system keyring" in again.message()
    assert backend.store[(secrets.SERVICE, secrets.USERNAME)] == SECRET
    secrets.forget_session_key()
    assert secrets.get_api_key() == (SECRET, "keyring")


def test_no_keyring_at_all_says_so_and_is_not_a_refusal() -> None:
    keyring.set_keyring(fail.Keyring())
    outcome = secrets.store_api_key(SECRET)
    assert outcome.where == "session" and not outcome.refused
    assert "no keyring service" in outcome.reason


def test_environment_overrides_everything(
    memory_keyring: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets.set_api_key("stored-key")
    monkeypatch.setenv("OXEN_API_KEY", f" {SECRET} ")
    assert secrets.get_api_key() == (SECRET, "env")
    monkeypatch.setenv("OXEN_API_KEY", "   ")
    assert secrets.get_api_key() == ("stored-key", "keyring")


@pytest.fixture
def log_file(isolated_env: Path) -> Iterator[Path]:
    root = logging.getLogger("retouch")
    others = [logging.getLogger(name) for name in ("httpx", "httpcore")]
    levels = [root.level] + [logger.level for logger in others]
    before = list(root.handlers)
    path = setup_logging(isolated_env / "logs", logging.DEBUG)
    yield path
    for handler in list(root.handlers):
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    for logger, level in zip([root, *others], levels, strict=True):
        logger.setLevel(level)


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (5, 100, 200)).save(buf, "PNG")
    return buf.getvalue()


def test_key_never_reaches_logs_or_files(
    log_file: Path, isolated_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OXEN_API_KEY", SECRET)
    out = tmp_path / "out"
    photo = tmp_path / "photo.png"
    photo.write_bytes(_png())
    model = builtin_model()
    assert model is not None
    mask = Image.new("L", (64, 48), 0)
    mask.paste(255, (0, 0, 30, 30))

    def run(client: HubClient, **params: Any) -> None:
        request = EditRequest(
            "a red hat",
            [InputRef(path=photo)],
            model,
            {"resolution": "1024x768", **params},
            mask_image=mask,
        )
        EditRunner(client, out).run(prepare_edit(request))

    with FakeHub(api_key=SECRET).start() as hub, HubClient(hub.base_url, SECRET) as client:
        run(client, num_images=2)  # success
        hub.add_fault(Fault("download_404", times=1))
        run(client, num_images=2)  # partial
        for failure in (
            Fault("status", status=500),
            Fault("status", status=429, retry_after=3),
            Fault("drop"),
            Fault("drop_mid_reply"),
            Fault("download_truncated", times=5),
            Fault("download_not_image"),
        ):
            hub.add_fault(failure)
            with pytest.raises(E.RetouchError) as info:
                run(client)
            assert SECRET not in info.value.message
        with HubClient(hub.base_url, SECRET, read_timeout=0.3) as slow:
            hub.add_fault(Fault("delay", seconds=1.0))
            with pytest.raises(E.HubTimeoutError):
                run(slow)
        # Whatever a careless log call passes, the file is scrubbed.
        signed = hub.base_url + "/results/x.png?sig=abcdef123456"
        uri = "data:image/png;base64," + base64.b64encode(_png()).decode()
        logging.getLogger("retouch.test").warning(
            "headers Authorization: Bearer %s key=%s uri=%s url=%s", SECRET, SECRET, uri, signed
        )
        try:
            raise RuntimeError(f"boom with {SECRET}")
        except RuntimeError:
            logging.getLogger("retouch.test").exception("failed for %s", SECRET)

    assert log_file.name == LOG_NAME and log_file.exists()
    log_text = log_file.read_text("utf-8")
    assert "connection lost" in log_text  # the log really was written to
    for leak in (SECRET, "data:image", "sig=", "iVBORw0KGgo"):
        assert leak not in log_text, leak
    files = [p for folder in (isolated_env, out) for p in folder.rglob("*") if p.is_file()]
    assert len([p for p in files if p.suffix == ".png"]) >= 3
    for path in files:
        assert SECRET.encode() not in path.read_bytes(), path
        if path.suffix == ".json":
            text = path.read_text("utf-8")
            assert "data:" not in text and "sig=" not in text, path
