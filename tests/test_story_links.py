"""On a story page: more from the same region, and older/newer within the region, in the built HTML."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import SiteDir
from sample_site import Sources, SourceStory, build_sample_site, read_sources

STORY_HREF = re.compile(r"(?:^|/)verhalen/([a-z0-9-]+)/$")


def _slug(href: str) -> str:
    match = STORY_HREF.search(href)
    assert match, f"not a story link: {href}"
    return match.group(1)


def story_links(site_dir: Path, slug: str) -> dict[str, object]:
    """The related stories, the older and the newer story linked from a story page, as slugs."""
    soup = BeautifulSoup((site_dir / "verhalen" / slug / "index.html").read_text(encoding="utf-8"), "html.parser")
    more = soup.select_one("nav.rv-more")
    if more is None:  # a story alone in its region links nowhere
        return {"heading": None, "related": [], "older": None, "newer": None, "older_text": None, "newer_text": None}
    assert more.get("aria-label") == "Meer uit deze regio"
    heading = more.find("h2")
    older = more.select_one("a[rel=prev]")
    newer = more.select_one("a[rel=next]")
    return {
        "heading": heading.get_text(strip=True) if heading else None,
        "related": [_slug(a["href"]) for a in more.select(".rv-more__list > li > a")],
        "older": _slug(older["href"]) if older else None,
        "newer": _slug(newer["href"]) if newer else None,
        "older_text": older.get_text(" ", strip=True) if older else None,
        "newer_text": newer.get_text(" ", strip=True) if newer else None,
    }


def expected_related(story: SourceStory, region_stories: list[SourceStory], limit: int = 4) -> list[str]:
    others = [s for s in region_stories if s.slug != story.slug]
    shared = set(story.themes)
    others.sort(key=lambda s: (-len(shared & set(s.themes)), -s.date.toordinal(), s.slug))
    return [s.slug for s in others[:limit]]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Sources]:
    root = build_sample_site(tmp_path_factory)
    return root / "site", read_sources(root)


def test_every_sample_story_links_more_from_its_region_and_its_neighbours(sample: tuple[Path, Sources]) -> None:
    site, sources = sample
    checked = 0
    for region_id, region in sources.regions.items():
        own = [s for s in sources.published if s.region == region_id]  # newest first
        for position, story in enumerate(own):
            links = story_links(site, story.slug)
            assert links["related"] == expected_related(story, own)
            assert story.slug not in links["related"]
            assert links["heading"] == (f"Meer uit {region['name']}" if len(own) > 1 else None)
            assert links["newer"] == (own[position - 1].slug if position > 0 else None)
            assert links["older"] == (own[position + 1].slug if position + 1 < len(own) else None)
            checked += 1
    assert checked == len(sources.published)


def _write_story(site: SiteDir, slug: str, date: str, themes: list[str], region: str = "achterhoek") -> None:
    site.write(
        f"stories/{region}/{slug}.md",
        textwrap.dedent(
            f"""\
            ---
            title: Verhaal {slug}
            date: {date}
            region: {region}
            participants: [{region}-boer]
            summary: Samenvatting van {slug}.
            themes: [{", ".join(themes)}]
            ---
            Tekst.
            """
        ),
    )


def test_related_stories_rank_shared_themes_first_then_newest_and_stay_in_the_region(site: SiteDir) -> None:
    site.region("achterhoek")
    site.region("de-peel", name="De Peel")
    _write_story(site, "kern", "2023-06-01", ["bodem", "water", "stikstof"])
    _write_story(site, "twee-gedeeld-oud", "2022-06-01", ["bodem", "water"])
    _write_story(site, "twee-gedeeld-nieuw", "2024-01-01", ["water", "stikstof", "zorg"])
    _write_story(site, "een-gedeeld", "2024-03-01", ["bodem"])
    _write_story(site, "niets-gedeeld-nieuwst", "2024-09-01", ["energie"])
    _write_story(site, "niets-gedeeld-oud", "2022-01-01", ["wonen"])
    _write_story(site, "andere-regio", "2024-05-01", ["bodem", "water", "stikstof"], region="de-peel")
    _write_story(site, "concept", "2024-08-01", ["bodem", "water", "stikstof"])
    (site.root / "stories/achterhoek/concept.md").write_text(
        (site.root / "stories/achterhoek/concept.md").read_text().replace("themes:", "draft: true\nthemes:"),
        encoding="utf-8",
    )
    out = site.build()

    links = story_links(out, "kern")
    assert links["heading"] == "Meer uit Achterhoek"
    # Two shared themes (newest first), then one, then none: four at most, never another region, never a draft.
    assert links["related"] == ["twee-gedeeld-nieuw", "twee-gedeeld-oud", "een-gedeeld", "niets-gedeeld-nieuwst"]
    # Within the region by date: 2023-06-01 sits between 2022-06-01 and 2024-01-01.
    assert links["older"] == "twee-gedeeld-oud" and links["newer"] == "twee-gedeeld-nieuw"
    assert links["older_text"] == "← Ouder: Verhaal twee-gedeeld-oud"
    assert links["newer_text"] == "Nieuwer: Verhaal twee-gedeeld-nieuw →"

    newest = story_links(out, "niets-gedeeld-nieuwst")
    assert newest["newer"] is None and newest["older"] == "een-gedeeld"
    oldest = story_links(out, "niets-gedeeld-oud")
    assert oldest["older"] is None and oldest["newer"] == "twee-gedeeld-oud"

    alone = story_links(out, "andere-regio")
    assert alone == {
        "heading": None,
        "related": [],
        "older": None,
        "newer": None,
        "older_text": None,
        "newer_text": None,
    }


def test_every_theme_on_a_story_card_links_to_a_theme_page_that_lists_the_story(sample: tuple[Path, Sources]) -> None:
    site, sources = sample
    pages_seen = set()
    for story in sources.published:
        soup = BeautifulSoup((site / story.url / "index.html").read_text(encoding="utf-8"), "html.parser")
        links = soup.select("aside.rv-metacard a.rv-theme")
        assert [a.get_text() for a in links] == story.themes
        for link in links:
            match = re.search(r"(?:^|/)themas/([a-z0-9-]+)/$", link["href"])
            assert match, link["href"]
            theme_page = site / "themas" / match.group(1) / "index.html"
            listed = BeautifulSoup(theme_page.read_text(encoding="utf-8"), "html.parser")
            stories = {_slug(a["href"]) for a in listed.select("article li a[href*='verhalen/']")}
            expected = {s.slug for s in sources.published if link.get_text() in s.themes}
            assert stories == expected
            pages_seen.add(match.group(1))
    # The themes overview links every theme page.
    overview = BeautifulSoup((site / "themas" / "index.html").read_text(encoding="utf-8"), "html.parser")
    linked = {a["href"].strip("/").split("/")[-1] for a in overview.select("article li a")}
    assert linked == pages_seen
