"""Reading a content file's bytes into text and splitting off its front matter.

The split is line-exact (unlike python-frontmatter's boundary regex, which may
swallow blank lines) because every error must point at the right line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from regioverhalen.problems import Problem

MAX_FILE_BYTES = 2 * 1024 * 1024


class ReadError(Exception):
    """A file that cannot be read as content; carries its problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def decode(raw: bytes, path: str) -> str:
    """UTF-8 text of a content file, with a BOM dropped and line ends made '\\n'."""
    if len(raw) > MAX_FILE_BYTES:
        raise ReadError(
            Problem(path, 1, 1, f"file is {len(raw) / 1_048_576:.1f} MB; the limit is {MAX_FILE_BYTES // 1_048_576} MB")
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError(Problem(path, 1, 1, "file is saved as UTF-16; save it as UTF-8"))
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise ReadError(Problem(path, line, 1, "file is binary, not text"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        # Count characters, not bytes, as an editor does; everything before the bad byte is valid.
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        column = len(raw[line_start : error.start].decode("utf-8").removeprefix("\ufeff")) + 1
        byte = raw[error.start]
        raise ReadError(
            Problem(path, line, column, f"file is not UTF-8: byte 0x{byte:02x} cannot be read; save the file as UTF-8")
        ) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class SplitStory:
    front_matter: str
    #: File line of the front matter's first line (the line after the opening '---').
    front_matter_line: int
    body: str
    #: File line where the body starts.
    body_line: int


def split_front_matter(text: str, path: str) -> SplitStory:
    """Split `---`-fenced YAML front matter from the Markdown body."""
    if not text or text.isspace():
        raise ReadError(Problem(path, 1, 1, "file is empty; a story starts with front matter between '---' lines"))
    first_end = text.find("\n")
    if (text if first_end < 0 else text[:first_end]).rstrip() != "---":
        raise ReadError(
            Problem(
                path, 1, 1, "story has no front matter; start the file with a '---' line, then the keys, then '---'"
            )
        )
    fence = _CLOSING_FENCE.search(text, first_end) if first_end >= 0 else None
    if fence is None:
        raise ReadError(Problem(path, 1, 1, "front matter is not closed; add a '---' line after the last key"))
    return SplitStory(
        front_matter=text[first_end + 1 : fence.start() + 1] or "\n",
        front_matter_line=2,
        body=text[fence.end() + 1 :],
        body_line=text.count("\n", 0, fence.start()) + 3,
    )


#: The line that closes front matter, from the line break before it: '---' or '...', then
#: nothing but spaces (of any kind: `str.rstrip` strips them too).
_CLOSING_FENCE = re.compile(r"\n(?:---|\.\.\.)[^\S\n]*(?=\n|\Z)")


#: A Markdown heading, between blank lines: a sign of a story's text (YAML reads it as a
#: comment, and a comment in front matter is followed by a key, not a blank line).
_TEXT_HEADING = re.compile(r"\n[^\S\n]*\n#{1,6}[ \t]+\S[^\n]*\n[^\S\n]*(?:\n|$)")
#: A line YAML reads as a key, a list item or part of a value: not the first line of a story's text.
_YAML_LIKE = re.compile(r"\s*(?:[\w.-]+\s*:(?:\s|$)|-\s|[\[\]{}\"'|>])")


def story_text_line(front_matter: str, error_line: int) -> int | None:
    """Where a story's text begins in what was taken for its front matter (a line within
    `front_matter`, 1-based), when the '---' after the keys was left out and a later '---'
    (a horizontal rule) closed it instead; None when nothing says so.

    The signs: a Markdown heading between blank lines, a blank line before the line where YAML
    failed (`error_line`) with nothing but blank lines and headings between them, and a first
    line after it that YAML would not read as a key, a list item or a value.
    """
    if not _TEXT_HEADING.search(front_matter):
        return None
    lines = front_matter.split("\n")
    start = error_line
    while start > 1 and (not lines[start - 2].strip() or lines[start - 2].startswith("#")):
        start -= 1
    while start < error_line and not lines[start - 1].strip():
        start += 1
    if start == 1 or lines[start - 2].strip():
        return None
    first = lines[start - 1]
    return None if not first.startswith("#") and _YAML_LIKE.match(first) else start
