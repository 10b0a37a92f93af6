"""One built sample site, one loopback web server and one Chromium for the whole session."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Request, Response, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from sample_site import REPO, Sources, build_sample_site, read_sources

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Only loopback exists: any other host fails at once instead of waiting on DNS. The browser
    # refuses it itself; a route would stop every request of every page in Python to decide.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
AXE = Axe()
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    # Every node of every violation, but only one example node of what passed or did not apply:
    # axe then spends far less time collecting and handing over results nobody reads.
    "resultTypes": ["violations"],
}


def installed_chromium(*names: str) -> str:
    path = next(filter(None, map(shutil.which, names)), None)
    if path is None:
        pytest.fail(f"none of {', '.join(names)} found: install them from Debian (see .ci/run)")
    return path


@contextmanager
def launched(playwright: Playwright, path: str) -> Iterator[Browser]:
    """The browser at `path`, closed afterwards with the tabs' shared contexts (see `open_page`)."""
    chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()
        for key in [key for key in _contexts if key[0] is chromium]:
            del _contexts[key]


@pytest.fixture(scope="session")
def sample_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_site(tmp_path_factory)


@pytest.fixture(scope="session")
def sources(sample_root: Path) -> Sources:
    return read_sources(sample_root)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """An unknown address gets the site's 404.html, as static hosts (GitHub Pages) answer it."""
        not_found = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not not_found.is_file():
            super().send_error(code, message, explain)
            return
        body = not_found.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that closes a tab mid-download (prefetches, closed contexts) is not an error here.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """A built site served over HTTP on a free loopback port, in a thread."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name=f"serve-{folder.name}", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        forget_contexts(url)


@pytest.fixture(scope="session")
def base_url(sample_root: Path) -> Iterator[str]:
    with serve(sample_root / "site") as url:
        yield url


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """One driver per worker: Playwright's sync API allows only one in a thread."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Chromium's headless shell, the build Playwright itself runs headless: the same engine as the
    browser, without the desktop browser's windowing and compositing that no test looks at and that
    cost most of a page load's CPU here. test_full_browser.py walks a reader's path in the full one.
    $CHROMIUM, when set, names another browser for these tests."""
    with launched(
        playwright, os.environ.get("CHROMIUM") or installed_chromium("chromium-headless-shell", "chromium")
    ) as chromium:
        yield chromium


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    """A new tab on the sample site at a desktop's size (see `open_page`)."""
    yield from open_page(browser, base_url)


#: One context per browser, site, size and JavaScript setting. A context of its own for every test
#: starts a renderer process and compiles the theme's scripts again for each: most of a browser
#: test's time. What a reader could carry from one page to the next is wiped after each test.
_contexts: dict[tuple[Browser, str, tuple[int, int], bool], BrowserContext] = {}
#: Everything a site can keep in the browser but the HTTP cache, which a reader's browser keeps too.
SITE_DATA = "cookies,local_storage,indexeddb,cache_storage,service_workers,shared_storage,storage_buckets"


def forget_contexts(base_url: str) -> None:
    """Close the contexts of a site that is no longer served: a later server on the same port
    would otherwise get the old site's pages from their HTTP cache."""
    for key in [key for key in _contexts if key[1] == base_url]:
        with contextlib.suppress(PlaywrightError):  # its browser may be closed already
            _contexts.pop(key).close()


def open_page(
    browser: Browser, base_url: str, size: tuple[int, int] = (1280, 900), javascript: bool = True
) -> Iterator[Page]:
    """A new tab (its own history and session storage) in the shared context for this site and size.

    Fails the test if a script on the page threw (so a caller leaves the loop normally, never
    by `return` inside it); afterwards the site's cookies and storage are gone."""
    key = (browser, base_url, size, javascript)
    if key not in _contexts:
        _contexts[key] = browser.new_context(
            viewport={"width": size[0], "height": size[1]},
            locale="nl-NL",
            base_url=base_url,
            java_script_enabled=javascript,
        )
        _contexts[key].set_default_timeout(10_000)
    context = _contexts[key]
    errors: list[str] = []
    tab = context.new_page()
    tab.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield tab
    finally:
        try:
            session = context.new_cdp_session(tab)
            session.send("Storage.clearDataForOrigin", {"origin": base_url, "storageTypes": SITE_DATA})
            session.detach()
        finally:
            tab.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def expect_search_results_loaded(page: Page) -> None:
    """Pagefind shows its results and filters, and every result it shows has loaded.

    Pagefind puts a placeholder in the list for each result and fills it in once that result's own
    fragment has arrived: the first result can be there while others are still placeholders, whose
    text has the colour of its background (axe reports that as a contrast failure).
    """
    expect(page.locator(".pagefind-ui__result-link").first).to_be_visible()
    expect(page.locator(".pagefind-ui__result .pagefind-ui__loading")).to_have_count(0)
    # The filters load beside the search, not after it: wait for them too, so that a check of
    # the page's requests or of its accessibility sees the whole page.
    expect(page.locator(".pagefind-ui__filter-block").first).to_be_attached()


class RequestLog:
    """The requests a tab makes from now on: which are still on their way, and which failed
    (an HTTP error from anywhere, or no answer from the site itself; other hosts are refused
    by the browser, see CHROMIUM_ARGS)."""

    def __init__(self, page: Page, site: str) -> None:
        self._page = page
        self._pending: set[Request] = set()
        self.failed: list[str] = []
        self._site = site
        page.on("request", self._started)
        page.on("requestfinished", self._finished)
        page.on("requestfailed", self._failed)
        page.on("response", self._answered)

    def _started(self, request: Request) -> None:
        self._pending.add(request)

    def _finished(self, request: Request) -> None:
        self._pending.discard(request)

    def _failed(self, request: Request) -> None:
        self._pending.discard(request)
        # Aborted is what the page itself asked for: a search typed on cancels the fetches of the
        # one before, a navigation those of the page it leaves. No answer is any other failure.
        if request.url.startswith(self._site) and request.failure != "net::ERR_ABORTED":
            self.failed.append(f"failed {request.url} ({request.failure})")

    def _answered(self, response: Response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")

    def settled(self, timeout: float = 10.0) -> list[str]:
        """The failed requests, once none is on its way any more. Called after the checks on a
        loaded page, it sees what the page asked for while they ran, without the half second of
        silence that Playwright's "networkidle" waits for on every page."""
        deadline = time.monotonic() + timeout
        while self._pending:
            assert time.monotonic() < deadline, f"still loading: {sorted(r.url for r in self._pending)}"
            self._page.wait_for_timeout(20)  # lets Playwright deliver the page's events
        return self.failed


def serious_axe_findings(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now; lesser ones are printed."""
    results = AXE.run(page, options=AXE_OPTIONS).response
    assert results["passes"], "axe ran no checks at all"
    blocking = []
    for violation in results["violations"]:
        targets = [node["target"] for node in violation["nodes"]][:5]
        if violation["impact"] in {"serious", "critical"}:
            blocking.append(
                f"{violation['impact']}: {violation['id']}: {violation['help']} -> {targets}\n"
                f"    {violation['nodes'][0]['failureSummary']}"
            )
        else:
            print(f"axe {violation['impact']}: {violation['id']} ({len(violation['nodes'])}x) {targets}")
    return blocking


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
