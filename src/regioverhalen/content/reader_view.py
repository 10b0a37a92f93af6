"""A text as a reader sees it: markup inside or between words left out, character references
and URL escapes decoded, right-to-left overrides undone, and every character folded (NFKC,
accents removed, invisible and format characters removed, look-alike letters from other
scripts mapped by the Unicode confusables table that `confusable_homoglyphs` keeps), each
change mapped back to where it was written. Case is kept: the name search needs it."""

from __future__ import annotations

import codecs
import functools
import html
import re
import unicodedata
import urllib.parse
from typing import Any

from regioverhalen.content.text_view import TextView

# Characters that are never shown: the Unicode categories Cf (format: soft hyphen, zero-width
# characters, direction marks and overrides, tag characters), Mn/Me (combining marks, which
# includes variation selectors), Cn (not assigned yet: browsers show many as nothing) and Co
# (private use: no font of the site draws them), control characters other than whitespace, and
# these blank letters, which are category Lo or So.
_BLANK_LETTERS = frozenset("\u2800\u3164\u115f\u1160\uffa0\u17b4\u17b5")
_HIDDEN_CATEGORIES = frozenset({"Cf", "Mn", "Me", "Cn", "Co"})
_RLO, _PDF = "\u202e", "\u202c"
_ASCII_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f]")

# Markup that a reader never sees: comments and tags (inline ones join the letters around them,
# others separate like a space) and Markdown emphasis or code marks inside a word.
# (Each pattern starts with a character, not a group or a look-behind: the regular expression
# engine then skips to where that character stands, several times faster on long texts.)
_COMMENT_OR_TAG = re.compile(r"<(?:!--[^\x00]*?(?:-->|(?=\x00)|$)|/?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>\x00]*)?/?>)")
_INLINE_TAGS = frozenset(
    ("a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins", "kbd", "mark")
    + ("q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr")
    + ("tspan", "textpath")  # an SVG text's runs, drawn on one line
)
_MARKS = [re.compile(rf"\{mark}\{mark}*(?=\w)") for mark in "*`_~"]  # not '+': that starts with a repeat
_REFERENCE = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]{1,31};?)")
_ESCAPES = re.compile(r"%[0-9A-Fa-f]{2}(?:%[0-9A-Fa-f]{2})*")
_OVERRIDE = re.compile(f"{_RLO}([^{_PDF}\n]*)(?:{_PDF}|$)", re.MULTILINE)


@functools.cache
def _confusables() -> dict[str, Any]:
    from confusable_homoglyphs import confusables  # type: ignore[import-untyped]

    data: dict[str, Any] = confusables.confusables_data
    return data


@functools.cache
def fold_character(char: str, look_alikes: bool = True) -> str:
    """One character as its plain letters: '' for what shows nothing, 'e' for 'é' and 'е' (Cyrillic)."""
    category = unicodedata.category(char)
    if char in _BLANK_LETTERS or category in _HIDDEN_CATEGORIES or (category == "Cc" and not char.isspace()):
        return ""
    folded = "".join(
        c for c in unicodedata.normalize("NFD", unicodedata.normalize("NFKC", char)) if not unicodedata.combining(c)
    )
    if folded.isascii():
        return folded
    if not any(c.isalnum() for c in folded):  # a symbol or a space of another kind: a separator
        return " " * len(folded)
    if folded.lower() == "ß" or folded == "ẞ":
        return "ss"
    out = []
    for c in folded:
        glyphs = _confusables().get(c) if look_alikes and not c.isascii() else None
        ascii_look_alike = [g["c"] for g in glyphs or () if g["c"].isascii() and g["c"].isalnum()]
        out.append(ascii_look_alike[0] if ascii_look_alike else c)
    return "".join(out)


def _latin1_table() -> tuple[bytes, bytes]:
    """A byte table folding Latin-1 text one character for one, and the bytes it cannot fold so."""
    table = bytearray(range(256))
    special = bytearray()
    for byte in range(128, 256):
        folded = fold_character(chr(byte), look_alikes=False)  # Latin letters look like themselves
        if len(folded) == 1 and ord(folded) < 256:
            table[byte] = ord(folded)
        else:
            special.append(byte)
    return bytes(table), bytes(special)


_LATIN1_FOLD, _LATIN1_SPECIAL = _latin1_table()
_LATIN1_FOLD_MAP = {byte: chr(folded) for byte, folded in enumerate(_LATIN1_FOLD) if byte != folded}
_FOLDED_APART = re.compile("[^" + "".join(re.escape(chr(b)) for b in range(256) if b not in _LATIN1_SPECIAL) + "]")


def reader_view(text: str, markup: bool = True, mapped: bool = True) -> TextView:
    """`text` as a reader sees it (see the module's docstring), mapped back to where it was written.
    With `markup`, tags and Markdown marks are left out (a source file); without, the text is
    already what a page shows."""
    view = TextView(text, mapped)
    if markup and "<" in text:
        view.change(_tag_changes(view.text))
    marks = [m for pattern in _MARKS if markup and pattern.pattern[1] in view.text for m in pattern.finditer(view.text)]
    view.change([(m.start(), m.end(), "") for m in marks if m.start() and is_word_character(view.text[m.start() - 1])])
    if "&" in view.text:
        references = ((m, _unescaped(m.group())) for m in _REFERENCE.finditer(view.text))
        view.change([(m.start(), m.end(), shown) for m, shown in references if shown != m.group()])
    if "%" in view.text:
        view.change([(m.start(), m.end(), _unquoted(m.group())) for m in _ESCAPES.finditer(view.text)])
    if _ASCII_CONTROL.search(view.text):  # shown as nothing; the others are folded below
        view.change([(m.start(), m.end(), "") for m in _ASCII_CONTROL.finditer(view.text)])
    if not view.text.isascii():
        (_fold if mapped else _fold_unmapped)(view)
    return view


def is_word_character(char: str) -> bool:
    return char.isalnum() or char == "_"


def _tag_changes(text: str) -> list[tuple[int, int, str]]:
    changes = []
    for match in _COMMENT_OR_TAG.finditer(text):
        tag = (match.group(1) or "").lower()
        changes.append((match.start(), match.end(), "" if not tag or tag in _INLINE_TAGS else " "))
    return changes


@functools.lru_cache(maxsize=4096)
def _unescaped(reference: str) -> str:
    return html.unescape(reference)


def _unquoted(escapes: str) -> str:
    return urllib.parse.unquote(escapes, errors="replace")


#: What the quick view shows for a letter that folds to no Latin-1 (a Greek or Chinese letter).
_UNFOLDABLE = "\x1a"


def _fold_unencodable(error: UnicodeError) -> tuple[str, int]:
    """An encoding error handler: characters beyond Latin-1 folded, for a first look without a
    position map; what folds to no Latin-1 (a Greek or Chinese letter) becomes a control character."""
    assert isinstance(error, UnicodeEncodeError)
    folded = "".join(fold_character(c) for c in error.object[error.start : error.end])
    return "".join(c if ord(c) < 256 else _UNFOLDABLE for c in folded), error.end


codecs.register_error("regioverhalen-fold", _fold_unencodable)


def _fold_unmapped(view: TextView) -> None:
    """`_fold` for a first look, at the speed of encoding: no position map is kept. The view
    stays `exact` (its text the one `_fold` makes) unless a letter folded to no Latin-1 (which
    `_fold` keeps) or a character that folds to other than one character is in it (which
    `_fold`, unlike this, does not fold again after folding the others)."""
    if _RLO in view.text:
        view.change([(m.start(), m.end(), m.group(1)[::-1]) for m in _OVERRIDE.finditer(view.text)])
    unfoldable = view.text.count(_UNFOLDABLE)
    latin1 = view.text.encode("latin-1", errors="regioverhalen-fold")
    view.exact = latin1.count(_UNFOLDABLE.encode("latin-1")) == unfoldable
    for byte in _LATIN1_SPECIAL:
        if byte in latin1:
            view.exact = False
            latin1 = latin1.replace(bytes([byte]), fold_character(chr(byte)).encode("latin-1", "replace"))
    view.text = latin1.translate(_LATIN1_FOLD).decode("latin-1")


def _fold(view: TextView) -> None:
    """Fold every character: what is not Latin-1 (and the few Latin-1 characters that fold to
    other than one character) one by one, then the rest by a byte table, which keeps places."""
    if _RLO in view.text:  # what a right-to-left override reverses, a reader reads the other way round
        view.change([(m.start(), m.end(), m.group(1)[::-1]) for m in _OVERRIDE.finditer(view.text)])
    try:
        latin1: bytes | None = view.text.encode("latin-1")
    except UnicodeEncodeError:
        latin1 = None
    if latin1 is None or any(byte in latin1 for byte in _LATIN1_SPECIAL):
        found = _FOLDED_APART.finditer(view.text)
        view.change([(m.start(), m.end(), f) for m in found if (f := fold_character(m.group())) != m.group()])
        try:
            latin1 = view.text.encode("latin-1")
        except UnicodeEncodeError:  # letters of scripts that fold to none in Latin (Greek, CJK): kept
            view.text = view.text.translate(_LATIN1_FOLD_MAP)
            return
    view.text = latin1.translate(_LATIN1_FOLD).decode("latin-1")
