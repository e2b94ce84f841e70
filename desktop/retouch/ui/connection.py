"""Which hub the window talks to, with which key, and where results go.

One object the window, its runs, the model catalogue and the batch panel share. The key is
read from the keyring once, on first use, and not before: after the first paint (reading
it imports keyring and scans its backends, ~100 ms) and never on every keystroke (a locked
keyring may prompt the user). ``forget_key`` makes the next use read it again.
"""

from __future__ import annotations

import os
from pathlib import Path

from retouch.core.paths import default_output_dir
from retouch.core.settings import Settings


class HubAccess:
    def __init__(
        self, settings: Settings, demo_base_url: str | None = None, demo_key: str | None = None
    ) -> None:
        self.settings = settings
        self.demo_base_url = demo_base_url
        self.demo_key = demo_key
        self._key: tuple[str | None] | None = None

    @property
    def demo(self) -> bool:
        return bool(self.demo_base_url)

    def connection(self) -> tuple[str | None, str | None]:
        """(base URL, API key or None); environment > settings > default for the URL."""
        from retouch.core.hub_client import DEFAULT_BASE_URL

        if self.demo_base_url:
            return self.demo_base_url, self.demo_key or "demo"
        base = (
            os.environ.get("RETOUCH_API_BASE") or self.settings.get("api_base") or DEFAULT_BASE_URL
        )
        return base, self.key()

    def key(self) -> str | None:
        if self.demo_base_url:
            return self.demo_key or "demo"
        if self._key is None:
            from retouch.core.secrets import get_api_key

            self._key = (get_api_key()[0],)
        return self._key[0]

    def forget_key(self) -> None:
        self._key = None

    def upload(self) -> str:
        return "data-uri" if self.demo else str(self.settings.get("upload"))

    def output_dir(self) -> Path:
        return Path(self.settings.get("output_dir") or default_output_dir())
