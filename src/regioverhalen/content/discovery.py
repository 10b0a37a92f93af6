"""The content folders walked: every content file, in a stable order, with what is wrong with
the entries that are not (wrong extension, links leading out, unreadable folders)."""

from __future__ import annotations

import os
from pathlib import Path

from regioverhalen.content.messages import _
from regioverhalen.content.problems import Problem
from regioverhalen.content.reading import ReadError, decode


def relative_path(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def content_files(
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
        folders = sorted((entry.name, entry) for entry in entries if not entry.name.startswith(".") and _is_dir(entry))
        if not recursive:
            for name, _entry in folders:
                if any((directory / name).rglob(f"*{suffixes[0]}")):
                    message = _("files in sub-folders are not read; move them up into {folder}/").format(
                        folder=relative_path(folder, root)
                    )
                    problems.append(Problem(relative_path(directory / name, root), 1, 1, message))
            folders = []
        found += _files_listed(directory, entries, root, real_root, suffixes, problems)
        pending += reversed(_folders_to_walk(directory, folders, root, real_root, problems))
    return found


def _files_listed(
    directory: Path,
    entries: list[os.DirEntry[str]],
    root: Path,
    real_root: Path,
    suffixes: tuple[str, ...],
    problems: list[Problem],
) -> list[tuple[Path, str]]:
    """The content files of one folder listing, in name order; what is wrong with the others."""
    found: list[tuple[Path, str]] = []
    directory_rel = relative_path(directory, root)
    for name, entry in sorted((entry.name, entry) for entry in entries if not _is_dir(entry)):
        if name.startswith("."):
            continue
        path = directory / name
        rel = name if directory_rel == "." else f"{directory_rel}/{name}"
        if not name.lower().endswith(suffixes):
            if name.lower().endswith((".markdown", ".mdown", ".txt", ".yaml")):
                problems.append(
                    Problem(
                        rel, 1, 1, _("not a content file: rename it to end in '{suffix}'").format(suffix=suffixes[0])
                    )
                )
            continue
        if not name.endswith(suffixes):
            problems.append(
                Problem(rel, 1, 1, _("file extension must be lowercase '{suffix}'").format(suffix=suffixes[0]))
            )
            continue
        link_problem = _link_problem(path, real_root, _("copy the file in instead")) if entry.is_symlink() else None
        if link_problem:
            problems.append(Problem(rel, 1, 1, link_problem))
            continue
        if not entry.is_file():  # a named pipe or device would block or mislead the reader
            problems.append(Problem(rel, 1, 1, _("not a regular file; a content file must be plain text")))
            continue
        found.append((path, rel))
    return found


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
