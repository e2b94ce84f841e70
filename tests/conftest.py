"""Shared fixtures: every test gets its own data folder, an in-memory keyring, no real hub."""

from __future__ import annotations

import os

# Set before anything imports Qt: CI has no display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from tests.keyrings import MemoryKeyring


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    data = tmp_path / "retouch-data"
    monkeypatch.setenv("RETOUCH_DATA_DIR", str(data))
    monkeypatch.delenv("OXEN_API_KEY", raising=False)
    monkeypatch.delenv("RETOUCH_API_BASE", raising=False)
    monkeypatch.delenv("RETOUCH_UPLOAD", raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    from retouch.core import secrets

    secrets.forget_session_key()
    yield data
    secrets.forget_session_key()
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    backend = keyring.get_keyring()
    assert isinstance(backend, MemoryKeyring)
    return backend


@pytest.fixture
def fake_hub() -> Iterator[object]:
    from retouch.fakehub import FakeHub

    hub = FakeHub(port=0, api_key="test-key").start()
    try:
        yield hub
    finally:
        hub.stop()


@pytest.fixture
def hub_env(fake_hub: object, monkeypatch: pytest.MonkeyPatch) -> object:
    """The fake hub plus the environment the app and CLI read to find it."""
    monkeypatch.setenv("OXEN_API_KEY", "test-key")
    monkeypatch.setenv("RETOUCH_API_BASE", fake_hub.base_url)  # type: ignore[attr-defined]
    return fake_hub


@pytest.fixture(scope="session")
def qapp_cls():
    """pytest-qt creates the app's own QApplication subclass, as `retouch` does."""
    from retouch.ui.application import RetouchApplication

    return RetouchApplication
