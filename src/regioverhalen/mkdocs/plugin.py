"""The MkDocs plugin: a thin adapter whose hooks hand off to the modules beside it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from mkdocs.config.base import BaseConfigOption, LegacyConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files

from regioverhalen.mkdocs.atomic_site import StagedSite
from regioverhalen.mkdocs.build_search import BuildSearch
from regioverhalen.mkdocs.consent_scan import refuse_names, refuse_names_in_other_files
from regioverhalen.mkdocs.forked_rendering import ForkedRenderer, can_render_in_fork
from regioverhalen.mkdocs.generated_files import add_generated_pages, write_data_files
from regioverhalen.mkdocs.page_content import date_page, finish_content, set_page_meta, with_preview_problems
from regioverhalen.mkdocs.serve_search import BackgroundIndex
from regioverhalen.mkdocs.shared_nav import SharedNav, with_theme_below
from regioverhalen.mkdocs.site_loading import default_nav, load_site, read_settings, site_root
from regioverhalen.site.pages import GeneratedPage, Site, fill_markers
from regioverhalen.site.settings import OPTION_DEFAULTS, Settings

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext

log = get_plugin_logger(__name__)
THEME_DIR = Path(__file__).parent.parent / "theme"
STYLESHEET = "assets/regioverhalen.css"


#: An option mkdocs.yml does not give: `settings_from_options` takes its default.
_NOT_GIVEN = object()


class _AsWritten(BaseConfigOption[Any]):
    """An option as mkdocs.yml gives it (`!ENV` resolved): checked by `settings_from_options`,
    which reads the options for the command line too."""

    def __init__(self) -> None:
        super().__init__()
        self.default = _NOT_GIVEN

    def run_validation(self, value: object) -> Any:
        return value


class RegioverhalenPlugin(BasePlugin[LegacyConfig]):
    config_scheme = tuple((name, _AsWritten()) for name in OPTION_DEFAULTS)

    def __init__(self) -> None:
        self.site: Site | None = None
        self.settings: Settings | None = None
        self._dirty = self._serving = False
        self._preview_problems: list[str] = []  # under `mkdocs serve`: why the preview lags
        self._generated: dict[str, GeneratedPage] = {}  # the generated pages, by source path
        self._staged = StagedSite()
        self._search: BuildSearch | None = None  # under `mkdocs build`
        self._background_index = BackgroundIndex()  # under `mkdocs serve`
        self._shared_nav = SharedNav()
        self._renderer: ForkedRenderer | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._dirty, self._serving = dirty, command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._background_index.stop()  # a rebuild replaces the folder it would write into
        if not config.use_directory_urls:
            raise PluginError(
                "regioverhalen serves every page at a directory URL (/verhalen/<slug>/): "
                "remove 'use_directory_urls: false' from the configuration"
            )
        self.settings = read_settings({k: v for k, v in self.config.items() if v is not _NOT_GIVEN}, config)
        self.site, self._preview_problems = load_site(self.settings, config, self.site, serving=self._serving)
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
        config.extra_css.append(STYLESHEET)
        if config.nav is None:
            config.nav = default_nav(self.site, config.docs_dir, search=self.settings.search == "pagefind")
        if self.settings.atomic and not self._dirty:
            self._staged.stage(config)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.site is not None and self.settings is not None
        refuse_names_in_other_files(self.site, files, config, serving=self._serving)
        self._generated = {page.src_uri: page for page in self.site.pages}
        add_generated_pages(self.site, files, config, search=self.settings.search == "pagefind")
        return files

    @event_priority(-100)  # after other plugins' on_nav: the copy forked here must see what they did
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        assert self.site is not None and self.settings is not None
        self._shared_nav.reset(nav)
        # Every page exists and none is rendered: the moment for a copy of the build to render
        # stories too. Before Pagefind's threads start, which a fork would not copy.
        stories = [file for file in files.documentation_pages() if self.site.story_for(file.src_uri) is not None]
        if self.settings.parallel == "auto" and can_render_in_fork(
            self, config, len(stories), dirty=self._dirty, serving=self._serving
        ):
            try:
                # A fresh copy now and then keeps memory down, but only where no thread runs.
                renew = self.settings.search == "none" and not self._serving
                self._renderer = ForkedRenderer(stories, config, files, renew)
            except OSError:  # no pipe or process to be had: MkDocs renders every page itself
                self._renderer = None
        if self.settings.search == "pagefind" and not self._serving:
            self._search = BuildSearch(site_root(config), config, has_stories=bool(self.site.content.stories))
        return nav

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        with_theme_below(env, config.theme.dirs, str(THEME_DIR))
        env.globals["regioverhalen_shared_nav"] = self._shared_nav.render
        if self._renderer is not None:  # every page's text is rendered
            rendered, stories = self._renderer.rendered_by_copy, self._renderer.stories
            log.info(f"{rendered} of {stories} stories rendered in a second process")
            self._close_renderer()
        if self._search is not None:
            self._search.start_writing(Path(config.site_dir))
        return env

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self._close_renderer()
        self._close_search()

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
        date_page(page, self.site)
        generated = self._generated.get(page.file.src_uri)
        if generated is not None:
            set_page_meta(page, generated, self.site.story_for(page.file.src_uri))
            if markdown == generated.markdown.lstrip("\n"):  # as MkDocs read it, leading blank lines dropped
                markdown = generated.markdown  # the text itself, so that MkDocs' copy of it can go
        if page.file.generated_by is None and page.file.abs_src_path:
            # The whole file, front matter included, so that lines are the file's own.
            refuse_names(self.site, Path(page.file.abs_src_path), page.file.content_string, serving=self._serving)
        return fill_markers(markdown, self.site, page.file.src_uri)

    def on_page_content(self, html_text: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.site is not None
        # A story the copy of the build rendered was finished there, by the same lines.
        finished = self._renderer.put_in(page, files) if self._renderer is not None else None
        if finished is None:
            generated = self._generated.get(page.file.src_uri)
            finished = finish_content(page, self.site, generated, html_text, serving=self._serving)
            finished = with_preview_problems(finished, self._preview_problems)
        if self._search is not None and self.site.story_for(page.file.src_uri) is not None:
            self._search.add_story(page, finished, self.site.card(page.file.src_uri))
        return finished

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Any
    ) -> TemplateContext:
        assert self.site is not None
        card = self.site.card(page.file.src_uri)
        if card is not None:
            context["verhaal"] = card  # type: ignore[typeddict-unknown-key]
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        # Stories went to Pagefind in on_page_content.
        if self._search is not None and self.site is not None and self.site.story_for(page.file.src_uri) is None:
            self._search.add_page(output, page)
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.site is not None and self.settings is not None
        write_data_files(self.site, Path(config.site_dir))
        if self._search is not None:
            search, self._search = self._search, None
            search.write(Path(config.site_dir))
        self._staged.publish(config)
        if self.settings.search == "pagefind" and self._serving:
            # Live preview: an edit shows as soon as its pages are built, and the search index
            # follows in the background, instead of holding every rebuild back.
            self._background_index.start(Path(config.site_dir))

    def _close_renderer(self) -> None:
        if self._renderer is not None:
            self._renderer.close()
            self._renderer = None

    def _close_search(self) -> None:
        if self._search is not None:
            self._search.close()
            self._search = None

    def on_shutdown(self) -> None:
        self._background_index.stop()
        self._close_renderer()
        self._close_search()

    def on_build_error(self, *, error: Exception) -> None:
        self._close_renderer()
        self._close_search()
        self._staged.abandon()

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        assert self.settings is not None
        root = site_root(config)
        for folder in (self.settings.paths.stories_dir, self.settings.paths.regions_dir):
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        return server
