"""Page generation: the site's Markdown pages and the story card, made from `Content`.

Everything a contributor wrote is escaped here before it becomes Markdown, so no
front-matter value can turn into markup. Links are written as relative links to
Markdown sources, which the site engine resolves and checks.
"""

from __future__ import annotations

import functools
import heapq
import html
import itertools
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from regioverhalen.goal import Progress, dutch_date, progress
from regioverhalen.loading import Content, Region, Story
from regioverhalen.model import LEVEL_LABELS, ROLE_LABELS, STATUS_LABELS, Participant, slugify
from regioverhalen.settings import Settings

STORIES_DIR = "verhalen"
REGIONS_DIR = "regios"
THEMES_DIR = "themas"
BREAKTHROUGHS_PAGE = "doorbraken.md"
LESSONS_PAGE = "lessen.md"
PROGRESS_MARKER = "<!-- regioverhalen:voortgang -->"
NEWEST_MARKER = "<!-- regioverhalen:nieuwste -->"
NEWEST_COUNT = 6
RELATED_COUNT = 4

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!])")


@functools.lru_cache(maxsize=1 << 16)  # titles and summaries recur on several listing pages
def text(value: str) -> str:
    """Contributor text made inert for Markdown: HTML escaped, Markdown syntax backslashed.
    Quotes stay as they are: this is element content, and Python-Markdown's table of contents
    would show an escaped apostrophe as '&#x27;'."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(" ".join(value.split()), quote=False))


def markdown_text(value: str) -> str:
    """Contributor Markdown (a region's description): formatting kept, raw HTML escaped."""
    return html.escape(value, quote=False)


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


def link(from_src: str, to_src: str) -> str:
    """Relative link between two Markdown sources: `posixpath.relpath` without its cost.

    relpath makes both paths absolute (a getcwd per call); with thousands of stories listed
    on several pages that showed in the profile. Sources are plain relative paths, for which
    dropping the common folders gives the same answer; anything else goes to relpath."""
    start = posixpath.dirname(from_src)
    start_parts = start.split("/") if start else []
    to_parts = to_src.split("/")
    if to_src.startswith("/") or any(part in _UNPLAIN_PARTS for part in (*start_parts, *to_parts)):
        return posixpath.relpath(to_src, start or ".")
    common = 0
    for start_part, to_part in zip(start_parts, to_parts, strict=False):
        if start_part != to_part:
            break
        common += 1
    return "/".join([".."] * (len(start_parts) - common) + to_parts[common:]) or "."


_UNPLAIN_PARTS = frozenset({"", ".", ".."})


def region_article(region: Region) -> str:
    return f"de regio {region.name}"


def participant_label(participant: Participant, region: Region) -> str:
    """How a participant is shown: by name only with consent, otherwise by role and region."""
    if participant.public:
        details = ", ".join(x for x in (participant.role, participant.organisation) if x)
        return f"{participant.name} ({details})"
    return f"{ROLE_LABELS[participant.role]} uit {region_article(region)}"


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str
    title: str
    markdown: str
    #: Kept out of the navigation; region pages are in it, stories and themes are not.
    in_nav: bool = False


@dataclass
class Site:
    """All generated pages plus what templates and feeds need per story."""

    content: Content
    settings: Settings
    progress: Progress
    pages: list[GeneratedPage] = field(default_factory=list)
    cards: dict[str, dict[str, Any]] = field(default_factory=dict)

    def story_for(self, src_uri: str) -> Story | None:
        return self._stories_by_src.get(src_uri)

    def __post_init__(self) -> None:
        self._stories_by_src = {story_src(s): s for s in self.content.stories}


def build_site(content: Content, settings: Settings) -> Site:
    site = Site(content, settings, progress(content, settings.goal))
    by_region: dict[str, list[Story]] = defaultdict(list)
    for story in content.stories:
        by_region[story.meta.region].append(story)
    site.pages.append(regions_overview(site, by_region))
    for region in sorted(content.regions.values(), key=lambda r: r.name):
        site.pages.append(region_page(site, region, by_region[region.id]))
    site.pages.append(breakthroughs_page(content))
    site.pages.append(lessons_page(content))
    site.pages.extend(theme_pages(content))
    indexes = {region_id: RegionStories(stories) for region_id, stories in by_region.items()}
    for story in content.stories:
        site.pages.append(GeneratedPage(story_src(story), story.meta.title, story.body))
        site.cards[story_src(story)] = story_card(content, story, indexes[story.meta.region])
    text.cache_clear()  # a memo for this build only, not a store that outlives it
    return site


def _participants(content: Content, story: Story) -> list[str]:
    labels = []
    for pid in story.meta.participants:
        participant, region = content.participant(pid)
        labels.append(participant_label(participant, region))
    return labels


def _story_line(from_src: str, story: Story, content: Content, with_region: bool = False) -> str:
    region = content.regions[story.meta.region]
    parts = [dutch_date(story.meta.date)]
    if with_region:
        parts.append(text(region.name))
    parts += [f"#{text(t)}" for t in story.meta.themes]
    return (
        f"- [{text(story.meta.title)}]({link(from_src, story_src(story))})  \n"
        f"  <small>{' · '.join(parts)}</small>  \n"
        f"  {text(story.meta.summary)}"
    )


def regions_overview(site: Site, by_region: dict[str, list[Story]]) -> GeneratedPage:
    src = f"{REGIONS_DIR}/index.md"
    statuses = {s.region_id: s for s in site.progress.regions}
    lines = [
        "# Regio's\n",
        "De regio is de eenheid van leren: elke regio heeft haar eigen mensen, plekken en opgaven. "
        f"Het doel is een aanwijsbare doorbraak in {site.settings.goal.regions} regio's "
        f"uiterlijk {dutch_date(site.settings.goal.deadline)}.\n",
        '<div class="rv-grid" markdown>\n',
    ]
    for region in sorted(site.content.regions.values(), key=lambda r: r.name):
        status = statuses[region.id]
        count = len(by_region[region.id])
        css = (
            "rv-status--bereikt"
            if status.counts
            else ("rv-status--wording" if status.late_demonstrable or status.has_emerging else "rv-status--nog")
        )
        lines += [
            '<div class="rv-card" markdown>\n',
            f"## [{text(region.name)}]({link(src, region_src(region.id))})\n",
            f"<small>{text(', '.join(p.value for p in region.data.provinces))}</small>\n",
            f"{text(region.data.horizon)}\n",
            f'<span class="rv-status {css}">{text(status.label)}</span> '
            f"· {count} {'verhaal' if count == 1 else 'verhalen'}\n",
            "</div>\n",
        ]
    lines.append("</div>\n")
    return GeneratedPage(src, "Regio's", "\n".join(lines), in_nav=True)


def _timeline(from_src: str, stories: list[Story], content: Content, with_region: bool) -> list[str]:
    lines = ['<ol class="rv-timeline" markdown>\n']
    with_breakthrough = [s for s in stories if s.meta.breakthrough is not None]
    with_breakthrough.sort(key=lambda s: (s.meta.breakthrough.date, s.slug), reverse=True)  # type: ignore[union-attr]
    for story in with_breakthrough:
        b = story.meta.breakthrough
        assert b is not None
        where = f" · {text(b.place)}" if b.place else ""
        region = f" · {text(content.regions[story.meta.region].name)}" if with_region else ""
        lines += [
            f'<li class="rv-timeline__item rv-timeline__item--{b.status}" markdown>\n',
            f'<time datetime="{b.date.isoformat()}">{dutch_date(b.date)}</time>{region}{where}\n',
            f"**{text(b.title)}**  \n"
            f'<span class="rv-status rv-status--{b.status}">{STATUS_LABELS[b.status]}</span> '
            f"· uit het verhaal [{text(story.meta.title)}]({link(from_src, story_src(story))})\n",
            "</li>\n",
        ]
    lines.append("</ol>\n")
    return lines if with_breakthrough else ["Nog geen doorbraken beschreven.\n"]


def region_page(site: Site, region: Region, stories: list[Story]) -> GeneratedPage:
    src = region_src(region.id)
    data = region.data
    lines = [
        f"# {text(data.name)}\n",
        f"<small>Provincie: {text(', '.join(p.value for p in data.provinces))}</small>\n",
        '!!! abstract "Stip op de horizon"\n',
        f"    {text(data.horizon)}\n",
    ]
    if data.description:
        lines.append(markdown_text(data.description) + "\n")
    lines.append("## Deelnemers\n")
    if data.participants:
        for participant in data.participants:
            label = text(participant_label(participant, region))
            opgave = f": {text(participant.opgave)}" if participant.opgave and participant.public else ""
            lines.append(f"- {label}{opgave}")
        lines.append("")
    else:
        lines.append("Nog geen deelnemers beschreven.\n")
    lines.append("## Doorbraken\n")
    lines += _timeline(src, stories, site.content, with_region=False)
    lines.append(f"## Verhalen ({len(stories)})\n")
    lines += [_story_line(src, s, site.content) for s in stories] or ["Nog geen verhalen gepubliceerd."]
    lines.append("")
    # Raw HTML: the feed is not a Markdown page, so MkDocs' link check would not know it.
    lines.append(
        '<p class="rv-feedlink"><a href="feed.xml" type="application/rss+xml">RSS-feed van deze regio</a></p>\n'
    )
    return GeneratedPage(src, data.name, "\n".join(lines), in_nav=True)


def breakthroughs_page(content: Content) -> GeneratedPage:
    lines = [
        "# Doorbraken\n",
        "Alle doorbraken uit de verhalen, de nieuwste eerst. Een *aanwijsbare* doorbraak is zichtbaar "
        "en na te wijzen; een doorbraak *in wording* is op weg.\n",
    ]
    lines += _timeline(BREAKTHROUGHS_PAGE, content.stories, content, with_region=True)
    return GeneratedPage(BREAKTHROUGHS_PAGE, "Doorbraken", "\n".join(lines), in_nav=True)


def lessons_page(content: Content) -> GeneratedPage:
    lines = [
        "# Lessen\n",
        "Wat deelnemers leerden, op drie niveaus: als persoon (individu), in hun opgave en in hun organisatie.\n",
    ]
    for level, label in LEVEL_LABELS.items():
        lines.append(f"## {label}\n")
        found = False
        for story in content.stories:
            for lesson in story.meta.lessons:
                if lesson.level == level:
                    found = True
                    region = content.regions[story.meta.region]
                    lines.append(
                        f"- {text(lesson.text)}  \n"
                        f"  <small>Uit [{text(story.meta.title)}]({link(LESSONS_PAGE, story_src(story))}) "
                        f"· {text(region.name)}</small>"
                    )
        lines.append("" if found else "Nog geen lessen op dit niveau.\n")
    return GeneratedPage(LESSONS_PAGE, "Lessen", "\n".join(lines), in_nav=True)


def themes(content: Content) -> dict[str, list[Story]]:
    found: dict[str, list[Story]] = defaultdict(list)
    for story in content.stories:
        for theme in story.meta.themes:
            found[theme].append(story)
    return dict(sorted(found.items()))


def theme_pages(content: Content) -> list[GeneratedPage]:
    index_src = f"{THEMES_DIR}/index.md"
    by_theme = themes(content)
    lines = ["# Thema's\n", "Verhalen gebundeld per thema.\n"]
    for theme, stories in by_theme.items():
        lines.append(f"- [{text(theme)}]({link(index_src, theme_src(theme))}) ({len(stories)})")
    pages = [GeneratedPage(index_src, "Thema's", "\n".join(lines) + "\n", in_nav=True)]
    for theme, stories in by_theme.items():
        src = theme_src(theme)
        body = [f"# Thema: {text(theme)}\n", f"{len(stories)} {'verhaal' if len(stories) == 1 else 'verhalen'}.\n"]
        body += [_story_line(src, s, content, with_region=True) for s in stories]
        pages.append(GeneratedPage(src, f"Thema: {theme}", "\n".join(body) + "\n"))
    return pages


def default_home(site: Site) -> GeneratedPage:
    """The home page for a site whose docs/ has none: the goal, its progress, the newest stories."""
    markdown = (
        f"# {text(site.settings.site_name)}\n\n"
        "Verhalen uit de regio's van de Community of Practice Regionale Transities.\n\n"
        f"## Het doel\n\n{PROGRESS_MARKER}\n\n## Nieuwste verhalen\n\n{NEWEST_MARKER}\n"
    )
    return GeneratedPage("index.md", site.settings.site_name, markdown, in_nav=True)


def progress_block(site: Site, from_src: str = "index.md") -> str:
    p = site.progress
    lines = [
        '<div class="rv-progress" markdown>\n',
        f"**{p.reached} van de {p.goal.regions} regio's** hebben een aanwijsbare doorbraak "
        f"(doel: uiterlijk {dutch_date(p.goal.deadline)}).\n",
        f'<progress max="{p.goal.regions}" value="{p.reached}" aria-label="Voortgang: {p.reached} van '
        f"{p.goal.regions} regio's\">{p.percent}%</progress>\n",
    ]
    for status in sorted(p.regions, key=lambda s: site.content.regions[s.region_id].name):
        region = site.content.regions[status.region_id]
        mark = "✓" if status.counts else "○"
        lines.append(f"- {mark} [{text(region.name)}]({link(from_src, region_src(region.id))}): {text(status.label)}")
    lines.append("\n</div>\n")
    return "\n".join(lines)


def newest_block(site: Site, from_src: str = "index.md") -> str:
    stories = site.content.stories[:NEWEST_COUNT]
    lines = [_story_line(from_src, s, site.content, with_region=True) for s in stories]
    return "\n".join(lines) + "\n" if lines else "Nog geen verhalen gepubliceerd.\n"


def fill_markers(markdown: str, site: Site, src_uri: str) -> str:
    """Replace the home page's markers with the goal's progress and the newest stories."""
    if PROGRESS_MARKER in markdown:
        markdown = markdown.replace(PROGRESS_MARKER, progress_block(site, src_uri))
    if NEWEST_MARKER in markdown:
        markdown = markdown.replace(NEWEST_MARKER, newest_block(site, src_uri))
    return markdown


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
        "region": {"name": region.name, "url": url_of(region_src(region.id))},
        "participants": _participants(content, story),
        "themes": [{"name": t, "url": url_of(theme_src(t))} for t in meta.themes],
        "breakthrough": breakthrough,
        "lessons": [
            {"label": label, "lessons": [lesson.text for lesson in meta.lessons if lesson.level == level]}
            for level, label in LEVEL_LABELS.items()
            if any(lesson.level == level for lesson in meta.lessons)
        ],
        "related": [region_stories.ref(s) for s in region_stories.related(story)],
        "newer": region_stories.ref(newer) if newer else None,
        "older": region_stories.ref(older) if older else None,
    }
