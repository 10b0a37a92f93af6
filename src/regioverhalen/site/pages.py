"""Page models: the site's generated pages and the story card, made from `Content`.

The listing pages are rendered by templates (`listings.py`, `home.py`, `templates/`); this
module holds what they are made into and the story page's meta card. Only what contributors
wrote as Markdown (story bodies, region descriptions) is left to the site engine.
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from regioverhalen.content.loading import Content, Story
from regioverhalen.content.plain_language import reading_minutes
from regioverhalen.content.terms import LEVEL_LABELS, STATUS_LABELS
from regioverhalen.site import listings
from regioverhalen.site.glossary_marking import GlossaryMarker
from regioverhalen.site.goal import Progress, dutch_date, progress
from regioverhalen.site.home import default_home as default_home
from regioverhalen.site.home import fill_markers as fill_markers
from regioverhalen.site.listing_cache import KeptListings
from regioverhalen.site.paths import REGIONS_DIR as REGIONS_DIR
from regioverhalen.site.paths import STORIES_DIR as STORIES_DIR
from regioverhalen.site.paths import THEMES_DIR as THEMES_DIR
from regioverhalen.site.paths import href as href
from regioverhalen.site.paths import participant_label, theme_src
from regioverhalen.site.paths import region_src as region_src
from regioverhalen.site.paths import story_src as story_src
from regioverhalen.site.paths import theme_slug as theme_slug
from regioverhalen.site.paths import url_of as url_of
from regioverhalen.site.settings import Settings
from regioverhalen.site.templating import Headings, Templates

RELATED_COUNT = 4
#: Stands for the way to the site's root in a cached list item. Contributor text cannot contain
#: it: the templates escape every '<' in it.
_ROOT_MARK = "<rv-root>"


def _from_root(src: str) -> Markup:
    """A link from the site's root, marked to be made relative to each page that lists it."""
    return Markup(_ROOT_MARK) + url_of(src)


def root_of(src: str) -> str:
    """The relative way from a page to the site's root: `verhalen/jaar/2024.md` -> `../../../`."""
    return "../" * url_of(src).count("/")


def reading_time(body: str) -> str:
    """A story's reading time as a reader sees it: '3 min lezen'."""
    return f"{reading_minutes(body)} min lezen"


#: What readers may search a province by besides its official name.
PROVINCE_ALSO = {"Fryslân": "Friesland"}


@dataclass(frozen=True)
class Heading:
    """A heading of a page's ready HTML, for its table of contents."""

    level: int
    id: str
    title: str


@dataclass(frozen=True)
class GeneratedPage:
    """A page of the site. Listing pages are ready HTML (`html_before`, `html_after`): Python-Markdown
    would spend a large part of a build on them. `markdown` is what contributors wrote (a story, a
    region's description), rendered by the site engine with the site's Markdown extensions."""

    src_uri: str
    title: str
    markdown: str = ""
    html_before: str = ""
    html_after: str = ""
    #: The headings in the ready HTML, the page title (level 1) first.
    headings: tuple[Heading, ...] = ()
    #: Kept out of the navigation; region pages are in it, stories and themes are not.
    in_nav: bool = False
    #: `markdown` is a contributor's (a story, a region's description): its HTML is sanitized.
    from_contributors: bool = False


@dataclass
class Site:
    """All generated pages, and the story cards that templates and feeds need."""

    content: Content
    settings: Settings
    progress: Progress
    pages: list[GeneratedPage] = field(default_factory=list)
    #: Marks the glossary's terms on pages (None without a glossary).
    glossary: GlossaryMarker | None = None

    def story_for(self, src_uri: str) -> Story | None:
        return self._stories_by_src.get(src_uri)

    def card(self, src_uri: str) -> dict[str, Any] | None:
        """A story page's meta card, made when its page is rendered: kept for every story at
        once, the cards took more memory than the stories' texts."""
        story = self.story_for(src_uri)
        if story is None:
            return None
        return story_card(self.content, story, self._region_stories[story.meta.region])

    def headings(self) -> Headings:
        """The heading writer for one listing page, with this site's heading permalinks."""
        macro = self.templates.macro("heading")
        return Headings(self.settings.heading_permalink, self.settings.heading_permalink_title, macro)

    def story_items(
        self, from_src: str, stories: list[listings.StoryEntry], with_region: bool, with_summary: bool
    ) -> Markup:
        """The list items of `stories` (entries), as seen from the page `from_src`. A story is in
        many lists (all stories, its year, status, region and themes): each item is rendered once,
        with its link relative to the site's root, and put in place for each page."""
        cache = self._items.setdefault((with_region, with_summary), {})
        macro = self.templates.macro("story_item")
        parts = []
        for entry in stories:
            item = cache.get(entry.src)
            if item is None:
                item = cache[entry.src] = str(macro(entry, _from_root, with_region, with_summary))
            parts.append(item)
        return Markup("".join(parts).replace(_ROOT_MARK, root_of(from_src)))

    def entry(self, story: Story) -> listings.StoryEntry:
        """A story as lists show it, made once for all the lists it is in."""
        found = self._entries.get(story.slug)
        if found is None:
            found = self._entries[story.slug] = listings.story_entry(self, story)
        return found

    def __post_init__(self) -> None:
        self.templates = Templates(self.settings.template_dir)
        self._entries: dict[str, listings.StoryEntry] = {}
        self._items: dict[tuple[bool, bool], dict[str, str]] = {}
        self._stories_by_src = {story_src(s): s for s in self.content.stories}
        #: Each region's published stories, newest first (every region, if without stories).
        self.by_region: dict[str, list[Story]] = {region_id: [] for region_id in self.content.regions}
        for story in self.content.stories:
            self.by_region[story.meta.region].append(story)
        self._region_stories = {region_id: RegionStories(stories) for region_id, stories in self.by_region.items()}


def build_site(content: Content, settings: Settings, kept: KeptListings | None = None) -> Site:
    """Every generated page of the site, in `Site.pages` (the home page aside: see home.py).
    With `kept` (a live preview), listing pages made from the same input are taken from there."""
    site = Site(content, settings, progress(content, settings.goal))
    site.pages.extend(
        _listing_pages(site) if kept is None else kept.pages_for(content, settings, lambda: _listing_pages(site))
    )
    site.pages.extend(
        GeneratedPage(story_src(story), story.meta.title, story.body, from_contributors=True)
        for story in content.stories
    )
    return site


def _listing_pages(site: Site) -> list[GeneratedPage]:
    pages = [listings.regions_overview(site)]
    pages.extend(
        listings.region_page(site, region) for region in sorted(site.content.regions.values(), key=lambda r: r.name)
    )
    pages.append(listings.breakthroughs_page(site))
    pages.append(listings.lessons_page(site))
    pages.extend(listings.theme_pages(site))
    pages.extend(listings.story_index_pages(site))
    return pages


def _participants(content: Content, story: Story) -> list[str]:
    labels = []
    for pid in story.meta.participants:
        participant, region = content.participant(pid)
        labels.append(participant_label(participant, region))
    return labels


class RegionStories:
    """One region's published stories (newest first), indexed for the story cards.

    Scanning the whole region for every story (its position, its related stories) made the
    build quadratic. Stories with the same set of themes rank alike against any other story,
    and the ranking's tie-break (newest first, then slug) is a fixed order; so the ranking for
    a set of themes merges the groups of stories by how many themes they share, stops once it
    has enough, and is shared by every story with that set of themes.
    """

    def __init__(self, stories: list[Story]) -> None:
        self.stories = stories
        self._position = {s.slug: i for i, s in enumerate(stories)}
        in_order = sorted(stories, key=lambda s: (-s.meta.date.toordinal(), s.slug))
        self._order = {s.slug: i for i, s in enumerate(in_order)}
        self._groups: dict[frozenset[str], list[Story]] = defaultdict(list)
        for s in in_order:
            self._groups[frozenset(s.meta.themes)].append(s)
        self._ranked: dict[tuple[frozenset[str], int], list[Story]] = {}
        self._refs: dict[str, dict[str, str]] = {}

    def ref(self, story: Story) -> dict[str, str]:
        """A story as the cards of its region link to it; one shared dict per story, not one per card."""
        found = self._refs.get(story.slug)
        if found is None:
            found = self._refs[story.slug] = _story_ref(story)
        return found

    def neighbours(self, story: Story) -> tuple[Story | None, Story | None]:
        """The next newer and the next older story in the region's list."""
        position = self._position[story.slug]
        newer = self.stories[position - 1] if position > 0 else None
        older = self.stories[position + 1] if position + 1 < len(self.stories) else None
        return newer, older

    def related(self, story: Story, limit: int = RELATED_COUNT) -> list[Story]:
        """More from the region: the stories sharing most themes with `story` first, then the newest."""
        themes_of = frozenset(story.meta.themes)
        ranked = self._ranked.get((themes_of, limit))
        if ranked is None:
            by_shared: dict[int, list[list[Story]]] = defaultdict(list)
            for themes, members in self._groups.items():
                by_shared[len(themes_of & themes)].append(members)
            ranked = []
            # One more than `limit`, so that `limit` remain once the story itself is left out.
            for shared in sorted(by_shared, reverse=True):
                need = limit + 1 - len(ranked)
                if need <= 0:
                    break
                merged = heapq.merge(*by_shared[shared], key=lambda s: self._order[s.slug])
                ranked.extend(itertools.islice(merged, need))
            self._ranked[(themes_of, limit)] = ranked
        return [s for s in ranked if s.slug != story.slug][:limit]


def _story_ref(story: Story) -> dict[str, str]:
    return {
        "title": story.meta.title,
        "url": url_of(story_src(story)),
        "date": dutch_date(story.meta.date),
        "summary": story.meta.summary,
        "reading_time": reading_time(story.body),
    }


def story_card(content: Content, story: Story, region_stories: RegionStories) -> dict[str, Any]:
    """Plain data for the story template's meta card; the template escapes every value."""
    meta = story.meta
    region = content.regions[meta.region]
    breakthrough = None
    if meta.breakthrough is not None:
        b = meta.breakthrough
        breakthrough = {
            "title": b.title,
            "date": dutch_date(b.date),
            "iso_date": b.date.isoformat(),
            "status": b.status,
            "status_label": STATUS_LABELS[b.status],
            "place": b.place or "",
            "evidence": [
                {"text": item, "url": item if re.match(r"^https?://\S+$", item) else ""} for item in b.evidence
            ],
        }
    newer, older = region_stories.neighbours(story)  # newest first
    return {
        "title": meta.title,
        "summary": meta.summary,
        "date": dutch_date(meta.date),
        "iso_date": meta.date.isoformat(),
        "reading_time": reading_time(story.body),
        "region": {
            "name": region.name,
            "url": url_of(region_src(region.id)),
            "provinces": [{"name": p.value, "also": PROVINCE_ALSO.get(p.value, "")} for p in region.data.provinces],
        },
        "regions_url": url_of(f"{REGIONS_DIR}/index.md"),
        "year": meta.date.year,
        "levels": [LEVEL_LABELS[lesson.level] for lesson in meta.lessons],  # as the search filter shows them
        "participants": _participants(content, story),
        "themes": [{"name": t, "url": url_of(theme_src(t))} for t in meta.themes],
        "breakthrough": breakthrough,
        "lessons": [
            {
                "label": label,
                "explanation": listings.LEVEL_EXPLANATIONS[level],
                "lessons": [lesson.text for lesson in meta.lessons if lesson.level == level],
            }
            for level, label in LEVEL_LABELS.items()
            if any(lesson.level == level for lesson in meta.lessons)
        ],
        "related": [region_stories.ref(s) for s in region_stories.related(story)],
        "newer": region_stories.ref(newer) if newer else None,
        "older": region_stories.ref(older) if older else None,
    }
