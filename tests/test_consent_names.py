"""Consent by name matching: every way a hostile or careless text can write a name without
consent is found by `check` at its place, and by the scan of the built site before it is
published; name parts that are also ordinary words follow the documented rule.

The names are fictional (example data). 'Hendrika Zwanenburg', 'José Müller', 'Piet de Boer'
and 'Anouk Bijlsma' have not consented; 'Open Ambtenaar' has.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from conftest import MKDOCS_YML, SiteDir, build_errors, check_summary
from pdf_files import pdf_with_text
from regioverhalen.content.consent import NameMatcher
from regioverhalen.site.docs_rules import KNOWN_SUFFIXES
from regioverhalen.site.output_scan import scan_site

REGION = """\
name: Achterhoek
provinces: [Gelderland]
horizon: Een regio die samen de bodem herstelt.
participants:
  - id: achterhoek-boer
    name: Hendrika Zwanenburg
    role: boer
  - id: achterhoek-zzp
    name: José Müller
    role: zzp
  - id: achterhoek-teler
    name: Piet de Boer
    role: boer
  - id: achterhoek-ondernemer
    name: Anouk Bijlsma
    role: ondernemer
  - id: achterhoek-gemeente
    name: Open Ambtenaar
    role: gemeente
    public: true
"""
STORY = (
    "---\ntitle: Verhaal\ndate: 2023-05-01\nregion: achterhoek\nparticipants: [achterhoek-boer]\nsummary: Kort.\n---\n"
)


def consent(pid: str) -> str:
    return f"names participant '{pid}', who has not consented (public: true); describe them by role instead"


HZ, JM, PB, AB = "achterhoek-boer", "achterhoek-zzp", "achterhoek-teler", "achterhoek-ondernemer"


def _body_problems(site: SiteDir, body: str) -> list[str]:
    site.write("regions/achterhoek.yml", REGION)
    site.write("stories/x.md", STORY + body + "\n")
    return site.check().lines


# Each class of the "Names" list: (text after "Met ", the column where the name is written, who).
NAMES = {
    # Markup inside a word or between the words.
    "bold-inside": ("**Hen**drika.", 7, HZ),
    "emphasis-inside": ("Hen*drika*.", 5, HZ),
    "code-inside": ("`Hen`drika.", 6, HZ),
    "tag-inside": ("Hen<b>drika</b>.", 5, HZ),
    "empty-span": ("Hen<span></span>drika.", 5, HZ),
    "comment": ("Hen<!-- -->drika.", 5, HZ),
    "link-between": ("[Hendrika](https://example.org) Zwanenburg.", 6, HZ),
    # Characters that show nothing, or show as something else.
    "tag-character": ("H\U000e0041endrika.", 5, HZ),
    "variation-selector": ("Hendr\U000e0100ika.", 5, HZ),
    "mongolian-selector": ("Hend\u180brika.", 5, HZ),
    "braille-blank": ("Hendrika\u2800Zwanenburg.", 5, HZ),
    "hangul-filler": ("Hendrika\u3164Zwanenburg.", 5, HZ),
    "zero-width-only-separator": ("Hendrika\u200bZwanenburg.", 5, HZ),
    "unassigned-character": ("Hen\ufff0drika.", 5, HZ),  # a browser shows nothing for it
    "private-use-character": ("Hen\ue000drika.", 5, HZ),
    "fullwidth": ("Ｈｅｎｄｒｉｋａ.", 5, HZ),
    "mathematical": ("𝐇𝐞𝐧𝐝𝐫𝐢𝐤𝐚.", 5, HZ),
    "cyrillic-look-alikes": ("Неndrikа.", 5, HZ),
    "ij-ligature": ("Anouk B\u0133lsma.", 5, AB),
    "right-to-left-override": ("\u202eakirdneH.", 6, HZ),  # where the reversed text begins
    # Character references without ';'.
    "numeric-reference": ("&#72endrika.", 5, HZ),
    "named-reference": ("M&uumlller.", 5, JM),
    # Other spellings.
    "surname-first": ("Zwanenburg, Hendrika.", 5, HZ),
    "initial": ("H. Zwanenburg.", 5, HZ),
    "possessive": ("Zwanenburgs erf.", 5, HZ),
    "e-mail": ("hendrika.zwanenburg@example.org.", 5, HZ),
    "hashtag": ("#HendrikaZwanenburg.", 6, HZ),
    "middle-dot": ("Hendrika·Zwanenburg.", 5, HZ),
    "slash": ("Hendrika/Zwanenburg.", 5, HZ),
    "without-accents": ("Jose Muller.", 5, JM),
    "umlaut-spelled-out": ("Jose Mueller.", 5, JM),
    "first-name-alone": ("Hendrika.", 5, HZ),
    "surname-alone": ("Zwanenburg.", 5, HZ),
    "percent-encoded": ("https://example.org/Hendrika%20Zwanenburg.", 25, HZ),
    # Published as written, though a reader's view of the text leaves them out.
    "in-an-attribute": ('<span title="Hendrika Zwanenburg">de boerin</span>.', 18, HZ),
    "in-an-abbreviation": ('<abbr title="Zwanenburg">HZ</abbr>.', 18, HZ),
    "in-a-comment": ("de boerin <!-- Hendrika -->.", 20, HZ),
}


@pytest.mark.parametrize(("written", "column", "pid"), NAMES.values(), ids=NAMES.keys())
def test_every_way_of_writing_a_name_is_refused_where_it_stands(
    site: SiteDir, written: str, column: int, pid: str
) -> None:
    assert _body_problems(site, f"Met {written}") == [
        f"stories/x.md:8:{column}: error: {consent(pid)}",
        "1 error; a build would publish nothing (0 valid stories, 0 drafts)",
    ]


# The rule for name parts that are also words (docs/redactiegids.md): "boer" is a word, so the
# surname "Boer" counts alone only with a capital in running text, or with a capital after its
# tussenvoegsel; the whole name always counts.
WORDS = {
    "word-in-a-farming-story": ("De boer zaait. Elke boer weet dat de boer het land kent.", []),
    "capital-at-sentence-start": ("Het regent.\n\nBoer zijn is zwaar werk.", []),
    "capital-in-a-heading": ("## Boer en burger\n\nTekst.", []),
    # The built page runs a heading's last word on into the paragraph below it.
    "capital-starting-the-paragraph-after-a-heading": ("## Het erf\n\nBoer zijn is zwaar werk.", ["10:1"]),
    "after-an-underlined-heading": ("Het erf\n-------\n\nBoer zijn is zwaar werk.", ["11:1"]),
    "after-a-heading-in-a-quote": ("> ## Het erf\n>\n> Boer zijn is zwaar werk.", ["10:3"]),
    # A third red team: a pilcrow, as a heading's permalink shows it, ends no sentence.
    "after-a-pilcrow": ("Wij spraken met ¶ Boer over mest.", ["8:19"]),
    "capital-in-running-text": ("Wij spraken met Boer over mest.", ["8:17"]),
    "after-its-tussenvoegsel": ("Het erf van de Boer ligt aan de beek.", ["8:13"]),
    "tussenvoegsel-at-sentence-start": ("De Boer zaait.", ["8:1"]),
    "whole-name-any-case": ("piet de boer zaait.", ["8:1"]),
    # A browser shows any run of spaces and line breaks within a paragraph as one space.
    "whole-name-over-many-spaces": ("piet          de          boer zaait.", ["8:1"]),
    "whole-name-over-line-break-references": ("piet&#10;&#10;&#10;&#10;&#10;&#10;&#10;de boer zaait.", ["8:1"]),
    "whole-name-over-a-long-run-of-spaces": ("piet" + " " * 500 + "de" + "&#32;" * 300 + "boer zaait.", ["8:1"]),
    "whole-name-with-control-characters-inside": ("pi\x01et de bo\x7fer zaait.", ["8:1"]),
}


@pytest.mark.parametrize(("body", "places"), WORDS.values(), ids=WORDS.keys())
def test_a_name_part_that_is_a_word_counts_only_as_the_rule_says(site: SiteDir, body: str, places: list[str]) -> None:
    expected = [f"stories/x.md:{place}: error: {consent(PB)}" for place in places]
    summary = check_summary(len(places))
    assert _body_problems(site, body) == expected + [
        summary if places else "1 story published, 0 drafts held back, 0 errors"
    ]


@pytest.mark.parametrize("field", ["title", "summary"])
def test_a_word_like_name_part_starting_a_title_or_summary_counts_as_running_text(site: SiteDir, field: str) -> None:
    """A card, a list or the search index shows it after other text, and the build stopped on it
    while check passed it (found while closing the session's last gaps)."""
    site.write("regions/achterhoek.yml", REGION)
    front_matter = (
        STORY.replace("title: Verhaal", "title: Boer en burger op het erf")
        if field == "title"
        else (STORY.replace("summary: Kort.", "summary: Boer zijn is zwaar werk."))
    )
    site.write("stories/x.md", front_matter + "Tekst.\n")
    line = 2 if field == "title" else 6
    assert site.check().lines[0] == f"stories/x.md:{line}:{len(field) + 3}: error: {field}: {consent(PB)}"


def test_a_name_part_inside_a_consenting_participant_s_name_is_theirs(site: SiteDir) -> None:
    site.write(
        "regions/achterhoek.yml",
        REGION + "  - id: achterhoek-wethouder\n    name: Hendrika Open\n    role: gemeente\n    public: true\n",
    )
    site.write("stories/x.md", STORY + "Hendrika Open vertelt. Daarna vertelt Hendrika verder.\n")
    assert site.check().lines == [
        # 'Hendrika' is a part both share: alone it may be either, so only the whole name counts.
        "1 story published, 0 drafts held back, 0 errors",
    ]


KNOWN = ", ".join(sorted(KNOWN_SUFFIXES))


def test_names_in_front_matter_fields_file_names_and_docs_of_any_type(site: SiteDir) -> None:
    site.write("regions/achterhoek.yml", REGION)
    site.write(
        "stories/x.md",
        STORY.replace(
            "summary: Kort.",
            "summary: Kort.\nthemes: [zwanenburg]\nbreakthrough:\n  title: Afspraak\n"
            "  date: 2023-01-01\n  status: aanwijsbaar\n  evidence:\n"
            "    - https://example.org/verslag/Hendrika%20Zwanenburg.pdf",
        )
        + "Tekst.\n",
    )
    site.write("docs/gegevens.tsv", "regio\tcontact\nachterhoek\tHendrika\tZwanenburg\n")
    site.write("docs/kaart-zwanenburg.geojson", "{}\n")
    site.write("docs/script.mjs", "export const wie = 'H. Zwanenburg';\n")
    assert site.check().lines == [
        f"docs/gegevens.tsv:2:12: error: {consent(HZ)}",
        f"docs/kaart-zwanenburg.geojson:1:1: error: file name 'kaart-zwanenburg.geojson' {consent(HZ)}; rename it",
        f"docs/script.mjs:1:21: error: {consent(HZ)}",
        f"stories/x.md:7:10: error: themes[0]: {consent(HZ)}",
        f"stories/x.md:13:7: error: breakthrough.evidence[0]: {consent(HZ)}",
        # Of types a build does not publish: read for names all the same.
        *(
            f"docs/{name}:1:1: error: files of type '{Path(name).suffix}' are not published; use one of: {KNOWN}"
            for name in ("gegevens.tsv", "kaart-zwanenburg.geojson", "script.mjs")
        ),
        "8 errors; a build would publish nothing (0 valid stories, 0 drafts)",
    ]


def test_a_region_file_name_with_a_name_is_refused(site: SiteDir) -> None:
    site.write("regions/achterhoek.yml", REGION)
    site.write("regions/erf-zwanenburg.yml", "name: Erf\nprovinces: [Gelderland]\nhorizon: Samen.\n")
    site.write("stories/x.md", STORY + "Tekst.\n")
    assert site.check().lines == [
        f"regions/erf-zwanenburg.yml:1:1: error: file name 'erf-zwanenburg.yml' {consent(HZ)}; rename the file",
        "1 error; a build would publish nothing (1 valid story, 0 drafts)",
    ]


def test_one_name_with_two_consents_is_an_error_at_both_entries(site: SiteDir) -> None:
    site.write("regions/achterhoek.yml", REGION)
    site.write(
        "regions/twente.yml",
        "name: Twente\nprovinces: [Overijssel]\nhorizon: Samen.\nparticipants:\n"
        "  - id: twente-boer\n    name: hendrika  ZWANENBURG\n    role: boer\n    public: true\n",
    )
    site.write("stories/x.md", STORY + "Tekst.\n")
    message = "is also the name of the participant at {}, with other consent (public:); one person has one consent: make both entries the same, or tell them apart"
    assert site.check().lines == [
        "regions/achterhoek.yml:6:11: error: name: 'Hendrika Zwanenburg' " + message.format("regions/twente.yml:6"),
        "regions/twente.yml:6:11: error: name: 'hendrika  ZWANENBURG' " + message.format("regions/achterhoek.yml:6"),
        "2 errors; a build would publish nothing (1 valid story, 0 drafts)",
    ]


# --- The scan of the built site ----------------------------------------------------------------------

PEOPLE = NameMatcher({"Hendrika Zwanenburg": HZ, "José Müller": JM}, ["Open Ambtenaar"])


def _scan(tmp_path: Path, files: dict[str, bytes | str]) -> list[str]:
    site = tmp_path / "site"
    for rel, data in files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
    return [str(problem) for problem in scan_site(site, PEOPLE, {"verhalen/x/index.html": "stories/x.md"})]


PAGE = "<!doctype html><html><head><title>T</title></head><body><header>Kop</header>\n<main>{}</main></body></html>"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"verhalen/x/index.html": PAGE.format("<p>Hen<b>drika</b> Zwanenburg</p>")},
            "site/verhalen/x/index.html:2:10: error: {}; found in the page's text (made from stories/x.md)",
        ),
        (
            {"verhalen/x/index.html": PAGE.format('<img src="a.png" alt="Foto van H&#46; Zwanenburg">')},
            "site/verhalen/x/index.html:2:38: error: {}; found in the page's text (made from stories/x.md)",
        ),
        (
            {"index.html": PAGE.format('<a href="/zoek/?q=Hendrika%20Zwanenburg">x</a>')},
            "site/index.html:2:25: error: {}; found in the page's text",
        ),
        (
            {"regios/erf-zwanenburg/index.html": PAGE.format("x")},
            "site/regios/erf-zwanenburg:1:1: error: {}; found in the folder name 'erf-zwanenburg'",
        ),
        (
            {"data/stories.json": json.dumps({"wie": "Hendrika Zwanenburg"})},
            "site/data/stories.json:1:10: error: {}; found in a text in the JSON data",
        ),
        (
            {"feed.xml": "<rss><item><description>&lt;p&gt;Zwanenburg&lt;/p&gt;</description></item></rss>\n"},
            "site/feed.xml:1:34: error: {}; found in the file's text",
        ),
        (
            {"pagefind/fragment/nl_1.pf_fragment": gzip.compress(b'pagefind_dcd{"content":"Met Zwanenburg."}')},
            "site/pagefind/fragment/nl_1.pf_fragment:1:29: error: {}; found in a text in the JSON data",
        ),
        (
            {"assets/extra.mjs": "const wie = 'Hendrika·Zwanenburg';\n"},
            "site/assets/extra.mjs:1:14: error: {}; found in the file's text",
        ),
        (
            {"lijst.txt": "Deelnemers: Hendrika Zwanenburg\n".encode("utf-16")},  # with its byte order mark
            "site/lijst.txt:1:13: error: {}; found in the file's text",
        ),
        (
            {"verslagen/mei.pdf": pdf_with_text("Verslag", "Met dank aan Hendrika Zwanenburg")},
            "site/verslagen/mei.pdf:1:1: error: {}; found in the PDF's text",
        ),
        (  # an SVG's text runs, drawn as one line
            {"assets/team.svg": '<svg><text x="0" y="9">Hendrika Zwa<tspan>nenburg</tspan></text></svg>\n'},
            "site/assets/team.svg:1:24: error: {}; found in the file's text",
        ),
        (
            # Pagefind's own files are read through its fragments; a site's file of that type is read.
            {"assets/zoek.pf_meta": "Contact: Hendrika Zwanenburg\n"},
            "site/assets/zoek.pf_meta:1:10: error: {}; found in the file's text",
        ),
    ],
    ids=[
        "markup-in-the-text",
        "attribute",
        "url",
        "folder-name",
        "json",
        "feed",
        "pagefind-fragment",
        "script",
        "utf-16",
        "pdf",
        "svg-text-runs",
        "pagefind-type-outside-its-folder",
    ],
)
def test_the_output_scan_finds_a_name_in_every_kind_of_built_file(
    tmp_path: Path, files: dict[str, bytes | str], expected: str
) -> None:
    assert _scan(tmp_path, files) == [expected.format(consent(HZ))]


def test_the_output_scan_of_a_clean_site_finds_nothing(tmp_path: Path) -> None:
    assert _scan(tmp_path, {"index.html": PAGE.format("<p>Open Ambtenaar vertelt over de boer.</p>")}) == []


def test_a_name_made_by_a_theme_override_stops_the_build_and_the_old_site_stays(
    site: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    site.write("regions/achterhoek.yml", REGION)
    site.write("stories/x.md", STORY + "Tekst.\n")
    built = site.build()
    before = {
        p.relative_to(built).as_posix(): hashlib.sha256(p.read_bytes()).digest()
        for p in built.rglob("*")
        if p.is_file()
    }
    # Made from pieces at build time: no source file holds the name, so `check` passes it.
    site.write(
        "mkdocs.yml",
        (site.root / "mkdocs.yml").read_text().replace("  language: nl\n", "  language: nl\n  custom_dir: overrides\n"),
    )
    site.write(
        "overrides/main.html",
        '{% extends "base.html" %}\n{% block footer %}{{ "Hend" ~ "rika Zwan" ~ "enburg" }}{% endblock %}\n',
    )
    assert site.check().lines == ["1 story published, 0 drafts held back, 0 errors"]
    with pytest.raises(Abort):
        site.build()
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    # Each page's footer is its own (Material puts the page's links in it): each page is named.
    assert f"regioverhalen: site/404.html:457:7: error: {consent(HZ)}; found in the page's text" in errors
    after = {
        p.relative_to(built).as_posix(): hashlib.sha256(p.read_bytes()).digest()
        for p in built.rglob("*")
        if p.is_file()
    }
    assert after == before


WORDS_AND_DATES = (
    "## De aanpak\n\nHet erf ligt aan de beek. Bakker zijn is zwaar. De boer nodigde iemand uit.\n\nDe boer zaait.\n\n"
    "- Bakker bakt brood.\n- Boer zijn is zwaar.\n\n## Boer en bakker\n\nTekst.\n"
)


def test_names_that_are_words_or_months_are_not_found_in_the_built_site_where_check_finds_none(
    site: SiteDir,
) -> None:
    """'Jan' in a feed's date (Wed, 15 Jan 2025), and '<p>De boer' (no "P. de Boer"), in pages
    with and without permalinks: the build publishes what `check` passed (each stopped it)."""
    site.write("regions/achterhoek.yml", REGION.replace("Anouk Bijlsma", "Jan Bakker"))
    site.write("stories/x.md", STORY.replace("2023-05-01", "2025-01-15") + WORDS_AND_DATES)
    # With headings' permalinks, as a new site has them.
    site.write("mkdocs.yml", MKDOCS_YML.replace(", toc]", ", {toc: {permalink: true}}]"))
    assert site.check().lines == ["1 story published, 0 drafts held back, 0 errors"]
    built = site.build()
    assert "15 Jan 2025" in (built / "feed.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("body", "place", "pid"),
    [
        ("Wij spraken met Bakker over mest.", "8:17", AB),
        ("Het erf van De Boer ligt aan de beek.", "8:13", PB),
        ("Wij spraken met Jan over mest.", "8:17", AB),
    ],
    ids=["surname-in-running-text", "tussenvoegsel-and-surname-with-capitals", "first-name-in-running-text"],
)
def test_the_same_names_written_as_names_are_found_by_check_and_build(
    site: SiteDir, caplog: pytest.LogCaptureFixture, body: str, place: str, pid: str
) -> None:
    site.write("regions/achterhoek.yml", REGION.replace("Anouk Bijlsma", "Jan Bakker"))
    site.write("stories/x.md", STORY.replace("2023-05-01", "2025-01-15") + WORDS_AND_DATES + "\n" + body + "\n")
    site.write("mkdocs.yml", MKDOCS_YML.replace(", toc]", ", {toc: {permalink: true}}]"))
    line, column = place.split(":")
    assert site.check().lines[0] == f"stories/x.md:{int(line) + 13}:{column}: error: {consent(pid)}"
    site.write("stories/x.md", STORY.replace("2023-05-01", "2025-01-15") + WORDS_AND_DATES)  # past check
    built = site.build()
    (built / "verhalen/x/index.html").write_text(
        (built / "verhalen/x/index.html").read_text(encoding="utf-8").replace("<p>Tekst.</p>", f"<p>{body}</p>"),
        encoding="utf-8",
    )
    found = scan_site(built, NameMatcher({"Jan Bakker": AB, "Piet de Boer": PB}))
    assert [(str(p.path), p.message) for p in found] == [
        ("site/verhalen/x/index.html", f"{consent(pid)}; found in the page's text")
    ]


@pytest.mark.parametrize(
    ("body", "pid"),
    [
        # Paragraphs a class or the site's own styles show on one line: the name runs on.
        ("Wij spraken op het erf met\n{: .twemoji }\n\nBakker over mest en bodemleven.\n{: .twemoji }", AB),
        ('!!! note "Voorbeeldverhaal"\n    Wij spraken op het erf met\n\n    Bakker over mest en bodemleven.', AB),
        (
            '<div markdown="0"><p class="twemoji">Wij spraken op het erf met Hendri</p><p class="twemoji">ka Zwanen</p>'
            '<p class="twemoji">burg over mest en bodemleven.</p></div>',
            HZ,
        ),
        ("## Wij spraken op het erf met {: .twemoji }\n\nBakker over mest en bodemleven.", AB),
        # A second red team: headings a parent shows inline or side by side.
        (
            '<div>Wij spraken op het erf met <span class="rv-visually-hidden"><h2>x</h2></span> '
            '<span title="zie >.">Bakker</span> over mest en bodemleven.</div>',
            AB,
        ),
        (
            '<div class="rv-themes" markdown="0">\n<h3>Op het erf spraken wij met</h3>\n'
            '<h3 title="Gesprek >.">Bakker over mest en bodemleven</h3>\n</div>',
            AB,
        ),
        (
            '<div class="twemoji" markdown="0"><h3>Op het erf spraken wij met mevrouw Bak</h3>'
            "<h3>ker over mest en bodemleven.</h3></div>",
            AB,
        ),
    ],
    ids=[
        "paragraphs-shown-inline",
        "the-first-note-shown-inline",
        "name-split-over-inline-paragraphs",
        "heading-inline",
        "heading-hidden-in-a-sentence",
        "headings-side-by-side",
        "name-split-over-headings",
    ],
)
def test_a_name_running_on_over_blocks_shown_on_one_line_stops_the_build(
    site: SiteDir, caplog: pytest.LogCaptureFixture, body: str, pid: str
) -> None:
    """Found by a red team of the scan that set blocks apart: only a heading the site styles is."""
    site.write("regions/achterhoek.yml", REGION.replace("Anouk Bijlsma", "Jan Bakker"))
    site.write("stories/x.md", STORY + body + "\n")
    errors = build_errors(site, caplog)
    # Found in the story where check can tell it, else in the built page made from it.
    assert any(consent(pid) in error and "stories/x.md" in error for error in errors), errors


def test_a_tussenvoegsel_joined_to_a_word_like_surname_is_found() -> None:
    people = NameMatcher({"Piet de Boer": PB, "Kees van Dam": "dam", "Anna de Vries": "vries"})
    text = "Wij spraken met Deboer over mest. Ook Vandam en Devries schoven aan, en later kwam De boer zelf."
    assert [found[1] for found in people.find(text, markup=False)] == [17, 39, 49, 84]


@pytest.mark.parametrize(
    ("comment", "pid"),
    [
        ('<!-- Foto: <{{ "Zwanen" ~ "burg" }}> -->', HZ),  # a tag of its own name, made from pieces
        ('<!-- Logo: <P\n{{ "de " ~ "boer" }}> -->', PB),  # an initial that looks like a tag's name
    ],
    ids=["name-as-a-tag", "initial-as-a-tag"],
)
def test_a_name_a_theme_override_makes_in_a_comment_stops_the_build(
    site: SiteDir, caplog: pytest.LogCaptureFixture, comment: str, pid: str
) -> None:
    """Found by red teams of the scan's reading of tags in a page's source."""
    site.write("regions/achterhoek.yml", REGION)
    site.write("stories/x.md", STORY + "Tekst.\n")
    site.write(
        "mkdocs.yml",
        (site.root / "mkdocs.yml").read_text().replace("  language: nl\n", "  language: nl\n  custom_dir: overrides\n"),
    )
    site.write("overrides/main.html", f'{{% extends "base.html" %}}\n{{% block footer %}}{comment}{{% endblock %}}\n')
    assert any(consent(pid) in error for error in build_errors(site, caplog))


def test_a_name_after_much_markup_is_reported_where_it_stands() -> None:
    # Markup is left out in more than one pass (tags, then references): places after a tag
    # left out in the first pass must not drift in the second.
    page = (
        "<nav>\n"
        + "<li><a href='/x/'>Regio</a></li>\n" * 300
        + "</nav>\n<p>Met dank aan H&#101;ndrika Zwanenburg.</p>\n"
    )
    assert PEOPLE.find(page) == [(303, 17, "achterhoek-boer")]


def test_the_output_scan_reads_a_folder_the_site_links_to_and_stops_at_a_loop(tmp_path: Path) -> None:
    outside = tmp_path / "elders"
    outside.mkdir()
    (outside / "wie.html").write_text(PAGE.format("<p>Hendrika Zwanenburg</p>"))
    site = tmp_path / "site"
    site.mkdir()
    (site / "extra").symlink_to(outside)
    (site / "extra" / "rond").symlink_to(site)  # back to the site: walked once
    problems = [str(problem) for problem in scan_site(site, PEOPLE)]
    assert problems == [f"site/extra/wie.html:2:10: error: {consent(HZ)}; found in the page's text"]
