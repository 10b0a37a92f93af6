"""What the sanitizer would remove from a contributor's Markdown, found in the source with its line.

The sanitizer (`html_policy.sanitize`) is the guarantee: it runs on the HTML the site engine
makes, so nothing outside the policy reaches a page whatever this module misses. This module
is for editors: `regioverhalen check` reports, at its line and column, every tag, attribute and
link in the source that the sanitizer would drop, so that a story is fixed rather than quietly
changed. It reads the source with the same tables, and errs on the side of reporting: whether a
piece of text ends up as code depends on details of Markdown that a look at the source cannot
settle, so raw HTML is looked for everywhere, code included.

Every pattern here is linear in the text (bounded repetitions, no nested quantifiers), so a
hostile story costs milliseconds.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator

from regioverhalen.content.html_policy import (
    ALLOWED_TAGS,
    CONTRIBUTED_END,
    CONTRIBUTED_MARK,
    CONTRIBUTED_START,
    REMOVED_BY_MARKDOWN,
    RESERVED_CLASS_PREFIX,
    RESERVED_ID_PREFIX,
    URL_ATTRIBUTES,
    allowed_attributes,
    any_tag_attributes,
    url_problem,
)
from regioverhalen.content.messages import _
from regioverhalen.content.problems import Problem
from regioverhalen.content.reading import Positions

#: Tags that run code, pull in other documents or restyle the page: named as such.
CODE_TAGS = frozenset(
    {"script", "iframe", "object", "embed", "frame", "frameset", "applet", "base", "form", "meta", "link", "style"}
    | {"svg", "math", "template", "noscript"}
)
#: Attributes a browser takes a URL from, beyond the allowed ones; on any tag their scheme is named.
_OTHER_URL_ATTRIBUTES = frozenset({"action", "formaction", "xlink:href", "poster", "data", "background", "srcset"})

#: Read by the site's Markdown (md_in_html) and gone before the HTML is made.
_MARKDOWN_ATTRIBUTES = frozenset({"markdown"})

#: The longest quoted attribute value the check reads; a longer one is a problem of its own.
#: The bound keeps a tag with an unclosed quote from being read to the end of the text.
ATTRIBUTE_VALUE_LIMIT = 4096
#: A start tag as a browser reads it: quoted values may hold '<' and '>'. A value longer than
#: the bound ends the match early, at its opening quote.
_START_TAG = re.compile(
    r"<([a-zA-Z][a-zA-Z0-9-]*)(?=[\s/>]|$)"
    rf"((?:[^>\"']|\"[^\"]{{0,{ATTRIBUTE_VALUE_LIMIT}}}\"|'[^']{{0,{ATTRIBUTE_VALUE_LIMIT}}}')*)>?",
)
#: A comment that Python-Markdown could write out as one of the export's marks, whatever ends it
#: (it writes every comment it passes with `-->`, `<!--x--!>` too) and whatever characters it
#: removes from the text before it reads it stand in it.
_REMOVED_FIRST = f"[{re.escape(REMOVED_BY_MARKDOWN)}]*"
_EXPORT_MARK = re.compile(_REMOVED_FIRST.join([*map(re.escape, "<!--"), "(/?)", *map(re.escape, CONTRIBUTED_MARK)]))
_ATTRIBUTE = re.compile(r"""([^\s"'>/=][^\s"'>/=]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?""")
#: An event handler where a browser could start an attribute name, in any run of text after a tag name.
_TAG_TEXT = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)[^<>]*>?")
_HANDLER = re.compile(r"""(?:^|[\s/"'])(on[a-zA-Z]+)\s*=""")

# Where Markdown makes a link or image: inline `[text](url)`, `![alt](url)`, a reference
# definition `[id]: url` (also inside list items and quotes), and `<scheme:...>`.
#: The target up to its ')', line breaks included: a browser drops them from a URL ("java\nscript:").
_INLINE_LINK = re.compile(r"(!?)\[[^\[\]\n]{0,1000}\]\(\s*<?([^)]{0,500})")
_INLINE_ANGLE_LINK = re.compile(r"(!?)\[[^\[\]\n]{0,1000}\]\(\s*<([^<>]*)>")
REFERENCE_DEFINITION = re.compile(
    r"^[ \t>*+\-0-9.)]{0,40}\[([^\[\]\n]{1,1000})\]:[ \t]*\n?[ \t>]*<?([^\s>]+)", re.MULTILINE
)
#: An image by reference, `![alt][label]` or `![label]`: its definition's URL is an image's.
_IMAGE_REFERENCE = re.compile(r"!\[([^\[\]\n]{0,1000})\](?:\[([^\[\]\n]{0,1000})\])?")
_AUTOLINK = re.compile(r"<\s*([a-zA-Z][a-zA-Z0-9+.\-\s]{0,40}:)")
_ATTR_LIST_START = re.compile(r"\{")


def tag_message(tag: str) -> str:
    if tag in CODE_TAGS:
        return _("<{tag}> is not allowed in a story (it could run code on the site)").format(tag=tag)
    return _(
        "<{tag}> is not allowed in a story; the site would remove it (the editor's guide lists the tags you can use)"
    ).format(tag=tag)


def attribute_message(name: str, where: str) -> str:
    if name.startswith("on"):
        message = _("event handler attribute '{name}' {where} is not allowed")
    elif name == "style":
        message = _("attribute 'style' {where} is not allowed (the site's theme sets the look of every page)")
    elif name.startswith("data-pagefind"):
        message = _("attribute '{name}' {where} is not allowed (it gives orders to the site's search)")
    elif name == "srcdoc":
        message = _("attribute 'srcdoc' {where} is not allowed (it could run code)")
    else:
        message = _("attribute '{name}' {where} is not allowed; the site would remove it")
    return message.format(name=name, where=where)


#: What an id may be made of: a heading's id goes into the page's table of contents, a link.
_ID = re.compile(r"[\w.:-]+")


def _reserved(name: str, value: str, where: str) -> str | None:
    """Why the sanitizer drops a class or id that belongs to the site's theme, or why an id may
    not be used; None if neither."""
    if name == "id" and not _ID.fullmatch(html.unescape(value)):
        message = _("id '{id}' {where} may hold only letters, digits, '-', '_', '.' and ':'")
        return message.format(id=_shown(value), where=where)
    if name == "id" and value.startswith(RESERVED_ID_PREFIX):
        return _("id '{id}' {where} is reserved for the site's theme; the site would remove it").format(
            id=value, where=where
        )
    if name in ("class", "."):
        taken = [c for c in value.split() if c.startswith(RESERVED_CLASS_PREFIX)]
        if taken:
            message = _("class '{name}' {where} is reserved for the site's theme; the site would remove it")
            return message.format(name=taken[0], where=where)
    return None


def on_tag(tag: str) -> str:
    """Where an attribute stands, for a message: "on <a>"."""
    return _("on <{tag}>").format(tag=tag)


def _shown(value: str) -> str:
    return html.unescape(value).strip()[:30]


def _tag_problems(tag: str, attributes: str, allowed_tags: frozenset[str], remote_images: bool) -> Iterator[str]:
    if tag not in allowed_tags:
        yield tag_message(tag)  # removed whole; its event handlers are named by the pattern that finds them anywhere
        return
    allowed = allowed_attributes(tag) | _MARKDOWN_ATTRIBUTES
    for match in _ATTRIBUTE.finditer(attributes):
        name = match.group(1).lower()
        value = next((v for v in match.group(2, 3, 4) if v is not None), "")
        if name in URL_ATTRIBUTES | _OTHER_URL_ATTRIBUTES and value:
            problem = url_problem(tag, name, value, remote_images)
            if problem:
                yield f'{name}="{_shown(value)}" {on_tag(tag)}: {problem}'
                continue
        if name not in allowed:
            yield attribute_message(name, on_tag(tag))
        elif reserved := _reserved(name, value, on_tag(tag)):
            yield reserved


def _html_problems(text: str, allowed_tags: frozenset[str], remote_images: bool) -> Iterator[tuple[int, str]]:
    for match in _START_TAG.finditer(text):
        if text[match.start() - 2 : match.start()] == "](":  # `[text](<url>)`: a link target, read as one
            continue
        tag = match.group(1).lower()
        for message in _tag_problems(tag, match.group(2), allowed_tags, remote_images):
            yield match.start(), message
        if not match.group().endswith(">") and _value_past_limit(text, match.end()):
            too_long = _(
                "an attribute value {where} is longer than {limit} characters and cannot be checked; shorten it"
            )
            yield match.end(), too_long.format(where=on_tag(tag), limit=ATTRIBUTE_VALUE_LIMIT)
    for match in _TAG_TEXT.finditer(text):
        tag = match.group(1).lower()
        for handler in _HANDLER.finditer(match.group(), len(tag) + 1):
            yield match.start(), attribute_message(handler.group(1).lower(), on_tag(tag))
    for match in _EXPORT_MARK.finditer(text):
        mark = CONTRIBUTED_END if match.group(1) else CONTRIBUTED_START
        yield match.start(), _("{mark} marks a story's text in an export; a story may not write it").format(mark=mark)


def _value_past_limit(text: str, at: int) -> bool:
    """Whether a start tag's reading, stopped before its `>`, stopped at `at` on a quoted value
    longer than the limit (rather than at a quote that is never closed, which no browser reads
    as a value either)."""
    quote = text[at : at + 1]
    return quote in ("'", '"') and text.find(quote, at + 1) > at + ATTRIBUTE_VALUE_LIMIT


def reference_label(text: str) -> str:
    """A reference label as Markdown matches it: case and runs of spaces do not count."""
    return " ".join(text.split()).casefold()


def _link_problem(url: str, image: bool, remote_images: bool) -> str | None:
    return url_problem("img" if image else "a", "src" if image else "href", url, remote_images)


def _markdown_problems(text: str, remote_images: bool, angle_brackets: bool = True) -> Iterator[tuple[int, str]]:
    """Links, images and attributes that Markdown syntax (not HTML) would put on a page; with
    `angle_brackets` false, not those in `<…>`, whose `<` is escaped (a region's description)."""
    if "]" not in text and "<" not in text and "{" not in text:
        return
    for pattern in (_INLINE_LINK, _INLINE_ANGLE_LINK) if angle_brackets else (_INLINE_LINK,):
        for match in pattern.finditer(text):
            problem = _link_problem(match.group(2), bool(match.group(1)), remote_images)
            if problem:
                yield match.start(2), problem
    image_labels = (
        {reference_label(m.group(2) or m.group(1)) for m in _IMAGE_REFERENCE.finditer(text)} if "![" in text else set()
    )
    for match in REFERENCE_DEFINITION.finditer(text):
        problem = _link_problem(match.group(2), reference_label(match.group(1)) in image_labels, remote_images)
        if problem:
            yield match.start(2), problem
    for match in _AUTOLINK.finditer(text) if angle_brackets else ():
        problem = _link_problem(match.group(1), False, remote_images)
        if problem:
            yield match.start(1), problem
    if "{" in text:
        yield from _attr_list_problems(text, remote_images)


_LINE_END = re.compile(r"[\r\n]")


def _attr_list_problems(text: str, remote_images: bool) -> Iterator[tuple[int, str]]:
    """Python-Markdown's attribute lists, `{: #id .class key=value }`. Each '{' is read up to the
    last '}' on its line: a quoted value may hold a '}' (`title="}" onclick=...`), and reading
    too far within the line can only report more, never less. A line ends at a `\r` too, and
    tabs are spaces, as Python-Markdown reads the text before it reads the list."""
    # Imported here: Markdown takes longer to import than a check of most sites takes to read them.
    from markdown.extensions.attr_list import get_attrs_and_remainder  # type: ignore[import-untyped,unused-ignore]

    allowed = any_tag_attributes()
    for match in _ATTR_LIST_START.finditer(text):
        line_end = _LINE_END.search(text, match.start())
        close = text.rfind("}", match.start(), len(text) if line_end is None else line_end.start())
        if close < 0:
            continue
        attrs, _remainder = get_attrs_and_remainder(text[match.start() + 1 : close].expandtabs(4).lstrip(":"))
        for name, value in attrs:
            name = name.lower()
            problem = _link_problem(value, False, remote_images) if name in URL_ATTRIBUTES and value else None
            if problem:
                yield match.start(), f'{name}="{_shown(value)}" {_("in an attribute list")}: {problem}'
            elif reserved := _reserved(name, value, _("in an attribute list")):
                yield match.start(), reserved
            elif name not in allowed and name != ".":
                yield match.start(), attribute_message(name, _("in an attribute list"))


def find_html_problems(
    body: str, body_line: int, path: str, allowed_tags: Iterable[str] = (), allow_remote_images: bool = False
) -> list[Problem]:
    """Everything in a story's Markdown body that the sanitizer would remove, at its line."""
    tags = ALLOWED_TAGS | frozenset(t.lower() for t in allowed_tags)
    found = list(_markdown_problems(body, allow_remote_images))
    if "<" in body:
        found += _html_problems(body, tags, allow_remote_images)
    if not found:
        return []
    position = Positions(body)
    located = sorted({(*position(index), message) for index, message in found})
    return [Problem(path, body_line + line - 1, column, message) for line, column, message in located]


def find_markdown_problems_at(text: str, allow_remote_images: bool = False) -> list[tuple[int, int, str]]:
    """(line, column, message) in `text` for what the sanitizer would remove from contributor
    Markdown whose raw HTML is escaped anyway (a region's description, as written in its file)."""
    found = list(_markdown_problems(text, allow_remote_images, angle_brackets=False))
    if not found:
        return []
    position = Positions(text)
    return sorted({(*position(index), message) for index, message in found})


def find_markdown_problems(text: str, allow_remote_images: bool = False) -> list[str]:
    """Messages for what the sanitizer would remove from contributor Markdown whose raw HTML is
    escaped anyway (a region's description): only what Markdown syntax itself can make."""
    found = sorted(set(_markdown_problems(text, allow_remote_images, angle_brackets=False)))
    return list(dict.fromkeys(message for _index, message in found))
