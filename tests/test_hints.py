"""Hints that point the right way: punctuation inside unquoted texts, a word processor's curly
quotes, and suggestions of `new` from the story's own region only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SiteDir

FRONT = "---\ntitle: Verhaal\ndate: 2024-05-01\nregion: achterhoek\nparticipants: [achterhoek-boer]\n"


@pytest.fixture
def achterhoek(site: SiteDir) -> SiteDir:
    site.region("achterhoek")
    site.region("de-peel")
    return site


def check_one(site: SiteDir, front_matter: str) -> list[str]:
    site.write("stories/achterhoek/verhaal.md", f"{FRONT}{front_matter}---\nTekst.\n")
    result = site.check()
    assert result.code == 1
    return result.lines


COMMA_THEN = "the comma in the text of 'text' ends it inside '{...}', so "


@pytest.mark.parametrize(
    ("first", "second", "read_as_keys"),
    [
        ("Begin bij de keukentafel, niet bij het loket.", "een, twee, drie", ["niet bij het loket.", "twee, drie"]),
        # A colon after the comma: YAML reads a key with its value, a key no record has.
        (
            "Begin bij de keukentafel, niet bij het loket: echt.",
            "een, twee drie: vier, vijf",
            ["niet bij het loket", "twee drie, vijf"],
        ),
    ],
)
def test_a_comma_in_an_unquoted_text_in_braces_says_to_quote_the_text(
    achterhoek: SiteDir, first: str, second: str, read_as_keys: list[str]
) -> None:
    lines = check_one(
        achterhoek,
        f"summary: Kort.\nlessons:\n  - {{level: opgave, text: {first}}}\n  - {{level: individu, text: {second}}}\n",
    )
    assert lines == [
        f"stories/achterhoek/verhaal.md:8:27: error: {COMMA_THEN}'{read_as_keys[0]}' was read as a key; "
        f'put the whole text in quotes: text: "{first}"',
        f"stories/achterhoek/verhaal.md:9:29: error: {COMMA_THEN}'{read_as_keys[1]}' was read as a key; "
        f'put the whole text in quotes: text: "{second}"',
        "2 errors; a build would publish nothing (0 valid stories, 0 drafts)",
    ]


def test_a_colon_in_an_unquoted_text_in_braces_says_to_quote_the_text(achterhoek: SiteDir) -> None:
    lines = check_one(achterhoek, "summary: Kort.\nlessons:\n  - {level: opgave, text: Let op: dit is lastig}\n")
    assert lines == [
        "stories/achterhoek/verhaal.md:8:27: error: invalid YAML: the ':' in the text of 'text' ends it inside "
        "'{...}'; put the whole text in quotes: text: \"Let op: dit is lastig\" "
        "(or, if 'op' starts a new key, put a comma before it)",
        "1 error; a build would publish nothing (0 valid stories, 0 drafts)",
    ]


def test_curly_quotes_say_that_only_straight_quotes_count(achterhoek: SiteDir) -> None:
    lines = check_one(achterhoek, "summary: \u201cLet op: dit is lastig\u201d\n")
    assert lines == [
        "stories/achterhoek/verhaal.md:6:10: error: invalid YAML: the text of 'summary' starts with a curly quote "
        "(\u201c), which YAML reads as a letter: only straight quotes count; "
        'write summary: "Let op: dit is lastig"',
        "1 error; a build would publish nothing (0 valid stories, 0 drafts)",
    ]
    lines = check_one(
        achterhoek, "summary: Kort.\nlessons:\n  - {level: opgave, text: \u201cBegin, niet later\u201d}\n"
    )
    assert lines[0] == (
        "stories/achterhoek/verhaal.md:8:27: error: the comma in the text of 'text' ends it inside '{...}', so "
        "'niet later\u201d' was read as a key; put the whole text in quotes: text: \"Begin, niet later\" "
        "(only straight quotes count, not \u201c)"
    )


def test_the_fixed_texts_pass(achterhoek: SiteDir) -> None:
    achterhoek.write(
        "stories/achterhoek/verhaal.md",
        f'{FRONT}summary: "Let op: dit is lastig"\nlessons:\n'
        '  - {level: opgave, text: "Begin bij de keukentafel, niet bij het loket."}\n---\nTekst.\n',
    )
    assert achterhoek.check().lines == ["1 story published, 0 drafts held back, 0 errors"]


def test_new_suggests_only_participants_of_the_storys_own_region(achterhoek: SiteDir) -> None:
    command = [str(Path(sys.executable).parent / "regioverhalen"), "new", "--region", "achterhoek"]
    command += ["--participant", "de-peel-boerr", "--participant", "achterhoek-boerr"]
    command += ["--title", "Samen", "--summary", "Kort.", "--date", "2024-05-01"]
    result = subprocess.run(
        command, cwd=achterhoek.root, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: unknown participant 'de-peel-boerr'",
        "error: unknown participant 'achterhoek-boerr'; did you mean 'achterhoek-boer'?",
    ]
