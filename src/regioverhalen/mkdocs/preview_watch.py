"""Under `mkdocs serve`: the site's sources watched through the operating system's file events
(inotify, FSEvents, ReadDirectoryChangesW), so that a save starts a rebuild at once. MkDocs'
own watcher looks for changes every half second: on average a quarter of a second of waiting
before each preview rebuild.

Some folders give no such events (network shares, some container and virtual machine mounts),
so a watcher that looks every half second, as MkDocs' does, watches the same files. A change
the event watcher has reported is not reported again when the looking watcher finds it: one
save starts one rebuild."""

from __future__ import annotations

import errno
import logging
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import get_plugin_logger
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from regioverhalen.content.discovery import left_beside_content
from regioverhalen.content.messages import _
from regioverhalen.mkdocs.options import site_root
from regioverhalen.site.settings import Settings

log = get_plugin_logger(__name__)

#: What a file's change is told as; opening or reading one (as the build does) is not a change.
_CHANGES = frozenset({"created", "modified", "deleted", "moved", "closed", "attrib"})
#: The event watcher's queue overflowed: what changed is unknown, so the site is rebuilt.
_LOST = "events_lost"
#: MkDocs' own interval for looking at the files.
POLL_SECONDS = 0.5
#: Where watchdog tells of a folder made during the preview that inotify cannot watch.
_INOTIFY_LOGGER = "watchdog.observers.inotify"

_State = tuple[int, int, int] | None


def _state(path: str) -> _State:
    """What the looking watcher compares: modified time, size and inode; None once removed."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size, found.st_ino


class _Seen:
    """The state of each changed file as it was when its change was last reported."""

    def __init__(self) -> None:
        self._states: dict[str, _State] = {}
        self._lock = threading.Lock()

    def new(self, paths: list[str], *, from_events: bool) -> bool:
        """Whether the change to `paths` is to be reported; if so, it is recorded. The looking
        watcher does not report a file that is as it was when its change was last reported.
        The event watcher reports every change: where file times are kept to the second, two
        saves of one size in one second look alike, and the second must not be lost. (Its
        report seldom comes after the looking watcher's; that costs one more rebuild.)"""
        now = {path: _state(path) for path in paths}
        with self._lock:
            if not from_events and all(path in self._states and self._states[path] == now[path] for path in now):
                return False
            self._states.update(now)
        return True


class _Sources(FileSystemEventHandler):
    """What one watcher tells: a change to a watched file starts a rebuild, unless already reported."""

    def __init__(
        self, rebuild: Callable[[], None], seen: _Seen, paths: list[Path], content: Sequence[Path], *, from_events: bool
    ) -> None:
        self._rebuild = rebuild
        self._seen = seen
        self._from_events = from_events
        self._folders = [str(path) for path in paths if path.is_dir()]
        self._files = {str(path) for path in paths if not path.is_dir()}
        self._content = [str(path) for path in content]

    def _covers(self, path: str) -> bool:
        """Whether a change to `path` may change the site: a file the build reads. In the content's
        folders that is not one an editor leaves beside a story or region (a swap file written as
        the editor types, the new file of a save before it is renamed over the old one), which the
        content's reading passes over; elsewhere (the site's own theme files) MkDocs publishes it."""
        if path in self._files:
            return True
        if not any(path.startswith(folder + os.sep) for folder in self._folders):
            return False
        in_content = any(path.startswith(folder + os.sep) for folder in self._content)
        return not (in_content and left_beside_content(os.path.basename(path)))

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type == _LOST:
            self._rebuild()
            return
        if event.is_directory or event.event_type not in _CHANGES:
            return
        paths = [os.fsdecode(path) for path in (event.src_path, event.dest_path) if path]
        changed = [path for path in paths if self._covers(path)]
        if changed and self._seen.new(changed, from_events=self._from_events):
            log.debug(f"{'event' if self._from_events else 'poll'}: {event!r}")
            self._rebuild()


class SourceWatcher:
    """The event watcher and the looking one, over one `mkdocs serve`. (Tests give an event
    watcher that gives no events, or look more often.)"""

    def __init__(
        self, event_observer: Callable[[], BaseObserver] = Observer, poll_seconds: float = POLL_SECONDS
    ) -> None:
        self._event_observer = event_observer
        self._poll_seconds = poll_seconds
        self._observers: list[BaseObserver] = []
        self._unwatched = _UnwatchedFolders()

    def start(self, server: LiveReloadServer, settings: Settings | None, config: MkDocsConfig) -> LiveReloadServer:
        """Watch the site's sources for `server` (call from on_serve): the stories' and regions'
        folders, the glossary, the site's own templates and words (custom_dir, which MkDocs
        watches only with --watch-theme) and the files mkdocs.yml inherits from. The docs folder
        and mkdocs.yml stay with MkDocs' watcher: MkDocs' server adds the script that reloads
        the browser only while its own watcher watches something. (No settings: the first build
        failed before reading them; MkDocs stops then.)"""
        if settings is None:
            return server
        root = site_root(config)
        paths = [root / folder for folder in (settings.paths.stories_dir, settings.paths.regions_dir)]
        paths += [root / settings.glossary, *(file for _rel, file in settings.paths.config_files[1:])]
        paths += [Path(config.theme.custom_dir)] if config.theme.custom_dir else []
        paths = list(dict.fromkeys(Path(os.path.abspath(path)) for path in paths if path.exists()))
        # What MkDocs watches itself (--watch-theme, the `watch:` setting) would be told twice.
        by_mkdocs = [Path(os.path.abspath(path)) for path in (*getattr(server, "_watched_paths", ()), *config.watch)]
        paths = [path for path in paths if not any(path.is_relative_to(other) for other in by_mkdocs)]
        if not paths:
            return server
        rebuild = _rebuild_of(server)
        if rebuild is None:  # a MkDocs whose server works otherwise: its own watcher, as it is
            for path in paths:
                server.watch(str(path))
            return server
        content = [root / settings.paths.stories_dir, root / settings.paths.regions_dir]
        no_events = self.watch(paths, rebuild, content=[Path(os.path.abspath(path)) for path in content])
        shown = ", ".join(f"'{_relative(path)}'" for path in paths)
        log.info(_("Watching for changes: {paths}").format(paths=shown))
        if no_events is not None:
            message = _("the system gives no file events here ({error}): changes are looked for every half second")
            log.info(message.format(error=no_events))
        return server

    def watch(self, paths: list[Path], rebuild: Callable[[], None], content: Sequence[Path] = ()) -> OSError | None:
        """Call `rebuild` on every change to one of `paths` (folders and files), until `stop()`;
        in the `content` folders among them, not for what an editor leaves beside a story.
        Returns why the system's file events cannot be had, if they cannot (for inotify, the
        system's limit of watches or of inotify instances reached as it starts): then the
        looking watcher alone tells of changes."""
        self.stop()
        # Folders watched with their subfolders: a file's folder is watched without them.
        self._unwatched.folders = [Path(os.path.abspath(path)) for path in paths if path.is_dir()]
        logging.getLogger(_INOTIFY_LOGGER).addFilter(self._unwatched)
        seen = _Seen()
        looking = PollingObserver(timeout=self._poll_seconds)
        self._observers = [_observer(looking, _Sources(rebuild, seen, paths, content, from_events=False), paths)]
        looking.start()
        events = _observer(self._event_observer(), _Sources(rebuild, seen, paths, content, from_events=True), paths)
        try:
            events.start()  # inotify's watches are added here, one for each folder
        except OSError as error:
            events.stop()  # the folders it had begun to watch
            return error
        self._observers.append(events)
        return None

    def stop(self) -> None:
        observers, self._observers = self._observers, []
        for observer in observers:
            observer.stop()
        for observer in observers:
            observer.join(timeout=5)
        logging.getLogger(_INOTIFY_LOGGER).removeFilter(self._unwatched)


class _UnwatchedFolders(logging.Filter):
    """A folder made during the preview once the system's limit of inotify watches (or of
    instances) is reached gets no watch: watchdog goes on and logs it in its own words, with the
    path as bytes. Told here in the preview's words instead, for the folders this watcher watches,
    where the looking watcher sees changes; MkDocs' own watcher (docs/) logs through the same
    logger, and its words are left as they are."""

    def __init__(self) -> None:
        super().__init__()
        self.folders: list[Path] = []

    def filter(self, record: logging.LogRecord) -> bool:
        match record.args:
            case (bytes() as folder, OSError(errno=errno.ENOSPC | errno.EMFILE) as error) if self._watches(folder):
                message = _(
                    "the system gives no file events for {folder} ({error}): changes there are looked for "
                    "every half second"
                )
                log.info(message.format(folder=_relative(Path(os.fsdecode(folder))), error=error))
                return False
        return True

    def _watches(self, folder: bytes) -> bool:
        path = Path(os.path.abspath(os.fsdecode(folder)))
        return any(path.is_relative_to(folder) for folder in self.folders)


def _observer(observer: BaseObserver, sources: _Sources, paths: list[Path]) -> BaseObserver:
    """`observer` watching `paths` for `sources`. A file is watched through its folder: an editor
    that saves by renaming a new file over the old one would end a watch of the file itself."""
    for path in paths:
        where, recursive = (path, True) if path.is_dir() else (path.parent, False)
        try:
            observer.schedule(sources, str(where), recursive=recursive)
        except OSError as error:  # an observer that watches at once (not inotify's: see `watch`)
            log.debug(f"cannot watch {where} with {type(observer).__name__}: {error}")
    return observer


def _rebuild_of(server: LiveReloadServer) -> Callable[[], None] | None:
    """Start a rebuild of `server` as MkDocs' own watcher does; None for a MkDocs whose server
    has no such state (MkDocs 1.x has no public way to ask for a rebuild)."""
    condition = getattr(server, "_rebuild_cond", None)
    if not isinstance(condition, threading.Condition) or not isinstance(getattr(server, "_want_rebuild", None), bool):
        return None

    def rebuild() -> None:
        with condition:
            server._want_rebuild = True
            condition.notify_all()

    return rebuild


def _relative(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive
        return str(path)
