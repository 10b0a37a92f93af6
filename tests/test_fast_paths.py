"""Every shortcut the check takes gives exactly what the full work it skips would give.

- YAML: a document read the fast way (one LibYAML pass, positions worked out only when asked
  for) has the same values and positions as one read with every check, and no problem.
- Names: the quick look at a text (`NameMatcher.might_name`) says no only where the precise
  search finds nothing, whatever the case, normalisation or spacing of a name, and for several
  texts joined as for a whole story.
- Body scans: the characters that the script and slow-Markdown checks look for first are
  really needed for anything to be found.
- Files: front matter is split and story files are listed exactly as before.
- Two processes: `regioverhalen check` on a large site, which reads half the stories in a
  forked child, reports what one process does, byte for byte.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import pickle
import re
import struct
import subprocess
import sys
import time
import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regioverhalen.cli.reporters import LanguageReport, report_json
from regioverhalen.content import html_check, html_policy, loading, plain_language, safety
from regioverhalen.content.consent import JOIN, NameMatcher
from regioverhalen.content.discovery import content_files
from regioverhalen.content.loading import ContentPaths, load_content
from regioverhalen.content.plain_language import LanguageSettings, check_stories
from regioverhalen.content.problems import Problem
from regioverhalen.content.reading import ReadError, SplitStory, split_front_matter
from regioverhalen.content.yaml_source import HAS_LIBYAML, _parse_checked, _parse_plain
from regioverhalen.parallel import forking, shared_work
from regioverhalen.parallel.shared_work import share_with_forked_child

MANY = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --------------------------------------------------------------------------------------
# YAML
# --------------------------------------------------------------------------------------

FRONT_MATTER = """\
title: Van mestoverschot naar bodemleven
date: 2023-05-12
region: achterhoek
participants: [jan-boer-achterhoek, 'gemeente-2']
summary: "Een of twee zinnen: \\u00e9\\u00e9n \\"citaat\\"."
themes:
  - stikstof
  - bodem
breakthrough: {title: Eerste afspraak, date: 2023-04-20, status: aanwijsbaar, place: ~}
lessons:
  - level: opgave
    text: >-
      Begin bij de keukentafel,
      niet bij het loket.
draft: no
extra: {getal: 0x1F, kommagetal: 1.5e3, lijst: [true, null, 2023-01-01 10:00:00], leeg: ''}
"""

#: Pieces of YAML, valid and broken, that the fast path must either read exactly or leave alone.
YAML_PIECES = st.lists(
    st.sampled_from(
        [
            "title: x\n",
            "date: 2023-05-12\n",
            "date: 2023-02-30\n",
            "when: 2023-05-12 10:00\n",
            "n: 12\n",
            "n: 0o17\n",
            "f: .5\n",
            "b: yes\n",
            "z: ~\n",
            "e:\n",
            "k: 'quoted'\n",
            'k: "esc\\u00e9"\n',
            "list:\n  - a\n  - 1\n",
            "- item\n",
            "map: {a: 1, b: [x, y]}\n",
            "seq: [a, {b: c}]\n",
            "nested:\n  deeper:\n    deepest: 1\n",
            "title: again\n",
            "? complex\n: value\n",
            "[a]: b\n",
            "<<: {a: 1}\n",
            "anchor: &a [1]\n",
            "alias: *a\n",
            "tag: !!binary aGVsbG8=\n",
            "tag: !!python/name:os.system\n",
            "tag: !!str 5\n",
            "set: !!set {a, b}\n",
            "big: " + "9" * 120 + "\n",
            "tab:\t1\n",
            "bad: 'open\n",
            "bad: [1, 2\n",
            "x: y: z\n",
            "  indented: 1\n",
            "# comment\n",
            "---\n",
            "...\n",
            "é: ü\n",
            "deep: " + "[" * 40 + "]" * 40 + "\n",
        ]
    ),
    max_size=12,
).map("".join)


def _typed(value: Any) -> Any:
    """The value with the type of every part spelled out: True == 1, but not as YAML reads them."""
    if isinstance(value, dict):
        return ("dict", [(key, _typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(item) for item in value])
    return (type(value).__name__, value)


def _assert_same_as_checked(text: str) -> bool:
    """Whether the fast path read `text`; if it did, it read it as the checking path does."""
    checked = _parse_checked(text, "x.md", 2, accelerated=True)
    plain = _parse_plain(text, "x.md", 2)
    if plain is None:
        return False
    assert plain.problems == checked.problems == []
    assert _typed(plain.data) == _typed(checked.data)
    assert plain.source == checked.source
    return True


@pytest.mark.skipif(not HAS_LIBYAML, reason="PyYAML built without LibYAML")
def test_a_story_s_front_matter_is_read_the_fast_way_with_the_same_values_and_positions() -> None:
    assert _assert_same_as_checked(FRONT_MATTER)


#: Mappings with distinct keys, mostly valid, so that the fast path is taken often.
YAML_MAPPINGS = st.lists(
    st.tuples(
        st.sampled_from(["title", "date", "region", "themes", "extra", "n", "é", "'quoted key'", "1", "true"]),
        st.sampled_from(
            [
                "x",
                "Een zin: met een dubbele punt",
                "'quoted'",
                '"esc\\u00e9\\n"',
                "12",
                "-0x1F",
                "1_000",
                ".5",
                ".inf",
                "yes",
                "Off",
                "~",
                "",
                "2023-05-12",
                "2023-5-1",
                "2023-02-30",
                "2023-05-12 10:00",
                "[a, 1, {b: c}]",
                "{a: 1, b: [x, y]}",
                "\n  - a\n  - [b]\n",
                "\n  deeper:\n    deepest: 1\n",
                "|\n  regel een\n  regel twee\n",
                "!!str 5",
                "!!int '7'",
                "&anker [1]",
                "!!binary aGVsbG8=",
                "9" * 120,
            ]
        ),
    ),
    unique_by=lambda pair: pair[0],
    max_size=8,
).map(lambda pairs: "".join(f"{key}: {value}\n" for key, value in pairs))


@pytest.mark.skipif(not HAS_LIBYAML, reason="PyYAML built without LibYAML")
@MANY
@given(text=YAML_MAPPINGS | YAML_PIECES)
def test_the_fast_yaml_path_reads_exactly_what_the_checking_path_reads(text: str) -> None:
    _assert_same_as_checked(text)


@pytest.mark.skipif(not HAS_LIBYAML, reason="PyYAML built without LibYAML")
@pytest.mark.parametrize(
    "text",
    ["a: 1\na: 2\n", "x: &a 1\ny: *a\n", "t: !!binary aGVsbG8=\n", "d: 2023-02-30\n", "[a]: 1\n", "<<: {a: 1}\n"],
    ids=["duplicate-key", "alias", "tag", "bad-date", "complex-key", "merge"],
)
def test_what_must_be_reported_is_left_to_the_checking_path(text: str) -> None:
    assert _parse_checked(text, "x.md", 2, accelerated=True).problems
    assert _parse_plain(text, "x.md", 2) is None


# --------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------

NAMES = {
    "Hendrika Verborgen": "achterhoek-boer",
    "Renée Brühl": "peel-boer",
    "Anne-Marie O'Brien": "twente-boer",
    "Jürgen Straße": "grens-boer",
    "Łukasz Øberg": "haven-boer",
    "Işık Yılmaz": "stad-boer",
    "J. de Ruijter": "polder-boer",
    "Ǆemal Ĳsbrand": "rand-boer",
}
FINDER = NameMatcher(NAMES)


def _variants(name: str) -> list[str]:
    """The ways a text may write a name: cases, normalisations, spacing between its parts."""
    nfd = unicodedata.normalize("NFD", name)
    first, _, rest = name.partition(" ")
    return [
        name,
        name.upper(),
        name.lower(),
        name.casefold(),
        name.title(),
        nfd,
        nfd.upper(),
        f"{first}\n{rest}",
        f"{first}  \t{rest}",
        f"{first}&nbsp;{rest}",
        f"{first}\u00a0{rest}",
        f"{first}\u2028{rest}",
        f"*{first}* **{rest}**",
        f"{first}-{rest}",
        f"{first}_{rest}",
        f"{first}\u2019{rest}",
    ]


#: Text around names: Latin-1 and beyond, characters that casefold to more than one, line breaks.
FILLER = st.lists(
    st.one_of(
        st.sampled_from(
            [" ", "\n", "en ", "de boer ", "café ", "ideeën ", "’s ", "– ", "ß", "ẞ", "ﬁ", "İ", "ı", "K", "µ", "Σ"]
        ),
        st.sampled_from([variant for name in NAMES for variant in _variants(name)]),
        st.sampled_from([word for name in NAMES for word in re.findall(r"\w+", name)]),
        st.text(max_size=6),
    ),
    max_size=10,
).map("".join)


@MANY
@given(text=FILLER)
def test_the_quick_look_for_names_misses_nothing_the_precise_search_finds(text: str) -> None:
    if FINDER.find(text):
        assert FINDER.might_name(text)


@MANY
@given(parts=st.lists(FILLER, min_size=1, max_size=4))
def test_one_quick_look_at_a_story_s_texts_joined_misses_nothing_in_any_of_them(parts: list[str]) -> None:
    if any(FINDER.find(part) for part in parts):
        assert FINDER.might_name(JOIN.join(parts))


@pytest.mark.parametrize("name", sorted(NAMES))
def test_every_way_of_writing_a_name_found_by_the_precise_search_passes_the_quick_look(name: str) -> None:
    assert FINDER.find(f"Gisteren sprak {name} ons toe.")
    for variant in _variants(name):
        text = f"Gisteren sprak {variant} ons toe."
        if FINDER.find(text):
            assert FINDER.might_name(text), variant


def test_a_text_without_any_part_of_a_name_is_passed_by_the_quick_look() -> None:
    assert not FINDER.might_name("Een café, ideeën, de straat, een boer uit de regio.")
    assert FINDER.might_name("Een café, en iemand die VERBORGEN heet.")  # a part of a name is there


# --------------------------------------------------------------------------------------
# Body scans
# --------------------------------------------------------------------------------------

MARKUP = st.lists(
    st.sampled_from(
        ["<", ">", "[", "]", "(", ")", "{", "}", ":", "a", " ", "\n", "javascript:", "script", "onclick=", "x", "!"]
    ),
    max_size=40,
).map("".join)


@MANY
@given(text=MARKUP)
def test_nothing_unsafe_is_found_without_the_characters_looked_for_first(text: str) -> None:
    patterns = [
        html_check._INLINE_LINK,
        html_check._INLINE_ANGLE_LINK,
        html_check.REFERENCE_DEFINITION,
        html_check._AUTOLINK,
    ]
    if "]" not in text and "<" not in text and "{" not in text:
        assert not any(pattern.search(text) for pattern in patterns)
    if "<" not in text:
        assert list(html_check._html_problems(text, html_policy.ALLOWED_TAGS, False)) == []


@MANY
@given(
    body=st.lists(st.sampled_from(["[", "(", "]", "](", "<", ">", "x", " ", "\n", "\n\n"]), max_size=800).map("".join)
)
def test_a_body_passed_over_for_slow_markdown_has_no_paragraph_that_needs_a_closer_look(body: str) -> None:
    if (safety._most_openers(body) - 1) * len(body) <= safety.MAX_MARKDOWN_SCAN:
        for block in safety._BLOCK.finditer(body):
            text = block.group()
            for opener in safety._PAIRS:
                assert safety._count_openers(text, opener) * len(text) <= safety.MAX_MARKDOWN_SCAN + len(text)


# --------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------


def _split_by_lines(text: str, path: str) -> SplitStory:
    """The front matter split as it was first written: line by line."""
    if not text.strip():
        raise ReadError(Problem(path, 1, 1, "file is empty; a story starts with front matter between '---' lines"))
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        raise ReadError(
            Problem(
                path, 1, 1, "story has no front matter; start the file with a '---' line, then the keys, then '---'"
            )
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return SplitStory("\n".join(lines[1:index]) + "\n", 2, "\n".join(lines[index + 1 :]), index + 2)
    raise ReadError(Problem(path, 1, 1, "front matter is not closed; add a '---' line after the last key"))


LINES = st.lists(
    st.one_of(
        st.sampled_from(["---", "...", "--- ", "---\t", "---\u00a0", "...\u3000", " ---", "----", "..", "a: 1", ""]),
        st.text(max_size=5),
    ),
    max_size=12,
).map("\n".join)


@MANY
@given(text=LINES)
def test_front_matter_is_split_as_line_by_line(text: str) -> None:
    def outcome(split: Any) -> SplitStory | Problem:
        try:
            return split(text, "x.md")  # type: ignore[no-any-return]
        except ReadError as error:
            return error.problem

    assert outcome(split_front_matter) == outcome(_split_by_lines)


def test_story_files_are_listed_depth_first_in_name_order(tmp_path: Path) -> None:
    for rel in ["b.md", "a/z.md", "a/b/c.md", "a/b.md", "a/a/y.md", "c/x.md", ".verborgen/x.md", "a/.x.md", "B.md"]:
        (tmp_path / "stories" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "stories" / rel).write_text("x", encoding="utf-8")
    expected = []
    for directory, folders, files in os.walk(tmp_path / "stories"):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        expected += [Path(directory, name).relative_to(tmp_path).as_posix() for name in sorted(files) if name[0] != "."]
    found = [rel for _, rel in content_files(tmp_path / "stories", tmp_path, (".md",), [])]
    assert (
        found
        == expected
        == ["stories/B.md", "stories/b.md", "stories/a/b.md", "stories/a/z.md"]
        + [
            "stories/a/a/y.md",
            "stories/a/b/c.md",
            "stories/c/x.md",
        ]
    )


# --------------------------------------------------------------------------------------
# Two processes
# --------------------------------------------------------------------------------------

REGION = """\
name: {name}
provinces: [Gelderland]
horizon: Samen de bodem herstellen.
participants:
  - id: {id}-boer
    name: Geheime Boer {name}
    role: boer
  - id: {id}-gemeente
    name: Open Ambtenaar {name}
    role: gemeente
    public: true
"""
STORY = """\
---
title: Verhaal {n}
date: 2023-05-{day:02d}
region: {region}
participants: [{region}-gemeente]
summary: Een samenvatting.
themes: [{theme}]
{extra}---
Open Ambtenaar {name} vertelt.
"""
#: Every few stories something is wrong, some of it only across files (slugs, themes).
EXTRAS = ["", "", "draft: true\n", "slug: gedeeld\n", "regoin: x\n", "lessons: [{level: x, text: y}]\n"]
THEMES = ["bodem", "water", "Water", "energie"]
BODIES = ["", "", "Geheime Boer {name} ook.\n", "<script>x</script>\n", "[" * 900 + "\n"]


def _large_site(root: Path, stories: int) -> None:
    (root / "regions").mkdir()
    for region, name in (("achterhoek", "Achterhoek"), ("de-peel", "De Peel")):
        (root / "regions" / f"{region}.yml").write_text(REGION.format(id=region, name=name), encoding="utf-8")
    for n in range(stories):
        region, name = (("achterhoek", "Achterhoek"), ("de-peel", "De Peel"))[n % 2]
        text = STORY.format(
            n=n, day=n % 28 + 1, region=region, name=name, theme=THEMES[n % 4], extra=EXTRAS[n % len(EXTRAS)]
        ) + BODIES[n % len(BODIES)].format(name=name)
        path = root / "stories" / region / f"verhaal-{n}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: Groot\nplugins:\n  - regioverhalen\n", encoding="utf-8")


#: Python for a fresh interpreter: counts the batches the forked child hands back while the content
#: loads (`from_child`), this process slowed down a little so that the child gets some however busy
#: the machine is. Without a batch from the child, the two-process path was not tested.
SPY_ON_THE_CHILD = (
    "import time, regioverhalen.content.loading as loading\n"
    "real_share, from_child = loading.share_with_forked_child, []\n"
    "def spy(items, in_child, in_parent, receive):\n"
    "    def slower_parent(batch):\n"
    "        time.sleep(0.01)\n"
    "        in_parent(batch)\n"
    "    def counted(result):\n"
    "        from_child.append(len(result))\n"
    "        receive(result)\n"
    "    real_share(items, in_child, slower_parent, counted)\n"
    "loading.share_with_forked_child = spy\n"
)
TWO_CPUS = pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="the second process is used on two CPUs only")


def _check_watching_the_child(site: Path, assertion: str) -> subprocess.CompletedProcess[str]:
    """`regioverhalen check --format json` in a fresh interpreter, as it runs (one thread, so
    forking is safe), with `assertion` about `from_child` checked after it."""
    script = (
        SPY_ON_THE_CHILD + "from regioverhalen.cli.main import main\n"
        f"code = main(['check', '--format', 'json'])\n{assertion}\nraise SystemExit(code)\n"
    )
    return subprocess.run([sys.executable, "-c", script], cwd=site, capture_output=True, text=True, check=False)


@TWO_CPUS
def test_a_large_site_checked_in_two_processes_reports_what_one_process_does(tmp_path: Path) -> None:
    _large_site(tmp_path, loading.MIN_FILES_TO_SPLIT + 30)
    one_process = load_content(ContentPaths(tmp_path))
    messages = "\n".join(problem.message for problem in one_process.problems)
    for kind in ("already used by", "would share one page", "not consented", "not allowed", "very long", "unknown"):
        assert kind in messages
    result = _check_watching_the_child(tmp_path, "assert from_child, 'no batch came back from the child'")
    assert (result.returncode, result.stderr) == (1, "")
    # The language check gives the same figures here as there (too few stories to split it; see
    # test_the_language_check_in_two_processes_gives_what_one_process_gives).
    language = LanguageReport(LanguageSettings(), check_stories(one_process.stories, LanguageSettings()))
    assert result.stdout.rstrip("\n") == report_json(one_process, language)
    assert json.loads(result.stdout)["published"] == len(one_process.stories) > 0


@TWO_CPUS
def test_check_keeps_to_one_process_when_the_site_says_parallel_off(tmp_path: Path) -> None:
    _large_site(tmp_path, loading.MIN_FILES_TO_SPLIT + 30)
    (tmp_path / "mkdocs.yml").write_text(
        'site_name: Groot\nplugins:\n  - regioverhalen:\n      parallel: "off"\n', encoding="utf-8"
    )
    result = _check_watching_the_child(tmp_path, "assert not from_child, 'the check forked a child'")
    assert (result.returncode, result.stderr) == (1, "")
    assert json.loads(result.stdout)["published"] == len(load_content(ContentPaths(tmp_path)).stories) > 0


def _in_a_fresh_interpreter(site: Path, script: str) -> None:
    """Run `script` in a fresh interpreter, with one thread as `regioverhalen` has, so that
    forking is safe; `paths` is the site's, `fields` the fields of a `Content` to compare."""
    preamble = (
        "import sys; from pathlib import Path; from regioverhalen.content.loading import ContentPaths, load_content\n"
        "paths = ContentPaths(Path(sys.argv[1]))\n"
        "fields = ('regions', 'stories', 'drafts', 'problems', 'story_files')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", preamble + script, str(site)], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stderr) == (0, "")


@TWO_CPUS
def test_a_large_site_gives_the_same_content_in_two_processes(tmp_path: Path) -> None:
    _large_site(tmp_path, loading.MIN_FILES_TO_SPLIT + 30)
    _in_a_fresh_interpreter(
        tmp_path,
        SPY_ON_THE_CHILD + "one, two = load_content(paths), load_content(paths, parallel=True)\n"
        "assert from_child, 'no batch came back from the child'\n"
        "assert all(getattr(one, f) == getattr(two, f) for f in fields), 'different content'\n"
        # As `check` loads: the same, but without the stories' texts.
        "from dataclasses import replace\n"
        "before = len(from_child)\n"
        "bare = load_content(paths, parallel=True, keep_texts=False)\n"
        "assert len(from_child) > before, 'no batch came back from the child without texts'\n"
        "assert (bare.problems, bare.story_files, bare.regions) == (one.problems, one.story_files, one.regions)\n"
        "assert bare.stories == [replace(s, body='') for s in one.stories] and any(s.body for s in one.stories)\n",
    )


@contextlib.contextmanager
def _forking_in_the_test_runner(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Forking allowed here: the test runner's other threads are idle."""
    monkeypatch.setattr(forking.threading, "active_count", lambda: 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # forking with threads (Python 3.12+)
        yield


def _assert_same_content(content: loading.Content, expected: loading.Content) -> None:
    for field in ("regions", "stories", "drafts", "problems", "story_files"):
        assert getattr(content, field) == getattr(expected, field), field


@TWO_CPUS
def test_when_the_child_fails_the_files_it_said_nothing_about_are_checked_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _large_site(tmp_path, 120)
    paths = ContentPaths(tmp_path)
    one_process = load_content(paths)
    parent, checked_in_child = os.getpid(), itertools.count()
    check_text = loading.check_story_text

    def failing_in_child(file_and_rel: tuple[Path, str], known: Any) -> Any:
        if os.getpid() != parent and next(checked_in_child) == 30:  # after some batches have gone
            raise RuntimeError("the child fails")
        return check_text(file_and_rel, known)

    monkeypatch.setattr(loading, "check_story_text", failing_in_child)
    monkeypatch.setattr(loading, "MIN_FILES_TO_SPLIT", 10)
    from_child: list[int] = []
    share = loading.share_with_forked_child

    def spy(items: int, in_child: Any, in_parent: Any, receive: Any) -> None:
        def slower_parent(batch: range) -> None:
            time.sleep(0.01)  # so that the child checks some files before it fails, however busy the machine
            in_parent(batch)

        def counted(result: Any) -> None:
            from_child.append(len(result))
            receive(result)

        share(items, in_child, slower_parent, counted)

    monkeypatch.setattr(loading, "share_with_forked_child", spy)
    with _forking_in_the_test_runner(monkeypatch):
        two_processes = load_content(paths, parallel=True)
    assert from_child, "no batch came back from the child before it failed"
    _assert_same_content(two_processes, one_process)


@TWO_CPUS
def test_the_language_check_in_two_processes_gives_what_one_process_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _large_site(tmp_path, 60)
    published = load_content(ContentPaths(tmp_path)).stories
    assert published
    # Enough stories to split the check, each text different: sentences of every length.
    sentence = "De boeren in de regio meten samen hoe het water in de bodem blijft staan. "
    stories = [
        replace(story, body=story.body + sentence * (n % 7) + "Zo ging het.\n" * (n % 3))
        for n, story in enumerate(published * (plain_language.MIN_STORIES_TO_SPLIT // len(published) + 1))
    ]
    one_process = check_stories(stories, LanguageSettings())
    from_child: list[int] = []
    share = plain_language.share_with_forked_child

    def spy(items: int, in_child: Any, in_parent: Any, receive: Any) -> None:
        def slower_parent(batch: range) -> None:
            time.sleep(0.01)  # so that the child checks some stories, however busy the machine
            in_parent(batch)

        def counted(result: Any) -> None:
            from_child.append(len(result))
            receive(result)

        share(items, in_child, slower_parent, counted)

    monkeypatch.setattr(plain_language, "share_with_forked_child", spy)
    with _forking_in_the_test_runner(monkeypatch):
        two_processes = check_stories(stories, LanguageSettings(), parallel=True)
    assert from_child, "no batch came back from the child"
    assert two_processes == one_process


def test_content_loaded_in_a_child_is_the_same_and_pydantic_stays_out_of_this_process(tmp_path: Path) -> None:
    _large_site(tmp_path, loading.MIN_FILES_TO_SPLIT + 30)
    _in_a_fresh_interpreter(
        tmp_path,
        "apart = load_content(paths, parallel=True, in_child=True)\n"
        "assert 'pydantic' not in sys.modules, 'pydantic imported here'\n"
        "here = load_content(paths)\n"
        "assert 'pydantic' in sys.modules\n"
        "assert all(getattr(here, f) == getattr(apart, f) for f in fields), 'different content'\n"
        "assert apart.stories and apart.problems and apart.hidden_names.find('Geheime Boer De Peel')\n",
    )


def test_when_the_child_loading_the_content_fails_it_is_loaded_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _large_site(tmp_path, 20)
    paths = ContentPaths(tmp_path)
    one_process = load_content(paths)
    parent, load = os.getpid(), loading._load_content

    def failing_in_child(*args: Any) -> Any:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return load(*args)

    monkeypatch.setattr(loading, "_load_content", failing_in_child)
    children: list[object] = []

    def counted(compute: Any, meanwhile: Any = None) -> Any:
        children.append(shared_work.computed_in_forked_child(compute, meanwhile))
        return children[-1]

    monkeypatch.setattr(loading, "computed_in_forked_child", counted)
    with _forking_in_the_test_runner(monkeypatch):
        loaded_here = load_content(paths, in_child=True)
    assert children == [None]  # a child was forked, and it failed
    _assert_same_content(loaded_here, one_process)


def _in_child(compute: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return shared_work.computed_in_forked_child(compute)


def test_a_result_computed_in_a_child_arrives_here_whole_and_the_child_is_gone() -> None:
    parent = os.getpid()
    result = _in_child(lambda: {"pid": os.getpid(), "data": list(range(300_000))})
    assert result["pid"] != parent
    assert result["data"] == list(range(300_000))
    with pytest.raises(ChildProcessError):
        os.waitpid(result["pid"], os.WNOHANG)


def test_a_child_that_fails_or_writes_half_a_result_gives_none() -> None:
    def fails() -> Any:
        raise RuntimeError("the child fails")

    class Unpicklable:
        def __reduce__(self) -> Any:
            raise TypeError("not picklable")

    assert _in_child(fails) is None
    # Pickling fails after the first megabytes have been written.
    assert _in_child(lambda: ["x" * 1000 for _ in range(3000)] + [Unpicklable()]) is None


def _share(items: int, in_child: Any, parent_delay: float = 0.0) -> tuple[list[int], dict[int, int]]:
    """What `share_with_forked_child` did here and what reached here from the child."""
    done_here: list[int] = []
    received: dict[int, int] = {}

    def in_parent(batch: range) -> None:
        time.sleep(parent_delay)
        done_here.extend(batch)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        share_with_forked_child(items, in_child, in_parent, received.update)
    return done_here, received


def test_shared_work_is_done_once_each_by_one_of_the_two_processes() -> None:
    # The parent is slower (as when it imports the content model), so the child takes more;
    # the child takes its time too, or it could empty the queue before the parent starts.
    def squares(batch: range) -> dict[int, int]:
        time.sleep(0.002)
        return {i: i * i for i in batch}

    done_here, received = _share(2000, squares, parent_delay=0.02)
    assert sorted(done_here + list(received)) == list(range(2000))
    assert received == {i: i * i for i in received}
    assert len(received) > len(done_here) > 0


def test_shared_work_a_child_that_fails_reports_only_what_it_finished() -> None:
    parent, batches_in_child = os.getpid(), itertools.count()

    def in_child(batch: range) -> dict[int, int]:
        if os.getpid() != parent and next(batches_in_child) == 3:
            raise RuntimeError("the child fails")
        return {i: -i for i in batch}

    done_here, received = _share(2000, in_child, parent_delay=0.005)
    assert len(received) == 3 * 8  # three batches of the smallest size, then nothing
    assert received == {i: -i for i in received}
    assert not set(done_here) & set(received)
    assert len(done_here) + len(received) < 2000  # the rest is the caller's to do


def test_shared_work_an_error_here_is_raised_and_the_child_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    def in_parent(batch: range) -> None:
        raise ValueError(f"batch from {batch.start}")

    children: list[int] = []
    fork = forking.fork_child
    monkeypatch.setattr(forking, "fork_child", lambda in_child: children.append(fork(in_child)) or children[-1])
    started = time.monotonic()
    with warnings.catch_warnings(), pytest.raises(ValueError, match="batch from"):
        warnings.simplefilter("ignore", DeprecationWarning)
        share_with_forked_child(100, lambda batch: time.sleep(60), in_parent, lambda result: None)
    # A child was forked, stopped rather than waited for (it sleeps for a minute), and reaped.
    assert len(children) == 1 and time.monotonic() - started < 30
    with pytest.raises(ChildProcessError):
        os.waitpid(children[0], os.WNOHANG)


def test_shared_work_a_message_cut_off_by_the_end_of_the_pipe_is_left_out() -> None:
    reader, writer = shared_work._roomy_pipe()
    writer.send({1: 1})
    cut_off = pickle.dumps({2: 2})
    # As a child that dies while writing leaves it: multiprocessing's length header, part of the pickle.
    os.write(writer.fileno(), struct.pack("!i", len(cut_off)) + cut_off[:-3])
    writer.close()
    try:
        assert list(shared_work._rest(reader)) == [{1: 1}]
    finally:
        reader.close()


# --------------------------------------------------------------------------------------
# The sanitizer leaves no script, handler, style or foreign scheme, whatever pieces it is fed.
# --------------------------------------------------------------------------------------

_HTML_PIECES = [
    "<",
    ">",
    "</",
    "/",
    " ",
    "\t",
    "\n",
    "\x00",
    "\x0b",
    " " * 40,
    "a",
    "p",
    "img",
    "SCRIPT",
    "script",
    "scr",
    "ipt",
    "iframe",
    "svg",
    "on",
    "ON",
    "onclick",
    "onError",
    "click",
    "=",
    "==",
    '"',
    "'",
    "href",
    "HREF",
    "src",
    "xlink:href",
    "srcset",
    "data",
    "javascript:",
    "JaVa",
    "script:",
    "&#106;",
    "&#x6A;",
    "&Tab;",
    "&colon;",
    "jav\tascript:",
    "data:",
    "vbscript:",
    "srcdoc",
    "SrcDoc",
    "x",
    "&",
    "#",
    ";",
    "http://a",
    "../b/",
    "title",
    "alt",
    "class",
    "-",
    ":",
    "<!--",
    "-->",
    "<![",
    "]]>",
    "style",
    "base",
    "form",
    "math",
    "link",
    "meta",
]


#: Whole elements too: a tag with attributes whose names and values an attacker would try. Loose
#: fragments alone seldom line up into `<a onclick="...">`, so a policy that let a handler or a
#: scheme through could pass unnoticed.
_TAGS = ["a", "p", "img", "span", "div", "script", "svg", "math", "iframe", "style", "form", "base", "object"]
_ATTRIBUTES = ["href", "HREF", "src", "cite", "onclick", "onError", "style", "srcdoc", "srcset"]
_ATTRIBUTES += ["xlink:href", "formaction", "action", "data", "class", "id", "title", "alt"]
_VALUES = ["http://a", "../b/", "#x", "mailto:x", "javascript:alert(1)", "JaVaScRiPt:x", "jav&#x09;ascript:x"]
_VALUES += ["&#106;avascript:x", " javascript:x", "data:text/html,x", "vbscript:x", "md-header x", "__drawer", "x"]
_NEVER_TAGS = {"script", "svg", "math", "iframe", "style", "form", "base", "object", "link", "meta"}
_NEVER_ATTRIBUTES = {"style", "srcdoc", "srcset", "formaction", "action", "xlink:href", "data"}
#: The attributes the pieces can spell whose value a browser may follow as a URL, but for those
#: never allowed at all (action, formaction, data, xlink:href, srcset).
_URL_ATTRIBUTES = {"href", "src", "cite"}
_attribute = st.builds(
    lambda name, value, quote: f" {name}={quote}{value}{quote}",
    st.sampled_from(_ATTRIBUTES),
    st.sampled_from(_VALUES),
    st.sampled_from(['"', "'", ""]),
)
_element = st.builds(
    lambda tag, attributes, inner: f"<{tag}{''.join(attributes)}>{inner}</{tag}>",
    st.sampled_from(_TAGS),
    st.lists(_attribute, max_size=3),
    st.sampled_from(["", "x", "<b>x</b>", "<script>x</script>"]),
)


@settings(max_examples=1000, suppress_health_check=list(HealthCheck), deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_HTML_PIECES), _element), max_size=20).map("".join))
def test_sanitized_html_holds_nothing_outside_the_policy(html: str) -> None:
    cleaned = html_policy.sanitize(html)
    for element in BeautifulSoup(f"<div>{cleaned}</div>", "html.parser").div.find_all(True):
        # What no policy of this site may ever allow, written here rather than read from the
        # policy's own lists, so that widening those lists fails here too.
        assert element.name not in _NEVER_TAGS, cleaned
        assert not any(name.startswith("on") or name in _NEVER_ATTRIBUTES for name in element.attrs), cleaned
        for name in _URL_ATTRIBUTES.intersection(element.attrs):
            assert html_policy.url_scheme(element[name]) in (None, "http", "https", "mailto"), cleaned
        # And the policy as written.
        assert element.name in html_policy.ALLOWED_TAGS, cleaned
        for name in element.attrs:
            assert name in html_policy.allowed_attributes(element.name), cleaned
        assert not any(name.startswith("md-") for name in element.get("class", [])), cleaned
        assert not element.get("id", "").startswith("__"), cleaned
    # Read again as a browser would, the output is what it was: nothing is left to re-parse into a tag.
    assert html_policy.sanitize(cleaned) == cleaned


def test_work_meanwhile_runs_here_while_the_child_computes_until_it_is_done(monkeypatch: pytest.MonkeyPatch) -> None:
    rounds: list[bool] = []

    def meanwhile(child_done: Any) -> None:
        while not child_done():
            rounds.append(True)
            time.sleep(0.01)

    with _forking_in_the_test_runner(monkeypatch):
        result = shared_work.computed_in_forked_child(lambda: (time.sleep(0.3), os.getpid())[1], meanwhile)
    assert isinstance(result, int) and result != os.getpid()  # computed in the child, handed back
    assert len(rounds) >= 5  # this process worked meanwhile, and stopped when the child was done


def test_work_meanwhile_that_fails_stops_the_child_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(child_done: Any) -> None:
        raise ValueError("meanwhile failed")

    fork, children = forking.fork_child, []

    def recorded(in_child: Any) -> int:
        children.append(fork(in_child))
        return children[-1]

    monkeypatch.setattr(forking, "fork_child", recorded)
    started = time.monotonic()
    with _forking_in_the_test_runner(monkeypatch), pytest.raises(ValueError, match="meanwhile failed"):
        shared_work.computed_in_forked_child(lambda: time.sleep(60), failing)
    assert time.monotonic() - started < 30, "the child was waited for"
    with pytest.raises(ChildProcessError):
        os.waitpid(children[0], os.WNOHANG)  # ended and reaped: nothing left behind
