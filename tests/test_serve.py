"""Live preview: a real `mkdocs serve` process on loopback rebuilds on every save,
reports a content error as `path:line:col: error:` and keeps running until it is fixed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from markupsafe import escape

from conftest import SiteDir
from regioverhalen.mkdocs.preview_watch import POLL_SECONDS

#: Upper bound for one rebuild to show up; the observed time is printed (pytest -s) and asserted below it.
REBUILD_LIMIT = 30.0

#: `mkdocs` with Ctrl-C as a terminal gives it: a test runner may have started us with SIGINT ignored,
#: which a child inherits.
SERVE = (
    "import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "runpy.run_module('mkdocs', run_name='__main__')"
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`mkdocs serve` in a subprocess; its combined output is collected line by line."""

    def __init__(self, root: Path, temp: Path | None = None) -> None:
        self.port = free_port()
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}
        if temp is not None:  # where MkDocs makes the preview's folder
            env["TMPDIR"] = str(temp)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SERVE, "serve", "-a", f"127.0.0.1:{self.port}"],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=5) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, ""
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return 0, ""

    def built_after(self, marker: str) -> bool:
        """Whether a build finished after the first line containing `marker`. The server says
        "Reloading browsers" after every build that ran to its end; MkDocs' "Documentation built
        in 0.29 seconds" is left out when an earlier build took just as long (it drops repeats)."""
        lines = list(self.lines)
        start = next((i for i, line in enumerate(lines) if marker in line), None)
        return start is not None and any("Reloading browsers" in line for line in lines[start + 1 :])

    def wait_for(self, what: str, condition: Callable[[], bool], timeout: float = REBUILD_LIMIT) -> float:
        """Poll until `condition` holds; return the seconds it took. Fails if the server died."""
        start = time.monotonic()
        while not condition():
            assert self.proc.poll() is None, f"mkdocs serve exited while waiting for {what}:\n{self.output}"
            assert time.monotonic() - start < timeout, f"timed out after {timeout} s waiting for {what}:\n{self.output}"
            time.sleep(0.1)
        return time.monotonic() - start

    def stop(self) -> None:
        """Stop it as an editor does, with Ctrl-C: MkDocs then removes its preview folder."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(timeout=5)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def test_serve_rebuilds_reports_errors_and_recovers(site: SiteDir, tmp_path_factory: pytest.TempPathFactory) -> None:
    site.region("achterhoek")
    story = site.story("eerste", "achterhoek")
    site.story("tweede", "achterhoek")
    original = story.read_text(encoding="utf-8")
    page = "/verhalen/eerste/"
    temp = tmp_path_factory.mktemp("serve-temp")
    server = Server(site.root, temp)
    try:
        started = server.wait_for("the first page", lambda: server.get(page)[0] == 200, timeout=90)
        assert "Een boer uit de regio vertelt." in server.get(page)[1]
        # Stories and regions are watched by the plugin (mkdocs/preview_watch.py), the docs folder
        # and mkdocs.yml by MkDocs, whose server adds the script that reloads the browser only
        # while its own watcher watches something.
        ours = next(line for line in server.lines if "Watching for changes:" in line)
        mkdocs_own = next(line for line in server.lines if "Watching paths for changes:" in line)
        assert "'stories'" in ours and "'regions'" in ours and "'docs'" not in ours
        assert "'docs'" in mkdocs_own and "'mkdocs.yml'" in mkdocs_own and "'stories'" not in mkdocs_own
        assert "livereload(" in server.get(page)[1]

        # 1. Saving a story rebuilds the site.
        story.write_text(original.replace("Een boer uit de regio vertelt.", "De beek slingert weer."), encoding="utf-8")
        rebuild = server.wait_for("the edited text", lambda: "De beek slingert weer." in server.get(page)[1])

        # 2. A content error is printed with its position; the server keeps running and serving.
        errors_before = server.output.count("error:")
        broken = original.replace("themes: [bodem]\n", "themes: [bodem]\nregoin: achterhoek\n")
        story.write_text(broken, encoding="utf-8")
        expected = "stories/achterhoek/eerste.md:8:1: error: unknown key 'regoin'; did you mean 'region'?"
        reported = server.wait_for("the error line", lambda: expected in server.output)
        assert server.output.count("error:") > errors_before
        # The build that reported the error runs to its end, and the server
        # is still running after it: a server that crashed on the error would have exited by then.
        server.wait_for("the end of the build that reported the error", lambda: server.built_after(expected))
        assert server.proc.poll() is None, server.output
        # The last valid content is still served, with the problem on the page for the editor.
        shown = server.wait_for("the problem on the page", lambda: "regioverhalen-fouten" in server.get(page)[1])
        status, body = server.get(page)
        assert status == 200 and "De beek slingert weer." in body
        assert "This preview is behind: the content has errors" in body
        assert f"<li><code>{escape(expected)}</code></li>" in body

        # 3. Once fixed, the page updates again.
        story.write_text(original.replace("Een boer uit de regio vertelt.", "Het water blijft langer staan."), "utf-8")
        recovered = server.wait_for("the fixed page", lambda: "Het water blijft langer staan." in server.get(page)[1])
        assert "regioverhalen-fouten" not in server.get(page)[1]

        # 4. A region file is watched too.
        region = site.root / "regions/achterhoek.yml"
        region.write_text(region.read_text(encoding="utf-8").replace("samen de bodem herstelt", "het water vasthoudt"))
        region_rebuild = server.wait_for(
            "the region page", lambda: "het water vasthoudt" in server.get("/regios/achterhoek/")[1]
        )
        print(
            f"\nmkdocs serve: first page {started:.1f} s; story edit visible after {rebuild:.1f} s; "
            f"error reported after {reported:.1f} s, on the page after {shown:.1f} s more; "
            f"fix visible after {recovered:.1f} s; "
            f"region edit visible after {region_rebuild:.1f} s"
        )
        assert server.proc.poll() is None

        # 5. A story made a draft leaves the preview (the rebuild writes over an earlier build's folder).
        site.story("tweede", "achterhoek", extra="draft: true")
        server.wait_for("the draft's page gone", lambda: server.get("/verhalen/tweede/")[0] == 404)
        assert "tweede" not in server.get("/verhalen/")[1]

        # 6. A page in docs/ (watched by MkDocs itself).
        index = site.root / "docs/index.md"
        index.write_text(index.read_text(encoding="utf-8").replace("# Start", "# Welkom in de regio"), "utf-8")
        server.wait_for("the new heading", lambda: "Welkom in de regio" in server.get("/")[1])

        # Each of the six saves rebuilt the preview once: the plugin's watcher, told of a save by
        # the system's file events, does not tell it again when its looking watcher finds it.
        time.sleep(3 * POLL_SECONDS)
        assert server.output.count("Detected file changes") == 6, server.output
    finally:
        server.stop()
    assert server.proc.returncode == 0, server.output
    assert list(temp.iterdir()) == []  # the preview's folders, its spare included, are gone
