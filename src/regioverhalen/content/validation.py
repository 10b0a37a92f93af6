"""Turn pydantic's validation errors into problems with a position and a plain message."""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from enum import Enum
from typing import Any

from pydantic import TypeAdapter, ValidationError

from regioverhalen.content.messages import N_, _
from regioverhalen.content.problems import Problem, describe, did_you_mean, field_name
from regioverhalen.content.terms import DUTCH_KEYS, ISO_DATE_RE, PATTERN_MISMATCH, impossible_date
from regioverhalen.content.yaml_hints import split_text_message
from regioverhalen.content.yaml_source import Loc, ParsedYaml, SourceMap

#: Common other spellings, so the hint points at the intended value.
ALIASES = {"friesland": "Fryslân", "fryslan": "Fryslân", "brabant": "Noord-Brabant", "zeeuws-vlaanderen": "Zeeland"}


#: What a missing story summary is for and how it is written.
SUMMARY_HINT = N_(
    "add one or two sentences (at most 300 characters) that tell what the story is about; "
    "they are shown on index pages, in feeds and in search results, like "
    "'summary: Twaalf boeren spraken af hun bodem samen te verbeteren.'"
)


@functools.cache
def validator(model: type) -> TypeAdapter[Any]:
    """pydantic's validator for a content record (model.py), built once."""
    return TypeAdapter(model)


def validate_model(model: type, parsed: ParsedYaml, path: str) -> tuple[Any, list[Problem]]:
    """Validate a parsed document against `model`; return the record (or None) and every problem."""
    try:
        return validator(model).validate_python(parsed.data), []
    except ValidationError as error:
        source = parsed.source
        items = error.errors(include_url=False)
        # pydantic counts only a tuple's valid items against its minimum length.
        with_bad_items = {tuple(item["loc"][:-1]) for item in items if item["loc"] and isinstance(item["loc"][-1], int)}
        problems = []
        for item in items:
            loc: Loc = tuple(item["loc"])
            if source.is_reported(loc):
                continue  # the YAML parser already explained this value
            if item["type"] == "too_short" and loc in with_bad_items:
                continue
            problems.append(_problem(model, item, loc, path, source))
        return None, sorted(set(problems))


def _problem(model: type, item: Any, loc: Loc, path: str, source: SourceMap) -> Problem:
    kind = item["type"]
    value = item.get("input")
    name = field_name(loc)
    ctx = item.get("ctx") or {}
    if kind == "missing":
        pos = source.value(loc[:-1])
        message = _("missing required key '{key}'").format(key=loc[-1])
        if len(loc) > 1:
            message = _("missing required key '{key}' in {field}").format(key=loc[-1], field=field_name(loc[:-1]))
        elif loc[-1] == "summary" and model.__name__ == "StoryFrontMatter":
            message += f"; {_(SUMMARY_HINT)}"
    elif kind == "unexpected_keyword_argument" and loc in source.split_texts:
        value_loc, text, rest = source.split_texts[loc]
        pos = source.value(value_loc)
        message = split_text_message(str(value_loc[-1]), rest, text)
    elif kind == "unexpected_keyword_argument":  # a key the record does not have
        pos = source.key(loc)
        known = _fields_at(model, loc[:-1])
        hint = did_you_mean(str(loc[-1]), known)
        dutch = DUTCH_KEYS.get(str(loc[-1]).casefold())
        if dutch in known:
            hint = _("; did you mean '{key}'? (keys are in English)").format(key=dutch)
        message = _("unknown key '{key}'").format(key=loc[-1]) + hint
        if not hint:
            message += _("; allowed keys: {keys} (put free-form data under 'extra:')").format(keys=", ".join(known))
    else:
        pos = source.value(loc)
        message = f"{name}: {_explain(kind, value, ctx, loc, model)}"
    return Problem(path, pos.line, pos.column, message)


def _explain(kind: str, value: Any, ctx: dict[str, Any], loc: Loc, model: type) -> str:
    found = describe(value)
    if kind in ("literal_error", "enum"):
        expected = _choices_at(model, loc)
        hint = did_you_mean(str(value), expected)
        alias = ALIASES.get(str(value).strip().casefold())
        if alias in expected:
            hint = _("; did you mean '{choice}'?").format(choice=alias)
        return (
            _("{value} is not allowed; expected one of: {choices}").format(value=found, choices=", ".join(expected))
            + hint
        )
    if kind == "string_too_long" and loc[-1] == "summary":
        return _("is {length} characters long; the limit is {limit}: keep it to one or two sentences").format(
            length=len(value), limit=ctx["max_length"]
        )
    if kind == "string_too_long":
        return _("is {length} characters long; the limit is {limit}").format(length=len(value), limit=ctx["max_length"])
    if kind == "string_pattern_mismatch":
        return f"{found} {_(PATTERN_MISMATCH[ctx['pattern']])}"
    if kind == "string_too_short":
        return _("must not be empty")
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"):
        if isinstance(value, str) and ISO_DATE_RE.fullmatch(value.strip()):
            # Written as a date, but in quotes, which YAML reads as text.
            impossible = impossible_date(value.strip())
            if impossible:
                return _("invalid date {value}: {reason}").format(value=found, reason=impossible)
            return _("{value} is in quotes, which makes it text; remove the quotes to make it a date").format(
                value=found
            )
        return _("expected a date like 2023-05-12, found {value}").format(value=found)
    if kind == "string_type":
        return _("expected text, found {value}").format(value=found)
    if kind == "bool_type":
        return _("expected true or false, found {value}").format(value=found)
    if kind in ("list_type", "tuple_type"):
        return _("expected a list, found {value}").format(value=found)
    if kind in ("dataclass_type", "dict_type"):
        return _("expected a mapping of keys, found {value}").format(value=found)
    if kind == "too_short":
        return _("must list at least one item")
    if kind in ("float_type", "float_parsing"):
        return _("expected a number, found {value}").format(value=found)
    if kind in ("greater_than_equal", "less_than_equal"):
        bounds = ", ".join(
            (_("at least {bound}") if k == "ge" else _("at most {bound}")).format(bound=v) for k, v in ctx.items()
        )
        return _("{value} is out of range ({bounds})").format(value=found, bounds=bounds)
    return _("invalid value {value} ({kind})").format(value=found, kind=kind.replace("_", " "))


def _annotation_at(model: type, loc: Loc) -> Any:
    """The type annotation that validates the value at `loc`, or None."""
    annotation: Any = model
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(part, int):
            args = typing.get_args(annotation)
            annotation = args[0] if args else None
        elif isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
            annotation = _field_types(annotation).get(part)
        else:
            return None
    return _unwrap(annotation)


@functools.cache
def _field_types(record: type) -> dict[str, Any]:
    """A record's fields and their annotations, in the order they are declared."""
    hints = typing.get_type_hints(record, include_extras=True)
    return {item.name: hints[item.name] for item in dataclasses.fields(record)}


def _unwrap(annotation: Any) -> Any:
    """Strip Optional[...] and Annotated[...] down to the meaningful type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        else:
            return annotation


def _fields_at(model: type, loc: Loc) -> list[str]:
    annotation = _annotation_at(model, loc)
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        return list(_field_types(annotation))
    return []


def _choices_at(model: type, loc: Loc) -> list[str]:
    annotation = _annotation_at(model, loc)
    if typing.get_origin(annotation) is typing.Literal:
        return [str(a) for a in typing.get_args(annotation)]
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return [str(m.value) for m in annotation]
    return []
