"""The links in a story's Markdown as Markdown finds them: inline links and images (a target may
hold balanced brackets: `foto(1).png`; a link may hold an image: `[![klein](klein.png)](groot.png)`),
the reference definitions a reference uses and the links of HTML elements, but not in comments
or code, which no reader sees. What they lead to is for the caller to decide
(content/picture_links.py, content/story_links.py)."""

from __future__ import annotations

import functools
import re

from regioverhalen.content.html_check import REFERENCE_DEFINITION, reference_label

#: A code span, which Markdown shows as written (read with DOTALL): within a paragraph (which a
#: blank line ends, and a line that starts a heading, a quote or a fence), opened by a whole run
#: of backticks that no backslash escapes (one inside a run opens none, so a run of thousands is
#: read once), as Python-Markdown finds it in every site.
_CODE_SPAN = (
    r"(?<![`\\])(?P<ticks>`+)(?!`)(?:(?!\n(?:[ \t]*\n|[ ]{0,3}(?:#|>|```|~~~))).){0,2000}?(?<!`)(?P=ticks)(?!`)"
)
#: A fenced code block (read with DOTALL and MULTILINE; a fence left open fences nothing), as the
#: site's fence extension reads one.
_FENCED_CODE = r"^[ ]{0,3}(?P<fence>```|~~~).*?^[ ]{0,3}(?P=fence)[^\n]*$"
#: What no reader sees: HTML comments as Python-Markdown reads them (one that starts a line hides
#: everything up to its end, `-->` or `--!>`, blank lines too; one within a line ends in its
#: paragraph (a quote's paragraph ends at a line of `>`, a heading with its line), before another
#: opener, and `<!-->` there is a whole comment, as a browser reads it;
#: one left open hides nothing: it is shown as text), and code.
_HIDDEN = re.compile(
    r"^[ ]{0,3}<!--.*?--!?>|<!---?>|<!--(?:(?!\n[ \t]*(?:>[ \t]*)*\n|<!--).)*?--!?>"
    f"|{_FENCED_CODE}|{_CODE_SPAN}",
    re.DOTALL | re.MULTILINE,
)
_COMMENT_START, _COMMENT_END = "<!--", "-->"
#: An indent of four columns (a tab reaches the next multiple of four): code after a blank line.
_INDENT = re.compile(r"[ ]{0,3}\t| {4}")
_INDENTED_LINE = re.compile(r"^(?:[ ]{0,3}\t| {4})", re.MULTILINE)
#: The first line of a block whose text is indented below it: a list item, as Python-Markdown
#: starts one, and the site's notes, details blocks and tabs (admonition, pymdownx).
_CONTAINER_START = re.compile(r"[ ]{0,3}(?:[*+-]|\d+\.|!!!|\?\?\?\+?|===)[ \t]")
#: Text in brackets: a reference's text or label (not an inline link's text, which uses none).
_BRACKETED = re.compile(r"\[([^\[\]\n]{0,1000})\](?!\()")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_EMPTY_TARGET = re.compile(r"\]\([ \t]*\)")
_EMPTY_IMAGE = re.compile(r"(?<!\\)!\[(?P<text>[^\[\]\n]{0,1000})\]\([ \t]*\)")
_BRACKET_OR_ESCAPE = re.compile(r"\\.|[\[\]]|\n[ \t]*\n", re.DOTALL)
#: A backslash before ASCII punctuation in Markdown stands for that character: `foto\\(1\\).png`.
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_HTML_LINK = re.compile(r"""<(?:img|a|source)\b[^<>]*?\b(?:src|href)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


def link_targets(text: str) -> list[tuple[int, str, bool]]:
    """(where the target starts in `text`, the target, whether it is in HTML) for every link
    and image a reader gets, in the order they are written."""
    shown = _shown(text)
    found = [(offset, _unescaped(target), False) for offset, target in _markdown_targets(shown)]
    found += _used_definitions(shown)
    found += [(m.start(1), m.group(1), True) for m in _HTML_LINK.finditer(shown)]
    return sorted(found)


def images_without_target(text: str) -> list[int]:
    """Where each image with an empty target (`![Het erf]()`) starts: Python-Markdown makes an
    image of it that shows nothing."""
    if not _EMPTY_TARGET.search(text):
        return []
    shown = _shown(text)
    closing = _closing_brackets(shown)
    return [m.start() for m in _EMPTY_IMAGE.finditer(shown) if m.end("text") in closing]


@functools.lru_cache(maxsize=1)
def _shown(text: str) -> str:
    """`text` with what no reader sees blanked (comments, code), every character in its place.
    Kept for the last text: a story's pictures, links and images are each looked for in it."""
    searched = _unclosed_comments_opening_nothing(text)
    parts, done = [], 0
    for hidden in _HIDDEN.finditer(searched):
        parts += [text[done : hidden.start()], _blanked(hidden)]
        done = hidden.end()
    return _without_indented_code(text, "".join([*parts, text[done:]]))


def _unclosed_comments_opening_nothing(text: str) -> str:
    """`text` with every comment opener that no comment end follows made no opener, each
    character in its place: a comment left open hides nothing, and looking for the end of each
    would read the rest of the text once per opener. A heading is one line: an opener in it
    that its line does not end is text too."""
    if _COMMENT_START in text:
        text = _HEADING_LINE.sub(lambda heading: _opening_nothing_after_last_end(heading.group()), text)
    return _opening_nothing_after_last_end(text)


#: An ATX heading's line (`## Kop`), whose text ends with the line.
_HEADING_LINE = re.compile(r"^[ ]{0,3}#{1,6}(?:[ \t][^\n]*)?$", re.MULTILINE)


def _opening_nothing_after_last_end(text: str) -> str:
    last_end = max(text.rfind(_COMMENT_END), text.rfind("--!>"))
    # An opener closes only with an end that starts after it.
    cut = max(last_end - len(_COMMENT_START) + 1, 0) if last_end >= 0 else 0
    return text[:cut] + text[cut:].replace(_COMMENT_START, "<!- ")


def _blanked(hidden: re.Match[str]) -> str:
    """The hidden text as spaces, its line breaks kept: offsets and lines stay where they were."""
    return re.sub(r"[^\n]", " ", hidden.group())


def _without_indented_code(text: str, shown: str) -> str:
    """`shown` (`text` with its other hidden parts blanked) with the indented code of `text`
    blanked too: lines indented by four spaces or a tab that start a block after a blank line, up
    to a line that is not indented, unless they go on a list item, note (`!!! note`), details
    block (`??? note`) or tab (`=== "Tab"`) before them: then they are its text. Read from
    `text`: a code span blanked is no indent."""
    if not _INDENTED_LINE.search(text):
        return shown
    lines, shown_lines = text.split("\n"), shown.split("\n")
    in_container = hiding = False
    block_start = True
    for number, line in enumerate(lines):
        if not line.strip() and (number or not line):  # Python-Markdown blanks spaces after a line break only
            block_start = True
            continue
        indented = bool(_INDENT.match(line))
        if block_start or (hiding and not indented):
            hiding = indented and not in_container
            if not indented:
                in_container = bool(_CONTAINER_START.match(line))
        block_start = False
        if hiding:
            shown_lines[number] = " " * len(line)
    return "\n".join(shown_lines)


def _used_definitions(text: str) -> list[tuple[int, str, bool]]:
    """The reference definitions some reference uses (`[tekst][label]`, `[label][]`, `[label]`):
    Markdown shows no other, so what they lead to is never seen."""
    definitions = list(REFERENCE_DEFINITION.finditer(text))
    if not definitions:
        return []
    own_labels = {definition.start(1) for definition in definitions}
    used = {reference_label(m.group(1)) for m in _BRACKETED.finditer(text) if m.start(1) not in own_labels}
    return [(m.start(2), _unescaped(m.group(2)), False) for m in definitions if reference_label(m.group(1)) in used]


def _unescaped(target: str) -> str:
    return _MARKDOWN_ESCAPE.sub(r"\1", target) if "\\" in target else target


def _markdown_targets(text: str) -> list[tuple[int, str]]:
    """The target of every inline link and image, `](target "title")`, with where it starts."""
    targets = []
    closing = _closing_brackets(text) if "](" in text else set()
    start = text.find("](")
    while start != -1:
        following = text.find("](", start + 2)
        # A target ends before the next link's `](`: each part of the text is read once, however
        # many `](` a story holds.
        stop = len(text) if following == -1 else following
        if start not in closing:  # `\[x](…)` or `x](…)`: no link's text ends here
            start = following
            continue
        at = _after_space(text, start + 2)
        if text.startswith("<", at):
            line_end = text.find("\n", at, stop)
            end = text.find(">", at, stop if line_end == -1 else line_end)  # no line break in `<…>`
            if end != -1:
                targets.append((at + 1, text[at + 1 : end]))
        else:
            blank_line = _BLANK_LINE.search(text, at, stop)
            end = _closing_parenthesis(text, at, blank_line.start() if blank_line else stop)
            target = _without_title(text[at:end]).rstrip() if end != -1 else ""
            if target:  # spaces and all, as Python-Markdown takes it: `![Het erf](mijn erf.jpg)`
                targets.append((at, target))
        start = following
    return targets


def _closing_parenthesis(text: str, at: int, stop: int) -> int:
    """Where the `)` that closes a target starting at `at` is (parentheses inside it balanced),
    or -1 if there is none before `stop`."""
    depth, escaped = 0, False
    for end in range(at, stop):
        if escaped:  # `\)` is a ')' in the target, not its end
            escaped = False
        elif text[end] == "\\":
            escaped = True
        elif text[end] == "(":
            depth += 1
        elif text[end] == ")":
            if depth == 0:
                return end
            depth -= 1
    return -1


def _without_title(target: str) -> str:
    """A target without its title: a quote, and the same quote just before the `)`."""
    stripped = target.rstrip()
    for quote in sorted("'\"", key=lambda q: (target.find(q) == -1, target.find(q))):
        first = target.find(quote)
        if first != -1 and stripped.endswith(quote) and first < len(stripped) - 1:
            return target[:first]
    return target


def _closing_brackets(text: str) -> set[int]:
    """Where a `]` closes a `[` of the same paragraph, as a link's text does: a `[` or `]` after a
    backslash is the character itself, and a blank line ends what a `[` opened."""
    closing, still_open = set(), 0
    for match in _BRACKET_OR_ESCAPE.finditer(text):
        token = match.group()
        if token == "[":
            still_open += 1
        elif token == "]":
            if still_open:
                still_open -= 1
                closing.add(match.start())
        elif token[0] == "\n":
            still_open = 0
    return closing


def _after_space(text: str, at: int) -> int:
    """Where a link's target starts after its `(`: spaces and tabs, and one line break, as
    Markdown allows there, are left out."""
    line_break = False
    while at < len(text) and (text[at] in " \t" or (text[at] == "\n" and not line_break)):
        line_break = line_break or text[at] == "\n"
        at += 1
    return at
