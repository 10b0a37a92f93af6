"""Keeping unconsented names out of what contributors write, and slow Markdown out of the build.

Scripts are kept out by an allowlist sanitizer (`html_policy.py`) on the HTML the site engine
makes; `html_check.py` tells editors at its line what it would remove.

Names are found as whole words, in any case, with any spacing or hyphens between
their parts, after Unicode normalisation, so that "Hendrika  verborgen" on two lines
still counts as the name "Hendrika Verborgen". A quick look at which words a text holds
(`NameFinder.might_name`) spares most texts the search itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from regioverhalen.content.messages import _
from regioverhalen.content.problems import Problem
from regioverhalen.content.reading import Positions

#: Python-Markdown looks for the end of a link, link target or tag by reading on from each
#: '[', '(' and '<'; a paragraph full of unclosed ones costs time that grows with the square
#: of its length. This bounds the characters read per paragraph.
MAX_MARKDOWN_SCAN = 300_000
_PAIRS = {"[": "]", "(": ")", "<": ">"}
_BRACKET_TOKEN = re.compile(r"\\.|[\[\]()<>]", re.DOTALL)
_BLOCK = re.compile(r"(?:[^\n]*\S[^\n]*(?:\n|$))+")


def find_slow_markdown(body: str, body_line: int, path: str) -> list[Problem]:
    """Paragraphs whose unclosed brackets would make rendering them take minutes."""
    problems: list[Problem] = []
    # A paragraph is only looked at closely with more than MAX_MARKDOWN_SCAN / its length openers
    # of a kind; no paragraph is longer than the body, or has more openers than all of it.
    if (_most_openers(body) - 1) * len(body) <= MAX_MARKDOWN_SCAN:
        return problems
    for block in _BLOCK.finditer(body):
        text = block.group()
        for opener, closer in _PAIRS.items():
            # Each opener costs at most the paragraph's length: most paragraphs need no closer look.
            if _count_openers(text, opener) * len(text) <= MAX_MARKDOWN_SCAN + len(text):
                continue
            cost, first_open = _scan_cost(text, opener, closer)
            # Brackets closed soon after cost at most the paragraph's length, once.
            if cost > MAX_MARKDOWN_SCAN + len(text):
                line, column = Positions(body)(block.start() + first_open)
                problems.append(
                    Problem(
                        path,
                        body_line + line - 1,
                        column,
                        _(
                            "this paragraph has too many '{opener}' that are not closed soon after, so it would take "
                            "very long to build; close each '{opener}' with '{closer}', or write '\\{opener}' for a "
                            "plain '{opener}'"
                        ).format(opener=opener, closer=closer),
                    )
                )
    return problems


def _most_openers(text: str) -> int:
    """No fewer than the openers of any one kind in `text`: ']' is counted for '(', as it is cheaper
    to count and there is one before every '(' that counts."""
    return max((text.count(mark) for mark in "[<]" if mark in text), default=0)


def _count_openers(text: str, opener: str) -> int:
    """How many `opener`s Markdown reads on from; a '(' only after ']', where it opens a link target."""
    return text.count("](") if opener == "(" else text.count(opener)


def _scan_cost(text: str, opener: str, closer: str) -> tuple[int, int]:
    """Characters Markdown reads from each `opener` to its `closer` (or the paragraph's end), and
    where the first unclosed one is. A '(' only counts after ']', where it opens a link target."""
    cost = 0
    stack: list[tuple[int, bool]] = []
    for token in _BRACKET_TOKEN.finditer(text):
        char = token.group()
        if char == opener:
            start = token.start()
            stack.append((start, opener != "(" or text[start - 1 : start] == "]"))
        elif char == closer and stack:
            start, counts = stack.pop()
            cost += token.start() - start if counts else 0
    unclosed = [start for start, counts in stack if counts]
    cost += sum(len(text) - start for start in unclosed)
    return cost, (unclosed[0] if unclosed else 0)


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
