"""The baseline for size and start-up measurements: a bare PySide6 window, nothing else.

It shows an empty QMainWindow and quits as soon as the window is shown, so timing a run
measures a cold start up to the first shown window.
"""

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


def main() -> int:
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("bare")
    window.resize(640, 480)
    window.show()
    QTimer.singleShot(0, app.quit)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
