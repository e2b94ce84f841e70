"""Start the GUI: QApplication, theme, first-run welcome, demo hub, main window."""

from __future__ import annotations

import logging
import os
import sys
import time
from typing import Any

from retouch.core.diagnostics import platform_plugin_problem
from retouch.core.paths import data_dir

log = logging.getLogger(__name__)

DEMO_KEY = "demo-key"
# For start-up measurements (tests/benchmarks/bench_startup.py): print "first-paint <epoch s>"
# once the main window has painted for the first time, then quit.
EXIT_AFTER_FIRST_PAINT = "RETOUCH_EXIT_AFTER_FIRST_PAINT"


def _exit_after_first_paint(app: Any, window: Any) -> None:
    """Print ``first-paint <epoch s>`` once *window* has painted for the first time, then quit.

    The filter sits on the window alone, not on the application: Qt paints a window parents
    first, so the window's own paint event opens its first paint pass, and the report runs
    once that whole pass (every child, and the flush) is over. An application-wide filter
    would be a Python call for every event of every widget (~4,000 before this window's
    first paint, ~20 ms), a cost of the measuring that grows with the window measured and
    that the bare window it is compared with hardly pays.
    """
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        seen = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if not self.seen and event.type() == QEvent.Type.Paint:
                self.seen = True
                QTimer.singleShot(0, self.report)
            return False

        def report(self) -> None:
            # The platform shows which plugin drew the window (release smoke tests check it).
            print(f"first-paint {time.time():.6f} platform={app.platformName()}", flush=True)
            app.quit()

    window._first_paint_filter = FirstPaint(window)  # kept alive as long as the window
    window.installEventFilter(window._first_paint_filter)


# Harmless platform chatter that would otherwise reach the terminal on every start.
_QUIET_QT_MESSAGES = ("propagateSizeHints",)


def _qt_message(mode: Any, context: Any, message: str) -> None:
    if any(noise in message for noise in _QUIET_QT_MESSAGES):
        return
    from PySide6.QtCore import QtMsgType

    level = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
    }.get(mode, logging.ERROR)
    logging.getLogger("retouch.qt").log(level, "%s", message)
    if level >= logging.WARNING:
        print(message, file=sys.stderr)


def start_demo_hub() -> Any:
    from retouch.fakehub import FakeHub

    return FakeHub(port=0, api_key=DEMO_KEY, delay=1.5).start()


def create_app(argv: list[str] | None = None) -> Any:
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from retouch.core.paths import resources_dir
    from retouch.ui.theme import apply_theme

    existing = QApplication.instance()
    if existing is None:
        qInstallMessageHandler(_qt_message)
    from retouch.ui.application import RetouchApplication

    app = existing or RetouchApplication(argv or sys.argv[:1])
    app.setApplicationName("Retouch")
    # Lets Wayland desktops match windows to the installed .desktop entry and its icon.
    app.setDesktopFileName("io.retouch.Retouch")
    app.setOrganizationName("Retouch")
    # No setApplicationDisplayName: Qt would append it to every window title on X11 and
    # Wayland ("Retouch — Demo — Retouch"); the main window's title already says Retouch.
    icon_dir = resources_dir() / "icons"
    if icon_dir.is_dir():
        icon = QIcon()
        for png in sorted(icon_dir.glob("retouch-*.png")):
            icon.addFile(str(png))
        app.setWindowIcon(icon)
    apply_theme(app)
    return app


def open_main_window(files: list[str], *, settings: Any, demo_hub: Any = None) -> Any:
    """Show the main window with *files* (paths or http(s) URLs) loaded as inputs."""
    from retouch.ui.main_window import MainWindow

    window = MainWindow(
        settings,
        demo_base_url=demo_hub.base_url if demo_hub else None,
        demo_key=DEMO_KEY if demo_hub else None,
    )
    if demo_hub is not None:
        window.poll_interval = 0.5  # the stand-in answers at once; keep the demo snappy
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    # Files opened from Finder before the window existed (e.g. while the Welcome dialog was
    # up on the first launch) count as if they had been given on the command line.
    if hasattr(app, "take_pending_opens"):
        files = [*files, *app.take_pending_opens()]
    window.session.fit_first_start()
    if os.environ.get(EXIT_AFTER_FIRST_PAINT):
        _exit_after_first_paint(app, window)
    window.show()
    if hasattr(app, "attach_window"):
        app.attach_window(window)  # where files opened from Finder go from now on
    if not files:
        window.restore_session()
    urls = [f for f in files if f.startswith(("http://", "https://"))]
    paths = [f for f in files if f not in urls]
    if paths:
        window.tray.add_paths(paths)
    if urls:
        window.tray.add_urls(urls)
    return window


def _first_run(settings: Any) -> bool:
    """Whether the welcome dialog is due: never answered, and no key anywhere."""
    # The settings first: reading the keyring costs ~100 ms of start-up, and even importing
    # the module that reads it ~3 ms (the window reads it after its first paint).
    if settings.get("first_run_done"):
        return False
    from retouch.core.secrets import get_api_key

    return not get_api_key()[0]


def run_app(files: list[str], *, demo: bool = False) -> int:
    from retouch.core.logs import setup_logging
    from retouch.core.settings import Settings

    setup_logging(data_dir() / "logs")
    problem = platform_plugin_problem()
    if problem is not None:
        # Qt would abort with "could not load the Qt platform plugin"; say what to install.
        log.error("platform plugin cannot load: %s", problem.detail)
        print(problem.message(), file=sys.stderr)
        return 1
    app = create_app()
    settings = Settings(data_dir())
    hub = None
    if not demo and _first_run(settings):
        from retouch.ui.dialogs import WelcomeDialog

        welcome = WelcomeDialog()
        answer = welcome.exec()
        settings.set("first_run_done", True)
        demo = answer == WelcomeDialog.DEMO
    if demo:
        hub = start_demo_hub()
    window = open_main_window(files, settings=settings, demo_hub=hub)
    try:
        return app.exec()
    finally:
        _drop_stale_quit(app)
        window.deleteLater()
        if hub is not None:
            hub.stop()


def _drop_stale_quit(app: Any) -> None:
    """Quitting closes every window first, and the last one closing posts a second Quit
    event while the loop is still running; delivered after ``exec()`` returned, that event
    makes Qt exit with no loop to stop — and from then on every nested event loop in the
    process (``QEventLoop.exec``, a modal dialog, pytest-qt's waits) returns at once, so
    queued signals (task results, a batch's progress) are never delivered. The app process
    ends here anyway; a process that goes on (tests running the app in-process) must not
    inherit it."""
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.removePostedEvents(app, QEvent.Type.Quit)
