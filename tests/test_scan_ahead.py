"""Pages scanned ahead: a forked child scans each page the build has written while the build goes
on, and the scan at the end takes its findings only for a file that still holds the bytes the
child read. What is reported is the same as the scan at the end alone would report."""

from __future__ import annotations

import logging
import os
import select
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import Abort

from conftest import SiteDir
from regioverhalen.content.consent import NameMatcher
from regioverhalen.content.problems import consent_message
from regioverhalen.mkdocs import consent_scan
from regioverhalen.parallel import forking, shared_work
from regioverhalen.site import output_scan
from regioverhalen.site.output_scan import ScanAhead, scan_site
from test_consent_names import REGION, STORY

PEOPLE = NameMatcher({"Hendrika Zwanenburg": "achterhoek-boer"}, ["Open Ambtenaar"])
PAGE = "<!doctype html><html><head><title>T</title></head><body><header>Kop</header>\n<main>{}</main></body></html>"
NAMED = PAGE.format("<p>Hen<b>drika</b> Zwanenburg</p>")
CLEAN = PAGE.format("<p>Open Ambtenaar vertelt over de boer.</p>")
SOURCES = {"verhalen/x/index.html": "stories/x.md"}
FOUND_IN_X = (
    f"site/verhalen/x/index.html:2:10: error: {consent_message('achterhoek-boer')}; "
    "found in the page's text (made from stories/x.md)"
)


@pytest.fixture(autouse=True)
def _forking_in_the_test_runner() -> Iterator[None]:
    """The child is forked here beside the test runner's idle threads, as a build forks it alone."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # forking with threads (Python 3.12+)
        yield


def _site(tmp_path: Path, files: dict[str, str]) -> Path:
    site = tmp_path / "site"
    for rel, text in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    return site


def _told(site: Path, rels: list[str]) -> ScanAhead:
    ahead = ScanAhead(site, PEOPLE, "site")
    for rel in rels:
        ahead.written(rel, SOURCES.get(rel, ""))
    return ahead


class _Results:
    """What the child handed back, as `scan_site` takes it in."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.taken: dict[str, tuple[bytes | None, list[Any]]] = {}
        original = ScanAhead.results

        def spy(ahead: ScanAhead) -> list[tuple[str, bytes | None, list[Any]]]:
            results = original(ahead)
            self.taken.update((rel, (digest, found)) for rel, digest, found in results)
            return results

        monkeypatch.setattr(ScanAhead, "results", spy)


def test_the_child_s_findings_are_those_of_the_scan_at_the_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"verhalen/x/index.html": NAMED, "verhalen/y/index.html": CLEAN, "index.html": CLEAN}
    site = _site(tmp_path, files)
    alone = [str(problem) for problem in scan_site(site, PEOPLE, SOURCES)]
    results = _Results(monkeypatch)
    ahead = _told(site, list(files))
    assert [str(problem) for problem in scan_site(site, PEOPLE, SOURCES, ahead=ahead)] == alone == [FOUND_IN_X]
    # The child read every page, and what it found in x is what is reported.
    assert sorted(results.taken) == sorted(files)
    assert all(digest is not None for digest, _found in results.taken.values())
    assert [str(problem) for problem in results.taken["verhalen/x/index.html"][1]] == [FOUND_IN_X]


def test_a_page_changed_after_the_child_read_it_is_scanned_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(tmp_path, {"verhalen/x/index.html": CLEAN})
    original = ScanAhead.results
    read_by_child: list[list[tuple[str, bytes | None, list[Any]]]] = []

    def then_changed(ahead: ScanAhead) -> list[tuple[str, bytes | None, list[Any]]]:
        results = original(ahead)  # the child is done: it read the clean page
        read_by_child.append(results)
        (site / "verhalen/x/index.html").write_text(NAMED, encoding="utf-8")  # as a later plugin might
        return results

    monkeypatch.setattr(ScanAhead, "results", then_changed)
    problems = scan_site(site, PEOPLE, SOURCES, ahead=_told(site, ["verhalen/x/index.html"]))
    assert [str(problem) for problem in problems] == [FOUND_IN_X]
    [(rel, digest, found)] = read_by_child[0]
    assert rel == "verhalen/x/index.html" and digest is not None and found == []


def test_a_shared_part_first_seen_on_a_page_changed_since_is_still_found_on_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The child scans the named footer once, on a; b and c show the same footer. Then a is
    # rewritten without it: the name is still published, on b and c.
    shared = "<!doctype html><html><body><main>{}</main><footer>Hendrika Zwanenburg</footer></body></html>"
    site = _site(tmp_path, {rel: shared.format(rel) for rel in ("a.html", "b.html", "c.html")})
    original = ScanAhead.results

    def then_a_changed(ahead: ScanAhead) -> list[tuple[str, bytes | None, list[Any]]]:
        results = original(ahead)
        assert [(rel, bool(found)) for rel, _digest, found in results] == [
            ("a.html", True),
            ("b.html", False),
            ("c.html", False),
        ]
        (site / "a.html").write_text(CLEAN, encoding="utf-8")
        return results

    monkeypatch.setattr(ScanAhead, "results", then_a_changed)
    problems = scan_site(site, PEOPLE, ahead=_told(site, ["a.html", "b.html", "c.html"]))
    assert [problem.path for problem in problems] == ["site/b.html"]  # the part is reported once, where first seen
    assert scan_site(site, PEOPLE) == problems


SHARED_FOOTER = "<!doctype html><html><body><main>{}</main><footer>Hendrika Zwanenburg</footer></body></html>"


def test_a_shared_part_first_seen_on_a_page_that_is_gone_since_is_still_found_on_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(tmp_path, {rel: SHARED_FOOTER.format(rel) for rel in ("a.html", "b.html", "c.html")})
    original = ScanAhead.results

    def then_a_gone(ahead: ScanAhead) -> list[tuple[str, bytes | None, list[Any]]]:
        results = original(ahead)  # the child read a, b and c; it reported the footer on a alone
        assert [(rel, bool(found)) for rel, _digest, found in results] == [
            ("a.html", True),
            ("b.html", False),
            ("c.html", False),
        ]
        (site / "a.html").unlink()
        return results

    monkeypatch.setattr(ScanAhead, "results", then_a_gone)
    # A page that went is no longer in the walk: scan_site must still notice the child's finding on it.
    monkeypatch.setattr(output_scan, "_files", lambda site_dir: iter([(site / r, r) for r in ("b.html", "c.html")]))
    assert [problem.path for problem in scan_site(site, PEOPLE, ahead=_told(site, ["a.html", "b.html", "c.html"]))] == [
        "site/b.html"
    ]


def test_a_page_told_of_twice_is_scanned_here(tmp_path: Path) -> None:
    # Two sources may be written to one page (docs/a.md and docs/a/index.md): the child reads the
    # page twice, and the second time skips the shared part it saw the first time.
    site = _site(tmp_path, {"a/index.html": SHARED_FOOTER.format("a")})
    ahead = _told(site, ["a/index.html", "a/index.html"])
    assert [problem.path for problem in scan_site(site, PEOPLE, ahead=ahead)] == ["site/a/index.html"]
    assert ahead.told_twice == {"a/index.html"}


def test_a_page_the_child_was_told_of_but_that_is_gone_is_not_reported(tmp_path: Path) -> None:
    site = _site(tmp_path, {"verhalen/x/index.html": NAMED, "index.html": CLEAN})
    ahead = _told(site, ["verhalen/x/index.html", "index.html"])
    (site / "verhalen/x/index.html").unlink()
    assert scan_site(site, PEOPLE, SOURCES, ahead=ahead) == []


def test_pages_of_a_child_that_fails_are_scanned_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parent, page = os.getpid(), output_scan._SiteScan.page

    def failing_in_child(scan: output_scan._SiteScan, rel: str, html_text: str) -> None:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        page(scan, rel, html_text)

    monkeypatch.setattr(output_scan._SiteScan, "page", failing_in_child)
    results = _Results(monkeypatch)
    site = _site(tmp_path, {"verhalen/x/index.html": NAMED})
    ahead = _told(site, ["verhalen/x/index.html"])
    assert [str(problem) for problem in scan_site(site, PEOPLE, SOURCES, ahead=ahead)] == [FOUND_IN_X]
    assert results.taken == {} and not ahead.stopped_silent


def test_a_child_that_falls_silent_is_stopped_and_its_pages_are_scanned_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent, page = os.getpid(), output_scan._SiteScan.page

    def stuck_in_child(scan: output_scan._SiteScan, rel: str, html_text: str) -> None:
        if os.getpid() != parent:
            time.sleep(600)
        page(scan, rel, html_text)

    monkeypatch.setattr(output_scan._SiteScan, "page", stuck_in_child)
    monkeypatch.setattr(ScanAhead, "SILENCE", 0.5)
    site = _site(tmp_path, {"verhalen/x/index.html": NAMED})
    ahead = _told(site, ["verhalen/x/index.html"])
    started = time.monotonic()
    assert [str(problem) for problem in scan_site(site, PEOPLE, SOURCES, ahead=ahead)] == [FOUND_IN_X]
    assert ahead.stopped_silent
    assert time.monotonic() - started < 60, "the stuck child was waited for"


# Another plugin's on_post_build runs before the plugin's own (last): it rewrites a page the child
# was told of, as nothing but the build could, with a name no source file holds.
REWRITING_HOOK = """\
from pathlib import Path

def on_post_build(config):
    page = Path(config.site_dir) / "verhalen" / "x" / "index.html"
    page.write_text(page.read_text().replace("Tekst.", "Hend" + "rika Zwan" + "enburg."))
"""


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="pages are scanned ahead on two CPUs only")
def test_a_build_scans_its_pages_ahead_and_still_sees_a_page_rewritten_after_it_was_written(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    site.write("regions/achterhoek.yml", REGION)
    site.write("stories/x.md", STORY + "Tekst.\n")
    monkeypatch.setattr(forking.threading, "active_count", lambda: 1)  # as in `mkdocs build`'s process
    results = _Results(monkeypatch)
    built = site.build()
    assert "verhalen/x/index.html" in results.taken and "index.html" in results.taken
    assert all(digest is not None and found == [] for digest, found in results.taken.values())
    rewritten = (built / "verhalen/x/index.html").read_text().replace("Tekst.", "Hendrika Zwanenburg.")
    before = rewritten[: rewritten.index("Hendrika Zwanenburg.")]
    line, column = before.count("\n") + 1, len(before) - before.rfind("\n")

    results.taken.clear()
    site.write("hooks.py", REWRITING_HOOK)
    site.write("mkdocs.yml", (site.root / "mkdocs.yml").read_text() + "hooks:\n  - hooks.py\n")
    with pytest.raises(Abort):
        site.build()
    # Whether the child read the page before the hook or after it (it may lag behind the build),
    # the page as published is what is reported; the first case alone is tested above, in order.
    assert "verhalen/x/index.html" in results.taken
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert [error for error in errors if "verhalen/x/index.html" in error] == [
        f"regioverhalen: site/verhalen/x/index.html:{line}:{column}: error: "
        f"{consent_message('achterhoek-boer')}; found in the page's text (made from stories/x.md)"
    ]


# --- The child itself (shared_work.ForkedWorker) -------------------------------------------------


def test_the_child_keeps_no_pipe_this_process_had_open() -> None:
    # A hook's pipe to another program: that program must see its end when this process closes it.
    read_end, write_end = os.pipe()
    worker = shared_work.ForkedWorker(lambda message: message, silence=5)
    os.close(write_end)
    assert select.select([read_end], [], [], 5)[0], "the pipe's end never came"
    assert os.read(read_end, 1) == b""
    os.close(read_end)
    worker.send("x")
    assert worker.finish() == ["x"]


def test_large_results_never_hold_up_the_messages() -> None:
    # Results far beyond what a pipe holds, while messages beyond what a pipe holds wait to go.
    worker = shared_work.ForkedWorker(lambda message: message * 20, silence=30)
    for n in range(10):
        worker.send(str(n) * 100_000)
    assert worker.finish() == [str(n) * 2_000_000 for n in range(10)]
    assert not worker.stopped_silent


def test_a_child_that_takes_no_more_messages_is_stopped() -> None:
    worker = shared_work.ForkedWorker(lambda message: time.sleep(600), silence=0.5)
    started = time.monotonic()
    for _ in range(5):
        worker.send("x" * 100_000)  # the pipe fills: the child is asleep on the first message
    assert worker.stopped_silent and worker.finish() == []
    assert time.monotonic() - started < 30


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="pages are scanned ahead on two CPUs only")
def test_a_scan_that_fails_leaves_no_child_behind(site: SiteDir, monkeypatch: pytest.MonkeyPatch) -> None:
    site.write("regions/achterhoek.yml", REGION)
    site.write("stories/x.md", STORY + "Tekst.\n")
    monkeypatch.setattr(forking.threading, "active_count", lambda: 1)  # as in `mkdocs build`'s process
    fork, children = forking.fork_child, []

    def recorded(in_child: Any) -> int:
        children.append(fork(in_child))
        return children[-1]

    def failing(*args: Any, **kwargs: Any) -> Any:
        raise RecursionError("a JSON file nested too deep")

    monkeypatch.setattr(forking, "fork_child", recorded)
    monkeypatch.setattr(consent_scan, "scan_site", failing)
    with pytest.raises(RecursionError):
        site.build()
    assert children  # the content's child, and the one scanning pages ahead
    for child in children:
        with pytest.raises(ChildProcessError):
            os.waitpid(child, os.WNOHANG)  # ended and reaped
