"""The MkDocs plugin: a thin adapter whose hooks hand off to the modules beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.base import LegacyConfig
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from regioverhalen.mkdocs import page_content
from regioverhalen.mkdocs.atomic_site import StagedSite
from regioverhalen.mkdocs.build_search import BuildSearch
from regioverhalen.mkdocs.consent_scan import ConsentGuard
from regioverhalen.mkdocs.docs_files import check_docs_files
from regioverhalen.mkdocs.generated_files import add_generated_pages, keep_shown_pictures, write_data_files
from regioverhalen.mkdocs.options import CONFIG_SCHEME, given_options, site_root
from regioverhalen.mkdocs.preview_cache import PreviewCache
from regioverhalen.mkdocs.preview_watch import SourceWatcher
from regioverhalen.mkdocs.render_ahead import RenderAhead
from regioverhalen.mkdocs.serve_search import BackgroundIndex
from regioverhalen.mkdocs.site_loading import prepare_site
from regioverhalen.mkdocs.theme import ThemeTemplates
from regioverhalen.site.pages import GeneratedPage, Site
from regioverhalen.site.settings import Settings


class RegioverhalenPlugin(BasePlugin[LegacyConfig]):
    config_scheme = CONFIG_SCHEME

    def __init__(self) -> None:
        self.site: Site | None = None
        self.settings: Settings | None = None
        self._serving = False
        self._generated: dict[str, GeneratedPage] = {}  # the generated pages, by source path
        self._staged = StagedSite()
        self._search = BuildSearch()  # under `mkdocs build`
        self._background_index = BackgroundIndex()  # under `mkdocs serve`
        self._preview = PreviewCache(enabled=False)  # under `mkdocs serve`: story pages kept between builds
        self._watcher = SourceWatcher()  # under `mkdocs serve`
        self._consent = ConsentGuard()
        self._render_ahead = RenderAhead()  # under `mkdocs build`: stories rendered on the second core
        self._theme = ThemeTemplates()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._serving = self._consent.serving = self._staged.serving = command == "serve"
        self._staged.dirty, self._preview = dirty, PreviewCache(enabled=self._serving and not dirty)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._background_index.stop()  # a rebuild replaces the folder it would write into
        options, kept = given_options(self.config), self._preview.kept_input
        prepared = prepare_site(options, config, self.site, serving=self._serving, kept=kept)
        self.settings, self.site, self._preview.problems = prepared
        self._staged.stage(config, atomic=self.settings.atomic)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.site is not None and self.settings is not None
        self._consent.start_build(self.site, config, self._staged.shown_name)
        self._generated = add_generated_pages(self.site, files, config, serving=self._serving)
        check_docs_files(self.site, files, config, search=self.settings.pagefind, serving=self._serving)
        self._staged.reuse_spare(self, config, files)  # once every page is in `files`
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        assert self.site is not None and self.settings is not None
        self._theme.start_build(config, nav)
        self._preview.start_build(self, config, files, self.site, self.settings)
        self._render_ahead.start(self, self.site, config, files, full_build=not (self._serving or self._staged.dirty))
        self._search.start(site_root(config), config, self.site, serving=self._serving)
        return nav

    @event_priority(-100)  # last: the templates pages name are looked for once every plugin has added its own
    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        self._preview.install(env)  # first: the reused story pages name its template
        self._theme.install(env, config, files)
        self._search.start_writing(Path(config.site_dir))
        keep_shown_pictures(self.site, files)  # every page rendered, no file written yet
        return env

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        return page_content.generated_source(self._generated.get(page.file.src_uri))

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.site is not None
        page_content.date_page(page, self.site)
        if (generated := self._generated.get(page.file.src_uri)) is not None:
            markdown = page_content.generated_markdown(page, markdown, generated, self.site)
            self._preview.reuse(page, generated.markdown, self.site.story_for(page.file.src_uri))
        self._consent.check_page(self.site, page)
        return page_content.filled_markdown(markdown, self.site, page.file.src_uri)

    def on_page_content(self, html_text: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.site is not None
        finished = self._preview.reused_content(page)
        if finished is None:
            generated = self._generated.get(page.file.src_uri)
            finished = page_content.finish_content(page, self.site, generated, html_text, self._preview.problems)
            self._preview.keep_content(page, finished)
        self._search.add_story(page, finished, self.site)
        return finished

    def on_page_context(self, ctx: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Any) -> TemplateContext:
        assert self.site is not None
        if not self._preview.is_reused(page) and (card := self.site.card(page.file.src_uri)) is not None:
            ctx["verhaal"] = card  # type: ignore[typeddict-unknown-key]
        self._preview.start_template(page)
        return ctx

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        assert self.site is not None
        self._search.add_page(output, page, self.site)
        self._preview.keep_output(page, output)
        self._consent.remember_source(self.site, page)
        return output

    @event_priority(-100)  # last: other plugins' files are written into the staging folder before the swap
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.site is not None and self.settings is not None
        write_data_files(self.site, Path(config.site_dir))
        self._search.write(Path(config.site_dir))
        self._consent.check_output(self.site, Path(config.site_dir), self._staged.shown_name)
        self._staged.publish(config)
        self._background_index.start(Path(config.site_dir), search=self.settings.pagefind, serving=self._serving)

    def on_shutdown(self) -> None:
        self._watcher.stop()
        self._preview.close()
        self._background_index.stop()
        self._staged.close()
        self._search.close()

    @event_priority(-100)  # last: it may end the build, after every other plugin has cleaned up
    def on_build_error(self, *, error: Exception) -> None:
        self._consent.stop()
        self._render_ahead.close()
        self._search.close()
        self._staged.abandon()
        self._theme.stop_at_mistake(error)

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        return self._watcher.start(server, self.settings, config)
