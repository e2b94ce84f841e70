"""The centre's pages (Mask, Results, Compare, History) and the segmented control that
switches them.

Only the Mask page is built with the window; the others are built the first time they are
needed (shown, or given something to show), which keeps them out of the start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum

from PySide6.QtCore import QObject, Qt, SignalInstance
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QWidget,
)

from retouch.ui.i18n import translate


class Page(IntEnum):
    CANVAS = 0
    RESULTS = 1
    COMPARE = 2
    HISTORY = 3


_BUTTONS = {
    Page.CANVAS: "showCanvasButton",
    Page.RESULTS: "showResultsButton",
    Page.COMPARE: "showCompareButton",
    Page.HISTORY: "showHistoryButton",
}


def page_title(page: Page) -> str:
    return {
        Page.CANVAS: translate("Pages", "Mask"),
        Page.RESULTS: translate("Pages", "Results"),
        Page.COMPARE: translate("Pages", "Compare"),
        Page.HISTORY: translate("Pages", "History"),
    }[page]


class SegmentedControl(QWidget):
    """One row of joined, exclusive buttons (the page selector): Tab reaches the checked
    one, the arrow keys move between them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageSwitch")
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(0)
        self.group = QButtonGroup(self)
        self.buttons: list[QPushButton] = []

    def add(self, text: str, name: str, ident: int) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setCheckable(True)
        button.setAutoExclusive(True)  # arrow keys move the focus along the row
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click leaves the focus where it was
        self.group.addButton(button, ident)
        self.row.addWidget(button)
        self.buttons.append(button)
        for i, b in enumerate(self.buttons):
            last = i == len(self.buttons) - 1
            b.setProperty("segment", "first" if i == 0 else "last" if last else "middle")
        return button


class Pages(QObject):
    """A stack of pages built on demand, and a row of buttons to pick one."""

    def __init__(self, builders: dict[Page, Callable[[], QWidget]], parent: QObject) -> None:
        super().__init__(parent)
        self._builders = builders
        self._built: dict[Page, QWidget] = {}
        self.stack = QStackedWidget()
        self.buttons: dict[Page, QPushButton] = {}
        self.control = SegmentedControl()
        self._group = self.control.group
        for page in Page:
            text = page_title(page)
            button = self.control.add(text, _BUTTONS[page], page)
            button.setToolTip(f"{text} (Ctrl+{page + 2})")
            self.buttons[page] = button
            self.stack.addWidget(QWidget())  # a placeholder until the page is built
        self.switch = QHBoxLayout()
        self.switch.setContentsMargins(10, 8, 10, 6)
        self.switch.addWidget(self.control)
        self.switch.addStretch(1)
        self.buttons[Page.CANVAS].setChecked(True)
        self._results = 0

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
        self._results = count
        title = page_title(Page.RESULTS)
        self.buttons[Page.RESULTS].setText(f"{title} ({count})" if count else title)
