"""Search for the live preview: under `mkdocs serve`, Pagefind indexes each rebuilt site in the
background, so an edit shows as soon as its pages are built instead of after the index."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

from mkdocs.plugins import get_plugin_logger

from regioverhalen.content.messages import _
from regioverhalen.site.search_command import pagefind_command

log = get_plugin_logger(__name__)


class BackgroundIndex:
    """Pagefind's command line tool on the preview's folder, and the thread that reports its errors."""

    def __init__(self) -> None:
        self._running: tuple[subprocess.Popen[str], threading.Thread] | None = None

    def start(self, site_dir: Path, *, search: bool, serving: bool) -> None:
        """Index the site just published, if it has search and is served: the edit shows before
        its index. (`mkdocs build` makes the index during the build: build_search.)"""
        self.stop()
        if not (serving and search):
            return
        process = subprocess.Popen(
            pagefind_command(site_dir), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

        def report() -> None:
            out, err = process.communicate()
            if process.returncode > 0:  # stopped by a newer rebuild (negative) is not a failure
                log.error(_("search indexing failed: {error}").format(error=err.strip() or out.strip()))

        thread = threading.Thread(target=report, name="regioverhalen-pagefind", daemon=True)
        thread.start()
        self._running = (process, thread)

    def stop(self) -> None:
        """Stop an indexing run still going: a rebuild replaces the folder it would write into."""
        if self._running is None:
            return
        process, thread = self._running
        self._running = None
        if process.poll() is None:
            process.terminate()
        thread.join(timeout=10)
        if thread.is_alive():
            process.kill()
            thread.join()
