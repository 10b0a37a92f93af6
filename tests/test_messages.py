"""Messages in the site's language: Dutch for a Dutch site (theme.language nl), English for any
other site or with --lang en; and the one catalogue they come from, complete and in step with
the code."""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from conftest import REPO, STORY, SiteDir
from regioverhalen.cli import main
from regioverhalen.content.messages import ENVIRONMENT_VARIABLE, language_for

LOCALE = REPO / "src/regioverhalen/locale"
DUTCH_PO = LOCALE / "nl/LC_MESSAGES/regioverhalen.po"
DUTCH_MO = LOCALE / "nl/LC_MESSAGES/regioverhalen.mo"


@pytest.fixture
def broken(site: SiteDir) -> SiteDir:
    """A Dutch site with a mistake of each kind an editor makes most."""
    site.region("achterhoek")
    site.story("goed", "achterhoek")
    site.story(
        "komma",
        "achterhoek",
        extra="breakthrough: {title: Eerste afspraak, niet bij het loket., date: 2024-01-02, status: aanwijsbaar}",
    )
    site.story("sleutel", "achterhoek", extra="themas: [water]")
    regio = site.story("regio", "achterhoek")
    regio.write_text(
        regio.read_text(encoding="utf-8").replace("region: achterhoek", "region: achterhok"), encoding="utf-8"
    )
    site.story("naam", "achterhoek").write_text(
        STORY.format(title="Naam", date="2023-05-01", region="achterhoek") + "\nGeheime Boer Achterhoek vertelde.\n",
        encoding="utf-8",
    )
    return site


DUTCH_PROBLEMS = [
    "stories/achterhoek/komma.md:8:23: error: de komma in de tekst van 'title' beëindigt die tekst binnen '{...}', "
    "dus 'niet bij het loket.' werd als sleutel gelezen; zet de hele tekst tussen aanhalingstekens: "
    'title: "Eerste afspraak, niet bij het loket."',
    "stories/achterhoek/naam.md:13:1: error: noemt deelnemer 'achterhoek-boer', die geen toestemming heeft gegeven "
    "(public: true); beschrijf deze persoon met de rol, niet met de naam",
    "stories/achterhoek/regio.md:4:9: error: region: onbekende regio 'achterhok'; bedoel je 'achterhoek'?",
    "stories/achterhoek/sleutel.md:8:1: error: onbekende sleutel 'themas'; bedoel je 'themes'? (sleutels zijn Engels)",
]


def test_check_speaks_dutch_on_a_dutch_site(broken: SiteDir, dutch_messages: None) -> None:
    result = broken.check()
    assert (result.code, result.err) == (1, "")
    assert result.lines == [*DUTCH_PROBLEMS, "4 fouten; zo wordt er niets gepubliceerd (1 goed verhaal, 0 concepten)"]


def test_check_says_in_dutch_what_to_do_about_a_missing_folder_and_curly_quotes(
    site: SiteDir, dutch_messages: None
) -> None:
    site.write(
        "stories/achterhoek/krul.md",
        STORY.format(title="Krul", date="2023-05-01", region="achterhoek").replace(
            "themes: [bodem]\n", "themes: [bodem]\nextra:\n  citaat: \u201cDit: zei ze\u201d\n"
        ),
    )
    assert site.check().lines == [
        "regions:1:1: error: map met regio's 'regions/' niet gevonden; maak die aan met een bestand "
        "regions/<regio-id>.yml per regio, of start een nieuwe site met voorbeelden met 'regioverhalen init'",
        "stories/achterhoek/krul.md:9:11: error: ongeldige YAML: de tekst van 'citaat' begint met een "
        "krul-aanhalingsteken (\u201c), dat YAML als letter leest: alleen rechte aanhalingstekens tellen; "
        'schrijf citaat: "Dit: zei ze"',
        "2 fouten; zo wordt er niets gepubliceerd (0 goede verhalen, 0 concepten)",
    ]


def test_the_language_check_warns_in_dutch(site: SiteDir, dutch_messages: None) -> None:
    site.region("achterhoek")
    site.story("ambtelijk", "achterhoek", extra="").write_text(
        STORY.format(title="Ambtelijk", date="2023-05-01", region="achterhoek") + "\nWe gaan de samenwerking borgen.\n",
        encoding="utf-8",
    )
    assert site.check().lines == [
        "stories/achterhoek/ambtelijk.md:13:25: warning: 'borgen' is ambtelijke taal; "
        "gewoner is: vastleggen, zorgen dat het blijft",
        "taal: 1 waarschuwing in 1 verhaal (waarschuwingen, geen fouten)",
        "1 verhaal gepubliceerd, 0 concepten achtergehouden, 0 fouten",
    ]


def test_an_event_handler_is_told_once_in_dutch(site: SiteDir, dutch_messages: None) -> None:
    site.region("achterhoek")
    story = site.story("foto", "achterhoek")
    story.write_text(story.read_text(encoding="utf-8") + '\n<img src="a.png" onerror="alert(1)">\n', encoding="utf-8")
    lines = site.check().lines
    assert [line for line in lines if "onerror" in line] == [
        f"stories/achterhoek/foto.md:{len(story.read_text().splitlines())}:1: error: "
        "event-handler-attribuut 'onerror' op <img> is niet toegestaan"
    ]


def test_lang_en_gives_english_on_a_dutch_site(broken: SiteDir, dutch_messages: None) -> None:
    assert broken.check("--lang", "en").lines[2:] == [
        "stories/achterhoek/regio.md:4:9: error: region: unknown region 'achterhok'; did you mean 'achterhoek'?",
        "stories/achterhoek/sleutel.md:8:1: error: unknown key 'themas'; did you mean 'themes'? (keys are in English)",
        "4 errors; a build would publish nothing (1 valid story, 0 drafts)",
    ]


def test_an_english_site_gets_english_and_lang_nl_gives_dutch(broken: SiteDir, dutch_messages: None) -> None:
    broken.write("mkdocs.yml", (broken.root / "mkdocs.yml").read_text(encoding="utf-8").replace("nl", "en"))
    assert broken.check().lines[-1] == "4 errors; a build would publish nothing (1 valid story, 0 drafts)"
    assert broken.check("--lang", "nl").lines == [
        *DUTCH_PROBLEMS,
        "4 fouten; zo wordt er niets gepubliceerd (1 goed verhaal, 0 concepten)",
    ]


@pytest.mark.parametrize("fmt", ["github", "json"])
def test_the_machine_formats_keep_their_shape_in_dutch(broken: SiteDir, dutch_messages: None, fmt: str) -> None:
    out = broken.check("--format", fmt).out
    if fmt == "github":
        assert (
            "::error file=stories/achterhoek/regio.md,line=4,col=9::region: onbekende regio 'achterhok'; "
            "bedoel je 'achterhoek'?"
        ) in out.splitlines()
    else:
        assert "\"message\": \"region: onbekende regio 'achterhok'; bedoel je 'achterhoek'?\"" in out
        assert '"published": 1,' in out


def test_new_speaks_dutch_on_a_dutch_site(
    site: SiteDir, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, dutch_messages: None
) -> None:
    site.region("achterhoek")
    monkeypatch.chdir(site.root)
    options = ["--region", "achterhoek", "--participant", "achterhoek-boer", "--title", "Samen", "--summary", "Kort."]
    assert main(["new", *options]) == 0
    assert capsys.readouterr().out == (
        "Nieuw verhaal geschreven: stories/achterhoek/samen.md\n"
        "Vervang de schrijfvragen door het verhaal (tot dan keurt 'regioverhalen check' het af), "
        "bekijk het met 'mkdocs serve' en controleer het met 'regioverhalen check'.\n"
    )
    assert main(["new", *options, "--participant", "achterhoek-boerr"]) == 1
    assert capsys.readouterr().err == (
        "error: onbekende deelnemer 'achterhoek-boerr'; bedoel je 'achterhoek-boer'?\n"
        "error: slug 'samen' wordt al gebruikt door stories/achterhoek/samen.md; kies een andere met --slug\n"
    )


def test_a_dutch_build_logs_in_dutch(site: SiteDir, dutch_messages: None) -> None:
    site.region("achterhoek")
    site.story("concept", "achterhoek", extra="draft: true")
    site.story("gepubliceerd", "achterhoek").write_text(
        STORY.format(title="Gepubliceerd", date="2023-05-01", region="achterhoek")
        + "\nLees ook [het concept](../concept/).\n",
        encoding="utf-8",
    )
    result = site.build_command()
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert "INFO    -  regioverhalen: 1 verhaal gepubliceerd, 1 concept achtergehouden, 0 fouten" in lines
    assert (
        "WARNING -  regioverhalen: stories/achterhoek/gepubliceerd.md:13:24: warning: "
        "linkt naar 'concept', een concept dat niet gepubliceerd wordt, dus de link loopt dood; "
        "publiceer het concept of haal de link weg"
    ) in lines
    site.story("fout", "achterhoek", extra="regoin: achterhoek")
    failed = site.build_command()
    assert failed.returncode == 1
    assert failed.stderr.splitlines() == [
        "ERROR   -  regioverhalen: stories/achterhoek/fout.md:8:1: error: onbekende sleutel 'regoin'; bedoel je 'region'?",
        "ERROR   -  bouwen gestopt: 1 fout; niets gepubliceerd (1 goed verhaal, 1 concept)",
    ]


def test_the_language_is_the_sites_unless_asked_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENVIRONMENT_VARIABLE)
    assert [language_for(theme) for theme in ("nl", "nl_NL", "nl-BE", "NL", "en", "de", "", None, 3)] == [
        "nl",
        "nl",
        "nl",
        "nl",
        "en",
        "en",
        "en",
        "en",
        "en",
    ]
    assert language_for("nl", "en") == "en"
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "nl")
    assert (language_for("en"), language_for("en", "en")) == ("nl", "en")


# The catalogue


def extracted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Catalog:
    """The messages in the code, extracted as the README says (babel.cfg)."""
    monkeypatch.chdir(REPO)
    out = tmp_path / "extracted.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", "babel.cfg", "-k", "N_", "--no-location", "-o", str(out), "."]
    )
    with out.open("rb") as file:
        return read_po(file)


def catalogue(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file)


def ids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    return {message.id if isinstance(message.id, str) else tuple(message.id) for message in catalog if message.id}


def test_the_catalogue_holds_exactly_the_messages_in_the_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    in_code = ids(extracted(tmp_path, monkeypatch))
    assert len(in_code) > 200
    for path in (DUTCH_PO, LOCALE / "regioverhalen.pot"):
        in_file = ids(catalogue(path))
        assert sorted(map(str, in_code - in_file)) == [], f"missing from {path.name}: re-extract and translate"
        assert sorted(map(str, in_file - in_code)) == [], f"stale in {path.name}: re-extract"


PLACEHOLDER = re.compile(r"\{\{|\}\}|\{\w*\}")


def test_every_dutch_message_is_translated_with_the_same_placeholders() -> None:
    for message in catalogue(DUTCH_PO):
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        sources = [message.id] if isinstance(message.id, str) else list(message.id)
        translations = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(translations), f"not translated: {message.id!r}"
        expected = set(PLACEHOLDER.findall(sources[-1]))
        for translation in translations:
            assert set(PLACEHOLDER.findall(translation)) == expected, (message.id, translation)


def test_the_compiled_catalogue_is_the_po_file_compiled() -> None:
    """The .mo ships in the wheel as it is committed: it must say what the .po says."""
    compiled = io.BytesIO()
    write_mo(compiled, catalogue(DUTCH_PO))
    assert DUTCH_MO.read_bytes() == compiled.getvalue(), (
        "run: pybabel compile -d src/regioverhalen/locale -D regioverhalen"
    )


def test_no_module_that_translates_uses_underscore_as_a_name() -> None:
    """`_` is the translation function: a throwaway `_` in a module using it would hide it."""
    for path in sorted((REPO / "src/regioverhalen").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        uses = any(
            isinstance(node, ast.ImportFrom) and node.module == "regioverhalen.content.messages"
            for node in ast.walk(tree)
        )
        stored = [
            node.lineno
            for node in ast.walk(tree)
            if uses and isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store)
        ]
        assert stored == [], f"{path.relative_to(REPO)}: '_' assigned on line(s) {stored}"


def test_a_date_option_that_is_no_date_is_told_in_dutch(
    site: SiteDir, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, dutch_messages: None
) -> None:
    monkeypatch.chdir(site.root)
    with pytest.raises(SystemExit):
        main(["new", "--date", "2024-02-30"])
    assert capsys.readouterr().err.splitlines()[-1] == (
        "regioverhalen new: error: argument --date: ongeldige datum '2024-02-30': die dag bestaat niet in die maand"
    )
