"""The start-up baseline: a bare PySide6 QMainWindow, measured exactly like the app.

Prints ``first-paint <epoch s>`` once the window has painted for the first time, then quits
(the same event filter as ``RETOUCH_EXIT_AFTER_FIRST_PAINT`` in ``retouch.ui.app``, on the
window alone: its own paint event opens its first paint pass).
With ``--label`` the window shows one line of text: the price of the first text any real
window draws (font database, glyph cache), which the empty window never pays.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


class FirstPaint(QObject):
    seen = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if not self.seen and event.type() == QEvent.Type.Paint:
            self.seen = True
            QTimer.singleShot(0, self.report)
        return False

    def report(self) -> None:
        print(f"first-paint {time.time():.6f}", flush=True)
        QApplication.quit()


def main() -> int:
    app = QApplication(sys.argv)
    window = QMainWindow()
    spy = FirstPaint(window)
    window.installEventFilter(spy)
    window.setWindowTitle("bare")
    window.resize(1360, 860)  # the size the main window opens at
    if "--label" in sys.argv:
        window.setCentralWidget(QLabel("Drop images here"))
    window.show()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
