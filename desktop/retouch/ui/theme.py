"""Light and dark palettes that follow the system, on top of each platform's native style."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

_STYLE = """
#panelTitle { font-weight: 600; color: palette(placeholder-text); text-transform: uppercase;
  letter-spacing: 1px; font-size: 11px; }
#runButton { font-weight: 600; }
#runButton:enabled { background: #2f6fed; color: white; border: none; border-radius: 6px; }
#runButton:enabled:hover { background: #255fd6; }
#cancelButton { border-radius: 6px; border: 1px solid palette(mid); background: palette(button); }
#cancelButton:hover { border-color: #b3261e; color: #b3261e; }
#showCanvasButton, #showResultsButton { padding: 4px 14px; border-radius: 12px; border: none; }
#showCanvasButton:checked, #showResultsButton:checked { background: palette(highlight);
  color: palette(highlighted-text); }
"""


def _dark_palette() -> QPalette:
    p = QPalette()
    base, window, text = QColor(30, 31, 34), QColor(43, 45, 48), QColor(223, 225, 229)
    p.setColor(QPalette.ColorRole.Window, window)
    p.setColor(QPalette.ColorRole.WindowText, text)
    p.setColor(QPalette.ColorRole.Base, base)
    p.setColor(QPalette.ColorRole.AlternateBase, window)
    p.setColor(QPalette.ColorRole.ToolTipBase, window)
    p.setColor(QPalette.ColorRole.ToolTipText, text)
    p.setColor(QPalette.ColorRole.Text, text)
    p.setColor(QPalette.ColorRole.Button, QColor(55, 57, 61))
    p.setColor(QPalette.ColorRole.ButtonText, text)
    p.setColor(QPalette.ColorRole.Highlight, QColor(47, 111, 237))
    p.setColor(QPalette.ColorRole.HighlightedText, Qt.GlobalColor.white)
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor(140, 143, 150))
    p.setColor(QPalette.ColorRole.Link, QColor(120, 170, 255))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.WindowText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(120, 122, 128))
    return p


def apply_theme(app: QApplication) -> None:
    # Windows and macOS styles already follow the system scheme; elsewhere use Fusion and
    # pick the palette from the platform's colour-scheme hint.
    if sys.platform not in ("win32", "darwin"):
        app.setStyle("Fusion")
        hints = QGuiApplication.styleHints()
        dark = hints.colorScheme() == Qt.ColorScheme.Dark
        app.setPalette(_dark_palette() if dark else app.style().standardPalette())
        hints.colorSchemeChanged.connect(
            lambda scheme: app.setPalette(
                _dark_palette() if scheme == Qt.ColorScheme.Dark else app.style().standardPalette()
            )
        )
    app.setStyleSheet(_STYLE)
