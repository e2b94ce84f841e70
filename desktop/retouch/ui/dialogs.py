"""Settings (Ctrl+,) and the first-run welcome: the key, the hub, uploads, the output folder."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QIcon, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSpacerItem,
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
from retouch.ui.i18n import LANGUAGES
from retouch.ui.tasks import run_task
from retouch.ui.text import display_path
from retouch.ui.theme import caption, mute, scaled_font

if TYPE_CHECKING:
    from retouch.core.profile import HubProfile

#: The longest maximum wait the Settings offer (minutes).
MAX_WAIT_MINUTES = 240


def key_help() -> str:
    return QCoreApplication.translate(
        "Dialogs",
        'Get your API key from your Oxen account: <a href="https://www.oxen.ai/settings/profile">'
        "oxen.ai → Settings → API key</a>.",
    )


#: The core's keyring reasons, in the user's language (a key table: the core stays Qt-free).
def _reason(reason: str) -> str:
    known = {
        "no keyring service is available on this system": QCoreApplication.translate(
            "Dialogs", "no keyring service is available on this system"
        ),
        "the only keyring found stores secrets as plain text": QCoreApplication.translate(
            "Dialogs", "the only keyring found stores secrets as plain text"
        ),
        "no keyring is available": QCoreApplication.translate("Dialogs", "no keyring is available"),
    }
    refused = "the keyring refused it ("
    if reason.startswith(refused):  # the backend's own words follow, as they are
        return QCoreApplication.translate("Dialogs", "the keyring refused it (%1)").replace(
            "%1", reason[len(refused) : -1]
        )
    return known.get(reason, reason)


def keyring_notice(status: KeyringStatus) -> str:
    if status.available:
        return QCoreApplication.translate(
            "Dialogs", "The key is stored in your system keyring, never in a file."
        )
    return QCoreApplication.translate(
        "Dialogs",
        "<b>No secure keyring is available</b> (%1). The key will be kept in memory for "
        "this session only; set OXEN_API_KEY to avoid typing it each time.",
    ).replace("%1", _reason(status.reason))


def session_key_notice() -> str:
    """Said when the key in use is only kept for this session although a keyring exists (it
    refused the key earlier: a dismissed unlock prompt)."""
    return QCoreApplication.translate(
        "Dialogs",
        "Your API key is kept for this session only: your system keyring did not take it. "
        "Retry to store it there.",
    )


def key_stored_message(outcome: KeyStored) -> str:
    """``KeyStored.message()`` in the user's language."""
    if outcome.in_keyring:
        return QCoreApplication.translate(
            "Dialogs", "Your API key is stored in your system keyring."
        )
    return QCoreApplication.translate(
        "Dialogs",
        "Your API key is kept for this session only: it is not in your system keyring "
        "because %1. You will be asked for it again next time.",
    ).replace("%1", _reason(outcome.reason))


class KeyOutcome(QWidget):
    """What happened to the key the user entered (``KeyStored.message()``), and **Retry**
    when it is only kept for the session: "stored in your system keyring" only when it was."""

    def __init__(self, notice: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = _note(notice)
        self.label.setObjectName("keyringNotice")
        self.retry = QPushButton(self.tr("Retry"))
        self.retry.setObjectName("retryKeyButton")
        self.retry.setToolTip(self.tr("Try to store the key in your system keyring again"))
        self.retry.hide()
        self.retry.clicked.connect(self._retry)
        self.outcome: KeyStored | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        row.addWidget(self.label, 1)
        row.addWidget(self.retry, 0, Qt.AlignmentFlag.AlignTop)

    def store(self, key: str) -> KeyStored:
        """Store *key* (keyring, else the session) and say what happened."""
        self.show_outcome(store_api_key(key))
        assert self.outcome is not None
        return self.outcome

    def show_outcome(self, outcome: KeyStored) -> None:
        self.outcome = outcome
        self.label.setText(key_stored_message(outcome))
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
    n = len(models)
    if n == 1:
        return QCoreApplication.translate("Dialogs", "Connected: the hub offers 1 model.")
    return QCoreApplication.translate("Dialogs", "Connected: the hub offers {n} models.").format(
        n=n
    )


class PathField(QLabel):
    """A folder, shown elided in the middle (the start and the name stay), the whole path on
    hover. ``text()``/``setText()`` are the path itself; empty shows the placeholder."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._path = ""
        self._placeholder = ""
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setBackgroundRole(QPalette.ColorRole.Base)  # reads as a (read-only) field
        self.setAutoFillBackground(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(160)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setContentsMargins(6, 3, 6, 3)

    def text(self) -> str:
        return self._path

    def setText(self, path: str) -> None:
        self._path = path
        self._show()

    def setPlaceholderText(self, text: str) -> None:
        self._placeholder = text
        self._show()

    def shown_path(self) -> str:
        return self._path or self._placeholder

    def _show(self) -> None:
        full = display_path(self.shown_path())
        width = max(40, self.contentsRect().width() - 4)
        super().setText(self.fontMetrics().elidedText(full, Qt.TextElideMode.ElideMiddle, width))
        self.setToolTip(full)
        self.setAccessibleDescription(full)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._show()

    def minimumSizeHint(self) -> QSize:
        return QSize(160, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(280, super().sizeHint().height())


def _plain_buttons(box: QDialogButtonBox) -> None:
    """Standard buttons without the platform theme's icons (no other button has one)."""
    for button in box.buttons():
        button.setIcon(QIcon())


class SettingsDialog(QDialog):
    def __init__(
        self, settings: Settings, parent: QWidget | None = None, demo: bool = False
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(600)
        self.settings = settings
        key, source = get_api_key()
        self._key_source = source

        # -- connection ---------------------------------------------------------------------
        self.key_edit = QLineEdit()
        self.key_edit.setObjectName("apiKeyEdit")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText(self.tr("Paste your Oxen API key"))
        self.key_edit.setAccessibleName(self.tr("API key"))
        if key:
            # The field shows that a key exists without ever holding it in the widget.
            self.key_edit.setPlaceholderText(
                {
                    "env": self.tr("Set by OXEN_API_KEY (overrides the keyring)"),
                    "keyring": self.tr("A key is saved in the keyring — type to replace it"),
                    "session": self.tr("A key is kept for this session — type to replace it"),
                }.get(source, self.tr("A key is set"))
            )
        self.remove_key = QPushButton(self.tr("Remove Key"))
        self.remove_key.setObjectName("removeKeyButton")
        self.remove_key.setEnabled(source in ("keyring", "session"))
        self.remove_key.clicked.connect(self._remove_key)
        key_row = _row(self.key_edit, self.remove_key)

        status = keyring_status()
        self.key_outcome = KeyOutcome(keyring_notice(status))
        self.keyring_label = self.key_outcome.label
        if source == "session" and status.available:
            self.key_outcome.offer_retry(session_key_notice())
        help_label = _note(key_help())
        help_label.setOpenExternalLinks(True)

        self.base_edit = QLineEdit(settings.get("api_base"))
        self.base_edit.setObjectName("apiBaseEdit")
        self.base_edit.setPlaceholderText(DEFAULT_BASE_URL)
        self.base_edit.setAccessibleName(self.tr("Hub address"))
        self.test_button = QPushButton(self.tr("Test Connection"))
        self.test_button.setObjectName("testConnectionButton")
        self.test_button.clicked.connect(self._test)
        self.test_label = QLabel()
        self.test_label.setObjectName("testConnectionResult")
        self.test_label.setWordWrap(True)
        test_row = _row(self.test_button, self.test_label, stretch_last=True)

        # -- inputs and results ---------------------------------------------------------------
        self.upload_data = QRadioButton(
            self.tr("Embed them in the request (private: nothing is stored)")
        )
        self.upload_data.setObjectName("uploadEmbed")
        self.upload_repo = QRadioButton(self.tr("Upload them to my Oxen repository"))
        self.upload_repo.setObjectName("uploadRepository")
        self.repo_edit = QLineEdit()
        self.repo_edit.setObjectName("uploadRepoEdit")
        self.repo_edit.setPlaceholderText(self.tr("namespace/repository"))
        self.repo_edit.setAccessibleName(self.tr("Oxen repository"))
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
        self.repo_warning = _note(
            self.tr(
                "⚠ The repository must be <b>public</b>: the model server downloads the "
                "inputs without credentials, so anyone can see them."
            )
        )
        self.repo_warning.setObjectName("repoWarning")
        self.repo_edit.setEnabled(self.upload_repo.isChecked())
        self.upload_repo.toggled.connect(self._upload_changed)

        self.out_edit = PathField()
        self.out_edit.setObjectName("outputDirEdit")
        self.out_edit.setAccessibleName(self.tr("Save results to"))
        from retouch.core.paths import default_output_dir

        self.out_edit.setPlaceholderText(str(default_output_dir()))
        self.out_edit.setText(settings.get("output_dir"))
        browse = QPushButton(self.tr("Choose…"))
        browse.setObjectName("chooseOutputButton")
        browse.clicked.connect(self._browse)
        reset = QPushButton(self.tr("Default"))
        reset.setObjectName("defaultOutputButton")
        reset.setToolTip(self.tr("Save results in the data folder again"))
        reset.clicked.connect(lambda: self.out_edit.setText(""))
        out_row = _row(self.out_edit, browse, reset)

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
        self.wait_spin.setAccessibleName(self.tr("Longest wait"))
        self.wait_spin.setRange(1, MAX_WAIT_MINUTES)
        self.wait_spin.setSuffix(self.tr(" min"))
        self._wait_seconds = float(settings.get("max_edit_wait"))
        self.wait_spin.setValue(max(1, min(MAX_WAIT_MINUTES, round(self._wait_seconds / 60))))
        self.wait_spin.setToolTip(
            self.tr(
                "After this long Retouch stops waiting for an edit. The hub may still finish it "
                "and bill it; a queued edit stays on the hub and is collected later."
            )
        )
        self._wait_shown = self.wait_spin.value()

        # -- appearance -------------------------------------------------------------------------
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("languageCombo")
        self.language_combo.setAccessibleName(self.tr("Language"))
        self.language_combo.addItem(self.tr("As the system"), "")
        for code, name in LANGUAGES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(
            max(0, self.language_combo.findData(settings.get("language")))
        )
        self.appearance_combo = QComboBox()
        self.appearance_combo.setObjectName("appearanceCombo")
        self.appearance_combo.setAccessibleName(self.tr("Appearance"))
        for code, text in (
            ("system", self.tr("As the system")),
            ("light", self.tr("Light")),
            ("dark", self.tr("Dark")),
        ):
            self.appearance_combo.addItem(text, code)
        self.appearance_combo.setCurrentIndex(
            max(0, self.appearance_combo.findData(settings.get("appearance")))
        )

        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(8)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form = form
        _section(form, self.tr("Connection"), first=True)
        form.addRow(self.tr("API key"), key_row)
        form.addRow("", help_label)
        form.addRow("", self.key_outcome)
        form.addRow(self.tr("Hub address"), self.base_edit)
        form.addRow("", test_row)
        _section(form, self.tr("Inputs and results"))
        form.addRow(self.tr("Send inputs"), self.upload_data)
        form.addRow("", _row(self.upload_repo, self.repo_edit, stretch_last=True))
        form.addRow("", self.repo_warning)
        form.addRow(self.tr("Save results to"), out_row)
        form.addRow("", self.remove_gps)
        form.addRow("", self.ask_keep_mask)
        form.addRow(self.tr("Longest wait"), _fit(self.wait_spin, 120))
        _section(form, self.tr("Appearance"))
        form.addRow(self.tr("Language"), _fit(self.language_combo))
        form.addRow(self.tr("Colours"), _fit(self.appearance_combo))
        if demo:
            note = _note(
                self.tr(
                    "You are trying the offline demo: a local stand-in answers instead of the "
                    "hub. These settings apply the next time Retouch starts normally."
                )
            )
            note.setObjectName("demoNote")
            form.addRow("", note)
        self._upload_changed(self.upload_repo.isChecked())

        #: Save stored the settings but the key only for the session: the dialog stayed open.
        self.saved_with_notice = False
        self.error_label = QLabel()
        self.error_label.setObjectName("settingsError")
        self.error_label.setWordWrap(True)
        self.error_label.setForegroundRole(QPalette.ColorRole.BrightText)
        self.error_label.hide()

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        _plain_buttons(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(12)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(buttons)

    def _upload_changed(self, to_repository: bool) -> None:
        # The warning only says something when a repository upload is chosen.
        self.repo_edit.setEnabled(to_repository)
        self.repo_warning.setVisible(to_repository)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Save Results To"), self.out_edit.shown_path()
        )
        if folder:
            self.out_edit.setText(folder)

    def _remove_key(self) -> None:
        delete_api_key()
        self.remove_key.setEnabled(False)
        self.key_edit.setPlaceholderText(self.tr("Paste your Oxen API key"))

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
            self.test_label.setText(self.tr("Enter an API key first."))
            return
        self.test_button.setEnabled(False)
        overridden = profile.origins["base_url"] == "environment"
        self.test_label.setText(
            self.tr("Testing %1 (set by RETOUCH_API_BASE)…").replace("%1", profile.base_url)
            if overridden
            else self.tr("Testing…")
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
        self.settings.set("language", str(self.language_combo.currentData() or ""), save=False)
        self.settings.set(
            "appearance", str(self.appearance_combo.currentData() or "system"), save=False
        )
        self.settings.save()
        if kept_for_session:
            # Saved, but the key is not where the user thinks: stay open to say so (and
            # offer Retry); Save again closes.
            self.key_edit.setPlaceholderText(
                self.tr("A key is kept for this session — type to replace it")
            )
            self.saved_with_notice = True
            return
        super().accept()


class WelcomeDialog(QDialog):
    """First start with no key: enter one, or try the offline demo."""

    DEMO = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeDialog")
        self.setWindowTitle(self.tr("Welcome to Retouch"))
        self.setMinimumWidth(520)
        title = QLabel(self.tr("Welcome to Retouch"))
        title.setObjectName("welcomeTitle")
        title.setFont(scaled_font(title.font(), 1.5, bold=True))
        body = QLabel(
            self.tr(
                "Retouch edits images with GPT Image 2 on the Oxen.ai hub. Paint over what "
                "should change, describe it, and get up to four versions back."
            )
        )
        body.setWordWrap(True)
        ask = QLabel(self.tr("To edit for real, enter your Oxen API key.") + " " + key_help())
        ask.setWordWrap(True)
        ask.setOpenExternalLinks(True)
        ask.setTextFormat(Qt.TextFormat.RichText)
        self.key_edit = QLineEdit()
        self.key_edit.setObjectName("welcomeKeyEdit")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText(self.tr("Paste your Oxen API key"))
        self.key_edit.setAccessibleName(self.tr("API key"))
        self.key_outcome = KeyOutcome(keyring_notice(keyring_status()))
        #: "keyring" or "session" once a key was saved (see KeyStored.where).
        self.stored_in = ""
        self.save_button = QPushButton(self.tr("Save Key and Start"))
        self.save_button.setProperty("primary", True)
        self.key_edit.textChanged.connect(
            lambda t: self.save_button.setEnabled(bool(t.strip()) or self.stored_in == "session")
        )
        self.save_button.setObjectName("welcomeSaveKey")
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self._save)
        self.demo_button = QPushButton(self.tr("Try the Offline Demo"))
        self.demo_button.setObjectName("welcomeDemo")
        self.demo_button.setToolTip(
            self.tr(
                "A local stand-in answers instead of the AI: every screen works, no key or "
                "network needed, nothing is billed"
            )
        )
        self.demo_button.clicked.connect(lambda: self.done(self.DEMO))
        later = QPushButton(self.tr("Later"))
        later.setObjectName("welcomeLater")
        later.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        buttons.addWidget(later)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(body)
        layout.addSpacing(4)
        layout.addWidget(ask)
        layout.addWidget(self.key_edit)
        layout.addWidget(self.key_outcome)
        layout.addSpacing(6)
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
            self.save_button.setText(self.tr("Start"))
            self.save_button.setEnabled(True)
            self.key_outcome.retry.clicked.connect(self._retried)

    def _retried(self) -> None:
        outcome = self.key_outcome.outcome
        if outcome is not None and outcome.in_keyring:
            self.stored_in = "keyring"


def _row(*widgets: QWidget, stretch_last: bool = False) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(8)
    grows = widgets[-1] if stretch_last else widgets[0]
    for w in widgets:
        row.addWidget(w, 1 if w is grows else 0)
    return row


def _note(text: str) -> QLabel:
    """Help under a field: wrapped, in the secondary text colour."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    # A wrapped label's height is reckoned for the width it starts with: start it at the
    # field column's width, or the form keeps room for a tall, narrow version of it.
    label.setMinimumWidth(NOTE_WIDTH)
    mute(label)
    return label


NOTE_WIDTH = 420


def _fit(widget: QWidget, width: int = 240) -> QHBoxLayout:
    """A field that keeps a sensible width instead of spanning the dialog."""
    widget.setMinimumWidth(width)
    row = QHBoxLayout()
    row.addWidget(widget)
    row.addStretch(1)
    return row


def _section(form: QFormLayout, title: str, first: bool = False) -> None:
    label = QLabel(title)
    label.setObjectName("settingsSection")
    caption(label)
    if not first:
        form.addItem(QSpacerItem(0, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed))
    form.addRow(label)


def _message(exc: BaseException) -> str:
    if isinstance(exc, E.RetouchError):
        return exc.message
    return QCoreApplication.translate("Dialogs", "The test failed unexpectedly ({kind}).").format(
        kind=type(exc).__name__
    )
