"""Keeping the models offered up to date from the hub: the quiet fetch after the first
paint and after Settings changed, and Refresh Models (the user asked), which says how it
went. ``model_catalogue.ModelCatalogue`` holds the list and does the fetching.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from retouch.core import errors as E
from retouch.ui.i18n import plural

if TYPE_CHECKING:
    from retouch.ui.main_window import MainWindow

log = logging.getLogger(__name__)


class ModelRefresh(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        window.catalogue.refreshed.connect(self._refreshed)
        window.catalogue.refreshFailed.connect(self._refresh_failed)

    def fetch(self) -> None:
        """Ask the hub for its models when there is a key; a failure is only logged."""
        w = self.w
        key = w.hub.key()  # the key is read here, after the first paint
        w.update_run_state()
        try:
            profile = w.hub.profile()
        except E.ConfigError as exc:
            log.info("model list not fetched: %s", exc.message)  # Run will say why
            return
        if key:
            w.catalogue.fetch(profile)

    def refresh(self) -> None:
        """Refresh Models: fetch now and say how it went."""
        w = self.w
        if not w.hub.key():
            w.show_message(
                "warning", self.tr("The model list comes from the hub: set your API key.")
            )
            return
        try:
            profile = w.hub.profile()
        except E.ConfigError as exc:
            w.show_message("error", exc.message, "settings")
            return
        w.statusBar().showMessage(self.tr("Refreshing the model list…"))
        w.catalogue.fetch(profile, explicit=True)

    def _refreshed(self, count: int) -> None:
        text = plural(self.tr("Model list updated: %n edit model(s).", "", count), count)
        self.w.statusBar().showMessage(text, 8000)

    def _refresh_failed(self, message: str) -> None:
        self.w.statusBar().clearMessage()
        self.w.show_message("warning", self.tr("The model list was not refreshed.") + f" {message}")
