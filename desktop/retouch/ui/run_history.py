"""The window's run history: opened on first use, after the first paint (runs a kill
interrupted are recovered then); read-only when a newer Retouch made it; replaced by a fresh
start after damage; closed with the window, and never opened again by a closed window.

What the user is told about a history that could not be used as it is, and the fresh start,
are the session's (``SessionController.report_history``, ``start_fresh_history``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from retouch.core.history import HistoryStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HistoryOpened:
    """The history as start-up found it: the store (None when it could not be opened) and,
    when something is wrong, what to tell the user."""

    store: HistoryStore | None
    #: "" (fine), "damaged" (set aside on request), "newer" (opened read-only) or "unavailable".
    problem: str = ""
    detail: str = ""


def open_history(demo: bool = False) -> HistoryOpened:
    """The run history, recovered after a crash. A damaged database is left untouched (the
    window offers a fresh start); one made by a newer Retouch is opened read-only. In the
    demo, the runs it begins are marked as demo runs."""
    from retouch.core.history import (
        HistoryDamagedError,
        HistoryError,
        HistoryStore,
        HistoryTooNewError,
    )
    from retouch.core.paths import history_dir

    root = history_dir()
    try:
        store = HistoryStore(root, demo=demo)
        interrupted = store.recover()
    except HistoryDamagedError as exc:
        log.error("history damaged: %s", exc)
        return HistoryOpened(None, "damaged", exc.detail)
    except HistoryTooNewError as exc:
        log.warning("history made by a newer Retouch (schema %d): read-only", exc.version)
        try:
            return HistoryOpened(HistoryStore(root, read_only=True), "newer", str(exc))
        except (HistoryError, OSError) as again:
            log.error("history unavailable: %s", again)
            return HistoryOpened(None, "newer", str(exc))
    except (HistoryError, OSError) as exc:
        log.error("history unavailable: %s", exc)
        return HistoryOpened(None, "unavailable", str(exc))
    if interrupted:
        log.info("%d runs were interrupted by the last exit", len(interrupted))
    return HistoryOpened(store)


class RunHistory:
    """The window's one history store. *report* hears how the opening went; *changed* hears
    of another store (a fresh start) or of none (the window closed)."""

    def __init__(
        self,
        *,
        demo: bool,
        report: Callable[[HistoryOpened], None],
        changed: Callable[[HistoryStore | None], None],
    ) -> None:
        self._demo = demo
        self._report = report
        self._changed = changed
        self._store: HistoryStore | None = None
        self._opened = False
        #: What was wrong with the history at start ("", "damaged", "newer", "unavailable").
        self.problem = ""

    @property
    def store(self) -> HistoryStore | None:
        """The history (None when it cannot be opened), opened on first use; a history
        made by a newer Retouch is open read-only (see ``recorder``)."""
        if not self._opened:
            self._opened = True
            opened = open_history(demo=self._demo)
            self._store = opened.store
            self.problem = opened.problem
            self._report(opened)
        return self._store

    @property
    def recorder(self) -> HistoryStore | None:
        """Where runs are recorded: the history, unless it is read-only (then nowhere)."""
        store = self.store
        return store if store is not None and not store.read_only else None

    def replace(self, store: HistoryStore) -> None:
        """A new history (a fresh start after damage) in place of the old one."""
        old, self._store, self._opened = self._store, store, True
        self.problem = ""
        self._changed(store)
        if old is not None and old is not store:
            old.close()

    def close(self) -> None:
        """The window closes: the store is closed and never opened again."""
        self._opened = True
        if self._store is not None:
            self._changed(None)
            store, self._store = self._store, None
            store.close()
