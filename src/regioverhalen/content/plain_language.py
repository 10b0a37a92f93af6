"""The plain-language check for editors: a Dutch reading level per story, long sentences and
officialese, reported as warnings (never errors: a story is not wrong for being hard to read).

The reading level is Flesch-Douma, Flesch's reading ease fitted to Dutch:
206.835 - 0.93 * (words per sentence) - 77 * (syllables per word). Syllables are counted with
pyphen's Dutch hyphenation dictionary (nl_NL), which splits compounds and loanwords as a Dutch
reader says them. B1, the level most Dutch adults read with ease, is about 60 or more.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from regioverhalen.content.glossary import lower_same_length, trie_pattern
from regioverhalen.content.messages import _
from regioverhalen.content.problems import ContentWarning
from regioverhalen.parallel.forking import second_core_usable
from regioverhalen.parallel.shared_work import share_with_forked_child

if TYPE_CHECKING:
    from regioverhalen.content.loading import Story

#: Flesch-Douma at about B1 (language level most adults read with ease).
DEFAULT_READING_LEVEL = 60.0
DEFAULT_MAX_SENTENCE_WORDS = 25
#: Below this many words a reading-level score says more about chance than about the text.
MIN_WORDS_FOR_LEVEL = 100
#: Words a reader reads in a minute, for the reading time.
WORDS_PER_MINUTE = 200

#: Officialese and the plainer word a reader would use; a site can add or replace entries.
OFFICIALESE: dict[str, str] = {
    "middels": "met",
    "faciliteren": "helpen, mogelijk maken",
    "faciliteert": "helpt, maakt mogelijk",
    "integraal": "samen, in zijn geheel",
    "integrale": "samenhangende",
    "governance": "wie wat beslist",
    "implementeren": "invoeren, uitvoeren",
    "implementatie": "invoering",
    "dienen": "moeten",
    "teneinde": "om",
    "ten behoeve van": "voor",
    "inzake": "over",
    "derhalve": "daarom",
    "alsmede": "en",
    "reeds": "al",
    "thans": "nu",
    "trachten": "proberen",
    "doelstelling": "doel",
    "stakeholders": "betrokkenen",
    "synergie": "samenwerking die meer oplevert",
    "operationaliseren": "uitwerken, in praktijk brengen",
    "prioriteren": "kiezen wat eerst komt",
    "randvoorwaarden": "voorwaarden",
    "aldus": "zo",
    "dan wel": "of",
    "evalueren": "nagaan hoe het ging",
    "inbedden": "een vaste plek geven",
    "borgen": "vastleggen, zorgen dat het blijft",
}


@dataclass(frozen=True)
class LanguageSettings:
    """What the check holds a story to, from the plugin's options in mkdocs.yml."""

    reading_level: float = DEFAULT_READING_LEVEL
    max_sentence_words: int = DEFAULT_MAX_SENTENCE_WORDS
    officialese: Mapping[str, str] = field(default_factory=lambda: dict(OFFICIALESE))
    #: Whether `mkdocs build` logs the warnings too (and `--strict` then fails on them).
    in_build: bool = False
    #: Whether `check` runs it at all (it reads every story's text, which a check otherwise need not).
    enabled: bool = True


@dataclass(frozen=True)
class StoryLanguage:
    """The figures for one story, and its warnings."""

    path: str
    words: int
    sentences: int
    syllables: int
    reading_level: float | None
    reading_minutes: int
    warnings: tuple[ContentWarning, ...]

    def figures(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "words": self.words,
            "sentences": self.sentences,
            "reading_level": self.reading_level,
            "reading_minutes": self.reading_minutes,
            "warnings": len(self.warnings),
        }


_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# What a reader does not read as prose: code, HTML tags, link targets, Markdown markup.
_FENCE = re.compile(r"^\s*(```|~~~)")
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_TAG = re.compile(r"<[^>\n]*>")
_LINK_TARGET = re.compile(r"\]\([^)\n]*\)|\]\[[^\]\n]*\]")
_BARE_URL = re.compile(r"https?://\S+")
_ATTRIBUTES = re.compile(r"\{:?[^}\n]*\}")
_SENTENCE_END = re.compile(r"[.!?…]+(?=[\s\"'”’)]|$)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def _masked(line: str) -> str:
    """The line with what is not prose replaced by spaces, so that columns stay the file's own."""
    for pattern in (_INLINE_CODE, _TAG, _LINK_TARGET, _BARE_URL, _ATTRIBUTES):
        if pattern is _INLINE_CODE and "`" not in line or pattern is not _INLINE_CODE and not _hint(pattern, line):
            continue
        line = pattern.sub(lambda m: " " * len(m.group()), line)
    return line


def _hint(pattern: re.Pattern[str], line: str) -> bool:
    """A cheap test that `pattern` can match at all, so most lines skip most patterns."""
    if pattern is _TAG:
        return "<" in line
    if pattern is _LINK_TARGET:
        return "](" in line or "][" in line
    if pattern is _BARE_URL:
        return "://" in line
    return "{" in line


def prose_lines(body: str) -> Iterator[tuple[int, str, bool]]:
    """Each line of a Markdown body as prose (1-based line in the body, masked text, and whether
    it starts a new block: a heading, list item, table row or paragraph). Code is left out."""
    in_fence = False
    after_blank = True
    for number, line in enumerate(body.split("\n"), start=1):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence or line.startswith(("    ", "\t")) and after_blank:
            continue
        if not line.strip():
            after_blank = True
            continue
        stripped = line.lstrip()
        starts_block = after_blank or stripped.startswith(("#", "|", ">", "!!!", "???")) or bool(_LIST_ITEM.match(line))
        after_blank = stripped.startswith("#")  # a heading is a block of its own
        yield number, _masked(line), starts_block


@dataclass
class _Sentence:
    line: int
    column: int
    words: int = 0


def analyse(body: str, body_line: int, path: str, settings: LanguageSettings) -> StoryLanguage:
    """The figures and warnings for one story body, whose first line is line `body_line` of `path`."""
    listed = tuple(sorted(settings.officialese, key=len, reverse=True))
    officialese = _officialese_pattern(listed) if _may_hold_officialese(body, listed) else None
    sentences: list[_Sentence] = []
    words = syllables = 0
    warnings: list[ContentWarning] = []
    current: _Sentence | None = None
    for number, line, starts_block in prose_lines(body):
        file_line = body_line + number - 1
        if starts_block:
            current = None
        for match in officialese.finditer(lower_same_length(line)) if officialese else ():
            word = line[match.start() : match.end()]
            alternative = settings.officialese[" ".join(word.split()).casefold()]
            message = _("'{word}' is officialese; a plainer word: {alternative}").format(
                word=word, alternative=alternative
            )
            warnings.append(ContentWarning(path, file_line, match.start() + 1, message))
        # Segments between sentence ends; the words of each counted and looked up in bulk.
        start = 0
        for end in [*(m.end() for m in _SENTENCE_END.finditer(line)), None]:
            found = _WORD.findall(line, start, len(line) if end is None else end)
            if found:
                if current is None:
                    first = _WORD.search(line, start)
                    current = _Sentence(file_line, first.start() + 1 if first else 1)
                    sentences.append(current)
                current.words += len(found)
                words += len(found)
                syllables += sum(map(syllable_count, found))
            if end is not None:
                current, start = None, end
    for sentence in sentences:
        if sentence.words > settings.max_sentence_words:
            message = _("sentence of {words} words; more than {limit} is hard to follow: split it").format(
                words=sentence.words, limit=settings.max_sentence_words
            )
            warnings.append(ContentWarning(path, sentence.line, sentence.column, message))
    level = flesch_douma(words, len(sentences), syllables) if words >= MIN_WORDS_FOR_LEVEL else None
    if level is not None and level < settings.reading_level:
        # Shown rounded down: 59.7 shown as 60 would read as "60 is below the target of 60".
        message = _(
            "reading level {level} (Flesch-Douma) is below the target of {target}: "
            "use shorter sentences and shorter words"
        ).format(level=math.floor(level), target=f"{settings.reading_level:g}")
        warnings.append(ContentWarning(path, body_line, 1, message))
    return StoryLanguage(
        path, words, len(sentences), syllables, level, reading_minutes_for(words), tuple(sorted(warnings))
    )


def flesch_douma(words: int, sentences: int, syllables: int) -> float:
    """Flesch-Douma reading ease, rounded to one decimal: higher is easier."""
    if not words or not sentences:
        return 0.0
    return round(206.835 - 0.93 * (words / sentences) - 77 * (syllables / words), 1)


@functools.cache
def _dictionary() -> Any:
    import pyphen  # only the language check needs it

    return pyphen.Pyphen(lang="nl_NL")


@functools.lru_cache(maxsize=65536)
def syllable_count(word: str) -> int:
    """Syllables in a Dutch word, from pyphen's hyphenation points (a word has at least one)."""
    total = 0
    for part in re.split(r"['’-]", word.lower()):
        if part:
            total += len(_dictionary().positions(part)) + 1
    return max(total, 1)


@functools.lru_cache(maxsize=16)
def _officialese_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for every listed word, each as a whole word, for a line in lower case."""
    if not words:
        return None
    # Matched against the line in lower case: a case-insensitive pattern took several times as long.
    return re.compile(rf"(?<![\w-]){trie_pattern(word.lower() for word in words)}(?![\w-])")


@functools.lru_cache(maxsize=16)
def _officialese_anchors(words: tuple[str, ...]) -> Any:
    """An automaton for the longest word of each listed word or phrase, in lower case; None if
    an entry has no word (it would match anywhere) or there are none."""
    import ahocorasick_rs

    if not words or any(not word.split() for word in words):
        return None
    return ahocorasick_rs.AhoCorasick(sorted({max(word.lower().split(), key=len) for word in words}))


def _may_hold_officialese(body: str, words: tuple[str, ...]) -> bool:
    """False only if no line of `body` holds a listed word: a line's match has its entry's longest
    word in it as written in the list, in lower case. The body in lower case is the lines in lower
    case, but for the one letter that lowers by its place in a word (the Greek capital sigma)."""
    anchors = _officialese_anchors(words)
    if anchors is None:
        return bool(words)
    return "\u03a3" in body or bool(anchors.find_matches_as_indexes(lower_same_length(body)))


def reading_minutes_for(words: int) -> int:
    """Minutes a reader takes for this many words, rounded up, at least one."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


_COUNTABLE = re.compile(r"\w+")


@functools.lru_cache(maxsize=8192)
def reading_minutes(body: str) -> int:
    """A story's reading time in minutes; cached, because a story is listed on several pages."""
    return reading_minutes_for(len(_COUNTABLE.findall(body)))


#: Below this many stories a second process costs about what it saves.
MIN_STORIES_TO_SPLIT = 100


def check_stories(
    stories: Sequence[Story], settings: LanguageSettings, *, parallel: bool = False
) -> list[StoryLanguage]:
    """The language figures and warnings of every story, in the order given. With `parallel`, on
    two or more CPUs, a forked child checks some of them at the same time (as loading does)."""
    results: list[StoryLanguage | None] = [None] * len(stories)

    def do(batch: Iterable[int]) -> list[tuple[int, StoryLanguage]]:
        return [(i, analyse(stories[i].body, stories[i].body_line, stories[i].path, settings)) for i in batch]

    def keep(done: list[tuple[int, StoryLanguage]]) -> None:
        for index, result in done:
            results[index] = result

    if parallel and len(stories) >= MIN_STORIES_TO_SPLIT and second_core_usable():
        _dictionary()  # loaded once, before the fork, rather than in both processes
        share_with_forked_child(len(stories), do, lambda batch: keep(do(batch)), keep)
    # Whatever the child did not report on (or all, without a child), done here.
    missing = [i for i, result in enumerate(results) if result is None]
    for index, result in do(missing) if missing else []:
        results[index] = result
    return [result for result in results if result is not None]
