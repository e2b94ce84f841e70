"""The window's hub profile: which hub, which key, how inputs travel, where results go.

``core.profile.resolve`` decides it (flag > environment > settings > default; demo mode
replaces hub, key and upload); this object keeps the window's one profile and resolves it
again after Settings changed. The key is read from the keyring once, on first use — after
the first paint (``import keyring`` and its backend discovery cost ~100 ms) and never on
every keystroke (a locked keyring may prompt the user).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from retouch.core import errors as E
from retouch.core.settings import Settings

if TYPE_CHECKING:
    from retouch.core.profile import DemoHub, HubProfile


class HubAccess:
    def __init__(self, settings: Settings, demo: DemoHub | None = None) -> None:
        self.settings = settings
        self._demo = demo
        self._profile: HubProfile | None = None
        self._fallback_key: tuple[str | None] | None = None

    @property
    def demo(self) -> bool:
        return self._demo is not None

    def profile(self) -> HubProfile:
        """The profile; ``ConfigError`` (naming where the bad value came from) if it has none."""
        if self._profile is None:
            from retouch.core.profile import resolve

            self._profile = resolve(self.settings, demo=self._demo)
        return self._profile

    def key(self) -> str | None:
        """The API key, or None; read once per profile."""
        try:
            return self.profile().api_key()
        except E.ConfigError:
            # A bad address still leaves the key known (Run then names the address).
            if self._fallback_key is None:
                from retouch.core.secrets import get_api_key

                self._fallback_key = (get_api_key()[0],)
            return self._fallback_key[0]

    def forget(self) -> None:
        """Settings or the key changed: resolve again on next use."""
        self._profile = None
        self._fallback_key = None
