"""Where each key and value of a YAML document sits: the positions every problem is reported at."""

from __future__ import annotations

from dataclasses import dataclass, field

#: A value's address inside a document: mapping keys and list indexes.
Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Position:
    line: int
    column: int


@dataclass(frozen=True)
class BlockText:
    """A block scalar's lines as written (after `|` or `>`), and the line of the first: where
    a word in its value stands, which YAML's folding and indentation hide in the value."""

    line: int
    text: str


@dataclass
class SourceMap:
    """Positions of values and keys by their location in the document."""

    values: dict[Loc, Position] = field(default_factory=dict)
    keys: dict[Loc, Position] = field(default_factory=dict)
    blocks: dict[Loc, BlockText] = field(default_factory=dict)
    #: Locations already reported while parsing; validation skips these.
    reported: set[Loc] = field(default_factory=set)
    #: Keys without a value after a comma in a `{...}` mapping: most likely the rest of the text
    #: before the comma. By the key's location: the location of that value, the whole text as
    #: meant, and the part YAML read as keys.
    split_texts: dict[Loc, tuple[Loc, str, str]] = field(default_factory=dict)

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
