"""Hints for the YAML mistakes editors make with punctuation: a comma or a colon inside an
unquoted text in `{...}`, a word processor's curly quotes, which YAML reads as letters, and a
closing quote left out. Each hint names the key and says what to write."""

from __future__ import annotations

import re

import yaml

from regioverhalen.content.messages import _

#: Quotes a word processor puts in, which YAML reads as ordinary letters.
CURLY_QUOTES = "\u201c\u201d\u201e\u2018\u2019\u201a\u00ab\u00bb"

#: What precedes a later quote that a text without its closing quote ran on to: `key: ` or a
#: list's `- ` (the quote opens a value), also within brackets (`- {level: opgave, text: `,
#: `themes: [bodem, `), or a comment. (Possessive: the spaces after a comma are never split
#: with the item after them, which made a long line take minutes to fail.)
_BEFORE_A_LATER_QUOTE = re.compile(
    r"""^\s*+(?:
        (?P<comment>\#.*)
      | (?:-\s++)?(?:[\w.-]++:\s++)?\[\s*+(?:[^,\[\]{}]*+,\s*+)*+
      | (?:-\s++)?(?:\{\s*+(?:[\w.-]++:\s*+[^,\[\]{}]*+,\s*+)*+)?(?:(?P<key>[\w.-]++):\s++)?
    )$""",
    re.VERBOSE,
)

#: What YAML counts as the end of a line.
_LINE_BREAKS = "\n\r\x85\u2028\u2029"
_LINE_BREAK = re.compile("\r\n|[" + _LINE_BREAKS + "]")


def yaml_lines(text: str) -> list[str]:
    """The text's lines as YAML counts them, so that a mark's line number indexes them."""
    return _LINE_BREAK.split(text)


#: A Dutch word with an apostrophe before it ('s-Hertogenbosch, 's avonds, 't Zand, 'n).
_APOSTROPHE_WORD = re.compile(r"'[stn][\s-]", re.IGNORECASE)

#: `key: value` on one line, after an optional list dash.
_KEY_VALUE = re.compile(r"^(?P<lead>\s*+(?:-\s++)?)(?P<key>[\w.-]++):\s++(?P<value>\S(?:.*\S)?)\s*+$")


def quoted(text: str) -> str:
    """`text` as a quoted YAML scalar, in double quotes unless it holds one."""
    text = text.strip().strip(CURLY_QUOTES).strip()
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def is_bare_key(key_node: yaml.Node, value_node: yaml.Node) -> bool:
    """A plain key with no ':' and value after it, as YAML reads the text after a comma in `{...}`."""
    return (
        isinstance(value_node, yaml.ScalarNode)
        and value_node.tag == "tag:yaml.org,2002:null"
        and value_node.value == ""
        and not getattr(key_node, "style", None)  # LibYAML writes a plain style as "", PyYAML as None
    )


def is_text_after_comma(key_node: yaml.Node, value_node: yaml.Node) -> bool:
    """A plain key with a space in it and a plain value, as YAML reads 'a, b c: d' in `{...}`: no
    key of the content has a space, so this is the rest of a text cut at its comma."""
    return (
        isinstance(key_node, yaml.ScalarNode)
        and not getattr(key_node, "style", None)
        and " " in key_node.value
        and isinstance(value_node, yaml.ScalarNode)
        and not getattr(value_node, "style", None)
    )


def split_text_message(key: str, rest: str, text: str) -> str:
    """A comma inside `{...}` ended the text of `key`: YAML read what follows (`rest`) as a key."""
    message = _(
        "the comma in the text of '{key}' ends it inside '{{...}}', so '{rest}' was read as a key; "
        "put the whole text in quotes: {key}: {quoted}"
    ).format(key=key, rest=rest, quoted=quoted(text))
    if text[:1] in CURLY_QUOTES:
        message += _(" (only straight quotes count, not {quote})").format(quote=text[0])
    return message


def quoting_hint(lines: list[str], error: yaml.MarkedYAMLError) -> tuple[int, int, str] | None:
    """For a YAML error that unquoted punctuation caused: the 0-based line and column of the text
    to put in quotes, and the message; None for any other error."""
    mark = error.problem_mark
    if mark is None or mark.line >= len(lines):
        return None
    line = lines[mark.line]
    curly = _curly_quoted_value(line, mark.column)
    if curly:
        return (mark.line, *curly)
    if error.problem == "mapping values are not allowed here":
        colon = _colon_in_block_value(line, mark.column)
        if colon:
            return (mark.line, *colon)
    context = error.context_mark
    if (
        str(error.problem).endswith("but got ':'")
        and error.context == "while parsing a flow mapping"
        and context is not None
        and context.line == mark.line
    ):
        colon = _colon_in_flow_value(line, mark.column)
        if colon:
            return (mark.line, *colon)
    return None


def _curly_quoted_value(line: str, column: int) -> tuple[int, str] | None:
    """`key: “text”` before the error's column: only straight quotes make a text."""
    found = _KEY_VALUE.match(line)
    if not found or found.group("value")[0] not in CURLY_QUOTES or found.start("value") > column:
        return None
    key, value = found.group("key"), found.group("value")
    message = _(
        "invalid YAML: the text of '{key}' starts with a curly quote ({quote}), which YAML reads as a letter: "
        "only straight quotes count; write {key}: {quoted}"
    ).format(key=key, quote=value[0], quoted=quoted(value))
    return found.start("value"), message


def _colon_in_block_value(line: str, colon: int) -> tuple[int, str] | None:
    """`key: text: more`: YAML reads a colon and a space in a text without quotes as the start
    of another key."""
    found = _KEY_VALUE.match(line)
    if not found or not found.start("value") < colon < len(line) or line[colon] != ":":
        return None
    key, value = found.group("key"), re.split(r"\s+#", found.group("value"), maxsplit=1)[0]
    if value[0] in "\"'[{" or value[0] in CURLY_QUOTES:
        return None
    message = _(
        "invalid YAML: a colon and a space in the text of '{key}' make YAML read '{before}' as a key; "
        "put the whole text in quotes: {key}: {quoted}"
    ).format(key=key, before=line[found.start("value") : colon].rstrip(), quoted=quoted(value))
    return found.start("value"), message


def _colon_in_flow_value(line: str, colon: int) -> tuple[int, str] | None:
    """`{key: text: more}`: the ':' at `colon` ends the text of `key` inside the braces."""
    start = max(line.rfind("{", 0, colon), line.rfind(",", 0, colon)) + 1
    key, separator, value = line[start:colon].partition(": ")
    if not separator or not value.strip() or not key.strip():
        return None
    ends = [i for i in (line.find(",", colon), line.find("}", colon)) if i != -1]
    text = value.strip() + line[colon : min(ends) if ends else len(line)].rstrip()
    last_word = value.split()[-1]
    message = _(
        "invalid YAML: the ':' in the text of '{key}' ends it inside '{{...}}'; put the whole text in "
        "quotes: {key}: {quoted} (or, if '{word}' starts a new key, put a comma before it)"
    ).format(key=key.strip(), quoted=quoted(text), word=last_word)
    return start + len(key) + len(separator) + (len(value) - len(value.lstrip())), message


def missing_closing_quote(text: str, error: yaml.MarkedYAMLError) -> tuple[int, int, str] | None:
    """A quoted text without its closing quote runs on, over lines, to a later quote: the one
    that opens a later value (`summary: "...`) or one in a comment. YAML stops only after it,
    lines below the mistake. Or a text that starts with a Dutch apostrophe word, which YAML
    took for an opening quote (`apostrophe_hint`). The 0-based line and column of the text's
    opening quote, and the message; None for any other error."""
    mark = error.problem_mark
    if mark is None:
        return None
    last = _token_before(text, mark.index)
    if isinstance(last, yaml.ScalarToken) and last.style == "'":  # also "'s avonds en 's morgens" on one line
        apostrophe = apostrophe_hint(text, last.start_mark.index)
        if apostrophe is not None:
            return last.start_mark.line, last.start_mark.column, apostrophe
    if not (
        isinstance(last, yaml.ScalarToken)
        and last.style in ('"', "'")
        and last.start_mark.line < last.end_mark.line == mark.line
    ):
        return None
    quote_at = last.end_mark.index - 1  # the quote that ended the text
    ends_at = text[_line_start(text, quote_at) : quote_at]
    later = _BEFORE_A_LATER_QUOTE.match(ends_at)
    if later is None or not ends_at.strip():
        return None
    return last.start_mark.line, last.start_mark.column, _ran_on_to(last.style, later)


def _ran_on_to(quote: str, later: re.Match[str]) -> str:
    if later.group("key"):
        return _(
            "invalid YAML: the text in quotes that starts here has no closing {quote}, so it runs on to the "
            "{quote} that opens the value of '{key}'; end this text with {quote}"
        ).format(quote=quote, key=later.group("key"))
    if later.group("comment"):
        return _(
            "invalid YAML: the text in quotes that starts here has no closing {quote}, so it runs on to a "
            "{quote} in a later comment; end this text with {quote}"
        ).format(quote=quote)
    return _(
        "invalid YAML: the text in quotes that starts here has no closing {quote}, so it runs on to the "
        "{quote} that opens a later list item; end this text with {quote}"
    ).format(quote=quote)


def apostrophe_hint(text: str, index: int) -> str | None:
    """For a text whose first letter has an apostrophe before it ('s-Hertogenbosch, 's avonds,
    't Zand): YAML reads that apostrophe as an opening quote. Closed with another `'`, the text
    would lose it; the message shows the text in quotes that keep it."""
    if not _APOSTROPHE_WORD.match(text, index):
        return None
    before, value = text[_line_start(text, index) : index], text[index : _line_end(text, index)]
    value = re.split(r"\s+#", value, maxsplit=1)[0]  # a comment after it
    if before.count("[") + before.count("{") > before.count("]") + before.count("}"):
        value = re.split(r"[,\]}]", value, maxsplit=1)[0]  # an item of a list or mapping in brackets
    elif re.fullmatch(r"\s*(?:-\s+)?", before):
        value = re.split(r":\s", value, maxsplit=1)[0]  # perhaps a key
    return _(
        "invalid YAML: YAML reads the ' at the start of this text as an opening quote; write the whole text "
        "in quotes like this: {quoted}"
    ).format(quoted=quoted(value))


def _line_start(text: str, index: int) -> int:
    """Where the line that holds `index` starts, by YAML's line breaks."""
    return max(text.rfind(line_break, 0, index) for line_break in _LINE_BREAKS) + 1


def _line_end(text: str, index: int) -> int:
    """Where the line that holds `index` ends, by YAML's line breaks."""
    ends = [found for found in (text.find(line_break, index) for line_break in _LINE_BREAKS) if found != -1]
    return min(ends, default=len(text))


def _token_before(text: str, index: int) -> yaml.Token | None:
    """The last of YAML's tokens in `text` that starts before `index`."""
    last = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= index:
                break
            last = token
    except yaml.YAMLError:
        pass  # the tokens before the mistake are what matter
    return last
