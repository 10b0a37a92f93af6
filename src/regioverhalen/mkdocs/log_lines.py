"""The build's log shows what a story holds without letting it add a line of its own.

MkDocs quotes a page's links and file names in its log as they are written, `%0A` decoded to
a line break, and other plugins may quote page text: a story could print a line in CI's log
that looks like another file's result or a GitHub annotation, or a terminal escape that hides
one. Every record MkDocs' own command line shows goes through this filter: a warning or an
error is one line; a notice keeps a line break only where one of MkDocs' lists goes on
(`\n  - `: an item, which no reader or CI takes for a line of its own); every other line
break, and every character that is not printable, is written as its escape
(`content/problems.one_line`).
"""

from __future__ import annotations

import logging

from regioverhalen.content.problems import one_line

#: Where a notice of MkDocs' (pages not in the navigation, say) goes on with its list's next item.
_LIST_ITEM = "  - "


def one_line_but_lists(message: str) -> str:
    """`message` with a line break kept only before a list item, each line on one line."""
    first, *rest = message.split("\n")
    return one_line(first) + "".join(("\n" if line.startswith(_LIST_ITEM) else "\\n") + one_line(line) for line in rest)


class _OneLineRecords(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        shown = one_line(message) if record.levelno >= logging.WARNING else one_line_but_lists(message)
        if shown != message:
            record.msg, record.args = shown, None
        return True


_FILTER = _OneLineRecords()


def keep_log_lines_whole() -> None:
    """Put the filter on the handlers of MkDocs' logger (those its command line adds), once."""
    for handler in logging.getLogger("mkdocs").handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
