"""The MkDocs plugin: a thin adapter that feeds the core's pages and files to MkDocs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import get_relative_url

from regioverhalen.content.loading import Story, load_content
from regioverhalen.content.problems import Problem, consent_message
from regioverhalen.content.safety import find_unsafe_rendered
from regioverhalen.mkdocs.forked_rendering import ForkedRenderer, can_render_in_fork
from regioverhalen.mkdocs.search_index import SearchIndex, SearchIndexError
from regioverhalen.site.feeds import site_feeds
from regioverhalen.site.home import default_home, fill_markers
from regioverhalen.site.opendata import open_data
from regioverhalen.site.pages import GeneratedPage, Heading, Site, build_site, region_src
from regioverhalen.site.settings import SettingsError, option_positions, settings_from_options

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext

log = get_plugin_logger(__name__)
THEME_DIR = Path(__file__).parent.parent / "theme"
STYLESHEET = "assets/regioverhalen.css"
SCRIPT = "assets/regioverhalen.js"
#: Pages for editors: reachable from the footer ("Voor redacteuren"), not from the readers' menu.
EDITOR_PAGES = {"redactiegids.md": "Redactiegids", "veldenreferentie.md": "Veldenreferentie"}
#: Files copied to the site as they are, whose text a reader (or a crawler) can see.
PUBLISHED_TEXT_SUFFIXES = frozenset(
    {".html", ".htm", ".txt", ".xml", ".json", ".csv", ".js", ".css", ".svg", ".yml", ".yaml"}
)


class RegioverhalenConfig(base.Config):
    stories_dir = c.Type(str, default="stories")
    """Folder with the Markdown stories, relative to mkdocs.yml."""
    regions_dir = c.Type(str, default="regions")
    """Folder with one YAML file per region, relative to mkdocs.yml."""
    goal_regions = c.Type(int, default=10)
    """How many regions should have a demonstrable breakthrough."""
    goal_deadline = c.Type((str, dt.date), default="2024-12-31")
    """The date by which those breakthroughs should be demonstrable."""
    allow_html_tags = c.ListOfItems(c.Type(str), default=[])
    """Tags normally refused in story bodies (such as iframe) that this site allows."""
    search = c.Choice(("pagefind", "none"), default="pagefind")
    """Full-text search: Pagefind (stems Dutch, loads only what a query needs) or none."""
    atomic = c.Type(bool, default=True)
    """Build into a staging folder and replace the site folder only when the build succeeds."""


class RegioverhalenPlugin(BasePlugin[RegioverhalenConfig]):
    def __init__(self) -> None:
        self.site: Site | None = None
        self._target_dir: str | None = None
        self._staging_dir: str | None = None
        self._dirty = False
        self._serving = False
        #: Under `mkdocs serve`: the problems that keep the preview at the last valid content.
        self._preview_problems: list[str] = []
        #: Under `mkdocs build`: Pagefind, indexing each page as soon as it is built.
        self._search_index: SearchIndex | None = None
        #: Under `mkdocs build`: a copy of the build rendering some of the stories.
        self._renderer: ForkedRenderer | None = None
        #: The template of a story's <article>, and the site's language, for Pagefind.
        self._story_article: jinja2.Template | None = None
        self._language = "en"
        #: Under `mkdocs serve`: Pagefind indexing the preview in the background, and its reporter.
        self._indexer: tuple[subprocess.Popen[str], threading.Thread] | None = None
        #: The generated pages, by source path.
        self._generated: dict[str, GeneratedPage] = {}
        #: The navigation as rendered for pages outside it, by the folder their URL is in.
        self._shared_nav: dict[str, str] = {}
        self._nav_urls: frozenset[str] = frozenset()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._dirty = dirty
        self._serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._stop_background_index()  # a rebuild replaces the folder it would write into
        if not config.use_directory_urls:
            raise PluginError(
                "regioverhalen serves every page at a directory URL (/verhalen/<slug>/): "
                "remove 'use_directory_urls: false' from the configuration"
            )
        root = _site_root(config)
        config_file = Path(config.config_file_path or "mkdocs.yml")
        try:
            settings = settings_from_options(
                root,
                dict(self.config),
                config.site_url or "",
                config.site_name,
                config_path=config_file.name,
                positions=option_positions(config_file.read_text(encoding="utf-8")) if config_file.is_file() else None,
            )
        except SettingsError as error:
            raise PluginError(str(error)) from None
        # Two processes for a build; `mkdocs serve` runs threads, which a fork would not copy.
        content = load_content(settings.paths, parallel=not self._serving, in_child=not self._serving)
        # Validate before MkDocs cleans or writes anything: a broken story must not cost the old site.
        self._preview_problems = []
        if content.problems:
            for problem in content.problems:
                log.error(str(problem))
            if not (self._serving and self.site is not None):
                raise PluginError(f"build stopped: {content.summary_line()}")
            # Live preview: MkDocs would stop answering until a failed rebuild succeeds, so keep
            # serving the last valid content instead, with the problems shown on every page.
            log.error(f"preview keeps the last valid content until this is fixed: {content.summary_line()}")
            self._preview_problems = [str(problem) for problem in content.problems]
        else:
            if content.drafts:
                log.info(f"{len(content.drafts)} draft(s) held back, not published")
            log.info(content.summary_line())
            permalink, permalink_title = _permalink(config)
            template_dir = Path(config.theme.custom_dir) / "regioverhalen" if config.theme.custom_dir else None
            settings = dataclasses.replace(
                settings,
                heading_permalink=permalink,
                heading_permalink_title=permalink_title,
                template_dir=template_dir,
            )
            self.site = build_site(content, settings)

        custom_dir = config.theme.custom_dir
        config.theme.dirs.insert(1 if custom_dir else 0, str(THEME_DIR))
        config.extra_css.append(STYLESHEET)
        config.extra_javascript.append(SCRIPT)
        if config.nav is None:
            config.nav = self._navigation(config)
        if self.config.atomic and not self._dirty:
            self._target_dir = config.site_dir
            self._staging_dir = config.site_dir.rstrip(os.sep) + ".staging"
            shutil.rmtree(self._staging_dir, ignore_errors=True)
            config.site_dir = self._staging_dir
        return config

    def _navigation(self, config: MkDocsConfig) -> list[Any]:
        assert self.site is not None
        regions = sorted(self.site.content.regions.values(), key=lambda r: r.name)
        docs = sorted(
            p.relative_to(config.docs_dir).as_posix()
            for p in Path(config.docs_dir).rglob("*.md")
            if p.relative_to(config.docs_dir).as_posix() not in ("index.md", *EDITOR_PAGES)
        )
        nav: list[Any] = ["index.md"]
        # Nav titles reach Material's templates unescaped, some inside attributes.
        nav.append({"Regio's": ["regios/index.md", *({html.escape(r.name): region_src(r.id)} for r in regions)]})
        nav += [
            {"Verhalen": "verhalen/index.md"},
            {"Doorbraken": "doorbraken.md"},
            {"Lessen": "lessen.md"},
            {"Thema's": "themas/index.md"},
        ]
        nav += [{"Zoeken": "zoeken.md"}] if self.config.search == "pagefind" else []
        return nav + docs

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.site is not None
        self._refuse_names_in_other_files(files, config)
        self._generated = {page.src_uri: page for page in self.site.pages}
        for page in self.site.pages:
            if files.get_file_from_path(page.src_uri) is not None:
                raise PluginError(f"docs/{page.src_uri} clashes with a generated page; rename or remove it")
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            # The page's own text, not a copy: its metadata is set in on_page_markdown.
            files.append(File.generated(config, page.src_uri, content=page.markdown, inclusion=inclusion))
        if files.get_file_from_path("index.md") is None:
            home = default_home(self.site)
            files.append(File.generated(config, home.src_uri, content=home.markdown))
        if self.config.search == "pagefind":
            search_page = "---\ntitle: Zoeken\ntemplate: zoeken.html\n---\n\n# Zoeken\n"
            files.append(File.generated(config, "zoeken.md", content=search_page))
        return files

    @event_priority(-100)  # after other plugins' on_nav: the copy forked here must see what they did
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        assert self.site is not None
        self._nav_urls = frozenset(page.url for page in nav.pages)
        self._shared_nav = {}
        # Every page exists and none is rendered: the moment for a copy of the build to render
        # stories too. Before Pagefind's threads start, which a fork would not copy.
        stories = [file for file in files.documentation_pages() if self.site.story_for(file.src_uri) is not None]
        if can_render_in_fork(self, config, len(stories), dirty=self._dirty, serving=self._serving):
            try:
                # A fresh copy now and then keeps memory down, but only where no thread runs.
                renew = self.config.search == "none" and not self._serving
                self._renderer = ForkedRenderer(stories, config, files, renew)
            except OSError:  # no pipe or process to be had: MkDocs renders every page itself
                self._renderer = None
        self._start_search_index(config)
        return nav

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        # The templates below ours (the theme's), under a prefix: our partials/nav.html wraps the theme's.
        below = config.theme.dirs[config.theme.dirs.index(str(THEME_DIR)) + 1 :]
        assert env.loader is not None
        env.loader = jinja2.ChoiceLoader(
            [env.loader, jinja2.PrefixLoader({"regioverhalen-next": jinja2.FileSystemLoader(below)})]
        )
        env.globals["regioverhalen_shared_nav"] = self._render_shared_nav
        env.globals["regioverhalen_editor_pages"] = [
            (EDITOR_PAGES[src], file.url) for src in EDITOR_PAGES if (file := files.get_file_from_path(src)) is not None
        ]
        if self._renderer is not None:  # every page's text is rendered
            rendered, stories = self._renderer.rendered_by_copy, self._renderer.stories
            log.info(f"{rendered} of {stories} stories rendered in a second process")
            self._close_renderer()
        if self._search_index is not None and self._has_stories():
            # Every story's text is rendered and with Pagefind: it makes the index while MkDocs
            # puts the pages in their templates (a page marked for it after all is added later).
            self._search_index.start_writing(Path(config.site_dir) / "pagefind")
        return env

    @jinja2.pass_context
    def _render_shared_nav(self, context: jinja2.runtime.Context, caller: Callable[[], str]) -> str:
        """The navigation for this page: rendered once per folder for pages outside the navigation.
        For such a page no item is active, and its links differ only by the folder they start from;
        a page in the navigation, or one with navigation items below its own URL, gets its own."""
        page = context.get("page")
        url = getattr(page, "url", None)
        if url is None or url in self._nav_urls or any(u.startswith(url) for u in self._nav_urls):
            return caller()
        folder = url.rstrip("/").rpartition("/")[0]
        shared = self._shared_nav.get(folder)
        if shared is None:
            shared = self._shared_nav[folder] = caller()
        return shared

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self._close_renderer()
        self._close_search_index()

    def _start_search_index(self, config: MkDocsConfig) -> None:
        if self.config.search == "pagefind" and not self._serving:
            try:
                self._search_index = SearchIndex(_site_root(config))
            except SearchIndexError as error:
                raise PluginError(f"search indexing failed: {error}") from None
            # The part of a story page that Pagefind indexes, from the template the page uses.
            templates = jinja2.Environment(loader=jinja2.FileSystemLoader(config.theme.dirs), auto_reload=False)
            self._story_article = templates.get_template("partials/verhaal-artikel.html")
            self._language = config.theme.get("language") or "en"

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        # Stories went to Pagefind in on_page_content. Once any page marks what is to be indexed
        # (data-pagefind-body, as every story does), Pagefind leaves out the pages that do not.
        index = self._search_index
        story = self.site.story_for(page.file.src_uri) if self.site is not None else None
        if index is not None and story is None and (not self._has_stories() or "data-pagefind-body" in output):
            index.add_page(output, page.file.dest_uri)
        return output

    def _has_stories(self) -> bool:
        """Whether the site publishes stories; each went to Pagefind when its text was rendered."""
        return self.site is not None and bool(self.site.content.stories)

    def _index_story(self, page: Page, html_text: str) -> None:
        """Hand a story to Pagefind as soon as its text is rendered: only its <article> is
        indexed (data-pagefind-body), so the rest of the page is not needed. MkDocs renders the
        text of every page before it puts any page in its template; fed the finished pages,
        Pagefind got its first one when three quarters of a build were over."""
        assert self.site is not None and self._search_index is not None and self._story_article is not None
        article = self._story_article.render(
            verhaal=self.site.card(page.file.src_uri),
            page={"content": html_text},
            base_url=get_relative_url(".", page.url),
        )
        document = f'<!doctype html><html lang="{html.escape(self._language)}"><body>{article}</body></html>'
        self._search_index.add_page(document, page.file.dest_uri)

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        generated = self._generated.get(page.file.src_uri)
        if generated is None:
            return None
        if self._renderer is not None and self._renderer.takes(page):
            return ""  # rendered by the copy of the build: its HTML is put in by on_page_content
        # After a blank line MkDocs looks for no metadata, which would take a story's opening
        # '---' or 'Woord: tekst' line away; the page's metadata is set in on_page_markdown.
        return "\n" + generated.markdown

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.site is not None
        self._date_page(page)
        generated = self._generated.get(page.file.src_uri)
        if generated is not None:
            # Titles and descriptions reach the theme's templates unescaped.
            page.meta = {"title": html.escape(generated.title)}
            if generated.html_before:  # a listing page: the reading column, no table-of-contents rail
                page.meta["hide"] = ["toc"]
            story = self.site.story_for(page.file.src_uri)
            if story is not None:
                page.meta.update(template="verhaal.html", description=html.escape(story.meta.summary))
            if markdown == generated.markdown.lstrip("\n"):  # as MkDocs read it, leading blank lines dropped
                markdown = generated.markdown  # the text itself, so that MkDocs' copy of it can go
        if page.file.generated_by is None and page.file.abs_src_path:
            # The whole file, front matter included, so that lines are the file's own.
            self._refuse_names(Path(page.file.abs_src_path), page.file.content_string, config)
        return fill_markers(markdown, self.site, page.file.src_uri)

    def _date_page(self, page: Page) -> None:
        """Date pages by their content, not by the day of the build (MkDocs' default), so that
        the sitemap and its gzip header are the same whenever the same content is built: a
        story by its date, every other page by the newest story. SOURCE_DATE_EPOCH, when set,
        is the builder's explicit choice and wins."""
        assert self.site is not None
        if os.environ.get("SOURCE_DATE_EPOCH") or not self.site.content.stories:
            return
        story = self.site.story_for(page.file.src_uri)
        page.update_date = (story or self.site.content.stories[0]).meta.date.isoformat()

    def _refuse_names_in_other_files(self, files: Files, config: MkDocsConfig) -> None:
        """Files published as they are (text files in docs/, theme overrides) and mkdocs.yml's
        site texts reach readers without passing the story checks: no name there either."""
        own_dirs = [Path(config.docs_dir).resolve()]
        if config.theme.custom_dir:
            own_dirs.append(Path(config.theme.custom_dir).resolve())
        sources = [Path(config.config_file_path)] if config.config_file_path else []
        for file in files:
            if file.is_documentation_page() or not file.abs_src_path or file.generated_by is not None:
                continue
            source = Path(file.abs_src_path).resolve()
            if source.suffix.lower() in PUBLISHED_TEXT_SUFFIXES and any(source.is_relative_to(d) for d in own_dirs):
                sources.append(source)
        if config.theme.custom_dir:
            sources += [p for p in sorted(Path(config.theme.custom_dir).rglob("*")) if p.suffix in (".html", ".j2")]
        for source in sources:
            self._refuse_names(source, source.read_text(encoding="utf-8", errors="replace"), config)

    def _refuse_names(self, source: Path, text: str, config: MkDocsConfig) -> None:
        """Hand-written pages (docs/) are published too: no name there without consent."""
        assert self.site is not None
        found = self.site.content.hidden_names.find(text)
        if not found:
            return
        root = _site_root(config)
        shown = (
            source.resolve().relative_to(root).as_posix()
            if source.resolve().is_relative_to(root)
            else source.as_posix()
        )
        for line, column, pid in found:
            log.error(str(Problem(shown, line, column, consent_message(pid))))
        if not self._serving:
            raise PluginError(f"build stopped: {shown} names a participant without consent")

    def on_page_content(self, html_text: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        story = self.site.story_for(page.file.src_uri) if self.site is not None else None
        # A story the copy of the build rendered was finished there, by the same lines.
        finished = self._renderer.put_in(page, files) if self._renderer is not None else None
        if finished is None:
            finished = self._with_preview_problems(self._finish_content(page, story, html_text))
        if story is not None and self._search_index is not None:
            self._index_story(page, finished)
        return finished

    def _with_preview_problems(self, html_text: str) -> str:
        """Under `mkdocs serve` with content errors: the problems, above the page's text."""
        if not self._preview_problems:
            return html_text
        items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in self._preview_problems)
        return (
            '<div class="admonition failure" id="regioverhalen-fouten"><p class="admonition-title">'
            "Deze voorvertoning loopt achter: de inhoud heeft fouten</p>"
            f"<ul>{items}</ul><p>Herstel de fouten en sla het bestand op; de pagina ververst vanzelf.</p></div>"
        ) + html_text

    def _finish_content(self, page: Page, story: Story | None, html_text: str) -> str:
        if story is not None:
            html_text = self._refuse_scripts(story, html_text)
        generated = self._generated.get(page.file.src_uri)
        if generated is not None and (generated.html_before or generated.html_after):
            html_text = generated.html_before + html_text + generated.html_after
            page.toc = _table_of_contents(generated.headings)
        return html_text

    def _refuse_scripts(self, story: Story, html_text: str) -> str:
        """The last gate for scripts: the HTML made from a story, after every Markdown extension
        the site enables. The check on the Markdown source finds almost all of this, with its line."""
        assert self.site is not None
        found = find_unsafe_rendered(html_text, self.site.settings.paths.allowed_html_tags)
        if not found:
            return html_text
        for message in found:
            log.error(f"{story.path}:{story.body_line}:1: error: {message} (in the HTML made from this story)")
        if self._serving:
            return (
                '<div class="admonition failure"><p>Dit verhaal is niet getoond: '
                "het bevat code die niet is toegestaan.</p></div>"
            )
        raise PluginError(f"build stopped: {story.path} would put a script on the site")

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Any
    ) -> TemplateContext:
        assert self.site is not None
        card = self.site.card(page.file.src_uri)
        if card is not None:
            context["verhaal"] = card  # type: ignore[typeddict-unknown-key]
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.site is not None
        site_dir = Path(config.site_dir)
        extra_files: dict[str, bytes | Iterable[bytes]] = {
            **site_feeds(self.site.content, self.site.settings),
            **open_data(self.site.content, self.site.settings),
        }
        for path, data in extra_files.items():
            target = site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as out:
                out.writelines([data] if isinstance(data, bytes) else data)
        if self._search_index is not None:
            search_index, self._search_index = self._search_index, None
            try:
                search_index.write(site_dir / "pagefind")
            except SearchIndexError as error:
                raise PluginError(f"search indexing failed: {error}") from None
        if self._staging_dir and self._target_dir:
            _replace_dir(self._target_dir, self._staging_dir)
            config.site_dir = self._target_dir
        if self.config.search == "pagefind" and self._serving:
            # Live preview: an edit shows as soon as its pages are built, and the search index
            # follows in the background (Pagefind takes seconds with a thousand stories), instead
            # of holding every rebuild back. `mkdocs build` indexes before it publishes, as above.
            self._start_background_index(Path(config.site_dir))

    @staticmethod
    def _pagefind_command(site_dir: Path) -> list[str]:
        return [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", "pagefind", "--silent"]

    def _close_renderer(self) -> None:
        if self._renderer is not None:
            self._renderer.close()
            self._renderer = None

    def _close_search_index(self) -> None:
        if self._search_index is not None:
            self._search_index.close()
            self._search_index = None

    def _start_background_index(self, site_dir: Path) -> None:
        self._stop_background_index()
        process = subprocess.Popen(
            self._pagefind_command(site_dir), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

        def report() -> None:
            out, err = process.communicate()
            if process.returncode > 0:  # stopped by a newer rebuild (negative) is not a failure
                log.error(f"search indexing failed: {err.strip() or out.strip()}")

        thread = threading.Thread(target=report, name="regioverhalen-pagefind", daemon=True)
        thread.start()
        self._indexer = (process, thread)

    def _stop_background_index(self) -> None:
        if self._indexer is None:
            return
        process, thread = self._indexer
        self._indexer = None
        if process.poll() is None:
            process.terminate()
        thread.join(timeout=10)
        if thread.is_alive():
            process.kill()
            thread.join()

    def on_shutdown(self) -> None:
        self._stop_background_index()
        self._close_renderer()
        self._close_search_index()

    def on_build_error(self, *, error: Exception) -> None:
        self._close_renderer()
        self._close_search_index()
        if self._staging_dir:
            shutil.rmtree(self._staging_dir, ignore_errors=True)

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        root = _site_root(config)
        for folder in (self.config.stories_dir, self.config.regions_dir):
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        return server


def _site_root(config: MkDocsConfig) -> Path:
    """The folder of mkdocs.yml, which the plugin's folder options are relative to."""
    return Path(config.config_file_path or ".").resolve().parent


def _permalink(config: MkDocsConfig) -> tuple[str, str]:
    """The link Python-Markdown's toc extension puts after headings, as this site configures
    it: its text and its tooltip."""
    toc = (config.mdx_configs or {}).get("toc", {})
    permalink = toc.get("permalink", False)
    text = "&para;" if permalink is True else str(permalink or "")
    return text, str(toc.get("permalink_title", "Permanent link"))


def _table_of_contents(headings: tuple[Heading, ...]) -> TableOfContents:
    """The table of contents of a page with ready HTML: its h2s under its title, as Python-Markdown's
    toc extension would have it. Titles are HTML in MkDocs' table of contents."""
    top: list[AnchorLink] = []
    for heading in headings:
        anchor = AnchorLink(html.escape(heading.title, quote=False), heading.id, heading.level)
        if heading.level > 1 and top:
            top[-1].children.append(anchor)
        else:
            top.append(anchor)
    return TableOfContents(top)


def _replace_dir(target: str, staging: str) -> None:
    """Put the finished build in place of the old site with two renames, restoring on failure."""
    backup = target.rstrip(os.sep) + ".previous"
    shutil.rmtree(backup, ignore_errors=True)
    had_old = os.path.exists(target)
    if had_old:
        os.rename(target, backup)
    try:
        os.rename(staging, target)
    except OSError:
        if had_old:
            os.rename(backup, target)
        raise
    shutil.rmtree(backup, ignore_errors=True)
