"""Settings (Ctrl+,) and the first-run welcome: the key, the hub, uploads, the output folder."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from retouch.core import errors as E
from retouch.core.hub_client import DEFAULT_BASE_URL, validate_base_url
from retouch.core.secrets import (
    KeyringStatus,
    KeyStored,
    delete_api_key,
    get_api_key,
    keyring_status,
    store_api_key,
    stored_api_key,
)
from retouch.core.settings import Settings
from retouch.core.uploaders import parse_upload_spec
from retouch.ui.tasks import run_task

if TYPE_CHECKING:
    from retouch.core.profile import HubProfile

#: The longest maximum wait the Settings offer (minutes).
MAX_WAIT_MINUTES = 240

KEY_HELP = (
    'Get your API key from your Oxen account: <a href="https://www.oxen.ai/settings/profile">'
    "oxen.ai → Settings → API key</a>."
)


def keyring_notice(status: KeyringStatus) -> str:
    if status.available:
        return "The key is stored in your system keyring, never in a file."
    return (
        f"<b>No secure keyring is available</b> ({status.reason}). The key will be kept in "
        "memory for this session only; set OXEN_API_KEY to avoid typing it each time."
    )


def session_key_notice() -> str:
    """Said when the key in use is only kept for this session although a keyring exists (it
    refused the key earlier: a dismissed unlock prompt)."""
    return (
        "Your API key is kept for this session only: your system keyring did not take it. "
        "Retry to store it there."
    )


class KeyOutcome(QWidget):
    """What happened to the key the user entered (``KeyStored.message()``), and **Retry**
    when it is only kept for the session: "stored in your system keyring" only when it was."""

    def __init__(self, notice: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(notice)
        self.label.setObjectName("keyringNotice")
        self.label.setWordWrap(True)
        self.retry = QPushButton("Retry")
        self.retry.setObjectName("retryKeyButton")
        self.retry.setToolTip("Try to store the key in your system keyring again")
        self.retry.hide()
        self.retry.clicked.connect(self._retry)
        self.outcome: KeyStored | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.retry, 0, Qt.AlignmentFlag.AlignTop)

    def store(self, key: str) -> KeyStored:
        """Store *key* (keyring, else the session) and say what happened."""
        self.show_outcome(store_api_key(key))
        assert self.outcome is not None
        return self.outcome

    def show_outcome(self, outcome: KeyStored) -> None:
        self.outcome = outcome
        self.label.setText(outcome.message())
        self.retry.setVisible(not outcome.in_keyring)

    def offer_retry(self, text: str) -> None:
        """A key is already kept for the session only: say so, offer Retry."""
        self.label.setText(text)
        self.retry.show()

    def _retry(self) -> None:
        key, source = stored_api_key()
        if key and source == "session":
            self.store(key)
        else:  # nothing held for the session any more (removed meanwhile)
            self.retry.hide()
            self.label.setText(keyring_notice(keyring_status()))

    def text(self) -> str:
        return self.label.text()


def check_connection(profile: HubProfile) -> str:
    """Ask the hub for its model list (on a pool thread); what to tell the user on success."""
    with profile.client(read_timeout=20) as client:
        models = client.list_models()
    return f"Connected: the hub offers {len(models)} models."


class SettingsDialog(QDialog):
    def __init__(
        self, settings: Settings, parent: QWidget | None = None, demo: bool = False
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.setMinimumWidth(520)
        self.settings = settings
        key, source = get_api_key()
        self._key_source = source

        self.key_edit = QLineEdit()
        self.key_edit.setObjectName("apiKeyEdit")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText("Paste your Oxen API key")
        if key:
            # The field shows that a key exists without ever holding it in the widget.
            self.key_edit.setPlaceholderText(
                {
                    "env": "Set by OXEN_API_KEY (overrides the keyring)",
                    "keyring": "A key is saved in the keyring — type to replace it",
                    "session": "A key is kept for this session — type to replace it",
                }.get(source, "A key is set")
            )
        self.remove_key = QPushButton("Remove Key")
        self.remove_key.setObjectName("removeKeyButton")
        self.remove_key.setEnabled(source in ("keyring", "session"))
        self.remove_key.clicked.connect(self._remove_key)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_edit, 1)
        key_row.addWidget(self.remove_key)

        status = keyring_status()
        self.key_outcome = KeyOutcome(keyring_notice(status))
        self.keyring_label = self.key_outcome.label
        if source == "session" and status.available:
            self.key_outcome.offer_retry(session_key_notice())
        help_label = QLabel(KEY_HELP)
        help_label.setOpenExternalLinks(True)

        self.base_edit = QLineEdit(settings.get("api_base"))
        self.base_edit.setObjectName("apiBaseEdit")
        self.base_edit.setPlaceholderText(DEFAULT_BASE_URL)

        self.upload_data = QRadioButton("Embed images in the request (private, nothing is stored)")
        self.upload_repo = QRadioButton("Upload to my Oxen repository:")
        self.repo_edit = QLineEdit()
        self.repo_edit.setObjectName("uploadRepoEdit")
        self.repo_edit.setPlaceholderText("namespace/repository")
        group = QButtonGroup(self)
        group.addButton(self.upload_data)
        group.addButton(self.upload_repo)
        upload = settings.get("upload")
        repo = None
        try:
            repo = parse_upload_spec(upload)
        except E.ConfigError:
            repo = None
        if repo:
            self.upload_repo.setChecked(True)
            self.repo_edit.setText(f"{repo[0]}/{repo[1]}")
        else:
            self.upload_data.setChecked(True)
        repo_warning = QLabel(
            "⚠ The repository must be <b>public</b>: the model server downloads inputs without "
            "credentials. Anyone can then see the uploaded images."
        )
        repo_warning.setWordWrap(True)
        repo_row = QHBoxLayout()
        repo_row.addWidget(self.upload_repo)
        repo_row.addWidget(self.repo_edit, 1)

        self.out_edit = QLineEdit(settings.get("output_dir"))
        self.out_edit.setObjectName("outputDirEdit")
        from retouch.core.paths import default_output_dir

        self.out_edit.setPlaceholderText(str(default_output_dir()))
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out_edit, 1)
        out_row.addWidget(browse)

        self.remove_gps = QCheckBox(self.tr("Remove GPS location from saved results"))
        self.remove_gps.setObjectName("removeGpsCheck")
        self.remove_gps.setToolTip(
            self.tr(
                "Results keep the original photo's colour profile and EXIF data; tick this "
                "to leave out where it was taken. Applies to retouch edit and batch too."
            )
        )
        self.remove_gps.setChecked(bool(settings.get("remove_gps")))
        self.ask_keep_mask = QCheckBox(self.tr("Ask whether to keep the mask for a new image"))
        self.ask_keep_mask.setObjectName("askKeepMaskCheck")
        self.ask_keep_mask.setChecked(not settings.get("keep_mask_answer"))
        self.ask_keep_mask.setEnabled(bool(settings.get("keep_mask_answer")))
        # The edit's maximum wait (issue 13): after it the run stops waiting; the edit may
        # still finish on the hub and be billed (a queued one stays collectable).
        self.wait_spin = QSpinBox()
        self.wait_spin.setObjectName("maxEditWaitSpin")
        self.wait_spin.setRange(1, MAX_WAIT_MINUTES)
        self.wait_spin.setSuffix(" min")
        self._wait_seconds = float(settings.get("max_edit_wait"))
        self.wait_spin.setValue(max(1, min(MAX_WAIT_MINUTES, round(self._wait_seconds / 60))))
        self.wait_spin.setToolTip(
            "After this long Retouch stops waiting for an edit. The hub may still finish it "
            "and bill it; a queued edit stays on the hub and is collected later."
        )
        self._wait_shown = self.wait_spin.value()

        self.test_button = QPushButton("Test Connection")
        self.test_button.setObjectName("testConnectionButton")
        self.test_button.clicked.connect(self._test)
        self.test_label = QLabel()
        self.test_label.setObjectName("testConnectionResult")
        self.test_label.setWordWrap(True)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_label, 1)

        form = QFormLayout()
        form.addRow("API key", key_row)
        form.addRow("", help_label)
        form.addRow("", self.key_outcome)
        form.addRow("Hub address", self.base_edit)
        form.addRow("Send inputs", self.upload_data)
        form.addRow("", repo_row)
        form.addRow("", repo_warning)
        form.addRow("Save results to", out_row)
        form.addRow("", self.remove_gps)
        form.addRow("", self.ask_keep_mask)
        form.addRow("Wait for an edit up to", self.wait_spin)
        form.addRow("", test_row)
        if demo:
            note = QLabel(
                "Demo mode: the app talks to a local stand-in; these settings apply "
                "the next time you start without --demo."
            )
            note.setWordWrap(True)
            form.addRow("", note)

        #: Save stored the settings but the key only for the session: the dialog stayed open.
        self.saved_with_notice = False
        self.error_label = QLabel()
        self.error_label.setObjectName("settingsError")
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Save Results To", self.out_edit.text())
        if folder:
            self.out_edit.setText(folder)

    def _remove_key(self) -> None:
        delete_api_key()
        self.remove_key.setEnabled(False)
        self.key_edit.setPlaceholderText("Paste your Oxen API key")

    def _base(self) -> str:
        return validate_base_url(self.base_edit.text().strip() or DEFAULT_BASE_URL)

    def _test(self) -> None:
        from retouch.core.profile import resolve
        from retouch.core.secrets import stored_api_key

        typed = self.key_edit.text().strip()
        try:
            # What the app will use once saved: RETOUCH_API_BASE and OXEN_API_KEY still win.
            profile = resolve(
                {"api_base": self.base_edit.text()},
                stored_key=lambda: (typed, "typed") if typed else stored_api_key(),
            )
        except E.ConfigError as exc:
            self.test_label.setText(exc.message)
            return
        key = profile.api_key()
        if not key:
            self.test_label.setText("Enter an API key first.")
            return
        self.test_button.setEnabled(False)
        overridden = profile.origins["base_url"] == "environment"
        self.test_label.setText(
            f"Testing {profile.base_url} (set by RETOUCH_API_BASE)…" if overridden else "Testing…"
        )
        run_task(
            lambda _ctx: check_connection(profile),
            receiver=self,
            name="test connection",
            on_result=lambda text: self._tested(text, True),
            on_error=lambda exc: self._tested(_message(exc), False),
        )

    def _tested(self, text: str, ok: bool) -> None:
        self.test_button.setEnabled(True)
        self.test_label.setText(("✓ " if ok else "✗ ") + text)

    def accept(self) -> None:
        try:
            if self.base_edit.text().strip():
                self._base()
            upload = "data-uri"
            if self.upload_repo.isChecked():
                upload = f"oxen:{self.repo_edit.text().strip()}"
                parse_upload_spec(upload)
        except E.ConfigError as exc:
            self.error_label.setText(exc.message)
            self.error_label.show()
            return
        key = self.key_edit.text().strip()
        kept_for_session = False
        if key:
            kept_for_session = not self.key_outcome.store(key).in_keyring
            self.remove_key.setEnabled(True)
        self.key_edit.clear()
        self.settings.set("api_base", self.base_edit.text().strip(), save=False)
        self.settings.set("upload", upload, save=False)
        self.settings.set("output_dir", self.out_edit.text().strip(), save=False)
        self.settings.set("remove_gps", self.remove_gps.isChecked(), save=False)
        if self.ask_keep_mask.isChecked():
            self.settings.set("keep_mask_answer", "", save=False)
        if self.wait_spin.value() != self._wait_shown:  # a wait in seconds is kept as it is
            self.settings.set("max_edit_wait", self.wait_spin.value() * 60.0, save=False)
        self.settings.save()
        if kept_for_session:
            # Saved, but the key is not where the user thinks: stay open to say so (and
            # offer Retry); Save again closes.
            self.key_edit.setPlaceholderText("A key is kept for this session — type to replace it")
            self.saved_with_notice = True
            return
        super().accept()


class WelcomeDialog(QDialog):
    """First start with no key: enter one, or try the offline demo."""

    DEMO = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeDialog")
        self.setWindowTitle("Welcome to Retouch")
        self.setMinimumWidth(480)
        title = QLabel("<h2>Welcome to Retouch</h2>")
        body = QLabel(
            "Retouch edits images with GPT Image 2 on the Oxen.ai hub. Paint over what should "
            "change, describe it, and get up to four versions back.<br><br>"
            "To edit for real, enter your Oxen API key. " + KEY_HELP
        )
        body.setWordWrap(True)
        body.setOpenExternalLinks(True)
        body.setTextFormat(Qt.TextFormat.RichText)
        self.key_edit = QLineEdit()
        self.key_edit.setObjectName("welcomeKeyEdit")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText("Paste your Oxen API key")
        self.key_outcome = KeyOutcome(keyring_notice(keyring_status()))
        #: "keyring" or "session" once a key was saved (see KeyStored.where).
        self.stored_in = ""
        self.save_button = QPushButton("Save Key and Start")
        self.key_edit.textChanged.connect(
            lambda t: self.save_button.setEnabled(bool(t.strip()) or self.stored_in == "session")
        )
        self.save_button.setObjectName("welcomeSaveKey")
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self._save)
        self.demo_button = QPushButton("Try the Offline Demo")
        self.demo_button.setObjectName("welcomeDemo")
        self.demo_button.setToolTip(
            "A local stand-in answers instead of the AI: every screen "
            "works, no key or network needed"
        )
        self.demo_button.clicked.connect(lambda: self.done(self.DEMO))
        later = QPushButton("Later")
        later.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        buttons.addWidget(later)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(body)
        layout.addWidget(self.key_edit)
        layout.addWidget(self.key_outcome)
        layout.addLayout(buttons)

    def _save(self) -> None:
        key = self.key_edit.text().strip()
        if not key and self.stored_in:
            self.accept()  # "Start", after the key was kept for the session (or retried)
            return
        if key:
            outcome = self.key_outcome.store(key)
            self.stored_in = outcome.where
            self.key_edit.clear()
            if outcome.in_keyring:
                self.accept()
                return
            # Kept for this session only: say so and why, offer Retry, and start on request.
            self.save_button.setText("Start")
            self.save_button.setEnabled(True)
            self.key_outcome.retry.clicked.connect(self._retried)

    def _retried(self) -> None:
        outcome = self.key_outcome.outcome
        if outcome is not None and outcome.in_keyring:
            self.stored_in = "keyring"


def _message(exc: BaseException) -> str:
    if isinstance(exc, E.RetouchError):
        return exc.message
    return f"The test failed unexpectedly ({type(exc).__name__})."
