"""An edit run off the UI thread: the job (``EditJob``), what runs on the thread
(``run_edit``) and the window's ``RunController`` (one run at a time, through ``run_task``).

The run itself is ``core.edit_service.EditService``'s, for the window's hub profile. It gets
the task's cancel token, so Cancel shuts the run's sockets down from the UI thread at once
(``CancelToken.cancel`` is thread-safe). With a ``placement`` (issue 12) the run sends the
planned region of the photo and places each result back into it, on this thread too
(``core.placement.PlacementStep``); the model's own picture comes with each result.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import threading
import traceback
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtGui import QImage

from retouch.core import errors as E
from retouch.ui.i18n import translate
from retouch.ui.tasks import Task, TaskContext, run_task

if TYPE_CHECKING:
    # The run's machinery loads with the first run, on its thread, not with the window.
    from retouch.core.edit_service import EditStep
    from retouch.core.editing import RunOutcome, RunRecorder
    from retouch.core.history import RunRecord
    from retouch.core.profile import HubProfile
    from retouch.core.request import EditRequest
    from retouch.core.results import SavedResult
    from retouch.ui.editor import Placement

log = logging.getLogger(__name__)


@dataclass
class EditJob:
    profile: HubProfile
    request: EditRequest  # carries its model
    mask: QImage | None = None  # the painted mask, Grayscale8, 255 = edit
    #: Or the painted area only (``MaskCanvas.mask_part``: pixels whose alpha is the mask,
    #: where they sit) and the image's size: the full mask is made on the run's thread.
    mask_part: tuple[QImage, tuple[int, int], tuple[int, int]] | None = None
    recorder: RunRecorder | None = None
    read_timeout: float | None = None  # None: the service's (hub_client.READ_TIMEOUT)
    use_queue: bool = False
    poll_interval: float = 2.0
    #: Collect a queued run an earlier session started, instead of sending a new one.
    resume: RunRecord | None = None
    #: How results go back into the photo; None: the model's pictures, as they come.
    placement: Placement | None = None
    keep_gps: bool = True


def result_images(image: QImage) -> dict[str, QImage]:
    """The full image plus the smaller copies the gallery and preview paint from."""

    def fit(source: QImage, edge: int) -> QImage:
        if max(source.width(), source.height()) <= edge:
            return source
        return source.scaled(
            edge,
            edge,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )

    preview = fit(image, 2048)
    # The thumbnail from the preview: a 6000×4000 result is read once, not twice.
    return {"image": image, "preview": preview, "thumb": fit(preview, 224)}


def saved_images(saved: SavedResult) -> dict[str, QImage]:
    """A result's saved file as ``image``/``preview``/``thumb``. The other picture of a
    result placed back into the photo is decoded by the Results page when it is asked for
    (``result_pictures.other_picture``)."""
    # A result no file could take (both disks failed) is shown from its bytes.
    if saved.data is not None:
        return result_images(QImage.fromData(saved.data))
    return result_images(QImage(str(saved.path)))


@dataclass(frozen=True)
class ResultArrived:
    """A saved result and its images, decoded on the run's thread (reported as progress)."""

    result: SavedResult
    images: dict[str, QImage]


#: How much lower the run's thread is scheduled than the window's (Linux nice steps).
RUN_THREAD_NICENESS = 5


def _yield_to_the_window() -> None:
    """Let the window's thread win the CPU over this run's: placing a result into a big photo
    (decoding, pasting, encoding the composite, decoding it for the Results page) is seconds
    of work on a machine that may have two cores, and the window must not stall meanwhile.

    Linux keeps a nice value per thread (setpriority on a thread id); this thread is the run
    controller's own, so lowering it touches nothing else. Elsewhere it is left alone."""
    if not sys.platform.startswith("linux"):
        return
    try:
        tid = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, tid)
        if current < RUN_THREAD_NICENESS:
            os.setpriority(os.PRIO_PROCESS, tid, RUN_THREAD_NICENESS)
    except (OSError, AttributeError):
        pass


def run_edit(job: EditJob, ctx: TaskContext) -> RunOutcome:
    """The whole run, on the run's thread: prepare, send, collect, save (or resume).

    Progress reports are ``core.editing.Progress`` and ``ResultArrived``.
    """
    from retouch.core.edit_service import EditService, RunOptions

    _yield_to_the_window()

    def arrived(saved: SavedResult) -> None:
        # Decoding and scaling a 4K result takes ~150 ms: done here, the UI thread shows it.
        ctx.progress(ResultArrived(saved, saved_images(saved)))

    service = EditService(job.profile, recorder=job.recorder, poll_interval=job.poll_interval)
    if job.read_timeout is not None:
        service.read_timeout = job.read_timeout
    try:
        if job.resume is not None:
            return service.resume(
                job.resume,
                cancel=ctx.cancel_token,
                progress=ctx.progress,
                on_result=arrived,
                steps=_resume_steps(service, job.resume),
            )
        steps = [_painted_mask(job.mask)] if job.mask is not None else []
        if job.mask_part is not None:
            steps.append(_painted_part(*job.mask_part))
        if job.placement is not None:
            from retouch.core.placement import PlacementStep

            steps.append(PlacementStep(job.placement.options(keep_gps=job.keep_gps)))
        writer = None
        if job.profile.demo:
            from retouch.core.results import demo_writer

            writer = demo_writer(job.profile.ensure_output_dir())
        return service.run(
            job.request,
            cancel=ctx.cancel_token,
            progress=ctx.progress,
            on_result=arrived,
            options=RunOptions(use_queue=job.use_queue, steps=steps, writer=writer),
        )
    except E.RetouchError:
        raise
    except Exception as exc:  # noqa: BLE001 - the UI gets a message it can show, not a traceback
        log.error("unexpected error in an edit run: %s", traceback.format_exc())
        raise E.RetouchError(
            translate(
                "Runs",
                "Something unexpected went wrong ({kind}). Details are in the log "
                "(Help → Open Log Folder).",
            ).format(kind=type(exc).__name__)
        ) from None


def _resume_steps(service: object, record: RunRecord) -> list[EditStep]:
    """The placement of a run an earlier session queued, rebuilt from its record."""
    if record.placement is None:
        return []
    from retouch.core.edit_service import EditService
    from retouch.core.placement import resume_step

    assert isinstance(service, EditService)
    try:
        model = service.find_model(record.model)
    except E.RetouchError:
        return []
    step = resume_step(record, model)
    return [step] if step is not None else []


def _painted_part(part: QImage, origin: tuple[int, int], size: tuple[int, int]) -> EditStep:
    """A step that makes the painted area (see ``EditJob.mask_part``) the request's full-size
    Pillow mask, on the run's thread."""
    from retouch.core.edit_service import EditStep

    class PaintedPart(EditStep):
        def before(self, request: EditRequest) -> EditRequest:
            from PIL import Image

            from retouch.ui.qimage import qimage_to_pil_l

            alpha = part.convertToFormat(QImage.Format.Format_Alpha8)
            alpha.reinterpretAsFormat(QImage.Format.Format_Grayscale8)
            mask = Image.new("L", size, 0)
            mask.paste(qimage_to_pil_l(alpha), origin)
            return replace(request, mask_image=mask)

    return PaintedPart()


def _painted_mask(mask: QImage) -> EditStep:
    """A step that makes the canvas's QImage mask the request's Pillow mask, on the run's
    thread (Pillow is imported there, not with the window)."""
    from retouch.core.edit_service import EditStep

    class PaintedMask(EditStep):
        def before(self, request: EditRequest) -> EditRequest:
            from retouch.ui.qimage import qimage_to_pil_l

            return replace(request, mask_image=qimage_to_pil_l(mask))

    return PaintedMask()


class RunController(QObject):
    """Runs one edit at a time (``run_edit`` through ``run_task``) on a thread of its own.

    ``failed`` carries a ``CancelledError`` when the run was cancelled.
    """

    progress = Signal(object)  # core.editing.Progress
    result = Signal(object, object)  # SavedResult, its images (see result_images)
    finished = Signal(object)  # core.editing.RunOutcome
    failed = Signal(object)  # core.errors.RetouchError
    runningChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Its own pool: a two-minute edit must not hold one of the global pool's threads,
        # which decode the inputs.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self.task: Task[RunOutcome] | None = None

    @property
    def running(self) -> bool:
        return self.task is not None

    def start(self, job: EditJob) -> None:
        if self.running:
            raise RuntimeError("a run is already in progress")
        self.task = run_task(
            functools.partial(run_edit, job),
            receiver=self,
            name="edit",
            pool=self._pool,
            on_progress=self._on_progress,
            on_result=self._on_finished,
            on_error=self._on_failed,
            on_cancelled=self._on_cancelled,
        )
        self.runningChanged.emit(True)

    def cancel(self) -> None:
        """Abort the run; its sockets close at once. Safe to call when nothing runs."""
        if self.task is not None:
            self.task.cancel()

    def leave_running(self, timeout_ms: int = 5000) -> bool:
        """Stop waiting but leave the run's queued generations on the hub (quitting with
        "Keep it running"): nothing is deleted; history marks the run for collection at the
        next start. Waits for the run's thread like ``shutdown``. True if done."""
        task = self.task
        if task is None:
            return True
        task.cancel_token.cancel(keep_remote=True)
        return task.wait(timeout_ms)

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Cancel and wait for the run's thread (used when the window closes). True if done."""
        task = self.task
        if task is None:
            return True
        task.cancel()
        return task.wait(timeout_ms)

    def _on_progress(self, value: object) -> None:
        if isinstance(value, ResultArrived):
            self.result.emit(value.result, value.images)
        else:
            self.progress.emit(value)

    def _end(self) -> None:
        self.task = None
        self.runningChanged.emit(False)

    def _on_finished(self, outcome: RunOutcome) -> None:
        self._end()
        self.finished.emit(outcome)

    def _on_failed(self, error: BaseException) -> None:
        self._end()
        self.failed.emit(error)

    def _on_cancelled(self, error: BaseException | None) -> None:
        self._end()
        self.failed.emit(error if isinstance(error, E.CancelledError) else E.CancelledError())
