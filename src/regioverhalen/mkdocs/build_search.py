"""Search for `mkdocs build`: Pagefind indexes each story as soon as its text is rendered, and
every other page marked for it once it is put in its template; the index is written before
the site is published. A site with its own story article template gives Pagefind the finished
story pages instead: that template may need what only MkDocs' page rendering has."""

from __future__ import annotations

from pathlib import Path

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from regioverhalen.content.messages import _
from regioverhalen.mkdocs import compiled_templates
from regioverhalen.mkdocs.search_index import SearchIndex, SearchIndexError
from regioverhalen.mkdocs.theme import THEME_DIR
from regioverhalen.site.pages import Site

log = get_plugin_logger(__name__)

#: The part of a story page that Pagefind indexes (data-pagefind-body), and the document it is
#: handed to Pagefind in as soon as the story's text is rendered.
STORY_ARTICLE = "partials/verhaal-artikel.html"
STORY_DOCUMENT = "partials/verhaal-zoekdocument.html"


class BuildSearch:
    """A Pagefind index made during one build, fed by the page hooks; does nothing unless started."""

    def __init__(self) -> None:
        self._index: SearchIndex | None = None
        self._has_stories = False
        self._story_document: jinja2.Template | None = None  # set while stories go to Pagefind early
        self._language = "en"
        self.stories_added_early = 0

    def start(self, root: Path, config: MkDocsConfig, site: Site, *, serving: bool) -> None:
        """Start Pagefind for this build, if the site has search (from on_nav: the theme's
        folders are known). Under `mkdocs serve` the index is made after each build instead."""
        self.close()  # a previous build's, had it failed before its end
        self._story_document, self.stories_added_early = None, 0
        if serving or not site.settings.pagefind:
            return
        try:
            self._index = SearchIndex(root)
        except SearchIndexError as error:
            raise PluginError(_("search indexing failed: {error}").format(error=error)) from None
        #: Whether the site publishes stories; each goes to Pagefind when its text is rendered.
        self._has_stories = bool(site.content.stories)
        # The part of a story page that Pagefind indexes, from the template the page uses.
        loader = jinja2.FileSystemLoader(config.theme.dirs)
        templates = jinja2.Environment(loader=loader, auto_reload=False, bytecode_cache=compiled_templates.COMPILED)
        # Found without compiling them: a site's own may use what only MkDocs' environment has.
        for name in (STORY_ARTICLE, STORY_DOCUMENT):
            found = loader.get_source(templates, name)[1]
            if found is None or not Path(found).is_relative_to(THEME_DIR):
                log.debug(f"search: the site's own {name} is used, so Pagefind gets the finished story pages")
                return
        self._story_document = templates.get_template(STORY_DOCUMENT)
        self._language = config.theme.get("language") or "en"

    def add_story(self, page: Page, html_text: str, site: Site) -> None:
        """Hand a story to Pagefind as soon as its text is rendered: only its <article> is
        indexed (data-pagefind-body), so the rest of the page is not needed. MkDocs renders the
        text of every page before it puts any page in its template; fed the finished pages,
        Pagefind would get its first one late in the build."""
        if self._index is None or self._story_document is None or site.story_for(page.file.src_uri) is None:
            return
        document = self._story_document.render(
            verhaal=site.card(page.file.src_uri),
            page={"content": html_text},
            base_url=get_relative_url(".", page.url),
            language=self._language,
        )
        self._index.add_page(document, page.file.dest_uri)
        self.stories_added_early += 1

    def add_page(self, output: str, page: Page, site: Site) -> None:
        """A page once in its template, unless it is a story added by `add_story`. Once any page
        marks what is to be indexed (data-pagefind-body, as the plugin's story article does),
        Pagefind leaves out the pages that do not: they are not sent. A site's own article may
        not mark it: then every page is."""
        if self._index is None:
            return
        if self._story_document is None:
            self._index.add_page(output, page.file.dest_uri)
            return
        added_early = site.story_for(page.file.src_uri) is not None
        if not added_early and (not self._has_stories or "data-pagefind-body" in output):
            self._index.add_page(output, page.file.dest_uri)

    def start_writing(self, site_dir: Path) -> None:
        """Every story's text is rendered: Pagefind makes the index while MkDocs puts the pages in
        their templates (a page marked for it after all is added later)."""
        if self._index is not None and self._has_stories and self._story_document is not None:
            self._index.start_writing(site_dir / "pagefind")

    def write(self, site_dir: Path) -> None:
        """Write the index into the built site; the build's search is over then."""
        index, self._index = self._index, None
        if index is None:
            return
        log.debug(f"search: {self.stories_added_early} stories given to Pagefind as soon as their text was rendered")
        try:
            index.write(site_dir / "pagefind")
        except SearchIndexError as error:
            raise PluginError(_("search indexing failed: {error}").format(error=error)) from None

    def close(self) -> None:
        index, self._index = self._index, None
        if index is not None:
            index.close()
