"""Glossary terms explained where they are used: the first use of each term on a page is marked,
in the page's rendered HTML, with its plain explanation.

The marking is a link to the term on /begrippen/ (what a reader without JavaScript follows),
described by a tooltip that shows on keyboard focus and hover (CSS) and on a first tap
(assets/begrippen.js); screen readers read it as the link's description. Headings, links,
code and other places where a link cannot go are left alone.

Every term's forms are matched in one pass by one regular expression, built as a trie of the
forms: the cost is linear in the text, and at each position bounded by the longest form, not
by the number of terms.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence

from markupsafe import Markup

from regioverhalen.content.glossary import GlossaryTerm, lower_same_length, trie_pattern
from regioverhalen.site.templating import Templates

#: Elements whose text is never marked: a link inside them would be invalid or unwanted.
SKIPPED_ELEMENTS = frozenset(
    {
        *(f"h{level}" for level in range(1, 7)),
        *("a", "abbr", "button", "code", "dfn", "kbd", "label", "pre", "samp", "select", "summary"),
        *("math", "svg", "script", "style", "template", "textarea", "title", "option", "time"),
    }
)
#: Elements whose content is raw text: the next tag inside them is their own closing tag.
RAW_TEXT_ELEMENTS = frozenset({"script", "style", "textarea", "title"})
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
#: A class that keeps an element's text unmarked (the story's meta card, or any an editor marks).
SKIPPED_CLASS = re.compile(r"""\bclass\s*=\s*["'][^"']*\b(?:rv-metacard|rv-geen-begrippen|rv-begrip)\b""")

_MARKUP = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<[!?][^>]*>|<(/?)([a-zA-Z][\w:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.DOTALL,
)


@functools.cache
def _raw_text_end(name: str) -> re.Pattern[str]:
    return re.compile(f"</{name}", re.IGNORECASE)


class GlossaryMarker:
    """Finds and marks a glossary's terms in text and in rendered HTML."""

    def __init__(self, terms: Sequence[GlossaryTerm], templates: Templates | None = None) -> None:
        self.terms = {term.id: term for term in terms}
        self._term_markup = (templates or Templates()).macro("glossary_term")
        #: Forms written with a capital match only as written ('NPLG', 'Rijk'); the others in any case.
        self._exact: dict[str, str] = {}
        self._folded: dict[str, str] = {}
        for term in terms:
            for form in term.forms:
                key = " ".join(form.split())
                if key.lower() == key:
                    self._folded[key] = term.id
                else:
                    self._exact[key] = term.id
        # One pattern of every form in lower case, matched against the text in lower case: a
        # case-insensitive pattern, or one per kind of form, took several times as long.
        forms = {form.lower() for form in [*self._folded, *self._exact]}
        self._pattern = re.compile(rf"(?<![\w&#'’-]){trie_pattern(forms)}(?![\w'’-])") if forms else None

    def term_for(self, found: str) -> str | None:
        """The id of the term that a matched text is a form of."""
        key = " ".join(found.split())
        return self._exact.get(key) or self._folded.get(key.lower())

    def _matches(self, text: str) -> Iterator[tuple[int, int, str]]:
        """Start, end and term id of each use of a term in `text`."""
        assert self._pattern is not None
        for match in self._pattern.finditer(lower_same_length(text)):
            start, end = match.span()
            term_id = self.term_for(text[start:end])
            if term_id is not None:
                yield start, end, term_id

    def terms_in(self, text: str) -> set[str]:
        """The ids of the terms used in a text (a story's Markdown)."""
        if self._pattern is None:
            return set()
        return {term_id for _, _, term_id in self._matches(text)}

    def mark(self, page_html: str, glossary_url: str) -> str:
        """The page's HTML with the first use of each term marked; `glossary_url` is /begrippen/
        relative to the page."""
        if self._pattern is None:
            return page_html
        seen: set[str] = set()
        out: list[str] = []
        skipping: list[str] = []  # the open elements whose text is left alone, innermost last
        position = 0
        for tag in _MARKUP.finditer(page_html):
            text = page_html[position : tag.start()]
            out.append(self._mark_text(text, seen, glossary_url) if not skipping and text else text)
            out.append(tag.group())
            position = tag.end()
            closing, name = tag.group(1), (tag.group(2) or "").lower()
            if not name or name in VOID_ELEMENTS or (tag.group(3) or "").rstrip().endswith("/"):
                continue
            if closing:
                if name in skipping:
                    del skipping[len(skipping) - 1 - skipping[::-1].index(name) :]
            elif skipping or name in SKIPPED_ELEMENTS or SKIPPED_CLASS.search(tag.group(3) or ""):
                skipping.append(name)
            if name in RAW_TEXT_ELEMENTS and not closing:
                found = _raw_text_end(name).search(page_html, position)
                end = found.start() if found else len(page_html)
                out.append(page_html[position:end])
                position = end
        rest = page_html[position:]
        out.append(self._mark_text(rest, seen, glossary_url) if not skipping else rest)
        return "".join(out)

    def _mark_text(self, text: str, seen: set[str], glossary_url: str) -> str:
        if len(seen) == len(self.terms):
            return text
        out: list[str] = []
        position = 0
        for start, end, term_id in self._matches(text):
            if term_id not in seen:
                seen.add(term_id)
                term = self.terms[term_id]
                shown = str(self._term_markup(Markup(text[start:end]), term_id, term.explanation, glossary_url))
                out += [text[position:start], shown]
                position = end
        return "".join(out) + text[position:] if out else text
