"""Jinja2 templates for the generated pages: autoescaped, compiled once, overridable by a site.

A site overrides a template (or the interface words in `woorden.yml`) by putting a file of the
same name in `<custom_dir>/regioverhalen/`. Templates get plain values and escape them
themselves; only values marked safe here (headings, the map's path) are put in as they are.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, cast

import jinja2
import yaml
from markupsafe import Markup

from regioverhalen.content.messages import _
from regioverhalen.content.problems import Problem
from regioverhalen.content.reading import ReadError, decode
from regioverhalen.content.terms import slugify
from regioverhalen.content.yaml_source import parse_yaml
from regioverhalen.site.goal import dutch_date

OVERRIDE_FOLDER = "regioverhalen"
WORDS_FILE = "woorden.yml"


class Headings:
    """Gives a page's headings unique ids, like Python-Markdown's, and remembers them for the
    page's table of contents; the markup is the `heading` macro's (templates/macros.html)."""

    def __init__(self, permalink: str, permalink_title: str, write: Callable[..., Markup]) -> None:
        self.found: list[tuple[int, str, str]] = []
        self._ids: set[str] = set()
        self._permalink = Markup(permalink)  # the site's own setting, written as it is
        self._permalink_title = permalink_title
        self._write = write

    def __call__(self, level: int, title: str, anchor: str = "", link: str = "") -> Markup:
        base = anchor or slugify(title) or "kop"
        anchor, n = base, 0
        while anchor in self._ids:
            n += 1
            anchor = f"{base}_{n}"
        self._ids.add(anchor)
        self.found.append((level, anchor, title))
        return self._write(level, anchor, title, link, self._permalink, self._permalink_title)


@functools.lru_cache(maxsize=8)
def _environment(override_dir: Path | None, _stamp: object = None) -> jinja2.Environment:
    """One environment per override folder: its templates are compiled once, for every build of a
    `mkdocs serve` session too (auto_reload notices an edited override; `_stamp`, a folder made,
    a words file edited, or a template added or removed since)."""
    loaders: list[jinja2.BaseLoader] = []
    if override_dir is not None and override_dir.is_dir():
        loaders.append(jinja2.FileSystemLoader(override_dir))
    loaders.append(jinja2.PackageLoader("regioverhalen.site", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["datum"] = dutch_date
    env.globals["w"] = _words(env, override_dir)
    return env


def _words(env: jinja2.Environment, override_dir: Path | None) -> dict[str, str]:
    """The interface's Dutch words, from one file; a site's own file replaces some or all."""
    package = jinja2.PackageLoader("regioverhalen.site", "templates")
    source = package.get_source(env, WORDS_FILE)[0]
    words: dict[str, str] = dict(yaml.safe_load(source))
    own = override_dir / WORDS_FILE if override_dir is not None else None
    if own is not None and own.is_file():
        words.update(_own_words(own))
    return words


def _own_words(path: Path) -> dict[str, str]:
    """A site's own words, read as content files are (`decode`, `parse_yaml`): a mapping of
    texts, or a SiteTemplateError at its first mistake."""
    try:
        parsed = parse_yaml(decode(path.read_bytes(), str(path)), str(path))
    except ReadError as error:
        raise SiteTemplateError.at(error.problem) from None
    if parsed.problems:
        raise SiteTemplateError.at(min(parsed.problems))
    if parsed.data is None:
        return {}
    if not isinstance(parsed.data, dict):
        where = parsed.source.value(())
        raise SiteTemplateError(
            str(path), where.line, where.column, _("expected words like 'deelnemers: Wie doen er mee'")
        )
    for key, value in parsed.data.items():
        if not isinstance(value, str):
            where = parsed.source.value((key,))
            message = _("the words for '{key}' must be text; put them in quotes if they look like a number")
            raise SiteTemplateError(str(path), where.line, where.column, message.format(key=key))
    return dict(parsed.data)


class SiteTemplateError(Exception):
    """A site's own page template or words file cannot be used: `path:line:col: error: ...`."""

    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{column}: error: {message}")
        self.where, self.message = (path, line, column), message

    @classmethod
    def at(cls, problem: Problem) -> SiteTemplateError:
        return cls(problem.path, problem.line, problem.column, problem.message)


@contextlib.contextmanager
def template_mistakes_reported(root: Path) -> Iterator[None]:
    """A template's mistake (a site's override, most likely) as a SiteTemplateError at the
    template's file and line, shown from `root`, instead of a traceback: Jinja's errors, and any
    other error raised while one of the site's own templates (below `root`) ran."""
    try:
        yield
    except SiteTemplateError as error:
        path, line, column = error.where
        raise SiteTemplateError(_shown(path, root), line, column, error.message) from None
    except jinja2.TemplateError as error:
        raise site_template_error(error, root) from None
    except Exception as error:  # the filters and values given to these templates are this package's
        mistake = mistake_in_templates_below(error, root, root, blame_code_it_calls=True)
        if mistake is None:
            raise
        raise mistake from None


def mistake_in_templates_below(
    error: Exception, folder: Path, root: Path, *, blame_code_it_calls: bool
) -> SiteTemplateError | None:
    """`error` as a mistake at a template's line (shown from `root`), if one of the templates
    below `folder` made it: Jinja's own errors, and any other raised by a template's code or by
    Jinja on its behalf. Unless `blame_code_it_calls`, an error raised in other Python code
    that a template called (a plugin's filter, a method of a value) is that code's, and is left
    as it is."""
    if isinstance(error, UnicodeDecodeError):
        return _undecodable_template(error, folder, root)
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        place: tuple[str, int] | None = (error.filename, error.lineno)
    else:
        place = _template_place(error.__traceback__, raised_there=not blame_code_it_calls)
    if place is None or not _below(place[0], folder):
        return None
    if isinstance(error, jinja2.TemplateError):
        return site_template_error(error, root)
    message = _("in a page template: {message}").format(message=f"{type(error).__name__}: {error}")
    return SiteTemplateError(_shown(place[0], root), place[1], 1, message)


def _undecodable_template(error: UnicodeDecodeError, folder: Path, root: Path) -> SiteTemplateError | None:
    """A template below `folder` that Jinja's file loader could not read as UTF-8 (an editor
    saved it in another encoding), at its first byte that is not UTF-8."""
    for frame, _line in traceback.walk_tb(error.__traceback__):
        loader, name = frame.f_locals.get("self"), frame.f_locals.get("template")
        if not isinstance(loader, jinja2.FileSystemLoader) or not isinstance(name, str):
            continue
        # The loader reads the first of its folders that has the template.
        path = next((Path(place, name) for place in loader.searchpath if Path(place, name).is_file()), None)
        if path is None or not _below(str(path), folder):
            return None
        try:
            decode(path.read_bytes(), _shown(str(path), root))
        except ReadError as unreadable:
            return SiteTemplateError.at(unreadable.problem)
        return None
    return None


def _below(path: str, folder: Path) -> bool:
    """Whether `path` is in `folder`: as written (a template file there may link to one
    elsewhere), or with links followed (the folder may be reached through one)."""
    as_written = Path(os.path.abspath(path)).is_relative_to(os.path.abspath(folder))
    return as_written or Path(path).resolve().is_relative_to(folder.resolve())


def site_template_error(error: jinja2.TemplateError, root: Path) -> SiteTemplateError:
    """Jinja's error at the template's file and line (its own, or for a mistake found while
    rendering, the template line its traceback runs through last), shown from `root`."""
    filename: str | None = getattr(error, "filename", None)
    at: int | None = getattr(error, "lineno", None)
    if not filename:
        filename, at = _template_place(error.__traceback__) or (None, None)
    if isinstance(error, jinja2.TemplateNotFound):
        message = _("template not found: {name}").format(name=error.name)
        named = [str(error.name)]
    else:
        message = _("in a page template: {message}").format(message=error.message or type(error).__name__)
        named = _QUOTED_NAME.findall(error.message or "")
    column = _column_of_first(named, filename, at) if filename and at else 1
    return SiteTemplateError(_shown(filename or "?", root), at or 1, column, message)


#: A name Jinja quotes in its message: a variable, attribute, filter, test or tag.
_QUOTED_NAME = re.compile(r"'([A-Za-z_]\w*)'")
#: A Jinja expression or tag, up to its end or the end of the line.
_JINJA_CODE = re.compile(r"\{[{%].*?(?:[}%]\}|$)")


def _column_of_first(names: list[str], filename: str, line: int) -> int:
    """The column where the first of `names` that the template's line `line` has in its Jinja
    code is written; 1 (the line as a whole) when none is, as for a misplaced bracket."""
    try:
        text = Path(filename).read_text(encoding="utf-8").splitlines()[line - 1]
    except (OSError, UnicodeDecodeError, IndexError):
        return 1
    for name in names:
        word = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")
        for code in _JINJA_CODE.finditer(text):
            found = word.search(text, code.start(), code.end())
            if found is not None:
                return found.start() + 1
    return 1


def _template_place(trace: TracebackType | None, raised_there: bool = False) -> tuple[str, int] | None:
    """The template file and line the traceback `trace` runs through last: a frame of a
    template's compiled code (a macro called from Python) or one Jinja rewrote to point at the
    template, at the template's line. With `raised_there`, only if no code but Jinja's ran
    after it (its filters, tests and includes): not other code the template called."""
    found = None
    for frame, line in traceback.walk_tb(trace):
        template = frame.f_globals.get("__jinja_template__")
        if template is not None and template.filename:
            found = (template.filename, template.get_corresponding_lineno(line))
        elif "__jinja_exception__" in frame.f_globals:  # rewritten by Jinja (jinja2.debug)
            found = (frame.f_code.co_filename, line)
        elif raised_there and frame.f_globals.get("__name__", "").partition(".")[0] != "jinja2":
            found = None
    return found


def _shown(path: str, root: Path) -> str:
    """`path` as messages show it: from the site's root where it is below it."""
    shown = Path(path)
    return Path(os.path.relpath(shown, root)).as_posix() if shown.is_absolute() and shown.is_relative_to(root) else path


class Templates:
    """The generator's page templates, with a site's overrides first."""

    def __init__(self, override_dir: Path | None = None) -> None:
        self.env = _environment(override_dir, _override_stamp(override_dir))

    def render(self, name: str, **context: Any) -> str:
        return self.env.get_template(name).render(**context)

    def macro(self, name: str) -> Callable[..., Markup]:
        """A macro of macros.html: the site's own, or the generator's where the site's copy of
        macros.html (made for an earlier version) has no macro of that name."""
        found = getattr(self.env.get_template("macros.html").module, name, None)
        if found is None:
            found = getattr(_environment(None).get_template("macros.html").module, name)
        return cast(Callable[..., Markup], found)


def _override_stamp(override_dir: Path | None) -> tuple[bool, int, int, tuple[str, ...]]:
    """What `_environment` reads from the override folder once: whether it exists, its words
    file, and which templates it has (one added in front of a generator's template would
    otherwise stay unseen: Jinja's auto_reload watches only the file it loaded)."""
    if override_dir is None or not override_dir.is_dir():
        return (False, 0, 0, ())
    names = tuple(sorted(path.relative_to(override_dir).as_posix() for path in override_dir.rglob("*.html")))
    try:
        info = (override_dir / WORDS_FILE).stat()
    except FileNotFoundError:
        return (True, 0, 0, names)
    return (True, info.st_mtime_ns, info.st_size, names)
