"""A text changed for reading (references decoded, markup left out), that still knows where
each of its characters was written."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable


def positions(text: str) -> Callable[[int], tuple[int, int]]:
    """Line and column (1-based) of an index into `text`."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(index: int) -> tuple[int, int]:
        line = bisect.bisect_right(starts, index)
        return line, index - starts[line - 1] + 1

    return position


class TextView:
    """A text and the changes made to it so far, each a (start, end, replacement) of the text
    as it was then; `written_index` maps a place in `text` back to the text first given."""

    def __init__(self, written: str, mapped: bool = True) -> None:
        self.text = written
        #: Without a map, only the changed text is made (quicker, for a first look).
        self.mapped = mapped
        #: Whether `text` is what a mapped view of the same text shows (a quick view may read
        #: some rare characters otherwise; see `reader_view._fold_unmapped`).
        self.exact = True
        self._written_starts: list[int] = []
        self._view_starts: list[int] = []

    def change(self, changes: list[tuple[int, int, str]]) -> None:
        if not changes:
            return
        source = self.text
        if not self.mapped:
            pieces, at = [], 0
            for start, end, shown in sorted(changes):
                if start >= at:
                    pieces += [source[at:start], shown]
                    at = end
            pieces.append(source[at:])
            self.text = "".join(pieces)
            return
        parts: list[str] = []
        starts: list[tuple[int, int]] = []
        at = length = 0
        for start, end, shown in sorted(changes):
            if start < at:  # inside a change already made
                continue
            starts += [(at, length), (start, length + start - at)]
            parts += [source[at:start], shown]
            length += start - at + len(shown)
            at = end
        starts.append((at, length))
        parts.append(source[at:])
        # Composed with the map so far: a place in `source` is itself mapped to the written text.
        # A run this change keeps may span pieces of an earlier change: it is cut where they start,
        # or the places after a piece left out earlier would drift by its length.
        if self._view_starts:
            starts = self._cut_at_earlier_pieces(starts, len(source))
        self._written_starts = (
            [self.written_index(written) for written, _ in starts] if self._view_starts else [w for w, _ in starts]
        )
        self._view_starts = [view for _, view in starts]
        self.text = "".join(parts)

    def _cut_at_earlier_pieces(self, starts: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
        """`starts` (pairs of a place in the text before this change and in the text after it),
        where every other entry, from the first, begins a run kept as it was, with each kept
        run also cut where a piece of the earlier view begins inside it."""
        cut: list[tuple[int, int]] = []
        for number, (source_at, view_at) in enumerate(starts):
            cut.append((source_at, view_at))
            if number % 2:
                continue  # a replacement: it maps to its own start
            end = starts[number + 1][0] if number + 1 < len(starts) else length
            first = bisect.bisect_right(self._view_starts, source_at)
            last = bisect.bisect_left(self._view_starts, end)
            cut += [(earlier, view_at + earlier - source_at) for earlier in self._view_starts[first:last]]
        return cut

    def written_index(self, index: int) -> int:
        """Where the character at `index` of this view stands in the text as written."""
        if not self._view_starts:
            return index
        piece = bisect.bisect_right(self._view_starts, index) - 1
        offset = index - self._view_starts[piece]
        following = self._written_starts[piece + 1] if piece + 1 < len(self._written_starts) else None
        written = self._written_starts[piece] + offset
        # Within a change (a reference shown as a character), the change's own start.
        return (
            min(written, following - 1)
            if following is not None and following > self._written_starts[piece]
            else written
        )
