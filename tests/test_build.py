"""Real MkDocs builds of small sites: pages, drafts, consent and failed builds."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from conftest import SiteDir, check_summary
from regioverhalen.content.collection import Region
from regioverhalen.content.model import Participant, RegionFile
from regioverhalen.site.paths import participant_label


def _story_links(html_file: Path) -> list[str]:
    """Titles of the stories listed under 'Verhalen' on a region page, in order."""
    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    heading = next(h for h in soup.find_all("h2") if h.get_text().startswith("Verhalen"))
    items = heading.find_next("ul").find_all("li", recursive=False)
    return [li.find("a").get_text() for li in items]


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _two_regions(site: SiteDir) -> SiteDir:
    site.region("achterhoek", secret="Hendrika Verborgen")
    site.region("de-peel", name="De Peel", secret="Gerrit Onbekend")
    site.story("bodem", "achterhoek", date="2023-03-01", title="Bodem")
    site.story("water", "achterhoek", date="2024-06-01", title="Water")
    site.story("concept", "achterhoek", date="2024-07-01", title="Concept", extra="draft: true")
    site.story("zand", "de-peel", date="2022-10-10", title="Zand")
    return site


@pytest.fixture
def two_regions(site: SiteDir) -> SiteDir:
    """The two-region site, for a test that changes it."""
    return _two_regions(site)


@pytest.fixture(scope="module")
def two_regions_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two-region site built once, for the tests that only read what was built."""
    site = _two_regions(SiteDir(tmp_path_factory.mktemp("two-regions"), capsys=None))  # type: ignore[arg-type]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NO_MKDOCS_2_WARNING", "1")
        return site.build()


def test_region_pages_list_exactly_their_published_stories_newest_first(two_regions_built: Path) -> None:
    out = two_regions_built
    assert _story_links(out / "regios/achterhoek/index.html") == ["Water", "Bodem"]
    assert _story_links(out / "regios/de-peel/index.html") == ["Zand"]


def test_every_published_story_has_a_page_and_drafts_have_none(two_regions_built: Path) -> None:
    out = two_regions_built
    stories = sorted(p.parent.name for p in (out / "verhalen").glob("*/index.html"))
    assert stories == ["bodem", "water", "zand"]
    assert "Concept" not in (out / "index.html").read_text(encoding="utf-8")
    assert not any("concept" in p.as_posix() for p in out.rglob("*"))


def test_non_public_names_appear_in_no_file_of_the_site(two_regions_built: Path) -> None:
    out = two_regions_built
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) > 20
    for path in files:
        data = path.read_bytes()
        for secret in (b"Hendrika Verborgen", b"Gerrit Onbekend", b"Hendrika", b"Verborgen"):
            assert secret not in data, f"{secret!r} leaked into {path.relative_to(out)}"
    # The consenting participant is shown by name; the other by role and region.
    story = (out / "verhalen/bodem/index.html").read_text(encoding="utf-8")
    assert "Open Ambtenaar Achterhoek (Gemeente Achterhoek)" in story
    assert "een boer uit de regio Achterhoek" in story


@pytest.mark.parametrize(
    ("role", "organisation", "shown"),
    [
        ("zzp", None, "Marloes Voorbeeld (zzp'er)"),
        ("boer", "Maatschap Voorbeeld", "Marloes Voorbeeld (boer, Maatschap Voorbeeld)"),
        ("provincie", "Provincie Noord-Brabant", "Marloes Voorbeeld (Provincie Noord-Brabant)"),
        ("rijk", "Rijkswaterstaat", "Marloes Voorbeeld (Rijk, Rijkswaterstaat)"),
        ("boer", "Boerenbond", "Marloes Voorbeeld (boer, Boerenbond)"),  # the role as a word, not a part of one
        ("anders", "Agrarisch natuurcollectief", "Marloes Voorbeeld (Agrarisch natuurcollectief)"),
        ("anders", None, "Marloes Voorbeeld"),
    ],
)
def test_a_consenting_participant_is_shown_with_a_role_a_reader_reads(
    role: str, organisation: str | None, shown: str
) -> None:
    """Not the role's code ("zzp", "anders"), and the role only where the organisation does not say it."""
    region = Region("voorbeeld", "regions/voorbeeld.yml", RegionFile(name="Voorbeeld", provinces=(), horizon="x"))
    participant = Participant(id="p", name="Marloes Voorbeeld", role=role, organisation=organisation, public=True)
    assert participant_label(participant, region) == shown


def test_navigation_lists_regions_not_stories(two_regions_built: Path) -> None:
    out = two_regions_built
    soup = BeautifulSoup((out / "regios/index.html").read_text(encoding="utf-8"), "html.parser")
    nav_links = [a.get_text(strip=True) for a in soup.select("nav.md-nav--primary a.md-nav__link")]
    assert "Achterhoek" in nav_links and "De Peel" in nav_links
    assert not {"Bodem", "Water", "Zand"} & set(nav_links)


def test_home_shows_progress_and_newest_stories(two_regions: SiteDir) -> None:
    (two_regions.root / "stories/achterhoek/bodem.md").write_text(
        (two_regions.root / "stories/achterhoek/bodem.md")
        .read_text()
        .replace(
            "themes: [bodem]\n",
            "themes: [bodem]\nbreakthrough:\n  title: Afspraak\n  date: 2023-02-01\n  status: aanwijsbaar\n",
        )
    )
    out = two_regions.build()
    soup = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    progress = soup.select_one(".rv-progress")
    assert progress is not None
    assert "1 van de 10 regio's" in progress.get_text()
    assert progress.select_one("progress")["value"] == "1"
    newest = [a.get_text() for a in soup.select(".md-content li > a[href*='verhalen/']")]
    assert newest == ["Water", "Bodem", "Zand"]


def test_story_page_has_meta_card(two_regions_built: Path) -> None:
    out = two_regions_built
    soup = BeautifulSoup((out / "verhalen/bodem/index.html").read_text(encoding="utf-8"), "html.parser")
    card = soup.select_one("aside.rv-metacard")
    assert card is not None
    fields = {
        dt.get_text(): dd.get_text(" ", strip=True) for dt, dd in zip(card.select("dt"), card.select("dd"), strict=True)
    }
    assert fields["Regio"] == "Achterhoek"
    assert fields["Datum"] == "1 maart 2023"
    assert fields["Thema's"] == "bodem"


def test_invalid_story_stops_the_build_and_keeps_the_old_site(
    two_regions: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    out = two_regions.build()
    before = _snapshot(out)
    two_regions.write("stories/achterhoek/kapot.md", "---\ntitle: Kapot\nregoin: x\n---\n")
    with pytest.raises(Abort):
        two_regions.build()
    assert _snapshot(out) == before
    assert not (two_regions.root / "site.staging").exists()
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert (
        "regioverhalen: stories/achterhoek/kapot.md:3:1: error: unknown key 'regoin'; did you mean 'region'?" in errors
    )


def test_failed_build_exits_non_zero_without_strict(two_regions: SiteDir) -> None:
    two_regions.write("stories/achterhoek/kapot.md", "---\ntitle: Kapot\n---\n")
    result = two_regions.build_command()
    assert result.returncode == 1
    assert "stories/achterhoek/kapot.md:2:1: error: missing required key 'date'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (two_regions.root / "site").exists()


def test_region_page_links_its_feed(two_regions_built: Path) -> None:
    out = two_regions_built
    page = out / "regios/de-peel/index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    link = soup.select_one("p.rv-feedlink a")
    assert link is not None and link.get_text() == "RSS-feed van deze regio"
    assert (page.parent / link["href"]).is_file()


def test_a_hidden_name_in_a_published_text_file_stops_the_build(
    two_regions: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    two_regions.write("docs/notities.txt", "Gesprek met\nHendrika Verborgen over de bodem.\n")
    with pytest.raises(Abort):
        two_regions.build()
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert errors[0] == (
        "regioverhalen: docs/notities.txt:2:1: error: names participant 'achterhoek-boer', who has not consented "
        "(public: true); describe them by role instead"
    )
    assert not (two_regions.root / "site").exists()


def test_region_name_is_escaped_once(site: SiteDir) -> None:
    site.region("land-en-water", name="Land & Water")
    site.story("een", "land-en-water")
    out = site.build()
    html_text = (out / "regios/land-en-water/index.html").read_text(encoding="utf-8")
    assert '<span aria-current="page">Land &amp; Water</span>' in html_text  # the breadcrumb
    assert "&amp;amp;" not in html_text


def test_region_name_with_quotes_cannot_add_attributes(site: SiteDir) -> None:
    site.region("aanhalingsteken", name='Oost" onmouseover="alert(1)')
    site.story("een", "aanhalingsteken")
    out = site.build()
    for page in out.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        handlers = [tag.name for tag in soup.find_all(True) if any(a.startswith("on") for a in tag.attrs)]
        assert handlers == [], page.relative_to(out)


def test_listing_pages_have_a_table_of_contents_and_the_sites_permalinks(two_regions: SiteDir) -> None:
    """Listing pages are written as HTML, not Markdown, yet look like the Markdown pages:
    the same heading permalinks (only when the site's toc extension has them) and a table of contents."""
    region = BeautifulSoup((two_regions.build() / "regios/achterhoek/index.html").read_text("utf-8"), "html.parser")
    assert region.select(".md-content .headerlink") == []
    toc = region.select_one("nav.md-nav--secondary")
    assert [a["href"] for a in toc.select("a.md-nav__link")] == ["#deelnemers", "#doorbraken", "#verhalen-2"]
    assert [h["id"] for h in region.select(".md-content h2")] == ["deelnemers", "doorbraken", "verhalen-2"]

    config = (two_regions.root / "mkdocs.yml").read_text("utf-8")
    two_regions.write("mkdocs.yml", config.replace(", toc]", ", {toc: {permalink: '#'}}]"))
    lessons = BeautifulSoup((two_regions.build() / "lessen/index.html").read_text("utf-8"), "html.parser")
    links = [(a.find_parent(["h1", "h2"]).name, a["href"], a.get_text()) for a in lessons.select(".headerlink")]
    assert links == [
        ("h1", "#lessen", "#"),
        ("h2", "#individu", "#"),
        ("h2", "#opgave", "#"),
        ("h2", "#organisatie", "#"),
    ]


def test_file_urls_are_refused_with_a_clear_message(two_regions: SiteDir) -> None:
    config = (two_regions.root / "mkdocs.yml").read_text("utf-8")
    two_regions.write("mkdocs.yml", "use_directory_urls: false\n" + config)
    result = two_regions.build_command()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr == (
        "ERROR   -  regioverhalen serves every page at a directory URL (/verhalen/<slug>/): "
        "remove 'use_directory_urls: false' from the configuration\n"
    )
    assert not (two_regions.root / "site").exists()


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        ("Achtergrond: een boer vertelt.\n\nMeer tekst.\n", "<p>Achtergrond: een boer vertelt.</p>"),
        ("---\ntitel: geen metadata\n---\nEerste alinea.\n", '<hr>\n<h2 id="titel-geen-metadata">'),
    ],
)
def test_a_story_body_is_never_read_as_metadata(site: SiteDir, body: str, shown: str) -> None:
    """MkDocs reads 'Key: value' lines and a '---' block at the top of a page as metadata; a story's
    metadata is its front matter alone, so the first lines of its text stay text."""
    site.region("achterhoek")
    path = site.story("eerste", "achterhoek", title="Eerste")
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("---\n", 4) + 4] + body, encoding="utf-8")
    page = (site.build() / "verhalen/eerste/index.html").read_text(encoding="utf-8")
    assert shown in page
    assert "<title>Eerste - Testregio's</title>" in page


def test_a_site_whose_newest_story_is_older_than_1970_builds(site: SiteDir) -> None:
    # MkDocs writes the newest page date into the sitemap's gzip header, which cannot hold an earlier one.
    site.region("achterhoek")
    site.story("ruilverkaveling", "achterhoek", date="1958-04-01")
    built = site.build()
    assert gzip.decompress((built / "sitemap.xml.gz").read_bytes()) == (built / "sitemap.xml").read_bytes()
    assert "<lastmod>1970-01-01</lastmod>" in (built / "sitemap.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("setting", "command", "own_home_shown"),
    [
        ("exclude_docs: /index.md\n", "build", False),
        ("draft_docs: /index.md\n", "build", False),
        ("exclude_docs: /index.md\n", "serve", False),
        # A preview shows drafts, as MkDocs' own does.
        ("draft_docs: /index.md\n", "serve", True),
        # Held back by the plugin, in a preview too (mkdocs/docs_files.py).
        ("draft: true\n", "build", False),
        ("draft: true\n", "serve", False),
    ],
    ids=[
        "excluded",
        "draft",
        "excluded-in-a-preview",
        "draft-in-a-preview",
        "draft-in-the-page",
        "draft-in-the-page-in-a-preview",
    ],
)
def test_a_home_page_left_out_of_the_build_gives_way_to_the_generated_one(
    site: SiteDir, setting: str, command: str, own_home_shown: bool
) -> None:
    """Found in review: the site had no home page at all."""
    site.with_own_home_left_out(setting)
    assert site.check().lines == [check_summary(0, published=1)]
    config = load_config(str(site.root / "mkdocs.yml"))
    config.plugins.on_startup(command=command, dirty=False)  # type: ignore[arg-type]
    try:
        build(config, serve_url="http://127.0.0.1:8000/" if command == "serve" else None)
    finally:  # MkDocs keeps one plugin per process: the tests after this one build, they do not serve
        config.plugins.on_shutdown()
        config.plugins.on_startup(command="build", dirty=False)
    home = (site.root / "site/index.html").read_text(encoding="utf-8")
    assert ("Eigen startpagina" in home) is own_home_shown
    assert ('href="verhalen/eerste/"' in home) is not own_home_shown  # the generated home lists the stories
