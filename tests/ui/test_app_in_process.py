"""The hazard of running the app in-process (issue 13, "Done when"): ``run_app`` with the demo
window, ``app.exec()`` and a quit, then later tests' batches stalled with every item
"Waiting".

Cause: quitting closes every window first; the last one closing posts a second Quit event
while the loop still runs. Delivered after ``exec()`` returned, it made Qt exit with no loop
to stop, which leaves Qt's "quit now" flag set: from then on every nested event loop
returns at once — pytest-qt's waits, modal dialogs — so queued signals (the batch runner's
``ui_callback`` progress, task results) were never delivered. Not the thread pools: the
batch's own threads ran, their reports just never reached the UI thread. In the app the
process ends after ``exec()``; ``run_app`` now drops that stale event, so nothing that runs
after it in the same process inherits it.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal


class _Ping(QObject):
    pinged = Signal()


def test_after_run_app_in_process_event_loops_and_batches_still_run(
    qtbot, qapp, isolated_env, monkeypatch
):
    from retouch.ui import app as app_module
    from retouch.ui.tasks import ui_callback

    monkeypatch.setenv(app_module.EXIT_AFTER_FIRST_PAINT, "1")
    assert app_module.run_app([], demo=True) == 0
    qapp.processEvents()  # what pytest-qt does between tests: the stale Quit arrived here

    # A nested event loop runs until it is told to stop, not returning at once.
    loop = QEventLoop()
    stopped = []
    QTimer.singleShot(50, lambda: (stopped.append(True), loop.quit()))
    loop.exec()
    assert stopped == [True]

    # A report from a thread of its own (as a batch's workers send theirs) is delivered.
    ping = _Ping()
    report = ui_callback(ping.pinged.emit)
    with qtbot.waitSignal(ping.pinged, timeout=15000):
        threading.Thread(target=report, name="batch-like").start()
