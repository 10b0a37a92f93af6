"""Whatever a story holds, each problem or warning is one line of the report or the build's log,
with no character a terminal would act on instead of showing: a story cannot add a line that
looks like another file's result, nor hide one. Found by a red team; each case failed before."""

from __future__ import annotations

import json
import os
import re
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


#: How each line of MkDocs' log starts: a record, or an item of a notice's list.
LOG_LINE = re.compile(r"(?:INFO|WARNING|ERROR|DEBUG) +-  |  - |Aborted with \d+ warnings? in strict mode!$")


def _every_line_a_record(log: str) -> bool:
    return all(LOG_LINE.match(line) and line.isprintable() for line in log.splitlines())


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
    assert _every_line_a_record(log), log
    (warning,) = [line for line in log.splitlines() if "zz" in line]
    assert "zz\\nREADME.md:1:1: error: vals\\x1b[8m.md" in warning
    assert not any(line.startswith("README.md") for line in log.splitlines())


def test_a_story_s_text_in_the_build_s_own_warnings_is_shown_escaped(site: SiteDir) -> None:
    site.write(
        "mkdocs.yml",
        MKDOCS_YML.replace("  - regioverhalen\n", "  - regioverhalen:\n      language_warnings_in_build: true\n"),
    )
    _story_with(site, LONG.replace("ten behoeve van", HOSTILE))
    log = _build_log(site)
    assert _every_line_a_record(log), log
    (warning,) = [line for line in log.splitlines() if "is officialese" in line]
    assert warning.startswith("WARNING -  regioverhalen: stories/achterhoek/een.md:")
    assert "'ten\\u2028behoeve\\x85van' is officialese" in warning


def test_a_file_name_no_log_line_could_show_is_an_error_at_the_file(site: SiteDir) -> None:
    _story_with(site, "")
    site.write("docs/index.md", "# Start\n")
    (site.root / os.fsdecode(b"docs/d\xff.md")).write_text("# Nep\n", encoding="utf-8")
    site.write("docs/a\nWARNING -  nep.md", "# Nep\n")
    told = [
        "docs/a\\nWARNING -  nep.md:1:1: error: the name of this file or a folder above it holds the character "
        "U+000A, which a web address cannot show; rename it",
        "docs/d\\udcff.md:1:1: error: the name of this file or a folder above it holds the byte 0xFF, which is "
        "not UTF-8 text; rename it",
    ]
    # The theme's own folder is published too.
    site.write("mkdocs.yml", MKDOCS_YML.replace("  language: nl\n", "  language: nl\n  custom_dir: overrides\n"))
    site.write("overrides/assets/stijl\x1b.css", "body {}\n")
    # What MkDocs does not copy from a theme's folder, nor publish from docs/templates/.
    site.write("overrides/hulp\x01.py", "")
    site.write("overrides/README\x01.md", "")
    site.write("docs/templates/x\x01.png", "")
    theme_told = (
        "overrides/assets/stijl\\x1b.css:1:1: error: the name of this file or a folder above it holds the "
        "character U+001B, which a web address cannot show; rename it"
    )
    assert site.check().lines == [
        *told,
        theme_told,
        "3 errors; a build would publish nothing (1 valid story, 0 drafts)",
    ]
    result = site.build_command()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert _every_line_a_record(result.stderr), result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert errors[:2] == [f"ERROR   -  regioverhalen: {line}" for line in told]


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


def test_a_notice_that_quotes_a_link_or_a_file_name_cannot_add_a_line_to_the_build_log(site: SiteDir) -> None:
    # A link target in <…> may hold a line break; MkDocs quotes it in a notice, as a file's name.
    _story_with(site, "Zie [hier](<nep/\n::error file=regions/achterhoek.yml,line=1::nep/>).")
    # MkDocs lists the pages left out of `nav:` one per line: that notice keeps its lines.
    site.write("docs/index.md", "# Start\n")
    site.write("docs/over.md", "# Over\n")
    site.write("mkdocs.yml", MKDOCS_YML + "nav:\n  - index.md\n")
    result = site.build_command()
    assert result.returncode == 0, result.stderr
    log = result.stderr
    assert _every_line_a_record(log), log
    assert "nep/\\n::error file=regions/achterhoek.yml,line=1::nep/" in log
    assert "  - over.md" in log.splitlines()


def test_a_name_no_address_can_show_in_a_folder_linked_into_docs_is_told_under_each_name_it_is_published_at(
    site: SiteDir,
) -> None:
    _story_with(site, "")
    site.write("docs/index.md", "# Start\n")
    site.write("extra/e\x1b[31m.md", "# Nep\n")
    (site.root / "docs" / "ext").symlink_to(site.root / "extra", target_is_directory=True)
    # The same folder linked again, under a name of its own.
    (site.root / "docs" / "z\x01").symlink_to(site.root / "extra", target_is_directory=True)
    # What MkDocs does not publish, and characters a terminal does not print but a name may hold.
    site.write("docs/.notities\x01.md", "# Eigen\n")
    site.write("docs/boer-\U0001f468\u200d\U0001f33e.md", "# Boer\n")
    told = "which a web address cannot show; rename it"
    assert site.check().lines == [
        f"docs/ext/e\\x1b[31m.md:1:1: error: the name of this file or a folder above it holds the character U+001B, {told}",
        f"docs/z\\x01:1:1: error: the name of this file or a folder above it holds the character U+0001, {told}",
        # MkDocs publishes the linked folder under both names (found by a red-teaming helper).
        f"docs/z\\x01/e\\x1b[31m.md:1:1: error: the name of this file or a folder above it holds the character U+001B, {told}",
        "3 errors; a build would publish nothing (1 valid story, 0 drafts)",
    ]
