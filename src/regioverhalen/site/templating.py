"""Jinja2 templates for the generated pages: autoescaped, compiled once, overridable by a site.

A site overrides a template (or the interface words in `woorden.yml`) by putting a file of the
same name in `<custom_dir>/regioverhalen/`. Templates get plain values and escape them
themselves; only values marked safe here (headings, the map's path) are put in as they are.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import jinja2
import yaml
from markupsafe import Markup

from regioverhalen.content.terms import slugify
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
    `mkdocs serve` session too (auto_reload notices an edited override; `_stamp`, a folder made
    or a words file edited since)."""
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
    source, _, _ = package.get_source(env, WORDS_FILE)
    words: dict[str, str] = dict(yaml.safe_load(source))
    own = override_dir / WORDS_FILE if override_dir is not None else None
    if own is not None and own.is_file():
        words.update(yaml.safe_load(own.read_text(encoding="utf-8")) or {})
    return words


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


def _override_stamp(override_dir: Path | None) -> tuple[bool, int, int]:
    """What `_environment` reads from the override folder once: whether it exists, and its words file."""
    if override_dir is None or not override_dir.is_dir():
        return (False, 0, 0)
    try:
        info = (override_dir / WORDS_FILE).stat()
    except FileNotFoundError:
        return (True, 0, 0)
    return (True, info.st_mtime_ns, info.st_size)
