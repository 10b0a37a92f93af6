"""The build's log shows what a story holds without letting it add a line of its own.

MkDocs quotes a page's links in its warnings as they are written, `%0A` decoded to a line
break, and other plugins may quote page text: a story could print a line in CI's log that
looks like another file's result, or a terminal escape that hides one. Every record MkDocs'
own command line shows goes through this filter: a warning or an error is one line; any record
keeps its line breaks only if it is a notice (MkDocs lists pages on several lines), and every
other character that is not printable is written as its escape (`content/problems.one_line`).
"""

from __future__ import annotations

import logging

from regioverhalen.content.problems import one_line


class _OneLineRecords(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            shown = one_line(message)
        else:
            shown = "\n".join(one_line(line) for line in message.split("\n"))
        if shown != message:
            record.msg, record.args = shown, None
        return True


_FILTER = _OneLineRecords()


def keep_log_lines_whole() -> None:
    """Put the filter on the handlers of MkDocs' logger (those its command line adds), once."""
    for handler in logging.getLogger("mkdocs").handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
