"""Unusable plugin options in mkdocs.yml: a positioned error and exit 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from conftest import MKDOCS_YML, CliResult, SiteDir, build_errors, check_summary
from regioverhalen.cli.main import main
from regioverhalen.site.settings import site_path


def _with_options(site: SiteDir, options: str) -> None:
    site.write("mkdocs.yml", MKDOCS_YML.replace("  - regioverhalen\n", "  - regioverhalen:\n" + options))
    site.region("achterhoek")


def _check_errors(site: SiteDir, *args: str) -> tuple[int, list[str]]:
    result = site.check(*args)
    assert result.out == ""
    return result.code, result.err.rstrip("\n").split("\n")


def test_every_bad_option_is_reported_with_its_position(site: SiteDir) -> None:
    _with_options(site, "      goal_deadline: 2024-13-01\n      goal_regions: tien\n      stories_dir: 5\n")
    code, err = _check_errors(site)
    assert code == 2
    assert err == [
        "mkdocs.yml:9:22: error: plugins.regioverhalen.goal_deadline: invalid date '2024-13-01': month must be in 1..12",
        "mkdocs.yml:10:21: error: plugins.regioverhalen.goal_regions: expected a whole number of at least 1, found 'tien'",
        "mkdocs.yml:11:20: error: plugins.regioverhalen.stories_dir: expected a folder name, found the number 5",
    ]


def test_a_deadline_with_a_time_of_day_is_refused(site: SiteDir) -> None:
    _with_options(site, "      goal_deadline: 2024-12-31 10:00:00\n")
    code, err = _check_errors(site)
    assert code == 2
    assert err == [
        "mkdocs.yml:9:22: error: plugins.regioverhalen.goal_deadline: expected a date like 2024-12-31, "
        "found the date 2024-12-31T10:00:00"
    ]


def test_the_build_reports_a_bad_option_without_a_traceback(site: SiteDir, caplog: pytest.LogCaptureFixture) -> None:
    _with_options(site, "      goal_deadline: 31-12-2024\n")
    errors = build_errors(site, caplog)
    assert errors[0] == (
        "mkdocs.yml:9:22: error: plugins.regioverhalen.goal_deadline: expected a date like 2024-12-31, found '31-12-2024'"
    )


def test_a_quoted_deadline_that_does_not_exist_is_told_at_its_line_by_the_build(
    site: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    # Without quotes MkDocs' own loader would stop at it with a traceback, before any plugin runs.
    _with_options(site, '      goal_deadline: "2027-02-30"\n')
    assert build_errors(site, caplog)[0] == (
        "mkdocs.yml:9:22: error: plugins.regioverhalen.goal_deadline: invalid date '2027-02-30': "
        "day is out of range for month"
    )


@pytest.mark.parametrize("tag", ["script", "style", "form", "svg"])
def test_only_embedded_media_can_be_allowed_as_html(site: SiteDir, tag: str) -> None:
    # Any other tag would let a story run a script or take over the page.
    _with_options(site, f"      allow_html_tags: [iframe, details, {tag}]\n")  # details: allowed anyway
    assert _check_errors(site) == (
        2,
        [
            f"mkdocs.yml:9:24: error: plugins.regioverhalen.allow_html_tags: '{tag}' cannot be allowed; "
            "a site may allow only these tags: audio, iframe, source, video"
        ],
    )


@pytest.mark.parametrize(
    ("site_name", "environment"),
    [('"Test\\x01regio"', None), ("!ENV REGIONAAM", "Test\x01regio")],
    ids=["escape", "from-the-environment"],
)
def test_a_text_no_page_can_show_in_the_configuration_is_told_at_its_text(
    site: SiteDir,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    site_name: str,
    environment: str | None,
) -> None:
    # A feed writer would stop at it with a traceback.
    site.write("mkdocs.yml", MKDOCS_YML.replace("site_name: Testregio's", f"site_name: {site_name}"))
    site.region("achterhoek")
    if environment is not None:
        monkeypatch.setenv("REGIONAAM", environment)
    message = (
        "mkdocs.yml:1:12: error: this text holds the character U+0001, written as an escape, which no page can "
        "show; remove it"
    )
    assert _check_errors(site) == (2, [message])
    assert build_errors(site, caplog) == [message, "build stopped: 1 problem(s) in the configuration"]


def test_a_line_of_exclude_docs_or_draft_docs_that_is_no_pattern_is_told_at_it(site: SiteDir, tmp_path: Path) -> None:
    """Found by a red-teaming helper: `check` and the export read the whole setting as empty, and
    the export published the page its other lines left out; MkDocs refuses the configuration."""
    config = site.root / "mkdocs.yml"
    written = config.read_text()
    key_line = written.count("\n") + 1
    config.write_text(written + "exclude_docs: |\n  geheim.md\n  x\\\ndraft_docs: |\n  [z-a].md\n")
    assert _check_errors(site) == (
        2,
        [
            f"mkdocs.yml:{key_line + 2}:1: error: exclude_docs: 'x\\' is no gitignore pattern",
            f"mkdocs.yml:{key_line + 4}:1: error: draft_docs: '[z-a].md' is no gitignore pattern",
        ],
    )
    assert site.command("export", str(tmp_path / "out")).code == 2
    assert not (tmp_path / "out").exists()
    config.write_text(written + "exclude_docs:\n  - geheim.md\n")  # a list, which MkDocs refuses too
    assert _check_errors(site) == (
        2,
        [
            f"mkdocs.yml:{key_line}:1: error: exclude_docs: expected a text of gitignore patterns, one a line "
            "(written after '|')"
        ],
    )


def test_broken_configuration_yaml(site: SiteDir) -> None:
    site.write("mkdocs.yml", "site_name: [kapot\n")
    code, err = _check_errors(site)
    assert code == 2
    assert err == [
        "mkdocs.yml:1:12: error: invalid YAML: the list that starts here with '[' is not closed; end it with ']'"
    ]


def test_a_tab_in_the_configuration_is_told_as_in_a_story(site: SiteDir) -> None:
    site.write("mkdocs.yml", MKDOCS_YML.replace("  - regioverhalen\n", "  - regioverhalen:\n\t    search: none\n"))
    code, err = _check_errors(site)
    assert (code, err) == (
        2,
        [
            "mkdocs.yml:9:1: error: invalid YAML: found character '\\t' that cannot start any token; "
            "indent with spaces, not tabs"
        ],
    )


def test_an_option_the_plugin_does_not_have_is_named_with_the_one_meant(site: SiteDir) -> None:
    _with_options(site, "      goal_regoins: 5\n      goal_regions: tien\n      zoeken: none\n")
    code, err = _check_errors(site)
    assert (code, err) == (
        2,
        [
            "mkdocs.yml:9:7: error: plugins.regioverhalen.goal_regoins: unknown option; did you mean 'goal_regions'?",
            "mkdocs.yml:10:21: error: plugins.regioverhalen.goal_regions: expected a whole number of at least 1, "
            "found 'tien'",
            "mkdocs.yml:11:7: error: plugins.regioverhalen.zoeken: unknown option",
        ],
    )
    _with_options(site, "      goal_regoins: 5\n")
    assert _check_errors(site) == (
        2,
        ["mkdocs.yml:9:7: error: plugins.regioverhalen.goal_regoins: unknown option; did you mean 'goal_regions'?"],
    )


def test_configuration_that_is_a_list(site: SiteDir) -> None:
    site.write("mkdocs.yml", "- site_name\n")
    code, err = _check_errors(site)
    assert (code, err) == (2, ["mkdocs.yml:1:1: error: expected a mapping of settings, found a list"])


def test_missing_configuration_file(site: SiteDir) -> None:
    code, err = _check_errors(site, "-f", "typo.yml")
    assert (code, err) == (
        2,
        ["typo.yml:1:1: error: site configuration not found; run in the site's folder or pass -f"],
    )


def test_check_in_a_folder_of_the_site_names_the_sites_folder_in_the_sites_language(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("REGIOVERHALEN_LANG")  # so the site's theme.language (nl) decides
    site.region("achterhoek")
    monkeypatch.chdir(site.root / "regions")
    assert main(["check"]) == 2
    assert capsys.readouterr().err == (
        "mkdocs.yml:1:1: error: instellingen van de site hier niet gevonden; start in de map van de site, "
        f"{site.root}, of geef -f ../mkdocs.yml mee\n"
    )


def _env_stories_site(site: SiteDir) -> None:
    """Stories in verhalen-elders/, named by mkdocs.yml only through STORIES_DIR."""
    _with_options(site, "      stories_dir: !ENV [STORIES_DIR, stories]\n")
    site.story("bodem", "achterhoek")
    (site.root / "stories").rename(site.root / "verhalen-elders")
    (site.root / "stories").mkdir()


def test_check_and_build_both_read_stories_dir_from_the_environment(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    _env_stories_site(site)
    monkeypatch.setenv("STORIES_DIR", "verhalen-elders")
    assert site.check() == CliResult(0, "1 story published, 0 drafts held back, 0 errors\n")
    assert (site.build() / "verhalen" / "bodem" / "index.html").is_file()


def test_check_and_build_both_take_the_env_default_when_the_variable_is_unset(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    _env_stories_site(site)
    monkeypatch.delenv("STORIES_DIR", raising=False)
    assert site.check() == CliResult(0, "0 stories published, 0 drafts held back, 0 errors\n")
    assert not (site.build() / "verhalen" / "bodem").exists()  # stories/ is empty


def test_a_bad_choice_is_reported_by_check_and_build_alike(site: SiteDir, caplog: pytest.LogCaptureFixture) -> None:
    _with_options(site, "      search: lunr\n      parallel: ja\n      atomic: misschien\n")
    expected = [
        "mkdocs.yml:9:15: error: plugins.regioverhalen.search: expected one of pagefind, none, found 'lunr'",
        "mkdocs.yml:10:17: error: plugins.regioverhalen.parallel: expected one of auto, off, found 'ja'",
        "mkdocs.yml:11:15: error: plugins.regioverhalen.atomic: expected true or false, found 'misschien'",
    ]
    assert _check_errors(site) == (2, expected)
    assert build_errors(site, caplog) == [*expected, "build stopped: 3 problem(s) in the configuration"]


@pytest.mark.parametrize(("options", "search_box"), [("", True), ("      search: none\n", False)])
def test_templates_read_the_options_with_their_defaults(site: SiteDir, options: str, search_box: bool) -> None:
    # The theme reads `search` from the plugin's config, given or not.
    if options:
        _with_options(site, options)
    else:
        site.region("achterhoek")
    site.story("eerste", "achterhoek")
    assert ('<template id="rv-zoekvak">' in (site.build() / "index.html").read_text("utf-8")) is search_box


def test_a_missing_closing_quote_is_told_where_it_opens_past_an_unusual_line_break(site: SiteDir) -> None:
    """YAML counts U+2028 as a line break (stories refuse it; mkdocs.yml is MkDocs' to judge)."""
    site.write("mkdocs.yml", MKDOCS_YML + 'extra:\n  motto: "Samen\u2028verder\n  slogan: "Kort."\n')
    line = MKDOCS_YML.count("\n") + 2
    assert _check_errors(site) == (
        2,
        [
            f'mkdocs.yml:{line}:10: error: invalid YAML: the text in quotes that starts here has no closing ", '
            "so it runs on to the \" that opens the value of 'slogan'; end this text with \""
        ],
    )


def test_plugins_given_as_a_mapping_are_read_as_a_list_of_them_is(
    site: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    site.write(
        "mkdocs.yml",
        MKDOCS_YML.replace("  - regioverhalen\n", "  regioverhalen:\n    goal_regoins: 5\n    goal_regions: tien\n"),
    )
    site.region("achterhoek")
    assert _check_errors(site) == (
        2,
        [
            "mkdocs.yml:9:5: error: plugins.regioverhalen.goal_regoins: unknown option; did you mean 'goal_regions'?",
            "mkdocs.yml:10:19: error: plugins.regioverhalen.goal_regions: expected a whole number of at least 1, "
            "found 'tien'",
        ],
    )
    site.write("mkdocs.yml", MKDOCS_YML.replace("  - regioverhalen\n", "  regioverhalen:\n    goal_regions: tien\n"))
    assert (
        "mkdocs.yml:9:19: error: plugins.regioverhalen.goal_regions: expected a whole number of at least 1, found 'tien'"
    ) in build_errors(site, caplog)


def test_a_mistake_after_the_sites_language_is_told_in_that_language(site: SiteDir, dutch_messages: None) -> None:
    site.write("mkdocs.yml", MKDOCS_YML.replace("  - regioverhalen\n", "  - regioverhalen:\n\t    search: none\n"))
    assert _check_errors(site) == (
        2,
        [
            "mkdocs.yml:9:1: error: ongeldige YAML: er staat een tab ('\\t') waar YAML die niet accepteert; "
            "spring in met spaties, niet met tabs"
        ],
    )


def test_the_option_mkdocs_gives_every_plugin_is_known(site: SiteDir) -> None:
    _with_options(site, "      enabled: true\n      goal_regions: 5\n")
    assert site.check().code == 0


#: A configuration a site inherits from (MkDocs' INHERIT), kept inside the site's folder: the
#: test site's, without its name, with the plugin's options as a mapping (line 9 on).
SHARED_YML = (
    MKDOCS_YML.replace("site_name: Testregio's\n", "").replace(
        "  - regioverhalen\n", "  regioverhalen:\n    stories_dir: verhalen\n"
    )
    + "{options}"
)


def _inheriting_site(site: SiteDir, own: str = "", options: str = "") -> None:
    site.write("gedeeld/basis.yml", SHARED_YML.format(options=options))
    site.write("mkdocs.yml", "INHERIT: gedeeld/basis.yml\nsite_name: Eigen regio\n" + own)
    site.region("achterhoek")


def test_check_and_build_read_what_an_inherited_file_says_merged_as_mkdocs_merges_it(site: SiteDir) -> None:
    # The stories' folder comes from the shared file, `search` from the site's own: the two merged.
    _inheriting_site(site, own="plugins:\n  regioverhalen:\n    search: none\n")
    site.story("bodem", "achterhoek")
    (site.root / "stories").rename(site.root / "verhalen")
    assert site.check() == CliResult(0, "1 story published, 0 drafts held back, 0 errors\n")
    built = site.build()
    assert (built / "verhalen" / "bodem" / "index.html").is_file()
    assert not (built / "pagefind").exists()


def test_a_bad_option_is_told_in_the_file_whose_value_counts(site: SiteDir, caplog: pytest.LogCaptureFixture) -> None:
    _inheriting_site(site, options="    goal_regoins: 5\n    goal_regions: tien\n")
    in_shared = (
        "gedeeld/basis.yml:10:19: error: plugins.regioverhalen.goal_regions: expected a whole number of at least 1, "
        "found 'tien'"
    )
    assert _check_errors(site) == (
        2,
        [
            "gedeeld/basis.yml:9:5: error: plugins.regioverhalen.goal_regoins: unknown option; "
            "did you mean 'goal_regions'?",
            in_shared,
        ],
    )
    _inheriting_site(site, options="    goal_regions: tien\n")  # MkDocs' --strict stops at an unknown option
    assert in_shared.replace(":10:", ":9:") in build_errors(site, caplog)
    # The site's own value replaces the shared one: a mistake in it is told in the site's file.
    _inheriting_site(site, own="plugins:\n  regioverhalen:\n    goal_regions: veel\n", options="    goal_regions: 5\n")
    expected = (
        "mkdocs.yml:5:19: error: plugins.regioverhalen.goal_regions: expected a whole number of at least 1, "
        "found 'veel'"
    )
    assert _check_errors(site) == (2, [expected])
    assert expected in build_errors(site, caplog)


@pytest.mark.parametrize(
    ("shared_inherits", "own", "expected"),
    [
        (
            "",
            "INHERIT: gedeeld/basis.yaml\n",
            "mkdocs.yml:1:10: error: INHERIT: the configuration file 'gedeeld/basis.yaml' to inherit from is not found",
        ),
        (
            "INHERIT: gemeenschap.yml\n",
            "INHERIT: gedeeld/basis.yml\n",
            "gedeeld/basis.yml:9:10: error: INHERIT: the configuration file 'gemeenschap.yml' to inherit from "
            "is not found at gedeeld/gemeenschap.yml",
        ),
        (
            "INHERIT: ../mkdocs.yml\n",
            "INHERIT: gedeeld/basis.yml\n",
            "gedeeld/basis.yml:9:10: error: INHERIT: '../mkdocs.yml' is this file or one that inherits from it, "
            "so the chain would never end; remove this line",
        ),
        (
            "",
            "INHERIT: [gedeeld/basis.yml]\n",
            "mkdocs.yml:1:10: error: INHERIT: expected the name of a configuration file, found a list",
        ),
        ("", "INHERIT:\n", "mkdocs.yml:1:9: error: INHERIT: expected the name of a configuration file, found nothing"),
        (
            "",
            "INHERIT: gedeeld\n",
            "mkdocs.yml:1:10: error: INHERIT: 'gedeeld' is a folder; name the configuration file in it",
        ),
        (
            "",
            "INHERIT: gedeeld/basis.yml\nsite_url: https://x.example.org/\nINHERIT: gedeeld/elders.yml\n",
            "mkdocs.yml:3:10: error: INHERIT: the configuration file 'gedeeld/elders.yml' to inherit from is not found",
        ),
        (
            "",
            "INHERIT: gedeeld/basis.yml\nsite_description: Een bel\x07\n",
            "mkdocs.yml:2:26: error: invalid character U+0007 in YAML; remove it",
        ),
        (
            "\tsearch: none\n",
            "INHERIT: gedeeld/basis.yml\n",
            "gedeeld/basis.yml:9:1: error: invalid YAML: found character '\\t' that cannot start any token; "
            "indent with spaces, not tabs",
        ),
    ],
    ids=[
        "missing",
        "missing-from-the-shared-folder",
        "round",
        "not-a-name",
        "nothing",
        "folder",
        "the-last-counts",
        "control-character",
        "yaml-in-shared",
    ],
)
def test_configuration_files_that_cannot_be_read_or_followed_are_told_at_their_line(
    site: SiteDir, shared_inherits: str, own: str, expected: str
) -> None:
    site.write("gedeeld/basis.yml", SHARED_YML.format(options="") + shared_inherits)
    site.write("mkdocs.yml", own + "site_name: Eigen regio\n")
    assert _check_errors(site) == (2, [expected])


@pytest.mark.parametrize(
    ("own", "shared", "expected"),
    [
        (
            "",
            "    goal_regions: tien\n",
            "gedeeld/basis.yml:9:19: error: plugins.regioverhalen.goal_regions: "
            "verwacht een heel getal van minstens 1, maar er staat 'tien'",
        ),
        # A YAML mistake in the site's own file, or in the shared one after its theme.language.
        (
            "\tsearch: none\n",
            "",
            "mkdocs.yml:3:1: error: ongeldige YAML: er staat een tab ('\\t') waar YAML "
            "die niet accepteert; spring in met spaties, niet met tabs",
        ),
        (
            "",
            "  [kapot\n",
            "gedeeld/basis.yml:9:3: error: ongeldige YAML: geen ':' na de sleutel op deze regel; "
            "schrijf 'sleutel: waarde', met een spatie na de dubbele punt",
        ),
    ],
    ids=["option", "own-file-broken", "shared-file-broken"],
)
def test_the_language_an_inherited_file_gives_the_site_is_checks_language(
    site: SiteDir, dutch_messages: None, own: str, shared: str, expected: str
) -> None:
    _inheriting_site(site, own=own, options=shared)
    assert _check_errors(site) == (2, [expected])


def test_options_that_are_not_a_mapping_are_told_where_they_are_written(site: SiteDir) -> None:
    _inheriting_site(site)
    shared = site.root / "gedeeld" / "basis.yml"
    shared.write_text(
        shared.read_text().replace("  regioverhalen:\n    stories_dir: verhalen\n", "  regioverhalen: 5\n")
    )
    message = "error: plugins.regioverhalen: expected a mapping of options"
    assert _check_errors(site) == (2, [f"gedeeld/basis.yml:7:18: {message}"])
    # The site's own entry replaces the shared one: told in the site's file.
    site.write(
        "mkdocs.yml", "INHERIT: gedeeld/basis.yml\nsite_name: Eigen regio\nplugins:\n  - regioverhalen:\n    - 5\n"
    )
    assert _check_errors(site) == (2, [f"mkdocs.yml:5:5: {message}"])


def test_inherit_from_the_environment_is_followed(site: SiteDir, monkeypatch: pytest.MonkeyPatch) -> None:
    site.write("gedeeld/basis.yml", SHARED_YML.format(options="    goal_regions: tien\n"))
    site.write("mkdocs.yml", "INHERIT: !ENV [BASIS, geen.yml]\nsite_name: Eigen regio\n")
    monkeypatch.setenv("BASIS", "gedeeld/basis.yml")
    assert _check_errors(site) == (
        2,
        [
            "gedeeld/basis.yml:9:19: error: plugins.regioverhalen.goal_regions: expected a whole number of at "
            "least 1, found 'tien'"
        ],
    )


def test_the_plugin_listed_twice_is_an_error_for_check_and_build(
    site: SiteDir, caplog: pytest.LogCaptureFixture
) -> None:
    # MkDocs only warns, runs the plugin twice, and the second finds the first one's pages.
    site.write(
        "mkdocs.yml",
        MKDOCS_YML.replace(
            "  - regioverhalen\n", "  - regioverhalen\n  - search\n  - regioverhalen:\n      search: none\n"
        ),
    )
    site.region("achterhoek")
    expected = (
        "mkdocs.yml:10:5: error: plugins: the plugin is listed again (first on line 8); MkDocs would run it twice: "
        "keep one entry"
    )
    assert _check_errors(site) == (2, [expected])
    with pytest.raises(Abort):
        build(load_config(str(site.root / "mkdocs.yml")))  # not --strict: MkDocs' own warning would stop it first
    assert expected in [record.getMessage() for record in caplog.records if record.levelname == "ERROR"]


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        (
            "github",
            "::error file=gedeeld/basis.yml,line=9,col=5::plugins.regioverhalen.goal_regoins: unknown option; "
            "did you mean 'goal_regions'?\n" + check_summary(1) + "\n",
        ),
        (
            "json",
            '{\n  "published": 0,\n  "drafts": 0,\n  "errors": [\n    {\n      "path": "gedeeld/basis.yml",\n'
            '      "line": 9,\n      "column": 5,\n      "message": "plugins.regioverhalen.goal_regoins: unknown '
            'option; did you mean \'goal_regions\'?"\n    }\n  ],\n  "warnings": [],\n',
        ),
    ],
)
def test_a_configuration_mistake_is_reported_in_the_format_asked_for(site: SiteDir, fmt: str, expected: str) -> None:
    # A workflow that runs `check --format github` annotates it like a story's mistake.
    _inheriting_site(site, options="    goal_regoins: 5\n")
    result = site.check("--format", fmt)
    assert (result.code, result.err) == (2, "")
    assert result.out.startswith(expected)


@pytest.mark.parametrize(
    ("plugins", "code"),
    [
        ("  - regioverhalen\n  - regioverhalen:\n      enabled: false\n", 0),  # MkDocs leaves that one out
        ("  - /regioverhalen\n  - regioverhalen\n", 2),  # MkDocs drops the '/'
    ],
)
def test_listed_twice_counts_the_entries_mkdocs_runs(site: SiteDir, plugins: str, code: int) -> None:
    site.write("mkdocs.yml", MKDOCS_YML.replace("  - regioverhalen\n", plugins))
    site.region("achterhoek")
    result = site.check()
    assert result.code == code
    assert ("listed again" in result.err) is (code == 2)


def test_a_configuration_whose_alias_holds_itself_is_read_once(site: SiteDir) -> None:
    # Each alias is a text read again: a walk of the texts that followed them would never end.
    nested = "".join(f"  l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]\n" for n in range(1, 8))
    site.write("mkdocs.yml", MKDOCS_YML + "extra:\n  lus: &a [*a]\n  l0: &l0 Tekst\n" + nested)
    site.region("achterhoek")
    done = subprocess.run(
        [sys.executable, "-m", "regioverhalen.cli", "check"], cwd=site.root, capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stdout) == (0, "0 stories published, 0 drafts held back, 0 errors\n")


@pytest.mark.parametrize(
    ("site_url", "path"),
    [
        ("https://voorbeeld.github.io/regioverhalen/", "/regioverhalen/"),
        ("https://voorbeeld.github.io/regioverhalen", "/regioverhalen/"),
        ("https://regioverhalen.example.org/", "/"),
        ("", "/"),
        ("https://voorbeeld.github.io/Regio%20verhalen/", "/Regio verhalen/"),  # as a link's path is compared
        ("http://[::1/regioverhalen/", "/"),  # no URL: MkDocs refuses it itself, check goes on
    ],
)
def test_the_path_a_site_is_published_below_comes_from_its_site_url(site_url: str, path: str) -> None:
    assert site_path(site_url) == path
