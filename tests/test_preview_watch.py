"""The live preview's watcher (mkdocs/preview_watch.py): the system's file events start a rebuild
at once, a watcher that looks every half second stands in where there are none, and one save
starts one rebuild. Real watchers on real files (test_serve.py counts a real `mkdocs serve`'s rebuilds)."""

from __future__ import annotations

import errno
import logging
import os
import shlex
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer
from watchdog.observers.polling import PollingObserver

from conftest import SiteDir
from regioverhalen.mkdocs.preview_watch import POLL_SECONDS, SourceWatcher

#: The looking watcher looks this often here (POLL_SECONDS, MkDocs' own, under `mkdocs serve`):
#: longer than BUILD_DELAY, so that a change it told again would mostly be a rebuild of its own.
LOOK_SECONDS = 0.2
#: Long enough for the looking watcher to have looked several times.
SEVERAL_LOOKS = 3 * LOOK_SECONDS


#: How long MkDocs' server waits for more changes before it rebuilds (LiveReloadServer.build_delay):
#: asked for again within it, one rebuild follows.
BUILD_DELAY = 0.1


class Rebuilds:
    """The rebuilds a watcher asks for, counted as MkDocs' server makes them: a save gives
    several events at once (written, closed), and asked again within BUILD_DELAY is one rebuild."""

    def __init__(self) -> None:
        self._times: list[float] = []
        self._changed = threading.Condition()

    def __call__(self) -> None:
        with self._changed:
            self._times.append(time.monotonic())
            self._changed.notify_all()

    @property
    def count(self) -> int:
        with self._changed:
            times = list(self._times)
        return sum(1 for before, now in zip([-1e9, *times], times, strict=False) if now - before > BUILD_DELAY)

    def wait_for(self, count: int, timeout: float = 10.0) -> None:
        with self._changed:
            self._changed.wait_for(lambda: len(self._times) > 0 and self.count >= count, timeout)
        assert self.count >= count, f"{self.count} rebuild(s), not {count}"


def _save(path: Path, text: str) -> None:
    """Save as many editors do, by renaming a new file over the old one: no look finds it half written."""
    new = path.with_name(f".{path.name}~")
    new.write_text(text, encoding="utf-8")
    os.replace(new, path)


@pytest.fixture
def sources(tmp_path: Path) -> tuple[Path, Path]:
    """A folder of stories and a glossary file beside it."""
    stories = tmp_path / "stories"
    (stories / "achterhoek").mkdir(parents=True)
    (stories / "achterhoek" / "eerste.md").write_text("Eerste versie.\n", encoding="utf-8")
    glossary = tmp_path / "begrippen.yml"
    glossary.write_text("begrippen: []\n", encoding="utf-8")
    return stories, glossary


@pytest.fixture
def watched(sources: tuple[Path, Path]) -> Iterator[tuple[SourceWatcher, Rebuilds]]:
    watcher, rebuilds = SourceWatcher(poll_seconds=LOOK_SECONDS), Rebuilds()
    watcher.watch(list(sources), rebuilds, content=[sources[0]])
    time.sleep(LOOK_SECONDS)  # the looking watcher's first look: what is there to begin with
    yield watcher, rebuilds
    watcher.stop()


def test_one_save_starts_one_rebuild_and_reading_starts_none(
    watched: tuple[SourceWatcher, Rebuilds], sources: tuple[Path, Path]
) -> None:
    _watcher, rebuilds = watched
    story = sources[0] / "achterhoek" / "eerste.md"
    story.write_text("Tweede versie.\n", encoding="utf-8")
    rebuilds.wait_for(1)
    time.sleep(2 * BUILD_DELAY)  # MkDocs builds now
    # What a build does with the sources: reading them is no change.
    for path in (story, sources[1]):
        path.read_text(encoding="utf-8")
    os.listdir(sources[0] / "achterhoek")
    time.sleep(SEVERAL_LOOKS)
    # The event watcher told it at once; the looking watcher then found the file as it was told.
    assert rebuilds.count == 1


def test_a_file_saved_by_renaming_a_new_one_over_it_is_seen_every_time(
    watched: tuple[SourceWatcher, Rebuilds], sources: tuple[Path, Path]
) -> None:
    """As many editors save: a new file renamed over the old one, which ends a watch of the file itself."""
    _watcher, rebuilds = watched
    glossary = sources[1]
    for version in range(1, 4):
        time.sleep(2 * BUILD_DELAY)  # saves further apart than the server waits for more
        told = rebuilds.count
        new = glossary.with_name(f".begrippen.yml.{version}~")
        new.write_text(f"begrippen: [{version}]\n", encoding="utf-8")
        os.replace(new, glossary)
        rebuilds.wait_for(told + 1)
    # A file beside a watched one is not watched.
    before = rebuilds.count
    (glossary.parent / "aantekeningen.txt").write_text("niet van de site\n", encoding="utf-8")
    time.sleep(SEVERAL_LOOKS)
    assert rebuilds.count == before


def test_a_new_removed_or_moved_story_starts_a_rebuild(
    watched: tuple[SourceWatcher, Rebuilds], sources: tuple[Path, Path]
) -> None:
    _watcher, rebuilds = watched
    region = sources[0] / "achterhoek"
    (region / "tweede.md").write_text("Nieuw.\n", encoding="utf-8")
    rebuilds.wait_for(1)
    time.sleep(2 * BUILD_DELAY)  # changes further apart than the server waits for more
    told = rebuilds.count
    (region / "tweede.md").rename(region / "derde.md")
    rebuilds.wait_for(told + 1)
    time.sleep(2 * BUILD_DELAY)
    told = rebuilds.count
    (region / "derde.md").unlink()
    rebuilds.wait_for(told + 1)


def test_where_the_system_gives_no_file_events_the_looking_watcher_starts_the_rebuild(
    sources: tuple[Path, Path],
) -> None:
    """A network share or a container's mount may give no events: an event watcher that never
    tells anything in the time of this test stands in for it (it looks once an hour)."""
    watcher, rebuilds = SourceWatcher(lambda: PollingObserver(timeout=3600), LOOK_SECONDS), Rebuilds()
    watcher.watch(list(sources), rebuilds)
    try:
        time.sleep(LOOK_SECONDS)
        _save(sources[0] / "achterhoek" / "eerste.md", "Tweede versie, langer.\n")
        rebuilds.wait_for(1)
        time.sleep(SEVERAL_LOOKS)
        assert rebuilds.count == 1
    finally:
        watcher.stop()


def test_a_save_whose_new_file_is_seen_before_it_is_renamed_starts_one_rebuild(sources: tuple[Path, Path]) -> None:
    """Looks that fall between writing a save's new file and renaming it over the old one find
    the new file first: it is an editor's, not the site's, so only the rename rebuilds."""
    watcher, rebuilds = SourceWatcher(lambda: PollingObserver(timeout=3600), LOOK_SECONDS), Rebuilds()
    watcher.watch(list(sources), rebuilds, content=[sources[0]])
    try:
        story = sources[0] / "achterhoek" / "eerste.md"
        new = story.with_name(".eerste.md~")
        new.write_text("Tweede versie, langer.\n", encoding="utf-8")
        time.sleep(SEVERAL_LOOKS)
        assert rebuilds.count == 0
        os.replace(new, story)
        rebuilds.wait_for(1)
        time.sleep(SEVERAL_LOOKS)
        assert rebuilds.count == 1
    finally:
        watcher.stop()


#: What editors and systems write beside a story: Vim's swap files, Emacs' lock, a backup, a
#: resource fork.
BESIDE_A_STORY = (".eerste.md.swp", ".eerste.md.swo", ".#eerste.md", "eerste.md~", "._eerste.md")


def test_what_an_editor_writes_beside_a_story_starts_no_rebuild(
    watched: tuple[SourceWatcher, Rebuilds], sources: tuple[Path, Path]
) -> None:
    """Vim writes its swap file as the editor types, Emacs its lock file: a preview that rebuilt
    for them would rebuild all the time. The story itself is saved later, and that rebuilds."""
    _watcher, rebuilds = watched
    folder = sources[0] / "achterhoek"
    for version in range(3):
        for name in BESIDE_A_STORY:
            (folder / name).write_text(f"wat de editor bijhoudt {version}\n", encoding="utf-8")
        time.sleep(LOOK_SECONDS)
    for name in BESIDE_A_STORY:
        (folder / name).unlink()
    time.sleep(SEVERAL_LOOKS)
    assert rebuilds.count == 0
    _save(folder / "eerste.md", "Tweede versie.\n")
    rebuilds.wait_for(1)


def test_a_backup_in_the_site_s_own_theme_folder_starts_a_rebuild(tmp_path: Path) -> None:
    """MkDocs publishes every file of the site's own theme folder but a few kinds (`extra.css~`
    and `Thumbs.db` too), and the output scan reads them: only in the content's folders are
    an editor's files passed over."""
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    watcher, rebuilds = SourceWatcher(poll_seconds=LOOK_SECONDS), Rebuilds()
    watcher.watch([overrides], rebuilds, content=[tmp_path / "stories"])
    try:
        time.sleep(LOOK_SECONDS)
        (overrides / "extra.css~").write_text("a { color: red }\n", encoding="utf-8")
        rebuilds.wait_for(1)
    finally:
        watcher.stop()


class _NoWatchesLeft(PollingObserver):
    """An event watcher that cannot start, as inotify's cannot once the system's limit of
    watches is reached (a limit for the whole machine, which a test must not use up)."""

    def start(self) -> None:
        raise OSError(errno.ENOSPC, "inotify watch limit reached")


def test_where_the_system_has_no_watches_left_the_looking_watcher_still_starts_the_rebuild(
    sources: tuple[Path, Path],
) -> None:
    watcher, rebuilds = SourceWatcher(_NoWatchesLeft, LOOK_SECONDS), Rebuilds()
    error = watcher.watch(list(sources), rebuilds)
    try:
        assert isinstance(error, OSError) and error.errno == errno.ENOSPC
        time.sleep(LOOK_SECONDS)
        (sources[0] / "achterhoek" / "eerste.md").write_text("Tweede versie, langer.\n", encoding="utf-8")
        rebuilds.wait_for(1)
    finally:
        watcher.stop()


def test_the_system_s_file_events_start_the_rebuild_without_a_look(sources: tuple[Path, Path]) -> None:
    """The event watcher on its own: the looking watcher here looks once an hour."""
    watcher, rebuilds = SourceWatcher(poll_seconds=3600), Rebuilds()
    assert watcher.watch(list(sources), rebuilds) is None
    try:
        _save(sources[0] / "achterhoek" / "eerste.md", "Tweede versie.\n")
        rebuilds.wait_for(1)
        time.sleep(2 * BUILD_DELAY)  # changes further apart than the server waits for more
        (sources[0] / "achterhoek" / "eerste.md").unlink()
        rebuilds.wait_for(2)
    finally:
        watcher.stop()


def test_what_mkdocs_watches_itself_is_left_to_it(site: SiteDir, caplog: pytest.LogCaptureFixture) -> None:
    """With --watch-theme MkDocs watches the site's custom_dir, and with `watch:` whatever it names:
    watched here too, every save there would rebuild the preview twice."""
    config_file = site.root / "mkdocs.yml"
    config_file.write_text(
        config_file.read_text().replace("theme:\n", "theme:\n  custom_dir: overrides\n", 1) + "watch: [regions]\n"
    )
    site.write("overrides/main.html", '{% extends "base.html" %}\n')
    site.region("achterhoek")
    config = load_config(str(config_file))
    config.plugins.on_startup(command="serve", dirty=False)
    config = config.plugins.on_config(config)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(site.root))
    for folder in config.theme.dirs:  # as `mkdocs serve --watch-theme` does
        server.watch(folder)
    try:
        with caplog.at_level(logging.INFO):
            config.plugins.on_serve(server, config=config, builder=lambda: None)
        (line,) = [record.getMessage() for record in caplog.records if "Watching for changes:" in record.getMessage()]
        # Shown relative to the current folder: only the stories' folder is left to watch here.
        assert line.endswith("stories'") and line.count("'") == 2, line
    finally:
        # MkDocs keeps one plugin per process: the tests after this one make full builds.
        config.plugins.on_shutdown()
        config.plugins.on_startup(command="build", dirty=False)
        server.server_close()


def test_under_mkdocs_serve_what_an_editor_writes_beside_a_story_starts_no_rebuild(site: SiteDir) -> None:
    """The watcher as `mkdocs serve` starts it (on_serve): the content's folders are the site's
    stories and regions, wherever the site's settings put them."""
    config_file = site.root / "mkdocs.yml"
    config_file.write_text(
        config_file.read_text().replace("  - regioverhalen\n", "  - regioverhalen:\n      stories_dir: verhalen\n")
    )
    site.region("achterhoek")
    story = site.write("verhalen/achterhoek/eerste.md", site.story("eerste", "achterhoek").read_text())
    shutil.rmtree(site.root / "stories")
    config = load_config(str(config_file))
    config.plugins.on_startup(command="serve", dirty=False)
    config = config.plugins.on_config(config)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(site.root))
    try:
        config.plugins.on_serve(server, config=config, builder=lambda: None)
        time.sleep(2 * POLL_SECONDS)  # the looking watcher's first look, as MkDocs' server runs it
        for folder in (story.parent, site.root / "regions"):
            (folder / ".eerste.md.swp").write_text("wat de editor bijhoudt\n", encoding="utf-8")
        time.sleep(3 * POLL_SECONDS)
        assert server._want_rebuild is False
        _save(story, story.read_text(encoding="utf-8") + "\nNog een zin.\n")
        deadline = time.monotonic() + 10
        while not server._want_rebuild and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server._want_rebuild is True
    finally:
        config.plugins.on_shutdown()
        config.plugins.on_startup(command="build", dirty=False)
        server.server_close()


#: A folder made while the preview runs, once the system's limit of inotify watches is reached:
#: run in a user namespace of its own, whose limit is lowered to the watches the watcher starts with.
_NO_WATCH_LEFT = """
import logging, sys, threading, time
from pathlib import Path
from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer
from regioverhalen.mkdocs.preview_watch import SourceWatcher

logging.basicConfig(stream=sys.stdout, format="%(levelname)s %(message)s", level=logging.INFO)
changed = threading.Event()
# MkDocs' own watcher, as it watches docs/: its words about its folders are its own.
Path("docs").mkdir()
theirs = Observer()
theirs.schedule(FileSystemEventHandler(), "docs", recursive=True)
theirs.start()
watcher = SourceWatcher(poll_seconds=0.2)
assert watcher.watch([Path("stories"), Path("begrippen.yml")], changed.set) is None, "no watch at the start"
time.sleep(0.4)
changed.clear()
Path("docs/nieuw").mkdir()
Path("stories/nieuw").mkdir()
Path("stories/nieuw/tweede.md").write_text("Een nieuw verhaal.", encoding="utf-8")
print("REBUILT" if changed.wait(10) else "NOT REBUILT")
watcher.stop()
theirs.stop()
"""


def test_a_folder_made_once_the_system_has_no_watches_left_is_told_of_and_still_watched(
    sources: tuple[Path, Path],
) -> None:
    """watchdog leaves such a folder unwatched and logs it in its own words (a bytes path, no
    plugin prefix); the preview tells it in its own, and the looking watcher sees the new story.
    The limit is lowered for this test's user namespace only: the machine's must not be used up."""
    root = sources[0].parent
    # The watches at the start: MkDocs' of docs/, and stories/, stories/achterhoek/ and the glossary's folder.
    limited = f'echo 4 > /proc/sys/user/max_inotify_watches && exec {shlex.quote(sys.executable)} -c "$0"'
    command = ["unshare", "--user", "--map-root-user", "sh", "-c", limited, _NO_WATCH_LEFT]
    if shutil.which("unshare") is None or subprocess.run([*command[:3], "true"], check=False).returncode != 0:
        pytest.skip("this machine makes no user namespaces, so the limit cannot be lowered for this test alone")
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=60, check=False)
    assert (result.returncode, result.stderr) == (0, "")
    # Sorted: each watcher tells of its folder in its own thread.
    assert sorted(result.stdout.splitlines()) == [
        "INFO regioverhalen: the system gives no file events for stories/nieuw "
        "([Errno 28] inotify watch limit reached): changes there are looked for every half second",
        "REBUILT",
        "WARNING Unable to watch b'docs/nieuw': [Errno 28] inotify watch limit reached",
    ]
