"""Claims that hold for every input, tested with hypothesis on real files and real builds.

- Loading never raises for content: arbitrary bytes or YAML-like text in a story or region
  file become problems with a position.
- No story is lost: every story file is published, held back as a draft, or named in a
  problem, and exactly one of these.
- The build stops whenever anything is reported.
- The LibYAML fast path and pure-Python PyYAML give the same data, positions and problems.
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from conftest import HOME, REGION
from regioverhalen.content.loading import Content, ContentPaths, load_content
from regioverhalen.content.yaml_source import HAS_LIBYAML, Loc, Position, SourceMap, parse_yaml

MKDOCS_YML = """\
site_name: Eigenschappen
site_url: https://test.example.org/
theme:
  name: material
  language: nl
plugins:
  - regioverhalen:
      search: none
"""

QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BUILDS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Characters that make YAML interesting, and some that make text interesting.
YAMLISH = st.lists(
    st.sampled_from(
        list("abcxyz019 \n\t:-[]{},'\"#&*!|>?%@`\\.ée\u0301\ufeff\r\x85")
        + ["title", "date", "- ", ": ", "\n  ", "2023-02-30", "!!python/name:x", "&a", "*a", "<<", "---", "..."]
    ),
    max_size=60,
).map("".join)


@contextmanager
def site_folder() -> Iterator[Path]:
    """A site with two regions and no stories, in a fresh temporary folder."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
        (root / "docs").mkdir()
        (root / "docs/index.md").write_text(HOME, encoding="utf-8")
        (root / "regions").mkdir()
        (root / "stories").mkdir()
        for region_id, name in (("achterhoek", "Achterhoek"), ("de-peel", "De Peel")):
            text = REGION.format(
                id=region_id, name=name, secret=f"Geheime Boer {name}", public=f"Open Ambtenaar {name}"
            )
            (root / "regions" / f"{region_id}.yml").write_text(text, encoding="utf-8")
        yield root


def load(root: Path) -> Content:
    return load_content(ContentPaths(root=root))


def accounted(content: Content, story_paths: set[str]) -> None:
    """Every story file is in exactly one of: published, drafts, named in a problem."""
    published = {s.path for s in content.stories}
    drafts = {s.path for s in content.drafts}
    reported = {p.path for p in content.problems} & story_paths
    assert published | drafts | reported == story_paths
    assert not (published & drafts) and not (published & reported) and not (drafts & reported)
    assert content.story_files == len(published) + len(drafts) + len(reported)
    for problem in content.problems:
        assert problem.line >= 1 and problem.column >= 1 and problem.message


@QUICK
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_as_a_story_never_raise(data: bytes) -> None:
    with site_folder() as root:
        (root / "stories/achterhoek").mkdir()
        (root / "stories/achterhoek/verhaal.md").write_bytes(data)
        content = load(root)
        accounted(content, {"stories/achterhoek/verhaal.md"})


@QUICK
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_as_a_region_never_raise(data: bytes) -> None:
    with site_folder() as root:
        (root / "regions/twente.yml").write_bytes(data)
        content = load(root)
        assert content.story_files == 0
        assert {p.path for p in content.problems} <= {"regions/twente.yml"}


@QUICK
@given(front=YAMLISH, body=st.text(max_size=80))
def test_arbitrary_yaml_front_matter_never_raises(front: str, body: str) -> None:
    with site_folder() as root:
        (root / "stories/verhaal.md").write_text(f"---\n{front}\n---\n{body}", encoding="utf-8")
        accounted(load(root), {"stories/verhaal.md"})


#: Any value YAML can hold, nested a little: what an editor might put under any key.
YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12) | st.dates(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=6,
)
STORY_KEYS = ["title", "date", "region", "participants", "summary", "themes", "slug", "draft", "breakthrough"]
REGION_KEYS = ["name", "provinces", "horizon", "description", "location", "participants"]


@QUICK
@given(key=st.sampled_from([*STORY_KEYS, "lessons", "extra"]), value=YAML_VALUES)
def test_any_value_under_any_story_key_is_reported_not_raised(key: str, value: object) -> None:
    front = {"title": "Verhaal", "region": "achterhoek", "participants": ["achterhoek-boer"], "summary": "Kort."}
    front[key] = value
    with site_folder() as root:
        (root / "regions/twente.yml").write_text("name: Twente: oost\n", encoding="utf-8")  # an unreadable region
        (root / "stories/achterhoek").mkdir()
        text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\nTekst.\n"
        (root / "stories/achterhoek/verhaal.md").write_text(text, encoding="utf-8")
        accounted(load(root), {"stories/achterhoek/verhaal.md"})


@QUICK
@given(key=st.sampled_from(REGION_KEYS), value=YAML_VALUES)
def test_any_value_under_any_region_key_is_reported_not_raised(key: str, value: object) -> None:
    region = yaml.safe_load(REGION.format(id="twente", name="Twente", secret="Geheime Boer", public="Open Ambtenaar"))
    region[key] = value
    with site_folder() as root:
        (root / "regions/twente.yml").write_text(yaml.safe_dump(region, allow_unicode=True), encoding="utf-8")
        (root / "stories/twente").mkdir()
        story = "---\ntitle: V\ndate: 2023-05-01\nregion: twente\nparticipants: [twente-boer]\nsummary: K.\n---\nT\n"
        (root / "stories/twente/verhaal.md").write_text(story, encoding="utf-8")
        accounted(load(root), {"stories/twente/verhaal.md"})


VALID = (
    "---\ntitle: Verhaal {n}\ndate: 2023-05-{day:02d}\nregion: {region}\nparticipants: [{region}-boer]\n"
    "summary: Een samenvatting van verhaal {n}.\n{extra}---\nEen boer uit de regio vertelt.\n"
)

#: Ways a story file can be: fine, a draft, or broken in one of many ways.
VARIANTS = {
    "valid": "",
    "draft": "draft: true\n",
    "theme": "themes: [water, bodem]\n",
    "breakthrough": "breakthrough:\n  title: Afspraak\n  date: 2023-01-01\n  status: aanwijsbaar\n",
    "typo": "regoin: x\n",
    "bad-date": "breakthrough:\n  title: Afspraak\n  date: 2023-02-30\n  status: aanwijsbaar\n",
    "alias": "extra: &a [1]\nthemes: *a\n",
    "tag": "extra: !!python/object:os.system {}\n",
    "duplicate": "title: Nog eens\n",
    "bad-slug": "slug: Niet/Goed\n",
    "same-slug": "slug: gedeeld\n",
    "secret-name": "lessons:\n  - level: opgave\n    text: Geheime Boer Achterhoek leerde veel.\n",
    "script-body": "",
    "unknown-region": "",
}

GOOD = ["valid", "draft", "theme", "breakthrough"]


def _specs(variants: list[str]) -> st.SearchStrategy[list[tuple[str, str, int]]]:
    return st.lists(
        st.tuples(st.sampled_from(variants), st.sampled_from(["achterhoek", "de-peel"]), st.integers(1, 28)),
        max_size=8,
    )


#: Half the sets hold only good stories, so that successful builds are tried as often as failing ones.
story_specs = st.one_of(_specs(GOOD), _specs(sorted(VARIANTS)))


def write_stories(root: Path, specs: list[tuple[str, str, int]]) -> set[str]:
    paths = set()
    for n, (variant, region, day) in enumerate(specs):
        text = VALID.format(n=n, day=day, region=region, extra=VARIANTS[variant])
        if variant == "script-body":
            text += "\n<script>alert(1)</script>\n"
        if variant == "unknown-region":
            text = text.replace(f"region: {region}", "region: twente")
        rel = f"stories/{region}/verhaal-{n}.md"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
        paths.add(rel)
    return paths


@QUICK
@given(specs=story_specs)
def test_no_story_is_lost(specs: list[tuple[str, str, int]]) -> None:
    with site_folder() as root:
        paths = write_stories(root, specs)
        content = load(root)
        accounted(content, paths)
        assert len(content.drafts) == sum(1 for variant, _, _ in specs if variant == "draft"), (
            "a valid draft is always held back, never published or reported"
        )


@pytest.fixture(autouse=True)
def _quiet_mkdocs() -> Iterator[None]:
    """Real builds log every problem; keep hypothesis' many examples quiet."""
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


@BUILDS
@given(specs=story_specs)
def test_the_build_stops_whenever_a_problem_is_reported(specs: list[tuple[str, str, int]]) -> None:
    with site_folder() as root:
        paths = write_stories(root, specs)
        content = load(root)
        accounted(content, paths)
        config = load_config(str(root / "mkdocs.yml"), strict=True)
        if content.problems:
            with pytest.raises(Abort):
                build(config)
            assert not (root / "site").exists(), "a failed first build leaves no site folder"
        else:
            build(config)
            pages = {p.parent.name for p in (root / "site/verhalen").glob("*/index.html")}
            assert pages == {s.slug for s in content.stories}


@pytest.mark.skipif(not HAS_LIBYAML, reason="PyYAML built without LibYAML")
@settings(max_examples=400, deadline=None)
@given(text=YAMLISH)
@example(text="[a\r: ")  # a bracket run into a key after a carriage return: lines counted as YAML counts them
def test_libyaml_and_pure_python_agree(text: str) -> None:
    # A lone '!' tag: LibYAML reads the empty value after it as '' and PyYAML as null; the
    # content model refuses both. The one known difference in values, so left out here.
    assume(not re.search(r"!(?=\s|$)", text))
    fast = parse_yaml(text, "x.yml", 2, accelerated=True)
    slow = parse_yaml(text, "x.yml", 2, accelerated=False)
    if fast.problems != slow.problems and all("invalid YAML" not in p.message for p in fast.problems):
        # LibYAML accepts a few things PyYAML refuses (a tab after 'key:'); then PyYAML's
        # complaint is the only difference.
        assert any("invalid YAML" in p.message for p in slow.problems)
        return
    assert fast.data == slow.data
    assert fast.problems == slow.problems
    if fast.data is None:
        return  # an empty document: where it "starts" differs, and is never shown
    if _has_explicit_key(text):
        # An explicit key ('?') with no key or no value written after it ('? a' at the end of
        # the text, '[? ]'): the parsers place that empty node differently (LibYAML at the
        # start of the next line, PyYAML where the text ends). Only such empty nodes' positions differ.
        assert _without_empty_nodes(fast.source, fast.data) == _without_empty_nodes(slow.source, slow.data)
        return
    assert fast.source == slow.source


def _has_explicit_key(text: str) -> bool:
    """Whether the text has an explicit key indicator ('?'), as PyYAML's scanner reads it.

    A key token that covers a character is a written '?' (an implicit key's token is empty).
    The scanner, not a pattern, decides: in flow context '?' is an indicator even before a non-space.
    """
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.KeyToken) and token.end_mark.index > token.start_mark.index:
                return True
    except yaml.YAMLError:
        pass  # the tokens before the error have been looked at
    return False


def _without_empty_nodes(source: SourceMap, data: object) -> tuple[dict[Loc, Position], dict[Loc, Position], set[Loc]]:
    """The source map without the positions of empty nodes (null or '' values, '' keys)."""
    missing = object()

    def at(loc: Loc) -> object:
        node = data
        for part in loc:
            try:
                node = node[part]  # type: ignore[index]
            except (KeyError, IndexError, TypeError):
                return missing
        return node

    values = {loc: pos for loc, pos in source.values.items() if at(loc) not in (None, "")}
    keys = {loc: pos for loc, pos in source.keys.items() if loc[-1] not in (None, "")}
    return values, keys, source.reported
