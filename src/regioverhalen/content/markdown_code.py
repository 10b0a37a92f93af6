"""Code in contributor Markdown whose raw HTML must never reach a page (a region's description):
which code spans are code whatever reads them, so that all else can be escaped."""

from __future__ import annotations

import re

#: A code span on one line: a whole run of backticks that no backslash escapes, up to the next
#: run of the same length. Over a line break the block structure decides what the next line is
#: (a quote's indented code, a note, a rule, an HTML block): a span read there could be none.
#: Python-Markdown ends lines at `\r` too.
_ON_ONE_LINE = re.compile(r"(?<![`\\])(?P<ticks>`+)(?!`)[^\n\r]{0,2000}?(?<!`)(?P=ticks)(?!`)")
#: A line with nothing on it: Markdown's inline text never runs across one, except in code.
_BLANK_LINE = re.compile(r"(?:\r\n?|\n)[ \t]*(?=[\r\n])")


def sure_code_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` holds code spans that Markdown reads as code, as (start, end): spans on one
    line, in a paragraph whose every backtick they hold. Where a backtick is left over, Markdown
    may pair it with one of theirs (Python-Markdown 3.11 pairs a longer opening run with a
    shorter closing one), so none of that paragraph's spans is sure to be code."""
    spans: list[tuple[int, int]] = []
    start = 0
    for end in [*(blank.start() for blank in _BLANK_LINE.finditer(text)), len(text)]:
        found = [(span.start(), span.end()) for span in _ON_ONE_LINE.finditer(text, start, end)]
        if text.count("`", start, end) == sum(text.count("`", left, right) for left, right in found):
            spans += found
        start = end
    return spans
