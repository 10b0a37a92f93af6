"""Finding the names of participants who have not consented, however they are written.

A text is first read as a reader sees it (`reader_view`): markup inside or between words left
out, character references and URL escapes decoded, right-to-left overrides undone, and every
character folded (NFKC, accents removed, invisible and format characters removed, look-alike
letters from other scripts mapped by the Unicode confusables table that `confusable_homoglyphs`
keeps). Case is kept, because the rule for name parts that are also words needs it.

A name is then matched in every form it can be read in: whole ("Hendrika Zwanenburg", any case,
with any separators or none between its parts: "Hendrika·Zwanenburg", "#HendrikaZwanenburg",
"hendrika.zwanenburg@"), surname first ("Zwanenburg, Hendrika"), with initials
("H. Zwanenburg"), possessive ("Zwanenburgs"), and each part alone. A part that is also an
ordinary Dutch word (frequent in wordfreq's Dutch list) or shorter than three letters counts
alone only when written with a capital in running text (not at the start of a sentence,
heading or list item), or, for a surname, with a capital after its tussenvoegsel ("de Boer").
A name part that stands inside the full name of a participant who did consent is that person.

An Aho-Corasick automaton over every name part spares almost every text the matching itself.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import importlib.util
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from regioverhalen.content.reader_view import reader_view
from regioverhalen.content.text_view import positions

#: Words that stand between a Dutch first name and surname ("van der", "de", "ter").
TUSSENVOEGSELS = frozenset(
    ("van", "de", "der", "den", "het", "ter", "ten", "te", "in", "op", "aan", "bij", "uit", "von", "vom", "zu")
    + ("la", "le", "du", "da", "di", "del", "des", "dos", "'t", "'s", "d")
)
#: A name part at least this frequent in Dutch (Zipf scale: 3.5 is about 3 per million words)
#: is also an ordinary word ("boer", "smit", "bakker", "jan").
WORD_ZIPF = 3.5
#: Name parts shorter than this count as words too: "Bo", "Ed" are too easily part of something else.
SHORT_PART = 3
#: How far around a part of a name the whole name is looked for (characters of the reader's view).
WINDOW = 200
_SPACES = re.compile(r"\s*")

#: Joins texts for one quick look (`NameMatcher.might_name`): no markup reaches across it.
JOIN = "\n\x00\n"


def _name_parts(name: str) -> tuple[list[list[str]], list[str], list[str]]:
    """(first-name groups as their tokens, tussenvoegsel words, surname tokens) of a folded name."""
    groups = [re.findall(r"[^\W_]+", group) for group in name.split()]
    groups = [group for group in groups if group]
    if not groups:
        return [], [], []
    lowered = [" ".join(group).lower() for group in groups]
    first_tv = next((i for i, word in enumerate(lowered[:-1]) if word in TUSSENVOEGSELS), None)
    if first_tv is None:
        return groups[:-1], [], groups[-1]
    tv_end = first_tv
    while tv_end < len(groups) - 1 and lowered[tv_end] in TUSSENVOEGSELS:
        tv_end += 1
    surname = [token for group in groups[tv_end:] for token in group]
    return groups[:first_tv], [token for group in groups[first_tv:tv_end] for token in group], surname


# Between the parts of a name: up to a few characters that are neither letters, digits nor
# whitespace ('·', '/', '.', ',', '_', '-', quotes) with any whitespace around them, since a
# browser shows a run of spaces or line breaks as one space; or none at all; or a Markdown link
# target. (Possessive: whitespace is taken whole, never split between the parts of the pattern.)
_SEP = r"(?:\s*+(?:[^\w\s]\s*+|_\s*+){0,6}|[\W_]{0,3}\]\([^()\s]{0,300}\)[\W_]{0,3})"
_IN_GROUP = r"[\W_]{0,3}"
_POSSESSIVE = r"(?:['\u2019]?s)?"
# No look-behind for the start of a word: a pattern that starts with a letter is searched for
# many times faster; `_starts_word` checks the character before a match instead. Digits may
# follow a name, as long as no letter follows them: handles and tags are written so
# (`@ilsehoitink82`, `#IlseHoitink2024`); base64 data is not.
_RIGHT = r"(?!\d*[^\W\d_])"


def _token(variants: Iterable[str]) -> str:
    return "(?:" + "|".join(sorted(map(re.escape, set(variants)), key=len, reverse=True)) + ")"


#: How German spells an umlaut without it: a name with "ü" is also found written with "ue".
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def _key(tokens: list[str]) -> str:
    return " ".join(tokens).lower()


def _word_like(tokens: list[str]) -> bool:
    joined = "".join(tokens).lower()
    return len(joined) < SHORT_PART or (len(tokens) == 1 and joined in _dutch_words())


@functools.cache
def _dutch_words() -> frozenset[str]:
    """The Dutch words at least WORD_ZIPF frequent, from wordfreq's own Dutch word list (read
    from its data file: importing wordfreq costs more than a whole check of a small site)."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    data = Path(next(iter(spec.submodule_search_locations))) / "data" / "small_nl.msgpack.gz"
    import msgpack  # type: ignore[import-untyped]

    # The "cB" format: after a header, bucket i holds the words with a frequency of -i centibels.
    buckets = msgpack.unpackb(gzip.decompress(data.read_bytes()), raw=False)[1:]
    most = int(round((9 - WORD_ZIPF) * 100))
    return frozenset(word for bucket in buckets[: most + 1] for word in bucket)


@functools.cache
def _compiled(source: str) -> re.Pattern[str] | None:
    return re.compile(source) if source else None


class _Person:
    """The regular expressions of one name, over a reader's view (case-insensitive)."""

    def __init__(self, name: str, participant_id: str, shared: frozenset[str] = frozenset()) -> None:
        self.participant_id = participant_id
        name = unicodedata.normalize("NFC", name)
        firsts, tussen, surname = _name_parts(reader_view(name).text)
        spelled = _name_parts(reader_view(name.translate(_UMLAUTS)).text)
        # Each folded token with its spelling without umlauts (the same tokens, in the same order).
        self.part_keys = [_key(group) for group in [*firsts, surname]]
        flat = [t for group in [*firsts, tussen, surname] for t in group]
        other = [t for group in [*spelled[0], spelled[1], spelled[2]] for t in group]
        self.variants = {t: {t.lower(), o.lower()} for t, o in zip(flat, other, strict=False)}
        # What the quick look looks for: the parts that can name this person alone (a shared part
        # cannot, and the whole name has the others too), then any long enough, then any at all.
        own = [t for group in [*firsts, surname] if _key(group) not in shared for t in group]
        self.tokens = (
            {v for t in own for v in self.variants[t] if len(v) >= SHORT_PART}
            or {v for t in flat for v in self.variants[t] if len(v) >= SHORT_PART and t not in tussen}
            or {v for t in flat for v in self.variants[t]}
        )
        tv = _SEP.join(self._token(t) for t in tussen)
        sur = self._group(surname)
        sur_tv = f"(?:{tv}{_SEP})?{sur}" if tussen else sur
        whole: list[str] = []
        if firsts:
            first = _SEP.join(self._group(group) for group in firsts)
            initials = rf"{re.escape(firsts[0][0][0].lower())}\.?(?:{_IN_GROUP}[^\W\d_]\.)" + "{0,3}"
            whole += [f"{first}{_SEP}{sur_tv}", f"{sur_tv}{_SEP}{first}(?:{_SEP}{tv})?", f"{initials}{_SEP}{sur_tv}"]
        # Compiled when first needed (`_compiled`): most names are never near a text.
        self._whole = "(?:" + "|".join(whole) + f"){_POSSESSIVE}{_RIGHT}" if whole else ""
        # A part that a consenting participant's name has too counts only within the whole name.
        parts = [(self._group(group), _word_like(group)) for group in firsts if _key(group) not in shared]
        parts += [(sur_tv, _word_like(surname))] if _key(surname) not in shared else []
        alone = [pattern for pattern, word_like in parts if not word_like]
        self._alone = f"(?:{'|'.join(alone)}){_POSSESSIVE}{_RIGHT}" if alone else ""
        words = [pattern for pattern, word_like in parts if word_like]
        self._capital = f"(?:{'|'.join(words)}){_POSSESSIVE}{_RIGHT}" if words else ""
        self._after_tussen = (
            f"{tv}{_SEP}(?P<cap>{sur}){_POSSESSIVE}{_RIGHT}" if tussen and _key(surname) not in shared else ""
        )

    @property
    def whole(self) -> re.Pattern[str] | None:
        return _compiled(self._whole)

    @property
    def alone(self) -> re.Pattern[str] | None:
        return _compiled(self._alone)

    @property
    def capital(self) -> re.Pattern[str] | None:
        return _compiled(self._capital)

    @property
    def after_tussen(self) -> re.Pattern[str] | None:
        return _compiled(self._after_tussen)

    def _token(self, token: str) -> str:
        return _token(self.variants.get(token, {token.lower()}))

    def _group(self, tokens: list[str]) -> str:
        return _IN_GROUP.join(self._token(token) for token in tokens)

    def spans(self, lower: str, text: str, pos: int, endpos: int) -> list[tuple[int, int]]:
        """Where this name stands in `lower`, the lower case of `text` (of the same length)."""
        found = [m.span() for m in self.whole.finditer(lower, pos, endpos)] if self.whole is not None else []
        if self.alone is not None:
            found += [m.span() for m in self.alone.finditer(lower, pos, endpos)]
        if self.capital is not None:
            found += [
                m.span() for m in self.capital.finditer(lower, pos, endpos) if _capital_in_running_text(text, m.start())
            ]
        if self.after_tussen is not None:
            found += [
                m.span() for m in self.after_tussen.finditer(lower, pos, endpos) if text[m.start("cap")].isupper()
            ]
        return [(start, end) for start, end in found if _starts_word(lower, start)]


def _starts_word(text: str, start: int) -> bool:
    """Whether a name found at `start` starts a word. As after a name, an underscore, or digits
    with no letter before them, may come before it: `verslag_ilse_hoitink.pdf`, `#2024IlseHoitink`."""
    before = start
    while before > 0 and text[before - 1].isdigit():
        before -= 1
    return before == 0 or not text[before - 1].isalpha()


def _lower(text: str) -> str:
    """The lower case of `text`, of the same length (a letter whose lower case is longer is kept)."""
    lower = text.lower()
    return lower if len(lower) == len(text) else "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


#: A line that is a heading, or ends one: `## Kop`, a setext underline, `</h2>`, also in a quote.
_HEADING_LINE = re.compile(r"^[ >]*#|^[ >]*(?:=+|-+)[ \t]*$|</h[1-6]\s*>[ \t]*$", re.IGNORECASE)
_SENTENCE_END = frozenset(".!?:#>|-+*=\"'\u201c\u2018([")


def _capital_in_running_text(text: str, start: int) -> bool:
    """Whether the word at `start` is capitalised inside running text: after a word, not where a
    sentence, heading, paragraph or list item begins."""
    if not text[start].isupper():
        return False
    index = start - 1
    newlines = 0
    while index >= 0 and (text[index].isspace() or text[index] in "*_([\"'\u201c\u2018" or _quote_marker(text, index)):
        newlines += text[index] == "\n"
        index -= 1
    if index < 0:
        return False
    if newlines > 1:
        # A paragraph's start, but right after a heading the built page and its search index
        # run the heading's last word on into it ("De aanpak¶ Bakker"): counted as running text,
        # so that `check` finds what the scan of the built site would.
        return bool(_HEADING_LINE.search(text[text.rfind("\n", 0, index) + 1 : index + 1]))
    return text[index] not in _SENTENCE_END and (newlines == 0 or text[index] not in "-+*0123456789")


def _quote_marker(text: str, index: int) -> bool:
    """Whether the '>' at `index` marks a quoted line (only spaces and '>' before it on its line):
    the quote's paragraphs and headings are read as any others."""
    if text[index] != ">":
        return False
    return not text[text.rfind("\n", 0, index) + 1 : index].strip(" >")


class NameMatcher:
    """Finds the names of participants without consent (name -> participant id) in any text;
    names of participants with consent (`public`) excuse the name parts they share."""

    def __init__(self, hidden: Mapping[str, str], public: Iterable[str] = ()) -> None:
        self._hidden = dict(hidden)
        self._public = sorted(set(public) - set(hidden))

    def __getstate__(self) -> tuple[dict[str, str], list[str]]:
        return self._hidden, self._public  # the compiled parts are rebuilt where they are needed

    def __setstate__(self, state: tuple[dict[str, str], list[str]]) -> None:
        self._hidden, self._public = state

    def __bool__(self) -> bool:
        return bool(self._hidden)

    @functools.cached_property
    def key(self) -> bytes:
        """The same for two matchers that find the same names: a digest of the names looked for
        and of those that excuse their parts."""
        names = json.dumps([sorted(self._hidden.items()), self._public], ensure_ascii=False)
        return hashlib.blake2b(names.encode("utf-8", "surrogatepass"), digest_size=16).digest()

    @functools.cached_property
    def _people(self) -> list[_Person]:
        shared = frozenset(part for person in self._public_people for part in person.part_keys)
        return [_Person(name, pid, shared) for name, pid in sorted(self._hidden.items()) if name.strip()]

    @functools.cached_property
    def _public_people(self) -> list[_Person]:
        return [_Person(name, "") for name in self._public if name.strip()]

    @functools.cached_property
    def _latin1_names(self) -> bool:
        return all(ord(c) < 256 for token in self._automaton[1] for c in token)

    @functools.cached_property
    def _automaton(self) -> Any:
        import ahocorasick_rs

        tokens = sorted({token for person in self._people for token in person.tokens})
        return ahocorasick_rs.AhoCorasick(tokens or ["\x00"]), tokens

    def _candidates(self, view_text: str) -> tuple[list[_Person], list[tuple[int, int]]]:
        """The people a part of whose name occurs, and the stretches of text around those parts."""
        automaton, tokens = self._automaton
        lowered = _lower(view_text)
        try:
            matches = automaton.find_matches_as_indexes(lowered, overlapping=True)
        except UnicodeEncodeError:  # a lone surrogate (YAML's escapes can make one) is no letter
            matches = automaton.find_matches_as_indexes(lowered.encode("utf-8", "replace").decode(), overlapping=True)
        if not matches:
            return [], []
        found = {tokens[index] for index, _, _ in matches}
        people = [person for person in self._people if not person.tokens.isdisjoint(found)]
        windows: list[tuple[int, int]] = []
        for _, start, end in sorted(matches, key=lambda match: match[1]):
            # A run of spaces and line breaks beside a part counts as one space, as a browser
            # shows it: the window reaches as far past it as past one space.
            end = _SPACES.match(view_text, end).end()  # type: ignore[union-attr]
            while start and view_text[start - 1].isspace():
                start -= 1
            start, end = max(0, start - WINDOW), min(len(view_text), end + WINDOW)
            if windows and start <= windows[-1][1]:
                windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
            else:
                windows.append((start, end))
        return people, windows

    def might_name(self, text: str, markup: bool = True) -> bool:
        """False only if `find` finds nothing in `text`, at a fraction of its cost."""
        if not self._hidden:
            return False
        # The quick view turns letters that fold to no Latin-1 into a control character: a name
        # written in another script is looked for in the full view.
        return bool(self._candidates(reader_view(text, markup, mapped=not self._latin1_names).text)[0])

    def find(self, text: str, markup: bool = True) -> list[tuple[int, int, str]]:
        """(line, column, participant id) of every place a name stands in `text` as written."""
        if not self._hidden or not text:
            return []
        # The quick view first: where it reads as the full view does (`exact`), the names are
        # looked for in it, and the full view, which keeps a map of every change, is made only
        # to place what was found.
        quick = reader_view(text, markup, mapped=not self._latin1_names)
        candidates, windows = self._candidates(quick.text)
        if not candidates:
            return []
        if quick.exact:
            hits = self._hits(quick.text, candidates, windows)
            if not hits:
                return []
        if quick.mapped:
            view = quick
        else:
            view = reader_view(text, markup)
            candidates, windows = self._candidates(view.text)
            hits = self._hits(view.text, candidates, windows)
        if not hits:
            return []
        position = positions(text)
        return sorted((*position(view.written_index(start)), pid) for pid, found in hits.items() for start, _ in found)

    def _hits(
        self, text: str, candidates: list[_Person], windows: list[tuple[int, int]]
    ) -> dict[str, list[tuple[int, int]]]:
        hits: dict[str, list[tuple[int, int]]] = {}
        lower = _lower(text)
        for start, end in windows:
            self._hits_in(lower, text, start, end, candidates, hits)
        return hits

    def _hits_in(
        self,
        lower: str,
        text: str,
        pos: int,
        endpos: int,
        candidates: list[_Person],
        hits: dict[str, list[tuple[int, int]]],
    ) -> None:
        found = {person: person.spans(lower, text, pos, endpos) for person in candidates}
        if not any(found.values()):
            return
        # A part of a name inside another person's whole name is that person's.
        window = lower[pos:endpos]
        others = [p for p in self._public_people if any(token in window for token in p.tokens)]
        wholes = [
            (p, m.span())
            for p in [*candidates, *others]
            if p.whole
            for m in p.whole.finditer(lower, pos, endpos)
            if _starts_word(lower, m.start())
        ]
        for person, spans in found.items():
            for start, end in sorted(spans):
                if any(s <= start and end <= e and p is not person for p, (s, e) in wholes):
                    continue
                own = hits.setdefault(person.participant_id, [])
                if own and start < own[-1][1]:  # the same place, matched in two forms
                    own[-1] = (own[-1][0], max(end, own[-1][1]))
                else:
                    own.append((start, end))
