"""Jinja2 templates for the generated pages: autoescaped, compiled once, overridable by a site.

A site overrides a template (or the interface words in `woorden.yml`) by putting a file of the
same name in `<custom_dir>/regioverhalen/`. Templates get plain values and escape them
themselves; only values marked safe here (headings, the map's path) are put in as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markupsafe import Markup, escape

from regioverhalen.content.terms import slugify
from regioverhalen.site.goal import dutch_date

OVERRIDE_FOLDER = "regioverhalen"
WORDS_FILE = "woorden.yml"


class Headings:
    """Writes a page's headings, with unique ids and permalinks like Python-Markdown's, and
    remembers them for the page's table of contents."""

    def __init__(self, permalink: str, permalink_title: str) -> None:
        self.found: list[tuple[int, str, str]] = []
        self._ids: set[str] = set()
        self._permalink = permalink
        self._permalink_title = permalink_title

    def __call__(self, level: int, title: str, anchor: str = "", link: str = "") -> Markup:
        base = anchor or slugify(title) or "kop"
        anchor, n = base, 0
        while anchor in self._ids:
            n += 1
            anchor = f"{base}_{n}"
        self._ids.add(anchor)
        self.found.append((level, anchor, title))
        inner = Markup('<a href="{}">{}</a>').format(link, title) if link else escape(title)
        permalink = (
            Markup('<a class="headerlink" href="#{}" title="{}">{}</a>').format(
                anchor, self._permalink_title, Markup(self._permalink)
            )
            if self._permalink
            else ""
        )
        return Markup('<h{0} id="{1}">{2}{3}</h{0}>\n').format(level, anchor, inner, permalink)


class Templates:
    """The generator's page templates, with a site's overrides first."""

    def __init__(self, override_dir: Path | None = None, globals_: dict[str, Callable[..., Any]] | None = None):
        loaders: list[jinja2.BaseLoader] = []
        if override_dir is not None and override_dir.is_dir():
            loaders.append(jinja2.FileSystemLoader(override_dir))
        loaders.append(jinja2.PackageLoader("regioverhalen.site", "templates"))
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
            undefined=jinja2.StrictUndefined,
        )
        self.env.filters["datum"] = dutch_date
        self.env.globals.update(globals_ or {})
        self.env.globals["w"] = self._words(override_dir)

    def _words(self, override_dir: Path | None) -> dict[str, str]:
        """The interface's Dutch words, from one file; a site's own file replaces some or all."""
        source, _, _ = self.env.loader.get_source(self.env, WORDS_FILE)  # type: ignore[union-attr]
        words: dict[str, str] = dict(yaml.safe_load(source))
        if override_dir is not None and (override_dir / WORDS_FILE).is_file():
            # The override is found first by the loader; the package's file has every key.
            package = jinja2.PackageLoader("regioverhalen.site", "templates")
            package_source, _, _ = package.get_source(self.env, WORDS_FILE)
            words = {**yaml.safe_load(package_source), **words}
        return words

    def render(self, name: str, **context: Any) -> str:
        return self.env.get_template(name).render(**context)
