"""The window speaks German: the catalogue is complete and current, and no visible string of
the translated window — any page, state or dialog — is left in English.

A visible string counts as English when it still holds an English source text whose German
translation differs (as a whole word or phrase), or a common English word no German text
has. Brand and product names, file names, units and numbers are allowed.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QPlainTextEdit,
    QWidget,
)

from retouch.core.paths import resources_dir
from retouch.ui import i18n
from tests.ui.conftest import wait_inputs_ready

CATALOGUE = resources_dir() / "i18n" / "retouch_de.ts"
ALLOWED = re.compile(
    r"GPT Image 2( Edit)?|Oxen\.ai|Oxen|Retouch|OXEN_API_KEY|RETOUCH_API_BASE|PNG|JPEG|WebP|"
    r"https?://\S+|[~/]\S*/\S+|\S+\.(png|jpe?g|webp|json|zip)\b|"
    r"\b\d+([.,]\d+)?\s*(px|MB|KB|s|%)?\b|[×·—–→$]"
)
#: Common English words that are not German words (so a German text never has them).
ENGLISH = {
    "the", "and", "of", "to", "with", "your", "you", "is", "are", "this", "that",
    "not", "for", "from", "into", "only", "when", "what", "which", "will", "can", "image",
    "images", "result", "results", "run", "runs", "prompt", "brush", "eraser", "size",
    "settings", "history", "compare", "before", "after", "cancel", "save", "open", "copy",
    "show", "folder", "add", "remove", "delete", "zoom", "edit", "editing", "reference",
    "loading", "waiting", "done", "failed", "model", "models", "inputs", "none", "no",
    "mask", "masks", "quality", "resolution", "number", "output", "whole", "region", "price",
    "drop", "press", "here", "or", "then", "paint", "over", "should", "change", "key",
}  # fmt: skip


def german_catalogue() -> dict[str, list[str]]:
    """English source → its German translations (forms), from the .ts."""
    out: dict[str, list[str]] = {}
    for message in ET.parse(CATALOGUE).getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        forms = [f.text or "" for f in translation.findall("numerusform")] or [
            translation.text or ""
        ]
        out.setdefault(source, []).extend(forms)
    return out


def english_leftovers(text: str, sources: dict[str, list[str]]) -> list[str]:
    """What in *text* (a visible string of the German window) is still English."""
    found = []
    plain = re.sub(r"<[^>]+>", "", text)  # rich text: only what shows
    plain = ALLOWED.sub(" ", plain)
    for source, forms in sources.items():
        if len(source) < 4 or source in forms or not re.search("[A-Za-z]", source):
            continue
        core = re.sub(r"%\d|%n|\{[a-z_]+\}|&", "", source).strip(" .…:")
        if len(core) < 4 or any(core in f for f in forms):
            continue
        if re.search(rf"(?<![\w-]){re.escape(core)}(?![\w-])", plain):
            found.append(source)
    words = {w.lower() for w in re.findall(r"[A-Za-zÄÖÜäöüß]+", plain)}
    found += sorted(words & ENGLISH)
    return found


def visible_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every string *root* shows: labels, buttons, fields, lists, combos,
    window titles, the menu bar's titles."""
    if root.windowTitle():
        yield f"{type(root).__name__} title", root.windowTitle()
    if isinstance(root, QMainWindow):
        for action in root.menuBar().actions():
            yield "menu", action.text().replace("&", "")
    for w in [root, *root.findChildren(QWidget)]:
        if w.window() is not root or not w.isVisible():
            continue
        where = f"{type(w).__name__}#{w.objectName() or '?'}"
        for text in _shown(w):
            yield where, text


def _shown(w: QWidget) -> list[str]:
    if isinstance(w, (QLabel, QAbstractButton)):
        return [w.text()] if w.text() else []
    if isinstance(w, QLineEdit):
        return [] if w.text() else [w.placeholderText()]
    if isinstance(w, QPlainTextEdit):
        return [] if w.toPlainText() else [w.placeholderText()]
    if isinstance(w, QComboBox):
        return [w.currentText()]
    if isinstance(w, QListWidget):
        return [w.item(row).text() for row in range(w.count())]
    return []


@pytest.fixture
def german(qapp) -> Iterator[None]:
    assert i18n.install(qapp, "de") == "de"
    yield
    i18n.install(qapp, "en")


def test_the_german_catalogue_is_complete_and_compiled():
    sources = german_catalogue()
    untranslated = [s for s, forms in sources.items() if not all(f.strip() for f in forms)]
    assert not untranslated, untranslated
    assert len(sources) > 400  # the window's strings and the core's messages
    unfinished = CATALOGUE.read_text("utf-8").count('type="unfinished"')
    assert unfinished == 0
    assert CATALOGUE.with_suffix(".qm").stat().st_size > 10_000


def test_the_catalogue_holds_every_string_in_the_source():
    """``update.py --check`` extracts the strings again: a new tr() with no German entry, or
    a changed English text, makes the catalogue stale."""
    script = resources_dir() / "i18n" / "update.py"
    out = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stdout + out.stderr


def check(root: QWidget, state: str, sources: dict[str, list[str]], found: list[str]) -> int:
    QApplication.processEvents()
    count = 0
    for where, text in visible_texts(root):
        count += 1
        left = english_leftovers(text, sources)
        if left:
            found.append(f"{state}: {where}: {text!r} → {left}")
    return count


def test_no_visible_string_is_left_in_english(qtbot, german, window, photos, hub_env):
    from retouch.fakehub import Fault
    from retouch.ui.batch_panel import BatchPanel
    from retouch.ui.dialogs import SettingsDialog, WelcomeDialog
    from retouch.ui.run_history import HistoryOpened

    sources = german_catalogue()
    found: list[str] = []
    seen = check(window, "empty", sources, found)
    window.tray.add_paths([photos[0]])
    wait_inputs_ready(qtbot, window, 1)
    window.sidebar.prompt.setPlainText("den Himmel heller")  # what the user typed: German
    window.findChild(object, "param_num_images").setValue(2)
    window.canvas_panel.canvas.fill_mask()
    seen += check(window, "loaded", sources, found)
    hub_env.delay = 30
    window.run()
    qtbot.waitUntil(lambda: window.controller.running, timeout=5000)
    seen += check(window, "running", sources, found)
    window.show_page(1)
    seen += check(window, "running, results", sources, found)
    window.cancel_run()
    qtbot.waitUntil(lambda: not window.controller.running, timeout=15000)
    seen += check(window, "cancelled", sources, found)
    hub_env.delay = 0
    with qtbot.waitSignal(window.controller.finished, timeout=30000):
        window.run()
    qtbot.waitUntil(lambda: window.results.count() == 2, timeout=10000)
    seen += check(window, "results", sources, found)
    for page in (2, 3):
        window.show_page(page)
        seen += check(window, f"page {page}", sources, found)
    window.compare_mode.click()
    window.show_page(2)
    seen += check(window, "compare, side by side", sources, found)
    window.show_page(0)
    hub_env.add_fault(Fault("status", status=401, message="Invalid API key"))
    with qtbot.waitSignal(window.controller.failed, timeout=30000):
        window.run()
    assert window.banner.isVisible()
    seen += check(window, "error", sources, found)
    window.session.report_history(HistoryOpened(None, "damaged", "SQLITE_CORRUPT"))
    assert window.banner.isVisible()
    seen += check(window, "damaged history", sources, found)
    dialogs = [
        SettingsDialog(window.settings, window),
        WelcomeDialog(),
        BatchPanel(window, profile=window.hub.profile, recorder=None),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        seen += check(dialog, type(dialog).__name__, sources, found)
        dialog.close()
    assert seen > 150  # the walk saw the window (a broken walk would pass vacuously)
    assert not found, "\n".join(found)


def test_the_check_catches_english(qapp):
    sources = german_catalogue()
    assert english_leftovers("Bilder öffnen", sources) == []
    assert "Open Images" in english_leftovers("Open Images", sources)
    assert "the" in english_leftovers("Fehler: the hub", sources)
    assert english_leftovers("lake.jpg · 1600 × 1000 px · GPT Image 2 Edit", sources) == []
    assert english_leftovers("Maske", sources) == []  # "Mask" is not a word of it


def test_the_language_follows_the_setting_or_the_system(qapp):
    assert i18n.pick_language("de", ["en-US"]) == "de"
    assert i18n.pick_language("", ["de-AT", "en-US"]) == "de"
    assert i18n.pick_language("", ["fr-FR", "en-GB"]) == "en"
    assert i18n.pick_language("xx", ["fr-FR"]) == "en"
    try:
        assert i18n.install(qapp, "de") == "de"
        from retouch.core.i18n import translate

        assert translate("core", "The hub refused the request parameters.").startswith("Der Hub")
    finally:
        i18n.install(qapp, "en")
    assert translate("core", "No reason was given.") == "No reason was given."
