"""The messages an editor reads, in the site's language: one gettext catalogue for them all.

Messages are written in English in the code, as `_("...")` (or `N_` for a constant that is
translated where it is used, `ngettext` for counts); their Dutch lives in
locale/nl/LC_MESSAGES/regioverhalen.po, compiled beside it as regioverhalen.mo. The language is
chosen once per process (`use_language`): the command line from --lang or the site's
theme.language, the build from MkDocs' theme.language. A forked child keeps its parent's choice.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "regioverhalen"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
#: The languages with a catalogue; English is the code's own.
LANGUAGES = ("en", "nl")
#: Set to en or nl, it wins over the site's theme.language (the tests set en; --lang wins over it).
ENVIRONMENT_VARIABLE = "REGIOVERHALEN_LANG"

_active: gettext.NullTranslations = gettext.NullTranslations()
_active_language = "en"


def language_for(theme_language: object, requested: str | None = None) -> str:
    """The messages' language: `requested` (--lang) first, then the environment variable, then the
    site's theme.language; a language with a catalogue ('nl', 'nl_NL', 'nl-BE': Dutch), else English."""
    for choice in (requested, os.environ.get(ENVIRONMENT_VARIABLE), theme_language):
        if isinstance(choice, str) and choice.strip():
            code = choice.strip().lower().replace("-", "_").split("_")[0]
            return code if code in LANGUAGES else "en"
    return "en"


def use_language(language: str) -> None:
    """Make `language` ('nl' or 'en') the language of every message made from now on."""
    global _active, _active_language
    if language == _active_language:
        return
    if language == "en":
        _active = gettext.NullTranslations()
    else:
        _active = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])
    _active_language = language


def active_language() -> str:
    """The language messages are made in now ('en' or 'nl')."""
    return _active_language


def catalogue(language: str) -> Path:
    """The compiled catalogue of a language other than English."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def _(message: str) -> str:
    """`message` in the active language."""
    return _active.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message that fits `count`, in the active language."""
    return _active.ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks a constant for the catalogue; it is translated where it is used, with `_`."""
    return message
