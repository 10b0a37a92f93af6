"""JSON Schemas and the Dutch field reference: generated from the model, committed, kept in sync."""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker

from conftest import REPO, SiteDir
from regioverhalen.cli.schemas import field_reference, schema_texts
from regioverhalen.content.reading import split_front_matter

COMMAND = str(Path(sys.executable).parent / "regioverhalen")


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((REPO / "schemas" / name).read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


def as_json(value: Any) -> Any:
    """YAML values as a JSON document holds them: dates become 'YYYY-MM-DD' text."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def errors(name: str, document: Any) -> list[str]:
    """Error messages; for an optional value (anyOf: value or null), the deepest error inside it."""
    found = validator(name).iter_errors(as_json(document))
    return sorted((max(e.context, key=lambda c: len(c.absolute_path)) if e.context else e).message for e in found)


def test_committed_schemas_match_the_model() -> None:
    for name, text in schema_texts().items():
        assert (REPO / "schemas" / name).read_text(encoding="utf-8") == text, f"run 'regioverhalen schema' ({name})"


def test_committed_field_reference_matches_the_model() -> None:
    committed = (REPO / "docs/veldenreferentie.md").read_text(encoding="utf-8")
    assert committed == field_reference(), "run 'regioverhalen schema --reference docs/veldenreferentie.md'"


def test_schema_check_command_passes_on_the_repository() -> None:
    result = subprocess.run(
        [COMMAND, "schema", "--check", "--reference", "docs/veldenreferentie.md"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_schema_command_writes_and_detects_stale_files(tmp_path: Path) -> None:
    run = [COMMAND, "schema", "--out", "out", "--reference", "docs/velden.md"]
    first = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert (first.returncode, first.stdout) == (
        0,
        "wrote out/story.schema.json\nwrote out/region.schema.json\nwrote docs/velden.md\n",
    )
    for name in ("story.schema.json", "region.schema.json"):
        assert (tmp_path / "out" / name).read_text(encoding="utf-8") == (REPO / "schemas" / name).read_text("utf-8")
    again = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert (again.returncode, again.stdout) == (0, "")  # nothing changed, nothing written

    (tmp_path / "out/region.schema.json").write_text("{}\n", encoding="utf-8")
    (tmp_path / "docs/velden.md").unlink()
    check = subprocess.run([*run, "--check"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert check.returncode == 1
    assert check.stdout.splitlines() == [
        "out/region.schema.json: out of date; run 'regioverhalen schema' to regenerate it",
        "docs/velden.md: out of date; run 'regioverhalen schema' to regenerate it",
    ]
    assert (tmp_path / "out/region.schema.json").read_text(encoding="utf-8") == "{}\n"  # --check writes nothing


def test_schemas_are_valid_2020_12_with_id_title_description() -> None:
    for name in ("story.schema.json", "region.schema.json"):
        schema = json.loads((REPO / "schemas" / name).read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"] == f"urn:regioverhalen:schema:{name.split('.')[0]}"
        assert schema["title"].startswith("Regioverhalen: ")
        assert schema["description"]
        assert schema["additionalProperties"] is False
        for field in schema["properties"].values():
            assert field["description"], field  # every field is explained (in Dutch) for editors' tools


def region_files() -> list[Path]:
    files = sorted((REPO / "regions").glob("*.yml"))
    assert files, "the repository ships its sample regions; none found in regions/"
    return files


def test_every_sample_region_validates_against_the_region_schema() -> None:
    for path in region_files():
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert errors("region.schema.json", document) == [], path.name


def test_every_sample_story_front_matter_validates_against_the_story_schema() -> None:
    stories = sorted((REPO / "stories").rglob("*.md"))
    assert stories, "no sample stories"
    for path in stories:
        split = split_front_matter(path.read_text(encoding="utf-8"), path.name)
        assert errors("story.schema.json", yaml.safe_load(split.front_matter)) == [], path.name


VALID_STORY = {
    "title": "Samen meten",
    "date": dt.date(2024, 5, 1),
    "region": "achterhoek",
    "participants": ["achterhoek-boer"],
    "summary": "Kort.",
}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"regoin": "achterhoek"}, ["Additional properties are not allowed ('regoin' was unexpected)"]),
        ({"summary": "a" * 301}, [f"'{'a' * 301}' is too long"]),
        ({"date": "12-05-2024"}, ["'12-05-2024' is not a 'date'"]),
        ({"participants": []}, ["[] should be non-empty"]),
        (
            {"breakthrough": {"title": "x", "date": "2024-01-01", "status": "klaar"}},
            ["'klaar' is not one of ['aanwijsbaar', 'in-wording']"],
        ),
        (
            {"lessons": [{"level": "individueel", "text": "x"}]},
            ["'individueel' is not one of ['individu', 'opgave', 'organisatie']"],
        ),
        ({"draft": "misschien"}, ["'misschien' is not of type 'boolean'"]),
    ],
)
def test_schema_refuses_what_check_refuses(site: SiteDir, change: dict[str, Any], expected: list[str]) -> None:
    assert errors("story.schema.json", VALID_STORY) == []
    document = {**VALID_STORY, **change}
    assert errors("story.schema.json", document) == expected
    site.region("achterhoek")
    site.write("stories/achterhoek/x.md", "---\n" + yaml.safe_dump(document, allow_unicode=True) + "---\nTekst.\n")
    result = site.check()
    assert result.code == 1 and "error:" in result.lines[0]


def test_region_schema_refuses_a_misspelt_province_and_a_missing_horizon() -> None:
    assert errors("region.schema.json", {"name": "Wouden", "provinces": ["Friesland"]}) == [
        "'Friesland' is not one of ['Groningen', 'Fryslân', 'Drenthe', 'Overijssel', 'Flevoland', 'Gelderland', "
        "'Utrecht', 'Noord-Holland', 'Zuid-Holland', 'Zeeland', 'Noord-Brabant', 'Limburg']",
        "'horizon' is a required property",
    ]


def test_vscode_maps_the_region_schema_to_every_region_file() -> None:
    settings = json.loads((REPO / ".vscode/settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"] == {"./schemas/region.schema.json": ["regions/*.yml"]}
    assert (REPO / "schemas/region.schema.json").is_file()
    for path in region_files():
        assert fnmatch.fnmatch(path.relative_to(REPO).as_posix(), "regions/*.yml")


# --- The editor's guide quotes the real messages ---------------------------------------------------

GUIDE = REPO / "docs/redactiegids.md"

GUIDE_STORY = """\
---
title: Samen de bodem in
date: 2024-05-12
region: achterhoek
participants: [achterhoek-boer]
summary: Twaalf boeren spraken af hun bodem samen te verbeteren.
---
## De uitdaging

Een boer uit de regio vertelt.
"""


def _edit(old: str, new: str) -> str:
    assert old in GUIDE_STORY
    return GUIDE_STORY.replace(old, new, 1)


#: One broken story per message the guide explains.
GUIDE_CASES = {
    "regoin.md": _edit("region: achterhoek\n", "region: achterhoek\nregoin: achterhoek\n"),
    "titel.md": _edit("title: Samen de bodem in", "titel: Samen de bodem in"),
    "datum.md": _edit("date: 2024-05-12", "date: 12-05-2024"),
    "dertig-februari.md": _edit("date: 2024-05-12", "date: 2024-02-30"),
    "regio.md": _edit("region: achterhoek", "region: achterhok"),
    "deelnemer.md": _edit("[achterhoek-boer]", "[achterhoek-boeer]"),
    "niemand.md": _edit("[achterhoek-boer]", "[]"),
    "lang.md": _edit("summary: Twaalf boeren spraken af hun bodem samen te verbeteren.", "summary: " + "a" * 301),
    "status.md": _edit("summary:", "breakthrough:\n  title: Afspraak\n  date: 2024-04-20\n  status: klaar\nsummary:"),
    "les.md": _edit("summary:", "lessons:\n  - level: individueel\n    text: Luister eerst.\nsummary:"),
    "concept.md": _edit("summary:", "draft: misschien\nsummary:"),
    "thema.md": _edit("summary:", "themes: [Stikstof]\nsummary:"),
    "dubbele-punt.md": _edit("title: Samen de bodem in", "title: Boeren: samen verder"),
    "dubbel.md": _edit("region: achterhoek", "region: achterhoek\ntitle: Nog een titel"),
    "tab.md": _edit("participants: [achterhoek-boer]", "participants:\n\t- achterhoek-boer"),
    "aanhalingsteken.md": _edit("title: Samen de bodem in", 'title: "Samen de bodem in').replace(
        "summary: Twaalf boeren spraken af hun bodem samen te verbeteren.",
        'summary: "Twaalf boeren spraken af hun bodem samen te verbeteren."',
    ),
    "apostrof.md": _edit("title: Samen de bodem in", "title: 's Avonds de bodem in"),
    "geen-kop.md": "## De uitdaging\n\nTekst zonder gegevens bovenaan.\n",
    "open.md": GUIDE_STORY.replace("---\n## De uitdaging", "## De uitdaging"),
    "leeg.md": "",
    "naam.md": _edit("Een boer uit de regio vertelt.", "Geheime Boer Veldhuis vertelt."),
    "script.md": _edit("Een boer uit de regio vertelt.", "<script>alert(1)</script>"),
    "foto-omhoog.md": _edit("Een boer uit de regio vertelt.", "![Het erf](../../elders/erf.jpg)"),
    "samen-de-bodem-in.md": GUIDE_STORY,
    "kopie.md": _edit("summary:", "slug: samen-de-bodem-in\nsummary:"),
}
GUIDE_REGION = """\
name: Achterhoek
provinces: [Gelderland]
horizon: Een regio die samen de bodem herstelt.
participants:
  - id: achterhoek-boer
    name: Geheime Boer Veldhuis
    role: boer
"""


def guide_code_spans() -> set[str]:
    return set(re.findall(r"`([^`\n]+)`", GUIDE.read_text(encoding="utf-8")))


def test_every_check_message_the_guide_explains_is_quoted_exactly(site: SiteDir, dutch_messages: None) -> None:
    site.write("regions/achterhoek.yml", GUIDE_REGION)
    site.write(
        "regions/wouden.yml",
        "name: Wouden\nprovinces: [Friesland]\nhorizon: Water.\n"
        "participants:\n  - id: achterhoek-boer\n    name: Iemand\n    role: boer\n",
    )
    for name, text in GUIDE_CASES.items():
        site.write(f"stories/achterhoek/{name}", text)
    site.write_bytes("stories/achterhoek/latin1.md", GUIDE_STORY.replace("Samen", "Caf\xe9").encode("latin-1"))
    site.write("stories/achterhoek/verhaal.markdown", GUIDE_STORY)
    site.write("stories/achterhoek/ont\x1bwerp.md", GUIDE_STORY)  # a control character pasted into a name
    result = site.check()
    assert result.lines[-1] == "30 fouten; zo wordt er niets gepubliceerd (1 goed verhaal, 0 concepten)"
    messages = [line.split(": error: ", 1)[1] for line in result.lines[:-1]]
    spans = guide_code_spans()
    missing = [message for message in messages if message not in spans]
    assert missing == [], "docs/redactiegids.md does not quote these messages exactly"


def test_every_new_message_the_guide_explains_is_quoted_exactly(site: SiteDir, dutch_messages: None) -> None:
    site.write("regions/achterhoek.yml", GUIDE_REGION)
    site.write("stories/achterhoek/samen-de-bodem-in.md", GUIDE_STORY)
    base = ["--participant", "achterhoek-boer", "--title", "Samen de bodem in", "--summary", "Kort."]
    runs = [
        ["--region", "achterhok", *base],
        ["--region", "achterhoek", *base[2:], "--participant", "achterhoek-boeer", "--slug", "x"],
        ["--region", "achterhoek", *base],
        ["--region", "achterhoek"],
    ]
    spans = guide_code_spans()
    for args in runs:
        result = subprocess.run(
            [COMMAND, "new", *args],
            cwd=site.root,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode in (1, 2)
        message = result.stderr.splitlines()[0].removeprefix("error: ")
        assert message in spans, message


def test_guide_shows_the_real_prompts_of_new() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    for prompt in (
        "Nieuw verhaal. Beantwoord de vragen; Ctrl-C stopt zonder iets te schrijven.",
        "Regio (id): ",
        "Deelnemers (id's, gescheiden door komma's): ",
        "Titel: ",
        "Samenvatting (een of twee zinnen, hoogstens 300 tekens): ",
        "Datum [2024-05-12]:",
        "Is er een doorbraak om te melden? (j/n) [n]: ",
        "Doorbraak, in een zin: ",
        "Status: aanwijsbaar (al te zien) of in-wording? ",
        "Datum van de doorbraak (bijvoorbeeld 2024-05-12): ",
        "Nieuw verhaal geschreven: stories/achterhoek/samen-de-bodem-in.md",
    ):
        assert prompt in guide, prompt


def test_guide_example_front_matter_is_valid() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    example = guide.split("```markdown\n", 1)[1].split("```\n", 1)[0]
    front_matter = split_front_matter(example, "example").front_matter
    assert errors("story.schema.json", yaml.safe_load(front_matter)) == []
