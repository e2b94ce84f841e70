"""Keyboard focus: Tab follows the order the window reads in.

Qt's Tab order is the order widgets were created in, which stops matching what the user
sees once parts are rebuilt (the parameter form for another model) or built late (pages
made on first use). Each part says its order (``focus_order()``) and the window chains
them: the inputs, the page selector, the page, then the sidebar top to bottom.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit, QToolButton, QWidget


def takes_tab(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)


def chain_focus(widgets: Iterable[QWidget]) -> None:
    """Make Tab go through *widgets* in the given order (those that take Tab focus)."""
    previous: QWidget | None = None
    for widget in widgets:
        if not takes_tab(widget):
            continue
        if previous is not None and previous.window() is not widget.window():
            continue
        if previous is not None:
            QWidget.setTabOrder(previous, widget)
        previous = widget


def focusable_children(container: QWidget) -> list[QWidget]:
    """*container*'s descendants that take Tab focus, in creation order (not those of its
    popups, such as a combo box's list, which live in windows of their own)."""
    window = container.window()
    return [w for w in container.findChildren(QWidget) if takes_tab(w) and w.window() is window]


def name_clear_button(field: QLineEdit) -> None:
    """A line edit's clear button says what it does (Qt leaves it nameless)."""
    for action in field.findChildren(QAction):
        if action.objectName() == "_q_qlineeditclearaction":
            text = QCoreApplication.translate("Focus", "Clear")
            action.setText(text)
            action.setToolTip(text)
    for button in field.findChildren(QToolButton):
        button.setToolTip(QCoreApplication.translate("Focus", "Clear"))
        button.setAccessibleName(QCoreApplication.translate("Focus", "Clear"))
