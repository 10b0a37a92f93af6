"""The repository's own CoP content: it checks clean and builds with --strict.

What the site should hold is read from the source files with plain YAML (`sample_site.read_sources`),
not with the loader under test; the loader and the built site are compared against that.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from regioverhalen.content.loading import Content, load_content
from regioverhalen.site.settings import read_settings
from sample_site import REPO, Sources, build_sample_site, read_sources


@pytest.fixture(scope="module")
def sources() -> Sources:
    return read_sources(REPO)


@pytest.fixture(scope="module")
def sample_content() -> Content:
    return load_content(read_settings(REPO / "mkdocs.yml").paths)


@pytest.fixture(scope="module")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site built with --strict, shared with the other tests that only read it."""
    return build_sample_site(tmp_path_factory) / "site"


def test_the_sources_are_a_sizeable_sample(sources: Sources) -> None:
    assert len(sources.regions) == 10
    assert len(sources.published) >= 25
    assert len(sources.drafts) >= 1


def test_sample_content_checks_clean(sample_content: Content, sources: Sources) -> None:
    assert sample_content.problems == []
    assert sorted(sample_content.regions) == sorted(sources.regions)
    # Published stories in the documented order: newest first, ties by slug.
    assert [s.slug for s in sample_content.stories] == [s.slug for s in sources.published]
    assert sorted(s.slug for s in sample_content.drafts) == sorted(s.slug for s in sources.drafts)


def test_sample_content_covers_the_contract(sources: Sources) -> None:
    participants = sources.participants().values()
    roles = {p["role"] for p in participants}
    assert roles == {
        "gemeente",
        "provincie",
        "rijk",
        "waterschap",
        "burgerinitiatief",
        "zzp",
        "boer",
        "ondernemer",
        "anders",
    }
    assert {p.get("public") is True for p in participants} == {True, False}
    statuses = {s.meta["breakthrough"]["status"] for s in sources.published if s.meta.get("breakthrough")}
    assert statuses == {"aanwijsbaar", "in-wording"}
    levels = {lesson["level"] for s in sources.published for lesson in s.meta.get("lessons") or []}
    assert levels == {"individu", "opgave", "organisatie"}


def test_check_command_exits_zero_on_sample(sources: Sources) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "regioverhalen.cli", "check"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert (
        result.stdout
        == f"{len(sources.published)} stories published, {len(sources.drafts)} drafts held back, 0 errors\n"
    )


def test_sample_site_has_a_page_per_region_and_published_story(sources: Sources, built_sample: Path) -> None:
    regions = sorted(p.parent.name for p in (built_sample / "regios").glob("*/index.html"))
    assert regions == sorted(sources.regions)
    stories = sorted(p.parent.name for p in (built_sample / "verhalen").glob("*/index.html"))
    assert stories == sorted(s.slug for s in sources.published)
    for draft in sources.drafts:
        assert not (built_sample / "verhalen" / draft.slug).exists()
    for page in (
        "index.html",
        "regios/index.html",
        "doorbraken/index.html",
        "lessen/index.html",
        "themas/index.html",
        "feed.xml",
        "data/stories.json",
    ):
        assert (built_sample / page).is_file(), page


def test_sample_site_html_is_dutch(built_sample: Path) -> None:
    assert '<html lang="nl"' in (built_sample / "index.html").read_text(encoding="utf-8")


def test_page_titles_name_the_page_then_the_site_and_the_site_once(built_sample: Path) -> None:
    def title(page: str) -> str:
        return BeautifulSoup((built_sample / page).read_text(encoding="utf-8"), "html.parser").title.get_text()

    assert title("index.html") == "Regioverhalen"
    assert title("regios/index.html") == "Regio's - Regioverhalen"


def test_every_heading_link_of_the_sample_site_has_a_dutch_tooltip(built_sample: Path) -> None:
    """Headings rendered from Markdown and headings of generated pages alike (mkdocs.yml's
    `permalink_title`)."""
    titles: dict[str, int] = {}
    for page in built_sample.rglob("*.html"):
        for link in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("a.headerlink"):
            titles[link.get("title")] = titles.get(link.get("title"), 0) + 1
    assert list(titles) == ["Link naar deze kop"]
    assert titles["Link naar deze kop"] > 100
