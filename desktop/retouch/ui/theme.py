"""The window's one visual language: a light and a dark scheme, and the style sheet built
from them.

Every colour the window paints comes from a ``Scheme``: the palette roles (for Qt's own
widgets), ``RetouchStyle`` (buttons, the page selector, focus rings) and the surfaces
Retouch paints itself (the canvas, the results preview, Compare, the banner), which
read ``scheme()`` when they paint. Each text colour is chosen to reach WCAG AA (4.5:1)
against the background it is drawn on, in both schemes; ``tests/ui/test_contrast.py``
renders every page and measures what was actually drawn.

Fusion is used on every platform, so the window looks and reads the same everywhere; the
scheme follows the system's light/dark setting unless Settings → Appearance picks one.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QStyleOptionButton,
    QStyleOptionComplex,
    QWidget,
)

#: Settings → Appearance values.
APPEARANCES = ("system", "light", "dark")


@dataclass(frozen=True)
class Scheme:
    dark: bool
    window: str  # the window's background
    base: str  # fields and lists
    alt_base: str
    text: str
    muted: str  # secondary text: captions, hints, metadata (≥ 4.5:1 on window and base)
    border: str
    border_strong: str
    button: str
    button_hover: str
    button_pressed: str
    disabled: str  # disabled text (exempt from the contrast rule, still legible)
    accent: str  # the one accent: selection, the checked page, Run
    accent_hover: str
    accent_text: str
    accent_soft: str  # checked tool buttons, selected rows
    focus: str  # the focus ring
    link: str
    # Image surfaces (canvas, preview, Compare) are dark in both schemes, as in other
    # image editors: colours are judged against a neutral dark grey.
    surface: str
    surface_raised: str  # pills and cards drawn over images
    surface_text: str
    surface_muted: str
    # Status colours readable as text on ``base`` (history badges, ✓/✗ lines).
    good: str
    warn: str
    bad: str
    info: str
    demo: str  # the demo marker's background (white text on it)
    demo_text: str  # the demo marker as text on ``base`` (history badges)
    star: str  # a starred run's ★ (≥ 3:1 on ``base``: a symbol, not text)
    # Banner (background, text, border) per level.
    banner_error: tuple[str, str, str]
    banner_warning: tuple[str, str, str]
    banner_info: tuple[str, str, str]

    def color(self, name: str) -> QColor:
        return QColor(getattr(self, name))

    def banner(self, level: str) -> tuple[str, str, str]:
        return {
            "error": self.banner_error,
            "warning": self.banner_warning,
        }.get(level, self.banner_info)


LIGHT = Scheme(
    dark=False,
    window="#f3f4f6",
    base="#ffffff",
    alt_base="#f6f7f9",
    text="#1f2328",
    muted="#59606a",
    border="#c4c8cf",
    border_strong="#9aa0a8",
    button="#ffffff",
    button_hover="#eef0f3",
    button_pressed="#e2e5ea",
    disabled="#9ba1a9",
    accent="#2563eb",
    accent_hover="#1d4ed8",
    accent_text="#ffffff",
    accent_soft="#dbe6fd",
    focus="#2563eb",
    link="#1d4ed8",
    surface="#25262a",
    surface_raised="#0e0f11",
    surface_text="#eceef1",
    surface_muted="#aeb3bb",
    good="#17713f",
    warn="#8a5300",
    bad="#b42318",
    info="#1d5fb8",
    demo="#6d28d9",
    demo_text="#6d28d9",
    star="#b7791f",
    banner_error=("#fdecea", "#5c1410", "#d9645a"),
    banner_warning=("#fff4e0", "#4a3000", "#d9a441"),
    banner_info=("#e8f1fc", "#0d2f57", "#77a5dd"),
)

DARK = Scheme(
    dark=True,
    window="#2b2d30",
    base="#1e1f22",
    alt_base="#26282b",
    text="#e3e5e8",
    muted="#a9aeb6",
    border="#4a4d52",
    border_strong="#6b6f76",
    button="#37393d",
    button_hover="#404348",
    button_pressed="#2f3134",
    disabled="#7d8188",
    accent="#2563eb",
    accent_hover="#3b74f0",
    accent_text="#ffffff",
    accent_soft="#273a63",
    focus="#6d9bff",
    link="#8ab4ff",
    surface="#202124",
    surface_raised="#0e0f11",
    surface_text="#eceef1",
    surface_muted="#aeb3bb",
    good="#5fd08f",
    warn="#f0b450",
    bad="#ff8a80",
    info="#8ab4ff",
    demo="#6d28d9",
    demo_text="#c9b0ff",
    star="#f5b942",
    banner_error=("#4a1f1c", "#ffdad5", "#b3413a"),
    banner_warning=("#463514", "#ffe7b8", "#a8781e"),
    banner_info=("#1c3050", "#d6e6ff", "#4f7fc4"),
)


def scheme() -> Scheme:
    """The scheme in use: read from the application palette, so whatever set it (the system,
    Settings, a test) custom painting follows."""
    app = QApplication.instance()
    window = (
        app.palette().color(QPalette.ColorRole.Window)
        if isinstance(app, QApplication)
        else QColor(LIGHT.window)
    )
    return DARK if window.lightness() < 128 else LIGHT


def palette_for(s: Scheme) -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    c = QColor
    for r, value in (
        (role.Window, s.window),
        (role.WindowText, s.text),
        (role.Base, s.base),
        (role.AlternateBase, s.alt_base),
        (role.ToolTipBase, s.base),
        (role.ToolTipText, s.text),
        (role.Text, s.text),
        (role.Button, s.button),
        (role.ButtonText, s.text),
        (role.BrightText, s.bad),
        # Darker than the accent: Fusion lightens a selected row's top, and white text on
        # the selection must still read at 4.5:1.
        (role.Highlight, s.accent_hover if not s.dark else "#1d4ed8"),
        (role.HighlightedText, s.accent_text),
        (role.PlaceholderText, s.muted),
        (role.Link, s.link),
        (role.LinkVisited, s.link),
        (role.Light, "#3c3f44" if s.dark else "#ffffff"),
        (role.Midlight, "#34363a" if s.dark else "#e9ebee"),
        (role.Mid, s.border),
        (role.Dark, "#151618" if s.dark else "#a3a8b0"),
        (role.Shadow, "#000000" if s.dark else "#6b7078"),
    ):
        p.setColor(r, c(value))
    for r in (role.Text, role.ButtonText, role.WindowText):
        p.setColor(QPalette.ColorGroup.Disabled, r, c(s.disabled))
    p.setColor(QPalette.ColorGroup.Disabled, role.Highlight, c(s.border_strong))
    # Inactive windows keep the active colours (Fusion would grey the selection).
    for r in (role.Highlight, role.HighlightedText):
        p.setColor(QPalette.ColorGroup.Inactive, r, p.color(QPalette.ColorGroup.Active, r))
    return p


class RetouchStyle(QProxyStyle):
    """Fusion, with Retouch's buttons: rounded push buttons (the accent one for ``primary``),
    the page selector's joined segments, and a 2 px focus ring on every button, tool button
    and list that has the keyboard focus.

    A style rather than an app-wide style sheet: a style sheet makes Qt match its rules
    against every widget as it is polished, which cost the first paint ~15 ms.
    """

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))

    # -- buttons ------------------------------------------------------------------------------

    def drawControl(
        self,
        element: QStyle.ControlElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element == QStyle.ControlElement.CE_PushButtonBevel and isinstance(
            option, QStyleOptionButton
        ):
            self._button(option, painter, widget)
            return
        if element == QStyle.ControlElement.CE_PushButtonLabel and isinstance(
            option, QStyleOptionButton
        ):
            s = scheme()
            if self._filled(option, widget):
                option = QStyleOptionButton(option)
                option.palette.setColor(QPalette.ColorRole.ButtonText, ink(widget, s.accent_text))
        super().drawControl(element, option, painter, widget)

    @staticmethod
    def _filled(option: QStyleOption, widget: QWidget | None) -> bool:
        """Drawn in the accent colour: a primary button, or the selected segment."""
        if widget is None or not option.state & QStyle.StateFlag.State_Enabled:
            return False
        if widget.property("segment"):
            return bool(option.state & QStyle.StateFlag.State_On)
        return bool(widget.property("primary"))

    def _button(self, option: QStyleOptionButton, p: QPainter, widget: QWidget | None) -> None:
        s = scheme()
        state = option.state
        enabled = bool(state & QStyle.StateFlag.State_Enabled)
        hover = enabled and bool(state & QStyle.StateFlag.State_MouseOver)
        down = bool(state & (QStyle.StateFlag.State_Sunken | QStyle.StateFlag.State_On))
        segment = str(widget.property("segment") or "") if widget is not None else ""
        filled = self._filled(option, widget)
        if filled:
            fill = s.accent_hover if hover or (down and not segment) else s.accent
            line = fill
        elif not enabled:
            fill, line = s.window, s.border
        else:
            fill = s.button_pressed if down else s.button_hover if hover else s.button
            line = s.border_strong if hover else s.border
        r = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
        radius = 6.0
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        path = QPainterPath()
        if segment == "middle":
            path.addRect(r)
        else:
            path.addRoundedRect(r, radius, radius)
            if segment:
                # Joined segments: only the row's outer corners are round.
                square = QRectF(r)
                if segment == "first":
                    square.setLeft(r.left() + radius + 1)
                else:
                    square.setRight(r.right() - radius - 1)
                squared = QPainterPath()
                squared.addRect(square)
                path = path.united(squared)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(fill))
        p.drawPath(path)
        if segment and segment != "first":
            # The segment to the left drew the line between the two.
            p.setClipRect(QRectF(option.rect).adjusted(1, 0, 0, 0))
        p.setPen(QPen(QColor(line), 1))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        p.setClipping(False)
        if state & QStyle.StateFlag.State_HasFocus and enabled:
            ring = QColor(s.text if filled else s.focus)
            p.setPen(QPen(ring, 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(r.adjusted(1, 1, -1, -1), radius - 1, radius - 1)
        p.restore()

    # -- focus rings on tool buttons and lists ------------------------------------------------

    def drawComplexControl(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawComplexControl(control, option, painter, widget)
        if (
            control == QStyle.ComplexControl.CC_ToolButton
            and option.state & QStyle.StateFlag.State_HasFocus
            and option.state & QStyle.StateFlag.State_Enabled
        ):
            _ring(painter, QRectF(option.rect), 5)

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if (
            element == QStyle.PrimitiveElement.PE_Frame
            and isinstance(widget, QAbstractScrollArea)
            and widget.hasFocus()
        ):
            _ring(painter, QRectF(option.rect), 3)


def _ring(p: QPainter, rect: QRectF, radius: float) -> None:
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(QColor(scheme().focus), 2))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRoundedRect(rect.adjusted(1, 1, -1, -1), radius, radius)
    p.restore()


def paint_pill(p: QPainter, widget: QWidget, text: str, *, inset: int, pad: int) -> None:
    """A bold label on a rounded, slightly translucent chip in the top-left corner, *inset*
    from the edges with *pad* around the text: what a view shows instead of its usual
    picture ("Original" on the canvas, "Before" on the results preview)."""
    s = scheme()
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    f = QFont(widget.font())
    f.setBold(True)
    p.setFont(f)
    fm = p.fontMetrics()
    box = QRectF(inset, inset, fm.horizontalAdvance(text) + pad, fm.height() + 10)
    back = s.color("surface_raised")
    back.setAlpha(215)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(back)
    p.drawRoundedRect(box, box.height() / 2, box.height() / 2)
    p.setPen(ink(widget, s.surface_text))
    p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
    p.restore()


def scaled_font(base: QFont, factor: float, *, bold: bool | None = None) -> QFont:
    """*base* at *factor* times its size (never below 7.5 pt when it is sized in points; a
    font sized in pixels, as a style sheet sizes it, scales by pixels)."""
    font = QFont(base)
    if base.pointSizeF() > 0:
        font.setPointSizeF(max(min(7.5, base.pointSizeF()), base.pointSizeF() * factor))
    elif base.pixelSize() > 0:
        font.setPixelSize(max(1, round(base.pixelSize() * factor)))
    if bold is not None:
        font.setBold(bold)
    return font


#: A widget with this property set draws its text invisibly (the contrast test's second
#: grab: the same picture without the text, to find the text's pixels and what is behind).
HIDE_TEXT = "retouchHideText"


def ink(widget: QWidget | None, color: QColor | str) -> QColor:
    """The colour to draw *widget*'s text in: *color* (custom painting always asks here)."""
    if widget is not None and widget.property(HIDE_TEXT):
        return QColor(0, 0, 0, 0)
    return QColor(color)


def caption(label: QLabel) -> QLabel:
    """A section caption: small, bold, upper case, in the secondary text colour."""
    font = scaled_font(label.font(), 0.85, bold=True)
    font.setCapitalization(QFont.Capitalization.AllUppercase)
    font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 0.8)
    label.setFont(font)
    mute(label)
    return label


def mute(widget: QWidget) -> None:
    """Secondary text: drawn in the scheme's muted colour (≥ 4.5:1 on the window)."""
    widget.setForegroundRole(QPalette.ColorRole.PlaceholderText)


def is_dark_system() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def apply_scheme(app: QApplication, s: Scheme) -> None:
    """Use *s* for the whole application."""
    app.setPalette(palette_for(s))


def _follow(_scheme: object = None) -> None:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    chosen = app.property("retouchAppearance") or "system"
    dark = is_dark_system() if chosen == "system" else chosen == "dark"
    apply_scheme(app, DARK if dark else LIGHT)


def apply_theme(app: QApplication, appearance: str = "system") -> None:
    """Fusion with Retouch's palette, light or dark as *appearance* says ("system" follows
    the platform's colour-scheme setting, and its changes)."""
    if not isinstance(app.style(), RetouchStyle):
        app.setStyle(RetouchStyle())
    set_appearance(app, appearance)
    if not app.property("retouchFollowsSystem"):
        app.setProperty("retouchFollowsSystem", True)
        QGuiApplication.styleHints().colorSchemeChanged.connect(_follow)


def set_appearance(app: QApplication, appearance: str) -> None:
    """Settings → Appearance: "system", "light" or "dark"."""
    app.setProperty("retouchAppearance", appearance if appearance in APPEARANCES else "system")
    _follow()
