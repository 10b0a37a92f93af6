"""Unconsented names kept out of what contributors write.

Names are found as whole words, in any case, with any spacing or hyphens between
their parts, after Unicode normalisation, so that "Hendrika  verborgen" on two lines
still counts as the name "Hendrika Verborgen". A quick look at which words a text holds
(`NameFinder.might_name`) spares most texts the search itself.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
import unicodedata
from collections.abc import Callable, Mapping

from regioverhalen.content.reading import Positions

# Characters that show nothing: a soft hyphen (which word processors put into pasted text),
# zero-width spaces and joiners, direction marks and embeddings, invisible operators, variation
# selectors, the byte order mark. A name with one of them inside still reads as the name.
_INVISIBLE_CHARACTERS = (
    "\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufe00-\ufe0f\ufeff"
)
_INVISIBLE_CHARACTER_RE = re.compile(f"[{_INVISIBLE_CHARACTERS}]")
#: Any character reference: Python-Markdown passes them through, and the browser shows what they name.
_CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});")
# Between the parts of a name (in the text as a reader sees it): spaces of any kind, line ends,
# hyphens, underscores, apostrophes and Markdown emphasis, all of which still read as the name.
_NAME_GAP = r"(?:[\s\-_*'\u2018\u2019])+"
_WORD = re.compile(r"\w+")
#: Blanks every byte that is not an ASCII word character (so every byte of a non-ASCII
#: character too): split, casefolded UTF-8 text gives its ASCII words.
_ASCII_WORDS_ONLY = bytes(b if b < 128 and _WORD.fullmatch(chr(b)) else ord(" ") for b in range(256))


def _latin1_casefold_table() -> tuple[bytes, tuple[bytes, ...]]:
    """A table that casefolds Latin-1 text byte by byte, and the characters it cannot fold
    (ß and µ: their casefolds are not Latin-1 characters)."""
    folds = [chr(b).casefold() for b in range(256)]
    outside = [b for b, fold in enumerate(folds) if len(fold) != 1 or ord(fold) > 255]
    table = bytes(b if b in outside else ord(fold) for b, fold in enumerate(folds))
    return table, tuple(bytes([b]) for b in outside)


_LATIN1_CASEFOLD, _LATIN1_FOLDS_OUTSIDE = _latin1_casefold_table()


def _casefolded_utf8(text: str) -> bytes:
    """UTF-8 of `text` in NFC, casefolded; fast for text within Latin-1, which NFC leaves as it is."""
    try:
        latin1 = text.encode("latin-1")
    except UnicodeEncodeError:
        return _utf8(_nfc(text).casefold())
    if any(character in latin1 for character in _LATIN1_FOLDS_OUTSIDE):
        return _utf8(text.casefold())
    return latin1.translate(_LATIN1_CASEFOLD).decode("latin-1").encode()


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@functools.lru_cache(maxsize=1024)  # compiled when first needed, which for most names is never
def _name_pattern(name: str) -> re.Pattern[str]:
    """The name's words, with any gap between them, and whatever the name itself has there
    (the apostrophe of "O'Brien", the full stop of "J. Jansen")."""
    parts = []
    words = list(_WORD.finditer(name))
    for index, word in enumerate(words):
        if index:
            previous = words[index - 1]
            own = "".join(sorted({re.escape(c) for c in name[previous.end() : word.start()] if not c.isspace()}))
            parts.append(f"(?:{_NAME_GAP}|[{own}])+" if own else _NAME_GAP)
        parts.append(re.escape(word.group()))
    return re.compile(rf"(?<!\w){''.join(parts)}(?!\w)", re.IGNORECASE)


class NameFinder:
    """Finds participants' names in text; built once for a set of names (name -> participant id)."""

    def __init__(self, names: Mapping[str, str]) -> None:
        #: (words casefolded, name in NFC, participant id)
        self._names: list[tuple[frozenset[str], str, str]] = []
        for name, participant_id in sorted(names.items()):
            words = _WORD.findall(_nfc(name).casefold())
            if not words:
                continue
            self._names.append((frozenset(words), _nfc(name), participant_id))
        # For `might_name`: each name's words in UTF-8, and all of them split into ASCII and other.
        self._encoded_names = [frozenset(_utf8(word) for word in words) for words, _, _ in self._names]
        every_word = frozenset().union(*self._encoded_names)
        self._ascii_words = frozenset(word for word in every_word if word.isascii())
        self._other_words = sorted(every_word - self._ascii_words)

    def __bool__(self) -> bool:
        return bool(self._names)

    def might_name(self, text: str) -> bool:
        """False only if `find` finds nothing in `text`, at a fraction of its cost; so one look
        at all of a story's texts together spares most stories a closer one.

        `find` needs every word of a name among the words of the casefolded text. An ASCII
        word is then one of the runs left when everything but ASCII word characters is blanked,
        and any other word is at least a part of the text.
        """
        if not self._names:
            return False
        data = _casefolded_utf8(_visible(text))
        present = self._ascii_words.intersection(data.translate(_ASCII_WORDS_ONLY).split())
        present |= {word for word in self._other_words if word in data}
        return any(words <= present for words in self._encoded_names)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(line, column, participant id) for every place a name occurs."""
        if not self._names or not text:
            return []
        # Names are looked for in the text as a reader sees it; positions are in the text as written.
        view = _ReadersView(text)
        # Cheap first: only names whose every word occurs in the text can match.
        words = set(_WORD.findall(view.text.casefold()))
        hits = []
        position: Positions | None = None
        for name_words, name, participant_id in self._names:
            if not name_words <= words:
                continue
            for match in _name_pattern(name).finditer(view.text):
                position = position or Positions(text)
                hits.append((*position(view.written_index(match.start())), participant_id))
        return sorted(hits)


def _visible(text: str) -> str:
    """`text` as a reader sees it (see `_ReadersView`)."""
    return _ReadersView(text).text


class _ReadersView:
    """A text as a reader sees it, in NFC: character references shown as what they name, and
    characters that show nothing left out; with where each of its characters stands in the text
    as written.

    Most texts are their own view, and are passed by with quick looks: an ASCII or Latin-1 text
    can hold only the soft hyphen of the invisible characters, only a text with '&' can hold a
    reference, and most texts are in NFC already.
    """

    def __init__(self, written: str) -> None:
        self._written_starts: list[int] = []
        self._view_starts: list[int] = []
        text = written
        hidden = False
        if not text.isascii():
            try:
                text.encode("latin-1")  # Latin-1 text is in NFC, and of the invisible characters holds one
                hidden = "\u00ad" in text
            except UnicodeEncodeError:
                if not unicodedata.is_normalized("NFC", text):
                    text = self._from_pieces(written, _nfc_pieces(written))
                hidden = _INVISIBLE_CHARACTER_RE.search(text) is not None
        if hidden or "&" in text:
            changes = [(m.start(), m.end(), "") for m in _INVISIBLE_CHARACTER_RE.finditer(text)] if hidden else []
            for ref in _CHARACTER_REFERENCE.finditer(text) if "&" in text else ():
                shown = html.unescape(ref.group())
                if shown != ref.group():
                    changes.append((ref.start(), ref.end(), "" if _INVISIBLE_CHARACTER_RE.fullmatch(shown) else shown))
            if changes:
                text = self._from_pieces(text, changes)
        self.text = text

    def _from_pieces(self, source: str, changes: list[tuple[int, int, str]]) -> str:
        """`source` with the (start, end, shown) changes made, and the position map extended."""
        parts: list[str] = []
        starts: list[tuple[int, int]] = []
        at = length = 0
        for start, end, shown in sorted(changes):
            if start < at:  # inside a change already made (an invisible character in a reference)
                continue
            starts += [(at, length), (start, length + start - at)]
            parts += [source[at:start], shown]
            length += start - at + len(shown)
            at = end
        starts.append((at, length))
        parts.append(source[at:])
        # Compose with the map so far: a position in `source` is itself mapped to the written text.
        self._written_starts = [self.written_index(written) for written, _ in starts]
        self._view_starts = [view for _, view in starts]
        return "".join(parts)

    def written_index(self, index: int) -> int:
        """Where the character at `index` of this view stands in the text as written."""
        if not self._view_starts:
            return index
        piece = bisect.bisect_right(self._view_starts, index) - 1
        offset = index - self._view_starts[piece]
        following = self._written_starts[piece + 1] if piece + 1 < len(self._written_starts) else None
        written = self._written_starts[piece] + offset
        # Within a change (a reference shown as a character), the change's own start.
        return (
            min(written, following - 1)
            if following is not None and following > self._written_starts[piece]
            else written
        )


def _nfc_pieces(text: str) -> list[tuple[int, int, str]]:
    """Changes that make `text` NFC: each run of a starter and the marks after it, composed,
    where that differs."""
    changes = []
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or unicodedata.combining(text[index]) == 0:
            run = text[start:index]
            composed = unicodedata.normalize("NFC", run)
            if composed != run:
                changes.append((start, index, composed))
            start = index
    return changes


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # YAML's escapes can make lone surrogates


def text_values(
    data: object, skip: Callable[[tuple[str | int, ...]], bool], loc: tuple[str | int, ...] = ()
) -> list[tuple[tuple[str | int, ...], str]]:
    """(location, text) for every string in parsed YAML, except under locations `skip` accepts."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    _collect_text(data, skip, loc, found)
    return found


def _collect_text(
    data: object,
    skip: Callable[[tuple[str | int, ...]], bool],
    loc: tuple[str | int, ...],
    found: list[tuple[tuple[str | int, ...], str]],
) -> None:
    if skip(loc):
        return
    if isinstance(data, str):
        found.append((loc, data))
    elif isinstance(data, dict):
        for key, value in data.items():
            _collect_text(value, skip, (*loc, key), found)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _collect_text(value, skip, (*loc, index), found)
