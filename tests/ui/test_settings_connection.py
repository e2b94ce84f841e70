"""Settings → Test Connection tests what the app will use: the hub profile's precedence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt


def dialog_for(qtbot: Any, isolated_env: Path) -> Any:
    from retouch.core.settings import Settings
    from retouch.ui.app import create_app
    from retouch.ui.dialogs import SettingsDialog

    create_app()
    dialog = SettingsDialog(Settings(isolated_env))
    qtbot.addWidget(dialog)
    return dialog


def test_environment_hub_address_beats_the_field(
    qtbot: Any, hub_env: Any, isolated_env: Path
) -> None:
    """RETOUCH_API_BASE wins over Settings → Hub address, in the window and here alike."""
    dialog = dialog_for(qtbot, isolated_env)
    dialog.base_edit.setText("https://unreachable.invalid/api")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert "set by RETOUCH_API_BASE" in dialog.test_label.text()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=15000)
    assert dialog.test_label.text().startswith("✓ Connected")
    assert [r.path for r in hub_env.requests] == ["/ai/models"]


def test_the_typed_key_and_field_are_tested_when_nothing_overrides_them(
    qtbot: Any, fake_hub: Any, isolated_env: Path
) -> None:
    dialog = dialog_for(qtbot, isolated_env)
    dialog.base_edit.setText(fake_hub.base_url)
    dialog.key_edit.setText("test-key")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=15000)
    assert dialog.test_label.text().startswith("✓ Connected")
    assert fake_hub.requests[0].authorization == "Bearer test-key"


def test_a_bad_address_is_refused_before_anything_is_sent(
    qtbot: Any, fake_hub: Any, isolated_env: Path
) -> None:
    dialog = dialog_for(qtbot, isolated_env)
    dialog.base_edit.setText("http://hub.example.com/api")
    dialog.key_edit.setText("test-key")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert "must use https://" in dialog.test_label.text()
    assert "Settings → Hub address" in dialog.test_label.text()
    assert dialog.test_button.isEnabled() and fake_hub.requests == []
