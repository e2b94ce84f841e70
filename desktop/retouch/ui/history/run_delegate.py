"""How one run reads in the history list: a card with its thumbnail, prompt, date, model,
image count, status badge and star (``RunDelegate``), and the small facts it shows.

The list and what the cards do when used are ``panel``'s; the rows are ``model``'s.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QEvent,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from retouch.core.history import RunRecord
from retouch.ui.history.model import RUN_ROLE, THUMB_STATE_ROLE
from retouch.ui.i18n import plural, translate
from retouch.ui.theme import ink, scaled_font, scheme

#: status: (label, the scheme colour its badge is drawn in)
STATUS_STYLE = {
    "succeeded": (QT_TRANSLATE_NOOP("HistoryPanel", "Done"), "good"),
    "partial": (QT_TRANSLATE_NOOP("HistoryPanel", "Partial"), "warn"),
    "failed": (QT_TRANSLATE_NOOP("HistoryPanel", "Failed"), "bad"),
    "cancelled": (QT_TRANSLATE_NOOP("HistoryPanel", "Cancelled"), "muted"),
    "interrupted": (QT_TRANSLATE_NOOP("HistoryPanel", "Interrupted"), "warn"),
    "running": (QT_TRANSLATE_NOOP("HistoryPanel", "Running"), "info"),
}
#: A run left on the hub's queue (issue 13): Open offers to collect it.
ON_THE_HUB = QT_TRANSLATE_NOOP("HistoryPanel", "On the hub")

ROW_HEIGHT = 84
THUMB = 66
PAD = 8


def friendly_time(ts: float, now: float | None = None) -> str:
    when = dt.datetime.fromtimestamp(ts)
    today = dt.datetime.fromtimestamp(now if now is not None else time.time()).date()
    clock = when.strftime("%H:%M")
    if when.date() == today:
        return translate("HistoryPanel", "Today %1").replace("%1", clock)
    if when.date() == today - dt.timedelta(days=1):
        return translate("HistoryPanel", "Yesterday %1").replace("%1", clock)
    # The month's name in the window's language (QLocale, not the C library's).
    month = QLocale().monthName(when.month, QLocale.FormatType.ShortFormat)
    if when.year == today.year:
        return f"{when.day} {month} {clock}"
    return f"{when.day} {month} {when.year}"


def is_demo(record: RunRecord) -> bool:
    """Made in the offline demo (a stand-in's tints, nothing billed)."""
    return bool(getattr(record, "demo", False))


class RunDelegate(QStyledItemDelegate):
    """A card per run: thumbnail, prompt (two lines), date · model · images, status, star."""

    starClicked = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        #: A model id as people read it ("GPT Image 2 Edit"); the window sets it.
        self.model_name: Callable[[str], str] = lambda model_id: model_id

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(max(200, option.rect.width()), ROW_HEIGHT)

    def _star_rect(self, rect: QRect) -> QRectF:
        return QRectF(rect.right() - PAD - 22, rect.bottom() - PAD - 22, 22, 22)

    def paint(
        self, p: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        rec: RunRecord | None = index.data(RUN_ROLE)
        if rec is None:
            return
        pal = option.palette
        rect = option.rect.adjusted(4, 2, -4, -2)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hover = bool(option.state & QStyle.StateFlag.State_MouseOver)
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if selected or hover:
            bg = QColor(pal.color(QPalette.ColorRole.Highlight))
            bg.setAlpha(60 if selected else 22)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(bg)
            p.drawRoundedRect(QRectF(rect), 8, 8)

        thumb_rect = QRectF(
            rect.left() + PAD, rect.top() + (rect.height() - THUMB) / 2, THUMB, THUMB
        )
        clip = QPainterPath()
        clip.addRoundedRect(thumb_rect, 6, 6)
        pixmap = index.data(Qt.ItemDataRole.DecorationRole)
        if isinstance(pixmap, QPixmap) and not pixmap.isNull():
            p.save()
            p.setClipPath(clip)
            p.fillRect(thumb_rect, pal.color(QPalette.ColorRole.AlternateBase))
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            # Centre-crop to a square so every card lines up.
            side = min(pixmap.width(), pixmap.height())
            src = QRectF((pixmap.width() - side) / 2, (pixmap.height() - side) / 2, side, side)
            p.drawPixmap(thumb_rect, pixmap, src)
            p.restore()
        else:
            self._paint_placeholder(p, thumb_rect, clip, pal, index.data(THUMB_STATE_ROLE))

        text_left = thumb_rect.right() + 12
        s = scheme()
        status, tone = STATUS_STYLE.get(rec.status, (rec.status.title(), "muted"))
        if rec.collectable:  # left on the hub's queue: Open offers to collect it
            status, tone = ON_THE_HUB, STATUS_STYLE["running"][1]
        badges = [(translate("HistoryPanel", str(status)), s.color(tone))]
        if is_demo(rec):
            badges.insert(0, (translate("HistoryPanel", "Demo"), s.color("demo_text")))
        badge_font = scaled_font(option.font, 0.85, bold=True)
        bfm = QFontMetrics(badge_font)
        right = float(rect.right() - PAD)
        badge = QRectF()
        for label, colour in reversed(badges):
            badge_w = bfm.horizontalAdvance(label) + 16
            badge = QRectF(right - badge_w, rect.top() + PAD, badge_w, bfm.height() + 4)
            tint = QColor(colour)
            tint.setAlpha(34)
            p.setPen(QPen(QColor(colour), 1))
            p.setBrush(tint)
            p.drawRoundedRect(badge, badge.height() / 2, badge.height() / 2)
            p.setFont(badge_font)
            p.setPen(ink(option.widget, colour))
            p.drawText(badge, Qt.AlignmentFlag.AlignCenter, label)
            right = badge.left() - 6

        # The selection is a light tint of the highlight colour, so normal text stays legible.
        text_color = pal.color(QPalette.ColorRole.Text)
        prompt_font = QFont(option.font)
        prompt_font.setWeight(QFont.Weight.DemiBold)
        p.setFont(prompt_font)
        p.setPen(ink(option.widget, text_color))
        pfm = QFontMetrics(prompt_font)
        prompt_rect = QRectF(
            text_left, rect.top() + PAD - 1, badge.left() - 8 - text_left, pfm.lineSpacing() * 2
        )
        p.drawText(
            prompt_rect,
            Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft,
            self._two_lines(
                rec.prompt.strip() or translate("HistoryPanel", "(no prompt)"),
                pfm,
                int(prompt_rect.width()),
            ),
        )

        meta_font = scaled_font(option.font, 0.92)
        p.setFont(meta_font)
        muted = ink(option.widget, pal.color(QPalette.ColorRole.PlaceholderText))
        p.setPen(muted)
        n = len(rec.outputs)
        bits = [friendly_time(rec.created_at), self.model_name(rec.model)]
        if n:
            bits.append(plural(self.tr("%n image(s)", "", n), n))
        mfm = QFontMetrics(meta_font)
        star = self._star_rect(rect)
        meta_rect = QRectF(
            text_left, rect.bottom() - PAD - mfm.height(), star.left() - 6 - text_left, mfm.height()
        )
        p.drawText(
            meta_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            mfm.elidedText("  ·  ".join(bits), Qt.TextElideMode.ElideRight, int(meta_rect.width())),
        )

        star_font = scaled_font(option.font, 1.25)
        p.setFont(star_font)
        if rec.starred:
            p.setPen(ink(option.widget, s.star))
            p.drawText(star, Qt.AlignmentFlag.AlignCenter, "★")
        elif hover or selected:
            p.setPen(muted)
            p.drawText(star, Qt.AlignmentFlag.AlignCenter, "☆")
        p.restore()

    @staticmethod
    def _two_lines(text: str, fm: QFontMetrics, width: int) -> str:
        """Wrap to at most two lines, eliding the second (drawText would clip mid-glyph)."""
        elide = Qt.TextElideMode.ElideRight
        words = " ".join(text.split()).split(" ")
        line = ""
        for i, word in enumerate(words):
            trial = f"{line} {word}".strip()
            if line and fm.horizontalAdvance(trial) > width:
                rest = " ".join(words[i:])
                return f"{fm.elidedText(line, elide, width)}\n{fm.elidedText(rest, elide, width)}"
            line = trial
        return fm.elidedText(line, elide, width)

    @staticmethod
    def _paint_placeholder(
        p: QPainter, r: QRectF, clip: QPainterPath, pal: QPalette, state: object
    ) -> None:
        p.save()
        p.setClipPath(clip)
        base = QColor(pal.color(QPalette.ColorRole.Mid))
        base.setAlpha(55)
        p.fillRect(r, base)
        # A little landscape glyph: sun and hills, drawn faintly.
        ink = QColor(pal.color(QPalette.ColorRole.Mid))
        ink.setAlpha(140 if state == "missing" else 90)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(ink)
        c = r.center()
        p.drawEllipse(QRectF(c.x() + 6, c.y() - 14, 9, 9))
        hills = QPainterPath()
        hills.moveTo(r.left() + 10, r.bottom() - 14)
        hills.lineTo(c.x() - 6, c.y() - 2)
        hills.lineTo(c.x() + 4, c.y() + 8)
        hills.lineTo(c.x() + 10, c.y() + 3)
        hills.lineTo(r.right() - 10, r.bottom() - 14)
        hills.closeSubpath()
        p.drawPath(hills)
        p.restore()

    def editorEvent(
        self,
        event: QEvent,
        model: object,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        # A click on the star toggles it without changing the selection.
        if event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            rect = option.rect.adjusted(4, 2, -4, -2)
            if event.button() == Qt.MouseButton.LeftButton and self._star_rect(rect).contains(
                event.position()
            ):
                rec = index.data(RUN_ROLE)
                if rec is not None:
                    self.starClicked.emit(rec.id)
                    return True
        return super().editorEvent(event, model, option, index)  # type: ignore[arg-type]
