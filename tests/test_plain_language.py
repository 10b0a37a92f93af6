"""The plain-language check: warnings (never errors) in `check`, figures in its JSON."""

from __future__ import annotations

import json
import math

import pytest
from mkdocs.exceptions import Abort

from conftest import MKDOCS_YML, SiteDir
from regioverhalen.content.plain_language import flesch_douma, syllable_count

FORTY_WORDS = (
    "Toen de boeren uit de polder en de mensen van het waterschap na een lange winter eindelijk samen "
    "aan tafel zaten in het dorpshuis aan de dijk bleek dat zij allemaal jaren hetzelfde wilden "
    "voor het water en het land."
)

PLAIN = """\
## Wat er gebeurde

Het water in de beek was vies. De boeren wilden dat ook niet.
Ze gingen met het waterschap praten. Dat ging eerst stroef.
Toen liepen ze samen langs de beek. Ze keken waar het mis ging.
Er kwam een plan. Elke boer koos zelf wat hij deed.
Nu is het water schoner. De vissen zijn terug.

## Wat we leerden

Praat met elkaar op de plek zelf. Kijk samen naar het water.
Maak het plan klein. Begin waar het kan.
Vraag wat de ander nodig heeft. Luister goed.
Een goed gesprek kost tijd. Die tijd is het waard.
"""


def _story_with_body(site: SiteDir, slug: str, body: str) -> None:
    path = site.story(slug, "achterhoek")
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("## De uitdaging")] + body, encoding="utf-8")


def _with_options(site: SiteDir, options: str) -> None:
    site.write("mkdocs.yml", MKDOCS_YML.replace("  - regioverhalen\n", "  - regioverhalen:\n" + options))


def test_a_forty_word_sentence_is_a_warning_with_its_line(site: SiteDir) -> None:
    site.region("achterhoek")
    _story_with_body(
        site, "lang", "## Het begin\n\nEen korte zin. " + FORTY_WORDS.replace("dorpshuis ", "dorpshuis\n") + "\n"
    )
    result = site.check()
    assert result.lines == [
        "stories/achterhoek/lang.md:11:16: warning: sentence of 40 words; more than 25 is hard to follow: split it",
        "language: 1 warning in 1 story (warnings, not errors)",
        "1 story published, 0 drafts held back, 0 errors",
    ]
    assert result.code == 0


def test_an_officialese_word_is_a_warning_at_its_line_and_column(site: SiteDir) -> None:
    site.region("achterhoek")
    _story_with_body(site, "ambtelijk", "## Aanpak\n\nWe werkten samen.\nDit liep middels een `middels` plan.\n")
    result = site.check()
    assert result.lines == [
        "stories/achterhoek/ambtelijk.md:12:10: warning: 'middels' is officialese; a plainer word: met",
        "language: 1 warning in 1 story (warnings, not errors)",
        "1 story published, 0 drafts held back, 0 errors",
    ]


def test_a_plainly_written_story_gets_no_language_warning(site: SiteDir) -> None:
    site.region("achterhoek")
    _story_with_body(site, "gewoon", PLAIN)
    result = site.check()
    assert result.lines == ["1 story published, 0 drafts held back, 0 errors"]
    assert result.code == 0


def test_json_carries_the_reading_level_of_every_story(site: SiteDir) -> None:
    site.region("achterhoek")
    _story_with_body(site, "gewoon", PLAIN)
    _story_with_body(site, "lang", "Een korte zin.\n" + " ".join([FORTY_WORDS] * 3) + "\n")
    report = json.loads(site.check("--format", "json").out)
    figures = {story["path"]: story for story in report["language"]["stories"]}
    assert figures["stories/achterhoek/gewoon.md"] == {
        "path": "stories/achterhoek/gewoon.md",
        "words": 100,
        "sentences": 20,
        "reading_level": figures["stories/achterhoek/gewoon.md"]["reading_level"],
        "reading_minutes": 1,
        "warnings": 0,
    }
    assert figures["stories/achterhoek/gewoon.md"]["reading_level"] >= 80
    hard = figures["stories/achterhoek/lang.md"]
    assert (hard["words"], hard["sentences"], hard["warnings"]) == (123, 4, 3)
    assert hard["reading_level"] < figures["stories/achterhoek/gewoon.md"]["reading_level"]
    assert report["language"]["target_reading_level"] == 60.0
    assert [w["line"] for w in report["warnings"]] == [10, 10, 10]
    assert report["errors"] == []


def test_a_hard_story_is_below_the_target_level(site: SiteDir) -> None:
    site.region("achterhoek")
    hard = ("Gebiedsontwikkelingsprocessen vereisen interdisciplinaire samenwerkingsverbanden. " * 25).strip()
    _story_with_body(site, "moeilijk", hard + "\n")
    lines = site.check().lines
    words = ["gebiedsontwikkelingsprocessen", "vereisen", "interdisciplinaire", "samenwerkingsverbanden"]
    level = flesch_douma(100, 25, 25 * sum(syllable_count(w) for w in words))
    assert level < 0
    assert lines == [
        f"stories/achterhoek/moeilijk.md:9:1: warning: reading level {math.floor(level)} (Flesch-Douma) is below the target "
        "of 60: use shorter sentences and shorter words",
        "language: 1 warning in 1 story (warnings, not errors)",
        "1 story published, 0 drafts held back, 0 errors",
    ]


def test_a_level_just_below_the_target_is_not_shown_as_the_target(site: SiteDir) -> None:
    _with_options(site, "      reading_level: 90\n")
    site.region("achterhoek")
    _story_with_body(site, "bijna", "Samen zoeken wij naar een nieuwe weg voor het gebied. " * 10 + "\n")
    level = flesch_douma(
        100,
        10,
        10
        * sum(map(syllable_count, ["samen", "zoeken", "wij", "naar", "een", "nieuwe", "weg", "voor", "het", "gebied"])),
    )
    assert 89.5 <= level < 90  # shown to the nearest whole number, it would be the target itself
    assert site.check().lines == [
        "stories/achterhoek/bijna.md:9:1: warning: reading level 89 (Flesch-Douma) is below the target of 90: "
        "use shorter sentences and shorter words",
        "language: 1 warning in 1 story (warnings, not errors)",
        "1 story published, 0 drafts held back, 0 errors",
    ]


def test_limits_and_words_are_configurable(site: SiteDir) -> None:
    _with_options(site, "      max_sentence_words: 10\n      officialese:\n        samenwerken: optrekken\n")
    site.region("achterhoek")
    _story_with_body(site, "kort", "Wij gaan samenwerken met de boeren en de mensen uit het dorp.\n")
    assert site.check().lines == [
        "stories/achterhoek/kort.md:9:1: warning: sentence of 12 words; more than 10 is hard to follow: split it",
        "stories/achterhoek/kort.md:9:10: warning: 'samenwerken' is officialese; a plainer word: optrekken",
        "language: 2 warnings in 1 story (warnings, not errors)",
        "1 story published, 0 drafts held back, 0 errors",
    ]


def test_bad_language_options_are_reported(site: SiteDir) -> None:
    _with_options(site, "      reading_level: B1\n      max_sentence_words: 2\n")
    site.region("achterhoek")
    result = site.check()
    assert result.code == 2
    assert result.err.splitlines() == [
        "mkdocs.yml:9:22: error: plugins.regioverhalen.reading_level: expected a Flesch-Douma score from 0 to 120 "
        "(B1: 60), found 'B1'",
        "mkdocs.yml:10:27: error: plugins.regioverhalen.max_sentence_words: expected a whole number of at least 5, "
        "found the number 2",
    ]


def test_a_strict_build_does_not_fail_on_language_warnings(site: SiteDir) -> None:
    site.region("achterhoek")
    _story_with_body(site, "lang", FORTY_WORDS + "\n")
    assert (site.build() / "verhalen/lang/index.html").is_file()


def test_a_strict_build_fails_on_them_when_the_site_asks(site: SiteDir, caplog: pytest.LogCaptureFixture) -> None:
    _with_options(site, "      language_warnings_in_build: true\n")
    site.region("achterhoek")
    _story_with_body(site, "lang", FORTY_WORDS + "\n")
    with pytest.raises(Abort):
        site.build()
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert (
        "regioverhalen: stories/achterhoek/lang.md:9:1: sentence of 40 words; more than 25 is hard to follow: split it"
        in warnings
    )


def test_dutch_syllables_come_from_the_hyphenation_dictionary() -> None:
    assert [syllable_count(w) for w in ["boer", "opgave", "regeneratief", "stikstof", "zzp'er"]] == [1, 3, 5, 2, 2]


def test_the_language_check_can_be_turned_off(site: SiteDir) -> None:
    _with_options(site, "      language_check: false\n")
    site.region("achterhoek")
    _story_with_body(site, "lang", FORTY_WORDS + "\n")
    assert site.check().lines == ["1 story published, 0 drafts held back, 0 errors"]
    assert json.loads(site.check("--format", "json").out)["language"]["stories"] == []
