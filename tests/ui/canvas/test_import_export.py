"""Mask import (any mode, threshold, rescale, aspect check), export, and image replacement."""

from __future__ import annotations

import pytest
from PIL import Image
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage, QPainter

from retouch.ui.canvas import MaskImportError


def _pil_mask(w: int, h: int, mode: str = "L") -> Image.Image:
    """Left half white (edit), right half black; a 40 %-grey band (below threshold) on top."""
    im = Image.new("L", (w, h), 0)
    im.paste(255, (0, 0, w // 2, h))
    im.paste(102, (0, 0, w, h // 10))
    if mode == "I;16":  # full 16-bit range, as a real 16-bit mask would use
        return im.convert("I").point(lambda v: v * 257).convert("I;16")
    return im.convert(mode) if mode != "L" else im


def _assert_half_mask(canvas, helpers) -> None:
    m = helpers.MaskPixels(canvas.mask_for_export())
    w, h = m.w, m.h
    assert m[10, h // 2] == 255 and m[w // 2 - 10, h - 10] == 255
    assert m[w // 2 + 10, h // 2] == 0 and m[w - 5, h - 5] == 0
    assert m[w // 4, 5] == 0  # 40 % grey is below the 50 % threshold
    values = {m[x, y] for y in range(0, h, 17) for x in range(0, w, 13)}
    assert values <= {0, 255}  # thresholded


@pytest.mark.parametrize("mode", ["L", "RGB", "P", "1", "I;16", "LA"])
def test_import_any_mode_with_rescale(canvas, helpers, tmp_path, mode):
    path = tmp_path / f"mask_{mode.replace(';', '')}.png"
    _pil_mask(600, 450, mode).save(path)  # half size, same aspect
    canvas.load_mask_file(path)
    _assert_half_mask(canvas, helpers)
    assert canvas.undo_stack.count() == 1


def test_import_jpeg_and_upscale(canvas, helpers, tmp_path):
    path = tmp_path / "mask.jpg"
    _pil_mask(2400, 1800, "RGB").save(path, quality=80)
    canvas.load_mask_file(path)
    _assert_half_mask(canvas, helpers)


def test_import_white_strokes_on_transparent(canvas, helpers, tmp_path):
    im = Image.new("RGBA", (1200, 900), (255, 255, 255, 0))
    im.paste((255, 255, 255, 255), (100, 100, 300, 200))
    path = tmp_path / "layer.png"
    im.save(path)
    canvas.load_mask_file(path)
    m = helpers.MaskPixels(canvas.mask_for_export())
    assert m[200, 150] == 255 and m[500, 500] == 0
    assert m.count_nonzero() == 200 * 100


def test_import_within_one_percent_aspect_is_accepted(canvas, tmp_path):
    path = tmp_path / "near.png"
    _pil_mask(1000, 754).save(path)  # 1.326 vs 1.333: 0.5 % off
    canvas.load_mask_file(path)
    assert not canvas.is_mask_empty()


def test_import_other_aspect_is_refused(canvas, helpers, tmp_path):
    canvas.fill_mask()
    before = helpers.mask_bytes(canvas)
    path = tmp_path / "square.png"
    _pil_mask(800, 800).save(path)
    with pytest.raises(MaskImportError, match="aspect"):
        canvas.load_mask_file(path)
    assert helpers.mask_bytes(canvas) == before  # untouched
    assert canvas.undo_stack.count() == 1


def test_import_unreadable_file_is_a_clear_error(canvas, tmp_path):
    bad = tmp_path / "not_an_image.png"
    bad.write_bytes(b"definitely not a PNG")
    with pytest.raises(MaskImportError, match="not_an_image"):
        canvas.load_mask_file(bad)
    with pytest.raises(MaskImportError):
        canvas.load_mask_file(tmp_path / "missing.png")


def test_export_format_size_polarity(canvas, helpers, tmp_path):
    canvas.set_tool("rect")
    helpers.Mouse(canvas).drag(helpers.image_path(canvas, [(100, 100), (300, 250)]))
    out = canvas.mask_for_export()
    assert out is not None
    assert out.format() == QImage.Format.Format_Grayscale8
    assert (out.width(), out.height()) == (1200, 900)
    assert out.pixelColor(200, 200).value() == 255  # white = edit
    assert out.pixelColor(600, 600).value() == 0  # black = keep

    path = tmp_path / "out" / "mask.png"
    canvas.save_mask_png(path)
    with Image.open(path) as im:
        assert im.mode == "L" and im.size == (1200, 900)
        assert im.getpixel((200, 200)) == 255 and im.getpixel((600, 600)) == 0
    # Round trip through import gives the same mask.
    canvas.clear_mask()
    canvas.load_mask_file(path)
    assert helpers.MaskPixels(canvas.mask_for_export()).count_nonzero() == 200 * 150


def test_set_mask_keeps_soft_values_and_rescales(canvas, helpers):
    soft = QImage(600, 450, QImage.Format.Format_Grayscale8)
    soft.fill(0)
    p = QPainter(soft)
    p.fillRect(0, 0, 300, 450, QColor(128, 128, 128))
    p.end()
    canvas.set_mask(soft)
    m = helpers.MaskPixels(canvas.mask_for_export())
    assert m[100, 400] == 128 and m[1000, 400] == 0
    canvas.undo_stack.undo()
    assert canvas.is_mask_empty()
    with pytest.raises(MaskImportError):
        canvas.set_mask(QImage(500, 500, QImage.Format.Format_Grayscale8))


def test_set_image_keep_mask_rescales(canvas, helpers):
    canvas.set_tool("rect")
    helpers.Mouse(canvas).drag(helpers.image_path(canvas, [(0, 0), (600, 900)]))
    canvas.set_image(helpers.make_image(2400, 1800), keep_mask=True)
    m = helpers.MaskPixels(canvas.mask_for_export())
    assert (m.w, m.h) == (2400, 1800)
    assert m[600, 900] == 255 and m[1800, 900] == 0
    assert canvas.undo_stack.count() == 0
    canvas.set_image(helpers.make_image(1200, 900), keep_mask=False)
    assert canvas.is_mask_empty()


def test_set_image_keep_mask_other_aspect_clears(canvas):
    canvas.fill_mask()
    canvas.set_image(QImage(500, 500, QImage.Format.Format_RGB32), keep_mask=True)
    assert canvas.is_mask_empty()


# ------------------------------------------------------------------ panel flows


def test_panel_asks_keep_or_clear(panel, helpers, monkeypatch):
    asked = []
    monkeypatch.setattr(panel, "_ask_keep_mask", lambda: asked.append(1) or True)
    panel.set_image(helpers.make_image(1200, 900))
    assert not asked  # nothing to keep yet
    panel.canvas.fill_mask()
    panel.set_image(helpers.make_image(600, 450))
    assert asked == [1]
    assert not panel.canvas.is_mask_empty()

    monkeypatch.setattr(panel, "_ask_keep_mask", lambda: asked.append(2) and False)
    panel.set_image(helpers.make_image(1200, 900))
    assert asked == [1, 2]
    assert panel.canvas.is_mask_empty()


def test_panel_clears_and_says_so_on_aspect_change(panel, helpers, monkeypatch, qtbot):
    monkeypatch.setattr(panel, "_ask_keep_mask", lambda: pytest.fail("must not ask"))
    panel.set_image(helpers.make_image(1200, 900))
    panel.canvas.fill_mask()
    with qtbot.waitSignal(panel.statusMessage) as blocker:
        panel.set_image(helpers.make_image(900, 900))
    assert "aspect" in blocker.args[0]
    assert panel.canvas.is_mask_empty()
    assert "aspect" in panel.canvas._toast


def test_panel_import_error_is_shown(panel, helpers, tmp_path, monkeypatch):
    panel.set_image(helpers.make_image(1200, 900))
    path = tmp_path / "square.png"
    _pil_mask(800, 800).save(path)
    shown = []
    monkeypatch.setattr(panel, "_open_path", lambda: str(path))
    monkeypatch.setattr(panel, "_show_error", lambda title, text: shown.append((title, text)))
    panel.actionImportMask.trigger()
    assert shown and "aspect" in shown[0][1]
    ok = tmp_path / "ok.png"
    _pil_mask(1200, 900).save(ok)
    monkeypatch.setattr(panel, "_open_path", lambda: str(ok))
    panel.actionImportMask.trigger()
    assert len(shown) == 1 and not panel.canvas.is_mask_empty()


def test_panel_export_action(panel, helpers, tmp_path, monkeypatch):
    panel.set_image(helpers.make_image(1200, 900))
    panel.canvas.fill_mask()
    target = tmp_path / "exported.png"
    monkeypatch.setattr(panel, "_save_path", lambda: str(target))
    panel.actionExportMask.trigger()
    with Image.open(target) as im:
        assert im.mode == "L" and im.getpixel((5, 5)) == 255


def test_set_image_none_shows_empty_state(canvas):
    canvas.set_image(None)
    assert not canvas.has_image()
    assert canvas.mask_for_export() is None
    grab = canvas.grab().toImage()
    # The hint card (glyph + text) is drawn in the middle: not a flat background there.
    centre = {
        grab.pixelColor(x, y).rgb()
        for y in range(grab.height() // 3, 2 * grab.height() // 3, 2)
        for x in range(grab.width() // 4, 3 * grab.width() // 4, 2)
    }
    assert len(centre) > 10
    canvas.image_to_widget(QPointF(0, 0))  # mapping still defined
