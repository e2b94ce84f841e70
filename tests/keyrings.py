"""Keyring backends for tests: real backends that keep secrets in memory only."""

from __future__ import annotations

import keyring.backend


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A real keyring backend that forgets everything at the end of the test."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if self.store.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


class RefusingKeyring(MemoryKeyring):
    """A working keyring whose unlock prompt the user dismissed: it refuses to store, and
    (like some backends) repeats what it was given in its error. ``refuse = False`` is the
    user unlocking it."""

    def __init__(self) -> None:
        super().__init__()
        self.refuse = True

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.refuse:
            import keyring.errors

            raise keyring.errors.KeyringLocked(f"prompt dismissed while storing {password}")
        super().set_password(service, username, password)
