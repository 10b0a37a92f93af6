"""Problems found in content: collected, never raised, so every one is reported at once."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from regioverhalen.content.messages import _


def one_line(text: str) -> str:
    """`text` on one line, as a terminal shows it: every character that is not printable (a line
    break, a carriage return, a terminal's escape, Unicode's separators, direction and other
    format controls, unassigned code points) written as its escape (a line break as `\\n`), so
    that a reported problem is one line, and shows what a file holds. Spaces stay spaces."""
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() or unicodedata.category(c) == "Zs" else repr(c)[1:-1]  # repr escapes exactly these
        for c in text
    )


@dataclass(frozen=True, order=True)
class _Finding:
    """Something found in a content file, at a 1-based line and column."""

    #: How it is printed, in English in every language: editors' tools and CI match on it.
    KIND: ClassVar[str]

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{one_line(self.path)}:{self.line}:{self.column}: {self.KIND}: {one_line(self.message)}"


@dataclass(frozen=True, order=True)
class Problem(_Finding):
    """One mistake in one content file: `check` fails and nothing is built."""

    KIND = "error"


@dataclass(frozen=True, order=True)
class ContentWarning(_Finding):
    """A place in a content file that is worth a look but stops nothing in `check` (a strict
    build does stop on it)."""

    KIND = "warning"


def consent_message(participant_id: str) -> str:
    """What is said wherever a participant's name would be published without their consent."""
    return _("names participant '{id}', who has not consented (public: true); describe them by role instead").format(
        id=participant_id
    )


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A '; did you mean ...?' suffix for the closest choice, or '' if none is close."""
    import difflib  # only ever needed with a mistake to report: a clean check does not wait for it

    matches = difflib.get_close_matches(str(word), sorted(choices), n=1, cutoff=0.6)
    return _("; did you mean '{choice}'?").format(choice=matches[0]) if matches else ""


def field_name(loc: tuple[str | int, ...]) -> str:
    """`('lessons', 0, 'level')` -> `lessons[0].level`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def describe(value: Any) -> str:
    """How a found value is named in a message."""
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return _("the number {value}").format(value=value)
    if isinstance(value, dt.date):
        return _("the date {date}").format(date=value.isoformat())
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"'{shown}'"
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping")
    return type(value).__name__
