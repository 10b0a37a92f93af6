"""Reading a content file's bytes into text and splitting off its front matter.

The split is line-exact (unlike python-frontmatter's boundary regex, which may
swallow blank lines) because every error must point at the right line.
"""

from __future__ import annotations

import bisect
import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass

import yaml
from yaml_env_tag import construct_env_tag

from regioverhalen.content.messages import _
from regioverhalen.content.problems import Problem

MAX_FILE_BYTES = 2 * 1024 * 1024


class ReadError(Exception):
    """A file that cannot be read as content; carries its problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class EnvTagLoader(yaml.SafeLoader):
    """Reads a configuration file's `!ENV` as MkDocs does (with the library MkDocs uses)."""


EnvTagLoader.add_constructor("!ENV", construct_env_tag)


def config_texts(text: str) -> Iterator[tuple[yaml.Mark, yaml.Mark, str]]:
    """Each text of a configuration file as YAML reads it (escapes decoded, `!ENV` resolved),
    with where it starts and ends; a node reached again through an alias is read once, even
    one that holds itself. Nothing for a file YAML cannot read: that is told where it is read."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return
    nodes, seen = ([root] if root is not None else []), set()
    while nodes:
        node = nodes.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.tag == "!ENV":
            try:
                value = EnvTagLoader("").construct_object(node, deep=True)
            except yaml.YAMLError:
                continue
            if isinstance(value, str):
                yield node.start_mark, node.end_mark, value
        elif isinstance(node, yaml.ScalarNode):
            yield node.start_mark, node.end_mark, node.value
        elif isinstance(node, yaml.SequenceNode):
            nodes += node.value
        elif isinstance(node, yaml.MappingNode):
            nodes += [part for pair in node.value for part in pair]


def decode_published(raw: bytes) -> str:
    """A published file's text as a browser reads it: by its byte order mark, what is not text
    read as far as it is."""
    return _by_byte_order_mark(raw, errors="replace")


def decode_config(raw: bytes) -> str:
    """A configuration file's text as PyYAML, and so MkDocs, reads its bytes (Windows' Notepad
    saves 'Unicode' as UTF-16). Raises UnicodeDecodeError for bytes that are no text."""
    return _by_byte_order_mark(raw, errors="strict")


def _by_byte_order_mark(raw: bytes, *, errors: str) -> str:
    """UTF-16 after that byte order mark, else UTF-8; the mark dropped, so that columns on the
    first line count as an editor's do."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors=errors)
    return raw.decode("utf-8-sig", errors=errors)


def decode(raw: bytes, path: str) -> str:
    """UTF-8 text of a content file, with a BOM dropped and line ends made '\\n'."""
    if len(raw) > MAX_FILE_BYTES:
        raise ReadError(
            Problem(
                path,
                1,
                1,
                _("file is {size} MB; the limit is {limit} MB").format(
                    size=f"{len(raw) / 1_048_576:.1f}", limit=MAX_FILE_BYTES // 1_048_576
                ),
            )
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError(Problem(path, 1, 1, _("file is saved as UTF-16; save it as UTF-8")))
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise ReadError(Problem(path, line, 1, _("file is binary, not text")))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        # Count characters, not bytes, as an editor does; everything before the bad byte is valid.
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        column = len(raw[line_start : error.start].decode("utf-8").removeprefix("\ufeff")) + 1
        byte = raw[error.start]
        raise ReadError(
            Problem(
                path,
                line,
                column,
                _("file is not UTF-8: byte {byte} cannot be read; save the file as UTF-8").format(byte=f"0x{byte:02x}"),
            )
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
        raise ReadError(Problem(path, 1, 1, _("file is empty; a story starts with front matter between '---' lines")))
    first_end = text.find("\n")
    if (text if first_end < 0 else text[:first_end]).rstrip() != "---":
        raise ReadError(
            Problem(
                path, 1, 1, _("story has no front matter; start the file with a '---' line, then the keys, then '---'")
            )
        )
    fence = _CLOSING_FENCE.search(text, first_end) if first_end >= 0 else None
    if fence is None:
        raise ReadError(Problem(path, 1, 1, _("front matter is not closed; add a '---' line after the last key")))
    return SplitStory(
        front_matter=text[first_end + 1 : fence.start() + 1] or "\n",
        front_matter_line=2,
        body=text[fence.end() + 1 :],
        body_line=text.count("\n", 0, fence.start()) + 3,
    )


#: The line that closes front matter, from the line break before it: '---' or '...', then
#: nothing but spaces (of any kind: `str.rstrip` strips them too).
_CLOSING_FENCE = re.compile(r"\n(?:---|\.\.\.)[^\S\n]*(?=\n|\Z)")


#: A Markdown heading below the top level: YAML reads it as a comment, but front matter hardly
#: ever holds one, and a story's text almost always does.
_SUBHEADING = re.compile(r"#{2,6}[ \t]+\S")
#: A line YAML reads as a key.
_YAML_KEY = re.compile(r"[\w.-]+[ \t]*:(?:\s|$)")


def story_text_starts(front_matter: str, error_line: int, keys: frozenset[str] = frozenset()) -> list[int]:
    """Where a story's text may begin in what was taken for its front matter (lines within
    `front_matter`, 1-based, earliest first), if the '---' after the keys was left out and a
    later '---' (a horizontal rule) closed it instead. The caller checks that the lines before
    one of them are front matter without a problem.

    A candidate is the first line after a blank line before the line where YAML failed
    (`error_line`) whose first line that is not a heading does not read as a YAML key, and that
    is followed by a subheading somewhere or reads as prose: three words or more, the first not
    one of the front matter's `keys` (`summary Een korte tekst` is a key without its ':').
    """
    lines = front_matter.split("\n")
    starts: list[int] = []
    for blank in range(1, min(error_line, len(lines) + 1)):
        if lines[blank - 1].strip():
            continue
        start = next((n for n in range(blank + 1, len(lines) + 1) if lines[n - 1].strip()), None)
        if start is None or (starts and start == starts[-1]):
            continue
        rest = lines[start - 1 :]
        first_text = next((line for line in rest if line.strip() and not line.startswith("#")), "")
        if _YAML_KEY.match(first_text):
            continue
        words = first_text.split()
        prose = len(words) >= 3 and words[0].casefold() not in keys
        if prose or any(_SUBHEADING.match(line) for line in rest):
            starts.append(start)
    return starts


class Positions:
    """Line and column (1-based) of an index into a text."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def __call__(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, index)
        return line, index - self._starts[line - 1] + 1
