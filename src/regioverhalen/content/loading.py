"""Load `regions/` and `stories/` into a validated `Content`, collecting every problem."""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from regioverhalen.content.html_check import find_html_problems, find_markdown_problems, find_markdown_problems_at
from regioverhalen.content.limits import find_deep_nesting, find_heavy_inline, find_slow_headings
from regioverhalen.content.problems import Problem, consent_message, describe, did_you_mean, field_name
from regioverhalen.content.reading import ReadError, decode, split_front_matter, story_text_starts
from regioverhalen.content.safety import (
    NameFinder,
    find_slow_markdown,
    text_values,
)
from regioverhalen.content.shared_work import computed_in_forked_child, fork_is_safe, share_with_forked_child
from regioverhalen.content.terms import SLUG_RE, slugify
from regioverhalen.content.yaml_source import Loc, ParsedYaml, SourceMap, parse_yaml

if TYPE_CHECKING:
    from regioverhalen.content.model import Participant, RegionFile, StoryFrontMatter

# The content model and its validator (pydantic: together a tenth of a second to import) are
# imported only by the two functions that check against them, `_valid_regions` and
# `_with_model`: the checks that need neither can then start at once, in a second process
# (see `_in_two_processes`).

UNCLOSED_BEFORE_TEXT = "front matter is not closed; add a '---' line after the last key, before the story's text"

#: What a story file whose name cannot be published is told to do.
RENAME_FILE_HINT = "; rename the file or set 'slug:'"

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
    allow_remote_images: bool = False


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _content_files(
    folder: Path, root: Path, suffixes: tuple[str, ...], problems: list[Problem], *, recursive: bool = True
) -> list[tuple[Path, str]]:
    """Content files under `folder`, sorted, with their paths relative to `root`; links leading
    outside the repository are reported. Folders are read as `os.walk` reads them, but each
    entry's type comes from the folder listing rather than another system call per file."""
    if not folder.is_dir():
        return []
    found: list[tuple[Path, str]] = []
    real_root = root.resolve()

    def unreadable(error: OSError) -> None:
        # A folder we cannot list would silently hide its stories.
        where = _relative(Path(error.filename), root) if error.filename else _relative(folder, root)
        problems.append(Problem(where, 1, 1, f"cannot read folder: {error.strerror}"))

    # Depth first, each folder's files before its sub-folders, all in name order, as os.walk goes.
    pending = [folder]
    while pending:
        directory = pending.pop()
        try:
            with os.scandir(directory) as listing:
                entries = list(listing)
        except OSError as error:
            unreadable(error)
            continue
        folders = sorted((entry.name, entry) for entry in entries if not entry.name.startswith(".") and _is_dir(entry))
        if not recursive:
            for name, _ in folders:
                if any((directory / name).rglob(f"*{suffixes[0]}")):
                    problems.append(
                        Problem(
                            _relative(directory / name, root),
                            1,
                            1,
                            f"files in sub-folders are not read; move them up into {_relative(folder, root)}/",
                        )
                    )
            folders = []
        directory_rel = _relative(directory, root)
        for name, entry in sorted((entry.name, entry) for entry in entries if not _is_dir(entry)):
            if name.startswith("."):
                continue
            path = directory / name
            rel = name if directory_rel == "." else f"{directory_rel}/{name}"
            if not name.lower().endswith(suffixes):
                if name.lower().endswith((".markdown", ".mdown", ".txt", ".yaml")):
                    problems.append(Problem(rel, 1, 1, f"not a content file: rename it to end in '{suffixes[0]}'"))
                continue
            if not name.endswith(suffixes):
                problems.append(Problem(rel, 1, 1, f"file extension must be lowercase '{suffixes[0]}'"))
                continue
            link_problem = _link_problem(path, real_root, "copy the file in instead") if entry.is_symlink() else None
            if link_problem:
                problems.append(Problem(rel, 1, 1, link_problem))
                continue
            if not entry.is_file():  # a named pipe or device would block or mislead the reader
                problems.append(Problem(rel, 1, 1, "not a regular file; a content file must be plain text"))
                continue
            found.append((path, rel))
        subfolders = []
        for name, entry in folders:
            sub = directory / name
            if entry.is_symlink():
                # Never followed: a linked folder could loop, leave the repository or hold stories twice.
                problem = _link_problem(sub, real_root, "copy the folder in instead") or (
                    "symbolic link to a folder is not followed; move the folder here instead"
                )
                problems.append(Problem(_relative(sub, root), 1, 1, problem))
            else:
                subfolders.append(sub)
        pending += reversed(subfolders)
    return found


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """Whether a listed entry is a folder, or a link to one, as `os.walk` decides it."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, as `Path.read_bytes` gives them, without the cost of a file object."""
    fd = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


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
    return _valid_regions(_read_regions(paths, problems, declared, region_ids), problems)


class _RegionSource(NamedTuple):
    id: str
    path: str
    parsed: ParsedYaml


def _read_regions(
    paths: ContentPaths,
    problems: list[Problem],
    declared: dict[str, tuple[str, bool]] | None,
    region_ids: set[str] | None,
) -> list[_RegionSource]:
    """Every region file whose YAML is a mapping, checked as far as that needs no content model."""
    folder = paths.root / paths.regions_dir
    if not folder.is_dir():
        problems.append(Problem(paths.regions_dir, 1, 1, "regions folder not found"))
        return []
    seen_participants: dict[str, tuple[str, int, int]] = {}
    consent: dict[str, tuple[str, bool]] = {}
    sources: list[_RegionSource] = []
    for file, rel in _content_files(folder, paths.root, (".yml",), problems, recursive=False):
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
        sources.append(_RegionSource(region_id, rel, parsed))
        description = parsed.data.get("description")
        block = parsed.source.blocks.get(("description",))
        if block is not None:  # a block of text (| or >): each problem at its own line
            for line, column, message in find_markdown_problems_at(block.text, paths.allow_remote_images):
                problems.append(Problem(rel, block.line + line - 1, column, f"description: {message}"))
        elif isinstance(description, str):
            for message in find_markdown_problems(description, paths.allow_remote_images):
                _report_at(parsed, rel, problems, ("description",), f"description: {message}")
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
    if declared is not None:
        declared.update(consent)
    # A region's texts are published too: its name, horizon and description, and what a
    # consenting participant's entry says. Names must be known from every region first.
    finder = hidden_name_finder(consent)
    for _, rel, parsed in sources:
        raw_region = parsed.data
        public = (
            {
                index
                for index, p in enumerate(raw_region.get("participants") or [])
                if isinstance(p, dict) and p.get("public") is True
            }
            if isinstance(raw_region.get("participants"), list)
            else set()
        )
        values = text_values(raw_region, functools.partial(_private_region_text, public=public))
        problems += _named_in_values(finder, values, parsed, rel)
    return sources


def _valid_regions(sources: list[_RegionSource], problems: list[Problem]) -> dict[str, Region]:
    """The regions whose files fit the content model, by id; every misfit a problem."""
    from regioverhalen.content.model import RegionFile
    from regioverhalen.content.validation import validate_model

    regions: dict[str, Region] = {}
    for region_id, rel, parsed in sources:
        data, model_problems = validate_model(RegionFile, parsed, rel)
        problems.extend(model_problems)
        if data is not None and SLUG_RE.match(region_id) and not parsed.problems:
            regions[region_id] = Region(region_id, rel, data)
    return regions


def _report_at(parsed: ParsedYaml, path: str, into: list[Problem], loc: Loc, message: str) -> None:
    """Add a problem positioned at the value `loc` of a parsed file."""
    into.append(_problem_at(parsed.source, path, loc, message))


def _problem_at(source: SourceMap, path: str, loc: Loc, message: str) -> Problem:
    pos = source.value(loc)
    return Problem(path, pos.line, pos.column, message)


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


def _named_in_values(finder: NameFinder, values: list[tuple[Loc, str]], parsed: ParsedYaml, rel: str) -> list[Problem]:
    """A problem for every published text value that contains a non-public participant's name."""
    problems: list[Problem] = []
    for loc, value in values:
        named = dict.fromkeys(pid for _, _, pid in finder.find(value))
        block = parsed.source.blocks.get(loc) if named else None
        # In a block of text (| or >) each place a name stands is reported; elsewhere the value.
        in_block = (
            [(block.line + line - 1, column, pid) for line, column, pid in finder.find(block.text)] if block else []
        )
        for line, column, pid in in_block:
            problems.append(Problem(rel, line, column, f"{field_name(loc)}: {consent_message(pid)}"))
        for pid in named.keys() - {pid for _, _, pid in in_block}:
            _report_at(parsed, rel, problems, loc, f"{field_name(loc)}: {consent_message(pid)}")
    return problems


class _StoryFile(NamedTuple):
    parsed: ParsedYaml
    body: str
    body_line: int


def _read_story(file: Path, rel: str, problems: list[Problem]) -> _StoryFile | None:
    """The story file's front matter and body, if its front matter is a YAML mapping."""
    try:
        text = decode(_read_bytes(file), rel)
        split = split_front_matter(text, rel)
    except ReadError as error:
        problems.append(error.problem)
        return None
    except OSError as error:
        problems.append(Problem(rel, 1, 1, f"cannot read file: {error.strerror}"))
        return None
    parsed = parse_yaml(split.front_matter, rel, first_line=split.front_matter_line)
    if parsed.data is None and parsed.problems:
        text_line = _unclosed_before(split.front_matter, parsed, split.front_matter_line, rel)
        if text_line is not None:  # YAML failed in the story's text: the front matter was never closed
            problems.append(Problem(rel, text_line, 1, UNCLOSED_BEFORE_TEXT))
        else:
            problems.extend(parsed.problems)
        return None
    problems.extend(parsed.problems)
    if not isinstance(parsed.data, dict):
        found = "nothing" if parsed.data is None else describe(parsed.data)
        problems.append(
            Problem(rel, 1, 1, f"front matter must be a mapping of keys (title, date, region, ...), found {found}")
        )
        return None
    return _StoryFile(parsed, split.body, split.body_line)


def _unclosed_before(front_matter: str, parsed: ParsedYaml, first_line: int, rel: str) -> int | None:
    """The file line where the story's text begins, if what failed as front matter is front
    matter without a problem followed by the story's text (its closing '---' left out)."""
    first_error = min(problem.line for problem in parsed.problems) - first_line + 1
    lines = front_matter.split("\n")
    for start in story_text_starts(front_matter, first_error):
        keys = parse_yaml("\n".join(lines[: start - 1]), rel, first_line)
        if not keys.problems and isinstance(keys.data, dict):
            return start + first_line - 1
    return None


class _Known(NamedTuple):
    """What every story is checked against: the regions' ids and participants, and the site's
    options; and whether a story's text is kept once it is checked."""

    region_files: set[str]
    participants: dict[str, tuple[str, bool]]
    finder: NameFinder
    allowed_html_tags: tuple[str, ...]
    keep_texts: bool = True
    #: Regions whose file could not be read as YAML: who takes part there is not known.
    unreadable_regions: frozenset[str] = frozenset()
    #: The ids that region files with an invalid name ('Achterhoek.yml') were meant to have.
    misnamed_regions: frozenset[str] = frozenset()
    regions_dir: str = "regions"
    allow_remote_images: bool = False

    @property
    def region_ids(self) -> list[str]:
        """The valid region ids, for a did-you-mean."""
        return [region for region in self.region_files if SLUG_RE.match(region)]


class _StoryText(NamedTuple):
    """What the checks that need no content model found in one story file."""

    problems: list[Problem]
    #: The front matter, if it is a mapping; it is then checked against the content model.
    parsed: ParsedYaml | None = None
    body: str = ""
    body_line: int = 0
    #: Its slug (None if the file could not be read as a story), compared in NFC and casefolded,
    #: and where a clash is reported: at 'slug:' if that is set, else at the top.
    slug: str | None = None
    slug_key: str = ""
    slug_loc: Loc = ()
    #: (index, theme, the theme's page slug) for each theme that gets a page.
    themes: tuple[tuple[int, str, str], ...] = ()


class _CheckedStory(NamedTuple):
    """What checking one story file found. Slugs and themes are compared across files afterwards."""

    #: Every problem of the file by itself, the content model's too (and its parse let go).
    text: _StoryText
    #: The story, if its own file has no problem.
    story: Story | None = None


def _check_story(file_and_rel: tuple[Path, str], known: _Known) -> _CheckedStory:
    """Every problem one story file has by itself, and what the checks across files need."""
    return _with_model(_check_story_text(file_and_rel, known), file_and_rel[1])


def _with_model(text: _StoryText, rel: str) -> _CheckedStory:
    """A story file's findings, completed by checking its front matter against the content model."""
    from regioverhalen.content.model import StoryFrontMatter
    from regioverhalen.content.validation import validate_model

    if text.parsed is None or text.slug is None:  # the file could not be read as a story
        return _CheckedStory(text)
    meta, model_problems = validate_model(StoryFrontMatter, text.parsed, rel)
    problems = text.problems + model_problems
    story = Story(rel, text.slug, meta, text.body, text.body_line) if not problems and meta is not None else None
    return _CheckedStory(text._replace(problems=problems, parsed=None), story)


def _check_story_text(file_and_rel: tuple[Path, str], known: _Known) -> _StoryText:
    """Every problem one story file has by itself, as far as finding it needs no content model."""
    file, rel = file_and_rel
    problems: list[Problem] = []
    loaded = _read_story(file, rel, problems)
    if loaded is None:
        return _StoryText(problems)
    parsed, body, body_line = loaded
    raw = parsed.data
    report = functools.partial(_report_at, parsed, rel, problems)

    # Cross-references are checked on the raw values too, so that one wrong field
    # never hides another problem in the same file.
    region = raw.get("region")
    # A region file with an invalid name ('Achterhoek.yml') is reported itself: its name is what to fix.
    if (
        isinstance(region, str)
        and SLUG_RE.match(region)
        and region not in known.region_files
        and region not in known.misnamed_regions
    ):
        report(("region",), f"region: unknown region '{region}'{did_you_mean(region, known.region_ids)}")
    listed = raw.get("participants")
    listed = listed if isinstance(listed, list) else []
    # In a region whose file could not be read, every participant would seem unknown: that
    # file's own error is the one to fix, and the story is not published before it is.
    participants_known = not (isinstance(region, str) and region in known.unreadable_regions)
    for index, pid in enumerate(listed):
        if not isinstance(pid, str) or not SLUG_RE.match(pid):
            continue
        if pid not in known.participants:
            if not participants_known:
                continue
            # A participant of another region may be in a file that could not be read: say so,
            # and suggest nothing from the files that could.
            unread = sorted(f"{known.regions_dir}/{r}.yml" for r in known.unreadable_regions)
            hint = f", unless it is in {', '.join(unread)}, which could not be read" if unread else None
            report(
                ("participants", index),
                f"participants[{index}]: unknown participant '{pid}'{hint or did_you_mean(pid, known.participants)}",
            )
        elif listed.index(pid) != index:
            report(("participants", index), f"participants[{index}]: '{pid}' is listed twice")

    raw_slug = raw.get("slug")
    stem = file.stem
    slug = raw_slug if isinstance(raw_slug, str) and SLUG_RE.match(raw_slug) else unicodedata.normalize("NFC", stem)
    if raw_slug is None and not SLUG_RE.match(slug):
        report(
            (),
            f"file name '{file.name}' is not a valid slug: use lowercase letters, digits and hyphens, or set 'slug:'",
        )
    if slug in RESERVED_SLUGS:  # verhalen/index.md is the list of every story
        where = "slug: 'index'" if raw_slug is not None else f"file name '{file.name}' gives the slug 'index', which"
        report(
            ("slug",) if raw_slug is not None else (),
            f"{where} is the address of the story overview (/verhalen/); "
            + ("choose another slug" if raw_slug is not None else "rename the file or set 'slug:'"),
        )

    # Themes share a page by slug: two spellings of one slug, or a reserved one, would clash.
    themes: list[tuple[int, str, str]] = []
    raw_themes = raw.get("themes")
    for index, theme in enumerate(raw_themes if isinstance(raw_themes, list) else []):
        if not isinstance(theme, str):
            continue
        theme_key = slugify(theme)
        if theme_key in RESERVED_SLUGS:
            report(
                ("themes", index), f"themes[{index}]: '{theme}' is reserved for the overview page; choose another theme"
            )
        else:
            themes.append((index, theme, theme_key))

    # A non-public name in the text would be published: refuse it where it stands,
    # in every front-matter text that reaches a page, feed or data file, and in the URL.
    # One quick look at all the story's texts first (unpublished ones too, which does no harm):
    # most stories name no one.
    finder = known.finder
    if finder.might_name("\n".join(_strings(raw, [body, stem]))):
        problems += _named_in_values(finder, text_values(raw, _private_story_text), parsed, rel)
        if raw_slug is None:
            for pid in dict.fromkeys(pid for _, _, pid in finder.find(stem)):
                report((), f"file name '{file.name}' {consent_message(pid)}{RENAME_FILE_HINT}")
        for line, column, pid in finder.find(body):
            problems.append(Problem(rel, body_line + line - 1, column, consent_message(pid)))
    problems.extend(find_html_problems(body, body_line, rel, known.allowed_html_tags, known.allow_remote_images))
    problems.extend(find_slow_markdown(body, body_line, rel))
    problems.extend(find_deep_nesting(body, body_line, rel) + find_slow_headings(body, body_line, rel))
    problems.extend(find_heavy_inline(body, body_line, rel))

    slug_key = unicodedata.normalize("NFC", slug).casefold()
    kept = body if known.keep_texts else ""
    return _StoryText(problems, parsed, kept, body_line, slug, slug_key, ("slug",) if raw_slug else (), tuple(themes))


def _strings(data: object, into: list[str]) -> list[str]:
    """`into`, with every string in parsed YAML added."""
    if isinstance(data, str):
        into.append(data)
    elif isinstance(data, dict):
        for value in data.values():
            _strings(value, into)
    elif isinstance(data, list):
        for value in data:
            _strings(value, into)
    return into


def _positions_again(file: Path, rel: str) -> SourceMap:
    """Where each key and value sits in a story file that was read before (none if it changed since)."""
    loaded = _read_story(file, rel, [])
    return SourceMap() if loaded is None else loaded.parsed.source


#: Below this many story files, a second process costs about what it saves (`check`: 0.27 s either
#: way at 100 files, 0.30 s against 0.37 s at 300: the child works while the model is imported).
MIN_FILES_TO_SPLIT = 100


def load_content(
    paths: ContentPaths, *, parallel: bool = False, in_child: bool = False, keep_texts: bool = True
) -> Content:
    """Load and validate all regions and stories. Never raises for a content mistake.

    With `parallel`, on two or more CPUs, a forked child process checks stories at the same time
    (see `_in_two_processes`). With `in_child`, all of it is done in a forked child that hands
    back the content, so that this process never imports the validator (pydantic) and keeps no
    garbage from parsing: a build keeps those megabytes for MkDocs. Neither happens while other
    threads run, which a fork would not copy. The content and every problem are the same
    either way. Without `keep_texts` every story's `body` is empty (what `check` reports needs
    none of them, and its helper then sends back a seventh of the bytes).
    """
    # Loading makes tens of thousands of objects that all live on and form no reference cycles;
    # the cyclic garbage collector would only walk them, and all else in the process, over and over.
    with _collector_paused():
        if in_child and fork_is_safe():
            content = computed_in_forked_child(functools.partial(_load_content, paths, parallel, keep_texts))
            if content is not None:
                return content
        return _load_content(paths, parallel, keep_texts)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load_content(paths: ContentPaths, parallel: bool, keep_texts: bool = True) -> Content:
    content = Content()
    problems = content.problems
    declared: dict[str, tuple[str, bool]] = {}
    region_files: set[str] = set()
    region_sources = _read_regions(paths, problems, declared, region_files)
    content.hidden_names = hidden_name_finder(declared)

    story_dir = paths.root / paths.stories_dir
    if not story_dir.is_dir():
        problems.append(Problem(paths.stories_dir, 1, 1, "stories folder not found"))
    files = _content_files(story_dir, paths.root, (".md",), problems)
    content.story_files = len(files)
    unreadable = frozenset(region_files - {source.id for source in region_sources})
    misnamed = frozenset(slugify(region) for region in region_files if not SLUG_RE.match(region))
    known = _Known(
        region_files,
        declared,
        content.hidden_names,
        paths.allowed_html_tags,
        keep_texts,
        unreadable,
        misnamed,
        paths.regions_dir,
        paths.allow_remote_images,
    )
    checked_stories: Iterable[_CheckedStory]
    # On one CPU a second process would only take turns with this one.
    if parallel and len(files) >= MIN_FILES_TO_SPLIT and fork_is_safe() and len(os.sched_getaffinity(0)) > 1:
        checked_stories = _in_two_processes(files, known)
    else:
        checked_stories = (_check_story(file, known) for file in files)
    content.regions = _valid_regions(region_sources, problems)

    slugs: dict[str, _SlugHolder] = {}
    theme_pages: dict[str, tuple[str, str]] = {}
    for (file, rel), (text, story) in zip(files, checked_stories, strict=True):
        problems += text.problems
        if text.slug is None:
            continue
        clashes: list[tuple[Loc, str]] = []
        holder = slugs.get(text.slug_key)
        if holder is not None and holder.slug_loc and not text.slug_loc:
            # The first file set this slug itself, and this one only has it as its name:
            # the 'slug:' line is what clashes, so it is told, and this story keeps the slug.
            message = f"slug '{holder.slug}' is already used by {rel}; set a different 'slug:'"
            source = _positions_again(holder.file, holder.rel)
            problems.append(_problem_at(source, holder.rel, holder.slug_loc, message))
            if holder.story is not None:
                (content.drafts if holder.story.meta.draft else content.stories).remove(holder.story)
            holder = None
        if holder is not None:
            message = f"slug '{text.slug}' is already used by {holder.rel}; set a different 'slug:'"
            clashes.append((text.slug_loc, message))
        else:
            slugs[text.slug_key] = _SlugHolder(rel, file, text.slug, text.slug_loc, None)
        for index, theme, page in text.themes:
            first, where = theme_pages.setdefault(page, (theme, rel))
            if first != theme:
                clashes.append(
                    (
                        ("themes", index),
                        f"themes[{index}]: '{theme}' and '{first}' ({where}) would share one page; spell them the same",
                    )
                )
        if clashes:
            source = _positions_again(file, rel)
            problems += [_problem_at(source, rel, loc, message) for loc, message in clashes]
        elif story is not None:
            (content.drafts if story.meta.draft else content.stories).append(story)
            if slugs[text.slug_key].rel == rel:
                slugs[text.slug_key] = slugs[text.slug_key]._replace(story=story)

    content.stories.sort(key=lambda s: (-s.meta.date.toordinal(), s.slug))
    content.problems = sorted(set(problems))
    return content


class _SlugHolder(NamedTuple):
    """The story file that has a slug so far: where it sets it ('slug:', or () for its file
    name) and its story, if that was taken in."""

    rel: str
    file: Path
    slug: str
    slug_loc: Loc
    story: Story | None


def _in_two_processes(files: list[tuple[Path, str]], known: _Known) -> list[_CheckedStory]:
    """Every story file checked, shared with a forked child process.

    The child does only the checks that need no content model, so it is at work at once while
    this process imports the model. It hands back what it found in the files it found clean;
    this process checks their front matter against the model, and checks every other file
    itself, so every problem is worded and positioned by the plain loop's own code. Should the
    child fail in any way, the files it has said nothing about are checked here too: the outcome
    is always the plain loop's.
    """
    checked: dict[int, _CheckedStory] = {}

    def in_parent(batch: range) -> None:
        for index in batch:
            checked[index] = _check_story(files[index], known)

    def in_child(batch: range) -> dict[int, tuple[_StoryText, dict[str, Any]]]:
        clean = {}
        for index in batch:
            text = _check_story_text(files[index], known)
            if not text.problems and text.parsed is not None:
                clean[index] = (text._replace(parsed=None), text.parsed.data)
        return clean

    def receive(clean: dict[int, tuple[_StoryText, dict[str, Any]]]) -> None:
        for index, (text, data) in clean.items():
            file, rel = files[index]
            positions = functools.partial(_positions_again, file, rel)  # only a misfit needs them
            checked[index] = _with_model(text._replace(parsed=ParsedYaml(data, [], positions)), rel)

    share_with_forked_child(len(files), in_child, in_parent, receive)
    return [checked.get(index) or _check_story(file, known) for index, file in enumerate(files)]


def _private_story_text(loc: tuple[str | int, ...]) -> bool:
    """Front-matter values that are never published as text (ids are checked as ids)."""
    return loc[:1] in (("extra",), ("participants",), ("region",), ("draft",), ("date",))
