"""The content folders walked: every content file, in a stable order, with what is wrong with
the entries that are not (wrong extension, links leading out, unreadable folders)."""

from __future__ import annotations

import fnmatch
import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from regioverhalen.content.images import IMAGE_FORMATS
from regioverhalen.content.messages import _
from regioverhalen.content.problems import Problem
from regioverhalen.content.reading import ReadError, decode


def relative_path(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


#: What may stand beside the stories and is published with them: the pictures they show.
STORY_ASSET_SUFFIXES = tuple(IMAGE_FORMATS)
#: Files an operating system makes in a folder of pictures: not the editor's.
_SYSTEM_FILES = frozenset({"Thumbs.db", "ehthumbs.db", "desktop.ini", "Desktop.ini", "Icon\r"})
#: Vim's swap files (`.verhaal.md.swp`, then `.swo` and so on back to `.swa`).
_SWAP_FILE = re.compile(r"\..+\.sw[a-p]")
#: Files that are stories by their kind, if not by their name.
_STORY_LIKE = (".md", ".markdown", ".mdown")


def left_beside_content(name: str) -> bool:
    """A file an operating system or an editor makes beside what an editor saved (thumbnails,
    resource forks, backups, lock and swap files): never read, and never told of."""
    return (
        name in _SYSTEM_FILES or name.startswith(("._", ".#")) or name.endswith("~") or bool(_SWAP_FILE.fullmatch(name))
    )


def _would_be_read(path: Path, folder: Path) -> bool:
    """Whether a file under `folder` would be content if it were in `folder` itself: not hidden, in
    no hidden folder, and not what an editor or system leaves beside content."""
    parts = path.relative_to(folder).parts
    return not left_beside_content(path.name) and not any(part.startswith(".") for part in parts)


def content_files(
    folder: Path,
    root: Path,
    suffixes: tuple[str, ...],
    problems: list[Problem],
    *,
    recursive: bool = True,
    assets: list[tuple[Path, str]] | None = None,
) -> list[tuple[Path, str]]:
    """Content files under `folder`, sorted, with their paths relative to `root`; links leading
    outside the repository are reported. Folders are read as `os.walk` reads them, but each
    entry's type comes from the folder listing rather than another system call per file.

    Given `assets`, the folder holds nothing else: the files published beside the content
    (STORY_ASSET_SUFFIXES) are added to it, and any other file is reported, as is content in a
    hidden file or folder, so that no story is left out unseen (`verhaal.md.orig`, `verhaal`)."""
    if not folder.is_dir():
        return []
    found: list[tuple[Path, str]] = []
    real_root = root.resolve()

    def unreadable(error: OSError) -> None:
        # A folder we cannot list would silently hide its stories.
        where = relative_path(Path(error.filename), root) if error.filename else relative_path(folder, root)
        problems.append(Problem(where, 1, 1, _("cannot read folder: {reason}").format(reason=error.strerror)))

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
        if assets is not None:
            _report_hidden_folders(directory, entries, root, suffixes, problems)
        folders = sorted((entry.name, entry) for entry in entries if not entry.name.startswith(".") and _is_dir(entry))
        if not recursive:
            for name, _entry in folders:
                if any(_would_be_read(path, directory) for path in (directory / name).rglob(f"*{suffixes[0]}")):
                    message = _("files in sub-folders are not read; move them up into {folder}/").format(
                        folder=relative_path(folder, root)
                    )
                    problems.append(Problem(relative_path(directory / name, root), 1, 1, message))
            folders = []
        found += _files_listed(directory, entries, root, real_root, suffixes, problems, assets)
        pending += reversed(_folders_to_walk(directory, folders, root, real_root, problems))
    return found


def _files_listed(
    directory: Path,
    entries: list[os.DirEntry[str]],
    root: Path,
    real_root: Path,
    suffixes: tuple[str, ...],
    problems: list[Problem],
    assets: list[tuple[Path, str]] | None = None,
) -> list[tuple[Path, str]]:
    """The content files of one folder listing, in name order; what is wrong with the others."""
    found: list[tuple[Path, str]] = []
    directory_rel = relative_path(directory, root)
    kinds = suffixes + (STORY_ASSET_SUFFIXES if assets is not None else ())
    for name, entry in sorted((entry.name, entry) for entry in entries if not _is_dir(entry)):
        path = directory / name
        rel = name if directory_rel == "." else f"{directory_rel}/{name}"
        if left_beside_content(name):
            continue
        unshowable = unshowable_name(rel)
        if unshowable:
            problems.append(Problem(rel, 1, 1, unshowable))
            continue
        if name.startswith("."):
            if assets is not None and name.lower().endswith(suffixes):
                problems.append(Problem(rel, 1, 1, _("a file whose name starts with '.' is not read; rename it")))
            continue
        kind = next((kind for kind in kinds if name.lower().endswith(kind)), None)
        if kind is None:
            message = _not_content(name, suffixes[0], pictures_beside=assets is not None)
            if message:
                problems.append(Problem(rel, 1, 1, message))
        elif not name.endswith(kind):  # its address would differ in case from what links to it
            problems.append(Problem(rel, 1, 1, _("file extension must be lowercase '{suffix}'").format(suffix=kind)))
        elif not _usable(entry, path, rel, real_root, problems):
            continue
        elif assets is not None and kind in STORY_ASSET_SUFFIXES:
            if "\\" in name:  # every link reads it as a folder's '/': none could show the picture
                problems.append(
                    Problem(rel, 1, 1, _("a picture's name holds '\\', which a link reads as '/'; rename it"))
                )
            else:
                assets.append((path, rel))
        else:
            found.append((path, rel))
    return found


#: Direction controls: a name holding one shows in another order than it is stored.
_DIRECTION_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def unshowable_name(rel: str) -> str | None:
    """What to tell of a path whose name holds a character no web address or log line can show
    as it is (a control character, a line or paragraph separator, a direction control, a byte
    that is not UTF-8 text), if it does. Other characters a terminal does not print (the joiner
    in an emoji, one newer than Python's tables) are shown escaped where a message quotes them."""
    if rel.isprintable():
        return None
    character = next(
        (c for c in rel if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") or c in _DIRECTION_CONTROLS), None
    )
    if character is None:
        return None
    if "\udc80" <= character <= "\udcff":  # how Python holds a byte of a name that is not UTF-8
        return _(
            "the name of this file or a folder above it holds the byte 0x{byte:02X}, which is not UTF-8 text; rename it"
        ).format(byte=ord(character) - 0xDC00)
    return _(
        "the name of this file or a folder above it holds the character {code}, which a web address cannot show; "
        "rename it"
    ).format(code=f"U+{ord(character):04X}")


def walk_published(
    root: Path, folder: str, *, follow_links: bool, loops: list[str] | None = None
) -> Iterator[tuple[str, list[str], list[str]]]:
    """`os.walk` of a folder MkDocs publishes (docs/, the theme's folder), in name order: linked
    folders are followed where MkDocs follows them (docs/). A folder reached under two names is
    walked under both, as MkDocs publishes it at both; only a link that leads back to a folder
    the walk is inside is not followed (MkDocs would go round until the path is too long): its
    path is added to `loops`."""
    # Each folder still to be walked, with the real folders it is inside.
    inside: dict[str, frozenset[str]] = {}
    for here, dirs, files in os.walk(root / folder, followlinks=follow_links):
        real = os.path.realpath(here)
        above = inside.pop(here, frozenset())
        if real in above:
            dirs[:] = []
            if loops is not None:
                loops.append(here)
            continue
        dirs.sort()
        inside.update((os.path.join(here, name), above | {real}) for name in dirs)
        yield here, dirs, sorted(files)


#: What MkDocs does not copy from a theme's folder (mkdocs.structure.files.add_files_from_theme).
_NOT_COPIED_FROM_THEME = ("*.py", "*.pyc", "*.html", "*readme*", "mkdocs_theme.yml") + tuple(
    f"*{suffix}" for suffix in (".markdown", ".mdown", ".mkdn", ".mkd", ".md")
)


def not_published_from_theme(path: str) -> bool:
    """Whether MkDocs leaves a file of a theme's folder (its path there) out of the built site:
    a template, a hidden or Python file, a README, the theme's translations."""
    lowered = path.lower()
    return any(fnmatch.fnmatch(lowered, pattern) for pattern in (".*", "*/.*", "locales/*", *_NOT_COPIED_FROM_THEME))


def unshowable_names_below(root: Path, folder: str, *, follow_links: bool, theme: bool = False) -> list[Problem]:
    """A problem for every file or folder below a published folder whose name holds a character
    no web address or log line can show, at that file or folder. Left out as MkDocs leaves them
    out: names starting with '.', files an operating system makes, docs/templates/, and what
    MkDocs does not copy from a theme's folder."""
    problems = []
    top, left_out_at_top = root / folder, ("locales",) if theme else ("templates",)
    for here, dirs, files in walk_published(root, folder, follow_links=follow_links):
        at_top = Path(here) == top
        dirs[:] = [name for name in dirs if not name.startswith(".") and not (at_top and name in left_out_at_top)]
        for name in (*dirs, *files):
            if name.startswith(".") or name in _SYSTEM_FILES:
                continue
            if theme and not_published_from_theme(Path(here, name).relative_to(top).as_posix()):
                continue
            unshowable = unshowable_name(name)
            if unshowable:
                problems.append(Problem(relative_path(Path(here, name), root), 1, 1, unshowable))
    return problems


def _not_content(name: str, suffix: str, *, pictures_beside: bool) -> str | None:
    """What to tell of a file that is no content file, nor a picture beside the stories: where a
    content file is likely meant, and in the stories' folder, anything (no story left unseen)."""
    if name.lower().endswith((".markdown", ".mdown", ".txt", ".yaml")):
        return _("not a content file: rename it to end in '{suffix}'").format(suffix=suffix)
    if not pictures_beside:
        return None
    if name.lower().endswith((".svg", ".pdf")):
        return _(
            "SVG and PDF files are not published beside the stories: they can hold scripts and text that no "
            "check reads whole; ask the site's maintainer to put it in docs/"
        )
    message = _(
        "not a story, nor a picture to publish beside the stories ({suffixes}); "
        "rename it to end in '{suffix}', or move it out of this folder"
    )
    return message.format(suffixes=", ".join(STORY_ASSET_SUFFIXES), suffix=suffix)


def asset_address(rel_in_folder: str) -> str:
    """Where a picture beside the stories is published, below the stories' address: its path
    from its region's folder, so that a story's link to `erf.jpg` or `fotos/erf.jpg` finds it."""
    parts = rel_in_folder.split("/")
    return "/".join(parts[1:] if len(parts) > 1 else parts)


def assets_named_alike(assets: list[tuple[str, str]]) -> list[Problem]:
    """Pictures beside the stories are published by their path in their region's folder: one
    published at the same address as another (from another region's folder, or in another case)
    is told at the file found later. Each asset is (path from the root, address)."""
    first: dict[str, str] = {}
    problems = []
    for rel, address in assets:
        earlier = first.setdefault(address.casefold(), rel)
        if earlier != rel:
            message = _(
                "'{address}' is already published from {path}: the pictures beside the stories are published by "
                "their path in their region's folder; rename one of them"
            )
            problems.append(Problem(rel, 1, 1, message.format(address=address, path=earlier)))
    return problems


def _usable(entry: os.DirEntry[str], path: Path, rel: str, real_root: Path, problems: list[Problem]) -> bool:
    """Whether a listed file can be read: not a link leading out of the repository, nor a named
    pipe or a device, which would block or mislead the reader."""
    link_problem = _link_problem(path, real_root, _("copy the file in instead")) if entry.is_symlink() else None
    if link_problem:
        problems.append(Problem(rel, 1, 1, link_problem))
        return False
    if not entry.is_file():
        problems.append(Problem(rel, 1, 1, _("not a regular file; a content file must be plain text")))
        return False
    return True


def _report_hidden_folders(
    directory: Path, entries: list[os.DirEntry[str]], root: Path, suffixes: tuple[str, ...], problems: list[Problem]
) -> None:
    """A folder whose name starts with '.' is not walked: one that holds content is told."""
    message = _(
        "a folder whose name starts with '.' is not read, nor are the stories in it; rename it "
        "(to hold a story back, give it 'draft: true')"
    )
    story_like = (*suffixes, *_STORY_LIKE)
    for entry in sorted(entries, key=lambda entry: entry.name):
        hidden = entry.name.startswith(".") and _is_dir(entry)
        if hidden and any(
            name.lower().endswith(story_like) for _at, _dirs, names in os.walk(entry.path) for name in names
        ):
            problems.append(Problem(relative_path(directory / entry.name, root), 1, 1, message))


def _folders_to_walk(
    directory: Path, folders: list[tuple[str, os.DirEntry[str]]], root: Path, real_root: Path, problems: list[Problem]
) -> list[Path]:
    """The sub-folders of one folder to walk, in name order: links to folders are reported instead."""
    subfolders = []
    for name, entry in folders:
        sub = directory / name
        if entry.is_symlink():
            # Never followed: a linked folder could loop, leave the repository or hold stories twice.
            problem = _link_problem(sub, real_root, _("copy the folder in instead")) or _(
                "symbolic link to a folder is not followed; move the folder here instead"
            )
            problems.append(Problem(relative_path(sub, root), 1, 1, problem))
        else:
            subfolders.append(sub)
    return subfolders


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """Whether a listed entry is a folder, or a link to one, as `os.walk` decides it."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def read_bytes(path: Path) -> bytes:
    """The file's bytes, as `Path.read_bytes` gives them, without the cost of a file object."""
    fd = os.open(path, os.O_RDONLY)
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: Path, rel: str, problems: list[Problem]) -> str | None:
    """A content file's text, or None with the problem that kept it from being read."""
    try:
        return decode(read_bytes(path), rel)
    except ReadError as error:
        problems.append(error.problem)
    except OSError as error:
        problems.append(Problem(rel, 1, 1, _("cannot read file: {reason}").format(reason=error.strerror)))
    return None


def _link_problem(path: Path, real_root: Path, hint: str) -> str | None:
    """What is wrong with a symbolic link in a content folder, if anything."""
    try:
        target = path.resolve()
    except (OSError, RuntimeError):
        return _("symbolic link cannot be followed: it points to itself in a loop")
    if not target.is_relative_to(real_root):
        return _("symbolic link points outside the repository; {hint}").format(hint=hint)
    if not target.exists():
        return _("symbolic link points to a file that does not exist")
    return None
