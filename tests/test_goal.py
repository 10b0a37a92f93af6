"""The goal: a region counts once a published story has a demonstrable breakthrough by the deadline."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup

from conftest import SiteDir
from regioverhalen.content.loading import load_content
from regioverhalen.site.goal import progress
from regioverhalen.site.settings import Goal, read_settings

GOAL = Goal(regions=3, deadline=dt.date(2024, 12, 31))


def _breakthrough(date: str, status: str = "aanwijsbaar") -> str:
    return f"breakthrough:\n  title: Afspraak\n  date: {date}\n  status: {status}\n"


def _progress(site: SiteDir):  # type: ignore[no-untyped-def]
    content = load_content(read_settings(site.root / "mkdocs.yml").paths)
    assert content.problems == []
    return {s.region_id: s for s in progress(content, GOAL).regions}, progress(content, GOAL)


def test_breakthrough_on_the_deadline_counts_and_the_day_after_does_not(site: SiteDir) -> None:
    for region in ("op-tijd", "te-laat", "in-wording", "concept", "leeg"):
        site.region(region)
    site.story("a", "op-tijd", extra=_breakthrough("2024-12-31"))
    site.story("b", "te-laat", extra=_breakthrough("2025-01-01"))
    site.story("c", "in-wording", extra=_breakthrough("2023-01-01", "in-wording"))
    site.story("d", "concept", extra=_breakthrough("2023-01-01") + "draft: true")
    statuses, overall = _progress(site)
    assert {rid: (s.counts, s.label) for rid, s in statuses.items()} == {
        "op-tijd": (True, "Aanwijsbare doorbraak (31 december 2024)"),
        "te-laat": (False, "Aanwijsbare doorbraak na de streefdatum (1 januari 2025)"),
        "in-wording": (False, "Doorbraak in wording"),
        "concept": (False, "Nog geen doorbraak"),
        "leeg": (False, "Nog geen doorbraak"),
    }
    assert (overall.reached, overall.percent) == (1, 33)


def test_a_region_counts_once_with_its_earliest_breakthrough(site: SiteDir) -> None:
    site.region("achterhoek")
    site.story("later", "achterhoek", date="2024-05-01", extra=_breakthrough("2024-04-01"))
    site.story("eerder", "achterhoek", date="2023-05-01", extra=_breakthrough("2023-04-01"))
    statuses, overall = _progress(site)
    assert statuses["achterhoek"].first_demonstrable is not None
    assert statuses["achterhoek"].first_demonstrable.slug == "eerder"
    assert overall.reached == 1


def test_the_regions_page_and_the_progress_page_tell_the_goal_in_the_same_tense(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before the deadline the goal *is*; once it has passed, both pages say it *was*."""
    site.region("achterhoek")
    site.story("een", "achterhoek")
    for day, tense in (("2024-12-31", "is"), ("2025-01-01", "was")):
        epoch = dt.datetime.fromisoformat(f"{day}T12:00:00+00:00").timestamp()
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(epoch)))
        built = site.build()
        regions = BeautifulSoup((built / "regios/index.html").read_text(encoding="utf-8"), "html.parser")
        progress_page = BeautifulSoup((built / "index.html").read_text(encoding="utf-8"), "html.parser")
        told = [p.get_text(" ", strip=True) for p in regions.select("article p") if "Het doel" in p.get_text()]
        assert len(told) == 1 and f"Het doel {tense} een aanwijsbare doorbraak in " in told[0], told
        home = progress_page.select_one(".rv-progress")
        assert home is not None
        assert ("Het doel was" in home.get_text()) == (tense == "was")
