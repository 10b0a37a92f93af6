"""The plugin's templates and stylesheet, between a site's overrides and the theme."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import jinja2
import jinja2.meta
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.utils import get_theme_dir

from regioverhalen.mkdocs import compiled_templates
from regioverhalen.mkdocs.options import site_root
from regioverhalen.site.navigation import EDITOR_PAGES
from regioverhalen.site.templating import (
    OVERRIDE_FOLDER,
    SiteTemplateError,
    site_template_error,
    template_mistakes_reported,
)

THEME_DIR = Path(__file__).parent.parent / "theme"
STYLESHEET = "assets/regioverhalen.css"
GLOSSARY_ASSETS = ("assets/begrippen.css", "assets/begrippen.js")
SCRIPT = "assets/regioverhalen.js"


#: The templates MkDocs renders pages and the theme's own files with, on a site of this plugin.
PAGE_TEMPLATES = ["main.html", "verhaal.html", "zoeken.html", "404.html", "sitemap.xml"]


def add_theme_dir(config: MkDocsConfig) -> None:
    """Our templates below the site's overrides (custom_dir) and above the theme's."""
    config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))


def add_theme_assets(config: MkDocsConfig, *, glossary: bool) -> None:
    """Our stylesheet and script; the glossary's explanations need their own."""
    config.extra_css.append(STYLESHEET)
    config.extra_javascript.append(SCRIPT)
    if glossary:
        config.extra_css.append(GLOSSARY_ASSETS[0])
        config.extra_javascript.append(GLOSSARY_ASSETS[1])


def shipped_assets(config: MkDocsConfig) -> tuple[Path, ...]:
    """Material's asset folder, if the site uses it: as Material ships them, its scripts and
    styles (megabytes) hold no site's text. No other theme's: a site's own overrides
    (custom_dir), another theme and this plugin's own few assets (in a checkout of this
    repository, files like any other) may hold a site's text."""
    material = Path(get_theme_dir("material")).resolve()
    used = any(Path(folder).resolve() == material for folder in config.theme.dirs)
    return (material / "assets",) if used and (material / "assets").is_dir() else ()


def compile_ahead(config: MkDocsConfig, stop: Callable[[], bool]) -> None:
    """Compile the templates that pages are rendered with into this process's cache, in an
    environment like the one MkDocs makes for the build, which then finds them compiled; until
    `stop()`: this runs while a child process loads the content, when this one would wait."""
    env = config.theme.get_env()
    compiled_templates.install(env)
    _with_theme_below(env, config)
    compiled_templates.compile_reachable(env, PAGE_TEMPLATES, stop)


def install_templates(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> None:
    """What our templates need: the theme's templates below ours, and the footer's editor pages;
    and the templates an earlier build in this process compiled. A syntax error in a template of
    the site's own (custom_dir) stops the build at its line: MkDocs would stop with a traceback."""
    compiled_templates.install(env)
    _with_theme_below(env, config)
    env.globals["regioverhalen_editor_pages"] = _editor_pages(files)
    if config.theme.custom_dir:
        _check_site_templates(env, config, Path(config.theme.custom_dir))


def _check_site_templates(env: jinja2.Environment, config: MkDocsConfig, custom: Path) -> None:
    """Parse the site's own theme templates: those that replace one of the theme's, and those
    a page template or another of them names. (Other .html files there are never rendered.)"""
    below = [Path(folder) for folder in config.theme.dirs if Path(folder).resolve() != custom.resolve()]
    named = set(PAGE_TEMPLATES)
    broken: dict[str, jinja2.TemplateSyntaxError] = {}
    for path in sorted(p for p in custom.rglob("*") if p.suffix in (".html", ".xml")):
        name = path.relative_to(custom).as_posix()
        if name.startswith(f"{OVERRIDE_FOLDER}/"):  # the listing pages' templates: site_loading's
            continue
        try:
            tree = env.parse(path.read_text(encoding="utf-8"), name, str(path))
        except UnicodeDecodeError:  # no template of any theme: MkDocs says so if one names it
            continue
        except jinja2.TemplateSyntaxError as error:
            broken[name] = error
            continue
        named.update(other for other in jinja2.meta.find_referenced_templates(tree) if other)
    for name, mistake in broken.items():
        if name in named or any((folder / name).is_file() for folder in below):
            raise PluginError(str(site_template_error(mistake, site_root(config))))


@contextlib.contextmanager
def site_template_mistakes(root: Path) -> Iterator[None]:
    """A mistake in one of the site's own templates, met while the site or a page is made, stops
    the build at its line (`template_mistakes_reported`): MkDocs shows anything but a
    PluginError with a traceback."""
    try:
        with template_mistakes_reported(root):
            yield
    except SiteTemplateError as error:
        raise PluginError(str(error)) from None


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
