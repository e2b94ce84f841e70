"""Toolbar icons: every glyph drawn at the size asked for, dimmed when disabled."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon, QImage

from retouch.ui.canvas.icons import glyph_names, make_icon


def ink(image: QImage) -> int:
    """How many pixels are not transparent."""
    return sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).alpha()
    )


@pytest.mark.parametrize("name", glyph_names())
def test_each_glyph_renders_at_the_size_asked_for(qapp, name):
    icon = make_icon(name, QColor("black"))
    for side in (16, 20, 40):
        pixmap = icon.pixmap(QSize(side, side))
        assert pixmap.size() == QSize(side, side)
        assert ink(pixmap.toImage()) > side  # something is drawn
    normal = icon.pixmap(QSize(20, 20)).toImage()
    disabled = icon.pixmap(QSize(20, 20), QIcon.Mode.Disabled).toImage()
    assert max(disabled.pixelColor(x, y).alpha() for x in range(20) for y in range(20)) < max(
        normal.pixelColor(x, y).alpha() for x in range(20) for y in range(20)
    )


def test_a_hidpi_pixmap_is_drawn_at_device_pixels(qapp):
    icon = make_icon("brush", QColor("black"))
    pixmap = icon.pixmap(QSize(20, 20), 2.0)
    assert pixmap.devicePixelRatio() == 2.0
    assert pixmap.size() == QSize(40, 40)
