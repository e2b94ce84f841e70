"""The QApplication subclass: events addressed to the application itself."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication


class RetouchApplication(QApplication):
    """Receives macOS "open this file" requests (Finder, Dock, Open With).

    Files that arrive before the main window exists (on the very first launch the Welcome
    dialog is up while Finder delivers them) are kept and handed to the window once it is
    attached with :meth:`attach_window`.

    Overriding ``event`` sees only events sent to the application object; an event filter on
    the application would run Python for every event of every widget.
    """

    main_window: Any = None

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._pending_opens: list[str] = []

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen:
            target = event.file() or event.url().toString()  # type: ignore[attr-defined]
            if target:
                if self.main_window is None:
                    self._pending_opens.append(target)
                else:
                    self._open([target])
            return True
        return super().event(event)

    def take_pending_opens(self) -> list[str]:
        """Files and links that arrived before a window could take them (and forget them)."""
        pending, self._pending_opens = self._pending_opens, []
        return pending

    def attach_window(self, window: Any) -> None:
        """From now on, opened files go to *window*; any that arrived earlier go there now."""
        self.main_window = window
        pending = self.take_pending_opens()
        if pending and window is not None:
            self._open(pending)

    def _open(self, targets: list[str]) -> None:
        urls = [t for t in targets if t.startswith(("http://", "https://"))]
        paths = [t for t in targets if t not in urls]
        if paths:
            self.main_window.tray.add_paths(paths)
        if urls:
            self.main_window.tray.add_urls(urls)
