"""The listing pages (regions, a region, breakthroughs, lessons, themes, all stories and their
filters) and the home page's blocks, rendered by the templates in `templates/`.

Templates get plain values; every path in them goes through `link`, the relative URL from the
page being made, so the site works under any base path.
"""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from regioverhalen.content.loading import Region, Story
from regioverhalen.content.terms import LEVEL_LABELS, STATUS_LABELS
from regioverhalen.site.goal import RegionStatus, build_day, dutch_date
from regioverhalen.site.paths import (
    BREAKTHROUGHS_SRC,
    LESSONS_SRC,
    NO_BREAKTHROUGH,
    REGIONS_DIR,
    STORIES_DIR,
    THEMES_DIR,
    href,
    markdown_text,
    participant_label,
    region_src,
    status_of,
    status_src,
    story_src,
    theme_slug,
    theme_src,
    year_src,
)

if TYPE_CHECKING:
    from regioverhalen.site.pages import GeneratedPage, Site

#: What readers are told each learning level means, where levels appear.
LEVEL_EXPLANATIONS = {
    "individu": "Wat iemand als persoon leerde: over zichzelf, de eigen rol en het eigen ongemak.",
    "opgave": "Wat iemand leerde over de opgave zelf: het probleem, de plek en wat daar werkt.",
    "organisatie": "Wat iemand leerde over de eigen organisatie: regels, werkwijzen en samenwerking.",
}
ALL_STORIES = f"{STORIES_DIR}/index.md"


@dataclass(frozen=True, slots=True)
class StoryEntry:
    """A story as lists show it. Attributes, not a dict: templates look attributes up first."""

    src: str
    title: str
    summary: str
    date: str
    iso_date: str
    year: int
    region_id: str
    region_name: str
    themes: tuple[str, ...]
    theme_slugs: str
    status: str


def story_entry(site: Site, story: Story) -> StoryEntry:
    meta = story.meta
    return StoryEntry(
        src=story_src(story),
        title=meta.title,
        summary=meta.summary,
        date=dutch_date(meta.date),
        iso_date=meta.date.isoformat(),
        year=meta.date.year,
        region_id=meta.region,
        region_name=site.content.regions[meta.region].name,
        themes=tuple(meta.themes),
        theme_slugs=" ".join(theme_slug(t) for t in meta.themes),
        status=status_of(story),
    )


def render_page(site: Site, template: str, src: str, page_title: str, *, in_nav: bool, **context: Any) -> GeneratedPage:
    from regioverhalen.site.pages import GeneratedPage, Heading

    kop = site.headings()
    html = site.templates.render(
        template,
        kop=kop,
        link=functools.partial(href, src),
        story_items=functools.partial(site.story_items, src),
        **context,
    )
    headings = tuple(Heading(level, anchor, text) for level, anchor, text in kop.found)
    return GeneratedPage(src, page_title, html_before=html, headings=headings, in_nav=in_nav)


def _status_class(status: RegionStatus) -> str:
    if status.counts:
        return "rv-status--bereikt"
    return "rv-status--wording" if status.late_demonstrable or status.has_emerging else "rv-status--nog"


def _regions_by_name(site: Site) -> list[Region]:
    return sorted(site.content.regions.values(), key=lambda r: r.name)


def regions_overview(site: Site) -> GeneratedPage:
    statuses = {s.region_id: s for s in site.progress.regions}
    regions = [
        {
            "id": r.id,
            "src": region_src(r.id),
            "name": r.name,
            "provinces": [p.value for p in r.data.provinces],
            "horizon": " ".join(r.data.horizon.split()),
            "status_class": _status_class(statuses[r.id]),
            "status_label": statuses[r.id].label,
            "count": len(site.by_region[r.id]),
        }
        for r in _regions_by_name(site)
    ]
    return render_page(
        site,
        "regios.html",
        f"{REGIONS_DIR}/index.md",
        "Regio's",
        in_nav=True,
        regions=regions,
        goal=site.settings.goal,
        passed=site.progress.deadline_passed(build_day()),
    )


def _breakthroughs(site: Site, stories: Iterable[Story]) -> list[dict[str, Any]]:
    found = [s for s in stories if s.meta.breakthrough is not None]
    found.sort(key=lambda s: (s.meta.breakthrough.date, s.slug), reverse=True)  # type: ignore[union-attr]
    items = []
    for story in found:
        b = story.meta.breakthrough
        assert b is not None
        items.append(
            {
                "title": b.title,
                "date": dutch_date(b.date),
                "iso_date": b.date.isoformat(),
                "year": b.date.year,
                "status": b.status,
                "status_label": STATUS_LABELS[b.status],
                "place": b.place or "",
                "region_name": site.content.regions[story.meta.region].name,
                "story_src": story_src(story),
                "story_title": story.meta.title,
            }
        )
    return items


DESCRIPTION_MARK = "<!-- regioverhalen:beschrijving -->"


def region_page(site: Site, region: Region) -> GeneratedPage:
    from regioverhalen.site.pages import GeneratedPage

    stories = site.by_region[region.id]
    page = render_page(
        site,
        "regio.html",
        region_src(region.id),
        region.name,
        in_nav=True,
        region={
            "name": region.name,
            "provinces": [p.value for p in region.data.provinces],
            "horizon": " ".join(region.data.horizon.split()),
            "participants": [_participant_line(p, region) for p in region.data.participants],
        },
        description=Markup(DESCRIPTION_MARK),
        breakthroughs=_breakthroughs(site, stories),
        stories=[site.entry(s) for s in stories],
    )
    before, _, after = page.html_before.partition(DESCRIPTION_MARK)
    # The description is the contributor's Markdown, rendered with the site's extensions.
    markdown = markdown_text(region.data.description) if region.data.description else ""
    return GeneratedPage(
        page.src_uri, page.title, markdown, before, "\n" + after, page.headings, in_nav=True, from_contributors=True
    )


def _participant_line(participant: Any, region: Region) -> str:
    opgave = f": {' '.join(participant.opgave.split())}" if participant.opgave and participant.public else ""
    return " ".join(participant_label(participant, region).split()) + opgave


def breakthroughs_page(site: Site) -> GeneratedPage:
    items = _breakthroughs(site, site.content.stories)
    years = [(year, list(group)) for year, group in itertools.groupby(items, key=lambda b: b["year"])]
    return render_page(site, "doorbraken.html", BREAKTHROUGHS_SRC, "Doorbraken", in_nav=True, years=years)


def lessons_page(site: Site) -> GeneratedPage:
    levels: dict[str, list[dict[str, str]]] = {level: [] for level in LEVEL_LABELS}
    for story in site.content.stories:
        for lesson in story.meta.lessons:
            levels[lesson.level].append(
                {
                    "text": " ".join(lesson.text.split()),
                    "story_src": story_src(story),
                    "story_title": story.meta.title,
                    "region_name": site.content.regions[story.meta.region].name,
                }
            )
    context = [
        {"id": level, "label": label, "explanation": LEVEL_EXPLANATIONS[level], "lessons": levels[level]}
        for level, label in LEVEL_LABELS.items()
    ]
    return render_page(site, "lessen.html", LESSONS_SRC, "Lessen", in_nav=True, levels=context)


def themes(site: Site) -> dict[str, list[Story]]:
    found: dict[str, list[Story]] = defaultdict(list)
    for story in site.content.stories:
        for theme in story.meta.themes:
            found[theme].append(story)
    return dict(sorted(found.items()))


def theme_pages(site: Site) -> list[GeneratedPage]:
    by_theme = themes(site)
    listed = [{"name": t, "src": theme_src(t), "count": len(s)} for t, s in by_theme.items()]
    pages = [render_page(site, "themas.html", f"{THEMES_DIR}/index.md", "Thema's", in_nav=True, themes=listed)]
    for theme, stories in by_theme.items():
        title = f"Thema: {theme}"
        entries = [site.entry(s) for s in stories]
        pages.append(
            render_page(site, "thema.html", theme_src(theme), title, in_nav=False, title=title, stories=entries)
        )
    return pages


STATUS_FILTER_LABELS = {"aanwijsbaar": "Aanwijsbaar", "in-wording": "In wording", NO_BREAKTHROUGH: "Nog geen doorbraak"}
#: The title of each status's own page: a sentence a reader reads without the filter beside it.
STATUS_PAGE_TITLES = {
    "aanwijsbaar": "Verhalen met een aanwijsbare doorbraak",
    "in-wording": "Verhalen met een doorbraak in wording",
    NO_BREAKTHROUGH: "Verhalen nog zonder doorbraak",
}


def _filters(site: Site, current: str) -> list[dict[str, Any]]:
    """The filter groups: each option is a link to the page that lists its stories."""
    stories = site.content.stories
    years = sorted({s.meta.date.year for s in stories}, reverse=True)
    statuses = [status_of(s) for s in stories]
    by_theme = themes(site)

    def option(src: str, value: str | int, label: str, count: int) -> dict[str, Any]:
        return {"src": src, "value": value, "label": label, "count": count, "current": src == current}

    return [
        {
            "key": "regio",
            "label": "Regio",
            "options": [
                option(region_src(r.id), r.id, r.name, len(site.by_region[r.id]))
                for r in _regions_by_name(site)
                if site.by_region[r.id]
            ],
        },
        {
            "key": "thema",
            "label": "Thema",
            "options": [option(theme_src(t), theme_slug(t), t, len(s)) for t, s in by_theme.items()],
        },
        {
            "key": "jaar",
            "label": "Jaar",
            "options": [
                option(year_src(y), y, str(y), sum(1 for s in stories if s.meta.date.year == y)) for y in years
            ],
        },
        {
            "key": "doorbraak",
            "label": "Doorbraak",
            "options": [
                option(status_src(key), key, label, statuses.count(key))
                for key, label in STATUS_FILTER_LABELS.items()
                if key in statuses
            ],
        },
    ]


def story_index_pages(site: Site) -> list[GeneratedPage]:
    """/verhalen/ with every published story, and a page per year and per breakthrough status
    that its filters link to (regions and themes have their own pages already)."""
    entries = [site.entry(s) for s in site.content.stories]

    def page(src: str, title: str, chosen: list[StoryEntry], intro: str = "") -> GeneratedPage:
        is_all = src == ALL_STORIES
        return render_page(
            site,
            "verhalen.html",
            src,
            title,
            in_nav=is_all,
            title=title,
            intro=intro,
            stories=chosen,
            filters=_filters(site, src),
            is_all=is_all,
            open_filters=not is_all,
        )

    pages = [page(ALL_STORIES, "Alle verhalen", entries, "Alle gepubliceerde verhalen, de nieuwste eerst.")]
    for year in sorted({e.year for e in entries}, reverse=True):
        pages.append(page(year_src(year), f"Verhalen uit {year}", [e for e in entries if e.year == year]))
    for status in STATUS_FILTER_LABELS:
        chosen = [e for e in entries if e.status == status]
        if chosen:
            pages.append(page(status_src(status), STATUS_PAGE_TITLES[status], chosen))
    return pages
