"""The links in a story's Markdown as Markdown finds them: inline links and images (a target may
hold balanced brackets: `foto(1).png`; a link may hold an image: `[![klein](klein.png)](groot.png)`),
reference definitions and the links of HTML elements, but not in comments or code, which no
reader sees. What they lead to is for the caller to decide (content/picture_links.py,
content/story_links.py)."""

from __future__ import annotations

import re

from regioverhalen.content.html_check import REFERENCE_DEFINITION

#: What no reader sees: HTML comments, fenced code blocks and code spans.
_HIDDEN = re.compile(
    r"<!--.*?(?:-->|\Z)|^[ \t]{0,3}(```|~~~).*?(?:^[ \t]{0,3}\1[^\n]*$|\Z)|(`+)(?!`).{0,2000}?\2",
    re.DOTALL | re.MULTILINE,
)
#: A backslash before ASCII punctuation in Markdown stands for that character: `foto\\(1\\).png`.
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_HTML_LINK = re.compile(r"""<(?:img|a|source)\b[^<>]*?\b(?:src|href)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


def link_targets(text: str) -> list[tuple[int, str, bool]]:
    """(where the target starts in `text`, the target, whether it is in HTML) for every link
    and image a reader gets, in the order they are written."""
    shown = _HIDDEN.sub(lambda hidden: re.sub(r"[^\n]", " ", hidden.group()), text)
    found = [(offset, _unescaped(target), False) for offset, target in _markdown_targets(shown)]
    found += [(m.start(2), _unescaped(m.group(2)), False) for m in REFERENCE_DEFINITION.finditer(shown)]
    found += [(m.start(1), m.group(1), True) for m in _HTML_LINK.finditer(shown)]
    return sorted(found)


def _unescaped(target: str) -> str:
    return _MARKDOWN_ESCAPE.sub(r"\1", target) if "\\" in target else target


def _markdown_targets(text: str) -> list[tuple[int, str]]:
    """The target of every inline link and image, `](target "title")`, with where it starts."""
    targets = []
    start = text.find("](")
    while start != -1:
        following = text.find("](", start + 2)
        # A target ends before the next link's `](`: each part of the text is read once, however
        # many `](` a story holds.
        stop = len(text) if following == -1 else following
        at = _after_space(text, start + 2)
        if text.startswith("<", at):
            line_end = text.find("\n", at, stop)
            end = text.find(">", at, stop if line_end == -1 else line_end)  # no line break in `<…>`
            if end != -1:
                targets.append((at + 1, text[at + 1 : end]))
        else:
            depth, end = 0, at
            while end < stop and not text[end].isspace():
                if text[end] == "(":
                    depth += 1
                elif text[end] == ")":
                    if depth == 0:
                        break
                    depth -= 1
                end += 1
            if end > at:
                targets.append((at, text[at:end]))
        start = following
    return targets


def _after_space(text: str, at: int) -> int:
    """Where a link's target starts after its `(`: spaces and tabs, and one line break, as
    Markdown allows there, are left out."""
    line_break = False
    while at < len(text) and (text[at] in " \t" or (text[at] == "\n" and not line_break)):
        line_break = line_break or text[at] == "\n"
        at += 1
    return at
