"""The theme's navigation, rendered once per folder for the many pages outside it (stories,
participants): for such a page no item is active, and its links differ only by the folder
they start from."""

from __future__ import annotations

from collections.abc import Callable

import jinja2
from mkdocs.structure.nav import Navigation


class SharedNav:
    """The navigation as rendered for pages outside it, by the folder their URL is in; our
    partials/nav.html calls `render` around the theme's own navigation."""

    def __init__(self) -> None:
        self._by_folder: dict[str, str] = {}
        self._nav_urls: frozenset[str] = frozenset()

    def reset(self, nav: Navigation) -> None:
        """A new build: its navigation's pages, and nothing rendered yet."""
        self._nav_urls = frozenset(page.url for page in nav.pages)
        self._by_folder = {}

    @jinja2.pass_context
    def render(self, context: jinja2.runtime.Context, caller: Callable[[], str]) -> str:
        """The navigation for this page. A page in the navigation, or one with navigation items
        below its own URL, gets its own."""
        page = context.get("page")
        url = getattr(page, "url", None)
        if url is None or url in self._nav_urls or any(u.startswith(url) for u in self._nav_urls):
            return caller()
        folder = url.rstrip("/").rpartition("/")[0]
        shared = self._by_folder.get(folder)
        if shared is None:
            shared = self._by_folder[folder] = caller()
        return shared
