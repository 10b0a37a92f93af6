"""Feeds and open data of the built sample site: valid, complete, newest first, and no names without consent."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import feedparser
import pytest
from bs4 import BeautifulSoup

from sample_site import Sources, SourceStory, build_sample_site, read_sources

STORY_FIELDS = [
    "slug",
    "url",
    "title",
    "date",
    "region",
    "summary",
    "themes",
    "participants",
    "breakthrough",
    "lessons",
]
REGION_FIELDS = [
    "id",
    "url",
    "feed",
    "name",
    "provinces",
    "horizon",
    "description",
    "location",
    "stories",
    "goal_reached",
    "goal_status",
    "participants",
]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Sources]:
    root = build_sample_site(tmp_path_factory)
    return root / "site", read_sources(root)


@pytest.fixture(scope="module")
def site_url(sample: tuple[Path, Sources]) -> str:
    import yaml

    config = yaml.load((sample[0].parent / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return str(config["site_url"]).rstrip("/") + "/"


def _name_parts(names: list[str]) -> set[str]:
    """Full names and their distinctive parts (a surname alone is a leak too)."""
    parts = set(names)
    for name in names:
        parts |= {word for word in name.split() if len(word) > 3 and word[0].isupper()}
    return parts


def _no_secret_names(data: bytes, sources: Sources, where: str) -> None:
    text = data.decode("utf-8")
    leaked = sorted(part for part in _name_parts(sources.secret_names()) if part in text)
    assert leaked == [], f"names without consent in {where}: {leaked}"


def _check_feed(path: Path, stories: list[SourceStory], site_url: str, title: str) -> None:
    feed = feedparser.parse(path.read_bytes())
    assert feed.bozo == 0, f"{path}: {feed.get('bozo_exception')}"
    assert feed.version == "rss20"
    assert feed.feed.title == title
    assert feed.feed.language == "nl"
    assert [e.title for e in feed.entries] == [s.title for s in stories]
    for entry, story in zip(feed.entries, stories, strict=True):
        assert entry.link == site_url + story.url
        assert entry.id == site_url + story.url
        assert entry.summary == " ".join(str(story.meta["summary"]).split())
        published = dt.date(*entry.published_parsed[:3])
        assert published == story.date
        assert [t.term for t in entry.get("tags", [])] == story.themes
    dates = [e.published_parsed for e in feed.entries]
    assert dates == sorted(dates, reverse=True), "entries are not newest first"


def test_site_feed_is_rss2_with_every_published_story_newest_first(sample: tuple[Path, Sources], site_url: str) -> None:
    site, sources = sample
    assert len(sources.published) >= 2 and sources.drafts, "the sample should have stories and drafts"
    _check_feed(site / "feed.xml", sources.published[:50], site_url, "Regioverhalen")


def test_every_region_has_a_feed_with_only_its_own_stories(sample: tuple[Path, Sources], site_url: str) -> None:
    site, sources = sample
    feeds = sorted(p.parent.name for p in (site / "regios").glob("*/feed.xml"))
    assert feeds == sorted(sources.regions)
    for region_id, region in sources.regions.items():
        own = [s for s in sources.published if s.region == region_id]
        _check_feed(site / "regios" / region_id / "feed.xml", own, site_url, f"{region['name']} – Regioverhalen")


def test_feeds_hold_no_drafts_and_no_names_without_consent(sample: tuple[Path, Sources]) -> None:
    site, sources = sample
    feeds = [site / "feed.xml", *sorted((site / "regios").glob("*/feed.xml"))]
    assert len(feeds) == len(sources.regions) + 1
    for path in feeds:
        data = path.read_bytes()
        _no_secret_names(data, sources, path.relative_to(site).as_posix())
        for draft in sources.drafts:
            assert draft.title.encode() not in data and f"/{draft.slug}/".encode() not in data


def _feed_links(site: Path, page_url: str) -> list[str]:
    """The feeds a page announces to feed readers, as site paths."""
    soup = BeautifulSoup((site / page_url / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = soup.select('link[rel=alternate][type="application/rss+xml"]')
    return [urljoin(f"http://site/{page_url}", link["href"]).removeprefix("http://site/") for link in links]


def test_pages_announce_the_site_feed_and_region_pages_link_their_own(sample: tuple[Path, Sources]) -> None:
    """Only the site's feed is announced in the head: Material fetches a sitemap.xml beside every
    announced feed, and a region's folder has none. A region page links its feed in the text."""
    site, sources = sample
    assert _feed_links(site, "") == ["feed.xml"]
    assert _feed_links(site, "regios/") == ["feed.xml"]
    for region_id in sources.regions:
        assert _feed_links(site, f"regios/{region_id}/") == ["feed.xml"]
        soup = BeautifulSoup((site / "regios" / region_id / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert [a["href"] for a in soup.select('a[type="application/rss+xml"]')] == ["feed.xml"]


def _stories_json(site: Path) -> list[dict[str, Any]]:
    data = json.loads((site / "data" / "stories.json").read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def test_stories_json_holds_exactly_the_published_stories_with_the_documented_fields(
    sample: tuple[Path, Sources],
) -> None:
    site, sources = sample
    records = _stories_json(site)
    assert [r["slug"] for r in records] == [s.slug for s in sources.published]
    participants = sources.participants()
    for record, story in zip(records, sources.published, strict=True):
        assert list(record) == STORY_FIELDS
        assert record["url"] == story.url and (site / story.url / "index.html").is_file()
        assert record["title"] == story.title
        assert record["date"] == story.date.isoformat()
        assert record["region"] == story.region
        assert record["summary"] == str(story.meta["summary"]).strip()
        assert record["themes"] == story.themes
        assert record["lessons"] == [
            {"level": x["level"], "text": x["text"].strip()} for x in story.meta.get("lessons") or []
        ]
        breakthrough = story.meta.get("breakthrough")
        if breakthrough is None:
            assert record["breakthrough"] is None
        else:
            assert record["breakthrough"]["title"] == breakthrough["title"]
            assert record["breakthrough"]["date"] == breakthrough["date"].isoformat()
            assert record["breakthrough"]["status"] == breakthrough["status"]
            assert record["breakthrough"]["place"] == breakthrough.get("place")
            assert record["breakthrough"]["evidence"] == breakthrough.get("evidence", [])
        expected_people = []
        for pid in story.meta["participants"]:
            person = participants[pid]
            shown = {"role": person["role"], "region": person["region"]}
            if person.get("public") is True:
                shown |= {"id": pid, "name": person["name"], "organisation": person.get("organisation")}
            expected_people.append(shown)
        assert record["participants"] == expected_people


def test_regions_json_describes_every_region_with_the_documented_fields(sample: tuple[Path, Sources]) -> None:
    site, sources = sample
    records = json.loads((site / "data" / "regions.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in records] == sorted(sources.regions)
    for record in records:
        region = sources.regions[record["id"]]
        assert list(record) == REGION_FIELDS
        assert record["name"] == region["name"]
        assert record["provinces"] == region["provinces"]
        assert record["horizon"] == " ".join(region["horizon"].split())
        assert record["location"] == region.get("location")
        assert record["stories"] == sum(1 for s in sources.published if s.region == record["id"])
        assert (site / record["url"] / "index.html").is_file()
        assert (site / record["feed"]).is_file()
        assert isinstance(record["goal_reached"], bool) and record["goal_status"]
        expected_people = [
            {
                "role": p["role"],
                **(
                    {"id": p["id"], "name": p["name"], "organisation": p.get("organisation")} if p.get("public") else {}
                ),
            }
            for p in region.get("participants") or []
        ]
        assert record["participants"] == expected_people


def test_open_data_has_no_drafts_and_no_names_without_consent(sample: tuple[Path, Sources]) -> None:
    site, sources = sample
    for name in ("stories.json", "regions.json"):
        data = (site / "data" / name).read_bytes()
        _no_secret_names(data, sources, f"data/{name}")
        for draft in sources.drafts:
            assert draft.title.encode() not in data and f'"{draft.slug}"'.encode() not in data
    # Consenting participants are named, so the check above is not vacuous.
    assert any(name.encode() in (site / "data" / "regions.json").read_bytes() for name in sources.public_names())


def test_goal_status_in_regions_json_matches_demonstrable_breakthroughs_by_the_deadline(
    sample: tuple[Path, Sources],
) -> None:
    site, sources = sample
    import yaml

    config = yaml.load((site.parent / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    options = next(p["regioverhalen"] for p in config["plugins"] if isinstance(p, dict) and "regioverhalen" in p)
    deadline = dt.date.fromisoformat(options.get("goal_deadline", "2024-12-31"))
    records = json.loads((site / "data" / "regions.json").read_text(encoding="utf-8"))
    for record in records:
        reached = any(
            s.region == record["id"]
            and (s.meta.get("breakthrough") or {}).get("status") == "aanwijsbaar"
            and s.meta["breakthrough"]["date"] <= deadline
            for s in sources.published
        )
        assert record["goal_reached"] is reached, record["id"]
