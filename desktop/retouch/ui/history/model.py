"""List model over the history store: lazy paging and off-thread thumbnails.

Runs are fetched a page at a time as the view scrolls (``canFetchMore``/``fetchMore``), so a
history of thousands of runs opens as fast as an empty one. Thumbnails are requested only when
a row is painted: the request is a task (``tasks.run_task``) on the model's own pool that reads
or builds the cached file with Pillow (``HistoryStore.thumbnail``) and decodes it into a
``QImage``; the result comes back on the UI thread, and the row repaints. Until then the
delegate draws a placeholder.
"""

from __future__ import annotations

import atexit
import weakref
from collections import OrderedDict
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QImage, QPixmap

from retouch.core.history import HistoryStore, RunRecord
from retouch.ui.tasks import Task, run_task

RUN_ROLE = Qt.ItemDataRole.UserRole + 1
RUN_ID_ROLE = Qt.ItemDataRole.UserRole + 2
THUMB_STATE_ROLE = Qt.ItemDataRole.UserRole + 3  # "ready", "loading", "missing"

Index = QModelIndex | QPersistentModelIndex


def _load_thumbnail(store: HistoryStore, source: str, size: int) -> QImage:
    """The run's thumbnail (a null image when it cannot be made), on a pool thread."""
    try:
        thumb = store.thumbnail(source, size)
        image = QImage(str(thumb))
        if image.isNull():  # a damaged cache entry: rebuild it once from the source
            image = QImage(str(store.thumbs.get(Path(source), size, regenerate=True)))
    except Exception:  # noqa: BLE001 - a missing or broken image just shows a placeholder
        image = QImage()
    return image


# Models whose worker pools must be drained before the interpreter tears down: a worker still
# running Python code during finalisation crashes or spews errors at exit.
_LIVE_MODELS: weakref.WeakSet[HistoryListModel] = weakref.WeakSet()


@atexit.register
def _shutdown_all() -> None:
    for model in list(_LIVE_MODELS):
        if shiboken6.isValid(model):  # not already deleted with its window
            model.shutdown()


class HistoryListModel(QAbstractListModel):
    PAGE_SIZE = 100
    PIXMAP_CACHE = 600

    thumbnailReady = Signal(str)  # source path

    def __init__(self, parent: QObject | None = None, thumb_size: int = 160) -> None:
        super().__init__(parent)
        self.thumb_size = thumb_size
        self._store: HistoryStore | None = None
        self._filters: dict[str, Any] = {}
        self._rows: list[RunRecord] = []
        self._row_of: dict[str, int] = {}
        self._exhausted = True
        self._generation = 0
        self._pixmaps: OrderedDict[str, QPixmap] = OrderedDict()
        self._failed: set[str] = set()
        self._pending: set[str] = set()
        self._pool = QThreadPool(self)
        # Two workers keep a spare core for the UI; Pillow releases the GIL while decoding.
        self._pool.setMaxThreadCount(max(2, min(4, QThreadPool.globalInstance().maxThreadCount())))
        # Thumbnail tasks not yet done; they are cancelled with the model (their receiver).
        self._tasks: set[Task[QImage]] = set()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        _LIVE_MODELS.add(self)

    # ------------------------------------------------------------------ configuration
    def store(self) -> HistoryStore | None:
        return self._store

    def set_store(self, store: HistoryStore | None) -> None:
        self._store = store
        self._generation += 1  # thumbnails still in flight belong to the old store
        self._pixmaps.clear()
        self._failed.clear()
        self.reload()

    def filters(self) -> dict[str, Any]:
        return dict(self._filters)

    def set_filters(self, **filters: Any) -> None:
        """Same keywords as ``HistoryStore.runs`` (search, model, since, until, starred)."""
        self._filters = {k: v for k, v in filters.items() if v not in (None, "")}
        self.reload()

    def reload(self, keep_loaded: bool = False) -> None:
        """Re-query from the top; with *keep_loaded*, load as many rows as were shown."""
        want = self.PAGE_SIZE
        if keep_loaded:
            # A little headroom: runs added at the top must not push the loaded (and perhaps
            # selected) tail out of the model.
            want = max(want, len(self._rows) + 20)
        # Queued (not yet started) thumbnails may be for rows that are no longer shown; rows
        # still shown simply ask again when painted.
        self._cancel_thumbnails()
        self._pending.clear()
        self.beginResetModel()
        self._rows, self._row_of = [], {}
        self._exhausted = self._store is None
        if self._store is not None:
            self._append(self._store.runs(**self._filters, limit=want, offset=0), want)
        self.endResetModel()

    def _append(self, records: list[RunRecord], asked: int) -> None:
        if len(records) < asked:
            self._exhausted = True
        for rec in records:
            if rec.id in self._row_of:  # a run added at the top shifted the pages
                continue
            self._row_of[rec.id] = len(self._rows)
            self._rows.append(rec)

    def shutdown(self) -> None:
        """Drop queued thumbnail jobs and wait for the running ones (at most a few ms)."""
        self._cancel_thumbnails()
        self._pool.waitForDone()

    def _cancel_thumbnails(self) -> None:
        for task in list(self._tasks):
            task.cancel()  # one still queued never starts; one running finishes its file

    def wait_for_thumbnails(self, msecs: int = -1) -> bool:
        """Block until queued thumbnail jobs have finished (tests, benchmarks, shutdown)."""
        return self._pool.waitForDone(msecs)

    # ------------------------------------------------------------------- Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and self._store is not None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent) or self._store is None:
            return
        page = self._store.runs(**self._filters, limit=self.PAGE_SIZE, offset=len(self._rows))
        fresh = [r for r in page if r.id not in self._row_of]
        if len(page) < self.PAGE_SIZE:
            self._exhausted = True
        if not fresh:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        self._append(fresh, 0)
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        rec = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return rec.prompt
        if role == Qt.ItemDataRole.ToolTipRole:
            return rec.prompt
        if role == RUN_ROLE:
            return rec
        if role == RUN_ID_ROLE:
            return rec.id
        if role == Qt.ItemDataRole.DecorationRole:
            return self._thumbnail_for(rec)
        if role == THUMB_STATE_ROLE:
            return self._thumb_state(rec)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # ---------------------------------------------------------------------- records
    def record(self, row: int) -> RunRecord | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, run_id: str) -> int:
        return self._row_of.get(run_id, -1)

    def index_of(self, run_id: str) -> QModelIndex:
        row = self.row_of(run_id)
        return self.index(row, 0) if row >= 0 else QModelIndex()

    def update_run(self, run_id: str) -> None:
        """Re-read one run (after star, finish…) without resetting the view."""
        row = self.row_of(run_id)
        if row < 0 or self._store is None:
            return
        rec = self._store.get(run_id)
        if rec is None:
            self.remove_run(run_id)
            return
        self._rows[row] = rec
        idx = self.index(row, 0)
        self.dataChanged.emit(idx, idx)

    def remove_run(self, run_id: str) -> None:
        row = self.row_of(run_id)
        if row < 0:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self._row_of = {r.id: i for i, r in enumerate(self._rows)}
        self.endRemoveRows()

    # -------------------------------------------------------------------- thumbnails
    def _thumb_state(self, rec: RunRecord) -> str:
        path = rec.preview_path
        if path is None or str(path) in self._failed:
            return "missing"
        return "ready" if str(path) in self._pixmaps else "loading"

    def _thumbnail_for(self, rec: RunRecord) -> QPixmap | None:
        path = rec.preview_path
        if path is None or self._store is None:
            return None
        key = str(path)
        pixmap = self._pixmaps.get(key)
        if pixmap is not None:
            self._pixmaps.move_to_end(key)
            return pixmap
        if key not in self._pending and key not in self._failed:
            self._pending.add(key)
            store, size, generation = self._store, self.thumb_size, self._generation
            task = run_task(
                lambda _ctx: _load_thumbnail(store, key, size),
                receiver=self,
                name="history thumbnail",
                pool=self._pool,
                on_result=lambda image: self._on_thumbnail(key, generation, image),
            )
            self._tasks.add(task)
            task.finished.connect(lambda: self._tasks.discard(task))
        return None

    def _on_thumbnail(self, source: str, generation: int, image: QImage) -> None:
        if generation != self._generation:
            return  # for a store or filter set that is no longer shown
        self._pending.discard(source)
        if image.isNull():
            self._failed.add(source)
        else:
            self._pixmaps[source] = QPixmap.fromImage(image)
            while len(self._pixmaps) > self.PIXMAP_CACHE:
                self._pixmaps.popitem(last=False)
        for row, rec in enumerate(self._rows):
            if rec.preview_path is not None and str(rec.preview_path) == source:
                idx = self.index(row, 0)
                self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.DecorationRole, THUMB_STATE_ROLE])
        self.thumbnailReady.emit(source)
