"""The fault matrix through the window: a clear banner, the work intact, the next run possible."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from retouch.fakehub import Fault
from tests.ui.conftest import wait_inputs_ready

# (id, faults to inject, words the banner must show, banner action, results kept)
CASES = [
    (
        "400-typed",
        [Fault("status", status=400, message="resolution is invalid")],
        "resolution is invalid",
        "",
        0,
    ),
    (
        "401-message",
        [Fault("status", status=401, shape="message", message="nope")],
        "API key",
        "set_key",
        0,
    ),
    (
        "403-fetch",
        [
            Fault(
                "status",
                status=400,
                shape="message",
                message="Getting model response error: 403 Client Error: Forbidden",
            )
        ],
        "could not download",
        "settings",
        0,
    ),
    (
        "404-model",
        [Fault("status", status=404, shape="message", message="Model not found: x")],
        "does not know this model",
        "settings",
        0,
    ),
    ("409", [Fault("status", status=409, message="busy")], "conflict", "", 0),
    ("413", [Fault("status", status=413, shape="html")], "too large", "", 0),
    (
        "422-wrapped",
        [
            Fault(
                "status",
                status=422,
                shape="message",
                message="Getting model response error: 422 - bad mask",
            )
        ],
        "bad mask",
        "",
        0,
    ),
    ("429", [Fault("status", status=429, retry_after=12, message="slow down")], "12 s", "retry", 0),
    (
        "credits",
        [Fault("status", status=402, shape="message", message="Insufficient credits")],
        "out of credits",
        "settings",
        0,
    ),
    ("500-html", [Fault("status", status=500, shape="html")], "problem on its side", "retry", 0),
    (
        "502-text",
        [Fault("status", status=502, shape="text", message="Bad Gateway")],
        "502",
        "retry",
        0,
    ),
    ("503", [Fault("status", status=503, message="maintenance")], "maintenance", "retry", 0),
    ("malformed-json", [Fault("malformed_json")], "not valid JSON", "retry", 0),
    ("truncated-json", [Fault("truncated_json")], "", "retry", 0),
    ("empty-images", [Fault("empty_images")], "no images", "retry", 0),
    ("drop", [Fault("drop")], "dropped", "retry", 0),
    ("drop-mid-reply", [Fault("drop_mid_reply")], "dropped", "retry", 0),
    ("fewer-images", [Fault("fewer_images")], None, "", 1),
    ("download-404", [Fault("download_404", times=1)], "no longer available", "", 1),
    ("download-not-image", [Fault("download_not_image", times=1)], "not a valid image", "", 1),
    (
        "download-truncated-always",
        [Fault("download_truncated", times=10)],
        "could not be downloaded",
        "retry",
        0,
    ),
]


@pytest.mark.parametrize(
    ("faults", "words", "action", "kept"),
    [pytest.param(*c[1:], id=c[0]) for c in CASES],
)
def test_fault_gives_a_clear_banner_and_the_next_run_works(
    qtbot, window, photos, hub_env, faults, words, action, kept
):
    for fault in faults:
        hub_env.add_fault(fault)
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    window.findChild(object, "param_num_images").setValue(2)
    window.sidebar.prompt.setPlainText("try it")
    done = []
    window.controller.finished.connect(lambda o: done.append(("ok", o)))
    window.controller.failed.connect(lambda e: done.append(("error", e)))
    qtbot.mouseClick(window.sidebar.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(done), timeout=30000)
    assert len(hub_env.edit_requests()) == 1  # never resent without the user asking
    assert window.results.count() == kept
    if words is None:
        assert "returned 1" in window.banner.text()
    else:
        assert window.banner.isVisible()
        assert words.lower() in window.banner.text().lower()
        assert "Traceback" not in window.banner.text()
        assert "<html" not in window.banner.text().lower()
    button = window.findChild(object, "bannerAction")
    if action:
        assert button.isVisible()
    # The UI is usable at once, and the next run (faults consumed) succeeds.
    hub_env.clear_faults()
    assert window.sidebar.run_button.isEnabled()
    with qtbot.waitSignal(window.controller.finished, timeout=30000):
        qtbot.mouseClick(window.sidebar.run_button, Qt.MouseButton.LeftButton)
    assert window.results.count() == 2


def test_connection_refused_in_the_window(qtbot, window, photos, monkeypatch):
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    monkeypatch.setenv("RETOUCH_API_BASE", f"http://127.0.0.1:{port}/api")
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    window.sidebar.prompt.setPlainText("x")
    with qtbot.waitSignal(window.controller.failed, timeout=30000):
        qtbot.mouseClick(window.sidebar.run_button, Qt.MouseButton.LeftButton)
    assert "Could not connect" in window.banner.text()
    assert window.sidebar.run_button.isEnabled()


def test_input_deleted_after_it_was_added(qtbot, window, photos, tmp_path, hub_env):
    import shutil

    doomed = tmp_path / "will vanish.png"
    shutil.copy(photos[0], doomed)
    window.tray.add_paths([doomed])
    wait_inputs_ready(qtbot, window, 1)
    doomed.unlink()
    window.sidebar.prompt.setPlainText("x")
    with qtbot.waitSignal(window.controller.failed, timeout=30000):
        qtbot.mouseClick(window.sidebar.run_button, Qt.MouseButton.LeftButton)
    assert "no longer exists" in window.banner.text()
    assert hub_env.edit_requests() == []  # nothing was sent
    assert window.sidebar.run_button.isEnabled()
