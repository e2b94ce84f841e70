"""The tray decodes only the edited image in full; a reference is decoded when it becomes first."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from tests.ui.conftest import make_photo, wait_inputs_ready


def test_only_the_first_input_is_decoded_in_full(qtbot, window, photos):
    window.tray.add_paths(photos)
    wait_inputs_ready(qtbot, window, 2)
    first, reference = window.tray.items()
    assert first.image is not None and first.image.size().width() == 320
    assert reference.image is None  # thumbnail only
    assert reference.info is not None and reference.info.thumb is not None
    assert (reference.info.width, reference.info.height) == (320, 240)  # the file's own size


def test_a_reference_that_becomes_first_reaches_the_canvas(qtbot, window, tmp_path: Path):
    a = make_photo(tmp_path / "a.png", size=(320, 240))
    b = make_photo(tmp_path / "b.jpg", size=(400, 300), colour=(200, 30, 30))
    window.tray.add_paths([a, b])
    wait_inputs_ready(qtbot, window, 2)
    seen: list[object] = []
    window.tray.firstImageChanged.connect(seen.append)

    window.tray.list.item(0).setSelected(True)
    window.tray.remove_selected()

    assert window.tray.is_loading()  # Run waits for the full decode
    wait_inputs_ready(qtbot, window, 1)
    image = window.tray.first_image()
    assert image is not None and (image.width(), image.height()) == (400, 300)
    assert seen == [image]  # once, with the image: never a blank canvas in between
    assert window.canvas_panel.canvas.image().size() == image.size()
    assert window.run_blocker() != "Loading images…"


def test_a_large_jpeg_reference_keeps_its_real_size_and_a_small_thumbnail(
    qtbot, window, tmp_path: Path
):
    first = make_photo(tmp_path / "first.png")
    big = tmp_path / "big.jpg"
    Image.new("RGB", (3000, 2000), (10, 120, 200)).save(big, quality=90)
    window.tray.add_paths([first, big])
    wait_inputs_ready(qtbot, window, 2)
    ref = window.tray.items()[1]
    assert (ref.info.width, ref.info.height) == (3000, 2000)
    assert max(ref.info.thumb.width(), ref.info.thumb.height()) <= 192


def test_a_damaged_reference_is_still_refused_with_a_message(qtbot, window, photos, tmp_path):
    broken = tmp_path / "broken.jpg"
    data = (photos[1]).read_bytes()
    broken.write_bytes(data[: len(data) // 2])
    messages: list[tuple[str, str]] = []
    window.tray.message.connect(lambda level, text: messages.append((level, text)))
    window.tray.add_paths([photos[0], broken])
    wait_inputs_ready(qtbot, window, 1)
    assert [m for m in messages if m[0] == "error" and "broken.jpg" in m[1]]
