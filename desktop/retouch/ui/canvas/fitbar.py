"""A row or column of controls that fits the space it gets, without Qt's overflow chevron.

Each item has a priority. When the bar is too small, items first become compact (an item
may offer a compact form, e.g. a toggle that drops its text), lowest priority first; then
they are left out, lowest priority first, and a labelled **More** button appears that offers
the left-out items' actions. At the window's design size (1280×800 and up) nothing is
compacted away or left out (``tests/ui/test_layout_fits.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QAction, QPainter, QPaintEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QLabel,
    QLayout,
    QMenu,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from retouch.ui.theme import ink


@dataclass(eq=False)
class FitItem:
    widget: QWidget
    priority: int
    #: What the More menu offers while this item is left out.
    actions: Sequence[QAction] = ()
    #: Switches the item to its compact form and back (None: it has none).
    compact: Callable[[bool], None] | None = None
    is_compact: bool = field(default=False, init=False)
    left_out: bool = field(default=False, init=False)
    #: False while the item has nothing to offer (e.g. "Save to Another Folder…" with every
    #: result saved): hidden, and neither fitted nor offered under More.
    wanted: bool = field(default=True, init=False)
    full: int = field(default=0, init=False)  # length along the bar
    small: int = field(default=0, init=False)  # length when compact


def separator(vertical_bar: bool) -> QFrame:
    line = QFrame()
    line.setObjectName("barSeparator")
    line.setFrameShape(QFrame.Shape.HLine if vertical_bar else QFrame.Shape.VLine)
    line.setFrameShadow(QFrame.Shadow.Plain)
    line.setEnabled(False)  # drawn in the palette's disabled (quiet) colour
    return line


class FitBar(QWidget):
    def __init__(
        self, orientation: Qt.Orientation, name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.orientation = orientation
        vertical = orientation == Qt.Orientation.Vertical
        direction = (
            QBoxLayout.Direction.TopToBottom if vertical else QBoxLayout.Direction.LeftToRight
        )
        self.box = QBoxLayout(direction, self)
        if vertical:
            self.box.setContentsMargins(4, 6, 4, 6)
        else:
            self.box.setContentsMargins(8, 4, 8, 4)
        self.box.setSpacing(2 if vertical else 4)
        self.items: list[FitItem] = []
        self.icon_size = QSize(18, 18)
        self.more = QToolButton(self)
        self.more.setObjectName(f"{name}More")
        self.more.setText(self.tr("More"))
        self.more.setToolTip(self.tr("More tools that do not fit here"))
        self.more.setAccessibleName(self.tr("More tools"))
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._more_menu = QMenu(self.more)
        self.more.setMenu(self._more_menu)
        self.more.hide()
        self._fitting = False
        self._measured = False
        self._more_len = 0
        self._menu_actions: list[QAction] = []
        self.box.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        if vertical:
            self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        else:
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    # -- building ---------------------------------------------------------------------------

    def add(
        self,
        widget: QWidget,
        priority: int,
        actions: Sequence[QAction] = (),
        compact: Callable[[bool], None] | None = None,
    ) -> FitItem:
        item = FitItem(widget, priority, tuple(actions), compact)
        self.items.append(item)
        self.box.addWidget(widget)
        self._measured = False
        return item

    def add_action(self, action: QAction, priority: int, name: str = "") -> QToolButton:
        """A tool button for *action*: icon only; the action's text is its accessible name
        (a tool button's name is its text) and its tooltip says the shortcut."""
        button = QToolButton()
        button.setDefaultAction(action)
        button.setObjectName(name or f"{action.objectName()}Button")
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        button.setIconSize(self.icon_size)
        self.add(button, priority, [action])
        return button

    def add_separator(self, priority: int) -> FitItem:
        return self.add(separator(self.orientation == Qt.Orientation.Vertical), priority)

    def add_stretch(self) -> None:
        self.box.addStretch(1)

    def set_wanted(self, widget: QWidget, wanted: bool) -> None:
        """Show or hide an item for what it offers, not for the room (see ``FitItem.wanted``)."""
        item = next(i for i in self.items if i.widget is widget)
        if item.wanted == wanted:
            return
        item.wanted = wanted
        item.left_out = False
        widget.setVisible(wanted)
        if self.isVisible():
            self.fit()

    def finish(self) -> None:
        """Call once every item is added: the More button goes last."""
        self.box.addWidget(self.more)

    # -- fitting ----------------------------------------------------------------------------

    def _length(self, size: QSize) -> int:
        return size.height() if self.orientation == Qt.Orientation.Vertical else size.width()

    def _measure(self) -> None:
        """Each item's length in its full and compact forms (measured once, and again after
        a font, style or language change)."""
        for item in self.items:
            was = item.is_compact
            if item.compact is not None:
                item.compact(False)
            item.full = self._length(item.widget.sizeHint())
            item.small = item.full
            if item.compact is not None:
                item.compact(True)
                item.small = self._length(item.widget.sizeHint())
                item.compact(was)
        self._more_len = self._length(self.more.sizeHint())
        self._measured = True

    def _needed(self, compact: set[int], left_out: set[int]) -> int:
        margins = self.box.contentsMargins()
        if self.orientation == Qt.Orientation.Vertical:
            total = margins.top() + margins.bottom()
        else:
            total = margins.left() + margins.right()
        shown = [k for k in range(len(self.items)) if k not in left_out and self.items[k].wanted]
        total += sum(self.items[k].small if k in compact else self.items[k].full for k in shown)
        total += self.box.spacing() * max(0, len(shown) - 1)
        if left_out:
            total += self._more_len + self.box.spacing()
        return total

    def fit(self) -> None:
        """Compact, then leave out, the lowest-priority items until the rest fits."""
        if self._fitting or not self.items:
            return
        self._fitting = True
        try:
            if not self._measured:
                self._measure()
            available = self._length(self.size())
            wanted = [k for k in range(len(self.items)) if self.items[k].wanted]
            order = sorted(wanted, key=lambda k: self.items[k].priority)
            compact: set[int] = set()
            left_out: set[int] = set()
            for k in order:
                if self._needed(compact, left_out) <= available:
                    break
                if self.items[k].compact is not None:
                    compact.add(k)
            for k in order:
                if self._needed(compact, left_out) <= available:
                    break
                left_out.add(k)
            left_out |= self._stray_separators(left_out)
            for k, item in enumerate(self.items):
                if not item.wanted:
                    continue
                want = k in compact
                if item.compact is not None and want != item.is_compact:
                    item.compact(want)
                item.is_compact = want
                if (k in left_out) != item.left_out or item.widget.isHidden() != (k in left_out):
                    item.left_out = k in left_out
                    item.widget.setVisible(not item.left_out)
            self._fill_more_menu()
        finally:
            self._fitting = False

    def _stray_separators(self, left_out: set[int]) -> set[int]:
        """Separators with nothing shown on one side, or doubled, go too."""
        stray: set[int] = set()
        shown = [k for k in range(len(self.items)) if k not in left_out and self.items[k].wanted]
        previous_real = False
        for pos, k in enumerate(shown):
            if not self._is_separator(k):
                previous_real = True
                continue
            later = [j for j in shown[pos + 1 :] if j not in stray]
            next_real = bool(later) and not self._is_separator(later[0])
            if not previous_real or not next_real:
                stray.add(k)
            previous_real = False
        return stray

    def _is_separator(self, k: int) -> bool:
        return self.items[k].widget.objectName() == "barSeparator"

    def _fill_more_menu(self) -> None:
        hidden = [i for i in self.items if i.left_out and i.actions]
        actions = [a for i in hidden for a in i.actions]
        if actions != self._menu_actions:
            self._menu_actions = actions
            self._more_menu.clear()
            self._more_menu.addActions(actions)
        if self.more.isHidden() == bool(hidden):
            self.more.setVisible(bool(hidden))

    def focus_order(self) -> list[QWidget]:
        """The bar's controls as they are laid out, then More."""
        from retouch.ui.focus import focusable_children, takes_tab

        out: list[QWidget] = []
        for item in self.items:
            w = item.widget
            out.extend([w] if takes_tab(w) else focusable_children(w))
        return [*out, self.more]

    def left_out(self) -> list[FitItem]:
        return [i for i in self.items if i.left_out and i.widget.objectName() != "barSeparator"]

    def compacted(self) -> list[FitItem]:
        return [i for i in self.items if i.is_compact]

    # -- events -----------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (
            QEvent.Type.FontChange,
            QEvent.Type.StyleChange,
            QEvent.Type.LanguageChange,
        ):
            self._measured = False
            if self.isVisible():
                self.fit()
        super().changeEvent(event)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        # The bar can always shrink: what does not fit is left out, not cut off.
        if self.orientation == Qt.Orientation.Vertical:
            return QSize(hint.width(), 0)
        return QSize(0, hint.height())


class ElidedLabel(QLabel):
    """One line of secondary text that takes the room left and is elided, not cut off."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:
        return QSize(min(160, super().sizeHint().width()), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setPen(ink(self, self.palette().color(self.foregroundRole())))
        text = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width()
        )
        p.drawText(self.contentsRect(), int(self.alignment()), text)
        p.end()
