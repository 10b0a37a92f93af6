"""What `regioverhalen export` writes down for `export --finish`, in OUT/.regioverhalen-export: the
pages it wrote with contributors' text, which `--finish` sanitizes, and a digest of every file
the content was read from. `--finish` checks the built site against the content as it is when
it runs (its names without consent, its drafts); an export made from other content (a story
made a draft since, a participant's consent withdrawn and the story changed with it) is out of
date, and `--finish` says so rather than judge one by the other.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from regioverhalen.content.collection import ContentPaths
from regioverhalen.content.discovery import left_beside_content, walk_published
from regioverhalen.content.messages import _
from regioverhalen.content.problems import Problem
from regioverhalen.site.docs_rules import published_docs_files

#: Written into every exported project: only a folder holding it is replaced by a new export.
MARKER_FILE = ".regioverhalen-export"


@dataclass(frozen=True)
class ExportRecord:
    #: The site-relative URLs of the pages written with text from contributors (stories, regions).
    contributed_pages: frozenset[str]
    #: Each source file's SHA-256 by its path from the site's folder; None for an export written
    #: by an earlier version, which kept none.
    sources: dict[str, str] | None


def write_record(out: Path, contributed_pages: list[str], sources: dict[str, str]) -> None:
    """The record of an export: `sources` as `source_digests` found them before the content was read."""
    record = {
        "written_by": "regioverhalen export; a new export replaces this folder",
        "contributed_pages": sorted(contributed_pages),
        "sources": sources,
    }
    (out / MARKER_FILE).write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def read_record(out: Path) -> ExportRecord:
    """What the export in `out` wrote down (nothing known of an unreadable record)."""
    try:
        written = json.loads((out / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        written = None
    written = written if isinstance(written, dict) else {}
    pages = written.get("contributed_pages")
    sources = written.get("sources")
    return ExportRecord(
        frozenset(page for page in pages or () if isinstance(page, str)),
        {str(k): str(v) for k, v in sources.items()} if isinstance(sources, dict) else None,
    )


def source_digests(paths: ContentPaths, glossary: str) -> dict[str, str]:
    """Every file below the stories', regions' and hand-written pages' folders and the theme's
    custom_dir, the glossary (a path from the site's folder) and the configuration files."""
    folders = [paths.stories_dir, paths.regions_dir, *([paths.theme_dir] if paths.theme_dir else [])]
    files = [file for folder in folders for file in _files_below(paths.root, folder, follow_links=False)]
    # What a build publishes of docs/: not what an editor's tools rewrite there (`.obsidian/`).
    # A page made a draft since is missing from it then, and so counted as changed.
    files += [path for _src_uri, path in published_docs_files(paths)]
    files += [source for _shown, source in paths.config_files]
    files += [file for file in [paths.root / glossary] if file.is_file()]
    return {Path(os.path.relpath(file, paths.root)).as_posix(): _digest(file) for file in files}


def changed_since_export(record: ExportRecord, paths: ContentPaths, glossary: str, out: Path) -> list[Problem]:
    """A problem at each source file edited, added or removed since the export."""
    if record.sources is None:
        message = _(
            "written by an earlier version, which kept no record of the sources; run 'regioverhalen export' again"
        )
        return [Problem((out / MARKER_FILE).as_posix(), 1, 1, message)]
    message = _(
        "changed since the export (edited, added or removed); run 'regioverhalen export' and 'zensical build' again"
    )
    return changed_files(record.sources, source_digests(paths, glossary), message)


def changed_files(before: dict[str, str], now: dict[str, str], message: str) -> list[Problem]:
    """A problem with `message` at each file whose digest differs between the two, or that one of them lacks."""
    changed = sorted(path for path in before.keys() | now.keys() if before.get(path) != now.get(path))
    return [Problem(path, 1, 1, message) for path in changed]


def _files_below(root: Path, folder: str, *, follow_links: bool) -> list[Path]:
    """The files below `folder`, but what an operating system or an editor leaves beside them
    and hidden files and folders the content is not read from (`.DS_Store`, `.git/`): opening
    a folder in a file manager or committing does not put an export out of date."""
    found = []
    for here, dirs, files in walk_published(root, folder, follow_links=follow_links):
        dirs[:] = [name for name in dirs if not name.startswith(".")]  # `.git`, `.obsidian`: no content
        found += [Path(here, name) for name in sorted(files) if not _left_alone(name)]
    return found


def _left_alone(name: str) -> bool:
    hidden = name.startswith(".") and not name.lower().endswith((".md", ".markdown", ".mdown"))
    return hidden or left_beside_content(name)


def _digest(file: Path) -> str:
    if not file.is_file():  # a link to nothing, a pipe (read for ever): `check` tells it
        return "no file"
    digest = hashlib.sha256()
    try:
        with file.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    except OSError:  # unreadable: `check` tells it
        return "unreadable"
    return digest.hexdigest()
