"""The files the plugin adds to a MkDocs build: the generated pages as MkDocs files, and the
feeds and open data written beside the built site."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from regioverhalen.content.messages import _
from regioverhalen.site.feeds import site_feeds
from regioverhalen.site.navigation import EDITOR_PAGES, SEARCH_PAGE_MARKDOWN, SEARCH_SRC
from regioverhalen.site.opendata import open_data
from regioverhalen.site.pages import GeneratedPage, Site, default_home
from regioverhalen.site.paths import STORIES_DIR


def add_generated_pages(site: Site, files: Files, config: MkDocsConfig, *, search: bool) -> dict[str, GeneratedPage]:
    """Every generated page as a MkDocs file; a home page if docs/ has none; the search page; the
    editors' pages kept out of the navigation.
    Returns the generated pages by source path (the default home and search page are plain Markdown)."""
    for page in site.pages:
        if files.get_file_from_path(page.src_uri) is not None:
            raise PluginError(
                _("docs/{page} clashes with a generated page; rename or remove it").format(page=page.src_uri)
            )
        inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
        # The page's own text, not a copy: its metadata is set in on_page_markdown.
        files.append(File.generated(config, page.src_uri, content=page.markdown, inclusion=inclusion))
    for asset in site.content.story_assets:  # the cleaned copy, where a story's relative link finds it
        src_uri = f"{STORIES_DIR}/{asset.address}"
        if files.get_file_from_path(src_uri) is not None:  # `check` tells a file of docs/; this is another plugin's
            raise PluginError(
                _("{page} clashes with {path}; rename or remove one").format(page=src_uri, path=asset.rel)
            )
        files.append(File.generated(config, src_uri, abs_src_path=str(asset.published)))
    if files.get_file_from_path("index.md") is None:
        home = default_home(site)
        files.append(File.generated(config, home.src_uri, content=home.markdown))
    if search:
        files.append(File.generated(config, SEARCH_SRC, content=SEARCH_PAGE_MARKDOWN))
    for src in EDITOR_PAGES:  # linked from the footer: MkDocs need not say they are not in the navigation
        editor_page = files.get_file_from_path(src)
        if editor_page is not None and editor_page.inclusion in (InclusionLevel.UNDEFINED, InclusionLevel.INCLUDED):
            editor_page.inclusion = InclusionLevel.NOT_IN_NAV
    return {page.src_uri: page for page in site.pages}


def write_data_files(site: Site, site_dir: Path) -> None:
    """The feeds and the open data, written into the built site."""
    extra_files: dict[str, bytes | Iterable[bytes]] = {
        **site_feeds(site.content, site.settings),
        **open_data(site.content, site.settings),
    }
    for path, data in extra_files.items():
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as out:
            out.writelines([data] if isinstance(data, bytes) else data)
