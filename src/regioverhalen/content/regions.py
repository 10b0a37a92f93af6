"""The region files: read, checked, and turned into `Region`s; the participants they declare,
and who has not consented to be named."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import NamedTuple

from regioverhalen.content.collection import ContentPaths, Region
from regioverhalen.content.consent import NameMatcher
from regioverhalen.content.consent_conflicts import NameEntry, conflicting_consent
from regioverhalen.content.discovery import content_files, read_text
from regioverhalen.content.html_check import find_markdown_problems, find_markdown_problems_at
from regioverhalen.content.messages import _
from regioverhalen.content.problems import ContentWarning, Problem, consent_message, describe, field_name
from regioverhalen.content.reading import Positions
from regioverhalen.content.safety import text_values
from regioverhalen.content.terms import SLUG_RE
from regioverhalen.content.yaml_source import Loc, ParsedYaml, SourceMap, parse_yaml

#: Ids that would collide with an overview page (`/regios/`, `/themas/`).
RESERVED_SLUGS = frozenset({"index"})


def load_regions(
    paths: ContentPaths,
    problems: list[Problem],
    declared: dict[str, tuple[str, bool]] | None = None,
    region_ids: set[str] | None = None,
) -> dict[str, Region]:
    """Valid regions by id. `declared` receives every participant id seen and `region_ids` every
    region file's id, valid region or not, so stories are not blamed for a region file's mistake."""
    return valid_regions(read_regions(paths, problems, declared, region_ids), problems)


class RegionSource(NamedTuple):
    id: str
    path: str
    parsed: ParsedYaml


def missing_folder_message(folder: str, kind: str) -> str:
    """What to do about a content folder that is not there: make it, or start with `init`."""
    if kind == "region":
        message = _(
            "regions folder '{folder}/' not found; create it with a file {folder}/<region-id>.yml per region, "
            "or run 'regioverhalen init' to start a new site with examples"
        )
    else:
        message = _(
            "stories folder '{folder}/' not found; create it with a file {folder}/<region-id>/<slug>.md per story, "
            "or run 'regioverhalen init' to start a new site with examples"
        )
    return message.format(folder=folder)


def read_regions(
    paths: ContentPaths,
    problems: list[Problem],
    declared: dict[str, tuple[str, bool]] | None,
    region_ids: set[str] | None,
) -> list[RegionSource]:
    """Every region file whose YAML is a mapping, checked as far as that needs no content model."""
    folder = paths.root / paths.regions_dir
    if not folder.is_dir():
        problems.append(Problem(paths.regions_dir, 1, 1, missing_folder_message(paths.regions_dir, "region")))
        return []
    seen_participants: dict[str, tuple[str, int, int]] = {}
    consent: dict[str, tuple[str, bool]] = {}
    names: list[NameEntry] = []
    sources: list[RegionSource] = []
    for file, rel in content_files(folder, paths.root, (".yml",), problems, recursive=False):
        if region_ids is not None:
            region_ids.add(file.stem)
        source = _region_source(file, rel, problems)
        if source is None:
            continue
        sources.append(source)
        _check_description(source, paths.allow_remote_images, problems)
        _note_participants(source, seen_participants, consent, problems)
        names += _name_entries(source)
    problems += conflicting_consent(names)
    if declared is not None:
        declared.update(consent)
    problems += _names_in_regions(sources, hidden_name_finder(consent))
    return sources


def _region_source(file: Path, rel: str, problems: list[Problem]) -> RegionSource | None:
    """A region file read and parsed, if its YAML is a mapping."""
    region_id = file.stem
    if region_id in RESERVED_SLUGS:
        message = _("'{id}' is reserved for the overview page; choose another region id").format(id=region_id)
        problems.append(Problem(rel, 1, 1, message))
        return None
    text = read_text(file, rel, problems)
    if text is None:
        return None
    if not SLUG_RE.match(region_id):
        problems.append(
            Problem(
                rel,
                1,
                1,
                _(
                    "file name '{name}' is not a valid region id: use lowercase letters, digits and hyphens, "
                    "like 'noordoost-twente.yml'"
                ).format(name=file.name),
            )
        )
    if not text.strip():
        problems.append(Problem(rel, 1, 1, _("file is empty; a region needs at least name, provinces and horizon")))
        return None
    parsed = parse_yaml(text, rel, first_line=1)
    problems.extend(parsed.problems)
    if parsed.data is None and parsed.problems:
        return None
    if not isinstance(parsed.data, dict):
        problems.append(
            Problem(
                rel,
                1,
                1,
                _("a region file must be a mapping of keys (name, provinces, horizon), found {value}").format(
                    value=describe(parsed.data)
                ),
            )
        )
        return None
    return RegionSource(region_id, rel, parsed)


def _note_participants(
    source: RegionSource,
    seen: dict[str, tuple[str, int, int]],
    consent: dict[str, tuple[str, bool]],
    problems: list[Problem],
) -> None:
    """A region's participants: each id must be unique across all regions (a story names them
    without a region); each one's name and consent noted."""
    _file, rel, parsed = source
    listed = parsed.data.get("participants")
    for index, raw in enumerate(listed if isinstance(listed, list) else []):
        if not (isinstance(raw, dict) and isinstance(raw.get("id"), str)):
            continue
        pos = parsed.source.value(("participants", index, "id"))
        pid = raw["id"]
        if pid in seen:
            other, line, _column = seen[pid]
            message = _("participant id '{id}' is already defined in {where}").format(id=pid, where=f"{other}:{line}")
            problems.append(Problem(rel, pos.line, pos.column, message))
        else:
            seen[pid] = (rel, pos.line, pos.column)
        if pid not in consent:
            name = raw.get("name")
            consent[pid] = (name if isinstance(name, str) else "", raw.get("public") is True)


def _check_description(source: RegionSource, allow_remote_images: bool, problems: list[Problem]) -> None:
    """What the sanitizer would remove from the region's description, where it stands."""
    _file, rel, parsed = source
    description = parsed.data.get("description")
    block = parsed.source.blocks.get(("description",))
    if block is not None:  # a block of text (| or >): each problem at its own line
        found = find_markdown_problems_at(block.text, allow_remote_images)
        for line, column, message in found:
            problems.append(Problem(rel, block.line + line - 1, column, f"description: {message}"))
        # `>` folds its lines into one: what only the folded value holds, at the block's start.
        told = {message for _line, _column, message in found}
        if isinstance(description, str):
            for message in find_markdown_problems(description, allow_remote_images):
                if message not in told:
                    problems.append(Problem(rel, block.line, 1, f"description: {message}"))
    elif isinstance(description, str):
        for message in find_markdown_problems(description, allow_remote_images):
            report_at(parsed, rel, problems, ("description",), f"description: {message}")


#: HTML in a description: the description is Markdown whose raw HTML is escaped, in code too
#: (`site/paths.markdown_text`), so the page shows such a tag (an autolink `<https://…>` or
#: `<naam@example.org>` too) as it is written, and in code as `&lt;b>`; so too the target of
#: `[text](<target>)`, which is no link then. (A closing tag is not told again, `\<b>` is escaped,
#: and a `<` that no `>` ends, as in `stad<platteland`, is shown as meant.)
_HTML_IN_MARKDOWN = re.compile(
    r"(?<!\\)"
    r"<(?:[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>|!--|[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>]*>|[^\s<>@/]+@[^\s<>]+>)"
    r"|(?<=\]\()<[a-zA-Z/!?][^<>]*>"
)


def html_shown_as_text(sources: list[RegionSource]) -> list[ContentWarning]:
    """A warning at each HTML tag in a region's description, which its page shows as text."""
    message = _(
        "description: HTML is shown as text here, as it is written; write Markdown instead: "
        "**bold**, *italic*, [text](https://example.org)"
    )
    found = []
    for _id, rel, parsed in sources:
        description = parsed.data.get("description")
        if not isinstance(description, str) or "<" not in description:
            continue
        block = parsed.source.blocks.get(("description",))
        if block is None:  # on one line with its key: told at the value
            if _HTML_IN_MARKDOWN.search(description):
                at = parsed.source.value(("description",))
                found.append(ContentWarning(rel, at.line, at.column, message))
            continue
        position = Positions(block.text)
        for tag in _HTML_IN_MARKDOWN.finditer(block.text):
            line, column = position(tag.start())
            found.append(ContentWarning(rel, block.line + line - 1, column, message))
    return found


def _name_entries(source: RegionSource) -> list[NameEntry]:
    """Each participant's name with its consent and where it stands: consent belongs to a person."""
    _file, rel, parsed = source
    listed = parsed.data.get("participants")
    entries = []
    for index, raw in enumerate(listed if isinstance(listed, list) else []):
        if isinstance(raw, dict) and isinstance(raw.get("name"), str):
            at = parsed.source.value(("participants", index, "name"))
            entries.append(NameEntry(raw["name"], raw.get("public") is True, rel, at.line, at.column))
    return entries


def _names_in_regions(sources: list[RegionSource], finder: NameMatcher) -> list[Problem]:
    """A region's texts are published too: its name, horizon and description, and what a
    consenting participant's entry says. Names must be known from every region first."""
    problems: list[Problem] = []
    for _file, rel, parsed in sources:
        raw_region = parsed.data
        listed = raw_region.get("participants")
        public = (
            {index for index, p in enumerate(listed) if isinstance(p, dict) and p.get("public") is True}
            if isinstance(listed, list)
            else set()
        )
        values = text_values(raw_region, functools.partial(_private_region_text, public=public))
        problems += named_in_values(finder, values, parsed, rel)
    return problems


def valid_regions(sources: list[RegionSource], problems: list[Problem]) -> dict[str, Region]:
    """The regions whose files fit the content model, by id; every misfit a problem."""
    from regioverhalen.content.model import RegionFile
    from regioverhalen.content.validation import validate_model

    regions: dict[str, Region] = {}
    for region_id, rel, parsed in sources:
        data, model_problems = validate_model(RegionFile, parsed, rel)
        problems.extend(model_problems)
        if data is not None:
            seen: set[str] = set()
            for index, province in enumerate(data.provinces):
                if province in seen:  # the region would be listed twice under it
                    message = _("province '{province}' is listed twice; name each province once")
                    report_at(parsed, rel, problems, ("provinces", index), message.format(province=province.value))
                seen.add(province)
        if data is not None and SLUG_RE.match(region_id) and not parsed.problems:
            regions[region_id] = Region(region_id, rel, data)
    return regions


def report_at(parsed: ParsedYaml, path: str, into: list[Problem], loc: Loc, message: str) -> None:
    """Add a problem positioned at the value `loc` of a parsed file."""
    into.append(problem_at(parsed.source, path, loc, message))


def problem_at(source: SourceMap, path: str, loc: Loc, message: str) -> Problem:
    pos = source.value(loc)
    return Problem(path, pos.line, pos.column, message)


def hidden_name_finder(consent: dict[str, tuple[str, bool]]) -> NameMatcher:
    """Finds the names of participants without `public: true` (participant id by name); the names
    of those with consent excuse the name parts they share."""
    hidden = {name.strip(): pid for pid, (name, public) in consent.items() if name.strip() and not public}
    return NameMatcher(hidden, [name.strip() for name, public in consent.values() if public and name.strip()])


def _private_region_text(loc: tuple[str | int, ...], public: set[int]) -> bool:
    """Region texts never published: free-form extras, and each participant's own entry
    (its name, and for a participant without consent everything else too)."""
    if loc[:1] == ("extra",):
        return True
    if loc[:1] == ("participants",) and len(loc) >= 3:
        return loc[2] in ("id", "name", "role", "public") or loc[1] not in public
    return False


def _names_in_text(finder: NameMatcher, text: str) -> list[tuple[int, int, str]]:
    """Names in a text value as a reader may see it: HTML in it is refused or, in a description
    (Markdown whose raw HTML is escaped), shown as written, a tag's attributes included."""
    found = finder.find(text)
    return sorted({*found, *finder.find(text, markup=False)}) if "<" in text else found


def named_in_values(finder: NameMatcher, values: list[tuple[Loc, str]], parsed: ParsedYaml, rel: str) -> list[Problem]:
    """A problem for every published text value that contains a non-public participant's name."""
    problems: list[Problem] = []
    for loc, value in values:
        # Every such text is shown after other text somewhere (a card, a list, the search index),
        # so its first word is read as running on from it, as the built site is: "0 " before it.
        named = dict.fromkeys(pid for _line, _column, pid in _names_in_text(finder, f"0 {value}"))
        block = parsed.source.blocks.get(loc) if named else None
        # In a block of text (| or >) each place a name stands is reported; elsewhere the value.
        in_block = (
            [(block.line + line - 1, column, pid) for line, column, pid in _names_in_text(finder, block.text)]
            if block
            else []
        )
        for line, column, pid in in_block:
            problems.append(Problem(rel, line, column, f"{field_name(loc)}: {consent_message(pid)}"))
        for pid in named.keys() - {pid for _line, _column, pid in in_block}:
            report_at(parsed, rel, problems, loc, f"{field_name(loc)}: {consent_message(pid)}")
    return problems
