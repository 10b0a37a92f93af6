"""The /begrippen/ page: every glossary term, alphabetically, with its explanation and the
stories that use it."""

from __future__ import annotations

import unicodedata

from regioverhalen.content.glossary import Glossary, GlossaryTerm
from regioverhalen.site.glossary_marking import GlossaryMarker
from regioverhalen.site.listings import render_page
from regioverhalen.site.pages import GeneratedPage, Site, story_src
from regioverhalen.site.paths import GLOSSARY_PAGE

GLOSSARY_URL = "begrippen/"
#: Stories listed per term, newest first: a common word is in most stories, and listing them
#: all would make this one page grow with the number of stories times the number of terms.
MAX_LISTED = 25


def alphabetical(term: GlossaryTerm) -> tuple[str, str]:
    """Dutch dictionary order: case and accents do not count first ('coöperatie' by 'cooperatie')."""
    plain = unicodedata.normalize("NFKD", term.term).encode("ascii", "ignore").decode().casefold()
    return plain, term.term


def glossary_page(site: Site, glossary: Glossary, marker: GlossaryMarker) -> GeneratedPage:
    """The glossary page, from its template; each story is read once for the terms it uses."""
    used_in: dict[str, list[dict[str, str]]] = {term.id: [] for term in glossary.terms}
    for story in site.content.stories:  # newest first, as the other listings
        # A term in the title or summary is in the story too, for a reader of the list.
        for term_id in marker.terms_in("\n\n".join((story.meta.title, story.meta.summary, story.body))):
            used_in[term_id].append({"src": story_src(story), "title": story.meta.title})
    terms = [
        {
            "id": term.id,
            "term": term.term,
            "explanation": term.explanation,
            "variants": list(term.variants),
            "used_by": list(term.used_by),
            "stories": used_in[term.id][:MAX_LISTED],
            "count": len(used_in[term.id]),
        }
        for term in sorted(glossary.terms, key=alphabetical)
    ]
    return render_page(
        site, "begrippen.html", GLOSSARY_PAGE, "Begrippen", in_nav=True, terms=terms, max_listed=MAX_LISTED
    )


def add_glossary(site: Site, glossary: Glossary) -> None:
    """Give the site its glossary: a marker for the terms on its pages and the /begrippen/ page."""
    if glossary:
        site.glossary = GlossaryMarker(glossary.terms, site.templates)
        site.pages.append(glossary_page(site, glossary, site.glossary))
