"""What the plugin does to each page between its source and its template: the generated pages'
text and metadata, the pages' dates, and the last checks on a story's HTML."""

from __future__ import annotations

import datetime as dt
import html
import os

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import get_relative_url

from regioverhalen.content.collection import Story
from regioverhalen.content.html_policy import sanitize, without_elements
from regioverhalen.content.messages import _
from regioverhalen.mkdocs.theme import site_template_mistakes
from regioverhalen.site.glossary_page import GLOSSARY_URL
from regioverhalen.site.pages import GeneratedPage, Heading, Site, fill_markers, region_src
from regioverhalen.site.paths import SEARCH_SRC
from regioverhalen.site.templating import Templates

_EPOCH_DAY = dt.date(1970, 1, 1)


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
    # Not before 1970: MkDocs writes the newest date into the sitemap's gzip header, which
    # counts seconds from then.
    page.update_date = max((story or site.content.stories[0]).meta.date, _EPOCH_DAY).isoformat()


def finish_content(
    page: Page, site: Site, generated: GeneratedPage | None, html_text: str, preview_problems: list[str]
) -> str:
    """A page's HTML: what contributors wrote through the allowlist sanitizer (the guarantee against
    scripts; `check` has told editors what it removes, at its line), a generated page's ready
    HTML around it, the glossary's terms explained; under `mkdocs serve`, the content's problems
    above it."""
    story = site.story_for(page.file.src_uri)
    if generated is not None and generated.from_contributors:
        paths = site.settings.paths
        html_text = sanitize(html_text, paths.allow_remote_images, paths.allowed_html_tags)
    if generated is not None and (generated.html_before or generated.html_after):
        html_text = generated.html_before + html_text + generated.html_after
        page.toc = table_of_contents(generated.headings)
    escape_table_of_contents(page.toc)
    with site_template_mistakes(site.settings.paths.root):
        if site.glossary is not None and _explains_terms(page.file.src_uri, story, generated, site):
            html_text = site.glossary.mark(html_text, get_relative_url(GLOSSARY_URL, page.url))
        return _with_preview_problems(html_text, preview_problems, site.templates)


def filled_markdown(markdown: str, site: Site, src_uri: str) -> str:
    """A page's Markdown with the home page's blocks (newest stories, region chooser, progress) filled in."""
    with site_template_mistakes(site.settings.paths.root):
        return fill_markers(markdown, site, src_uri)


def _explains_terms(src_uri: str, story: Story | None, generated: GeneratedPage | None, site: Site) -> bool:
    """Stories, region pages, the home page and hand-written pages explain the glossary's terms;
    listings (breakthroughs, lessons, themes, the glossary itself) and search do not."""
    if story is not None or generated is None:
        return src_uri != SEARCH_SRC
    return any(src_uri == region_src(region_id) for region_id in site.content.regions)


def _with_preview_problems(html_text: str, problems: list[str], templates: Templates) -> str:
    """Under `mkdocs serve` with content errors: the problems, above the page's text."""
    if not problems:
        return html_text
    box = templates.macro("preview_problems")(
        _("This preview is behind: the content has errors"),
        problems,
        _("Fix the errors and save the file; the page refreshes by itself."),
    )
    return str(box) + html_text


def escape_table_of_contents(toc: TableOfContents) -> None:
    """Make a page's table of contents safe for the theme, which puts each entry's link into an
    attribute and its title into the page as they are: an id set in an attribute list
    (`## Kop {: id='x" onfocus="...' }`) is escaped for the attribute, and a title keeps no
    element. The page's text itself has been through the sanitizer; this is its sidebar."""
    items = list(toc)
    while items:
        item = items.pop()
        item.id = html.escape(item.id, quote=True)
        if "<" in item.title:  # without it no element can start
            item.title = without_elements(item.title)
        items.extend(item.children)


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
