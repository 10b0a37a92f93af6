"""Every kind of content mistake, reported by `regioverhalen check` at its exact path:line:col."""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import STORY, CliResult, SiteDir, check_summary

NO_COLON = "invalid YAML: no ':' after the key on this line; write 'key: value', with a space after the colon"


def assert_only(result: CliResult, message: str, published: int = 1) -> None:
    """`message` is the one problem reported, followed by the summary, and check fails."""
    assert result.lines == [
        message,
        check_summary(1, published),
    ]
    assert result.code == 1


def _valid(site: SiteDir) -> None:
    site.region("achterhoek")
    site.story("eerste", "achterhoek")


def test_clean_content_passes(site: SiteDir) -> None:
    _valid(site)
    result = site.check()
    assert result.lines == ["1 story published, 0 drafts held back, 0 errors"]
    assert result.code == 0


def test_yaml_syntax_error(site: SiteDir) -> None:
    _valid(site)
    site.write("stories/achterhoek/kapot.md", "---\ntitle: [Open lijst\ndate: 2023-05-01\n---\nTekst\n")
    assert_only(
        site.check(),
        "stories/achterhoek/kapot.md:2:8: error: invalid YAML: the list that starts here with '[' is not closed; "
        "end it with ']'",
    )


@pytest.mark.parametrize(
    ("line", "position"),
    [
        ("region achterhoek", "4:1"),  # no colon
        ("region:achterhoek", "4:1"),  # no space after it
        ("region:\u00a0achterhoek", "4:1"),  # a non-breaking space after it (Option-space on a Mac)
    ],
    ids=["no-colon", "no-space", "non-breaking-space"],
)
def test_a_key_without_its_colon_is_reported_on_its_own_line(site: SiteDir, line: str, position: str) -> None:
    # PyYAML notices it only on the next line.
    _valid(site)
    site.write("stories/achterhoek/kapot.md", f"---\ntitle: x\ndate: 2023-05-01\n{line}\nsummary: Kort.\n---\nTekst\n")
    assert_only(
        site.check(),
        f"stories/achterhoek/kapot.md:{position}: error: {NO_COLON}",
    )


def test_a_nested_key_without_its_colon_is_reported_where_it_stands(site: SiteDir) -> None:
    _valid(site)
    text = "---\ntitle: x\nbreakthrough:\n  title: Iets\n  status aanwijsbaar\n  date: 2023-05-01\n---\nTekst\n"
    site.write("stories/achterhoek/kapot.md", text)
    assert_only(
        site.check(),
        f"stories/achterhoek/kapot.md:5:3: error: {NO_COLON}",
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "summary: Voorbeeld: een kort verhaal. # noot",
            "3:10: error: invalid YAML: a colon and a space in the text of 'summary' make YAML read 'Voorbeeld' "
            'as a key; put the whole text in quotes: summary: "Voorbeeld: een kort verhaal."',
        ),
        (
            'lessons:\n  - level: opgave\n    text: Let op: "vroeg" beginnen',
            "5:11: error: invalid YAML: a colon and a space in the text of 'text' make YAML read 'Let op' as a key; "
            "put the whole text in quotes: text: 'Let op: \"vroeg\" beginnen'",
        ),
    ],
    ids=["value", "in a list"],
)
def test_a_colon_in_a_text_without_quotes_is_told_how_to_quote_it(site: SiteDir, line: str, message: str) -> None:
    _valid(site)
    site.write("stories/achterhoek/kapot.md", f"---\ntitle: x\n{line}\n---\nTekst\n")
    assert_only(site.check(), f"stories/achterhoek/kapot.md:{message}")


def test_a_region_file_that_cannot_be_read_is_its_one_error(site: SiteDir) -> None:
    """Its participants cannot be known, so its stories are not told that they are unknown."""
    _valid(site)
    site.write("regions/achterhoek.yml", "name: Gerrit: Wansink\nprovinces: [Gelderland]\n")
    assert_only(
        site.check(),
        "regions/achterhoek.yml:1:7: error: invalid YAML: a colon and a space in the text of 'name' make YAML read "
        "'Gerrit' as a key; put the whole text in quotes: name: \"Gerrit: Wansink\"",
    )


def test_participants_unknown_elsewhere_are_reported_as_maybe_in_an_unreadable_region(site: SiteDir) -> None:
    _valid(site)
    site.region("de-peel")
    site.write("regions/achterhoek.yml", "name: Gerrit: Wansink\nprovinces: [Gelderland]\n")
    site.write(
        "stories/de-peel/peel.md",
        STORY.format(title="Peel", date="2023-05-01", region="de-peel").replace(
            "[de-peel-boer, de-peel-gemeente]", "[de-peel-boer, de-peel-smid]"
        ),
    )
    assert site.check().lines == [
        "regions/achterhoek.yml:1:7: error: invalid YAML: a colon and a space in the text of 'name' make YAML read "
        "'Gerrit' as a key; put the whole text in quotes: name: \"Gerrit: Wansink\"",
        "stories/de-peel/peel.md:5:30: error: participants[1]: unknown participant 'de-peel-smid', "
        "unless it is in regions/achterhoek.yml, which could not be read",
        "2 errors; a build would publish nothing (1 valid story, 0 drafts)",
    ]


def test_a_region_file_with_an_invalid_name_is_its_one_error(site: SiteDir) -> None:
    """Its stories name the id the file was meant to have: the file name is what to fix."""
    _valid(site)
    (site.root / "regions/achterhoek.yml").rename(site.root / "regions/Achterhoek.yml")
    assert_only(
        site.check(),
        "regions/Achterhoek.yml:1:1: error: file name 'Achterhoek.yml' is not a valid region id: use lowercase "
        "letters, digits and hyphens, like 'noordoost-twente.yml'",
    )


def test_an_unknown_region_is_never_told_to_be_a_region_file_with_an_invalid_name(site: SiteDir) -> None:
    _valid(site)
    site.region("de-peel")
    (site.root / "regions/de-peel.yml").rename(site.root / "regions/De-Peel.yml")
    site.story("elders", "achterhoek").write_text(
        (site.root / "stories/achterhoek/elders.md").read_text().replace("region: achterhoek", "region: de-pel")
    )
    assert site.check().lines == [
        "regions/De-Peel.yml:1:1: error: file name 'De-Peel.yml' is not a valid region id: use lowercase letters, "
        "digits and hyphens, like 'noordoost-twente.yml'",
        "stories/achterhoek/elders.md:4:9: error: region: unknown region 'de-pel'",  # not 'De-Peel', an invalid id
        "2 errors; a build would publish nothing (1 valid story, 0 drafts)",
    ]


@pytest.mark.parametrize(("value", "found"), [("[a, b]", "a list"), ("{a: 1}", "a mapping")])
def test_a_region_that_is_not_text_is_reported_beside_an_unreadable_region(
    site: SiteDir, value: str, found: str
) -> None:
    """A list or mapping cannot be looked up among the region ids: it is reported, never a crash."""
    _valid(site)
    site.write("regions/de-peel.yml", "name: Peel: Oost\n")
    site.write(
        "stories/achterhoek/eerste.md",
        f"---\ntitle: T\ndate: 2023-05-01\nregion: {value}\nparticipants: [achterhoek-boer]\nsummary: K.\n---\nTekst\n",
    )
    assert site.check().lines == [
        "regions/de-peel.yml:1:7: error: invalid YAML: a colon and a space in the text of 'name' make YAML read "
        "'Peel' as a key; put the whole text in quotes: name: \"Peel: Oost\"",
        f"stories/achterhoek/eerste.md:4:9: error: region: expected text, found {found}",
        "2 errors; a build would publish nothing (0 valid stories, 0 drafts)",
    ]


def test_check_leaves_the_collector_as_it_found_it(site: SiteDir) -> None:
    """Only the command's own process runs without it (`cli.run`), not a caller of `main`."""
    _valid(site)
    assert gc.isenabled()
    site.check()
    assert gc.isenabled()


@pytest.mark.parametrize("report_format", ["text", "json"])
def test_a_lone_surrogate_in_a_value_is_told_by_its_code(site: SiteDir, report_format: str) -> None:
    """YAML's "\\ud800" makes a character no output encoding takes: the report names its code."""
    _valid(site)
    story = site.root / "stories/achterhoek/eerste.md"
    story.write_text(story.read_text(encoding="utf-8").replace("title: Verhaal eerste", 'title: "\\ud800 x"'))
    result = site.check("--format", report_format)
    assert result.code == 1
    message = "this text holds the character U+D800, written as an escape, which no page can show; remove it"
    if report_format == "json":
        assert json.loads(result.out)["errors"][0]["message"] == message
    else:
        assert result.lines[0] == f"stories/achterhoek/eerste.md:2:8: error: {message}"


def test_tab_indentation_gets_a_hint(site: SiteDir) -> None:
    _valid(site)
    site.write("stories/achterhoek/tab.md", "---\ntitle: x\nlessons:\n\t- level: opgave\n---\n")
    assert_only(
        site.check(),
        (
            "stories/achterhoek/tab.md:4:1: error: invalid YAML: found character '\\t' that cannot start any token; "
            "indent with spaces, not tabs"
        ),
    )


def test_story_without_front_matter(site: SiteDir) -> None:
    _valid(site)
    site.write("stories/achterhoek/kaal.md", "# Alleen tekst\n")
    assert_only(
        site.check(),
        (
            "stories/achterhoek/kaal.md:1:1: error: story has no front matter; "
            "start the file with a '---' line, then the keys, then '---'"
        ),
    )


def test_front_matter_never_closed(site: SiteDir) -> None:
    _valid(site)
    site.write("stories/achterhoek/open.md", "---\ntitle: x\n")
    assert_only(
        site.check(),
        ("stories/achterhoek/open.md:1:1: error: front matter is not closed; add a '---' line after the last key"),
    )


UNCLOSED_FRONT_MATTER = "---\ntitle: x\ndate: 2023-05-01\nregion: achterhoek\nsummary: Kort.\n\n{text}"


@pytest.mark.parametrize(
    "text",
    [
        "## De uitdaging\n\nBoeren keken naar hun grond.\n\n---\n\n## De aanpak\n\nSamen meten.\n",
        '!!! note "Voorbeeld"\n    Verzonnen.\n\n## De uitdaging\n\nBoeren keken.\n\n---\n\nMeer.\n',
        '"Wij zijn er klaar voor", zegt ze: echt.\n\n## De uitdaging\nBoeren: keken: mee.\n\n---\n\nMeer.\n',
        "- een punt\n- nog een\n\n## De uitdaging\n\nBoeren keken.\n\n---\n\nMeer.\n",
        # Plain sentences and no subheading, as the guide advises a story to begin.
        "Op een zaterdag in oktober groeven twaalf boeren een kuil.\n\n---\n",
    ],
    ids=["heading-first", "admonition-first", "quotation-first", "list-first", "sentences-only"],
)
def test_front_matter_closed_only_by_a_rule_in_the_text_is_reported_where_the_text_begins(
    site: SiteDir, text: str
) -> None:
    """Without the '---' after the keys, a horizontal rule in the text closes the front matter,
    and YAML fails somewhere in the text: what is wrong is the missing line, before the text."""
    _valid(site)
    site.write("stories/achterhoek/open.md", UNCLOSED_FRONT_MATTER.format(text=text))
    assert_only(
        site.check(),
        "stories/achterhoek/open.md:7:1: error: front matter is not closed; add a '---' line after the last key, "
        "before the story's text",
    )


@pytest.mark.parametrize(
    ("front_matter", "told"),
    [
        # A key without its ':', in English or Dutch, even as a line of words.
        (
            "title: x\ndate: 2023-05-01\nregion: achterhoek\n\nsamenvatting Een korte tekst over het erf.\n",
            "6:1: error: invalid YAML: no ':' after the key on this line; write 'key: value', with a space after "
            "the colon",
        ),
        (
            "title: x\nsummary: Kort.\n\n# Thema's\nthemes: [samenwerking, bodem\n",
            "6:9: error: invalid YAML: the list that starts here with '[' is not closed; end it with ']'",
        ),
    ],
    ids=["key-without-its-colon", "yaml-comment"],
)
def test_a_mistake_after_a_blank_line_in_the_front_matter_is_not_taken_for_the_story_text(
    site: SiteDir, front_matter: str, told: str
) -> None:
    _valid(site)
    site.write("stories/achterhoek/kapot.md", f"---\n{front_matter}---\n\n## Kop\n\nTekst.\n")
    assert_only(site.check(), f"stories/achterhoek/kapot.md:{told}")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('[samenwerking,\n  "bodem" water]', "4:11: error: invalid YAML: expected ',' or ']', but got '<scalar>' "),
        ('{lat: 51.97,\n  "lon": 6.55 "x": 1}', "4:18: error: invalid YAML: expected ',' or '}', but got ':' "),
    ],
    ids=["list", "mapping"],
)
def test_a_comma_missing_in_a_list_or_mapping_over_two_lines_is_reported_where_it_is(
    site: SiteDir, value: str, message: str
) -> None:
    """Closed on the line where PyYAML stopped: not 'never closed', but a comma missing there."""
    _valid(site)
    site.write("stories/achterhoek/kapot.md", f"---\ntitle: x\nextra: {value}\n---\nTekst\n")
    context = "(while parsing a flow sequence)" if value.startswith("[") else "(while parsing a flow mapping)"
    assert_only(site.check(), f"stories/achterhoek/kapot.md:{message}{context}")


def test_an_unclosed_list_is_reported_at_its_bracket_whatever_the_next_line_holds(site: SiteDir) -> None:
    _valid(site)
    site.write("stories/achterhoek/kapot.md", '---\ntitle: x\nthemes: [water, klimaat\nsummary: "zie [1] hier"\n---\n')
    assert_only(
        site.check(),
        "stories/achterhoek/kapot.md:3:9: error: invalid YAML: the list that starts here with '[' is not closed; "
        "end it with ']'",
    )


@pytest.mark.parametrize("comment", ["# opmerking", "## opmerking"])
def test_a_yaml_mistake_after_a_comment_between_blank_lines_is_still_itself(site: SiteDir, comment: str) -> None:
    """The lines after the blank line read as YAML (a key): front matter, not a story's text."""
    _valid(site)
    site.write("stories/achterhoek/kapot.md", f"---\ntitle: x\n\n{comment}\n\nregion: [a\n---\n\n## Kop\n\nTekst.\n")
    assert_only(
        site.check(),
        "stories/achterhoek/kapot.md:6:9: error: invalid YAML: the list that starts here with '[' is not closed; "
        "end it with ']'",
    )


def test_a_yaml_mistake_after_a_blank_line_in_front_matter_is_still_itself(site: SiteDir) -> None:
    _valid(site)
    site.write("stories/achterhoek/kapot.md", "---\ntitle: x\n\nregion achterhoek\n---\n\n## Kop\n\nTekst.\n")
    assert_only(
        site.check(),
        f"stories/achterhoek/kapot.md:4:1: error: {NO_COLON}",
    )


def test_empty_file(site: SiteDir) -> None:
    _valid(site)
    site.write("stories/achterhoek/leeg.md", "")
    assert_only(
        site.check(),
        ("stories/achterhoek/leeg.md:1:1: error: file is empty; a story starts with front matter between '---' lines"),
    )


def test_file_not_utf8(site: SiteDir) -> None:
    _valid(site)
    site.write_bytes("stories/achterhoek/latin1.md", "---\ntitle: Caf\xe9\n---\n".encode("latin-1"))
    assert_only(
        site.check(),
        (
            "stories/achterhoek/latin1.md:2:11: error: file is not UTF-8: byte 0xe9 cannot be read; save the file as UTF-8"
        ),
    )


def test_missing_required_key(site: SiteDir) -> None:
    _valid(site)
    path = site.story("zonder", "achterhoek")
    path.write_text(path.read_text().replace("summary: Een korte samenvatting van Verhaal zonder.\n", ""))
    assert_only(
        site.check(),
        "stories/achterhoek/zonder.md:2:1: error: missing required key 'summary'; "
        "add one or two sentences (at most 300 characters) that tell what the story is about; they are shown on "
        "index pages, in feeds and in search results, like 'summary: Twaalf boeren spraken af hun bodem samen te verbeteren.'",
    )


def test_missing_nested_key_points_at_its_mapping(site: SiteDir) -> None:
    _valid(site)
    site.story("doorbraak", "achterhoek", extra="breakthrough:\n  title: Eerste afspraak\n  status: aanwijsbaar\n")
    assert_only(
        site.check(), ("stories/achterhoek/doorbraak.md:9:3: error: missing required key 'date' in breakthrough")
    )


def test_unknown_key_with_did_you_mean(site: SiteDir) -> None:
    _valid(site)
    site.story("typo", "achterhoek", extra="regoin: achterhoek")
    assert_only(site.check(), "stories/achterhoek/typo.md:8:1: error: unknown key 'regoin'; did you mean 'region'?")


def test_unknown_nested_key(site: SiteDir) -> None:
    _valid(site)
    site.story(
        "nested",
        "achterhoek",
        extra="breakthrough:\n  title: Afspraak\n  date: 2023-01-01\n  status: aanwijsbaar\n  plaats: Winterswijk\n",
    )
    assert_only(
        site.check(),
        ("stories/achterhoek/nested.md:12:3: error: unknown key 'plaats'; did you mean 'place'? (keys are in English)"),
    )


def test_wrong_type(site: SiteDir) -> None:
    _valid(site)
    site.story("lijst", "achterhoek", extra="draft: misschien")
    assert_only(
        site.check(), "stories/achterhoek/lijst.md:8:8: error: draft: expected true or false, found 'misschien'"
    )


def test_invalid_date(site: SiteDir) -> None:
    _valid(site)
    site.story("datum", "achterhoek", date="2023-02-30")
    assert_only(
        site.check(),
        ("stories/achterhoek/datum.md:3:7: error: invalid date '2023-02-30': day is out of range for month"),
    )


def test_date_in_wrong_format(site: SiteDir) -> None:
    _valid(site)
    site.story("datum", "achterhoek", date="12-05-2023")
    assert_only(
        site.check(),
        ("stories/achterhoek/datum.md:3:7: error: date: expected a date like 2023-05-12, found '12-05-2023'"),
    )


@pytest.mark.parametrize("quoted", ['"2023-05-12"', "'2023-05-12'"])
def test_a_date_in_quotes_is_told_to_lose_them(site: SiteDir, quoted: str) -> None:
    _valid(site)
    site.story("datum", "achterhoek", date=quoted)
    assert_only(
        site.check(),
        "stories/achterhoek/datum.md:3:7: error: date: '2023-05-12' is in quotes, which makes it text; "
        "remove the quotes to make it a date",
    )


def test_an_impossible_date_in_quotes_is_told_why_it_is_none(site: SiteDir) -> None:
    _valid(site)
    site.story("datum", "achterhoek", date='"2023-02-30"')
    assert_only(
        site.check(),
        "stories/achterhoek/datum.md:3:7: error: date: invalid date '2023-02-30': day is out of range for month",
    )


def test_unknown_region_with_did_you_mean(site: SiteDir) -> None:
    _valid(site)
    path = site.story("regio", "achterhoek")
    path.write_text(path.read_text().replace("region: achterhoek", "region: achterhok"))
    assert_only(
        site.check(),
        ("stories/achterhoek/regio.md:4:9: error: region: unknown region 'achterhok'; did you mean 'achterhoek'?"),
    )


def test_unknown_participant_with_did_you_mean(site: SiteDir) -> None:
    _valid(site)
    path = site.story("wie", "achterhoek")
    path.write_text(path.read_text().replace("[achterhoek-boer,", "[achterhoek-boeer,"))
    assert_only(
        site.check(),
        (
            "stories/achterhoek/wie.md:5:16: error: participants[0]: unknown participant 'achterhoek-boeer'; "
            "did you mean 'achterhoek-boer'?"
        ),
    )


def test_participant_defined_twice(site: SiteDir) -> None:
    _valid(site)
    site.region("de-peel")
    path = site.root / "regions/de-peel.yml"
    path.write_text(path.read_text().replace("id: de-peel-boer", "id: achterhoek-boer"))
    assert_only(
        site.check(),
        (
            "regions/de-peel.yml:5:9: error: participant id 'achterhoek-boer' is already defined in regions/achterhoek.yml:5"
        ),
    )


def test_duplicate_slug(site: SiteDir) -> None:
    _valid(site)
    site.region("de-peel")
    site.story("andere", "de-peel", extra="slug: eerste")
    assert_only(
        site.check(),
        (
            "stories/de-peel/andere.md:8:7: error: slug 'eerste' is already used by stories/achterhoek/eerste.md; "
            "set a different 'slug:'"
        ),
    )


def test_a_slug_set_in_an_earlier_file_is_told_not_the_file_whose_name_it_takes(site: SiteDir) -> None:
    """The 'slug:' line is what clashes, wherever the files sort; the other story keeps its slug."""
    _valid(site)
    site.story("a-eerst", "achterhoek", extra="slug: eerste")
    assert_only(
        site.check(),
        "stories/achterhoek/a-eerst.md:8:7: error: slug 'eerste' is already used by stories/achterhoek/eerste.md; "
        "set a different 'slug:'",
    )


def test_a_slug_set_in_a_draft_that_sorts_first_leaves_the_published_story_its_slug(site: SiteDir) -> None:
    _valid(site)
    site.story("a-eerst", "achterhoek", extra="slug: eerste\ndraft: true")
    result = site.check()
    assert result.lines == [
        "stories/achterhoek/a-eerst.md:8:7: error: slug 'eerste' is already used by stories/achterhoek/eerste.md; "
        "set a different 'slug:'",
        "1 error; a build would publish nothing (1 valid story, 0 drafts)",
    ]


def test_summary_too_long(site: SiteDir) -> None:
    _valid(site)
    path = site.story("lang", "achterhoek")
    path.write_text(
        path.read_text().replace("summary: Een korte samenvatting van Verhaal lang.", "summary: " + "a" * 301)
    )
    assert_only(
        site.check(),
        (
            "stories/achterhoek/lang.md:6:10: error: summary: is 301 characters long; the limit is 300: "
            "keep it to one or two sentences"
        ),
    )


def test_breakthrough_status_outside_allowed_set(site: SiteDir) -> None:
    _valid(site)
    site.story("status", "achterhoek", extra="breakthrough:\n  title: Afspraak\n  date: 2023-01-01\n  status: klaar\n")
    assert_only(
        site.check(),
        (
            "stories/achterhoek/status.md:11:11: error: breakthrough.status: 'klaar' is not allowed; "
            "expected one of: aanwijsbaar, in-wording"
        ),
    )


def test_lesson_level_outside_allowed_set(site: SiteDir) -> None:
    _valid(site)
    site.story("les", "achterhoek", extra="lessons:\n  - level: individueel\n    text: Luister.\n")
    assert_only(
        site.check(),
        (
            "stories/achterhoek/les.md:9:12: error: lessons[0].level: 'individueel' is not allowed; "
            "expected one of: individu, opgave, organisatie; did you mean 'individu'?"
        ),
    )


def test_region_file_name_not_an_id(site: SiteDir) -> None:
    _valid(site)
    site.write("regions/Achter Hoek.yml", "name: X\nprovinces: [Gelderland]\nhorizon: Y\n")
    assert_only(
        site.check(),
        (
            "regions/Achter Hoek.yml:1:1: error: file name 'Achter Hoek.yml' is not a valid region id: "
            "use lowercase letters, digits and hyphens, like 'noordoost-twente.yml'"
        ),
    )


@pytest.mark.parametrize(
    ("location", "told"),
    [
        # Latitude and longitude swapped: the marker was drawn far off the map.
        (
            "{lat: 5.12, lon: 52.09}",
            [
                "regions/wouden.yml:4:17: error: location.lat: the number 5.12 is out of range (at least 50.7)",
                "regions/wouden.yml:4:28: error: location.lon: the number 52.09 is out of range (at most 7.3)",
            ],
        ),
        (
            "{lat: 48.85, lon: 2.35}",
            [
                "regions/wouden.yml:4:17: error: location.lat: the number 48.85 is out of range (at least 50.7)",
                "regions/wouden.yml:4:29: error: location.lon: the number 2.35 is out of range (at least 3.2)",
            ],
        ),
    ],
    ids=["swapped", "paris"],
)
def test_a_location_off_the_map_is_told_at_its_numbers(site: SiteDir, location: str, told: list[str]) -> None:
    _valid(site)
    site.write("regions/wouden.yml", f"name: Wouden\nprovinces: [Fryslân]\nhorizon: Y\nlocation: {location}\n")
    assert site.check().lines == [*told, check_summary(len(told), 1)]


def test_a_province_listed_twice_is_told_at_the_second(site: SiteDir) -> None:
    _valid(site)
    site.write("regions/wouden.yml", "name: Wouden\nprovinces: [Fryslân, Groningen, Fryslân]\nhorizon: Y\n")
    assert_only(
        site.check(), "regions/wouden.yml:2:33: error: province 'Fryslân' is listed twice; name each province once"
    )


def test_province_hint_for_common_spelling(site: SiteDir) -> None:
    site.write("regions/wouden.yml", "name: Wouden\nprovinces: [Friesland]\nhorizon: Y\n")
    assert_only(
        site.check(),
        (
            "regions/wouden.yml:2:13: error: provinces[0]: 'Friesland' is not allowed; expected one of: Groningen, "
            "Fryslân, Drenthe, Overijssel, Flevoland, Gelderland, Utrecht, Noord-Holland, Zuid-Holland, Zeeland, "
            "Noord-Brabant, Limburg; did you mean 'Fryslân'?"
        ),
        published=0,
    )


def test_every_problem_is_reported_at_once(site: SiteDir) -> None:
    _valid(site)
    site.write(
        "stories/achterhoek/alles.md",
        "---\ntitle: Alles mis\ndate: 2023-02-30\nregoin: x\nregion: achterhok\n"
        "participants: [onbekend]\nsummary: Kort.\n---\n<script>alert(1)</script>\n",
    )
    site.write("stories/achterhoek/leeg.md", "")
    result = site.check()
    assert result.code == 1
    assert result.lines == [
        "stories/achterhoek/alles.md:3:7: error: invalid date '2023-02-30': day is out of range for month",
        "stories/achterhoek/alles.md:4:1: error: unknown key 'regoin'; did you mean 'region'?",
        "stories/achterhoek/alles.md:5:9: error: region: unknown region 'achterhok'; did you mean 'achterhoek'?",
        "stories/achterhoek/alles.md:6:16: error: participants[0]: unknown participant 'onbekend'",
        "stories/achterhoek/alles.md:9:1: error: <script> is not allowed in a story (it could run code on the site)",
        "stories/achterhoek/leeg.md:1:1: error: file is empty; a story starts with front matter between '---' lines",
        "6 errors; a build would publish nothing (1 valid story, 0 drafts)",
    ]


def test_github_annotations(site: SiteDir) -> None:
    _valid(site)
    site.story("typo", "achterhoek", extra="regoin: achterhoek")
    result = site.check("--format", "github")
    assert result.lines == [
        "::error file=stories/achterhoek/typo.md,line=8,col=1::unknown key 'regoin'; did you mean 'region'?",
        "1 error; a build would publish nothing (1 valid story, 0 drafts)",
    ]
    assert result.code == 1


def test_json_report(site: SiteDir) -> None:
    _valid(site)
    site.story("typo", "achterhoek", extra="regoin: achterhoek")
    result = site.check("--format", "json")
    assert json.loads(result.out) == {
        "published": 1,
        "drafts": 0,
        "errors": [
            {
                "path": "stories/achterhoek/typo.md",
                "line": 8,
                "column": 1,
                "message": "unknown key 'regoin'; did you mean 'region'?",
            }
        ],
        "warnings": [],
        "language": {
            "target_reading_level": 60.0,
            "max_sentence_words": 25,
            "stories": [
                {
                    "path": "stories/achterhoek/eerste.md",
                    "words": 8,
                    "sentences": 2,
                    "reading_level": None,
                    "reading_minutes": 1,
                    "warnings": 0,
                }
            ],
        },
    }


def test_drafts_are_counted(site: SiteDir) -> None:
    _valid(site)
    site.story("concept", "achterhoek", extra="draft: true")
    assert site.check().lines == ["1 story published, 1 draft held back, 0 errors"]


def test_location_out_of_range(site: SiteDir) -> None:
    site.write(
        "regions/noord.yml", "name: Noord\nprovinces: [Groningen]\nhorizon: Y\nlocation: {lat: 153.2, lon: 6.5}\n"
    )
    assert_only(
        site.check(),
        ("regions/noord.yml:4:17: error: location.lat: the number 153.2 is out of range (at most 53.6)"),
        published=0,
    )


def test_participant_without_consent_named_in_summary(site: SiteDir) -> None:
    site.region("achterhoek", secret="Hendrika Verborgen")
    path = site.story("naam", "achterhoek")
    path.write_text(path.read_text().replace("summary: Een korte", "summary: Hendrika Verborgen vertelt een korte"))
    assert_only(
        site.check(),
        (
            "stories/achterhoek/naam.md:6:10: error: summary: names participant 'achterhoek-boer', who has not "
            "consented (public: true); describe them by role instead"
        ),
        published=0,
    )


def test_region_files_in_a_sub_folder_are_reported_not_lost(site: SiteDir) -> None:
    _valid(site)
    site.write("regions/oost/twente.yml", "name: Twente\nprovinces: [Overijssel]\nhorizon: Y\n")
    result = site.check()
    assert result.lines == [
        "regions/oost:1:1: error: files in sub-folders are not read; move them up into regions/",
        "1 error; a build would publish nothing (1 valid story, 0 drafts)",
    ]


def test_what_an_operating_system_or_editor_leaves_in_a_sub_folder_of_regions_is_no_region(site: SiteDir) -> None:
    """A Mac's resource fork, an Emacs lock or a hidden folder's file would not be read up in
    regions/ either: nothing to move up."""
    _valid(site)
    site.write("regions/oud/._achterhoek.yml", "\x00")
    site.write("regions/oud/.#achterhoek.yml", "gebruiker@machine")
    site.write("regions/oud/.git/x.yml", "")
    assert site.check().lines == [check_summary(0, published=1)]


def test_region_id_index_is_reserved(site: SiteDir) -> None:
    _valid(site)
    site.write("regions/index.yml", "name: Alles\nprovinces: [Utrecht]\nhorizon: Y\n")
    assert site.check().lines == [
        "regions/index.yml:1:1: error: 'index' is reserved for the overview page; choose another region id",
        "1 error; a build would publish nothing (1 valid story, 0 drafts)",
    ]


def test_two_spellings_of_one_theme_page_are_reported(site: SiteDir) -> None:
    site.region("achterhoek")
    first = site.story("een", "achterhoek")
    first.write_text(first.read_text().replace("themes: [bodem]", "themes: [water-beheer]"))
    second = site.story("twee", "achterhoek")
    second.write_text(second.read_text().replace("themes: [bodem]", "themes: [bodem, water beheer]"))
    assert site.check().lines == [
        "stories/achterhoek/twee.md:7:17: error: themes[1]: 'water beheer' and 'water-beheer' "
        "(stories/achterhoek/een.md) would share one page; spell them the same",
        "1 error; a build would publish nothing (1 valid story, 0 drafts)",
    ]


def test_theme_index_is_reserved(site: SiteDir) -> None:
    site.region("achterhoek")
    path = site.story("een", "achterhoek")
    path.write_text(path.read_text().replace("themes: [bodem]", "themes: [index]"))
    assert site.check().lines == [
        "stories/achterhoek/een.md:7:10: error: themes[0]: 'index' is reserved for the overview page; choose another theme",
        "1 error; a build would publish nothing (0 valid stories, 0 drafts)",
    ]


def test_an_explicit_yaml_tag_that_does_not_fit_its_value(site: SiteDir) -> None:
    """`!!int abc` and the like made PyYAML raise; now each is a problem at the value, in stories and regions."""
    _valid(site)
    site.write(
        "stories/achterhoek/tags.md",
        "---\ntitle: !!int abc\ndate: !!timestamp gisteren\nregion: achterhoek\n"
        "participants: [achterhoek-boer]\nsummary: !!bool misschien\nextra: {n: !!float 1.5x}\n---\nTekst.\n",
    )
    site.write(
        "regions/de-peel.yml",
        "name: De Peel\nprovinces: [Limburg]\nhorizon: !!float veen\n",
    )
    result = site.check()
    assert result.lines == [
        "regions/de-peel.yml:3:10: error: YAML tag '!!float' does not fit 'veen'; remove the tag or fix the value",
        "stories/achterhoek/tags.md:2:8: error: YAML tag '!!int' does not fit 'abc'; remove the tag or fix the value",
        "stories/achterhoek/tags.md:3:7: error: YAML tag '!!timestamp' does not fit 'gisteren'; "
        "remove the tag or fix the value",
        "stories/achterhoek/tags.md:6:10: error: YAML tag '!!bool' does not fit 'misschien'; "
        "remove the tag or fix the value",
        "stories/achterhoek/tags.md:7:12: error: YAML tag '!!float' does not fit '1.5x'; remove the tag or fix the value",
        "5 errors; a build would publish nothing (1 valid story, 0 drafts)",
    ]
    assert result.code == 1


def test_the_installed_command_flushes_its_report_before_its_quick_exit(site: SiteDir) -> None:
    # `regioverhalen` exits without taking the interpreter apart (cli.run): the report must be out first.
    _valid(site)
    site.write("stories/achterhoek/kapot.md", "---\ntitle: [Open lijst\ndate: 2023-05-01\n---\nTekst\n")
    command = shutil.which("regioverhalen", path=os.path.dirname(sys.executable)) or "regioverhalen"
    result = subprocess.run([command, "check"], cwd=site.root, capture_output=True, text=True, check=False)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.splitlines() == [
        "stories/achterhoek/kapot.md:2:8: error: invalid YAML: the list that starts here with '[' is not closed; "
        "end it with ']'",
        "1 error; a build would publish nothing (1 valid story, 0 drafts)",
    ]


def test_a_reader_that_goes_away_gets_no_traceback(site: SiteDir) -> None:
    _valid(site)
    command = shutil.which("regioverhalen", path=os.path.dirname(sys.executable)) or "regioverhalen"
    with subprocess.Popen([command, "check"], cwd=site.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as gone:
        assert gone.stdout is not None and gone.stderr is not None
        gone.stdout.close()  # before the report is written
        stderr = gone.stderr.read()
    assert (gone.returncode, stderr) == (1, b"")


def test_every_pattern_of_the_content_model_has_its_own_message() -> None:
    """A value that does not fit a pattern is told what fits, by the pattern it missed: a new
    pattern without a message of its own would fail here, not in an editor's check."""
    import typing

    from regioverhalen.content import model
    from regioverhalen.content.terms import PATTERN_MISMATCH

    patterns = {
        rule.pattern
        for value in vars(model).values()
        if typing.get_origin(value) is typing.Annotated
        for rule in typing.get_args(value)[1:]
        if isinstance(rule, model.Rules) and rule.pattern
    }
    assert patterns == set(PATTERN_MISMATCH)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '---\ntitle: "Van het loket\ndate: 2024-02-08\nsummary: "Kort."\n---\nTekst\n',
            '2:8: error: invalid YAML: the text in quotes that starts here has no closing ", so it runs on to the '
            "\" that opens the value of 'summary'; end this text with \"",
        ),
        (
            "---\ntitle: x\nthemes:\n  - 'water\n  - 'bodem'\n---\nTekst\n",
            "4:5: error: invalid YAML: the text in quotes that starts here has no closing ', so it runs on to the "
            "' that opens a later list item; end this text with '",
        ),
        (
            '---\ntitle: "Van het loket\n# zie "Achtergrond"\nsummary: Kort.\n---\nTekst\n',
            '2:8: error: invalid YAML: the text in quotes that starts here has no closing ", so it runs on to a '
            '" in a later comment; end this text with "',
        ),
        (  # the README's form of a lesson: a mapping in braces
            '---\ntitle: "Van het loket\nlessons:\n  - {level: opgave, text: "Begin bij de tafel."}\n---\nTekst\n',
            '2:8: error: invalid YAML: the text in quotes that starts here has no closing ", so it runs on to the '
            "\" that opens the value of 'text'; end this text with \"",
        ),
        (
            '---\ntitle: "Van het loket\nthemes: [bodem, "water en land"]\n---\nTekst\n',
            '2:8: error: invalid YAML: the text in quotes that starts here has no closing ", so it runs on to the '
            '" that opens a later list item; end this text with "',
        ),
        (  # a Dutch word's apostrophe: closing it as a quote would drop the apostrophe from the site
            "---\ntitle: 's-Heerenberg aan de grens\nsummary: 'Kort.'\n---\nTekst\n",
            "2:8: error: invalid YAML: YAML reads the ' at the start of this text as an opening quote; write the "
            'whole text in quotes like this: "\'s-Heerenberg aan de grens"',
        ),
        (  # the same, with no later quote to run on to
            "---\ntitle: x\nsummary: 's Avonds op het erf\n---\nTekst\n",
            "3:10: error: invalid YAML: YAML reads the ' at the start of this text as an opening quote; write the "
            'whole text in quotes like this: "\'s Avonds op het erf"',
        ),
        (  # two on one line: the second apostrophe closed the text
            "---\ntitle: 's Avonds en 's morgens # noot\n---\nTekst\n",
            "2:8: error: invalid YAML: YAML reads the ' at the start of this text as an opening quote; write the "
            "whole text in quotes like this: \"'s Avonds en 's morgens\"",
        ),
        (  # in a list in brackets: only the item
            "---\ntitle: x\nthemes: ['s avonds, water]\n---\nTekst\n",
            "3:10: error: invalid YAML: YAML reads the ' at the start of this text as an opening quote; write the "
            'whole text in quotes like this: "\'s avonds"',
        ),
    ],
    ids=[
        "value",
        "list item",
        "comment",
        "value in braces",
        "item in brackets",
        "apostrophe",
        "apostrophe alone",
        "two apostrophes",
        "in brackets",
    ],
)
def test_a_missing_closing_quote_is_reported_where_the_text_starts(site: SiteDir, text: str, message: str) -> None:
    """YAML reads on to the next quote, lines further, and stops only after it."""
    _valid(site)
    site.write("stories/achterhoek/kapot.md", text)
    assert_only(site.check(), f"stories/achterhoek/kapot.md:{message}")
