"""One story file checked by itself: read, its cross-references, slug, themes, names and markup;
and, apart from that, against the content model (see `loading.in_two_processes`)."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from regioverhalen.content.collection import Story
from regioverhalen.content.consent import JOIN, NameMatcher
from regioverhalen.content.discovery import read_bytes, read_text
from regioverhalen.content.html_check import find_html_problems
from regioverhalen.content.limits import find_deep_nesting, find_heavy_inline, find_slow_headings
from regioverhalen.content.messages import N_, _
from regioverhalen.content.model import StoryFrontMatter
from regioverhalen.content.picture_links import picture_link_problems
from regioverhalen.content.problems import Problem, consent_message, describe, did_you_mean
from regioverhalen.content.prompts import find_writing_prompts
from regioverhalen.content.published_files import markup_only
from regioverhalen.content.reading import ReadError, split_front_matter, story_text_starts
from regioverhalen.content.regions import RESERVED_SLUGS, named_in_values, report_at
from regioverhalen.content.safety import find_slow_markdown, text_values
from regioverhalen.content.story_links import story_links
from regioverhalen.content.terms import DUTCH_KEYS, SLUG_RE, slugify
from regioverhalen.content.yaml_source import Loc, ParsedYaml, SourceMap, parse_yaml

UNCLOSED_BEFORE_TEXT = N_("front matter is not closed; add a '---' line after the last key, before the story's text")

#: What a story file whose name cannot be published is told to do.
RENAME_FILE_HINT = N_("; rename the file or set 'slug:'")


class StoryFile(NamedTuple):
    parsed: ParsedYaml
    body: str
    body_line: int


def read_story(file: Path, rel: str, problems: list[Problem]) -> StoryFile | None:
    """The story file's front matter and body, if its front matter is a YAML mapping."""
    text = read_text(file, rel, problems)
    if text is None:
        return None
    try:
        split = split_front_matter(text, rel)
    except ReadError as error:
        problems.append(error.problem)
        return None
    parsed = parse_yaml(split.front_matter, rel, first_line=split.front_matter_line)
    if parsed.data is None and parsed.problems:
        text_line = _unclosed_before(split.front_matter, parsed, split.front_matter_line, rel)
        if text_line is not None:  # YAML failed in the story's text: the front matter was never closed
            problems.append(Problem(rel, text_line, 1, _(UNCLOSED_BEFORE_TEXT)))
        else:
            problems.extend(parsed.problems)
        return None
    problems.extend(parsed.problems)
    if not isinstance(parsed.data, dict):
        found = _("nothing") if parsed.data is None else describe(parsed.data)
        message = _("front matter must be a mapping of keys (title, date, region, ...), found {value}")
        problems.append(Problem(rel, 1, 1, message.format(value=found)))
        return None
    return StoryFile(parsed, split.body, split.body_line)


def _unclosed_before(front_matter: str, parsed: ParsedYaml, first_line: int, rel: str) -> int | None:
    """The file line where the story's text begins, if what failed as front matter is front
    matter without a problem followed by the story's text (its closing '---' left out)."""
    first_error = min(problem.line for problem in parsed.problems) - first_line + 1
    lines = front_matter.split("\n")
    for start in story_text_starts(front_matter, first_error, _front_matter_keys()):
        keys = parse_yaml("\n".join(lines[: start - 1]), rel, first_line)
        if not keys.problems and isinstance(keys.data, dict):
            return start + first_line - 1
    return None


@functools.cache
def _front_matter_keys() -> frozenset[str]:
    """The keys a story's front matter may have, and the Dutch words editors write for them."""
    return frozenset(field.name for field in dataclasses.fields(StoryFrontMatter)) | frozenset(DUTCH_KEYS)


class Known(NamedTuple):
    """What every story is checked against: the regions' ids and participants, and the site's
    options; and whether a story's text is kept once it is checked."""

    region_files: set[str]
    participants: dict[str, tuple[str, bool]]
    finder: NameMatcher
    allowed_html_tags: tuple[str, ...]
    keep_texts: bool = True
    #: Regions whose file could not be read as YAML: who takes part there is not known.
    unreadable_regions: frozenset[str] = frozenset()
    #: The ids that region files with an invalid name ('Achterhoek.yml') were meant to have.
    misnamed_regions: frozenset[str] = frozenset()
    regions_dir: str = "regions"
    allow_remote_images: bool = False
    #: The addresses of the pictures beside the stories (content/picture_links.py).
    pictures: frozenset[str] = frozenset()
    #: The stories' folder, relative to the site's root as the stories' own paths are written.
    stories_dir: str = "stories"
    #: The path the site is published below (ContentPaths.site_path).
    site_path: str = "/"
    #: The hand-written folder (docs/), where a story's link up out of the stories' folder
    #: (`../assets/kaart.png`) finds a file.
    docs_folder: str = "docs"

    @property
    def region_ids(self) -> list[str]:
        """The valid region ids, for a did-you-mean."""
        return [region for region in self.region_files if SLUG_RE.match(region)]


class StoryText(NamedTuple):
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
    #: The pictures beside the stories it shows.
    pictures: tuple[str, ...] = ()
    #: Its links that could lead to another story (content/story_links.py).
    links: tuple[tuple[int, int, str, str], ...] = ()


class CheckedStory(NamedTuple):
    """What checking one story file found. Slugs and themes are compared across files afterwards."""

    #: Every problem of the file by itself, the content model's too (and its parse let go).
    text: StoryText
    #: The story, if its own file has no problem.
    story: Story | None = None


def check_story(file_and_rel: tuple[Path, str], known: Known) -> CheckedStory:
    """Every problem one story file has by itself, and what the checks across files need."""
    return with_model(check_story_text(file_and_rel, known), file_and_rel[1])


def with_model(text: StoryText, rel: str) -> CheckedStory:
    """A story file's findings, completed by checking its front matter against the content model."""
    from regioverhalen.content.model import StoryFrontMatter
    from regioverhalen.content.validation import validate_model

    if text.parsed is None or text.slug is None:  # the file could not be read as a story
        return CheckedStory(text)
    meta, model_problems = validate_model(StoryFrontMatter, text.parsed, rel)
    problems = text.problems + model_problems
    story = (
        Story(rel, text.slug, meta, text.body, text.body_line, text.pictures, text.links)
        if not problems and meta is not None
        else None
    )
    return CheckedStory(text._replace(problems=problems, parsed=None), story)


def check_story_text(file_and_rel: tuple[Path, str], known: Known) -> StoryText:
    """Every problem one story file has by itself, as far as finding it needs no content model."""
    file, rel = file_and_rel
    problems: list[Problem] = []
    loaded = read_story(file, rel, problems)
    if loaded is None:
        return StoryText(problems)
    parsed, body, body_line = loaded
    raw = parsed.data
    report = functools.partial(report_at, parsed, rel, problems)
    # Cross-references are checked on the raw values too, so that one wrong field
    # never hides another problem in the same file.
    _check_references(raw, known, report)
    raw_slug = raw.get("slug")
    own_slug = isinstance(raw_slug, str) and SLUG_RE.match(raw_slug)
    slug = raw_slug if own_slug else unicodedata.normalize("NFC", file.stem)
    if raw_slug is None and not SLUG_RE.match(slug):
        report(
            (),
            _(
                "file name '{name}' is not a valid slug: use lowercase letters, digits and hyphens, or set 'slug:'"
            ).format(name=file.name),
        )
    if slug in RESERVED_SLUGS:  # verhalen/index.md is the list of every story
        if raw_slug is not None:
            report(("slug",), _("slug: 'index' is the address of the story overview (/verhalen/); choose another slug"))
        else:
            message = _(
                "file name '{name}' gives the slug 'index', which is the address of the story overview (/verhalen/); "
                "rename the file or set 'slug:'"
            )
            report((), message.format(name=file.name))
    themes = _theme_pages(raw, report)
    _check_names(loaded, file, rel, known.finder, problems)
    problems.extend(find_html_problems(body, body_line, rel, known.allowed_html_tags, known.allow_remote_images))
    problems.extend(find_slow_markdown(body, body_line, rel))
    problems.extend(find_deep_nesting(body, body_line, rel) + find_slow_headings(body, body_line, rel))
    problems.extend(find_heavy_inline(body, body_line, rel))
    picture_problems, pictures = picture_link_problems(
        body, body_line, rel, known.pictures, known.stories_dir, known.site_path, known.docs_folder
    )
    problems.extend(picture_problems)
    if raw.get("draft") is not True:  # a draft is never published: its prompts harm no reader
        problems.extend(find_writing_prompts(body, body_line, rel))

    slug_key = unicodedata.normalize("NFC", slug).casefold()
    kept = body if known.keep_texts else ""
    return StoryText(
        problems,
        parsed,
        kept,
        body_line,
        slug,
        slug_key,
        ("slug",) if raw_slug else (),
        tuple(themes),
        pictures,
        story_links(body, body_line),
    )


def _check_references(raw: dict[str, Any], known: Known, report: Callable[[Loc, str], None]) -> None:
    """The story's region and participants, which must exist, each participant listed once."""
    region = raw.get("region")
    # A region file with an invalid name ('Achterhoek.yml') is reported itself: its name is what to fix.
    if (
        isinstance(region, str)
        and SLUG_RE.match(region)
        and region not in known.region_files
        and region not in known.misnamed_regions
    ):
        report(
            ("region",),
            _("region: unknown region '{region}'").format(region=region) + did_you_mean(region, known.region_ids),
        )
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
            hint = (
                _(", unless it is in {files}, which could not be read").format(files=", ".join(unread))
                if unread
                else None
            )
            report(
                ("participants", index),
                _("participants[{index}]: unknown participant '{id}'").format(index=index, id=pid)
                + (hint or did_you_mean(pid, known.participants)),
            )
        elif listed.index(pid) != index:
            report(
                ("participants", index), _("participants[{index}]: '{id}' is listed twice").format(index=index, id=pid)
            )


def _theme_pages(raw: dict[str, Any], report: Callable[[Loc, str], None]) -> list[tuple[int, str, str]]:
    """(index, theme, the theme's page slug) for each theme that gets a page. Themes share a page
    by slug: two spellings of one slug, or a reserved one, would clash."""
    themes: list[tuple[int, str, str]] = []
    raw_themes = raw.get("themes")
    for index, theme in enumerate(raw_themes if isinstance(raw_themes, list) else []):
        if not isinstance(theme, str):
            continue
        theme_key = slugify(theme)
        if theme_key in RESERVED_SLUGS:
            report(
                ("themes", index),
                _("themes[{index}]: '{theme}' is reserved for the overview page; choose another theme").format(
                    index=index, theme=theme
                ),
            )
        else:
            themes.append((index, theme, theme_key))
    return themes


def _check_names(loaded: StoryFile, file: Path, rel: str, finder: NameMatcher, problems: list[Problem]) -> None:
    """A non-public name in the text would be published: refuse it where it stands, in every
    front-matter text that reaches a page, feed or data file, and in the URL. One quick look at
    all the story's texts first (unpublished ones too, which does no harm): most stories name no one."""
    parsed, body, body_line = loaded
    raw = parsed.data
    # A tag's attributes (title, alt) and comments are published as written, though a reader's
    # view of the text leaves them out: looked at as they are.
    markup = markup_only(body) if "<" in body else ""
    if not finder.might_name(JOIN.join(_strings(raw, [body, file.stem]))) and not (
        markup and finder.might_name(markup, markup=False)
    ):
        return
    problems += named_in_values(finder, text_values(raw, _private_story_text), parsed, rel)
    if raw.get("slug") is None:
        for pid in dict.fromkeys(pid for _line, _column, pid in finder.find(file.stem)):
            message = _("file name '{name}' {problem}").format(name=file.name, problem=consent_message(pid))
            report_at(parsed, rel, problems, (), message + _(RENAME_FILE_HINT))
    found = finder.find(body)
    if markup:
        found = sorted({*found, *finder.find(markup, markup=False)})
    for line, column, pid in found:
        problems.append(Problem(rel, body_line + line - 1, column, consent_message(pid)))


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


def positions_again(file: Path, rel: str) -> SourceMap:
    """Where each key and value sits in a story file that was read before (none if it changed since)."""
    loaded = read_story(file, rel, [])
    return SourceMap() if loaded is None else loaded.parsed.source


def _private_story_text(loc: tuple[str | int, ...]) -> bool:
    """Front-matter values that are never published as text (ids are checked as ids)."""
    return loc[:1] in (("extra",), ("participants",), ("region",), ("draft",), ("date",))


class StoryChecks:
    """Story files checked by an earlier load, for a live preview that loads the content again on
    every save: a file whose bytes, and what it is checked against, are as they were is not
    checked again (its findings are the same)."""

    def __init__(self) -> None:
        self._known_key = ""
        self._checked: dict[str, tuple[bytes, CheckedStory]] = {}
        #: How many story files the last load took from here.
        self.reused = 0

    def start(self, known: Known) -> None:
        """A new load, checking against `known`: findings checked against anything else go."""
        key = repr(
            (
                sorted(known.region_files),
                sorted(known.participants.items()),
                known.allowed_html_tags,
                known.keep_texts,
                sorted(known.unreadable_regions),
                sorted(known.misnamed_regions),
                known.regions_dir,
                known.allow_remote_images,
                sorted(known.pictures),
                known.stories_dir,
                known.site_path,
            )
        )
        if key != self._known_key:
            self._known_key, self._checked = key, {}
        self.reused = 0

    def checked(self, file_and_rel: tuple[Path, str], known: Known) -> CheckedStory:
        """`check_story(file_and_rel, known)`, or what it found before in the same bytes."""
        file, rel = file_and_rel
        try:
            digest = hashlib.blake2b(read_bytes(file), digest_size=16).digest()
        except OSError:  # reported by the check itself
            return check_story(file_and_rel, known)
        kept = self._checked.get(rel)
        if kept is not None and kept[0] == digest:
            self.reused += 1
            return kept[1]
        checked = check_story(file_and_rel, known)
        self._checked[rel] = (digest, checked)
        return checked
