"""Consent belongs to a person: one name cannot be both public and not."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple

from regioverhalen.content.messages import _
from regioverhalen.content.problems import Problem
from regioverhalen.content.reader_view import reader_view


class NameEntry(NamedTuple):
    """One participant entry's name, where it is written, and whether that person consented."""

    name: str
    public: bool
    path: str
    line: int
    column: int


def name_key(name: str) -> str:
    """A name as it is read: folded, case and separators ignored ('José  Müller' = 'jose muller')."""
    return " ".join(re.findall(r"[^\W_]+", reader_view(unicodedata.normalize("NFC", name)).text.lower()))


def conflicting_consent(entries: Iterable[NameEntry]) -> list[Problem]:
    """Consent belongs to a person: one name in entries with and without `public: true` is an
    error at each of them."""
    by_name: dict[str, list[NameEntry]] = {}
    for entry in entries:
        key = name_key(entry.name)
        if key:
            by_name.setdefault(key, []).append(entry)
    problems = []
    for same in by_name.values():
        if len({entry.public for entry in same}) < 2:
            continue
        for entry in same:
            others = ", ".join(f"{o.path}:{o.line}" for o in same if o is not entry)
            problems.append(
                Problem(
                    entry.path,
                    entry.line,
                    entry.column,
                    _(
                        "name: '{name}' is also the name of the participant at {others}, with other consent "
                        "(public:); one person has one consent: make both entries the same, or tell them apart"
                    ).format(name=entry.name, others=others),
                )
            )
    return problems
