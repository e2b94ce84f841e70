"""Issue 13 item 13, window side: the key dialogs say what ``store_api_key`` actually did.

A keyring that refuses the key (the user dismissed its unlock prompt) used to leave both
dialogs saying "stored in your system keyring" while the key was only kept for the session.
Now they show ``KeyStored.message()`` — "stored in your system keyring" only when it was —
and offer **Retry**, which stores it once the keyring lets it.
"""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from retouch.core.secrets import get_api_key
from tests.keyrings import RefusingKeyring

SECRET = "sk-REFUSED-7a6b5c4d3e2f"


@pytest.fixture
def refusing() -> RefusingKeyring:
    backend = RefusingKeyring()
    keyring.set_keyring(backend)
    return backend


def _click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_welcome_says_the_key_is_kept_for_the_session_and_retry_stores_it(qtbot, refusing):
    from retouch.ui.dialogs import WelcomeDialog

    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    notice = dialog.findChild(object, "keyringNotice")
    retry = dialog.findChild(object, "retryKeyButton")
    assert "stored in your system keyring" in notice.text()  # a keyring is there, so far
    assert not retry.isVisible()
    qtbot.keyClicks(dialog.key_edit, SECRET)
    _click(qtbot, dialog.save_button)
    # Not closed: the user must read that the key is not where they think.
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    text = notice.text()
    assert "kept for this session only" in text and "the keyring refused it" in text
    assert "KeyringLocked" in text and "stored in your system keyring" not in text
    assert SECRET not in text  # the backend's words, scrubbed of the key
    assert retry.isVisible() and dialog.stored_in == "session"
    assert get_api_key() == (SECRET, "session") and refusing.store == {}
    assert dialog.key_edit.text() == ""
    # Retry while still refused: still said plainly.
    _click(qtbot, retry)
    assert "kept for this session only" in notice.text() and retry.isVisible()
    # The user unlocks the keyring and retries: now it is stored for good, and said so.
    refusing.refuse = False
    _click(qtbot, retry)
    assert notice.text() == "Your API key is stored in your system keyring."
    assert not retry.isVisible() and dialog.stored_in == "keyring"
    assert list(refusing.store.values()) == [SECRET]
    assert get_api_key() == (SECRET, "keyring")
    _click(qtbot, dialog.save_button)  # "Start"
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_welcome_without_any_keyring_says_why_and_can_still_start(qtbot):
    from retouch.ui.dialogs import WelcomeDialog

    keyring.set_keyring(fail.Keyring())
    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.key_edit, SECRET)
    _click(qtbot, dialog.save_button)
    notice = dialog.findChild(object, "keyringNotice")
    assert "kept for this session only" in notice.text()
    assert "no keyring service is available" in notice.text()
    assert dialog.findChild(object, "retryKeyButton").isVisible()
    assert dialog.save_button.text() == "Start" and dialog.save_button.isEnabled()
    _click(qtbot, dialog.save_button)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert get_api_key() == (SECRET, "session")


def test_settings_saves_but_stays_open_to_say_the_key_was_refused(qtbot, isolated_env, refusing):
    from retouch.core.settings import Settings
    from retouch.ui.dialogs import SettingsDialog

    settings = Settings(isolated_env)
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    notice = dialog.findChild(object, "keyringNotice")
    retry = dialog.findChild(object, "retryKeyButton")
    dialog.key_edit.setText(SECRET)
    dialog.out_edit.setText(str(isolated_env / "elsewhere"))
    dialog.accept()
    assert dialog.isVisible() and dialog.saved_with_notice
    assert settings.get("output_dir") == str(isolated_env / "elsewhere")  # the rest is saved
    assert "kept for this session only" in notice.text()
    assert "stored in your system keyring" not in notice.text()
    assert retry.isVisible() and SECRET not in notice.text()
    refusing.refuse = False
    _click(qtbot, retry)
    assert notice.text() == "Your API key is stored in your system keyring."
    assert not retry.isVisible()
    dialog.accept()  # Save again closes
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert get_api_key() == (SECRET, "keyring")


def test_settings_reopened_with_a_session_key_offers_retry(qtbot, isolated_env, refusing):
    from retouch.core.secrets import store_api_key
    from retouch.core.settings import Settings
    from retouch.ui.dialogs import SettingsDialog

    assert store_api_key(SECRET).refused
    dialog = SettingsDialog(Settings(isolated_env))
    qtbot.addWidget(dialog)
    dialog.show()
    notice = dialog.findChild(object, "keyringNotice")
    assert "kept for this session only" in notice.text()
    assert "stored in your system keyring" not in notice.text()
    retry = dialog.findChild(object, "retryKeyButton")
    assert retry.isVisible()
    refusing.refuse = False
    _click(qtbot, retry)
    assert get_api_key() == (SECRET, "keyring")
    assert "stored in your system keyring" in notice.text()


def test_a_stored_key_is_said_to_be_stored(qtbot, isolated_env):
    from retouch.core.settings import Settings
    from retouch.ui.dialogs import SettingsDialog

    dialog = SettingsDialog(Settings(isolated_env))
    qtbot.addWidget(dialog)
    dialog.key_edit.setText(SECRET)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.saved_with_notice
    assert get_api_key() == (SECRET, "keyring")
