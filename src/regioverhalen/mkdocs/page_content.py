"""What the plugin does to each page between its source and its template: the generated pages'
text and metadata, the pages' dates, and the last checks on a story's HTML."""

from __future__ import annotations

import html
import os

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from regioverhalen.content.collection import Story
from regioverhalen.content.safety import find_unsafe_rendered
from regioverhalen.site.pages import GeneratedPage, Heading, Site

log = get_plugin_logger(__name__)


def generated_source(generated: GeneratedPage | None) -> str | None:
    """A generated page's source, for MkDocs to read. After a blank line MkDocs looks for no
    metadata, which would take a story's opening '---' or 'Woord: tekst' line away; the page's
    metadata is set by `generated_markdown`."""
    return None if generated is None else "\n" + generated.markdown


def generated_markdown(page: Page, markdown: str, generated: GeneratedPage, site: Site) -> str:
    """A generated page's metadata set, and its text: the text itself, so that MkDocs' copy of
    it can go. Titles and descriptions reach the theme's templates unescaped."""
    page.meta = {"title": html.escape(generated.title)}
    if generated.html_before:  # a listing page: the reading column, no table-of-contents rail
        page.meta["hide"] = ["toc"]
    story = site.story_for(page.file.src_uri)
    if story is not None:
        page.meta.update(template="verhaal.html", description=html.escape(story.meta.summary))
    if markdown == generated.markdown.lstrip("\n"):  # as MkDocs read it, leading blank lines dropped
        return generated.markdown
    return markdown


def date_page(page: Page, site: Site) -> None:
    """Date pages by their content, not by the day of the build (MkDocs' default), so that
    the sitemap and its gzip header are the same whenever the same content is built: a
    story by its date, every other page by the newest story. SOURCE_DATE_EPOCH, when set,
    is the builder's explicit choice and wins."""
    if os.environ.get("SOURCE_DATE_EPOCH") or not site.content.stories:
        return
    story = site.story_for(page.file.src_uri)
    page.update_date = (story or site.content.stories[0]).meta.date.isoformat()


def finish_content(page: Page, site: Site, generated: GeneratedPage | None, html_text: str, *, serving: bool) -> str:
    """A page's HTML with a story's scripts refused and a generated page's ready HTML around it."""
    story = site.story_for(page.file.src_uri)
    if story is not None:
        html_text = refuse_scripts(story, html_text, site, serving=serving)
    if generated is not None and (generated.html_before or generated.html_after):
        html_text = generated.html_before + html_text + generated.html_after
        page.toc = table_of_contents(generated.headings)
    return html_text


def refuse_scripts(story: Story, html_text: str, site: Site, *, serving: bool) -> str:
    """The last gate for scripts: the HTML made from a story, after every Markdown extension
    the site enables. The check on the Markdown source finds almost all of this, with its line."""
    found = find_unsafe_rendered(html_text, site.settings.paths.allowed_html_tags)
    if not found:
        return html_text
    for message in found:
        log.error(f"{story.path}:{story.body_line}:1: error: {message} (in the HTML made from this story)")
    if serving:
        return (
            '<div class="admonition failure"><p>Dit verhaal is niet getoond: '
            "het bevat code die niet is toegestaan.</p></div>"
        )
    raise PluginError(f"build stopped: {story.path} would put a script on the site")


def with_preview_problems(html_text: str, problems: list[str]) -> str:
    """Under `mkdocs serve` with content errors: the problems, above the page's text."""
    if not problems:
        return html_text
    items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in problems)
    return (
        '<div class="admonition failure" id="regioverhalen-fouten"><p class="admonition-title">'
        "Deze voorvertoning loopt achter: de inhoud heeft fouten</p>"
        f"<ul>{items}</ul><p>Herstel de fouten en sla het bestand op; de pagina ververst vanzelf.</p></div>"
    ) + html_text


def table_of_contents(headings: tuple[Heading, ...]) -> TableOfContents:
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
