"""Story pages rendered ahead: under `mkdocs build` a forked child renders the stories from the
last one back while MkDocs renders them from the first one on. The site is the same byte for
byte as one rendered in one process, warnings are given once, in the page's turn, and a page
whose Markdown changed after the fork is rendered here."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from conftest import MKDOCS_YML, SiteDir
from pagefind_files import built_files, filter_contents, stable_part, unstable_kinds
from regioverhalen.mkdocs import page_content, render_ahead
from regioverhalen.mkdocs.render_ahead import RenderAhead
from regioverhalen.parallel import forking
from regioverhalen.parallel.from_both_ends import FromBothEnds

TWO_CPUS = pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="the second process is used on two CPUs only")
STORIES = render_ahead.MIN_STORIES + 20


@pytest.fixture(autouse=True)
def _forking_in_the_test_runner(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Forking allowed here: the test runner's other threads are idle, as a build forks alone."""
    monkeypatch.setattr(forking.threading, "active_count", lambda: 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # forking with threads (Python 3.12+)
        yield


# FromBothEnds on its own


def _done_in_child(log: Path) -> list[int]:
    return [int(line) for line in log.read_text(encoding="utf-8").split()] if log.exists() else []


def _both_ends(items: int, log: Path, *, child_pause: float = 0.0, fail_at: int | None = None) -> FromBothEnds:
    """Squares of 0 .. items-1; the child notes each item it starts in `log`."""
    parent = os.getpid()

    def square(index: int) -> int:
        if os.getpid() != parent:
            with log.open("a", encoding="utf-8") as noted:
                noted.write(f"{index}\n")
            if index == fail_at:
                raise RuntimeError("the child fails")
            time.sleep(child_pause)
        return index * index

    return FromBothEnds(items, square)


def _take_all(both: FromBothEnds, items: int, *, parent_pause: float = 0.0) -> tuple[list[int], list[int]]:
    """Every result in order, as a page loop takes them; and the items done here."""
    results, here = [], []
    for index in range(items):
        found, result = both.take(index)
        if not found:
            here.append(index)
            result = index * index
            time.sleep(parent_pause)
        results.append(result)
    return results, here


@TWO_CPUS
def test_each_item_is_taken_from_the_child_or_done_here_and_the_two_meet_once(tmp_path: Path) -> None:
    log = tmp_path / "child.log"
    both = _both_ends(200, log)
    results, here = _take_all(both, 200, parent_pause=0.002)
    time.sleep(0.2)  # the child has long met this process
    both.close()
    assert results == [index * index for index in range(200)]
    in_child = _done_in_child(log)
    # Here from the first item on, there from the last one back; at most the item where they met twice.
    assert here == list(range(len(here)))
    assert in_child == list(range(199, 199 - len(in_child), -1))
    assert in_child, "the child did nothing"
    assert len(set(in_child) & set(here)) <= 1
    assert set(in_child) | set(here) == set(range(200))


def _until(condition: Callable[[], bool], what: str) -> None:
    """Wait for `condition`, however busy the machine, but not forever."""
    deadline = time.monotonic() + 20
    while not condition():
        assert time.monotonic() < deadline, f"waited 20 s for {what}"
        time.sleep(0.005)


@TWO_CPUS
def test_the_child_stops_where_this_process_has_got_to(tmp_path: Path) -> None:
    log = tmp_path / "child.log"
    both = _both_ends(200, log, child_pause=0.05)
    _until(lambda: bool(_done_in_child(log)), "the child's first item")
    results, here = _take_all(both, 200)  # done here well within the child's pause
    time.sleep(0.3)  # time for several more items, had the child gone on
    in_child = _done_in_child(log)
    both.close()
    assert results == [index * index for index in range(200)]
    assert 1 <= len(in_child) <= 2
    assert len(here) >= 198


def test_nothing_is_taken_once_closed(tmp_path: Path) -> None:
    both = _both_ends(5, tmp_path / "child.log")
    _until(lambda: len(both.arrived()) == 5, "the child's five items")
    both.close()
    assert [both.take(index) for index in range(5)] == [(False, None)] * 5
    assert not both.failed
    both.close()  # closing twice is harmless


@TWO_CPUS
def test_a_failing_child_leaves_the_rest_to_this_process_without_waiting(tmp_path: Path) -> None:
    log = tmp_path / "child.log"
    both = _both_ends(200, log, fail_at=150)
    _until(lambda: 150 in _done_in_child(log), "the child to fail")
    started = time.monotonic()
    results, here = _take_all(both, 200)
    took = time.monotonic() - started
    both.close()
    assert results == [index * index for index in range(200)]
    assert here == list(range(151))
    assert _done_in_child(log) == list(range(199, 149, -1))
    assert took < 5, "the page loop waited for the child"
    assert both.failed


@TWO_CPUS
def test_a_child_stopped_between_writing_a_result_and_its_notice_holds_nothing_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parent, write = os.getpid(), os.write

    def stopping_before_the_notice_of_150(fd: int, data: Any) -> int:
        if os.getpid() != parent and bytes(data) == FromBothEnds.NOTICE.pack(150, *_offset_and_length(data)):
            os.kill(os.getpid(), signal.SIGSTOP)  # as a debugger or a freezer would
        return write(fd, data)

    monkeypatch.setattr(os, "write", stopping_before_the_notice_of_150)
    both = FromBothEnds(200, lambda index: index * index)
    _until(lambda: both.arrived() == set(range(151, 200)), "the child's items down to 151")
    started = time.monotonic()
    results, here = _take_all(both, 200)
    took = time.monotonic() - started
    both.close()  # a stopped child is killed all the same
    assert results == [index * index for index in range(200)]
    assert here == list(range(151))
    assert took < 5, "the page loop waited for the child"


def _offset_and_length(data: Any) -> tuple[int, int]:
    """The offset and length in what may be a notice (anything else gives zeros)."""
    if len(data) != FromBothEnds.NOTICE.size:
        return 0, 0
    _index, offset, length = FromBothEnds.NOTICE.unpack(bytes(data))
    return offset, length


def test_no_child_is_forked_where_sigchld_is_ignored() -> None:
    # The test runner's threads are idle (see the fixture), so only SIGCHLD decides here.
    assert forking.fork_is_safe()
    before = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        assert not forking.fork_is_safe()
    finally:
        signal.signal(signal.SIGCHLD, before)


# In a real build


HOOKS = """\
def on_page_markdown(markdown, **kwargs):
    return markdown
"""


def _large_site(site: SiteDir, *, parallel: str = "auto", search: str = "none", extra_yml: str = "") -> list[str]:
    """STORIES valid stories, each linking to the guide's anchors; their page paths, newest first
    (the order in which MkDocs renders them)."""
    site.region("achterhoek")
    site.write("docs/gids.md", "# Gids\n\n## Doel\n\nWaar het om gaat.\n")
    for n in range(STORIES):
        path = site.story(f"verhaal-{n:03d}", "achterhoek", date=f"2023-{n % 12 + 1:02d}-{n % 28 + 1:02d}")
        body = f"\n\n## Stap {n}\n\nZie [het doel](../gids.md#doel) en [deze stap](#stap-{n}).\n\n" + (
            "Een alinea over de bodem en het water in de regio. " * (n % 5 + 1)
        )
        path.write_text(path.read_text(encoding="utf-8") + body, encoding="utf-8")
    plugin = f'  - regioverhalen:\n      parallel: "{parallel}"\n      search: {search}\n'
    site.write("mkdocs.yml", MKDOCS_YML.replace("  - regioverhalen\n", plugin) + extra_yml)
    dates = {n: (n % 12 + 1, n % 28 + 1) for n in range(STORIES)}
    return [f"verhalen/verhaal-{n:03d}.md" for n in sorted(dates, key=lambda n: dates[n], reverse=True)]


class _Watched:
    """What a build did with the child: the story pages in the child's order, whether the child
    had delivered each when it was needed, the pages that took the child's rendering, and the
    child's process (to check that it is gone after the build)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *, child_first: int = 0, child_pause: float = 0.0):
        self.order: list[str] = []
        self.delivered: dict[str, bool] = {}
        self.from_child: list[str] = []
        self.child: int | None = None
        renderer, take, put_in = render_ahead._renderer, FromBothEnds.take, render_ahead.Rendered.put_in

        def watched_renderer(stories: list[Any], *args: Any) -> Any:
            self.order = [file.src_uri for file in stories]
            render = renderer(stories, *args)

            def slower(index: int) -> Any:  # in the child
                time.sleep(child_pause)
                return render(index)

            return slower

        def watched_take(both: FromBothEnds, index: int) -> tuple[bool, Any]:
            if not self.delivered:  # the first page: the child has rendered `child_first` pages
                self.child = both._child
                _until(lambda: len(both.arrived()) >= child_first, f"the child's first {child_first} pages")
            found, rendered = take(both, index)
            self.delivered[self.order[index]] = found
            return found, rendered

        def watched_put_in(rendered: render_ahead.Rendered, page: Any, files: Any) -> None:
            self.from_child.append(page.file.src_uri)
            put_in(rendered, page, files)

        monkeypatch.setattr(render_ahead, "_renderer", watched_renderer)
        monkeypatch.setattr(FromBothEnds, "take", watched_take)
        monkeypatch.setattr(render_ahead.Rendered, "put_in", watched_put_in)

    def assert_child_gone(self) -> None:
        """The child was stopped and reaped (a zombie, not yet reaped, still takes signal 0)."""
        assert self.child is not None
        with pytest.raises(ProcessLookupError):
            os.kill(self.child, 0)


def _build(root: Path, site_dir: str = "site") -> Path:
    config = load_config(str(root / "mkdocs.yml"), strict=True, site_dir=str(root / site_dir))
    build(config)
    return root / site_dir


@TWO_CPUS
def test_a_site_rendered_ahead_is_the_site_rendered_in_one_process(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    _large_site(site, parallel="off")
    one_process = _build(site.root, "site-off")
    pages = _large_site(site, parallel="auto")
    # A slow child: it renders some of the pages, and this process the others.
    watched = _Watched(monkeypatch, child_first=1, child_pause=0.05)
    ahead = _build(site.root, "site-auto")
    watched.assert_child_gone()
    assert watched.order == pages
    assert watched.from_child, "no story page took its rendering from the child"
    assert len(watched.from_child) < STORIES, "the child rendered every page: the loop here was not tested"
    assert watched.from_child == pages[-len(watched.from_child) :]
    one, other = built_files(one_process), built_files(ahead)
    assert len(one) > STORIES
    assert one == other


@TWO_CPUS
def test_what_the_child_s_rendering_warned_about_is_told_once_and_fails_a_strict_build(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    last = _large_site(site, extra_yml="validation:\n  anchors: warn\n")[-1]
    source = site.root / "stories" / "achterhoek" / Path(last).name
    # Told while the page is rendered (a page that is not there) and once all are (an anchor).
    broken = "\nZie [wat er niet is](../nergens.md) en [wat er niet staat](../gids.md#nergens).\n"
    source.write_text(source.read_text(encoding="utf-8") + broken, encoding="utf-8")
    watched = _Watched(monkeypatch, child_first=STORIES // 2)
    with caplog.at_level(logging.WARNING, logger="mkdocs"), pytest.raises(Abort, match="2 warnings"):
        _build(site.root)
    assert watched.order[-1] == last and last in watched.from_child
    warned = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    assert warned == [
        f"Doc file '{last}' contains a link '../nergens.md', but the target 'nergens.md' is not found among "
        "documentation files.",
        f"Doc file '{last}' contains a link '../gids.md#nergens', but the doc 'gids.md' does not contain an "
        "anchor '#nergens'.",
    ]


@TWO_CPUS
def test_a_page_whose_markdown_changed_after_the_fork_is_rendered_here(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    last = _large_site(site)[-1]
    watched = _Watched(monkeypatch, child_first=STORIES // 2)
    start, markdown = RenderAhead.start, page_content.generated_markdown

    def changed_after_the_fork(ahead: RenderAhead, *args: Any, **kwargs: Any) -> None:
        start(ahead, *args, **kwargs)

        def with_a_line_added(page: Any, *rest: Any) -> str:
            text = markdown(page, *rest)
            return text + "\n\nAlleen in dit proces.\n" if page.file.src_uri == last else text

        monkeypatch.setattr(page_content, "generated_markdown", with_a_line_added)

    monkeypatch.setattr(RenderAhead, "start", changed_after_the_fork)
    built = _build(site.root)
    # The child had delivered its rendering of the page, made from the Markdown before the change.
    assert watched.delivered[last] and last not in watched.from_child and watched.from_child
    page = built / "verhalen" / Path(last).stem / "index.html"
    assert "Alleen in dit proces." in page.read_text(encoding="utf-8")


@TWO_CPUS
def test_with_a_hook_that_changes_pages_nothing_is_rendered_ahead(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = _large_site(site, extra_yml="hooks: [hooks.py]\n")
    site.write("hooks.py", HOOKS)
    watched = _Watched(monkeypatch)
    built = _build(site.root)
    assert (watched.order, watched.delivered, watched.from_child) == ([], {}, [])
    assert len(list((built / "verhalen").glob("verhaal-*/index.html"))) == len(pages)


@TWO_CPUS
def test_beside_pagefind_stories_are_rendered_ahead_and_the_site_and_its_index_are_as_in_one_process(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    _large_site(site, parallel="off", search="pagefind")
    one_process = built_files(_build(site.root, "site-off"))
    pages = _large_site(site, search="pagefind")
    watched = _Watched(monkeypatch, child_first=1, child_pause=0.05)
    ahead = built_files(_build(site.root, "site-auto"))
    watched.assert_child_gone()
    assert watched.order == pages
    assert watched.from_child, "no story page took its rendering from the child"
    assert len(watched.from_child) < STORIES, "the child rendered every page: the loop here was not tested"
    assert watched.from_child == pages[-len(watched.from_child) :]
    assert "pagefind/pagefind-entry.json" in ahead
    # Pagefind orders its filter files as it likes: those are compared by their content.
    assert stable_part(ahead) == stable_part(one_process)
    assert filter_contents(ahead) == filter_contents(one_process)
    assert unstable_kinds(ahead) == unstable_kinds(one_process)


@TWO_CPUS
@pytest.mark.parametrize(("command", "dirty"), [("serve", False), ("build", True)])
def test_a_preview_or_a_dirty_build_renders_in_one_process(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch, command: str, dirty: bool
) -> None:
    _large_site(site)
    watched = _Watched(monkeypatch)
    config = load_config(str(site.root / "mkdocs.yml"))  # MkDocs warns about any dirty build
    config.plugins.on_startup(command=command, dirty=dirty)
    try:
        build(config, dirty=dirty)
    finally:
        # MkDocs keeps one plugin per process: the tests after this one make full builds.
        config.plugins.on_shutdown()
        config.plugins.on_startup(command="build", dirty=False)
    assert watched.order == []
    assert (site.root / "site" / "verhalen" / "verhaal-000" / "index.html").is_file()


IGNORING_SIGCHLD = """\
import signal, sys
signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # as some supervisors start programs
sys.argv = sys.argv[1:]
if sys.argv[0] == "mkdocs":
    from mkdocs.__main__ import cli
    cli()
from regioverhalen.cli import run
sys.exit(run())
"""


@TWO_CPUS
def test_a_build_and_a_check_started_with_sigchld_ignored_work_in_one_process(site: SiteDir) -> None:
    pages = _large_site(site)
    for command in (["mkdocs", "build", "--strict"], ["regioverhalen", "check"]):
        result = subprocess.run(
            [sys.executable, "-c", IGNORING_SIGCHLD, *command], cwd=site.root, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    assert len(list((site.root / "site" / "verhalen").glob("verhaal-*/index.html"))) == len(pages)


WARNING_EXTENSION = """\
import warnings
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor


class Warns(Treeprocessor):
    def run(self, root):
        if "verouderd-teken" in self.md.htmlStash.rawHtmlBlocks or any(
            "verouderd-teken" in (element.text or "") for element in root.iter()
        ):
            warnings.warn("verouderd teken gezien", DeprecationWarning)


class WarnsExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(Warns(md), "verouderd", 0)


def makeExtension(**kwargs):
    return WarnsExtension(**kwargs)
"""


@TWO_CPUS
@pytest.mark.parametrize("action", ["default", "always"])
def test_python_warnings_from_the_child_s_rendering_are_given_as_one_process_gives_them(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch, action: str
) -> None:
    pages = _large_site(site, parallel="off", extra_yml="")
    config = (site.root / "mkdocs.yml").read_text(encoding="utf-8")
    site.write("mkdocs.yml", config.replace("toc]", "toc, verouderd_extensie]"))
    site.write("verouderd_extensie.py", WARNING_EXTENSION)
    monkeypatch.syspath_prepend(str(site.root))
    # The first story (rendered here) and the last one (by the child) warn, from the same line.
    for page in (pages[0], pages[-1]):
        source = site.root / "stories" / "achterhoek" / Path(page).name
        source.write_text(source.read_text(encoding="utf-8") + "\nverouderd-teken\n", encoding="utf-8")

    def warned(site_dir: str) -> list[str]:
        sys.modules.pop("verouderd_extensie", None)  # a fresh registry of warnings given
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter(action)
            _build(site.root, site_dir)
        return [str(warning.message) for warning in caught if "verouderd" in str(warning.message)]

    one_process = warned("site-off")
    site.write("mkdocs.yml", (site.root / "mkdocs.yml").read_text(encoding="utf-8").replace('"off"', '"auto"'))
    watched = _Watched(monkeypatch, child_first=1, child_pause=0.1)  # the child has the last pages only
    ahead = warned("site-auto")
    assert pages[-1] in watched.from_child and pages[0] not in watched.from_child
    assert one_process == ["verouderd teken gezien"] * (1 if action == "default" else 2)
    assert ahead == one_process
