"""The plugin's templates and stylesheet, between a site's overrides and the theme."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.theme import Theme
from mkdocs.utils import get_theme_dir

from regioverhalen.content.messages import _
from regioverhalen.content.problems import Problem
from regioverhalen.content.source_map import SourceMap
from regioverhalen.content.stories import positions_again
from regioverhalen.mkdocs import compiled_templates
from regioverhalen.mkdocs.options import shown_docs_dir, site_root
from regioverhalen.mkdocs.shared_nav import SharedNav
from regioverhalen.site.navigation import EDITOR_PAGES
from regioverhalen.site.templating import (
    SiteTemplateError,
    mistake_in_templates_below,
    template_mistakes_reported,
)

log = get_plugin_logger(__name__)
#: Where MkDocs logs its own build errors: a theme template's mistake is told as one of those.
_MKDOCS_BUILD_LOG = logging.getLogger("mkdocs.commands.build")

THEME_DIR = Path(__file__).parent.parent / "theme"
STYLESHEET = "assets/regioverhalen.css"
GLOSSARY_ASSETS = ("assets/begrippen.css", "assets/begrippen.js")
SCRIPT = "assets/regioverhalen.js"


#: The templates MkDocs renders pages and the theme's own files with, on a site of this plugin.
PAGE_TEMPLATES = ["main.html", "verhaal.html", "zoeken.html", "404.html", "sitemap.xml"]


def add_theme_dir(config: MkDocsConfig) -> None:
    """Our templates below the site's overrides (custom_dir) and above the theme's."""
    config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
    _list_files_outside_hidden_folders(config.theme)


class _OutsideHiddenFolders(jinja2.FileSystemLoader):
    """MkDocs' loader for a theme, whose list of files leaves out what is in hidden folders.

    MkDocs publishes a theme's static files from that list (`Files.add_files_from_theme`) and
    drops every path with a hidden part, so the list it keeps is the same. But Jinja's loader
    walks every folder first, and Material keeps thousands of icons in its hidden `.icons`:
    that walk was a large part of a small site's build and of every preview rebuild. Templates
    in hidden folders (`.icons/...svg`, which Material includes) are found as before."""

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for folder in self.searchpath:
            for path, folders, files in os.walk(folder, followlinks=self.followlinks):
                folders[:] = [name for name in folders if not name.startswith(".")]
                below = os.path.relpath(path, folder).replace(os.path.sep, "/")
                found.update(name if below == "." else f"{below}/{name}" for name in files)
        return sorted(found)


def _list_files_outside_hidden_folders(theme: Theme) -> None:
    """Have the theme's Jinja environments (MkDocs makes one for every build) use that loader."""
    make_env = theme.get_env

    def get_env() -> jinja2.Environment:
        env = make_env()
        if type(env.loader) is jinja2.FileSystemLoader:
            loader = env.loader
            env.loader = _OutsideHiddenFolders(loader.searchpath, loader.encoding, loader.followlinks)
        return env

    theme.get_env = get_env  # type: ignore[method-assign]


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
    material = _material_dir()
    used = any(Path(folder).resolve() == material for folder in config.theme.dirs)
    return (material / "assets",) if used and (material / "assets").is_dir() else ()


@functools.cache
def _material_dir() -> Path:
    """Where Material is installed, looked up once per process: MkDocs finds a theme by reading
    the entry points of every installed package, which costs more than many a build step."""
    return Path(get_theme_dir("material")).resolve()


def compile_ahead(config: MkDocsConfig, stop: Callable[[], bool]) -> None:
    """Compile the templates that pages are rendered with into this process's cache, in an
    environment like the one MkDocs makes for the build, which then finds them compiled; until
    `stop()`: this runs while a child process loads the content, when this one would wait."""
    env = config.theme.get_env()
    compiled_templates.install(env)
    _with_theme_below(env, config)
    compiled_templates.compile_reachable(env, PAGE_TEMPLATES, stop)


class ThemeTemplates:
    """Our templates in the environment MkDocs renders pages with, and the navigation they
    share. A mistake in one of the site's own theme templates (custom_dir), or a page naming a
    template that cannot be used, stops the build with a message where MkDocs shows a traceback."""

    def __init__(self) -> None:
        self._shared_nav = SharedNav()
        self._custom: Path | None = None
        self._root = Path()

    def start_build(self, config: MkDocsConfig, nav: Navigation) -> None:
        """A new build, before any template is rendered (other plugins render some at on_env):
        its navigation, and where the site's own templates are."""
        self._shared_nav.reset(nav)
        self._custom = Path(config.theme.custom_dir) if config.theme.custom_dir else None
        self._root = site_root(config)

    def install(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> None:
        """What our templates need: the theme's templates below ours, the footer's editor pages,
        the shared navigation, and the templates an earlier build in this process compiled.
        Then every page to be rendered names a template there (call last: other plugins may
        add templates to `env`)."""
        compiled_templates.install(env)
        _with_theme_below(env, config)
        env.globals["regioverhalen_editor_pages"] = _editor_pages(files)
        env.globals["regioverhalen_shared_nav"] = self._shared_nav.render
        _check_page_templates(env, files, shown_docs_dir(config))

    def stop_at_mistake(self, error: Exception) -> None:
        """End the build as MkDocs ends it at a BuildError (an error line, no traceback) if
        `error` is a mistake in one of the site's own theme templates. This runs once the build
        has failed, so only what MkDocs renders is judged: a broken file no page uses stops
        nothing. An error raised in code a template calls (a hook's filter) is left to MkDocs."""
        if self._custom is None:
            return
        mistake = mistake_in_templates_below(error, self._custom, self._root, blame_code_it_calls=False)
        if mistake is not None:
            _MKDOCS_BUILD_LOG.error(str(mistake))
            raise Abort("Aborted with a BuildError!")


def _check_page_templates(env: jinja2.Environment, files: Files, docs_dir: str) -> None:
    """Every page MkDocs has read, and so will render, names (front matter `template:`) a
    template that exists, or none: MkDocs would stop at the first that does not, with a
    traceback. A mistake inside a template is told at its line when MkDocs renders it."""
    problems: list[Problem] = []
    # Drafts too: `mkdocs serve` renders them. Pages MkDocs has not read (drafts in a build,
    # unchanged pages in a dirty one) are not rendered either.
    for file in files.documentation_pages(inclusion=InclusionLevel.is_in_serve):
        page = file.page
        if page is None or page.markdown is None or "template" not in page.meta:
            continue
        name = page.meta["template"]
        if not isinstance(name, str):
            message = _("template: expected the file name of a template, like 'main.html'")
        else:
            try:
                env.get_template(name)
                continue
            except jinja2.TemplateNotFound:
                message = _("template: there is no template '{name}' in the theme or the site's custom_dir")
                message = message.format(name=name)
            except (jinja2.TemplateError, UnicodeDecodeError, OSError):  # told when MkDocs renders it
                continue
        shown = file.src_uri if file.generated_by else f"{docs_dir}/{file.src_uri}"
        source = positions_again(Path(file.abs_src_path), shown) if file.abs_src_path else SourceMap()
        where = source.value(("template",))
        problems.append(Problem(shown, where.line, where.column, message))
    for problem in sorted(problems):
        log.error(str(problem))
    if problems:
        message = _("build stopped: {count} page(s) with a 'template:' that cannot be used")
        raise PluginError(message.format(count=len(problems)))


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
