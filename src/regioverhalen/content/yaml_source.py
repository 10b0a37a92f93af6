"""Safe YAML parsing that remembers where every key and value sits in the file.

PyYAML's composer gives each node a start mark; we build plain Python values from
the node tree ourselves, so that every later error can name a line and column,
and so that the dangerous or surprising parts of YAML (aliases, arbitrary tags,
duplicate keys, deep nesting, huge numbers) are reported instead of silently
accepted.

Parsing uses LibYAML when PyYAML was built with it (much faster than
pure Python, which matters with thousands of stories), and falls back to
pure-Python PyYAML whenever LibYAML finds a mistake, so every message and
position is PyYAML's own, whichever parser ran.

Most documents have no problem, and positions are only ever shown with one. So a
document is first read in a single LibYAML pass without recording positions; only
if that meets anything to report is it parsed again with every check, and the
positions of a document read the fast way are worked out when first asked for.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import Any

import yaml

from regioverhalen.content.messages import _
from regioverhalen.content.problems import Problem
from regioverhalen.content.source_map import BlockText, Loc, Position, SourceMap
from regioverhalen.content.terms import IMPOSSIBLE_DATES
from regioverhalen.content.yaml_errors import ALIAS_MESSAGE, DEPTH_MESSAGE, MAX_DEPTH, reader_problem, syntax_problem
from regioverhalen.content.yaml_hints import is_bare_key, is_text_after_comma

#: What other modules import from here.
__all__ = ["HAS_LIBYAML", "BlockText", "Loc", "ParsedYaml", "Position", "SourceMap", "parse_yaml"]

#: Larger YAML is refused before parsing: pure-Python PyYAML reads dense YAML slowly,
#: and no region or front matter needs this much.
MAX_YAML_CHARS = 64 * 1024
HAS_LIBYAML = bool(getattr(yaml, "__with_libyaml__", False))

_ODD_CHARACTER = re.compile("[\x85\u2028\u2029\ufeff]")
_STR_TAG = "tag:yaml.org,2002:str"
#: What an escape in double quotes can write that no page, feed or XML file can hold: control
#: characters other than tab and line breaks, U+FFFE/U+FFFF and halves of surrogate pairs.
#: (Written as they are, YAML's reader refuses them already.)
UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
MAX_NUMBER_CHARS = 100
_ALLOWED_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


def unshowable_message(character: str) -> str:
    code = f"U+{ord(character):04X}"
    return _("this text holds the character {code}, written as an escape, which no page can show; remove it").format(
        code=code
    )


class _SafeComposer(yaml.SafeLoader):
    """A safe loader that refuses aliases and deep nesting while it composes.

    Aliases enable "billion laughs" bombs; deep nesting would exhaust Python's
    recursion limit slowly. Both are stopped at the first event that crosses the
    line, so hostile input costs no more than reading it once.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event: Any = self.peek_event()  # type: ignore[no-untyped-call,unused-ignore]
        if isinstance(event, yaml.AliasEvent):
            raise _LimitError(ALIAS_MESSAGE, event.start_mark)
        if self._depth > MAX_DEPTH:
            raise _LimitError(DEPTH_MESSAGE, event.start_mark)
        # An anchor without an alias is harmless; forgetting it also avoids
        # PyYAML's confusing "duplicate anchor" error.
        event.anchor = None
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class ParsedYaml:
    """One YAML document's values, its problems, and where each key and value sits."""

    def __init__(self, data: Any, problems: list[Problem], locate: Callable[[], SourceMap]) -> None:
        self.data = data
        self.problems = problems
        self._locate = locate

    @functools.cached_property
    def source(self) -> SourceMap:
        """Positions, worked out on first use: only a document with a problem needs them."""
        return self._locate()


def _compose_python(text: str) -> yaml.Node | None:
    loader = _SafeComposer(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _compose_libyaml(text: str) -> yaml.Node | None:
    """Compose with LibYAML, after a first pass over its events that applies the same
    limits as `_SafeComposer`, at the same events, with the same messages."""
    scanner = yaml.CSafeLoader(text)
    try:
        depth = 0
        while scanner.check_event():
            event: Any = scanner.get_event()
            kind = _EVENT_KINDS.get(type(event), 0)
            if kind > 0:  # a node: scalar, alias or the start of a collection
                if kind == _ALIAS:
                    raise _LimitError(ALIAS_MESSAGE, event.start_mark)
                if depth > MAX_DEPTH:
                    raise _LimitError(DEPTH_MESSAGE, event.start_mark)
                if kind == _OPEN:
                    depth += 1
            elif kind < 0:
                depth -= 1
    finally:
        scanner.dispose()
    composer = yaml.CSafeLoader(text)
    try:
        return composer.get_single_node()
    finally:
        composer.dispose()


_SCALAR, _ALIAS, _OPEN, _CLOSE = 1, 2, 3, -1
_EVENT_KINDS: dict[type, int] = {
    yaml.ScalarEvent: _SCALAR,
    yaml.AliasEvent: _ALIAS,
    yaml.SequenceStartEvent: _OPEN,
    yaml.MappingStartEvent: _OPEN,
    yaml.SequenceEndEvent: _CLOSE,
    yaml.MappingEndEvent: _CLOSE,
}


class _LimitError(yaml.MarkedYAMLError):
    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(problem=problem, problem_mark=mark)


def compose(text: str, accelerated: bool = True) -> yaml.Node | None:
    """The node tree of one YAML document; raises `yaml.MarkedYAMLError` for bad input.

    With `accelerated`, LibYAML is tried first; any mistake it finds other than our own
    limits is handed to pure-Python PyYAML, whose verdict and message count.
    """
    if accelerated and HAS_LIBYAML:
        try:
            return _compose_libyaml(text)
        except _LimitError:
            raise
        except yaml.YAMLError as error:
            _raise_own_depth_error(text, error)
    return _compose_python(text)


def _raise_own_depth_error(text: str, error: yaml.YAMLError) -> None:
    """LibYAML stops at 1,000 levels while still reading ahead, before our limit of MAX_DEPTH
    is reached in its events. The text before that point holds the node that crosses our
    limit, so reading just that part finds it, at the same place pure-Python PyYAML would."""
    mark = getattr(error, "problem_mark", None)
    if mark is None or "nesting depth" not in str(getattr(error, "problem", "")):
        return
    lines = text.split("\n", mark.line + 1)
    end = sum(len(line) + 1 for line in lines[: mark.line]) + mark.column
    try:
        _compose_libyaml(text[:end])
    except _LimitError:
        raise
    except yaml.YAMLError:
        pass


def parse_yaml(text: str, path: str, first_line: int = 1, *, accelerated: bool = True) -> ParsedYaml:
    """Parse one YAML document from `text`, which starts at line `first_line` of `path`.

    Never raises for bad input: syntax errors and forbidden constructs become problems.
    """
    if len(text) > MAX_YAML_CHARS:
        size = len(text.encode("utf-8")) // 1024
        return _unparsed(
            [
                Problem(
                    path,
                    first_line,
                    1,
                    _("YAML is {size} KB; the limit is {limit} KB").format(size=size, limit=MAX_YAML_CHARS // 1024),
                )
            ]
        )
    odd = _ODD_CHARACTER.search(text)
    if odd:
        # YAML counts the first three as line breaks and editors mostly do not, so positions
        # would drift; the parsers disagree about a byte-order mark inside a document.
        at = odd.start()
        line = text.count("\n", 0, at)
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        if odd.group() == "\ufeff":
            message = _("stray byte-order mark (U+FEFF) in YAML; remove it")
        else:
            code = f"U+{ord(odd.group()):04X}"
            message = _("unusual line break {code} in YAML; replace it with an ordinary line break or a space").format(
                code=code
            )
        return _unparsed([Problem(path, first_line + line, column, message)])
    if accelerated and HAS_LIBYAML:
        plain = _parse_plain(text, path, first_line)
        if plain is not None:
            return plain
    return _parse_checked(text, path, first_line, accelerated)


def _parse_checked(text: str, path: str, first_line: int, accelerated: bool) -> ParsedYaml:
    """Parse with every check, recording positions and reporting problems."""
    problems: list[Problem] = []
    try:
        node = compose(text, accelerated)
    except yaml.MarkedYAMLError as error:
        line, column, message = syntax_problem(text, error)
        problems.append(Problem(path, first_line + line, column, message))
        return _unparsed(problems)
    except yaml.reader.ReaderError as error:  # a control character YAML does not accept
        line, column, message = reader_problem(text, error)
        problems.append(Problem(path, first_line + line, column, message))
        return _unparsed(problems)
    if node is None:
        return _unparsed(problems)
    source = SourceMap()
    builder = _Builder(path, first_line, source, text)
    # The composer refused anything nested deeper than MAX_DEPTH, so this recursion is bounded.
    data = builder.build(node, ())
    return ParsedYaml(data, builder.problems, lambda: source)


def _parse_plain(text: str, path: str, first_line: int) -> ParsedYaml | None:
    """The fast path for a document without problems: one LibYAML pass, values without positions.

    None as soon as anything would need a report (or an alias might be there, which only the
    checking composer refuses before it is expanded); then the caller parses with positions.
    """
    if "*" in text:
        return None
    loader = _PlainLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    if node is None:
        return _unparsed([])
    try:
        data = _Builder(path, first_line, None).build(node, ())
    except _NeedsPositions:
        return None
    return ParsedYaml(data, [], functools.partial(_locate, node, path, first_line, text))


def _unparsed(problems: list[Problem]) -> ParsedYaml:
    return ParsedYaml(None, problems, SourceMap)


def _locate(node: yaml.Node, path: str, first_line: int, text: str) -> SourceMap:
    """The positions in a document the fast path read: the checking builder, run over its nodes again."""
    source = SourceMap()
    _Builder(path, first_line, source, text).build(node, ())
    return source


def _position(mark: Any, first_line: int) -> tuple[int, int]:
    return mark.line + first_line, mark.column + 1


class _PlainLoader(yaml.CSafeLoader):
    """LibYAML with the safe loader's tags, resolved without its overhead per scalar: the implicit
    resolvers for each first character are gathered once, not for every scalar, and path
    resolvers, of which a safe loader has none, are not looked for (nor has it implicit
    resolvers that apply whatever the first character)."""

    _resolvers = {first: tuple(resolvers) for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()}
    _default_tags = {
        yaml.ScalarNode: yaml.CSafeLoader.DEFAULT_SCALAR_TAG,
        yaml.SequenceNode: yaml.CSafeLoader.DEFAULT_SEQUENCE_TAG,
        yaml.MappingNode: yaml.CSafeLoader.DEFAULT_MAPPING_TAG,
    }

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0]:
            for tag, pattern in self._resolvers.get(value[:1], ()):
                if pattern.match(value):
                    return tag
        return self._default_tags[kind]

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


class _NeedsPositions(Exception):
    """The fast path met something it would have to report."""


#: Constructors of the scalar types, called directly: `construct_object` would remember every node.
_SCALAR_CONSTRUCTORS = yaml.constructor.SafeConstructor.yaml_constructors
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


class _Builder:
    """Plain Python values from a node tree.

    With a source map it records where every key and value sits, and reports (as problems)
    what it refuses. Without one it records nothing and raises `_NeedsPositions` where it
    would report, so that a document is only ever reported on by the checking path.
    """

    def __init__(self, path: str, first_line: int, source: SourceMap | None, text: str = "") -> None:
        self.path = path
        self.first_line = first_line
        self.source = source
        self.problems: list[Problem] = []
        self._text = text
        self._lines: list[str] | None = None

    def _refuse(self, mark: Any, loc: Loc, message: str) -> None:
        if self.source is None:
            raise _NeedsPositions
        self.problems.append(Problem(self.path, *_position(mark, self.first_line), message))
        self.source.reported.add(loc)

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        if self.source is not None:
            self.source.values[loc] = Position(*_position(node.start_mark, self.first_line))
        elif len(loc) > MAX_DEPTH:
            raise _NeedsPositions  # only the checking composer refuses deep nesting
        if isinstance(node, yaml.MappingNode):
            if node.tag != "tag:yaml.org,2002:map":
                return self._bad_tag(node, loc)
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                return self._bad_tag(node, loc)
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        if node.tag == _STR_TAG:
            style = getattr(node, "style", None)
            if self.source is not None and style in ("|", ">"):
                self.source.blocks[loc] = self._block_text(node)
            if style == '"' and (unshowable := UNSHOWABLE.search(node.value)):
                self._refuse(node.start_mark, loc, unshowable_message(unshowable.group()))
                return None
            return node.value
        if node.tag not in _ALLOWED_SCALAR_TAGS:
            return self._bad_tag(node, loc)
        if node.tag == "tag:yaml.org,2002:timestamp" and isinstance(node, yaml.ScalarNode):
            return self._date(node, loc)
        if node.tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_CHARS:
            # Python refuses (or takes long) to turn thousands of digits into a number.
            shown = node.value[:20] + "..."
            self._refuse(
                node.start_mark,
                loc,
                _("'{value}' is too long for a number; put it in quotes to keep it as text").format(value=shown),
            )
            return None
        try:
            return _SCALAR_CONSTRUCTORS[node.tag](_CONSTRUCTOR, node)
        except (ValueError, KeyError, AttributeError, TypeError):
            # An explicit tag on a value it does not fit, such as `!!int abc` or `!!bool misschien`.
            return self._tag_misfit(node, loc)

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any]:
        """A mapping's values by key; a key that is no plain word, or comes twice, is refused."""
        source = self.source
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                self._refuse(key_node.start_mark, loc, _("keys must be plain words"))
                continue
            key = str(key_node.value)
            child = (*loc, key)
            if (unshowable := UNSHOWABLE.search(key)) is not None:  # `"\ud800": 1`: no message could name it
                self._refuse(key_node.start_mark, child, unshowable_message(unshowable.group()))
                continue
            if key in result:
                if source is None:
                    raise _NeedsPositions
                first = source.keys[child]
                self._refuse(
                    key_node.start_mark,
                    child,
                    _("duplicate key '{key}' (first defined on line {line})").format(key=key, line=first.line),
                )
                continue
            if source is not None:
                source.keys[child] = Position(*_position(key_node.start_mark, self.first_line))
                if node.flow_style and result and is_bare_key(key_node, value_node):
                    self._note_split_text(source, loc, result, key, child, key)
                elif node.flow_style and result and is_text_after_comma(key_node, value_node):
                    self._note_split_text(source, loc, result, key, child, f"{key}: {value_node.value}")
            result[key] = self.build(value_node, child)
        return result

    @staticmethod
    def _note_split_text(
        source: SourceMap, loc: Loc, result: dict[str, Any], key: str, child: Loc, written: str
    ) -> None:
        """A key after a text in '{...}' that is the rest of the text, cut at a comma ('a, b, c';
        `written` is what followed the comma). One message, at the text's start, for the whole."""
        before, text = next(reversed(result.items()))
        earlier = source.split_texts.get((*loc, before))
        if earlier:
            source.reported.add((*loc, before))
            source.split_texts[child] = (earlier[0], f"{earlier[1]}, {written}", f"{earlier[2]}, {key}")
        elif isinstance(text, str):
            source.split_texts[child] = ((*loc, before), f"{text}, {written}", key)

    def _date(self, node: yaml.ScalarNode, loc: Loc) -> Any:
        """A date; a date with a time of day is kept as its text, for validation to name it."""
        if not _CONSTRUCTOR.timestamp_regexp.match(node.value):
            return self._tag_misfit(node, loc)
        try:
            value = _CONSTRUCTOR.construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as error:
            self._refuse(
                node.start_mark,
                loc,
                _("invalid date '{value}': {reason}").format(
                    value=node.value, reason=_(IMPOSSIBLE_DATES.get(str(error), str(error)))
                ),
            )
            return node.value
        return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else node.value

    def _block_text(self, node: yaml.Node) -> BlockText:
        """The lines of a block scalar, from the one after its `|` or `>` to its last."""
        if self._lines is None:
            self._lines = self._text.split("\n")
        first = node.start_mark.line + 1
        last = node.end_mark.line if node.end_mark.column else node.end_mark.line - 1
        return BlockText(first + self.first_line, "\n".join(self._lines[first : last + 1]))

    def _tag_misfit(self, node: yaml.Node, loc: Loc) -> None:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        shown = node.value if isinstance(node.value, str) else _("this value")
        message = _("YAML tag '{tag}' does not fit '{value}'; remove the tag or fix the value")
        self._refuse(node.start_mark, loc, message.format(tag=tag, value=shown))
        return None

    def _bad_tag(self, node: yaml.Node, loc: Loc) -> None:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        self._refuse(node.start_mark, loc, _("YAML tag '{tag}' is not allowed").format(tag=tag))
        return None
