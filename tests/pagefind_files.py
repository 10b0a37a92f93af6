"""Comparing two builds' files, also where Pagefind itself is not byte-stable.

Pagefind writes each filter's values in an arbitrary order (a hash map's), so the filter
files, their hashed names and the files that name them (the meta file, pagefind-entry.json)
differ between two builds of the same pages (upstream: Pagefind issue #638, "other files will
still change, such as the filter/metadata indexes"). Everything else must be identical.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

UNSTABLE = re.compile(r"^pagefind/(filter/.*\.pf_filter|pagefind\..*\.pf_meta|pagefind-entry\.json)$")


def built_files(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` (a built site), by its '/'-separated path inside it."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def stable_part(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files that must be byte-identical between two builds of the same content."""
    return {name: data for name, data in files.items() if not UNSTABLE.match(name)}


def filter_contents(files: dict[str, bytes]) -> list[tuple[int, bytes]]:
    """Each filter file's decompressed size and its bytes in sorted order: equal for the same
    filter values in another order, unequal for other values."""
    found = []
    for name, data in files.items():
        if name.startswith("pagefind/filter/"):
            raw = gzip.decompress(data)
            found.append((len(raw), bytes(sorted(raw))))
    return sorted(found)


def unstable_kinds(files: dict[str, bytes]) -> list[str]:
    """The unstable files with their hashes left out: the same files, named by other hashes."""
    return sorted(re.sub(r"_[0-9a-f]+\.", "_*.", name) for name in files if UNSTABLE.match(name))
