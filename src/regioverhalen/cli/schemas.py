"""JSON Schemas and the Dutch field reference, generated from the content model.

Both derive from `regioverhalen.content.model`, the same models the validator uses, so
an editor's tooling and the guide cannot drift from what `check` accepts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema

from regioverhalen.content.model import RegionFile, StoryFrontMatter
from regioverhalen.content.validation import validator

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


class _Generator(GenerateJsonSchema):
    """Leaves out pydantic's English per-field titles: editors' tools show the Dutch descriptions."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


@dataclass(frozen=True)
class SchemaSpec:
    filename: str
    model: type
    title: str
    description: str


SCHEMAS: tuple[SchemaSpec, ...] = (
    SchemaSpec(
        "story.schema.json",
        StoryFrontMatter,
        "Regioverhalen: front matter van een verhaal",
        "De YAML-kop (front matter) bovenaan een verhaal in stories/**/*.md, tussen twee regels '---'. "
        "Onbekende velden zijn een fout; vrije gegevens horen onder 'extra'.",
    ),
    SchemaSpec(
        "region.schema.json",
        RegionFile,
        "Regioverhalen: regiobestand",
        "Een regio in regions/<id>.yml: naam, provincies, stip op de horizon en deelnemers. "
        "De bestandsnaam zonder .yml is de id van de regio.",
    ),
)


def schema_id(filename: str) -> str:
    """A stable identifier for a schema; it names the schema and is not fetched."""
    return f"urn:regioverhalen:schema:{filename.removesuffix('.schema.json')}"


def json_schema(spec: SchemaSpec) -> dict[str, Any]:
    body = validator(spec.model).json_schema(mode="validation", schema_generator=_Generator)
    body.pop("title", None)
    body.pop("description", None)
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": schema_id(spec.filename),
        "title": spec.title,
        "description": spec.description,
        **body,
    }


def schema_texts() -> dict[str, str]:
    """File name -> text of every schema, exactly as written to disk."""
    return {spec.filename: json.dumps(json_schema(spec), indent=2, ensure_ascii=False) + "\n" for spec in SCHEMAS}


# --- The Dutch field reference ----------------------------------------------------------------

#: Headings for the nested objects, by their $defs name.
_SECTIONS = {
    "Breakthrough": ("Doorbraak (`breakthrough`)", "doorbraak"),
    "Lesson": ("Les (één item in `lessons`)", "les"),
    "Participant": ("Deelnemer (één item in `participants`)", "deelnemer"),
    "Location": ("Ligging (`location`)", "ligging"),
}

_INTRO = """\
# Veldenreferentie

<!-- Dit bestand wordt gemaakt door `regioverhalen schema --reference docs/veldenreferentie.md`
     uit het model dat ook `regioverhalen check` gebruikt. Niet met de hand bewerken. -->

Deze pagina somt alle velden op die een verhaal of een regio kan hebben. Ze wordt
automatisch gemaakt uit dezelfde regels die `regioverhalen check` gebruikt, dus ze
klopt altijd met wat de controle goedkeurt.

De namen van de velden zijn Engels (`title`, niet `titel`). Een veld dat hier niet
staat, is een fout; vrije gegevens zet je onder `extra:`. Data schrijf je als
jaar-maand-dag, zoals `2024-05-12`.
"""


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code_list(values: list[Any]) -> str:
    return ", ".join(f"`{v}`" for v in values)


class _Describer:
    def __init__(self, schema: dict[str, Any]) -> None:
        self.defs: dict[str, Any] = schema.get("$defs", {})

    def resolve(self, node: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        ref = node.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[-1]
            return self.defs[name], name
        return node, None

    def kind(self, node: dict[str, Any]) -> str:
        """What value a field takes, in plain Dutch."""
        if "anyOf" in node:
            options = [o for o in node["anyOf"] if o.get("type") != "null"]
            return " of ".join(self.kind(o) for o in options)
        node, name = self.resolve(node)
        if name in _SECTIONS:
            heading, anchor = _SECTIONS[name]
            return f"zie [{heading.split(' (')[0]}](#{anchor})"
        if "enum" in node:
            return f"één van: {_code_list(node['enum'])}"
        kind = node.get("type")
        if kind == "string":
            return self._string(node)
        if kind == "boolean":
            return "`true` of `false`"
        if kind in ("number", "integer"):
            low, high = node.get("minimum"), node.get("maximum")
            return f"getal van {low} tot {high}" if low is not None and high is not None else "getal"
        if kind == "array":
            item = self.kind(node.get("items", {}))
            minimum = node.get("minItems")
            return (f"lijst van minstens {minimum}" if minimum else "lijst") + f"; per item: {item}"
        if kind == "object":
            return "vrije velden (wat je wilt)"
        return "waarde"

    def _string(self, node: dict[str, Any]) -> str:
        if node.get("format") == "date":
            return "datum, zoals `2024-05-12`"
        pattern = node.get("pattern", "")
        if pattern.startswith("^[a-z0-9]"):
            text = "id (kleine letters, cijfers en streepjes)"
        elif pattern.startswith("^[a-zà"):
            text = "kort thema in kleine letters"
        elif pattern:
            text = "tekst op één regel, zonder `<` of `>`"
        else:
            text = "tekst"
        if "maxLength" in node:
            text += f", hoogstens {node['maxLength']} tekens"
        return text


def _table(describer: _Describer, node: dict[str, Any]) -> list[str]:
    required = set(node.get("required", []))
    lines = ["| Veld | Verplicht | Waarde | Uitleg |", "| --- | --- | --- | --- |"]
    for name, field in node["properties"].items():
        needed = "ja" if name in required else "nee"
        default = field.get("default")
        if name not in required and default not in (None, [], {}):
            needed += f" (standaard `{json.dumps(default)}`)"
        description = _escape(field.get("description", ""))
        lines.append(f"| `{name}` | {needed} | {_escape(describer.kind(field))} | {description} |")
    return lines


def field_reference() -> str:
    """The Dutch Markdown reference of every field, generated from the JSON Schemas."""
    story, region = (json_schema(spec) for spec in SCHEMAS)
    out = [_INTRO.rstrip("\n")]
    parts = [
        (
            story,
            "## Verhaal: de front matter",
            "Bovenaan elk verhaal in `stories/`, tussen twee regels `---`.",
            ["Breakthrough", "Lesson"],
        ),
        (
            region,
            "## Regio: `regions/<id>.yml`",
            "Eén bestand per regio. De bestandsnaam zonder `.yml` is de id van de regio, zoals `noordoost-twente`.",
            ["Participant", "Location"],
        ),
    ]
    for schema, heading, text, nested in parts:
        describer = _Describer(schema)
        out += ["", heading, "", text, "", *_table(describer, schema)]
        for name in nested:
            title, anchor = _SECTIONS[name]
            out += ["", f"### {title} {{ #{anchor} }}", "", *_table(describer, schema["$defs"][name])]
    return "\n".join(out) + "\n"


# --- Writing and checking the generated files ---------------------------------------------------


def generated_files(out_dir: Path, reference: Path | None = None) -> dict[Path, str]:
    files = {out_dir / name: text for name, text in schema_texts().items()}
    if reference is not None:
        files[reference] = field_reference()
    return files


def write_generated(files: dict[Path, str]) -> list[Path]:
    """Write the files that differ from their generated text; return those written."""
    written = []
    for path, text in files.items():
        if _read(path) != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            written.append(path)
    return written


def stale_files(files: dict[Path, str]) -> list[Path]:
    """The files that are missing or differ from what the model generates."""
    return [path for path, text in files.items() if _read(path) != text]


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
