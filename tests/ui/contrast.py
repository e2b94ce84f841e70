"""Measure the contrast of the text a window actually draws (WCAG 2 relative luminance).

For each visible widget that draws its own text, the window is grabbed twice: as it is, and
with that one widget's text made invisible — every text role of its palette transparent,
and ``theme.HIDE_TEXT`` set, which the window's own painting honours (``theme.ink``). Nothing
else changes, so the pixels that differ are exactly its text: at each, the first grab has the
text's colour and the second the background it is drawn on. The text is split into runs
(glyphs side by side on a line, then by the colour they are drawn in), and each run's
contrast is the best of its pixels: a glyph's fully covered pixels show the text colour
itself, its anti-aliased edges do not. So a run passes when its text colour reaches 4.5:1
against what is really behind it, whether the colour came from the palette or from
painting code (text colours are never set by style sheets in the window, which is checked:
a style sheet colour would survive the hiding and the text would not be found).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QRadioButton,
    QScrollBar,
    QStyle,
    QStyleOptionButton,
    QStyleOptionComboBox,
    QWidget,
)

from retouch.ui.theme import HIDE_TEXT

AA = 4.5


def _linear(c: int) -> float:
    v = c / 255
    return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4


def luminance(rgb: int) -> float:
    r, g, b = (rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def ratio(a: int, b: int) -> float:
    la, lb = luminance(a), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


@dataclass
class Run:
    widget: str
    rect: QRect  # in window coordinates
    contrast: float
    text: str = ""
    background: str = ""

    def __str__(self) -> str:
        r = self.rect
        return (
            f"{self.widget} at ({r.x()},{r.y()} {r.width()}×{r.height()}): "
            f"{self.contrast:.2f}:1 ({self.text} on {self.background})"
        )


def _hex(rgb: int) -> str:
    return f"#{rgb & 0xFFFFFF:06x}"


def _name(w: QWidget) -> str:
    return f"{type(w).__name__}#{w.objectName() or '?'}"


def _internal(child: QWidget, parent: QWidget) -> bool:
    """Parts a widget paints through (a scroll area's viewport and scroll bars)."""
    if isinstance(parent, QAbstractScrollArea):
        return (
            child is parent.viewport()
            or isinstance(child, QScrollBar)
            or (
                child.parentWidget() is not parent  # scroll bar containers
            )
        )
    return False


def text_widgets(window: QWidget) -> Iterator[QWidget]:
    """Visible, enabled widgets that draw text of their own (leaves, and scroll areas)."""
    for w in [window, *window.findChildren(QWidget)]:
        if w.window() is not window or not w.isVisible() or not w.isEnabled():
            continue
        if visible_rect(w).isEmpty():
            continue
        if isinstance(w.parentWidget(), QAbstractScrollArea) and _internal(w, w.parentWidget()):
            continue  # measured with its scroll area
        kids = [
            c
            for c in w.findChildren(QWidget, options=_direct())
            if c.isVisible() and not c.isWindow() and not _internal(c, w)
        ]
        if isinstance(w, QAbstractScrollArea):
            # A scroll area of widgets (not of items it paints itself): its widgets count.
            kids += [
                c
                for c in w.viewport().findChildren(QWidget, options=_direct())
                if c.isVisible() and not c.isWindow()
            ]
        if kids:
            continue
        yield w


def _direct() -> Qt.FindChildOption:
    return Qt.FindChildOption.FindDirectChildrenOnly


TEXT_ROLES = (
    QPalette.ColorRole.WindowText,
    QPalette.ColorRole.Text,
    QPalette.ColorRole.ButtonText,
    QPalette.ColorRole.PlaceholderText,
    QPalette.ColorRole.HighlightedText,
    QPalette.ColorRole.BrightText,
    QPalette.ColorRole.ToolTipText,
    QPalette.ColorRole.Link,
    QPalette.ColorRole.LinkVisited,
)


@contextmanager
def hidden_text(widget: QWidget) -> Iterator[None]:
    """*widget* draws its text transparent meanwhile (and nothing else differently)."""
    own = widget.testAttribute(Qt.WidgetAttribute.WA_SetPalette)
    saved = QPalette(widget.palette())
    pal = QPalette(saved)
    clear = QColor(0, 0, 0, 0)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        for role in TEXT_ROLES:
            pal.setColor(group, role, clear)
    widget.setPalette(pal)
    widget.setProperty(HIDE_TEXT, True)
    try:
        yield
    finally:
        widget.setProperty(HIDE_TEXT, None)
        if own:
            widget.setPalette(saved)
        else:
            widget.setPalette(QPalette())
            widget.setAttribute(Qt.WidgetAttribute.WA_SetPalette, False)


def _rgb(image: QImage) -> QImage:
    return image.convertToFormat(QImage.Format.Format_RGB32)


def visible_rect(widget: QWidget) -> QRect:
    """*widget*'s rectangle in its window's coordinates, clipped by every parent (a widget
    scrolled half out of its scroll area counts by its visible half)."""
    window = widget.window()
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        rect = rect.intersected(QRect(parent.mapTo(window, QPoint(0, 0)), parent.size()))
        parent = parent.parentWidget()
    return rect.intersected(window.rect())


def measure(widget: QWidget) -> list[Run]:
    """The text runs *widget* draws, each with its contrast."""
    window = widget.window()
    rect = visible_rect(widget)
    if rect.isEmpty():
        return []
    before = _rgb(window.grab(rect).toImage())
    with hidden_text(widget):
        after = _rgb(window.grab(rect).toImage())
    if before.size() != after.size():
        return []
    return _runs(_name(widget), rect, before, after, _indicator(widget, rect))


def _indicator(widget: QWidget, rect: QRect) -> QRect:
    """A check box's or radio button's indicator, or a combo box's arrow, in the grab's
    coordinates: drawn in the text colour, but a control's state, not text."""
    origin = widget.mapTo(widget.window(), QPoint(0, 0)) - rect.topLeft()
    if isinstance(widget, QComboBox):
        option = QStyleOptionComboBox()
        option.initFrom(widget)
        arrow = widget.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox,
            option,
            QStyle.SubControl.SC_ComboBoxArrow,
            widget,
        )
        return arrow.translated(origin).adjusted(-2, -2, 2, 2)
    element = None
    if isinstance(widget, QRadioButton):
        element = QStyle.SubElement.SE_RadioButtonIndicator
    elif isinstance(widget, QCheckBox):
        element = QStyle.SubElement.SE_CheckBoxIndicator
    if element is None:
        return QRect()
    option = QStyleOptionButton()
    option.initFrom(widget)
    box = widget.style().subElementRect(element, option, widget)
    return box.translated(origin).adjusted(-2, -2, 2, 2)


def _components(points: set[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """8-connected groups of changed pixels: glyphs, mostly."""
    seen: set[tuple[int, int]] = set()
    groups = []
    for start in points:
        if start in seen:
            continue
        seen.add(start)
        stack, group = [start], []
        while stack:
            x, y = stack.pop()
            group.append((x, y))
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    q = (x + dx, y + dy)
                    if q in points and q not in seen:
                        seen.add(q)
                        stack.append(q)
        groups.append(group)
    return groups


def _channels(rgb: int) -> tuple[int, int, int]:
    return (rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255


def _near(a: int, b: int, limit: int) -> bool:
    return sum(abs(p - q) for p, q in zip(_channels(a), _channels(b), strict=True)) <= limit


def _runs(name: str, rect: QRect, a: QImage, b: QImage, skip: QRect | None = None) -> list[Run]:
    """Text runs: glyphs side by side on one line. A run is measured by its best pixel."""
    w, h = a.width(), a.height()
    bpl = a.bytesPerLine()
    da, db = bytes(a.constBits()), bytes(b.constBits())
    changed: set[tuple[int, int]] = set()
    for y in range(h):
        ra, rb = da[y * bpl : y * bpl + 4 * w], db[y * bpl : y * bpl + 4 * w]
        if ra != rb:
            changed.update(
                (x, y) for x in range(w) if ra[4 * x : 4 * x + 3] != rb[4 * x : 4 * x + 3]
            )
    if not changed:
        return []

    def pixel(data: bytes, x: int, y: int) -> int:
        return int.from_bytes(data[y * bpl + 4 * x : y * bpl + 4 * x + 4], "little") & 0xFFFFFF

    points = {p for p in changed if not (skip and skip.contains(QPoint(*p)))}
    glyphs = []
    for group in _components(points):
        xs = [p[0] for p in group]
        ys = [p[1] for p in group]
        glyphs.append(
            (QRect(min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1), group)
        )
    glyphs.sort(key=lambda g: (g[0].top(), g[0].left()))
    # Runs: glyphs that share a line (overlap vertically) and stand close together.
    runs: list[tuple[QRect, list[tuple[int, int]]]] = []
    for box, group in sorted(glyphs, key=lambda g: g[0].left()):
        for k, (rbox, rgroup) in enumerate(runs):
            top, bottom = max(box.top(), rbox.top()), min(box.bottom(), rbox.bottom())
            overlap = bottom - top + 1
            gap = box.left() - rbox.right()
            if overlap >= 0.5 * min(box.height(), rbox.height()) and gap <= 1.5 * max(
                box.height(), rbox.height(), 6
            ):
                runs[k] = (rbox.united(box), rgroup + group)
                break
        else:
            runs.append((box, list(group)))
    out = []
    for box, group in runs:
        if len(group) < 12 or box.height() < 5:
            continue  # a caret, a combo box's arrow, a stray dot: not text
        for ink, back, best, part in _by_colour(group, da, db, pixel):
            if part.height() < 5:
                continue  # an arrow or a dot drawn in the text colour, not text
            out.append(Run(name, part.translated(rect.topLeft()), best, _hex(ink), _hex(back)))
    return out


def _on_segment(c: int, back: int, ink: int) -> bool:
    """Is *c* a blend of *ink* over *back* (an anti-aliased edge of that colour)?"""
    cc, bb, kk = _channels(c), _channels(back), _channels(ink)
    span = [k - b for k, b in zip(kk, bb, strict=True)]
    length = sum(v * v for v in span)
    if length == 0:
        return False
    t = sum((x - b) * v for x, b, v in zip(cc, bb, span, strict=True)) / length
    if not 0 <= t <= 1.05:
        return False
    off = sum((x - (b + t * v)) ** 2 for x, b, v in zip(cc, bb, span, strict=True))
    return off <= 18**2


def _by_colour(group, da, db, pixel):  # type: ignore[no-untyped-def]
    """A run's glyphs split by the colour they are drawn in (two badges side by side are two
    runs); a glyph whose best pixel is only a blend of another's colour (a thin letter with
    no fully covered pixel) goes with that colour."""
    glyphs = []
    for part in _components(set(group)):
        best, ink, back = 0.0, 0, 0
        for x, y in part:
            pa, pb = pixel(da, x, y), pixel(db, x, y)
            c = ratio(pa, pb)
            if c > best:
                best, ink, back = c, pa, pb
        xs = [p[0] for p in part]
        ys = [p[1] for p in part]
        box = QRect(min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1)
        glyphs.append((best, ink, back, box, len(part)))
    glyphs.sort(key=lambda g: -g[0])
    colours: list[list] = []  # type: ignore[type-arg]
    for g in glyphs:
        for c in colours:
            lead = c[0]
            if _near(g[2], lead[2], 24) and (
                _near(g[1], lead[1], 40) or _on_segment(g[1], lead[2], lead[1])
            ):
                c.append(g)
                break
        else:
            colours.append([g])
    out = []
    for c in colours:
        if sum(g[4] for g in c) < 12 and len(colours) > 1:
            continue  # a fragment
        best, ink, back, box, _n = c[0]
        for g in c[1:]:
            box = box.united(g[3])
        out.append((ink, back, best, box))
    return out


def measure_window(window: QWidget) -> list[Run]:
    runs: list[Run] = []
    for w in text_widgets(window):
        runs.extend(measure(w))
    return runs


def top_left(window: QWidget, widget: QWidget) -> QPoint:
    return widget.mapTo(window, QPoint(0, 0))
