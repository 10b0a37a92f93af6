"""Whatever a story holds, each problem or warning is one line of the report or the build's log,
with no character a terminal would act on instead of showing: a story cannot add a line that
looks like another file's result, nor hide one. Found by a red team; each case failed before."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import MKDOCS_YML, SiteDir, check_summary

#: Line breaks a terminal or an editor honours, a terminal's escape, and format controls
#: (direction, zero width, a letter mark): as a story may hold them.
HOSTILE = "ten\u2028behoeve\x85van\x0bhet\x0cerf\u202eaf\u200bte\u061cstemmen"
#: A sentence long enough for the plain-language warning, which quotes its start.
LONG = "Dit is ten behoeve van het erf en " + " ".join(["de boeren spreken samen"] * 10) + "."


def _story_with(site: SiteDir, body: str, slug: str = "een", extra: str = "") -> None:
    site.region("achterhoek")
    story = site.story(slug, "achterhoek", title="Een verhaal", extra=extra)
    story.write_text(story.read_text(encoding="utf-8") + "\n" + body + "\n", encoding="utf-8")


def _shown_as_is(text: str) -> bool:
    return all(line.isprintable() for line in text.split("\n"))


@pytest.mark.parametrize("report_format", ["text", "github", "json"])
def test_a_warning_that_quotes_line_breaks_and_controls_is_one_line_in_every_format(
    site: SiteDir, report_format: str
) -> None:
    _story_with(site, LONG.replace("ten behoeve van het erf", HOSTILE))
    result = site.check("--format", report_format)
    assert result.code == 0
    if report_format == "json":
        assert result.out.isascii()
        messages = [warning["message"] for warning in json.loads(result.out)["warnings"]]
        assert "'ten\u2028behoeve\x85van' is officialese; a plainer word: voor" in messages
        return
    assert _shown_as_is(result.out)
    # The long sentence, and the officialese it quotes; then the language summary and the check's.
    assert len(result.out.splitlines()) == 4
    assert "'ten\\u2028behoeve\\x85van' is officialese" in result.out


def _build_log(site: SiteDir) -> str:
    result = site.build_command("--strict")
    assert result.returncode == 1, result.stderr
    return result.stderr


def test_a_link_that_mkdocs_quotes_in_its_warning_cannot_add_a_line_to_the_build_log(site: SiteDir) -> None:
    # MkDocs decodes %0A in the target it quotes.
    _story_with(site, "[meer](zz%0AREADME.md:1:1:%20error:%20vals%1B[8m.md)")
    log = _build_log(site)
    assert _shown_as_is(log)
    (warning,) = [line for line in log.splitlines() if "zz" in line]
    assert "zz\\nREADME.md:1:1: error: vals\\x1b[8m.md" in warning
    assert not any(line.startswith("README.md") for line in log.splitlines())


def test_a_story_s_file_name_and_text_in_the_build_s_own_warnings_are_shown_escaped(site: SiteDir) -> None:
    site.write(
        "mkdocs.yml",
        MKDOCS_YML.replace("  - regioverhalen\n", "  - regioverhalen:\n      language_warnings_in_build: true\n"),
    )
    name = "go\x1b[8med\u202e"
    _story_with(
        site, "[het concept](concept.md)\n\n" + LONG.replace("ten behoeve van", HOSTILE), slug=name, extra="slug: nep"
    )
    site.story("concept", "achterhoek", extra="draft: true")
    log = _build_log(site)
    assert _shown_as_is(log)
    shown = "stories/achterhoek/go\\x1b[8med\\u202e.md"
    assert any(f"{shown}:" in line and "concept" in line for line in log.splitlines())  # the link to a draft
    assert any(f"{shown}:" in line and "ten\\u2028behoeve" in line for line in log.splitlines())  # the long sentence


def test_a_key_no_message_could_name_is_an_error_at_its_line_not_a_traceback(site: SiteDir) -> None:
    _story_with(site, "", extra='"\\ud800": 1')
    result = site.check()
    assert result.lines == [
        "stories/achterhoek/een.md:8:1: error: this text holds the character U+D800, written as an escape, "
        "which no page can show; remove it",
        check_summary(1),
    ]


def test_the_json_report_is_valid_whatever_the_output_s_encoding(site: SiteDir) -> None:
    _story_with(site, "", extra='"boer\U0001f600": 1')
    run = subprocess.run(
        [sys.executable, "-m", "regioverhalen.cli", "check", "--format", "json"],
        cwd=site.root,
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        check=False,
    )
    assert run.returncode == 1
    (error,) = json.loads(run.stdout.decode("ascii"))["errors"]
    assert (error["path"], error["line"], error["column"]) == ("stories/achterhoek/een.md", 8, 1)
    assert "'boer\U0001f600'" in error["message"]
