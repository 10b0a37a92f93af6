"""Stories rendered by a forked copy of the build: the same site, the same messages, and
`WorkInOrder`, which splits the pages between the two processes."""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import SiteDir
from pagefind_files import filter_contents, stable_part
from regioverhalen.content import shared_work
from regioverhalen.content.shared_work import WorkInOrder
from test_serve import Server

TWO_CORES = pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="a copy renders only with two cores")
SECOND_PROCESS = " stories rendered in a second process"


def _stories(site: SiteDir, count: int, body: str = "") -> None:
    """`count` stories over two regions, each with headings, an admonition, a table of
    contents and links to another story and to a heading in it."""
    for region in ("achterhoek", "de-peel"):
        site.region(region)
    for n in range(count):
        region = ("achterhoek", "de-peel")[n % 2]
        other = (n + 1) % count
        site.story(
            f"verhaal-{n}",
            region,
            date=f"2023-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
            title=f"Verhaal nummer {n}",
        )
        path = site.root / "stories" / region / f"verhaal-{n}.md"
        text = path.read_text(encoding="utf-8") + (
            f"\n## Deel {n}\n\nZie ook [het volgende verhaal](verhaal-{other}.md) en"
            f" [zijn tweede deel](verhaal-{other}.md#deel-{other}).\n\n"
            f'!!! note "Noot {n}"\n    Een opmerking bij *verhaal {n}*.\n\n'
            f"### Nog een kop {n}\n\n- een\n- twee\n"
        )
        path.write_text(text + body.format(n=n), encoding="utf-8")


def _build(
    root: Path, site_dir: str, copy: bool, *args: str, renew_after: int | None = None
) -> subprocess.CompletedProcess[str]:
    """`mkdocs build` in a fresh interpreter (one thread, as the command has), with or without
    the copy of the build rendering stories."""
    setup = "from regioverhalen.mkdocs import forked_rendering\n"
    if not copy:
        setup += "forked_rendering.MIN_STORIES = 10**9\n"
    if renew_after is not None:
        setup += f"forked_rendering.RENEW_AFTER = {renew_after}\n"
    script = (
        setup + "import sys\nfrom mkdocs.__main__ import cli\nsys.argv = ['mkdocs', 'build', *sys.argv[1:]]\ncli()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script, "-d", site_dir, *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )


#: A hook of the kind the copy allows (after the page's text is rendered): it notes what it sees.
READ_LATER = """\
from pathlib import Path


def on_page_context(context, page, config, nav):
    head = (page.markdown or "").strip().splitlines()[:1]
    with open(Path(config.site_dir) / "seen.txt", "a", encoding="utf-8") as seen:
        seen.write(f"{page.file.src_uri}|{page.title}|{head}|{len(page.markdown or '')}|{len(page.toc)}\\n")
    return context
"""


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _rendered_by_copy(stderr: str, stories: int) -> int:
    lines = [line for line in stderr.splitlines() if line.endswith(SECOND_PROCESS)]
    assert len(lines) == 1, stderr
    rendered, of = lines[0].split("regioverhalen: ", 1)[1].removesuffix(SECOND_PROCESS).split(" of ")
    assert int(of) == stories
    return int(rendered)


@TWO_CORES
@pytest.mark.parametrize("search", ["pagefind", "none"])
def test_stories_rendered_by_a_copy_of_the_build_give_the_same_site(site: SiteDir, search: str) -> None:
    _stories(site, 60)
    config = site.root / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("  - regioverhalen\n", f"  - regioverhalen:\n      search: {search}\n")
        + "hooks:\n  - hooks.py\n"
    )
    # What a plugin sees of each page after its text is rendered goes into the site too.
    site.write("hooks.py", READ_LATER)
    # Without search a fresh copy takes over every 8 stories here (every 100 by default).
    with_copy = _build(site.root, "site-copy", True, "--strict", renew_after=8 if search == "none" else None)
    alone = _build(site.root, "site-alone", False, "--strict")
    assert (with_copy.returncode, alone.returncode) == (0, 0), with_copy.stderr + alone.stderr
    assert _rendered_by_copy(with_copy.stderr, 60) > 0
    assert SECOND_PROCESS not in alone.stderr
    built_files, expected_files = _files(site.root / "site-copy"), _files(site.root / "site-alone")
    # Pagefind's filter files hold the same values, maybe in another order (see pagefind_files).
    assert filter_contents(built_files) == filter_contents(expected_files)
    built, expected = stable_part(built_files), stable_part(expected_files)
    assert built.keys() == expected.keys()
    assert [name for name in expected if built[name] != expected[name]] == []
    seen = built["seen.txt"].decode().splitlines()
    assert len(seen) == len([name for name in built if name.endswith("index.html")])
    assert "verhalen/verhaal-7.md|Verhaal nummer 7|['## De uitdaging']|" in "\n".join(seen)
    page = built["verhalen/verhaal-7/index.html"].decode()
    assert 'href="../verhaal-8/#deel-8"' in page and 'id="nog-een-kop-7"' in page and "Noot 7" in page


def _messages(stderr: str) -> list[str]:
    """What MkDocs said, without the lines that differ between any two builds."""
    return [
        line
        for line in stderr.splitlines()
        if line.strip() and not line.endswith(SECOND_PROCESS) and "Documentation built in" not in line
    ]


@TWO_CORES
def test_what_a_copy_would_say_about_a_page_is_said_once_by_mkdocs(site: SiteDir) -> None:
    # Every third story links to a page that does not exist (a warning while it is rendered);
    # every story links to a heading that does not exist (a note once all pages are rendered).
    _stories(site, 45, body="\n[Een kapotte link](bestaat-niet-{n}.md) en [een anker](verhaal-0.md#geen-kop-{n}).\n")
    for n in range(45):
        if n % 3:
            path = next(site.root.glob(f"stories/*/verhaal-{n}.md"))
            path.write_text(
                path.read_text(encoding="utf-8").replace(f"[Een kapotte link](bestaat-niet-{n}.md)", ""),
                encoding="utf-8",
            )
    with_copy = _build(site.root, "site", True)
    alone = _build(site.root, "site", False)
    assert (with_copy.returncode, alone.returncode) == (0, 0), with_copy.stderr
    messages = _messages(with_copy.stderr)
    assert messages == _messages(alone.stderr)
    broken = [m for m in messages if "bestaat-niet-" in m]
    assert len(broken) == 15 and all(m.startswith("WARNING") for m in broken)
    assert (
        "WARNING -  Doc file 'verhalen/verhaal-21.md' contains a link 'bestaat-niet-21.md', "
        "but the target 'verhalen/bestaat-niet-21.md' is not found among documentation files."
    ) in broken
    anchors = [m for m in messages if "#geen-kop-" in m]
    assert len(anchors) == 45
    assert (
        "INFO    -  Doc file 'verhalen/verhaal-44.md' contains a link 'verhaal-0.md#geen-kop-44', but the doc 'verhalen/verhaal-0.md' does not contain an anchor '#geen-kop-44'."
        in anchors
    )
    # The 30 stories without a warning could be rendered by the copy; the other 15 never.
    assert 0 < _rendered_by_copy(with_copy.stderr, 45) <= 30
    # With --strict the warnings stop the build, with or without the copy.
    assert _build(site.root, "site-strict", True, "--strict").returncode == 1


@TWO_CORES
@pytest.mark.parametrize(
    "hook",
    [
        "def on_page_markdown(markdown, page, config, files):\n    note(page)\n    return markdown\n",
        # An on_nav that runs after the plugin's, where the copy is forked, could change what it renders.
        "@event_priority(-200)\ndef on_nav(nav, config, files):\n    return nav\n\n\n"
        "def on_page_context(context, page, config, nav):\n    note(page)\n    return context\n",
    ],
    ids=["page hook", "later on_nav"],
)
def test_another_plugin_handling_pages_keeps_every_page_in_mkdocs_process(site: SiteDir, hook: str) -> None:
    _stories(site, 40)
    site.write(
        "hooks.py",
        "import os\nfrom mkdocs.plugins import event_priority\n\n\n"
        "def note(page):\n"
        "    with open('seen.txt', 'a', encoding='utf-8') as seen:\n"
        "        seen.write(f'{os.getpid()} {page.file.src_uri}\\n')\n\n\n" + hook,
    )
    site.write("mkdocs.yml", site.root.joinpath("mkdocs.yml").read_text() + "hooks:\n  - hooks.py\n")
    result = _build(site.root, "site", True, "--strict")
    assert result.returncode == 0, result.stderr
    assert SECOND_PROCESS not in result.stderr
    seen = (site.root / "seen.txt").read_text(encoding="utf-8").split()
    pids, pages = set(seen[0::2]), seen[1::2]
    assert len(pids) == 1 and sum(page.startswith("verhalen/verhaal-") for page in pages) == 40


@TWO_CORES
def test_under_mkdocs_serve_a_copy_renders_stories_of_every_rebuild(site: SiteDir) -> None:
    # The rebuilds run beside the server's threads, and the copy beside them; an edit shows.
    _stories(site, 40)
    server = Server(site.root)
    try:
        page = "/verhalen/verhaal-3/"
        server.wait_for("the first build", lambda: server.get(page)[0] == 200, timeout=90)
        story = next(site.root.glob("stories/*/verhaal-3.md"))
        story.write_text(story.read_text(encoding="utf-8") + "\nDe beek slingert weer.\n", encoding="utf-8")
        server.wait_for("the edit", lambda: "De beek slingert weer." in server.get(page)[1])
        # Said once the rebuild's pages are rendered, before they are written: so said by now.
        rendered = [line for line in server.lines if line.endswith(SECOND_PROCESS)]
        assert len(rendered) == 2, server.output  # the first build and the rebuild
        assert all(int(line.split("regioverhalen: ")[1].split(" of ")[0]) > 0 for line in rendered), server.output
        assert not [line for line in server.lines if line.startswith(("ERROR", "WARNING"))], server.output
        # A content error: the preview keeps the last valid content, the problem shown once on each page.
        broken = next(site.root.glob("stories/*/verhaal-5.md"))
        broken.write_text(broken.read_text(encoding="utf-8").replace("themes:", "thema:"), encoding="utf-8")
        server.wait_for("the problem on the page", lambda: "regioverhalen-fouten" in server.get(page)[1])
        server.wait_for("the rebuild's end", lambda: server.built_after("unknown key 'thema'"))
        assert len([line for line in server.lines if line.endswith(SECOND_PROCESS)]) == 3, server.output
        banners = {n: server.get(f"/verhalen/verhaal-{n}/")[1].count('id="regioverhalen-fouten"') for n in range(40)}
        assert banners == dict.fromkeys(range(40), 1)
        assert server.proc.poll() is None
    finally:
        server.stop()


# WorkInOrder


@contextlib.contextmanager
def _fails_after(seconds: int) -> Iterator[None]:
    def fail(signum: int, frame: object) -> None:
        raise TimeoutError(f"still waiting after {seconds} s")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _run(work: WorkInOrder, items: int, slow_here: float = 0.0) -> tuple[dict[int, object], list[int]]:
    """Ask about every item in order, as MkDocs' page loop does: what the child handed back, and
    the items left to this process (its own, and the child's it had nothing for)."""
    from_child: dict[int, object] = {}
    here: list[int] = []
    try:
        for item in range(items):
            if work.is_mine(item):
                here.append(item)
                time.sleep(slow_here)
            elif (result := work.result(item)) is not None:
                from_child[item] = result
            else:
                here.append(item)
    finally:
        work.close()
    return from_child, here


def _assert_child_stopped_at(stop: int, work: WorkInOrder, items: int) -> None:
    """A child that handed back items below `stop` and then stopped, one way or another: this
    process did every other item, and soon (it never waits for the child for good)."""
    started = time.monotonic()
    with _fails_after(30):  # instead of hanging, should the child never be given up on
        from_child, here = _run(work, items, slow_here=0.005)
    assert sorted([*from_child, *here]) == list(range(items))
    assert from_child and all(item < stop and result == item for item, result in from_child.items())
    assert time.monotonic() - started < 20


def test_work_in_order_hands_back_what_the_child_made_of_the_items_it_took() -> None:
    parent = os.getpid()
    work = WorkInOrder(200, lambda item: (item * item, os.getpid()))
    from_child, here = _run(work, 200, slow_here=0.005)
    assert sorted([*from_child, *here]) == list(range(200))
    assert from_child, "the child took nothing while this process was slow"
    assert all(result == (item * item, result[1]) and result[1] != parent for item, result in from_child.items())  # type: ignore[index]
    assert len({result[1] for result in from_child.values()}) == 1  # type: ignore[index]


def test_a_child_that_has_done_its_share_is_renewed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shared_work.threading, "active_count", lambda: 1)  # the test runner's threads are idle
    work = WorkInOrder(400, lambda item: os.getpid(), renew_after=16)
    from_child, here = _run(work, 400, slow_here=0.002)
    assert sorted([*from_child, *here]) == list(range(400))
    children = set(from_child.values())
    assert os.getpid() not in children and len(children) >= 3


def test_items_the_child_has_nothing_for_are_left_to_this_process() -> None:
    def in_child(item: int) -> object:
        if item % 5 == 0:
            raise ValueError("this process meets the problem itself")
        return None if item % 5 == 1 else item

    from_child, here = _run(WorkInOrder(120, in_child), 120, slow_here=0.001)
    assert sorted([*from_child, *here]) == list(range(120))
    assert from_child and all(item % 5 > 1 and result == item for item, result in from_child.items())


def test_when_the_child_dies_the_rest_is_left_to_this_process() -> None:
    def in_child(item: int) -> object:
        if item >= 40:
            os._exit(3)
        return item

    _assert_child_stopped_at(40, WorkInOrder(120, in_child), 120)


def test_closing_ends_a_child_that_nobody_reads_from(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"

    def in_child(item: int) -> bytes:
        if item == 0:
            pid_file.write_text(str(os.getpid()))
        return b"x" * 100_000  # far more than a pipe holds, soon

    work = WorkInOrder(1000, in_child)
    deadline = time.monotonic() + 30
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline, "the child never started"
        time.sleep(0.01)
    started = time.monotonic()
    work.close()
    work.close()  # twice is harmless
    assert time.monotonic() - started < 5
    with pytest.raises(ProcessLookupError):  # ended and reaped
        os.kill(int(pid_file.read_text()), 0)


def test_a_child_that_hangs_is_ended_and_its_items_left_to_this_process() -> None:
    def in_child(item: int) -> object:
        if item >= 16:
            time.sleep(3600)
        return item

    _assert_child_stopped_at(16, WorkInOrder(100, in_child, patience=0.5), 100)


def _refuse_to_be_read() -> None:
    raise ValueError("this result cannot be read back")


class _Unreadable:
    """Pickles in the child; unpickling it here fails."""

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return (_refuse_to_be_read, ())


def test_a_result_that_cannot_be_read_back_leaves_the_rest_to_this_process() -> None:
    _assert_child_stopped_at(40, WorkInOrder(120, lambda item: _Unreadable() if item >= 40 else item), 120)


def test_when_no_child_can_be_forked_nothing_is_left_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork(in_child: object) -> int:
        raise OSError("no more processes")

    monkeypatch.setattr(shared_work, "_fork", no_fork)
    frozen = gc.get_freeze_count()
    with pytest.raises(OSError, match="no more processes"):
        WorkInOrder(100, lambda item: item)
    assert gc.get_freeze_count() == frozen
