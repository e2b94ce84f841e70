"""run_task on its own: result, error, cancel, progress, and a receiver that goes away."""

from __future__ import annotations

import threading

import pytest
import shiboken6
from PySide6.QtCore import QObject, QThreadPool

from retouch.core import errors as E
from retouch.ui.tasks import TaskContext, live_tasks, run_task, ui_callback

WAIT = 10_000


class Recorder:
    """Collects what a task reports, in order, with the thread it arrived on."""

    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []
        self.threads: set[int] = set()

    def callbacks(self) -> dict[str, object]:
        def make(kind: str):  # type: ignore[no-untyped-def]
            def record(*args: object) -> None:
                self.threads.add(threading.get_ident())
                self.events.append((kind, args[0] if args else None))

            return record

        return {
            f"on_{k}": make(k)
            for k in ("started", "progress", "result", "error", "cancelled", "finished")
        }

    def kinds(self) -> list[str]:
        return [k for k, _ in self.events]


@pytest.fixture
def rec() -> Recorder:
    return Recorder()


def wait_done(qtbot, task) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: not task.is_running(), timeout=WAIT)


def test_result_arrives_on_the_ui_thread_after_started_and_progress(qtbot, rec):
    def job(ctx: TaskContext) -> str:
        for i in range(3):
            ctx.progress(i)
        return "done"

    task = run_task(job, **rec.callbacks())
    wait_done(qtbot, task)
    assert rec.events == [
        ("started", None),
        ("progress", 0),
        ("progress", 1),
        ("progress", 2),
        ("result", "done"),
        ("finished", None),
    ]
    assert rec.threads == {threading.get_ident()}
    assert task.state == "result" and task.value == "done"
    assert task.is_finished() and task.wait(0)
    assert task not in live_tasks()


def test_an_error_is_reported_not_raised(qtbot, rec):
    def job(ctx: TaskContext) -> None:
        raise E.InputError("that file is not an image")

    task = run_task(job, **rec.callbacks())
    wait_done(qtbot, task)
    assert rec.kinds() == ["started", "error", "finished"]
    error = rec.events[1][1]
    assert isinstance(error, E.InputError) and error.message == "that file is not an image"


def test_an_unexpected_exception_is_reported_and_logged(qtbot, rec, caplog):
    def job(ctx: TaskContext) -> None:
        raise ZeroDivisionError("boom")

    task = run_task(job, name="divide", **rec.callbacks())
    wait_done(qtbot, task)
    assert rec.kinds() == ["started", "error", "finished"]
    assert isinstance(rec.events[1][1], ZeroDivisionError)
    assert any("divide" in r.getMessage() and r.exc_info for r in caplog.records)


def test_cancel_reaches_the_running_job_through_its_token(qtbot, rec):
    entered = threading.Event()

    def job(ctx: TaskContext) -> str:
        entered.set()
        ctx.cancel_token.wait(WAIT / 1000)  # what a blocked socket read does: wake on cancel
        ctx.raise_if_cancelled()
        return "not cancelled"

    task = run_task(job, **rec.callbacks())
    assert entered.wait(WAIT / 1000)
    task.cancel()
    assert task.wait(WAIT)  # the thread lets go at once, long before the job's own timeout
    wait_done(qtbot, task)
    assert rec.kinds() == ["started", "cancelled", "finished"]
    assert isinstance(rec.events[1][1], E.CancelledError)


def test_an_error_raised_because_of_the_cancel_counts_as_cancelled(qtbot, rec):
    entered = threading.Event()

    def job(ctx: TaskContext) -> None:
        entered.set()
        ctx.cancel_token.wait(WAIT / 1000)
        raise E.NetworkError("the connection was closed")  # a socket shut down by Cancel

    task = run_task(job, **rec.callbacks())
    assert entered.wait(WAIT / 1000)
    task.cancel()
    wait_done(qtbot, task)
    assert rec.kinds() == ["started", "cancelled", "finished"]


def test_a_task_cancelled_before_it_starts_never_runs(qtbot, rec):
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    release = threading.Event()
    ran: list[str] = []
    blocker = run_task(lambda ctx: release.wait(WAIT / 1000), pool=pool)
    queued = run_task(lambda ctx: ran.append("ran"), pool=pool, **rec.callbacks())
    queued.cancel()
    release.set()
    wait_done(qtbot, blocker)
    wait_done(qtbot, queued)
    assert ran == []
    assert rec.events == [("cancelled", None), ("finished", None)]
    pool.waitForDone()


def test_callbacks_stop_once_the_receiver_is_deleted(qtbot, rec):
    receiver = QObject()
    release = threading.Event()
    seen_cancel: list[bool] = []
    touched: list[str] = []

    def job(ctx: TaskContext) -> str:
        release.wait(WAIT / 1000)
        seen_cancel.append(ctx.cancelled)
        return "late result"

    def on_result(value: str) -> None:
        touched.append(receiver.objectName())  # raises if the receiver's C++ side is gone

    callbacks = rec.callbacks()
    callbacks["on_result"] = on_result
    task = run_task(job, receiver=receiver, **callbacks)
    qtbot.waitUntil(lambda: task.state == "running", timeout=WAIT)
    shiboken6.delete(receiver)  # the window closed while the job ran
    assert task.is_cancelled  # the job is told to stop
    release.set()
    assert task.wait(WAIT)
    qtbot.waitUntil(lambda: not task.is_running(), timeout=WAIT)
    assert seen_cancel == [True]
    assert task.state == "result"  # the job finished anyway …
    assert touched == [] and "finished" not in rec.kinds()  # … and nothing reached the window


def test_a_live_receiver_keeps_getting_callbacks(qtbot, rec):
    receiver = QObject()
    task = run_task(lambda ctx: 42, receiver=receiver, **rec.callbacks())
    wait_done(qtbot, task)
    assert ("result", 42) in rec.events and not task.is_cancelled


def test_ui_callback_runs_on_the_ui_thread_while_the_receiver_lives(qtbot):
    receiver = QObject()
    calls: list[tuple[int, int]] = []
    post = ui_callback(lambda value: calls.append((value, threading.get_ident())), receiver)
    worker = threading.Thread(target=post, args=(1,))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=WAIT)
    assert calls == [(1, threading.get_ident())]

    shiboken6.delete(receiver)
    worker = threading.Thread(target=post, args=(2,))
    worker.start()
    worker.join()
    done = []
    later = ui_callback(lambda: done.append(True))  # posted after: delivered after
    later()
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT)
    assert calls == [(1, threading.get_ident())]
