"""The baseline for size and start-up measurements: a bare PySide6 window, nothing else.

It shows an empty QMainWindow and quits as soon as the window is shown, so timing a run
measures a start up to the first shown window. With ``BARE_STAY_OPEN=1`` it stays open
(measure.py then times how long until the window is mapped on an X server).
"""

import os
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


def main() -> int:
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("bare")
    window.resize(640, 480)
    window.show()
    if not os.environ.get("BARE_STAY_OPEN"):
        QTimer.singleShot(0, app.quit)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
