"""Checks that keep scripts and unconsented names out of story bodies."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Iterable

from regioverhalen.problems import Problem

#: Tags that run code or pull in other documents; never published unless allowed per site.
UNSAFE_TAGS = frozenset({"script", "iframe", "object", "embed", "frame", "frameset", "applet", "base", "form", "meta", "link", "style"})
_UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "srcdoc"})
_FENCE = re.compile(r"^\s*(```|~~~)")
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_MARKDOWN_LINK = re.compile(r"\]\(\s*<?\s*([a-zA-Z][a-zA-Z0-9+.\-]*:)", re.IGNORECASE)
_AUTOLINK = re.compile(r"<\s*(javascript|vbscript|data):", re.IGNORECASE)


def _without_code(body: str) -> list[str]:
    """Body lines with code blanked out (same length), so examples in code are not flagged."""
    lines = body.split("\n")
    in_fence = False
    result = []
    for line in lines:
        if _FENCE.match(line):
            in_fence = not in_fence
            result.append(" " * len(line))
        elif in_fence:
            result.append(" " * len(line))
        else:
            result.append(_INLINE_CODE.sub(lambda m: " " * len(m.group()), line))
    return result


class _UnsafeHtmlFinder(HTMLParser):
    def __init__(self, allowed_tags: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed_tags = allowed_tags
        self.found: list[tuple[int, int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, offset = self.getpos()
        if tag in UNSAFE_TAGS and tag not in self.allowed_tags:
            self.found.append((line, offset + 1, f"<{tag}> is not allowed in a story (it could run code on the site)"))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((line, offset + 1, f"event handler attribute '{name}' on <{tag}> is not allowed"))
            elif name in _URL_ATTRIBUTES and value and _is_unsafe_url(value):
                self.found.append((line, offset + 1, f"{name}=\"{value.strip()[:30]}\" on <{tag}>: '{_scheme(value)}' links are not allowed"))

    handle_startendtag = handle_starttag


def _scheme(url: str) -> str:
    return re.sub(r"\s", "", url).split(":", 1)[0].lower() + ":"


def _is_unsafe_url(url: str) -> bool:
    # Browsers ignore whitespace and control characters inside the scheme.
    compact = re.sub(r"[\s\x00-\x1f]", "", url).lower()
    return compact.startswith(_UNSAFE_SCHEMES)


def find_unsafe_html(body: str, body_line: int, path: str, allowed_tags: Iterable[str] = ()) -> list[Problem]:
    """Scripts, frames, event handlers and script links in a Markdown body, with their lines."""
    lines = _without_code(body)
    finder = _UnsafeHtmlFinder(frozenset(t.lower() for t in allowed_tags))
    finder.feed("\n".join(lines))
    finder.close()
    found = list(finder.found)
    for number, line in enumerate(lines, start=1):
        for match in _MARKDOWN_LINK.finditer(line):
            if _is_unsafe_url(match.group(1)):
                found.append((number, match.start(1) + 1, f"'{match.group(1).lower()}' links are not allowed"))
        for match in _AUTOLINK.finditer(line):
            found.append((number, match.start() + 1, f"'{match.group(1).lower()}:' links are not allowed"))
    return [Problem(path, body_line + line - 1, column, message) for line, column, message in sorted(set(found))]


def find_names(text: str, names: dict[str, str]) -> list[tuple[int, int, str]]:
    """(line, column, participant id) for every place one of `names` (name -> id) occurs as whole words."""
    hits = []
    for name, participant_id in names.items():
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
        for number, line in enumerate(text.split("\n"), start=1):
            for match in pattern.finditer(line):
                hits.append((number, match.start() + 1, participant_id))
    return sorted(hits)
