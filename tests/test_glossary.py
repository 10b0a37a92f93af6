"""The glossary: validated like a region file, its terms marked on the pages, and /begrippen/."""

from __future__ import annotations

import re
import time

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st
from mkdocs.exceptions import Abort

from conftest import SiteDir
from regioverhalen.content.glossary import GlossaryTerm
from regioverhalen.site.glossary_marking import GlossaryMarker

GLOSSARY = """\
- term: opgave
  variants: [opgaven]
  explanation: De klus waar iemand voor staat.
  used_by: [overheid]
- term: stip op de horizon
  explanation: Het doel op lange termijn.
- term: NPLG
  explanation: Een plan van het Rijk voor het platteland.
- term: waterschap
  explanation: De overheid voor dijken en sloten.
- term: stikstof
  explanation: Een stof in mest die de natuur schaadt.
"""

BODY = """\
## Onze opgave

De opgave was groot. Later kwamen er meer opgaven bij.
Samen kozen we een stip op
de horizon, en het nplg en het NPLG kwamen langs.

Lees [over het waterschap](https://example.org/) of `waterschap` in code.
"""


def _site_with_glossary(site: SiteDir) -> None:
    site.region("achterhoek")
    path = site.story("eerste", "achterhoek")
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("## De uitdaging")] + BODY, encoding="utf-8")
    site.write("begrippen.yml", GLOSSARY)


def _terms(yaml_terms: list[tuple[str, tuple[str, ...]]]) -> list[GlossaryTerm]:
    return [GlossaryTerm(term=t, variants=v, explanation=f"Uitleg van {t}.") for t, v in yaml_terms]


# --- validation -------------------------------------------------------------------------------


def test_a_valid_glossary_checks_clean(site: SiteDir) -> None:
    _site_with_glossary(site)
    assert site.check().lines == ["1 story published, 0 drafts held back, 0 errors"]


def test_every_glossary_problem_is_reported_with_its_position(site: SiteDir) -> None:
    site.region("achterhoek")
    site.story("eerste", "achterhoek")
    site.write(
        "begrippen.yml",
        """\
        - term: opgave
          variants: [opgaven]
          explanaton: De klus.
        - term: Opgaven
          explanation: Nog eens.
        - term: waterschap
          variants: [waterschappen, Waterschap]
          explanation: De overheid voor water.
          used_by: overheid
        """,
    )
    result = site.check()
    assert result.lines == [
        "begrippen.yml:1:3: error: missing required key 'explanation' in [0]",
        "begrippen.yml:3:3: error: unknown key 'explanaton'; did you mean 'explanation'?",
        "begrippen.yml:4:9: error: 'Opgaven' is already a form of term 'opgave' (line 1); a word can have one explanation",
        "begrippen.yml:7:29: error: 'Waterschap' is already a form of this term (line 6); a word can have one explanation",
        "begrippen.yml:9:12: error: [2].used_by: expected a list, found 'overheid'",
        "5 errors; a build would publish nothing (1 valid story, 0 drafts)",
    ]
    assert result.code == 1


def test_a_glossary_that_is_not_a_list(site: SiteDir) -> None:
    site.region("achterhoek")
    site.story("eerste", "achterhoek")
    site.write("begrippen.yml", "opgave: De klus.\n")
    assert site.check().lines == [
        "begrippen.yml:1:1: error: expected a list of terms, each starting with '- term:'",
        "1 error; a build would publish nothing (1 valid story, 0 drafts)",
    ]


def test_a_glossary_explanation_may_not_name_a_participant_without_consent(site: SiteDir) -> None:
    site.region("achterhoek")
    site.story("eerste", "achterhoek")
    site.write("begrippen.yml", "- term: boer\n  explanation: Zoals Geheime Boer Achterhoek.\n")
    assert site.check().lines[0] == (
        "begrippen.yml:2:22: error: names participant 'achterhoek-boer', who has not consented (public: true); "
        "describe them by role instead"
    )


def test_a_broken_glossary_stops_the_build(site: SiteDir, caplog: pytest.LogCaptureFixture) -> None:
    _site_with_glossary(site)
    site.write("begrippen.yml", "- term: opgave\n  explanation: [kapot\n")
    with pytest.raises(Abort):
        site.build()
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert errors[0] == (
        "regioverhalen: begrippen.yml:2:16: error: invalid YAML: the list that starts here with '[' is not closed; "
        "end it with ']'"
    )


def test_the_glossary_path_is_an_option(site: SiteDir) -> None:
    _site_with_glossary(site)
    (site.root / "begrippen.yml").rename(site.root / "woorden.yml")
    site.write(
        "mkdocs.yml",
        (site.root / "mkdocs.yml")
        .read_text()
        .replace("  - regioverhalen\n", "  - regioverhalen:\n      glossary: woorden.yml\n"),
    )
    out = site.build()
    assert (out / "begrippen/index.html").is_file()


# --- marking ----------------------------------------------------------------------------------


def test_first_use_is_marked_and_never_in_headings_links_or_code(site: SiteDir) -> None:
    _site_with_glossary(site)
    out = site.build()
    soup = BeautifulSoup((out / "verhalen/eerste/index.html").read_text(encoding="utf-8"), "html.parser")
    marks = soup.select(".rv-story__body .rv-begrip__woord")
    # Each term once: 'opgave' in the heading is skipped, its first use in the text is marked,
    # 'opgaven' (a form of the same term) is not; 'nplg' in lower case is not 'NPLG'.
    assert [(a.get_text(), a["href"]) for a in marks] == [
        ("opgave", "../../begrippen/#opgave"),
        ("stip op\nde horizon", "../../begrippen/#stip-op-de-horizon"),
        ("NPLG", "../../begrippen/#nplg"),
    ]
    first = marks[0]
    tip = soup.find(id=first["aria-describedby"])
    assert tip is not None and tip["role"] == "tooltip"
    assert tip.get_text() == "De klus waar iemand voor staat."
    assert soup.select("h1 .rv-begrip, h2 .rv-begrip, a .rv-begrip, code .rv-begrip, .rv-metacard .rv-begrip") == []


def test_the_glossary_page_lists_every_term_alphabetically_with_its_stories(site: SiteDir) -> None:
    _site_with_glossary(site)
    site.story("tweede", "achterhoek", title="Over water")
    out = site.build()
    soup = BeautifulSoup((out / "begrippen/index.html").read_text(encoding="utf-8"), "html.parser")
    content = soup.select_one("article")
    assert content is not None
    assert [(h["id"], h.get_text().rstrip("¶")) for h in content.select("h2")] == [
        ("nplg", "NPLG"),
        ("opgave", "opgave"),
        ("stikstof", "stikstof"),
        ("stip-op-de-horizon", "stip op de horizon"),
        ("waterschap", "waterschap"),
    ]
    opgave = content.select_one("h2#opgave")
    assert opgave is not None
    texts = [sibling.get_text(" ", strip=True) for sibling in opgave.find_next_siblings(limit=4)]
    assert texts[:4] == [
        "De klus waar iemand voor staat.",
        "Ook geschreven als: opgaven. Vooral gebruikt door: overheid.",
        "Komt voor in 1 verhaal:",
        "Verhaal eerste",
    ]
    assert opgave.find_next("ul").a["href"] == "../verhalen/eerste/"
    stikstof = content.select_one("h2#stikstof")
    assert stikstof is not None
    assert stikstof.find_next("p").find_next("p").get_text() == "Komt nog in geen verhaal voor."
    # The glossary page is in the navigation, and does not mark its own terms.
    assert content.select(".rv-begrip") == []
    assert [
        a.get_text(strip=True) for a in soup.select("nav.md-nav--primary a") if a.get_text(strip=True) == "Begrippen"
    ]
    # A term only in a story's title or summary is in that story (a reader red team found it was not).
    site.story("derde", "achterhoek", title="Stikstof op het erf")
    soup = BeautifulSoup((site.build() / "begrippen/index.html").read_text(encoding="utf-8"), "html.parser")
    stikstof = soup.select_one("article h2#stikstof")
    assert stikstof is not None
    texts = [sibling.get_text(" ", strip=True) for sibling in stikstof.find_next_siblings(limit=3)]
    assert texts[1:] == ["Komt voor in 1 verhaal:", "Stikstof op het erf"]


def test_the_home_page_is_marked_too(site: SiteDir) -> None:
    _site_with_glossary(site)
    site.write("docs/index.md", "---\ntitle: Start\n---\n# Start\n\nElke deelnemer heeft een opgave.\n")
    region = site.root / "regions/achterhoek.yml"
    region.write_text(region.read_text().replace("de bodem herstelt", "de opgave van de bodem oppakt"), "utf-8")
    out = site.build()
    soup = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [a["href"] for a in soup.select(".rv-begrip__woord")] == ["begrippen/#opgave"]
    # Region pages explain terms too; listings of other pages' texts do not.
    region = BeautifulSoup((out / "regios/achterhoek/index.html").read_text(encoding="utf-8"), "html.parser")
    assert region.select(".rv-begrip") != []
    for listing in ("regios", "lessen", "doorbraken", "themas", "themas/bodem"):
        text = (out / listing / "index.html").read_text(encoding="utf-8")
        assert "rv-begrip__woord" not in text, listing


def test_marking_skips_nested_and_raw_text_elements() -> None:
    marker = GlossaryMarker(_terms([("opgave", ()), ("stikstof", ())]))
    page = (
        '<div class="rv-metacard"><p>opgave</p></div><pre><code>stikstof</code></pre>'
        "<script>var opgave = '<p>';</script><p>Een <em>opgave</em> en stikstof.</p>"
    )
    marked = marker.mark(page, "../begrippen/")
    soup = BeautifulSoup(marked, "html.parser")
    assert [a.get_text() for a in soup.select("a")] == ["opgave", "stikstof"]
    assert [a.find_parent(["p", "em"]).name for a in soup.select("a")] == ["em", "p"]
    assert marked.startswith('<div class="rv-metacard"><p>opgave</p></div><pre><code>stikstof</code></pre><script>')


def test_longest_form_wins_and_words_inside_words_are_not_marked() -> None:
    marker = GlossaryMarker(_terms([("Natura 2000", ("Natura 2000-gebied",)), ("stikstof", ())]))
    marked = marker.mark("<p>Een stikstofcrisis bij een Natura 2000-gebied.</p>", "/begrippen/")
    soup = BeautifulSoup(marked, "html.parser")
    assert [a.get_text() for a in soup.select("a")] == ["Natura 2000-gebied"]


@given(st.lists(st.sampled_from(["opgave", "Opgaven", " ", "<b>", "</b>", "<a href='x'>", "</a>", "&amp;", "x", "\n"])))
def test_removing_the_marks_gives_back_the_page(parts: list[str]) -> None:
    """For any page, marking only adds: take the marks away and the page is as it was."""
    marker = GlossaryMarker(_terms([("opgave", ("opgaven",))]))
    page = "".join(parts)
    marked = marker.mark(page, "/begrippen/")
    unmarked = re.sub(
        r'<span class="rv-begrip"><a class="rv-begrip__woord"[^>]*>(.*?)</a><span class="rv-begrip__uitleg"[^>]*>'
        r"[^<]*</span></span>",
        r"\1",
        marked,
        flags=re.DOTALL,
    )
    assert unmarked == page
    assert marked.count('class="rv-begrip"') <= 1


def test_marking_time_grows_linearly_with_the_text() -> None:
    """One pass over the text whatever the number of terms: ten times the text, about ten
    times the time (a loop per term, or backtracking, would show as far more)."""
    marker = GlossaryMarker(_terms([(f"begrip{i}", (f"begrippen{i}",)) for i in range(300)]))
    paragraph = "<p>Een gewone zin over de regio, zonder een van de begrippen erin. Nog een zin.</p>\n"

    def seconds(repeat: int) -> float:
        page = paragraph * repeat
        start = time.process_time()  # CPU time: other work on a shared machine does not count
        marker.mark(page, "/begrippen/")
        return time.process_time() - start

    small = min(seconds(1000) for _ in range(5))
    large = min(seconds(10000) for _ in range(5))
    assert large < small * 20


def test_a_term_in_many_stories_lists_the_newest(site: SiteDir, monkeypatch: pytest.MonkeyPatch) -> None:
    from regioverhalen.site import glossary_page

    monkeypatch.setattr(glossary_page, "MAX_LISTED", 2)
    _site_with_glossary(site)
    for day in (2, 3, 4):
        site.story(f"later-{day}", "achterhoek", date=f"2023-05-0{day}")
        path = site.root / f"stories/achterhoek/later-{day}.md"
        path.write_text(path.read_text(encoding="utf-8").replace("vertelt.", "vertelt over de opgave."), "utf-8")
    out = site.build()
    soup = BeautifulSoup((out / "begrippen/index.html").read_text(encoding="utf-8"), "html.parser")
    opgave = soup.select_one("h2#opgave")
    assert opgave is not None
    assert opgave.find_next("p").find_next("p").find_next("p").get_text() == "Komt voor in 4 verhalen:"
    assert [a.get_text() for a in opgave.find_next("ul").select("a")] == ["Verhaal later-4", "Verhaal later-3"]
    assert opgave.find_next("ul").find_next("p").get_text() == "Hierboven staan de 2 nieuwste."


def test_mkdocs_serve_watches_the_glossary_the_sites_own_words_and_inherited_settings(site: SiteDir) -> None:
    """Files MkDocs itself does not watch: the glossary, the site's custom_dir (without
    --watch-theme), where its own templates and words are, and a file mkdocs.yml inherits from."""
    from test_serve import Server

    _site_with_glossary(site)
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("theme:\n", "theme:\n  custom_dir: overrides\n", 1))
    config.write_text(config.read_text() + "INHERIT: gedeeld/basis.yml\n")
    site.write("gedeeld/basis.yml", "copyright: Samen gemaakt in de regio\n")
    site.write("overrides/regioverhalen/woorden.yml", "themas: Onze onderwerpen\n")
    server = Server(site.root)
    try:
        page = "/verhalen/eerste/"
        server.wait_for("the first page", lambda: "De klus waar iemand voor staat." in server.get(page)[1], timeout=90)
        glossary = site.root / "begrippen.yml"
        glossary.write_text(glossary.read_text().replace("De klus waar", "Het werk waar"), encoding="utf-8")
        server.wait_for("the new explanation", lambda: "Het werk waar iemand voor staat." in server.get(page)[1])
        assert "Onze onderwerpen" in server.get("/themas/")[1]
        site.write("overrides/regioverhalen/woorden.yml", "themas: Waar het over gaat\n")
        server.wait_for("the new words", lambda: "Waar het over gaat" in server.get("/themas/")[1])
        assert "Samen gemaakt in de regio" in server.get(page)[1]
        site.write("gedeeld/basis.yml", "copyright: Samen gemaakt door de regio\n")
        # The story page is not reused from the build before: its footer changed.
        server.wait_for("the new copyright line", lambda: "Samen gemaakt door de regio" in server.get(page)[1])
    finally:
        server.stop()
