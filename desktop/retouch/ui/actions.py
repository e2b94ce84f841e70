"""The main window's actions, registered in one table (after Picard's action registry).

Each ``Act`` member is one action: its text, object name (tests and screenshots find it by
that), shortcut, menu, what it does and when it is enabled. ``WindowActions`` makes the
QActions once, fills the menus in table order (the canvas panel adds its own actions to the
Edit, Mask and View menus) and re-evaluates every enabled-condition in ``update()``. Code
reaches an action through its member (``actions[Act.RUN]``), never by a name string.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

# Qt classes first needed after the window's first paint are reached through their module
# (QtWidgets.QMessageBox): PySide6 builds a class, enums and all, when it is first touched.
from PySide6 import QtCore, QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from retouch.ui.i18n import QT_TRANSLATE_NOOP, translate

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from retouch.ui.main_window import MainWindow
    from retouch.ui.results_view import ResultActions

Key = QKeySequence.StandardKey


class Menu(Enum):
    FILE = QT_TRANSLATE_NOOP("Actions", "&File")
    EDIT = QT_TRANSLATE_NOOP("Actions", "&Edit")
    MASK = QT_TRANSLATE_NOOP("Actions", "&Mask")
    VIEW = QT_TRANSLATE_NOOP("Actions", "&View")
    RUN = QT_TRANSLATE_NOOP("Actions", "&Run")
    HELP = QT_TRANSLATE_NOOP("Actions", "&Help")


@dataclass(frozen=True)
class ActionSpec:
    text: str
    name: str  # the QAction's object name
    menu: Menu
    handler: Callable[[MainWindow], object]
    shortcut: QKeySequence.StandardKey | str | None = None
    enabled: Callable[[MainWindow], bool] | None = None  # None: always enabled
    role: QAction.MenuRole | None = None
    separator_before: bool = False
    #: Only while focus is in this widget (or its children), which also gets the action.
    scope: Callable[[MainWindow], QWidget] | None = None


def _open_logs(_w: MainWindow) -> None:
    from retouch.core.paths import data_dir

    QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(str(data_dir() / "logs")))


def _has_result(w: MainWindow) -> bool:
    return w.current_result() is not None


class Act(Enum):
    OPEN = ActionSpec(
        QT_TRANSLATE_NOOP("Actions", "Open Images…"),
        "actionOpen",
        Menu.FILE,
        lambda w: w.open_files(),
        Key.Open,
    )
    PASTE = ActionSpec(
        QT_TRANSLATE_NOOP("Actions", "Paste Image or Link"),
        "actionPaste",
        Menu.FILE,
        lambda w: w.paste(),
        Key.Paste,
    )
    SAVE_RESULT = ActionSpec(
        QT_TRANSLATE_NOOP("Actions", "Save As…"),
        "actionSaveResult",
        Menu.FILE,
        lambda w: w.results.save_as(),
        Key.Save,
        _has_result,
        separator_before=True,
    )
    COPY_RESULT = ActionSpec(
        QT_TRANSLATE_NOOP("Actions", "Copy Image"),
        "actionCopyResult",
        Menu.FILE,
        lambda w: w.results.copy_current(),
        "Ctrl+Shift+C",
        _has_result,
    )
    RESULT_FOLDER = ActionSpec(
        QT_TRANSLATE_NOOP("Actions", "Show in Folder"),
        "actionOpenFolder",
        Menu.FILE,
        lambda w: w.results.open_folder(),
        None,
        _has_result,
    )
    SETTINGS = ActionSpec(
        QT_TRANSLATE_NOOP("Actions", "Settings…"),
        "actionSettings",
        Menu.FILE,
        lambda w: w.open_settings(),
        "Ctrl+,",
        role=QAction.MenuRole.PreferencesRole,
        separator_before=True,
    )
    QUIT = ActionSpec(
        QT_TRANSLATE_NOOP("Actions", "Quit"),
        "actionQuit",
        Menu.FILE,
        lambda w: w.close(),
        Key.Quit,
        role=QAction.MenuRole.QuitRole,
        separator_before=True,
    )
    REMOVE_INPUT = ActionSpec(
        QT_TRANSLATE_NOOP("Actions", "Remove Selected Inputs"),
        "actionRemoveInput",
        Menu.EDIT,
        lambda w: w.tray.remove_selected(),
        Key.Delete,
        separator_before=True,
        scope=lambda w: w.tray,
    )
    USE_AS_INPUT = ActionSpec(
        QT_TRANSLATE_NOOP("Actions", "Use as Input"),
        "actionUseAsInput",
        Menu.EDIT,
        lambda w: w.results.use_current(),
        "Ctrl+U",
        _has_result,
    )
    SHOW_CANVAS = ActionSpec(
        QT_TRANSLATE_NOOP("Actions", "Show Mask"),
        "actionShowCanvas",
        Menu.VIEW,
        lambda w: w.show_page(0),
        "Ctrl+2",
        separator_before=True,
    )
    SHOW_RESULTS = ActionSpec(
        QT_TRANSLATE_NOOP("Actions", "Show Results"),
        "actionShowResults",
        Menu.VIEW,
        lambda w: w.show_page(1),
        "Ctrl+3",
    )
    SHOW_COMPARE = ActionSpec(
        QT_TRANSLATE_NOOP("Actions", "Compare"),
        "actionShowCompare",
        Menu.VIEW,
        lambda w: w.show_page(2),
        "Ctrl+4",
    )
    SHOW_HISTORY = ActionSpec(
        QT_TRANSLATE_NOOP("Actions", "History"),
        "actionShowHistory",
        Menu.VIEW,
        lambda w: w.show_page(3),
        "Ctrl+5",
    )
    RUN = ActionSpec(
        QT_TRANSLATE_NOOP("Actions", "Run Edit"),
        "actionRun",
        Menu.RUN,
        lambda w: w.runs.run(),
        "Ctrl+Return",
        lambda w: not w.runs.blocker(),
    )
    CANCEL = ActionSpec(
        QT_TRANSLATE_NOOP("Actions", "Cancel Run"),
        "actionCancel",
        Menu.RUN,
        lambda w: w.runs.cancel(),
        "Escape",
        lambda w: w.controller.running,
    )
    BATCH = ActionSpec(
        QT_TRANSLATE_NOOP("Actions", "Batch…"),
        "actionBatch",
        Menu.RUN,
        lambda w: w.open_batch(),
        "Ctrl+Shift+B",
        separator_before=True,
    )
    REFRESH_MODELS = ActionSpec(
        QT_TRANSLATE_NOOP("Actions", "Refresh Models"),
        "actionRefreshModels",
        Menu.RUN,
        lambda w: w.model_refresh.refresh(),
        enabled=lambda w: not w.catalogue.refreshing,
    )
    OPEN_LOGS = ActionSpec(
        QT_TRANSLATE_NOOP("Actions", "Open Log Folder"), "actionOpenLogs", Menu.HELP, _open_logs
    )
    ABOUT = ActionSpec(
        QT_TRANSLATE_NOOP("Actions", "About Retouch"),
        "actionAbout",
        Menu.HELP,
        lambda w: w.about(),
        role=QAction.MenuRole.AboutRole,
    )

    @property
    def spec(self) -> ActionSpec:
        return self.value


def shortcut_tip(text: str, action: QAction) -> str:
    """ "Save As (Ctrl+S)": the text a tooltip shows for an action with a shortcut."""
    seq = action.shortcut()
    if seq.isEmpty():
        return text.rstrip("…")
    return f"{text.rstrip('…')} ({seq.toString(QKeySequence.SequenceFormat.NativeText)})"


class WindowActions:
    """The QActions of ``Act``, the menus they sit in, and their enabled state."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self._actions: dict[Act, QAction] = {}
        for act in Act:
            self._actions[act] = self._make(act.spec)

    def __getitem__(self, act: Act) -> QAction:
        return self._actions[act]

    def result_actions(self) -> ResultActions:
        """The result actions, for the Results page's buttons and context menu."""
        from retouch.ui.results_view import ResultActions

        return ResultActions(
            self[Act.SAVE_RESULT],
            self[Act.COPY_RESULT],
            self[Act.RESULT_FOLDER],
            self[Act.USE_AS_INPUT],
        )

    def _make(self, spec: ActionSpec) -> QAction:
        w = self._window
        text = translate("Actions", spec.text)
        action = QAction(text, w)
        action.setObjectName(spec.name)
        if spec.shortcut is not None:
            action.setShortcut(QKeySequence(spec.shortcut))
            action.setToolTip(shortcut_tip(text, action))
        if spec.role is not None:
            action.setMenuRole(spec.role)
        action.triggered.connect(lambda _checked=False, h=spec.handler: h(w))
        w.addAction(action)
        if spec.scope is not None:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            spec.scope(w).addAction(action)
        return action

    def build_menus(self, panel_actions: dict[Menu, list[QAction]]) -> None:
        """Fill the menu bar: the table's actions in order, the canvas panel's before them
        in Edit (undo, redo) and after them in Mask and View."""
        bar = self._window.menuBar()
        for menu_id in Menu:
            menu = bar.addMenu(translate("Actions", str(menu_id.value)))
            panel = panel_actions.get(menu_id, [])
            if menu_id is not Menu.EDIT:
                menu.addActions(panel)
            for act in Act:
                if act.spec.menu is not menu_id:
                    continue
                if menu_id is Menu.EDIT and panel:
                    menu.addActions(panel)
                    panel = []
                if act.spec.separator_before and not menu.isEmpty():
                    menu.addSeparator()
                menu.addAction(self._actions[act])
            for action in panel_actions.get(menu_id, []):
                self._window.addAction(action)  # their shortcuts work anywhere in the window

    def update(self) -> None:
        """Re-evaluate every enabled-condition of the table."""
        for act, action in self._actions.items():
            condition = act.spec.enabled
            if condition is not None:
                action.setEnabled(bool(condition(self._window)))
