"""The API key leaves the keyring only in the Authorization header: never in a file or a log."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt

from retouch.fakehub import FakeHub, Fault
from tests.ui.conftest import wait_inputs_ready

SECRET = "sk-RETOUCH-SECRET-9f8e7d6c5b4a"


def test_full_session_never_writes_the_key(qtbot, isolated_env, photos, monkeypatch, caplog):
    from retouch.core.logs import setup_logging
    from retouch.core.secrets import set_api_key
    from retouch.core.settings import Settings
    from retouch.ui.app import create_app
    from retouch.ui.dialogs import SettingsDialog
    from retouch.ui.main_window import MainWindow

    caplog.set_level(logging.DEBUG)
    hub = FakeHub(port=0, api_key=SECRET).start()
    try:
        monkeypatch.setenv("RETOUCH_API_BASE", hub.base_url)
        monkeypatch.delenv("OXEN_API_KEY", raising=False)
        log_file = setup_logging(isolated_env / "logs", logging.DEBUG)
        assert set_api_key(SECRET) == "keyring"
        create_app()
        settings = Settings(isolated_env)
        settings.set("output_dir", str(isolated_env / "out"))
        settings.set("use_queue", False)
        win = MainWindow(settings)
        qtbot.addWidget(win)
        win.show()
        win.tray.add_paths(photos)
        wait_inputs_ready(qtbot, win, 2)
        win.sidebar.prompt.setPlainText("secret-free edit")
        for fault in (
            None,
            Fault("status", status=401),
            Fault("status", status=500),
            Fault("drop"),
            Fault("download_404", times=1),
        ):
            if fault is not None:
                hub.add_fault(fault)
            done = []
            win.controller.finished.connect(lambda o, d=done: d.append(o))
            win.controller.failed.connect(lambda e, d=done: d.append(e))
            qtbot.mouseClick(win.sidebar.run_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda d=done: bool(d), timeout=30000)
            assert SECRET not in win.banner.text()
        dialog = SettingsDialog(settings, win)
        qtbot.addWidget(dialog)
        assert dialog.key_edit.text() == ""  # the field never holds the stored key
        assert dialog.key_edit.echoMode() == dialog.key_edit.EchoMode.Password
        dialog.out_edit.setText(str(isolated_env / "out2"))
        dialog.accept()
        win.close()
        # Every request carried it in the header, and only there.
        assert all(
            r.headers.get("authorization") == f"Bearer {SECRET}"
            for r in hub.requests
            if r.path.startswith("/ai/")
        )
    finally:
        hub.stop()

    written = [p for p in isolated_env.rglob("*") if p.is_file()]
    assert log_file.exists() and any(p.suffix == ".json" for p in written)
    assert any(p.name == "history.sqlite3" for p in written)
    for path in written:
        data = path.read_bytes()
        assert SECRET.encode() not in data, f"key found in {path}"
        if path.suffix in (".log", ".json"):
            assert b"data:image" not in data, f"data URI in {path}"
            assert b"sig=" not in data, f"signed URL in {path}"
    for record in caplog.records:
        text = record.getMessage()
        assert SECRET not in text and "data:image/" not in text and "sig=" not in text


def test_log_lines_are_redacted(isolated_env: Path):
    from retouch.core.logs import setup_logging
    from retouch.core.secrets import set_api_key

    set_api_key(SECRET)
    path = setup_logging(isolated_env / "logs")
    log = logging.getLogger("retouch.test")
    log.warning("sending Authorization: Bearer %s to https://hub/x?sig=abc", SECRET)
    log.warning("payload data:image/png;base64,%s", "A" * 64)
    for handler in logging.getLogger("retouch").handlers:
        handler.flush()
    text = path.read_text()
    assert SECRET not in text and "sig=abc" not in text and "AAAAAAAAAAAAAAAA" not in text
    assert "[redacted]" in text
