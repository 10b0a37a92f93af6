"""A story page for an engine without the plugin: the theme's own story template, rendered ahead.

Under MkDocs the plugin hands each story's meta card to `verhaal.html` while the page is built.
Zensical runs no plugin and its templates see only the page's front matter, so the export renders
the `content` block of the same `verhaal.html` (with `partials/verhaal-artikel.html` in it) here,
with Jinja2, around a mark where the story's text goes: what comes before the mark and what comes
after it travel in the page's front matter, and the exported project's `verhaal-export.html` puts
them around the text the engine renders from the story's Markdown. Whatever the theme's story
template shows, the exported page shows too.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import jinja2

from regioverhalen.content.html_policy import CONTRIBUTED_END, CONTRIBUTED_START
from regioverhalen.site.pages import Site, url_of

#: Where the story's rendered text goes: no template or story writes this.
_TEXT_MARK = "\x00regioverhalen:verhaaltekst\x00"
STORY_TEMPLATE = "verhaal-export.html"
BEFORE_KEY = "regioverhalen_before"
AFTER_KEY = "regioverhalen_after"
#: What the engine renders from a contributor's Markdown (a story, a region's description),
#: between the marks that `export --finish` sanitizes between, as the plugin does during a build.
_CONTRIBUTED_TEXT = f"{CONTRIBUTED_START}{{{{ page.content }}}}{CONTRIBUTED_END}"
#: The exported project's story template: the theme's verhaal.html, its content block filled
#: from the page's front matter instead of the plugin's story card.
STORY_TEMPLATE_TEXT = (
    "{#- Written by `regioverhalen export`: the story card and 'more from this region' were rendered\n"
    "    by the export from the theme's verhaal.html and travel in the page's front matter. -#}\n"
    '{% extends "verhaal.html" %}\n'
    "{% block content %}"
    f"{{{{ page.meta.{BEFORE_KEY} }}}}{_CONTRIBUTED_TEXT}{{{{ page.meta.{AFTER_KEY} }}}}"
    "{% endblock %}\n"
)

PAGE_TEMPLATE = "pagina-export.html"
#: The exported project's template for the other generated pages (regions, timelines, lessons, themes).
PAGE_TEMPLATE_TEXT = (
    "{#- Written by `regioverhalen export`: the page's ready HTML travels in its front matter. -#}\n"
    '{% extends "main.html" %}\n'
    "{% block content %}"
    f"{{{{ page.meta.{BEFORE_KEY} }}}}{_CONTRIBUTED_TEXT}{{{{ page.meta.{AFTER_KEY} }}}}"
    "{% endblock %}\n"
)


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
