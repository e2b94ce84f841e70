"""The right-hand panel: model, prompt, parameters, cost, Run and Cancel, progress.

Bound to the editor state (``bind``): the combo shows the state's model and reports a pick
with ``modelPicked`` (the window decides which values come with it), the prompt and the
parameter form edit the state, and the cost and mask notes are read from it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

# Qt classes first needed after the window's first paint are reached through their module
# (QtWidgets.QMessageBox): PySide6 builds a class, enums and all, when it is first touched.
from PySide6 import QtGui
from PySide6.QtCore import QRectF, QSignalBlocker, QSize, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from retouch.core.schema import ModelInfo
from retouch.ui.editor import EditorModel, Prop, bind
from retouch.ui.focus import chain_focus, focusable_children
from retouch.ui.param_form import ParamForm
from retouch.ui.placement_box import PlacementBox
from retouch.ui.presets_bar import PresetsBar, RecentPromptsPopup
from retouch.ui.run_card import elapsed_text, phase_text
from retouch.ui.theme import caption, mute

if TYPE_CHECKING:
    from retouch.core.editing import Progress


class PromptEdit(QPlainTextEdit):
    """Multi-line prompt; Ctrl+Enter runs, Enter makes a new line.

    Ctrl+Up (or Alt+Down) lists the recent prompts from ``recent_source``, filtered by what is
    typed; picking one replaces the text.
    """

    submitted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.recent_source: Callable[[], list[str]] = list
        self.recent_popup: RecentPromptsPopup | None = None

    def sizeHint(self) -> QSize:
        # Four lines by default: it grows into the room a tall window leaves (and shrinks
        # to its minimum in a short one) instead of pushing the sidebar into a scroll.
        return QSize(super().sizeHint().width(), self.fontMetrics().lineSpacing() * 4 + 16)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            mods & Qt.KeyboardModifier.ControlModifier
        ):
            self.submitted.emit()
            return
        if (key == Qt.Key.Key_Up and mods & Qt.KeyboardModifier.ControlModifier) or (
            key == Qt.Key.Key_Down and mods & Qt.KeyboardModifier.AltModifier
        ):
            self.show_recent()
            return
        super().keyPressEvent(event)

    def show_recent(self) -> RecentPromptsPopup:
        prompts = [p for p in self.recent_source() if isinstance(p, str) and p.strip()]
        popup = RecentPromptsPopup(prompts, self.toPlainText().strip(), self)
        popup.picked.connect(self._use_recent)
        self.recent_popup = popup
        popup.destroyed.connect(lambda: setattr(self, "recent_popup", None))
        popup.popup_at(self.mapToGlobal(self.cursorRect().bottomLeft()))
        return popup

    def _use_recent(self, prompt: str) -> None:
        self.setPlainText(prompt)
        self.moveCursor(QtGui.QTextCursor.MoveOperation.End)
        self.setFocus()


class Badge(QLabel):
    """White bold text on a rounded colour chip (the demo marker)."""

    def __init__(self, text: str, colour: QColor, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._colour = QColor(colour)
        self.setContentsMargins(8, 5, 8, 5)
        font = self.font()
        font.setBold(True)
        self.setFont(font)
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.WindowText, QColor("white"))
        self.setPalette(pal)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self._colour)
        p.drawRoundedRect(QRectF(self.rect()), 6, 6)
        p.end()
        super().paintEvent(event)


class Sidebar(QWidget):
    runRequested = Signal()
    cancelRequested = Signal()
    modelPicked = Signal(str)  # the user chose another model in the combo

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setMinimumWidth(280)
        self._state: EditorModel | None = None

        self.demo_label = Badge(self.tr("Demo — no AI, nothing is billed"), QColor("#6d28d9"))
        self.demo_label.setObjectName("demoLabel")
        self.demo_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.demo_label.setWordWrap(True)

        self.demo_label.hide()

        self.model_combo = QComboBox()
        self.model_combo.setObjectName("modelCombo")
        self.model_combo.setToolTip(self.tr("The model that performs the edit"))
        self.model_combo.setAccessibleName(self.tr("Model"))
        self.model_combo.currentIndexChanged.connect(
            lambda _i: self.modelPicked.emit(self.model_combo.currentData() or "")
        )

        self.prompt = PromptEdit()
        self.prompt.setObjectName("promptEdit")
        self.prompt.setPlaceholderText(
            self.tr(
                "Describe the change, e.g. “replace the sky with a warm sunset”.\nCtrl+Enter runs."
            )
        )
        self.prompt.setAccessibleName(self.tr("Prompt"))
        self.prompt.setTabChangesFocus(True)
        self.prompt.setMinimumHeight(64)
        self.prompt.setMaximumHeight(220)
        self.prompt.submitted.connect(self.runRequested)
        self.prompt.setToolTip(self.tr("Ctrl+Enter runs · Ctrl+Up lists recent prompts"))

        self.presets_bar = PresetsBar()
        self.form = ParamForm()
        self.placement = PlacementBox()

        self.mask_label = QLabel()
        self.mask_label.setObjectName("maskStatus")
        self.mask_label.setWordWrap(True)
        mute(self.mask_label)
        self.cost_label = QLabel()
        self.cost_label.setObjectName("costLabel")
        self.cost_label.setWordWrap(True)
        self.reason_label = QLabel()
        self.reason_label.setObjectName("runReason")
        self.reason_label.setWordWrap(True)
        mute(self.reason_label)

        self.run_button = QPushButton(self.tr("Run"))
        self.run_button.setObjectName("runButton")
        self.run_button.setProperty("primary", True)
        self.run_button.setDefault(True)
        self.run_button.setMinimumHeight(36)
        self.run_button.setToolTip(self.tr("Run the edit (Ctrl+Enter)"))
        self.run_button.clicked.connect(self.runRequested)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setMinimumHeight(36)
        self.cancel_button.setToolTip(self.tr("Stop this run (Esc)"))
        self.cancel_button.clicked.connect(self.cancelRequested)
        self.cancel_button.hide()

        self.phase_label = QLabel()
        self.phase_label.setObjectName("phaseLabel")
        self.phase_label.setWordWrap(True)
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("runProgress")
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumHeight(8)
        self.progress_bar.setAccessibleName(self.tr("Run progress"))
        self.phase_label.hide()
        self.progress_bar.hide()
        self._phase: Progress | None = None
        self._run_started = 0.0
        self._tick = QTimer(self)
        self._tick.setInterval(500)
        self._tick.timeout.connect(self._refresh_phase)

        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button, 1)
        buttons.addWidget(self.cancel_button, 1)

        def heading(text: str) -> QLabel:
            label = QLabel(text)
            label.setObjectName("panelTitle")
            caption(label)
            return label

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)

        # What the edit is scrolls when the window is short; what it costs, Run and the
        # run's progress stay in sight below it.
        body = QWidget()
        body.setObjectName("sidebarBody")
        fields = QVBoxLayout(body)
        fields.setContentsMargins(12, 2, 12, 6)
        fields.setSpacing(6)
        fields.addWidget(heading(self.tr("Model")))
        fields.addWidget(self.model_combo)
        fields.addSpacing(4)
        fields.addWidget(heading(self.tr("Prompt")))
        fields.addWidget(self.presets_bar)
        fields.addWidget(self.prompt, 1)  # the prompt takes the room a tall window leaves
        fields.addSpacing(4)
        fields.addWidget(heading(self.tr("Parameters")))
        fields.addWidget(self.form)
        fields.addSpacing(4)
        fields.addWidget(heading(self.tr("Into the photo")))
        fields.addWidget(self.placement)
        fields.addWidget(self.mask_label)
        fields.addStretch(0)
        self.fields_scroll = QScrollArea()
        self.fields_scroll.setObjectName("sidebarScroll")
        self.fields_scroll.setWidget(body)
        self.fields_scroll.setWidgetResizable(True)
        self.fields_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.fields_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.fields_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        footer = QVBoxLayout()
        footer.setContentsMargins(12, 0, 12, 12)
        footer.setSpacing(8)
        footer.addWidget(line)
        footer.addWidget(self.cost_label)
        footer.addLayout(buttons)
        # Why Run is off, or how the run is going: one area under the button that keeps its
        # height, so the prompt above does not jump when a run starts or ends.
        status = QWidget()
        status.setObjectName("runStatus")
        status_box = QVBoxLayout(status)
        status_box.setContentsMargins(0, 0, 0, 0)
        status_box.setSpacing(8)
        status_box.addWidget(self.reason_label)
        status_box.addWidget(self.phase_label)
        status_box.addWidget(self.progress_bar)
        status_box.addStretch(1)
        status.setMinimumHeight(
            self.phase_label.fontMetrics().height() + 8 + self.progress_bar.maximumHeight()
        )
        footer.addWidget(status)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(6)
        top = QVBoxLayout()
        top.setContentsMargins(12, 0, 12, 0)
        top.addWidget(self.demo_label)
        layout.addLayout(top)
        layout.addWidget(self.fields_scroll, 1)
        layout.addLayout(footer)
        self.form.rebuilt.connect(self.chain_focus)
        self.form.rebuilt.connect(self._align_labels)
        self.chain_focus()
        self._align_labels()

    #: The parameter form was rebuilt (another model): the window chains Tab order again.
    @property
    def formRebuilt(self) -> SignalInstance:
        return self.form.rebuilt

    # -- the editor state -----------------------------------------------------------------

    def bind(self, state: EditorModel) -> None:
        """Show and edit *state*: model, prompt, parameters; cost and mask notes follow it."""
        self._state = state
        self.form.bind(state)
        self.placement.bind(state)
        self._binding = bind(
            Prop(state.promptChanged, lambda: state.prompt, state.set_prompt),
            Prop(self.prompt.textChanged, self.prompt.toPlainText, self.prompt.setPlainText),
        )
        state.modelChanged.connect(self._show_model)
        state.modelChanged.connect(self.update_cost)
        state.paramsChanged.connect(self.update_cost)
        state.planChanged.connect(self.update_cost)
        state.placementChanged.connect(self.update_cost)
        state.hasMaskChanged.connect(self.set_mask_status)
        self.presets_bar.set_source(lambda: (state.prompt, state.model.id, state.params))
        self._show_model(state.model)
        self.update_cost()
        self.set_mask_status(state.has_mask)

    def set_models(self, models: list[ModelInfo]) -> None:
        """The models to choose from; the state's model stays selected."""
        with QSignalBlocker(self.model_combo):
            self.model_combo.clear()
            for m in models:
                self.model_combo.addItem(m.display_name, m.id)
                self.model_combo.setItemData(
                    self.model_combo.count() - 1, m.description, Qt.ItemDataRole.ToolTipRole
                )
        if self._state is not None:
            self._show_model(self._state.model)

    def _show_model(self, model: ModelInfo) -> None:
        with QSignalBlocker(self.model_combo):
            self.model_combo.setCurrentIndex(max(0, self.model_combo.findData(model.id)))

    def update_cost(self) -> None:
        if self._state is None:
            self.cost_label.clear()
            return
        self.cost_label.setText(self._state.cost().line())

    def set_mask_status(self, has_mask: bool) -> None:
        if has_mask:
            self.mask_label.setText(self.tr("Mask: only the painted area changes."))
        else:
            self.mask_label.setText(self.tr("No mask: the whole image may change."))

    def _align_labels(self) -> None:
        """The parameters and the "Into the photo" fields share one label column, and their
        combo boxes may be narrower than their longest choice (a long choice is elided, the
        sidebar never wider than the window gives it)."""
        for combo in self.findChildren(QComboBox):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(6)
            combo.setMinimumWidth(72)  # a cached minimum size hint would keep the old width
        for form in self.placement.findChildren(QFormLayout):
            form.setHorizontalSpacing(12)  # as the parameters' form
        labels = [
            label
            for part in (self.form, self.placement)
            for label in part.findChildren(QLabel)
            if label.buddy() is not None
        ]
        width = max((label.sizeHint().width() for label in labels), default=0)
        for label in labels:
            label.setMinimumWidth(width)

    def focus_order(self) -> list[QWidget]:
        """Top to bottom, as it reads: the parameters come before Run."""
        return [
            self.model_combo,
            *self.presets_bar.focus_order(),
            self.prompt,
            *self.form.focus_order(),
            *focusable_children(self.placement),
            self.run_button,
            self.cancel_button,
        ]

    def chain_focus(self) -> None:
        chain_focus(self.focus_order())

    def set_run_enabled(self, enabled: bool, reason: str = "") -> None:
        self.run_button.setEnabled(enabled)
        self.reason_label.setText(reason)
        self.reason_label.setVisible(bool(reason))

    # -- running --------------------------------------------------------------------------

    def set_running(self, running: bool) -> None:
        self.run_button.setVisible(not running)
        self.cancel_button.setVisible(running)
        self.phase_label.setVisible(running)
        self.progress_bar.setVisible(running)
        if running:
            from retouch.core.editing import Progress  # with the first run, not at start-up

            self.cancel_button.setEnabled(True)
            self._run_started = time.monotonic()
            self.set_phase(Progress("preparing", "Preparing…", started_at=self._run_started))
            self._tick.start()
        else:
            self._tick.stop()
            self._phase = None

    def set_phase(self, progress: Progress) -> None:
        self._phase = progress
        if progress.total:
            self.progress_bar.setRange(0, progress.total)
            self.progress_bar.setValue(progress.done)
        else:
            self.progress_bar.setRange(0, 0)  # busy indicator while the model works
        self._refresh_phase()

    def _refresh_phase(self) -> None:
        p = self._phase
        if p is None:
            return
        # The time since Run, as on the run card over the canvas and the results.
        text = f"{phase_text(p)} · {elapsed_text(time.monotonic() - self._run_started)}"
        self.phase_label.setText(text)
