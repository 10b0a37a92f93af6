"""Load `regions/` and `stories/` into a validated `Content`, collecting every problem."""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from regioverhalen.content.collection import Content, ContentPaths, Region, Story, StoryAsset
from regioverhalen.content.discovery import (
    asset_address,
    assets_named_alike,
    content_files,
    relative_path,
    unshowable_names_below,
)
from regioverhalen.content.images import ImageError, published_image, remove_unused_copies
from regioverhalen.content.messages import _
from regioverhalen.content.problems import Problem
from regioverhalen.content.published_files import names_in_file_names, names_in_published_files
from regioverhalen.content.regions import (
    hidden_name_finder,
    html_shown_as_text,
    load_regions,
    missing_folder_message,
    problem_at,
    read_regions,
    valid_regions,
)
from regioverhalen.content.stories import (
    RENAME_FILE_HINT,
    CheckedStory,
    Known,
    StoryChecks,
    StoryText,
    check_story,
    check_story_text,
    positions_again,
    with_model,
)
from regioverhalen.content.story_links import links_to_drafts
from regioverhalen.content.terms import SLUG_RE, STORIES_ADDRESS, slugify
from regioverhalen.content.yaml_source import Loc, ParsedYaml
from regioverhalen.parallel.forking import fork_is_safe, second_core_usable
from regioverhalen.parallel.shared_work import computed_in_forked_child, share_with_forked_child

# The content model and its validator (pydantic: a slow import) are
# imported only by the two functions that check against them, `regions.valid_regions` and
# `stories.with_model`: the checks that need neither can then start at once, in a second process
# (see `_in_two_processes`).

#: What other modules import from here.
__all__ = [
    "RENAME_FILE_HINT",
    "Content",
    "ContentPaths",
    "Region",
    "Story",
    "hidden_name_finder",
    "load_content",
    "load_regions",
]


#: Below this many story files, a second process costs about what it saves (the child works
#: while the model is imported; figures in the README).
MIN_FILES_TO_SPLIT = 100


def load_content(
    paths: ContentPaths,
    *,
    parallel: bool = False,
    in_child: bool = False,
    keep_texts: bool = True,
    story_checks: StoryChecks | None = None,
    meanwhile: Callable[[Callable[[], bool]], None] | None = None,
) -> Content:
    """Load and validate all regions and stories. Never raises for a content mistake.

    With `parallel`, on two or more CPUs, a forked child process checks stories at the same time
    (see `_in_two_processes`). With `in_child`, all of it is done in a forked child that hands
    back the content, so that this process never imports the validator (pydantic) and keeps no
    garbage from parsing: a build keeps those megabytes for MkDocs. Neither happens while other
    threads run, which a fork would not copy. The content and every problem are the same
    either way. Without `keep_texts` every story's `body` is empty (what `check` reports needs
    none of them, and its helper then sends back a seventh of the bytes). With `story_checks`
    (one process only), a story file checked by an earlier load with it is not checked again.
    `meanwhile` runs in this process while a child loads the content (`in_child`), if one does:
    see `computed_in_forked_child`.
    """
    # Loading makes tens of thousands of objects that all live on and form no reference cycles;
    # the cyclic garbage collector would only walk them, and all else in the process, over and over.
    with _collector_paused():
        if in_child and fork_is_safe():
            content = computed_in_forked_child(functools.partial(_load_content, paths, parallel, keep_texts), meanwhile)
            if content is not None:
                return content
        return _load_content(paths, parallel, keep_texts, story_checks)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load_content(
    paths: ContentPaths, parallel: bool, keep_texts: bool = True, story_checks: StoryChecks | None = None
) -> Content:
    content = Content()
    problems = content.problems
    declared: dict[str, tuple[str, bool]] = {}
    region_files: set[str] = set()
    region_sources = read_regions(paths, problems, declared, region_files)
    content.hidden_names = hidden_name_finder(declared)
    problems += names_in_published_files(paths, content.hidden_names)
    problems += unshowable_names_below(paths.root, paths.docs_dir, follow_links=True)
    if paths.theme_dir is not None:
        problems += unshowable_names_below(paths.root, paths.theme_dir, follow_links=False, theme=True)

    story_dir = paths.root / paths.stories_dir
    if not story_dir.is_dir():
        problems.append(Problem(paths.stories_dir, 1, 1, missing_folder_message(paths.stories_dir, "story")))
    found_pictures: list[tuple[Path, str]] = []
    files = content_files(story_dir, paths.root, (".md",), problems, assets=found_pictures)
    content.story_files = len(files)
    pictures = _addressed(found_pictures, story_dir, paths, problems)
    problems += names_in_file_names(found_pictures, content.hidden_names)
    unreadable = frozenset(region_files - {source.id for source in region_sources})
    misnamed = frozenset(slugify(region) for region in region_files if not SLUG_RE.match(region))
    known = Known(
        region_files,
        declared,
        content.hidden_names,
        paths.allowed_html_tags,
        keep_texts,
        unreadable,
        misnamed,
        paths.regions_dir,
        paths.allow_remote_images,
        frozenset(address for _file, _rel, address in pictures),
        relative_path(story_dir, paths.root),  # as the stories' own paths are written
        paths.site_path,
        str(paths.root / paths.docs_dir),
    )
    checked_stories: Iterable[CheckedStory]
    # On one CPU a second process would only take turns with this one.
    if story_checks is not None:
        story_checks.start(known)
        checked_stories = (story_checks.checked(file, known) for file in files)
    elif parallel and len(files) >= MIN_FILES_TO_SPLIT and second_core_usable():
        checked_stories = _in_two_processes(files, known)
    else:
        checked_stories = (check_story(file, known) for file in files)
    content.regions = valid_regions(region_sources, problems)

    _take_in(content, files, checked_stories)
    content.story_assets = _published_pictures(pictures, content, problems)
    content.stories.sort(key=lambda s: (-s.meta.date.toordinal(), s.slug))
    content.problems = sorted(set(problems))
    drafts = {draft.slug for draft in content.drafts}
    content.warnings = sorted(
        [
            *html_shown_as_text(region_sources),
            *(w for story in content.stories for w in links_to_drafts(story.path, story.links, drafts)),
        ]
    )
    return content


def _addressed(
    found: list[tuple[Path, str]], story_dir: Path, paths: ContentPaths, problems: list[Problem]
) -> list[tuple[Path, str, str]]:
    """The pictures beside the stories with the address each is published at, but for those that
    cannot have it: two at one address, one at the address of a file of docs/."""
    addressed = [(file, rel, asset_address(file.relative_to(story_dir).as_posix())) for file, rel in found]
    named_alike = assets_named_alike([(rel, address) for _file, rel, address in addressed])
    problems += named_alike
    told = {problem.path for problem in named_alike}
    usable = []
    for file, rel, address in addressed:
        in_docs = f"{paths.docs_dir}/{STORIES_ADDRESS}/{address}"
        if (paths.root / in_docs).exists():
            message = _("'{address}' is also a file in docs/ ({path}); rename one of them")
            problems.append(Problem(rel, 1, 1, message.format(address=address, path=in_docs)))
        elif rel not in told:
            usable.append((file, rel, address))
    return usable


def _published_pictures(
    pictures: list[tuple[Path, str, str]], content: Content, problems: list[Problem]
) -> list[StoryAsset]:
    """Every picture beside the stories, cleaned for publishing (content/images.py). Which of
    them a build writes is decided by the pages a reader gets (mkdocs/generated_files.py)."""
    assets = []
    for file, rel, address in pictures:
        try:
            assets.append(StoryAsset(file, rel, published_image(file), address))
        except ImageError as error:
            problems.append(Problem(rel, 1, 1, str(error)))
        except OSError as error:
            problems.append(Problem(rel, 1, 1, _("cannot read file: {reason}").format(reason=error.strerror or error)))
    remove_unused_copies()  # now that every copy in use is marked so
    return assets


def _take_in(content: Content, files: list[tuple[Path, str]], checked_stories: Iterable[CheckedStory]) -> None:
    """Each checked story's problems, and the story published or held back unless its slug or a
    theme's page clashes with an earlier file's."""
    problems = content.problems
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
            message = _("slug '{slug}' is already used by {path}; set a different 'slug:'").format(
                slug=holder.slug, path=rel
            )
            source = positions_again(holder.file, holder.rel)
            problems.append(problem_at(source, holder.rel, holder.slug_loc, message))
            if holder.story is not None:
                (content.drafts if holder.story.meta.draft else content.stories).remove(holder.story)
            holder = None
        if holder is not None:
            message = _("slug '{slug}' is already used by {path}; set a different 'slug:'").format(
                slug=text.slug, path=holder.rel
            )
            clashes.append((text.slug_loc, message))
        else:
            slugs[text.slug_key] = _SlugHolder(rel, file, text.slug, text.slug_loc, None)
        for index, theme, page in text.themes:
            first, where = theme_pages.setdefault(page, (theme, rel))
            if first != theme:
                clashes.append(
                    (
                        ("themes", index),
                        _(
                            "themes[{index}]: '{theme}' and '{other}' ({path}) would share one page; "
                            "spell them the same"
                        ).format(index=index, theme=theme, other=first, path=where),
                    )
                )
        if clashes:
            source = positions_again(file, rel)
            problems += [problem_at(source, rel, loc, message) for loc, message in clashes]
        elif story is not None:
            (content.drafts if story.meta.draft else content.stories).append(story)
            if slugs[text.slug_key].rel == rel:
                slugs[text.slug_key] = slugs[text.slug_key]._replace(story=story)


class _SlugHolder(NamedTuple):
    """The story file that has a slug so far: where it sets it ('slug:', or () for its file
    name) and its story, if that was taken in."""

    rel: str
    file: Path
    slug: str
    slug_loc: Loc
    story: Story | None


def _in_two_processes(files: list[tuple[Path, str]], known: Known) -> list[CheckedStory]:
    """Every story file checked, shared with a forked child process.

    The child does only the checks that need no content model, so it is at work at once while
    this process imports the model. It hands back what it found in the files it found clean;
    this process checks their front matter against the model, and checks every other file
    itself, so every problem is worded and positioned by the plain loop's own code. Should the
    child fail in any way, the files it has said nothing about are checked here too: the outcome
    is always the plain loop's.
    """
    checked: dict[int, CheckedStory] = {}

    def in_parent(batch: range) -> None:
        for index in batch:
            checked[index] = check_story(files[index], known)

    def in_child(batch: range) -> dict[int, tuple[StoryText, dict[str, Any]]]:
        clean = {}
        for index in batch:
            text = check_story_text(files[index], known)
            if not text.problems and text.parsed is not None:
                clean[index] = (text._replace(parsed=None), text.parsed.data)
        return clean

    def receive(clean: dict[int, tuple[StoryText, dict[str, Any]]]) -> None:
        for index, (text, data) in clean.items():
            file, rel = files[index]
            positions = functools.partial(positions_again, file, rel)  # only a misfit needs them
            checked[index] = with_model(text._replace(parsed=ParsedYaml(data, [], positions)), rel)

    share_with_forked_child(len(files), in_child, in_parent, receive)
    return [checked.get(index) or check_story(file, known) for index, file in enumerate(files)]
