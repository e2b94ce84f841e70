"""The main window: inputs on the left, the canvas in the middle, parameters on the right."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QObject, QRunnable, Qt, QThreadPool, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QImage, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from retouch import __version__
from retouch.core import errors as E
from retouch.core.editing import Progress, RunOutcome
from retouch.core.history import HistoryError, HistoryStore, load_session, save_session
from retouch.core.hub_client import DEFAULT_BASE_URL, HubClient, validate_base_url
from retouch.core.paths import cache_dir, data_dir, default_output_dir, history_dir
from retouch.core.request import EditRequest, InputRef
from retouch.core.results import SavedResult
from retouch.core.schema import DEFAULT_MODEL, ModelInfo, SchemaCache, builtin_model, model_info
from retouch.core.secrets import get_api_key
from retouch.core.settings import Settings
from retouch.ui.banner import Banner
from retouch.ui.canvas import CanvasPanel
from retouch.ui.dialogs import SettingsDialog
from retouch.ui.history import CompareView, HistoryPanel
from retouch.ui.input_tray import InputTray
from retouch.ui.results_view import ResultsView
from retouch.ui.sidebar import Sidebar
from retouch.ui.worker import EditJob, RunController

log = logging.getLogger(__name__)

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.webp *.gif *.bmp *.tif *.tiff);;All files (*)"
FETCH_MODELS_AFTER_MS = 300  # see _load_models
ACTION_LABELS = {"set_key": "Set API Key…", "settings": "Open Settings…", "retry": "Run Again"}


class _ModelsRelay(QObject):
    loaded = Signal(object)
    queueAvailable = Signal(bool)
    failed = Signal(str)


class _FetchModels(QRunnable):
    """Fetch the hub's model list and probe its queue, off the UI thread."""

    def __init__(self, relay: _ModelsRelay, base: str, key: str) -> None:
        super().__init__()
        self.relay, self.base, self.key = relay, base, key

    def run(self) -> None:
        try:
            with HubClient(self.base, self.key, read_timeout=30) as client:
                models = client.list_models()
                try:
                    client.queue_list()
                    queue = True
                except E.RetouchError:
                    queue = False
        except E.RetouchError as exc:
            log.info("model list not refreshed: %s", exc.message)
            self._emit(self.relay.failed, exc.message)
            return
        self._emit(self.relay.loaded, models)
        self._emit(self.relay.queueAvailable, queue)

    @staticmethod
    def _emit(signal: Any, value: object) -> None:
        try:
            signal.emit(value)
        except RuntimeError:
            pass  # the window closed meanwhile


class MainWindow(QMainWindow):
    def __init__(
        self,
        settings: Settings | None = None,
        *,
        demo_base_url: str | None = None,
        demo_key: str | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("Retouch" + (" — Demo" if demo_base_url else ""))
        self.settings = settings or Settings(data_dir())
        self.demo_base_url = demo_base_url
        self.demo_key = demo_key
        self.schema_cache = SchemaCache(cache_dir())
        self.models: dict[str, ModelInfo] = {}
        self.controller = RunController(self)
        self.history = self._open_history()
        self._pending_mask: Path | None = None
        self._run_when_ready = False
        self._key_cache: tuple[str | None] | None = None
        self.queue_available = False
        self.poll_interval = 2.0
        self._resuming: list[Any] = []
        self._clear_results_on_next = False
        self._build()
        self._build_menus()
        self._connect()
        self._load_models()
        self._restore()
        self._update_run_state()

    # -- construction ---------------------------------------------------------------------

    def _open_history(self) -> HistoryStore | None:
        try:
            store = HistoryStore(history_dir())
            interrupted = store.recover()
        except (HistoryError, OSError) as exc:
            log.error("history unavailable: %s", exc)
            self._history_error = f"History is unavailable this session: {exc}"
            return None
        self._history_error = ""
        if interrupted:
            log.info("%d runs were interrupted by the last exit", len(interrupted))
        return store

    def _build(self) -> None:
        self.tray = InputTray()
        self.tray.setMinimumWidth(170)
        self.canvas_panel = CanvasPanel()
        self.results = ResultsView()
        self.sidebar = Sidebar()
        self.sidebar.demo_label.setVisible(bool(self.demo_base_url))
        self.banner = Banner()
        self._banner_timer = QTimer(self)
        self._banner_timer.setSingleShot(True)
        self._banner_timer.timeout.connect(self.banner.hide)

        self.compare = CompareView()
        self.compare_mode = QPushButton("Side by Side")
        self.compare_mode.setObjectName("compareModeButton")
        self.compare_mode.setCheckable(True)
        self.compare_mode.setToolTip("Switch between the before/after wipe and side by side")
        self.compare_mode.toggled.connect(
            lambda side: self.compare.set_mode("side" if side else "wipe")
        )
        compare_page = QWidget()
        compare_layout = QVBoxLayout(compare_page)
        compare_layout.setContentsMargins(0, 0, 0, 0)
        compare_bar = QHBoxLayout()
        hint = QLabel("Drag the divider · 1–4 pick the result · wheel to zoom · drag to pan")
        hint.setObjectName("compareHint")
        compare_bar.addWidget(hint, 1)
        compare_bar.addWidget(self.compare_mode)
        compare_layout.addLayout(compare_bar)
        compare_layout.addWidget(self.compare, 1)
        self.history_panel = HistoryPanel(self.history)

        self.mode_edit = QPushButton("Mask")
        self.mode_edit.setObjectName("showCanvasButton")
        self.mode_results = QPushButton("Results")
        self.mode_results.setObjectName("showResultsButton")
        self.mode_compare = QPushButton("Compare")
        self.mode_compare.setObjectName("showCompareButton")
        self.mode_history = QPushButton("History")
        self.mode_history.setObjectName("showHistoryButton")
        self._mode_buttons = (
            self.mode_edit,
            self.mode_results,
            self.mode_compare,
            self.mode_history,
        )
        group = QButtonGroup(self)
        switch = QHBoxLayout()
        switch.setContentsMargins(8, 6, 8, 0)
        for i, button in enumerate(self._mode_buttons):
            button.setCheckable(True)
            button.setFlat(True)
            button.setToolTip(f"{button.text()} (Ctrl+{i + 2})")
            group.addButton(button, i)
            switch.addWidget(button)
        self.mode_edit.setChecked(True)
        group.idClicked.connect(self.show_page)
        switch.addStretch(1)

        self.pages = QStackedWidget()
        self.pages.addWidget(self.canvas_panel)
        self.pages.addWidget(self.results)
        self.pages.addWidget(compare_page)
        self.pages.addWidget(self.history_panel)

        centre = QWidget()
        centre.setObjectName("centre")
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(4)
        centre_layout.addWidget(self.banner)
        centre_layout.addLayout(switch)
        centre_layout.addWidget(self.pages, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.tray)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.sidebar)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([230, 820, 330])
        self.setCentralWidget(self.splitter)
        self.status = QLabel()
        self.statusBar().addPermanentWidget(self.status)
        self.resize(1360, 860)
        self.setAcceptDrops(True)

    def _action(self, text: str, name: str, shortcut: Any = None, slot: Any = None) -> QAction:
        act = QAction(text, self)
        act.setObjectName(name)
        if shortcut is not None:
            seq = shortcut if isinstance(shortcut, QKeySequence) else QKeySequence(shortcut)
            act.setShortcut(seq)
            act.setToolTip(
                f"{text.rstrip('…')} ({seq.toString(QKeySequence.SequenceFormat.NativeText)})"
            )
        if slot is not None:
            act.triggered.connect(slot)
        self.addAction(act)
        return act

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.act_open = self._action(
            "Open Images…", "actionOpen", QKeySequence.StandardKey.Open, self.open_files
        )
        self.act_paste = self._action(
            "Paste Image or Link", "actionPaste", QKeySequence.StandardKey.Paste, self.paste
        )
        self.act_settings = self._action(
            "Settings…", "actionSettings", QKeySequence("Ctrl+,"), self.open_settings
        )
        self.act_settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.act_quit = self._action(
            "Quit", "actionQuit", QKeySequence.StandardKey.Quit, self.close
        )
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)
        file_menu.addAction(self.act_open)
        file_menu.addAction(self.act_paste)
        file_menu.addSeparator()
        file_menu.addAction(self.results.act_save)
        file_menu.addAction(self.results.act_copy)
        file_menu.addAction(self.results.act_folder)
        file_menu.addSeparator()
        file_menu.addAction(self.act_settings)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)

        edit_menu = bar.addMenu("&Edit")
        self.act_remove = self._action(
            "Remove Selected Inputs",
            "actionRemoveInput",
            QKeySequence.StandardKey.Delete,
            self.tray.remove_selected,
        )
        self.act_remove.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.tray.addAction(self.act_remove)
        edit_menu.addAction(self.act_remove)
        edit_menu.addAction(self.results.act_use)
        mask_menu = bar.addMenu("&Mask")
        view_menu = bar.addMenu("&View")
        for act in self.canvas_panel.actions():
            name = act.objectName()
            if name in ("actionUndo", "actionRedo"):
                edit_menu.insertAction(self.act_remove, act)
            elif name in (
                "actionZoomIn",
                "actionZoomOut",
                "actionFit",
                "actionActualSize",
                "actionMaskOnly",
            ):
                view_menu.addAction(act)
            else:
                mask_menu.addAction(act)
            self.addAction(act)
        edit_menu.insertSeparator(self.act_remove)
        view_menu.addSeparator()
        pages = (
            ("Show Mask", "actionShowCanvas"),
            ("Show Results", "actionShowResults"),
            ("Compare", "actionShowCompare"),
            ("History", "actionShowHistory"),
        )
        for i, (text, name) in enumerate(pages):
            act = self._action(
                text, name, QKeySequence(f"Ctrl+{i + 2}"), lambda _c=False, i=i: self.show_page(i)
            )
            view_menu.addAction(act)

        run_menu = bar.addMenu("&Run")
        self.act_run = self._action("Run Edit", "actionRun", QKeySequence("Ctrl+Return"), self.run)
        self.act_cancel = self._action(
            "Cancel Run", "actionCancel", QKeySequence("Escape"), self.cancel_run
        )
        run_menu.addAction(self.act_run)
        run_menu.addAction(self.act_cancel)
        run_menu.addSeparator()
        self.act_batch = self._action(
            "Batch…", "actionBatch", QKeySequence("Ctrl+Shift+B"), self.open_batch
        )
        self.act_refresh_models = self._action(
            "Refresh Models", "actionRefreshModels", None, self.refresh_models
        )
        run_menu.addAction(self.act_batch)
        run_menu.addAction(self.act_refresh_models)

        help_menu = bar.addMenu("&Help")
        self.act_logs = self._action(
            "Open Log Folder",
            "actionOpenLogs",
            None,
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(data_dir() / "logs"))),
        )
        self.act_about = self._action("About Retouch", "actionAbout", None, self.about)
        self.act_about.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu.addAction(self.act_logs)
        help_menu.addAction(self.act_about)

    def _connect(self) -> None:
        self.tray.addRequested.connect(self.open_files)
        self.tray.inputsChanged.connect(self._update_run_state)
        self.tray.firstImageChanged.connect(self._first_image_changed)
        self.tray.message.connect(self.show_message)
        self.sidebar.runRequested.connect(self.run)
        self.sidebar.cancelRequested.connect(self.cancel_run)
        self.sidebar.modelChanged.connect(self._model_selected)
        self.sidebar.paramsChanged.connect(self._update_run_state)
        self.canvas_panel.canvas.maskChanged.connect(self._mask_changed)
        self.results.useAsInput.connect(lambda path: self.tray.add_paths([path]))
        self.results.message.connect(self.show_message)
        self.banner.actionTriggered.connect(self._banner_action)
        self.controller.progress.connect(self._on_progress)
        self.controller.result.connect(self._on_result)
        self.controller.finished.connect(self._on_finished)
        self.controller.failed.connect(self._on_failed)
        self.controller.runningChanged.connect(self._on_running)
        self.sidebar.presets_bar.presetChosen.connect(self.apply_preset)
        self.sidebar.presets_bar.message.connect(self.show_message)
        self.sidebar.prompt.recent_source = lambda: self.settings.get("recent_prompts")
        self.history_panel.openRequested.connect(self.open_run)
        self.history_panel.rerunRequested.connect(lambda run_id: self.open_run(run_id, rerun=True))
        self._models_relay = _ModelsRelay(self)
        self._models_relay.loaded.connect(self._models_loaded)
        self._models_relay.queueAvailable.connect(self._queue_probed)

    # -- models ---------------------------------------------------------------------------

    def _load_models(self) -> None:
        builtin = builtin_model(DEFAULT_MODEL)
        assert builtin is not None
        self.models = {builtin.id: builtin}
        for raw in self.schema_cache.load_list():
            info = model_info(raw, "cache")
            if info.is_image_edit:
                self.models[info.id] = info
        current = self.settings.get("model")
        if current not in self.models:
            current = DEFAULT_MODEL
        self.sidebar.set_models(list(self.models.values()), current)
        self._apply_model(current)
        base, key = self._connection()
        if base and key:
            # After the first paint: the fetch imports httpx and loads CA certificates on a pool
            # thread, holding the GIL the window needs to paint (~60 ms of start-up otherwise).
            QTimer.singleShot(
                FETCH_MODELS_AFTER_MS,
                self,
                lambda: QThreadPool.globalInstance().start(
                    _FetchModels(self._models_relay, base, key)
                ),
            )

    def _models_loaded(self, raws: list[dict[str, Any]]) -> None:
        edit_models = [r for r in raws if model_info(r).is_image_edit]
        if not edit_models:
            return
        if not self.demo_base_url:
            self.schema_cache.save_list(edit_models)
        current = self.current_model().id
        values: dict[str, Any] | None = self.sidebar.params()
        preferred = self.settings.get("model")
        fresh = {m.id for m in (model_info(r) for r in edit_models)}
        if current == DEFAULT_MODEL and preferred != current and preferred in fresh:
            # The last used model was not known offline; now that the hub listed it, use it.
            current, values = preferred, None
        self.models = {m.id: m for m in (model_info(r, "hub") for r in edit_models)}
        if DEFAULT_MODEL not in self.models:
            builtin = builtin_model(DEFAULT_MODEL)
            assert builtin is not None
            self.models = {DEFAULT_MODEL: builtin, **self.models}
        if current not in self.models:
            current = DEFAULT_MODEL
        self.sidebar.set_models(list(self.models.values()), current)
        self._apply_model(current, values)

    def current_model(self) -> ModelInfo:
        model_id = self.sidebar.model_combo.currentData() or DEFAULT_MODEL
        return self.models.get(model_id) or next(iter(self.models.values()))

    def _model_selected(self, model_id: str) -> None:
        self._save_params()
        self._apply_model(model_id)

    def _apply_model(self, model_id: str, values: dict[str, Any] | None = None) -> None:
        model = self.models.get(model_id) or self.current_model()
        if values is None:
            saved = self.settings.get("params").get(model.id, {})
            values = saved if isinstance(saved, dict) else {}
        self.sidebar.set_model(model, values)
        self._update_run_state()

    def refresh_models(self) -> None:
        base, key = self._connection()
        if not key:
            self.show_message("warning", "The model list comes from the hub: set your API key.")
            return
        try:
            base = validate_base_url(base or DEFAULT_BASE_URL)
        except E.ConfigError as exc:
            self.show_message("error", exc.message, "settings")
            return
        # Unlike the start-up fetch, a refresh the user asked for reports its failure.
        relay = _ModelsRelay(self)
        relay.loaded.connect(self._models_refreshed)
        relay.failed.connect(self._models_refresh_failed)
        relay.queueAvailable.connect(self._queue_probed)
        self.act_refresh_models.setEnabled(False)
        self.statusBar().showMessage("Refreshing the model list…")
        QThreadPool.globalInstance().start(_FetchModels(relay, base, key))

    def _models_refreshed(self, raws: list[dict[str, Any]]) -> None:
        self.act_refresh_models.setEnabled(True)
        self._models_loaded(raws)
        n = len(self.models)
        self.statusBar().showMessage(f"Model list updated: {n} edit model{'s' * (n != 1)}.", 8000)

    def _models_refresh_failed(self, message: str) -> None:
        self.act_refresh_models.setEnabled(True)
        self.statusBar().clearMessage()
        self.show_message("warning", f"The model list was not refreshed. {message}")

    def apply_preset(self, preset: Any) -> None:
        """Fill prompt, model and parameters from a preset (core.presets.Preset)."""
        index = self.sidebar.model_combo.findData(preset.model)
        if index >= 0:
            self.sidebar.model_combo.setCurrentIndex(index)
        else:
            self.show_message(
                "warning",
                f"The preset '{preset.name}' uses the model '{preset.model}', which is not "
                "available now; its prompt and matching parameters were used with "
                f"{self.current_model().display_name}.",
            )
        model = self.current_model()
        known = {p.name for p in model.params}
        values = {**self.sidebar.params(), **{k: v for k, v in preset.params.items() if k in known}}
        self._apply_model(model.id, values)
        self.sidebar.prompt.setPlainText(preset.prompt)

    def open_batch(self) -> None:
        from retouch.ui.batch_panel import BatchPanel

        panel = self.findChild(BatchPanel, "batchPanel")
        if panel is None:
            panel = BatchPanel(
                self,
                connection=self._connection,
                upload="data-uri" if self.demo_base_url else self.settings.get("upload"),
                output_dir=Path(self.settings.get("output_dir") or default_output_dir()),
                recorder=self.history,
            )
        panel.prefill(self.sidebar.prompt_text(), self.current_model(), self.sidebar.params())
        panel.show()
        panel.raise_()
        panel.activateWindow()

    # -- connection -----------------------------------------------------------------------

    def _connection(self) -> tuple[str | None, str | None]:
        if self.demo_base_url:
            return self.demo_base_url, self.demo_key or "demo"
        base = (
            os.environ.get("RETOUCH_API_BASE") or self.settings.get("api_base") or DEFAULT_BASE_URL
        )
        # Read the keyring once, not on every keystroke: a locked keyring may prompt the user.
        if self._key_cache is None:
            self._key_cache = (get_api_key()[0],)
        return base, self._key_cache[0]

    # -- state ----------------------------------------------------------------------------

    def _first_image_changed(self, image: QImage | None) -> None:
        pending = self._pending_mask if image is not None else None
        if pending is not None:
            self._pending_mask = None
            self.canvas_panel.set_image(image, keep_mask=False)
            try:
                self.canvas_panel.canvas.load_mask_file(pending)
            except Exception as exc:  # noqa: BLE001 - a bad stored mask must not block restore
                self.show_message("warning", f"The saved mask could not be restored ({exc}).")
        else:
            self.canvas_panel.set_image(image)
        self._update_run_state()

    def _mask_changed(self) -> None:
        self._update_run_state()

    def run_blocker(self) -> str:
        """Why Run is disabled right now, or '' when it can run."""
        if self.controller.running:
            return "A run is in progress."
        items = self.tray.items()
        if not items:
            return "Add an image to edit (drop it on the left, or Ctrl+O)."
        if self.tray.is_loading():
            return "Loading images…"
        if not self.sidebar.prompt_text().strip():
            return "Write a prompt: say what should change."
        _base, key = self._connection()
        if not key:
            return "Set your API key in Settings (Ctrl+,) — or start with --demo."
        return ""

    def _update_run_state(self) -> None:
        reason = self.run_blocker()
        self.sidebar.set_run_enabled(not reason, reason if not self.controller.running else "")
        self.act_run.setEnabled(not reason)
        self.act_cancel.setEnabled(self.controller.running)
        self.sidebar.set_mask_status(not self.canvas_panel.canvas.is_mask_empty())
        count = len(self.tray.items())
        self.status.setText(
            f"{count} input{'s' if count != 1 else ''} · "
            + ("demo hub" if self.demo_base_url else "Oxen hub")
        )

    def show_page(self, index: int) -> None:
        if index == 2:
            self._update_compare()
        if index == 3 and self.history is not None:
            self.history_panel.refresh()
        self.pages.setCurrentIndex(index)
        self._mode_buttons[index].setChecked(True)

    def _update_compare(self) -> None:
        before = self.tray.first_image()
        results = self.results.images()
        images = ([before] if before is not None else []) + results
        labels = (["Before"] if before is not None else []) + [
            f"Result {i + 1}" for i in range(len(results))
        ]
        self.compare.set_images(images, labels)
        row = self.results.current_row()
        if before is not None and row >= 0:
            self.compare.set_current(row + 1)

    def show_message(self, level: str, text: str, action: str = "") -> None:
        self.banner.show_message(level, text, action, ACTION_LABELS.get(action, ""))
        # Information fades by itself; errors stay until dismissed or acted on.
        self._banner_timer.stop()
        if level == "info" and not action:
            self._banner_timer.start(6000)

    def _banner_action(self, action: str) -> None:
        if action in ("set_key", "settings"):
            self.open_settings()
        elif action == "retry":
            self.banner.hide()
            self.run()

    # -- adding inputs --------------------------------------------------------------------

    def open_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Open Images", str(Path.home()), IMAGE_FILTER)
        if files:
            self.tray.add_paths(files)

    def paste(self) -> None:
        focus = QApplication.focusWidget()
        if focus is not None and hasattr(focus, "paste") and focus is not self:
            focus.paste()  # text fields keep their normal paste
            return
        self.tray.add_mime(QApplication.clipboard().mimeData())

    def dragEnterEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.mimeData().hasUrls() or event.mimeData().hasImage():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.tray.add_mime(event.mimeData())
        event.acceptProposedAction()

    # -- running --------------------------------------------------------------------------

    def run(self) -> None:
        if self.controller.running:
            return
        reason = self.run_blocker()
        if reason:
            action = "set_key" if "API key" in reason else ""
            self.show_message("warning", reason, action)
            return
        base, key = self._connection()
        try:
            base = validate_base_url(base or DEFAULT_BASE_URL)
        except E.ConfigError as exc:
            self.show_message("error", exc.message, "settings")
            return
        model = self.current_model()
        params = self.sidebar.params()
        prompt = self.sidebar.prompt_text()
        mask = None
        if not self.canvas_panel.canvas.is_mask_empty():
            mask = self.canvas_panel.canvas.mask_for_export()
        request = EditRequest(prompt, self.tray.refs(), model, params)
        out_dir = Path(self.settings.get("output_dir") or default_output_dir())
        job = EditJob(
            base_url=base,
            api_key=key or "",
            request=request,
            out_dir=out_dir,
            upload="data-uri" if self.demo_base_url else self.settings.get("upload"),
            cache_dir=cache_dir(),
            mask=mask,
            recorder=self.history,
            use_queue=self.queue_available and self.settings.get("use_queue"),
            poll_interval=self.poll_interval,
        )
        self.settings.remember_prompt(prompt)
        self._save_params()
        self.banner.hide()
        # The previous results stay visible until the first new one arrives.
        self._clear_results_on_next = True
        self.controller.start(job)

    def cancel_run(self) -> None:
        if self.controller.running:
            self.sidebar.cancel_button.setEnabled(False)
            self.sidebar.phase_label.setText("Cancelling…")
            self.controller.cancel()

    def _on_running(self, running: bool) -> None:
        self.sidebar.set_running(running)
        self._update_run_state()

    def _on_progress(self, progress: Progress) -> None:
        self.sidebar.set_phase(progress)

    def _on_result(self, result: SavedResult, images: dict[str, QImage]) -> None:
        if self._clear_results_on_next:
            self._clear_results_on_next = False
            self.results.clear()
        self.results.add_result(result, images)
        if self.results.count() == 1:
            self.show_page(1)
        self.mode_results.setText(f"Results ({self.results.count()})")

    def _on_finished(self, outcome: RunOutcome) -> None:
        self._refresh_history()
        QTimer.singleShot(0, self._resume_next)
        self.mode_results.setText(f"Results ({self.results.count()})")
        saved = len(outcome.results)
        folder = outcome.results[0].path.parent if outcome.results else None
        text = f"{saved} result{'s' if saved != 1 else ''} saved to {folder}."
        if outcome.errors:
            text = (
                f"{saved} of {len(outcome.results) + len(outcome.errors)} results saved. "
                f"{outcome.errors[0].message}"
            )
            self.show_message("warning", text)
        elif outcome.notes:
            self.show_message("info", text + " Note: " + "; ".join(outcome.notes) + ".")
        else:
            self.statusBar().showMessage(text, 8000)

    def _refresh_history(self) -> None:
        if self.history is not None and self.pages.currentIndex() == 3:
            self.history_panel.refresh()

    def _on_failed(self, error: E.RetouchError) -> None:
        self._refresh_history()
        QTimer.singleShot(0, self._resume_next)
        if isinstance(error, E.CancelledError):
            kept = self.results.count()
            extra = (
                f" {kept} result{'s' if kept != 1 else ''} that arrived were kept." if kept else ""
            )
            self.show_message(
                "info",
                "Run cancelled. If the hub had already received the edit, "
                f"it may still be billed.{extra}",
            )
            return
        self.show_message("error", error.message, error.action)

    # -- history and session --------------------------------------------------------------

    def open_run(self, run_id: str, rerun: bool = False) -> None:
        """Restore a past run's inputs, mask, prompt, model and parameters (and results)."""
        record = self.history.get(run_id) if self.history is not None else None
        if record is None:
            self.show_message("error", "That run is no longer in the history.")
            return
        self._restore_editor(
            inputs=[
                InputRef(path=p, name=n)
                for p, n in zip(record.input_paths, record.input_names, strict=False)
            ],
            mask=record.mask_path,
            prompt=record.prompt,
            model=record.model,
            params=record.params,
        )
        self.results.load_saved(
            [
                SavedResult(
                    o.index, o.path, o.path.with_name(o.path.name + ".json"), o.revised_prompt
                )
                for o in record.outputs
                if o.path.exists()
            ]
        )
        self.mode_results.setText(f"Results ({len(record.outputs)})")
        if rerun:
            self._run_when_ready = True
            self._maybe_run_pending()
        else:
            self.show_page(0)

    def _restore_editor(
        self,
        *,
        inputs: list[InputRef],
        mask: Path | None,
        prompt: str,
        model: str,
        params: dict[str, Any],
    ) -> None:
        self.tray.clear()
        self.canvas_panel.set_image(None)
        self._pending_mask = mask if mask is not None and mask.exists() else None
        self.tray.add_refs([r for r in inputs if r.path is None or r.path.exists()])
        index = self.sidebar.model_combo.findData(model)
        if index >= 0:
            self.sidebar.model_combo.setCurrentIndex(index)
        known = {p.name for p in self.current_model().params}
        self._apply_model(self.current_model().id, {k: v for k, v in params.items() if k in known})
        self.sidebar.prompt.setPlainText(prompt)

    def _queue_probed(self, available: bool) -> None:
        self.queue_available = available
        if available and self.history is not None and not self._resuming:
            self._resuming = [r for r in self.history.pending_queue_runs() if r.generation_ids]
            if self._resuming:
                n = len(self._resuming)
                self.show_message(
                    "info",
                    f"Collecting the results of {n} edit"
                    f"{'s' if n != 1 else ''} that were still running when "
                    "Retouch closed…",
                )
                self._resume_next()

    def _resume_next(self) -> None:
        if not self._resuming or self.controller.running:
            return
        record = self._resuming.pop(0)
        base, key = self._connection()
        if not base or not key:
            return
        job = EditJob(
            base_url=base,
            api_key=key,
            request=EditRequest(record.prompt, [], self.current_model()),
            out_dir=Path(self.settings.get("output_dir") or default_output_dir()),
            upload="data-uri",
            cache_dir=cache_dir(),
            recorder=self.history,
            poll_interval=self.poll_interval,
            resume=record,
        )
        self._clear_results_on_next = True
        self.controller.start(job)

    def _maybe_run_pending(self) -> None:
        if not self._run_when_ready:
            return
        if self.tray.is_loading() or self._pending_mask is not None:
            QTimer.singleShot(50, self._maybe_run_pending)
            return
        self._run_when_ready = False
        self.run()

    def session_state(self) -> dict[str, Any]:
        mask_path = None
        if not self.canvas_panel.canvas.is_mask_empty():
            mask_path = data_dir() / "session" / "mask.png"
            mask_path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self.canvas_panel.canvas.save_mask_png(mask_path)
            except Exception as exc:  # noqa: BLE001 - losing the session mask must not block quit
                log.warning("session mask not saved: %s", exc)
                mask_path = None
        return {
            "inputs": [
                {"path": str(r.path), "name": r.label} if r.path else {"url": r.url}
                for r in self.tray.refs()
                if r.path is not None or r.url is not None
            ],
            "mask": str(mask_path) if mask_path else None,
            "results": [
                {"index": r.index, "path": str(r.path), "revised_prompt": r.revised_prompt}
                for r in self.results.gallery.results()
            ],
            "selected_result": self.results.current_row(),
            "page": self.pages.currentIndex(),
        }

    def restore_session(self) -> None:
        state = load_session(data_dir())
        if not state:
            return
        inputs = []
        for item in state.get("inputs") or []:
            if isinstance(item, dict) and isinstance(item.get("path"), str):
                inputs.append(InputRef(path=Path(item["path"]), name=str(item.get("name", ""))))
            elif isinstance(item, dict) and isinstance(item.get("url"), str):
                inputs.append(InputRef.parse(item["url"]))
        mask = state.get("mask")
        self._pending_mask = Path(mask) if isinstance(mask, str) and Path(mask).exists() else None
        self.tray.add_refs([r for r in inputs if r.path is None or r.path.exists()])
        results = []
        for item in state.get("results") or []:
            if isinstance(item, dict) and Path(str(item.get("path", ""))).exists():
                path = Path(item["path"])
                results.append(
                    SavedResult(
                        int(item.get("index", len(results))),
                        path,
                        path.with_name(path.name + ".json"),
                        item.get("revised_prompt"),
                    )
                )
        if results:
            selected = state.get("selected_result")
            self.results.load_saved(results, select=selected if isinstance(selected, int) else 0)
            self.mode_results.setText(f"Results ({len(results)})")
        page = state.get("page")
        if isinstance(page, int) and page in (0, 1):
            self.show_page(page)

    # -- dialogs --------------------------------------------------------------------------

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.settings, self, demo=bool(self.demo_base_url))
        if dialog.exec():
            self._key_cache = None
            self.banner.hide()
            self._update_run_state()
            self._load_models()

    def about(self) -> None:
        # Local imports: only this method of the window needs them.
        from PySide6.QtCore import qVersion
        from PySide6.QtGui import QGuiApplication

        from retouch.core.diagnostics import gather

        facts = gather(
            qt_platform=QGuiApplication.platformName(),
            qt_version=qVersion(),
            data_folder=data_dir(),
            include_key_source=False,
        )
        QMessageBox.about(
            self,
            "About Retouch",
            f"<h3>Retouch {__version__}</h3><p>Quick AI image edits with GPT Image 2 Edit on "
            "the Oxen.ai hub.</p>" + facts.html(),
        )

    # -- persistence ----------------------------------------------------------------------

    def _save_params(self) -> None:
        params = self.settings.get("params")
        shown = self.sidebar.shown_model() or self.current_model()
        params[shown.id] = self.sidebar.params()
        self.settings.set("params", params, save=False)
        self.settings.set("model", self.current_model().id, save=False)
        self.settings.set("prompt", self.sidebar.prompt_text(), save=False)
        self.settings.save()

    def _restore(self) -> None:
        geometry = self.settings.get("window_geometry")
        if geometry:
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode()))
        sizes = self.settings.get("splitter_sizes")
        if isinstance(sizes, list) and len(sizes) == 3 and all(isinstance(s, int) for s in sizes):
            self.splitter.setSizes(sizes)
        self.sidebar.prompt.setPlainText(self.settings.get("prompt"))

    def save_state(self) -> None:
        self.settings.set(
            "window_geometry", bytes(self.saveGeometry().toBase64()).decode(), save=False
        )
        self.settings.set("splitter_sizes", self.splitter.sizes(), save=False)
        self._save_params()

    def closeEvent(self, event: QCloseEvent) -> None:
        from retouch.ui.batch_panel import BatchPanel

        batch = self.findChild(BatchPanel, "batchPanel")
        if batch is not None and not batch.confirm_close():
            event.ignore()
            return
        if self.controller.running:
            answer = QMessageBox.question(
                self,
                "Quit while running?",
                "An edit is still running. Quit and cancel it? Results that already arrived "
                "are saved.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
            self.controller.shutdown(10000)
        self.save_state()
        try:
            save_session(data_dir(), self.session_state())
        except OSError as exc:
            log.warning("session not saved: %s", exc)
        if self.history is not None:
            self.history_panel.set_store(None)
            store, self.history = self.history, None
            store.close()
        event.accept()
