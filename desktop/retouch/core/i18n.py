"""Translatable core messages, without Qt.

A message the window may show is written ``translate("core", "Saved {n} results.")
.format(n=…)``: a template with named fields, never an f-string, so the English template is
the key a translator sees. Until a translator is installed (the window installs Qt's, see
``retouch.ui.i18n``) ``translate`` returns the template unchanged, so the command line,
logs and sidecars stay English. ``pyside6-lupdate`` extracts these calls like the window's
own (the function is named ``translate`` for that reason).
"""

from __future__ import annotations

from collections.abc import Callable

Translator = Callable[[str, str], str]

_translator: Translator | None = None


def set_translator(translator: Translator | None) -> None:
    """Route ``translate`` through *translator* (None: English again)."""
    global _translator
    _translator = translator


def translate(context: str, text: str) -> str:
    """*text* in the user's language when the window installed a translator, else as is."""
    translator = _translator
    if translator is None:
        return text
    try:
        return translator(context, text)
    except Exception:  # noqa: BLE001 - a broken catalogue must never hide the message
        return text
