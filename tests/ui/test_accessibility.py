"""Every control can be found by a screen reader and every icon-only one explains itself:
a walk over every widget of the window (all pages built) and of its dialogs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QToolButton,
    QWidget,
)

from tests.ui.conftest import wait_inputs_ready

INTERACTIVE = (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QAbstractItemView,
)


def accessible_name(widget: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.text(QAccessible.Text.Name).strip() if iface is not None else ""


def icon_only(button: QAbstractButton) -> bool:
    style = button.toolButtonStyle() if isinstance(button, QToolButton) else None
    if style == Qt.ToolButtonStyle.ToolButtonIconOnly:
        return True
    text = button.text().replace("&", "").strip()
    return not text or len(text) <= 1 or not any(c.isalpha() for c in text)


def problems(root: QWidget) -> list[str]:
    found = []
    for w in [root, *root.findChildren(QWidget)]:
        if not isinstance(w, INTERACTIVE) or w.window() is not root:
            continue
        if type(w).__name__ == "QLineEdit" and isinstance(
            w.parentWidget(), (QAbstractSpinBox, QComboBox)
        ):
            continue  # a spin box's or combo box's own editor: its parent carries the name
        if w.objectName().startswith("qt_") or isinstance(w, QScrollBar):
            continue  # Qt's internal parts; a scroll bar's role says what it is
        parent = w.parentWidget()
        where = f"{type(w).__name__}#{w.objectName() or '?'}"
        if not w.objectName() and parent is not None:
            where += f" in {type(parent).__name__}#{parent.objectName() or '?'}"
        if not accessible_name(w):
            found.append(f"{where}: no accessible name")
        if isinstance(w, QAbstractButton) and icon_only(w) and not w.toolTip().strip():
            found.append(f"{where}: icon-only without a tooltip")
    return found


def test_every_control_has_a_name_and_every_icon_button_a_tooltip(qtbot, window, photos):
    window.tray.add_paths(photos)
    wait_inputs_ready(qtbot, window, 2)
    window.show_message("error", "Something failed.", "settings")
    for page in (1, 2, 3, 0):
        window.show_page(page)  # every page built
    assert not problems(window), "\n".join(problems(window))


def test_dialogs_too(qtbot, window):
    from retouch.ui.dialogs import SettingsDialog, WelcomeDialog

    for dialog in (SettingsDialog(window.settings, window), WelcomeDialog()):
        qtbot.addWidget(dialog)
        dialog.show()
        assert not problems(dialog), "\n".join(problems(dialog))
        dialog.close()


def test_the_walk_catches_an_unnamed_icon_button(qtbot, window):
    """The rule itself: an icon-only button with neither tooltip nor name is reported."""
    from PySide6.QtWidgets import QToolButton

    from retouch.ui.canvas.icons import make_icon

    bare = QToolButton(window.sidebar)
    bare.setObjectName("bareButton")
    bare.setIcon(make_icon("fill"))
    bare.show()
    found = problems(window)
    assert "QToolButton#bareButton: no accessible name" in found
    assert "QToolButton#bareButton: icon-only without a tooltip" in found
