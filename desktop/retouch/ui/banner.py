"""An inline message strip: errors say what happened and offer the next step as a button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

_STYLES = {
    "error": ("#b3261e", "#fdecea", "#5c1410"),
    "warning": ("#8a5a00", "#fff4e0", "#4a3000"),
    "info": ("#1f5fa8", "#e8f1fc", "#0d2f57"),
}


class Banner(QFrame):
    actionTriggered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorBanner")
        self._action = ""
        self.label = QLabel()
        self.label.setObjectName("bannerText")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.button = QPushButton()
        self.button.setObjectName("bannerAction")
        self.button.clicked.connect(lambda: self.actionTriggered.emit(self._action))
        close = QToolButton()
        close.setObjectName("bannerClose")
        close.setText("✕")
        close.setToolTip("Dismiss")
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        layout.addWidget(close)
        self._action = ""
        self.level = "info"
        self.hide()

    def show_message(self, level: str, text: str, action: str = "", action_label: str = "") -> None:
        border, background, fg = _STYLES.get(level, _STYLES["info"])
        self.level = level
        self.setStyleSheet(
            f"#errorBanner {{ background: {background}; border: 1px solid {border}; "
            f"border-radius: 6px; }} #bannerText {{ color: {fg}; }}"
        )
        self.label.setText(text)
        self._action = action
        self.button.setVisible(bool(action))
        self.button.setText(action_label)
        self.show()

    def text(self) -> str:
        return self.label.text()
