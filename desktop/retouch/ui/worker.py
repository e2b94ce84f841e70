"""Background work: a QThread with a worker object, results back through signals.

The run itself is ``retouch.core.edit_service.EditService``'s; the worker gives it a cancel
token so that Cancel can shut the run's sockets down from the UI thread
(``CancelToken.cancel`` is thread-safe) without waiting for the thread's event loop.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtGui import QImage

from retouch.core import errors as E
from retouch.core.cancel import CancelToken
from retouch.core.edit_service import EditService, EditStep, RunOptions
from retouch.core.editing import RunRecorder
from retouch.core.profile import HubProfile
from retouch.core.request import EditRequest
from retouch.core.results import SavedResult

log = logging.getLogger(__name__)


@dataclass
class EditJob:
    base_url: str
    api_key: str
    request: EditRequest
    out_dir: Path
    upload: str
    cache_dir: Path
    mask: QImage | None = None
    recorder: RunRecorder | None = None
    read_timeout: float = 300.0
    use_queue: bool = False
    poll_interval: float = 2.0
    #: Collect a queued run an earlier session started, instead of sending a new one.
    resume: Any = None  # retouch.core.history.RunRecord


class _PaintedMask(EditStep):
    """Turns the canvas's QImage mask into the request's Pillow mask, on the worker thread."""

    def __init__(self, mask: QImage) -> None:
        self.mask = mask

    def before(self, request: EditRequest) -> EditRequest:
        from dataclasses import replace

        from retouch.ui.qimage import qimage_to_pil_l  # Pillow: on this thread

        return replace(request, mask_image=qimage_to_pil_l(self.mask))


def result_images(image: QImage) -> dict[str, QImage]:
    """The full image plus the smaller copies the gallery and preview paint from."""

    def fit(edge: int) -> QImage:
        if max(image.width(), image.height()) <= edge:
            return image
        return image.scaled(
            edge,
            edge,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )

    return {"image": image, "preview": fit(2048), "thumb": fit(224)}


class EditWorker(QObject):
    progress = Signal(object)  # core.editing.Progress
    result = Signal(object, object)  # core.results.SavedResult, QImage decoded off the UI thread
    finished = Signal(object)  # core.editing.RunOutcome
    failed = Signal(object)  # core.errors.RetouchError (CancelledError when cancelled)

    def __init__(self, job: EditJob) -> None:
        super().__init__()
        self.job = job
        self.cancel_token = CancelToken()

    def cancel(self) -> None:
        """Safe to call from any thread."""
        self.cancel_token.cancel()

    @Slot()
    def run(self) -> None:
        job = self.job
        try:
            service = EditService(
                HubProfile.fixed(
                    job.base_url,
                    job.api_key,
                    upload=job.upload,
                    output_dir=job.out_dir,
                    cache_dir=job.cache_dir,
                ),
                recorder=job.recorder,
                read_timeout=job.read_timeout,
                poll_interval=job.poll_interval,
            )
            if job.resume is not None:
                outcome = service.resume(
                    job.resume,
                    cancel=self.cancel_token,
                    progress=self.progress.emit,
                    on_result=self._emit_result,
                )
            else:
                outcome = service.run(
                    job.request,
                    cancel=self.cancel_token,
                    progress=self.progress.emit,
                    on_result=self._emit_result,
                    options=RunOptions(
                        use_queue=job.use_queue,
                        steps=[_PaintedMask(job.mask)] if job.mask is not None else [],
                    ),
                )
        except E.RetouchError as exc:
            self.failed.emit(exc)
        except Exception as exc:  # noqa: BLE001 - the UI must get a message, never a dead thread
            log.error("unexpected error in edit worker: %s", traceback.format_exc())
            self.failed.emit(
                E.RetouchError(
                    f"Something unexpected went wrong ({type(exc).__name__}). "
                    "Details are in the log (Help → Open Log Folder)."
                )
            )
        else:
            self.finished.emit(outcome)

    def _emit_result(self, saved: SavedResult) -> None:
        # Decoding and scaling a 4K result takes ~150 ms: done here so the UI thread only shows it.
        self.result.emit(saved, result_images(QImage(str(saved.path))))


class RunController(QObject):
    """Starts one EditWorker on its own QThread and tears both down when it ends."""

    progress = Signal(object)
    result = Signal(object, object)
    finished = Signal(object)
    failed = Signal(object)
    runningChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: EditWorker | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self, job: EditJob) -> None:
        if self.running:
            raise RuntimeError("a run is already in progress")
        thread = QThread(self)
        thread.setObjectName("editWorkerThread")
        worker = EditWorker(job)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        # Direct: the thread's loop must stop even while the UI thread is blocked in wait().
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        worker.failed.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        worker.progress.connect(self.progress)
        worker.result.connect(self.result)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        self._thread, self._worker = thread, worker
        thread.start()
        self.runningChanged.emit(True)

    def cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancel()

    def _teardown(self) -> None:
        thread, worker = self._thread, self._worker
        self._thread = self._worker = None
        if thread is not None:
            thread.quit()
            thread.wait()
            thread.deleteLater()
        if worker is not None:
            worker.deleteLater()
        self.runningChanged.emit(False)

    @Slot(object)
    def _on_finished(self, outcome: object) -> None:
        self._teardown()
        self.finished.emit(outcome)

    @Slot(object)
    def _on_failed(self, error: object) -> None:
        self._teardown()
        self.failed.emit(error)

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Cancel and wait for the thread (used when the window closes). True if it stopped."""
        thread = self._thread
        if thread is None:
            return True
        self.cancel()
        stopped = thread.wait(timeout_ms)
        return bool(stopped)
