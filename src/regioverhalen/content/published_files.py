"""Names in the files a site publishes as they are: the regions' file names (their URLs),
every file in docs/, whatever its type, and its name, the site's configuration files (their
site texts) and the text files of the theme's custom_dir (its templates and words). `check`
and the build report them where they stand."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import yaml
from yaml_env_tag import construct_env_tag

from regioverhalen.content.collection import ContentPaths
from regioverhalen.content.consent import NameMatcher
from regioverhalen.content.messages import _
from regioverhalen.content.problems import Problem, consent_message
from regioverhalen.content.reading import decode_config

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
        problems += _names_in_config(rel, config_file, matcher)
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
    for start, end, value in _config_texts(text):
        for pid in dict.fromkeys(pid for _line, _column, pid in matcher.find(value)):
            if not any(start.line < line <= end.line + 1 and named == pid for line, _column, named in found):
                problems.append(Problem(rel, start.line + 1, start.column + 1, consent_message(pid)))
    return sorted(set(problems))


class _EnvLoader(yaml.SafeLoader):
    """Reads `!ENV` as MkDocs does."""


_EnvLoader.add_constructor("!ENV", construct_env_tag)


def _config_texts(text: str) -> Iterator[tuple[yaml.Mark, yaml.Mark, str]]:
    """Each text of a configuration file as YAML reads it, with where it starts and ends."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:  # the settings were read from it: it has changed since
        return
    nodes = [root] if root is not None else []
    while nodes:
        node = nodes.pop()
        if node.tag == "!ENV":
            value = _EnvLoader("").construct_object(node, deep=True)
            if isinstance(value, str):
                yield node.start_mark, node.end_mark, value
        elif isinstance(node, yaml.ScalarNode):
            yield node.start_mark, node.end_mark, node.value
        elif isinstance(node, yaml.SequenceNode):
            nodes += node.value
        elif isinstance(node, yaml.MappingNode):
            nodes += [part for pair in node.value for part in pair]
