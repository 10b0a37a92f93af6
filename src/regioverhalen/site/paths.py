"""Where generated pages live and how they link to each other, and how contributor text is made
inert for Markdown. Pages are served at directory URLs (`verhalen/<slug>/`), and links between
them are relative, so the site works under any base path."""

from __future__ import annotations

import html
import posixpath
import re
import urllib.parse

from regioverhalen.content.html_policy import REMOVED_BY_MARKDOWN
from regioverhalen.content.loading import Region, Story
from regioverhalen.content.model import Participant
from regioverhalen.content.terms import ROLE_LABELS, ROLE_NOUNS, STORIES_ADDRESS, slugify

STORIES_DIR = STORIES_ADDRESS
REGIONS_DIR = "regios"
THEMES_DIR = "themas"
#: The pages the site makes outside its own folders.
BREAKTHROUGHS_SRC = "doorbraken.md"
LESSONS_SRC = "lessen.md"
SEARCH_SRC = "zoeken.md"
GLOSSARY_PAGE = "begrippen.md"
#: The story lists of one year, and of one breakthrough status (or none: NO_BREAKTHROUGH).
YEARS_DIR = f"{STORIES_DIR}/jaar"
STATUS_DIR = f"{STORIES_DIR}/doorbraak"
NO_BREAKTHROUGH = "geen"


def year_src(year: int) -> str:
    return f"{YEARS_DIR}/{year}.md"


def status_src(status: str) -> str:
    return f"{STATUS_DIR}/{status}.md"


def status_of(story: Story) -> str:
    """The breakthrough status a story is listed under: its breakthrough's, or NO_BREAKTHROUGH."""
    return story.meta.breakthrough.status if story.meta.breakthrough else NO_BREAKTHROUGH


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!])")


def text(value: str) -> str:
    """Contributor text made inert for Markdown: HTML escaped, Markdown syntax backslashed.
    Quotes stay as they are: this is element content, and Python-Markdown's table of contents
    would show an escaped apostrophe as '&#x27;'."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(" ".join(value.split()), quote=False))


#: An entity reference, as Python-Markdown finds one: escaped, it is shown as written, and no
#: link's address is spelled with one (`&#106;avascript:`).
_ENTITY_START = re.compile(r"&(?=#[0-9]+;|#[xX][0-9a-fA-F]+;|[a-zA-Z0-9]+;)")
#: A `<` that starts markup in an HTML parser and in Python-Markdown: a tag or end tag, a comment,
#: declaration or processing instruction, an autolink. Any other `<` is text to both.
_MARKUP_START = re.compile(r"<(?=[A-Za-z/!?])")
_REMOVED_BY_MARKDOWN = str.maketrans("", "", REMOVED_BY_MARKDOWN)


def markdown_text(value: str) -> str:
    """Contributor Markdown (a region's description): formatting kept, raw HTML shown as text. Every
    `<` that starts markup is escaped, in code too: what Markdown takes for code depends on the
    lines around it, the site's extensions and Markdown's version (reviewing helpers cut code
    spans into raw HTML in many ways), and the export to other engines sanitizes only once the
    engine has built the site. So `<b>` in code shows as `&lt;b>`, which `check` warns of;
    `a < b` shows as written. An entity is escaped too; a `>` is Markdown's quote, and a lone
    `&` Markdown's to escape.
    The characters Markdown removes before it reads the text go first (`check` refuses them):
    `<\x02b>` would be a tag once they are gone."""
    value = value.translate(_REMOVED_BY_MARKDOWN)
    return _MARKUP_START.sub("&lt;", _ENTITY_START.sub("&amp;", value))


def theme_slug(theme: str) -> str:
    return slugify(theme) or "thema"


def story_src(story: Story) -> str:
    return f"{STORIES_DIR}/{story.slug}.md"


def region_src(region_id: str) -> str:
    return f"{REGIONS_DIR}/{region_id}.md"


def theme_src(theme: str) -> str:
    return f"{THEMES_DIR}/{theme_slug(theme)}.md"


def url_of(src_uri: str) -> str:
    """Site-relative directory URL of a Markdown source: `regios/x.md` -> `regios/x/`."""
    stem = src_uri.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


def href(from_src: str, to_src: str) -> str:
    """Relative URL from one page to another, both served at directory URLs (`regios/x/`)."""
    here = [part for part in url_of(from_src).split("/") if part]
    there = [part for part in url_of(to_src).split("/") if part]
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    parts = [".."] * (len(here) - common) + there[common:]
    return "/".join(parts) + "/" if parts else "./"


def region_article(region: Region) -> str:
    return f"de regio {region.name}"


def participant_label(participant: Participant, region: Region) -> str:
    """How a participant is shown: by name only with consent, otherwise by role and region."""
    if participant.public:
        role, organisation = ROLE_NOUNS[participant.role], participant.organisation
        if role and organisation and role.casefold() in organisation.casefold().split():
            role = None  # "Provincie Noord-Brabant" says it: no "provincie, Provincie Noord-Brabant"
        details = ", ".join(x for x in (role, organisation) if x)
        return f"{participant.name} ({details})" if details else participant.name
    return f"{ROLE_LABELS[participant.role]} uit {region_article(region)}"


#: A link or image in HTML the sanitizer wrote: each attribute's value in double quotes.
_LINKED = re.compile(r'<(?:img|a|source)\b[^>]*?\s(?:src|href)="([^"]*)"')


def pictures_shown(html_text: str, page_url: str) -> set[str]:
    """The site's paths (`verhalen/foto.jpg`) that the page at `page_url` links to or shows."""
    found = set()
    here = posixpath.dirname(page_url.rstrip("/") + "/")  # a page at a directory URL is that folder
    for match in _LINKED.finditer(html_text):
        url = urllib.parse.urlsplit(html.unescape(match.group(1)))
        if url.scheme or url.netloc or not url.path:
            continue
        path = urllib.parse.unquote(url.path)
        found.add(posixpath.normpath(path.lstrip("/") if path.startswith("/") else posixpath.join(here, path)))
    return found
