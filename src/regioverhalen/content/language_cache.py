"""The language check's figures kept between runs of `check`, one entry per story.

A story is analysed again only when something its figures depend on changed: its text, its
path or first body line (the warnings' places), the check's settings, the analysing code or
pyphen's dictionary. All of that goes into the entry's key, so a stale entry is never read:
it is simply not found, and dropped when the file is written again. When every story is
found, pyphen's dictionary is not even loaded.

The cache is a convenience: a file that cannot be read or written is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from regioverhalen.content import messages, plain_language
from regioverhalen.content.plain_language import LanguageSettings, StoryLanguage, check_stories
from regioverhalen.content.problems import ContentWarning

if TYPE_CHECKING:
    from regioverhalen.content.collection import Story

#: Where a site keeps it, relative to its root (git-ignored, like other tools' caches).
CACHE_FILE = Path(".cache", "regioverhalen", "language.json")
#: Changed whenever the entries' layout changes.
FORMAT = 1


def check_stories_cached(
    stories: Sequence[Story], settings: LanguageSettings, cache_file: Path, *, parallel: bool = False
) -> list[StoryLanguage]:
    """`check_stories`, with the figures of unchanged stories read from `cache_file` and the
    file rewritten (only when it changed) with exactly the stories given."""
    kept = _read(cache_file)
    salt = _settings_key(settings)
    keys = [_story_key(salt, story) for story in stories]
    missing = [i for i, key in enumerate(keys) if key not in kept]
    analysed = dict(
        zip(missing, check_stories([stories[i] for i in missing], settings, parallel=parallel), strict=True)
    )
    results = [
        analysed[i] if i in analysed else _decoded(story.path, kept[key])
        for i, (story, key) in enumerate(zip(stories, keys, strict=True))
    ]
    entries = {key: _encoded(result) for key, result in zip(keys, results, strict=True)}
    if missing or len(entries) != len(kept):
        _write(cache_file, entries)
    return results


def _settings_key(settings: LanguageSettings) -> bytes:
    """What every story's figures depend on besides the story itself."""
    digest = hashlib.blake2b(digest_size=16)
    officialese = sorted(settings.officialese.items())
    digest.update(repr((FORMAT, settings.reading_level, settings.max_sentence_words, officialese)).encode())
    digest.update(Path(plain_language.__file__).read_bytes())
    # The warnings are kept as text: in the language of the run that made them.
    language = messages.active_language()
    digest.update(language.encode())
    if language != "en":
        stat = messages.catalogue(language).stat()
        digest.update(f"{stat.st_size}:{stat.st_mtime_ns}".encode())
    spec = importlib.util.find_spec("pyphen")
    for folder in spec.submodule_search_locations or () if spec else ():
        with contextlib.suppress(OSError):
            stat = Path(folder, "dictionaries", "hyph_nl_NL.dic").stat()
            digest.update(f"{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.digest()


def _story_key(salt: bytes, story: Story) -> str:
    digest = hashlib.blake2b(salt, digest_size=16)
    digest.update(f"{story.path}\x00{story.body_line}\x00".encode())
    digest.update(story.body.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _encoded(result: StoryLanguage) -> list[Any]:
    warnings = [[w.line, w.column, w.message] for w in result.warnings]
    return [result.words, result.sentences, result.syllables, result.reading_level, result.reading_minutes, warnings]


def _decoded(path: str, entry: list[Any]) -> StoryLanguage:
    words, sentences, syllables, level, minutes, warnings = entry
    found = tuple(ContentWarning(path, line, column, message) for line, column, message in warnings)
    return StoryLanguage(path, words, sentences, syllables, level, minutes, found)


def _read(cache_file: Path) -> dict[str, list[Any]]:
    try:
        data = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("stories"), dict):
        return {}
    return {key: entry for key, entry in data["stories"].items() if _well_formed(entry)}


def _well_formed(entry: Any) -> bool:
    """An entry as `_encoded` writes it: a file edited or damaged by hand is not trusted."""
    if not isinstance(entry, list) or len(entry) != 6:
        return False
    words, sentences, syllables, level, minutes, warnings = entry
    counts = all(type(value) is int for value in (words, sentences, syllables, minutes))
    return (
        counts
        and (level is None or type(level) in (int, float))
        and isinstance(warnings, list)
        and all(
            isinstance(w, list) and len(w) == 3 and type(w[0]) is int and type(w[1]) is int and isinstance(w[2], str)
            for w in warnings
        )
    )


def _write(cache_file: Path, entries: dict[str, list[Any]]) -> None:
    """Written whole and then moved into place: a check stopped halfway leaves the old file."""
    import tempfile  # only when something changed: a warm check does without it

    with contextlib.suppress(OSError):
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=cache_file.parent, prefix=".language-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"format": FORMAT, "stories": entries}, out, separators=(",", ":"))
            os.replace(temporary, cache_file)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
