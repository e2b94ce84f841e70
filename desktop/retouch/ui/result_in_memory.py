"""Results no disk could take (neither the output folder nor history): the only copy of a
paid result is in memory, so the gallery keeps them through a new run or a reopened one, and
quitting asks first (issue 13 item 1)."""

from __future__ import annotations

from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QMessageBox, QWidget

from retouch.core.results import SavedResult
from retouch.ui.i18n import plural
from retouch.ui.result_gallery import ROLE_RESULT


def in_memory(model: QStandardItemModel, row: int) -> bool:
    """The row holds a result kept only in memory."""
    item = model.item(row)  # None where begin_run took the item aside
    result = item.data(ROLE_RESULT) if item is not None else None
    return isinstance(result, SavedResult) and result.data is not None


class QuitWithResultsInMemory(QMessageBox):
    """Quitting with *n* results only in memory: ``ask()`` says "save", "quit" or "stay"."""

    def __init__(self, parent: QWidget, n: int) -> None:
        super().__init__(parent)
        self.setObjectName("quitWithResultsInMemory")
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(self.tr("Results Not Saved"))
        text = self.tr(
            "%n result(s) could not be written to disk and are only in memory: quitting now "
            "loses them.",
            "",
            n,
        )
        self.setText(plural(text, n))
        role = QMessageBox.ButtonRole
        self.save = self.addButton(self.tr("Save to Another Folder…"), role.AcceptRole)
        self.discard = self.addButton(self.tr("Quit Without Saving"), role.DestructiveRole)
        stay = self.addButton(self.tr("Don't Quit"), role.RejectRole)
        self.setDefaultButton(self.save)
        self.setEscapeButton(stay)

    def ask(self) -> str:
        self.exec()
        clicked = self.clickedButton()
        return "save" if clicked is self.save else "quit" if clicked is self.discard else "stay"


def ask_before_quit(parent: QWidget, n: int) -> str:
    return QuitWithResultsInMemory(parent, n).ask()
