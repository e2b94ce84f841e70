"""Fixtures for driving the real main window against the fake hub."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw


def make_photo(path: Path, size: tuple[int, int] = (320, 240), colour=(40, 90, 160)) -> Path:
    img = Image.new("RGB", size, colour)
    ImageDraw.Draw(img).ellipse(
        (size[0] // 4, size[1] // 4, 3 * size[0] // 4, 3 * size[1] // 4), fill=(240, 200, 40)
    )
    img.save(path)
    return path


@pytest.fixture
def photos(tmp_path: Path) -> list[Path]:
    return [
        make_photo(tmp_path / "first photo.png"),
        make_photo(tmp_path / "référence.jpg", colour=(160, 60, 60)),
    ]


@pytest.fixture
def window(qtbot, hub_env, isolated_env: Path, monkeypatch) -> Iterator[object]:
    from retouch.core.settings import Settings
    from retouch.ui.app import create_app
    from retouch.ui.main_window import MainWindow

    create_app()
    settings = Settings(isolated_env)
    settings.set("output_dir", str(isolated_env / "out"))
    # Synchronous edits by default; the queue has tests of its own (test_queue_runs.py).
    settings.set("use_queue", False)
    win = MainWindow(settings)
    win.poll_interval = 0.05
    # pytest-qt closes the window before fixtures tear down: a run still going (a test
    # that failed mid-run) would ask "Quit while running?" in a modal box and hang the
    # suite. Stop it first, so a failing test fails instead.
    qtbot.addWidget(win, before_close_func=lambda w: _stop_run(qtbot, w))
    win.show()
    qtbot.waitExposed(win)
    yield win


def _stop_run(qtbot, win) -> None:
    if win.controller.running:
        win.controller.shutdown(10000)
        qtbot.waitUntil(lambda: not win.controller.running, timeout=15000)


def wait_inputs_ready(qtbot, win, count: int) -> None:
    qtbot.waitUntil(
        lambda: len(win.tray.items()) == count and not win.tray.is_loading(), timeout=15000
    )


def answer_quit(monkeypatch, choice: str, asked: list | None = None) -> None:
    """Answer the window's "Quit while running?" box: click the button whose text starts
    with *choice* ("Keep", "Cancel", "Quit", "Don't"); its texts are kept in *asked*."""
    from PySide6.QtWidgets import QMessageBox

    def exec_(box: QMessageBox) -> int:
        if asked is not None:
            asked.append((box.text(), [b.text() for b in box.buttons()]))
        (button,) = [b for b in box.buttons() if b.text().startswith(choice)]
        button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
