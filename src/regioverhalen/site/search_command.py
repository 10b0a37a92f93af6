"""Pagefind's command line over a built site, as both engines' builds run it: the language from
each page's `lang`, only what a story marks with data-pagefind-body, into /pagefind/."""

from __future__ import annotations

import sys
from pathlib import Path


def pagefind_command(site_dir: Path) -> list[str]:
    return [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", "pagefind", "--silent"]
