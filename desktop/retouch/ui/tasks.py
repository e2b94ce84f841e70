"""One way to run work off the UI thread: ``run_task`` (after napari's ``create_worker`` and
Picard's ``run_task``).

    task = run_task(job, receiver=self, on_result=self._show, on_error=self._fail)

* ``job(ctx)`` runs on a pool thread. ``ctx.progress(value)`` reports progress, and
  ``ctx.cancel_token`` (a ``core.cancel.CancelToken``) tells the job it was cancelled; a
  ``HubClient`` given that token shuts its sockets down the moment ``task.cancel()`` is called.
* What the job returns arrives as ``result(value)``, an exception as ``error(exc)``, and a
  job that was cancelled (before it started, or that raised once cancelled) as
  ``cancelled(exc or None)``. Exactly one of the three, then ``finished()``; ``started()``
  and ``progress(value)`` come before. All of them are emitted on the UI thread.
* ``receiver``: the QObject the callbacks belong to (a window, a dialog, a view). Once it is
  destroyed its callbacks are no longer called and the task is cancelled: a job that ends
  after its window closed never touches a deleted widget.
* ``task.wait(ms)`` blocks until the job's thread has let go of it (closing the window
  mid-run joins the run this way); ``task.is_finished()`` says whether it has.

Worker threads never touch a ``Task`` (a QObject of the UI thread): they post
``(task id, event)`` to one relay object, which looks the task up on the UI thread. So a task
is created, signalled and deleted on the UI thread only, and the one place that has to cope
with the application itself going away is ``_post``. ``ui_callback`` uses the same relay for
callbacks that foreign threads (the batch runner's) make.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from retouch.core.cancel import CancelToken
from retouch.core.errors import CancelledError, RetouchError

log = logging.getLogger(__name__)

T = TypeVar("T")

STARTED, PROGRESS, RESULT, ERROR, CANCELLED = "started", "progress", "result", "error", "cancelled"
_TERMINAL = (RESULT, ERROR, CANCELLED)


class TaskContext:
    """What a job sees of its task, on the worker thread."""

    def __init__(self, task_id: int, token: CancelToken) -> None:
        self._id = task_id
        self.cancel_token = token

    @property
    def cancelled(self) -> bool:
        return self.cancel_token.cancelled

    def raise_if_cancelled(self) -> None:
        self.cancel_token.raise_if_cancelled()

    def progress(self, value: object) -> None:
        """Report *value*; it arrives as ``progress(value)`` on the UI thread, in order."""
        _post(("task", self._id, PROGRESS, value))


Job = Callable[[TaskContext], T]


class _Relay(QObject):
    """The one object worker threads post to; it lives on the UI thread."""

    posted = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Queued even when posting from the UI thread: a callback never runs inside the
        # caller's stack.
        self.posted.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _deliver(self, message: tuple[Any, ...]) -> None:
        if message[0] == "task":
            _, task_id, kind, value = message
            task = _LIVE.get(task_id)
            if task is not None:
                task._dispatch(kind, value)
        else:
            _, receiver, callback, args = message
            if receiver is None or shiboken6.isValid(receiver):
                callback(*args)


_RELAY: _Relay | None = None
_LIVE: dict[int, Task[Any]] = {}  # tasks between start and their last event (UI thread only)
_IDS = itertools.count(1)


def _relay() -> _Relay:
    """The relay, created on first use (on the UI thread) as a child of the application."""
    global _RELAY
    if _RELAY is None or not shiboken6.isValid(_RELAY):
        _RELAY = _Relay(QCoreApplication.instance())
    return _RELAY


def _post(message: tuple[Any, ...]) -> None:
    relay = _RELAY
    if relay is None:
        return
    try:
        relay.posted.emit(message)
    except RuntimeError:
        # The application (and the relay, its child) is gone: nobody is left to tell.
        pass


class Task(QObject, Generic[T]):
    """A job running (or queued) on a thread pool; see the module docstring."""

    started = Signal()
    progress = Signal(object)
    result = Signal(object)
    error = Signal(object)  # the exception
    cancelled = Signal(object)  # the CancelledError the job raised, or None
    finished = Signal()

    def __init__(self, name: str = "", receiver: QObject | None = None) -> None:
        super().__init__()
        self.setObjectName(name or "task")
        self.id = next(_IDS)
        self.cancel_token = CancelToken()
        self.receiver = receiver
        self.state = "queued"  # then "running", then one of result / error / cancelled
        self.value: object = None  # the result, the exception, or the cancellation
        self._done = threading.Event()
        self._watch: _ReceiverWatch | None = None
        if receiver is not None:
            # The task cancels itself when its receiver goes: a closed window's jobs stop.
            self._watch = _ReceiverWatch(self.cancel_token, receiver)

    # -- for the UI thread ----------------------------------------------------------------

    def cancel(self) -> None:
        """Ask the job to stop; safe from any thread. Sockets given the token close at once."""
        self.cancel_token.cancel()

    @property
    def is_cancelled(self) -> bool:
        return self.cancel_token.cancelled

    def is_running(self) -> bool:
        """True until the task's last signal has been emitted."""
        return self.state not in _TERMINAL

    def is_finished(self) -> bool:
        """True once the job's thread has let go of it (its last event is posted)."""
        return self._done.is_set()

    def wait(self, msecs: int = -1) -> bool:
        """Block until the job's thread is done with it; True if it is (within *msecs*)."""
        return self._done.wait(None if msecs < 0 else msecs / 1000)

    def connect_callbacks(
        self,
        *,
        on_started: Callable[[], object] | None = None,
        on_progress: Callable[[Any], object] | None = None,
        on_result: Callable[[Any], object] | None = None,
        on_error: Callable[[Any], object] | None = None,
        on_cancelled: Callable[[Any], object] | None = None,
        on_finished: Callable[[], object] | None = None,
    ) -> None:
        """Connect callbacks that are skipped once the receiver has been destroyed."""
        for signal, callback in (
            (self.started, on_started),
            (self.progress, on_progress),
            (self.result, on_result),
            (self.error, on_error),
            (self.cancelled, on_cancelled),
            (self.finished, on_finished),
        ):
            if callback is not None:
                signal.connect(self._guarded(callback))

    def _guarded(self, callback: Callable[..., object]) -> Callable[..., None]:
        def call(*args: object) -> None:
            if self.receiver is None or shiboken6.isValid(self.receiver):
                callback(*args)

        return call

    def _dispatch(self, kind: str, value: object) -> None:
        if kind == STARTED:
            self.state = "running"
            self.started.emit()
        elif kind == PROGRESS:
            self.progress.emit(value)
        elif kind in _TERMINAL:
            self.state, self.value = kind, value
            _LIVE.pop(self.id, None)
            if self._watch is not None:
                self._watch.release()
                self._watch = None
            {RESULT: self.result, ERROR: self.error, CANCELLED: self.cancelled}[kind].emit(value)
            self.finished.emit()


class _ReceiverWatch(QObject):
    """Cancels a task when its receiver is destroyed (connected for the task's lifetime)."""

    def __init__(self, token: CancelToken, receiver: QObject) -> None:
        super().__init__()
        self._token = token
        self._receiver = receiver
        self._connection = receiver.destroyed.connect(self._gone)

    @Slot()
    def _gone(self) -> None:
        self._token.cancel()

    def release(self) -> None:
        if shiboken6.isValid(self._receiver):
            self._receiver.destroyed.disconnect(self._connection)


class _Runnable(QRunnable):
    """Runs one job on a pool thread. Holds no Qt object of the UI thread."""

    def __init__(
        self, job: Job[Any], task_id: int, token: CancelToken, done: threading.Event, name: str
    ) -> None:
        super().__init__()
        self.job: Job[Any] | None = job
        self.task_id, self.token, self.done, self.name = task_id, token, done, name

    def run(self) -> None:
        try:
            kind, value = self._run()
            _post(("task", self.task_id, kind, value))
        finally:
            self.job = None  # what the job holds is let go of here, not by the pool later
            self.done.set()

    def _run(self) -> tuple[str, object]:
        if self.token.cancelled:
            return CANCELLED, None
        _post(("task", self.task_id, STARTED, None))
        assert self.job is not None
        try:
            value = self.job(TaskContext(self.task_id, self.token))
        except CancelledError as exc:
            return CANCELLED, exc
        except Exception as exc:  # every failure goes back to the UI thread
            if self.token.cancelled:
                return CANCELLED, exc  # a consequence of the cancellation (a closed socket…)
            if not isinstance(exc, RetouchError):  # those carry a message for the user
                log.error("task %s failed", self.name, exc_info=exc)
            return ERROR, exc
        return RESULT, value


def run_task(
    job: Job[T],
    *,
    receiver: QObject | None = None,
    name: str = "",
    pool: QThreadPool | None = None,
    on_started: Callable[[], object] | None = None,
    on_progress: Callable[[Any], object] | None = None,
    on_result: Callable[[T], object] | None = None,
    on_error: Callable[[Any], object] | None = None,
    on_cancelled: Callable[[Any], object] | None = None,
    on_finished: Callable[[], object] | None = None,
) -> Task[T]:
    """Start ``job(ctx)`` on *pool* (the global pool by default) and return its Task.

    Call it on the UI thread. The callbacks run there, and only while *receiver* (if given)
    is alive; the returned Task's signals can be connected to as well.
    """
    _relay()
    task: Task[T] = Task(name or getattr(job, "__name__", ""), receiver)
    task.connect_callbacks(
        on_started=on_started,
        on_progress=on_progress,
        on_result=on_result,
        on_error=on_error,
        on_cancelled=on_cancelled,
        on_finished=on_finished,
    )
    _LIVE[task.id] = task
    runnable = _Runnable(job, task.id, task.cancel_token, task._done, task.objectName())
    (pool or QThreadPool.globalInstance()).start(runnable)
    return task


def ui_callback(
    callback: Callable[..., object], receiver: QObject | None = None
) -> Callable[..., None]:
    """A thread-safe stand-in for *callback*: calling it from any thread runs
    ``callback(*args)`` later on the UI thread, unless *receiver* has been destroyed by then.
    For code that makes its own threads (``core.batch.BatchRunner``). Create it on the UI
    thread."""
    _relay()

    def post(*args: object) -> None:
        _post(("call", receiver, callback, args))

    return post


def live_tasks() -> list[Task[Any]]:
    """Tasks started and not yet finished (for tests and shutdown)."""
    return list(_LIVE.values())
