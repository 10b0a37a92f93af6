"""Names in the files a site publishes as they are: the regions' file names (their URLs),
every file in docs/ and in the theme's custom_dir (its templates, words and assets), whatever
its type, and its name, and the site's configuration files (their site texts). `check` and the
build report them where they stand."""

from __future__ import annotations

import bisect
import os
import re
import stat
from pathlib import Path

from regioverhalen.content.collection import ContentPaths
from regioverhalen.content.consent import NameMatcher
from regioverhalen.content.discovery import walk_published
from regioverhalen.content.messages import _
from regioverhalen.content.pdf_text import UnreadablePdf, is_pdf, pdf_pages
from regioverhalen.content.problems import Problem, consent_message
from regioverhalen.content.reading import config_texts, decode_config, decode_published

#: Larger files are only checked by name (and by the build's scan of its output).
MAX_SCANNED_BYTES = 20_000_000


def names_in_published_files(paths: ContentPaths, matcher: NameMatcher) -> list[Problem]:
    """A problem for every name without consent in a region's file name, in the name or the
    text of a file in docs/ or the theme's custom_dir (decoded as UTF-8; what is not text is
    read as far as it is), and in the texts of a configuration file."""
    if not matcher:
        return []
    problems: list[Problem] = []
    for rel, config_file in paths.config_files:
        problems += _names_in_config(rel, config_file, matcher)
    regions = paths.root / paths.regions_dir
    if regions.is_dir():
        for file in sorted(regions.glob("*.yml")):
            problems += _in_name(file.name, f"{paths.regions_dir}/{file.name}", matcher, _("; rename the file"))
    problems += _names_in_folder(paths.root, paths.docs_dir, matcher, follow_links=True)
    if paths.theme_dir is not None:
        problems += _names_in_folder(paths.root, paths.theme_dir, matcher, follow_links=False)
    return problems


def _names_in_folder(root: Path, folder: str, matcher: NameMatcher, *, follow_links: bool) -> list[Problem]:
    """Every file below `folder` and its name, as MkDocs publishes them: linked folders are
    followed in docs/, each once, and not in a theme's folder. A file's HTML comments and
    attributes count, since they are published as written."""
    problems: list[Problem] = []
    for here, dirs, files in walk_published(root, folder, follow_links=follow_links):
        # Named from the root as written: `../thema/...` for a theme beside the site.
        shown = Path(os.path.normpath(os.path.relpath(here, root)))  # a docs_dir outside the root too
        for name in sorted(dirs + files):
            problems += _in_name(name, (shown / name).as_posix(), matcher, _("; rename it"))
        for name in sorted(files):
            problems += _names_in_file(Path(here, name), (shown / name).as_posix(), matcher)
    return problems


def names_in_file_names(files: list[tuple[Path, str]], matcher: NameMatcher) -> list[Problem]:
    """A problem for every name without consent in the names of these files, each given as
    (file, path from the root)."""
    if not matcher:
        return []
    return [problem for path, rel in files for problem in _in_name(path.name, rel, matcher, _("; rename it"))]


def _names_in_file(path: Path, rel: str, matcher: NameMatcher) -> list[Problem]:
    try:
        status = path.stat()
        # Only a regular file: a pipe or a device would be read for ever.
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_SCANNED_BYTES:
            return []
        data = path.read_bytes()
    except OSError:
        return []  # the build reports a file it cannot read
    text = decode_published(data)
    found = _named(rel, text, matcher)
    if "<" in text:  # comments and attributes are published as written
        found += _named(rel, markup_only(text), matcher, markup=False)
    if is_pdf(data):  # its page text besides its bytes
        found += _names_in_pdf(rel, data, matcher)
    return sorted(set(found))


#: HTML comments and tags (their attributes), which a reader's view of the text leaves out.
_MARKUP = re.compile(r"<!--.*?-->|<[^<>]*>", re.DOTALL)
_NOT_LINE_BREAK = re.compile(r"[^\n]")


def markup_only(text: str) -> str:
    """`text` with all but its comments and tags blanked, every character in its place."""
    kept, position = [], 0
    for markup in _MARKUP.finditer(text):
        kept += [_NOT_LINE_BREAK.sub(" ", text[position : markup.start()]), markup.group()]
        position = markup.end()
    kept.append(_NOT_LINE_BREAK.sub(" ", text[position:]))
    return "".join(kept)


def _names_in_pdf(rel: str, data: bytes, matcher: NameMatcher) -> list[Problem]:
    try:
        pages = pdf_pages(data)
    except UnreadablePdf as error:
        if not rel.lower().endswith(".pdf"):  # another kind of file that starts as a PDF: its bytes are read
            return []
        message = _(
            "the PDF's text cannot be read ({error}), so it cannot be checked for names; "
            "save it again without a password"
        )
        return [Problem(rel, 1, 1, message.format(error=error))]
    problems: list[Problem] = []
    for number, page in enumerate(pages, 1):
        for pid in dict.fromkeys(pid for _line, _column, pid in matcher.find(page, markup=False)):
            where = _("on page {page} of the PDF").format(page=number)
            problems.append(Problem(rel, 1, 1, f"{consent_message(pid)}; {where}"))
    return problems


def _named(rel: str, text: str, matcher: NameMatcher, *, markup: bool = True) -> list[Problem]:
    found = matcher.find(text, markup=markup)
    return [Problem(rel, line, column, consent_message(pid)) for line, column, pid in found]


def _in_name(name: str, rel: str, matcher: NameMatcher, hint: str) -> list[Problem]:
    found = dict.fromkeys(pid for _line, _column, pid in matcher.find(name, markup=False))
    return [
        Problem(rel, 1, 1, _("file name '{name}' {problem}").format(name=name, problem=consent_message(pid)) + hint)
        for pid in found
    ]


def _names_in_config(rel: str, config_file: Path, matcher: NameMatcher) -> list[Problem]:
    """Names in a configuration file as it is written, and in each of its texts as YAML reads
    it: an escape (`\\x6c` for `l`) or `!ENV` can make a name that the file does not show."""
    try:
        text = decode_config(config_file.read_bytes())
    except (OSError, UnicodeDecodeError) as error:  # read a moment ago for the settings: changed since
        reason = error.strerror if isinstance(error, OSError) else _("file is not UTF-8; save it as UTF-8")
        return [Problem(rel, 1, 1, _("cannot read file: {reason}").format(reason=reason))]
    found = matcher.find(text)
    problems = [Problem(rel, line, column, consent_message(pid)) for line, column, pid in found]
    places: dict[str, list[tuple[int, int]]] = {}  # where the text as written names each person, in order
    for line, column, pid in sorted(found):
        places.setdefault(pid, []).append((line - 1, column - 1))
    for start, end, value in config_texts(text):
        for pid in dict.fromkeys(pid for _line, _column, pid in matcher.find(value)):
            written = places.get(pid, [])
            after = bisect.bisect_left(written, (start.line, start.column))
            if after == len(written) or written[after] > (end.line, end.column):  # not shown in this text
                problems.append(Problem(rel, start.line + 1, start.column + 1, consent_message(pid)))
    return sorted(set(problems))
