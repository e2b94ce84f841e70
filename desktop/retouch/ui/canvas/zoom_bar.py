"""The bar below the mask canvas: the image's size and what the tool in hand does, the
Original (before/after) and Mask only toggles, and the zoom.

Part of ``CanvasPanel``, which owns the actions the bar's buttons show (they are in the
window's View menu too).
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from retouch.ui.theme import mute

from .fitbar import ElidedLabel, FitBar
from .mask_canvas import MaskCanvas


class ZoomBar(FitBar):
    """Image size and tool hint (taking the room the others leave), the view toggles, and
    zoom out / the zoom level (a menu of levels) / zoom in / fit / 100 %."""

    def __init__(
        self,
        canvas: MaskCanvas,
        *,
        original: QAction,
        mask_only: QAction,
        zoom_in: QAction,
        zoom_out: QAction,
        fit: QAction,
        actual_size: QAction,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(Qt.Orientation.Horizontal, "canvasStatusBar", parent)
        self._canvas = canvas
        self.icon_size = QSize(18, 18)
        self.setAccessibleName(self.tr("Image size and zoom"))
        self._info_label = ElidedLabel()
        self._info_label.setObjectName("canvasInfo")
        mute(self._info_label)
        self.add(self._info_label, 10)  # takes the room the others leave
        self._toggle(original, 65)
        self._toggle(mask_only, 60)
        self.add_separator(60)
        self.add_action(zoom_out, 60)
        self._zoom_button = QToolButton()
        self._zoom_button.setObjectName("zoomButton")
        self._zoom_button.setToolTip(self.tr("Zoom level"))
        self._zoom_button.setAccessibleName(self.tr("Zoom level"))
        self._zoom_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._zoom_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._zoom_button.setMinimumWidth(self.fontMetrics().horizontalAdvance("6400 %") + 28)
        menu = QMenu(self._zoom_button)
        menu.addAction(fit)
        menu.addSeparator()
        for pct in (25, 50, 100, 200, 400, 800):
            menu.addAction(f"{pct} %", functools.partial(canvas.set_zoom, pct / 100))
        self._zoom_button.setMenu(menu)
        self.add(self._zoom_button, 100)
        self.add_action(zoom_in, 60)
        self.add_action(fit, 50)
        self.add_action(actual_size, 40)
        self.finish()

        canvas.zoomChanged.connect(self._sync_zoom)
        canvas.imageChanged.connect(self._sync_info)
        canvas.toolChanged.connect(lambda _t: self._sync_info())
        self._sync_zoom(canvas.zoom())

    def _toggle(self, action: QAction, priority: int) -> QToolButton:
        """A view toggle with icon and text; compact: the icon alone."""
        button = QToolButton()
        button.setDefaultAction(action)
        button.setObjectName(f"{action.objectName()}Button")
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setIconSize(self.icon_size)
        button.setAccessibleName(action.iconText())

        def compact(on: bool) -> None:
            style = Qt.ToolButtonStyle
            button.setToolButtonStyle(
                style.ToolButtonIconOnly if on else style.ToolButtonTextBesideIcon
            )

        self.add(button, priority, [action], compact=compact)
        return button

    # ------------------------------------------------------------------ sync from canvas
    def _sync_info(self) -> None:
        """The image's size and what the tool in hand does."""
        image = self._canvas.image()
        if image is None:
            self._info_label.clear()
            return
        hints = {
            "brush": self.tr("[ ] size · Shift+click: a line"),
            "eraser": self.tr("[ ] size"),
            "rect": self.tr("Drag, or arrows and Enter"),
            "lasso": self.tr("Draw around · Alt erases"),
        }
        size = self.tr("%1 × %2 px").replace("%1", str(image.width()))
        size = size.replace("%2", str(image.height()))
        self._info_label.setText(f"{size} · {hints.get(self._canvas.tool(), '')}".rstrip(" ·"))

    def _sync_zoom(self, zoom: float) -> None:
        pct = zoom * 100
        self._zoom_button.setText(f"{pct:.0f} %" if pct >= 10 else f"{pct:.1f} %")
