"""Safe YAML parsing that remembers where every key and value sits in the file.

PyYAML's composer gives each node a start mark; we build plain Python values from
the node tree ourselves, so that every later error can name a line and column,
and so that the dangerous or surprising parts of YAML (aliases, arbitrary tags,
duplicate keys) are reported instead of silently accepted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import yaml

from regioverhalen.problems import Problem

#: A value's address inside a document: mapping keys and list indexes.
Loc = tuple[str | int, ...]

MAX_DEPTH = 32

_ALLOWED_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


@dataclass(frozen=True)
class Position:
    line: int
    column: int


@dataclass
class SourceMap:
    """Positions of values and keys by their location in the document."""

    values: dict[Loc, Position] = field(default_factory=dict)
    keys: dict[Loc, Position] = field(default_factory=dict)
    #: Locations already reported while parsing; validation skips these.
    reported: set[Loc] = field(default_factory=set)

    def value(self, loc: Loc) -> Position:
        """Position of the value at `loc`, or of its nearest known parent."""
        while loc not in self.values and loc:
            loc = loc[:-1]
        return self.values.get(loc, Position(1, 1))

    def key(self, loc: Loc) -> Position:
        """Position of the key naming `loc`, falling back to its value's position."""
        return self.keys.get(loc) or self.value(loc)

    def is_reported(self, loc: Loc) -> bool:
        return any(loc[: i + 1] in self.reported for i in range(len(loc)))


class _NoAliasLoader(yaml.SafeLoader):
    """A safe loader that refuses aliases: they enable 'billion laughs' bombs."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                problem="YAML aliases (*name) are not allowed; write the value out in full",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)


@dataclass
class ParsedYaml:
    data: Any
    source: SourceMap
    problems: list[Problem]


def parse_yaml(text: str, path: str, first_line: int = 1) -> ParsedYaml:
    """Parse one YAML document from `text`, which starts at line `first_line` of `path`.

    Never raises for bad input: syntax errors and forbidden constructs become problems.
    """
    source = SourceMap()
    problems: list[Problem] = []

    def pos(mark: Any) -> Position:
        return Position(mark.line + first_line, mark.column + 1)

    def report(mark: Any, message: str) -> None:
        p = pos(mark)
        problems.append(Problem(path, p.line, p.column, message))

    loader = _NoAliasLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = _syntax_message(error)
        if mark is None:
            problems.append(Problem(path, first_line, 1, message))
        else:
            report(mark, message)
        return ParsedYaml(None, source, problems)
    except RecursionError:
        problems.append(Problem(path, first_line, 1, "YAML is nested too deeply"))
        return ParsedYaml(None, source, problems)
    finally:
        loader.dispose()

    def build(node: yaml.Node, loc: Loc, depth: int) -> Any:
        source.values[loc] = pos(node.start_mark)
        if depth > MAX_DEPTH:
            report(node.start_mark, f"YAML is nested more than {MAX_DEPTH} levels deep")
            source.reported.add(loc)
            return None
        if isinstance(node, yaml.MappingNode):
            if node.tag != "tag:yaml.org,2002:map":
                return _bad_tag(node, loc)
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                    report(key_node.start_mark, "keys must be plain words")
                    source.reported.add(loc)
                    continue
                key = str(key_node.value)
                child = (*loc, key)
                if key in result:
                    first = source.keys[child]
                    report(key_node.start_mark, f"duplicate key '{key}' (first defined on line {first.line})")
                    source.reported.add(child)
                    continue
                source.keys[child] = pos(key_node.start_mark)
                result[key] = build(value_node, child, depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                return _bad_tag(node, loc)
            return [build(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]
        if node.tag not in _ALLOWED_SCALAR_TAGS:
            return _bad_tag(node, loc)
        if node.tag == "tag:yaml.org,2002:timestamp":
            try:
                value = yaml.SafeLoader("").construct_yaml_timestamp(node)
            except ValueError as error:
                report(node.start_mark, f"invalid date '{node.value}': {error}")
                source.reported.add(loc)
                return node.value
            # Dates with a time of day are not dates: keep the text so validation names it.
            return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else node.value
        return yaml.SafeLoader("").construct_object(node)

    def _bad_tag(node: yaml.Node, loc: Loc) -> None:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        report(node.start_mark, f"YAML tag '{tag}' is not allowed")
        source.reported.add(loc)
        return None

    if node is None:
        return ParsedYaml(None, source, problems)
    try:
        data = build(node, (), 0)
    except RecursionError:
        problems.append(Problem(path, first_line, 1, "YAML is nested too deeply"))
        return ParsedYaml(None, source, problems)
    return ParsedYaml(data, source, problems)


def _syntax_message(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or "invalid syntax"
    if problem.startswith("YAML aliases"):
        return problem
    message = f"invalid YAML: {problem}"
    if error.context:
        message += f" ({error.context})"
    if "'\\t'" in problem:
        message += "; indent with spaces, not tabs"
    return message
