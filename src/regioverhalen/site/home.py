"""The home page: the region chooser (map and list by province), the goal, the newest stories.

A site's own docs/index.md places these with markers; without one, `default_home` does.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from regioverhalen.site.goal import build_day
from regioverhalen.site.paths import href, region_src, text
from regioverhalen.site.regionmap import bounds, position, project

if TYPE_CHECKING:
    from regioverhalen.site.pages import GeneratedPage, Site

PROGRESS_MARKER = "<!-- regioverhalen:voortgang -->"
NEWEST_MARKER = "<!-- regioverhalen:nieuwste -->"
CHOOSER_MARKER = "<!-- regioverhalen:regiokiezer -->"
NEWEST_COUNT = 6
MARKER_RADIUS = 7
#: A label's width per character, in map units at the map's label size (an estimate: no font metrics).
LABEL_CHAR_WIDTH = 7.2


def _markers(site: Site) -> list[dict[str, Any]]:
    """A marker per region with a location, its label on whichever side overlaps nothing placed yet."""
    markers: list[dict[str, Any]] = []
    taken: list[tuple[float, float, float, float]] = []
    located = [r for r in site.content.regions.values() if r.data.location is not None]
    for region in sorted(located, key=lambda r: (r.data.location.lat, r.name), reverse=True):  # type: ignore[union-attr]
        location = region.data.location
        assert location is not None
        x, y = project(location.lat, location.lon)
        taken.append((x - MARKER_RADIUS, y - MARKER_RADIUS, x + MARKER_RADIUS, y + MARKER_RADIUS))
        markers.append({"src": region_src(region.id), "name": region.name, "x": x, "y": y})
    for marker, box in zip(markers, list(taken), strict=True):
        marker.update(_label_place(marker, [b for b in taken if b != box]))
        taken.append(marker.pop("box"))
    for marker in markers:
        marker["left"], marker["top"] = position(float(marker["x"]), float(marker["y"]))
    return sorted(markers, key=lambda m: str(m["name"]))


def _aspect() -> str:
    left, top, right, bottom = bounds()
    return f"{right - left:g} / {bottom - top:g}"


def _label_place(marker: dict[str, Any], taken: list[tuple[float, float, float, float]]) -> dict[str, Any]:
    x, y = float(marker["x"]), float(marker["y"])
    width = len(str(marker["name"])) * LABEL_CHAR_WIDTH
    options = [
        ("start", x + 10, (x + 9, y - 8, x + 11 + width, y + 6)),
        ("end", x - 10, (x - 11 - width, y - 8, x - 9, y + 6)),
        ("above", x, (x - width / 2, y - 24, x + width / 2, y - 9)),
        ("below", x, (x - width / 2, y + 9, x + width / 2, y + 24)),
    ]
    west, north, east, south = bounds()

    def fits(box: tuple[float, float, float, float]) -> bool:
        inside = box[0] >= west and box[2] <= east and box[1] >= north and box[3] <= south
        return inside and not any(_overlap(box, other) for other in taken)

    anchor, _, box = next((o for o in options if fits(o[2])), options[0])
    return {"anchor": anchor, "box": box}


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _provinces(site: Site) -> list[tuple[str, list[dict[str, str]]]]:
    grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
    for region in sorted(site.content.regions.values(), key=lambda r: r.name):
        for province in region.data.provinces:
            grouped[province.value].append({"src": region_src(region.id), "name": region.name})
    return sorted(grouped.items())


def chooser_block(site: Site, from_src: str) -> str:
    return site.templates.render(
        "regiokiezer.html",
        link=functools.partial(href, from_src),
        aspect=_aspect(),
        markers=_markers(site),
        provinces=_provinces(site),
        total=len(site.content.stories),
    )


def progress_block(site: Site, from_src: str) -> str:
    p = site.progress
    regions = [
        {
            "src": region_src(s.region_id),
            "name": site.content.regions[s.region_id].name,
            "counts": s.counts,
            "label": s.label,
        }
        for s in sorted(p.regions, key=lambda s: site.content.regions[s.region_id].name)
    ]
    return site.templates.render(
        "voortgang.html",
        link=functools.partial(href, from_src),
        goal=p.goal,
        passed=p.deadline_passed(build_day()),
        reached=p.reached,
        reached_by_now=p.reached_by_now,
        percent=p.percent,
        regions=regions,
    )


def newest_block(site: Site, from_src: str) -> str:
    stories = [site.entry(s) for s in site.content.stories[:NEWEST_COUNT]]
    return site.templates.render("nieuwste.html", link=functools.partial(href, from_src), stories=stories)


def _html_block(html: str) -> str:
    """A raw HTML block inside Markdown: no blank line within it, blank lines around it."""
    return "\n\n" + "\n".join(line for line in html.splitlines() if line.strip()) + "\n\n"


def fill_markers(markdown: str, site: Site, src_uri: str) -> str:
    """Replace the home page's markers with the region chooser, the goal and the newest stories."""
    for marker, block in (
        (CHOOSER_MARKER, chooser_block),
        (PROGRESS_MARKER, progress_block),
        (NEWEST_MARKER, newest_block),
    ):
        # Only a marker on a line of its own: a page that names one (the editors' guide) keeps it.
        pattern = re.compile(rf"^{re.escape(marker)}[ \t]*$", re.MULTILINE)
        if marker in markdown and pattern.search(markdown):
            html = _html_block(block(site, src_uri))
            markdown = pattern.sub(lambda _, html=html: html, markdown)  # type: ignore[misc]
    return markdown


def default_home(site: Site) -> GeneratedPage:
    """The home page for a site whose docs/ has none."""
    from regioverhalen.site.pages import GeneratedPage

    markdown = (
        f"# {text(site.settings.site_name)}\n\n"
        "Verhalen uit de regio's van de Community of Practice Regionale Transities.\n\n"
        f"## Kies je regio\n\n{CHOOSER_MARKER}\n\n"
        f"## Het doel\n\n{PROGRESS_MARKER}\n\n## Nieuwste verhalen\n\n{NEWEST_MARKER}\n"
    )
    return GeneratedPage("index.md", site.settings.site_name, markdown, in_nav=True)
