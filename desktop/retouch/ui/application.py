"""The QApplication subclass: events addressed to the application itself."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication


class RetouchApplication(QApplication):
    """Receives macOS "open this file" requests (Finder, Dock, Open With).

    Overriding ``event`` sees only events sent to the application object; an event filter on
    the application would run Python for every event of every widget.
    """

    main_window: Any = None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen and self.main_window is not None:
            target = event.file() or event.url().toString()  # type: ignore[attr-defined]
            if target.startswith(("http://", "https://")):
                self.main_window.tray.add_urls([target])
            elif target:
                self.main_window.tray.add_paths([target])
            return True
        return super().event(event)
