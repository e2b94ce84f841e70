"""Progress where the eye is: a card floating over the canvas and over the results preview
while a run is on — what is coming ("Generating 2 images"), what is happening now, how
long it has taken, and Cancel."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsDropShadowEffect,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from retouch.ui.i18n import plural, translate
from retouch.ui.theme import scheme

if TYPE_CHECKING:
    from retouch.core.editing import Progress

#: How often the spinner turns and the clock is redrawn while the card shows.
TICK_MS = 80


def phase_text(progress: Progress) -> str:
    """What a run is doing, in the user's language (the core's phases, by their key)."""
    n, total = progress.done, progress.total
    texts = {
        "preparing": translate("Runs", "Preparing…"),
        "uploading": translate("Runs", "Uploading the inputs…"),
        "waiting": translate("Runs", "Waiting for the model…"),
        "downloading": translate("Runs", "Downloading result %1 of %2…"),
        "saving": translate("Runs", "Saving…"),
        "done": translate("Runs", "Done"),
    }
    text = texts.get(progress.phase)
    if text is None:
        return progress.message
    return text.replace("%1", str(min(n + 1, total) if total else 1)).replace("%2", str(total))


def elapsed_text(seconds: float) -> str:
    s = max(0, int(seconds))
    return f"{s // 60}:{s % 60:02d}"


class Spinner(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(22, 22)
        self.angle = 0

    def paintEvent(self, event: QPaintEvent) -> None:
        s = scheme()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        track = s.color("surface_muted")
        track.setAlpha(70)
        r = QRectF(3, 3, 16, 16)
        p.setPen(QPen(track, 2.6))
        p.drawEllipse(r)
        arc = QPen(s.color("surface_text"), 2.6)
        arc.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(arc)
        p.drawArc(r, -self.angle * 16, 100 * 16)
        p.end()


class RunCard(QFrame):
    """Over *host*, top centre: shown with ``start()``, updated with ``set_phase()``."""

    cancelRequested = Signal()

    def __init__(self, host: QWidget, name: str) -> None:
        super().__init__(host)
        self.setObjectName(name)
        self._host = host
        self._started = time.monotonic()
        self._phase = ""
        self._expected = 1
        self.spinner = Spinner(self)
        self.title = QLabel()
        self.title.setObjectName(f"{name}Title")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.detail = QLabel()
        self.detail.setObjectName(f"{name}Detail")
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName(f"{name}Cancel")
        self.cancel_button.setToolTip(self.tr("Stop this run (Esc)"))
        self.cancel_button.clicked.connect(self.cancelRequested)
        text = QVBoxLayout()
        text.setSpacing(1)
        text.addWidget(self.title)
        text.addWidget(self.detail)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 9, 10, 9)
        row.setSpacing(12)
        row.addWidget(self.spinner, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addLayout(text, 1)
        row.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignVCenter)
        shadow = QGraphicsDropShadowEffect(self)
        shadow.setBlurRadius(20)
        shadow.setOffset(0, 4)
        shadow.setColor(QColor(0, 0, 0, 110))
        self.setGraphicsEffect(shadow)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        host.installEventFilter(self)
        self._restyle()
        self.hide()

    # -- showing ----------------------------------------------------------------------------

    def start(self, expected: int, started_at: float | None = None) -> None:
        self._expected = max(1, expected)
        self._started = time.monotonic() if started_at is None else started_at
        self._phase = self.tr("Starting…")
        self.cancel_button.setEnabled(True)
        self._refresh()
        self.show()
        self._place()
        self.raise_()
        self._timer.start()

    def set_phase(self, text: str) -> None:
        self._phase = text
        self._refresh()

    def set_cancelling(self) -> None:
        self.cancel_button.setEnabled(False)
        self.set_phase(self.tr("Cancelling…"))

    def stop(self) -> None:
        self._timer.stop()
        self.hide()

    def elapsed(self) -> float:
        return time.monotonic() - self._started

    # -- drawing ----------------------------------------------------------------------------

    def _refresh(self) -> None:
        n = self._expected
        self.title.setText(plural(self.tr("Generating %n image(s)", "", n), n))
        self.detail.setText(f"{self._phase} · {elapsed_text(self.elapsed())}")
        self._place()

    def _tick(self) -> None:
        self.spinner.angle = (self.spinner.angle + 24) % 360
        self.spinner.update()
        self.detail.setText(f"{self._phase} · {elapsed_text(self.elapsed())}")

    def _restyle(self) -> None:
        s = scheme()
        if getattr(self, "_styled_for", None) is s:
            return  # setPalette on the labels sends PaletteChange again: once per scheme
        self._styled_for = s
        self.update()
        for label, colour in ((self.title, s.surface_text), (self.detail, s.surface_muted)):
            pal = label.palette()
            pal.setColor(QPalette.ColorRole.WindowText, QColor(colour))
            label.setPalette(pal)

    def paintEvent(self, event: QPaintEvent) -> None:
        back = scheme().color("surface_raised")
        back.setAlpha(235)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(back)
        p.drawRoundedRect(QRectF(self.rect()), 10, 10)
        p.end()

    def _place(self) -> None:
        host = self._host
        hint = self.sizeHint()
        width = min(max(hint.width(), 320), max(200, host.width() - 32))
        self.setGeometry((host.width() - width) // 2, 16, width, hint.height())

    def sizeHint(self) -> QSize:
        layout = self.layout()
        return layout.sizeHint() if layout is not None else super().sizeHint()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._host and event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle()
        super().changeEvent(event)
