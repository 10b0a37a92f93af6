"""Names in the files a site publishes as they are: the regions' file names (their URLs),
every file in docs/, whatever its type, and its name, the site's configuration files (their
site texts) and the text files of the theme's custom_dir (its templates and words). `check`
and the build report them where they stand."""

from __future__ import annotations

import os
from pathlib import Path

from regioverhalen.content.collection import ContentPaths
from regioverhalen.content.consent import NameMatcher
from regioverhalen.content.messages import _
from regioverhalen.content.problems import Problem, consent_message

#: Larger files in docs/ are only checked by name (and by the build's scan of its output).
MAX_SCANNED_BYTES = 20_000_000

#: The files of a theme's custom_dir whose text reaches readers: templates, and what is copied
#: to the site as it is. (Images and fonts are left to the build's scan of its output.)
THEME_TEXT_SUFFIXES = frozenset(
    {".html", ".htm", ".j2", ".txt", ".xml", ".json", ".csv", ".js", ".css", ".svg", ".yml", ".yaml"}
)


def names_in_published_files(paths: ContentPaths, matcher: NameMatcher) -> list[Problem]:
    """A problem for every name without consent in a region's file name, in the name or the
    text of a file in docs/ (decoded as UTF-8; what is not text is read as far as it is), in
    the text of a configuration file and in a text file of the theme's custom_dir."""
    if not matcher:
        return []
    problems: list[Problem] = []
    root, regions_dir, docs_dir = paths.root, paths.regions_dir, paths.docs_dir
    for rel, config_file in paths.config_files:
        try:
            text = config_file.read_bytes().decode("utf-8", errors="replace")
        except OSError as error:  # read a moment ago for the settings: changed since, or gone
            problems.append(Problem(rel, 1, 1, _("cannot read file: {reason}").format(reason=error.strerror)))
            continue
        problems += [Problem(rel, line, column, consent_message(pid)) for line, column, pid in matcher.find(text)]
    if paths.theme_dir is not None:
        problems += _names_in_theme(root, paths.theme_dir, matcher)
    regions = root / regions_dir
    if regions.is_dir():
        for file in sorted(regions.glob("*.yml")):
            problems += _in_name(file.name, f"{regions_dir}/{file.name}", matcher, _("; rename the file"))
    docs = root / docs_dir
    for folder, dirs, files in os.walk(docs):
        dirs.sort()
        for name in sorted(dirs + files):
            rel = Path(folder, name).relative_to(root).as_posix()
            problems += _in_name(name, rel, matcher, _("; rename it"))
        for name in sorted(files):
            path = Path(folder, name)
            rel = path.relative_to(root).as_posix()
            try:
                if path.stat().st_size > MAX_SCANNED_BYTES:
                    continue
                text = path.read_bytes().decode("utf-8", errors="replace")
            except OSError:
                continue  # the build reports a file it cannot read
            problems += [Problem(rel, line, column, consent_message(pid)) for line, column, pid in matcher.find(text)]
    return problems


def _in_name(name: str, rel: str, matcher: NameMatcher, hint: str) -> list[Problem]:
    found = dict.fromkeys(pid for _line, _column, pid in matcher.find(name, markup=False))
    return [
        Problem(rel, 1, 1, _("file name '{name}' {problem}").format(name=name, problem=consent_message(pid)) + hint)
        for pid in found
    ]


def _names_in_theme(root: Path, theme_dir: str, matcher: NameMatcher) -> list[Problem]:
    problems: list[Problem] = []
    for path in sorted((root / theme_dir).rglob("*")):
        if path.suffix.lower() not in THEME_TEXT_SUFFIXES or not path.is_file():
            continue
        rel = Path(os.path.normpath(path.relative_to(root))).as_posix()  # `../` for a theme beside the site
        try:
            text = path.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            continue  # the build reports a template it cannot read
        problems += [Problem(rel, line, column, consent_message(pid)) for line, column, pid in matcher.find(text)]
    return problems
