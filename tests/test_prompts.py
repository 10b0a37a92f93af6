"""The writing prompts of `regioverhalen new` are never published: each one left in a story is
an error where it stands, unless the story is a draft."""

from __future__ import annotations

from conftest import SiteDir
from regioverhalen.cli.scaffold import date_advice

TAIL = "; replace it with your own text, or set 'draft: true' until then"


def test_a_prompt_left_in_a_story_is_an_error_at_its_line_however_it_was_rewrapped(site: SiteDir) -> None:
    site.region("achterhoek")
    path = site.story("half-af", "achterhoek")
    text = path.read_text(encoding="utf-8")
    text += "\n## De aanpak\n\nWat hebben\njullie gedaan? Wie zaten er aan tafel?\n\n## Het ongemak\n\n"
    text += "_Wat schuurde, wat ging mis, waar twijfelde je?_\n"
    path.write_text(text, encoding="utf-8")
    result = site.check()
    assert result.code == 1
    assert result.lines == [
        f"stories/achterhoek/half-af.md:15:1: error: writing prompt left in the story ('Wat hebben jullie gedaan?'){TAIL}",
        "stories/achterhoek/half-af.md:20:1: error: writing prompt left in the story "
        f"('Wat schuurde, wat ging mis, waar twijfelde je?'){TAIL}",
        "2 errors; a build would publish nothing (0 valid stories, 0 drafts)",
    ]

    path.write_text(text.replace("themes: [bodem]\n", "themes: [bodem]\ndraft: true\n"), encoding="utf-8")
    assert site.check().lines == ["0 stories published, 1 draft held back, 0 errors"]


def test_a_story_may_ask_a_prompts_question_inside_a_paragraph(site: SiteDir) -> None:
    site.region("achterhoek")
    path = site.story("eigen-vraag", "achterhoek")
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\nDe wethouder vroeg: Wat hebben jullie gedaan? Het bleef stil.\n")
    assert site.check().lines == ["1 story published, 0 drafts held back, 0 errors"]


def test_a_date_written_as_year_month_day_that_does_not_exist_is_told_so_in_dutch() -> None:
    assert date_advice("2023-13-45", "2024-05-12") == (
        "De datum 2023-13-45 bestaat niet; kijk de maand en de dag na, bijvoorbeeld 2024-05-12."
    )
    assert date_advice("45-13-2023", "2024-05-12") == "Schrijf de datum als jaar-maand-dag, bijvoorbeeld 2024-05-12."
