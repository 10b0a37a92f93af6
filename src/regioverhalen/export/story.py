"""A story page for an engine without the plugin: the theme's own story template, rendered ahead.

Under MkDocs the plugin hands each story's meta card to `verhaal.html` while the page is built.
Zensical runs no plugin and its templates see only the page's front matter, so the export renders
the `content` block of the same `verhaal.html` (with `partials/verhaal-artikel.html` in it) here,
with Jinja2, around a mark where the story's text goes: what comes before the mark and what comes
after it travel in the page's front matter, and the exported project's `verhaal-export.html`
(in `export/templates/`) puts them around the text the engine renders from the story's Markdown.
Whatever the theme's story template shows, the exported page shows too.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import jinja2

from regioverhalen.site.pages import Site, url_of

#: Where the story's rendered text goes: no template or story writes this.
_TEXT_MARK = "\x00regioverhalen:verhaaltekst\x00"
#: The exported project's own templates (`export/templates/`), which read these keys of a
#: page's front matter and put the marks of `content.html_policy` around `page.content`.
STORY_TEMPLATE = "verhaal-export.html"
PAGE_TEMPLATE = "pagina-export.html"
BEFORE_KEY = "regioverhalen_before"
AFTER_KEY = "regioverhalen_after"


class StoryRenderer:
    """Renders the parts of story pages around their text, from the theme's templates."""

    def __init__(self, site: Site, template_dirs: Sequence[Path]) -> None:
        self._site = site
        environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]), auto_reload=False
        )
        self._template = environment.get_template("verhaal.html")
        self._content_block = self._template.blocks["content"]

    def around_text(self, src_uri: str) -> tuple[str, str]:
        """The HTML before and after a story's text on its page."""
        card = self._site.card(src_uri)
        if card is None:
            raise ValueError(f"{src_uri} is not a story page")
        depth = url_of(src_uri).count("/")
        context = self._template.new_context(
            {"verhaal": card, "page": {"content": _TEXT_MARK}, "base_url": "/".join([".."] * depth) or "."}
        )
        rendered = "".join(self._content_block(context))
        before, found, after = rendered.partition(_TEXT_MARK)
        if not found:
            raise ValueError("the theme's verhaal.html does not show page.content in its content block")
        return before, after
