"""The /begrippen/ page: every glossary term, alphabetically, with its explanation and the
stories that use it."""

from __future__ import annotations

import unicodedata

from regioverhalen.content.glossary import Glossary, GlossaryTerm
from regioverhalen.site.glossary_marking import GlossaryMarker
from regioverhalen.site.pages import GeneratedPage, Site, esc, href, story_src

GLOSSARY_PAGE = "begrippen.md"
GLOSSARY_URL = "begrippen/"
#: Stories listed per term, newest first: a common word is in most stories, and listing them
#: all would make this one page grow with the number of stories times the number of terms.
MAX_LISTED = 25


def alphabetical(term: GlossaryTerm) -> tuple[str, str]:
    """Dutch dictionary order: case and accents do not count first ('coöperatie' by 'cooperatie')."""
    plain = unicodedata.normalize("NFKD", term.term).encode("ascii", "ignore").decode().casefold()
    return plain, term.term


def glossary_page(site: Site, glossary: Glossary, marker: GlossaryMarker) -> GeneratedPage:
    """The glossary page; each story is read once for the terms it uses."""
    used_in: dict[str, list[str]] = {term.id: [] for term in glossary.terms}
    for story in site.content.stories:  # newest first, as the other listings
        for term_id in marker.terms_in(story.body):
            used_in[term_id].append(
                f'<li><a href="{href(GLOSSARY_PAGE, story_src(story))}">{esc(story.meta.title)}</a></li>'
            )
    writer = site.writer()
    writer.heading(1, "Begrippen")
    writer.add(
        "<p>Ambtenaren, boeren, ondernemers en bewoners gebruiken niet altijd dezelfde woorden. "
        "Hier staat wat de woorden op deze site betekenen, in gewone taal.</p>\n"
    )
    for term in sorted(glossary.terms, key=alphabetical):
        writer.heading(2, term.term, anchor=term.id)
        writer.add(f"<p>{esc(term.explanation)}</p>\n")
        details = []
        if term.variants:
            details.append(f"Ook geschreven als: {esc(', '.join(term.variants))}.")
        if term.used_by:
            details.append(f"Vooral gebruikt door: {esc(', '.join(term.used_by))}.")
        if details:
            writer.add(f'<p class="rv-begrip-details">{" ".join(details)}</p>\n')
        stories = used_in[term.id]
        if stories:
            count = f"{len(stories)} verha{'al' if len(stories) == 1 else 'len'}"
            listed = "".join(stories[:MAX_LISTED])
            writer.add(f'<p>Komt voor in {count}:</p>\n<ul class="rv-begrip-verhalen">\n{listed}\n</ul>\n')
            if len(stories) > MAX_LISTED:
                writer.add(f"<p>Hierboven staan de {MAX_LISTED} nieuwste.</p>\n")
        else:
            writer.add("<p>Komt nog in geen verhaal voor.</p>\n")
    return writer.page(GLOSSARY_PAGE, "Begrippen", in_nav=True)


def add_glossary(site: Site, glossary: Glossary) -> None:
    """Give the site its glossary: a marker for the terms on its pages and the /begrippen/ page."""
    if glossary:
        site.glossary = GlossaryMarker(glossary.terms)
        site.pages.append(glossary_page(site, glossary, site.glossary))
