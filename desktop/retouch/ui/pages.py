"""The centre's pages (Mask, Results, Compare, History) and the buttons that switch them.

Only the Mask page is built with the window; the others are built the first time they are
needed (shown, or given something to show), which keeps them out of the start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum

from PySide6.QtCore import QObject, SignalInstance
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QStackedWidget, QWidget


class Page(IntEnum):
    CANVAS = 0
    RESULTS = 1
    COMPARE = 2
    HISTORY = 3


_BUTTONS = {
    Page.CANVAS: ("Mask", "showCanvasButton"),
    Page.RESULTS: ("Results", "showResultsButton"),
    Page.COMPARE: ("Compare", "showCompareButton"),
    Page.HISTORY: ("History", "showHistoryButton"),
}


class Pages(QObject):
    """A stack of pages built on demand, and a row of buttons to pick one."""

    def __init__(self, builders: dict[Page, Callable[[], QWidget]], parent: QObject) -> None:
        super().__init__(parent)
        self._builders = builders
        self._built: dict[Page, QWidget] = {}
        self.stack = QStackedWidget()
        self.buttons: dict[Page, QPushButton] = {}
        self.switch = QHBoxLayout()
        self.switch.setContentsMargins(8, 6, 8, 0)
        self._group = QButtonGroup(self)
        for page in Page:
            text, name = _BUTTONS[page]
            button = QPushButton(text)
            button.setObjectName(name)
            button.setCheckable(True)
            button.setFlat(True)
            button.setToolTip(f"{text} (Ctrl+{page + 2})")
            self._group.addButton(button, page)
            self.switch.addWidget(button)
            self.buttons[page] = button
            self.stack.addWidget(QWidget())  # a placeholder until the page is built
        self.switch.addStretch(1)
        self.buttons[Page.CANVAS].setChecked(True)

    @property
    def clicked(self) -> SignalInstance:
        """A page button was clicked: ``clicked(page number)``."""
        return self._group.idClicked

    def page(self, page: Page) -> QWidget:
        """The page, built now if this is its first use."""
        widget = self._built.get(page)
        if widget is None:
            widget = self._builders[page]()
            current = self.stack.currentIndex()
            placeholder = self.stack.widget(page)
            self.stack.insertWidget(page, widget)
            if placeholder is not None:
                self.stack.removeWidget(placeholder)
                placeholder.deleteLater()
            self.stack.setCurrentIndex(current)
            self._built[page] = widget
        return widget

    def built(self, page: Page) -> QWidget | None:
        """The page if it has been built, else None (nothing to show on it yet)."""
        return self._built.get(page)

    def show(self, page: Page) -> None:
        self.page(page)
        self.stack.setCurrentIndex(page)
        self.buttons[page].setChecked(True)

    def current(self) -> Page:
        return Page(self.stack.currentIndex())

    def set_results_count(self, count: int) -> None:
        self.buttons[Page.RESULTS].setText(f"Results ({count})")
