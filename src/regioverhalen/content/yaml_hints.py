"""Hints for the YAML mistakes editors make with punctuation: a comma or a colon inside an
unquoted text in `{...}`, a word processor's curly quotes, which YAML reads as letters, and a
closing quote left out. Each hint names the key and says what to write."""

from __future__ import annotations

import re

import yaml

from regioverhalen.content.messages import _

#: Quotes a word processor puts in, which YAML reads as ordinary letters.
CURLY_QUOTES = "\u201c\u201d\u201e\u2018\u2019\u201a\u00ab\u00bb"

#: `key: ` or a list's `- ` and nothing else: what precedes the opening quote of a value.
_KEY_BEFORE_VALUE = re.compile(r"^\s*(?:-\s+)?(?:(?P<key>[\w.-]+):\s+)?$")

#: `key: value` on one line, after an optional list dash.
_KEY_VALUE = re.compile(r"^(?P<lead>\s*(?:-\s+)?)(?P<key>[\w.-]+):\s+(?P<value>\S.*?)\s*$")


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
    """A quoted text without its closing quote runs on, over lines, to the opening quote of a
    later value (`summary: "...`); YAML stops only after it, lines below the mistake. The 0-based
    line and column of the text's opening quote, and the message; None for any other error."""
    mark = error.problem_mark
    if mark is None:
        return None
    last: yaml.Token | None = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= mark.index:
                break
            last = token
    except yaml.YAMLError:
        pass  # the tokens before the mistake are what matter
    if not (
        isinstance(last, yaml.ScalarToken)
        and last.style in ('"', "'")
        and last.start_mark.line < last.end_mark.line == mark.line
    ):
        return None
    ends_at = text.split("\n")[last.end_mark.line][: last.end_mark.column - 1]
    later = _KEY_BEFORE_VALUE.match(ends_at)
    if later is None or not ends_at.strip():
        return None
    if later.group("key"):
        message = _(
            "invalid YAML: the text in quotes that starts here has no closing {quote}, so it runs on to the "
            "{quote} that opens the value of '{key}'; end this text with {quote}"
        ).format(quote=last.style, key=later.group("key"))
    else:
        message = _(
            "invalid YAML: the text in quotes that starts here has no closing {quote}, so it runs on to the "
            "{quote} that opens a later list item; end this text with {quote}"
        ).format(quote=last.style)
    return last.start_mark.line, last.start_mark.column, message
