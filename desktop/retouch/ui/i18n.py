"""Speaking the user's language: Qt's translation system for the window, and the bridge
that lets the Qt-free core's messages be translated too.

* **The window's own strings** go through ``QCoreApplication.translate`` — ``self.tr()`` in
  a QObject whose class defines the string, or :func:`translate` (the same function, usable
  where there is no QObject: module constants, dataclasses). ``pyside6-lupdate`` finds both.
* **Core messages** (``retouch.core``: no Qt) are marked with
  ``retouch.core.i18n.translate("core", "…{name}…").format(name=…)``; the core's
  ``translate`` returns the English text until :func:`install` hands it Qt's translate, so
  the command line stays English and the window shows them in the user's language.
  The same extraction run collects both (``resources/i18n/update.py``).
* **Which language**: Settings → Language, else the system's UI languages
  (``QLocale.system().uiLanguages()``), else English. A catalogue is
  ``resources/i18n/retouch_<lang>.qm`` (compiled from the ``.ts`` beside it and committed,
  so a fresh checkout and the frozen app have it); Qt's own strings (standard buttons,
  file dialogs) come from Qt's ``qtbase_<lang>.qm``, looked for beside ours first (the
  frozen app ships it there) and then in Qt's translations folder.

Nothing is loaded for English, so an English start pays for no catalogue.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from retouch.core import i18n as core_i18n
from retouch.core.paths import resources_dir

log = logging.getLogger(__name__)

#: Languages shipped: code → the language's own name (as Settings lists it).
LANGUAGES = {"en": "English", "de": "Deutsch"}
SOURCE_LANGUAGE = "en"


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``QCoreApplication.translate``: for strings outside a QObject method."""
    return QCoreApplication.translate(context, text, disambiguation, n)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks *text* for the catalogue without translating it (a table of strings made before
    the language is known); ``translate(context, text)`` where it is shown."""
    return text


def plural(text: str, n: int) -> str:
    """English plurals for a numerus string left untranslated ("%n image(s)" → "1 image",
    "3 images"): the catalogues give every other language its forms, English has none
    loaded. Wrap the ``tr``/``translate`` call: ``plural(self.tr("%n run(s)", "", n), n)``."""
    return text.replace("(s)", "" if n == 1 else "s")


def catalogue_dir() -> Path:
    return resources_dir() / "i18n"


def pick_language(setting: str = "", ui_languages: list[str] | None = None) -> str:
    """The language to use: the setting when it names a shipped one, else the first of the
    system's UI languages that is shipped, else English."""
    if setting in LANGUAGES:
        return setting
    for tag in ui_languages if ui_languages is not None else QLocale.system().uiLanguages():
        code = tag.replace("_", "-").split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return SOURCE_LANGUAGE


_installed: list[QTranslator] = []
_language = SOURCE_LANGUAGE


def current_language() -> str:
    return _language


def install(app: QCoreApplication, setting: str = "") -> str:
    """Load the catalogues for the chosen language into *app* (replacing any loaded
    before); returns the language code used."""
    global _language
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    language = pick_language(setting)
    _language = language
    if language == SOURCE_LANGUAGE:
        core_i18n.set_translator(None)
        return language
    ours = QTranslator(app)
    if ours.load(f"retouch_{language}", str(catalogue_dir())):
        app.installTranslator(ours)
        _installed.append(ours)
    else:
        log.warning("no catalogue for %s in %s", language, catalogue_dir())
    qt = QTranslator(app)
    qt_dirs = [catalogue_dir(), Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    if any(qt.load(f"qtbase_{language}", str(folder)) for folder in qt_dirs):
        app.installTranslator(qt)
        _installed.append(qt)
    core_i18n.set_translator(QCoreApplication.translate)
    QLocale.setDefault(QLocale(language))
    return language
