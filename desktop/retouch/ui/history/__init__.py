"""History panel (browse, reopen, re-run, star, export, delete runs) and the compare view."""

from retouch.ui.history.compare import CompareView
from retouch.ui.history.model import HistoryListModel
from retouch.ui.history.panel import HistoryPanel

__all__ = ["CompareView", "HistoryListModel", "HistoryPanel"]
