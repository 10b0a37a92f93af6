"""The plugin's templates and stylesheet, between a site's overrides and the theme."""

from __future__ import annotations

from pathlib import Path

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from regioverhalen.mkdocs import compiled_templates
from regioverhalen.site.navigation import EDITOR_PAGES

THEME_DIR = Path(__file__).parent.parent / "theme"
STYLESHEET = "assets/regioverhalen.css"
GLOSSARY_ASSETS = ("assets/begrippen.css", "assets/begrippen.js")
SCRIPT = "assets/regioverhalen.js"


def add_theme(config: MkDocsConfig, *, glossary: bool) -> None:
    """Our templates below the site's overrides (custom_dir) and above the theme's; the glossary's
    explanations need their stylesheet and script."""
    config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
    config.extra_css.append(STYLESHEET)
    config.extra_javascript.append(SCRIPT)
    if glossary:
        config.extra_css.append(GLOSSARY_ASSETS[0])
        config.extra_javascript.append(GLOSSARY_ASSETS[1])


def install_templates(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> None:
    """What our templates need: the theme's templates below ours, and the footer's editor pages;
    and the templates an earlier build in this process compiled."""
    compiled_templates.install(env)
    _with_theme_below(env, config)
    env.globals["regioverhalen_editor_pages"] = _editor_pages(files)


def _editor_pages(files: Files) -> list[tuple[str, str]]:
    """The editors' pages this site has, as (title, URL), for the footer's links."""
    found = ((title, files.get_file_from_path(src)) for src, title in EDITOR_PAGES.items())
    return [(title, file.url) for title, file in found if file is not None]


def _with_theme_below(env: jinja2.Environment, config: MkDocsConfig) -> None:
    """Make the templates below ours (the theme's) reachable under a prefix: our partials/nav.html
    wraps the theme's."""
    below = config.theme.dirs[config.theme.dirs.index(str(THEME_DIR)) + 1 :]
    assert env.loader is not None
    env.loader = jinja2.ChoiceLoader(
        [env.loader, jinja2.PrefixLoader({"regioverhalen-next": jinja2.FileSystemLoader(below)})]
    )
