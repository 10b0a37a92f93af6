"""Keeping scripts out of what contributors write (unconsented names: consent.py).

Scripts are looked for twice:

- `find_unsafe_html` reads a story's Markdown source before anything is built, and
  names every script, frame, event handler and script link with its line and column.
  It looks everywhere, code included: whether a piece of text ends up as code depends
  on details of Markdown (a backslash before a backtick, a fence inside an HTML block)
  that a check on the source cannot settle, so it errs on the side of refusing.
- `find_unsafe_rendered` reads the HTML the site engine made of a story. It is the
  last gate: whatever the site's Markdown extensions turn into markup, no script
  reaches a page.

Both read HTML with the standard library's HTML parser. A few regular expressions
back it up where browsers and that parser disagree (`<scr<script>`) and find the
places where Markdown itself makes links and attributes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from html.parser import HTMLParser

from regioverhalen.content.consent import NameFinder, text_values
from regioverhalen.content.problems import Problem
from regioverhalen.content.reading import Positions

#: Kept importable from here, where they were.
__all__ = [
    "NameFinder",
    "find_slow_markdown",
    "find_unsafe_html",
    "find_unsafe_markdown",
    "find_unsafe_rendered",
    "text_values",
]

#: Tags that run code, pull in other documents or restyle the page; refused unless allowed per site.
UNSAFE_TAGS = frozenset(
    {
        "script",
        "iframe",
        "object",
        "embed",
        "frame",
        "frameset",
        "applet",
        "base",
        "form",
        "meta",
        "link",
        "style",
        "svg",
        "math",
    }
)
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")
#: Attributes whose value a browser follows or loads as a URL. (`srcdoc`, a whole page, is always refused.)
URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "poster",
        "srcset",
        "data",
        "background",
        "lowsrc",
        "dynsrc",
        "cite",
        "longdesc",
        "usemap",
        "codebase",
        "manifest",
        "icon",
        "ping",
    }
)

# Backups for the HTML parser, which reads `<scr<script>` as one odd tag where a browser,
# after Markdown, may see a script; and which a few broken constructs can stop.
_TAG_START = re.compile(r"<\s*([a-zA-Z][a-zA-Z0-9:-]*)(?=[\s/>]|$)")
_TAG_TEXT = re.compile(r"<[a-zA-Z][^<>]*>?")
_HANDLER_IN_TAG = re.compile(r"""(?:^|[\s/"'])(on[a-zA-Z]+)\s*=""")

# Where Markdown makes a link: inline `[text](url)` and `![alt](url)`, the `[id]: url`
# of a reference link, and `<url>`.
_INLINE_LINK = re.compile(r"\]\(\s*<?([^\s>)]*(?:>[^\s)]*)?)")
_INLINE_ANGLE_LINK = re.compile(r"\]\(\s*<([^<>]*)>")
_REFERENCE = re.compile(r"^[ ]{0,3}\[[^\[\]]*\]:[ \t]*\n?[ \t]*<?(\S+)", re.MULTILINE)
_AUTOLINK = re.compile(r"<\s*([a-zA-Z][a-zA-Z0-9+.\-\s]*:)")
# Python-Markdown's attribute lists: `{: #id .class key=value }` after a heading, link or block.
_ATTR_LIST = re.compile(r"\{:?[ ]*([^{}\n ][^{}\n]*)\}")
_NOT_MARKUP = re.compile(r"<(?!/?[a-zA-Z][^<>]*>)")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def _compact(url: str) -> str:
    """A URL as a browser reads its scheme: entities decoded, whitespace and controls dropped."""
    return _CONTROL.sub("", html.unescape(url)).lower()


def is_unsafe_url(url: str) -> bool:
    return _compact(url).startswith(UNSAFE_SCHEMES)


def _scheme(url: str) -> str:
    return _compact(url).split(":", 1)[0] + ":"


def _tag_message(tag: str) -> str:
    return f"<{tag}> is not allowed in a story (it could run code on the site)"


def _handler_message(name: str, tag: str) -> str:
    return f"event handler attribute '{name}' on <{tag}> is not allowed"


def _url_message(name: str, value: str, tag: str) -> str:
    shown = value.strip()[:30]
    return f"{name}=\"{shown}\" on <{tag}>: '{_scheme(value)}' links are not allowed"


class _UnsafeHtmlFinder(HTMLParser):
    def __init__(self, allowed_tags: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed_tags = allowed_tags
        self.found: list[tuple[int, int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, offset = self.getpos()
        if tag in UNSAFE_TAGS and tag not in self.allowed_tags:
            self.found.append((line, offset + 1, _tag_message(tag)))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((line, offset + 1, _handler_message(name, tag)))
            elif name == "srcdoc":  # a whole page inside the frame, scripts and all, even on an allowed <iframe>
                self.found.append(
                    (line, offset + 1, f"attribute 'srcdoc' on <{tag}> is not allowed (it could run code)")
                )
            elif name in URL_ATTRIBUTES and value and is_unsafe_url(value):
                self.found.append((line, offset + 1, _url_message(name, value, tag)))

    handle_startendtag = handle_starttag


def _scan_html(text: str, allowed_tags: frozenset[str]) -> list[tuple[int, int, str]]:
    """(line, column, message) for every unsafe tag and attribute in `text`, read as HTML."""
    found: list[tuple[int, int, str]] = []
    finder = _UnsafeHtmlFinder(allowed_tags)
    try:
        # The parser reads only complete tags: every other '<' is blanked (same length, so
        # positions hold). Comments and declarations are thus read as text, so they hide
        # nothing, and the parser's slow paths for broken markup are never taken.
        finder.feed(_NOT_MARKUP.sub(" ", text))
        finder.close()
    except AssertionError:
        pass  # a construct such as "<![ x" stops the parser; the backups below still read everything
    found += finder.found
    position = Positions(text)
    for match in _TAG_START.finditer(text):
        tag = match.group(1).lower()
        if tag in UNSAFE_TAGS and tag not in allowed_tags:
            found.append((*position(match.start()), _tag_message(tag)))
    for match in _TAG_TEXT.finditer(text):
        tag = match.group().lstrip("<").split(None, 1)[0].split("/", 1)[0].rstrip(">").lower()
        for handler in _HANDLER_IN_TAG.finditer(match.group(), len(tag) + 1):
            found.append((*position(match.start()), _handler_message(handler.group(1).lower(), tag)))
    return _dedupe(found)


def _dedupe(found: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """One report per problem and place, even when the parser and a backup both saw it."""
    return sorted(set(found))


def _scan_markdown(text: str) -> list[tuple[int, int, str]]:
    """Script links and event handlers that Markdown syntax (not HTML) would put on a page.

    Every match holds a ']' (of a link or a reference), '<' or '{'; most stories hold none of
    these, and looking for them first costs next to nothing."""
    found: list[tuple[int, int, str]] = []
    if "]" not in text and "<" not in text and "{" not in text:
        return found
    position = Positions(text)
    for pattern in (_INLINE_LINK, _INLINE_ANGLE_LINK, _REFERENCE):
        for match in pattern.finditer(text):
            if is_unsafe_url(match.group(1)):
                found.append((*position(match.start(1)), f"'{_scheme(match.group(1))}' links are not allowed"))
    for match in _AUTOLINK.finditer(text):
        if is_unsafe_url(match.group(1)):
            found.append((*position(match.start()), f"'{_scheme(match.group(1))}' links are not allowed"))
    if "{" not in text:
        return found
    # Imported here: Markdown takes longer to import than a check of most sites takes to read them.
    from markdown.extensions.attr_list import get_attrs_and_remainder  # type: ignore[import-untyped,unused-ignore]

    for match in _ATTR_LIST.finditer(text):
        attrs, _ = get_attrs_and_remainder(match.group(1))
        for name, value in attrs:
            name = name.lower()
            if name.startswith("on"):
                found.append(
                    (*position(match.start()), f"event handler attribute '{name}' in an attribute list is not allowed")
                )
            elif name == "srcdoc":
                found.append((*position(match.start()), "attribute 'srcdoc' in an attribute list is not allowed"))
            elif name in URL_ATTRIBUTES and value and is_unsafe_url(value):
                found.append(
                    (
                        *position(match.start()),
                        f'{name}="{value.strip()[:30]}" in an attribute list: '
                        f"'{_scheme(value)}' links are not allowed",
                    )
                )
    return found


def find_unsafe_html(body: str, body_line: int, path: str, allowed_tags: Iterable[str] = ()) -> list[Problem]:
    """Scripts, frames, event handlers and script links in a Markdown body, with their lines."""
    found = _scan_markdown(body)
    if "<" in body:  # without one there is no tag, and the HTML parser is the slowest part
        found += _scan_html(body, frozenset(t.lower() for t in allowed_tags))
    return [Problem(path, body_line + line - 1, column, message) for line, column, message in _dedupe(found)]


def find_unsafe_markdown(text: str) -> list[str]:
    """Messages for script links and event handlers in contributor Markdown whose raw HTML is
    escaped anyway (a region's description): only what Markdown syntax itself can make."""
    return [message for _, _, message in _dedupe(_scan_markdown(text))]


def find_unsafe_rendered(rendered: str, allowed_tags: Iterable[str] = ()) -> list[str]:
    """Messages for every script, frame, event handler and script link in rendered HTML."""
    if not might_be_unsafe(rendered):
        return []
    allowed = frozenset(t.lower() for t in allowed_tags)
    return list(dict.fromkeys(message for _, _, message in _scan_html(rendered, allowed)))


# A quick look at rendered HTML, on its lowercased text (case-sensitive patterns are several
# times faster): parsing every story page took a twelfth of a build, and almost none has any of this.
_UNSAFE_TAG_START = re.compile(r"<\s*(?:" + "|".join(sorted(UNSAFE_TAGS)) + r")")
_HANDLER_WITH_VALUE = re.compile(r"on[^\s/>=]*\s*=")
#: An attribute starting with 'on' where a parser starts a name: after a space, a '/' or a whole quoted value.
_HANDLER_IN_A_TAG = re.compile(r"""<[a-z](?:"[^"]*"|'[^']*'|[^>"'])*?(?<=[\s/"'])on""")
#: A value that could spell a script scheme: it starts (after controls) with an entity, j, v or d.
_SCHEME_LIKE_VALUE = re.compile(r"""=+\s*["']?[\x00-\x20\x7f]*[&jvd]""")
_NAME_AT_END = re.compile(r"[a-z:]+$")
_URL_ATTRIBUTE_ENDINGS = tuple(URL_ATTRIBUTES)


def might_be_unsafe(rendered: str) -> bool:
    """False only for HTML in which the precise scan can find nothing: no unsafe tag, no
    attribute starting with 'on', no srcdoc, and no URL attribute whose value could spell a
    script scheme."""
    text = rendered.lower()
    if (
        "srcdoc" in text
        or _UNSAFE_TAG_START.search(text)
        or _HANDLER_WITH_VALUE.search(text)
        or _HANDLER_IN_A_TAG.search(text)
    ):
        return True
    for value in _SCHEME_LIKE_VALUE.finditer(text):
        end = value.start()
        while end and text[end - 1].isspace():  # the space a parser allows between name and '='
            end -= 1
        name = _NAME_AT_END.search(text, max(0, end - 12), end)
        if name and name.group().endswith(_URL_ATTRIBUTE_ENDINGS):
            return True
    return False


#: Python-Markdown looks for the end of a link, link target or tag by reading on from each
#: '[', '(' and '<'; a paragraph full of unclosed ones costs time that grows with the square
#: of its length (20,000 '[' take two minutes). This bounds the characters read per paragraph.
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
                        f"this paragraph has too many '{opener}' that are not closed soon after, so it would take "
                        "very long to build; "
                        f"close each '{opener}' with '{closer}', or write '\\{opener}' for a plain '{opener}'",
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
