"""Start-up: files opened from Finder before the main window exists are kept."""

from __future__ import annotations

from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import wait_inputs_ready


def test_a_file_opened_before_the_window_exists_is_loaded(qtbot, qapp, isolated_env, photos):
    from retouch.core.settings import Settings
    from retouch.ui.app import create_app, open_main_window

    app = create_app()
    app.attach_window(None)  # no window yet, as at the very start
    QApplication.sendEvent(app, QFileOpenEvent(str(photos[0])))
    win = open_main_window([], settings=Settings(isolated_env))
    qtbot.addWidget(win)
    wait_inputs_ready(qtbot, win, 1)
    assert win.tray.items()[0].ref.path == photos[0]
    assert app.take_pending_opens() == []
    # Later ones go straight to the window.
    QApplication.sendEvent(app, QFileOpenEvent(str(photos[1])))
    wait_inputs_ready(qtbot, win, 2)
    app.attach_window(None)


FIRST_LAUNCH = r"""
import json, sys
from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication
from retouch.ui import app as app_module

photo = sys.argv[1]
app = app_module.create_app()
seen = {}
polls = iter(range(750))  # like qtbot.waitUntil's timeout: give up after ~15 s

def while_welcome_is_up():
    dialog = QApplication.activeModalWidget()
    if dialog is None:
        if next(polls, None) is None:
            app.quit()
            return
        QTimer.singleShot(20, while_welcome_is_up)
        return
    seen["dialog"] = type(dialog).__name__
    QApplication.sendEvent(app, QFileOpenEvent(photo))  # Finder, during the first launch
    dialog.findChild(object, "welcomeDemo").click()
    QTimer.singleShot(20, when_window_is_up)

def when_window_is_up():
    win = app.main_window
    loaded = win is not None and win.tray.items() and not win.tray.is_loading()
    if not loaded and next(polls, None) is not None:
        QTimer.singleShot(20, when_window_is_up)
        return
    if win is not None:
        seen["inputs"] = [str(item.ref.path) for item in win.tray.items()]
        win.close()
    app.quit()

QTimer.singleShot(0, while_welcome_is_up)
seen["exit"] = app_module.run_app([])
QThreadPool.globalInstance().waitForDone(30000)
print("RESULT " + json.dumps(seen))
"""


def test_first_launch_keeps_a_file_opened_while_the_welcome_dialog_is_up(tmp_path, photos):
    """The real first launch, in its own process: no key, the Welcome dialog modal, Finder
    sends a file, the user picks the demo; the main window then shows the file."""
    import json
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "OXEN_API_KEY"}
    env.update(
        RETOUCH_DATA_DIR=str(tmp_path / "data"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        QT_QPA_PLATFORM="offscreen",
    )
    proc = subprocess.run(
        [sys.executable, "-c", FIRST_LAUNCH, str(photos[0])],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert line, proc.stdout + proc.stderr
    seen = json.loads(line[len("RESULT ") :])
    assert seen["exit"] == 0
    assert seen["dialog"] == "WelcomeDialog"
    assert seen["inputs"] == [str(photos[0])]


def test_about_names_platform_plugin_keyring_and_data_folder(window, monkeypatch, isolated_env):
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append(text))
    window.about()
    (text,) = shown
    assert "Qt platform plugin" in text and "offscreen" in text
    assert "Keyring backend" in text and "MemoryKeyring" in text
    assert str(isolated_env) in text
    assert "test-key" not in text  # the window's key (hub_env) is never shown
