"""The main window: inputs on the left, the canvas in the middle, parameters on the right.

The window builds its parts and wires them; the work is done by its rooms:
``editor.EditorModel`` (the one editor state the sidebar and canvas are bound to),
``model_catalogue`` (which models) and ``model_refresh`` (keeping them up to date), ``runs``
(running and resuming edits), ``session`` (what is remembered and restored),
``run_history`` (the history store), ``actions`` (the action table and menus) and
``centre`` (the pages, built and wired on first use, and which one is shown).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

# Qt classes first needed after the window's first paint are reached through their module
# (QtWidgets.QMessageBox): PySide6 builds a class, enums and all, when it is first touched.
from PySide6 import QtWidgets
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
)

from retouch import __version__
from retouch.core import errors as E
from retouch.core.paths import cache_dir, data_dir
from retouch.core.results import SavedResult
from retouch.core.schema import ModelInfo, SchemaCache
from retouch.core.settings import Settings
from retouch.ui.actions import WindowActions
from retouch.ui.banner import Banner
from retouch.ui.canvas import CanvasPanel
from retouch.ui.centre import Centre
from retouch.ui.connection import HubAccess
from retouch.ui.editor import EditorModel
from retouch.ui.i18n import QT_TRANSLATE_NOOP, plural, translate
from retouch.ui.input_tray import InputTray
from retouch.ui.model_catalogue import ModelCatalogue
from retouch.ui.model_refresh import ModelRefresh
from retouch.ui.pages import Pages
from retouch.ui.region_planner import RegionPlanner
from retouch.ui.run_history import RunHistory
from retouch.ui.runs import Runs
from retouch.ui.session import SessionController
from retouch.ui.sidebar import Sidebar
from retouch.ui.worker import RunController

if TYPE_CHECKING:
    from retouch.core.history import HistoryStore
    from retouch.ui.history import CompareView, HistoryPanel
    from retouch.ui.results_view import ResultsView

log = logging.getLogger(__name__)

IMAGE_FILTER = QT_TRANSLATE_NOOP(
    "MainWindow", "Images (*.png *.jpg *.jpeg *.webp *.gif *.bmp *.tif *.tiff);;All files (*)"
)
#: What start-up does not need waits this long after the window is built, past the first
#: paint: reading the key from the keyring (~100 ms of imports and backend discovery), opening
#: the history, and the model-list fetch (whose httpx import and CA loading would hold the
#: GIL the paint needs, ~60 ms).
AFTER_FIRST_PAINT_MS = 300
ACTION_LABELS = {
    "set_key": QT_TRANSLATE_NOOP("MainWindow", "Set API Key…"),
    "settings": QT_TRANSLATE_NOOP("MainWindow", "Open Settings…"),
    "retry": QT_TRANSLATE_NOOP("MainWindow", "Run Again"),
    "collect": QT_TRANSLATE_NOOP("MainWindow", "Collect Results"),
    "fresh_history": QT_TRANSLATE_NOOP("MainWindow", "Start a Fresh History"),
    "save_elsewhere": QT_TRANSLATE_NOOP("MainWindow", "Save to Another Folder…"),
}


class MainWindow(QMainWindow):
    # Declared here so the rooms (actions, runs, session), which are type-checked before
    # this module, know what the window holds.
    settings: Settings
    hub: HubAccess
    catalogue: ModelCatalogue
    state: EditorModel
    controller: RunController
    session: SessionController
    run_history: RunHistory
    runs: Runs
    model_refresh: ModelRefresh
    action_table: WindowActions
    tray: InputTray
    canvas_panel: CanvasPanel
    sidebar: Sidebar
    banner: Banner
    centre: Centre
    pager: Pages
    pages: QStackedWidget
    splitter: QSplitter
    status: QLabel
    queue_available: bool
    poll_interval: float

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        demo_base_url: str | None = None,
        demo_key: str | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Retouch — Demo") if demo_base_url else "Retouch")
        self.settings = settings or Settings(data_dir())
        demo = None
        if demo_base_url:
            from retouch.core.profile import DemoHub

            demo = DemoHub(demo_base_url, demo_key or "demo")
        self.hub = HubAccess(self.settings, demo)
        self.catalogue = ModelCatalogue(
            SchemaCache(cache_dir()), keep_cache=not demo_base_url, parent=self
        )
        self.state = EditorModel(self.catalogue.resolve(str(self.settings.get("model"))), self)
        self.controller = RunController(self)
        self._closed = False
        self.queue_available = False
        self.poll_interval = 2.0
        self.session = SessionController(self)
        self.run_history = RunHistory(
            demo=self.hub.demo,
            report=self.session.report_history,
            changed=lambda store: self.centre.history_changed(store),
        )
        self.runs = Runs(self)
        self.model_refresh = ModelRefresh(self)
        self._build()
        self.action_table = WindowActions(self)
        self.action_table.build_menus(self.canvas_panel.menu_actions)
        self._connect()
        self.session.restore_placement()
        self.chain_focus()
        self.canvas_panel.canvas.setFocus(Qt.FocusReason.OtherFocusReason)
        self.session.start_models()
        self.session.restore_window()
        self.update_run_state()
        QTimer.singleShot(AFTER_FIRST_PAINT_MS, self, self._after_first_paint)

    # -- construction ---------------------------------------------------------------------

    @property
    def history(self) -> HistoryStore | None:
        """The run history (None when it cannot be opened), opened on first use."""
        return self.run_history.store

    @property
    def recorder(self) -> HistoryStore | None:
        """Where runs are recorded: the history, unless it is read-only (then nowhere)."""
        return self.run_history.recorder

    def _after_first_paint(self) -> None:
        if self._closed:
            return  # closed before this came round: open nothing
        self.history  # noqa: B018 - opened (and interrupted runs recovered) now, not mid-run
        self.model_refresh.fetch()
        # Temporary files of writes a kill interrupted, in every folder the app writes (the
        # configured output folder too): after the first paint, never delaying it.
        QTimer.singleShot(0, self, self._sweep_leftovers)

    def _sweep_leftovers(self) -> None:
        from retouch.core.paths import sweep_leftovers

        try:
            profile = self.hub.profile()
            extra = [profile.output_dir]
        except E.ConfigError:
            extra = []
        try:
            removed = sweep_leftovers(extra)
        except OSError as exc:
            log.info("leftovers not swept: %s", exc)
            return
        if removed:
            log.info("removed %d temporary files left by interrupted writes", removed)

    def _build(self) -> None:
        self.tray = InputTray()
        self.tray.setMinimumWidth(170)
        self.canvas_panel = CanvasPanel()
        self.canvas_panel.bind(self.state)
        self.planner = RegionPlanner(self.state, self.canvas_panel.canvas, self)
        self.sidebar = Sidebar()
        self.sidebar.bind(self.state)
        self.sidebar.demo_label.setVisible(self.hub.demo)
        self.banner = Banner()
        self._banner_timer = QTimer(self)
        self._banner_timer.setSingleShot(True)
        self._banner_timer.timeout.connect(self.banner.hide)
        self.centre = Centre(self)
        self.pager = self.centre.pager
        self.pages = self.pager.stack
        self.banner.attach(self.pages)  # floats over the pages: nothing moves when it shows

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        for part in (self.tray, self.centre.widget, self.sidebar):
            self.splitter.addWidget(part)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([230, 820, 330])
        self.setCentralWidget(self.splitter)
        self.status = QLabel()
        self.statusBar().addPermanentWidget(self.status)
        self.resize(1360, 860)
        self.setAcceptDrops(True)

    def chain_focus(self) -> None:
        self.centre.chain_focus()

    def _connect(self) -> None:
        self.sidebar.formRebuilt.connect(self.chain_focus)
        self.tray.addRequested.connect(self.open_files)
        self.tray.inputsChanged.connect(lambda: self.state.set_inputs(self.tray.refs()))
        self.tray.inputsChanged.connect(self.update_run_state)
        self.tray.firstImageChanged.connect(self._first_image_changed)
        self.tray.message.connect(self.show_message)
        self.sidebar.runRequested.connect(self.run)
        self.sidebar.cancelRequested.connect(self.cancel_run)
        self.canvas_panel.run_card.cancelRequested.connect(self.cancel_run)
        self.sidebar.modelPicked.connect(self.session.pick_model)
        self.sidebar.presets_bar.presetChosen.connect(self.session.apply_preset)
        self.sidebar.presets_bar.message.connect(self.show_message)
        self.sidebar.prompt.recent_source = lambda: self.settings.get("recent_prompts")
        self.state.promptChanged.connect(self.update_run_state)
        # A finished stroke may make the mask all black (soft fringes only): Run says so.
        self.canvas_panel.canvas.maskChanged.connect(self.update_run_state)
        self.banner.actionTriggered.connect(self._banner_action)
        self.catalogue.listed.connect(self.session.models_listed)
        self.catalogue.queueProbed.connect(self.runs.queue_probed)
        self.catalogue.refreshingChanged.connect(lambda _r: self.action_table.update())
        self.state.placementChanged.connect(self.session.remember_placement)
        self.canvas_panel.keepMaskRemembered.connect(self.session.remember_keep_mask)

    # -- the pages (the centre builds and shows them) ----------------------------------------

    @property
    def results(self) -> ResultsView:
        return self.centre.results

    def results_if_built(self) -> ResultsView | None:
        return self.centre.results_if_built()

    @property
    def compare(self) -> CompareView:
        return self.centre.compare_page.view

    @property
    def compare_mode(self) -> QPushButton:
        return self.centre.compare_page.mode_button

    @property
    def history_panel(self) -> HistoryPanel:
        return self.centre.history_panel

    def show_page(self, index: int) -> None:
        self.centre.show(index)

    def current_result(self) -> tuple[SavedResult, QImage] | None:
        results = self.results_if_built()
        return results.current() if results is not None else None

    def current_model(self) -> ModelInfo:
        return self.state.model

    # -- state ----------------------------------------------------------------------------

    def _first_image_changed(self, image: QImage | None) -> None:
        self.session.first_image_changed(image)
        self.update_run_state()

    def run_blocker(self) -> str:
        """Why Run is disabled right now, or '' when it can run."""
        return self.runs.blocker()

    def update_run_state(self) -> None:
        running = self.controller.running
        reason = self.runs.blocker()
        self.sidebar.set_run_enabled(not reason, reason if not running else "")
        self.action_table.update()
        count = len(self.tray.items())
        where = self.tr("demo hub") if self.hub.demo else self.tr("Oxen hub")
        self.status.setText(plural(self.tr("%n input(s)", "", count), count) + f" · {where}")

    def show_message(self, level: str, text: str, action: str = "") -> None:
        label = ACTION_LABELS.get(action, "")
        self.banner.show_message(
            level, text, action, translate("MainWindow", label) if label else ""
        )
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
        elif action == "collect":
            self.runs.collect_offered()
        elif action == "save_elsewhere":
            self.results.save_unsaved()
        elif action == "fresh_history":
            self.banner.hide()
            self.session.start_fresh_history()

    # -- inputs ---------------------------------------------------------------------------

    def open_files(self) -> None:
        files, _ = QtWidgets.QFileDialog.getOpenFileNames(
            self, self.tr("Open Images"), str(Path.home()), self.tr(IMAGE_FILTER)
        )
        if files:
            self.tray.add_paths(list(files))

    def paste(self) -> None:
        focus = QApplication.focusWidget()
        if focus is not None and hasattr(focus, "paste") and focus is not self:
            focus.paste()  # text fields keep their normal paste
            return
        self.tray.add_mime(QApplication.clipboard().mimeData())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() or event.mimeData().hasImage():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.tray.add_mime(event.mimeData())
        event.acceptProposedAction()

    # -- runs, history and the session (their rooms do the work) ---------------------------

    def run(self) -> None:
        self.runs.run()

    def cancel_run(self) -> None:
        self.runs.cancel()

    def open_run(self, run_id: str, rerun: bool = False) -> None:
        self.session.open_run(run_id, rerun)

    def restore_session(self) -> None:
        self.session.restore_session()

    # -- dialogs --------------------------------------------------------------------------

    def open_settings(self) -> None:
        from retouch.ui.dialogs import SettingsDialog

        dialog = SettingsDialog(self.settings, self, demo=self.hub.demo)
        if dialog.exec():
            self.session.restore_placement()
            self.hub.forget()
            self.banner.hide()
            self.update_run_state()
            self.catalogue.load_offline()
            self.session.start_models()
            self.model_refresh.fetch()

    def open_batch(self) -> None:
        from retouch.ui.batch_panel import BatchPanel

        panel = self.findChild(BatchPanel, "batchPanel")
        if panel is None:
            panel = BatchPanel(self, profile=self.hub.profile, recorder=self.recorder)
        panel.prefill(
            self.state.prompt,
            self.state.model,
            self.state.params,
            # Each image's own region: a custom one drawn on this image means nothing there.
            replace(
                self.state.placement,
                region="whole" if self.state.placement.region == "whole" else "auto",
            ).options(keep_gps=not self.settings.get("remove_gps")),
        )
        panel.show()
        panel.raise_()
        panel.activateWindow()

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
        QtWidgets.QMessageBox.about(
            self,
            self.tr("About Retouch"),
            f"<h3>Retouch {__version__}</h3><p>"
            + self.tr("Quick AI image edits with GPT Image 2 Edit on the Oxen.ai hub.")
            + "</p>"
            + facts.html(),
        )

    # -- closing --------------------------------------------------------------------------

    def save_state(self) -> None:
        self.session.save_window()

    def closeEvent(self, event: QCloseEvent) -> None:
        from retouch.ui.batch_panel import BatchPanel

        batch = self.findChild(BatchPanel, "batchPanel")
        if batch is not None and not batch.confirm_close():
            event.ignore()
            return
        results = self.results_if_built()
        if results is not None and not results.confirm_close():
            event.ignore()
            return
        if not self.runs.stop_for_close():
            event.ignore()
            return
        self.save_state()
        self.session.save_session()
        self._closed = True
        self.run_history.close()
        event.accept()
