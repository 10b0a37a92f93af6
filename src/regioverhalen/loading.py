"""Load `regions/` and `stories/` into a validated `Content`, collecting every problem."""

from __future__ import annotations

import functools
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from regioverhalen.model import SLUG_RE, Participant, RegionFile, StoryFrontMatter, slugify
from regioverhalen.problems import Problem, consent_message, did_you_mean
from regioverhalen.reading import ReadError, decode, split_front_matter
from regioverhalen.safety import NameFinder, find_slow_markdown, find_unsafe_html, find_unsafe_markdown, text_values
from regioverhalen.validation import describe, field_name, validate_model
from regioverhalen.yaml_source import Loc, SourceMap, parse_yaml

#: Ids that would collide with an overview page (`/regios/`, `/themas/`).
RESERVED_SLUGS = frozenset({"index"})


@dataclass(frozen=True)
class Region:
    id: str
    path: str
    data: RegionFile

    @property
    def name(self) -> str:
        return self.data.name


@dataclass(frozen=True)
class Story:
    path: str
    slug: str
    meta: StoryFrontMatter
    body: str
    #: File line on which `body` starts, so body problems can name their line.
    body_line: int


@dataclass
class Content:
    """Everything the site is built from, plus every problem found while loading it."""

    regions: dict[str, Region] = field(default_factory=dict)
    #: Published stories, newest first (ties broken by slug, so order is stable).
    stories: list[Story] = field(default_factory=list)
    drafts: list[Story] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Number of story files found, whatever became of them.
    story_files: int = 0
    #: Finds the names of participants without consent, in any text that will be published.
    hidden_names: NameFinder = field(default_factory=lambda: NameFinder({}))

    def participant(self, participant_id: str) -> tuple[Participant, Region]:
        for region in self.regions.values():
            for participant in region.data.participants:
                if participant.id == participant_id:
                    return participant, region
        raise KeyError(participant_id)

    def summary_line(self) -> str:
        errors = len(self.problems)
        return (
            f"{len(self.stories)} stories published, {len(self.drafts)} drafts held back, "
            f"{errors} error{'s' if errors != 1 else ''}"
        )


@dataclass(frozen=True)
class ContentPaths:
    root: Path
    stories_dir: str = "stories"
    regions_dir: str = "regions"
    allowed_html_tags: tuple[str, ...] = ()


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _content_files(
    folder: Path, root: Path, suffixes: tuple[str, ...], problems: list[Problem], *, recursive: bool = True
) -> list[Path]:
    """Content files under `folder`, sorted; links leading outside the repository are reported."""
    if not folder.is_dir():
        return []
    found = []
    real_root = root.resolve()

    def unreadable(error: OSError) -> None:
        # A folder we cannot list would silently hide its stories.
        where = _relative(Path(error.filename), root) if error.filename else _relative(folder, root)
        problems.append(Problem(where, 1, 1, f"cannot read folder: {error.strerror}"))

    for dirpath, dirnames, filenames in os.walk(folder, onerror=unreadable, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        if not recursive:
            for name in dirnames:
                if any((Path(dirpath) / name).rglob(f"*{suffixes[0]}")):
                    rel = _relative(Path(dirpath) / name, root)
                    problems.append(
                        Problem(
                            rel,
                            1,
                            1,
                            f"files in sub-folders are not read; move them up into {_relative(folder, root)}/",
                        )
                    )
            dirnames.clear()
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            rel = _relative(path, root)
            if not name.lower().endswith(suffixes):
                if name.lower().endswith((".markdown", ".mdown", ".txt", ".yaml")):
                    problems.append(Problem(rel, 1, 1, f"not a content file: rename it to end in '{suffixes[0]}'"))
                continue
            if not name.endswith(suffixes):
                problems.append(Problem(rel, 1, 1, f"file extension must be lowercase '{suffixes[0]}'"))
                continue
            link_problem = _link_problem(path, real_root, "copy the file in instead") if path.is_symlink() else None
            if link_problem:
                problems.append(Problem(rel, 1, 1, link_problem))
                continue
            if not path.is_file():  # a named pipe or device would block or mislead the reader
                problems.append(Problem(rel, 1, 1, "not a regular file; a content file must be plain text"))
                continue
            found.append(path)
        for name in list(dirnames):
            sub = Path(dirpath) / name
            if sub.is_symlink():
                # Never followed: a linked folder could loop, leave the repository or hold stories twice.
                problem = _link_problem(sub, real_root, "copy the folder in instead") or (
                    "symbolic link to a folder is not followed; move the folder here instead"
                )
                problems.append(Problem(_relative(sub, root), 1, 1, problem))
                dirnames.remove(name)
    return found


def _link_problem(path: Path, real_root: Path, hint: str) -> str | None:
    """What is wrong with a symbolic link in a content folder, if anything."""
    try:
        target = path.resolve()
    except (OSError, RuntimeError):
        return "symbolic link cannot be followed: it points to itself in a loop"
    if not target.is_relative_to(real_root):
        return f"symbolic link points outside the repository; {hint}"
    if not target.exists():
        return "symbolic link points to a file that does not exist"
    return None


def load_regions(
    paths: ContentPaths,
    problems: list[Problem],
    declared: dict[str, tuple[str, bool]] | None = None,
    region_ids: set[str] | None = None,
) -> dict[str, Region]:
    """Valid regions by id. `declared` receives every participant id seen and `region_ids` every
    region file's id, valid region or not, so stories are not blamed for a region file's mistake."""
    regions: dict[str, Region] = {}
    folder = paths.root / paths.regions_dir
    if not folder.is_dir():
        problems.append(Problem(paths.regions_dir, 1, 1, "regions folder not found"))
        return regions
    seen_participants: dict[str, tuple[str, int, int]] = {}
    consent: dict[str, tuple[str, bool]] = {}
    texts: list[tuple[str, dict[str, Any], SourceMap]] = []
    for file in _content_files(folder, paths.root, (".yml",), problems, recursive=False):
        rel = _relative(file, paths.root)
        region_id = file.stem
        if region_ids is not None:
            region_ids.add(region_id)
        if region_id in RESERVED_SLUGS:
            problems.append(
                Problem(rel, 1, 1, f"'{region_id}' is reserved for the overview page; choose another region id")
            )
            continue
        try:
            text = decode(file.read_bytes(), rel)
        except ReadError as error:
            problems.append(error.problem)
            continue
        except OSError as error:
            problems.append(Problem(rel, 1, 1, f"cannot read file: {error.strerror}"))
            continue
        if not SLUG_RE.match(region_id):
            problems.append(
                Problem(
                    rel,
                    1,
                    1,
                    f"file name '{file.name}' is not a valid region id: use lowercase letters, digits and hyphens, "
                    "like 'noordoost-twente.yml'",
                )
            )
        if not text.strip():
            problems.append(Problem(rel, 1, 1, "file is empty; a region needs at least name, provinces and horizon"))
            continue
        parsed = parse_yaml(text, rel, first_line=1)
        problems.extend(parsed.problems)
        if parsed.data is None and parsed.problems:
            continue
        if not isinstance(parsed.data, dict):
            problems.append(
                Problem(
                    rel,
                    1,
                    1,
                    "a region file must be a mapping of keys (name, provinces, horizon), "
                    f"found {describe(parsed.data)}",
                )
            )
            continue
        data, model_problems = validate_model(RegionFile, parsed.data, rel, parsed.source)
        problems.extend(model_problems)
        texts.append((rel, parsed.data, parsed.source))
        description = parsed.data.get("description")
        if isinstance(description, str):
            pos = parsed.source.value(("description",))
            problems += [
                Problem(rel, pos.line, pos.column, f"description: {m}") for m in find_unsafe_markdown(description)
            ]
        # Participant ids must be unique across all regions: a story names them without a region.
        listed = parsed.data.get("participants")
        for index, raw in enumerate(listed if isinstance(listed, list) else []):
            if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                pos = parsed.source.value(("participants", index, "id"))
                pid = raw["id"]
                if pid in seen_participants:
                    other, line, _ = seen_participants[pid]
                    problems.append(
                        Problem(
                            rel, pos.line, pos.column, f"participant id '{pid}' is already defined in {other}:{line}"
                        )
                    )
                else:
                    seen_participants[pid] = (rel, pos.line, pos.column)
                if pid not in consent:
                    name = raw.get("name")
                    consent[pid] = (name if isinstance(name, str) else "", raw.get("public") is True)
        if data is not None and SLUG_RE.match(region_id) and not parsed.problems:
            regions[region_id] = Region(region_id, rel, data)
    if declared is not None:
        declared.update(consent)
    # A region's texts are published too: its name, horizon and description, and what a
    # consenting participant's entry says. Names must be known from every region first.
    finder = hidden_name_finder(consent)
    for rel, raw_region, source in texts:
        public = (
            {
                index
                for index, p in enumerate(raw_region.get("participants") or [])
                if isinstance(p, dict) and p.get("public") is True
            }
            if isinstance(raw_region.get("participants"), list)
            else set()
        )
        problems += _named_in_values(
            finder, raw_region, source, rel, functools.partial(_private_region_text, public=public)
        )
    return regions


def _report_at(source: SourceMap, path: str, into: list[Problem], loc: Loc, message: str) -> None:
    """Add a problem positioned at the value `loc` of a parsed file."""
    pos = source.value(loc)
    into.append(Problem(path, pos.line, pos.column, message))


def hidden_name_finder(consent: dict[str, tuple[str, bool]]) -> NameFinder:
    """Finds the names of participants without `public: true` (participant id by name)."""
    return NameFinder({name.strip(): pid for pid, (name, public) in consent.items() if name.strip() and not public})


def _private_region_text(loc: tuple[str | int, ...], public: set[int]) -> bool:
    """Region texts never published: free-form extras, and each participant's own entry
    (its name, and for a participant without consent everything else too)."""
    if loc[:1] == ("extra",):
        return True
    if loc[:1] == ("participants",) and len(loc) >= 3:
        return loc[2] in ("id", "name", "role", "public") or loc[1] not in public
    return False


def _named_in_values(finder: NameFinder, raw: dict[str, Any], source: SourceMap, rel: str, skip: Any) -> list[Problem]:
    """A problem for every published text value that contains a non-public participant's name."""
    problems: list[Problem] = []
    if not finder:
        return problems
    for loc, value in text_values(raw, skip):
        for pid in dict.fromkeys(pid for _, _, pid in finder.find(value)):
            pos = source.value(loc)
            problems.append(Problem(rel, pos.line, pos.column, f"{field_name(loc)}: {consent_message(pid)}"))
    return problems


@dataclass
class _StoryFile:
    rel: str
    raw: dict[str, Any]
    meta: StoryFrontMatter | None
    body: str
    body_line: int
    source: SourceMap


def _read_story(file: Path, paths: ContentPaths, problems: list[Problem]) -> _StoryFile | None:
    rel = _relative(file, paths.root)
    try:
        text = decode(file.read_bytes(), rel)
        split = split_front_matter(text, rel)
    except ReadError as error:
        problems.append(error.problem)
        return None
    except OSError as error:
        problems.append(Problem(rel, 1, 1, f"cannot read file: {error.strerror}"))
        return None
    parsed = parse_yaml(split.front_matter, rel, first_line=split.front_matter_line)
    problems.extend(parsed.problems)
    if parsed.data is None and parsed.problems:
        return None
    if not isinstance(parsed.data, dict):
        found = "nothing" if parsed.data is None else describe(parsed.data)
        problems.append(
            Problem(rel, 1, 1, f"front matter must be a mapping of keys (title, date, region, ...), found {found}")
        )
        return None
    meta, model_problems = validate_model(StoryFrontMatter, parsed.data, rel, parsed.source)
    problems.extend(model_problems)
    if parsed.problems:
        meta = None
    return _StoryFile(rel, parsed.data, meta, split.body, split.body_line, parsed.source)


def load_content(paths: ContentPaths) -> Content:
    """Load and validate all regions and stories. Never raises for a content mistake."""
    content = Content()
    problems = content.problems
    declared: dict[str, tuple[str, bool]] = {}
    region_files: set[str] = set()
    content.regions = load_regions(paths, problems, declared, region_files)
    participants = declared
    finder = content.hidden_names = hidden_name_finder(declared)

    story_dir = paths.root / paths.stories_dir
    if not story_dir.is_dir():
        problems.append(Problem(paths.stories_dir, 1, 1, "stories folder not found"))
    files = _content_files(story_dir, paths.root, (".md",), problems)
    content.story_files = len(files)
    slugs: dict[str, str] = {}
    theme_themes: dict[str, tuple[str, str]] = {}
    for file in files:
        loaded = _read_story(file, paths, problems)
        if loaded is None:
            continue
        rel, raw, meta, body, body_line, source = (
            loaded.rel,
            loaded.raw,
            loaded.meta,
            loaded.body,
            loaded.body_line,
            loaded.source,
        )
        story_problems: list[Problem] = []

        report = functools.partial(_report_at, source, rel, story_problems)

        # Cross-references are checked on the raw values too, so that one wrong field
        # never hides another problem in the same file.
        region = raw.get("region")
        if isinstance(region, str) and SLUG_RE.match(region) and region not in region_files:
            report(("region",), f"region: unknown region '{region}'{did_you_mean(region, region_files)}")
        listed = raw.get("participants")
        listed = listed if isinstance(listed, list) else []
        for index, pid in enumerate(listed):
            if not isinstance(pid, str) or not SLUG_RE.match(pid):
                continue
            if pid not in participants:
                report(
                    ("participants", index),
                    f"participants[{index}]: unknown participant '{pid}'{did_you_mean(pid, participants)}",
                )
            elif listed.index(pid) != index:
                report(("participants", index), f"participants[{index}]: '{pid}' is listed twice")

        raw_slug = raw.get("slug")
        slug = (
            raw_slug
            if isinstance(raw_slug, str) and SLUG_RE.match(raw_slug)
            else unicodedata.normalize("NFC", file.stem)
        )
        if raw_slug is None and not SLUG_RE.match(slug):
            report(
                (),
                f"file name '{file.name}' is not a valid slug: use lowercase letters, digits and hyphens, "
                "or set 'slug:'",
            )
        key = unicodedata.normalize("NFC", slug).casefold()
        if key in slugs:
            report(
                ("slug",) if raw_slug else (), f"slug '{slug}' is already used by {slugs[key]}; set a different 'slug:'"
            )
        else:
            slugs[key] = rel

        # Themes share a page by slug: two spellings of one slug, or a reserved one, would clash.
        raw_themes = raw.get("themes")
        for index, theme in enumerate(raw_themes if isinstance(raw_themes, list) else []):
            if not isinstance(theme, str):
                continue
            theme_key = slugify(theme)
            if theme_key in RESERVED_SLUGS:
                report(
                    ("themes", index),
                    f"themes[{index}]: '{theme}' is reserved for the overview page; choose another theme",
                )
            elif theme_themes.setdefault(theme_key, (theme, rel))[0] != theme:
                first, where = theme_themes[theme_key]
                report(
                    ("themes", index),
                    f"themes[{index}]: '{theme}' and '{first}' ({where}) would share one page; spell them the same",
                )

        # A non-public name in the text would be published: refuse it where it stands,
        # in every front-matter text that reaches a page, feed or data file, and in the URL.
        story_problems += _named_in_values(finder, raw, source, rel, _private_story_text)
        if raw_slug is None:
            for pid in dict.fromkeys(pid for _, _, pid in finder.find(file.stem)):
                report((), f"file name '{file.name}' {consent_message(pid)}; rename the file or set 'slug:'")
        for line, column, pid in finder.find(body):
            story_problems.append(Problem(rel, body_line + line - 1, column, consent_message(pid)))
        story_problems.extend(find_unsafe_html(body, body_line, rel, paths.allowed_html_tags))
        story_problems.extend(find_slow_markdown(body, body_line, rel))

        problems.extend(story_problems)
        if story_problems or meta is None:
            continue
        story = Story(rel, slug, meta, body, body_line)
        (content.drafts if meta.draft else content.stories).append(story)

    content.stories.sort(key=lambda s: (-s.meta.date.toordinal(), s.slug))
    content.problems = sorted(set(problems))
    return content


def _private_story_text(loc: tuple[str | int, ...]) -> bool:
    """Front-matter values that are never published as text (ids are checked as ids)."""
    return loc[:1] in (("extra",), ("participants",), ("region",), ("draft",), ("date",))
