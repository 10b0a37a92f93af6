"""Bounds on the work one story can cost the site engine, checked on its source.

Python-Markdown parses nested blocks (lists, quotes, `<div markdown>`) by recursion, so a story
nested a few hundred levels deep ends the build with a RecursionError; and it splits a block at
each heading underlined with `---` or `===` by parsing the rest of the block again, which costs
time that grows with the square of the number of such headings in one block. Both are refused
here, at their line, long before either matters to a real story.
"""

from __future__ import annotations

import re

from regioverhalen.content.messages import _
from regioverhalen.content.problems import Problem

#: Levels of lists, quotes and `<div markdown>` blocks around one line, together. Real stories
#: use three or four; the engine's recursion holds out to well over twice this in every mix.
MAX_NESTING = 64
#: Underlined headings in one block (lines without a blank line between them).
MAX_UNDERLINED_HEADINGS_PER_BLOCK = 200
#: Headings in one story: the table of contents makes each id unique by trying `-1`, `-2` ... in
#: turn, which for thousands of equal headings takes minutes.
MAX_HEADINGS = 500
#: Emphasis marks ('*', '_') in one block: emphasis nested thousands deep ends in a RecursionError.
MAX_EMPHASIS_MARKS_PER_BLOCK = 1000
#: Links and images in one paragraph or list item: Python-Markdown reads on from each of them to
#: the paragraph's end, so a paragraph of thousands takes minutes (as many, item by item in a
#: list, take little time); and in one story, whose paragraphs each just under the limit add up.
MAX_LINKS_PER_PARAGRAPH = 200
MAX_LINKS_PER_STORY = 2000

#: What opens a level at the start of a line: a quote mark or a list marker ("> - 1. text").
_LINE_PREFIX = re.compile(r"[ \t]*(?:(?:>|(?:[*+\-]|\d{1,9}[.)])(?=[ \t]|$))[ \t]*)+")
_LEVEL_MARK = re.compile(r">|[*+\-](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)")
_ATX_HEADING = re.compile(r"^[ ]{0,3}#{1,6}(?:[ \t]|$)", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n[ \t]*\n")
#: A list item's first line, as Python-Markdown reads one ('1)' starts none).
_LIST_ITEM = re.compile(r"^[ \t]*(?:[*+\-]|\d{1,9}\.)[ \t]", re.MULTILINE)
_BLOCK_TAG = re.compile(r"<(/?)(?:div|section|article|aside|details|figure|blockquote)(?=[\s>/])", re.IGNORECASE)
_UNDERLINE = re.compile(r"[ ]{0,3}(?:=+|-+)[ \t]*")
#: A line with room for more than half the levels in its prefix: each level takes at least one
#: character. The first line, then after each line break ('^' in MULTILINE mode is tried at every
#: character; a literal '\n' first is found by a fast scan).
_DEEP_PREFIX = re.compile(rf"[ \t>*+\-0-9.)]{{{MAX_NESTING // 2 + 1}}}")
_DEEP_PREFIX_AFTER_BREAK = re.compile(rf"\n[ \t>*+\-0-9.)]{{{MAX_NESTING // 2 + 1}}}")


def _indent_levels(line: str) -> int:
    width = 0
    for char in line:
        if char == " ":
            width += 1
        elif char == "\t":
            width += 4 - width % 4
        else:
            break
    return width // 4


def find_deep_nesting(body: str, body_line: int, path: str) -> list[Problem]:
    """The first line nested deeper than MAX_NESTING, if any (one report per story)."""
    # Most stories are passed by with two quick looks: with fewer block tags than half the
    # levels, a line nested too deep has more than half of them in its prefix.
    deep_prefix = _DEEP_PREFIX.match(body) or _DEEP_PREFIX_AFTER_BREAK.search(body)
    if body.count("<") <= MAX_NESTING // 2 and not deep_prefix:
        return []
    blocks = 0
    for number, line in enumerate(body.split("\n")):
        prefix = _LINE_PREFIX.match(line)
        depth = _indent_levels(line) + (len(_LEVEL_MARK.findall(prefix.group())) if prefix else 0)
        for tag in _BLOCK_TAG.finditer(line):
            blocks = max(0, blocks - 1) if tag.group(1) else blocks + 1
        if depth + blocks > MAX_NESTING:
            message = _(
                "this line is nested {depth} levels deep (lists, quotes and blocks together); "
                "at most {limit} can be built: flatten the structure"
            ).format(depth=depth + blocks, limit=MAX_NESTING)
            return [Problem(path, body_line + number, 1, message)]
    return []


def find_slow_headings(body: str, body_line: int, path: str) -> list[Problem]:
    """Blocks with so many underlined headings (`---`, `===`) that building them would take minutes."""
    problems: list[Problem] = []
    if body.count("-") + body.count("=") <= MAX_UNDERLINED_HEADINGS_PER_BLOCK:
        return problems
    count = 0
    first = 0
    for number, line in enumerate(body.split("\n")):
        if not line.strip():
            count = 0
            continue
        if number and _UNDERLINE.fullmatch(line):
            count += 1
            first = first if count > 1 else number
            if count == MAX_UNDERLINED_HEADINGS_PER_BLOCK + 1:
                problems.append(
                    Problem(
                        path,
                        body_line + first - 1,
                        1,
                        _(
                            "more than {limit} headings underlined with '---' or '===' "
                            "without a blank line between them would take very long to build; "
                            "put a blank line after each heading"
                        ).format(limit=MAX_UNDERLINED_HEADINGS_PER_BLOCK),
                    )
                )
    return problems


def find_heavy_inline(body: str, body_line: int, path: str) -> list[Problem]:
    """Stories with more headings than MAX_HEADINGS, blocks with more emphasis marks than
    MAX_EMPHASIS_MARKS_PER_BLOCK and paragraphs with more links than MAX_LINKS_PER_PARAGRAPH: one
    report each, at the heading, block or paragraph where the limit is passed."""
    problems: list[Problem] = _find_link_heavy_paragraph(body, body_line, path)
    if body.count("#") > MAX_HEADINGS:
        headings = list(_ATX_HEADING.finditer(body))
        if len(headings) > MAX_HEADINGS:
            line = body.count("\n", 0, headings[MAX_HEADINGS].start())
            message = _(
                "more than {limit} headings in one story would take very long to build; split the story"
            ).format(limit=MAX_HEADINGS)
            problems.append(Problem(path, body_line + line, 1, message))
    if body.count("*") + body.count("_") > MAX_EMPHASIS_MARKS_PER_BLOCK:
        for start, end in _blocks(body):
            if body.count("*", start, end) + body.count("_", start, end) > MAX_EMPHASIS_MARKS_PER_BLOCK:
                message = _(
                    "this paragraph has more than {limit} '*' and '_', which could nest "
                    "emphasis too deep to build; write '\\*' or '\\_' for a plain one"
                ).format(limit=MAX_EMPHASIS_MARKS_PER_BLOCK)
                problems.append(Problem(path, body_line + body.count("\n", 0, start), 1, message))
                break
    return problems


def _blocks(body: str) -> list[tuple[int, int]]:
    """Where each block of lines between blank lines starts and ends in `body`."""
    gaps = list(_BLANK_LINES.finditer(body))
    starts = [0, *(gap.end() for gap in gaps)]
    ends = [*(gap.start() for gap in gaps), len(body)]
    return list(zip(starts, ends, strict=True))


def _find_link_heavy_paragraph(body: str, body_line: int, path: str) -> list[Problem]:
    def links(start: int, end: int) -> int:  # inline (`](`) and by reference (`][`)
        return body.count("](", start, end) + body.count("][", start, end)

    total = links(0, len(body))
    if total > MAX_LINKS_PER_STORY:
        message = _(
            "more than {limit} links and images in one story would take very long to build; split the story"
        ).format(limit=MAX_LINKS_PER_STORY)
        return [Problem(path, body_line, 1, message)]
    if total <= MAX_LINKS_PER_PARAGRAPH:
        return []
    starts = []
    for start, end in _blocks(body):
        starts.append(start)
        # Only a block that starts as a list is read item by item: lines starting with '- '
        # after a line of text are part of its paragraph.
        if _LIST_ITEM.match(body, start):
            starts += [item.start() for item in _LIST_ITEM.finditer(body, start + 1, end)]
    for start, end in zip(starts, [*starts[1:], len(body)], strict=True):
        if links(start, end) > MAX_LINKS_PER_PARAGRAPH:
            message = _(
                "this paragraph has more than {limit} links and images, which would take very long to build; "
                "split it into shorter paragraphs, or make it a list"
            ).format(limit=MAX_LINKS_PER_PARAGRAPH)
            return [Problem(path, body_line + body.count("\n", 0, start), 1, message)]
    return []
