"""Start-up: files opened from Finder before the main window exists are kept."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
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


def test_first_launch_keeps_a_file_opened_while_the_welcome_dialog_is_up(
    qtbot, qapp, isolated_env, photos, monkeypatch
):
    """The real first launch: no key, Welcome dialog modal, Finder sends the file, the user
    picks the demo; the main window then shows the file."""
    from retouch.ui import app as app_module

    seen: dict[str, object] = {}

    def while_welcome_is_up() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, while_welcome_is_up)
            return
        seen["dialog"] = type(dialog).__name__
        QApplication.sendEvent(qapp, QFileOpenEvent(str(photos[0])))
        dialog.findChild(object, "welcomeDemo").click()
        QTimer.singleShot(20, when_window_is_up)

    polls = iter(range(750))  # like qtbot.waitUntil's timeout: give up after ~15 s

    def when_window_is_up() -> None:
        win = qapp.main_window
        loaded = win is not None and win.tray.items() and not win.tray.is_loading()
        if not loaded and next(polls, None) is not None:
            QTimer.singleShot(20, when_window_is_up)
            return
        if win is None:
            qapp.quit()
            return
        seen["inputs"] = [item.ref.path for item in win.tray.items()]
        win.close()
        qapp.quit()

    QTimer.singleShot(0, while_welcome_is_up)
    try:
        assert app_module.run_app([]) == 0
    finally:
        qapp.attach_window(None)
    assert seen["dialog"] == "WelcomeDialog"
    assert seen["inputs"] == [Path(photos[0])]


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
