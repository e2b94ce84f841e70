"""Issue 14's smaller rooms, kept small: the window module under 450 lines, and the Results
page's modules and those of the mask canvas and the History page under 700, counted as
``wc -l`` counts. A concern that outgrows its module moves into a room of its own (see the
README's "The window"), never into longer lines."""

from __future__ import annotations

from pathlib import Path

import pytest

import retouch.ui

UI = Path(retouch.ui.__file__).parent
RESULTS_PAGE = sorted(p.name for p in UI.glob("result*.py"))
CANVAS_AND_HISTORY = sorted(
    p.relative_to(UI).as_posix()
    for folder in ("canvas", "history")
    for p in (UI / folder).glob("*.py")
)


def lines(name: str) -> int:
    return (UI / name).read_bytes().count(b"\n")


def test_the_window_module_stays_under_450_lines() -> None:
    assert lines("main_window.py") <= 450


@pytest.mark.parametrize("name", RESULTS_PAGE)
def test_each_module_of_the_results_page_stays_under_700_lines(name: str) -> None:
    assert lines(name) <= 700


@pytest.mark.parametrize("name", CANVAS_AND_HISTORY)
def test_each_module_of_the_canvas_and_the_history_stays_under_700_lines(name: str) -> None:
    assert lines(name) <= 700
