"""The message banner: one card that floats over the bottom of the pages, so showing or
hiding it never moves the image. Errors say what happened and offer the next step as a
button; the ✕ (or Esc while it has focus) dismisses it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsDropShadowEffect,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QWidget,
)

from retouch.ui.theme import scheme

#: Distance from the host's edges, and the widest the card grows.
MARGIN = 16
MAX_WIDTH = 760


class Banner(QFrame):
    actionTriggered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorBanner")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAutoFillBackground(False)
        self._action = ""
        self._host: QWidget | None = None
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
        close.setToolTip(self.tr("Dismiss"))
        close.setAccessibleName(self.tr("Dismiss"))
        close.clicked.connect(self.hide)
        self.close_button = close
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 10, 8, 10)
        layout.setSpacing(10)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignVCenter)
        shadow = QGraphicsDropShadowEffect(self)
        shadow.setBlurRadius(18)
        shadow.setOffset(0, 3)
        shadow.setColor(QColor(0, 0, 0, 90))
        self.setGraphicsEffect(shadow)
        self.level = "info"
        self._colours: tuple[str, str, str] = ("", "", "")
        self.hide()

    def attach(self, host: QWidget) -> None:
        """Float over *host* (the pages), along its bottom edge. A page with controls along
        its bottom (the zoom bar, the results strip) says how far up to float with
        ``banner_inset()``."""
        self._host = host
        self.setParent(host)
        host.installEventFilter(self)
        changed = getattr(host, "currentChanged", None)
        if changed is not None:
            changed.connect(lambda _i: self._place() if self.isVisible() else None)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._host and event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False

    def _place(self) -> None:
        host = self._host
        if host is None:
            return
        width = max(200, min(MAX_WIDTH, host.width() - 2 * MARGIN))
        layout = self.layout()
        height = layout.heightForWidth(width) if layout is not None else -1
        height = max(height, self.minimumSizeHint().height())
        page = host.currentWidget() if isinstance(host, QStackedWidget) else None
        inset = getattr(page, "banner_inset", None)
        bottom = host.height() - MARGIN - (inset() if callable(inset) else 0)
        self.setGeometry((host.width() - width) // 2, max(0, bottom - height), width, height)
        self.raise_()

    def show_message(self, level: str, text: str, action: str = "", action_label: str = "") -> None:
        self.level = level
        self._style(*scheme().banner(level))
        self.label.setText(text)
        self._action = action
        self.button.setVisible(bool(action))
        self.button.setText(action_label)
        self.show()
        self._place()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and self.isVisible():
            colours = scheme().banner(self.level)
            if colours != self._colours:  # setPalette on a child sends PaletteChange too
                self._style(*colours)
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        background, _fg, border = self._colours
        if not background:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(QColor(border), 1))
        p.setBrush(QColor(background))
        p.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)
        p.end()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)

    def _style(self, background: str, fg: str, border: str) -> None:
        # Painted, not styled by a style sheet: a style sheet freezes the palettes of the
        # widgets under it, which then miss a change of scheme.
        self._colours = (background, fg, border)
        self.update()
        for widget, role in (
            (self.label, QPalette.ColorRole.WindowText),
            (self.close_button, QPalette.ColorRole.ButtonText),
        ):
            pal = widget.palette()
            pal.setColor(role, QColor(fg))
            widget.setPalette(pal)

    def text(self) -> str:
        return self.label.text()
