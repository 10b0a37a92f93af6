"""Page generation: the site's pages and the story card, made from `Content`.

Listing pages (regions, breakthroughs, lessons, themes) are written as ready HTML, and
every front-matter value is HTML-escaped on the way in, so no value can turn into markup.
Only what contributors wrote as Markdown (story bodies, region descriptions) is left to
the site engine. Pages are served at directory URLs (`verhalen/<slug>/`), and links
between them are relative, so the site works under any base path.
"""

from __future__ import annotations

import heapq
import html
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from regioverhalen.content.loading import Content, Region, Story
from regioverhalen.content.model import Participant
from regioverhalen.content.plain_language import reading_minutes
from regioverhalen.content.terms import LEVEL_LABELS, ROLE_LABELS, STATUS_LABELS, slugify
from regioverhalen.site.glossary_marking import GlossaryMarker
from regioverhalen.site.goal import Progress, RegionStatus, dutch_date, progress
from regioverhalen.site.settings import Settings

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


def text(value: str) -> str:
    """Contributor text made inert for Markdown: HTML escaped, Markdown syntax backslashed.
    Quotes stay as they are: this is element content, and Python-Markdown's table of contents
    would show an escaped apostrophe as '&#x27;'."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(" ".join(value.split()), quote=False))


def markdown_text(value: str) -> str:
    """Contributor Markdown (a region's description): formatting kept, raw HTML escaped."""
    return html.escape(value, quote=False)


def reading_time(body: str) -> str:
    """A story's reading time as a reader sees it: '3 min lezen'."""
    return f"{reading_minutes(body)} min lezen"


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


def esc(value: str) -> str:
    """Contributor text as HTML element or attribute content, with its whitespace collapsed."""
    return html.escape(" ".join(value.split()))


def region_article(region: Region) -> str:
    return f"de regio {region.name}"


def participant_label(participant: Participant, region: Region) -> str:
    """How a participant is shown: by name only with consent, otherwise by role and region."""
    if participant.public:
        details = ", ".join(x for x in (participant.role, participant.organisation) if x)
        return f"{participant.name} ({details})"
    return f"{ROLE_LABELS[participant.role]} uit {region_article(region)}"


@dataclass(frozen=True)
class Heading:
    """A heading of a page's ready HTML, for its table of contents."""

    level: int
    id: str
    title: str


@dataclass(frozen=True)
class GeneratedPage:
    """A page of the site. Listing pages are ready HTML (`html_before`, `html_after`): Python-Markdown
    took a third of a 1,000-story build on them. `markdown` is what contributors wrote (a story, a
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


class _HtmlWriter:
    """Builds one page's ready HTML: headings with unique ids and permalinks, like Python-Markdown's."""

    def __init__(self, permalink: str, permalink_title: str) -> None:
        self.parts: list[str] = []
        self.headings: list[Heading] = []
        self._ids: set[str] = set()
        self._permalink = permalink
        self._permalink_title = esc(permalink_title)

    def heading(self, level: int, title: str, inner_html: str | None = None, anchor: str | None = None) -> None:
        base = anchor or slugify(title) or "kop"
        anchor, n = base, 0
        while anchor in self._ids:
            n += 1
            anchor = f"{base}_{n}"
        self._ids.add(anchor)
        self.headings.append(Heading(level, anchor, title))
        permalink = (
            f'<a class="headerlink" href="#{anchor}" title="{self._permalink_title}">{self._permalink}</a>'
            if self._permalink
            else ""
        )
        self.parts.append(
            f'<h{level} id="{anchor}">{inner_html if inner_html is not None else esc(title)}{permalink}</h{level}>\n'
        )

    def add(self, *html_parts: str) -> None:
        self.parts.extend(html_parts)

    def html(self) -> str:
        out = "".join(self.parts)
        self.parts = []
        return out

    def page(self, src_uri: str, title: str, *, in_nav: bool) -> GeneratedPage:
        """The page whose HTML is all of what was written."""
        return GeneratedPage(src_uri, title, html_before=self.html(), headings=tuple(self.headings), in_nav=in_nav)


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

    def writer(self) -> _HtmlWriter:
        """A writer for one listing page, with this site's heading permalinks."""
        return _HtmlWriter(self.settings.heading_permalink, self.settings.heading_permalink_title)

    def __post_init__(self) -> None:
        self._stories_by_src = {story_src(s): s for s in self.content.stories}
        #: Each region's published stories, newest first (every region, if without stories).
        self.by_region: dict[str, list[Story]] = {region_id: [] for region_id in self.content.regions}
        for story in self.content.stories:
            self.by_region[story.meta.region].append(story)
        self._region_stories = {region_id: RegionStories(stories) for region_id, stories in self.by_region.items()}


def build_site(content: Content, settings: Settings) -> Site:
    site = Site(content, settings, progress(content, settings.goal))
    site.pages.append(regions_overview(site))
    for region in sorted(content.regions.values(), key=lambda r: r.name):
        site.pages.append(region_page(site, region))
    site.pages.append(breakthroughs_page(site))
    site.pages.append(lessons_page(site))
    site.pages.extend(theme_pages(site))
    site.pages.extend(
        GeneratedPage(story_src(story), story.meta.title, story.body, from_contributors=True)
        for story in content.stories
    )
    return site


def _participants(content: Content, story: Story) -> list[str]:
    labels = []
    for pid in story.meta.participants:
        participant, region = content.participant(pid)
        labels.append(participant_label(participant, region))
    return labels


def _story_item(from_src: str, story: Story, content: Content, with_region: bool, with_summary: bool) -> str:
    """A story in a list: its title as a link; its date, region and themes; its summary."""
    parts = [dutch_date(story.meta.date)]
    if with_region:
        parts.append(esc(content.regions[story.meta.region].name))
    parts += [f"#{esc(t)}" for t in story.meta.themes]
    parts.append(reading_time(story.body))
    summary = f"<br>\n{esc(story.meta.summary)}" if with_summary else ""
    return (
        f'<li><a href="{href(from_src, story_src(story))}">{esc(story.meta.title)}</a><br>\n'
        f"<small>{' · '.join(parts)}</small>{summary}</li>\n"
    )


def _story_list(
    from_src: str, stories: list[Story], content: Content, with_region: bool = False, with_summary: bool = True
) -> str:
    items = "".join(_story_item(from_src, s, content, with_region, with_summary) for s in stories)
    return f"<ul>\n{items}</ul>\n" if items else "<p>Nog geen verhalen gepubliceerd.</p>\n"


def _status_class(status: RegionStatus) -> str:
    if status.counts:
        return "rv-status--bereikt"
    return "rv-status--wording" if status.late_demonstrable or status.has_emerging else "rv-status--nog"


def regions_overview(site: Site) -> GeneratedPage:
    src = f"{REGIONS_DIR}/index.md"
    statuses = {s.region_id: s for s in site.progress.regions}
    out = site.writer()
    out.heading(1, "Regio's", anchor="regios")
    out.add(
        "<p>De regio is de eenheid van leren: elke regio heeft haar eigen mensen, plekken en opgaven. "
        f"Het doel is een aanwijsbare doorbraak in {site.settings.goal.regions} regio's "
        f"uiterlijk {dutch_date(site.settings.goal.deadline)}.</p>\n",
        '<div class="rv-grid">\n',
    )
    for region in sorted(site.content.regions.values(), key=lambda r: r.name):
        status = statuses[region.id]
        count = len(site.by_region[region.id])
        out.add('<div class="rv-card">\n')
        out.heading(2, region.name, f'<a href="{href(src, region_src(region.id))}">{esc(region.name)}</a>', region.id)
        out.add(
            f"<p><small>{esc(', '.join(p.value for p in region.data.provinces))}</small></p>\n",
            f"<p>{esc(region.data.horizon)}</p>\n",
            # Badge and count wrap as two items: a separator between them would start a line.
            f'<p><span class="rv-status {_status_class(status)}">{esc(status.label)}</span> '
            f"<span>{count} {'verhaal' if count == 1 else 'verhalen'}</span></p>\n",
            "</div>\n",
        )
    out.add("</div>\n")
    return out.page(src, "Regio's", in_nav=True)


def _timeline(from_src: str, stories: list[Story], content: Content, with_region: bool) -> str:
    with_breakthrough = [s for s in stories if s.meta.breakthrough is not None]
    if not with_breakthrough:
        return "<p>Nog geen doorbraken beschreven.</p>\n"
    with_breakthrough.sort(key=lambda s: (s.meta.breakthrough.date, s.slug), reverse=True)  # type: ignore[union-attr]
    items = []
    for story in with_breakthrough:
        b = story.meta.breakthrough
        assert b is not None
        where = f" · {esc(b.place)}" if b.place else ""
        region = f" · {esc(content.regions[story.meta.region].name)}" if with_region else ""
        items.append(
            f'<li class="rv-timeline__item rv-timeline__item--{b.status}">\n'
            f'<p><time datetime="{b.date.isoformat()}">{dutch_date(b.date)}</time>{region}{where}</p>\n'
            f"<p><strong>{esc(b.title)}</strong><br>\n"
            f'<span class="rv-status rv-status--{b.status}">{STATUS_LABELS[b.status]}</span> '
            f'· uit het verhaal <a href="{href(from_src, story_src(story))}">{esc(story.meta.title)}</a></p>\n'
            "</li>\n"
        )
    return '<ol class="rv-timeline">\n' + "".join(items) + "</ol>\n"


def region_page(site: Site, region: Region) -> GeneratedPage:
    src = region_src(region.id)
    stories = site.by_region[region.id]
    data = region.data
    out = site.writer()
    out.heading(1, data.name)
    out.add(
        f"<p><small>Provincie: {esc(', '.join(p.value for p in data.provinces))}</small></p>\n",
        '<div class="admonition abstract">\n<p class="admonition-title">Stip op de horizon</p>\n',
        f"<p>{esc(data.horizon)}</p>\n</div>\n",
    )
    before = out.html()
    out.add("\n")  # after the description's last block
    out.heading(2, "Deelnemers")
    if data.participants:
        out.add("<ul>\n")
        for participant in data.participants:
            opgave = f": {esc(participant.opgave)}" if participant.opgave and participant.public else ""
            out.add(f"<li>{esc(participant_label(participant, region))}{opgave}</li>\n")
        out.add("</ul>\n")
    else:
        out.add("<p>Nog geen deelnemers beschreven.</p>\n")
    out.heading(2, "Doorbraken")
    out.add(_timeline(src, stories, site.content, with_region=False))
    out.heading(2, f"Verhalen ({len(stories)})")
    out.add(
        _story_list(src, stories, site.content),
        '<p class="rv-feedlink"><a href="feed.xml" type="application/rss+xml">RSS-feed van deze regio</a></p>\n',
    )
    return GeneratedPage(
        src,
        data.name,
        # The description is the contributor's Markdown, rendered with the site's extensions.
        markdown=markdown_text(data.description) if data.description else "",
        html_before=before,
        html_after=out.html(),
        headings=tuple(out.headings),
        in_nav=True,
        from_contributors=True,
    )


def breakthroughs_page(site: Site) -> GeneratedPage:
    content = site.content
    out = site.writer()
    out.heading(1, "Doorbraken")
    out.add(
        "<p>Alle doorbraken uit de verhalen, de nieuwste eerst. Een <em>aanwijsbare</em> doorbraak is zichtbaar "
        "en na te wijzen; een doorbraak <em>in wording</em> is op weg.</p>\n",
        _timeline(BREAKTHROUGHS_PAGE, content.stories, content, with_region=True),
    )
    return out.page(BREAKTHROUGHS_PAGE, "Doorbraken", in_nav=True)


def lessons_page(site: Site) -> GeneratedPage:
    content = site.content
    out = site.writer()
    out.heading(1, "Lessen")
    out.add(
        "<p>Wat deelnemers leerden, op drie niveaus: als persoon (individu), in hun opgave en in hun organisatie.</p>\n"
    )
    items: dict[str, list[str]] = {level: [] for level in LEVEL_LABELS}
    for story in content.stories:
        source = (
            f'<small>Uit <a href="{href(LESSONS_PAGE, story_src(story))}">{esc(story.meta.title)}</a> · '
            f"{esc(content.regions[story.meta.region].name)}</small>"
        )
        for lesson in story.meta.lessons:
            items[lesson.level].append(f"<li>{esc(lesson.text)}<br>\n{source}</li>\n")
    for level, label in LEVEL_LABELS.items():
        out.heading(2, label)
        found = "".join(items[level])
        out.add(f"<ul>\n{found}</ul>\n" if found else "<p>Nog geen lessen op dit niveau.</p>\n")
    return out.page(LESSONS_PAGE, "Lessen", in_nav=True)


def themes(content: Content) -> dict[str, list[Story]]:
    found: dict[str, list[Story]] = defaultdict(list)
    for story in content.stories:
        for theme in story.meta.themes:
            found[theme].append(story)
    return dict(sorted(found.items()))


def theme_pages(site: Site) -> list[GeneratedPage]:
    content = site.content
    index_src = f"{THEMES_DIR}/index.md"
    by_theme = themes(content)
    out = site.writer()
    out.heading(1, "Thema's", anchor="themas")
    out.add("<p>Verhalen gebundeld per thema.</p>\n<ul>\n")
    for theme, stories in by_theme.items():
        out.add(f'<li><a href="{href(index_src, theme_src(theme))}">{esc(theme)}</a> ({len(stories)})</li>\n')
    out.add("</ul>\n")
    pages = [out.page(index_src, "Thema's", in_nav=True)]
    for theme, stories in by_theme.items():
        src = theme_src(theme)
        out = site.writer()
        out.heading(1, f"Thema: {theme}")
        out.add(
            f"<p>{len(stories)} {'verhaal' if len(stories) == 1 else 'verhalen'}.</p>\n",
            # Titles, dates and regions only: a theme gathers stories from every region, and their
            # summaries are on the region pages (with them, theme pages were the largest in memory).
            _story_list(src, stories, content, with_region=True, with_summary=False),
        )
        pages.append(out.page(src, f"Thema: {theme}", in_nav=False))
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
    items = []
    for status in sorted(p.regions, key=lambda s: site.content.regions[s.region_id].name):
        region = site.content.regions[status.region_id]
        mark = "✓" if status.counts else "○"
        items.append(
            f'<li>{mark} <a href="{href(from_src, region_src(region.id))}">{esc(region.name)}</a>: '
            f"{esc(status.label)}</li>\n"
        )
    # A raw HTML block inside the page's Markdown: blank lines around it keep it one.
    return (
        '\n\n<div class="rv-progress">\n'
        f"<p><strong>{p.reached} van de {p.goal.regions} regio's</strong> hebben een aanwijsbare doorbraak "
        f"(doel: uiterlijk {dutch_date(p.goal.deadline)}).</p>\n"
        f'<progress max="{p.goal.regions}" value="{p.reached}" aria-label="Voortgang: {p.reached} van '
        f"{p.goal.regions} regio's\">{p.percent}%</progress>\n"
        f"<ul>\n{''.join(items)}</ul>\n</div>\n\n"
    )


def newest_block(site: Site, from_src: str = "index.md") -> str:
    return "\n\n" + _story_list(from_src, site.content.stories[:NEWEST_COUNT], site.content, with_region=True) + "\n"


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
