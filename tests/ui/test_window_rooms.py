"""The window's structure: the action table, pages built on first use, Test Connection, and
the keyring read after the first paint."""

from __future__ import annotations

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from retouch.fakehub import Fault
from retouch.ui.actions import Act, Menu
from retouch.ui.pages import Page
from tests.keyrings import MemoryKeyring
from tests.ui.conftest import wait_inputs_ready


def menu_of(window, action: QAction) -> str | None:
    for menu_action in window.menuBar().actions():
        if action in menu_action.menu().actions():
            return menu_action.text()
    return None


def test_every_action_of_the_table_is_in_its_menu_with_its_name(window):
    for act in Act:
        action = window.action_table[act]
        assert action.objectName() == act.spec.name
        assert window.findChild(QAction, act.spec.name) is action
        assert menu_of(window, action) == act.spec.menu.value, act


def test_the_canvas_panel_actions_are_in_edit_mask_and_view(window):
    panel = window.canvas_panel
    assert menu_of(window, panel.actionUndo) == Menu.EDIT.value
    assert menu_of(window, panel.actionBrush) == Menu.MASK.value
    assert menu_of(window, panel.actionFit) == Menu.VIEW.value
    edit = next(a.menu() for a in window.menuBar().actions() if a.text() == Menu.EDIT.value)
    names = [a.objectName() for a in edit.actions() if not a.isSeparator()]
    assert names == ["actionUndo", "actionRedo", "actionRemoveInput", "actionUseAsInput"]


def test_no_two_window_wide_actions_share_a_shortcut(window):
    seen: dict[str, str] = {}
    for action in window.findChildren(QAction):
        if action.shortcutContext() != Qt.ShortcutContext.WindowShortcut:
            continue  # scoped to one widget (the history list's Delete, …)
        for seq in action.shortcuts():
            key = seq.toString()
            assert key not in seen, f"{key}: {seen.get(key)} and {action.objectName()}"
            seen[key] = action.objectName()


def test_enabled_conditions_follow_the_window(qtbot, window, photos, hub_env):
    run, cancel = window.action_table[Act.RUN], window.action_table[Act.CANCEL]
    results = [window.action_table[a] for a in (Act.SAVE_RESULT, Act.COPY_RESULT, Act.USE_AS_INPUT)]
    assert not run.isEnabled() and not cancel.isEnabled()
    assert not any(a.isEnabled() for a in results)
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    window.sidebar.prompt.setPlainText("go")
    assert run.isEnabled()
    hub_env.add_fault(Fault("delay", seconds=1))
    with qtbot.waitSignal(window.controller.finished, timeout=30000):
        run.trigger()
        assert cancel.isEnabled() and not run.isEnabled()
    assert not cancel.isEnabled() and run.isEnabled()
    assert all(a.isEnabled() for a in results)  # a result is selected now
    window.results.clear()
    assert not any(a.isEnabled() for a in results)


def test_pages_are_built_on_first_use(qtbot, window):
    from retouch.ui.history import CompareView, HistoryPanel
    from retouch.ui.results_view import ResultsView

    for page in (Page.RESULTS, Page.COMPARE, Page.HISTORY):
        assert window.pager.built(page) is None
    assert window.findChildren(ResultsView) == []
    assert window.findChildren(CompareView) == []
    assert window.findChildren(HistoryPanel) == []
    window.activateWindow()
    window.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.pages.currentWidget(), HistoryPanel)
    assert window.pager.built(Page.RESULTS) is None  # only what was asked for
    window.show_page(Page.RESULTS)
    assert window.pages.currentWidget() is window.results
    assert window.pager.buttons[Page.RESULTS].isChecked()
    assert [window.pages.widget(i) for i in range(4)][1] is window.results


def test_test_connection_reports_a_refused_key_off_the_ui_thread(qtbot, fake_hub, isolated_env):
    from retouch.core.settings import Settings
    from retouch.ui.dialogs import SettingsDialog

    dialog = SettingsDialog(Settings(isolated_env))
    qtbot.addWidget(dialog)
    dialog.base_edit.setText(fake_hub.base_url)
    dialog.key_edit.setText("sk-typed-but-wrong")  # the key typed in the dialog is tested
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert not dialog.test_button.isEnabled() and dialog.test_label.text() == "Testing…"
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=10000)
    assert dialog.test_label.text().startswith("✗ ") and "API key" in dialog.test_label.text()
    assert "sk-typed-but-wrong" not in dialog.test_label.text()
    assert [r.path for r in fake_hub.requests] == ["/ai/models"]


def test_a_dialog_closed_during_its_test_is_left_alone(qtbot, hub_env, isolated_env):
    import shiboken6

    from retouch.core.settings import Settings
    from retouch.ui.dialogs import SettingsDialog
    from retouch.ui.tasks import live_tasks

    hub_env.add_fault(Fault("delay", seconds=0.5))
    dialog = SettingsDialog(Settings(isolated_env))
    dialog.base_edit.setText(hub_env.base_url)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    [task] = [t for t in live_tasks() if t.receiver is dialog]
    shiboken6.delete(dialog)
    assert task.is_cancelled
    qtbot.waitUntil(lambda: not task.is_running(), timeout=10000)  # no callback, no error


class CountingKeyring(MemoryKeyring):
    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def get_password(self, service: str, username: str) -> str | None:
        self.reads += 1
        return super().get_password(service, username)


@pytest.fixture
def counting_keyring(monkeypatch):
    backend = CountingKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_the_keyring_is_read_after_the_window_is_built(
    qtbot, fake_hub, isolated_env, monkeypatch, counting_keyring
):
    from retouch.core.secrets import set_api_key
    from retouch.core.settings import Settings
    from retouch.ui.main_window import MainWindow

    monkeypatch.delenv("OXEN_API_KEY", raising=False)
    monkeypatch.setenv("RETOUCH_API_BASE", fake_hub.base_url)
    set_api_key("test-key")
    win = MainWindow(Settings(isolated_env))
    qtbot.addWidget(win)
    win.show()
    assert counting_keyring.reads == 0  # not while the window is built and first shown
    qtbot.waitUntil(lambda: counting_keyring.reads == 1, timeout=5000)
    qtbot.waitUntil(lambda: "fake-style-edit" in win.catalogue.models, timeout=15000)
    win.sidebar.prompt.setPlainText("typing does not read it again")
    assert counting_keyring.reads == 1


def test_a_window_closed_before_its_deferred_start_opens_no_history(qtbot, hub_env, isolated_env):
    from retouch.core.history import store
    from retouch.core.settings import Settings
    from retouch.ui.main_window import MainWindow

    before = set(store._OPEN_TOKENS)
    win = MainWindow(Settings(isolated_env))
    qtbot.addWidget(win)
    assert win.close()
    win._after_first_paint()  # the deferred start comes round after the close
    assert win.history is None
    assert set(store._OPEN_TOKENS) == before  # no store left open by a closed window


def test_the_history_opens_after_the_first_paint_and_closes_with_the_window(
    qtbot, hub_env, isolated_env
):
    from retouch.core.history import store
    from retouch.core.settings import Settings
    from retouch.ui.main_window import MainWindow

    before = set(store._OPEN_TOKENS)
    win = MainWindow(Settings(isolated_env))
    qtbot.addWidget(win)
    win.show()
    assert set(store._OPEN_TOKENS) == before  # not while the window is built
    qtbot.waitUntil(lambda: len(store._OPEN_TOKENS) == len(before) + 1, timeout=5000)
    assert win.close()
    assert set(store._OPEN_TOKENS) == before
