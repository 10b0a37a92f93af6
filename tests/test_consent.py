"""Consent: a participant's name is published only with `public: true`.

The validator refuses a non-public name wherever a contributor could write it into the site
(story texts, slugs and file names, region texts, hand-written pages), with its line and
column. And the repository's real sample site is built and every one of its files, search
index fragments decompressed, is searched for every non-public name.
"""

from __future__ import annotations

import contextlib
import gzip
import html
import json
import logging
import os
import re
import subprocess
import sys
import unicodedata
import urllib.parse
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from conftest import SiteDir
from pdf_files import pdf_with_text
from regioverhalen.content.loading import load_content
from regioverhalen.site.settings import read_settings
from sample_site import build_sample_site

# `site.region("achterhoek", secret=SECRET)` gives achterhoek-boer this name, without consent.
SECRET = "Hendrika Verborgen"
CONSENT = "names participant 'achterhoek-boer', who has not consented (public: true); describe them by role instead"
STORY = "---\ntitle: Verhaal\ndate: 2023-05-01\nregion: achterhoek\nparticipants: [achterhoek-boer]\nsummary: Kort.\n"


def _check(site: SiteDir, rel: str, text: str) -> list[str]:
    site.region("achterhoek", secret=SECRET)
    site.write(rel, text)
    return site.check().lines


@pytest.mark.parametrize(
    ("front_matter", "expected"),
    [
        (STORY.replace("title: Verhaal", f"title: Het verhaal van {SECRET}"), f"2:8: error: title: {CONSENT}"),
        (STORY.replace("summary: Kort.", f"summary: {SECRET} vertelt."), f"6:10: error: summary: {CONSENT}"),
        (
            STORY + f"lessons:\n  - level: individu\n    text: Wat {SECRET.upper()} leerde.\n",
            f"9:11: error: lessons[0].text: {CONSENT}",
        ),
        (
            STORY + f"breakthrough:\n  title: Afspraak met {SECRET}\n  date: 2023-01-01\n  status: aanwijsbaar\n",
            f"8:10: error: breakthrough.title: {CONSENT}",
        ),
        (
            STORY
            + "breakthrough:\n  title: Afspraak\n  date: 2023-01-01\n  status: in-wording\n"
            + f"  place: Erf van {SECRET}\n",
            f"11:10: error: breakthrough.place: {CONSENT}",
        ),
        (
            STORY + f"breakthrough:\n  title: Afspraak\n  date: 2023-01-01\n  status: aanwijsbaar\n"
            f"  evidence:\n    - Verslag\n    - Brief van {SECRET}\n",
            f"13:7: error: breakthrough.evidence[1]: {CONSENT}",
        ),
        (STORY + "slug: hendrika-verborgen-vertelt\n", f"7:7: error: slug: {CONSENT}"),
        # In a block of text, where the name stands, even across a line break of a folded block.
        (
            STORY.replace("summary: Kort.", "summary: >-\n  Een gesprek op het erf\n  met Hendrika\n  Verborgen."),
            f"8:7: error: summary: {CONSENT}",
        ),
        (
            STORY + f"lessons:\n  - level: individu\n    text: |\n      Eerst luisteren.\n      Zei {SECRET}.\n",
            f"11:11: error: lessons[0].text: {CONSENT}",
        ),
    ],
    ids=[
        "title",
        "summary",
        "lesson",
        "breakthrough-title",
        "breakthrough-place",
        "evidence",
        "slug",
        "folded-summary",
        "literal-lesson",
    ],
)
def test_a_hidden_name_in_story_front_matter_is_refused(site: SiteDir, front_matter: str, expected: str) -> None:
    assert _check(site, "stories/x.md", front_matter + "---\nTekst.\n") == [
        f"stories/x.md:{expected}",
        "1 error; a build would publish nothing (0 valid stories, 0 drafts)",
    ]


@pytest.mark.parametrize(
    ("body", "position"),
    [
        (f"Gisteren sprak {SECRET} ons toe.\n", "8:16"),
        (f"Gisteren sprak {SECRET.lower()} ons toe.\n", "8:16"),
        ("Gisteren sprak Hendrika\nVerborgen ons toe.\n", "8:16"),  # a line break still reads as one name
        ("Gisteren sprak Hendrika  *Verborgen* ons toe.\n", "8:16"),  # so do spaces and emphasis
        ("Gisteren sprak Hendrika&nbsp;Verborgen ons toe.\n", "8:16"),
        ("Dit is **Hendrika-Verborgen**.\n", "8:10"),
        # Characters that show nothing, as pasted from a word processor, or as entities.
        ("Gisteren sprak Hendrika Verbor\u00adgen ons toe.\n", "8:16"),
        ("Gisteren sprak Hendrika Verbor&shy;gen ons toe.\n", "8:16"),
        ("Gisteren sprak Hen&#xAD;drika Ver&#173;borgen ons toe.\n", "8:16"),
        ("Gisteren sprak Hendrika Ver\u200bbor\u2060gen ons toe.\n", "8:16"),
        ("Gisteren sprak Hendrika\u200b Verborgen ons toe.\n", "8:16"),
        ("Gisteren sprak Hen&ZeroWidthSpace;drika Ver&lrm;borgen ons toe.\n", "8:16"),
        ("Gisteren sprak Hen\u200edrika Ver\u2062bor\u034fgen ons toe.\n", "8:16"),
        ("Bij R&amp;D en R&D sprak Hendrika Verborgen.\n", "8:26"),  # other references change nothing
        ("Gisteren sprak Hen&#x00000ad;drika Ver&#000000173;borgen ons toe.\n", "8:16"),
        ("Gisteren sprak Hendrika&NonBreakingSpace;Verborgen&thinsp;ons toe.\n", "8:16"),
        ("Gisteren sprak Hendrika&#32;Verb&#111;rgen ons toe.\n", "8:16"),
        ("Volg #HendrikaVerborgen2024 voor nieuws.\n", "8:7"),
        # Published as written, and no other text of the story hints at the name (found in review:
        # the quick look left attributes out, so only the build's scan found these).
        ('Gisteren sprak <span title="Hendrika Verborgen">zij</span> ons toe.\n', "8:29"),
        ("Gisteren sprak zij ons toe. <!-- Hendrika Verborgen -->\n", "8:34"),
    ],
    ids=[
        "plain",
        "lower-case",
        "line-break",
        "emphasis",
        "nbsp",
        "hyphen",
        "soft-hyphen",
        "shy-entity",
        "numeric-entities",
        "zero-width-in-word",
        "zero-width-before-space",
        "named-references",
        "marks-and-operators",
        "ampersands",
        "zero-padded-references",
        "spaces-by-reference",
        "letters-by-reference",
        "digits-after",
        "attribute",
        "comment",
    ],
)
def test_a_hidden_name_in_a_story_body_is_refused_at_its_place(site: SiteDir, body: str, position: str) -> None:
    assert _check(site, "stories/x.md", STORY + "---\n" + body) == [
        f"stories/x.md:{position}: error: {CONSENT}",
        "1 error; a build would publish nothing (0 valid stories, 0 drafts)",
    ]


def test_name_parts_joined_by_anything_are_still_found(site: SiteDir) -> None:
    """'&SHY;' is no character reference (they are case-sensitive), but each part of the name
    still stands there; a zero-width space as the only separator joins the parts into the name."""
    assert _check(site, "stories/x.md", STORY + "---\nHendrika&SHY;Verborgen en Hendrika\u200bVerborgen.\n") == [
        f"stories/x.md:8:1: error: {CONSENT}",
        f"stories/x.md:8:14: error: {CONSENT}",
        f"stories/x.md:8:27: error: {CONSENT}",
        "3 errors; a build would publish nothing (0 valid stories, 0 drafts)",
    ]


def test_every_place_a_name_stands_in_a_block_of_text_is_reported(site: SiteDir) -> None:
    text = STORY.replace("summary: Kort.", f"summary: |\n  Eerst {SECRET}.\n  Dan iets.\n  En weer {SECRET}.")
    assert _check(site, "stories/x.md", text + "---\nTekst.\n") == [
        f"stories/x.md:7:9: error: summary: {CONSENT}",
        f"stories/x.md:9:11: error: summary: {CONSENT}",
        "2 errors; a build would publish nothing (0 valid stories, 0 drafts)",
    ]


def test_a_hidden_name_after_decomposed_letters_is_reported_at_its_written_column(site: SiteDir) -> None:
    decomposed = unicodedata.normalize("NFD", "Één café")  # 8 characters as a reader sees them, 11 as written
    assert _check(site, "stories/x.md", STORY + f"---\n{decomposed} en {SECRET}.\n") == [
        f"stories/x.md:8:16: error: {CONSENT}",
        "1 error; a build would publish nothing (0 valid stories, 0 drafts)",
    ]


def test_a_hidden_name_is_found_whatever_its_unicode_normalisation(site: SiteDir) -> None:
    site.region("achterhoek", secret=unicodedata.normalize("NFC", "Renée Brühl"))
    site.write("stories/x.md", STORY + "---\nMet " + unicodedata.normalize("NFD", "Renée Brühl") + ".\n")
    assert site.check().lines == [
        f"stories/x.md:8:5: error: {CONSENT}",
        "1 error; a build would publish nothing (0 valid stories, 0 drafts)",
    ]


@pytest.mark.parametrize(
    "written",
    ["Anne-Marie O'Brien", "anne marie o\u2019brien", "Anne-Marie\nO'Brien"],
    ids=["as-declared", "curly-apostrophe", "line-break"],
)
def test_names_with_hyphens_and_apostrophes_are_found(site: SiteDir, written: str) -> None:
    site.region("achterhoek", secret="Anne-Marie O'Brien")
    site.write("stories/x.md", STORY + "---\nMet " + written + " op het erf.\n")
    assert site.check().lines == [
        f"stories/x.md:8:5: error: {CONSENT}",
        "1 error; a build would publish nothing (0 valid stories, 0 drafts)",
    ]


def test_a_hidden_name_in_a_file_name_is_refused(site: SiteDir) -> None:
    assert _check(site, "stories/hendrika-verborgen.md", STORY + "---\nTekst.\n") == [
        f"stories/hendrika-verborgen.md:2:1: error: file name 'hendrika-verborgen.md' {CONSENT}; "
        "rename the file or set 'slug:'",
        "1 error; a build would publish nothing (0 valid stories, 0 drafts)",
    ]


def test_a_hidden_name_in_region_texts_is_refused(site: SiteDir) -> None:
    site.region("achterhoek", secret=SECRET)
    site.write(
        "regions/twente.yml",
        "name: Twente\nprovinces: [Overijssel]\n"
        f"horizon: Samen met {SECRET}.\n"
        f"description: |\n  Over de regio.\n\n  Met dank aan {SECRET}.\n"
        "participants:\n"
        f"  - id: twente-open\n    name: Jan Open\n    role: gemeente\n    public: true\n"
        f"    organisation: Bureau {SECRET}\n    opgave: Werken met {SECRET}.\n"
        # A participant without consent: their own entry is never published, so it may hold anything.
        f"  - id: twente-stil\n    name: Piet Stil\n    role: boer\n"
        f"    organisation: Boerderij {SECRET}\n    opgave: Samen met {SECRET} boeren.\n",
    )
    assert site.check().lines == [
        f"regions/twente.yml:3:10: error: horizon: {CONSENT}",
        f"regions/twente.yml:7:16: error: description: {CONSENT}",  # in the block, where it stands
        f"regions/twente.yml:13:19: error: participants[0].organisation: {CONSENT}",
        f"regions/twente.yml:14:13: error: participants[0].opgave: {CONSENT}",
        "4 errors; a build would publish nothing (0 valid stories, 0 drafts)",
    ]


def test_a_hidden_name_in_a_tag_of_a_region_description_is_refused_where_it_stands(site: SiteDir) -> None:
    """A description's raw HTML is shown as written, its attributes too (found by attacking the
    description: `check` read it as a page's markup and passed it; the build's scan stopped it)."""
    site.region("achterhoek", secret=SECRET)
    site.write(
        "regions/twente.yml",
        f'name: Twente\nprovinces: [Overijssel]\nhorizon: Een regio.\ndescription: |\n  Met <span title="{SECRET}">x</span>.\n',
    )
    assert site.check().lines == [
        f"regions/twente.yml:5:20: error: description: {CONSENT}",
        "regions/twente.yml:5:7: warning: description: HTML is shown as text here, as it is written; "
        "write Markdown instead: **bold**, *italic*, [text](https://example.org)",
        "1 error; a build would publish nothing (0 valid stories, 0 drafts)",
    ]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"mkdocs.yml": f"site_description: Met dank aan {SECRET}\n"}, f"mkdocs.yml:9:32: error: {CONSENT}"),
        (
            {"mkdocs.yml": "", "gedeeld/basis.yml": f"copyright: {SECRET}\n"},
            f"gedeeld/basis.yml:1:12: error: {CONSENT}",
        ),
        # Columns counted after a byte order mark, as an editor counts them.
        (
            {"mkdocs.yml": "", "gedeeld/basis.yml": f"\ufeffcopyright: {SECRET}\n"},
            f"gedeeld/basis.yml:1:12: error: {CONSENT}",
        ),
        # YAML makes the name from an escape: the text as written does not show it.
        (
            {"mkdocs.yml": 'site_description: "Met dank aan H\\x65ndrika V\\x65rborgen"\n'},
            f"mkdocs.yml:9:19: error: {CONSENT}",
        ),
        (
            {
                "mkdocs.yml": "",
                # Relative to mkdocs.yml, not to the file that says it, as MkDocs has it.
                "gedeeld/basis.yml": "theme:\n  custom_dir: thema\n",
                "thema/main.html": '{% extends "base.html" %}\n{% block footer %}Met ' + SECRET + "{% endblock %}\n",
            },
            f"thema/main.html:2:23: error: {CONSENT}",
        ),
        (
            {
                "mkdocs.yml": "",
                "gedeeld/basis.yml": "theme:\n  custom_dir: eigen\n",
                "eigen/js/extra.js": f"// {SECRET}\n",
            },
            f"eigen/js/extra.js:1:4: error: {CONSENT}",
        ),
        (
            {
                "mkdocs.yml": "",
                "gedeeld/basis.yml": "theme:\n  custom_dir: eigen\n",
                "eigen/js/kaart.mjs": f"//{SECRET}",
            },
            f"eigen/js/kaart.mjs:1:3: error: {CONSENT}",
        ),
        (
            {
                "mkdocs.yml": "",
                "gedeeld/basis.yml": "theme:\n  custom_dir: eigen\n",
                "eigen/img/hendrika-verborgen.svg": "",
            },
            f"eigen/img/hendrika-verborgen.svg:1:1: error: file name 'hendrika-verborgen.svg' {CONSENT}; rename it",
        ),
        (
            {
                "mkdocs.yml": "",
                "gedeeld/basis.yml": "theme:\n  custom_dir: eigen\n",
                "eigen/img/team.svg": "<svg><text>" + SECRET.replace(" V", " V<tspan>") + "</tspan></text></svg>\n",
            },
            f"eigen/img/team.svg:1:12: error: {CONSENT}",
        ),
        (
            {"mkdocs.yml": "site_description: !ENV [BESCHRIJVING, Over de regio]\n"},
            f"mkdocs.yml:9:19: error: {CONSENT}",
        ),
    ],
    ids=[
        "own",
        "inherited",
        "after-a-byte-order-mark",
        "escaped",
        "theme-template",
        "theme-file",
        "theme-file-of-any-type",
        "theme-file-name",
        "theme-svg-text-runs",
        "from-the-environment",
    ],
)
def test_a_hidden_name_in_the_site_s_configuration_or_theme_is_refused_by_check_and_build(
    site: SiteDir,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    files: dict[str, str],
    expected: str,
) -> None:
    # The site's name, description and copyright line are on every page.
    monkeypatch.setenv("BESCHRIJVING", f"Met dank aan {SECRET}")
    site.region("achterhoek", secret=SECRET)
    site.story("eerste", "achterhoek")
    if "gedeeld/basis.yml" in files:
        files = {**files, "mkdocs.yml": files["mkdocs.yml"] + "INHERIT: gedeeld/basis.yml\n"}
    for rel, text in files.items():
        site.write(rel, ((site.root / rel).read_text("utf-8") if rel == "mkdocs.yml" else "") + text)
    assert site.check().lines == [expected, "1 error; a build would publish nothing (1 valid story, 0 drafts)"]
    with pytest.raises(Abort):
        site.build()
    assert f"regioverhalen: {expected}" in [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert not (site.root / "site").exists()


@pytest.mark.parametrize(
    ("rel", "data", "expected"),
    [
        ("docs/lijst.txt", f"Deelnemers: {SECRET}\n".encode("utf-16"), "docs/lijst.txt:1:13"),  # byte order mark
        # Published as written: a comment, and an attribute, are in the page's source.
        ("docs/over.md", f"# Over\n\n<!-- met dank aan {SECRET} -->\n".encode(), "docs/over.md:3:19"),
        ("docs/kaart.html", f'<img src="k.png" alt="{SECRET}">\n'.encode(), "docs/kaart.html:1:23"),
    ],
    ids=["utf-16", "html-comment", "attribute"],
)
def test_a_hidden_name_in_a_published_file_is_found_as_a_browser_reads_the_file(
    site: SiteDir, rel: str, data: bytes, expected: str
) -> None:
    site.region("achterhoek", secret=SECRET)
    site.write_bytes(rel, data)
    assert site.check().lines == [
        f"{expected}: error: {CONSENT}",
        "1 error; a build would publish nothing (0 valid stories, 0 drafts)",
    ]


def test_a_hidden_name_in_a_pdf_is_found_in_its_text_by_check_and_build(
    site: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    # A PDF keeps its text compressed: its bytes do not show the name.
    site.region("achterhoek", secret=SECRET)
    site.write_bytes("docs/verslag.pdf", pdf_with_text("Verslag van de bijeenkomst", f"Met dank aan {SECRET}"))
    expected = f"docs/verslag.pdf:1:1: error: {CONSENT}; on page 2 of the PDF"
    assert site.check().lines == [expected, "1 error; a build would publish nothing (0 valid stories, 0 drafts)"]
    with pytest.raises(Abort):
        site.build()
    assert f"regioverhalen: {expected}" in [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (pdf_with_text("Verslag", locked=True), "locked with a password"),
        # A small file can hold pages whose text takes minutes to read.
        (pdf_with_text("Verslag " * 1_000_001), "more page content than can be read"),
    ],
    ids=["locked", "too-much-to-read"],
)
def test_a_pdf_whose_text_cannot_be_read_is_refused(site: SiteDir, data: bytes, why: str) -> None:
    site.region("achterhoek", secret=SECRET)
    site.write_bytes("docs/verslag.pdf", data)
    assert site.check().lines == [
        f"docs/verslag.pdf:1:1: error: the PDF's text cannot be read ({why}), so it cannot be "
        "checked for names; save it again without a password",
        "1 error; a build would publish nothing (0 valid stories, 0 drafts)",
    ]


@pytest.mark.parametrize(
    ("rel", "data", "expected"),
    [
        # A viewer finds the header in a file's first kilobyte.
        (
            "docs/verslag.pdf",
            b"\n\n   " + pdf_with_text(f"Met dank aan {SECRET}"),
            f"docs/verslag.pdf:1:1: error: {CONSENT}; on page 1 of the PDF",
        ),
        # Read as the page it is, whatever it starts with.
        (
            "docs/x.html",
            b"%PDF-1.4\n<p>Met dank aan " + SECRET.encode() + b"</p>\n",
            f"docs/x.html:2:17: error: {CONSENT}",
        ),
        (
            "docs/verslag_hendrika_verborgen.txt",
            b"Verslag\n",
            f"docs/verslag_hendrika_verborgen.txt:1:1: error: file name 'verslag_hendrika_verborgen.txt' {CONSENT}; "
            "rename it",
        ),
        (
            "docs/over.md",
            f"# Over\n\nVolg #2024{SECRET.replace(' ', '')} voor nieuws.\n".encode(),
            f"docs/over.md:3:11: error: {CONSENT}",
        ),
        # Once, though the name is both text and markup.
        (
            "docs/over.md",
            b"# Over\n\nMet dank aan Hendrika <em>Verborgen</em>.\n",
            f"docs/over.md:3:14: error: {CONSENT}",
        ),
    ],
    ids=["bytes-before-the-header", "html-that-starts-as-a-pdf", "underscores-before", "digits-before", "once"],
)
def test_a_hidden_name_is_found_however_a_published_file_starts(
    site: SiteDir, rel: str, data: bytes, expected: str
) -> None:
    site.region("achterhoek", secret=SECRET)
    site.write_bytes(rel, data)
    assert site.check().lines == [expected, "1 error; a build would publish nothing (0 valid stories, 0 drafts)"]


def test_a_pipe_in_the_theme_s_folder_holds_nothing_up(site: SiteDir) -> None:
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("theme:\n", "theme:\n  custom_dir: eigen\n", 1), "utf-8")
    (site.root / "eigen").mkdir()
    os.mkfifo(site.root / "eigen" / "pijp.txt")
    site.region("achterhoek", secret=SECRET)
    done = subprocess.run(
        [sys.executable, "-m", "regioverhalen.cli", "check"], cwd=site.root, capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stdout) == (0, "0 stories published, 0 drafts held back, 0 errors\n")


def test_a_name_made_by_an_escape_is_told_beside_the_same_name_written_out(site: SiteDir) -> None:
    site.region("achterhoek", secret=SECRET)
    site.story("eerste", "achterhoek")
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + f'extra: {{a: "H\\x65ndrika V\\x65rborgen", b: {SECRET}}}\n', "utf-8")
    assert site.check().lines == [
        f"mkdocs.yml:9:12: error: {CONSENT}",
        f"mkdocs.yml:9:43: error: {CONSENT}",
        "2 errors; a build would publish nothing (1 valid story, 0 drafts)",
    ]


def test_the_site_s_theme_is_read_where_mkdocs_finds_it_when_built_from_another_folder(
    site: SiteDir, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # MkDocs joins custom_dir to the folder of mkdocs.yml as it was given: here, relative.
    site.region("achterhoek", secret=SECRET)
    site.story("eerste", "achterhoek")
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("theme:\n", "theme:\n  custom_dir: eigen\n", 1), "utf-8")
    site.write("eigen/main.html", '{% extends "base.html" %}\n{% block footer %}' + SECRET + "{% endblock %}\n")
    monkeypatch.chdir(site.root.parent)
    with pytest.raises(Abort), open(f"{site.root.name}/mkdocs.yml", "rb") as given:  # as `mkdocs build -f` opens it
        build(load_config(config_file=given))
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert f"regioverhalen: eigen/main.html:2:19: error: {CONSENT}" in errors


def test_a_public_name_may_appear_anywhere(site: SiteDir) -> None:
    site.region("achterhoek", secret=SECRET)
    site.write(
        "stories/x.md",
        STORY.replace("title: Verhaal", "title: Het verhaal van Open Ambtenaar Achterhoek") + "---\n"
        "Open Ambtenaar Achterhoek vertelt. Iets bleef verborgen; een boer uit de Achterhoek vertelt ook.\n",
    )
    assert site.check().lines == ["1 story published, 0 drafts held back, 0 errors"]


def test_a_hidden_name_on_a_hand_written_page_stops_the_build(site: SiteDir, caplog: pytest.LogCaptureFixture) -> None:
    site.region("achterhoek", secret=SECRET)
    site.story("eerste", "achterhoek")
    site.write("docs/over.md", "---\ntitle: Over ons\n---\n# Over ons\n\nMet dank aan Hendrika\nVerborgen.\n")
    with pytest.raises(Abort):
        site.build()
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert f"regioverhalen: docs/over.md:6:14: error: {CONSENT}" in errors
    assert not (site.root / "site").exists()


# --- The real sample site -----------------------------------------------------------------------------


def _names(regions: Path) -> tuple[list[str], list[str]]:
    """(names without consent, names with consent), read with plain YAML, not with the package."""
    hidden, public = [], []
    for file in sorted(regions.glob("*.yml")):
        for participant in yaml.safe_load(file.read_text(encoding="utf-8")).get("participants") or []:
            (public if participant.get("public") is True else hidden).append(participant["name"])
    return hidden, public


def _pattern(name: str) -> re.Pattern[str]:
    """A name as whole words, any case, any spacing, hyphens or underscores between its parts."""
    words = re.findall(r"\w+", unicodedata.normalize("NFC", name))
    return re.compile(r"(?<!\w)" + r"[\s\-_]+".join(map(re.escape, words)) + r"(?!\w)", re.IGNORECASE)


def _readings(path: Path) -> list[str]:
    """Every way a reader or a crawler could read a file: as stored, decompressed, HTML entities
    and URL escapes decoded, JSON decoded."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":  # Pagefind's fragments and indexes, sitemap.xml.gz
        data = gzip.decompress(data)
    text = unicodedata.normalize("NFC", data.decode("utf-8", errors="replace"))
    readings = [text, html.unescape(text), urllib.parse.unquote(text)]
    if path.suffix in (".json", ".pf_fragment"):
        with contextlib.suppress(ValueError):  # a Pagefind fragment is JSON after a short signature
            readings.append(json.dumps(json.loads(text[text.index("{") :]), ensure_ascii=False))
    return readings


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample site, built (strict) once per session and shared: only read here."""
    return build_sample_site(tmp_path_factory)


def test_no_file_of_the_sample_site_holds_a_name_without_consent(sample_site: Path) -> None:
    hidden, public = _names(sample_site / "regions")
    assert hidden, "the sample site should have participants without consent"
    site = sample_site / "site"
    files = sorted(p for p in site.rglob("*") if p.is_file())
    kinds = {p.relative_to(site).as_posix() for p in files}
    for expected in (
        "index.html",
        "feed.xml",
        "data/stories.json",
        "data/regions.json",
        "sitemap.xml",
        "sitemap.xml.gz",
    ):
        assert expected in kinds
    fragments = [p for p in files if p.suffix == ".pf_fragment"]
    assert fragments, "the search index should have been built"
    for path in files:
        for reading in _readings(path):
            lowered = reading.lower()
            for name in hidden:
                # A quick look for the last word first (Material's own scripts are megabytes).
                if re.findall(r"\w+", unicodedata.normalize("NFC", name).lower())[-1] in lowered:
                    leak = _pattern(name).search(reading)
                    assert leak is None, f"{leak.group()!r} leaked into {path.relative_to(site)}"
    # The search is not blind: names with consent are found, in pages and in the search index.
    any_public = re.compile("|".join(_pattern(name).pattern for name in public), re.IGNORECASE)
    assert any(any_public.search(_readings(p)[1]) for p in files if p.suffix == ".html")
    assert any(any_public.search(_readings(p)[0]) for p in fragments)


def test_the_sample_site_checks_clean(sample_site: Path) -> None:
    """Nothing in the sample content is left for the build-time gates to catch."""
    content = load_content(read_settings(sample_site / "mkdocs.yml").paths)
    assert [str(p) for p in content.problems] == []
    assert content.stories


def test_a_name_in_a_glossary_kept_in_docs_is_told_once(site: SiteDir) -> None:
    site.region("achterhoek", secret=SECRET)
    config = site.root / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace(
            "  - regioverhalen\n", "  - regioverhalen:\n      glossary: docs/begrippen.yml\n"
        ),
        "utf-8",
    )
    site.write("docs/begrippen.yml", f"- term: erf\n  explanation: De grond rond de boerderij van {SECRET}.\n")
    assert site.check().lines == [
        f"docs/begrippen.yml:2:47: error: {CONSENT}",
        "1 error; a build would publish nothing (0 valid stories, 0 drafts)",
    ]
