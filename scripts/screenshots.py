"""Screenshots of the reader's main pages at a phone's and a desktop's width.

Usage: python scripts/screenshots.py SITE_DIR OUT_DIR
Serves SITE_DIR on a local port and writes <page>-<width>.png (first screen) and
<page>-<width>-full.png to OUT_DIR (not committed).
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

WIDTHS = (390, 1280)


def pages(site: Path) -> dict[str, str]:
    region = sorted(p.name for p in (site / "regios").iterdir() if (p / "index.html").is_file())[0]
    story = sorted(
        p.name
        for p in (site / "verhalen").iterdir()
        if (p / "index.html").is_file() and p.name not in ("jaar", "doorbraak")
    )[0]
    return {
        "home": "/",
        "regio": f"/regios/{region}/",
        "verhaal": f"/verhalen/{story}/",
        "verhalen": "/verhalen/",
        "zoeken": "/zoeken/?q=stikstof",
    }


def main(site: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium")
            for width in WIDTHS:
                page = browser.new_page(viewport={"width": width, "height": 844 if width < 600 else 900})
                for name, path in pages(site).items():
                    page.goto(base + path, wait_until="networkidle")
                    if name == "zoeken":
                        page.wait_for_selector(".pagefind-ui__result", timeout=10_000)
                    # The first screen as a reader sees it, and the whole page.
                    page.screenshot(path=str(out / f"{name}-{width}.png"))
                    page.screenshot(path=str(out / f"{name}-{width}-full.png"), full_page=True)
                    print(out / f"{name}-{width}.png")
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
